/**
 * The demo content `npm start` seeds, checked through the product's own code: document histories
 * are real earlier states that restore (whole or one section) with their headings and lists;
 * every insight carries the scorer's sentiment and the teams the routing rules give; questions
 * and search results read like a company's, not a template's; every date is relative to the
 * seed's "now"; and a second run writes nothing.
 */
import * as Y from "yjs";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { seedDemoContent, seedOrganisation } from "../../../prisma/seed.js";
import { readBlocks } from "../../../server/collab/headless.js";
import type { Block } from "../../../server/collab/sections.js";
import { evaluateRules, loadRoutingConfig } from "../../../server/domain/routing-rules.js";
import { scoreSentiment } from "../../../server/domain/sentiment.js";
import { recogniseTopics } from "../../../server/insights/topics.js";
import { createDb } from "../../../server/db.js";
import { actorOf } from "../../factories.js";
import { startTestApp, type TestApp } from "../../helpers/app.js";
import { copyOfDatabase, freshDatabase } from "../../helpers/db.js";

// A day far from the machine's: any date taken from the real clock stands out.
const NOW = new Date("2031-03-17T10:30:00.000Z");
const DAY = 86_400_000;

// The file seeds once; each test runs an app of its own on a copy of that database, so what one
// test does to the demo content (restoring revisions, seeding again) no other test sees.
let seeded: ReturnType<typeof freshDatabase>;
let firstRun: Awaited<ReturnType<typeof seedDemoContent>>;
beforeAll(async () => {
  seeded = freshDatabase();
  const db = await createDb(seeded.url);
  try {
    await seedOrganisation(db);
    firstRun = await seedDemoContent(db, seeded.url, NOW);
  } finally {
    await db.$disconnect();
  }
}, 180_000);
afterAll(() => seeded?.dispose());

let app: TestApp;
beforeEach(async () => {
  app = await startTestApp({ clock: { now: () => NOW }, database: copyOfDatabase(seeded) });
}, 60_000);
afterEach(() => app?.close());

const db = () => app.atrium.db;
const docs = () => app.atrium.domain.docs;
const kinds = (blocks: Block[]) => blocks.map((b) => b.kind);
/** Where the section starting at `start` ends: the next heading of the same or a higher level. */
function sectionEnd(blocks: Block[], start: number) {
  let end = start + 1;
  while (end < blocks.length && !(blocks[end]!.level && blocks[end]!.level <= blocks[start]!.level)) end++;
  return end;
}
const words = (s: string) => s.toLowerCase().replace(/[^\p{L}\p{N}\s]/gu, " ").split(/\s+/).filter(Boolean);
const firstFive = (s: string) => words(s).slice(0, 5).join(" ");
function nearDuplicates(a: string, b: string) {
  if (a === b || firstFive(a) === firstFive(b)) return true;
  const wa = new Set(words(a));
  const wb = new Set(words(b));
  const shared = [...wa].filter((w) => wb.has(w)).length;
  return shared / new Set([...wa, ...wb]).size >= 0.6;
}

test("every seeded date is relative to the seed's now", async () => {
  const rows: [string, Date[]][] = [
    ["questions", (await db().question.findMany({ select: { createdAt: true } })).map((r) => r.createdAt)],
    ["answers", (await db().answer.findMany({ select: { createdAt: true } })).map((r) => r.createdAt)],
    ["insights", (await db().insight.findMany({ select: { createdAt: true } })).map((r) => r.createdAt)],
    ["insight events", (await db().insightEvent.findMany({ select: { createdAt: true } })).map((r) => r.createdAt)],
    ["documents", (await db().document.findMany({ select: { createdAt: true, lastEditedAt: true } })).flatMap((r) => [r.createdAt, r.lastEditedAt!])],
    ["revisions", (await db().docRevision.findMany({ select: { createdAt: true } })).map((r) => r.createdAt)],
    ["shares", (await db().docShare.findMany({ select: { createdAt: true } })).map((r) => r.createdAt)],
    ["reactions", (await db().reaction.findMany({ select: { createdAt: true } })).map((r) => r.createdAt)],
    ["follows", (await db().personFollow.findMany({ select: { createdAt: true } })).map((r) => r.createdAt)],
    ["notifications", (await db().notification.findMany({ select: { createdAt: true } })).map((r) => r.createdAt)],
  ];
  for (const [name, dates] of rows) {
    expect(dates.length, name).toBeGreaterThan(0);
    const outside = dates.filter((d) => d.getTime() > NOW.getTime() || d.getTime() < NOW.getTime() - 80 * DAY);
    expect(outside.map((d) => d.toISOString()), name).toEqual([]);
  }
});

test("a second run writes nothing", async () => {
  const counts = () => Promise.all([db().question.count(), db().answer.count(), db().insight.count(), db().document.count(), db().docRevision.count(), db().routingRule.count(), db().reaction.count()]);
  const before = await counts();
  const again = await seedDemoContent(db(), app.atrium.ctx.env.DATABASE_URL, NOW);
  expect([again.insights.skipped, again.dashboard.skipped, again.docs.documents, again.social.follows]).toEqual([true, true, 0, 0]);
  expect(await counts()).toEqual(before);
  expect(firstRun.docs.documents).toBe(4);
});

describe("document histories", () => {
  test("every revision is an earlier state of its document, and the oldest is a shorter draft with headings and lists", async () => {
    const all = await db().document.findMany({ select: { id: true, title: true, revisions: { orderBy: { createdAt: "asc" }, select: { state: true } } } });
    const withHistory = all.filter((d) => d.revisions.length >= 2);
    expect(withHistory.map((d) => d.title).sort()).toEqual(["Launch checklist", "Platform on-call runbook", "Q3 launch brief", "Welcome to Docs"]);
    for (const d of withHistory) {
      const current = (await app.atrium.ctx.collab.peekState(d.id));
      const have = Y.decodeStateVector(Y.encodeStateVectorFromUpdate(current));
      for (const r of d.revisions) {
        // Everything the revision holds is part of today's document's history.
        for (const [client, clock] of Y.decodeStateVector(Y.encodeStateVectorFromUpdate(new Uint8Array(r.state)))) {
          expect(have.get(client) ?? 0, d.title).toBeGreaterThanOrEqual(clock);
        }
      }
      const oldest = readBlocks(new Uint8Array(d.revisions[0]!.state));
      const now = readBlocks(current);
      expect(oldest[0]!.kind, d.title).toBe("Heading 1");
      expect(oldest[0]!.sig, d.title).toBe(now[0]!.sig);
      expect(oldest.some((b) => /list|Code block/.test(b.kind)), `${d.title}: ${kinds(oldest).join(", ")}`).toBe(true);
      expect(oldest.map((b) => b.text).join("\n").length, d.title).toBeLessThan(now.map((b) => b.text).join("\n").length);
      // The newest revision is today's content.
      expect(kinds(readBlocks(new Uint8Array(d.revisions.at(-1)!.state))), d.title).toEqual(kinds(now));
    }
  });

  test("restoring one section, then the whole oldest revision, through the history verbs keeps headings and lists", async () => {
    const all = await db().document.findMany({ select: { id: true, title: true, owner: true, revisions: { orderBy: { createdAt: "asc" }, select: { id: true, state: true } } } });
    let sectionsRestored = 0;
    for (const d of all.filter((x) => x.revisions.length >= 2)) {
      const owner = actorOf(d.owner);
      const oldest = d.revisions[0]!;
      const revBlocks = readBlocks(new Uint8Array(oldest.state));
      const before = readBlocks((await app.atrium.ctx.collab.peekState(d.id)));
      const cmp = await docs().compareRevision(owner, d.id, oldest.id);
      // The deepest changed section (an h1 section spans the whole document).
      const changed = cmp.sections.filter((s) => s.level > 0 && s.status === "changed").sort((a, b) => b.level - a.level)[0];
      if (changed) {
        const { blocks } = await docs().restoreRevisionSection(owner, d.id, { revisionId: oldest.id, section: String(changed.start) });
        const after = readBlocks((await app.atrium.ctx.collab.peekState(d.id)));
        const from = after.findIndex((b) => b.level === changed.level && b.text === changed.title);
        expect(from, d.title).toBeGreaterThanOrEqual(0);
        expect(kinds(after.slice(from, from + blocks)), d.title).toEqual(kinds(revBlocks.slice(changed.start, changed.start + blocks)));
        if (changed.level >= 2) {
          // Headings elsewhere are untouched, and so is what follows the section.
          expect(after.filter((b) => b.level).map((b) => b.text), d.title).toEqual(before.filter((b) => b.level).map((b) => b.text));
          const was = before.findIndex((b) => b.level === changed.level && b.text === changed.title);
          expect(kinds(after.slice(from + blocks)), d.title).toEqual(kinds(before.slice(sectionEnd(before, was))));
          sectionsRestored++;
        }
      }
      await docs().restoreRevision(owner, d.id, oldest.id);
      const restored = readBlocks((await app.atrium.ctx.collab.peekState(d.id)));
      expect(kinds(restored), d.title).toEqual(kinds(revBlocks));
      expect(restored.map((b) => b.text), d.title).toEqual(revBlocks.map((b) => b.text));
    }
    expect(sectionsRestored).toBeGreaterThanOrEqual(2);
  });
});

test("every insight carries the scorer's sentiment for its words and the teams the routing rules give", async () => {
  const insights = await db().insight.findMany({
    select: {
      text: true,
      channel: true,
      sentimentScore: true,
      sentimentLabel: true,
      sentimentAuto: true,
      account: { select: { tier: true } },
      tags: { select: { skillId: true, kind: true } },
      routes: { select: { teamId: true } },
    },
  });
  expect(insights.length).toBeGreaterThan(40);
  const { rules, settings } = await loadRoutingConfig(app.atrium.ctx);
  const teams = new Set<string>();
  for (const i of insights) {
    const scored = scoreSentiment(i.text);
    expect([i.sentimentScore, i.sentimentAuto, i.sentimentLabel], i.text).toEqual([scored.score, scored.label, scored.label]);
    const decision = evaluateRules(rules, {
      text: i.text,
      channel: i.channel,
      tier: i.account?.tier ?? null,
      sentimentScore: scored.score,
      productIds: i.tags.filter((t) => t.kind === "product").map((t) => t.skillId),
      topicIds: i.tags.filter((t) => t.kind === "topic").map((t) => t.skillId),
      customerTopics: recogniseTopics(i.text, scored.label).map((t) => t.key),
    }, settings.matchMode);
    expect(i.routes.map((r) => r.teamId).sort(), i.text).toEqual([...(decision?.teamIds ?? [settings.triageTeamId])].sort());
    for (const r of i.routes) teams.add(r.teamId);
  }
  // Many teams hear from customers, not one inbox.
  expect(teams.size).toBeGreaterThanOrEqual(10);
});

describe("the demo company reads like one", () => {
  test("no two seeded questions share their first five words, and no two answers are alike", async () => {
    const titles = (await db().question.findMany({ select: { title: true } })).map((q) => q.title);
    expect(titles.length).toBeGreaterThan(40);
    const openings = new Map<string, string>();
    for (const t of titles) {
      expect(openings.get(firstFive(t)), t).toBeUndefined();
      openings.set(firstFive(t), t);
    }
    const answers = (await db().answer.findMany({ select: { bodyText: true } })).map((a) => a.bodyText);
    expect(answers.length).toBeGreaterThan(20);
    for (const [k, a] of answers.entries()) for (const b of answers.slice(k + 1)) expect(nearDuplicates(a, b), `${a} / ${b}`).toBe(false);
  });

  test("searching “launch” finds distinct things, none a near-copy of another", async () => {
    const admin = actorOf(await db().user.findUniqueOrThrow({ where: { email: "admin@atrium.test" } }));
    const page = await app.atrium.domain.search.search(admin, { q: "launch" });
    // An answer is listed under its question's title (search shows it that way by design): one thread, one title.
    const things = new Map(page.results.map((r) => [r.url.split("#")[0], r.title.map((s) => s.text).join("")]));
    const titles = [...things.values()];
    expect(titles.length).toBeGreaterThanOrEqual(4);
    for (const [k, a] of titles.entries()) for (const b of titles.slice(k + 1)) expect(nearDuplicates(a, b), `${a} / ${b}`).toBe(false);
  });
});
