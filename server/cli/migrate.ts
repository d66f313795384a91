/**
 * `npm run db:migrate`: brings the database named by DATABASE_URL up to date.
 * SQLite (file:…, the default): `prisma migrate deploy` with prisma/migrations.
 * PostgreSQL (postgresql://…): creates the database if missing and applies
 * prisma/postgresql/migrations with the runner in server/infra/migrate-postgres.ts (decision 121).
 */
import { spawnSync } from "node:child_process";
import { ensureDatabase, isPostgresUrl, migratePostgres } from "../infra/migrate-postgres.js";

const url = process.env.DATABASE_URL ?? "file:./data/atrium.db";
if (isPostgresUrl(url)) {
  try {
    if (await ensureDatabase(url)) console.log(`Created database ${new URL(url).pathname.slice(1)}.`);
    const applied = await migratePostgres(url, { log: (l) => console.log(l) });
    console.log(applied.length ? `${applied.length} migration(s) applied.` : "The database is up to date: no migration to apply.");
  } catch (err) {
    console.error(`Migrating ${new URL(url).host}${new URL(url).pathname} failed: ${(err as Error).message}`);
    process.exit(1);
  }
} else {
  const r = spawnSync("npx", ["prisma", "migrate", "deploy"], { stdio: "inherit", env: { ...process.env, DATABASE_URL: url } });
  process.exit(r.status ?? 1);
}
