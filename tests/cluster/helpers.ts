/**
 * A whole cluster for a test file, started through the same code path as `npm run start:cluster`:
 * a fresh PostgreSQL database on the machine's server (127.0.0.1:5432) — or one SQLite file when
 * PostgreSQL is not there — a private redis-server (tests restart it), 3 instances and HAProxy.
 * Plus an in-process Atrium on the same database and Redis, through which a test sets up people and
 * data with domain verbs (its events reach the instances like any other instance's).
 */
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { createAtrium, type Atrium } from "../../server/atrium.js";
import { startCluster, type Cluster } from "../../server/cli/cluster.js";
import { startPrivateRedis, type PrivateRedis } from "../../server/cli/processes.js";
import { parseEnv } from "../../server/env.js";
import { sessionCookieFor } from "../helpers/app.js";
import { freshDatabase, TMP_DIR } from "../helpers/db.js";

export interface ClusterFixture {
  cluster: Cluster;
  redis: PrivateRedis;
  databaseUrl: string;
  setup: Atrium;
  close(): Promise<void>;
}

const postgresHere = () => spawnSync("pg_isready", ["-h", "127.0.0.1", "-p", "5432", "-t", "3"]).status === 0;

export async function startClusterFixture(size = 3): Promise<ClusterFixture> {
  let databaseUrl: string;
  let dropDatabase = () => {};
  if (postgresHere()) {
    const name = `atrium_cluster_${process.pid}_${randomBytes(3).toString("hex")}`;
    databaseUrl = `postgresql://postgres@127.0.0.1:5432/${name}`;
    dropDatabase = () => void spawnSync("psql", ["-h", "127.0.0.1", "-U", "postgres", "-c", `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`]);
  } else {
    const db = freshDatabase.empty();
    databaseUrl = db.url;
    dropDatabase = db.dispose;
  }
  const redis = await startPrivateRedis();
  const scratch = path.join(TMP_DIR, `cluster-${randomBytes(3).toString("hex")}`);
  const env = {
    NODE_ENV: "test",
    DATABASE_URL: databaseUrl,
    REDIS_URL: redis.url,
    REDIS_PREFIX: `atrium-test-${randomBytes(3).toString("hex")}:`,
    UPLOAD_DIR: path.join(scratch, "uploads"),
    DOC_FILES_DIR: path.join(scratch, "doc-files"),
    PRESENCE_GRACE_MS: "300",
    // The instances run plain node on the bundle, whatever loaders this test worker was started with.
    NODE_OPTIONS: "",
  };
  const cluster = await startCluster({ size, env, host: "127.0.0.1", echo: process.env.CLUSTER_ECHO ? (l) => console.log(l) : undefined });
  const { NODE_OPTIONS: _, ...setupEnv } = env;
  const setup = await createAtrium({ env: parseEnv({ ...setupEnv, INSTANCE_ID: "test-setup" }), withPages: false });
  return {
    cluster,
    redis,
    databaseUrl,
    setup,
    async close() {
      await setup.close().catch(() => {});
      await cluster.stop();
      await redis.close();
      dropDatabase();
    },
  };
}

/**
 * A browser context signed in as `who`, pinned to `instance` ("a1"…) through HAProxy's stickiness
 * cookie: every request it sends through the balancer lands on that instance while it is up.
 */
export async function openPinned(
  browser: Browser,
  fx: ClusterFixture,
  who: { user: { email: string }; password: string },
  instance: string,
): Promise<{ context: BrowserContext; page: Page; instanceNow: () => Promise<string | undefined> }> {
  const context = await browser.newContext({ locale: "en-GB", timezoneId: "UTC" });
  context.setDefaultTimeout(10_000);
  const cookie = await sessionCookieFor(fx.setup, who.user.email, who.password);
  const [name, value] = cookie.split("=") as [string, string];
  await context.addCookies([
    { name, value, url: fx.cluster.url, httpOnly: true, sameSite: "Lax" },
    { name: "atrium_instance", value: instance, url: fx.cluster.url, httpOnly: true, sameSite: "Lax" },
  ]);
  const page = await context.newPage();
  const instanceNow = async () => (await context.cookies(fx.cluster.url)).find((c) => c.name === "atrium_instance")?.value;
  return { context, page, instanceNow };
}

export async function waitLive(page: Page) {
  await page.locator('[data-testid="connection"][data-state="connected"]').waitFor();
}
