/**
 * Editing and deleting a comment as stored and announced (the row, the clock's time, the live
 * event), each refusal's message with the database and notifications unchanged, who a mention
 * tells (a person mentioned is told once, not also as owner or participant), and the Markdown
 * export and name look-up for people who may not read the document. Each test makes its own
 * documents; the clock is the injected one.
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import * as D from "../../../server/domain/docs.js";
import type { DomainEvents } from "../../../server/events.js";
import { startTestApp, type TestApp } from "../../helpers/app.js";
import { manualClock } from "../../helpers/clock.js";
import { refusalOf } from "../../helpers/refusals.js";
import { docsWorld, snapshotDoc, type World } from "./world.js";

const clock = manualClock("2032-03-01T09:00:00Z");

let app: TestApp;
let w: World;
const docs = () => app.atrium.domain.docs;
const db = () => app.atrium.db;
const heard: DomainEvents["doc.comment"][] = [];
let seq = 0;

beforeAll(async () => {
  app = await startTestApp({ clock });
  w = await docsWorld(app.atrium);
  app.atrium.ctx.bus.subscribe("doc.comment", (p: DomainEvents["doc.comment"]) => void heard.push(p));
});
afterAll(() => app?.close());

const newDoc = async (input: Record<string, unknown> = {}) =>
  (await docs().createDocument(w.people.mia.actor, { title: `Comments ${++seq}`, spaceId: w.space.marketing.id, ...input })).id;
const row = (id: string) => db().docComment.findUniqueOrThrow({ where: { id } });

/** Refused with this status and message; the document's rows, all notifications and the live events unchanged. */
async function refused(docId: string, fn: () => Promise<unknown>, status: number, message: string) {
  const before = [await snapshotDoc(app.atrium, docId), await db().notification.count(), heard.length];
  const err = await refusalOf(fn);
  expect([err.status, err.message]).toEqual([status, message]);
  expect([await snapshotDoc(app.atrium, docId), await db().notification.count(), heard.length]).toEqual(before);
}

describe("editing and deleting a comment", () => {
  test("an edit stores the labelled text and the clock's time, and is announced as edited with the comment as shown", async () => {
    const id = await newDoc();
    const c = await docs().addComment(w.people.max.actor, id, { body: "First words" });
    const at = clock.tick();
    heard.length = 0;
    const edited = await docs().editComment(w.people.max.actor, id, c.id, { body: `Ask @[anyone](${w.people.mia.user.id})` });
    const body = `Ask @[Mia Marketing](${w.people.mia.user.id})`;
    expect(await row(c.id)).toMatchObject({ body, editedAt: at, deletedAt: null, createdAt: new Date(c.createdAt) });
    expect(edited).toMatchObject({ id: c.id, body, editedAt: at.toISOString(), deleted: false });
    expect(heard).toEqual([{ docId: id, kind: "edited", comment: edited }]);
  });

  test("a delete empties the row's text, records when and by whom, and is announced as deleted", async () => {
    const id = await newDoc({ spaceId: w.space.company.id });
    const c = await docs().addComment(w.people.max.actor, id, { body: "Remove me" });
    const at = clock.tick();
    heard.length = 0;
    const gone = await docs().deleteComment(w.people.max.actor, id, c.id);
    expect(await row(c.id)).toMatchObject({ body: "", deletedAt: at, deletedById: w.people.max.user.id });
    expect(gone).toMatchObject({ id: c.id, body: "", deleted: true });
    expect(heard).toEqual([{ docId: id, kind: "deleted", comment: gone }]);
  });

  test("refusals say why: not the author, not the author or an admin, deleted, or no such comment; nothing changes", async () => {
    const id = await newDoc({ spaceId: w.space.company.id });
    const c = await docs().addComment(w.people.max.actor, id, { body: "Mine" });
    await refused(id, () => docs().editComment(w.people.mia.actor, id, c.id, { body: "Not yours" }), 403, "Only its author can edit this comment.");
    await refused(id, () => docs().editComment(w.people.admin.actor, id, c.id, { body: "Admins neither" }), 403, "Only its author can edit this comment.");
    await refused(id, () => docs().deleteComment(w.people.mia.actor, id, c.id), 403, "Only its author or an admin can delete this comment.");
    await refused(id, () => docs().deleteComment(w.people.max.actor, id, "nosuchcomment"), 404, "That comment was not found.");
    await refused(id, () => docs().deleteComment(w.people.max.actor, id, undefined as unknown as string), 404, "That comment was not found.");
    await docs().deleteComment(w.people.max.actor, id, c.id);
    await refused(id, () => docs().editComment(w.people.max.actor, id, c.id, { body: "Back" }), 404, "That comment (it was deleted) was not found.");
    await refused(id, () => docs().deleteComment(w.people.admin.actor, id, c.id), 404, "That comment (it was deleted) was not found.");
  });
});

describe("the comment list's order", () => {
  test("comments of the same moment are listed by id, not in the order they were stored, through SQL and Prisma alike", async () => {
    const id = await newDoc();
    const at = clock.tick();
    const author = w.people.max.user.id;
    // Stored in the opposite order of their ids, and one dated earlier stored last.
    for (const [cid, createdAt] of [["cmtsameznd" + seq, at], ["cmtsamemid" + seq, at], ["cmtsameaaa" + seq, at], ["cmtearlier" + seq, new Date(at.getTime() - 1000)]] as const) {
      await db().docComment.create({ data: { id: cid, docId: id, authorId: author, body: cid, quote: "", createdAt } });
    }
    const expected = [`cmtearlier${seq}`, `cmtsameaaa${seq}`, `cmtsamemid${seq}`, `cmtsameznd${seq}`];
    for (const [how, c] of [["prepared SQL", app.atrium.ctx], ["Prisma", { ...app.atrium.ctx, reads: undefined }]] as const) {
      expect((await D.listComments(c, w.people.mia.actor, id)).map((x) => x.id), how).toEqual(expected);
    }
  });
});

describe("who a mention tells", () => {
  const notices = (userId: string, docId: string) =>
    db().notification.findMany({ where: { userId, link: { startsWith: `/docs/${docId}#` } }, orderBy: { id: "asc" }, select: { type: true, title: true, body: true, link: true } });

  test("the owner mentioned in a new thread, or a participant mentioned in a reply, is told once, as mentioned", async () => {
    const id = await newDoc();
    const root = await docs().addComment(w.people.max.actor, id, { body: `Over to @[x](${w.people.mia.user.id})` });
    const title = (await db().document.findUniqueOrThrow({ where: { id } })).title;
    expect(await notices(w.people.mia.user.id, id)).toEqual([
      { type: "doc.comment.mentioned", title: `Max Marketing mentioned you in a comment on “${title}”`, body: "Over to @Mia Marketing", link: `/docs/${id}#comment-${root.id}` },
    ]);
    const reply = await docs().addComment(w.people.mia.actor, id, { body: `Back to @[y](${w.people.max.user.id})`, threadId: root.id });
    expect(await notices(w.people.max.user.id, id)).toEqual([
      { type: "doc.comment.mentioned", title: `Mia Marketing mentioned you in a comment on “${title}”`, body: "Back to @Max Marketing", link: `/docs/${id}#comment-${reply.id}` },
    ]);
  });

  test("an edit tells a newly mentioned reader, by the author's name, with a link to the comment; someone who cannot read is told nothing", async () => {
    const id = await newDoc();
    const c = await docs().addComment(w.people.max.actor, id, { body: "Plain" });
    const title = (await db().document.findUniqueOrThrow({ where: { id } })).title;
    const before = await db().notification.count({ where: { userId: w.people.pia.user.id } });
    await docs().editComment(w.people.max.actor, id, c.id, { body: `Now @[a](${w.people.mia.user.id}) and @[b](${w.people.pia.user.id})` });
    expect((await notices(w.people.mia.user.id, id)).filter((n) => n.type === "doc.comment.mentioned")).toEqual([
      { type: "doc.comment.mentioned", title: `Max Marketing mentioned you in a comment on “${title}”`, body: "Now @Mia Marketing and @Pia Product", link: `/docs/${id}#comment-${c.id}` },
    ]);
    expect(await db().notification.count({ where: { userId: w.people.pia.user.id } })).toBe(before);
  });
});

describe("reading a document's Markdown and mention names", () => {
  test("the name look-up counts each id once towards its limit of 100", async () => {
    const id = await newDoc();
    const [max, pia] = [w.people.max.user.id, w.people.pia.user.id];
    expect(await docs().mentionNames(w.people.mia.actor, id, [...Array(150).fill(max), pia])).toEqual({ [max]: "Max Marketing", [pia]: "Pia Product" });
  });

  test("someone who cannot read the document gets neither its Markdown, its names, its comments nor people to mention; an empty document exports empty", async () => {
    const id = await newDoc({ title: "Empty plan" });
    const refusedRead = async (fn: () => Promise<unknown>, message = "You do not have access to this document.") => {
      const err = await refusalOf(fn);
      expect([err.status, err.message]).toEqual([403, message]);
    };
    await refusedRead(() => docs().exportMarkdown(w.people.pia.actor, id));
    await refusedRead(() => docs().mentionNames(w.people.pia.actor, id, [w.people.max.user.id]));
    await refusedRead(() => docs().mentionCandidates(w.people.pia.actor, id, "Max"), "You cannot do that to this document.");
    await refusedRead(() => docs().listComments(w.people.pia.actor, id));
    expect(await docs().exportMarkdown(w.people.max.actor, id)).toEqual({ fileName: "empty-plan.md", markdown: "" });
  });

  test("an import into a space the writer may not add to is refused, nothing created", async () => {
    const count = await db().document.count();
    const err = await refusalOf(() => docs().importMarkdown(w.people.pia.actor, { spaceId: w.space.marketing.id, markdown: "# Not here" }));
    expect(err.status).toBe(403);
    expect(await db().document.count()).toBe(count);
  });
});
