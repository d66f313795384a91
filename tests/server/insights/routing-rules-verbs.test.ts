/**
 * The routing-rule verbs one by one: who may call them (admins only; a member's call is refused
 * with nothing written), what each writes to the rule table and the rule audit, refused input
 * writing nothing, the evaluation order, the global settings and their triage team, and the
 * cached routing config with what invalidates it.
 */
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import type { Ctx } from "../../../server/domain/context.js";
import { listRules, loadRoutingConfig } from "../../../server/domain/routing-rules.js";
import { makeUser, startTestApp, type TestApp } from "../../helpers/app.js";
import { fakeClock, makeAdmin, makeTeam } from "./factories.js";

let clock: ReturnType<typeof fakeClock>;
let app: TestApp;
// An app of its own per test: most tests list every rule, audit entry or team there is.
beforeEach(async () => {
  clock = fakeClock();
  app = await startTestApp({ clock, env: { INSIGHT_SLA_SWEEP_MS: "3600000" } });
});
afterEach(() => app.close());

const rr = () => app.atrium.domain.routingRules;

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
  skills: await app.atrium.db.skill.findMany({ orderBy: { id: "asc" } }),
  teams: await app.atrium.db.team.findMany({ orderBy: { id: "asc" } }),
});

const order = async () => (await rr().listRules((await admin()).actor)).map((r) => [r.name, r.position]);
let adminUser: Awaited<ReturnType<typeof makeAdmin>> | undefined;
const admin = async () => (adminUser ??= await makeAdmin(app.atrium));
beforeEach(() => {
  adminUser = undefined;
});

test("every rule verb refuses a member (403) and writes nothing", async () => {
  const { actor } = await admin();
  const member = await makeUser(app.atrium);
  const { team } = await makeTeam(app.atrium, actor, "Refund Desk");
  const { id } = await rr().createRule(actor, ruleInput(team.id));
  await rr().createRule(actor, ruleInput(team.id, { name: "Second" }));
  await rr().getSettings(actor);
  const before = await ruleState();

  const refused: [string, () => Promise<unknown>][] = [
    ["listRules", () => rr().listRules(member.actor)],
    ["getRule", () => rr().getRule(member.actor, id)],
    ["createRule", () => rr().createRule(member.actor, ruleInput(team.id, { name: "Mine", conditions: { topics: "a-new-topic" } }))],
    ["updateRule", () => rr().updateRule(member.actor, id, ruleInput(team.id, { name: "Changed", priority: "urgent" }))],
    ["deleteRule", () => rr().deleteRule(member.actor, id)],
    ["moveRule", () => rr().moveRule(member.actor, id, "down")],
    ["getSettings", () => rr().getSettings(member.actor)],
    ["updateSettings", () => rr().updateSettings(member.actor, { matchMode: "every", triageTeamId: team.id, triageAckWithin: "1h", triageResolveWithin: "1d" })],
    ["listRuleAudit", () => rr().listRuleAudit(member.actor)],
    ["testRules", () => rr().testRules(member.actor, { text: "refund please", channel: "email", topics: "brand-new-topic" })],
    ["previewRule", () => rr().previewRule(member.actor, { conditions: { topics: "another-new-topic" } })],
  ];
  for (const [name, call] of refused) {
    await expect(call, name).rejects.toMatchObject({ status: 403 });
  }
  expect(await ruleState()).toEqual(before);
});

test("createRule stores ids for tags and each list once, places the rule last, and audits its snapshot", async () => {
  const { actor } = await admin();
  const { team } = await makeTeam(app.atrium, actor, "Refund Desk");
  const first = await rr().createRule(actor, ruleInput(team.id, {
    name: "Angry refunds",
    teamIds: [team.id, team.id],
    priority: "urgent",
    ackWithin: "15m",
    resolveWithin: "2h",
    conditions: {
      products: "App",
      topics: "Billing, billing, invoices",
      channels: ["email", "email", "chat"],
      tiers: ["gold", "gold"],
      keywords: ["refund", "refund", "money back"],
      sentimentAtMost: "-0.3",
      sentimentAtLeast: "-0.9",
      customerTopics: ["refund-billing"],
    },
  }));
  const shown = await rr().getRule(actor, first.id);
  expect(shown).toEqual({
    id: first.id,
    name: "Angry refunds",
    position: 1,
    enabled: true,
    priority: "urgent",
    ackWithinMinutes: 15,
    resolveWithinMinutes: 120,
    teams: [{ id: team.id, name: "Refund Desk" }],
    customerTopicLabels: ["Refund, billing or charges"],
    conditions: {
      products: ["app"],
      topics: ["billing", "invoices"],
      channels: ["email", "chat"],
      tiers: ["gold"],
      keywords: ["refund", "money back"],
      sentimentAtMost: -0.3,
      sentimentAtLeast: -0.9,
      customerTopics: ["refund-billing"],
    },
  });
  // Stored with the vocabulary's ids, so renaming a tag does not break the rule.
  const skillId = async (name: string) => (await app.atrium.db.skill.findUniqueOrThrow({ where: { name } })).id;
  const row = await app.atrium.db.routingRule.findUniqueOrThrow({ where: { id: first.id }, include: { teams: true } });
  expect(JSON.parse(row.conditions)).toMatchObject({ products: [await skillId("app")], topics: [await skillId("billing"), await skillId("invoices")] });
  expect(row.teams.map((t) => t.teamId)).toEqual([team.id]);

  const audit = await rr().listRuleAudit(actor);
  expect(audit).toEqual([
    { id: expect.any(String), action: "create", ruleId: first.id, before: null, after: JSON.stringify(shown), createdAt: clock.now().toISOString(), actor: { id: actor.id, name: "Ada Admin" } },
  ]);

  // Each new rule goes after the last one there is, also after deletions.
  const second = await rr().createRule(actor, ruleInput(team.id, { name: "Second" }));
  await rr().deleteRule(actor, first.id);
  // Praise only: a lower bound alone is a range that can match.
  const third = await rr().createRule(actor, ruleInput(team.id, { name: "Third", enabled: false, conditions: { sentimentAtLeast: "0.3" } }));
  expect(await order()).toEqual([
    ["Second", 2],
    ["Third", 3],
  ]);
  expect((await rr().getRule(actor, third.id))).toMatchObject({ enabled: false, conditions: { sentimentAtMost: null, sentimentAtLeast: 0.3 } });
  expect((await rr().getRule(actor, second.id)).conditions).toMatchObject({ products: [], topics: [], channels: [], tiers: [], sentimentAtMost: null, sentimentAtLeast: null, customerTopics: [] });
});

test("refused input writes nothing: unknown teams, a sentiment range that can never match, unknown rules", async () => {
  const { actor } = await admin();
  const { team } = await makeTeam(app.atrium, actor, "Refund Desk");
  const { id } = await rr().createRule(actor, ruleInput(team.id));
  await rr().getSettings(actor);
  const before = await ruleState();

  await expect(() => rr().createRule(actor, ruleInput(team.id, { teamIds: [team.id, "no-such-team"] }))).rejects.toMatchObject({ status: 422, fieldErrors: { teamIds: ["Choose existing teams."] } });
  const never = { topics: "a-tag-nobody-has", sentimentAtMost: "-0.5", sentimentAtLeast: "0.5" };
  await expect(() => rr().createRule(actor, ruleInput(team.id, { conditions: never }))).rejects.toMatchObject({
    status: 422,
    fieldErrors: { "conditions.sentimentAtLeast": ["'At least' is above 'at most': the rule could never match."] },
  });
  await expect(() => rr().updateRule(actor, id, ruleInput(team.id, { conditions: never }))).rejects.toMatchObject({ status: 422 });
  await expect(() => rr().updateRule(actor, id, ruleInput(team.id, { teamIds: ["no-such-team"] }))).rejects.toMatchObject({ status: 422 });
  // Tags the vocabulary does not have yet are not added for a rule refused for its teams.
  const newTags = { products: "A New Gadget", topics: "a-topic-nobody-has" };
  await expect(() => rr().createRule(actor, ruleInput(team.id, { teamIds: ["no-such-team"], conditions: newTags }))).rejects.toMatchObject({ status: 422, fieldErrors: { teamIds: ["Choose existing teams."] } });
  await expect(() => rr().updateRule(actor, id, ruleInput(team.id, { teamIds: ["no-such-team"], conditions: newTags }))).rejects.toMatchObject({ status: 422, fieldErrors: { teamIds: ["Choose existing teams."] } });
  await expect(() => rr().updateRule(actor, "no-such-rule", ruleInput(team.id))).rejects.toMatchObject({ status: 404, message: "That rule was not found." });
  await expect(() => rr().deleteRule(actor, "no-such-rule")).rejects.toMatchObject({ status: 404, message: "That rule was not found." });
  await expect(() => rr().moveRule(actor, "no-such-rule", "up")).rejects.toMatchObject({ status: 404, message: "That rule was not found." });
  await expect(() => rr().getRule(actor, "no-such-rule")).rejects.toMatchObject({ status: 404, message: "That rule was not found." });
  await expect(() => rr().updateSettings(actor, { matchMode: "every", triageTeamId: "no-such-team", triageAckWithin: "1h", triageResolveWithin: "1d" })).rejects.toMatchObject({
    status: 422,
    fieldErrors: { triageTeamId: ["Choose an existing team."] },
  });
  expect(await ruleState()).toEqual(before);
  // Equal bounds are a range that can match.
  await rr().updateRule(actor, id, ruleInput(team.id, { conditions: { sentimentAtMost: "0.2", sentimentAtLeast: "0.2" } }));
  expect((await rr().getRule(actor, id)).conditions).toMatchObject({ sentimentAtMost: 0.2, sentimentAtLeast: 0.2 });
});

test("updateRule replaces the teams and conditions, keeps the place, and audits before and after", async () => {
  const { actor } = await admin();
  const a = await makeTeam(app.atrium, actor, "Alpha Desk");
  const b = await makeTeam(app.atrium, actor, "Beta Desk");
  const first = await rr().createRule(actor, ruleInput(a.team.id, { name: "First" }));
  const { id } = await rr().createRule(actor, ruleInput(a.team.id, { name: "Second" }));
  const firstBefore = await rr().getRule(actor, first.id);
  const before = await rr().getRule(actor, id);
  clock.advance(60_000);
  await rr().updateRule(actor, id, ruleInput(b.team.id, { name: "Second, changed", priority: "low", ackWithin: "1h", resolveWithin: "2d", conditions: { channels: ["phone"] } }));
  const after = await rr().getRule(actor, id);
  expect(after).toMatchObject({ name: "Second, changed", position: 2, priority: "low", ackWithinMinutes: 60, resolveWithinMinutes: 2880, teams: [{ id: b.team.id, name: "Beta Desk" }] });
  expect(after.conditions).toMatchObject({ channels: ["phone"], keywords: [] });
  const [last] = await rr().listRuleAudit(actor, { limit: 1 });
  expect(last).toMatchObject({ action: "update", ruleId: id, before: JSON.stringify(before), after: JSON.stringify(after), createdAt: clock.now().toISOString() });
  // The other rule keeps its teams and everything else.
  expect(await rr().getRule(actor, first.id)).toEqual(firstBefore);

  await rr().deleteRule(actor, id);
  const [gone] = await rr().listRuleAudit(actor, { limit: 1 });
  expect(gone).toMatchObject({ action: "delete", ruleId: id, before: JSON.stringify(after), after: null });
  expect(await app.atrium.db.routingRuleTeam.count({ where: { ruleId: id } })).toBe(0);
  expect((await rr().listRules(actor)).map((r) => r.id)).toEqual([first.id]);
});

test("moveRule takes two rules at the same place oldest first, as they are evaluated", async () => {
  const { actor } = await admin();
  const t = clock.now().getTime();
  const data = (name: string, at: number) => ({ name, position: 1, conditions: "{}", priority: "normal", ackWithinMinutes: 1, resolveWithinMinutes: 2, createdAt: new Date(at) });
  // Written in the other order than they were made, so the order they were written in cannot pass for the age.
  await app.atrium.db.routingRule.create({ data: data("Newer", t + 1000) });
  const older = await app.atrium.db.routingRule.create({ data: data("Older", t) });
  await rr().moveRule(actor, older.id, "down");
  expect(await order()).toEqual([
    ["Newer", 1],
    ["Older", 2],
  ]);
  const [moved] = await rr().listRuleAudit(actor, { limit: 1 });
  expect(moved).toMatchObject({ action: "move", ruleId: older.id, before: JSON.stringify({ order: ["Older", "Newer"] }), after: JSON.stringify({ order: ["Newer", "Older"] }) });
});

test("a tag and its synonym named in one list are stored once, as their skill", async () => {
  const { actor } = await admin();
  const { team } = await makeTeam(app.atrium, actor, "Desk");
  const kubernetes = await app.atrium.db.skill.create({ data: { name: "kubernetes", label: "Kubernetes" } });
  await app.atrium.domain.skills.addSynonym(actor, { skill: "kubernetes", synonym: "k8s" });
  const { id } = await rr().createRule(actor, ruleInput(team.id, { conditions: { products: "k8s, Kubernetes", topics: "kubernetes, k8s" } }));
  const row = await app.atrium.db.routingRule.findUniqueOrThrow({ where: { id } });
  expect(JSON.parse(row.conditions)).toMatchObject({ products: [kubernetes.id], topics: [kubernetes.id] });
  expect((await rr().getRule(actor, id)).conditions).toMatchObject({ products: ["kubernetes"], topics: ["kubernetes"] });
});

test("a sentiment range with only an upper bound is a range that can match", async () => {
  const { actor } = await admin();
  const { team } = await makeTeam(app.atrium, actor, "Desk");
  const { id } = await rr().createRule(actor, ruleInput(team.id, { conditions: { sentimentAtMost: "-0.4" } }));
  expect((await rr().getRule(actor, id)).conditions).toMatchObject({ sentimentAtMost: -0.4, sentimentAtLeast: null });
  await rr().updateRule(actor, id, ruleInput(team.id, { conditions: { sentimentAtMost: "-0.8" } }));
  expect((await rr().getRule(actor, id)).conditions).toMatchObject({ sentimentAtMost: -0.8, sentimentAtLeast: null });
});

test("moveRule swaps a rule with its neighbour and renumbers; at either end it does nothing and audits nothing", async () => {
  const { actor } = await admin();
  const { team } = await makeTeam(app.atrium, actor, "Desk");
  const a = await rr().createRule(actor, ruleInput(team.id, { name: "A" }));
  const b = await rr().createRule(actor, ruleInput(team.id, { name: "B" }));
  const c = await rr().createRule(actor, ruleInput(team.id, { name: "C" }));
  // Gaps in the numbering (a deleted rule) are closed by the next move.
  const gap = await rr().createRule(actor, ruleInput(team.id, { name: "Gone" }));
  await rr().deleteRule(actor, gap.id);
  const audits = async () => app.atrium.db.ruleAudit.count();

  await rr().moveRule(actor, b.id, "up");
  expect(await order()).toEqual([
    ["B", 1],
    ["A", 2],
    ["C", 3],
  ]);
  const [moved] = await rr().listRuleAudit(actor, { limit: 1 });
  expect(moved).toMatchObject({ action: "move", ruleId: b.id, before: JSON.stringify({ order: ["A", "B", "C"] }), after: JSON.stringify({ order: ["B", "A", "C"] }) });

  const n = await audits();
  await rr().moveRule(actor, b.id, "up");
  await rr().moveRule(actor, c.id, "down");
  expect(await audits()).toBe(n);
  expect(await order()).toEqual([
    ["B", 1],
    ["A", 2],
    ["C", 3],
  ]);

  await rr().moveRule(actor, a.id, "down");
  expect(await order()).toEqual([
    ["B", 1],
    ["C", 2],
    ["A", 3],
  ]);
  await rr().moveRule(actor, c.id, "up");
  expect((await order()).map(([name]) => name)).toEqual(["C", "B", "A"]);
});

test("a rule shows a tag gone from the vocabulary by its stored id, and a team deleted while it is read as a deleted team", async () => {
  const { actor } = await admin();
  const { team } = await makeTeam(app.atrium, actor, "Desk");
  const { id } = await rr().createRule(actor, ruleInput(team.id, { conditions: { products: "Gadget", topics: "billing, shipping" } }));
  const billing = await app.atrium.db.skill.findUniqueOrThrow({ where: { name: "billing" } });
  await app.atrium.db.skill.delete({ where: { id: billing.id } });
  expect((await rr().getRule(actor, id)).conditions).toMatchObject({ products: ["gadget"], topics: [billing.id, "shipping"] });

  // The team is deleted between reading the rules and reading the team names.
  const base = app.atrium.ctx;
  const routingRule = new Proxy(base.db.routingRule, {
    get: (target, key) =>
      key === "findMany"
        ? async (args: never) => {
            const rows = await target.findMany(args);
            await base.db.team.delete({ where: { id: team.id } });
            return rows;
          }
        : Reflect.get(target, key),
  });
  const ctx = { ...base, db: new Proxy(base.db, { get: (target, key) => (key === "routingRule" ? routingRule : Reflect.get(target, key)) }) } as Ctx;
  const [shown] = await listRules(ctx, actor);
  expect(shown!.teams).toEqual([{ id: team.id, name: "(deleted team)" }]);
});

describe("settings and the triage team", () => {
  test("the first read makes a Triage team (announced) and the defaults; later reads reuse them", async () => {
    const { actor } = await admin();
    const changes: unknown[] = [];
    app.atrium.ctx.bus.subscribe("org.changed", (p) => void changes.push(p));
    const before = await app.atrium.db.team.count();
    const s = await rr().getSettings(actor);
    const triage = await app.atrium.db.team.findUniqueOrThrow({ where: { id: s.triageTeamId } });
    expect(triage).toMatchObject({ name: "Triage", slug: "triage", description: "Customer insights that no routing rule matched." });
    expect(s).toEqual({ matchMode: "first", triageTeamId: triage.id, triageAckMinutes: 240, triageResolveMinutes: 4320, triageTeam: { id: triage.id, name: "Triage" } });
    expect(changes).toEqual([{ kind: "team" }]);
    expect(await rr().getSettings(actor)).toEqual(s);
    expect(await app.atrium.db.team.count()).toBe(before + 1);
    expect(changes).toHaveLength(1);
  });

  test("two first reads at once make one Triage team", async () => {
    const { actor } = await admin();
    const [a, b] = await Promise.all([rr().getSettings(actor), rr().getSettings(actor)]);
    expect(a.triageTeamId).toBe(b.triageTeamId);
    expect(await app.atrium.db.team.count({ where: { name: "Triage" } })).toBe(1);
  });

  test("a team called Triage, or with its address, is taken as the triage team", async () => {
    const { actor } = await admin();
    const byName = await app.atrium.db.team.create({ data: { name: "Triage", slug: "first-line" } });
    expect((await rr().getSettings(actor)).triageTeamId).toBe(byName.id);
    await app.atrium.db.insightSettings.deleteMany();
    await app.atrium.db.team.delete({ where: { id: byName.id } });
    const bySlug = await app.atrium.db.team.create({ data: { name: "Triage desk", slug: "triage" } });
    const before = await app.atrium.db.team.count();
    expect((await rr().getSettings(actor)).triageTeamId).toBe(bySlug.id);
    expect(await app.atrium.db.team.count()).toBe(before);
  });

  test("updateSettings stores and audits the change; a deleted triage team is replaced and the rest kept", async () => {
    const { actor } = await admin();
    const desk = await makeTeam(app.atrium, actor, "First Line");
    const before = await rr().getSettings(actor);
    clock.advance(60_000);
    await rr().updateSettings(actor, { matchMode: "every", triageTeamId: desk.team.id, triageAckWithin: "2h", triageResolveWithin: "3d" });
    const after = { matchMode: "every", triageTeamId: desk.team.id, triageAckMinutes: 120, triageResolveMinutes: 4320 };
    expect(await rr().getSettings(actor)).toEqual({ ...after, triageTeam: { id: desk.team.id, name: "First Line" } });
    const { triageTeam: _, ...beforeSettings } = before;
    expect(await rr().listRuleAudit(actor)).toEqual([
      { id: expect.any(String), action: "settings", ruleId: null, before: JSON.stringify(beforeSettings), after: JSON.stringify(after), createdAt: clock.now().toISOString(), actor: { id: actor.id, name: "Ada Admin" } },
    ]);

    await app.atrium.db.team.delete({ where: { id: desk.team.id } });
    const s = await rr().getSettings(actor);
    expect(s).toMatchObject({ matchMode: "every", triageAckMinutes: 120, triageTeam: { name: "Triage" } });
  });
});

test("listRuleAudit: newest first, one rule's entries, at most the limit asked (100 unless asked, never over 500)", async () => {
  const { actor } = await admin();
  const t0 = clock.now().getTime();
  await app.atrium.db.ruleAudit.createMany({
    data: Array.from({ length: 510 }, (_, k) => ({ action: "update", ruleId: k % 2 ? "odd" : "even", actorId: actor.id, createdAt: new Date(t0 + k * 1000) })),
  });
  const all = await rr().listRuleAudit(actor);
  expect(all).toHaveLength(100);
  expect(all[0]!.createdAt).toBe(new Date(t0 + 509_000).toISOString());
  expect(all[1]!.createdAt).toBe(new Date(t0 + 508_000).toISOString());
  expect(await rr().listRuleAudit(actor, { limit: 3 })).toHaveLength(3);
  expect(await rr().listRuleAudit(actor, { limit: 10_000 })).toHaveLength(500);
  const odd = await rr().listRuleAudit(actor, { ruleId: "odd", limit: 500 });
  expect(odd).toHaveLength(255);
  expect(new Set(odd.map((a) => a.ruleId))).toEqual(new Set(["odd"]));
});

describe("the cached routing config", () => {
  /** A rule written behind the verbs' back: only a reload sees it. */
  const sneakRule = (name: string, position = 99) => app.atrium.db.routingRule.create({ data: { name, position, conditions: "{}", priority: "normal", ackWithinMinutes: 1, resolveWithinMinutes: 2 } });
  const ruleNames = async () => (await rr().loadRoutingConfig()).rules.map((r) => r.name);

  test("is kept until a verb, a team change or a membership change invalidates it", async () => {
    const { actor } = await admin();
    const { team, lead, members } = await makeTeam(app.atrium, actor, "Desk", ["Mo", "Max"]);
    await rr().getSettings(actor); // the Triage team exists: making it is a team change too
    await rr().createRule(actor, ruleInput(team.id, { name: "Verb" }));
    expect(await ruleNames()).toEqual(["Verb"]);
    await sneakRule("Sneaked");
    expect(await ruleNames()).toEqual(["Verb"]);
    await app.atrium.ctx.bus.publish("org.changed", { kind: "department" });
    expect(await ruleNames()).toEqual(["Verb"]);
    await app.atrium.ctx.bus.publish("org.changed", { kind: "team" });
    expect(await ruleNames()).toEqual(["Verb", "Sneaked"]);

    await sneakRule("Second");
    await app.atrium.ctx.bus.publish("person.updated", { userId: lead.user.id });
    expect(await ruleNames()).toEqual(["Verb", "Sneaked", "Second"]);
    await sneakRule("Third");
    await app.atrium.ctx.bus.publish("person.deactivated", { userId: lead.user.id });
    expect(await ruleNames()).toEqual(["Verb", "Sneaked", "Second", "Third"]);

    // Active members only; team names by id; the settings.
    await app.atrium.db.user.update({ where: { id: members[1]!.user.id }, data: { active: false } });
    rr().invalidateRoutingConfig();
    const config = await rr().loadRoutingConfig();
    expect(config.teamMembers.get(team.id)!.sort()).toEqual([lead.user.id, members[0]!.user.id].sort());
    expect(config.teamNames.get(team.id)).toBe("Desk");
    expect(config.teamNames.get(config.settings.triageTeamId)).toBe("Triage");
  });

  test("each rule verb invalidates it at once: create, update, delete and move are seen by the next load", async () => {
    const { actor } = await admin();
    const a = await makeTeam(app.atrium, actor, "Alpha Desk");
    const b = await makeTeam(app.atrium, actor, "Beta Desk");
    await rr().getSettings(actor);
    // Loaded (and kept) before each verb, so only the verb's own invalidation explains the change.
    expect(await ruleNames()).toEqual([]);
    const first = await rr().createRule(actor, ruleInput(a.team.id, { name: "First" }));
    expect(await ruleNames()).toEqual(["First"]);
    const second = await rr().createRule(actor, ruleInput(a.team.id, { name: "Second" }));
    expect(await ruleNames()).toEqual(["First", "Second"]);

    await rr().updateRule(actor, first.id, ruleInput(b.team.id, { name: "First, changed", priority: "low" }));
    const updated = (await rr().loadRoutingConfig()).rules[0]!;
    expect(updated).toMatchObject({ name: "First, changed", priority: "low", teamIds: [b.team.id] });

    await rr().moveRule(actor, second.id, "up");
    expect(await ruleNames()).toEqual(["Second", "First, changed"]);

    await rr().deleteRule(actor, second.id);
    expect(await ruleNames()).toEqual(["First, changed"]);
  });

  test("ages by the injected clock: kept for 30 seconds, read again from the 30th second on", async () => {
    await rr().getSettings((await admin()).actor);
    expect(await ruleNames()).toEqual([]);
    await sneakRule("Sneaked");
    clock.advance(29_999);
    expect(await ruleNames()).toEqual([]);
    clock.advance(1);
    expect(await ruleNames()).toEqual(["Sneaked"]);
    // The reload starts a new 30 seconds.
    await sneakRule("Later");
    clock.advance(29_999);
    expect(await ruleNames()).toEqual(["Sneaked"]);
    clock.advance(1);
    expect(await ruleNames()).toEqual(["Sneaked", "Later"]);
  });

  test("holds the rules in evaluation order, each as stored: teams, priority, times, place and state", async () => {
    const { actor } = await admin();
    const { team } = await makeTeam(app.atrium, actor, "Desk");
    const other = await makeTeam(app.atrium, actor, "Other Desk");
    const { id } = await rr().createRule(actor, ruleInput(team.id, { name: "Verb", teamIds: [team.id, other.team.id], enabled: false, priority: "urgent", ackWithin: "15m", resolveWithin: "2h", conditions: { keywords: "refund", channels: ["chat"] } }));
    // Written after, placed before: the order is the rules' places, not the order they were written.
    await sneakRule("First", 0);
    rr().invalidateRoutingConfig();
    const { rules } = await rr().loadRoutingConfig();
    expect(rules.map((r) => r.name)).toEqual(["First", "Verb"]);
    expect(rules[1]).toEqual({
      id,
      name: "Verb",
      position: 1,
      enabled: false,
      teamIds: [team.id, other.team.id],
      priority: "urgent",
      ackWithinMinutes: 15,
      resolveWithinMinutes: 120,
      conditions: { products: [], topics: [], channels: ["chat"], tiers: [], sentimentAtMost: null, sentimentAtLeast: null, keywords: ["refund"], customerTopics: [] },
    });
  });

  test("subscribes to the changes that invalidate it once per app, not once per load", async () => {
    await rr().getSettings((await admin()).actor);
    const base = app.atrium.ctx;
    const subscribed: string[] = [];
    const bus = new Proxy(base.bus, {
      get: (target, key) =>
        key === "subscribe"
          ? (event: string, ...rest: unknown[]) => {
              subscribed.push(event);
              return (target.subscribe as (...a: unknown[]) => () => void)(event, ...rest);
            }
          : Reflect.get(target, key),
    });
    const ctx = { ...base, bus } as Ctx;
    for (let k = 0; k < 3; k++) {
      await loadRoutingConfig(ctx);
      await bus.publish("person.updated", { userId: "someone" });
    }
    expect(subscribed.sort()).toEqual(["org.changed", "person.deactivated", "person.updated"]);
  });

  test("two rules at the same place (two created at once) are evaluated and listed oldest first", async () => {
    const { actor } = await admin();
    const t = clock.now().getTime();
    const data = (name: string, at: number) => ({ name, position: 1, conditions: "{}", priority: "normal", ackWithinMinutes: 1, resolveWithinMinutes: 2, createdAt: new Date(at) });
    // Written in the other order than they were made.
    await app.atrium.db.routingRule.create({ data: data("Newer", t + 1000) });
    await app.atrium.db.routingRule.create({ data: data("Older", t) });
    rr().invalidateRoutingConfig();
    expect(await ruleNames()).toEqual(["Older", "Newer"]);
    expect((await rr().listRules(actor)).map((r) => r.name)).toEqual(["Older", "Newer"]);
  });

  test("a rule whose stored conditions cannot be read has none", async () => {
    await sneakRule("Broken");
    await app.atrium.db.routingRule.updateMany({ data: { conditions: "{not json" } });
    const [broken] = (await rr().loadRoutingConfig()).rules;
    expect(broken!.conditions).toEqual({ products: [], topics: [], channels: [], tiers: [], sentimentAtMost: null, sentimentAtLeast: null, keywords: [], customerTopics: [] });
  });

  test("a load that failed is not kept", async () => {
    await rr().getSettings((await admin()).actor);
    let fail = true;
    const base = app.atrium.ctx;
    const routingRule = new Proxy(base.db.routingRule, {
      get: (target, key) =>
        key === "findMany"
          ? (args: never) => {
              if (fail) return Promise.reject(new Error("database away"));
              return target.findMany(args);
            }
          : Reflect.get(target, key),
    });
    const ctx = { ...base, db: new Proxy(base.db, { get: (target, key) => (key === "routingRule" ? routingRule : Reflect.get(target, key)) }) } as Ctx;
    await expect(() => loadRoutingConfig(ctx)).rejects.toThrow("database away");
    fail = false;
    expect((await loadRoutingConfig(ctx)).rules).toEqual([]);
  });
});
