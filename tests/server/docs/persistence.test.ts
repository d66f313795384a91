/**
 * Durable Yjs persistence, unit level: the update log (append, load, compaction), group commit
 * with a locked database, and the collab service's "checked → applied → logged → relayed" order.
 */
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import * as Y from "yjs";
import { CollabService } from "../../../server/collab/service.js";
import { LogWriter, UpdateLog } from "../../../server/collab/update-log.js";
import { Refusal } from "../../../server/collab/validate.js";
import { freshDatabase, TEST_DB } from "../../helpers/db.js";
import { edit, opts, quiet, text } from "./fixtures/collab-unit.js";

let db: ReturnType<typeof freshDatabase>;
let raw: Database.Database;

/** Documents need a space and an owner (foreign keys are on). */
function makeDocRow(id: string) {
  raw.prepare(`INSERT OR IGNORE INTO "User" (id, email, name, updatedAt) VALUES ('u1', 'u1@x.test', 'U', '2026-01-01T00:00:00.000+00:00')`).run();
  raw.prepare(`INSERT OR IGNORE INTO "Space" (id, name, slug, kind) VALUES ('s1', 'Company', 'company', 'company')`).run();
  raw.prepare(`INSERT INTO "Document" (id, title, spaceId, ownerId, updatedAt) VALUES (?, 'T', 's1', 'u1', '2026-01-01T00:00:00.000+00:00')`).run(id);
}



beforeAll(() => {
  db = freshDatabase();
  raw = new Database(db.file);
  raw.pragma("journal_mode = WAL");
});
afterAll(() => {
  raw.close();
  db.dispose();
});

describe.skipIf(TEST_DB === "postgresql")("UpdateLog (SQLite only: these unit tests drive the SQLite file through better-sqlite3)", () => {
  test("loads snapshot + log in order; compaction folds the log into the snapshot and drops it", () => {
    makeDocRow("d1");
    const log = new UpdateLog(db.file);
    const client = new Y.Doc();
    const updates = ["a", "b", "c", "d"].map((ch, i) => edit(client, (t) => t.insert(i, ch)));
    log.appendMany(updates.map((u, i) => ({ docId: "d1", seq: i + 1, update: u, userId: "u1", at: new Date() })));
    let loaded = log.load("d1");
    expect(loaded.state).toBeNull();
    expect(loaded.updates.map((u) => u.seq)).toEqual([1, 2, 3, 4]);
    expect(text(Y.mergeUpdates(loaded.updates.map((u) => u.update)))).toBe("abcd");

    // Fold 1..3 into a snapshot; 4 stays in the log.
    const upTo3 = new Y.Doc();
    for (const u of updates.slice(0, 3)) Y.applyUpdate(upTo3, u);
    log.compact("d1", Y.encodeStateAsUpdate(upTo3), 3);
    loaded = log.load("d1");
    expect(loaded.stateSeq).toBe(3);
    expect(text(loaded.state!)).toBe("abc");
    expect(loaded.updates.map((u) => u.seq)).toEqual([4]);
    expect(log.logLength("d1")).toBe(1);
    expect(log.lastSeq("d1")).toBe(4);
    const all = new Y.Doc();
    Y.applyUpdate(all, loaded.state!);
    for (const u of loaded.updates) Y.applyUpdate(all, u.update);
    expect(all.get("root", Y.XmlText).toString()).toBe("abcd");
    log.close();
  });

  test("a log row for a document that does not exist is refused by the foreign key", () => {
    const log = new UpdateLog(db.file);
    expect(() => log.appendMany([{ docId: "ghost", seq: 1, update: new Uint8Array([0, 0]), userId: null, at: new Date() }])).toThrow(/FOREIGN KEY/);
    log.close();
  });
});

describe.skipIf(TEST_DB === "postgresql")("LogWriter (group commit) (SQLite only: it locks the SQLite file to delay the commit)", () => {
  test("updates submitted in one turn are written in one transaction, and resolve in order", async () => {
    makeDocRow("d2");
    const log = new UpdateLog(db.file);
    const w = new LogWriter(log);
    const order: number[] = [];
    await Promise.all([1, 2, 3, 4, 5].map((seq) => w.submit({ docId: "d2", seq, update: new Uint8Array([0, 0]), userId: null, at: new Date() }).then(() => order.push(seq))));
    expect(order).toEqual([1, 2, 3, 4, 5]);
    expect(w.stats).toMatchObject({ batches: 1, entries: 5 });
    log.close();
  });

  test("while another connection holds the write lock, the writer waits without blocking the thread, then commits", async () => {
    makeDocRow("d3");
    const log = new UpdateLog(db.file);
    const w = new LogWriter(log);
    raw.exec("BEGIN IMMEDIATE");
    let committed = false;
    const p = w.submit({ docId: "d3", seq: 1, update: new Uint8Array([0, 0]), userId: null, at: new Date() }).then(() => (committed = true));
    // The event loop keeps turning while the lock is held.
    let ticks = 0;
    const timer = setInterval(() => ticks++, 5);
    // The writer has met the lock (and retried) while timers kept firing, and cannot have committed.
    await expect.poll(() => w.stats.busyRetries > 1 && ticks > 3).toBe(true);
    expect(committed).toBe(false);
    raw.exec("COMMIT");
    await p;
    clearInterval(timer);
    expect(committed).toBe(true);
    expect((raw.prepare(`SELECT COUNT(*) n FROM "DocUpdate" WHERE docId='d3'`).get() as { n: number }).n).toBe(1);
    log.close();
  });
});

describe.skipIf(TEST_DB === "postgresql")("CollabService (SQLite only: these unit tests drive the SQLite file through better-sqlite3)", () => {
  test("an update is in the log before it is relayed; the relay skips its sender", async () => {
    makeDocRow("d4");
    const svc = new CollabService(new UpdateLog(db.file), opts(), quiet);
    const seen: { rows: number; socketId?: string }[] = [];
    svc.onRelay = (docId, _u, origin) => seen.push({ rows: (raw.prepare(`SELECT COUNT(*) n FROM "DocUpdate" WHERE docId=?`).get(docId) as { n: number }).n, socketId: origin.socketId });
    const client = new Y.Doc();
    await svc.submit("d4", edit(client, (t) => t.insert(0, "hello")), { userId: "u1", socketId: "s-a" });
    expect(seen).toEqual([{ rows: 1, socketId: "s-a" }]);
    expect(text(svc.state("d4"))).toBe("hello");
    await svc.close();
  });

  test("malformed, oversized and foreign-type updates are refused with a reason; the document and log are unharmed", async () => {
    makeDocRow("d5");
    const svc = new CollabService(new UpdateLog(db.file), opts({ maxUpdateBytes: 2000 }), quiet);
    const client = new Y.Doc();
    await svc.submit("d5", edit(client, (t) => t.insert(0, "safe")), { userId: "u1" });
    const before = svc.state("d5");
    const reasons: string[] = [];
    const attempt = async (u: Uint8Array) => {
      try {
        await svc.submit("d5", u, { userId: "u1" });
        reasons.push("accepted");
      } catch (e) {
        expect(e).toBeInstanceOf(Refusal);
        reasons.push((e as Refusal).reason);
      }
    };
    await attempt(new Uint8Array([1, 2, 3, 250, 251, 252, 7]));
    await attempt(edit(client, (t) => t.insert(0, "x".repeat(5000))));
    const other = new Y.Doc();
    other.getMap("evil").set("k", "v");
    await attempt(Y.encodeStateAsUpdate(other));
    // Truncated real update.
    const real = edit(new Y.Doc(), (t) => t.insert(0, "truncated"));
    await attempt(real.slice(0, real.length - 3));
    expect(reasons).toEqual(["malformed", "too-large", "foreign-type", "malformed"]);
    expect(svc.state("d5")).toEqual(before);
    expect(svc.refusals.map((r) => r.reason)).toEqual(reasons);
    expect((raw.prepare(`SELECT COUNT(*) n FROM "DocUpdate" WHERE docId='d5'`).get() as { n: number }).n).toBe(1);
    await svc.close();
  });

  test("compacts after N updates in the background, and a restarted service loads the same content", async () => {
    makeDocRow("d6");
    let svc = new CollabService(new UpdateLog(db.file), opts({ compactEvery: 10 }), quiet);
    const client = new Y.Doc();
    for (let i = 0; i < 25; i++) await svc.submit("d6", edit(client, (t) => t.insert(t.length, String(i % 10))), { userId: "u1" });
    await new Promise((r) => setImmediate(r));
    const log = new UpdateLog(db.file);
    const stored = log.load("d6");
    expect(stored.stateSeq).toBeGreaterThanOrEqual(20);
    expect(stored.updates.length).toBeLessThan(10);
    log.close();
    const expected = client.get("root", Y.XmlText).toString();
    // No close(): the process "dies" here, and a new service reads snapshot + log.
    svc = new CollabService(new UpdateLog(db.file), opts(), quiet);
    expect(text(svc.state("d6"))).toBe(expected);
    await svc.close();
  });

  test("the last member leaving captures a revision with the people who contributed", async () => {
    makeDocRow("d7");
    const svc = new CollabService(new UpdateLog(db.file), opts(), quiet);
    const revisions: { contributors: string[]; reason: string }[] = [];
    svc.hooks = { contentSettled: async () => {}, revisionDue: async (_d, r) => void revisions.push({ contributors: r.contributors, reason: r.reason }) };
    svc.join("d7", { key: "s1", userId: "ann", name: "Ann" });
    svc.join("d7", { key: "s2", userId: "bob", name: "Bob" });
    const client = new Y.Doc();
    await svc.submit("d7", edit(client, (t) => t.insert(0, "A")), { userId: "ann" });
    await svc.submit("d7", edit(client, (t) => t.insert(1, "B")), { userId: "bob" });
    svc.leave("d7", "s1");
    expect(revisions).toEqual([]);
    svc.leave("d7", "s2");
    await expect.poll(() => revisions).toEqual([{ contributors: ["ann", "bob"], reason: "left" }]);
    await svc.close();
  });

  test("a burst of edits followed by quiet captures a revision", async () => {
    makeDocRow("d8");
    const svc = new CollabService(new UpdateLog(db.file), opts({ revisionIdleMs: 1_000 }), quiet);
    const revisions: { contributors: string[]; at: number }[] = [];
    let captured!: () => void;
    const firstRevision = new Promise<void>((r) => (captured = r));
    svc.hooks = {
      contentSettled: async () => {},
      revisionDue: async (_d, r) => {
        revisions.push({ contributors: r.contributors, at: performance.now() });
        captured();
      },
    };
    const client = new Y.Doc();
    let lastEditAt = 0;
    for (let i = 0; i < 5; i++) {
      lastEditAt = performance.now(); // taken before the service stamps the edit's activity
      await svc.submit("d8", edit(client, (t) => t.insert(0, "x")), { userId: "ann" });
    }
    // A long idle time so no pause inside the burst (a busy machine) counts as quiet. The signal
    // itself: one revision, and only once the burst has been quiet for the idle time
    // (timers never fire early, so a revision taken mid-burst would be stamped before this).
    await firstRevision;
    expect(revisions.map((r) => r.contributors)).toEqual([["ann"]]);
    expect(revisions[0]!.at).toBeGreaterThanOrEqual(lastEditAt + 1_000 - 2);
    await svc.close();
  });

  test("awareness: a member cannot speak for another person's client id, and its name is stamped by the server", async () => {
    makeDocRow("d9");
    const svc = new CollabService(new UpdateLog(db.file), opts(), quiet);
    svc.join("d9", { key: "s1", userId: "ann", name: "Ann" });
    svc.join("d9", { key: "s2", userId: "bob", name: "Bob" });
    const { encodeAwareness, decodeAwareness } = await import("../../../server/collab/validate.js");
    const out = svc.awarenessFrom("d9", "s1", encodeAwareness([{ clientID: 42, clock: 1, state: { name: "The CEO", color: "#f00" } }]));
    expect(decodeAwareness(out, 10_000)[0]!.state).toMatchObject({ name: "Ann", color: "#f00", awarenessData: { userId: "ann" } });
    expect(() => svc.awarenessFrom("d9", "s2", encodeAwareness([{ clientID: 42, clock: 2, state: { name: "Bob" } }]))).toThrow(/not-yours/);
    expect(() => svc.awarenessFrom("d9", "s2", new Uint8Array([5, 1]))).toThrow(/malformed/);
    await svc.close();
  });
});
