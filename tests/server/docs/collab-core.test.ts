/**
 * The collaboration core at unit level, where the socket tests cannot look closely: the exact
 * limits and reasons of update and awareness checks, the log's bookkeeping (last sequence,
 * busy codes, durability setting, a failed write) and the service's own rules (empty updates,
 * reloading after a failed apply, takeover of a client id by the same person, idle unloading).
 */
import Database from "better-sqlite3";
import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import * as Y from "yjs";
import { editToMarkdownUpdate, markdownToState } from "../../../server/collab/headless.js";
import { CollabService } from "../../../server/collab/service.js";
import { isBusy, LogWriter, sqliteFileFromUrl, UpdateLog } from "../../../server/collab/update-log.js";
import { asBytes, checkUpdate, decodeAwareness, encodeAwareness, Refusal } from "../../../server/collab/validate.js";
import { freshDatabase, TEST_DB } from "../../helpers/db.js";
import { decodesButFails, edit, opts, quiet, text } from "./fixtures/collab-unit.js";

let db: ReturnType<typeof freshDatabase>;
let raw: Database.Database;
let nextDoc = 0;

/** A document row (documents need a space and an owner: foreign keys are on); returns its id. */
function makeDocRow(): string {
  const id = `cc${++nextDoc}`;
  raw.prepare(`INSERT OR IGNORE INTO "User" (id, email, name, updatedAt) VALUES ('u1', 'u1@x.test', 'U', '2026-01-01T00:00:00.000+00:00')`).run();
  raw.prepare(`INSERT OR IGNORE INTO "Space" (id, name, slug, kind) VALUES ('s1', 'Company', 'company', 'company')`).run();
  raw.prepare(`INSERT INTO "Document" (id, title, spaceId, ownerId, updatedAt) VALUES (?, 'T', 's1', 'u1', '2026-01-01T00:00:00.000+00:00')`).run(id);
  return id;
}


const logRows = (docId: string) => (raw.prepare(`SELECT COUNT(*) n FROM "DocUpdate" WHERE docId=?`).get(docId) as { n: number }).n;

/** What a call throws, as a Refusal. */
function refusalOf(f: () => unknown): Refusal {
  try {
    f();
  } catch (err) {
    expect(err).toBeInstanceOf(Refusal);
    return err as Refusal;
  }
  throw new Error("expected a refusal");
}

/** Raw awareness bytes: n entries, each written by `write`. */
function awarenessBytes(n: number, write: (e: encoding.Encoder, i: number) => void): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, n);
  for (let i = 0; i < n; i++) write(e, i);
  return encoding.toUint8Array(e);
}

/** The describes that drive the SQLite log get a database file of their own, opened raw beside it. */
function onSqliteFile() {
  beforeAll(() => {
    db = freshDatabase();
    raw = new Database(db.file);
    raw.pragma("journal_mode = WAL");
  });
  afterAll(() => {
    raw.close();
    db.dispose();
  });
}

describe("checking a Yjs update", () => {
  const update = edit(new Y.Doc(), (t) => t.insert(0, "hello"));

  test("an update of exactly the limit passes; one byte over is too large, and says by how much", () => {
    expect(checkUpdate(update, update.byteLength)).toBe(true);
    const r = refusalOf(() => checkUpdate(update, update.byteLength - 1));
    expect(r.reason).toBe("too-large");
    expect(r.message).toBe(`too-large: ${update.byteLength} bytes > ${update.byteLength - 1}`);
  });

  test("an empty update carries nothing; a deletion alone carries something", () => {
    expect(checkUpdate(new Uint8Array([0, 0]), 100)).toBe(false);
    const client = new Y.Doc();
    edit(client, (t) => t.insert(0, "abc"));
    const deletion = edit(client, (t) => t.delete(0, 1));
    expect(Y.decodeUpdate(deletion).structs).toEqual([]);
    expect(checkUpdate(deletion, 100)).toBe(true);
  });

  test("a type other than the document root is refused and named; nested content in the root is fine", () => {
    const other = new Y.Doc();
    other.getMap("evil").set("k", "v");
    const r = refusalOf(() => checkUpdate(Y.encodeStateAsUpdate(other), 10_000));
    expect(r).toMatchObject({ reason: "foreign-type", detail: 'top-level type "evil"' });
    const nested = new Y.Doc();
    nested.get("root", Y.XmlText).insertEmbed(0, new Y.XmlText("inside"));
    expect(checkUpdate(Y.encodeStateAsUpdate(nested), 10_000)).toBe(true);
  });

  test("bytes that are not an update are malformed, with the parser's message", () => {
    const r = refusalOf(() => checkUpdate(update.slice(0, update.length - 3), 10_000));
    expect(r.reason).toBe("malformed");
    expect(r.detail.length).toBeGreaterThan(0);
    expect(r.message).toBe(`malformed: ${r.detail}`);
  });

  test("a refusal without detail is just its reason", () => {
    expect(new Refusal("not-joined").message).toBe("not-joined");
    expect(new Refusal("not-joined").detail).toBe("");
  });
});

describe("Socket.io payloads as bytes", () => {
  test("a Buffer or Uint8Array as is, an ArrayBuffer wrapped, anything else refused", () => {
    const b = Buffer.from([1, 2, 3]);
    expect(asBytes(b)).toBe(b);
    const ab = new Uint8Array([4, 5]).buffer;
    expect(asBytes(ab)).toEqual(new Uint8Array([4, 5]));
    expect(asBytes("12")).toBeNull();
    expect(asBytes([1, 2])).toBeNull();
    expect(asBytes(null)).toBeNull();
  });
});

describe("checking an awareness update", () => {
  const entry = (e: encoding.Encoder, state: string, id = 7) => {
    encoding.writeVarUint(e, id);
    encoding.writeVarUint(e, 3);
    encoding.writeVarString(e, state);
  };

  test("encodes and decodes entries, a cleared state (null) included", () => {
    const entries = [
      { clientID: 7, clock: 3, state: { name: "Ann", cursor: { a: 1 } } },
      { clientID: 8, clock: 1, state: null },
    ];
    const bytes = encodeAwareness(entries);
    expect(decodeAwareness(bytes, bytes.byteLength)).toEqual(entries);
    // The y-protocols wire format: count, then id, clock and JSON per entry.
    const d = decoding.createDecoder(bytes);
    expect([decoding.readVarUint(d), decoding.readVarUint(d), decoding.readVarUint(d), decoding.readVarString(d)]).toEqual([2, 7, 3, JSON.stringify(entries[0]!.state)]);
  });

  test("the size limit is inclusive and reported", () => {
    const bytes = encodeAwareness([{ clientID: 1, clock: 1, state: {} }]);
    expect(decodeAwareness(bytes, bytes.byteLength)).toHaveLength(1);
    expect(refusalOf(() => decodeAwareness(bytes, bytes.byteLength - 1))).toMatchObject({ reason: "too-large", detail: `${bytes.byteLength} bytes > ${bytes.byteLength - 1}` });
  });

  test("up to 1000 entries pass; more are refused before reading them", () => {
    const many = awarenessBytes(1000, (e, i) => entry(e, "null", i + 1));
    expect(decodeAwareness(many, 1e6)).toHaveLength(1000);
    const tooMany = awarenessBytes(1001, (e, i) => entry(e, "null", i + 1));
    expect(refusalOf(() => decodeAwareness(tooMany, 1e6))).toMatchObject({ reason: "malformed", detail: "1001 entries" });
  });

  test("a state that is not an object, or not JSON, or bytes left over, is malformed", () => {
    for (const state of ["[1,2]", '"text"', "42", "true"]) {
      expect(refusalOf(() => decodeAwareness(awarenessBytes(1, (e) => entry(e, state)), 1000)), state).toMatchObject({ reason: "malformed", detail: "state is not an object" });
    }
    expect(refusalOf(() => decodeAwareness(awarenessBytes(1, (e) => entry(e, "{nope")), 1000)).reason).toBe("malformed");
    const trailing = new Uint8Array([...encodeAwareness([{ clientID: 1, clock: 1, state: {} }]), 0]);
    expect(refusalOf(() => decodeAwareness(trailing, 1000))).toMatchObject({ reason: "malformed", detail: "trailing bytes" });
    expect(refusalOf(() => decodeAwareness(new Uint8Array([1, 1]), 1000)).reason).toBe("malformed");
  });
});

describe.skipIf(TEST_DB === "postgresql")("the update log's bookkeeping (SQLite only: UpdateLog is the SQLite log; these tests read its pragmas and hold SQLite's write lock)", () => {
  onSqliteFile();

  test("the database file of a Prisma URL, with or without parameters", () => {
    expect(sqliteFileFromUrl("file:./data/atrium.db")).toBe("./data/atrium.db");
    expect(sqliteFileFromUrl("file:/tmp/x.db?connection_limit=1")).toBe("/tmp/x.db");
    expect(sqliteFileFromUrl("/plain/path.db")).toBe("/plain/path.db");
    // A plain path keeps a "file:" or a "?" that is part of a name.
    expect(sqliteFileFromUrl("/srv/file:1.db")).toBe("/srv/file:1.db");
  });

  test("a lock is busy (retried); any other failure is not", () => {
    for (const code of ["SQLITE_BUSY", "SQLITE_LOCKED", "SQLITE_BUSY_SNAPSHOT"]) expect(isBusy({ code }), code).toBe(true);
    for (const e of [{ code: "SQLITE_CONSTRAINT_FOREIGNKEY" }, new Error("x"), null, undefined]) expect(isBusy(e)).toBe(false);
  });

  test("synchronous is NORMAL by default and FULL when asked; the log never waits for a lock", () => {
    const normal = new UpdateLog(db.file);
    const full = new UpdateLog(db.file, "full");
    const pragma = (log: UpdateLog, name: string) => (log as unknown as { db: Database.Database }).db.pragma(name, { simple: true });
    expect(pragma(normal, "synchronous")).toBe(1);
    expect(pragma(full, "synchronous")).toBe(2);
    expect(pragma(normal, "busy_timeout")).toBe(0);
    expect(pragma(normal, "journal_mode")).toBe("wal");
    expect(pragma(normal, "foreign_keys")).toBe(1);
    normal.close();
    full.close();
    normal.close(); // closing twice is harmless
  });

  test("the last sequence is the larger of the log's and the snapshot's; an unknown document has none", () => {
    const id = makeDocRow();
    const log = new UpdateLog(db.file);
    expect(log.lastSeq(id)).toBe(0);
    expect(log.load(id)).toEqual({ state: null, stateSeq: 0, updates: [] });
    const client = new Y.Doc();
    const u = [1, 2, 3].map((i) => edit(client, (t) => t.insert(0, String(i))));
    const at = new Date("2026-05-01T10:00:00Z");
    log.appendMany(u.map((update, i) => ({ docId: id, seq: i + 1, update, userId: "u1", at })));
    expect(log.lastSeq(id)).toBe(3);
    log.compact(id, Y.encodeStateAsUpdate(client), 3, at);
    // The whole log folded: the sequence survives in the snapshot.
    expect(log.logLength(id)).toBe(0);
    expect(log.lastSeq(id)).toBe(3);
    expect(log.load(id)).toMatchObject({ stateSeq: 3, updates: [] });
    // Stored the way Prisma stores DateTime, so Prisma reads it back.
    expect(raw.prepare(`SELECT updatedAt FROM "DocState" WHERE docId=?`).get(id)).toEqual({ updatedAt: "2026-05-01T10:00:00.000+00:00" });
    log.close();
  });

  test("the snapshot never moves back: folding at or below the seq it holds writes nothing", () => {
    const id = makeDocRow();
    const log = new UpdateLog(db.file);
    const client = new Y.Doc();
    const states: Uint8Array[] = [];
    const u = ["a", "b", "c"].map((s) => {
      const update = edit(client, (t) => t.insert(0, s));
      states.push(Y.encodeStateAsUpdate(client));
      return update;
    });
    log.appendMany(u.map((update, i) => ({ docId: id, seq: i + 1, update, userId: null, at: new Date() })));
    const updatedAt = () => (raw.prepare(`SELECT updatedAt FROM "DocState" WHERE docId=?`).get(id) as { updatedAt: string }).updatedAt;
    // The first snapshot of a document.
    log.compact(id, states[1]!, 2, new Date("2026-05-01T10:00:00Z"));
    expect(log.load(id)).toMatchObject({ stateSeq: 2, updates: [{ seq: 3 }] });
    log.compact(id, states[2]!, 3, new Date("2026-05-01T11:00:00Z"));
    // Another instance folding less, or the same, afterwards: the snapshot stays as it is.
    log.compact(id, states[1]!, 2, new Date("2026-05-01T12:00:00Z"));
    log.compact(id, states[2]!, 3, new Date("2026-05-01T13:00:00Z"));
    const stored = log.load(id);
    expect(stored).toMatchObject({ stateSeq: 3, updates: [] });
    expect(text(stored.state!)).toBe("cba");
    expect(updatedAt()).toBe("2026-05-01T11:00:00.000+00:00");
    log.close();
  });

  test("on a shared log each entry of a batch takes the next seq of its own document, and carries it", () => {
    const [x, y] = [makeDocRow(), makeDocRow()];
    const log = new UpdateLog(db.file, "normal", true);
    const entry = (docId: string) => ({ docId, seq: 0, update: edit(new Y.Doc(), (t) => t.insert(0, docId)), userId: null, at: new Date() });
    log.appendMany([entry(x)]);
    const batch = [entry(x), entry(y), entry(x)];
    log.appendMany(batch);
    expect(batch.map((e) => e.seq)).toEqual([2, 1, 3]);
    const seqs = (d: string) => log.load(d).updates.map((u) => u.seq);
    expect([seqs(x), seqs(y)]).toEqual([
      [1, 2, 3],
      [1],
    ]);
    log.close();
  });

  test("draining under a held lock waits for the lock, then commits", async () => {
    const id = makeDocRow();
    const log = new UpdateLog(db.file);
    const w = new LogWriter(log);
    raw.exec("BEGIN IMMEDIATE");
    let drained = false;
    let draining: Promise<void>;
    try {
      void w.submit({ docId: id, seq: 1, update: new Uint8Array([0, 0]), userId: null, at: new Date() });
      draining = w.drain().then(() => void (drained = true));
      await expect.poll(() => w.stats.busyRetries).toBeGreaterThanOrEqual(3);
      expect(drained).toBe(false);
      expect(logRows(id)).toBe(0);
    } finally {
      raw.exec("COMMIT");
    }
    await draining;
    expect(logRows(id)).toBe(1);
    expect(w.pending).toBe(0);
    log.close();
  });

  test("a write that fails for a reason other than a lock rejects every entry of its batch and reports it", async () => {
    const id = makeDocRow();
    const log = new UpdateLog(db.file);
    const fatal: unknown[] = [];
    const w = new LogWriter(log, (err) => fatal.push(err));
    const entry = (docId: string, seq: number) => ({ docId, seq, update: new Uint8Array([0, 0]), userId: null, at: new Date() });
    const results = await Promise.allSettled([w.submit(entry(id, 1)), w.submit(entry("no-such-doc", 1))]);
    expect(results.map((r) => r.status)).toEqual(["rejected", "rejected"]);
    expect(fatal).toHaveLength(1);
    expect(String(fatal[0])).toMatch(/FOREIGN KEY/);
    expect(logRows(id)).toBe(0);
    expect(w.stats).toEqual({ batches: 0, entries: 0, busyRetries: 0 });
    // The writer carries on with the next batch.
    await w.submit(entry(id, 1));
    expect(w.stats).toEqual({ batches: 1, entries: 1, busyRetries: 0 });
    expect(w.pending).toBe(0);
    log.close();
  });

  test("an entry submitted while a batch waits out a held lock waits for the next retry, without trying the lock at once", async () => {
    const id = makeDocRow();
    const log = new UpdateLog(db.file);
    const w = new LogWriter(log);
    const entry = (seq: number) => ({ docId: id, seq, update: new Uint8Array([0, 0]), userId: null, at: new Date() });
    raw.exec("BEGIN IMMEDIATE");
    let done: Promise<unknown>;
    try {
      const first = w.submit(entry(1));
      await expect.poll(() => w.stats.busyRetries).toBeGreaterThanOrEqual(1);
      const tries = w.stats.busyRetries;
      const second = w.submit(entry(2));
      // The writer's own microtask (had it scheduled one) runs before this continuation.
      await Promise.resolve();
      expect(w.stats.busyRetries).toBe(tries);
      done = Promise.all([first, second]);
    } finally {
      raw.exec("COMMIT");
    }
    await done;
    expect(logRows(id)).toBe(2);
    log.close();
  });

  test("a writer without its own report of a failed write reports it on the console", async () => {
    const error = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      const log = new UpdateLog(db.file);
      const w = new LogWriter(log);
      await expect(w.submit({ docId: "no-such-doc", seq: 1, update: new Uint8Array([0, 0]), userId: null, at: new Date() })).rejects.toThrow(/FOREIGN KEY/);
      expect(error).toHaveBeenCalledWith("[collab] update log write failed", expect.objectContaining({ code: "SQLITE_CONSTRAINT_FOREIGNKEY" }));
      log.close();
    } finally {
      error.mockRestore();
    }
  });

  test("under a held lock the retries back off, and entries submitted meanwhile join the same batch", async () => {
    const id = makeDocRow();
    const log = new UpdateLog(db.file);
    const w = new LogWriter(log);
    const entry = (seq: number) => ({ docId: id, seq, update: new Uint8Array([0, 0]), userId: null, at: new Date() });
    raw.exec("BEGIN IMMEDIATE");
    const first = w.submit(entry(1));
    await expect.poll(() => w.stats.busyRetries).toBeGreaterThanOrEqual(2);
    const second = w.submit(entry(2));
    expect(w.pending).toBe(2);
    const delay = (w as unknown as { retryDelay: number }).retryDelay;
    expect(delay).toBeGreaterThanOrEqual(4);
    expect(delay).toBeLessThanOrEqual(50);
    await expect.poll(() => (w as unknown as { retryDelay: number }).retryDelay, { timeout: 5_000 }).toBe(50);
    raw.exec("COMMIT");
    await Promise.all([first, second]);
    expect(w.stats).toMatchObject({ batches: 1, entries: 2 });
    expect((w as unknown as { retryDelay: number }).retryDelay).toBe(1);
    expect(logRows(id)).toBe(2);
    log.close();
  });
});

describe.skipIf(TEST_DB === "postgresql")("the collab service (SQLite only: these unit tests drive the SQLite file through better-sqlite3)", () => {
  onSqliteFile();

  test("an empty update is accepted without a log row, a relay or a refusal", async () => {
    const id = makeDocRow();
    const svc = new CollabService(new UpdateLog(db.file), opts(), quiet);
    let relayed = 0;
    svc.onRelay = () => relayed++;
    await svc.submit(id, new Uint8Array([0, 0]), { userId: "u1" });
    // An update the document already holds changes nothing either.
    const client = new Y.Doc();
    const u = edit(client, (t) => t.insert(0, "once"));
    await svc.submit(id, u, { userId: "u1" });
    await svc.submit(id, u, { userId: "u1" });
    expect(relayed).toBe(1);
    expect(logRows(id)).toBe(1);
    expect(svc.refusals).toEqual([]);
    await svc.close();
  });

  test("log rows carry consecutive sequence numbers, the author and the service's clock", async () => {
    const id = makeDocRow();
    const at = new Date("2026-04-02T08:00:00Z");
    const svc = new CollabService(new UpdateLog(db.file), opts({ now: () => at }), quiet);
    const client = new Y.Doc();
    await svc.submit(id, edit(client, (t) => t.insert(0, "a")), { userId: "u1" });
    await svc.submit(id, edit(client, (t) => t.insert(1, "b")), { userId: null });
    expect(raw.prepare(`SELECT seq, userId, createdAt FROM "DocUpdate" WHERE docId=? ORDER BY seq`).all(id)).toEqual([
      { seq: 1, userId: "u1", createdAt: "2026-04-02T08:00:00.000+00:00" },
      { seq: 2, userId: null, createdAt: "2026-04-02T08:00:00.000+00:00" },
    ]);
    await svc.close();
    // A new service continues the numbering after what is stored.
    const again = new CollabService(new UpdateLog(db.file), opts({ now: () => at }), quiet);
    await again.submit(id, edit(client, (t) => t.insert(2, "c")), { userId: "u1" });
    expect(raw.prepare(`SELECT MAX(seq) s FROM "DocUpdate" WHERE docId=?`).get(id)).toEqual({ s: 3 });
    expect(text(again.state(id))).toBe("abc");
    await again.close();
  });

  test("a refusal is recorded with the document, reason, detail and person, and logged as a warning", async () => {
    const id = makeDocRow();
    const warnings: string[] = [];
    const svc = new CollabService(new UpdateLog(db.file), opts(), { warn: (m: string) => warnings.push(m), error: () => {} });
    await expect(svc.submit(id, new Uint8Array([1, 2, 3, 250]), { userId: "u9", socketId: "sock-1" })).rejects.toMatchObject({ reason: "malformed" });
    expect(svc.refusals).toEqual([{ docId: id, reason: "malformed", detail: expect.any(String), userId: "u9" }]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(`doc ${id} from u9 (socket sock-1)`);
    const r = svc.noteRefusal(id, "read-only", "viewer", { userId: null });
    expect(r).toMatchObject({ reason: "read-only", detail: "viewer" });
    expect(svc.refusals.at(-1)).toEqual({ docId: id, reason: "read-only", detail: "viewer", userId: null });
    expect(warnings[1]).toContain("from server (socket -)");
    await svc.close();
    // After close nothing more is accepted.
    await expect(svc.submit(id, edit(new Y.Doc(), (t) => t.insert(0, "late")), { userId: "u1" })).rejects.toMatchObject({ reason: "unavailable" });
  });

  test("the refusal record keeps the latest ones when it grows past a thousand", async () => {
    const id = makeDocRow();
    const svc = new CollabService(new UpdateLog(db.file), opts(), quiet);
    for (let i = 0; i < 1001; i++) svc.noteRefusal(id, "read-only", String(i), { userId: null });
    expect(svc.refusals).toHaveLength(501);
    expect(svc.refusals[0]!.detail).toBe("500");
    expect(svc.refusals.at(-1)!.detail).toBe("1000");
    await svc.close();
  });

  test("peeking at a closed document reads snapshot + log without opening it; an unknown one is empty", async () => {
    const id = makeDocRow();
    const svc = new CollabService(new UpdateLog(db.file), opts(), quiet);
    const client = new Y.Doc();
    await svc.submit(id, edit(client, (t) => t.insert(0, "peek")), { userId: "u1" });
    svc.unload(id);
    expect(svc.isOpen(id)).toBe(false);
    expect(text(await svc.peekState(id))).toBe("peek");
    expect(svc.isOpen(id)).toBe(false);
    expect(await svc.peekState("nothing-here")).toEqual(new Uint8Array([0, 0]));
    expect(text(await svc.peekState(id))).toBe(text(svc.state(id)));
    expect(svc.openRooms()).toEqual([id]);
    await svc.close();
  });

  test("a viewer's reply adds content only when it carries structs the server lacks", async () => {
    const id = makeDocRow();
    const svc = new CollabService(new UpdateLog(db.file), opts(), quiet);
    const client = new Y.Doc();
    const first = edit(client, (t) => t.insert(0, "known"));
    await svc.submit(id, first, { userId: "u1" });
    expect(svc.addsContent(id, first)).toBe(false);
    expect(svc.addsContent(id, Y.encodeStateAsUpdate(client))).toBe(false);
    const more = edit(client, (t) => t.insert(5, "!"));
    expect(svc.addsContent(id, more)).toBe(true);
    expect(svc.addsContent(id, new Uint8Array([9, 9, 9]))).toBe(true);
    await svc.close();
  });

  test("a comment anchor resolves only inside the document's root", async () => {
    const id = makeDocRow();
    const svc = new CollabService(new UpdateLog(db.file), opts(), quiet);
    const client = new Y.Doc();
    const root = client.get("root", Y.XmlText);
    await svc.submit(id, edit(client, (t) => t.insert(0, "anchor here")), { userId: "u1" });
    expect(svc.anchorResolves(id, Y.encodeRelativePosition(Y.createRelativePositionFromTypeIndex(root, 3)))).toBe(true);
    const stray = new Y.Doc();
    const elsewhere = Y.encodeRelativePosition(Y.createRelativePositionFromTypeIndex(stray.get("other", Y.XmlText), 0));
    expect(svc.anchorResolves(id, elsewhere)).toBe(false);
    await svc.close();
  });

  test("a member speaks only for its own client ids; the same person on a new socket takes a cursor over", async () => {
    const id = makeDocRow();
    const svc = new CollabService(new UpdateLog(db.file), opts(), quiet);
    const relayed: (string | null)[] = [];
    svc.onAwareness = (_d, _u, except) => relayed.push(except);
    expect(() => svc.awarenessFrom(id, "s1", encodeAwareness([]))).toThrow(/not-joined/);
    svc.join(id, { key: "s1", userId: "ann", name: "Ann" });
    expect(() => svc.awarenessFrom(id, "nobody", encodeAwareness([]))).toThrow(/not-joined/);
    svc.awarenessFrom(id, "s1", encodeAwareness([{ clientID: 42, clock: 1, state: { awarenessData: { color: "red", userId: "forged" } } }]));
    const room = svc.room(id);
    expect(room.awareness.getStates().get(42)).toEqual({ name: "Ann", awarenessData: { color: "red", userId: "ann" } });
    // Ann reconnects on a new socket before the old one timed out: the cursor moves to it.
    svc.join(id, { key: "s2", userId: "ann", name: "Ann" });
    svc.awarenessFrom(id, "s2", encodeAwareness([{ clientID: 42, clock: 2, state: { awarenessData: [] } }]));
    expect(room.clientOwners.get(42)).toBe("s2");
    expect([...room.members.get("s1")!.clientIds]).toEqual([]);
    expect(room.awareness.getStates().get(42)).toEqual({ name: "Ann", awarenessData: { userId: "ann" } });
    // Nobody speaks for the server's own client id.
    expect(() => svc.awarenessFrom(id, "s2", encodeAwareness([{ clientID: room.doc.clientID, clock: 1, state: {} }]))).toThrow(/server client id/);
    expect(svc.awarenessSnapshot(id)).not.toBeNull();
    expect(decodeAwareness(svc.awarenessSnapshot(id)!, 10_000).map((e) => e.clientID)).toEqual([42]);
    // Leaving with a cursor removes it for everyone else.
    svc.leave(id, "s1");
    expect(relayed).toEqual([]);
    svc.leave(id, "s2");
    expect(relayed).toEqual([null]);
    expect(room.awareness.getStates().has(42)).toBe(false);
    expect(svc.awarenessSnapshot(id)).toBeNull();
    expect(svc.awarenessSnapshot("not-open")).toBeNull();
    expect(svc.memberCount(id)).toBe(0);
    expect(svc.memberCount("not-open")).toBe(0);
    await svc.close();
  });

  test("a room nobody is in is unloaded after the idle time, compacted first; a member keeps it open", async () => {
    const id = makeDocRow();
    const svc = new CollabService(new UpdateLog(db.file), opts({ roomIdleMs: 30 }), quiet);
    svc.join(id, { key: "s1", userId: "ann", name: "Ann" });
    const client = new Y.Doc();
    await svc.submit(id, edit(client, (t) => t.insert(0, "idle")), { userId: "ann" });
    svc.leave(id, "s1");
    await expect.poll(() => svc.isOpen(id)).toBe(false);
    expect(logRows(id)).toBe(0);
    expect(text(await svc.peekState(id))).toBe("idle");
    await svc.close();
  });

  test("settling derives text once per change, with the editors since the last time", async () => {
    const id = makeDocRow();
    const svc = new CollabService(new UpdateLog(db.file), opts(), quiet);
    const settled: { editors: string[]; seq: number; text: string }[] = [];
    const revisions: { preview?: string; seq: number }[] = [];
    svc.hooks = {
      // Resolves to the text as readers see it, which the next revision reuses as its preview.
      contentSettled: async (_d, s) => (settled.push({ editors: s.editors, seq: s.seq, text: s.read.text }), s.read.text),
      revisionDue: async (_d, r) => void revisions.push({ preview: r.preview, seq: r.seq }),
    };
    await svc.settle(id); // not open: nothing
    const client = new Y.Doc();
    await svc.submit(id, edit(client, (t) => t.insert(0, "x")), { userId: "ann" });
    await svc.submit(id, edit(client, (t) => t.insert(1, "y")), { userId: "bob" });
    await svc.settle(id);
    await svc.settle(id);
    expect(settled).toHaveLength(1);
    expect(settled[0]!.editors).toEqual(["ann", "bob"]);
    expect(settled[0]!.seq).toBe(2);
    // A revision right after settling reuses the derived text as its preview.
    await svc.revision(id, "burst");
    expect(revisions).toEqual([{ preview: settled[0]!.text, seq: 2 }]);
    // Nothing contributed since: no revision.
    await svc.revision(id, "burst");
    expect(revisions).toHaveLength(1);
    // A server-side change (no person) settles but contributes to no revision.
    await svc.submit(id, edit(client, (t) => t.insert(2, "z")), { userId: null });
    await svc.settle(id);
    expect(settled[1]).toMatchObject({ editors: [], seq: 3 });
    await svc.revision(id, "left");
    expect(revisions).toHaveLength(1);
    await svc.close();
  });

  test("an update whose dependency has not arrived is logged before its ack but relayed only once it applies", async () => {
    const id = makeDocRow();
    const svc = new CollabService(new UpdateLog(db.file), opts(), quiet);
    const relayed: string[] = [];
    svc.onRelay = (_d, u) => relayed.push(text(u));
    const client = new Y.Doc();
    const first = edit(client, (t) => t.insert(0, "a"));
    const second = edit(client, (t) => t.insert(1, "b"));
    await svc.submit(id, second, { userId: "u1" });
    expect(logRows(id)).toBe(1);
    expect(relayed).toEqual([]);
    expect(text(svc.state(id))).toBe("");
    // The same parked update again changes nothing and is not logged twice.
    await svc.submit(id, second, { userId: "u1" });
    expect(logRows(id)).toBe(1);
    // A restart replays it into the same parked state.
    const again = new CollabService(new UpdateLog(db.file), opts(), quiet);
    again.onRelay = (_d, u) => relayed.push(text(u));
    await again.submit(id, first, { userId: "u1" });
    expect(text(again.state(id))).toBe("ab");
    expect(relayed).toHaveLength(1);
    expect(logRows(id)).toBe(2);
    await svc.close();
    await again.close();
  });

  test("a room opened on a long log compacts it in the background; nothing to fold does nothing", async () => {
    const id = makeDocRow();
    const first = new CollabService(new UpdateLog(db.file), opts(), quiet);
    const client = new Y.Doc();
    for (let i = 0; i < 5; i++) await first.submit(id, edit(client, (t) => t.insert(0, String(i))), { userId: "u1" });
    // No close(): the process "dies" with five entries in the log.
    const log = new UpdateLog(db.file);
    expect(log.logLength(id)).toBe(5);
    const svc = new CollabService(new UpdateLog(db.file), opts({ compactEvery: 5 }), quiet);
    svc.room(id);
    await new Promise((r) => setImmediate(r));
    expect(log.logLength(id)).toBe(0);
    expect(log.load(id).stateSeq).toBe(5);
    const fewer = makeDocRow();
    await first.submit(fewer, edit(new Y.Doc(), (t) => t.insert(0, "x")), { userId: "u1" });
    svc.room(fewer);
    await new Promise((r) => setImmediate(r));
    expect(log.logLength(fewer)).toBe(1);
    svc.compact(fewer);
    expect(log.logLength(fewer)).toBe(0);
    const state = log.load(fewer).state;
    svc.compact(fewer); // nothing new since: the snapshot stays as it is
    expect(log.load(fewer).state).toEqual(state);
    svc.compact("not-open");
    log.close();
    await svc.close();
    await first.close();
  });

  test("text settles by itself after the settle time, and continuous editing past the maximum captures a revision", async () => {
    const id = makeDocRow();
    const svc = new CollabService(new UpdateLog(db.file), opts({ settleMs: 20, revisionMaxMs: 0 }), quiet);
    const settled: string[][] = [];
    const revisions: { reason: string; contributors: string[] }[] = [];
    let onSettled!: () => void;
    const settledOnce = new Promise<void>((r) => (onSettled = r));
    svc.hooks = {
      contentSettled: async (_d, s) => {
        settled.push(s.editors);
        onSettled();
      },
      revisionDue: async (_d, r) => void revisions.push({ reason: r.reason, contributors: r.contributors }),
    };
    const client = new Y.Doc();
    await svc.submit(id, edit(client, (t) => t.insert(0, "x")), { userId: "ann" });
    // A burst as long as the maximum (here: none) is captured at once.
    expect(revisions).toEqual([{ reason: "burst", contributors: ["ann"] }]);
    await settledOnce;
    expect(settled).toEqual([["ann"]]);
    await svc.close();
  });

  test("closing settles text and captures a revision of every open room, then writes, compacts and unloads", async () => {
    const id = makeDocRow();
    const svc = new CollabService(new UpdateLog(db.file), opts(), quiet);
    const calls: string[] = [];
    svc.hooks = {
      contentSettled: async (d, s) => void calls.push(`settled ${d} ${s.editors.join(",")}`),
      revisionDue: async (d, r) => void calls.push(`revision ${d} ${r.reason} ${r.contributors.join(",")}`),
    };
    svc.join(id, { key: "s1", userId: "ann", name: "Ann" });
    await svc.submit(id, edit(new Y.Doc(), (t) => t.insert(0, "bye")), { userId: "ann" });
    await svc.close();
    expect(calls).toEqual([`settled ${id} ann`, `revision ${id} left ann`]);
    expect(svc.isOpen(id)).toBe(false);
    expect(logRows(id)).toBe(0);
    const log = new UpdateLog(db.file);
    expect(text(log.load(id).state!)).toBe("bye");
    log.close();
    await svc.close(); // twice is harmless
  });

  test("a hook that fails is logged and does not stop the service", async () => {
    const id = makeDocRow();
    const errors: string[] = [];
    const svc = new CollabService(new UpdateLog(db.file), opts(), { warn: () => {}, error: (m: string) => errors.push(m) });
    svc.hooks = {
      contentSettled: async () => {
        throw new Error("search is down");
      },
      revisionDue: async () => {
        throw new Error("disk full");
      },
    };
    await svc.submit(id, edit(new Y.Doc(), (t) => t.insert(0, "x")), { userId: "ann" });
    await svc.settle(id);
    await svc.revision(id, "burst");
    expect(errors).toEqual([`[collab] deriving text of doc ${id} failed`, `[collab] revision of doc ${id} failed`]);
    await svc.submit(id, edit(new Y.Doc(), (t) => t.insert(0, "y")), { userId: "ann" });
    expect(logRows(id)).toBe(2);
    svc.hooks = null;
    await svc.close();
  });

  test("an update handed over as part of a larger buffer is stored as exactly its own bytes", () => {
    const id = makeDocRow();
    const log = new UpdateLog(db.file);
    const update = edit(new Y.Doc(), (t) => t.insert(0, "slice"));
    const big = new Uint8Array(update.byteLength + 20);
    big.set(update, 10);
    const view = big.subarray(10, 10 + update.byteLength);
    log.appendMany([{ docId: id, seq: 1, update: view, userId: null, at: new Date() }]);
    expect(log.load(id).updates[0]!.update).toEqual(update);
    log.compact(id, view, 1);
    expect(log.load(id).state).toEqual(update);
    log.close();
  });

  test("leaving twice, or a room that is not open, changes nothing; a cleared cursor stays cleared", async () => {
    const id = makeDocRow();
    const svc = new CollabService(new UpdateLog(db.file), opts(), quiet);
    svc.leave("not-open", "s1");
    svc.join(id, { key: "s1", userId: "ann", name: "Ann" });
    svc.join(id, { key: "s2", userId: "bob", name: "Bob" });
    svc.leave(id, "nobody");
    expect(svc.memberCount(id)).toBe(2);
    svc.awarenessFrom(id, "s1", encodeAwareness([{ clientID: 51, clock: 1, state: { c: 1 } }]));
    const cleared = svc.awarenessFrom(id, "s1", encodeAwareness([{ clientID: 51, clock: 2, state: null }]));
    expect(decodeAwareness(cleared, 10_000)).toEqual([{ clientID: 51, clock: 2, state: null }]);
    expect(svc.room(id).awareness.getStates().has(51)).toBe(false);
    svc.leave(id, "s1");
    svc.leave(id, "s1");
    expect(svc.memberCount(id)).toBe(1);
    await svc.close();
  });

  test("an unloaded room's pending settle never runs (a room settled after it is the control)", async () => {
    const [gone, kept] = [makeDocRow(), makeDocRow()];
    const svc = new CollabService(new UpdateLog(db.file), opts({ settleMs: 20 }), quiet);
    const settled: string[] = [];
    let onKept!: () => void;
    const keptSettled = new Promise<void>((r) => (onKept = r));
    svc.hooks = {
      contentSettled: async (d) => {
        settled.push(d);
        if (d === kept) onKept();
      },
      revisionDue: async () => {},
    };
    await svc.submit(gone, edit(new Y.Doc(), (t) => t.insert(0, "a")), { userId: "ann" });
    svc.unload(gone);
    await svc.submit(kept, edit(new Y.Doc(), (t) => t.insert(0, "b")), { userId: "ann" });
    // Same delay, armed later: had the first timer survived the unload it would have fired first.
    await keptSettled;
    expect(settled).toEqual([kept]);
    await svc.close();
  });

  test("compaction while another connection holds the write lock is postponed, then done", async () => {
    const id = makeDocRow();
    const warnings: string[] = [];
    const svc = new CollabService(new UpdateLog(db.file), opts(), { warn: (m: string) => warnings.push(m), error: () => {} });
    await svc.submit(id, edit(new Y.Doc(), (t) => t.insert(0, "held")), { userId: "ann" });
    raw.exec("BEGIN IMMEDIATE");
    try {
      svc.compact(id);
    } finally {
      raw.exec("COMMIT");
    }
    expect(warnings).toEqual([expect.stringContaining(`[collab] compaction of doc ${id} postponed`)]);
    expect(logRows(id)).toBe(1);
    svc.compact(id);
    expect(logRows(id)).toBe(0);
    await svc.close();
  });

  test("an update that decodes but does not apply is refused, and the room is read back from the log without any part of it", async () => {
    const id = makeDocRow();
    const svc = new CollabService(new UpdateLog(db.file), opts(), quiet);
    let relayed = 0;
    svc.onRelay = () => relayed++;
    await svc.submit(id, edit(new Y.Doc(), (t) => t.insert(0, "abc")), { userId: "u1" });
    svc.join(id, { key: "s1", userId: "ann", name: "Ann" });
    const bad = decodesButFails;
    expect(checkUpdate(bad, 1000)).toBe(true);
    await expect(svc.submit(id, bad, { userId: "ann", socketId: "sock" })).rejects.toMatchObject({ reason: "apply-failed" });
    expect(svc.refusals).toEqual([{ docId: id, reason: "apply-failed", detail: expect.any(String), userId: "ann" }]);
    expect(text(svc.state(id))).toBe("abc");
    expect(svc.memberCount(id)).toBe(1);
    expect(logRows(id)).toBe(1);
    expect(relayed).toBe(1);
    // The read-back room takes the next update as usual.
    await svc.submit(id, edit(new Y.Doc(), (t) => t.insert(0, "z")), { userId: "ann" });
    expect(text(svc.state(id)).length).toBe(4);
    await svc.close();
  });

  test("a document converted again because it changed counts as just used: the oldest other one is dropped first", async () => {
    const id = makeDocRow();
    const svc = new CollabService(new UpdateLog(db.file), opts(), quiet);
    await svc.submit(id, markdownToState("old"), { userId: "u1" });
    await svc.contentJson(id);
    const others = Array.from({ length: 100 }, (_, i) => `lru-${id}-${i}`);
    for (const o of others.slice(0, 98)) await svc.contentJson(o);
    await svc.submit(id, editToMarkdownUpdate(svc.state(id), "new"), { userId: "u1" });
    const fresh = await svc.contentJson(id);
    expect(JSON.stringify(fresh)).toContain('"text":"new"');
    // The 100th and the 101st entries: the one dropped is the oldest other document.
    await svc.contentJson(others[98]!);
    await svc.contentJson(others[99]!);
    expect(await svc.contentJson(id)).toBe(fresh);
    await svc.close();
  });

  test("a document's editor JSON is converted once per log position, for an open or a closed room; the least recently used beyond a hundred is dropped", async () => {
    const id = makeDocRow();
    const svc = new CollabService(new UpdateLog(db.file), opts(), quiet);
    await svc.submit(id, markdownToState("one"), { userId: "u1" });
    const first = await svc.contentJson(id);
    expect(JSON.stringify(first)).toContain('"text":"one"');
    expect(await svc.contentJson(id)).toBe(first);
    await svc.submit(id, editToMarkdownUpdate(svc.state(id), "one two"), { userId: "u1" });
    const second = await svc.contentJson(id);
    expect(second).not.toBe(first);
    expect(JSON.stringify(second)).toContain('"text":"one two"');
    // Closed: the log's last position is the one converted.
    svc.unload(id);
    expect(await svc.contentJson(id)).toBe(second);
    expect(svc.isOpen(id)).toBe(false);
    // 99 other documents fill the cache; reading this one again makes it the most recent, so the
    // 101st evicts the oldest other one instead.
    const others = Array.from({ length: 100 }, (_, i) => `json-${id}-${i}`);
    const oldest = await svc.contentJson(others[0]!);
    for (const o of others.slice(1, 99)) await svc.contentJson(o);
    expect(await svc.contentJson(id)).toBe(second);
    await svc.contentJson(others[99]!);
    expect(await svc.contentJson(id)).toBe(second);
    expect(await svc.contentJson(others[0]!)).not.toBe(oldest);
    await svc.close();
  });
});
