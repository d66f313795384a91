/**
 * What a start loads (decision 160). The bundled server (a copy of its own, so no other test's
 * rebuild is read half-written) is started with plain node under scripts/module-trace.mjs, which
 * records every module Node resolves. One instance on SQLite without REDIS_URL — `npm start` —
 * must not load PostgreSQL's or Redis's packages, nor the PostgreSQL Prisma client; the same
 * bundle with a postgresql:// DATABASE_URL and REDIS_URL loads every one of them (which also shows
 * the trace sees them when they are there).
 */
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { freePort } from "../../server/cli/processes.js";
import { freshDatabase, pgAdmin, pgUrlFor, TEST_DB, TMP_DIR } from "../helpers/db.js";
import { MULTI_INSTANCE_PACKAGES, packagesIn } from "../helpers/module-trace.js";
import { dropPrefix, TEST_REDIS_URL, testPrefix } from "../helpers/redis.js";

const ROOT = path.resolve(import.meta.dirname, "../..");
const OUT = `build/test-start-modules-${randomBytes(3).toString("hex")}`;
/** Text only the bundled PostgreSQL Prisma client contains: where it loads its query compiler from. */
const PG_CLIENT_MARK = "query_compiler_bg.postgresql";

beforeAll(() => {
  const built = spawnSync(process.execPath, ["scripts/bundle-server.mjs", "--outdir", OUT], { cwd: ROOT, encoding: "utf8" });
  expect(built.status, built.stderr).toBe(0);
});
afterAll(() => rmSync(path.join(ROOT, OUT), { recursive: true, force: true }));

/** Starts the bundle traced, loads /login and /readyz, stops it; what it loaded. */
async function tracedStart(env: Record<string, string>) {
  const trace = path.join(TMP_DIR, `modules-${randomBytes(4).toString("hex")}.txt`);
  const port = await freePort();
  const scratch = path.join(TMP_DIR, `start-${randomBytes(4).toString("hex")}`);
  const child = spawn(process.execPath, ["--import", "./scripts/module-trace.mjs", `${OUT}/index.js`], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      NODE_ENV: "production",
      NODE_OPTIONS: "",
      PORT: String(port),
      HOST: "127.0.0.1",
      ATRIUM_DEMO_BANNER: "0",
      UPLOAD_DIR: path.join(scratch, "uploads"),
      DOC_FILES_DIR: path.join(scratch, "doc-files"),
      MAIL_DIR: path.join(scratch, "mail"),
      MODULE_TRACE_FILE: trace,
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout!.on("data", (c) => (out += c));
  child.stderr!.on("data", (c) => (out += c));
  const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
  try {
    await new Promise<void>((resolve, reject) => {
      const check = () => {
        if (/serving on http:\/\/localhost:\d+/.test(out)) resolve();
        else if (child.exitCode !== null) reject(new Error(`the bundle exited:\n${out}`));
      };
      child.stdout!.on("data", check);
      child.once("exit", check);
    });
    const base = `http://127.0.0.1:${port}`;
    expect((await fetch(`${base}/login`)).status).toBe(200);
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
  } finally {
    child.kill("SIGTERM");
    expect(await exited, out).toBe(0);
    rmSync(scratch, { recursive: true, force: true });
  }
  const lines = readFileSync(trace, "utf8").split("\n").filter(Boolean);
  rmSync(trace, { force: true });
  const files = lines.map((l) => (l.startsWith("file:") ? fileURLToPath(l) : l)).filter((f) => path.isAbsolute(f) && existsSync(f));
  const bundleFiles = [...new Set(files.filter((f) => f.startsWith(path.join(ROOT, OUT))))];
  return {
    packages: packagesIn(lines.join("\n")),
    bundleFiles,
    pgClientLoaded: bundleFiles.some((f) => readFileSync(f, "utf8").includes(PG_CLIENT_MARK)),
  };
}

const postgresHere = () => spawnSync("pg_isready", ["-h", "127.0.0.1", "-p", "5432", "-t", "3"]).status === 0;

describe("what a start loads", () => {
  test.skipIf(TEST_DB === "postgresql")("one instance on SQLite without REDIS_URL loads neither PostgreSQL's nor Redis's packages, nor the PostgreSQL Prisma client", async () => {
    const db = freshDatabase();
    try {
      const loaded = await tracedStart({ DATABASE_URL: db.url });
      // The trace saw the start: the SQLite driver, Socket.io and Prisma's runtime are there.
      expect([...loaded.packages]).toEqual(expect.arrayContaining(["better-sqlite3", "socket.io", "@prisma/client", "@prisma/adapter-better-sqlite3"]));
      expect(loaded.bundleFiles.length).toBeGreaterThan(1);
      expect(MULTI_INSTANCE_PACKAGES.filter((p) => loaded.packages.has(p))).toEqual([]);
      expect(loaded.pgClientLoaded).toBe(false);
    } finally {
      db.dispose();
    }
  });

  test.skipIf(TEST_DB === "postgresql")("a development start with no SMTP_URL loads neither the mail sink, the SMTP client nor the OpenID Connect client until they are used", async () => {
    const db = freshDatabase();
    try {
      const loaded = await tracedStart({ DATABASE_URL: db.url, NODE_ENV: "development" });
      expect([...loaded.packages]).toEqual(expect.arrayContaining(["better-sqlite3", "socket.io"]));
      expect(["smtp-server", "nodemailer", "openid-client", "jose"].filter((p) => loaded.packages.has(p))).toEqual([]);
    } finally {
      db.dispose();
    }
  });

  test.skipIf(!postgresHere())("on PostgreSQL with REDIS_URL the same bundle loads all of them", async () => {
    const name = `atrium_start_modules_${process.pid}_${randomBytes(3).toString("hex")}`;
    const url = pgUrlFor(name);
    const prefix = testPrefix();
    try {
      // `npm run db:migrate` creates the database and applies the PostgreSQL migrations.
      const migrated = spawnSync("npm", ["run", "--silent", "db:migrate"], { cwd: ROOT, env: { ...process.env, DATABASE_URL: url }, encoding: "utf8" });
      expect(migrated.status, migrated.stderr).toBe(0);
      const loaded = await tracedStart({ DATABASE_URL: url, REDIS_URL: TEST_REDIS_URL, REDIS_PREFIX: prefix, INSTANCE_ID: "start-modules" });
      expect(MULTI_INSTANCE_PACKAGES.filter((p) => p !== "redis" && !loaded.packages.has(p))).toEqual([]);
      expect(loaded.pgClientLoaded).toBe(true);
    } finally {
      pgAdmin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await dropPrefix(prefix);
    }
  }, 120_000);
});
