/**
 * The production start: `npm start` runs plain node on the bundle that `npm run build` writes
 * (scripts/bundle-server.mjs). Node 20 cannot load TypeScript, so the bundle starting, signing a
 * person in and serving a page proves nothing is compiled at run time.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, expect, test } from "vitest";
import { hashPassword } from "../../server/domain/accounts.js";
import { SERVER_NODE_FLAGS } from "../../server/infra/heap.js";
import { freshDatabase, TMP_DIR, TEST_DB } from "../helpers/db.js";

const ROOT = path.resolve(import.meta.dirname, "../..");
let child: ChildProcess | null = null;
let out = "";
let db: ReturnType<typeof freshDatabase>;

beforeAll(async () => {
  const built = spawnSync(process.execPath, ["scripts/bundle-server.mjs"], { cwd: ROOT, encoding: "utf8" });
  expect(built.status, built.stderr).toBe(0);
  db = freshDatabase();
  const sql = new Database(db.file);
  const now = new Date().toISOString();
  sql
    .prepare(`INSERT INTO "User" ("id", "email", "name", "role", "passwordHash", "createdAt", "updatedAt") VALUES (?, ?, ?, 'member', ?, ?, ?)`)
    .run("bundle-user", "bundle@example.test", "Bundle Person", await hashPassword("correct-horse-battery"), now, now);
  sql.close();
  child = spawn(process.execPath, [...SERVER_NODE_FLAGS, "build/server/index.js"], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      NODE_ENV: "production",
      NODE_OPTIONS: "",
      PORT: "0",
      HOST: "127.0.0.1",
      DATABASE_URL: db.url,
      UPLOAD_DIR: path.join(TMP_DIR, `uploads-${randomBytes(4).toString("hex")}`),
      DOC_FILES_DIR: path.join(TMP_DIR, `doc-files-${randomBytes(4).toString("hex")}`),
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout!.on("data", (c) => (out += c));
  child.stderr!.on("data", (c) => (out += c));
  // Waits for the line (or the process ending) rather than for a fixed time.
  await new Promise<void>((resolve, reject) => {
    const check = () => {
      if (/serving on http:\/\/localhost:\d+/.test(out) && /Demo sign-in — leader/.test(out)) resolve();
      else if (child!.exitCode !== null) reject(new Error(`the bundle exited:\n${out}`));
      else return false;
      return true;
    };
    child!.stdout!.on("data", check);
    child!.once("exit", check);
  });
});

afterAll(async () => {
  if (child && child.exitCode === null) {
    const exited = new Promise((r) => child!.once("exit", r));
    child.kill("SIGTERM");
    await exited;
  }
  db?.dispose();
});

test.skipIf(TEST_DB === "postgresql")("node runs the bundle: it prints the demo sign-in, signs a person in and serves their page; SIGTERM stops it (SQLite only: the test prepares the database file with better-sqlite3)", async () => {
  expect(out).toMatch(/Demo sign-in — admin: admin@atrium\.test \/ atrium-demo-admin/);
  const port = Number(/serving on http:\/\/localhost:(\d+)/.exec(out)![1]);
  const base = `http://127.0.0.1:${port}`;

  const login = await fetch(`${base}/login`);
  expect(login.status).toBe(200);

  const signIn = await fetch(`${base}/login`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", origin: base },
    body: new URLSearchParams({ email: "bundle@example.test", password: "correct-horse-battery", redirectTo: "/" }),
  });
  expect(signIn.status).toBe(302);
  const cookie = (signIn.headers.get("set-cookie") ?? "").split(";")[0]!;
  expect(cookie).toMatch(/^atrium_session=/);

  const home = await fetch(`${base}/`, { headers: { cookie } });
  expect(home.status).toBe(200);
  expect(await home.text()).toMatch(/Welcome, (<!-- -->)?Bundle/);
  // Posting an insight scores it with the sentiment model, a file read beside the bundled code.
  const posted = await fetch(`${base}/insights/new`, {
    method: "POST",
    headers: { cookie, origin: base, "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ text: "Thanks for nothing, I have been on hold for two hours", channel: "email" }),
    redirect: "manual",
  });
  expect(posted.status, await posted.clone().text()).toBe(302);
  const insight = await fetch(new URL(posted.headers.get("location")!, base), { headers: { cookie } });
  expect(insight.status).toBe(200);
  expect(await insight.text()).toContain("Words that drove it");
  // A made-up session is refused by the same server.
  const forged = await fetch(`${base}/`, { headers: { cookie: "atrium_session=forged" }, redirect: "manual" });
  expect(forged.status).toBe(302);
  expect(forged.headers.get("location")).toMatch(/^\/login/);

  const exited = new Promise<number | null>((r) => child!.once("exit", (code) => r(code)));
  child!.kill("SIGTERM");
  expect(await exited).toBe(0);
  expect(out).toContain("Atrium stopped.");
});
