/**
 * Recording the feed (server/domain/feed.ts `record` and its prepared write): the cases the
 * recorder tests in feed-verbs.test.ts leave open — more rows at once than one statement holds,
 * and a payload without the insight it names — and a row without an actor (an insight an
 * integration sent), on the page, live and among the candidates.
 */
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { startTestApp, type TestApp } from "../../helpers/app.js";
import { manualClock } from "../../helpers/clock.js";
import { body } from "../questions/helpers.js";
import { feedCandidates, feedItemsFor, getFeed, recordInsightRouted, recordQuestionRouted } from "../../../server/domain/feed.js";
import { feedWorld, type FeedWorld } from "./world.js";

let app: TestApp;
let w: FeedWorld;
const domain = () => app.atrium.domain;

beforeEach(async () => {
  app = await startTestApp({ clock: manualClock("2031-04-14T09:00:00Z", { stepMs: 1 }) });
  w = await feedWorld(app.atrium);
});
afterEach(() => app.close());

describe("recording many rows at once", () => {
  test("a question routed to a thousand people (two full statements of 500) records one row each, on the prepared and the Prisma write, each announced", async () => {
    const { ben } = w.people;
    await app.atrium.db.user.createMany({
      data: Array.from({ length: 1000 }, (_, n) => ({ email: `crowd-${n}@example.com`, name: `Crowd ${n}`, departmentId: w.departments.engineering.id })),
    });
    const crowd = (await app.atrium.db.user.findMany({ where: { email: { startsWith: "crowd-" } }, select: { id: true } })).map((u) => u.id).sort();
    expect(crowd).toHaveLength(1000);
    const q = await domain().questions.askQuestion(ben.actor, { title: "Who has a spare laptop charger?", body: body("q"), tags: ["onboarding"] });
    const at = "2031-04-15T08:00:00.000Z";
    for (const ctx of [app.atrium.ctx, { ...app.atrium.ctx, writes: undefined, reads: undefined }]) {
      await app.atrium.db.activityItem.deleteMany({});
      const announced: string[] = [];
      const off = ctx.bus.subscribe("feed.recorded", (p) => void announced.push(p.activityId));
      const ids = await recordQuestionRouted(ctx, { questionId: q.id, userIds: crowd, at });
      off();
      expect(ids).toHaveLength(1000);
      expect(new Set(ids).size).toBe(1000);
      expect(announced).toEqual(ids);
      const rows = await app.atrium.db.activityItem.findMany({ select: { id: true, kind: true, targetUserId: true, actorId: true, questionId: true, createdAt: true } });
      expect(rows.map((r) => r.id).sort()).toEqual([...ids].sort());
      expect(rows.map((r) => r.targetUserId).sort()).toEqual(crowd);
      expect(new Set(rows.map((r) => `${r.kind} ${r.actorId} ${r.questionId} ${r.createdAt.toISOString()}`))).toEqual(new Set([`question.routed ${ben.user.id} ${q.id} ${at}`]));
    }
  });
});

describe("a partial payload", () => {
  test("an insight event without its insight records nothing, on both reads", async () => {
    const before = await app.atrium.db.activityItem.count();
    for (const ctx of [app.atrium.ctx, { ...app.atrium.ctx, writes: undefined, reads: undefined }]) {
      expect(await recordInsightRouted(ctx, {} as unknown as { insight: { id: string } })).toEqual([]);
    }
    expect(await app.atrium.db.activityItem.count()).toBe(before);
  });
});

describe("a row without an actor", () => {
  test("an insight an integration sent reaches its routed team's members only: no one's follows or department bring it (both reads, live, candidates)", async () => {
    const { admin, ana, ben, cai } = w.people;
    // Cai follows Ben; Ana is on the support team; nobody follows the integration.
    await domain().follows.followPerson(cai.actor, ben.user.id);
    await domain().routingRules.createRule(admin.actor, { name: "Refunds", enabled: true, teamIds: [w.teams.support.id], priority: "normal", ackWithin: "1h", resolveWithin: "1d", conditions: { topics: ["refunds"] } });
    const { secret } = await domain().apiTokens.createApiToken(admin.actor, { name: "Helpdesk bridge", kind: "integration", scope: "insights" });
    const auth = await domain().apiTokens.authenticateToken(secret);
    const insight = await domain().insights.ingestInsight(auth, { externalId: "t-1", text: "My refund never arrived.", channel: "email", topics: ["refunds"] });
    const row = await app.atrium.db.activityItem.findFirstOrThrow({ where: { kind: "insight.routed" } });
    expect(row).toMatchObject({ actorId: null, departmentId: null, insightId: insight.id });
    const everyone = Object.values(w.people);
    for (const ctx of [app.atrium.ctx, { ...app.atrium.ctx, reads: undefined }]) {
      expect(await feedCandidates(ctx, row.id)).toEqual([ana.user.id]);
      for (const person of everyone) {
        const items = (await getFeed(ctx, person.actor, {})).items.filter((i) => i.kind === "insight.routed");
        if (person === ana) expect(items).toMatchObject([{ id: row.id, actor: null, why: "For your team Support Desk", link: `/insights/${insight.id}` }]);
        else expect(items, person.user.name).toEqual([]);
      }
    }
    const live = await feedItemsFor(app.atrium.ctx, everyone.map((p) => p.user.id), row.id);
    expect([...live.keys()]).toEqual([ana.user.id]);
    expect(live.get(ana.user.id)).toEqual((await getFeed(app.atrium.ctx, ana.actor, {})).items[0]);
  });
});
