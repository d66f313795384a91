/**
 * The insight verbs' edges: what posting stores and tells, how routed notifications fold within
 * their window, what each change writes to the timeline and who hears of it, refusals that leave
 * the database as it was, accounts, paging and the inbox.
 */
import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import type { Ctx } from "../../../server/domain/context.js";
import * as insights from "../../../server/domain/insights.js";
import { explainSentiment } from "../../../server/domain/sentiment.js";
import { recogniseTopics } from "../../../server/insights/topics.js";
import { makeUser, startTestApp, type TestApp } from "../../helpers/app.js";
import { fakeClock, makeAccount, makeAdmin, makeBillingRule, makeTeam } from "./factories.js";

const clock = fakeClock(new Date("2031-05-12T08:00:00Z"));
let app: TestApp;
let ctx: Ctx;
let admin: Awaited<ReturnType<typeof makeAdmin>>;
let finance: Awaited<ReturnType<typeof makeTeam>>;
let agent: Awaited<ReturnType<typeof makeUser>>;
let account: { id: string; name: string };
let billingRuleId: string;

// An app and fixture of their own for each test: none depends on rows another test wrote.
beforeEach(async () => {
  app = await startTestApp({ clock, env: { INSIGHT_SLA_SWEEP_MS: "3600000" } });
  ctx = app.atrium.ctx;
  admin = await makeAdmin(app.atrium);
  finance = await makeTeam(app.atrium, admin.actor, "Finance Operations", ["Femi", "Fran"]);
  agent = await makeUser(app.atrium, { name: "Sam Support" });
  account = await makeAccount(app.atrium, admin.actor, "Globex", "gold");
  billingRuleId = (await makeBillingRule(app.atrium, admin.actor, finance.team.id)).id;
});
afterEach(() => app?.close());

const d = () => app.atrium.domain.insights;
const COMPLAINT = "Your invoices are wrong again. Terrible, I'm furious.";
const post = (over: Record<string, unknown> = {}, who = agent.actor) =>
  d().createInsight(who, { text: COMPLAINT, channel: "twitter", accountId: account.id, topics: ["Billing"], ...over });
const viaPrisma = () => ({ ...ctx, reads: undefined });
/** Collects the payloads of one bus event until the returned stop() is called. */
function collect<E extends "insight.routed" | "insight.updated" | "notification.created">(event: E) {
  const seen: unknown[] = [];
  const off = ctx.bus.subscribe(event, (p) => void seen.push(p));
  return { seen: seen as any[], off };
}
const events = (insightId: string) =>
  app.atrium.db.insightEvent.findMany({ where: { insightId }, orderBy: [{ createdAt: "asc" }, { id: "asc" }], select: { type: true, actorId: true, fromValue: true, toValue: true, note: true, createdAt: true } });
const notes = (userId: string, link?: string) =>
  app.atrium.db.notification.findMany({ where: { userId, ...(link ? { link } : { type: { startsWith: "insight.routed" } }) }, orderBy: [{ createdAt: "asc" }, { id: "asc" }], select: { type: true, title: true, body: true, link: true, readAt: true } });

describe("posting", () => {
  test("the insight returned on posting is the one the feed reads back, and its row holds the rule's decision", async () => {
    clock.advance(60_000);
    const now = clock.now();
    const i = await post({ products: ["Mobile App", "billing"], topics: ["Billing", "Refunds"], sourceUrl: "https://x.com/globex/status/9" });
    expect(i.tags.length).toBe(4);
    const read = (await d().listInsights(agent.actor, { account: account.id })).items.find((x) => x.id === i.id);
    expect(i).toEqual(read);
    expect(i).toEqual((await insights.listInsights(viaPrisma(), agent.actor, { account: account.id })).items.find((x) => x.id === i.id));
    expect(i).toMatchObject({ status: "new", priority: "high", account: { id: account.id, name: "Globex", tier: "gold" }, postedBy: { id: agent.user.id, name: "Sam Support" }, integration: null });
    expect(i.tags.map((t) => `${t.kind}:${t.name}`)).toEqual([...i.tags.map((t) => `${t.kind}:${t.name}`)].sort());
    expect(i.tags[0]!.kind).toBe("product");
    const row = await app.atrium.db.insight.findUniqueOrThrow({
      where: { id: i.id },
      select: {
        accountId: true, sourceUrl: true, postedById: true, integrationId: true, externalId: true, sentimentAuto: true, sentimentLabel: true, priority: true, matchedRuleIds: true, createdAt: true, ackDueAt: true, resolveDueAt: true,
        routes: { select: { teamId: true, ruleId: true, createdAt: true } },
      },
    });
    expect(row).toEqual({
      accountId: account.id, sourceUrl: "https://x.com/globex/status/9", postedById: agent.user.id, integrationId: null, externalId: null, sentimentAuto: "negative", sentimentLabel: "negative", priority: "high",
      matchedRuleIds: JSON.stringify([billingRuleId]), createdAt: now, ackDueAt: new Date(now.getTime() + 30 * 60_000), resolveDueAt: new Date(now.getTime() + 24 * 3_600_000),
      routes: [{ teamId: finance.team.id, ruleId: billingRuleId, createdAt: now }],
    });
    expect(await events(i.id)).toEqual([
      { type: "created", actorId: agent.user.id, fromValue: null, toValue: null, note: "", createdAt: now },
      { type: "routed", actorId: null, fromValue: null, toValue: "Finance Operations", note: "Matched: Billing complaints.", createdAt: now },
    ]);
  });

  test("no rule matching: the triage team, the triage clock, normal priority and no rule on the route", async () => {
    clock.advance(60_000);
    const now = clock.now();
    const i = await post({ text: "Lovely staff in the Leeds store", topics: [], accountId: null, channel: "store" });
    const settings = await app.atrium.db.insightSettings.findUniqueOrThrow({ where: { id: "global" } });
    expect(i).toMatchObject({ account: null, priority: "normal", teams: [{ id: settings.triageTeamId, name: "Triage" }] });
    expect(i.ackDueAt).toBe(new Date(now.getTime() + settings.triageAckMinutes * 60_000).toISOString());
    expect(i.resolveDueAt).toBe(new Date(now.getTime() + settings.triageResolveMinutes * 60_000).toISOString());
    const row = await app.atrium.db.insight.findUniqueOrThrow({ where: { id: i.id }, select: { matchedRuleIds: true, routes: { select: { ruleId: true } } } });
    expect(row).toEqual({ matchedRuleIds: "[]", routes: [{ ruleId: null }] });
    expect((await events(i.id)).map((e) => e.note)).toEqual(["", "No rule matched: sent to triage."]);
  });

  test("an ingested insight names its integration and poster; the routed event carries the summary and the teams", async () => {
    const { secret } = await app.atrium.domain.apiTokens.createApiToken(admin.actor, { name: "Zendesk bridge", kind: "integration", scope: "insights" });
    const auth = await app.atrium.domain.apiTokens.authenticateToken(secret);
    const routed = collect("insight.routed");
    const r = await d().ingestInsight(auth, { externalId: "z-1", text: "Invoice wrong, charged twice. Awful.", channel: "email", account: account.id, topics: ["billing"], postedByEmail: agent.user.email });
    routed.off();
    expect(r.duplicate).toBe(false);
    const i = (r as { insight: Awaited<ReturnType<typeof post>> }).insight;
    expect(i).toMatchObject({ integration: { id: auth.token.id, name: "Zendesk bridge" }, postedBy: { id: agent.user.id }, account: { id: account.id } });
    expect(i).toEqual((await d().listInsights(agent.actor, { channel: "email" })).items.find((x) => x.id === r.id));
    expect(routed.seen).toEqual([{ insight: i, teamIds: [finance.team.id] }]);
    const [created] = await events(r.id);
    expect(created).toMatchObject({ actorId: agent.user.id, note: 'Received from the integration "Zendesk bridge".' });
    expect(await app.atrium.db.insight.findUniqueOrThrow({ where: { id: r.id }, select: { externalId: true, integrationId: true } })).toEqual({ externalId: "z-1", integrationId: auth.token.id });
    // A repeat answers with the first; an unknown account, or a poster no longer active, writes nothing.
    const before = await app.atrium.db.insight.count();
    expect(await d().ingestInsight(auth, { externalId: "z-1", text: "again", channel: "email" })).toEqual({ id: r.id, duplicate: true });
    await expect(d().ingestInsight(auth, { externalId: "z-2", text: "hi", channel: "email", account: "Initech" })).rejects.toMatchObject({
      status: 422,
      fieldErrors: { account: ['Unknown account "Initech". An admin adds accounts under Admin → Insight routing → Accounts.'] },
    });
    const gone = await makeUser(app.atrium);
    await app.atrium.db.user.update({ where: { id: gone.user.id }, data: { active: false } });
    await expect(d().ingestInsight(auth, { externalId: "z-3", text: "hi", channel: "email", postedByEmail: gone.user.email })).rejects.toMatchObject({
      status: 422,
      fieldErrors: { postedByEmail: ["No active person has this email."] },
    });
    await expect(d().ingestInsight(auth, ["z-4"])).rejects.toMatchObject({ status: 400, code: "invalid_json" });
    expect(await app.atrium.db.insight.count()).toBe(before);
  });

  test("refusals say why and write nothing; an ingested insight without account or poster has neither; a repeat, through either read, adds no tag", async () => {
    const { secret } = await app.atrium.domain.apiTokens.createApiToken(admin.actor, { name: "Zendesk bridge", kind: "integration", scope: "insights" });
    const auth = await app.atrium.domain.apiTokens.authenticateToken(secret);
    const rw = await app.atrium.domain.apiTokens.createApiToken(admin.actor, { name: "direct", kind: "integration", scope: "write" });
    const rwAuth = await app.atrium.domain.apiTokens.authenticateToken(rw.secret);
    const counts = async () => ({ insights: await app.atrium.db.insight.count(), skills: await app.atrium.db.skill.count(), events: await app.atrium.db.insightEvent.count() });
    const before = await counts();
    await expect(post({ accountId: "no-such-account", topics: ["new on a refused post"] })).rejects.toMatchObject({ status: 422, fieldErrors: { accountId: ["Choose an existing account."] } });
    await expect(d().ingestInsight(rwAuth, { externalId: "w-1", text: "hi", channel: "email" })).rejects.toMatchObject({ status: 403, message: "This token may not send insights." });
    const bodies: unknown[] = [null, "just text", 42, ["z-4"]];
    for (const body of bodies) {
      await expect(d().ingestInsight(auth, body)).rejects.toMatchObject({ status: 400, code: "invalid_json", message: "The body must be one JSON object." });
    }
    expect(await counts()).toEqual(before);

    const r = (await d().ingestInsight(auth, { externalId: "z-1", text: "Lovely staff in the Leeds store", channel: "store" })) as { id: string; duplicate: boolean; insight: Awaited<ReturnType<typeof post>> };
    expect(r.duplicate).toBe(false);
    expect(r.insight).toMatchObject({ account: null, postedBy: null, integration: { id: auth.token.id, name: "Zendesk bridge" } });
    expect(await app.atrium.db.insight.findUniqueOrThrow({ where: { id: r.id }, select: { accountId: true, postedById: true } })).toEqual({ accountId: null, postedById: null });
    const stored = await counts();
    const repeat = { externalId: "z-1", text: "Lovely staff again", channel: "store", topics: ["a topic never seen"] };
    expect(await d().ingestInsight(auth, repeat)).toEqual({ id: r.id, duplicate: true });
    expect(await insights.ingestInsight(viaPrisma(), auth, repeat)).toEqual({ id: r.id, duplicate: true });
    expect(await counts()).toEqual(stored);
    const viaPrismaReads = await insights.ingestInsight(viaPrisma(), auth, { ...repeat, externalId: "z-2" });
    expect(viaPrismaReads.duplicate).toBe(false);
    expect(viaPrismaReads.id).not.toBe(r.id);
  });

  test("two deliveries of one external id racing past the first read: one insight is stored, the other answers with it as a repeat, through either write", async () => {
    const { secret } = await app.atrium.domain.apiTokens.createApiToken(admin.actor, { name: "Zendesk bridge", kind: "integration", scope: "insights" });
    const auth = await app.atrium.domain.apiTokens.authenticateToken(secret);
    for (const [n, c] of [ctx, { ...ctx, reads: undefined, writes: undefined }].entries()) {
      const externalId = `race-${n}`;
      // Both calls ask for the external id before either writes: the second is refused by the unique index.
      const answers = await Promise.all([
        insights.ingestInsight(c, auth, { externalId, text: COMPLAINT, channel: "email", topics: ["billing"] }),
        insights.ingestInsight(c, auth, { externalId, text: "The same ticket, delivered twice.", channel: "email" }),
      ]);
      // Whichever wrote first is the insight; the other answers like a retry.
      const stored = answers.find((a) => !a.duplicate)!;
      expect(stored).toMatchObject({ duplicate: false, insight: { id: stored.id } });
      expect(answers.filter((a) => a !== stored)).toEqual([{ id: stored.id, duplicate: true }]);
      const rows = await app.atrium.db.insight.findMany({ where: { externalId }, select: { id: true, text: true } });
      expect(rows).toEqual([{ id: stored.id, text: "insight" in stored ? stored.insight.text : "" }]);
      expect(await app.atrium.db.insightEvent.count({ where: { insightId: stored.id } })).toBe(2);
    }
  });

  test("a failure after the insight is stored is reported, not answered as a repeat", async () => {
    const { secret } = await app.atrium.domain.apiTokens.createApiToken(admin.actor, { name: "Zendesk bridge", kind: "integration", scope: "insights" });
    const auth = await app.atrium.domain.apiTokens.authenticateToken(secret);
    const bus = Object.assign(Object.create(ctx.bus), {
      publish: (event: string, payload: unknown) => (event === "insight.routed" ? Promise.reject(new Error("The bus is down.")) : ctx.bus.publish(event as any, payload as any)),
    });
    await expect(() => insights.ingestInsight({ ...ctx, bus }, auth, { externalId: "bus-down", text: COMPLAINT, channel: "email" })).rejects.toThrow("The bus is down.");
    expect(await app.atrium.db.insight.count({ where: { externalId: "bus-down" } })).toBe(1);
  });

  test("each member of the routed teams is told once, with the insight's title; the poster is not", async () => {
    const desk = await makeTeam(app.atrium, admin.actor, "Gift Desk", ["Gil"]);
    const care = await makeTeam(app.atrium, admin.actor, "Card Care", ["Cat"]);
    const both = desk.members[0]!;
    await app.atrium.domain.org.setTeamMembership(admin.actor, care.team.id, both.user.id, true);
    await app.atrium.domain.routingRules.createRule(admin.actor, { name: "Gift cards", enabled: true, teamIds: [desk.team.id, care.team.id], ackWithin: "1h", resolveWithin: "1d", conditions: { products: ["giftcards"] } });
    const text = `My gift card does not work and nobody answers. ${"Really awful. ".repeat(30)}`;
    const created = collect("notification.created");
    const i = await post({ text, products: ["giftcards"], topics: [] }, care.members[0]!.actor);
    created.off();
    expect(i.teams.map((t) => t.name)).toEqual(["Gift Desk", "Card Care"]);
    const expected = { type: "insight.routed", title: "New negative insight from Globex for Gift Desk, Card Care", body: text.slice(0, 300), link: `/insights/${i.id}`, readAt: null };
    for (const u of [both, desk.lead, care.lead]) expect(await notes(u.user.id, `/insights/${i.id}`)).toEqual([expected]);
    expect(await notes(care.members[0]!.user.id, `/insights/${i.id}`)).toEqual([]);
    expect(created.seen.map((p) => p.userId).sort()).toEqual([both.user.id, desk.lead.user.id, care.lead.user.id].sort());
    expect(created.seen[0].notification).toMatchObject({ type: "insight.routed", link: `/insights/${i.id}`, body: text.slice(0, 300) });
  });
});

describe("routed notifications fold within ten minutes", () => {
  test("an unread one absorbs the next up to exactly ten minutes after it was written, whether remembered or read from the database", async () => {
    const returns = await makeTeam(app.atrium, admin.actor, "Returns", ["Rita", "Rob"]);
    await app.atrium.domain.routingRules.createRule(admin.actor, { name: "Returns", enabled: true, teamIds: [returns.team.id], ackWithin: "1h", resolveWithin: "1d", conditions: { products: ["returns"] } });
    const rita = returns.members[0]!.user.id;
    const send = (c: Ctx, n: number) => insights.createInsight(c, agent.actor, { text: `Return label missing, order ${n}`, channel: "email", products: ["returns"] });
    clock.advance(3_600_000);
    const first = await send(ctx, 1);
    expect(await notes(rita)).toEqual([{ type: "insight.routed", title: "New negative insight for Returns", body: "Return label missing, order 1", link: `/insights/${first.id}`, readAt: null }]);
    clock.advance(insights.ROUTED_GROUP_WINDOW_MS);
    await send(ctx, 2);
    expect(await notes(rita)).toEqual([{ type: "insight.routed.group", title: "2 new insights for your teams", body: "Latest: Return label missing, order 2", link: "/insights/inbox", readAt: null }]);
    // Another instance (its own memory) finds the same unread notification in the database.
    await send({ ...ctx }, 3);
    expect((await notes(rita)).map((n) => n.title)).toEqual(["3 new insights for your teams"]);
    await send({ ...ctx }, 4);
    expect((await notes(rita)).map((n) => n.title)).toEqual(["4 new insights for your teams"]);
    // One millisecond later it is out of the window: a notification of its own, here and elsewhere.
    clock.advance(1);
    await send(ctx, 5);
    await send({ ...ctx }, 6);
    expect(await notes(rita)).toEqual([
      { type: "insight.routed.group", title: "4 new insights for your teams", body: "Latest: Return label missing, order 4", link: "/insights/inbox", readAt: null },
      { type: "insight.routed.group", title: "2 new insights for your teams", body: "Latest: Return label missing, order 6", link: "/insights/inbox", readAt: null },
    ]);
    // Read here: the next is a notification of its own straight away.
    // Everyone told about the same insight at once folds alike.
    expect(await notes(returns.members[1]!.user.id)).toEqual(await notes(rita));
    await app.atrium.domain.notifications.markAllRead(returns.members[0]!.actor);
    const seventh = await send(ctx, 7);
    expect((await notes(rita)).filter((n) => !n.readAt)).toEqual([{ type: "insight.routed", title: "New negative insight for Returns", body: "Return label missing, order 7", link: `/insights/${seventh.id}`, readAt: null }]);
  });
});

describe("routed notifications read from the database", () => {
  test("the newest unread routed notification absorbs the next; other kinds of notification never do", async () => {
    const parcels = await makeTeam(app.atrium, admin.actor, "Parcels", ["Pam"]);
    await app.atrium.domain.routingRules.createRule(admin.actor, { name: "Parcels", enabled: true, teamIds: [parcels.team.id], ackWithin: "1h", resolveWithin: "1d", conditions: { products: ["parcels"] } });
    const pam = parcels.members[0]!.user.id;
    clock.advance(3_600_000);
    const at = (ms: number) => new Date(clock.now().getTime() - ms);
    const send = (n: number) => insights.createInsight({ ...ctx }, agent.actor, { text: `Parcel missing, order ${n}`, channel: "email", products: ["parcels"] });
    // Unread but not about routed insights: a notification of its own.
    await app.atrium.db.notification.create({ data: { userId: pam, type: "team.joined", title: "You joined", link: "/people", createdAt: at(1000) } });
    const first = await send(1);
    expect((await notes(pam)).map((n) => [n.type, n.link])).toEqual([["insight.routed", `/insights/${first.id}`]]);
    await app.atrium.db.notification.updateMany({ where: { userId: pam }, data: { readAt: clock.now() } });
    // Two unread ones (as two instances racing can leave): the newer one, then the later id within a millisecond.
    const older = await app.atrium.db.notification.create({ data: { userId: pam, type: "insight.routed.group", title: "5 new insights for your teams", link: "/insights/inbox", createdAt: at(2000) } });
    const a = await app.atrium.db.notification.create({ data: { userId: pam, type: "insight.routed.group", title: "new insights for your teams", link: "/insights/inbox", createdAt: at(1000) } });
    const b = await app.atrium.db.notification.create({ data: { userId: pam, type: "insight.routed.group", title: "new insights for your teams", link: "/insights/inbox", createdAt: at(1000) } });
    const newest = a.id > b.id ? a : b;
    await send(2);
    const byId = async (id: string) => (await app.atrium.db.notification.findUniqueOrThrow({ where: { id }, select: { title: true, body: true } }));
    expect(await byId(newest.id)).toEqual({ title: "2 new insights for your teams", body: "Latest: Parcel missing, order 2" });
    expect(await byId(older.id)).toEqual({ title: "5 new insights for your teams", body: "" });
    expect(await byId(newest === a ? b.id : a.id)).toEqual({ title: "new insights for your teams", body: "" });
  });
});

describe("recording: the routing decision, and who is told", () => {
  test("with every match, the timeline names each matching rule and lists each of their teams; an account's tier and a customer topic each pick their rule", async () => {
    const gold = await makeTeam(app.atrium, admin.actor, "Gold Care", ["Goldie"]);
    const refunds = await makeTeam(app.atrium, admin.actor, "Refund Desk", ["Ruth"]);
    const rules = app.atrium.domain.routingRules;
    const settings = await rules.getSettings(admin.actor);
    await rules.updateSettings(admin.actor, { matchMode: "every", triageTeamId: settings.triageTeamId, triageAckWithin: "2h", triageResolveWithin: "3d" });
    const goldRule = await rules.createRule(admin.actor, { name: "Gold accounts", enabled: true, teamIds: [gold.team.id], ackWithin: "2h", resolveWithin: "2d", conditions: { tiers: ["gold"] } });
    const refundRule = await rules.createRule(admin.actor, { name: "Refunds asked", enabled: true, teamIds: [refunds.team.id], ackWithin: "2h", resolveWithin: "2d", conditions: { customerTopics: ["refund-billing"] } });
    const silver = await makeAccount(app.atrium, admin.actor, "Initech", "silver");

    const i = await post({ text: "I want a refund: you charged me twice for the same order. Terrible." });
    expect(i.teams.map((t) => t.name)).toEqual(["Finance Operations", "Gold Care", "Refund Desk"]);
    expect((await events(i.id))[1]).toMatchObject({ type: "routed", toValue: "Finance Operations, Gold Care, Refund Desk", note: "Matched: Billing complaints, Gold accounts, Refunds asked." });
    const row = await app.atrium.db.insight.findUniqueOrThrow({ where: { id: i.id }, select: { matchedRuleIds: true } });
    expect(JSON.parse(row.matchedRuleIds)).toEqual([billingRuleId, goldRule.id, refundRule.id]);
    // A silver account's insight about something else: no rule.
    const j = await post({ text: "Lovely staff in the Leeds store", topics: [], accountId: silver.id, channel: "store" });
    expect(j.teams.map((t) => t.name)).toEqual(["Triage"]);
    // The same words from a gold account: its tier's rule alone.
    const k = await post({ text: "Lovely staff in the Leeds store", topics: [], channel: "store" });
    expect(k.teams.map((t) => t.name)).toEqual(["Gold Care"]);
    expect((await events(k.id))[1]).toMatchObject({ toValue: "Gold Care", note: "Matched: Gold accounts." });
  });

  test("an ingested insight without a poster tells every member of the routed team", async () => {
    const { secret } = await app.atrium.domain.apiTokens.createApiToken(admin.actor, { name: "Zendesk bridge", kind: "integration", scope: "insights" });
    const auth = await app.atrium.domain.apiTokens.authenticateToken(secret);
    const r = (await d().ingestInsight(auth, { externalId: "np-1", text: COMPLAINT, channel: "email", account: account.id, topics: ["billing"] })) as { id: string; insight: Awaited<ReturnType<typeof post>> };
    expect(r.insight).toMatchObject({ postedBy: null, teams: [{ id: finance.team.id, name: "Finance Operations" }] });
    for (const u of [finance.lead, ...finance.members]) {
      expect((await notes(u.user.id, `/insights/${r.id}`)).map((n) => n.title)).toEqual(["New negative insight from Globex for Finance Operations"]);
    }
  });

  test("a folded notification keeps counting on the instance that wrote it, and says only the first 300 characters of the latest insight; a fresh one's title is cut at 200", async () => {
    const longName = `${"Very Long Customer Name ".repeat(4)}Limited`;
    await app.atrium.domain.insights.updateAccount(admin.actor, account.id, { name: longName, segment: "Enterprise", tier: "gold" });
    const ledger = await makeTeam(app.atrium, admin.actor, "Ledger Reconciliation, Statements and Supplier Payments");
    await app.atrium.domain.routingRules.createRule(admin.actor, { name: "Ledgers", enabled: true, teamIds: [finance.team.id, ledger.team.id], ackWithin: "1h", resolveWithin: "1d", conditions: { products: ["ledger"] } });
    const femi = finance.members[0]!.user.id;
    clock.advance(3_600_000);
    const text = (n: number) => `Ledger ${n} is wrong again. Terrible, I'm furious. ${"The totals never add up. ".repeat(14)}`;
    const send = (n: number) => post({ text: text(n), products: ["ledger"], topics: [] });
    const first = await send(1);
    const title = `New negative insight from ${longName} for Finance Operations, Ledger Reconciliation, Statements and Supplier Payments`;
    expect(title.length).toBeGreaterThan(200);
    expect(await notes(femi)).toEqual([{ type: "insight.routed", title: title.slice(0, 200), body: text(1).slice(0, 300), link: `/insights/${first.id}`, readAt: null }]);
    await send(2);
    await send(3);
    expect(await notes(femi)).toEqual([{ type: "insight.routed.group", title: "3 new insights for your teams", body: `Latest: ${text(3).slice(0, 300)}`, link: "/insights/inbox", readAt: null }]);
  });

  for (const through of ["prepared SQL", "Prisma"] as const) {
    test(`a notification read on another instance (through ${through}) is not folded into: that person gets a fresh one, the others' fold`, async () => {
      const c: Ctx = through === "Prisma" ? { ...ctx, writes: undefined } : ctx;
      const returns = await makeTeam(app.atrium, admin.actor, "Returns", ["Rita", "Rob"]);
      await app.atrium.domain.routingRules.createRule(admin.actor, { name: "Returns", enabled: true, teamIds: [returns.team.id], ackWithin: "1h", resolveWithin: "1d", conditions: { products: ["returns"] } });
      const [rita, rob] = returns.members.map((m) => m.user.id) as [string, string];
      const send = (n: number) => insights.createInsight(c, agent.actor, { text: `Return label missing, order ${n}`, channel: "email", products: ["returns"] });
      clock.advance(3_600_000);
      // Notifications of other kinds, one read (Rita's) and one unread (Femi's, not routed here): neither is touched.
      const other = { type: "doc.mention", title: "You were mentioned", link: "/people", createdAt: clock.now() };
      await app.atrium.db.notification.create({ data: { ...other, userId: rita, readAt: clock.now() } });
      const femi = finance.members[0]!.user.id;
      await app.atrium.db.notification.create({ data: { ...other, userId: femi } });
      const first = await send(1);
      // Rob reads it elsewhere: no event reaches this instance, whose memory still holds it unread.
      await app.atrium.db.notification.updateMany({ where: { userId: rob }, data: { readAt: clock.now() } });
      const second = await send(2);
      expect(await notes(rita)).toEqual([{ type: "insight.routed.group", title: "2 new insights for your teams", body: "Latest: Return label missing, order 2", link: "/insights/inbox", readAt: null }]);
      expect(await notes(rob)).toEqual([
        { type: "insight.routed", title: "New negative insight for Returns", body: "Return label missing, order 1", link: `/insights/${first.id}`, readAt: clock.now() },
        { type: "insight.routed", title: "New negative insight for Returns", body: "Return label missing, order 2", link: `/insights/${second.id}`, readAt: null },
      ]);
      await send(3);
      expect((await notes(rita)).map((n) => n.title)).toEqual(["3 new insights for your teams"]);
      expect((await notes(rob)).map((n) => [n.title, n.body])).toEqual([
        ["New negative insight for Returns", "Return label missing, order 1"],
        ["2 new insights for your teams", "Latest: Return label missing, order 3"],
      ]);
      const others = await app.atrium.db.notification.findMany({ where: { type: "doc.mention" }, orderBy: { userId: "asc" }, select: { userId: true, title: true, readAt: true } });
      expect(others).toEqual([{ userId: rita, title: "You were mentioned", readAt: expect.any(Date) }, { userId: femi, title: "You were mentioned", readAt: null }].sort((a, b) => a.userId.localeCompare(b.userId)));
    });
  }

  test("from the database, the newest unread one absorbs the next even when it was written before an older one", async () => {
    const returns = await makeTeam(app.atrium, admin.actor, "Returns", ["Rita"]);
    await app.atrium.domain.routingRules.createRule(admin.actor, { name: "Returns", enabled: true, teamIds: [returns.team.id], ackWithin: "1h", resolveWithin: "1d", conditions: { products: ["returns"] } });
    const rita = returns.members[0]!.user.id;
    clock.advance(3_600_000);
    const note = (title: string, ms: number) => app.atrium.db.notification.create({ data: { userId: rita, type: "insight.routed.group", title, link: "/insights/inbox", createdAt: new Date(clock.now().getTime() - ms) } });
    const newer = await note("4 new insights for your teams", 1000);
    const older = await note("7 new insights for your teams", 2000);
    await insights.createInsight({ ...ctx }, agent.actor, { text: "Return label missing", channel: "email", products: ["returns"] });
    const title = async (id: string) => (await app.atrium.db.notification.findUniqueOrThrow({ where: { id }, select: { title: true } })).title;
    expect([await title(newer.id), await title(older.id)]).toEqual(["5 new insights for your teams", "7 new insights for your teams"]);
  });

  test("two insights with no words to go by (short words and numbers only) cluster by the tags they share, whichever kind", async () => {
    const a = await post({ text: "Is it 42?", topics: ["Billing"] });
    const b = await post({ text: "Was it 42?", topics: ["Billing"] });
    const c = await post({ text: "Is it 7?", topics: [], products: ["Billing"] });
    const other = await post({ text: "Or 9?", topics: ["Refunds"] });
    expect(a.clusterId).toBeNull();
    expect(b.clusterId).not.toBeNull();
    expect(c.clusterId).toBe(b.clusterId);
    expect(other.clusterId).toBeNull();
    const rows = await app.atrium.db.insight.findMany({ where: { id: { in: [a.id, b.id, c.id, other.id] } }, select: { id: true, clusterId: true } });
    expect(new Map(rows.map((r) => [r.id, r.clusterId]))).toEqual(new Map([[a.id, b.clusterId], [b.id, b.clusterId], [c.id, b.clusterId], [other.id, null]]));
  });

  test("folding touches only the routed people's notifications; a count of two digits goes on counting", async () => {
    const returns = await makeTeam(app.atrium, admin.actor, "Returns", ["Rita"]);
    await app.atrium.domain.routingRules.createRule(admin.actor, { name: "Returns", enabled: true, teamIds: [returns.team.id], ackWithin: "1h", resolveWithin: "1d", conditions: { products: ["returns"] } });
    const rita = returns.members[0]!.user.id;
    const femi = finance.members[0]!.user.id;
    clock.advance(3_600_000);
    const billing = await post();
    const before = await notes(femi);
    expect(before.map((n) => n.link)).toEqual([`/insights/${billing.id}`]);
    await app.atrium.db.notification.create({ data: { userId: rita, type: "insight.routed.group", title: "12 new insights for your teams", link: "/insights/inbox", createdAt: clock.now() } });
    await insights.createInsight({ ...ctx }, agent.actor, { text: "Return label missing", channel: "email", products: ["returns"] });
    expect((await notes(rita)).map((n) => n.title)).toEqual(["13 new insights for your teams"]);
    expect(await notes(femi)).toEqual(before);
  });
});

describe("changing an insight", () => {
  test("each step writes its status, times and timeline, and tells the poster who did it", async () => {
    const femi = finance.members[0]!;
    const long = `${COMPLAINT} ${"The totals never add up. ".repeat(12)}`;
    const a = await post({ text: long });
    const b = await post();
    const c = await post();
    const updated = collect("insight.updated");
    clock.advance(5 * 60_000);
    const t1 = clock.now();
    await d().transitionInsight(femi.actor, a.id, { to: "acknowledged" });
    await d().transitionInsight(femi.actor, b.id, { to: "in_progress" });
    await d().transitionInsight(admin.actor, c.id, { to: "declined", note: "Known case" });
    updated.off();
    expect(updated.seen.map((p) => [p.insight.id, p.insight.status, p.change, p.teamIds])).toEqual([
      [a.id, "acknowledged", "acknowledged", [finance.team.id]],
      [b.id, "in_progress", "in_progress", [finance.team.id]],
      [c.id, "declined", "declined", [finance.team.id]],
    ]);
    const row = (id: string) => app.atrium.db.insight.findUniqueOrThrow({ where: { id }, select: { status: true, acknowledgedAt: true, acknowledgedById: true, resolvedAt: true, resolutionNote: true } });
    expect(await row(a.id)).toEqual({ status: "acknowledged", acknowledgedAt: t1, acknowledgedById: femi.user.id, resolvedAt: null, resolutionNote: "" });
    expect(await row(b.id)).toEqual({ status: "in_progress", acknowledgedAt: t1, acknowledgedById: femi.user.id, resolvedAt: null, resolutionNote: "" });
    expect(await row(c.id)).toEqual({ status: "declined", acknowledgedAt: t1, acknowledgedById: admin.user.id, resolvedAt: t1, resolutionNote: "Known case" });
    expect((await events(a.id)).slice(2)).toEqual([{ type: "acknowledged", actorId: femi.user.id, fromValue: "new", toValue: "acknowledged", note: "", createdAt: t1 }]);
    expect((await events(b.id)).slice(2)).toEqual([
      { type: "acknowledged", actorId: femi.user.id, fromValue: "new", toValue: "acknowledged", note: "", createdAt: t1 },
      { type: "in_progress", actorId: femi.user.id, fromValue: "new", toValue: "in_progress", note: "", createdAt: t1 },
    ]);
    expect((await events(c.id)).slice(2).map((e) => [e.type, e.fromValue, e.toValue, e.note])).toEqual([["acknowledged", "new", "acknowledged", ""], ["declined", "new", "declined", "Known case"]]);
    expect(await notes(agent.user.id, `/insights/${a.id}`)).toEqual([{ type: "insight.acknowledged", title: "Femi acknowledged the insight you posted", body: long.slice(0, 200), link: `/insights/${a.id}`, readAt: null }]);
    expect((await notes(agent.user.id, `/insights/${b.id}`)).map((n) => n.title)).toEqual(["Femi is working on the insight you posted"]);
    expect((await notes(agent.user.id, `/insights/${c.id}`)).map((n) => [n.type, n.title, n.body])).toEqual([["insight.declined", "Ada Admin declined the insight you posted", "Known case"]]);

    // Reopened: acknowledged again with the first acknowledgement kept, and a fresh resolution clock of the same length.
    await app.atrium.db.insight.update({ where: { id: c.id }, data: { resolveBreachedAt: clock.now() } });
    clock.advance(3 * 3_600_000);
    const t2 = clock.now();
    await d().transitionInsight(femi.actor, c.id, { to: "reopened", note: "Not a known case after all" });
    expect(await app.atrium.db.insight.findUniqueOrThrow({ where: { id: c.id }, select: { status: true, acknowledgedAt: true, acknowledgedById: true, resolvedAt: true, resolutionNote: true, resolveBreachedAt: true, resolveDueAt: true } })).toEqual({
      status: "acknowledged", acknowledgedAt: t1, acknowledgedById: admin.user.id, resolvedAt: null, resolutionNote: "", resolveBreachedAt: null, resolveDueAt: new Date(t2.getTime() + 24 * 3_600_000),
    });
    expect((await events(c.id)).at(-1)).toEqual({ type: "reopened", actorId: femi.user.id, fromValue: "declined", toValue: "acknowledged", note: "Not a known case after all", createdAt: t2 });
    expect((await notes(agent.user.id, `/insights/${c.id}`)).at(-1)).toMatchObject({ type: "insight.reopened", title: "Femi reopened the insight you posted", body: "Not a known case after all" });
  });

  test("reopening acknowledges nothing by itself and keeps the length of the resolve clock, to the minute, or none", async () => {
    const femi = finance.members[0]!;
    const i = await post();
    const j = await post();
    // As imported records can be: declined without an acknowledgement; resolve clocks of 90 minutes and 20 seconds, and none.
    const created = new Date(i.createdAt).getTime();
    await app.atrium.db.insight.update({ where: { id: i.id }, data: { status: "declined", resolvedAt: clock.now(), resolveDueAt: new Date(created + 90 * 60_000 + 20_000) } });
    await app.atrium.db.insight.update({ where: { id: j.id }, data: { status: "resolved", resolvedAt: clock.now(), resolveDueAt: null } });
    clock.advance(60_000);
    await d().transitionInsight(femi.actor, i.id, { to: "reopened" });
    await d().transitionInsight(femi.actor, j.id, { to: "reopened" });
    const row = (id: string) => app.atrium.db.insight.findUniqueOrThrow({ where: { id }, select: { status: true, acknowledgedAt: true, acknowledgedById: true, resolveDueAt: true } });
    expect(await row(i.id)).toEqual({ status: "acknowledged", acknowledgedAt: null, acknowledgedById: null, resolveDueAt: new Date(clock.now().getTime() + 90 * 60_000) });
    expect(await row(j.id)).toEqual({ status: "acknowledged", acknowledgedAt: null, acknowledgedById: null, resolveDueAt: null });
    expect((await events(i.id)).slice(2).map((e) => e.type)).toEqual(["reopened"]);
  });

  test("a person handling an insight they posted is not notified of their own step", async () => {
    const fran = finance.members[1]!;
    const i = await post({}, fran.actor);
    const before = await notes(fran.user.id, `/insights/${i.id}`);
    await d().transitionInsight(fran.actor, i.id, { to: "acknowledged" });
    expect(await notes(fran.user.id, `/insights/${i.id}`)).toEqual(before);
    expect(before).toEqual([]);
  });

  test("a step the status does not allow, or one someone else took first, is refused and writes nothing", async () => {
    const femi = finance.members[0]!;
    const i = await post();
    await d().transitionInsight(femi.actor, i.id, { to: "in_progress" });
    const state = async () => ({
      row: await app.atrium.db.insight.findUniqueOrThrow({ where: { id: i.id }, select: { status: true, acknowledgedAt: true, resolvedAt: true } }),
      events: await events(i.id),
      notes: await notes(agent.user.id, `/insights/${i.id}`),
    });
    const before = await state();
    expect(before.events.length).toBe(4);
    await expect(d().transitionInsight(femi.actor, i.id, { to: "acknowledged" })).rejects.toMatchObject({
      status: 422,
      message: "This insight is already in progress.",
      fieldErrors: { to: ["It is in progress: it cannot be acknowledged now."] },
    });
    await expect(d().transitionInsight(femi.actor, i.id, { to: "reopened" })).rejects.toMatchObject({ status: 422, fieldErrors: { to: ["It is in progress: it cannot be reopened now."] } });
    await expect(d().transitionInsight(femi.actor, i.id, { to: "in_progress" })).rejects.toMatchObject({ status: 422, fieldErrors: { to: ["It is in progress: it cannot be in progress now."] } });
    await expect(d().transitionInsight(agent.actor, i.id, { to: "resolved", note: "done" })).rejects.toMatchObject({ status: 403 });
    await expect(d().transitionInsight(femi.actor, "no-such-insight", { to: "acknowledged" })).rejects.toMatchObject({ status: 404, message: "That insight was not found." });
    expect(await state()).toEqual(before);

    // Someone else moves it between this verb's read and its write: the guarded update matches nothing.
    const racing = new Proxy(ctx.db, {
      get(db, key) {
        if (key !== "insight") return Reflect.get(db, key);
        return new Proxy(db.insight, {
          get(model, k) {
            if (k !== "updateMany") return Reflect.get(model, k);
            return async (args: object) => {
              await db.insight.update({ where: { id: i.id }, data: { status: "resolved" } });
              return db.insight.updateMany(args as never);
            };
          },
        });
      },
    });
    const moved = await state();
    await expect(insights.transitionInsight({ ...ctx, db: racing }, femi.actor, i.id, { to: "resolved", note: "Credit issued" })).rejects.toMatchObject({
      status: 422,
      message: "Someone else changed it a moment ago.",
      fieldErrors: { to: ["Someone else changed it a moment ago; reload to see its state."] },
    });
    expect((await state()).events).toEqual(moved.events);
    expect((await state()).notes).toEqual(moved.notes);
  });

  test("overriding the sentiment records who and when and tells the poster; choosing the same label writes nothing", async () => {
    const femi = finance.members[0]!;
    const i = await post();
    const updated = collect("insight.updated");
    await d().overrideSentiment(femi.actor, i.id, { label: "negative" });
    expect(updated.seen).toEqual([]);
    expect((await events(i.id)).length).toBe(2);
    clock.advance(60_000);
    await d().overrideSentiment(femi.actor, i.id, { label: "neutral" });
    updated.off();
    expect(updated.seen.map((p) => [p.change, p.insight.sentiment])).toEqual([["sentiment", { score: i.sentiment.score, label: "neutral", auto: "negative", overridden: true }]]);
    expect(await app.atrium.db.insight.findUniqueOrThrow({ where: { id: i.id }, select: { sentimentLabel: true, sentimentAuto: true, sentimentOverriddenById: true, sentimentOverriddenAt: true } })).toEqual({
      sentimentLabel: "neutral", sentimentAuto: "negative", sentimentOverriddenById: femi.user.id, sentimentOverriddenAt: clock.now(),
    });
    expect((await events(i.id)).at(-1)).toEqual({ type: "sentiment_overridden", actorId: femi.user.id, fromValue: "negative", toValue: "neutral", note: "", createdAt: clock.now() });
    expect(await notes(agent.user.id, `/insights/${i.id}`)).toEqual([{ type: "insight.sentiment", title: "Sentiment of your insight changed from negative to neutral", body: "", link: `/insights/${i.id}`, readAt: null }]);
  });

  test("linking stores the ids and a timeline entry, tells the screens but not the poster; a stranger may not link", async () => {
    const femi = finance.members[0]!;
    const i = await post();
    const stranger = await makeUser(app.atrium);
    await expect(d().linkInsight(stranger.actor, i.id, { questionId: "q-1" })).rejects.toMatchObject({ status: 403 });
    expect((await events(i.id)).length).toBe(2);
    const updated = collect("insight.updated");
    await d().linkInsight(femi.actor, i.id, { questionId: "q-1", documentId: "" });
    updated.off();
    expect(updated.seen.map((p) => [p.insight.id, p.change, p.teamIds])).toEqual([[i.id, "linked", [finance.team.id]]]);
    expect(await app.atrium.db.insight.findUniqueOrThrow({ where: { id: i.id }, select: { questionId: true, documentId: true } })).toEqual({ questionId: "q-1", documentId: null });
    expect((await events(i.id)).at(-1)).toEqual({ type: "linked", actorId: femi.user.id, fromValue: null, toValue: JSON.stringify({ questionId: "q-1", documentId: null }), note: "", createdAt: clock.now() });
    expect(await notes(agent.user.id, `/insights/${i.id}`)).toEqual([]);
    expect((await d().getInsight(agent.actor, i.id)).links).toMatchObject({ questionId: "q-1", documentId: null });
  });

  test("re-routing from two teams to one of them: the poster and the new team hear of it, the lead who moved it does not", async () => {
    const north = await makeTeam(app.atrium, admin.actor, "North Desk", ["Nia"]);
    const south = await makeTeam(app.atrium, admin.actor, "South Desk", ["Sid"]);
    await app.atrium.domain.routingRules.createRule(admin.actor, { name: "Desks", enabled: true, teamIds: [north.team.id, south.team.id], ackWithin: "1h", resolveWithin: "1d", conditions: { products: ["desks"] } });
    const text = `The standing desk arrived broken. ${"It wobbles and creaks. ".repeat(12)}`;
    const i = await post({ text, products: ["desks"], topics: [] });
    expect(i.teams.map((t) => t.name)).toEqual(["North Desk", "South Desk"]);
    // Routed (not re-routed) to one team, whose name its timeline holds: not a lead's decision.
    const other = await post();
    expect(other.teams.map((t) => t.name)).toEqual(["Finance Operations"]);
    await expect(d().rerouteInsight(north.members[0]!.actor, i.id, { teamId: north.team.id })).rejects.toMatchObject({
      status: 403,
      message: "Only the lead of a team it was routed to, or an admin, can re-route this insight.",
    });
    await app.atrium.db.notification.deleteMany({ where: { link: `/insights/${i.id}` } });
    const gone = await makeUser(app.atrium);
    await app.atrium.domain.org.setTeamMembership(admin.actor, north.team.id, gone.user.id, true);
    await app.atrium.db.user.update({ where: { id: gone.user.id }, data: { active: false } });
    // Nothing re-routed yet: no suggestion (and the model that learnt nothing is remembered).
    expect((await d().getInsight(north.lead.actor, i.id)).suggestedTeam).toBeNull();
    clock.advance(60_000);
    await d().rerouteInsight(north.lead.actor, i.id, { teamId: north.team.id });
    expect(await notes(gone.user.id, `/insights/${i.id}`)).toEqual([]);
    // Only this insight's routes were replaced; sending it to the team it is with is refused.
    expect(await app.atrium.db.insightRoute.findMany({ where: { insightId: other.id }, select: { teamId: true } })).toEqual([{ teamId: finance.team.id }]);
    await expect(d().rerouteInsight(north.lead.actor, i.id, { teamId: north.team.id })).rejects.toMatchObject({ status: 422, fieldErrors: { teamId: ["It is already with that team."] } });
    expect((await d().getInsight(north.lead.actor, i.id)).suggestedTeam).toMatchObject({ id: north.team.id, name: "North Desk", learnedFrom: 1 });
    expect(await app.atrium.db.insightRoute.findMany({ where: { insightId: i.id }, select: { teamId: true, ruleId: true, createdAt: true } })).toEqual([{ teamId: north.team.id, ruleId: null, createdAt: clock.now() }]);
    expect((await events(i.id)).at(-1)).toEqual({ type: "rerouted", actorId: north.lead.user.id, fromValue: "North Desk, South Desk", toValue: "North Desk", note: "", createdAt: clock.now() });
    expect(await notes(agent.user.id, `/insights/${i.id}`)).toEqual([{ type: "insight.rerouted", title: "The insight you posted was re-routed to North Desk", body: "", link: `/insights/${i.id}`, readAt: null }]);
    expect(await notes(north.members[0]!.user.id, `/insights/${i.id}`)).toEqual([{ type: "insight.routed", title: "An insight was re-routed to North Desk", body: text.slice(0, 200), link: `/insights/${i.id}`, readAt: null }]);
    expect(await notes(north.lead.user.id, `/insights/${i.id}`)).toEqual([]);
    expect(await notes(south.members[0]!.user.id, `/insights/${i.id}`)).toEqual([]);
    // An admin may move it on; the decisions are kept oldest first.
    clock.advance(60_000);
    await d().rerouteInsight(admin.actor, i.id, { teamId: south.team.id, note: "South handles returns" });
    const desks = await app.atrium.db.insightTag.findMany({ where: { insightId: i.id }, select: { skillId: true } });
    expect(desks.length).toBe(1);
    const decision = (teamId: string) => ({ text: text.trim(), tags: [desks[0]!.skillId], teamId });
    expect(await insights.rerouteDecisions(ctx)).toEqual([decision(north.team.id), decision(south.team.id)]);
    // A decision naming a team that no longer goes by that name teaches nothing.
    await app.atrium.db.team.update({ where: { id: north.team.id }, data: { name: "North Desk (old)" } });
    expect(await insights.rerouteDecisions(ctx)).toEqual([decision(south.team.id)]);
    await app.atrium.db.team.update({ where: { id: north.team.id }, data: { name: "North Desk" } });
  });
});

describe("accounts", () => {
  test("listed by name with their insight counts; names are unique; only admins manage them", async () => {
    const member = await makeUser(app.atrium);
    await expect(d().createAccount(member.actor, { name: "Acme" })).rejects.toMatchObject({ status: 403 });
    const acme = await d().createAccount(admin.actor, { name: "Acme", segment: "SMB", tier: "silver" });
    const before = await app.atrium.db.customerAccount.count();
    await expect(d().createAccount(admin.actor, { name: "Acme" })).rejects.toMatchObject({ status: 422, fieldErrors: { name: ["An account with this name already exists."] } });
    expect(await app.atrium.db.customerAccount.count()).toBe(before);
    expect((await app.atrium.db.customerAccount.findUniqueOrThrow({ where: { id: acme.id } })).createdAt).toEqual(clock.now());
    await post();
    const globexCount = await app.atrium.db.insight.count({ where: { accountId: account.id } });
    expect(globexCount).toBeGreaterThan(0);
    const list = await d().listAccounts();
    expect(list.map((a) => a.name)).toEqual(["Acme", "Globex"]);
    expect(list).toEqual([
      { id: acme.id, name: "Acme", segment: "SMB", tier: "silver", insights: 0 },
      { id: account.id, name: "Globex", segment: "Enterprise", tier: "gold", insights: globexCount },
    ]);
  });

  test("an update is refused for an unknown account or a taken name; the ingest API sees a rename at once", async () => {
    const initrode = await d().createAccount(admin.actor, { name: "Initrode", tier: "standard" });
    const { secret } = await app.atrium.domain.apiTokens.createApiToken(admin.actor, { name: "CRM", kind: "integration", scope: "insights" });
    const auth = await app.atrium.domain.apiTokens.authenticateToken(secret);
    const first = await d().ingestInsight(auth, { externalId: "crm-1", text: "Parcel late", channel: "email", account: "Initrode" });
    expect((first as { insight: { account: unknown } }).insight.account).toEqual({ id: initrode.id, name: "Initrode", tier: "standard" });
    await expect(d().updateAccount(admin.actor, "no-such-account", { name: "X" })).rejects.toMatchObject({ status: 404, message: "That account was not found." });
    await expect(d().updateAccount(admin.actor, initrode.id, { name: "Globex" })).rejects.toMatchObject({ status: 422, fieldErrors: { name: ["An account with this name already exists."] } });
    await expect(d().updateAccount(finance.lead.actor, initrode.id, { name: "Initrode" })).rejects.toMatchObject({ status: 403 });
    await d().updateAccount(admin.actor, initrode.id, { name: "Initrode", tier: "strategic" });
    const second = await d().ingestInsight(auth, { externalId: "crm-2", text: "Parcel late again", channel: "email", account: "Initrode" });
    expect((second as { insight: { account: unknown } }).insight.account).toEqual({ id: initrode.id, name: "Initrode", tier: "strategic" });
    await d().updateAccount(admin.actor, initrode.id, { name: "Initrode Global" });
    await expect(d().ingestInsight(auth, { externalId: "crm-3", text: "Parcel late", channel: "email", account: "Initrode" })).rejects.toMatchObject({ status: 422 });
    expect((await app.atrium.db.customerAccount.findUniqueOrThrow({ where: { id: initrode.id } })).name).toBe("Initrode Global");
  });
  test("creating answers with the id and name; a name the ingest API did not know is found as soon as the account exists", async () => {
    const { secret } = await app.atrium.domain.apiTokens.createApiToken(admin.actor, { name: "CRM", kind: "integration", scope: "insights" });
    const auth = await app.atrium.domain.apiTokens.authenticateToken(secret);
    const send = (externalId: string, account: string) => d().ingestInsight(auth, { externalId, text: "Parcel late", channel: "email", account });
    await expect(send("crm-1", "Acme")).rejects.toMatchObject({ status: 422 });
    const acme = await d().createAccount(admin.actor, { name: "Acme" });
    expect(acme).toEqual({ id: expect.any(String), name: "Acme" });
    const r = (await send("crm-1", "Acme")) as { insight: { account: unknown } };
    expect(r.insight.account).toEqual({ id: acme.id, name: "Acme", tier: "standard" });
    const again = (await send("crm-2", "Acme")) as { insight: { account: unknown } };
    expect(again.insight.account).toEqual({ id: acme.id, name: "Acme", tier: "standard" });
  });
  test("another instance's edit of an account reaches this one's ingest API once its memory of the account is 30 seconds old", async () => {
    const { secret } = await app.atrium.domain.apiTokens.createApiToken(admin.actor, { name: "CRM", kind: "integration", scope: "insights" });
    const auth = await app.atrium.domain.apiTokens.authenticateToken(secret);
    const tierOf = async (externalId: string) =>
      ((await d().ingestInsight(auth, { externalId, text: "Parcel late", channel: "email", account: "Globex" })) as { insight: { account: { tier: string } } }).insight.account.tier;
    expect(await tierOf("m-1")).toBe("gold");
    // Another instance's edit: the database changes, this instance's memory is not cleared.
    await app.atrium.db.customerAccount.update({ where: { id: account.id }, data: { tier: "strategic" } });
    expect(await tierOf("m-2")).toBe("gold");
    // The memory runs on the wall clock (it is no data): move it past 30 seconds.
    const wall = vi.spyOn(Date, "now").mockReturnValue(Date.now() + 30_000);
    try {
      expect(await tierOf("m-3")).toBe("strategic");
    } finally {
      wall.mockRestore();
    }
  });
});

describe("tags", () => {
  test("a synonym taken out of the vocabulary stops standing for its skill at once", async () => {
    // A first insight makes the Triage team (a team change, which must leave the tag memory alone).
    await post({ text: "Lovely staff in the Leeds store", topics: [], accountId: null, channel: "store" });
    await app.atrium.domain.skills.addSynonym(admin.actor, { skill: "billing", synonym: "invoicing" });
    expect((await post({ topics: ["Invoicing"] })).tags.map((t) => t.name)).toEqual(["billing"]);
    await app.atrium.domain.skills.removeSynonym(admin.actor, "invoicing");
    expect((await post({ topics: ["Invoicing"] })).tags.map((t) => t.name)).toEqual(["invoicing"]);
  });
});

describe("reading", () => {
  test("the feed's filter lists, through either read: teams, accounts and tags by name, whatever order they were stored in, and only the tags some insight carries", async () => {
    // Created out of name order; a skill people hold but no insight carries.
    await makeTeam(app.atrium, admin.actor, "Accounts Payable", []);
    await makeAccount(app.atrium, admin.actor, "Acme", "silver");
    await app.atrium.db.skill.create({ data: { name: "kubernetes", label: "Kubernetes" } });
    // A tag stored before the others, last by name.
    await app.atrium.db.skill.create({ data: { name: "zendesk", label: "Zendesk" } });
    await post({ topics: ["Billing"], products: ["Mobile App", "Zendesk"] });
    const teams = await app.atrium.db.team.findMany({ select: { id: true, name: true } });
    const byName = <T extends { name: string }>(rows: T[]) => [...rows].sort((a, b) => (a.name < b.name ? -1 : 1));
    for (const c of [ctx, viaPrisma()]) {
      const f = await insights.feedFilters(c);
      expect(f.teams).toEqual(byName(teams));
      expect(f.teams.map((t) => t.name)).toContain("Accounts Payable");
      expect(f.accounts.map((a) => [a.name, a.tier, a.segment])).toEqual([["Acme", "silver", "Enterprise"], ["Globex", "gold", "Enterprise"]]);
      expect(f.tags).toEqual([{ name: "billing", label: "Billing" }, { name: "mobile app", label: "Mobile App" }, { name: "zendesk", label: "Zendesk" }]);
    }
  });

  test("the feed pages 25 at a time, newest first and the later id first within one millisecond, through both reads", async () => {
    clock.advance(3_600_000);
    const ids: string[] = [];
    for (let n = 0; n < 27; n++) {
      if (n % 3 === 0) clock.advance(1);
      ids.push((await post({ text: `Post on LinkedIn about the invoice ${n}`, channel: "linkedin", topics: [] })).id);
    }
    const created = await app.atrium.db.insight.findMany({ where: { id: { in: ids } }, select: { id: true, createdAt: true } });
    const expected = created.sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : -1)).map((r) => r.id);
    for (const c of [ctx, viaPrisma()]) {
      const one = await insights.listInsights(c, agent.actor, { channel: "linkedin" });
      const two = await insights.listInsights(c, agent.actor, { channel: "linkedin", page: "2" });
      expect([one.total, one.page, one.pageSize, one.items.length, two.page, two.items.length]).toEqual([27, 1, 25, 25, 2, 2]);
      expect([...one.items, ...two.items].map((i) => i.id)).toEqual(expected);
    }
  });

  test("the inbox: open insights of the reader's teams, a status when asked, one team when it is theirs, teams by name", async () => {
    const zulu = await makeTeam(app.atrium, admin.actor, "Zulu Care", ["Zoe"]);
    const alpha = await makeTeam(app.atrium, admin.actor, "Alpha Care", []);
    const zoe = zulu.members[0]!;
    await app.atrium.domain.org.setTeamMembership(admin.actor, alpha.team.id, zoe.user.id, true);
    await app.atrium.domain.routingRules.createRule(admin.actor, { name: "Zulu", enabled: true, teamIds: [zulu.team.id], ackWithin: "1h", resolveWithin: "1d", conditions: { products: ["zulu"] } });
    await app.atrium.domain.routingRules.createRule(admin.actor, { name: "Alpha", enabled: true, teamIds: [alpha.team.id], ackWithin: "1h", resolveWithin: "1d", conditions: { products: ["alpha"] } });
    const z1 = await post({ text: "Zulu thing broke", products: ["zulu"], topics: [] });
    const z2 = await post({ text: "Zulu thing broke again", products: ["zulu"], topics: [] });
    const a1 = await post({ text: "Alpha thing broke", products: ["alpha"], topics: [] });
    await d().transitionInsight(zoe.actor, z2.id, { to: "resolved", note: "Fixed" });
    const box = await d().inbox(zoe.actor, {});
    expect(box.teams).toEqual([{ id: alpha.team.id, name: "Alpha Care" }, { id: zulu.team.id, name: "Zulu Care" }]);
    expect(box.items.map((i) => i.id).sort()).toEqual([z1.id, a1.id].sort());
    expect(box.total).toBe(2);
    expect((await d().inbox(zoe.actor, { status: "resolved" })).items.map((i) => i.id)).toEqual([z2.id]);
    expect((await d().inbox(zoe.actor, { team: zulu.team.id, status: "open" })).items.map((i) => i.id)).toEqual([z1.id]);
    // A team that is not theirs narrows nothing: their own teams still.
    expect((await d().inbox(zoe.actor, { team: finance.team.id })).items.map((i) => i.id).sort()).toEqual([z1.id, a1.id].sort());
  });

  test("no filter input at all reads the feed and the inbox as an empty filter does", async () => {
    const i = await post();
    const femi = finance.members[0]!;
    expect(await d().listInsights(agent.actor, undefined)).toEqual(await d().listInsights(agent.actor, {}));
    expect((await d().listInsights(agent.actor, undefined)).items.map((x) => x.id)).toEqual([i.id]);
    expect(await d().inbox(femi.actor, undefined)).toEqual(await d().inbox(femi.actor, {}));
    expect((await d().inbox(femi.actor, undefined)).items.map((x) => x.id)).toEqual([i.id]);
  });

  test("a filter no list could hold (an id of 41 characters) is refused as bad input, naming the field, in the feed and the inbox", async () => {
    const long = "y".repeat(41);
    for (const [field, message] of [["team", "That team is not in the list."], ["tag", "That tag is not in the list."], ["account", "That account is not in the list."], ["issue", "That recurring issue is not in the list."]] as const) {
      for (const read of [() => d().listInsights(agent.actor, { [field]: long }), () => d().inbox(agent.actor, { [field]: long })]) {
        await expect(read()).rejects.toMatchObject({ status: 422, code: "invalid", fieldErrors: { [field]: [message] } });
      }
    }
    // Forty characters is still a filter (it matches nothing here).
    expect((await d().listInsights(agent.actor, { tag: "y".repeat(40) })).items).toEqual([]);
  });

  test("an insight page: up to five similar insights, newest first, never itself; the ask-colleagues title is one line of 90 characters", async () => {
    const texts = Array.from({ length: 8 }, (_, n) => `Charged twice for my parcel delivery fee\n\n again, refund the double charge please ${"x".repeat(n)}`);
    const posted = [];
    for (const text of texts) {
      clock.advance(1000);
      posted.push(await post({ text, topics: [], channel: "chat" }));
    }
    const last = posted.at(-1)!;
    const cluster = (await app.atrium.db.insight.findUniqueOrThrow({ where: { id: last.id }, select: { clusterId: true } })).clusterId;
    expect(cluster).not.toBeNull();
    for (const c of [ctx, viaPrisma()]) {
      const page = await insights.getInsight(c, agent.actor, last.id);
      const members = await app.atrium.db.insight.findMany({ where: { clusterId: cluster, NOT: { id: last.id } }, orderBy: [{ createdAt: "desc" }, { id: "desc" }], take: 5, select: { id: true } });
      expect(members.length).toBe(5);
      expect(page.cluster!.similar.map((s) => s.id)).toEqual(members.map((m) => m.id));
      const title = new URLSearchParams(page.links.askColleagues.split("?")[1]).get("title")!;
      expect(title).toBe(`Customer insight: ${last.text.replace(/\s+/g, " ").slice(0, 90)}`);
      expect(page.can).toEqual({ handle: false, overrideSentiment: true, link: true, reroute: false });
    }
  });

  test("the feed, an insight's timeline and its similar insights go by time, then id, whatever order the rows were stored in, through both reads", async () => {
    const at = clock.now().getTime();
    const cluster = await app.atrium.db.insightCluster.create({ data: { title: "Stored rows", firstSeenAt: new Date(at), lastSeenAt: new Date(at) } });
    // Ids against time, and three in one millisecond stored in neither id order.
    const rows: [string, number][] = [["i-y", 0], ["i-b", 3000], ["i-m", 1000], ["i-z", 1000], ["i-a", 1000]];
    for (const [id, ms] of rows) {
      await app.atrium.db.insight.create({
        data: { id, text: `Stored row ${id}`, channel: "phone", sentimentScore: 0, sentimentLabel: "neutral", sentimentAuto: "neutral", clusterId: cluster.id, createdAt: new Date(at + ms) },
      });
    }
    const timeline: [string, number][] = [["e-q", 5000], ["e-m", 4000], ["e-z", 4000], ["e-a", 4000], ["e-b", 3000]];
    for (const [id, ms] of timeline) {
      await app.atrium.db.insightEvent.create({ data: { id, insightId: "i-b", type: "commented", note: id, createdAt: new Date(at + ms) } });
    }
    for (const c of [ctx, viaPrisma()]) {
      expect((await insights.listInsights(c, agent.actor, {})).items.map((i) => i.id)).toEqual(["i-b", "i-z", "i-m", "i-a", "i-y"]);
      const page = await insights.getInsight(c, agent.actor, "i-b");
      expect(page.timeline.map((e) => e.id)).toEqual(["e-b", "e-a", "e-m", "e-z", "e-q"]);
      expect(page.cluster!.similar.map((s) => s.id)).toEqual(["i-z", "i-m", "i-a", "i-y"]);
    }
  });

  test("an unknown insight is not found, naming what was looked for, through either read", async () => {
    for (const c of [ctx, viaPrisma()]) {
      await expect(() => insights.getInsight(c, agent.actor, "no-such-insight")).rejects.toMatchObject({ status: 404, message: "That insight was not found." });
    }
  });

  test("an insight routed to two teams: a member of either may handle it, through either read; its routing rules come by id", async () => {
    const gold = await makeTeam(app.atrium, admin.actor, "Gold Care", ["Goldie"]);
    const rules = app.atrium.domain.routingRules;
    const settings = await rules.getSettings(admin.actor);
    await rules.updateSettings(admin.actor, { matchMode: "every", triageTeamId: settings.triageTeamId, triageAckWithin: "2h", triageResolveWithin: "3d" });
    const goldRule = await rules.createRule(admin.actor, { name: "Gold accounts", enabled: true, teamIds: [gold.team.id], ackWithin: "2h", resolveWithin: "2d", conditions: { tiers: ["gold"] } });
    const i = await post();
    expect(i.teams.map((t) => t.name)).toEqual(["Finance Operations", "Gold Care"]);
    const byId = [{ id: billingRuleId, name: "Billing complaints" }, { id: goldRule.id, name: "Gold accounts" }].sort((a, b) => (a.id < b.id ? -1 : 1));
    for (const c of [ctx, viaPrisma()]) {
      for (const who of [finance.members[0]!, gold.members[0]!]) {
        const page = await insights.getInsight(c, who.actor, i.id);
        expect(page.can).toEqual({ handle: true, overrideSentiment: true, link: true, reroute: false });
        expect(page.routedBy).toEqual(byId);
      }
    }
  });

  test("an insight page, through either read: the sentiment's drivers and the customer's topics from its text, its account and id, and rights from the reader's teams", async () => {
    const { secret } = await app.atrium.domain.apiTokens.createApiToken(admin.actor, { name: "Zendesk bridge", kind: "integration", scope: "insights" });
    const auth = await app.atrium.domain.apiTokens.authenticateToken(secret);
    const short = (await d().ingestInsight(auth, { externalId: "page-1", text: COMPLAINT, channel: "email", account: "Globex", topics: ["billing"] })).id;
    // Over 2,000 characters: worked out on each view, not remembered.
    const longText = `The delivery was late and the driver was rude. ${"Awful service, really disappointed. ".repeat(60)}`;
    expect(longText.length).toBeGreaterThan(2000);
    const long = (await post({ text: longText, topics: [], accountId: null, channel: "chat" })).id;
    const stranger = await makeUser(app.atrium, { name: "Stan Stranger" });
    const femi = finance.members[0]!;
    for (const c of [ctx, viaPrisma()]) {
      for (const [id, text] of [[short, COMPLAINT], [long, longText]] as const) {
        const sentimentAuto = (await app.atrium.db.insight.findUniqueOrThrow({ where: { id }, select: { sentimentAuto: true } })).sentimentAuto;
        // Twice: the second view is answered from memory, and must be the same.
        for (let n = 0; n < 2; n++) {
          const page = await insights.getInsight(c, stranger.actor, id);
          expect(page.sentimentDrivers).toEqual(explainSentiment(text));
          expect(page.sentimentDrivers.length).toBeGreaterThan(0);
          expect(page.customerTopics).toEqual(recogniseTopics(text, sentimentAuto));
          // The ask-colleagues title holds the first 90 characters of the text, on one line.
          expect(new URLSearchParams(page.links.askColleagues.split("?")[1]).get("title")).toBe(`Customer insight: ${text.replace(/\s+/g, " ").slice(0, 90)}`);
        }
      }
      const page = await insights.getInsight(c, stranger.actor, short);
      expect(page).toMatchObject({ externalId: "page-1", account: { id: account.id, name: "Globex", tier: "gold", segment: "Enterprise" }, routedBy: [{ id: billingRuleId, name: "Billing complaints" }], suggestedTeam: null });
      // A stranger may read but not act; a member of the routed team (not an admin, not the poster) may handle it.
      expect(page.can).toEqual({ handle: false, overrideSentiment: false, link: false, reroute: false });
      expect((await insights.getInsight(c, femi.actor, short)).can).toEqual({ handle: true, overrideSentiment: true, link: true, reroute: false });
      expect((await insights.getInsight(c, femi.actor, long)).can).toEqual({ handle: false, overrideSentiment: false, link: false, reroute: false });
    }
  });
});
