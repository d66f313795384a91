/**
 * An @mention names a person by id; its stored label is whatever the writer's client put there
 * ("@The CEO" pointing at someone else, or a name since changed). Everything a reader sees shows
 * the person's current name instead (app/editor/mention-names.ts): Markdown export, revisions and
 * their previews, the page's first paint, the stored text that search, previews and the feed
 * read, and the names the live editor asks for.
 */
import { $createParagraphNode, $createTextNode, $getRoot } from "lexical";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { $createMentionNode } from "../../../app/editor/nodes/MentionNode.js";
import { FORMER_MEMBER, mentionDisplayName, mentionLabel } from "../../../app/editor/mention-names.js";
import { ForbiddenError } from "../../../server/domain/errors.js";
import { editState, initialState, readState, replaceContentUpdate } from "../../../server/collab/headless.js";
import { startTestApp, type TestApp } from "../../helpers/app.js";
import { docsWorld, type World } from "../docs/world.js";
import { makePerson } from "../../factories.js";

let app: TestApp;
let w: World;
beforeAll(async () => {
  app = await startTestApp();
  w = await docsWorld(app.atrium);
});
afterAll(() => app?.close());

/** A document state whose only paragraph is "Ask " + a mention of `userId` labelled `label`. */
const withMention = (userId: string, label: string) =>
  editState(initialState(), () => {
    const p = $createParagraphNode();
    p.append($createTextNode("Ask "), $createMentionNode(userId, label), $createTextNode(" today"));
    $getRoot().clear().append(p);
  });

/** A document of Mia's in the company space whose content is `state`, written as a client would write it. */
async function docWith(state: Uint8Array, title = "Mentions") {
  const { id } = await app.atrium.domain.docs.createDocument(w.people.mia.actor, { title, spaceId: w.space.company.id, visibility: "company" });
  const collab = app.atrium.ctx.collab;
  await collab.submit(id, replaceContentUpdate(collab.state(id), state), { userId: w.people.mia.user.id });
  return id;
}

describe("what a mention shows", () => {
  test("the current name; a deactivated person's name marked; nobody's id as a former member", () => {
    expect(mentionDisplayName({ name: "Pia Product", active: true })).toBe("Pia Product");
    expect(mentionDisplayName({ name: "Pia Product", active: false })).toBe("Pia Product (former member)");
    expect(mentionDisplayName(null)).toBe(FORMER_MEMBER);
    expect(mentionLabel(new Map([["u1", "Pia"]]), "u1")).toBe("@Pia");
    expect(mentionLabel(new Map([["u1", "Pia"]]), "u2")).toBe("@former member");
  });
});

describe("@mention labels", () => {
  test("the stored label is not trusted by readState when current names are given", () => {
    const state = withMention("u1", "The CEO <b>");
    expect(readState(state).text).toContain("@The CEO <b>"); // what was written
    const md = readState(state, { markdown: true, mentionNames: new Map([["u1", "Pia Product"]]) }).markdown!;
    expect(md).toBe("Ask @Pia Product today");
    expect(readState(state, { markdown: true, mentionNames: new Map() }).markdown).toBe("Ask @former member today");
    expect(readState(state, { mentionNames: new Map([["u1", "Pia Product"]]) }).text).toBe("Ask @Pia Product today");
  });

  test("Markdown export and a revision show the person's current name, also after a rename", async () => {
    const docs = app.atrium.domain.docs;
    const { id } = await docs.createDocument(w.people.mia.actor, { title: "Mentions", spaceId: w.space.marketing.id });
    const pia = w.people.pia.user;
    const state = withMention(pia.id, "The CEO");
    // The document's content carries the forged label, as a client could write it.
    const collab = app.atrium.ctx.collab;
    await collab.submit(id, replaceContentUpdate(collab.state(id), state), { userId: w.people.mia.user.id });
    let md = (await docs.exportMarkdown(w.people.mia.actor, id)).markdown;
    expect(md).toContain("Ask @Pia Product today");
    expect(md).not.toContain("The CEO");

    await app.atrium.db.user.update({ where: { id: pia.id }, data: { name: "Pia Renamed" } });
    md = (await docs.exportMarkdown(w.people.mia.actor, id)).markdown;
    expect(md).toContain("Ask @Pia Renamed today");

    await docs.captureRevision(w.people.mia.actor, id);
    const revisions = await docs.listRevisions(w.people.mia.actor, id);
    const rev = await docs.getRevision(w.people.mia.actor, id, revisions[0]!.id);
    expect(rev.editorState).toContain('"text":"@Pia Renamed"');
    expect(rev.editorState).not.toContain("The CEO");
  });

  test("a comment's @[label](id) is stored and shown with the person's name, and follows renames", async () => {
    const docs = app.atrium.domain.docs;
    const { id } = await docs.createDocument(w.people.mia.actor, { title: "Comment mentions", spaceId: w.space.marketing.id });
    const max = w.people.max.user;
    const c = await docs.addComment(w.people.mia.actor, id, { body: `Ask @[The CEO](${max.id}) now`, anchorId: "whole" });
    expect(c.body).toBe(`Ask @[Max Marketing](${max.id}) now`);
    expect((await app.atrium.db.docComment.findUniqueOrThrow({ where: { id: c.id } })).body).not.toContain("The CEO");
    const note = await app.atrium.db.notification.findFirstOrThrow({ where: { userId: max.id, type: "doc.comment.mentioned" }, orderBy: { createdAt: "desc" } });
    expect(note.body).toBe("Ask @Max Marketing now");
    await docs.editComment(w.people.mia.actor, id, c.id, { body: `Still @[Somebody Else](${max.id})` });
    await app.atrium.db.user.update({ where: { id: max.id }, data: { name: "Max Renamed" } });
    const listed = (await docs.listComments(w.people.mia.actor, id)).find((x) => x.id === c.id)!;
    expect(listed.body).toBe(`Still @[Max Renamed](${max.id})`);
  });

  test("the page's first paint gets current names by id, and the stored labels do not travel with it", async () => {
    const pat = w.people.pat.user;
    const state = editState(initialState(), () => {
      const p = $createParagraphNode();
      p.append($createMentionNode(pat.id, "The CEO"), $createTextNode(" and "), $createMentionNode("nosuchperson1", "The CFO"));
      $getRoot().clear().append(p);
    });
    const id = await docWith(state, "First paint");
    await app.atrium.db.user.update({ where: { id: pat.id }, data: { name: "Pat Renamed" } });
    const view = await app.atrium.domain.docs.getDocument(w.people.max.actor, id, { content: true });
    expect(view.mentionNames).toEqual({ [pat.id]: "Pat Renamed" });
    const json = JSON.stringify(view.content);
    expect(json).not.toContain("The CEO");
    expect(json).not.toContain("The CFO");
    expect(json).toContain('"text":"@Pat Renamed"');
    expect(json).toContain('"text":"@former member"');

    // Deactivated: still named, marked as gone.
    await app.atrium.db.user.update({ where: { id: pat.id }, data: { active: false } });
    expect((await app.atrium.domain.docs.getDocument(w.people.max.actor, id, { content: true })).mentionNames).toEqual({ [pat.id]: "Pat Renamed (former member)" });
    await app.atrium.db.user.update({ where: { id: pat.id }, data: { active: true } });
  });

  test("the open editor may look names up by id: readers only, ids that name nobody are former members", async () => {
    const id = await docWith(withMention(w.people.pia.user.id, "The CEO"), "Lookup");
    const docs = app.atrium.domain.docs;
    const names = await docs.mentionNames(w.people.max.actor, id, [w.people.pia.user.id, "nosuchperson2", "not an id!"]);
    expect(names).toEqual({ [w.people.pia.user.id]: expect.stringMatching(/^Pia /), nosuchperson2: FORMER_MEMBER });
    const secret = (await docs.createDocument(w.people.mia.actor, { title: "Private", spaceId: w.space.marketing.id, visibility: "private" })).id;
    await expect(docs.mentionNames(w.people.pia.actor, secret, [w.people.mia.user.id])).rejects.toBeInstanceOf(ForbiddenError);
  });

  test("the stored text (search, previews, feed) and revision previews carry the current name, and follow a rename", async () => {
    const max = await makePerson(app.atrium, { name: "Max Budget", departmentId: w.departments.marketing.id });
    const state = editState(initialState(), () => {
      const p = $createParagraphNode();
      p.append($createTextNode("Budget owner "), $createMentionNode(max.user.id, "The CEO"), $createTextNode(" signs off"));
      $getRoot().clear().append(p);
    });
    const id = await docWith(state, "Budget");
    const collab = app.atrium.ctx.collab;
    await collab.settle(id);
    const plain = async () => (await app.atrium.db.document.findUniqueOrThrow({ where: { id }, select: { plainText: true } })).plainText;
    expect(await plain()).toBe(`Budget owner @${max.user.name} signs off`);
    const found = async (q: string) => (await app.atrium.domain.search.search(w.people.pia.actor, { q })).results.filter((r: { id: string }) => r.id === id);
    expect(await found("CEO")).toEqual([]);

    await collab.revision(id, "burst");
    const previews = (await app.atrium.domain.docs.listRevisions(w.people.mia.actor, id)).map((r) => r.preview);
    expect(previews.length).toBeGreaterThan(0);
    for (const p of previews) expect(p).not.toContain("The CEO");
    expect(previews[0]).toContain(`@${max.user.name}`);

    // Renamed through the profile verb: the document's stored text and the index follow.
    await app.atrium.domain.people.updateProfile(max.actor, max.user.id, { name: "Maximilian Quetzal", timeZone: "UTC" });
    await expect.poll(plain).toBe("Budget owner @Maximilian Quetzal signs off");
    await expect.poll(async () => (await found("Quetzal")).length).toBe(1);
  });

  test("comparing a revision with today shows mentions with current names on both sides", async () => {
    const pat = await makePerson(app.atrium, { name: "Pat Compare" });
    const id = await docWith(withMention(pat.user.id, "The CEO"), "Compare");
    await app.atrium.domain.docs.captureRevision(w.people.mia.actor, id);
    const [rev] = await app.atrium.domain.docs.listRevisions(w.people.mia.actor, id);
    const collab = app.atrium.ctx.collab;
    const next = editState(collab.state(id), () => $getRoot().append($createParagraphNode().append($createTextNode("Added later"))));
    await collab.submit(id, replaceContentUpdate(collab.state(id), next), { userId: w.people.mia.user.id });
    const cmp = await app.atrium.domain.docs.compareRevision(w.people.mia.actor, id, rev!.id);
    const shown = JSON.stringify(cmp);
    expect(shown).not.toContain("The CEO");
    expect(shown).toContain("Ask @Pat Compare today");
    expect(cmp.changes.map((c) => c.op)).toEqual(["same", "added"]);
  });
});
