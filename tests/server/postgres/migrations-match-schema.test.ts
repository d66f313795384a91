/**
 * prisma/postgresql/migrations and the model must describe the same PostgreSQL database: the
 * committed migrations, applied in order, give the tables, columns and indexes that
 * `prisma migrate diff --from-empty` writes for prisma/postgresql/schema.prisma today.
 * (The SQLite side is tests/server/migrations.test.ts.)
 */
import { execFileSync } from "node:child_process";
import path from "node:path";
import pg from "pg";
import { afterAll, describe, expect, test } from "vitest";
import { ensureDatabase, migratePostgres } from "../../../server/infra/migrate-postgres.js";
import { pgReachable, pgAdmin, pgScratchName, pgUrlFor } from "../../helpers/db.js";

const ROOT = path.resolve(import.meta.dirname, "../../..");
const reachable = pgReachable();

const names: string[] = [];
afterAll(() => {
  for (const n of names) pgAdmin(`DROP DATABASE IF EXISTS "${n}" WITH (FORCE)`);
});

async function shape(url: string) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const cols = await c.query(
      `SELECT table_name, column_name, data_type, is_nullable, column_default FROM information_schema.columns
        WHERE table_schema = 'public' AND table_name <> '_prisma_migrations' ORDER BY table_name, column_name`,
    );
    const idx = await c.query(`SELECT tablename, indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename <> '_prisma_migrations' ORDER BY tablename, indexname`);
    const fks = await c.query(
      `SELECT conrelid::regclass::text AS t, pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE contype = 'f' AND connamespace = 'public'::regnamespace ORDER BY 1, 2`,
    );
    return { columns: cols.rows, indexes: idx.rows, foreignKeys: fks.rows };
  } finally {
    await c.end();
  }
}

describe.skipIf(!reachable)("PostgreSQL migrations and the model", () => {
  test("applying every PostgreSQL migration yields exactly the schema in prisma/postgresql/schema.prisma", async () => {
    const migrated = pgScratchName("migrated_");
    const fromModel = pgScratchName("model_");
    names.push(migrated, fromModel);
    await ensureDatabase(pgUrlFor(migrated));
    await migratePostgres(pgUrlFor(migrated));
    await ensureDatabase(pgUrlFor(fromModel));
    const sql = execFileSync(
      path.join(ROOT, "node_modules/.bin/prisma"),
      ["migrate", "diff", "--config", "prisma/postgresql/prisma.config.ts", "--from-empty", "--to-schema-datamodel", "prisma/postgresql/schema.prisma", "--script"],
      { cwd: ROOT, encoding: "utf8", env: { ...process.env, DATABASE_URL: pgUrlFor(fromModel) }, stdio: ["ignore", "pipe", "pipe"] },
    );
    const c = new pg.Client({ connectionString: pgUrlFor(fromModel) });
    await c.connect();
    await c.query(sql);
    await c.end();
    expect(await shape(pgUrlFor(migrated))).toEqual(await shape(pgUrlFor(fromModel)));
  }, 120_000);
});
