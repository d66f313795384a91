/**
 * Online backup while Atrium serves:
 *
 *   npm run backup                      → ./data/backups/atrium-<UTC time>.db
 *   npm run backup -- /path/to/copy.db  → that file (must not exist yet)
 *
 * `VACUUM INTO` copies the database as of one read transaction: a consistent snapshot that
 * includes everything committed so far, WAL included, without blocking the server's writers (WAL
 * readers never wait for them). The copy is then opened and checked (`PRAGMA integrity_check`).
 * Restore: stop Atrium, replace the database file with the copy and delete the old `-wal` and
 * `-shm` files next to it, start Atrium (README, "Back up and restore").
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, statSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { EnvError, parseEnv } from "../env.js";
import { sqliteFileFromUrl } from "../collab/update-log.js";

export function backupDatabase(source: string, dest: string): { bytes: number; ms: number; check: string } {
  if (!existsSync(source)) throw new Error(`No database at ${source}.`);
  if (existsSync(dest)) throw new Error(`${dest} already exists: choose a new file name.`);
  mkdirSync(path.dirname(dest), { recursive: true });
  const t0 = performance.now();
  const db = new Database(source, { fileMustExist: true });
  try {
    // Waits (up to 5 s) rather than failing if a checkpoint holds a lock at that instant.
    db.pragma("busy_timeout = 5000");
    db.prepare("VACUUM INTO ?").run(dest);
  } finally {
    db.close();
  }
  const copy = new Database(dest, { readonly: true, fileMustExist: true });
  let check: string;
  try {
    check = String(copy.pragma("integrity_check", { simple: true }));
  } finally {
    copy.close();
  }
  if (check !== "ok") throw new Error(`The copy at ${dest} failed its integrity check: ${check}`);
  return { bytes: statSync(dest).size, ms: performance.now() - t0, check };
}

/**
 * PostgreSQL: `pg_dump --format=custom` (one consistent snapshot, writers not blocked), then
 * `pg_restore --list` reads the archive back as a check. Restore with `pg_restore --clean
 * --if-exists -d <url> <file>` (README, "Running on PostgreSQL").
 */
export function backupPostgres(url: string, dest: string): { bytes: number; ms: number; check: string } {
  if (existsSync(dest)) throw new Error(`${dest} already exists: choose a new file name.`);
  mkdirSync(path.dirname(dest), { recursive: true });
  const t0 = performance.now();
  const dump = spawnSync("pg_dump", ["--format=custom", "--file", dest, "--dbname", url], { encoding: "utf8" });
  if (dump.error) throw new Error(`pg_dump could not run (${dump.error.message}): install PostgreSQL's client tools (apt-get install postgresql-client).`);
  if (dump.status !== 0) throw new Error(`pg_dump failed: ${dump.stderr.trim()}`);
  const list = spawnSync("pg_restore", ["--list", dest], { encoding: "utf8" });
  if (list.status !== 0 || !/TABLE DATA public "?AuditEvent"?/.test(list.stdout)) throw new Error(`The archive at ${dest} could not be read back: ${list.stderr.trim()}`);
  return { bytes: statSync(dest).size, ms: performance.now() - t0, check: `${list.stdout.split("\n").filter((l) => l.includes("TABLE DATA")).length} tables readable` };
}

const isMain = process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename);
if (isMain) {
  try {
    const env = parseEnv();
    if (/^postgres(ql)?:\/\//i.test(env.DATABASE_URL)) {
      const arg = process.argv.slice(2).find((a) => !a.startsWith("-"));
      const dest = path.resolve(arg ?? path.join("data", "backups", `atrium-${new Date().toISOString().replace(/[:.]/g, "-")}.dump`));
      const r = backupPostgres(env.DATABASE_URL, dest);
      console.log(`Backed up ${new URL(env.DATABASE_URL).pathname.slice(1)} to ${dest} (${(r.bytes / 1024 / 1024).toFixed(1)} MB in ${Math.round(r.ms)} ms, ${r.check}).`);
      process.exit(0);
    }
    const source = path.resolve(sqliteFileFromUrl(env.DATABASE_URL));
    const arg = process.argv.slice(2).find((a) => !a.startsWith("-"));
    const dest = path.resolve(arg ?? path.join(path.dirname(source), "backups", `atrium-${new Date().toISOString().replace(/[:.]/g, "-")}.db`));
    const r = backupDatabase(source, dest);
    console.log(`Backed up ${source} to ${dest} (${(r.bytes / 1024 / 1024).toFixed(1)} MB in ${Math.round(r.ms)} ms, integrity check ${r.check}).`);
  } catch (err) {
    console.error(err instanceof EnvError ? err.message : `Backup failed: ${(err as Error).message}`);
    process.exit(1);
  }
}
