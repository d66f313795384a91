/**
 * Prepared SQL for the few writes every ingested insight makes (the insight with its tags, routes
 * and events; the folded notification; the feed row). Through Prisma each write costs about a
 * millisecond of CPU (query compiler, client, adapter), most of an insight's cost; a batch of
 * prepared statements costs tens of microseconds. Prisma keeps the model, the migrations and every
 * other write. Decision 330.
 *
 * On SQLite the statements run on Prisma's own connection, inside the adapter's transaction (its
 * lock), so they never race a Prisma transaction on another connection: the adapter's
 * startTransaction waits for any open Prisma transaction, then the batches run synchronously and
 * commit in the same turn, those of concurrent requests together (group commit). On PostgreSQL (PgWrites in server/db-writes-pg.ts, imported only then)
 * the batch runs in one transaction on a small pool of its own.
 *
 * The SQL is portable as in server/db-reads.ts: quoted identifiers, `?` placeholders, dates as
 * sqlDateParam, booleans as the callers convert them.
 */
import type Database from "better-sqlite3";
import type { SqlValue } from "./db-reads.js";
import { randomFillSync } from "node:crypto";

export interface SqlStatement {
  sql: string;
  params: SqlValue[];
}

export interface SqlWrites {
  /** Runs the statements in order in one transaction, all or none; resolves with each one's changed-row count. */
  transaction(statements: SqlStatement[]): Promise<number[]>;
  close(): void | Promise<void>;
}

/**
 * A unique constraint refused a row. Carries Prisma's code for the same refusal (P2002), so callers
 * that tell a repeat from a failure ask one question whichever path wrote.
 */
export class UniqueViolation extends Error {
  readonly code = "P2002";
  constructor(cause: unknown) {
    super(`Unique constraint failed: ${(cause as Error)?.message ?? cause}`);
  }
}

/** What the SQLite adapter's transaction gives back: its commit and rollback only release its lock. */
interface AdapterTransaction {
  commit(): Promise<void>;
  rollback(): Promise<void>;
}
/** The connected @prisma/adapter-better-sqlite3 adapter: its connection and its transaction lock. */
export interface SqliteAdapter {
  client: Database.Database;
  startTransaction(): Promise<AdapterTransaction>;
}

interface Pending {
  statements: SqlStatement[];
  resolve(counts: number[]): void;
  reject(e: unknown): void;
}

/**
 * Group commit: the batches asked for in the same turn of the event loop share one transaction,
 * each inside its own savepoint, so a refused batch is undone alone while the others commit. A
 * batch's promise settles after that commit, so what it wrote is durable (as the connection's
 * `synchronous` setting makes any commit) when its caller answers. With concurrent deliveries the
 * commits (and on `synchronous = FULL` their fsyncs) are shared instead of paid for each.
 */
export class SqliteWrites implements SqlWrites {
  private readonly statements = new WeakMap<Database.Database, Map<string, Database.Statement>>();
  private queue: Pending[] = [];
  private scheduled = false;
  private inFlight: Promise<void> = Promise.resolve();

  constructor(private readonly adapter: () => Promise<SqliteAdapter>) {}

  private prepare(db: Database.Database, sql: string): Database.Statement {
    let byText = this.statements.get(db);
    if (!byText) this.statements.set(db, (byText = new Map()));
    let s = byText.get(sql);
    if (!s) {
      s = db.prepare(sql);
      byText.set(sql, s);
    }
    return s;
  }

  transaction(statements: SqlStatement[]): Promise<number[]> {
    return new Promise((resolve, reject) => {
      this.queue.push({ statements, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => (this.inFlight = this.flush()));
      }
    });
  }

  private async flush() {
    this.scheduled = false;
    let adapter: SqliteAdapter;
    let tx: AdapterTransaction;
    try {
      adapter = await this.adapter();
      // BEGIN, after any open Prisma transaction on this connection has ended; the lock is ours until released.
      tx = await adapter.startTransaction();
    } catch (e) {
      for (const p of this.queue.splice(0)) p.reject(e);
      return;
    }
    // Everything asked for until now, including what came while waiting for the lock.
    const group = this.queue.splice(0);
    const db = adapter.client;
    const done: { p: Pending; counts?: number[]; error?: unknown }[] = [];
    try {
      for (const p of group) {
        this.prepare(db, "SAVEPOINT atrium_batch").run();
        try {
          const counts = p.statements.map((s) => this.prepare(db, s.sql).run(...s.params).changes);
          this.prepare(db, "RELEASE atrium_batch").run();
          done.push({ p, counts });
        } catch (e) {
          this.prepare(db, "ROLLBACK TO atrium_batch").run();
          this.prepare(db, "RELEASE atrium_batch").run();
          const code = (e as { code?: string }).code;
          done.push({ p, error: code === "SQLITE_CONSTRAINT_UNIQUE" || code === "SQLITE_CONSTRAINT_PRIMARYKEY" ? new UniqueViolation(e) : e });
        }
      }
      this.prepare(db, "COMMIT").run();
      await tx.commit();
    } catch (e) {
      // The commit itself failed (or a savepoint could not be undone): nothing of the group is kept.
      if (db.inTransaction) this.prepare(db, "ROLLBACK").run();
      await tx.rollback();
      for (const p of group) p.reject(e);
      return;
    }
    for (const d of done) {
      if (d.counts) d.p.resolve(d.counts);
      else d.p.reject(d.error);
    }
  }

  /** After what was asked for has committed (the group scheduled last runs first). */
  async close() {
    await new Promise((r) => setImmediate(r));
    await this.inFlight;
  }
}

/**
 * Ids shaped like Prisma's cuid(): "c", milliseconds and a counter in base 36, then randomness.
 * They grow within a process (the counter carries into the time), so rows made in the same
 * millisecond keep their order when sorted by (createdAt, id), as Prisma's do.
 */
let lastMs = 0;
let counter = 0;
const COUNTER_SPAN = 36 ** 4;
export function newId(): string {
  const now = Date.now();
  if (now > lastMs) {
    lastMs = now;
    counter = 0;
  } else if (++counter >= COUNTER_SPAN) {
    lastMs++;
    counter = 0;
  }
  if (randomAt + 6 > random.length) {
    randomFillSync(random);
    randomAt = 0;
  }
  const tail = random.toString("hex", randomAt, (randomAt += 6));
  return `c${lastMs.toString(36).padStart(8, "0")}${counter.toString(36).padStart(4, "0")}${tail}`;
}
// Randomness drawn a few kilobytes at a time: one call into the system per 680 ids, not one per id.
const random = Buffer.alloc(4096);
let randomAt = random.length;

/** `(?, ?, …), (?, ?, …)`: the VALUES of a multi-row INSERT. */
export const valuesOf = (rows: number, columns: number) => {
  const one = `(${Array.from({ length: columns }, () => "?").join(", ")})`;
  return Array.from({ length: rows }, () => one).join(", ");
};
