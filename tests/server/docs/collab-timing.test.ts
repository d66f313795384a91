/**
 * The collaboration service's timers at unit level, on a fake clock: when text settles, when a
 * revision is captured (quiet after a burst, or a burst that goes on too long), and when a room
 * nobody is in leaves memory. The clock moves only when a test moves it, so each boundary is
 * checked to the millisecond.
 */
import { afterEach, beforeAll, beforeEach, describe, expect, test, vi } from "vitest";
import * as Y from "yjs";
import { headless } from "../../../server/collab/headless-lazy.js";
import { CollabService, type CollabHooks } from "../../../server/collab/service.js";
import { UpdateLog } from "../../../server/collab/update-log.js";
import { TEST_DB } from "../../helpers/db.js";
import { edit, opts, quiet, sqliteForCollab } from "./fixtures/collab-unit.js";

const sql = sqliteForCollab("ct");
const makeDocRow = sql.docRow;

/** Hooks that record what they were called with. */
function recorder() {
  const settled: string[][] = [];
  const revisions: { reason: string; contributors: string[] }[] = [];
  const hooks: CollabHooks = {
    contentSettled: async (_d, s) => void settled.push(s.editors),
    revisionDue: async (_d, r) => void revisions.push({ reason: r.reason, contributors: r.contributors }),
  };
  return { settled, revisions, hooks };
}

/** Moves the fake clock and lets what the timers started finish. */
const advance = (ms: number) => vi.advanceTimersByTimeAsync(ms);

describe.skipIf(TEST_DB === "postgresql")("the collab service's timers (SQLite only: the service runs on the SQLite log)", () => {
  // The headless editor that derives text is loaded on first use, with real file reads that no fake
  // timer waits for. Loaded here once, as on a server that has settled a document before, so the
  // timers under test decide when text settles, whichever test settles first.
  beforeAll(() => headless());
  beforeEach(() => {
    // Timers and Date only: the log writer's microtasks run as usual.
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] });
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
  });

  test("a revision is captured once the document has been quiet for the idle time after its last edit", async () => {
    const id = makeDocRow();
    const svc = new CollabService(new UpdateLog(sql.file), opts({ revisionIdleMs: 100 }), quiet);
    const { revisions, hooks } = recorder();
    svc.hooks = hooks;
    const client = new Y.Doc();
    await svc.submit(id, edit(client, (t) => t.insert(0, "a")), { userId: "ann" });
    await advance(60);
    await svc.submit(id, edit(client, (t) => t.insert(1, "b")), { userId: "bob" });
    // 100 ms after the first edit, only 40 after the last: not quiet yet.
    await advance(40);
    expect(revisions).toEqual([]);
    await advance(59);
    expect(revisions).toEqual([]);
    await advance(1);
    expect(revisions).toEqual([{ reason: "burst", contributors: ["ann", "bob"] }]);
    // Quiet again: no edit, no revision.
    await advance(1_000);
    expect(revisions).toHaveLength(1);
    await svc.close();
  });

  test("editing that never pauses is captured when the burst reaches the maximum, and the next burst counts from its own first edit", async () => {
    const id = makeDocRow();
    const svc = new CollabService(new UpdateLog(sql.file), opts({ revisionIdleMs: 100, revisionMaxMs: 250 }), quiet);
    const { revisions, hooks } = recorder();
    svc.hooks = hooks;
    const client = new Y.Doc();
    const type = (s: string) => svc.submit(id, edit(client, (t) => t.insert(t.length, s)), { userId: "ann" });
    await type("0");
    for (let i = 1; i <= 4; i++) {
      await advance(50);
      await type(String(i));
    }
    // 200 ms into the burst.
    expect(revisions).toEqual([]);
    await advance(49);
    await type("5");
    expect(revisions).toEqual([]);
    await advance(1);
    await type("6");
    // Exactly the maximum since the burst's first edit.
    expect(revisions).toEqual([{ reason: "burst", contributors: ["ann"] }]);
    // A new burst starts with the next edit (50 ms on), and reaches the maximum 250 ms after it.
    for (let i = 0; i < 5; i++) {
      await advance(50);
      await type("x");
    }
    expect(revisions).toHaveLength(1);
    await advance(50);
    await type("y");
    expect(revisions).toHaveLength(2);
    await svc.close();
  });

  test("text settles the settle time after the first unsettled change; a document whose text took long to derive settles twenty times that long after", async () => {
    const id = makeDocRow();
    const svc = new CollabService(new UpdateLog(sql.file), opts({ settleMs: 100 }), quiet);
    const { settled, hooks } = recorder();
    svc.hooks = hooks;
    const client = new Y.Doc();
    await svc.submit(id, edit(client, (t) => t.insert(0, "a")), { userId: "ann" });
    await advance(99);
    expect(settled).toEqual([]);
    await advance(1);
    expect(settled).toEqual([["ann"]]);
    // Deriving the text now takes 50 ms (a big document): the next settle waits 1 s.
    const now = vi.spyOn(performance, "now").mockReturnValueOnce(1_000).mockReturnValueOnce(1_050);
    await svc.submit(id, edit(client, (t) => t.insert(1, "b")), { userId: "bob" });
    await svc.settle(id);
    now.mockRestore();
    expect(settled).toEqual([["ann"], ["bob"]]);
    await svc.submit(id, edit(client, (t) => t.insert(2, "c")), { userId: "cyd" });
    await advance(999);
    expect(settled).toHaveLength(2);
    await advance(1);
    expect(settled).toEqual([["ann"], ["bob"], ["cyd"]]);
    await svc.close();
  });

  test("a room nobody joined leaves memory after the idle time; joining keeps it, and the last one out starts the idle time again", async () => {
    const id = makeDocRow();
    const svc = new CollabService(new UpdateLog(sql.file), opts({ roomIdleMs: 1_000 }), quiet);
    svc.room(id);
    await advance(999);
    expect(svc.isOpen(id)).toBe(true);
    await advance(1);
    expect(svc.isOpen(id)).toBe(false);
    svc.room(id);
    await advance(500);
    svc.join(id, { key: "s1", userId: "ann", name: "Ann" });
    await advance(5_000);
    expect(svc.isOpen(id)).toBe(true);
    svc.leave(id, "s1");
    await advance(999);
    expect(svc.isOpen(id)).toBe(true);
    await advance(1);
    expect(svc.isOpen(id)).toBe(false);
    await svc.close();
  });

  test("a room read back after a failed write keeps its members, and with them stays in memory", async () => {
    const svc = new CollabService(new UpdateLog(sql.file), opts({ roomIdleMs: 1_000 }), quiet);
    // No document row: the foreign key refuses the entry, and the room is read back from the log.
    svc.join("no-row", { key: "s1", userId: "ann", name: "Ann" });
    await expect(svc.submit("no-row", edit(new Y.Doc(), (t) => t.insert(0, "x")), { userId: "ann" })).rejects.toMatchObject({ reason: "unavailable" });
    await advance(5_000);
    expect(svc.isOpen("no-row")).toBe(true);
    expect(svc.memberCount("no-row")).toBe(1);
    await svc.close();
  });

  test("a room unloaded before its revision was due captures none (a room left open is the control)", async () => {
    const [gone, kept] = [makeDocRow(), makeDocRow()];
    const svc = new CollabService(new UpdateLog(sql.file), opts({ revisionIdleMs: 100 }), quiet);
    const captured: string[] = [];
    svc.hooks = { contentSettled: async () => {}, revisionDue: async (d) => void captured.push(d) };
    for (const id of [gone, kept]) await svc.submit(id, edit(new Y.Doc(), (t) => t.insert(0, id)), { userId: "ann" });
    svc.unload(gone);
    await advance(1_000);
    expect(captured).toEqual([kept]);
    await svc.close();
  });

  test("a gap in relayed seqs that a read of the log filled reads nothing more when its timer comes; the next gap gets a timer of its own", async () => {
    const id = makeDocRow();
    const a = new CollabService(new UpdateLog(sql.file, "normal", true), opts(), quiet);
    const b = new CollabService(new UpdateLog(sql.file, "normal", true), opts(), quiet);
    b.gapMs = 100;
    const held: [number, Uint8Array][] = [];
    a.relay = { publish: (_d, seq, u) => held.push([seq, u]) };
    a.room(id);
    b.room(id);
    for (const s of ["k", "l", "m"]) await a.submit(id, edit(new Y.Doc(), (t) => t.insert(0, s)), { userId: "ann" });
    b.applyRemote(id, ...held[0]!);
    b.applyRemote(id, ...held[2]!);
    // The gap at seq 2 is filled by reading the log before its timer comes.
    b.catchUp(id);
    expect(b.relayStats.caughtUp).toBe(1);
    await advance(100);
    expect(b.relayStats.caughtUp).toBe(1);
    // A new gap (seq 5 relayed, 4 missing): read once its own timer comes.
    for (const s of ["n", "o"]) await a.submit(id, edit(new Y.Doc(), (t) => t.insert(0, s)), { userId: "ann" });
    b.applyRemote(id, ...held[4]!);
    await advance(99);
    expect(b.relayStats.caughtUp).toBe(1);
    await advance(1);
    expect(b.relayStats.caughtUp).toBe(2);
    expect(b.room(id).nextSeq).toBe(6);
    await Promise.all([a.close(), b.close()]);
  });

  test("text settled or a revision captured before its timer leaves the next edit a timer of its own", async () => {
    const id = makeDocRow();
    // Deriving text takes no time here, so the settle delay is the settle time (a slow derive
    // stretches it: see above).
    vi.spyOn(performance, "now").mockReturnValue(0);
    const svc = new CollabService(new UpdateLog(sql.file), opts({ settleMs: 100, revisionIdleMs: 100 }), quiet);
    const { settled, revisions, hooks } = recorder();
    svc.hooks = hooks;
    const client = new Y.Doc();
    await svc.submit(id, edit(client, (t) => t.insert(0, "a")), { userId: "ann" });
    await advance(10);
    // Shutdown and tests settle and capture directly.
    await svc.settle(id);
    await svc.revision(id, "burst");
    expect([settled.length, revisions.length]).toEqual([1, 1]);
    await advance(10);
    await svc.submit(id, edit(client, (t) => t.insert(1, "b")), { userId: "bob" });
    await advance(99);
    expect([settled.length, revisions.length]).toEqual([1, 1]);
    await advance(1);
    expect(settled).toEqual([["ann"], ["bob"]]);
    expect(revisions).toEqual([
      { reason: "burst", contributors: ["ann"] },
      { reason: "burst", contributors: ["bob"] },
    ]);
    await svc.close();
  });
});
