/**
 * The durable form of every document's Yjs content: a compacted snapshot (DocState) plus the
 * append-only log of updates accepted since (DocUpdate). See docs/decisions/040-document-durability.md.
 *
 * This uses its own better-sqlite3 connection on the same database file, not Prisma: a write here
 * is synchronous, so "committed, then applied, then relayed" happens in one turn of the event loop
 * with nothing interleaved, and an accepted update costs one small transaction (≈0.06 ms) rather
 * than a round of promises through the Prisma adapter. The connection never waits for a lock
 * (busy_timeout = 0): a blocking wait would freeze the only thread, and the lock holder might be a
 * Prisma transaction on that same thread. SQLITE_BUSY is reported and the caller retries on a
 * later turn (see LogWriter).
 */
import Database from "better-sqlite3";
import pg from "pg";

export type LogSync = "normal" | "full";

export interface LogEntry {
  docId: string;
  /** With a shared log (several instances) the commit assigns it: the next after the document's last. */
  seq: number;
  update: Uint8Array;
  userId: string | null;
  at: Date;
}

export interface StoredDoc {
  state: Uint8Array | null;
  stateSeq: number;
  updates: { seq: number; update: Uint8Array }[];
}

/** Prisma's SQLite adapter stores DateTime as ISO text with an explicit offset; match it. */
const isoForPrisma = (d: Date) => d.toISOString().replace("Z", "+00:00");

export function sqliteFileFromUrl(url: string): string {
  return url.replace(/^file:/, "").replace(/\?.*$/, "");
}

/**
 * Where a document's content is kept. SQLite's log (UpdateLog) answers synchronously; the
 * PostgreSQL log (PgUpdateLog) answers with promises, and the collaboration service awaits them:
 * an update is still committed before it is relayed or acknowledged.
 */
export interface DocLog {
  /** true when every method returns its result directly (no promises). */
  readonly sync: boolean;
  /**
   * Several instances append to this log (decision 129): each entry's seq is taken inside the
   * commit, one more than the document's last (snapshot included), and written back to the entry.
   */
  readonly shared: boolean;
  load(docId: string): StoredDoc | Promise<StoredDoc>;
  lastSeq(docId: string): number | Promise<number>;
  logLength(docId: string): number | Promise<number>;
  appendMany(entries: LogEntry[]): void | Promise<void>;
  compact(docId: string, state: Uint8Array, seq: number, at?: Date): void | Promise<void>;
  close(): void | Promise<void>;
}

/** The log for DATABASE_URL: SQLite's own connection on the file, or a PostgreSQL pool. */
export function openDocLog(url: string, sync: LogSync = "normal", shared = false): DocLog {
  return /^postgres(ql)?:\/\//i.test(url) ? new PgUpdateLog(url, shared) : new UpdateLog(sqliteFileFromUrl(url), sync, shared);
}

export class UpdateLog implements DocLog {
  readonly sync = true;
  private db: Database.Database;
  private stmts;
  readonly appendMany: (entries: LogEntry[]) => void;
  readonly compactTx: (docId: string, state: Uint8Array, seq: number, at: Date) => void;

  /**
   * `shared`: several instances append to this log (decision 129). Each entry's seq is then taken
   * inside the commit (one more than the document's last, snapshot included), so two instances
   * never pick the same one; the entry carries it afterwards.
   */
  constructor(
    file: string,
    sync: LogSync = "normal",
    readonly shared = false,
  ) {
    this.db = new Database(file);
    this.db.pragma("journal_mode = WAL");
    // NORMAL: a commit is in the WAL (the OS page cache) when it returns, which survives the
    // process being killed; FULL also fsyncs, which survives power loss, for ≈3 ms per commit.
    this.db.pragma(`synchronous = ${sync === "full" ? "FULL" : "NORMAL"}`);
    this.db.pragma("busy_timeout = 0");
    this.db.pragma("foreign_keys = ON");
    this.stmts = {
      insert: this.db.prepare('INSERT INTO "DocUpdate" ("docId", "seq", "update", "userId", "createdAt") VALUES (?, ?, ?, ?, ?)'),
      state: this.db.prepare('SELECT "state", "seq" FROM "DocState" WHERE "docId" = ?'),
      updates: this.db.prepare('SELECT "seq", "update" FROM "DocUpdate" WHERE "docId" = ? AND "seq" > ? ORDER BY "seq"'),
      lastSeq: this.db.prepare('SELECT MAX("seq") AS "seq" FROM "DocUpdate" WHERE "docId" = ?'),
      upsertState: this.db.prepare(
        'INSERT INTO "DocState" ("docId", "state", "seq", "updatedAt") VALUES (?, ?, ?, ?) ' +
          'ON CONFLICT ("docId") DO UPDATE SET "state" = excluded."state", "seq" = excluded."seq", "updatedAt" = excluded."updatedAt"',
      ),
      trim: this.db.prepare('DELETE FROM "DocUpdate" WHERE "docId" = ? AND "seq" <= ?'),
      count: this.db.prepare('SELECT COUNT(*) AS "n" FROM "DocUpdate" WHERE "docId" = ?'),
    };
    const { insert, upsertState, trim } = this.stmts;
    const append = this.db.transaction((entries: LogEntry[]) => {
      const next = new Map<string, number>();
      for (const e of entries) {
        if (this.shared) {
          e.seq = (next.get(e.docId) ?? this.lastSeq(e.docId)) + 1;
          next.set(e.docId, e.seq);
        }
        insert.run(e.docId, e.seq, Buffer.from(e.update.buffer, e.update.byteOffset, e.update.byteLength), e.userId, isoForPrisma(e.at));
      }
    });
    // Shared: take the write lock first, so the seqs read are still the last ones at commit.
    this.appendMany = shared ? append.immediate : append;
    const compact = this.db.transaction((docId: string, state: Uint8Array, seq: number, at: Date) => {
      // Never move the snapshot back: another instance may have folded more already.
      const current = this.stmts.state.get(docId) as { seq: number } | undefined;
      if (current && current.seq >= seq) return;
      upsertState.run(docId, Buffer.from(state.buffer, state.byteOffset, state.byteLength), seq, isoForPrisma(at));
      trim.run(docId, seq);
    });
    this.compactTx = shared ? compact.immediate : compact;
  }

  /** Snapshot + the log after it, in order. */
  load(docId: string): StoredDoc {
    const s = this.stmts.state.get(docId) as { state: Buffer; seq: number } | undefined;
    const stateSeq = s?.seq ?? 0;
    const rows = this.stmts.updates.all(docId, stateSeq) as { seq: number; update: Buffer }[];
    return { state: s ? new Uint8Array(s.state) : null, stateSeq, updates: rows.map((r) => ({ seq: r.seq, update: new Uint8Array(r.update) })) };
  }

  lastSeq(docId: string): number {
    const row = this.stmts.lastSeq.get(docId) as { seq: number | null };
    const s = this.stmts.state.get(docId) as { seq: number } | undefined;
    return Math.max(row.seq ?? 0, s?.seq ?? 0);
  }

  logLength(docId: string): number {
    return (this.stmts.count.get(docId) as { n: number }).n;
  }

  /** Replaces the snapshot with `state` (= everything up to `seq`) and drops that part of the log. */
  compact(docId: string, state: Uint8Array, seq: number, at = new Date()): void {
    this.compactTx(docId, state, seq, at);
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

/**
 * The same log on PostgreSQL, through a small pool of its own (not Prisma: one round trip per
 * batch, no query compiler). A batch is one multi-row INSERT, committed (and, with PostgreSQL's
 * default synchronous_commit, flushed to its WAL on disk) before the promise resolves.
 */
export class PgUpdateLog implements DocLog {
  readonly sync = false;
  private pool: pg.Pool;

  constructor(
    url: string,
    readonly shared = false,
  ) {
    this.pool = new pg.Pool({ connectionString: url, max: 4 });
    this.pool.on("error", () => {});
  }

  /**
   * Snapshot and log in ONE statement, so both are read at one moment: read one after the other, a
   * compaction committing in between (this instance's own, or another's) would give the old
   * snapshot without the log entries it just folded and deleted — a document missing its content.
   */
  async load(docId: string): Promise<StoredDoc> {
    const rows = (
      await this.pool.query<{ kind: number; seq: number; bytes: Buffer }>(
        'SELECT 0 AS "kind", "seq", "state" AS "bytes" FROM "DocState" WHERE "docId" = $1 ' +
          'UNION ALL SELECT 1, u."seq", u."update" FROM "DocUpdate" u WHERE u."docId" = $1 ' +
          'AND u."seq" > COALESCE((SELECT "seq" FROM "DocState" WHERE "docId" = $1), 0) ' +
          'ORDER BY 1, 2',
        [docId],
      )
    ).rows;
    const s = rows[0]?.kind === 0 ? rows[0] : undefined;
    const updates = rows.filter((r) => r.kind === 1).map((r) => ({ seq: r.seq, update: new Uint8Array(r.bytes) }));
    return { state: s ? new Uint8Array(s.bytes) : null, stateSeq: s?.seq ?? 0, updates };
  }

  lastSeq(docId: string): Promise<number> {
    return this.lastSeqWith(this.pool, docId);
  }

  async logLength(docId: string): Promise<number> {
    return Number((await this.pool.query<{ n: string }>('SELECT COUNT(*) AS "n" FROM "DocUpdate" WHERE "docId" = $1', [docId])).rows[0]!.n);
  }

  async appendMany(entries: LogEntry[]): Promise<void> {
    if (!entries.length) return;
    if (!this.shared) return void (await this.pool.query(...this.insert(entries)));
    await this.inTransaction(entries.map((e) => e.docId), async (c) => {
      const next = new Map<string, number>();
      for (const e of entries) {
        e.seq = (next.get(e.docId) ?? (await this.lastSeqWith(c, e.docId))) + 1;
        next.set(e.docId, e.seq);
      }
      await c.query(...this.insert(entries));
    });
  }

  private insert(entries: LogEntry[]): [string, unknown[]] {
    const values: unknown[] = [];
    const rows = entries.map((e, i) => {
      values.push(e.docId, e.seq, Buffer.from(e.update.buffer, e.update.byteOffset, e.update.byteLength), e.userId, e.at);
      const b = i * 5;
      return `($${b + 1}, $${b + 2}, $${b + 3}, $${b + 4}, $${b + 5})`;
    });
    return [`INSERT INTO "DocUpdate" ("docId", "seq", "update", "userId", "createdAt") VALUES ${rows.join(", ")}`, values];
  }

  private async lastSeqWith(c: pg.PoolClient | pg.Pool, docId: string): Promise<number> {
    const r = await c.query<{ seq: number | null }>(
      'SELECT GREATEST((SELECT MAX("seq") FROM "DocUpdate" WHERE "docId" = $1), (SELECT "seq" FROM "DocState" WHERE "docId" = $1), 0) AS "seq"',
      [docId],
    );
    return Number(r.rows[0]?.seq ?? 0);
  }

  /**
   * One transaction holding each document's advisory lock (taken in a fixed order), so appends and
   * compactions of one document by several instances run one after another.
   */
  private async inTransaction(docIds: string[], work: (c: pg.PoolClient) => Promise<void>): Promise<void> {
    const c = await this.pool.connect();
    try {
      await c.query("BEGIN");
      if (this.shared) for (const id of [...new Set(docIds)].sort()) await c.query("SELECT pg_advisory_xact_lock(hashtext($1))", [id]);
      await work(c);
      await c.query("COMMIT");
    } catch (err) {
      await c.query("ROLLBACK").catch(() => {});
      throw err;
    } finally {
      c.release();
    }
  }

  async compact(docId: string, state: Uint8Array, seq: number, at = new Date()): Promise<void> {
    await this.inTransaction([docId], async (c) => {
      // Never move the snapshot back: another instance may have folded more already.
      await c.query(
        'INSERT INTO "DocState" ("docId", "state", "seq", "updatedAt") VALUES ($1, $2, $3, $4) ' +
          'ON CONFLICT ("docId") DO UPDATE SET "state" = excluded."state", "seq" = excluded."seq", "updatedAt" = excluded."updatedAt" ' +
          'WHERE "DocState"."seq" < excluded."seq"',
        [docId, Buffer.from(state.buffer, state.byteOffset, state.byteLength), seq, at],
      );
      await c.query('DELETE FROM "DocUpdate" WHERE "docId" = $1 AND "seq" <= $2', [docId, seq]);
    });
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

export const isBusy = (err: unknown) => {
  const code = (err as { code?: string })?.code;
  return code === "SQLITE_BUSY" || code === "SQLITE_LOCKED" || code === "SQLITE_BUSY_SNAPSHOT";
};

/**
 * Group commit: entries submitted during one turn of the event loop are written in one
 * transaction at the end of that turn; each entry's `onCommitted` runs (in submission order) only
 * after that transaction committed. If the database is locked, the batch waits and retries a moment later
 * without blocking the thread; entries keep accumulating meanwhile.
 */
export class LogWriter {
  private queue: { entry: LogEntry; onCommitted: () => void; onFailed: (err: unknown) => void }[] = [];
  private scheduled = false;
  /** An asynchronous (PostgreSQL) batch being committed: the next one waits for it, keeping the order. */
  private writing: { size: number; done: Promise<void> } | null = null;
  private retryDelay = 1;
  /** Batches written so far and their sizes, for the benchmark and tests. */
  stats = { batches: 0, entries: 0, busyRetries: 0 };

  constructor(
    private log: DocLog,
    private onFatal: (err: unknown) => void = (err) => console.error("[collab] update log write failed", err),
  ) {}

  submit(entry: LogEntry): Promise<void> {
    return new Promise((onCommitted, onFailed) => {
      this.queue.push({ entry, onCommitted, onFailed });
      this.schedule(0);
    });
  }

  /** Entries not yet committed (queued or being written). */
  get pending() {
    return this.queue.length + (this.writing?.size ?? 0);
  }

  /** Commits everything submitted so far (shutdown, compaction). */
  async drain(): Promise<void> {
    for (;;) {
      this.flush();
      if (this.writing) await this.writing.done;
      else if (!this.queue.length) return;
      else await new Promise((r) => setTimeout(r, this.retryDelay)); // SQLite busy: retry shortly
    }
  }

  private schedule(delay: number) {
    if (this.scheduled) return;
    this.scheduled = true;
    const run = () => {
      this.scheduled = false;
      this.flush();
    };
    // A microtask, not setImmediate: the batch is what arrived in this turn (e.g. several
    // WebSocket frames from one read), and nothing waits for the next turn of the loop.
    if (delay === 0) queueMicrotask(run);
    else setTimeout(run, delay);
  }

  /** Writes everything queued now; exposed so shutdown can drain synchronously. */
  flush(): void {
    if (!this.queue.length || this.writing) return;
    const batch = this.queue;
    this.queue = [];
    let written: void | Promise<void>;
    try {
      written = this.log.appendMany(batch.map((b) => b.entry));
    } catch (err) {
      if (isBusy(err)) {
        this.stats.busyRetries++;
        this.queue = batch.concat(this.queue);
        this.schedule(this.retryDelay);
        this.retryDelay = Math.min(this.retryDelay * 2, 50);
        return;
      }
      this.onFatal(err);
      for (const b of batch) b.onFailed(err);
      return;
    }
    if (written instanceof Promise) {
      const done = written.then(
        () => this.committed(batch),
        (err) => {
          this.onFatal(err);
          for (const b of batch) b.onFailed(err);
        },
      );
      this.writing = {
        size: batch.length,
        done: done.finally(() => {
          this.writing = null;
          if (this.queue.length) this.flush();
        }),
      };
      return;
    }
    this.committed(batch);
  }

  private committed(batch: { onCommitted: () => void }[]) {
    this.retryDelay = 1;
    this.stats.batches++;
    this.stats.entries += batch.length;
    for (const b of batch) b.onCommitted();
  }
}
