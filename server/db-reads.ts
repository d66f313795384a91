/**
 * Prepared SQL for the few reads every page makes (who is signed in, unread notifications).
 * Through Prisma each costs about a millisecond of CPU (query compiler, client, adapter); a
 * prepared statement on the same SQLite file costs tens of microseconds. Prisma keeps the model,
 * the migrations and every write; this is a read-only connection, so it sees exactly what has been
 * committed (WAL), as a second Prisma connection would. Decision 101.
 *
 * The SQL is portable: quoted identifiers, `?` placeholders (numbered `$1…` for PostgreSQL),
 * booleans and dates converted by the callers (sqlBool, sqlDate) rather than in SQL. On SQLite a
 * read returns its rows at once; on PostgreSQL (PgReads in server/db-reads-pg.ts, imported only
 * then: named prepared statements over a small pool of its own) it returns a promise, so callers always `await` what they get.
 */
import Database from "better-sqlite3";

export type SqlValue = string | number | bigint | null;

/** What a domain verb sees: rows now (SQLite) or a promise of them (PostgreSQL). */
export interface SqlReads {
  one<T>(sql: string, ...params: SqlValue[]): T | undefined | Promise<T | undefined>;
  all<T>(sql: string, ...params: SqlValue[]): T[] | Promise<T[]>;
  close(): void | Promise<void>;
}

export async function createReads(url: string): Promise<SqlReads> {
  if (/^postgres(ql)?:\/\//i.test(url)) return new (await import("./db-reads-pg.js")).PgReads(url);
  return new SqliteReads(url.replace(/^file:/, "").replace(/\?.*$/, ""));
}

export class SqliteReads implements SqlReads {
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

/** `?` placeholders → PostgreSQL's `$1, $2…` (the read SQL never has a `?` inside a string literal). */
export const numberPlaceholders = (sql: string) => {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
};

/**
 * PostgreSQL's named prepared statements for a connection pool: each SQL text gets one name (with
 * its `?` numbered as `$1…`), so every connection prepares it once and reuses it.
 */
export function namedStatements(prefix: string) {
  const names = new Map<string, { name: string; text: string }>();
  return (sql: string) => {
    let s = names.get(sql);
    if (!s) {
      s = { name: `${prefix}_${names.size + 1}`, text: numberPlaceholders(sql) };
      names.set(sql, s);
    }
    return s;
  };
}

/**
 * Lists in prepared SQL: an id list becomes fixed-size `IN (?, …)` groups padded with NULL (which
 * matches nothing), so one statement serves every list on both databases.
 */
export const IN_GROUP = 50;
export const inGroup = `(${Array.from({ length: IN_GROUP }, () => "?").join(", ")})`;
export function groupsOf(ids: readonly string[]): (string | null)[][] {
  const out: (string | null)[][] = [];
  for (let i = 0; i < ids.length; i += IN_GROUP) {
    const g: (string | null)[] = ids.slice(i, i + IN_GROUP);
    while (g.length < IN_GROUP) g.push(null);
    out.push(g);
  }
  return out;
}

/**
 * Rows of a to-many relation for a list of owners (`sql` selects the owner's id as "of" and takes
 * one `inGroup`), grouped by owner, in the statement's order.
 */
export async function allByOwner<T extends { of: string }>(reads: SqlReads, sql: string, ids: readonly string[]): Promise<Map<string, T[]>> {
  const out = new Map<string, T[]>();
  for (const group of groupsOf([...new Set(ids)])) {
    for (const r of await reads.all<T>(sql, ...group)) {
      let list = out.get(r.of);
      if (!list) out.set(r.of, (list = []));
      list.push(r);
    }
  }
  return out;
}

/** A date as Prisma's SQLite adapter writes it (ISO, "+00:00"); PostgreSQL reads the same text as a UTC timestamp. */
export const sqlDateParam = (d: Date): string => d.toISOString().replace("Z", "+00:00");

/** Prisma stores SQLite dates as ISO text (integers from older raw inserts are read too). */
export const sqlDate = (v: unknown): Date => new Date(typeof v === "bigint" ? Number(v) : (v as string | number));
/** SQLite returns 1/0 for booleans, PostgreSQL true/false. */
export const sqlBool = (v: unknown): boolean => v === true || v === 1 || v === 1n || v === "1" || v === "true";
