/**
 * Comments, mentions, Markdown, revisions recorded by the collab service and the image sweep, field
 * by field: the comment list (through prepared SQL and through Prisma), who hears about a reply or
 * a mention, what a mention's label may hold, the mention picker and name look-up, the title an
 * import takes, a document's stored text after a rename, what a recorded revision stores and when it
 * is skipped, and which images the sweep removes when. Each test makes its own documents and
 * people, so any one of them runs alone; the clock is the injected one.
 */
import { existsSync } from "node:fs";
import { rm } from "node:fs/promises";
import path from "node:path";
import { $createParagraphNode, $createTextNode, $getRoot } from "lexical";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { FORMER_MEMBER } from "../../../app/editor/mention-names.js";
import { $createMentionNode } from "../../../app/editor/nodes/MentionNode.js";
import { editState, initialState, markdownToState, replaceContentUpdate } from "../../../server/collab/headless.js";
import * as D from "../../../server/domain/docs.js";
import type { Ctx } from "../../../server/domain/context.js";
import type { DomainEvents } from "../../../server/events.js";
import { makePerson } from "../../factories.js";
import { startTestApp, type TestApp } from "../../helpers/app.js";
import { manualClock } from "../../helpers/clock.js";
import { refusalOf } from "../../helpers/refusals.js";
import { docsWorld, snapshotDoc, type World } from "./world.js";

const clock = manualClock("2031-09-01T08:00:00Z");
const tick = (ms?: number) => clock.tick(ms);

let app: TestApp;
let w: World;
const docs = () => app.atrium.domain.docs;
const db = () => app.atrium.db;
const ctx = () => app.atrium.ctx;
/** The app's context (prepared SQL reads) and the same without them (Prisma only). */
const both = (): [string, Ctx][] => [
  ["prepared SQL", app.atrium.ctx],
  ["Prisma", { ...app.atrium.ctx, reads: undefined }],
];
const settled: string[] = [];
let seq = 0;

beforeAll(async () => {
  app = await startTestApp({ clock });
  w = await docsWorld(app.atrium);
  app.atrium.ctx.bus.subscribe("doc.text.settled", (p: DomainEvents["doc.text.settled"]) => void settled.push(p.docId));
});
afterAll(() => app?.close());

const newDoc = async (input: Record<string, unknown> = {}) =>
  (await docs().createDocument(w.people.mia.actor, { title: `Mentions ${++seq}`, spaceId: w.space.marketing.id, ...input })).id;
const notes = (userId: string, type: string, docId: string) =>
  db().notification.findMany({ where: { userId, type, link: { startsWith: `/docs/${docId}#` } }, orderBy: { id: "asc" }, select: { title: true, body: true, link: true } });
const person = (name: string, over: Record<string, unknown> = {}) => makePerson(app.atrium, { name, departmentId: w.departments.marketing.id, ...over });

/** Refused with this status and message (or field message); the document's rows and all notifications unchanged. */
async function refused(docId: string, fn: () => Promise<unknown>, status: number, message: string, field?: string) {
  const before = [await snapshotDoc(app.atrium, docId), await db().notification.count()];
  const err = await refusalOf(fn);
  expect(err.status).toBe(status);
  if (field) expect(err.fieldErrors).toEqual({ [field]: [message] });
  else expect(err.message).toBe(message);
  expect([await snapshotDoc(app.atrium, docId), await db().notification.count()]).toEqual(before);
}

/** A document state whose only paragraph is "Ask " + a mention of `userId` labelled `label`. */
const withMention = (userId: string, label: string) =>
  editState(initialState(), () => {
    const p = $createParagraphNode();
    p.append($createTextNode("Ask "), $createMentionNode(userId, label), $createTextNode(" today"));
    $getRoot().clear().append(p);
  });

async function setContent(docId: string, state: Uint8Array) {
  const collab = app.atrium.ctx.collab;
  await collab.submit(docId, replaceContentUpdate(collab.state(docId), state), { userId: w.people.mia.user.id });
}

describe("the comment list", () => {
  test("oldest first (same time: in the order written), this document's only, every field, through SQL and Prisma alike", async () => {
    const id = await newDoc();
    const other = await newDoc();
    await docs().addComment(w.people.max.actor, other, { body: "Elsewhere" });
    const t1 = tick();
    const root = await docs().addComment(w.people.max.actor, id, { body: "Root", quote: "the intro", anchorId: "n1" });
    const reply = await docs().addComment(w.people.mia.actor, id, { body: "Reply one", threadId: root.id });
    const reply2 = await docs().addComment(w.people.max.actor, id, { body: "Reply two", threadId: root.id });
    const t2 = tick();
    const later = await docs().addComment(w.people.mia.actor, id, { body: "Later" });
    const t3 = tick();
    await docs().editComment(w.people.mia.actor, id, later.id, { body: "Later, edited" });
    const t4 = tick();
    await docs().resolveThread(w.people.mia.actor, id, root.id, true);
    await docs().deleteComment(w.people.max.actor, id, root.id);
    await docs().deleteComment(w.people.max.actor, id, reply2.id);
    // Stored anchors are shown as they are (a client's relative positions).
    await db().docComment.update({ where: { id: later.id }, data: { anchorStart: "c3RhcnQ=", anchorEnd: "ZW5k" } });
    // Stored last but dated first (as an import of older comments would): listed first.
    const early = await db().docComment.create({ data: { docId: id, authorId: w.people.max.user.id, body: "Early", quote: "", createdAt: new Date(t1.getTime() - 60_000) } });
    const max = { id: w.people.max.user.id, name: "Max Marketing", initials: "MM", photoUrl: null };
    const mia = { id: w.people.mia.user.id, name: "Mia Marketing", initials: "MM", photoUrl: null };
    const expected = [
      { id: early.id, threadId: null, body: "Early", anchorId: null, quote: "", resolvedAt: null, createdAt: new Date(t1.getTime() - 60_000).toISOString(), author: max, editedAt: null, deleted: false, anchorStart: null, anchorEnd: null },
      // A deleted thread keeps its quote (it still marks its place); its text is gone.
      { id: root.id, threadId: null, body: "", anchorId: "n1", quote: "the intro", resolvedAt: t4.toISOString(), createdAt: t1.toISOString(), author: max, editedAt: null, deleted: true, anchorStart: null, anchorEnd: null },
      { id: reply.id, threadId: root.id, body: "Reply one", anchorId: null, quote: "", resolvedAt: null, createdAt: t1.toISOString(), author: mia, editedAt: null, deleted: false, anchorStart: null, anchorEnd: null },
      { id: reply2.id, threadId: root.id, body: "", anchorId: null, quote: "", resolvedAt: null, createdAt: t1.toISOString(), author: max, editedAt: null, deleted: true, anchorStart: null, anchorEnd: null },
      { id: later.id, threadId: null, body: "Later, edited", anchorId: null, quote: "", resolvedAt: null, createdAt: t2.toISOString(), author: mia, editedAt: t3.toISOString(), deleted: false, anchorStart: "c3RhcnQ=", anchorEnd: "ZW5k" },
    ];
    for (const [how, c] of both()) expect(await D.listComments(c, w.people.pia.actor, id).catch((e: Error) => e.message), how).toBe("You do not have access to this document.");
    await docs().shareDocument(w.people.mia.actor, id, { principalType: "user", principalId: w.people.pat.user.id, role: "viewer" });
    for (const [how, c] of both()) expect(await D.listComments(c, w.people.pat.actor, id), how).toEqual(expected);
  });

  test("mentions show today's names through SQL and Prisma; a deactivated person is marked, nobody's id is a former member", async () => {
    const id = await newDoc();
    const kim = await person("Kim Before");
    const lou = await person("Lou Leaving");
    const c = await docs().addComment(w.people.max.actor, id, { body: `Ask @[x](${kim.user.id}) and @[y](${lou.user.id}), twice @[z](${kim.user.id})` });
    await db().user.update({ where: { id: kim.user.id }, data: { name: "Kim After" } });
    await db().user.update({ where: { id: lou.user.id }, data: { active: false } });
    await db().docComment.create({ data: { docId: id, authorId: w.people.max.user.id, body: "Ask @[Ghost](nosuchperson9)", quote: "", createdAt: tick() } });
    for (const [how, cx] of both()) {
      const bodies = (await D.listComments(cx, w.people.mia.actor, id)).map((x) => x.body);
      expect(bodies, how).toEqual([`Ask @[Kim After](${kim.user.id}) and @[Lou Leaving (former member)](${lou.user.id}), twice @[Kim After](${kim.user.id})`, `Ask @[${FORMER_MEMBER}](nosuchperson9)`]);
    }
    expect(c.body).toBe(`Ask @[Kim Before](${kim.user.id}) and @[Lou Leaving](${lou.user.id}), twice @[Kim Before](${kim.user.id})`);
  });
});

describe("a comment as shown", () => {
  const row = { id: "c1", threadId: null as string | null, body: "Secret words", anchorId: "n1", quote: "the intro", resolvedAt: null, createdAt: new Date("2031-01-02T03:04:05Z"), author: { id: "u1", name: "Ann Author", photoPath: "u1.png" } };
  test("a deleted comment shows no text whatever its row holds; a deleted thread keeps its quote, a deleted reply shows none", () => {
    const deletedAt = new Date("2031-01-03T00:00:00Z");
    expect(D.presentComment({ ...row, deletedAt })).toMatchObject({ body: "", quote: "the intro", deleted: true });
    expect(D.presentComment({ ...row, threadId: "t1", quote: "stray", deletedAt })).toMatchObject({ body: "", quote: "", deleted: true });
    expect(D.presentComment({ ...row, threadId: "t1", quote: "stray" })).toEqual({
      id: "c1", threadId: "t1", body: "Secret words", anchorId: "n1", quote: "stray", resolvedAt: null, createdAt: "2031-01-02T03:04:05.000Z",
      author: { id: "u1", name: "Ann Author", initials: "AA", photoUrl: "/uploads/u1.png" }, editedAt: null, deleted: false, anchorStart: null, anchorEnd: null,
    });
  });
});

describe("mentions in comments", () => {
  test("ids: each once, in the order first written; only the picker's form counts", () => {
    expect(D.commentMentionIds("@[A](b2) then @[C](a1) and @[A again](b2)")).toEqual(["b2", "a1"]);
    expect(D.commentMentionIds("@[A](B2)")).toEqual(["B2"]);
    expect(D.commentMentionIds("no mention @A or @[A]() or @[](a1)")).toEqual([]);
  });

  test("a label holds the current name without brackets or line breaks, at most 120 characters", async () => {
    const id = await newDoc();
    const odd = await person("Bea ]Bracket\nLine");
    const long = await person(`L${"o".repeat(129)}ng`);
    const c = await docs().addComment(w.people.max.actor, id, { body: `@[a](${odd.user.id}) @[b](${long.user.id})` });
    const shown = `@[Bea  Bracket Line](${odd.user.id}) @[${`L${"o".repeat(129)}ng`.slice(0, 120)}](${long.user.id})`;
    expect(c.body).toBe(shown);
    expect((await db().docComment.findUniqueOrThrow({ where: { id: c.id } })).body).toBe(shown);
  });

  test("twenty people may be mentioned in one comment (a name written twice counts once); a comment without mentions is kept as written", async () => {
    const id = await newDoc();
    const twenty = [];
    for (let i = 0; i < 20; i++) twenty.push(await person(`Twenty ${String(i).padStart(2, "0")}`));
    const body = [...twenty.map((p) => `@[x](${p.user.id})`), `@[again](${twenty[0]!.user.id})`].join(" ");
    const c = await docs().addComment(w.people.max.actor, id, { body });
    expect(D.commentMentionIds(c.body)).toEqual(twenty.map((p) => p.user.id));
    expect(c.body).toContain(`@[Twenty 00](${twenty[0]!.user.id}) @[Twenty 01]`);
    const plain = await docs().addComment(w.people.max.actor, id, { body: "  Plain [text](link) @here  " });
    expect((await db().docComment.findUniqueOrThrow({ where: { id: plain.id } })).body).toBe(plain.body);
  });

  test("mentioning oneself tells no one; a mention notice's text is cut at 200 characters", async () => {
    const id = await newDoc();
    await docs().addComment(w.people.max.actor, id, { body: `Note to @[me](${w.people.max.user.id})` });
    expect(await notes(w.people.max.user.id, "doc.comment.mentioned", id)).toEqual([]);
    const long = `@[x](${w.people.mia.user.id}) ${"y".repeat(300)}`;
    const c = await docs().addComment(w.people.max.actor, id, { body: long });
    expect(await notes(w.people.mia.user.id, "doc.comment.mentioned", id)).toEqual([
      { title: `Max Marketing mentioned you in a comment on “Mentions ${seq}”`, body: `@Mia Marketing ${"y".repeat(300)}`.slice(0, 200), link: `/docs/${id}#comment-${c.id}` },
    ]);
    // An edit that mentions oneself or those already mentioned tells no one more.
    const before = await db().notification.count();
    await docs().editComment(w.people.max.actor, id, c.id, { body: `@[x](${w.people.mia.user.id}) and @[me](${w.people.max.user.id})` });
    expect(await db().notification.count()).toBe(before);
  });

  test("a reply tells everyone who wrote in the thread and can still read it, once each, but not the writer", async () => {
    const id = await newDoc({ visibility: "private" });
    for (const who of [w.people.max, w.people.pat, w.people.nod]) {
      await docs().shareDocument(w.people.mia.actor, id, { principalType: "user", principalId: who.user.id, role: "viewer" });
    }
    const root = await docs().addComment(w.people.max.actor, id, { body: "Root" });
    await docs().addComment(w.people.pat.actor, id, { body: "First", threadId: root.id });
    await docs().addComment(w.people.pat.actor, id, { body: "Second", threadId: root.id });
    // The writer of another thread is no participant.
    await docs().addComment(w.people.mia.actor, id, { body: "Another thread" });
    const reply = await docs().addComment(w.people.nod.actor, id, { body: "Third", threadId: root.id });
    const docTitle = (await db().document.findUniqueOrThrow({ where: { id } })).title;
    const told = { title: `Nod Nodepartment replied on “${docTitle}”`, body: "Third", link: `/docs/${id}#comment-${reply.id}` };
    expect((await notes(w.people.pat.user.id, "doc.comment", id)).filter((n) => n.link === told.link)).toEqual([told]);
    expect((await notes(w.people.max.user.id, "doc.comment", id)).filter((n) => n.link === told.link)).toEqual([told]);
    for (const who of [w.people.mia, w.people.nod]) expect(await notes(who.user.id, "doc.comment", id), who.user.name).not.toContainEqual(told);
  });

  test("editing or deleting another document's comment through this one: 404, nothing changed", async () => {
    const id = await newDoc();
    const other = await newDoc();
    const c = await docs().addComment(w.people.max.actor, other, { body: "Mine, elsewhere" });
    await refused(id, () => docs().editComment(w.people.max.actor, id, c.id, { body: "Moved?" }), 404, "That comment was not found.");
    await refused(id, () => docs().deleteComment(w.people.max.actor, id, c.id), 404, "That comment was not found.");
    expect((await db().docComment.findUniqueOrThrow({ where: { id: c.id } })).body).toBe("Mine, elsewhere");
    // Someone who cannot read the document is refused before the comment is looked at.
    const secret = await newDoc({ visibility: "private" });
    const own = await docs().addComment(w.people.mia.actor, secret, { body: "Mine" });
    await refused(secret, () => docs().editComment(w.people.max.actor, secret, own.id, { body: "x" }), 403, "You do not have access to this document.");
  });
});

describe("people to mention", () => {
  test("active people whose name holds the words (trimmed, cut at 60), by name, at most 8, with their title", async () => {
    const id = await newDoc();
    const tag = `Qz${++seq}`;
    const made = [];
    for (const n of ["Hal", "Ann", "Gus", "Eve", "Cal", "Ida", "Bob", "Fay", "Dan"]) made.push(await person(`${n} ${tag}`, { title: `${n} title` }));
    await person(`Aaron ${tag}`, { active: false });
    await db().user.update({ where: { id: made[1]!.user.id }, data: { photoPath: "ann.png" } });
    const found = await docs().mentionCandidates(w.people.max.actor, id, `   ${tag}  `);
    expect(found.map((p) => p.name)).toEqual(["Ann", "Bob", "Cal", "Dan", "Eve", "Fay", "Gus", "Hal"].map((n) => `${n} ${tag}`));
    const ann = made[1]!.user;
    expect(found[0]).toEqual({ id: ann.id, name: `Ann ${tag}`, initials: "AQ", photoUrl: "/uploads/ann.png", title: "Ann title" });
    const longName = `${"Verylongname".repeat(6)}${tag}`;
    await person(longName);
    expect((await docs().mentionCandidates(w.people.max.actor, id, `${longName.slice(0, 60)}ZZZ`)).map((p) => p.name)).toEqual([longName]);
    // No words: the first eight active people by name.
    const all = await db().user.findMany({ where: { active: true }, orderBy: { name: "asc" }, take: 8, select: { name: true } });
    expect((await docs().mentionCandidates(w.people.max.actor, id, "  ")).map((p) => p.name)).toEqual(all.map((u) => u.name));
  });

  test("the open editor's name look-up: valid ids only, each once, at most 100; unknown ids are former members", async () => {
    const id = await newDoc();
    const gone = await person("Gus Gone", { active: false });
    const pia = w.people.pia.user.id;
    const bad = ["", "x!abc", "abc!", "has space", "a".repeat(41), "under_score"];
    const names = await docs().mentionNames(w.people.max.actor, id, [pia, pia, gone.user.id, "NOSUCH1", "z".repeat(40), ...bad]);
    expect(names).toEqual({ [pia]: "Pia Product", [gone.user.id]: "Gus Gone (former member)", NOSUCH1: FORMER_MEMBER, ["z".repeat(40)]: FORMER_MEMBER });
    const many = Array.from({ length: 105 }, (_, i) => `id${i}`);
    expect(Object.keys(await docs().mentionNames(w.people.max.actor, id, many))).toEqual(many.slice(0, 100));
    expect(await docs().mentionNames(w.people.max.actor, id, [])).toEqual({});
  });
});

describe("Markdown", () => {
  const imported = async (markdown: string, title?: string) => {
    const doc = await docs().importMarkdown(w.people.mia.actor, { spaceId: w.space.marketing.id, markdown, ...(title === undefined ? {} : { title }) });
    return db().document.findUniqueOrThrow({ where: { id: doc.id } });
  };

  test("an import takes its title from the form, else from its first heading of levels 1 to 6 on any line, else a default", async () => {
    expect((await imported("# Heading", "  From the form ")).title).toBe("From the form");
    expect((await imported("Use C# here\n\n######## Too deep\n####### Seven\n\n###   Spaced  title   \n\n# Later")).title).toBe("Spaced  title");
    expect((await imported("## Level two")).title).toBe("Level two");
    expect((await imported("#NoSpace\n\nText")).title).toBe("Imported document");
    expect((await imported(`# ${"T".repeat(250)}`)).title).toBe("T".repeat(200));
    expect((await imported("# X")).title).toBe("X");
    const parent = await newDoc();
    const child = await docs().importMarkdown(w.people.mia.actor, { spaceId: w.space.marketing.id, parentId: parent, markdown: "Body" });
    expect(await db().document.findUniqueOrThrow({ where: { id: child.id } })).toMatchObject({ parentId: parent, spaceId: w.space.marketing.id, ownerId: w.people.mia.user.id, title: "Imported document" });
    expect((await docs().exportMarkdown(w.people.mia.actor, child.id)).markdown).toBe("Body");
  });

  test("an import whose content is over the update limit is refused, nothing created", async () => {
    const env = ctx().env as { DOC_MAX_UPDATE_BYTES: number };
    const limit = env.DOC_MAX_UPDATE_BYTES;
    env.DOC_MAX_UPDATE_BYTES = 2048;
    try {
      const count = await db().document.count();
      const err = await refusalOf(() => docs().importMarkdown(w.people.mia.actor, { spaceId: w.space.marketing.id, markdown: "word ".repeat(1000) }));
      expect([err.status, err.fieldErrors]).toEqual([422, { markdown: ["This file is too large to import."] }]);
      expect(await db().document.count()).toBe(count);
      // Exactly at the limit is fine. (A state's size depends on its random client id by a byte
      // or so: the limit is the largest of several.)
      const md = "word ".repeat(600);
      env.DOC_MAX_UPDATE_BYTES = Math.max(...Array.from({ length: 12 }, () => markdownToState(md).byteLength));
      expect((await imported(md)).title).toBe("Imported document");
    } finally {
      env.DOC_MAX_UPDATE_BYTES = limit;
    }
  });

  test("an export is named after the title and shows mentions with today's names", async () => {
    const id = await newDoc({ title: "Q3 plan: draft" });
    await setContent(id, withMention(w.people.pia.user.id, "The CEO"));
    expect(await docs().exportMarkdown(w.people.max.actor, id)).toEqual({ fileName: "q3-plan-draft.md", markdown: "Ask @Pia Product today" });
  });
});

describe("relabelling mentions after a rename", () => {
  test("documents that mention the person get the current name in their stored text, each announced once; trashed and unchanged ones are left", async () => {
    const ren = await person("Ren Before");
    const [a, b, trashed, unrelated] = [await newDoc(), await newDoc(), await newDoc(), await newDoc()];
    for (const id of [a, b, trashed, unrelated]) {
      await setContent(id, withMention(ren.user.id, "The CEO"));
      await ctx().collab.settle(id);
    }
    // Which documents are known to mention Ren: these three (the fourth's mention was never recorded).
    await db().docMention.deleteMany({ where: { docId: { in: [a, b, trashed, unrelated] } } });
    for (const id of [a, b, trashed]) await db().docMention.create({ data: { docId: id, userId: ren.user.id, notifiedAt: tick() } });
    await docs().trashDocument(w.people.mia.actor, trashed);
    for (const id of [a, trashed, unrelated]) await db().document.update({ where: { id }, data: { plainText: "stale" } });
    await db().document.update({ where: { id: b }, data: { plainText: "Ask @Ren After today" } });
    await db().user.update({ where: { id: ren.user.id }, data: { name: "Ren After" } });
    settled.length = 0;
    await docs().relabelMentionsOf(ren.user.id);
    const text = async (id: string) => (await db().document.findUniqueOrThrow({ where: { id } })).plainText;
    expect([await text(a), await text(b), await text(trashed), await text(unrelated)]).toEqual(["Ask @Ren After today", "Ask @Ren After today", "stale", "stale"]);
    expect(settled).toEqual([a]);
    settled.length = 0;
    await docs().relabelMentionsOf(ren.user.id);
    expect(settled).toEqual([]);
  });
});

describe("revisions recorded by the collab service", () => {
  const rows = (docId: string) => db().docRevision.findMany({ where: { docId }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] });

  test("stores the reason, state, sequence, contributors, author, the clock's time and a preview of one line", async () => {
    const id = await newDoc();
    const state = markdownToState("First line");
    const at = tick();
    const revId = await docs().recordRevision(id, { state, seq: 7, contributors: [w.people.max.user.id, w.people.pat.user.id], reason: "burst", preview: `  Two\n\n words\tand ${"p".repeat(250)} ` });
    const row = await db().docRevision.findUniqueOrThrow({ where: { id: revId! } });
    expect(row).toMatchObject({ docId: id, reason: "burst", seq: 7, contributorIds: JSON.stringify([w.people.max.user.id, w.people.pat.user.id]), createdById: null, createdAt: at });
    expect(row.preview).toBe(`Two words and ${"p".repeat(250)}`.slice(0, 200));
    expect(new Uint8Array(row.state)).toEqual(state);
    // Without a preview: the content's text, mentions under today's names; who asked, when given.
    const byMia = await docs().recordRevision(id, { state: withMention(w.people.pia.user.id, "The CEO"), seq: 8, contributors: [], reason: "manual" }, w.people.mia.user.id);
    expect(await db().docRevision.findUniqueOrThrow({ where: { id: byMia! } })).toMatchObject({ preview: "Ask @Pia Product today", createdById: w.people.mia.user.id, reason: "manual", seq: 8, contributorIds: "[]" });
  });

  test("an unknown document: nothing recorded", async () => {
    const count = await db().docRevision.count();
    expect(await docs().recordRevision("nosuchdocument", { state: markdownToState("x"), seq: 1, contributors: [], reason: "burst" })).toBeNull();
    expect(await db().docRevision.count()).toBe(count);
  });

  test("the same content as the latest revision (by time, then as written) is not recorded again, except to mark a restore", async () => {
    const id = await newDoc();
    const a = markdownToState("Alpha");
    const b = markdownToState("Beta");
    const first = await docs().recordRevision(id, { state: a, seq: 1, contributors: [], reason: "burst" });
    expect(await docs().recordRevision(id, { state: a, seq: 2, contributors: [], reason: "left" })).toBe(first);
    const n = (await rows(id)).length;
    // Same time as the first: written after it, so it is the latest.
    const second = await docs().recordRevision(id, { state: b, seq: 3, contributors: [], reason: "burst" });
    const third = await docs().recordRevision(id, { state: a, seq: 4, contributors: [], reason: "burst" });
    expect(new Set([first, second, third]).size).toBe(3);
    tick();
    const restore = await docs().recordRevision(id, { state: a, seq: 5, contributors: [], reason: "restore" });
    expect(restore).not.toBe(third);
    expect((await rows(id)).length).toBe(n + 3);
    // A later time wins over a larger id: a revision stored with an earlier time is not the latest.
    await db().docRevision.create({ data: { docId: id, reason: "burst", state: Buffer.from(b), seq: 6, createdAt: new Date(clock.t - 3_600_000) } });
    expect(await docs().recordRevision(id, { state: a, seq: 7, contributors: [], reason: "burst" })).toBe(restore);
    // Another document's newer revision is not this one's latest.
    const other = await newDoc();
    tick();
    await docs().recordRevision(other, { state: b, seq: 1, contributors: [], reason: "burst" });
    expect(await docs().recordRevision(id, { state: a, seq: 8, contributors: [], reason: "burst" })).toBe(restore);
  });

  test("requests a moment apart for one document are recorded one at a time: the same content once", async () => {
    const id = await newDoc();
    const state = markdownToState("Once only");
    const before = (await rows(id)).length;
    const ids = await Promise.all([1, 2, 3].map((s) => docs().recordRevision(id, { state, seq: s, contributors: [], reason: "burst" })));
    expect(new Set(ids).size).toBe(1);
    expect((await rows(id)).length).toBe(before + 1);
    // One asked for while another is being recorded waits for it, also when the one before both is done.
    const first = docs().recordRevision(id, { state: markdownToState("One"), seq: 4, contributors: [], reason: "burst" });
    const two = markdownToState("Two");
    const second = docs().recordRevision(id, { state: two, seq: 5, contributors: [], reason: "burst" });
    await first;
    const third = docs().recordRevision(id, { state: two, seq: 6, contributors: [], reason: "burst" });
    expect(await third).toBe(await second);
    expect((await rows(id)).length).toBe(before + 3);
    // One that fails does not hold up the next.
    const failed = docs().recordRevision(id, { state: new Uint8Array([1, 2, 3]), seq: 9, contributors: [], reason: "burst" });
    const next = docs().recordRevision(id, { state: markdownToState("After the failure"), seq: 10, contributors: [], reason: "burst" });
    await expect(failed).rejects.toBeTruthy();
    expect(await next).toEqual(expect.any(String));
  });
});

describe("the image sweep", () => {
  const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);
  const jpeg = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);

  test("after a week by default: unreferenced images of every document go (files and rows), their bytes counted; a missing file is no obstacle", async () => {
    const [a, b] = [await newDoc(), await newDoc()];
    tick();
    const keep = await docs().uploadImage(w.people.mia.actor, a, { bytes: png, name: "keep.png" });
    const goA = await docs().uploadImage(w.people.mia.actor, a, { bytes: jpeg, name: "go.jpg" });
    const goB = await docs().uploadImage(w.people.mia.actor, b, { bytes: png, name: "go.png" });
    const lost = await docs().uploadImage(w.people.mia.actor, b, { bytes: jpeg, name: "lost.jpg" });
    const file = (docId: string, imageId: string, ext: string) => path.resolve(ctx().env.DOC_FILES_DIR, docId, `${imageId}.${ext}`);
    await setContent(a, markdownToState(`Picture ![k](${keep.url})`));
    // Shown in another document's content and revision only: still unreferenced by its own.
    await setContent(b, markdownToState(`See ![g](${goA.url})`));
    await docs().captureRevision(w.people.mia.actor, b);
    await rm(file(b, lost.id, "jpg"));
    const uploadedAt = clock.t;
    clock.t = uploadedAt + 7 * 24 * 3600_000;
    expect(await docs().cleanupImages()).toEqual({ checked: 0, removed: 0, bytes: 0 });
    clock.t += 1;
    expect(await docs().cleanupImages()).toEqual({ checked: 4, removed: 3, bytes: jpeg.byteLength + png.byteLength + jpeg.byteLength });
    expect([existsSync(file(a, keep.id, "png")), existsSync(file(a, goA.id, "jpg")), existsSync(file(b, goB.id, "png"))]).toEqual([true, false, false]);
    expect((await db().docImage.findMany({ where: { docId: { in: [a, b] } } })).map((i) => i.id)).toEqual([keep.id]);
  });
});
