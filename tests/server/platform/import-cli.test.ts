/** `npm run import:people -- file.csv` as a real process against a real database file. */
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeAll, beforeEach, expect, test } from "vitest";
import { peopleCsv } from "../../../bench/platform-csv-data.js";
import { freshDatabase, TMP_DIR, TEST_DB } from "../../helpers/db.js";

let db: ReturnType<typeof freshDatabase>;
const good = path.join(TMP_DIR, `cli-good-${process.pid}.csv`);
const bad = path.join(TMP_DIR, `cli-bad-${process.pid}.csv`);

const run = (...args: string[]) =>
  spawnSync(process.execPath, ["--import", "tsx", "server/cli/import-people.ts", ...args], {
    env: { ...process.env, DATABASE_URL: db.url, NODE_ENV: "test" },
    encoding: "utf8",
    timeout: 240_000,
  });

beforeAll(() => {
  mkdirSync(TMP_DIR, { recursive: true });
  writeFileSync(good, peopleCsv(300));
  writeFileSync(bad, "email,name,time_zone\nok@corp.test,Ok,UTC\nbroken,Broken,UTC\nz@corp.test,Zone,Nowhere/City\n");
});
// A database of its own for each test, holding only the admin the command imports as.
beforeEach(() => {
  db = freshDatabase();
  const sql = new Database(db.file);
  sql.prepare(`INSERT INTO "User" ("id","email","name","role","createdAt","updatedAt") VALUES ('admin-cli','cli-admin@corp.test','Cli Admin','admin',?,?)`).run(new Date().toISOString(), new Date().toISOString());
  sql.close();
});
afterEach(() => db?.dispose());

test.skipIf(TEST_DB === "postgresql")("imports a file, prints the progress and a summary; the second run changes nothing (SQLite only: the test prepares and reads the database file with better-sqlite3)", () => {
  const first = run(good);
  expect(first.stderr).toContain("as cli-admin@corp.test");
  expect(first.stderr).toMatch(/writing\s+\[#+\] 100% 300\/300/);
  expect(first.stdout).toMatch(/✓ Imported in [\d.]+ s: 300 created, 0 updated, 0 unchanged, 0 deactivated\./);
  expect(first.status).toBe(0);
  const second = run(good);
  expect(second.stdout).toMatch(/0 created, 0 updated, 300 unchanged/);
  const sql = new Database(db.file, { readonly: true });
  expect(sql.prepare(`SELECT count(*) n FROM "User"`).get()).toEqual({ n: 301 });
  expect(sql.prepare(`SELECT "ip", "userAgent" FROM "AuditEvent" WHERE "action" = 'directory.imported' LIMIT 1`).get()).toMatchObject({ ip: "cli", userAgent: expect.stringContaining("import:people") });
  sql.close();
}, 300_000);

test.skipIf(TEST_DB === "postgresql")("a file with errors: each bad line reported, exit code 1, nothing written; --dry-run writes nothing either (SQLite only: the test prepares and reads the database file with better-sqlite3)", () => {
  const res = run(bad);
  expect(res.status).toBe(1);
  expect(res.stdout).toContain("line 3 (broken): “broken” is not a valid email address.");
  expect(res.stdout).toContain("line 4 (z@corp.test): Unknown time zone “Nowhere/City”");
  expect(res.stdout).toContain("Nothing was imported.");
  const dry = run("--dry-run", "--deactivate-missing", good);
  expect(dry.status).toBe(0);
  expect(dry.stdout).toMatch(/300 rows: 300 to create, 0 to update, 0 unchanged, 0 skipped \(deactivated\), 0 to deactivate/);
  const sql = new Database(db.file, { readonly: true });
  expect(sql.prepare(`SELECT count(*) n FROM "User" WHERE "email" = 'ok@corp.test'`).get()).toEqual({ n: 0 });
  expect(sql.prepare(`SELECT count(*) n FROM "User"`).get()).toEqual({ n: 1 });
  sql.close();
}, 300_000);
