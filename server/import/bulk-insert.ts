/**
 * Bulk inserts for imports, one transaction per batch, on a connection of the import's own —
 * several times faster than Prisma's createMany, whose per-row work (its query compiler takes
 * most of a PostgreSQL import's CPU) dominates a large import. On SQLite (the default database)
 * through better-sqlite3 with a prepared statement per table, values as Prisma stores them there:
 * dates as ISO text with "+00:00", booleans as 0/1. On PostgreSQL through the pg driver with
 * multi-row INSERTs, dates as their UTC time (Prisma's TIMESTAMP(3) columns hold UTC).
 */
import { randomUUID } from "node:crypto";
import Database from "better-sqlite3";
import type { Db } from "../db.js";
import { pooledPgTransaction } from "../infra/pg-transaction.js";

export type BulkRow = Record<string, string | number | boolean | Date | null>;
export interface BulkBatch {
  /** Prisma model name (also the table name) and its rows; written in this order. */
  table: "User" | "ImportedIdentity" | "Question" | "QuestionTag" | "PostRevision" | "Answer" | "QaComment";
  rows: BulkRow[];
}

/** Tables whose rows carry an import source and the dump's id for them. */
export type ImportedTable = "ImportedIdentity" | "Question" | "Answer" | "QaComment";
export const IMPORT_KEYS: Record<ImportedTable, { source: string; id: string }> = {
  ImportedIdentity: { source: "source", id: "externalId" },
  Question: { source: "importSource", id: "importId" },
  Answer: { source: "importSource", id: "importId" },
  QaComment: { source: "importSource", id: "importId" },
};

export interface BulkWriter {
  write(batches: BulkBatch[]): Promise<void>;
  /**
   * The rows of `table` imported from `source` under any of `ids` (only `columns`), read on the
   * writer's own connection. Absent when the writer has no connection of its own (Prisma).
   */
  find?(table: ImportedTable, source: string, ids: readonly string[], columns: readonly string[]): Promise<Record<string, string | null>[]>;
  /**
   * Tag names → skill ids as resolveSkills maps them (a synonym to its skill, an unknown name
   * added to the vocabulary with `label(name)`), in a few statements for the whole list.
   */
  resolveTags?(names: readonly string[], label: (name: string) => string): Promise<{ ids: Map<string, string>; created: number }>;
  /**
   * Runs `sql` once per parameter list, all in one transaction, on the writer's own connection;
   * returns the rows changed. Absent when the writer has no connection of its own (Prisma).
   */
  runEach?(sql: string, params: readonly (readonly BulkRow[string][])[]): Promise<number>;
  close(): void | Promise<void>;
}

const sqliteValue = (v: BulkRow[string]) => (v instanceof Date ? v.toISOString().replace("Z", "+00:00") : typeof v === "boolean" ? (v ? 1 : 0) : v);

export function sqliteBulkWriter(file: string): BulkWriter {
  const raw = new Database(file);
  raw.pragma("busy_timeout = 5000");
  raw.pragma("foreign_keys = ON");
  // An insert that may fail after it wrote (foreign keys, the dashboard-fact triggers) keeps a
  // statement journal of the pages it touches, so that it can be undone alone: in a temporary file
  // that is a write call per page per row, in memory a copy. Only this connection's scratch moves.
  raw.pragma("temp_store = MEMORY");
  const statements = new Map<string, Database.Statement>();
  const statement = (table: string, cols: string[]) => {
    const key = `${table}(${cols.join(",")})`;
    let s = statements.get(key);
    if (!s) statements.set(key, (s = raw.prepare(`INSERT INTO "${table}" (${cols.map((c) => `"${c}"`).join(", ")}) VALUES (${cols.map(() => "?").join(", ")})`)));
    return s;
  };
  const run = raw.transaction((batches: BulkBatch[]) => {
    for (const b of batches) {
      // The rows of one batch share their columns: one statement for all of them.
      const cols = Object.keys(b.rows[0]!);
      const stmt = statement(b.table, cols);
      const values = new Array(cols.length);
      for (const row of b.rows) {
        for (let i = 0; i < cols.length; i++) values[i] = sqliteValue(row[cols[i]!]!);
        stmt.run(values);
      }
    }
  });
  const finders = new Map<string, Database.Statement>();
  return {
    async write(batches) {
      run(batches.filter((b) => b.rows.length));
    },
    // The ids travel as one JSON array parameter (json_each), so no list is too long for SQLite.
    async find(table, source, ids, columns) {
      if (!ids.length) return [];
      const k = IMPORT_KEYS[table];
      const key = `${table}(${columns.join(",")})`;
      let stmt = finders.get(key);
      if (!stmt) {
        stmt = raw.prepare(`SELECT ${columns.map((c) => `"${c}"`).join(", ")} FROM "${table}" WHERE "${k.source}" = ? AND "${k.id}" IN (SELECT value FROM json_each(?))`);
        finders.set(key, stmt);
      }
      return stmt.all(source, JSON.stringify(ids)) as Record<string, string | null>[];
    },
    async resolveTags(names, label) {
      const wanted = JSON.stringify([...new Set(names.map((n) => n.trim().toLowerCase()))]);
      const synonyms = raw.prepare(`SELECT "name", "skillId" AS "id" FROM "SkillSynonym" WHERE "name" IN (SELECT value FROM json_each(?))`);
      const skills = raw.prepare(`SELECT "name", "id" FROM "Skill" WHERE "name" IN (SELECT value FROM json_each(?))`);
      const add = raw.prepare(`INSERT INTO "Skill" ("id", "name", "label") VALUES (?, ?, ?) ON CONFLICT("name") DO NOTHING`);
      return raw.transaction(() => {
        const ids = new Map<string, string>();
        for (const r of synonyms.all(wanted) as { name: string; id: string }[]) ids.set(r.name, r.id);
        for (const r of skills.all(wanted) as { name: string; id: string }[]) if (!ids.has(r.name)) ids.set(r.name, r.id);
        let created = 0;
        for (const name of JSON.parse(wanted) as string[]) {
          if (ids.has(name)) continue;
          const id = `c${randomUUID().replace(/-/g, "")}`;
          created += add.run(id, name, label(name)).changes;
          ids.set(name, id);
        }
        return { ids, created };
      })();
    },
    async runEach(sql, params) {
      const stmt = raw.prepare(sql);
      return raw.transaction(() => {
        let changes = 0;
        for (const p of params) changes += stmt.run(p.map(sqliteValue)).changes;
        return changes;
      })();
    },
    close: () => {
      raw.close();
    },
  };
}

/**
 * How long an import transaction through Prisma may run (Prisma's default is 5 s, from its start
 * to its commit, which a loaded machine can exceed) and wait for a connection.
 */
export const IMPORT_TRANSACTION = { timeout: 120_000, maxWait: 30_000 };

/** Runs `work` in one transaction of `db` with the import's time limits. */
export function importTransaction<T>(db: Db, work: (tx: Db) => Promise<T>): Promise<T> {
  return db.$transaction((tx) => work(tx as Db), IMPORT_TRANSACTION);
}

/** PostgreSQL's limit of bound parameters in one statement. */
const PG_MAX_PARAMS = 65_535;
const pgValue = (v: BulkRow[string]) => (v instanceof Date ? v.toISOString() : v);

export function pgBulkWriter(url: string): BulkWriter {
  let pool: Promise<import("pg").Pool> | null = null;
  const connect = () =>
    (pool ??= import("pg").then(({ default: pg }) => {
      const p = new pg.Pool({ connectionString: url, max: 1 });
      // An idle connection dropped by the server must not crash the process; the next write reconnects.
      p.on("error", () => {});
      return p;
    }));
  return {
    async write(batches) {
      const list = batches.filter((b) => b.rows.length);
      if (!list.length) return;
      await pooledPgTransaction(await connect(), async (client) => {
        for (const b of list) {
          // The rows of one batch share their columns: as many rows per statement as the parameters allow.
          const cols = Object.keys(b.rows[0]!);
          const head = `INSERT INTO "${b.table}" (${cols.map((c) => `"${c}"`).join(", ")}) VALUES `;
          const perStatement = Math.floor(PG_MAX_PARAMS / cols.length);
          for (let from = 0; from < b.rows.length; from += perStatement) {
            const values: unknown[] = [];
            const tuples: string[] = [];
            for (const row of b.rows.slice(from, from + perStatement)) {
              const at = values.length;
              for (const c of cols) values.push(pgValue(row[c]!));
              tuples.push(`(${cols.map((_, i) => `$${at + i + 1}`).join(", ")})`);
            }
            await client.query(head + tuples.join(", "), values);
          }
        }
      });
    },
    close: async () => {
      if (pool) await (await pool).end();
    },
  };
}

/** The writer for the database at `databaseUrl` (an SQLite file or PostgreSQL). */
export function bulkWriterFor(databaseUrl: string): BulkWriter {
  return databaseUrl.startsWith("file:") ? sqliteBulkWriter(databaseUrl.slice("file:".length).split("?")[0]!) : pgBulkWriter(databaseUrl);
}
