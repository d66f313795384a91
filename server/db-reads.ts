/**
 * Prepared SQL for the few reads every page makes (who is signed in, unread notifications).
 * Through Prisma each costs about a millisecond of CPU (query compiler, client, adapter); a
 * prepared statement on the same SQLite file costs tens of microseconds. Prisma keeps the model,
 * the migrations and every write; this is a read-only connection, so it sees exactly what has been
 * committed (WAL), as a second Prisma connection would. Decision 101.
 *
 * The SQL is kept portable to PostgreSQL: quoted identifiers, `?` placeholders (numbered by a
 * PostgreSQL port), booleans and dates converted here rather than in SQL.
 */
import Database from "better-sqlite3";

export type SqlValue = string | number | bigint | null;

export class SqlReads {
  private readonly db: Database.Database;
  private readonly statements = new Map<string, Database.Statement>();

  constructor(file: string) {
    this.db = new Database(file, { readonly: true, fileMustExist: true });
    this.db.pragma("busy_timeout = 5000");
  }

  private prepare(sql: string): Database.Statement {
    let s = this.statements.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      this.statements.set(sql, s);
    }
    return s;
  }

  one<T>(sql: string, ...params: SqlValue[]): T | undefined {
    return this.prepare(sql).get(...params) as T | undefined;
  }

  all<T>(sql: string, ...params: SqlValue[]): T[] {
    return this.prepare(sql).all(...params) as T[];
  }

  close() {
    this.statements.clear();
    if (this.db.open) this.db.close();
  }
}

/** Prisma stores SQLite dates as ISO text (integers from older raw inserts are read too). */
export const sqlDate = (v: unknown): Date => new Date(typeof v === "bigint" ? Number(v) : (v as string | number));
/** SQLite returns 1/0 for booleans, PostgreSQL true/false. */
export const sqlBool = (v: unknown): boolean => v === true || v === 1 || v === 1n || v === "1" || v === "true";
