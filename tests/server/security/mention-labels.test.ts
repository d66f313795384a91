/**
 * An @mention names a person by id; its stored label is whatever the writer's client put there
 * ("@The CEO" pointing at someone else, or a name since changed). Markdown export and the revision
 * view show the person's current name instead.
 */
import { $createParagraphNode, $createTextNode, $getRoot } from "lexical";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { $createMentionNode } from "../../../app/editor/nodes/MentionNode.js";
import { editState, initialState, readState, replaceContentUpdate } from "../../../server/collab/headless.js";
import { startTestApp, type TestApp } from "../../helpers/app.js";
import { docsWorld, type World } from "../docs/world.js";

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

describe("@mention labels", () => {
  test("the stored label is not trusted by readState when current names are given", () => {
    const state = withMention("u1", "The CEO <b>");
    expect(readState(state).text).toContain("@The CEO <b>"); // what was written
    const md = readState(state, { markdown: true, mentionNames: new Map([["u1", "Pia Product"]]) }).markdown!;
    expect(md).toBe("Ask @Pia Product today");
    expect(readState(state, { markdown: true, mentionNames: new Map() }).markdown).toBe("Ask @someone today");
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
});
