/**
 * The demo organisation through unified search: story 2's "saml" finds Priya first among people,
 * and — for the demo member and for every document's exact title — search shows a document if
 * and only if the documents page would open it (the same policy, checked from the other side).
 */
import { afterAll, beforeAll, expect, test } from "vitest";
import { seedOrganisation } from "../../../prisma/seed.js";
import { seedDocuments } from "../../../prisma/seed-docs.js";
import { seedInsights } from "../../../prisma/seed-insights.js";
import { buildUnifiedIndex } from "../../../server/search/unified-sync.js";
import { search } from "../../../server/domain/search.js";
import { body } from "../questions/helpers.js";
import { startTestApp, type TestApp } from "../../helpers/app.js";
import { actorOf } from "../../factories.js";

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
  await seedOrganisation(app.atrium.db);
  await seedInsights(app.atrium.db, app.atrium.ctx.clock.now());
  await seedDocuments(app.atrium.db, app.atrium.ctx.env.DATABASE_URL, app.atrium.ctx.clock.now());
  await buildUnifiedIndex(app.atrium.db, app.atrium.ctx.searchIndex);
}, 300_000);
afterAll(() => app?.close());

const member = async () => actorOf(await app.atrium.db.user.findUniqueOrThrow({ where: { email: "member@atrium.test" } }));

test("story 2: the member searching “saml” sees Priya first among people, and the SAML insight", async () => {
  const page = await app.atrium.domain.search.search(await member(), { q: "saml" });
  const people = page.results.filter((r) => r.type === "person");
  expect(people[0]?.title.map((s) => s.text).join("")).toBe("Priya Raman");
  expect(page.byType.insight).toBeGreaterThanOrEqual(1);
  const pal = await app.atrium.domain.search.suggest(await member(), { q: "pri" });
  expect(pal.items.some((i) => i.type === "person" && i.title.map((s) => s.text).join("") === "Priya Raman")).toBe(true);
});

test("for every document, its title finds it exactly when the reader may open it", async () => {
  const readers = [await member(), actorOf(await app.atrium.db.user.findUniqueOrThrow({ where: { email: "admin@atrium.test" } }))];
  const docs = await app.atrium.db.document.findMany({ select: { id: true, title: true } });
  expect(docs.length).toBeGreaterThan(2);
  let hidden = 0;
  for (const reader of readers) {
    for (const d of docs) {
      const mayOpen = await app.atrium.domain.docs.getDocument(reader, d.id).then(() => true, () => false);
      const page = await app.atrium.domain.search.search(reader, { q: d.title, type: "doc" });
      const found = page.results.some((r) => r.id === d.id);
      expect(found, `${d.title} for ${reader.id}`).toBe(mayOpen);
      if (!mayOpen) hidden++;
    }
  }
  // The demo has documents the member may not open (the Q3 launch brief is Marketing's and Product's).
  expect(hidden).toBeGreaterThan(0);
});

test("the page's prepared reads (the reader's teams, the snippets' texts) give the same page as the Prisma reads", async () => {
  const ctx = app.atrium.ctx;
  expect(ctx.reads).toBeDefined();
  const viaPrisma = { ...ctx, reads: undefined };
  const readers = [await member(), actorOf(await app.atrium.db.user.findUniqueOrThrow({ where: { email: "admin@atrium.test" } }))];
  // A question, its answer and a document with a word of their own (the demo seed has people and insights).
  const [asker, author] = readers;
  const q1 = await app.atrium.domain.questions.askQuestion(asker!, { title: "Where is the zephyrine runbook kept?", body: body("The zephyrine runbook moved last week."), tags: ["onboarding"] });
  await app.atrium.domain.questions.answerQuestion(author!, q1.id, { body: body("The zephyrine runbook is in the platform space.") });
  const space = await app.atrium.db.space.findFirstOrThrow({ where: { kind: "company" } });
  const doc = await app.atrium.domain.docs.createDocument(author!, { title: "Zephyrine runbook", spaceId: space.id, visibility: "company" });
  await app.atrium.db.document.update({ where: { id: doc.id }, data: { plainText: "Restart the zephyrine workers one at a time." } });
  const seen = new Set<string>();
  for (const reader of readers) {
    for (const q of ["zephyrine", "saml", "launch", "invoice", "priya", "onboarding", "berlin"]) {
      for (const page of [1, 2]) {
        const viaSql = await search(ctx, reader, { q, page: String(page) });
        expect(viaSql, `${q} page ${page} for ${reader.id}`).toEqual(await search(viaPrisma, reader, { q, page: String(page) }));
        for (const r of viaSql.results) if (r.snippet.length) seen.add(r.type);
      }
    }
  }
  // Every type's snippet text was read (a person's from title, location and bio).
  expect([...seen].sort()).toEqual(["answer", "doc", "insight", "person", "question"]);
});
