/**
 * A whole cluster for a test file, started through the same code path as `npm run start:cluster`:
 * a fresh PostgreSQL database on the machine's server (127.0.0.1:5432) — or one SQLite file when
 * PostgreSQL is not there — a private redis-server (tests restart it), 3 instances and HAProxy.
 * Plus an in-process Atrium on the same database and Redis, through which a test sets up people and
 * data with domain verbs (its events reach the instances like any other instance's).
 */
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { createAtrium, type Atrium } from "../../server/atrium.js";
import { startCluster, type Cluster } from "../../server/cli/cluster.js";
import { freePort, startPrivateRedis, type PrivateRedis } from "../../server/cli/processes.js";
import { parseEnv } from "../../server/env.js";
import { sessionCookieFor } from "../helpers/app.js";
import { freshDatabase, pgScratchName, TMP_DIR } from "../helpers/db.js";

export interface ClusterFixture {
  cluster: Cluster;
  redis: PrivateRedis;
  databaseUrl: string;
  setup: Atrium;
  close(): Promise<void>;
}

const postgresHere = () => spawnSync("pg_isready", ["-h", "127.0.0.1", "-p", "5432", "-t", "3"]).status === 0;

/**
 * `postgresPort`: the PostgreSQL server to use (a private one, see startPrivatePostgres); default
 * the machine's on 5432, or one SQLite file when that is not there.
 */
export async function startClusterFixture(size = 3, opts: { postgresPort?: number } = {}): Promise<ClusterFixture> {
  let databaseUrl: string;
  let dropDatabase = () => {};
  if (opts.postgresPort || postgresHere()) {
    const port = String(opts.postgresPort ?? 5432);
    const name = pgScratchName("cluster_");
    databaseUrl = `postgresql://postgres@127.0.0.1:${port}/${name}`;
    dropDatabase = () => void spawnSync("psql", ["-h", "127.0.0.1", "-p", port, "-U", "postgres", "-c", `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`]);
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

export interface PrivatePostgres {
  port: number;
  /** Stops the server as a crash would (`pg_ctl -m immediate`): the next start replays its WAL. */
  kill(): Promise<void>;
  start(): Promise<void>;
  close(): Promise<void>;
}

/**
 * A PostgreSQL server of the test's own (initdb in a temporary folder, a free port, trust
 * authentication on 127.0.0.1), so a test can stop and start it without touching the machine's.
 * The server refuses to run as root: as root, its commands run as the `postgres` user.
 */
export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const bin = readdirSync("/usr/lib/postgresql").sort().map((v) => path.join("/usr/lib/postgresql", v, "bin")).find((d) => existsSync(path.join(d, "pg_ctl")));
  if (!bin) throw new Error("PostgreSQL server binaries (initdb, pg_ctl) not found under /usr/lib/postgresql");
  const port = await freePort();
  const dir = mkdtempSync(path.join(os.tmpdir(), "atrium-pg-"));
  const asRoot = process.getuid?.() === 0;
  if (asRoot) spawnSync("chown", ["postgres:postgres", dir]);
  const run = (cmd: string, args: string[]) => {
    const r = asRoot
      ? spawnSync("su", ["postgres", "-c", [cmd, ...args].map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(" ")], { encoding: "utf8" })
      : spawnSync(cmd, args, { encoding: "utf8" });
    if (r.status !== 0) throw new Error(`${path.basename(cmd)} failed: ${r.stderr || r.stdout}`);
  };
  const data = path.join(dir, "data");
  run(path.join(bin, "initdb"), ["-D", data, "-U", "postgres", "-A", "trust", "--no-sync"]);
  const start = async () =>
    run(path.join(bin, "pg_ctl"), ["-D", data, "-l", path.join(dir, "log"), "-w", "-t", "60", "-o", `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1`, "start"]);
  await start();
  return {
    port,
    start,
    async kill() {
      run(path.join(bin, "pg_ctl"), ["-D", data, "-m", "immediate", "-w", "stop"]);
    },
    async close() {
      try {
        run(path.join(bin, "pg_ctl"), ["-D", data, "-m", "fast", "-w", "stop"]);
      } catch {
        // already stopped
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
