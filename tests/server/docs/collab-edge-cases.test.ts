/**
 * The collaboration service's less travelled paths at unit level: deletions parked until their
 * content arrives, relayed updates that do not apply, an update caught by shutdown while its
 * room was loading, cursor data that is not an object, compaction behind a held lock, which log
 * a database URL opens, anchors inside paragraphs, and sync by state vector.
 */
import type Database from "better-sqlite3";
import { describe, expect, test } from "vitest";
import * as Y from "yjs";
import { CollabService } from "../../../server/collab/service.js";
import { openDocLog, UpdateLog, type DocLog, type LogEntry, type StoredDoc } from "../../../server/collab/update-log.js";
import { decodeAwareness, encodeAwareness } from "../../../server/collab/validate.js";
import { TEST_DB } from "../../helpers/db.js";
import { decodesButFails, edit, opts, quiet, sqliteForCollab, text } from "./fixtures/collab-unit.js";

const sql = sqliteForCollab("ce");
const makeDocRow = sql.docRow;

describe.skipIf(TEST_DB === "postgresql")("collab service edge cases (SQLite only: the service runs on the SQLite log)", () => {
  test("a deletion of content the server has not seen is logged before its ack, relayed only once the content arrives", async () => {
    const id = makeDocRow();
    const svc = new CollabService(new UpdateLog(sql.file), opts(), quiet);
    const relayed: string[] = [];
    svc.onRelay = (_d, u) => relayed.push(text(u));
    const client = new Y.Doc();
    const insert = edit(client, (t) => t.insert(0, "abc"));
    const deletion = edit(client, (t) => t.delete(0, 1));
    await svc.submit(id, deletion, { userId: "u1" });
    expect(sql.logRows(id)).toBe(1);
    expect(relayed).toEqual([]);
    // The same parked deletion again is not logged twice.
    await svc.submit(id, deletion, { userId: "u1" });
    expect(sql.logRows(id)).toBe(1);
    await svc.submit(id, insert, { userId: "u1" });
    expect(text(svc.state(id))).toBe("bc");
    expect(sql.logRows(id)).toBe(2);
    await svc.close();
  });

  test("a relayed update that does not apply is reported and the room is read back from the log", async () => {
    const id = makeDocRow();
    const errors: string[] = [];
    const svc = new CollabService(new UpdateLog(sql.file, "normal", true), opts(), { warn: () => {}, error: (m: string) => errors.push(m) });
    await svc.submit(id, edit(new Y.Doc(), (t) => t.insert(0, "abc")), { userId: "u1" });
    svc.join(id, { key: "s1", userId: "ann", name: "Ann" });
    let relayed = 0;
    svc.onRelay = () => relayed++;
    svc.applyRemote(id, 2, decodesButFails);
    expect(errors).toEqual([`[collab] a logged update of doc ${id} did not apply; reloading it`]);
    expect(text(svc.state(id))).toBe("abc");
    expect(svc.memberCount(id)).toBe(1);
    expect(relayed).toBe(0);
    await svc.close();
  });

  test("updates from another instance leave the text to be derived again", async () => {
    const id = makeDocRow();
    const a = new CollabService(new UpdateLog(sql.file, "normal", true), opts(), quiet);
    const b = new CollabService(new UpdateLog(sql.file, "normal", true), opts(), quiet);
    a.relay = { publish: (d, s, u) => b.applyRemote(d, s, u) };
    const settled: string[] = [];
    b.hooks = { contentSettled: async (_d, s) => void settled.push(s.read.text), revisionDue: async () => {} };
    b.room(id);
    await a.submit(id, edit(new Y.Doc(), (t) => t.insert(0, "remote")), { userId: "ann" });
    await b.settle(id);
    expect(settled).toHaveLength(1);
    await Promise.all([a.close(), b.close()]);
  });

  test("an update still waiting for its room when the service closes is refused as unavailable, and not logged", async () => {
    const id = makeDocRow();
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const inner = new UpdateLog(sql.file);
    const log: DocLog = {
      sync: false,
      shared: false,
      load: async (d: string): Promise<StoredDoc> => (await held, inner.load(d)),
      lastSeq: async (d: string) => inner.lastSeq(d),
      logLength: async (d: string) => inner.logLength(d),
      appendMany: async (e: LogEntry[]) => inner.appendMany(e),
      compact: async (d: string, s: Uint8Array, q: number, at?: Date) => inner.compact(d, s, q, at),
      close: async () => inner.close(),
    };
    const svc = new CollabService(log, opts(), quiet);
    const submitted = svc.submit(id, edit(new Y.Doc(), (t) => t.insert(0, "late")), { userId: "u1" });
    const closing = svc.close();
    release();
    await expect(submitted).rejects.toMatchObject({ reason: "unavailable", detail: "server shutting down" });
    await closing;
    expect(sql.logRows(id)).toBe(0);
  });

  test("cursor data that is not an object is replaced by the member's id alone", async () => {
    const id = makeDocRow();
    const svc = new CollabService(new UpdateLog(sql.file), opts(), quiet);
    svc.join(id, { key: "s1", userId: "ann", name: "Ann" });
    for (const [i, awarenessData] of ["abc", 7, null, true, ["x", "y"]].entries()) {
      svc.awarenessFrom(id, "s1", encodeAwareness([{ clientID: 90 + i, clock: 1, state: { awarenessData } }]));
      expect(svc.room(id).awareness.getStates().get(90 + i), String(awarenessData)).toEqual({ name: "Ann", awarenessData: { userId: "ann" } });
    }
    await svc.close();
  });

  test("updates submitted in one turn are relayed each with its own change", async () => {
    const id = makeDocRow();
    const svc = new CollabService(new UpdateLog(sql.file), opts(), quiet);
    const relayed: string[] = [];
    svc.onRelay = (_d, u) => relayed.push(text(u));
    // Two people's edits, neither depending on the other.
    const first = edit(new Y.Doc(), (t) => t.insert(0, "a"));
    const second = edit(new Y.Doc(), (t) => t.insert(0, "b"));
    svc.room(id);
    await Promise.all([svc.submit(id, first, { userId: "u1" }), svc.submit(id, second, { userId: "u1" })]);
    expect(relayed).toEqual(["a", "b"]);
    expect(sql.logRows(id)).toBe(2);
    await svc.close();
  });

  test("a member who leaves takes its cursors with it, announced to the others; one without cursors announces nothing", async () => {
    const id = makeDocRow();
    const svc = new CollabService(new UpdateLog(sql.file), opts(), quiet);
    const announced: { ids: number[]; except: string | null }[] = [];
    svc.onAwareness = (_d, u, except) => announced.push({ ids: decodeAwareness(u, 10_000).map((e) => e.clientID), except });
    svc.join(id, { key: "s1", userId: "ann", name: "Ann" });
    svc.join(id, { key: "s2", userId: "bob", name: "Bob" });
    svc.join(id, { key: "s3", userId: "cyd", name: "Cyd" });
    svc.awarenessFrom(id, "s1", encodeAwareness([{ clientID: 71, clock: 1, state: { c: 1 } }, { clientID: 72, clock: 1, state: { c: 2 } }]));
    svc.awarenessFrom(id, "s3", encodeAwareness([{ clientID: 73, clock: 1, state: { c: 3 } }]));
    svc.awarenessFrom(id, "s3", encodeAwareness([{ clientID: 73, clock: 2, state: null }]));
    svc.leave(id, "s2");
    expect(announced).toEqual([]);
    svc.leave(id, "s1");
    expect(announced).toEqual([{ ids: [71, 72], except: null }]);
    expect([...svc.room(id).awareness.getStates().keys()]).toEqual([]);
    // A cursor already cleared is announced as gone too: the others may have missed the clearing.
    svc.leave(id, "s3");
    expect(announced).toEqual([
      { ids: [71, 72], except: null },
      { ids: [73], except: null },
    ]);
    await svc.close();
  });

  test("compaction waits for entries still queued behind a held lock, then folds them too", async () => {
    const id = makeDocRow();
    const svc = new CollabService(new UpdateLog(sql.file), opts(), quiet);
    await svc.submit(id, edit(new Y.Doc(), (t) => t.insert(0, "a")), { userId: "u1" });
    sql.raw.exec("BEGIN IMMEDIATE");
    const queued = svc.submit(id, edit(new Y.Doc(), (t) => t.insert(0, "b")), { userId: "u1" });
    try {
      svc.compact(id);
      await new Promise((r) => setImmediate(r));
      expect(sql.logRows(id)).toBe(1);
    } finally {
      sql.raw.exec("COMMIT");
    }
    await queued;
    await expect.poll(() => sql.logRows(id), { timeout: 3_000 }).toBe(0);
    const log = new UpdateLog(sql.file);
    expect(log.load(id).stateSeq).toBe(2);
    log.close();
    await svc.close();
  });

  test("the log for a database URL: SQLite's file, or PostgreSQL's pool for either spelling of its scheme", async () => {
    const sqlite = await openDocLog(`file:${sql.file}?connection_limit=1`, "full", true);
    expect(sqlite).toBeInstanceOf(UpdateLog);
    expect([sqlite.sync, sqlite.shared]).toEqual([true, true]);
    expect((sqlite as unknown as { db: Database.Database }).db.pragma("synchronous", { simple: true })).toBe(2);
    await sqlite.close();
    // Unless asked otherwise: one instance on the log, committed at NORMAL.
    const plain = await openDocLog(`file:${sql.file}`);
    expect([plain.sync, plain.shared]).toEqual([true, false]);
    expect((plain as unknown as { db: Database.Database }).db.pragma("synchronous", { simple: true })).toBe(1);
    await plain.close();
    for (const url of ["postgres://u@127.0.0.1:1/x", "PostgreSQL://u@127.0.0.1:1/x"]) {
      const pg = await openDocLog(url, "normal", true);
      expect(pg.constructor.name, url).toBe("PgUpdateLog");
      expect([pg.sync, pg.shared]).toEqual([false, true]);
      await pg.close();
    }
  });

  test("a comment anchor inside a paragraph resolves; one naming content the document never had does not", async () => {
    const id = makeDocRow();
    const svc = new CollabService(new UpdateLog(sql.file), opts(), quiet);
    const client = new Y.Doc();
    const paragraph = new Y.XmlText();
    await svc.submit(id, edit(client, (t) => t.insertEmbed(0, paragraph)), { userId: "u1" });
    await svc.submit(id, edit(client, () => paragraph.insert(0, "inside")), { userId: "u1" });
    expect(svc.anchorResolves(id, Y.encodeRelativePosition(Y.createRelativePositionFromTypeIndex(paragraph, 2)))).toBe(true);
    const unknown = new Y.Doc();
    const elsewhere = unknown.get("root", Y.XmlText);
    elsewhere.insert(0, "never sent");
    expect(svc.anchorResolves(id, Y.encodeRelativePosition(Y.createRelativePositionFromTypeIndex(elsewhere, 3)))).toBe(false);
    await svc.close();
  });

  test("deleted text leaves the server's document: neither its state nor a new client's sync carries it", async () => {
    const id = makeDocRow();
    const svc = new CollabService(new UpdateLog(sql.file), opts(), quiet);
    const client = new Y.Doc();
    await svc.submit(id, edit(client, (t) => t.insert(0, "secret kept")), { userId: "u1" });
    await svc.submit(id, edit(client, (t) => t.delete(0, 7)), { userId: "u1" });
    expect(text(svc.state(id))).toBe("kept");
    expect(Buffer.from(svc.state(id)).includes("secret")).toBe(false);
    expect(Buffer.from(svc.diff(id, Y.encodeStateVector(new Y.Doc()))).includes("secret")).toBe(false);
    await svc.close();
  });

  test("a revision gets no preview when settling returned no text, nor when the document changed since", async () => {
    const id = makeDocRow();
    const svc = new CollabService(new UpdateLog(sql.file), opts(), quiet);
    const previews: (string | undefined | null)[] = [];
    let shown: string | undefined;
    svc.hooks = { contentSettled: async () => shown, revisionDue: async (_d, r) => void previews.push(r.preview) };
    const client = new Y.Doc();
    await svc.submit(id, edit(client, (t) => t.insert(0, "a")), { userId: "u1" });
    await svc.settle(id);
    await svc.revision(id, "burst");
    shown = "as shown";
    await svc.submit(id, edit(client, (t) => t.insert(1, "b")), { userId: "u1" });
    await svc.settle(id);
    await svc.submit(id, edit(client, (t) => t.insert(2, "c")), { userId: "u1" });
    await svc.revision(id, "burst");
    expect(previews).toEqual([undefined, undefined]);
    await svc.close();
  });

  test("a client gets what it lacks from its state vector, nothing when it is up to date", async () => {
    const id = makeDocRow();
    const svc = new CollabService(new UpdateLog(sql.file), opts(), quiet);
    const client = new Y.Doc();
    await svc.submit(id, edit(client, (t) => t.insert(0, "synced")), { userId: "u1" });
    expect(svc.stateVector(id)).toEqual(Y.encodeStateVector(client));
    expect(Y.decodeUpdate(svc.diff(id, Y.encodeStateVector(client))).structs).toEqual([]);
    const fresh = new Y.Doc();
    Y.applyUpdate(fresh, svc.diff(id, Y.encodeStateVector(fresh)));
    expect(fresh.get("root", Y.XmlText).toString()).toBe("synced");
    expect(text(svc.diff(id))).toBe("synced");
    await svc.close();
  });
});
