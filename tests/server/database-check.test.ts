/**
 * A damaged SQLite write-ahead log is caught at start, before SQLite silently drops it; so are a
 * deleted WAL and an update log with holes. And `npm run backup` copies a serving database into a
 * consistent, openable file that has the latest writes.
 */
import { spawn } from "node:child_process";
import { copyFileSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, test, vi } from "vitest";
import { createAtrium, type Atrium } from "../../server/atrium.js";
import { parseEnv } from "../../server/env.js";
import { checkWalFile, DatabaseDamaged } from "../../server/infra/database-check.js";
import { makeUser } from "../helpers/app.js";
import { freshDatabase, TMP_DIR, TEST_DB } from "../helpers/db.js";

const ROOT = path.resolve(import.meta.dirname, "../..");
const disposals: (() => unknown)[] = [];
afterEach(async () => {
  for (const d of disposals.splice(0).reverse()) await d();
  vi.restoreAllMocks();
});

const start = (url: string, extra: Record<string, string> = {}) =>
  createAtrium({ env: parseEnv({ NODE_ENV: "test", DATABASE_URL: url, ...extra }), withPages: false });

/**
 * A database as a killed process leaves it: committed rows only in the WAL (no checkpoint ran),
 * `-wal` and `-shm` next to it. Made by copying the three files while the writer is still open.
 */
function crashedDatabase(rows: number) {
  const live = freshDatabase();
  const w = new Database(live.file);
  w.pragma("journal_mode = WAL");
  w.pragma("wal_autocheckpoint = 0");
  w.exec('CREATE TABLE "Scratch" (n INTEGER)');
  const ins = w.prepare('INSERT INTO "Scratch" (n) VALUES (?)');
  for (let i = 1; i <= rows; i++) ins.run(i);
  const crashed = freshDatabase.empty();
  for (const s of ["", "-wal", "-shm"]) copyFileSync(live.file + s, crashed.file + s);
  w.close();
  live.dispose();
  disposals.push(() => {
    crashed.dispose();
    for (const f of readdirSync(path.dirname(crashed.file))) if (f.startsWith(path.basename(crashed.file) + "-wal.damaged")) rmSync(path.join(path.dirname(crashed.file), f));
  });
  return crashed;
}

function runServer(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, ["--import", "tsx", "server/index.ts"], { cwd: ROOT, env: { ...process.env, PORT: "0", HOST: "127.0.0.1", NODE_ENV: "test", ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout!.on("data", (d) => {
    output += d;
    if (output.includes("serving on")) child.kill("SIGTERM");
  });
  child.stderr!.on("data", (d) => (output += d));
  return new Promise((resolve) => child.once("exit", (code) => resolve({ code, output })));
}

describe.skipIf(TEST_DB === "postgresql")("start-up check of the database files (SQLite only: it checks SQLite's WAL file and update log on disk)", () => {
  test("an intact WAL left by a killed process passes, and its rows are there", async () => {
    const db = crashedDatabase(50);
    expect(checkWalFile(db.file)).toEqual([]);
    const atrium = await start(db.url);
    disposals.push(() => atrium.close());
    const [{ n }] = await atrium.db.$queryRawUnsafe<{ n: number }[]>('SELECT COUNT(*) AS n FROM "Scratch"');
    expect(Number(n)).toBe(50);
  });

  test("a damaged WAL header: the real server says so and refuses to start, leaving the files as they were", { timeout: 300_000 }, async () => {
    const db = crashedDatabase(50);
    const wal = readFileSync(db.file + "-wal");
    wal.writeUInt32BE((wal.readUInt32BE(16) ^ 0xffff) >>> 0, 16); // salt-1: the header checksum no longer matches
    writeFileSync(db.file + "-wal", wal);
    const before = [readFileSync(db.file), readFileSync(db.file + "-wal")];

    const { code, output } = await runServer({ DATABASE_URL: db.url });
    expect(code).toBe(1);
    expect(output).toContain("The database looks damaged; Atrium will not start on it");
    expect(output).toContain("has a damaged header (checksum mismatch)");
    expect(output).toContain("ALLOW_DAMAGED_DATABASE=1");
    expect(output).not.toContain("serving on");
    // Nothing opened the database: SQLite had no chance to discard the log.
    expect(readFileSync(db.file).equals(before[0]!)).toBe(true);
    expect(readFileSync(db.file + "-wal").equals(before[1]!)).toBe(true);
  });

  test("with ALLOW_DAMAGED_DATABASE=1 it starts, still reporting, after copying the damaged WAL aside", async () => {
    const db = crashedDatabase(10);
    const wal = readFileSync(db.file + "-wal");
    wal.writeUInt32BE(0xdeadbeef, 0);
    writeFileSync(db.file + "-wal", wal);
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    const atrium = await start(db.url, { ALLOW_DAMAGED_DATABASE: "1" });
    disposals.push(() => atrium.close());
    expect(errors.mock.calls.flat().join("\n")).toContain("has a damaged header (magic number deadbeef)");
    const aside = readdirSync(path.dirname(db.file)).filter((f) => f.startsWith(path.basename(db.file) + "-wal.damaged-"));
    expect(aside).toHaveLength(1);
    expect(readFileSync(path.join(path.dirname(db.file), aside[0]!)).equals(wal)).toBe(true);
  });

  test("a damaged first frame (the header intact) is caught too: SQLite would ignore every frame", () => {
    const db = crashedDatabase(50);
    const wal = readFileSync(db.file + "-wal");
    wal[32 + 24 + 100] = wal[32 + 24 + 100]! ^ 0xff; // a byte of the first page
    writeFileSync(db.file + "-wal", wal);
    expect(checkWalFile(db.file)).toEqual([expect.stringContaining("its first frame is damaged")]);
    return expect(start(db.url)).rejects.toBeInstanceOf(DatabaseDamaged);
  });

  test("a deleted WAL (its -shm index left behind) is caught", async () => {
    const db = crashedDatabase(50);
    rmSync(db.file + "-wal");
    vi.spyOn(console, "error").mockImplementation(() => {});
    await expect(start(db.url)).rejects.toThrow(/write-ahead log was deleted/);
  });

  test("an update log whose sequence numbers jump is caught", async () => {
    const db = freshDatabase();
    disposals.push(() => db.dispose());
    const atrium = await start(db.url);
    const docId = "doc1";
    const w = new Database(db.file);
    w.pragma("foreign_keys = OFF");
    const ins = w.prepare('INSERT INTO "DocUpdate" ("docId", "seq", "update", "createdAt") VALUES (?, ?, ?, ?)');
    for (const seq of [1, 2, 3, 5]) ins.run(docId, seq, Buffer.from([0, 0]), new Date().toISOString());
    w.close();
    await atrium.close();
    vi.spyOn(console, "error").mockImplementation(() => {});
    await expect(start(db.url)).rejects.toThrow(/document doc1: the update log jumps \(snapshot at 0, 4 entries between 1 and 5\)/);
  });
});

describe.skipIf(TEST_DB === "postgresql")("npm run backup (SQLite only: it copies the SQLite file; PostgreSQL is backed up with pg_dump)", () => {
  test("copies a database while it serves and is written to: the copy opens, checks out, and has the latest writes", { timeout: 300_000 }, async () => {
    const db = freshDatabase();
    const atrium: Atrium = await start(db.url);
    disposals.push(async () => {
      await atrium.close();
      db.dispose();
    });
    // Writers keep going during the backup.
    let writing = true;
    let written = 0;
    const writer = (async () => {
      while (writing) {
        await makeUser(atrium, { name: `Writer ${++written}` });
      }
    })();
    while (written < 20) await new Promise((r) => setTimeout(r, 20));
    const marker = await makeUser(atrium, { name: "Written just before the backup" });

    const dest = path.join(TMP_DIR, `backup-${process.pid}-${Date.now()}.db`);
    disposals.push(() => rmSync(dest, { force: true }));
    const run = await new Promise<{ code: number | null; out: string }>((resolve) => {
      const child = spawn("npm", ["run", "--silent", "backup", "--", dest], { cwd: ROOT, env: { ...process.env, DATABASE_URL: db.url }, stdio: ["ignore", "pipe", "pipe"] });
      let out = "";
      child.stdout!.on("data", (d) => (out += d));
      child.stderr!.on("data", (d) => (out += d));
      child.once("exit", (code) => resolve({ code, out }));
    });
    const writtenDuringBackup = written;
    writing = false;
    await writer;
    expect(run.out).toContain("integrity check ok");
    expect(run.code).toBe(0);
    expect(existsSync(dest)).toBe(true);

    const copy = new Database(dest, { readonly: true });
    try {
      expect(copy.pragma("integrity_check", { simple: true })).toBe("ok");
      expect(copy.prepare('SELECT name FROM "User" WHERE id = ?').get(marker.user.id)).toEqual({ name: "Written just before the backup" });
      const n = (copy.prepare('SELECT COUNT(*) AS n FROM "User" WHERE name LIKE \'Writer %\'').get() as { n: number }).n;
      expect(n).toBeGreaterThanOrEqual(20);
      expect(n).toBeLessThanOrEqual(writtenDuringBackup);
    } finally {
      copy.close();
    }
    // The server kept serving: a write after the backup works.
    await makeUser(atrium, { name: "After the backup" });
  });
});
