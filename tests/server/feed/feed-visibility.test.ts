/**
 * What a reader may see on the home feed (server/domain/feed.ts `readable`, on both reads and in the
 * live fan-out): the cases feed.test.ts and feed-verbs.test.ts leave open — the readers the policy
 * would let see a deleted post (its author, an administrator), for whom the feed must still leave
 * it out.
 */
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { startTestApp, type TestApp } from "../../helpers/app.js";
import { manualClock } from "../../helpers/clock.js";
import { body } from "../questions/helpers.js";
import { feedCandidates, feedItemsFor, getFeed } from "../../../server/domain/feed.js";
import { makePerson, makeTeam } from "../../factories.js";
import { feedWorld, type FeedWorld } from "./world.js";

let app: TestApp;
let w: FeedWorld;
const domain = () => app.atrium.domain;

beforeEach(async () => {
  app = await startTestApp({ clock: manualClock("2031-04-14T09:00:00Z", { stepMs: 1 }) });
  w = await feedWorld(app.atrium);
});
afterEach(() => app.close());

const both = () => [app.atrium.ctx, { ...app.atrium.ctx, reads: undefined }];
const pageOf = async (ctx: typeof app.atrium.ctx, who: keyof FeedWorld["people"]) => (await getFeed(ctx, w.people[who].actor, { limit: 50 })).items.map((i) => `${i.kind} ${i.title}`);

describe("deleted posts, for the readers the policy would still let see them", () => {
  test("the asker's own deleted question takes its answers out of the asker's feed (page and live fan-out), though the asker may still open it", async () => {
    const { ana, dee } = w.people;
    const q = await domain().questions.askQuestion(ana.actor, { title: "Which laptop for new hires?", body: body("Details."), tags: ["onboarding"] });
    await domain().questions.answerQuestion(dee.actor, q.id, { body: body("The 14 inch one.") });
    for (const ctx of both()) expect(await pageOf(ctx, "ana")).toEqual(["answer.posted Which laptop for new hires?"]);
    await domain().questions.deleteQuestion(ana.actor, q.id, { reason: "asked twice" });
    const answered = await app.atrium.db.activityItem.findFirstOrThrow({ where: { kind: "answer.posted" } });
    for (const ctx of both()) expect(await pageOf(ctx, "ana")).toEqual([]);
    expect((await feedItemsFor(app.atrium.ctx, [ana.user.id], answered.id)).size).toBe(0);
  });

  test("an administrator following the author sees neither a deleted question nor a deleted answer", async () => {
    const { admin, ben, dee } = w.people;
    await domain().follows.followPerson(admin.actor, ben.user.id);
    await domain().follows.followPerson(admin.actor, dee.user.id);
    const gone = await domain().questions.askQuestion(ben.actor, { title: "Deleted question", body: body("x"), tags: ["onboarding"] });
    const kept = await domain().questions.askQuestion(ben.actor, { title: "Kept question", body: body("y"), tags: ["onboarding"] });
    const answer = await domain().questions.answerQuestion(dee.actor, kept.id, { body: body("A deleted answer.") });
    for (const ctx of both()) expect((await pageOf(ctx, "admin")).sort()).toEqual(["answer.posted Kept question", "question.asked Deleted question", "question.asked Kept question"]);
    await domain().questions.deleteQuestion(ben.actor, gone.id, { reason: "wrong place" });
    await domain().questions.deleteAnswer(dee.actor, answer.id, { reason: "wrong" });
    for (const ctx of both()) expect(await pageOf(ctx, "admin")).toEqual(["question.asked Kept question"]);
    const rows = await app.atrium.db.activityItem.findMany({ where: { OR: [{ questionId: gone.id }, { answerId: answer.id }] }, select: { id: true } });
    expect(rows).toHaveLength(2);
    for (const row of rows) expect((await feedItemsFor(app.atrium.ctx, [admin.user.id], row.id)).size).toBe(0);
  });
});

describe("why an item is there", () => {
  test("an insight routed to a team reads as the team's only for its members: the poster's department colleague outside the team reads it as the department's", async () => {
    const { admin, ana, ben, dee } = w.people;
    await domain().routingRules.createRule(admin.actor, { name: "Refunds", enabled: true, teamIds: [w.teams.support.id], priority: "normal", ackWithin: "1h", resolveWithin: "1d", conditions: { topics: ["refunds"] } });
    const insight = await domain().insights.createInsight(dee.actor, { text: "Refund please", channel: "email", topics: ["refunds"] });
    const row = await app.atrium.db.activityItem.findFirstOrThrow({ where: { insightId: insight.id } });
    for (const ctx of both()) {
      expect((await getFeed(ctx, ana.actor, {})).items.map((i) => [i.id, i.why])).toEqual([[row.id, "For your team Support Desk"]]);
      // Ben is in Dee's department (Sales), not in Support Desk.
      expect((await getFeed(ctx, ben.actor, {})).items.map((i) => [i.id, i.why])).toEqual([[row.id, "In your department"]]);
    }
    const live = await feedItemsFor(app.atrium.ctx, [ana.user.id, ben.user.id], row.id);
    expect([live.get(ana.user.id)?.why, live.get(ben.user.id)?.why]).toEqual(["For your team Support Desk", "In your department"]);
  });
});

describe("no department is nobody's department", () => {
  test("what a person without a department does reaches no one else without one: not on the page (both reads), not live, not as a candidate", async () => {
    const { admin, ben } = w.people;
    const eve = await makePerson(app.atrium, { name: "Eve Contractor" });
    await domain().questions.askQuestion(eve.actor, { title: "Where do contractors submit hours?", body: body("x"), tags: ["onboarding"] });
    await domain().docs.createDocument(eve.actor, { title: "Contractor handbook", spaceId: w.space.company.id, visibility: "company" });
    const rows = await app.atrium.db.activityItem.findMany({ where: { actorId: eve.user.id }, select: { id: true, departmentId: true } });
    expect(rows.map((r) => r.departmentId)).toEqual([null, null]);
    for (const ctx of both()) expect(await pageOf(ctx, "admin")).toEqual([]);
    // Following her brings both in: the rows are there to be read.
    await domain().follows.followPerson(ben.actor, eve.user.id);
    for (const ctx of both()) expect((await pageOf(ctx, "ben")).sort()).toEqual(["doc.created Contractor handbook", "question.asked Where do contractors submit hours?"]);
    for (const row of rows) {
      expect((await feedItemsFor(app.atrium.ctx, [admin.user.id, ben.user.id], row.id)).has(admin.user.id)).toBe(false);
      for (const ctx of both()) expect(await feedCandidates(ctx, row.id)).toEqual([ben.user.id]);
    }
  });
});

describe("the live fan-out matches like the page", () => {
  test("one followed tag of a question's two, and one's own team of an insight's two, are enough: the live item equals the page's", async () => {
    const { admin, ana, dee } = w.people;
    await app.atrium.db.skill.create({ data: { name: "kubernetes", label: "Kubernetes" } });
    await domain().follows.setFollow(ana.actor, { kind: "tag", id: "kubernetes", follow: true });
    const billing = await makeTeam(app.atrium, { name: "Billing", departmentId: w.departments.sales.id });
    await domain().routingRules.createRule(admin.actor, { name: "Refunds", enabled: true, teamIds: [billing.id, w.teams.support.id], priority: "normal", ackWithin: "1h", resolveWithin: "1d", conditions: { topics: ["refunds"] } });
    const q = await domain().questions.askQuestion(dee.actor, { title: "Which kubernetes version?", body: body("x"), tags: ["onboarding", "kubernetes"] });
    const insight = await domain().insights.createInsight(dee.actor, { text: "Refund please", channel: "email", topics: ["refunds"] });
    expect(await app.atrium.db.insightRoute.count({ where: { insightId: insight.id } })).toBe(2);
    const rows = await app.atrium.db.activityItem.findMany({ where: { OR: [{ questionId: q.id }, { insightId: insight.id }] }, orderBy: { createdAt: "desc" }, select: { id: true } });
    const page = (await getFeed(app.atrium.ctx, ana.actor, {})).items;
    expect(page.map((i) => [i.id, i.why])).toEqual([
      [rows[0]!.id, "For your team Support Desk"],
      [rows[1]!.id, "In Kubernetes, a tag you follow"],
    ]);
    for (const [n, row] of rows.entries()) expect((await feedItemsFor(app.atrium.ctx, [ana.user.id], row.id)).get(ana.user.id)).toEqual(page[n]);
  });
});
