/**
 * The committed migrations and prisma/schema.prisma must describe the same database. Branches
 * author migrations in parallel (decision 005); a migration that rebuilds a table can silently drop
 * an index or column another one added, and this is where that shows. (`prisma migrate diff
 * --from-migrations` needs a shadow database the adapter-based JS engine cannot provide, so the test
 * compares the two databases' structure itself.)
 */
import { execFileSync } from "node:child_process";
import path from "node:path";
import Database from "better-sqlite3";
import { expect, test } from "vitest";
import { freshDatabase, TEST_DB } from "../helpers/db.js";

const ROOT = path.resolve(import.meta.dirname, "../..");

/** Tables with their columns, indexes and foreign keys, in a stable order. */
function structure(file: string) {
  const db = new Database(file, { readonly: true });
  const tables = db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_prisma%' ORDER BY name")
    .pluck()
    .all() as string[];
  const out = Object.fromEntries(
    tables.map((t) => {
      const q = (sql: string) => db.prepare(sql).all();
      const columns = (q(`PRAGMA table_info("${t}")`) as { name: string; type: string; notnull: number; dflt_value: unknown; pk: number }[])
        .map((c) => `${c.name} ${c.type}${c.notnull ? " NOT NULL" : ""}${c.pk ? " PK" : ""}${c.dflt_value === null ? "" : ` DEFAULT ${c.dflt_value}`}`)
        .sort();
      const indexes = (q(`PRAGMA index_list("${t}")`) as { name: string; unique: number; origin: string }[])
        .filter((i) => i.origin === "c")
        .map((i) => `${i.unique ? "UNIQUE " : ""}${i.name}(${(q(`PRAGMA index_info("${i.name}")`) as { name: string }[]).map((c) => c.name).join(",")})`)
        .sort();
      const foreignKeys = (q(`PRAGMA foreign_key_list("${t}")`) as { from: string; table: string; to: string; on_delete: string }[])
        .map((f) => `${f.from} → ${f.table}.${f.to} ON DELETE ${f.on_delete}`)
        .sort();
      return [t, { columns, indexes, foreignKeys }];
    }),
  );
  db.close();
  return out;
}

test.skipIf(TEST_DB === "postgresql")("applying every migration yields exactly the schema in prisma/schema.prisma (SQLite only: prisma/migrations is the SQLite history; tests/server/postgres checks the PostgreSQL one)", () => {
  const migrated = freshDatabase();
  const fromSchema = freshDatabase.empty();
  try {
    const sql = execFileSync(
      path.join(ROOT, "node_modules/.bin/prisma"),
      ["migrate", "diff", "--from-empty", "--to-schema-datamodel", "prisma/schema.prisma", "--script"],
      { cwd: ROOT, encoding: "utf8", env: { ...process.env, DATABASE_URL: fromSchema.url }, stdio: ["ignore", "pipe", "ignore"] },
    );
    const db = new Database(fromSchema.file);
    db.exec(sql);
    db.close();
    expect(structure(migrated.file)).toEqual(structure(fromSchema.file));
  } finally {
    migrated.dispose();
    fromSchema.dispose();
  }
}, 300_000);
