/**
 * Comments and images, field by field: what adding, replying, resolving, editing and deleting a
 * comment store (with the injected clock's time), the `doc.comment` events and the notices' words
 * and recipients; what an image upload stores on disk and in the database for each accepted type;
 * and each refusal's exact message with nothing written. Each test makes its own documents.
 */
import { readdir } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { DomainEvents } from "../../../server/events.js";
import { makePerson } from "../../factories.js";
import { startTestApp, type TestApp } from "../../helpers/app.js";
import { docsWorld, snapshotDoc, type World } from "./world.js";
import { manualClock } from "../../helpers/clock.js";
import { refusalOf } from "../../helpers/refusals.js";

const clock = manualClock("2031-07-08T14:00:00Z");
const tick = () => clock.tick();

let app: TestApp;
let w: World;
const events: DomainEvents["doc.comment"][] = [];
const docs = () => app.atrium.domain.docs;
const db = () => app.atrium.db;
let seq = 0;

beforeAll(async () => {
  app = await startTestApp({ clock });
  w = await docsWorld(app.atrium);
  app.atrium.ctx.bus.subscribe("doc.comment", (payload) => void events.push(payload));
});
afterAll(() => app?.close());

/** The document's rows, its image rows and files, and every notification. */
async function stored(docId: string) {
  const dir = path.resolve(app.atrium.ctx.env.DOC_FILES_DIR, docId);
  const [doc, images, files, notifications] = await Promise.all([
    snapshotDoc(app.atrium, docId),
    db().docImage.findMany({ where: { docId }, orderBy: { id: "asc" } }),
    readdir(dir).then((f) => f.sort(), () => [] as string[]),
    db().notification.findMany({ orderBy: { id: "asc" } }),
  ]);
  return { doc, images, files, notifications };
}

/** Refused: the status and exact message (or field message), nothing stored, no event. */
async function refused(docId: string, fn: () => Promise<unknown>, status: number, message: string, field?: string) {
  const before = await stored(docId);
  events.length = 0;
  const err = await refusalOf(fn);
  expect(err.status).toBe(status);
  if (field) expect(err.fieldErrors).toEqual({ [field]: [message] });
  else expect(err.message).toBe(message);
  expect(await stored(docId)).toEqual(before);
  expect(events).toEqual([]);
}

const newDoc = async (input: Record<string, unknown> = {}) =>
  (await docs().createDocument(w.people.mia.actor, { title: `Commented ${++seq}`, spaceId: w.space.marketing.id, ...input })).id;
const notes = (userId: string, type: string, docId: string) =>
  db().notification.findMany({ where: { userId, type, link: { startsWith: `/docs/${docId}#` } }, orderBy: { createdAt: "asc" }, select: { title: true, body: true, link: true } });

describe("comments", () => {
  test("a new thread stores its anchor and quote at the clock's time, is published, and tells the owner in words", async () => {
    const id = await newDoc();
    const at = tick();
    events.length = 0;
    const c = await docs().addComment(w.people.max.actor, id, { body: "Is the date right?", quote: "1 July", anchorId: "node-7" });
    const row = await db().docComment.findUniqueOrThrow({ where: { id: c.id } });
    expect(row).toMatchObject({ docId: id, threadId: null, authorId: w.people.max.user.id, body: "Is the date right?", anchorId: "node-7", quote: "1 July", anchorStart: null, anchorEnd: null, createdAt: at });
    expect(events).toEqual([{ docId: id, kind: "added", comment: c }]);
    expect(c).toMatchObject({ id: c.id, body: "Is the date right?", createdAt: at.toISOString() });
    const docTitle = (await db().document.findUniqueOrThrow({ where: { id } })).title;
    expect(await notes(w.people.mia.user.id, "doc.comment", id)).toEqual([{ title: `Max Marketing commented on “${docTitle}”`, body: "Is the date right?", link: `/docs/${id}#comment-${c.id}` }]);
    // One's own document: no notice to oneself.
    const own = await docs().addComment(w.people.mia.actor, id, { body: "Note to self" });
    expect((await notes(w.people.mia.user.id, "doc.comment", id)).map((n) => n.link)).not.toContain(`/docs/${id}#comment-${own.id}`);
  });

  test("a reply has no anchor or quote; the thread's other participants who can still read are told it was a reply", async () => {
    const id = await newDoc({ visibility: "private" });
    for (const who of [w.people.max, w.people.pat, w.people.nod]) {
      await docs().shareDocument(w.people.mia.actor, id, { principalType: "user", principalId: who.user.id, role: "viewer" });
    }
    const root = await docs().addComment(w.people.max.actor, id, { body: "Root", quote: "intro", anchorId: "n1" });
    await docs().addComment(w.people.pat.actor, id, { body: "First reply", threadId: root.id });
    const patShare = await db().docShare.findFirstOrThrow({ where: { docId: id, principalId: w.people.pat.user.id } });
    await docs().unshareDocument(w.people.mia.actor, id, patShare.id);
    const at = tick();
    const long = "x".repeat(260);
    const reply = await docs().addComment(w.people.nod.actor, id, { body: long, threadId: root.id, quote: "ignored", anchorId: "n2" });
    expect(await db().docComment.findUniqueOrThrow({ where: { id: reply.id } })).toMatchObject({ threadId: root.id, anchorId: null, quote: "", createdAt: at });
    const docTitle = (await db().document.findUniqueOrThrow({ where: { id } })).title;
    const told = { title: `Nod Nodepartment replied on “${docTitle}”`, body: "x".repeat(200), link: `/docs/${id}#comment-${reply.id}` };
    expect(await notes(w.people.max.user.id, "doc.comment", id)).toContainEqual(told);
    // The owner is no participant of the thread; Pat lost access; Nod wrote it.
    for (const who of [w.people.mia, w.people.pat, w.people.nod]) expect(await notes(who.user.id, "doc.comment", id)).not.toContainEqual(told);
  });

  test("a reply keeps no anchor even when one is sent; the owner's notice shows a mention as @Name", async () => {
    const id = await newDoc();
    const root = await docs().addComment(w.people.max.actor, id, { body: "Root" });
    const reply = await docs().addComment(w.people.max.actor, id, { body: "Reply", threadId: root.id, quote: "q", anchorStart: "AAAA", anchorEnd: "AAAA" });
    expect(await db().docComment.findUniqueOrThrow({ where: { id: reply.id } })).toMatchObject({ anchorStart: null, anchorEnd: null, quote: "" });
    const c = await docs().addComment(w.people.max.actor, id, { body: `Ask @[someone](${w.people.pat.user.id}) first` });
    expect((await notes(w.people.mia.user.id, "doc.comment", id)).find((n) => n.link === `/docs/${id}#comment-${c.id}`)?.body).toBe("Ask @Pat Product first");
  });

  test("a mentioned participant is told once, as mentioned; labels are the current names", async () => {
    const id = await newDoc();
    const c = await docs().addComment(w.people.max.actor, id, { body: `Please check, @[Whoever](${w.people.mia.user.id})` });
    expect(c.body).toBe(`Please check, @[Mia Marketing](${w.people.mia.user.id})`);
    expect(await notes(w.people.mia.user.id, "doc.comment", id)).toEqual([]);
    expect(await notes(w.people.mia.user.id, "doc.comment.mentioned", id)).toHaveLength(1);
  });

  test("refusals: an unknown thread, a reply as a thread, another document's thread, unknown or too many mentions", async () => {
    const id = await newDoc();
    const other = await newDoc();
    const root = await docs().addComment(w.people.max.actor, id, { body: "Root" });
    const reply = await docs().addComment(w.people.mia.actor, id, { body: "Reply", threadId: root.id });
    const elsewhere = await docs().addComment(w.people.max.actor, other, { body: "Elsewhere" });
    const noThread = "That thread does not exist.";
    await refused(id, () => docs().addComment(w.people.max.actor, id, { body: "x", threadId: "no-such-thread" }), 422, noThread, "threadId");
    await refused(id, () => docs().addComment(w.people.max.actor, id, { body: "x", threadId: reply.id }), 422, noThread, "threadId");
    await refused(id, () => docs().addComment(w.people.max.actor, id, { body: "x", threadId: elsewhere.id }), 422, noThread, "threadId");
    const gone = await makePerson(app.atrium, { name: "Gil Gone", active: false });
    const directory = "You mentioned someone who is not in the directory; pick them from the list.";
    await refused(id, () => docs().addComment(w.people.max.actor, id, { body: `Hi @[Gil](${gone.user.id})` }), 422, directory, "body");
    const many = Array.from({ length: 21 }, (_, i) => `@[P${i}](p${i})`).join(" ");
    await refused(id, () => docs().addComment(w.people.max.actor, id, { body: many }), 422, "Mention at most 20 people in one comment.", "body");
  });

  test("resolving stores who and when, reopening clears both; each is published; a reply or unknown thread: 404", async () => {
    const id = await newDoc();
    const root = await docs().addComment(w.people.max.actor, id, { body: "Root" });
    const reply = await docs().addComment(w.people.mia.actor, id, { body: "Reply", threadId: root.id });
    const at = tick();
    events.length = 0;
    await docs().resolveThread(w.people.max.actor, id, root.id, true);
    expect(await db().docComment.findUniqueOrThrow({ where: { id: root.id } })).toMatchObject({ resolvedAt: at, resolvedById: w.people.max.user.id });
    expect(events.map((e) => [e.docId, e.kind, e.comment.id, e.comment.resolvedAt])).toEqual([[id, "resolved", root.id, at.toISOString()]]);
    events.length = 0;
    await docs().resolveThread(w.people.mia.actor, id, root.id, false);
    expect(await db().docComment.findUniqueOrThrow({ where: { id: root.id } })).toMatchObject({ resolvedAt: null, resolvedById: null });
    expect(events.map((e) => [e.kind, e.comment.id, e.comment.resolvedAt])).toEqual([["reopened", root.id, null]]);
    await refused(id, () => docs().resolveThread(w.people.max.actor, id, reply.id, true), 404, "That thread was not found.");
    await refused(id, () => docs().resolveThread(w.people.max.actor, id, "no-such-thread", true), 404, "That thread was not found.");
  });

  test("editing stores the text and the clock's time; deleting empties it, stores who and when; each is published; refusals name who may", async () => {
    const id = await newDoc();
    const c = await docs().addComment(w.people.max.actor, id, { body: "Before" });
    const editedAt = tick();
    events.length = 0;
    const edited = await docs().editComment(w.people.max.actor, id, c.id, { body: "After" });
    expect(await db().docComment.findUniqueOrThrow({ where: { id: c.id } })).toMatchObject({ body: "After", editedAt });
    expect(events).toEqual([{ docId: id, kind: "edited", comment: edited }]);
    await refused(id, () => docs().editComment(w.people.mia.actor, id, c.id, { body: "Owner edits" }), 403, "Only its author can edit this comment.");
    await refused(id, () => docs().deleteComment(w.people.mia.actor, id, c.id), 403, "Only its author or an admin can delete this comment.");
    await refused(id, () => docs().deleteComment(w.people.max.actor, id, "no-such-comment"), 404, "That comment was not found.");
    const deletedAt = tick();
    events.length = 0;
    const gone = await docs().deleteComment(w.people.max.actor, id, c.id);
    expect(await db().docComment.findUniqueOrThrow({ where: { id: c.id } })).toMatchObject({ body: "", deletedAt, deletedById: w.people.max.user.id });
    expect(events).toEqual([{ docId: id, kind: "deleted", comment: gone }]);
    await refused(id, () => docs().editComment(w.people.max.actor, id, c.id, { body: "Again" }), 404, "That comment (it was deleted) was not found.");
  });
});

describe("images", () => {
  const png = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  const jpeg = [0xff, 0xd8, 0xff, 0xe0];
  const gif = [0x47, 0x49, 0x46, 0x38, 0x39, 0x61];
  const webp = [0x52, 0x49, 0x46, 0x46, 0x10, 0, 0, 0, 0x57, 0x45, 0x42, 0x50];
  const bytes = (head: number[]) => new Uint8Array([...head, 1, 2, 3, 4]);

  test("each type is known by its first bytes, stored under its extension with who, size, name and the clock's time", async () => {
    const id = await newDoc();
    const longName = `${"n".repeat(230)}.png`;
    for (const [head, mime, ext] of [[png, "image/png", "png"], [jpeg, "image/jpeg", "jpg"], [gif, "image/gif", "gif"], [webp, "image/webp", "webp"]] as const) {
      const at = tick();
      const img = await docs().uploadImage(w.people.max.actor, id, { bytes: bytes([...head]), name: longName });
      // 24 hex characters: what the clean-up job searches the document's bytes for.
      expect(img.id).toMatch(/^[0-9a-f]{24}$/);
      expect(img).toEqual({ id: img.id, url: `/docs/${id}/images/${img.id}` });
      expect(await db().docImage.findUniqueOrThrow({ where: { id: img.id } })).toMatchObject({
        docId: id,
        userId: w.people.max.user.id,
        mime,
        size: head.length + 4,
        fileName: longName.slice(0, 200),
        createdAt: at,
      });
      const read = await docs().readImage(w.people.mia.actor, id, img.id);
      expect(read.mime).toBe(mime);
      expect(new Uint8Array(read.bytes)).toEqual(bytes([...head]));
      expect((await stored(id)).files).toContain(`${img.id}.${ext}`);
    }
  });

  test("refusals: empty, over the limit (the limit itself is fine), one wrong magic byte of each type, a viewer; nothing stored", async () => {
    const id = await newDoc({ audienceRole: "viewer" });
    await refused(id, () => docs().uploadImage(w.people.mia.actor, id, { bytes: new Uint8Array(0), name: "empty.png" }), 422, "Choose an image.", "image");
    const big = new Uint8Array(5 * 1024 * 1024 + 1);
    big.set(png);
    await refused(id, () => docs().uploadImage(w.people.mia.actor, id, { bytes: big, name: "big.png" }), 422, "Images are at most 5 MB.", "image");
    // Exactly the limit is allowed.
    const limit = new Uint8Array(5 * 1024 * 1024);
    limit.set(png);
    const atLimit = await docs().uploadImage(w.people.mia.actor, id, { bytes: limit, name: "limit.png" });
    expect((await db().docImage.findUniqueOrThrow({ where: { id: atLimit.id } })).size).toBe(5 * 1024 * 1024);
    const notImage = "Only PNG, JPEG, GIF and WebP images can be uploaded.";
    for (const head of [png, jpeg, gif, webp]) {
      // Each magic byte in turn is wrong: the rest alone never makes an image.
      for (const i of head === webp ? [0, 1, 2, 3, 8, 9, 10, 11] : head.slice(0, head === png ? 4 : 3).map((_, i) => i)) {
        const wrong = [...head];
        wrong[i] = 0;
        await refused(id, () => docs().uploadImage(w.people.mia.actor, id, { bytes: bytes(wrong), name: "x.png" }), 422, notImage, "image");
      }
    }
    await refused(id, () => docs().uploadImage(w.people.max.actor, id, { bytes: bytes(png), name: "a.png" }), 403, "You cannot do that to this document.");
    await refused(id, () => docs().assertCanUploadImage(w.people.max.actor, id), 403, "You cannot do that to this document.");
    await docs().assertCanUploadImage(w.people.mia.actor, id);
  });

  test("an image is read only through its own document; unknown: 404", async () => {
    const id = await newDoc();
    const other = await newDoc();
    const img = await docs().uploadImage(w.people.mia.actor, id, { bytes: bytes(png), name: "a.png" });
    await refused(other, () => docs().readImage(w.people.mia.actor, other, img.id), 404, "That image was not found.");
    await refused(id, () => docs().readImage(w.people.mia.actor, id, "no-such-image"), 404, "That image was not found.");
  });
});
