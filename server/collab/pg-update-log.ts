import pg from "pg";
import { pooledPgTransaction } from "../infra/pg-transaction.js";
import type { DocLog, LogEntry, StoredDoc } from "./update-log.js";

/**
 * The same log on PostgreSQL, through a small pool of its own (not Prisma: one round trip per
 * batch, no query compiler). A batch is one multi-row INSERT, committed (and, with PostgreSQL's
 * default synchronous_commit, flushed to its WAL on disk) before the promise resolves. Imported by
 * openDocLog (server/collab/update-log.ts) only for a postgresql:// DATABASE_URL.
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
    await pooledPgTransaction(this.pool, async (c) => {
      if (this.shared) for (const id of [...new Set(docIds)].sort()) await c.query("SELECT pg_advisory_xact_lock(hashtext($1))", [id]);
      await work(c);
    });
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
