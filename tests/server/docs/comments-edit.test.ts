/**
 * Editing and deleting comments: the author edits (marked "edited"), the author or an admin who
 * can read the document deletes (the thread keeps its replies), everyone in the document hears
 * it live; everyone else is refused with the comment unchanged. Policy rules doc.comment.edit and
 * doc.comment.delete.
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import * as Y from "yjs";
import type { DocCommentPayload } from "../../../app/realtime/events.js";
import { ForbiddenError, NotFoundError, ValidationError } from "../../../server/domain/errors.js";
import { can, type DocSubject } from "../../../server/policy.js";
import { sessionCookieFor, startTestApp, type TestApp } from "../../helpers/app.js";
import { clientFor, closeAllSockets, waitFor } from "../../helpers/server-socket.js";
import { docsWorld, snapshotDoc, type World } from "./world.js";

let app: TestApp;
let w: World;
const docs = () => app.atrium.domain.docs;

async function refused(docId: string, fn: () => Promise<unknown>, type: new (...a: any[]) => Error) {
  const before = await snapshotDoc(app.atrium, docId);
  const err = await fn().then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(type);
  expect(await snapshotDoc(app.atrium, docId)).toEqual(before);
  return err as Error;
}

beforeAll(async () => {
  app = await startTestApp();
  w = await docsWorld(app.atrium);
});
afterAll(() => {
  closeAllSockets();
  return app?.close();
});

describe("policy: doc.comment.edit / doc.comment.delete", () => {
  const subject = (over: Partial<DocSubject> = {}): DocSubject => ({
    ownerId: "owner",
    visibility: "company",
    departmentId: null,
    audienceRole: "viewer",
    deleted: false,
    shares: [],
    actorTeamIds: [],
    ...over,
  });
  const person = (id: string, role: "member" | "admin" = "member") => ({ id, role, departmentId: null, active: true }) as never;

  test("the author edits and deletes; others cannot; an admin deletes only what they can read", () => {
    const c = { doc: subject(), authorId: "alice", deleted: false };
    expect(can(person("alice"), "doc.comment.edit", c)).toBe(true);
    expect(can(person("alice"), "doc.comment.delete", c)).toBe(true);
    expect(can(person("bob"), "doc.comment.edit", c)).toBe(false);
    expect(can(person("bob"), "doc.comment.delete", c)).toBe(false);
    expect(can(person("root", "admin"), "doc.comment.edit", c)).toBe(false);
    expect(can(person("root", "admin"), "doc.comment.delete", c)).toBe(true);
    const priv = { doc: subject({ visibility: "private" }), authorId: "owner", deleted: false };
    expect(can(person("root", "admin"), "doc.comment.delete", priv)).toBe(false);
    // Lost access, or already deleted: refused.
    expect(can(person("alice"), "doc.comment.edit", { ...c, doc: subject({ visibility: "private" }) })).toBe(false);
    expect(can(person("alice"), "doc.comment.edit", { ...c, deleted: true })).toBe(false);
    expect(can(person("alice"), "doc.comment.delete", { ...c, deleted: true })).toBe(false);
  });
});

describe("editing and deleting comments", () => {
  test("the author edits: marked edited, live for the room; others refused, unchanged; bad input refused", async () => {
    const { id } = await docs().createDocument(w.people.mia.actor, { title: "Brief", spaceId: w.space.marketing.id });
    await docs().shareDocument(w.people.mia.actor, id, { principalType: "user", principalId: w.people.pat.user.id, role: "viewer" });
    const c = await docs().addComment(w.people.pat.actor, id, { body: "Typo in line 2" });
    expect(c.editedAt).toBeNull();

    const cookie = await sessionCookieFor(app.atrium, w.people.mia.user.email, w.people.mia.password);
    const sock = clientFor(app.url, cookie);
    await new Promise<void>((resolve) => sock.once("connect", () => resolve()));
    await new Promise<void>((resolve) => sock.emit("doc.join", id, () => resolve()));
    const heard = waitFor(sock, "doc.comment", (p) => p.kind === "edited");

    const edited = await docs().editComment(w.people.pat.actor, id, c.id, { body: "Typo in line 3" });
    expect(edited).toMatchObject({ body: "Typo in line 3", deleted: false });
    expect(edited.editedAt).not.toBeNull();
    const p: { comment: DocCommentPayload } = await heard;
    expect(p.comment).toMatchObject({ id: c.id, body: "Typo in line 3" });

    await refused(id, () => docs().editComment(w.people.mia.actor, id, c.id, { body: "Not yours" }), ForbiddenError);
    await refused(id, () => docs().editComment(w.people.admin.actor, id, c.id, { body: "Admins neither" }), ForbiddenError);
    await refused(id, () => docs().editComment(w.people.pia.actor, id, c.id, { body: "No access" }), ForbiddenError);
    const blank = await refused(id, () => docs().editComment(w.people.pat.actor, id, c.id, { body: "   " }), ValidationError);
    expect((blank as ValidationError).fieldErrors.body).toEqual(["Write a comment."]);
    await refused(id, () => docs().editComment(w.people.pat.actor, id, c.id, { body: "x".repeat(5001) }), ValidationError);
    await refused(id, () => docs().editComment(w.people.pat.actor, id, "nope", { body: "Where?" }), NotFoundError);
  });

  test("delete: the author or an admin; the thread keeps its replies; a deleted comment cannot be edited", async () => {
    const { id } = await docs().createDocument(w.people.mia.actor, { title: "Plan", spaceId: w.space.company.id });
    const root = await docs().addComment(w.people.max.actor, id, { body: "Start here" });
    const reply = await docs().addComment(w.people.mia.actor, id, { body: "Agreed", threadId: root.id });
    await refused(id, () => docs().deleteComment(w.people.mia.actor, id, root.id), ForbiddenError);
    const gone = await docs().deleteComment(w.people.max.actor, id, root.id);
    expect(gone).toMatchObject({ id: root.id, deleted: true, body: "" });
    const list = await docs().listComments(w.people.pia.actor, id);
    expect(list.map((c) => [c.id, c.deleted, c.body])).toEqual([
      [root.id, true, ""],
      [reply.id, false, "Agreed"],
    ]);
    await refused(id, () => docs().editComment(w.people.max.actor, id, root.id, { body: "Back" }), NotFoundError);
    await refused(id, () => docs().deleteComment(w.people.max.actor, id, root.id), NotFoundError);
    // An admin who can read the document removes someone else's comment.
    await docs().deleteComment(w.people.admin.actor, id, reply.id);
    expect((await app.atrium.db.docComment.findUniqueOrThrow({ where: { id: reply.id } })).deletedById).toBe(w.people.admin.user.id);
  });

  test("an admin cannot delete a comment on a private document they cannot read", async () => {
    const { id } = await docs().createDocument(w.people.mia.actor, { title: "Secret", spaceId: w.space.marketing.id });
    await docs().updateDocument(w.people.mia.actor, id, { visibility: "private" });
    const c = await docs().addComment(w.people.mia.actor, id, { body: "Note to self" });
    await refused(id, () => docs().deleteComment(w.people.admin.actor, id, c.id), ForbiddenError);
  });
});

describe("anchors as Yjs relative positions (decision 045)", () => {
  const b64 = (rel: Y.RelativePosition) => Buffer.from(Y.encodeRelativePosition(rel)).toString("base64");
  /** Relative positions into the first paragraph of the document as the server holds it. */
  function anchorsInto(docId: string, from: number, to: number) {
    const d = new Y.Doc();
    Y.applyUpdate(d, app.atrium.ctx.collab.state(docId));
    const para = (d.get("root", Y.XmlText).toDelta() as { insert: Y.XmlText }[])[0]!.insert;
    return { anchorStart: b64(Y.createRelativePositionFromTypeIndex(para, from)), anchorEnd: b64(Y.createRelativePositionFromTypeIndex(para, to, -1)) };
  }

  test("a viewer anchors a comment without writing to the document; anchors that do not point into it are refused", async () => {
    const { id } = await docs().importMarkdown(w.people.mia.actor, { spaceId: w.space.marketing.id, markdown: "The launch date is 1 July." });
    await docs().shareDocument(w.people.mia.actor, id, { principalType: "user", principalId: w.people.pat.user.id, role: "viewer" });
    const log = await app.atrium.db.docUpdate.count({ where: { docId: id } });
    const c = await docs().addComment(w.people.pat.actor, id, { body: "Still right?", quote: "1 July", ...anchorsInto(id, 20, 26) });
    expect(c).toMatchObject({ quote: "1 July", anchorId: null });
    expect(c.anchorStart).toBeTruthy();
    expect(await app.atrium.db.docUpdate.count({ where: { docId: id } })).toBe(log);

    // An anchor from another document, garbage, half an anchor, or no quote: refused, nothing stored.
    const other = await docs().importMarkdown(w.people.mia.actor, { spaceId: w.space.marketing.id, markdown: "Elsewhere entirely." });
    const foreign = await refused(id, () => docs().addComment(w.people.pat.actor, id, { body: "x", quote: "Else", ...anchorsInto(other.id, 1, 5) }), ValidationError);
    expect((foreign as ValidationError).fieldErrors.anchor).toEqual(["The selected text is no longer in the document; select it again."]);
    await refused(id, () => docs().addComment(w.people.pat.actor, id, { body: "x", quote: "q", anchorStart: "AAAA", anchorEnd: "AAAA" }), ValidationError);
    await refused(id, () => docs().addComment(w.people.pat.actor, id, { body: "x", quote: "q", anchorStart: "not base64!", anchorEnd: null }), ValidationError);
    await refused(id, () => docs().addComment(w.people.pat.actor, id, { body: "x", quote: "q", anchorStart: anchorsInto(id, 1, 2).anchorStart, anchorEnd: null }), ValidationError);
    // Bytes that are no relative position at all (the decoder throws): refused the same way.
    const undecodable = await refused(id, () => docs().addComment(w.people.pat.actor, id, { body: "x", quote: "q", anchorStart: "/w==", anchorEnd: "/w==" }), ValidationError);
    expect((undecodable as ValidationError).fieldErrors).toEqual({ anchor: ["The selected text is no longer in the document; select it again."] });
    const noQuote = await refused(id, () => docs().addComment(w.people.pat.actor, id, { body: "x", quote: "", ...anchorsInto(id, 1, 2) }), ValidationError);
    expect((noQuote as ValidationError).fieldErrors).toEqual({ quote: ["Select some text to comment on."] });
    // Someone who cannot read the document cannot comment at all.
    await refused(id, () => docs().addComment(w.people.pia.actor, id, { body: "x", quote: "1 July", ...anchorsInto(id, 20, 26) }), ForbiddenError);
  });
});

describe("@mentions inside comments", () => {
  test("only mentioned people who can read the document are notified (title never reaches others); unknown people refused; an edit notifies only the newly mentioned", async () => {
    const { id } = await docs().createDocument(w.people.mia.actor, { title: "Launch secrets", spaceId: w.space.marketing.id });
    await docs().shareDocument(w.people.mia.actor, id, { principalType: "user", principalId: w.people.pat.user.id, role: "viewer" });
    const notes = (userId: string) => app.atrium.db.notification.findMany({ where: { userId, type: "doc.comment.mentioned" } });
    const { max, pia, pat, mia } = w.people;
    const c = await docs().addComment(pat.actor, id, { body: `Ask @[Max Marketing](${max.user.id}) and @[Pia Product](${pia.user.id})` });
    expect(c.body).toContain(`@[Max Marketing](${max.user.id})`);
    const [toMax] = await notes(max.user.id);
    expect(toMax).toMatchObject({ title: "Pat Product mentioned you in a comment on “Launch secrets”", body: "Ask @Max Marketing and @Pia Product", link: `/docs/${id}#comment-${c.id}` });
    // Pia cannot read it: nothing at all reaches her.
    expect(await app.atrium.db.notification.count({ where: { userId: pia.user.id } })).toBe(0);
    // The owner is told once (as owner of a new thread), not twice.
    const ownerNotes = await app.atrium.db.notification.count({ where: { userId: mia.user.id } });

    await refused(id, () => docs().addComment(pat.actor, id, { body: "Hi @[Ghost](ghost123)" }), ValidationError);
    await refused(id, () => docs().editComment(pat.actor, id, c.id, { body: "Hi @[Ghost](ghost123)" }), ValidationError);

    await docs().editComment(pat.actor, id, c.id, { body: `Ask @[Max Marketing](${max.user.id}) and @[Mia Marketing](${mia.user.id})` });
    expect(await notes(max.user.id)).toHaveLength(1);
    expect(await notes(mia.user.id)).toHaveLength(1);
    expect(await app.atrium.db.notification.count({ where: { userId: mia.user.id } })).toBe(ownerNotes + 1);
  });

  test("viewers may look people up to mention; people without access may not", async () => {
    const { id } = await docs().createDocument(w.people.mia.actor, { title: "Picker", spaceId: w.space.marketing.id });
    await docs().shareDocument(w.people.mia.actor, id, { principalType: "user", principalId: w.people.pat.user.id, role: "viewer" });
    expect((await docs().mentionCandidates(w.people.pat.actor, id, "Max")).map((p) => p.name)).toEqual(["Max Marketing"]);
    await refused(id, () => docs().mentionCandidates(w.people.pia.actor, id, "Max"), ForbiddenError);
  });
});
