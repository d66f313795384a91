/**
 * A question links a document and a customer insight the asker can open: the pickers find them
 * through the permission-aware suggestions, and the verbs refuse forged or unreadable ids with a
 * field message, writing nothing. The question page presents the links to each reader.
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { ValidationError } from "../../../server/domain/errors.js";
import { startTestApp, type TestApp } from "../../helpers/app.js";
import { docsWorld, type World } from "../docs/world.js";
import { ask, qaSnapshot } from "./helpers.js";

let app: TestApp;
let w: World;
let publicDoc: string, privateDoc: string, insightId: string;
beforeAll(async () => {
  app = await startTestApp();
  w = await docsWorld(app.atrium);
  const docs = app.atrium.domain.docs;
  publicDoc = (await docs.createDocument(w.people.pia.actor, { title: "Kubernetes upgrade runbook", spaceId: w.space.company.id })).id;
  privateDoc = (await docs.createDocument(w.people.pia.actor, { title: "Kubernetes salary secrets", spaceId: w.space.company.id, visibility: "private" })).id;
  insightId = (await app.atrium.domain.insights.createInsight(w.people.max.actor, { text: "The kubernetes dashboard keeps timing out", channel: "email" })).id;
});
afterAll(() => app?.close());

async function refused(input: Record<string, unknown>, field: string, message: string) {
  const before = await qaSnapshot(app.atrium);
  const err = await ask(app.atrium, w.people.mia.actor, input).then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ValidationError);
  expect((err as ValidationError).fieldErrors).toEqual({ [field]: [message] });
  expect(await qaSnapshot(app.atrium)).toEqual(before);
}

describe("asking with links", () => {
  test("a readable document and an existing insight are linked and shown as titles", async () => {
    const { id } = await ask(app.atrium, w.people.mia.actor, { documentId: publicDoc, insightId });
    const q = await app.atrium.domain.questions.getQuestion(w.people.mia.actor, id);
    expect(q.linked.document).toEqual({ id: publicDoc, title: "Kubernetes upgrade runbook" });
    expect(q.linked.insight).toMatchObject({ id: insightId });
    expect(q.linked.insight!.label).toContain("kubernetes dashboard");
  });

  test("a forged document id, another person's private document and a forged insight id are refused with a field message", async () => {
    await refused({ documentId: "c-forged-document" }, "documentId", "Choose a document you can open.");
    await refused({ documentId: privateDoc }, "documentId", "Choose a document you can open.");
    await refused({ insightId: "c-forged-insight" }, "insightId", "Choose an existing customer insight.");
  });

  test("an edit keeps an insight link whose insight is gone, but cannot link a missing one anew", async () => {
    const { id } = await ask(app.atrium, w.people.mia.actor, { insightId });
    // The link is a plain id: the insight it named may no longer exist.
    await app.atrium.db.question.update({ where: { id }, data: { insightId: "c-gone-insight" } });
    const edit = { title: "Why does the kubernetes dashboard time out?", body: { json: JSON.stringify({ root: { type: "root", children: [{ type: "paragraph", children: [{ type: "text", text: "Still timing out." }] }] } }) }, tags: ["kubernetes"], insightId: "c-gone-insight" };
    await app.atrium.domain.questions.editQuestion(w.people.mia.actor, id, edit);
    expect((await app.atrium.db.question.findUniqueOrThrow({ where: { id } })).insightId).toBe("c-gone-insight");
    const err = await app.atrium.domain.questions.editQuestion(w.people.mia.actor, id, { ...edit, insightId: "c-another-gone-insight" }).then(() => null, (e: unknown) => e);
    expect((err as ValidationError).fieldErrors).toEqual({ insightId: ["Choose an existing customer insight."] });
    expect((await app.atrium.db.question.findUniqueOrThrow({ where: { id } })).insightId).toBe("c-gone-insight");
  });

  test("an edit may keep a link the editor cannot open, but not add one", async () => {
    const { id } = await ask(app.atrium, w.people.pia.actor, { documentId: privateDoc });
    const q = await app.atrium.domain.questions.getQuestion(w.people.admin.actor, id);
    // The admin reads the question, but not Pia's private document: no title leaks.
    expect(q.documentId).toBe(privateDoc);
    expect(q.linked.document).toBeNull();
    const edit = { title: "How do I configure SAML single sign-on now?", body: { json: JSON.stringify({ root: { type: "root", children: [{ type: "paragraph", children: [{ type: "text", text: "Still rejected." }] }] } }) }, tags: ["saml"], documentId: privateDoc };
    await app.atrium.domain.questions.editQuestion(w.people.admin.actor, id, edit);
    expect((await app.atrium.db.question.findUniqueOrThrow({ where: { id } })).documentId).toBe(privateDoc);
    const other = (await app.atrium.domain.docs.createDocument(w.people.pia.actor, { title: "Another private", spaceId: w.space.company.id, visibility: "private" })).id;
    await expect(app.atrium.domain.questions.editQuestion(w.people.admin.actor, id, { ...edit, documentId: other })).rejects.toBeInstanceOf(ValidationError);
    expect((await app.atrium.db.question.findUniqueOrThrow({ where: { id } })).documentId).toBe(privateDoc);
  });

  test("describeLinks (the ask form's prefill) names only what the reader may open", async () => {
    expect(await app.atrium.domain.questions.describeLinks(w.people.mia.actor, { documentId: privateDoc, insightId: "nope" })).toEqual({ document: null, insight: null });
    expect((await app.atrium.domain.questions.describeLinks(w.people.mia.actor, { documentId: publicDoc })).document?.title).toBe("Kubernetes upgrade runbook");
  });
});

describe("a deleted question's links", () => {
  test("hidden with its content from readers who may not see it; the asker and administrators still see them", async () => {
    const { id } = await ask(app.atrium, w.people.mia.actor, { documentId: publicDoc, insightId });
    await app.atrium.domain.questions.deleteQuestion(w.people.mia.actor, id);
    const hidden = await app.atrium.domain.questions.getQuestion(w.people.max.actor, id);
    expect(hidden).toMatchObject({ contentVisible: false, documentId: null, insightId: null, linked: { document: null, insight: null } });
    for (const who of [w.people.mia, w.people.admin]) {
      const seen = await app.atrium.domain.questions.getQuestion(who.actor, id);
      expect(seen).toMatchObject({ contentVisible: true, documentId: publicDoc, insightId, linked: { document: { id: publicDoc, title: "Kubernetes upgrade runbook" }, insight: { id: insightId } } });
    }
  });
});

describe("pickers' suggestions", () => {
  test("restricted to one type, and to what the reader may open", async () => {
    const search = app.atrium.domain.search;
    const docs = await search.suggest(w.people.mia.actor, { q: "kubernetes", type: "doc" });
    expect(docs.items.map((i) => i.id)).toEqual([publicDoc]);
    const own = await search.suggest(w.people.pia.actor, { q: "kubernetes", type: "doc" });
    expect(own.items.map((i) => i.id).sort()).toEqual([publicDoc, privateDoc].sort());
    const insights = await search.suggest(w.people.mia.actor, { q: "kubernetes", type: "insight" });
    expect(insights.items.map((i) => i.id)).toEqual([insightId]);
    await expect(search.suggest(w.people.mia.actor, { q: "kubernetes", type: "planet" })).rejects.toBeInstanceOf(ValidationError);
  });
});

describe("how the links read", () => {
  test("an untitled document by that name; an insight by its account and its words, spaces folded, cut at 80 characters; ids that cannot be ids link nothing", async () => {
    const untitled = (await app.atrium.domain.docs.createDocument(w.people.pia.actor, { title: "Soon untitled", spaceId: w.space.company.id })).id;
    await app.atrium.db.document.update({ where: { id: untitled }, data: { title: "" } });
    const account = await app.atrium.db.customerAccount.create({ data: { name: "Acme Freight" } });
    const words = "The   export\n\tto the warehouse stalls every night and the operators restart it by hand, twice a week at least";
    const long = (await app.atrium.domain.insights.createInsight(w.people.max.actor, { text: words, channel: "email" })).id;
    await app.atrium.db.insight.update({ where: { id: long }, data: { accountId: account.id } });
    const short = (await app.atrium.domain.insights.createInsight(w.people.max.actor, { text: "  Short   and sweet ", channel: "email" })).id;
    const folded = words.replace(/\s+/g, " ");
    const describe = app.atrium.domain.questions.describeLinks;
    expect(await describe(w.people.mia.actor, { documentId: untitled, insightId: long })).toEqual({
      document: { id: untitled, title: "Untitled document" },
      insight: { id: long, label: `Acme Freight: “${folded.slice(0, 79)}…”` },
    });
    expect((await describe(w.people.mia.actor, { insightId: short })).insight).toEqual({ id: short, label: "“Short and sweet”" });
    const exactly80 = "x".repeat(80);
    const edge = (await app.atrium.domain.insights.createInsight(w.people.max.actor, { text: exactly80, channel: "email" })).id;
    expect((await describe(w.people.mia.actor, { insightId: edge })).insight?.label).toBe(`“${exactly80}”`);
    expect(await describe(w.people.mia.actor, { documentId: "", insightId: "x".repeat(61) })).toEqual({ document: null, insight: null });
    expect(await describe(w.people.mia.actor, { documentId: `${publicDoc}\u0000`, insightId: `${insightId}\u0000` })).toEqual({ document: null, insight: null });
    expect(await describe(w.people.mia.actor, { documentId: 42 as unknown as string })).toEqual({ document: null, insight: null });
  });
});
