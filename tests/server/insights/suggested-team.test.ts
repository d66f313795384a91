/**
 * The "suggested team" on an insight's page: what the leads' re-routes teach (the decisions, in
 * time order), that an insight's own tags alone can carry the suggestion, the exact answer, and
 * the model each app remembers for a minute before it learns again.
 */
import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import type { Ctx } from "../../../server/domain/context.js";
import * as insights from "../../../server/domain/insights.js";
import { trainSuggester } from "../../../server/insights/team-suggester.js";
import { makeUser, startTestApp, type TestApp } from "../../helpers/app.js";
import { fakeClock, makeAdmin, makeTeam } from "./factories.js";

const clock = fakeClock(new Date("2031-08-04T10:00:00Z"));
let app: TestApp;
let ctx: Ctx;
let admin: Awaited<ReturnType<typeof makeAdmin>>;
let agent: Awaited<ReturnType<typeof makeUser>>;
let payments: Awaited<ReturnType<typeof makeTeam>>;
let shipping: Awaited<ReturnType<typeof makeTeam>>;

beforeEach(async () => {
  app = await startTestApp({ clock, env: { INSIGHT_SLA_SWEEP_MS: "3600000" } });
  ctx = app.atrium.ctx;
  admin = await makeAdmin(app.atrium);
  agent = await makeUser(app.atrium, { name: "Sam Support" });
  payments = await makeTeam(app.atrium, admin.actor, "Payments", ["Pia"]);
  shipping = await makeTeam(app.atrium, admin.actor, "Shipping", ["Shay"]);
});
afterEach(() => {
  vi.restoreAllMocks();
  return app?.close();
});

const d = () => app.atrium.domain.insights;
const post = (text: string, topics: string[]) => d().createInsight(agent.actor, { text, channel: "email", topics });
const tagIds = async (insightId: string) =>
  (await app.atrium.db.insightTag.findMany({ where: { insightId }, select: { skillId: true } })).map((t) => t.skillId);

describe("what the re-routes teach", () => {
  test("an insight whose words were never re-routed is suggested the team by its own tags, not by other insights' tags", async () => {
    // One re-route to each team, each insight with one tag; the words share nothing with the new insight's.
    const a = await post("Alpha bravo charlie", ["Billing"]);
    await d().rerouteInsight(admin.actor, a.id, { teamId: payments.team.id });
    clock.advance(60_000);
    const b = await post("Delta echo foxtrot", ["Delivery"]);
    await d().rerouteInsight(admin.actor, b.id, { teamId: shipping.team.id });
    // More billing-tagged insights, never re-routed: all of the tags read would point to Payments.
    for (const text of ["Golf hotel india", "Juliet kilo lima", "Mike november oscar"]) await post(text, ["Billing"]);
    const j = await post("Papa quebec romeo", ["Delivery"]);
    const [delivery] = await tagIds(j.id);
    expect(delivery).toBeDefined();

    const model = trainSuggester(await insights.rerouteDecisions(ctx));
    const expected = model.suggest(j.text, [delivery!]);
    expect(expected).toMatchObject({ teamId: shipping.team.id });
    const suggested = { id: shipping.team.id, name: "Shipping", confidence: expected!.confidence, learnedFrom: 2 };
    expect((await d().getInsight(admin.actor, j.id)).suggestedTeam).toEqual(suggested);
    expect(await insights.suggestTeam(ctx, j.text, [delivery!])).toEqual(suggested);
    // Without its tags nothing in it was ever re-routed: no suggestion.
    expect(await insights.suggestTeam(ctx, j.text, [])).toBeNull();
  });

  test("decisions come oldest first by when they were made, and only re-routes count", async () => {
    const a = await post("Alpha bravo charlie", ["Billing"]);
    const b = await post("Delta echo foxtrot", ["Delivery"]);
    clock.advance(60_000);
    await d().rerouteInsight(admin.actor, a.id, { teamId: payments.team.id });
    // Another instance's re-route, written later but made a minute earlier (its clock was behind).
    await app.atrium.db.insightEvent.create({
      data: { insightId: b.id, type: "rerouted", actorId: admin.user.id, fromValue: "Triage", toValue: "Shipping", note: "", createdAt: new Date(clock.now().getTime() - 60_000) },
    });
    // A routed event naming a team exactly is no lead's decision.
    await app.atrium.db.insightEvent.create({ data: { insightId: a.id, type: "routed", actorId: null, toValue: "Payments", note: "", createdAt: clock.now() } });
    const decision = async (i: { id: string; text: string }, teamId: string) => ({ text: i.text, tags: await tagIds(i.id), teamId });
    expect(await insights.rerouteDecisions(ctx)).toEqual([await decision(b, shipping.team.id), await decision(a, payments.team.id)]);
  });
});

describe("the model each app remembers", () => {
  test("another instance's re-route reaches this app's suggestions once its model is a minute old (on the wall clock)", async () => {
    const a = await post("Alpha bravo charlie", ["Billing"]);
    const b = await post("Delta echo foxtrot", ["Delivery"]);
    const j = await post("Alpha bravo delta echo", []);
    await d().rerouteInsight(admin.actor, a.id, { teamId: payments.team.id });
    // The memory runs on the wall clock (it is no data): hold it still, then move it.
    const t0 = Date.now();
    const wall = vi.spyOn(Date, "now").mockReturnValue(t0);
    const learnedFrom = async () => (await d().getInsight(admin.actor, j.id)).suggestedTeam?.learnedFrom;
    expect(await learnedFrom()).toBe(1);
    // Written by another instance: this app's model does not know it yet.
    await app.atrium.db.insightEvent.create({ data: { insightId: b.id, type: "rerouted", actorId: admin.user.id, fromValue: "Triage", toValue: "Shipping", note: "", createdAt: clock.now() } });
    expect(await learnedFrom()).toBe(1);
    wall.mockReturnValue(t0 + 59_999);
    expect(await learnedFrom()).toBe(1);
    wall.mockReturnValue(t0 + 60_000);
    expect(await learnedFrom()).toBe(2);
    // A re-route made here is learnt at once.
    const c = await post("Golf hotel india", ["Billing"]);
    expect(await learnedFrom()).toBe(2);
    await d().rerouteInsight(admin.actor, c.id, { teamId: shipping.team.id });
    expect(await learnedFrom()).toBe(3);
  });
});
