/**
 * Applies prisma/postgresql/migrations to a PostgreSQL database (decision 121).
 *
 * `prisma migrate deploy` cannot run here against PostgreSQL (no schema-engine binary offline;
 * through @prisma/adapter-pg it fails on "Column type 'name' could not be deserialized",
 * prisma/orm#27403), so this small runner does what it does, in Prisma's own bookkeeping table
 * `_prisma_migrations` (same columns, sha256 checksums), so Prisma's tools read the same history:
 *
 * - one session-level advisory lock, so instances starting together migrate one after another;
 * - each pending migration folder, in name order, runs in ONE transaction together with the row
 *   that records it: it is either applied and recorded, or neither (PostgreSQL DDL is
 *   transactional), so an interrupted run resumes at the first migration not recorded;
 * - a recorded migration whose file has since changed, or one recorded as failed, stops the run
 *   with a message instead of guessing.
 */
import { createHash, randomUUID } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { inPgTransaction } from "./pg-transaction.js";

export const PG_MIGRATIONS_DIR = path.resolve(import.meta.dirname, "../../prisma/postgresql/migrations");
/** pg_advisory_lock key: "atrium migrations". */
const LOCK_KEY = 7_261_204;

export const isPostgresUrl = (url: string) => /^postgres(ql)?:\/\//i.test(url);

export interface MigrationFile {
  name: string;
  sql: string;
  checksum: string;
}

export function readMigrations(dir = PG_MIGRATIONS_DIR): MigrationFile[] {
  return readdirSync(dir)
    .filter((d) => statSync(path.join(dir, d)).isDirectory())
    .sort()
    .map((name) => {
      const sql = readFileSync(path.join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    });
}

/** Creates the database named in `url` when it does not exist yet (as `prisma migrate deploy` creates a SQLite file). */
export async function ensureDatabase(url: string): Promise<boolean> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  if (!name) throw new Error("DATABASE_URL names no database (postgresql://user@host:port/NAME).");
  const admin = new URL(url);
  admin.pathname = "/postgres";
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const found = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
    if (found.rowCount) return false;
    await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
    return true;
  } catch (err) {
    if ((err as { code?: string }).code === "42P04") return false; // created meanwhile by another instance
    throw err;
  } finally {
    await client.end();
  }
}

export async function migratePostgres(url: string, opts: { dir?: string; log?: (line: string) => void } = {}): Promise<string[]> {
  const log = opts.log ?? (() => {});
  const files = readMigrations(opts.dir);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const applied: string[] = [];
  try {
    await client.query("SELECT pg_advisory_lock($1)", [LOCK_KEY]);
    await client.query(`CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
      "id" VARCHAR(36) PRIMARY KEY NOT NULL,
      "checksum" VARCHAR(64) NOT NULL,
      "finished_at" TIMESTAMPTZ,
      "migration_name" VARCHAR(255) NOT NULL,
      "logs" TEXT,
      "rolled_back_at" TIMESTAMPTZ,
      "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
      "applied_steps_count" INTEGER NOT NULL DEFAULT 0)`);
    const { rows } = await client.query<{ migration_name: string; checksum: string; finished_at: Date | null; rolled_back_at: Date | null }>(
      `SELECT "migration_name", "checksum", "finished_at", "rolled_back_at" FROM "_prisma_migrations" ORDER BY "started_at"`,
    );
    const done = new Map<string, string>();
    for (const r of rows) {
      if (r.rolled_back_at) continue;
      if (!r.finished_at) throw new Error(`Migration ${r.migration_name} is recorded as started but not finished in _prisma_migrations: repair the database by hand, then delete that row.`);
      done.set(r.migration_name, r.checksum);
    }
    for (const name of done.keys()) {
      if (!files.some((f) => f.name === name)) log(`warning: ${name} is applied to the database but not among the migration files`);
    }
    for (const f of files) {
      const recorded = done.get(f.name);
      if (recorded) {
        if (recorded !== f.checksum) throw new Error(`Migration ${f.name} was changed after it was applied (checksum differs): add a new migration instead of editing it.`);
        continue;
      }
      try {
        await inPgTransaction(client, async () => {
          await client.query(f.sql);
          await client.query(
            `INSERT INTO "_prisma_migrations" ("id", "checksum", "migration_name", "started_at", "finished_at", "applied_steps_count") VALUES ($1, $2, $3, now(), clock_timestamp(), 1)`,
            [randomUUID(), f.checksum, f.name],
          );
        });
      } catch (err) {
        throw new Error(`Migration ${f.name} failed and was rolled back: ${(err as Error).message}`);
      }
      applied.push(f.name);
      log(`applied ${f.name}`);
    }
    return applied;
  } finally {
    await client.end(); // ends the session, releasing the advisory lock
  }
}
