import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";

const ROOT = path.resolve(import.meta.dirname, "../..");
export const TMP_ROOT = path.join(ROOT, "tests/.tmp");
/**
 * This run's scratch folder. Each `vitest run` gets its own (named by global-setup), so a run that
 * finishes and cleans up never deletes the databases of another run going on in the same tree.
 */
export const TMP_DIR = path.join(TMP_ROOT, process.env.ATRIUM_TEST_RUN ?? "shared");

/**
 * Which database the tests run on: SQLite files (default) or, with ATRIUM_TEST_DB=postgresql
 * (`npm run test:pg`), PostgreSQL databases on ATRIUM_TEST_PG_URL (default
 * postgresql://postgres@127.0.0.1:5432/postgres), each cloned from a template database that
 * global-setup migrates once per run.
 */
export const TEST_DB: "sqlite" | "postgresql" = process.env.ATRIUM_TEST_DB === "postgresql" ? "postgresql" : "sqlite";
export const PG_ADMIN_URL = process.env.ATRIUM_TEST_PG_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
/** This run's name as it appears in database names (`run_<pid of the vitest process>`). */
const runTag = (run = process.env.ATRIUM_TEST_RUN ?? "shared") => run.replace(/\W/g, "_");
/** This run's migrated template (named after the run, so parallel runs never share one). */
export const pgTemplateName = () => `atrium_test_tpl_${runTag()}`;
/**
 * A name for a new PostgreSQL database of this run: `atrium_test_<run>_<worker pid>_<label><random>`.
 * Every database a test creates is named so, and the run's teardown drops whatever is left of them.
 */
export const pgScratchName = (label = "") => `atrium_test_${runTag()}_${process.pid}_${label}${randomBytes(4).toString("hex")}`;
export const pgUrlFor = (name: string) => {
  const u = new URL(PG_ADMIN_URL);
  u.pathname = `/${name}`;
  return u.toString();
};

/** Runs one SQL statement on the admin database, synchronously (freshDatabase is synchronous). */
export function pgAdmin(sql: string): string {
  return execFileSync("psql", ["-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-d", PG_ADMIN_URL, "-c", sql], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

/** The test databases on the server (this run's, other runs', and leftovers of crashed runs). */
export const pgTestDatabases = (): string[] =>
  pgAdmin("SELECT datname FROM pg_database WHERE datname LIKE 'atrium\\_test\\_%'").split("\n").filter(Boolean);

/** The pid of the vitest process that made a test database (its run), or null for other names. */
export const pgDatabaseRunPid = (name: string): number | null => {
  const pid = Number(/^atrium_test_(?:tpl_)?(?:run_)?(\d+)/.exec(name)?.[1]);
  return pid || null;
};

/** Drops every database of one run (`run-<pid>`): its template and whatever its tests left. */
export function dropRunDatabases(run: string): string[] {
  const own = new RegExp(`^atrium_test_(?:tpl_)?${runTag(run)}(?:_|$)`);
  const names = pgTestDatabases().filter((n) => own.test(n));
  for (const name of names) pgAdmin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  return names;
}

/** Whether the PostgreSQL server on PG_ADMIN_URL answers (files that need it skip when it does not). */
export function pgReachable(): boolean {
  try {
    pgAdmin("SELECT 1");
    return true;
  } catch {
    return false;
  }
}

/** A new PostgreSQL database cloned from this run's migrated template; dropped (connections and all) on dispose. */
function freshPgDatabase(): { url: string; file: string; dispose: () => void } {
  const name = pgScratchName();
  pgAdmin(`CREATE DATABASE "${name}" TEMPLATE "${pgTemplateName()}"`);
  const url = pgUrlFor(name);
  return { url, file: url, dispose: () => void pgAdmin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`) };
}

let sqliteTemplate: string | null = null;

/**
 * This worker's migrated SQLite file: made at its first fresh database by applying the committed
 * migration SQL directly (what `prisma migrate deploy` does, without a process spawn), then copied
 * for every later one — applying the migrations takes seconds on a loaded machine, a copy
 * milliseconds, so a file can afford an app of its own for each test.
 */
function migratedSqliteTemplate(): string {
  if (sqliteTemplate && existsSync(sqliteTemplate)) return sqliteTemplate;
  mkdirSync(TMP_DIR, { recursive: true });
  const file = path.join(TMP_DIR, `template-${process.pid}-${randomBytes(4).toString("hex")}.db`);
  const db = new Database(file);
  const dir = path.join(ROOT, "prisma/migrations");
  for (const m of readdirSync(dir).filter((d) => !d.endsWith(".toml")).sort()) {
    db.exec(readFileSync(path.join(dir, m, "migration.sql"), "utf8"));
  }
  db.close();
  sqliteTemplate = file;
  return file;
}

/**
 * A fresh database with every migration applied, one per test file (or per test): on SQLite a
 * copy of this worker's migrated file, on PostgreSQL a clone of the run's migrated template.
 */
export function freshDatabase(): { url: string; file: string; dispose: () => void } {
  if (TEST_DB === "postgresql") return freshPgDatabase();
  const fresh = freshDatabase.empty();
  copyFileSync(migratedSqliteTemplate(), fresh.file);
  return fresh;
}

/**
 * A new database holding what `source` holds — a database of this run that nothing has open any
 * more, such as one seeded once for a file: on SQLite a copy of its file, on PostgreSQL a clone of
 * it. Each test can then start from the same seeded organisation without seeing what another test
 * did to it, at the cost of a copy rather than a seed.
 */
export function copyOfDatabase(source: { file: string }): { url: string; file: string; dispose: () => void } {
  if (TEST_DB === "postgresql") {
    const name = pgScratchName("copy_");
    pgAdmin(`CREATE DATABASE "${name}" TEMPLATE "${new URL(source.file).pathname.slice(1)}"`);
    const url = pgUrlFor(name);
    return { url, file: url, dispose: () => void pgAdmin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`) };
  }
  // Whatever the seeding left in the write-ahead log goes into the file before it is copied.
  const src = new Database(source.file);
  src.pragma("wal_checkpoint(TRUNCATE)");
  src.close();
  const copy = freshDatabase.empty();
  copyFileSync(source.file, copy.file);
  return copy;
}

/** A path for a new, empty SQLite file in this run's scratch folder (nothing created yet). */
freshDatabase.empty = (): { url: string; file: string; dispose: () => void } => {
  mkdirSync(TMP_DIR, { recursive: true });
  const file = path.join(TMP_DIR, `test-${process.pid}-${randomBytes(4).toString("hex")}.db`);
  return {
    url: `file:${file}`,
    file,
    dispose: () => {
      for (const suffix of ["", "-wal", "-shm", "-journal"]) rmSync(file + suffix, { force: true });
    },
  };
};
