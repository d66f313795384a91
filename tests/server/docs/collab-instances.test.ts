/**
 * The collaboration service at unit level with a shared log (several instances, decision 129)
 * and with a log that answers with promises (as PostgreSQL's does): seqs taken by the commit,
 * relays applied out of order, gaps read back from the log, rooms loaded asynchronously, batches
 * written one after another. The SQLite log plays both: `shared` on one file for two instances,
 * and wrapped in promises whose answers a test can hold back.
 */
import { describe, expect, test } from "vitest";
import * as Y from "yjs";
import { CollabService } from "../../../server/collab/service.js";
import { LogWriter, UpdateLog, type DocLog, type LogEntry, type StoredDoc } from "../../../server/collab/update-log.js";
import { encodeAwareness } from "../../../server/collab/validate.js";
import { TEST_DB } from "../../helpers/db.js";
import { edit, opts, quiet, sqliteForCollab, text } from "./fixtures/collab-unit.js";

const sql = sqliteForCollab("ci");
const makeDocRow = sql.docRow;

/** What the polls wait for takes milliseconds: a short limit keeps a failing run (and a mutation run) short. */

/** An edit by a client of its own, with no dependency on any other (each inserts at the start). */
const independent = (s: string) => edit(new Y.Doc(), (t) => t.insert(0, s));

/** Letters of a document's text, sorted (independent inserts at the start land in client order). */
const letters = (state: Uint8Array) => [...text(state)].sort().join("");

/** A promise and its resolver: lets a test hold an answer of the log back. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((r) => (open = r));
  return { open, opened };
}

/**
 * The SQLite log behind promises. `load` reads the file when called and answers when `loadGate`
 * opens (a read that took a moment), `lastSeq` likewise or after its gate; `appendMany` and
 * `compact` can be made to fail once.
 */
class AsyncLog implements DocLog {
  readonly sync = false;
  loads = 0;
  loadGate: Promise<void> = Promise.resolve();
  lastSeqGate: Promise<void> = Promise.resolve();
  appendGate: Promise<void> = Promise.resolve();
  failAppend: Error | null = null;
  failCompact: Error | null = null;
  constructor(readonly inner: UpdateLog) {}
  get shared() {
    return this.inner.shared;
  }
  failLoad: Error | null = null;
  async load(docId: string): Promise<StoredDoc> {
    this.loads++;
    const stored = this.inner.load(docId);
    await this.loadGate;
    const fail = this.failLoad;
    this.failLoad = null;
    if (fail) throw fail;
    return stored;
  }
  /** Read after `lastSeqGate` opens when set (a read that saw later commits), else when called. */
  lastSeqLate = false;
  async lastSeq(docId: string) {
    const early = this.inner.lastSeq(docId);
    await this.lastSeqGate;
    return this.lastSeqLate ? this.inner.lastSeq(docId) : early;
  }
  async logLength(docId: string) {
    return this.inner.logLength(docId);
  }
  async appendMany(entries: LogEntry[]) {
    await this.appendGate;
    const fail = this.failAppend;
    this.failAppend = null;
    if (fail) throw fail;
    this.inner.appendMany(entries);
  }
  compactGate: Promise<void> = Promise.resolve();
  async compact(docId: string, state: Uint8Array, seq: number, at?: Date) {
    await this.compactGate;
    const fail = this.failCompact;
    this.failCompact = null;
    if (fail) throw fail;
    this.inner.compact(docId, state, seq, at);
  }
  async close() {
    this.inner.close();
  }
}

describe.skipIf(TEST_DB === "postgresql")("two instances on one shared log (SQLite only: the log is the SQLite file, shared)", () => {
  /** Two services on the same file, each relaying what it logs to the other (or to `held`, when a test holds relays). */
  function pair(o = opts()) {
    const a = new CollabService(new UpdateLog(sql.file, "normal", true), o, quiet);
    const b = new CollabService(new UpdateLog(sql.file, "normal", true), o, quiet);
    a.relay = { publish: (d, s, u) => b.applyRemote(d, s, u) };
    b.relay = { publish: (d, s, u) => a.applyRemote(d, s, u) };
    return {
      a,
      b,
      /** Opens the document on both instances. */
      openBoth: (id: string) => (a.room(id), b.room(id)),
      /** A's relays from now on are kept for the test to deliver (or not), instead of reaching B. */
      holdA: () => {
        const held: [number, Uint8Array][] = [];
        a.relay = { publish: (_d, s, u) => held.push([s, u]) };
        return held;
      },
      close: () => Promise.all([a.close(), b.close()]),
    };
  }

  test("each commit takes the next seq of the document, whichever instance logs it; the other applies it and relays it to its own sockets", async () => {
    const id = makeDocRow();
    const { a, b, close } = pair();
    a.room(id);
    b.room(id);
    const relayedOnB: { text: string; userId: string | null }[] = [];
    b.onRelay = (_d, u, origin) => relayedOnB.push({ text: text(u), userId: origin.userId });
    const client = new Y.Doc();
    await a.submit(id, edit(client, (t) => t.insert(0, "a")), { userId: "ann" });
    await b.submit(id, edit(client, (t) => t.insert(1, "b")), { userId: "bob" });
    await a.submit(id, edit(client, (t) => t.insert(2, "c")), { userId: "ann" });
    expect(sql.seqs(id)).toEqual([1, 2, 3]);
    expect(text(a.state(id))).toBe("abc");
    expect(text(b.state(id))).toBe("abc");
    // B relays A's two updates (as from the server: the person is on the other instance), and its own.
    expect(relayedOnB.map((r) => r.userId)).toEqual([null, "bob", null]);
    expect(relayedOnB[0]!.text).toBe("a");
    expect([a.relayStats.applied, b.relayStats.applied]).toEqual([1, 2]);
    // Both hold everything up to seq 3: the next update of either is 4.
    expect([a.room(id).nextSeq, b.room(id).nextSeq]).toEqual([4, 4]);
    await b.submit(id, edit(client, (t) => t.insert(3, "d")), { userId: "bob" });
    expect(sql.seqs(id)).toEqual([1, 2, 3, 4]);
    await close();
  });

  test("a relay of a seq the room already holds is skipped", async () => {
    const id = makeDocRow();
    const { a, b, openBoth, holdA, close } = pair();
    openBoth(id);
    const held = holdA();
    await a.submit(id, independent("x"), { userId: "ann" });
    b.applyRemote(id, 1, held[0]![1]);
    let relayed = 0;
    b.onRelay = () => relayed++;
    b.applyRemote(id, 1, held[0]![1]);
    b.applyRemote(id, 0, held[0]![1]);
    expect(b.relayStats.applied).toBe(1);
    expect(relayed).toBe(0);
    // A relay for a document this instance does not have open is not its concern.
    b.applyRemote("not-open", 1, held[0]![1]);
    expect(b.isOpen("not-open")).toBe(false);
    await close();
  });

  test("relays out of order: a later one applies at once, and the room's position moves on once the gap fills", async () => {
    const id = makeDocRow();
    const { a, b, openBoth, holdA, close } = pair();
    const room = openBoth(id);
    const held = holdA();
    for (const s of ["p", "q", "r", "s"]) await a.submit(id, independent(s), { userId: "ann" });
    const [one, two, three, four] = held;
    b.applyRemote(id, ...one!);
    b.applyRemote(id, ...three!);
    b.applyRemote(id, ...four!);
    expect(letters(b.state(id))).toBe("prs");
    expect(room.nextSeq).toBe(2);
    // Seen beyond the gap: not applied twice.
    b.applyRemote(id, ...three!);
    expect(b.relayStats.applied).toBe(3);
    b.applyRemote(id, ...two!);
    expect(letters(b.state(id))).toBe("pqrs");
    expect(room.nextSeq).toBe(5);
    expect(room.seenAbove.size).toBe(0);
    // Its next own update follows them.
    await b.submit(id, independent("t"), { userId: "bob" });
    expect(sql.seqs(id)).toEqual([1, 2, 3, 4, 5]);
    expect(b.relayStats.caughtUp).toBe(0);
    await close();
  });

  test("an instance's own commit does not claim the seqs before it that it has not seen yet", async () => {
    const id = makeDocRow();
    const { a, b, openBoth, holdA, close } = pair();
    openBoth(id);
    const held = holdA();
    await a.submit(id, independent("e"), { userId: "ann" });
    await b.submit(id, independent("f"), { userId: "bob" });
    expect(sql.seqs(id)).toEqual([1, 2]);
    // A's seq 1 reaches B late: B applies it, though its own seq 2 came first.
    b.applyRemote(id, ...held[0]!);
    expect(letters(b.state(id))).toBe("ef");
    expect(b.room(id).nextSeq).toBe(3);
    await close();
  });

  test("a relay that never comes: shortly after the gap shows, the room reads the log for what it missed; a gap that fills in time reads nothing", async () => {
    const [filled, missed] = [makeDocRow(), makeDocRow()];
    const { a, b, close } = pair();
    b.gapMs = 20;
    const held: [string, number, Uint8Array][] = [];
    a.relay = { publish: (d, s, u) => held.push([d, s, u]) };
    for (const id of [filled, missed]) {
      a.room(id);
      b.room(id);
      for (const s of ["k", "l", "m"]) await a.submit(id, independent(s), { userId: "ann" });
    }
    const of = (id: string) => held.filter((h) => h[0] === id).map((h) => [h[1], h[2]] as const);
    const [f1, f2, f3] = of(filled);
    b.applyRemote(filled, ...f1!);
    b.applyRemote(filled, ...f3!);
    b.applyRemote(filled, ...f2!);
    // Armed after the first room's: had the first timer survived the fill, it would have read first.
    const [m1, , m3] = of(missed);
    b.applyRemote(missed, ...m1!);
    b.applyRemote(missed, ...m3!);
    expect(letters(b.state(missed))).toBe("km");
    await expect.poll(() => letters(b.state(missed))).toBe("klm");
    expect(b.relayStats.caughtUp).toBe(1);
    expect(b.room(missed).nextSeq).toBe(4);
    expect(b.room(missed).seenAbove.size).toBe(0);
    expect(letters(b.state(filled))).toBe("klm");
    await close();
  });

  test("after the relay was interrupted every open room reads what it missed, the snapshot included when the log was compacted past it", async () => {
    const [one, two] = [makeDocRow(), makeDocRow()];
    const { a, b, close } = pair();
    a.relay = { publish: () => {} };
    for (const id of [one, two]) {
      a.room(id);
      b.room(id);
    }
    await a.submit(one, independent("u"), { userId: "ann" });
    await a.submit(two, independent("v"), { userId: "ann" });
    await a.submit(two, independent("w"), { userId: "ann" });
    a.compact(two);
    await a.submit(two, independent("x"), { userId: "ann" });
    const relayed: string[] = [];
    b.onRelay = (d, u) => relayed.push(`${d}:${letters(u)}`);
    b.catchUpAll();
    expect(b.relayStats.caughtUp).toBe(2);
    expect(letters(b.state(one))).toBe("u");
    expect(letters(b.state(two))).toBe("vwx");
    expect(relayed).toEqual([`${one}:u`, `${two}:vwx`]);
    expect(b.room(two).nextSeq).toBe(4);
    // Nothing new: reading again applies and relays nothing.
    b.catchUp(two);
    expect(relayed).toHaveLength(2);
    b.catchUp("not-open");
    await close();
  });

  test("a room opened on a shared log claims only the seqs it loaded", async () => {
    const id = makeDocRow();
    const { a, b, close } = pair();
    a.room(id);
    for (const s of ["g", "h"]) await a.submit(id, independent(s), { userId: "ann" });
    a.compact(id);
    await a.submit(id, independent("i"), { userId: "ann" });
    expect(b.room(id).nextSeq).toBe(4);
    expect(letters(b.state(id))).toBe("ghi");
    await close();
  });

  test("a room whose log moved on while it was being read reads it again at once", async () => {
    const id = makeDocRow();
    const a = new CollabService(new UpdateLog(sql.file, "normal", true), opts(), quiet);
    const log = new AsyncLog(new UpdateLog(sql.file, "normal", true));
    const b = new CollabService(log, opts(), quiet);
    a.room(id);
    await a.submit(id, independent("n"), { userId: "ann" });
    // B reads the snapshot and log; A commits before B reads the last seq.
    const seqGate = gate();
    log.lastSeqGate = seqGate.opened;
    log.lastSeqLate = true;
    const opening = b.open(id);
    await a.submit(id, independent("o"), { userId: "ann" });
    seqGate.open();
    const room = await opening;
    await expect.poll(() => letters(b.state(id))).toBe("no");
    expect(room.nextSeq).toBe(3);
    expect(b.relayStats.caughtUp).toBe(1);
    await Promise.all([a.close(), b.close()]);
  });
});

describe.skipIf(TEST_DB === "postgresql")("catching up on a shared log that answers with promises (SQLite only)", () => {
  /** A (synchronous) and B (behind promises) on one shared file; A's relays never reach B. */
  function pair() {
    const a = new CollabService(new UpdateLog(sql.file, "normal", true), opts(), quiet);
    const errors: string[] = [];
    const log = new AsyncLog(new UpdateLog(sql.file, "normal", true));
    const b = new CollabService(log, opts(), { warn: () => {}, error: (m: string) => errors.push(m) });
    a.relay = { publish: () => {} };
    return { a, b, log, errors };
  }

  test("a read of the log that answers after its room left memory applies nothing; the room still open takes what it missed", async () => {
    const [gone, kept] = [makeDocRow(), makeDocRow()];
    const { a, b, log } = pair();
    for (const id of [gone, kept]) {
      a.room(id);
      await b.open(id);
      await a.submit(id, independent(id), { userId: "ann" });
    }
    const relayed: string[] = [];
    b.onRelay = (d) => relayed.push(d);
    const read = gate();
    log.loadGate = read.opened;
    b.catchUp(gone);
    b.catchUp(kept);
    b.unload(gone);
    read.open();
    await expect.poll(() => b.relayStats.caughtUp).toBe(1);
    expect(relayed).toEqual([kept]);
    expect(text(b.state(kept))).toBe(kept);
    expect(b.isOpen(gone)).toBe(false);
    await Promise.all([a.close(), b.close()]);
    expect(b.relayStats.caughtUp).toBe(1);
  });

  test("a read of the log that fails is reported, and the room carries on with what it has", async () => {
    const id = makeDocRow();
    const { a, b, log, errors } = pair();
    a.room(id);
    await b.open(id);
    await a.submit(id, independent("missed"), { userId: "ann" });
    log.failLoad = new Error("connection reset");
    b.catchUp(id);
    await expect.poll(() => errors).toEqual([`[collab] catching up doc ${id} failed`]);
    expect(b.relayStats.caughtUp).toBe(0);
    expect(text(b.state(id))).toBe("");
    b.catchUp(id);
    await expect.poll(() => text(b.state(id))).toBe("missed");
    await Promise.all([a.close(), b.close()]);
  });

  test("a read of the log taken before later relays arrived leaves the room where the relays took it", async () => {
    const id = makeDocRow();
    const { a, b, log } = pair();
    const held: [number, Uint8Array][] = [];
    a.relay = { publish: (_d, s, u) => held.push([s, u]) };
    a.room(id);
    await b.open(id);
    await a.submit(id, independent("p"), { userId: "ann" });
    // The read is taken now (seq 1 logged) and answers after seqs 1 and 2 were relayed.
    const read = gate();
    log.loadGate = read.opened;
    b.catchUp(id);
    await a.submit(id, independent("q"), { userId: "ann" });
    for (const h of held) b.applyRemote(id, ...h);
    expect(b.room(id).nextSeq).toBe(3);
    read.open();
    await expect.poll(() => b.relayStats.caughtUp).toBe(1);
    expect(b.room(id).nextSeq).toBe(3);
    expect(letters(b.state(id))).toBe("pq");
    await Promise.all([a.close(), b.close()]);
  });

  test("a read of the log that finds nothing new leaves the derived text as it is", async () => {
    const id = makeDocRow();
    const { a, b } = pair();
    const settled: string[] = [];
    b.hooks = { contentSettled: async (_d, s) => void settled.push(s.read.text), revisionDue: async () => {} };
    a.room(id);
    await b.open(id);
    await a.submit(id, independent("once"), { userId: "ann" });
    b.catchUp(id);
    await expect.poll(() => b.relayStats.caughtUp).toBe(1);
    await b.settle(id);
    expect(settled).toHaveLength(1);
    b.catchUp(id);
    await expect.poll(() => b.relayStats.caughtUp).toBe(2);
    await b.settle(id);
    expect(settled).toHaveLength(1);
    await Promise.all([a.close(), b.close()]);
  });

  test("a room opened on a shared log that holds everything logged reads nothing more", async () => {
    const id = makeDocRow();
    const { a, b } = pair();
    a.room(id);
    await a.submit(id, independent("all"), { userId: "ann" });
    await b.open(id);
    expect(text(b.state(id))).toBe("all");
    expect(b.room(id).nextSeq).toBe(2);
    await Promise.all([a.close(), b.close()]);
    expect(b.relayStats.caughtUp).toBe(0);
  });
});

describe.skipIf(TEST_DB === "postgresql")("a log that answers with promises (SQLite only: the SQLite log wrapped as PostgreSQL's answers)", () => {
  test("a document must be opened first; openers at the same time share one load, later ones get the open room", async () => {
    const id = makeDocRow();
    const log = new AsyncLog(new UpdateLog(sql.file));
    const svc = new CollabService(log, opts(), quiet);
    expect(() => svc.room(id)).toThrow(`document ${id} is not loaded: await collab.open() first`);
    const [r1, r2] = await Promise.all([svc.open(id), svc.open(id)]);
    expect(r1).toBe(r2);
    expect(log.loads).toBe(1);
    expect(await svc.open(id)).toBe(r1);
    expect(svc.room(id)).toBe(r1);
    expect(log.loads).toBe(1);
    await svc.close();
  });

  test("a room opened alone on its log numbers after the last seq logged, the snapshot's included", async () => {
    const id = makeDocRow();
    const first = new CollabService(new UpdateLog(sql.file), opts(), quiet);
    const client = new Y.Doc();
    for (const s of ["1", "2"]) await first.submit(id, edit(client, (t) => t.insert(0, s)), { userId: "u1" });
    first.compact(id);
    await first.close();
    const svc = new CollabService(new AsyncLog(new UpdateLog(sql.file)), opts(), quiet);
    await svc.submit(id, edit(client, (t) => t.insert(0, "3")), { userId: "u1" });
    expect(sql.seqs(id)).toEqual([3]);
    expect(text(svc.state(id))).toBe("321");
    await svc.close();
  });

  test("a new document's room is ready at once on an asynchronous log; a synchronous one loads it on first use", async () => {
    const [id, onSync] = [makeDocRow(), makeDocRow()];
    const svc = new CollabService(new AsyncLog(new UpdateLog(sql.file)), opts(), quiet);
    const client = new Y.Doc();
    await svc.create(id, edit(client, (t) => t.insert(0, "new")), "u1");
    expect(svc.isOpen(id)).toBe(true);
    expect(text(svc.state(id))).toBe("new");
    await svc.submit(id, edit(client, (t) => t.insert(3, "!")), { userId: "u1" });
    expect(sql.seqs(id)).toEqual([1, 2]);
    await svc.close();
    const sync = new CollabService(new UpdateLog(sql.file), opts(), quiet);
    await sync.create(onSync, independent("s"), "u1");
    expect(sync.isOpen(onSync)).toBe(false);
    expect(text(sync.state(onSync))).toBe("s");
    await sync.close();
  });

  test("a relay that arrives while the room is still being read is applied once it is installed", async () => {
    const id = makeDocRow();
    const a = new CollabService(new UpdateLog(sql.file, "normal", true), opts(), quiet);
    const log = new AsyncLog(new UpdateLog(sql.file, "normal", true));
    const b = new CollabService(log, opts(), quiet);
    const held: [number, Uint8Array][] = [];
    a.relay = { publish: (_d, s, u) => held.push([s, u]) };
    a.room(id);
    const loadGate = gate();
    log.loadGate = loadGate.opened;
    log.lastSeqGate = loadGate.opened;
    // B's read of the log is taken before A commits, and answers after the relay arrived.
    const opening = b.open(id);
    await a.submit(id, independent("late"), { userId: "ann" });
    b.applyRemote(id, ...held[0]!);
    loadGate.open();
    const room = await opening;
    await expect.poll(() => text(b.state(id))).toBe("late");
    expect(room.nextSeq).toBe(2);
    expect(b.relayStats.applied).toBe(1);
    await Promise.all([a.close(), b.close()]);
  });

  test("a compaction the log refuses is postponed with its count kept: the next update past the threshold compacts", async () => {
    const id = makeDocRow();
    const warnings: string[] = [];
    const log = new AsyncLog(new UpdateLog(sql.file));
    const svc = new CollabService(log, opts({ compactEvery: 3 }), { warn: (m: string) => warnings.push(m), error: () => {} });
    for (const s of ["c", "d"]) await svc.submit(id, independent(s), { userId: "u1" });
    log.failCompact = new Error("connection reset");
    svc.compact(id);
    await expect.poll(() => warnings).toEqual([`[collab] compaction of doc ${id} postponed: connection reset`]);
    expect(sql.seqs(id)).toEqual([1, 2]);
    // Two entries were not folded: with the third the log is due again.
    await svc.submit(id, independent("e"), { userId: "u1" });
    await expect.poll(() => sql.seqs(id)).toEqual([]);
    expect(letters(await svc.peekState(id))).toBe("cde");
    await svc.close();
  });

  test("an update the log cannot store is refused as unavailable; the room is read back from the log and keeps its members", async () => {
    const id = makeDocRow();
    const log = new AsyncLog(new UpdateLog(sql.file));
    const svc = new CollabService(log, opts(), quiet);
    await svc.open(id);
    svc.join(id, { key: "s1", userId: "ann", name: "Ann" });
    svc.awarenessFrom(id, "s1", encodeAwareness([{ clientID: 61, clock: 1, state: {} }]));
    await svc.submit(id, independent("kept"), { userId: "ann" });
    log.failAppend = new Error("database unreachable");
    await expect(svc.submit(id, independent("lost"), { userId: "ann" })).rejects.toMatchObject({
      reason: "unavailable",
      detail: "update not stored: database unreachable",
    });
    const reloaded = await svc.open(id);
    expect(text(svc.state(id))).toBe("kept");
    expect(svc.memberCount(id)).toBe(1);
    expect(reloaded.clientOwners.get(61)).toBe("s1");
    await svc.close();
  });

  test("a room that cannot be read back after a failed write is reported, and opens again once the log answers", async () => {
    const id = makeDocRow();
    const errors: string[] = [];
    const log = new AsyncLog(new UpdateLog(sql.file));
    const svc = new CollabService(log, opts(), { warn: () => {}, error: (m: string) => errors.push(m) });
    await svc.submit(id, independent("kept"), { userId: "ann" });
    log.failAppend = new Error("database unreachable");
    log.failLoad = new Error("still unreachable");
    await expect(svc.submit(id, independent("lost"), { userId: "ann" })).rejects.toMatchObject({ reason: "unavailable" });
    await expect.poll(() => errors).toContain(`[collab] reloading doc ${id} failed`);
    expect(svc.isOpen(id)).toBe(false);
    expect(text((await svc.open(id)) && svc.state(id))).toBe("kept");
    await svc.close();
  });

  test("a room unloaded and opened again is read afresh from the log", async () => {
    const id = makeDocRow();
    const log = new AsyncLog(new UpdateLog(sql.file));
    const svc = new CollabService(log, opts(), quiet);
    const first = await svc.open(id);
    await svc.submit(id, independent("again"), { userId: "ann" });
    svc.unload(id);
    const second = await svc.open(id);
    expect(second).not.toBe(first);
    expect(log.loads).toBe(2);
    expect(text(svc.state(id))).toBe("again");
    await svc.close();
  });

  test("a refused update never reaches the snapshot, though a compaction was due when it came", async () => {
    const id = makeDocRow();
    const log = new AsyncLog(new UpdateLog(sql.file));
    const svc = new CollabService(log, opts({ compactEvery: 2 }), quiet);
    await svc.submit(id, independent("k"), { userId: "ann" });
    // The second entry makes a compaction due (on the next turn); the third, in this turn, is not stored.
    await svc.submit(id, independent("m"), { userId: "ann" });
    log.failAppend = new Error("database unreachable");
    await expect(svc.submit(id, independent("x"), { userId: "ann" })).rejects.toMatchObject({ reason: "unavailable" });
    // The turn the compaction was due on passes, and the room is read back from the log.
    await new Promise((r) => setImmediate(r));
    await svc.open(id);
    await svc.close();
    const stored = new UpdateLog(sql.file);
    const s = stored.load(id);
    stored.close();
    expect(letters(Y.mergeUpdates([s.state ?? new Uint8Array([0, 0]), ...s.updates.map((u) => u.update)]))).toBe("km");
  });

  test("a new document whose first write ends while the service closes gets no room", async () => {
    const id = makeDocRow();
    const log = new AsyncLog(new UpdateLog(sql.file));
    const svc = new CollabService(log, opts(), quiet);
    const write = gate();
    log.appendGate = write.opened;
    const creating = svc.create(id, independent("first"), "u1");
    const closing = svc.close();
    write.open();
    await Promise.all([creating, closing]);
    expect(svc.isOpen(id)).toBe(false);
    expect(sql.seqs(id)).toEqual([1]);
  });

  test("on a synchronous log too, an update that cannot be stored leaves the room as the log has it, members kept", async () => {
    // No document row: the foreign key refuses the log entry.
    const svc = new CollabService(new UpdateLog(sql.file), opts(), quiet);
    svc.join("no-such-doc", { key: "s1", userId: "ann", name: "Ann" });
    await expect(svc.submit("no-such-doc", independent("lost"), { userId: "ann" })).rejects.toMatchObject({ reason: "unavailable" });
    expect(text(svc.state("no-such-doc"))).toBe("");
    expect(svc.memberCount("no-such-doc")).toBe(1);
    await svc.close();
  });
});

describe.skipIf(TEST_DB === "postgresql")("closing waits for what is still running (SQLite only: the SQLite log, alone or behind promises)", () => {
  /** Lets every pending microtask run: a synchronous log's part of closing needs nothing else. */
  const microtasksRun = () => new Promise((r) => setImmediate(r));
  /** The document's text as stored (snapshot and log), read once the service has closed. */
  const storedText = (id: string) => {
    const log = new UpdateLog(sql.file);
    const s = log.load(id);
    log.close();
    return text(Y.mergeUpdates([s.state ?? new Uint8Array([0, 0]), ...s.updates.map((u) => u.update)]));
  };

  test("closing commits an update still being written before it closes the log, and its sender gets the ack", async () => {
    const id = makeDocRow();
    const log = new AsyncLog(new UpdateLog(sql.file));
    const svc = new CollabService(log, opts(), quiet);
    await svc.open(id);
    const write = gate();
    log.appendGate = write.opened;
    const submitted = svc.submit(id, independent("last"), { userId: "ann" });
    const closing = svc.close();
    await microtasksRun();
    write.open();
    await expect(submitted).resolves.toBeUndefined();
    await closing;
    expect(storedText(id)).toBe("last");
  });

  test("closing waits for a compaction still being written before it closes the log", async () => {
    const id = makeDocRow();
    const warnings: string[] = [];
    const log = new AsyncLog(new UpdateLog(sql.file));
    const svc = new CollabService(log, opts(), { warn: (m: string) => warnings.push(m), error: () => {} });
    for (const s of ["f", "g"]) await svc.submit(id, independent(s), { userId: "ann" });
    const folding = gate();
    log.compactGate = folding.opened;
    const closing = svc.close();
    await microtasksRun();
    folding.open();
    await closing;
    expect(warnings).toEqual([]);
    expect(sql.seqs(id)).toEqual([]);
    expect([...storedText(id)].sort().join("")).toBe("fg");
  });

  test("until the hooks already running are done, closing still takes updates; then it refuses them", async () => {
    const id = makeDocRow();
    const svc = new CollabService(new UpdateLog(sql.file), opts(), quiet);
    const revision = gate();
    const reasons: string[] = [];
    svc.hooks = {
      contentSettled: async () => {},
      revisionDue: async (_d, r) => {
        reasons.push(r.reason);
        await revision.opened;
      },
    };
    const client = new Y.Doc();
    svc.join(id, { key: "s1", userId: "ann", name: "Ann" });
    await svc.submit(id, edit(client, (t) => t.insert(0, "a")), { userId: "ann" });
    // The last one out: text settles, and the revision hook is still running when closing starts.
    svc.leave(id, "s1");
    await expect.poll(() => reasons).toEqual(["left"]);
    const closing = svc.close();
    await microtasksRun();
    await svc.submit(id, edit(client, (t) => t.insert(1, "b")), { userId: null });
    revision.open();
    await closing;
    expect(sql.seqs(id)).toEqual([]);
    expect(storedText(id)).toBe("ab");
    await expect(svc.submit(id, edit(client, (t) => t.insert(2, "c")), { userId: null })).rejects.toMatchObject({ reason: "unavailable" });
  });
});

describe.skipIf(TEST_DB === "postgresql")("group commit on a log that answers with promises (SQLite only)", () => {
  const entry = (docId: string, seq: number): LogEntry => ({ docId, seq, update: independent(String(seq)), userId: null, at: new Date() });

  test("a batch submitted while one is being written waits for it, and they commit in order", async () => {
    const id = makeDocRow();
    const log = new AsyncLog(new UpdateLog(sql.file));
    const w = new LogWriter(log);
    const hold = gate();
    log.appendGate = hold.opened;
    const committed: number[] = [];
    const first = w.submit(entry(id, 1)).then(() => committed.push(1));
    await Promise.resolve();
    expect(w.pending).toBe(1);
    const second = w.submit(entry(id, 2)).then(() => committed.push(2));
    const third = w.submit(entry(id, 3)).then(() => committed.push(3));
    await Promise.resolve();
    // One entry being written, two queued behind it.
    expect(w.pending).toBe(3);
    expect(sql.seqs(id)).toEqual([]);
    hold.open();
    await Promise.all([first, second, third]);
    expect(committed).toEqual([1, 2, 3]);
    expect(sql.seqs(id)).toEqual([1, 2, 3]);
    expect(w.stats).toEqual({ batches: 2, entries: 3, busyRetries: 0 });
    expect(w.pending).toBe(0);
    log.inner.close();
  });

  test("draining waits for the batch being written", async () => {
    const id = makeDocRow();
    const log = new AsyncLog(new UpdateLog(sql.file));
    const w = new LogWriter(log);
    const hold = gate();
    log.appendGate = hold.opened;
    void w.submit(entry(id, 1));
    await Promise.resolve();
    let drained = false;
    const draining = w.drain().then(() => (drained = true));
    await Promise.resolve();
    expect(drained).toBe(false);
    hold.open();
    await draining;
    expect(sql.seqs(id)).toEqual([1]);
    log.inner.close();
  });

  test("a batch the log refuses rejects its entries and is reported; the next batch is written", async () => {
    const id = makeDocRow();
    const log = new AsyncLog(new UpdateLog(sql.file));
    const fatal: unknown[] = [];
    const w = new LogWriter(log, (err) => fatal.push(err));
    log.failAppend = new Error("connection reset");
    const results = await Promise.allSettled([w.submit(entry(id, 1)), w.submit(entry(id, 2))]);
    expect(results.map((r) => r.status)).toEqual(["rejected", "rejected"]);
    expect(fatal.map(String)).toEqual(["Error: connection reset"]);
    expect(w.pending).toBe(0);
    await w.submit(entry(id, 1));
    expect(sql.seqs(id)).toEqual([1]);
    expect(w.stats).toEqual({ batches: 1, entries: 1, busyRetries: 0 });
    log.inner.close();
  });
});
