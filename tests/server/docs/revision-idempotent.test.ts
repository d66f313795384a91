/**
 * "Save a revision now" is idempotent: no new revision while the document equals the latest
 * revision, even for two requests at once; a real change makes exactly one.
 */
import { afterAll, beforeAll, expect, test } from "vitest";
import * as Y from "yjs";
import { markdownToState, replaceContentUpdate, sameState } from "../../../server/collab/headless.js";
import { ForbiddenError } from "../../../server/domain/errors.js";
import { startTestApp, type TestApp } from "../../helpers/app.js";
import { docsWorld, type World } from "./world.js";

let app: TestApp;
let w: World;
beforeAll(async () => {
  app = await startTestApp();
  w = await docsWorld(app.atrium);
});
afterAll(() => app?.close());

const count = (docId: string) => app.atrium.db.docRevision.count({ where: { docId } });

test("two captures at once make one revision; more captures without a change make none", async () => {
  const docs = app.atrium.domain.docs;
  const { id } = await docs.importMarkdown(w.people.mia.actor, { spaceId: w.space.marketing.id, markdown: "# Plan\n\nfirst" });
  const before = await count(id);
  const [a, b] = await Promise.all([docs.captureRevision(w.people.mia.actor, id), docs.captureRevision(w.people.max.actor, id)]);
  expect(a).toBeTruthy();
  expect(b).toBe(a);
  expect(await count(id)).toBe(before + 1);
  expect(await docs.captureRevision(w.people.mia.actor, id)).toBe(a);
  expect(await count(id)).toBe(before + 1);
});

test("after a change, one capture makes exactly one new revision, saved by hand", async () => {
  const docs = app.atrium.domain.docs;
  const collab = app.atrium.ctx.collab;
  const { id } = await docs.importMarkdown(w.people.mia.actor, { spaceId: w.space.marketing.id, markdown: "# Notes\n\none" });
  const first = await docs.captureRevision(w.people.mia.actor, id);
  await collab.submit(id, replaceContentUpdate(collab.state(id), markdownToState("# Notes\n\ntwo")), { userId: w.people.max.user.id });
  const n = await count(id);
  const second = await docs.captureRevision(w.people.max.actor, id);
  expect(second).not.toBe(first);
  expect(await count(id)).toBe(n + 1);
  const latest = (await docs.listRevisions(w.people.mia.actor, id))[0]!;
  expect(latest).toMatchObject({ id: second, reason: "manual", preview: "Notes two" });
});

test("a reader who may not edit is refused and nothing is written", async () => {
  const docs = app.atrium.domain.docs;
  const { id } = await docs.createDocument(w.people.mia.actor, { title: "Private plan", spaceId: w.space.marketing.id, visibility: "private" });
  const n = await count(id);
  await expect(docs.captureRevision(w.people.pia.actor, id)).rejects.toBeInstanceOf(ForbiddenError);
  expect(await count(id)).toBe(n);
});

test("sameState compares content, not encodings", () => {
  const a = markdownToState("# A\n\ntext");
  const b = markdownToState("# A\n\ntext"); // same text, other client: a different document
  expect(sameState(a, a)).toBe(true);
  expect(sameState(a, b)).toBe(false);
  const c = replaceContentUpdate(a, markdownToState("# A\n\nchanged"));
  const merged = Y.mergeUpdates([a, c]);
  const d = new Y.Doc();
  Y.applyUpdate(d, a);
  Y.applyUpdate(d, c);
  expect(sameState(merged, Y.encodeStateAsUpdate(d))).toBe(true);
  expect(sameState(a, merged)).toBe(false);
});
