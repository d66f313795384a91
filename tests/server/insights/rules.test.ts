import { afterEach, beforeEach, expect, test } from "vitest";
import { makeUser, startTestApp, type TestApp } from "../../helpers/app.js";
import { makeAccount, makeAdmin, makeTeam } from "./factories.js";

let app: TestApp;
// An app of its own per test: each lists or counts every rule there is.
beforeEach(async () => {
  app = await startTestApp();
});
afterEach(() => app.close());

test("rules: create, edit, reorder, delete — each audited with before/after; members are refused", async () => {
  const { actor: admin } = await makeAdmin(app.atrium);
  const member = await makeUser(app.atrium);
  const finance = await makeTeam(app.atrium, admin, "Finance Operations");
  const care = await makeTeam(app.atrium, admin, "Customer Care");
  const rules = app.atrium.domain.routingRules;

  await expect(rules.createRule(member.actor, { name: "x", teamIds: [finance.team.id], ackWithin: "1h", resolveWithin: "1d", conditions: {} })).rejects.toMatchObject({ status: 403 });
  await expect(rules.createRule(admin, { name: "", teamIds: [], ackWithin: "soon", resolveWithin: "1d", conditions: { sentimentAtMost: "2" } })).rejects.toMatchObject({
    status: 422,
    fieldErrors: { name: expect.any(Array), teamIds: expect.any(Array), ackWithin: expect.any(Array), "conditions.sentimentAtMost": expect.any(Array) },
  });

  const billing = await rules.createRule(admin, {
    name: "Billing",
    enabled: "on",
    teamIds: [finance.team.id],
    priority: "high",
    ackWithin: "30m",
    resolveWithin: "1d",
    conditions: { topics: "Billing, invoices", keywords: "refund", channels: ["twitter", "email"] },
  });
  const negative = await rules.createRule(admin, {
    name: "Angry customers",
    enabled: true,
    teamIds: [care.team.id],
    ackWithin: "15m",
    resolveWithin: "4h",
    conditions: { sentimentAtMost: "-0.3" },
  });
  let list = await rules.listRules(admin);
  expect(list.map((r) => r.name)).toEqual(["Billing", "Angry customers"]);
  expect(list[0]!.conditions.topics).toEqual(["billing", "invoices"]);
  expect(list[0]!.teams).toEqual([{ id: finance.team.id, name: "Finance Operations" }]);

  await rules.updateRule(admin, billing.id, {
    name: "Billing complaints",
    enabled: true,
    teamIds: [finance.team.id],
    priority: "urgent",
    ackWithin: "20m",
    resolveWithin: "1d",
    conditions: { topics: ["billing"] },
  });
  await rules.moveRule(admin, negative.id, "up");
  list = await rules.listRules(admin);
  expect(list.map((r) => r.name)).toEqual(["Angry customers", "Billing complaints"]);
  await rules.deleteRule(admin, negative.id);

  const audit = await rules.listRuleAudit(admin);
  expect(audit.map((a) => a.action)).toEqual(["delete", "move", "update", "create", "create"]);
  const upd = audit.find((a) => a.action === "update")!;
  expect(JSON.parse(upd.before!).priority).toBe("high");
  expect(JSON.parse(upd.after!).priority).toBe("urgent");
  expect(JSON.parse(upd.after!).ackWithinMinutes).toBe(20);
  expect(upd.actor?.id).toBe(admin.id);
  expect(JSON.parse(audit[0]!.before!).name).toBe("Angry customers");
  expect(audit[0]!.after).toBeNull();
});

test("test box: which rules an example matches, first vs every match, triage when none; nothing written", async () => {
  const { actor: admin } = await makeAdmin(app.atrium);
  const t1 = await makeTeam(app.atrium, admin, "Billing Desk");
  const t2 = await makeTeam(app.atrium, admin, "VIP Desk");
  await makeAccount(app.atrium, admin, "Initech", "strategic");
  const rules = app.atrium.domain.routingRules;
  for (const r of await rules.listRules(admin)) await rules.deleteRule(admin, r.id);
  const billing = await rules.createRule(admin, { name: "Billing", enabled: true, teamIds: [t1.team.id], ackWithin: "1h", resolveWithin: "1d", conditions: { topics: ["billing"] } });
  const vip = await rules.createRule(admin, { name: "VIP", enabled: true, teamIds: [t2.team.id], priority: "urgent", ackWithin: "10m", resolveWithin: "8h", conditions: { tiers: ["strategic"] } });
  const skillsBefore = await app.atrium.db.skill.count();

  const example = { text: "Invoice is wrong", channel: "email", tier: "strategic", topics: "billing" };
  let r = await rules.testRules(admin, example);
  expect(r.matchingRuleIds).toEqual([billing.id, vip.id]);
  expect(r.matchMode).toBe("first");
  expect(r.routingRuleIds).toEqual([billing.id]);
  expect(r.teams.map((t) => t.name)).toEqual(["Billing Desk"]);

  const settings = await rules.getSettings(admin);
  await rules.updateSettings(admin, { matchMode: "every", triageTeamId: settings.triageTeamId, triageAckWithin: "2h", triageResolveWithin: "3d" });
  r = await rules.testRules(admin, example);
  expect(r.routingRuleIds).toEqual([billing.id, vip.id]);
  expect(r.teams.map((t) => t.name)).toEqual(["Billing Desk", "VIP Desk"]);
  expect([r.priority, r.ackWithinMinutes, r.resolveWithinMinutes]).toEqual(["urgent", 10, 480]);

  r = await rules.testRules(admin, { text: "hello", channel: "store", topics: "a-brand-new-tag" });
  expect(r.triage).toBe(true);
  expect(r.teams.map((t) => t.name)).toEqual(["Triage"]);
  expect(r.ackWithinMinutes).toBe(120);
  expect(await app.atrium.db.skill.count()).toBe(skillsBefore); // the test box added no tag
  const audit = await rules.listRuleAudit(admin);
  expect(audit[0]!.action).toBe("settings");
  expect(JSON.parse(audit[0]!.after!).matchMode).toBe("every");
});

test("a volume spike on a topic alerts the routed team once", async () => {
  const { actor: admin } = await makeAdmin(app.atrium);
  const team = await makeTeam(app.atrium, admin, "Shipping Team", ["Shay"]);
  await app.atrium.domain.routingRules.createRule(admin, { name: "Shipping", enabled: true, teamIds: [team.team.id], ackWithin: "1h", resolveWithin: "1d", conditions: { topics: ["shipping"] } });
  const agent = await makeUser(app.atrium);
  const texts = ["parcel late", "delivery never came", "courier lost my box", "package damaged", "tracking broken", "still no parcel"];
  for (const t of texts) await app.atrium.domain.insights.createInsight(agent.actor, { text: t, channel: "chat", topics: ["shipping"] });
  const notes = await app.atrium.domain.notifications.listNotifications(team.members[0]!.actor);
  const spikes = notes.filter((n) => n.type === "insight.spike");
  expect(spikes).toHaveLength(1);
  expect(spikes[0]!.title).toBe("Spike: 5 insights about Shipping in 24 h");
});
