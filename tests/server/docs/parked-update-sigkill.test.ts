/**
 * An update whose dependency the server has not received yet is parked by Yjs and changes nothing
 * for now. The server still acknowledges it, so it must be in the log before that ack: here it is
 * sent alone over a real socket, the process gets SIGKILL right after the ack, and on a restarted
 * server the update appears as soon as its dependency arrives. Run twice: with the log kept as is,
 * and with every entry compacted into the snapshot straight away (the snapshot must keep it too).
 */
import { afterAll, describe, expect, test } from "vitest";
import * as Y from "yjs";
import { toWire } from "../../../app/realtime/doc-wire.js";
import type { DocAck, DocJoinResult } from "../../../app/realtime/events.js";
import { encodeSync } from "../../../server/realtime/docs-socket.js";
import { freshDatabase } from "../../helpers/db.js";
import { killAllCollabServers, killHard as killed, startCollabServer as startServer } from "./fixtures/collab-process.js";
import { clientFor, closeAllSockets, type TestSocket } from "../../helpers/server-socket.js";
import { until, yClient } from "./yjs-clients.js";

const SYNC_UPDATE = 2;

async function joined(url: string, cookie: string, docId: string): Promise<TestSocket> {
  const socket = clientFor(url, cookie);
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", () => resolve());
    socket.once("connect_error", reject);
  });
  const r = await new Promise<DocJoinResult>((resolve) => socket.emit("doc.join", docId, resolve));
  expect(r).toMatchObject({ ok: true });
  expect(["owner", "editor"]).toContain((r as { role: string }).role);
  return socket;
}

const sendUpdate = (socket: TestSocket, docId: string, update: Uint8Array) =>
  new Promise<DocAck>((resolve) => socket.emit("doc.sync", docId, toWire(encodeSync(SYNC_UPDATE, update)), resolve));

afterAll(() => {
  closeAllSockets();
  killAllCollabServers();
});

describe.each([
  { compactEvery: "500", what: "kept in the log" },
  { compactEvery: "1", what: "compacted into the snapshot" },
])("a parked update $what", ({ compactEvery }) => {
  test("is acknowledged only once logged, and survives SIGKILL until its dependency arrives", { timeout: 120_000 }, async () => {
    const db = freshDatabase();
    const env = { DATABASE_URL: db.url, DOC_COMPACT_EVERY: compactEvery, ATRIUM_DEMO_BANNER: "0", PORT: "0" };
    const first = await startServer({ ...env, SEED: "1" });
    const { docId, cookieA, cookieB } = first.info as { docId: string; cookieA: string; cookieB: string };
    let url = `http://127.0.0.1:${first.info.port}`;

    // The author starts from the server's content, then makes two edits: the second is typed
    // right after the first, so it cannot be applied without it.
    const reader = await yClient(url, cookieA, docId);
    const before = reader.text();
    const author = new Y.Doc();
    Y.applyUpdate(author, Y.encodeStateAsUpdate(reader.doc));
    reader.close();
    const root = author.get("root", Y.XmlText);
    const updates: Uint8Array[] = [];
    author.on("update", (u: Uint8Array) => updates.push(u));
    root.insert(root.length, "dependency;");
    root.insert(root.length, "parked-edit;");
    const [dependency, dependent] = updates as [Uint8Array, Uint8Array];

    const socket = await joined(url, cookieA, docId);
    expect(await sendUpdate(socket, docId, dependent)).toEqual({ ok: true });
    await killed(first.child);
    socket.disconnect();

    const second = await startServer(env);
    url = `http://127.0.0.1:${second.info.port}`;
    const watcher = await yClient(url, cookieB, docId);
    // Nothing shows yet: the edit is still waiting for what it depends on.
    expect(watcher.text()).toBe(before);
    const again = await joined(url, cookieA, docId);
    expect(await sendUpdate(again, docId, dependency)).toEqual({ ok: true });
    // Both edits reach the other editor, in order.
    await until(() => watcher.text().includes("dependency;parked-edit;"), "the parked edit to apply once its dependency arrived", 10_000);

    // And both are durable: one more SIGKILL, and a new reader sees them.
    watcher.close();
    again.disconnect();
    await killed(second.child);
    const third = await startServer(env);
    const check = await yClient(`http://127.0.0.1:${third.info.port}`, cookieB, docId);
    expect(check.text()).toBe(`${before}dependency;parked-edit;`);
    check.close();
    await killed(third.child);
    db.dispose();
  });
});
