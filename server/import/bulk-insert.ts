/**
 * Bulk inserts for imports. On SQLite (the default database), rows are written through one
 * better-sqlite3 connection with a prepared statement per table and one transaction per batch —
 * several times faster than Prisma's createMany, whose per-row work dominates a large import. On
 * any other database (PostgreSQL), Prisma's createMany is used, in one transaction per batch.
 * Values are written as Prisma stores them: dates as ISO text with "+00:00", booleans as 0/1.
 */
import Database from "better-sqlite3";
import type { Db } from "../db.js";

export type BulkRow = Record<string, string | number | boolean | Date | null>;
export interface BulkBatch {
  /** Prisma model name (also the table name) and its rows; written in this order. */
  table: "User" | "ImportedIdentity" | "Question" | "QuestionTag" | "PostRevision" | "Answer" | "QaComment";
  rows: BulkRow[];
}

export interface BulkWriter {
  write(batches: BulkBatch[]): Promise<void>;
  close(): void;
}

const sqliteValue = (v: BulkRow[string]) => (v instanceof Date ? v.toISOString().replace("Z", "+00:00") : typeof v === "boolean" ? (v ? 1 : 0) : v);

export function sqliteBulkWriter(file: string): BulkWriter {
  const raw = new Database(file);
  raw.pragma("busy_timeout = 5000");
  raw.pragma("foreign_keys = ON");
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
  return {
    async write(batches) {
      run(batches.filter((b) => b.rows.length));
    },
    close: () => raw.close(),
  };
}

const delegate = (db: Db, table: BulkBatch["table"]) => {
  const name = (table[0]!.toLowerCase() + table.slice(1)) as "user";
  return db[name] as unknown as { createMany(args: { data: BulkRow[] }): Promise<unknown> };
};

export function prismaBulkWriter(db: Db): BulkWriter {
  return {
    async write(batches) {
      const ops = batches.filter((b) => b.rows.length).map((b) => delegate(db, b.table).createMany({ data: b.rows }));
      if (ops.length) await db.$transaction(ops as never);
    },
    close: () => {},
  };
}

/** The fast writer when the database is an SQLite file, Prisma's createMany otherwise. */
export function bulkWriterFor(db: Db, databaseUrl: string | undefined): BulkWriter {
  return databaseUrl?.startsWith("file:") ? sqliteBulkWriter(databaseUrl.slice("file:".length).split("?")[0]!) : prismaBulkWriter(db);
}
