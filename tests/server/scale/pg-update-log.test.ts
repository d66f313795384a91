/**
 * The PostgreSQL update log shared by several instances (decision 129): two PgUpdateLog
 * connections pools on one database, standing for two instances, append to one document at the
 * same time. Each seq is taken inside the commit under the document's advisory lock, so the seqs
 * are distinct and consecutive and every entry carries the one it was stored under; compaction
 * never moves the snapshot back, and seqs keep growing past a snapshot that folded the whole log.
 *
 * Runs on PostgreSQL only (`ATRIUM_TEST_DB=postgresql`, as `npm run test:pg` sets): a fresh
 * database per test, cloned from the migrated template.
 */
import { randomBytes } from "node:crypto";
import path from "node:path";
import pg from "pg";
import { afterEach, describe, expect, test } from "vitest";
import * as Y from "yjs";
import { createAtrium, type Atrium } from "../../../server/atrium.js";
import { PgUpdateLog } from "../../../server/collab/pg-update-log.js";
import type { LogEntry } from "../../../server/collab/update-log.js";
import { parseEnv } from "../../../server/env.js";
import { freshDatabase, TEST_DB, TMP_DIR } from "../../helpers/db.js";
import { makePerson } from "../../factories.js";

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

/** A fresh database with one document in it, and two shared logs on it ("two instances"). */
async function twoInstances() {
  const db = freshDatabase();
  cleanup.push(db.dispose);
  const atrium: Atrium = await createAtrium({
    env: parseEnv({ NODE_ENV: "test", DATABASE_URL: db.url, UPLOAD_DIR: path.join(TMP_DIR, `uploads-${randomBytes(4).toString("hex")}`) }),
    withPages: false,
  });
  cleanup.push(() => atrium.close());
  const admin = await makePerson(atrium, { role: "admin" });
  await atrium.domain.docs.ensureSpaces();
  const company = await atrium.db.space.findFirstOrThrow({ where: { kind: "company" } });
  const { id: docId } = await atrium.domain.docs.createDocument(admin.actor, { title: "Shared log", spaceId: company.id });
  const a = new PgUpdateLog(db.url, true);
  const b = new PgUpdateLog(db.url, true);
  cleanup.push(() => a.close(), () => b.close());
  // Creating the document logged its first content already: seqs of the test follow it.
  return { docId, a, b, url: db.url, base: await a.lastSeq(docId) };
}

/** An editor's Y.Doc whose every local change becomes a log entry (seq to be assigned). */
function editor(docId: string, name: string) {
  const doc = new Y.Doc();
  const out: LogEntry[] = [];
  doc.on("update", (update: Uint8Array) => out.push({ docId, seq: 0, update, userId: null, at: new Date() }));
  return {
    doc,
    /** Types `n` short lines, returning their entries. */
    type(n: number) {
      for (let i = 0; i < n; i++) doc.getText("t").insert(doc.getText("t").length, `${name}${i};`);
      return out.splice(0);
    },
  };
}

async function rebuild(log: PgUpdateLog, docId: string) {
  const stored = await log.load(docId);
  const doc = new Y.Doc();
  if (stored.state) Y.applyUpdate(doc, stored.state);
  for (const u of stored.updates) Y.applyUpdate(doc, u.update);
  return { stored, text: doc.getText("t").toString() };
}

describe.skipIf(TEST_DB !== "postgresql")("the shared PostgreSQL update log", () => {
  test("two instances appending to one document at the same time get distinct, consecutive seqs", async () => {
    const { docId, a, b, base } = await twoInstances();
    const ea = editor(docId, "a");
    const eb = editor(docId, "b");
    // Each instance commits its batches one after another (as its LogWriter does); the two
    // instances race each other. Batches of 1–3 entries.
    const run = async (log: PgUpdateLog, e: ReturnType<typeof editor>) => {
      const mine: LogEntry[] = [];
      for (let round = 0; round < 40; round++) {
        const batch = e.type(1 + (round % 3));
        await log.appendMany(batch);
        mine.push(...batch);
      }
      return mine;
    };
    const [onA, onB] = await Promise.all([run(a, ea), run(b, eb)]);
    const appended = [...onA, ...onB];

    const seqs = appended.map((e) => e.seq).sort((x, y) => x - y);
    expect(seqs).toEqual(Array.from({ length: appended.length }, (_, i) => base + i + 1));
    // Each entry carries the seq it is stored under.
    const { stored } = await rebuild(a, docId);
    const bySeq = new Map(stored.updates.map((u) => [u.seq, Buffer.from(u.update).toString("hex")]));
    for (const e of appended) expect(bySeq.get(e.seq)).toBe(Buffer.from(e.update).toString("hex"));
    // And within one instance, later batches got later seqs.
    for (const own of [onA, onB]) expect(own.map((e) => e.seq)).toEqual(own.map((e) => e.seq).sort((x, y) => x - y));
    // The two really interleaved (neither ran all its batches before the other started).
    expect(Math.min(...onB.map((e) => e.seq))).toBeLessThan(Math.max(...onA.map((e) => e.seq)));
    expect(Math.min(...onA.map((e) => e.seq))).toBeLessThan(Math.max(...onB.map((e) => e.seq)));
    // Everything typed on both is in the document the log rebuilds.
    const expected = new Y.Doc();
    Y.applyUpdate(expected, Y.encodeStateAsUpdate(ea.doc));
    Y.applyUpdate(expected, Y.encodeStateAsUpdate(eb.doc));
    expect((await rebuild(b, docId)).text).toBe(expected.getText("t").toString());
    expect(await a.lastSeq(docId)).toBe(base + appended.length);
    expect(await b.logLength(docId)).toBe(base + appended.length);
  });

  test("compaction never moves the snapshot back, and seqs continue after a snapshot of the whole log", async () => {
    const { docId, a, b, base: k } = await twoInstances();
    const e = editor(docId, "x");
    const merged = new Y.Doc();
    for (let i = 0; i < 10; i++) {
      const batch = e.type(1);
      await (i % 2 ? a : b).appendMany(batch);
    }
    Y.applyUpdate(merged, Y.encodeStateAsUpdate(e.doc));
    const stateAt = async (seq: number) => {
      const d = new Y.Doc();
      const { stored } = await rebuild(a, docId);
      if (stored.state) Y.applyUpdate(d, stored.state);
      for (const u of stored.updates) if (u.seq <= seq) Y.applyUpdate(d, u.update);
      return Y.encodeStateAsUpdate(d);
    };
    const upTo8 = await stateAt(k + 8);
    const upTo5 = await stateAt(k + 5);
    // a folded up to 8; b, slower, folds up to 5 afterwards (and both at once, in either order).
    await a.compact(docId, upTo8, k + 8);
    await b.compact(docId, upTo5, k + 5);
    let { stored, text } = await rebuild(b, docId);
    expect(stored.stateSeq).toBe(k + 8);
    expect(stored.updates.map((u) => u.seq)).toEqual([k + 9, k + 10]);
    expect(text).toBe(merged.getText("t").toString());
    await Promise.all([b.compact(docId, upTo5, k + 5), a.compact(docId, upTo8, k + 8), b.appendMany(e.type(2))]);
    Y.applyUpdate(merged, Y.encodeStateAsUpdate(e.doc));
    ({ stored, text } = await rebuild(a, docId));
    expect(stored.stateSeq).toBe(k + 8);
    expect(stored.updates.map((u) => u.seq)).toEqual([k + 9, k + 10, k + 11, k + 12]);
    expect(text).toBe(merged.getText("t").toString());

    // A snapshot of everything empties the log; the next append still gets the next seq, not 1.
    await a.compact(docId, Y.encodeStateAsUpdate(e.doc), k + 12);
    expect(await b.logLength(docId)).toBe(0);
    const next = e.type(1);
    await b.appendMany(next);
    expect(next[0]!.seq).toBe(k + 13);
    ({ stored, text } = await rebuild(b, docId));
    expect([stored.stateSeq, stored.updates.map((u) => u.seq)]).toEqual([k + 12, [k + 13]]);
    expect(text).toBe(e.doc.getText("t").toString());
  });

  test("a load while another instance's compaction commits reads one moment: never the old snapshot without the log it folded", async () => {
    const { docId, a, url, base } = await twoInstances();
    const e = editor(docId, "x");
    await a.appendMany(e.type(6));
    const want = e.doc.getText("t").toString();
    expect((await rebuild(a, docId)).text).toBe(want);
    // The other instance folds everything into a snapshot; its transaction also keeps the log
    // table locked, so this instance's read of the log waits until the compaction has committed.
    const other = new pg.Client({ connectionString: url });
    await other.connect();
    cleanup.push(() => other.end());
    await other.query("BEGIN");
    await other.query('LOCK TABLE "DocUpdate" IN ACCESS EXCLUSIVE MODE');
    await other.query('INSERT INTO "DocState" ("docId", "state", "seq", "updatedAt") VALUES ($1, $2, $3, now())', [docId, Buffer.from(Y.encodeStateAsUpdate(e.doc)), base + 6]);
    await other.query('DELETE FROM "DocUpdate" WHERE "docId" = $1 AND "seq" <= $2', [docId, base + 6]);
    const loading = rebuild(a, docId);
    const waiting = async () =>
      Number((await other.query(`SELECT COUNT(*) AS n FROM pg_locks WHERE NOT granted AND relation = '"DocUpdate"'::regclass`)).rows[0].n);
    await expect.poll(waiting).toBeGreaterThan(0);
    await other.query("COMMIT");
    const { stored, text } = await loading;
    expect(text).toBe(want);
    expect([stored.stateSeq, stored.updates]).toEqual([base + 6, []]);
  });
});
