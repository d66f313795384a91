import { afterAll, beforeAll, expect, test } from "vitest";
import { heldOutAccuracy, trainSuggester, type Decision } from "../../../server/insights/team-suggester.js";
import { makeUser, startTestApp, type TestApp } from "../../helpers/app.js";
import { makeAdmin, makeTeam } from "./factories.js";

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

test("a lead re-routes an insight: recorded with who, from and to; others are refused and nothing changes", async () => {
  const { actor: admin } = await makeAdmin(app.atrium);
  const triage = await makeTeam(app.atrium, admin, "Front Desk", ["Fred Desk"]);
  const payments = await makeTeam(app.atrium, admin, "Payments", ["Pia Pay"]);
  const agent = await makeUser(app.atrium);
  await app.atrium.domain.routingRules.createRule(admin, { name: "All", enabled: true, teamIds: [triage.team.id], ackWithin: "1h", resolveWithin: "1d", conditions: {} });
  const i = await app.atrium.domain.insights.createInsight(agent.actor, { text: "I was charged twice for one order", channel: "email" });
  const routes = () => app.atrium.db.insightRoute.findMany({ where: { insightId: i.id }, select: { teamId: true } });
  const events = () => app.atrium.db.insightEvent.count({ where: { insightId: i.id } });
  const before = { routes: await routes(), events: await events() };

  // A member of the routed team (not its lead), the poster and a stranger may not; bad input is refused.
  for (const who of [triage.members[0]!.actor, agent.actor, payments.lead.actor]) {
    await expect(app.atrium.domain.insights.rerouteInsight(who, i.id, { teamId: payments.team.id })).rejects.toMatchObject({ status: 403 });
  }
  await expect(app.atrium.domain.insights.rerouteInsight(triage.lead.actor, i.id, { teamId: "nope" })).rejects.toMatchObject({ status: 422, fieldErrors: { teamId: ["Choose an existing team."] } });
  await expect(app.atrium.domain.insights.rerouteInsight(triage.lead.actor, i.id, {})).rejects.toMatchObject({ status: 422 });
  await expect(app.atrium.domain.insights.rerouteInsight(triage.lead.actor, i.id, { teamId: triage.team.id })).rejects.toMatchObject({ status: 422 });
  expect({ routes: await routes(), events: await events() }).toEqual(before);

  await app.atrium.domain.insights.rerouteInsight(triage.lead.actor, i.id, { teamId: payments.team.id, note: "Card payments" });
  expect(await routes()).toEqual([{ teamId: payments.team.id }]);
  const e = await app.atrium.db.insightEvent.findFirstOrThrow({ where: { insightId: i.id, type: "rerouted" } });
  expect([e.actorId, e.fromValue, e.toValue, e.note]).toEqual([triage.lead.user.id, "Front Desk", "Payments", "Card payments"]);
  // The new team hears of it; the old lead can no longer move it, Payments' lead can.
  expect(await app.atrium.db.notification.count({ where: { userId: payments.members[0]!.user.id, title: { contains: "re-routed to Payments" } } })).toBe(1);
  await expect(app.atrium.domain.insights.rerouteInsight(triage.lead.actor, i.id, { teamId: triage.team.id })).rejects.toMatchObject({ status: 403 });

  // The decision teaches the suggestion for a similar insight, shown to the lead who can act on it.
  const j = await app.atrium.domain.insights.createInsight(agent.actor, { text: "charged twice again on my card", channel: "email" });
  const detail = await app.atrium.domain.insights.getInsight(triage.lead.actor, j.id);
  expect(detail.can.reroute).toBe(true);
  expect(detail.suggestedTeam).toMatchObject({ id: payments.team.id, name: "Payments", learnedFrom: 1 });
  expect((await app.atrium.domain.insights.getInsight(agent.actor, j.id)).suggestedTeam).toBeNull();
});

test("suggested team on held-out decisions beats always suggesting the most common team", () => {
  const topics: [string, string[]][] = [
    ["payments", ["charged twice on my card", "refund not received", "invoice amount wrong", "double payment taken", "card declined at checkout", "billing error on invoice"]],
    ["delivery", ["parcel is late", "package never arrived", "courier lost my parcel", "tracking not updated for days", "wrong address on delivery", "delivery damaged box"]],
    ["identity", ["cannot log in", "password reset email missing", "two factor code never arrives", "account locked after login", "sso login fails", "locked out of my account"]],
  ];
  const decisions: Decision[] = [];
  for (let round = 0; round < 5; round++) {
    for (const [team, texts] of topics) {
      for (let k = 0; k < (team === "delivery" ? 3 : 2); k++) decisions.push({ text: `${texts[(round * 2 + k) % texts.length]} order ${round}${k}`, tags: [], teamId: team });
    }
  }
  const r = heldOutAccuracy(decisions);
  expect(r.test).toBeGreaterThan(0);
  expect(r.accuracy).toBeGreaterThanOrEqual(0.8);
  expect(r.accuracy).toBeGreaterThan(r.majorityBaseline + 0.3);
  expect(trainSuggester([]).suggest("anything")).toBeNull();
});
