import type { SqlReads, SqlValue } from "../../server/db-reads.js";

/** `reads` (the app's prepared reads), keeping the SQL of every `all` statement in `statements`. */
export function recordingReads(reads: SqlReads): { reads: SqlReads; statements: string[] } {
  const statements: string[] = [];
  return {
    statements,
    reads: {
      one: (sql: string, ...p: SqlValue[]) => reads.one(sql, ...p),
      all: (sql: string, ...p: SqlValue[]) => (statements.push(sql), reads.all(sql, ...p)),
      close: () => undefined,
    },
  };
}
