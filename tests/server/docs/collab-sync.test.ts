/**
 * Live co-editing over real Socket.io with several headless Yjs clients (no browser): convergence,
 * offline and reconnect, viewers' forged updates, bad input, and access revoked mid-session.
 */
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import * as Y from "yjs";
import * as encoding from "lib0/encoding";
import { Awareness, encodeAwarenessUpdate } from "y-protocols/awareness";
import { readState } from "../../../server/collab/headless.js";
import { encodeSync } from "../../../server/realtime/docs-socket.js";
import { sessionCookieFor, startTestApp, type TestApp } from "../../helpers/app.js";
import { clientFor, closeAllSockets, waitFor } from "../../helpers/server-socket.js";
import { docsWorld, type World } from "./world.js";
import { converged, until, yClient, type YClient } from "./yjs-clients.js";

let app: TestApp;
let w: World;
const cookies: Record<string, string> = {};
const open: YClient[] = [];
const docs = () => app.atrium.domain.docs;
const logCount = (docId: string) => app.atrium.db.docUpdate.count({ where: { docId } });

async function client(who: keyof World["people"], docId: string, opts: { waitSynced?: boolean } = {}) {
  const c = await yClient(app.url, cookies[who]!, docId, opts);
  open.push(c);
  return c;
}

beforeAll(async () => {
  app = await startTestApp({ env: { DOC_SETTLE_MS: "50" } });
  w = await docsWorld(app.atrium);
  for (const [k, p] of Object.entries(w.people)) cookies[k] = await sessionCookieFor(app.atrium, p.user.email, p.password);
});
afterEach(() => {
  for (const c of open.splice(0)) c.close();
  closeAllSockets();
});
afterAll(() => app?.close());

describe("convergence", () => {
  test("three editors typing at once all end with the same text, containing everyone's edits", async () => {
    const { id } = await docs().createDocument(w.people.mia.actor, { title: "Converge", spaceId: w.space.marketing.id });
    const [a, b, c] = await Promise.all([client("mia", id), client("max", id), client("mia", id)]);
    for (let i = 0; i < 20; i++) {
      a.type("a");
      b.type("b");
      c.type("c");
      // Let the sockets carry what was typed so far, so the three streams interleave at the server.
      if (i % 5 === 0) await new Promise((r) => setImmediate(r));
    }
    await converged([a, b, c]);
    const t = a.text();
    for (const ch of "abc") expect(t.split(ch).length - 1).toBe(20);
    await until(() => [a, b, c].every((x) => x.provider.pending === 0), "all acknowledged");
    // The server's durable copy (snapshot + log, via a fresh load) says the same.
    app.atrium.ctx.collab.unload(id);
    const d = new Y.Doc();
    Y.applyUpdate(d, (await app.atrium.ctx.collab.peekState(id)));
    expect(d.get("root", Y.XmlText).toString()).toBe(t);
  });

  test("a late joiner receives the whole document, and sees others' cursors (with server-stamped names)", async () => {
    const { id } = await docs().createDocument(w.people.mia.actor, { title: "Late", spaceId: w.space.marketing.id });
    const a = await client("mia", id);
    a.type("before you came");
    await until(() => a.provider.pending === 0, "ack");
    a.provider.awareness.setLocalState({ name: "Not Mia", color: "#123456", anchorPos: null, focusPos: null, focusing: true, awarenessData: {} });
    const b = await client("max", id);
    expect(b.text()).toContain("before you came");
    await until(() => b.provider.awareness.getStates().has(a.doc.clientID), "b sees a's awareness");
    expect(b.provider.awareness.getStates().get(a.doc.clientID)).toMatchObject({ name: "Mia Marketing", color: "#123456", awarenessData: { userId: w.people.mia.user.id } });
    a.close();
    await until(() => !b.provider.awareness.getStates().has(a.doc.clientID), "a's cursor removed when a leaves");
  });
});

describe("joining adds nothing to the log", () => {
  test("a joiner's sync reply repeats known deletions: not logged, not relayed, not refused for a viewer", async () => {
    const { id } = await docs().createDocument(w.people.mia.actor, { title: "Deletions", spaceId: w.space.marketing.id });
    await docs().shareDocument(w.people.mia.actor, id, { principalType: "user", principalId: w.people.pia.user.id, role: "viewer" });
    const a = await client("mia", id);
    a.type("keep this, delete that");
    const root = a.doc.get("root", Y.XmlText);
    root.delete(root.length - 11, 11);
    await until(() => a.provider.pending === 0, "ack");
    const rows = await logCount(id);
    const refusals = app.atrium.ctx.collab.refusals.length;
    let relayed = 0;
    a.doc.on("update", (_u: Uint8Array, origin: unknown) => origin === a.provider && relayed++);
    const b = await client("max", id);
    const v = await client("pia", id);
    await until(() => b.provider.pending === 0 && v.provider.pending === 0, "replies acknowledged");
    // Control: an edit after the replies reaches the author; relays arrive in order, so a relayed
    // reply would have arrived before it.
    b.type("[control]");
    await until(() => a.text().includes("[control]") && v.text().includes("[control]"), "control edit reaches everyone");
    expect(await logCount(id)).toBe(rows + 1);
    expect(relayed).toBe(1);
    expect(app.atrium.ctx.collab.refusals.length).toBe(refusals);
    expect(v.text()).toBe(a.text());
  });

  test("a viewer's forged deletion is refused and changes nothing", async () => {
    const { id } = await docs().createDocument(w.people.mia.actor, { title: "Forged delete", spaceId: w.space.marketing.id });
    await docs().shareDocument(w.people.mia.actor, id, { principalType: "user", principalId: w.people.pia.user.id, role: "viewer" });
    const a = await client("mia", id);
    a.type("do not delete me");
    await until(() => a.provider.pending === 0, "ack");
    const v = await client("pia", id);
    const before = app.atrium.ctx.collab.state(id);
    const forged = new Y.Doc();
    Y.applyUpdate(forged, before);
    let update: Uint8Array | null = null;
    forged.on("update", (u: Uint8Array) => (update = u));
    const r = forged.get("root", Y.XmlText);
    r.delete(0, r.length);
    expect(await new Promise((res) => v.socket.emit("doc.sync", id, encodeSync(2, update!), res))).toEqual({ ok: false, reason: "read-only" });
    // Dressed up as a sync reply, the deletions are simply not taken.
    expect(await new Promise((res) => v.socket.emit("doc.sync", id, encodeSync(1, update!), res))).toEqual({ ok: true });
    expect(app.atrium.ctx.collab.state(id)).toEqual(before);
    // Positive control: an editor's change after the forgery reaches the author; updates arrive in
    // order, so a relayed deletion would already have been applied.
    const b = await client("max", id);
    b.type("[control]");
    await until(() => a.text().includes("[control]"), "control edit reaches the author");
    expect(a.text()).toContain("do not delete me");
  });
});

describe("offline", () => {
  test("a client offline for a while keeps editing; on reconnect both sides have everything", async () => {
    const { id } = await docs().createDocument(w.people.mia.actor, { title: "Train", spaceId: w.space.marketing.id });
    const a = await client("mia", id);
    const b = await client("max", id);
    a.type("[online-a]");
    await converged([a, b]);

    a.socket.disconnect(); // the train enters a tunnel
    await until(() => a.provider.status !== "connected", "a offline");
    for (let i = 0; i < 30; i++) a.type(`a${i};`);
    for (let i = 0; i < 30; i++) b.type(`b${i};`);
    await until(() => b.provider.pending === 0, "b's edits acknowledged");
    // The server holds b's edits and none of a's (an accepted update is in its state at once).
    const held = new Y.Doc();
    Y.applyUpdate(held, app.atrium.ctx.collab.state(id));
    expect(held.get("root", Y.XmlText).toString()).toContain("b29;");
    expect(held.get("root", Y.XmlText).toString()).not.toContain("a0;");
    expect(b.text()).not.toContain("a0;");
    expect(a.text()).not.toContain("b0;");

    a.socket.connect();
    await converged([a, b]);
    for (let i = 0; i < 30; i++) {
      expect(a.text()).toContain(`a${i};`);
      expect(a.text()).toContain(`b${i};`);
    }
    await until(() => a.provider.pending === 0, "a's offline edits acknowledged");
    const server = new Y.Doc();
    Y.applyUpdate(server, app.atrium.ctx.collab.state(id));
    expect(server.get("root", Y.XmlText).toString()).toBe(a.text());
  });
});

describe("permissions on the socket", () => {
  test("an outsider cannot join; a viewer's forged update changes nothing and reaches no one", async () => {
    const { id } = await docs().createDocument(w.people.mia.actor, { title: "Viewer test", spaceId: w.space.marketing.id });
    await docs().shareDocument(w.people.mia.actor, id, { principalType: "user", principalId: w.people.pia.user.id, role: "viewer" });
    const outsider = clientFor(app.url, cookies.pat);
    await new Promise((r) => outsider.once("connect", () => r(null)));
    const res = await new Promise((r) => outsider.emit("doc.join", id, r));
    expect(res).toEqual({ ok: false, error: "forbidden" });

    const editor = await client("mia", id);
    editor.type("original");
    await until(() => editor.provider.pending === 0, "ack");
    const viewer = await client("pia", id);
    expect(viewer.provider.role).toBe("viewer");
    expect(viewer.text()).toContain("original");
    const before = app.atrium.ctx.collab.state(id);
    const rows = await logCount(id);

    // The provider never sends a viewer's edits…
    // (Anything it did send would reach the server before the forged update below: one socket, in order.)
    viewer.type("viewer typed");
    // …so forge one by hand, as a modified client would.
    const forged = new Y.Doc();
    Y.applyUpdate(forged, before);
    let update: Uint8Array | null = null;
    forged.on("update", (u: Uint8Array) => (update = u));
    forged.get("root", Y.XmlText).insert(0, "FORGED");
    const ack = await new Promise((r) => viewer.socket.emit("doc.sync", id, encodeSync(2, update!), r));
    expect(ack).toEqual({ ok: false, reason: "read-only" });
    expect(app.atrium.ctx.collab.state(id)).toEqual(before);
    expect(await logCount(id)).toBe(rows);
    expect(app.atrium.ctx.collab.refusals.some((r) => r.docId === id && r.reason === "read-only")).toBe(true);
    // The viewer still receives the editor's changes. Once the editor's own change is acknowledged,
    // anything relayed to it earlier has arrived (one socket, in order): nothing forged had.
    editor.type(" more");
    await until(() => viewer.text().includes(" more") && editor.provider.pending === 0, "viewer sees edits, editor acknowledged");
    expect(editor.text()).not.toContain("FORGED");
    expect(editor.text()).not.toContain("viewer typed");
  });

  test("revoking a share removes the socket from the room at once; further updates are refused", async () => {
    const { id } = await docs().createDocument(w.people.mia.actor, { title: "Revoke", spaceId: w.space.marketing.id, visibility: "private" });
    await docs().shareDocument(w.people.mia.actor, id, { principalType: "user", principalId: w.people.pia.user.id, role: "editor" });
    const owner = await client("mia", id);
    const pia = await client("pia", id);
    pia.type("allowed;");
    await converged([owner, pia]);
    const revoked = waitFor(pia.socket, "doc.revoked", (d) => d === id, 1000);
    const share = (await docs().listShares(w.people.mia.actor, id))[0]!;
    await docs().unshareDocument(w.people.mia.actor, id, share.id);
    await revoked;
    expect(app.atrium.ctx.collab.memberCount(id)).toBe(1);
    const rows = await logCount(id);
    const u = new Y.Doc();
    Y.applyUpdate(u, app.atrium.ctx.collab.state(id));
    let update: Uint8Array | null = null;
    u.on("update", (x: Uint8Array) => (update = x));
    u.get("root", Y.XmlText).insert(0, "after revoke");
    const ack = await new Promise((r) => pia.socket.emit("doc.sync", id, encodeSync(2, update!), r));
    expect(ack).toEqual({ ok: false, reason: "not-joined" });
    owner.type("secret after revoke");
    await until(() => owner.provider.pending === 0, "owner's edit acknowledged");
    // A fresh join is refused. Its answer comes on pia's socket after anything the server sent
    // pia before it, the owner's relayed edit included (relayed before the owner's ack).
    expect(await new Promise((r) => pia.socket.emit("doc.join", id, r))).toEqual({ ok: false, error: "forbidden" });
    expect(pia.text()).not.toContain("secret after revoke");
    expect(await logCount(id)).toBeGreaterThan(rows); // the owner's edit, not pia's
    expect(owner.text()).not.toContain("after revoke;");
  });

  test("a join whose access was read just before a revocation is decided again, and refused", async () => {
    const { id } = await docs().createDocument(w.people.mia.actor, { title: "Join race", spaceId: w.space.marketing.id, visibility: "private" });
    await docs().shareDocument(w.people.mia.actor, id, { principalType: "user", principalId: w.people.pia.user.id, role: "editor" });
    const domainDocs = docs();
    const real = domainDocs.accessForUser;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let readOnce!: (role: string) => void;
    const firstRead = new Promise<string>((r) => (readOnce = r));
    let reads = 0;
    // The first read of pia's access completes (as editor), then waits while the share is removed.
    domainDocs.accessForUser = async (userId, docId) => {
      const a = await real(userId, docId);
      if (docId === id && reads++ === 0) {
        readOnce(a.role);
        await gate;
      }
      return a;
    };
    try {
      const pia = clientFor(app.url, cookies.pia);
      await new Promise((r) => pia.once("connect", () => r(null)));
      const joining = new Promise((r) => pia.emit("doc.join", id, r));
      expect(await firstRead).toBe("editor");
      const share = (await docs().listShares(w.people.mia.actor, id))[0]!;
      await docs().unshareDocument(w.people.mia.actor, id, share.id);
      release();
      expect(await joining).toEqual({ ok: false, error: "forbidden" });
      expect(reads).toBe(2);
      expect(app.atrium.ctx.collab.memberCount(id)).toBe(0);
    } finally {
      domainDocs.accessForUser = real;
    }
  });

  test("awareness for a document the socket has not joined is refused and reaches no one in it", async () => {
    const { id } = await docs().createDocument(w.people.mia.actor, { title: "Awareness outsider", spaceId: w.space.marketing.id });
    const mia = await client("mia", id);
    const max = await client("max", id);
    const outsider = clientFor(app.url, cookies.pat);
    await new Promise((r) => outsider.once("connect", () => r(null)));
    // A well-formed awareness update, as a modified client would send without joining.
    const forged = new Y.Doc();
    const aw = new Awareness(forged);
    aw.setLocalState({ name: "Intruder", color: "#000000" });
    const refused = new Promise<string>((r) => outsider.on("doc.refused", (d, reason) => d === id && r(reason)));
    outsider.emit("doc.awareness", id, encodeAwarenessUpdate(aw, [forged.clientID]));
    expect(await refused).toBe("not-joined");
    // Positive control: a member's awareness, sent after the refusal, reaches mia; anything relayed
    // for the outsider would have been written to mia's socket before it.
    max.provider.awareness.setLocalState({ name: "x", color: "#654321", anchorPos: null, focusPos: null, focusing: true, awarenessData: {} });
    await until(() => mia.provider.awareness.getStates().get(max.doc.clientID)?.color === "#654321", "mia sees max's awareness");
    expect(mia.provider.awareness.getStates().has(forged.clientID)).toBe(false);
    expect(app.atrium.ctx.collab.refusals.some((r) => r.docId === id && r.reason === "not-joined")).toBe(true);
  });

  test("turning department editors into viewers downgrades open sockets; removing someone from the team revokes", async () => {
    const { id } = await docs().createDocument(w.people.mia.actor, { title: "Downgrade", spaceId: w.space.marketing.id });
    await docs().shareDocument(w.people.mia.actor, id, { principalType: "team", principalId: w.teams.platform.id, role: "viewer" });
    const max = await client("max", id);
    const pia = await client("pia", id);
    expect(max.provider.role).toBe("editor");
    expect(pia.provider.role).toBe("viewer");
    const roleEvent = waitFor(max.socket, "doc.role", (d) => d === id, 1000);
    await docs().updateDocument(w.people.mia.actor, id, { audienceRole: "viewer" });
    await roleEvent;
    expect(max.provider.role).toBe("viewer");
    const revoked = waitFor(pia.socket, "doc.revoked", (d) => d === id, 1000);
    await app.atrium.domain.org.setTeamMembership(w.people.admin.actor, w.teams.platform.id, w.people.pia.user.id, false);
    await revoked;
    await app.atrium.domain.org.setTeamMembership(w.people.admin.actor, w.teams.platform.id, w.people.pia.user.id, true);
  });

  test("deactivating a user ends their sockets, and with them their place in the room", async () => {
    const { id } = await docs().createDocument(w.people.mia.actor, { title: "Deactivate", spaceId: w.space.marketing.id });
    const victim = await makeMember("Vic Victim");
    const v = await yClient(app.url, victim.cookie, id);
    open.push(v);
    expect(app.atrium.ctx.collab.memberCount(id)).toBe(1);
    await app.atrium.domain.accounts.deactivateUser(w.people.admin.actor, victim.id);
    await until(() => app.atrium.ctx.collab.memberCount(id) === 0, "victim removed from the room", 1000);
  });

  test("trashing a document revokes everyone in it", async () => {
    const { id } = await docs().createDocument(w.people.mia.actor, { title: "Trash live", spaceId: w.space.marketing.id });
    const max = await client("max", id);
    const revoked = waitFor(max.socket, "doc.revoked", (d) => d === id, 1000);
    await docs().trashDocument(w.people.mia.actor, id);
    await revoked;
  });
});

describe("bad input", () => {
  test("malformed, unknown, oversized and not-joined messages are refused with a reason; the connection and document survive", async () => {
    const { id } = await docs().createDocument(w.people.mia.actor, { title: "Bad input", spaceId: w.space.marketing.id });
    const { id: other } = await docs().createDocument(w.people.mia.actor, { title: "Not joined", spaceId: w.space.marketing.id });
    const a = await client("mia", id);
    a.type("intact");
    await until(() => a.provider.pending === 0, "ack");
    const before = app.atrium.ctx.collab.state(id);
    const send = (docId: string, msg: unknown) => new Promise((r) => a.socket.emit("doc.sync", docId, msg as Uint8Array, r));

    expect(await send(id, new Uint8Array([2, 5, 1, 2]))).toEqual({ ok: false, reason: "malformed" });
    expect(await send(id, encodeSync(2, new Uint8Array([9, 9, 9, 9, 9, 9])))).toEqual({ ok: false, reason: "malformed" });
    expect(await send(id, encodeSync(7, new Uint8Array([0, 0])))).toEqual({ ok: false, reason: "unknown-message" });
    expect(await send(id, "not binary")).toEqual({ ok: false, reason: "malformed" });
    expect(await send(id, encodeSync(0, new Uint8Array([200, 200, 200])))).toEqual({ ok: false, reason: "malformed" });
    const e = encoding.createEncoder();
    encoding.writeVarUint(e, 2);
    encoding.writeVarUint8Array(e, new Uint8Array(2_100_000));
    expect(await send(id, encoding.toUint8Array(e))).toEqual({ ok: false, reason: "too-large" });
    expect(await send(other, encodeSync(2, new Uint8Array([0, 0])))).toEqual({ ok: false, reason: "not-joined" });
    a.socket.emit("doc.awareness", id, new Uint8Array([1, 1, 1, 255]));
    await waitFor(a.socket, "doc.refused", (d, ) => d === id, 1000);

    expect(a.socket.connected).toBe(true);
    expect(app.atrium.ctx.collab.state(id)).toEqual(before);
    const reasons = app.atrium.ctx.collab.refusals.filter((r) => r.docId === id || r.docId === other).map((r) => r.reason);
    expect(reasons).toEqual(expect.arrayContaining(["malformed", "unknown-message", "too-large", "not-joined"]));
    // Still a working editor on the same connection.
    const b = await client("max", id);
    a.type(" and still working");
    await until(() => b.text().includes("intact and still working"), "edits still flow");
  });
});

describe("server-side changes reach open editors", () => {
  test("restoring a revision is a live change every open client sees", async () => {
    const { id } = await docs().importMarkdown(w.people.mia.actor, { spaceId: w.space.marketing.id, markdown: "# Q3 launch brief\n\nyesterday's section" });
    const rev = await docs().captureRevision(w.people.mia.actor, id);
    const a = await client("mia", id);
    const b = await client("max", id);
    const root = a.doc.get("root", Y.XmlText);
    // Mangle the content (as raw Yjs): delete everything.
    root.delete(0, root.length);
    await converged([a, b]);
    expect(readState(Y.encodeStateAsUpdate(b.doc)).text).toBe("");
    await docs().restoreRevision(w.people.max.actor, id, rev!);
    await until(() => readState(Y.encodeStateAsUpdate(b.doc)).text === "Q3 launch brief\n\nyesterday's section", "restore seen by b");
    await until(() => readState(Y.encodeStateAsUpdate(a.doc)).text === "Q3 launch brief\n\nyesterday's section", "restore seen by a");
  });
});

async function makeMember(name: string) {
  const { makePerson } = await import("../../factories.js");
  const p = await makePerson(app.atrium, { name, departmentId: w.departments.marketing.id });
  return { id: p.user.id, cookie: await sessionCookieFor(app.atrium, p.user.email, p.password) };
}
