/**
 * The PostgreSQL migration runner (server/infra/migrate-postgres.ts) against the local
 * PostgreSQL server (ATRIUM_TEST_PG_URL): each test makes its own database and drops it.
 */
import { cpSync, mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { afterEach, describe, expect, test } from "vitest";
import { ensureDatabase, migratePostgres, PG_MIGRATIONS_DIR } from "../../../server/infra/migrate-postgres.js";
import { pgReachable, pgAdmin, pgScratchName, pgUrlFor, TMP_DIR } from "../../helpers/db.js";

const reachable = pgReachable();

const cleanup: (() => void)[] = [];
afterEach(() => {
  for (const f of cleanup.splice(0)) f();
});

function scratch() {
  const name = pgScratchName("mig_");
  cleanup.push(() => void pgAdmin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
  return pgUrlFor(name);
}

/** A migrations folder: the real ones plus `extra` later migrations. */
function migrationsDir(extra: Record<string, string>) {
  const dir = path.join(TMP_DIR, `pg-migrations-${process.pid}-${Math.random().toString(16).slice(2, 8)}`);
  mkdirSync(dir, { recursive: true });
  cpSync(PG_MIGRATIONS_DIR, dir, { recursive: true });
  for (const [name, sql] of Object.entries(extra)) {
    mkdirSync(path.join(dir, name));
    writeFileSync(path.join(dir, name, "migration.sql"), sql);
  }
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query<T>(sql)).rows;
  } finally {
    await c.end();
  }
}

const recorded = (url: string) =>
  query<{ migration_name: string }>(url, `SELECT "migration_name" FROM "_prisma_migrations" WHERE "finished_at" IS NOT NULL ORDER BY "migration_name"`).then((r) => r.map((x) => x.migration_name));

describe.skipIf(!reachable)("PostgreSQL migrations", () => {
  test("a new database is created and migrated; migrating again applies nothing and changes nothing", async () => {
    const url = scratch();
    expect(await ensureDatabase(url)).toBe(true);
    expect(await ensureDatabase(url)).toBe(false);
    const names = readdirSync(PG_MIGRATIONS_DIR).filter((d) => !d.endsWith(".toml"));
    expect(await migratePostgres(url)).toEqual(names);
    expect(await recorded(url)).toEqual(names);
    const before = await query(url, `SELECT "id", "checksum", "finished_at" FROM "_prisma_migrations" ORDER BY "id"`);
    expect(await migratePostgres(url)).toEqual([]);
    expect(await query(url, `SELECT "id", "checksum", "finished_at" FROM "_prisma_migrations" ORDER BY "id"`)).toEqual(before);
    // The hand-written triggers came with the baseline: the audit log refuses changes.
    await query(url, `INSERT INTO "AuditEvent" ("id", "action", "summary") VALUES ('a1', 'user.created', 'recorded')`);
    await expect(query(url, `UPDATE "AuditEvent" SET "summary" = 'rewritten'`)).rejects.toThrow(/append-only/);
    await expect(query(url, `DELETE FROM "AuditEvent"`)).rejects.toThrow(/append-only/);
    expect(await query(url, `SELECT "summary" FROM "AuditEvent"`)).toEqual([{ summary: "recorded" }]);
  });

  test("a run stopped part-way resumes at the first migration not recorded; a failing one is rolled back whole", async () => {
    const url = scratch();
    await ensureDatabase(url);
    const second = `CREATE TABLE "Extra" ("id" TEXT PRIMARY KEY);`;
    const third = `CREATE TABLE "Extra2" ("id" TEXT PRIMARY KEY); INSERT INTO "Extra2" VALUES ('x'); SELECT 1/0;`;
    const base = readdirSync(PG_MIGRATIONS_DIR).filter((d) => !d.endsWith(".toml"));
    // Stopped after the baseline + the second; the third fails (division by zero) and leaves no trace.
    const dir = migrationsDir({ "29990101000000_extra": second, "29990102000000_broken": third });
    await expect(migratePostgres(url, { dir })).rejects.toThrow(/29990102000000_broken failed and was rolled back/);
    expect(await recorded(url)).toEqual([...base, "29990101000000_extra"]);
    expect(await query(url, `SELECT to_regclass('"Extra2"') AS t`)).toEqual([{ t: null }]);
    // Fixed: the run resumes with the third only.
    const fixed = migrationsDir({ "29990101000000_extra": second, "29990102000000_broken": `CREATE TABLE "Extra2" ("id" TEXT PRIMARY KEY);` });
    expect(await migratePostgres(url, { dir: fixed })).toEqual(["29990102000000_broken"]);
    expect(await recorded(url)).toEqual([...base, "29990101000000_extra", "29990102000000_broken"]);
  });

  test("an applied migration whose file changed stops the run before anything is applied", async () => {
    const url = scratch();
    await ensureDatabase(url);
    await migratePostgres(url, { dir: migrationsDir({ "29990101000000_extra": `CREATE TABLE "Extra" ("id" TEXT PRIMARY KEY);` }) });
    const edited = migrationsDir({ "29990101000000_extra": `CREATE TABLE "Extra" ("id" TEXT PRIMARY KEY, "x" INT);`, "29990102000000_next": `CREATE TABLE "Next" ("id" TEXT);` });
    await expect(migratePostgres(url, { dir: edited })).rejects.toThrow(/29990101000000_extra was changed after it was applied/);
    expect(await query(url, `SELECT to_regclass('"Next"') AS t`)).toEqual([{ t: null }]);
  });

  test("instances starting together: concurrent runs apply each migration once", async () => {
    const url = scratch();
    await ensureDatabase(url);
    const runs = await Promise.all([migratePostgres(url), migratePostgres(url), migratePostgres(url)]);
    expect(runs.flat().sort()).toEqual(readdirSync(PG_MIGRATIONS_DIR).filter((d) => !d.endsWith(".toml")));
    expect((await recorded(url)).length).toBe(runs.flat().length);
  });
});
