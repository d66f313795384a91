import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { makeUser, startTestApp, type TestApp } from "../../helpers/app.js";
import { fakeClock, makeAccount, makeAdmin, makeBillingRule, makeTeam } from "./factories.js";

let clock: ReturnType<typeof fakeClock>;
let app: TestApp;
let admin: Awaited<ReturnType<typeof makeAdmin>>;
let finance: Awaited<ReturnType<typeof makeTeam>>;
let agent: Awaited<ReturnType<typeof makeUser>>;
let accountId: string;

// Each test has an app of its own (what one posts would fold into, or be counted by, another's
// notifications, spike alerts and recurring issues), on a clock of its own.
beforeEach(async () => {
  clock = fakeClock();
  // A long sweep interval: these tests call sweepNow() after moving the clock.
  app = await startTestApp({ clock, env: { INSIGHT_SLA_SWEEP_MS: "3600000" } });
  admin = await makeAdmin(app.atrium);
  finance = await makeTeam(app.atrium, admin.actor, "Finance Operations", ["Femi", "Fran"]);
  agent = await makeUser(app.atrium, { name: "Sam Support" });
  accountId = (await makeAccount(app.atrium, admin.actor)).id;
  await makeBillingRule(app.atrium, admin.actor, finance.team.id);
});
afterEach(() => app.close());

const post = (text = "Your invoices are wrong again. Terrible, I'm furious.", over: Record<string, unknown> = {}) =>
  app.atrium.domain.insights.createInsight(agent.actor, { text, channel: "twitter", accountId, topics: ["Billing"], sourceUrl: "https://x.com/globex/status/1", ...over });

describe("posting and routing", () => {
  test("a negative billing tweet is scored, tagged from the shared vocabulary, routed by the rule, and notifies the team", async () => {
    const i = await post();
    expect(i.sentiment.label).toBe("negative");
    expect(i.tags).toEqual([{ name: "billing", label: "Billing", kind: "topic" }]);
    expect(i.teams.map((t) => t.name)).toEqual(["Finance Operations"]);
    expect(i.priority).toBe("high");
    expect(new Date(i.ackDueAt!).getTime() - new Date(i.createdAt).getTime()).toBe(30 * 60_000);
    // The tag is a Skill: the same vocabulary people use on their profiles.
    expect(await app.atrium.db.skill.count({ where: { name: "billing" } })).toBe(1);
    for (const m of [...finance.members, finance.lead]) {
      const n = await app.atrium.domain.notifications.listNotifications(m.actor);
      expect(n.some((x) => x.type === "insight.routed" && x.link === `/insights/${i.id}`)).toBe(true);
    }
    // The poster is not notified of her own insight arriving.
    expect((await app.atrium.domain.notifications.listNotifications(agent.actor)).some((x) => x.link === `/insights/${i.id}`)).toBe(false);
  });

  test("a burst does not flood the bell: unread routed notifications fold into one per person", async () => {
    const fran = finance.members[1]!;
    await app.atrium.domain.notifications.markAllRead(fran.actor);
    const before = await app.atrium.domain.notifications.unreadCount(fran.actor);
    const a = await post("Invoices wrong, furious", { channel: "email" });
    const b = await post("Invoice totally wrong again, terrible", { channel: "email" });
    const c = await post("Wrong invoice, awful", { channel: "email" });
    expect(await app.atrium.domain.notifications.unreadCount(fran.actor)).toBe(before + 1);
    const [top] = await app.atrium.domain.notifications.listNotifications(fran.actor, { limit: 1 });
    expect(top).toMatchObject({ type: "insight.routed.group", title: "3 new insights for your teams", link: "/insights/inbox", body: "Latest: Wrong invoice, awful" });
    // Once read, the next insight is a notification of its own again.
    await app.atrium.domain.notifications.markAllRead(fran.actor);
    const d = await post("Invoice wrong, bad", { channel: "email" });
    // (The fifth billing insight in a day also raises a spike alert: skip past it.)
    const next = (await app.atrium.domain.notifications.listNotifications(fran.actor, { limit: 3 })).find((n) => n.type.startsWith("insight.routed"));
    expect(next).toMatchObject({ type: "insight.routed", link: `/insights/${d.id}` });
    expect([a, b, c].every((x) => x.teams[0]!.name === "Finance Operations")).toBe(true);
    // Read on another instance (no event reaches this one): the next insight still gets through.
    await app.atrium.db.notification.updateMany({ where: { userId: fran.user.id }, data: { readAt: app.atrium.ctx.clock.now() } });
    const e = await post("Invoice wrong yet again, awful", { channel: "email" });
    const after = (await app.atrium.domain.notifications.listNotifications(fran.actor, { limit: 3 })).find((n) => n.type.startsWith("insight.routed"));
    expect(after).toMatchObject({ type: "insight.routed", link: `/insights/${e.id}` });
    expect(after!.readAt).toBeNull();
  });

  test("no rule matches → the Triage team (created on first use), with the triage SLA", async () => {
    const i = await post("Lovely store staff in Leeds today", { topics: ["stores"], channel: "store" });
    expect(i.teams.map((t) => t.name)).toEqual(["Triage"]);
    const detail = await app.atrium.domain.insights.getInsight(agent.actor, i.id);
    expect(detail.timeline.find((e) => e.type === "routed")!.note).toMatch(/triage/i);
  });

  test("bad input writes nothing", async () => {
    const before = await app.atrium.db.insight.count();
    await expect(post("   ")).rejects.toMatchObject({ status: 422, fieldErrors: { text: expect.any(Array) } });
    await expect(post("hi", { channel: "pigeon" })).rejects.toMatchObject({ status: 422, fieldErrors: { channel: expect.any(Array) } });
    await expect(post("hi", { sourceUrl: "javascript:alert(1)" })).rejects.toMatchObject({ status: 422, fieldErrors: { sourceUrl: expect.any(Array) } });
    await expect(post("hi", { accountId: "nope" })).rejects.toMatchObject({ status: 422, fieldErrors: { accountId: expect.any(Array) } });
    expect(await app.atrium.db.insight.count()).toBe(before);
  });
});

describe("lifecycle", () => {
  test("acknowledge → in progress → resolve, with a timeline, and the poster hears of each step", async () => {
    const i = await post();
    const femi = finance.members[0]!;
    clock.advance(5 * 60_000);
    await app.atrium.domain.insights.transitionInsight(femi.actor, i.id, { to: "acknowledged" });
    await app.atrium.domain.insights.transitionInsight(femi.actor, i.id, { to: "in_progress" });
    await expect(app.atrium.domain.insights.transitionInsight(femi.actor, i.id, { to: "resolved" })).rejects.toMatchObject({
      fieldErrors: { note: ["Say how it was resolved."] },
    });
    await app.atrium.domain.insights.transitionInsight(femi.actor, i.id, { to: "resolved", note: "Credit note issued." });
    const d = await app.atrium.domain.insights.getInsight(agent.actor, i.id);
    expect(d.status).toBe("resolved");
    expect(d.acknowledgedBy?.id).toBe(femi.user.id);
    expect(d.resolutionNote).toBe("Credit note issued.");
    expect(d.timers.ack.state).toBe("met");
    expect(d.timeline.map((e) => e.type)).toEqual(["created", "routed", "acknowledged", "in_progress", "resolved"]);
    const mine = await app.atrium.domain.notifications.listNotifications(agent.actor);
    expect(mine.filter((n) => n.link === `/insights/${i.id}`).map((n) => n.type).sort()).toEqual([
      "insight.acknowledged",
      "insight.in_progress",
      "insight.resolved",
    ]);
    // Reopen gives a fresh resolution clock.
    await app.atrium.domain.insights.transitionInsight(femi.actor, i.id, { to: "reopened", note: "Customer says still wrong" });
    const r = await app.atrium.domain.insights.getInsight(agent.actor, i.id);
    expect(r.status).toBe("acknowledged");
    expect(r.resolvedAt).toBeNull();
    expect(new Date(r.resolveDueAt!).getTime()).toBe(clock.now().getTime() + 24 * 3_600_000);
  });

  test("only routed team members (or admins) act; wrong steps are refused", async () => {
    const i = await post();
    await expect(app.atrium.domain.insights.transitionInsight(agent.actor, i.id, { to: "acknowledged" })).rejects.toMatchObject({ status: 403 });
    await expect(app.atrium.domain.insights.transitionInsight(finance.lead.actor, i.id, { to: "reopened" })).rejects.toMatchObject({ status: 422 });
    await app.atrium.domain.insights.transitionInsight(admin.actor, i.id, { to: "declined", note: "Duplicate of a known case" });
    await expect(app.atrium.domain.insights.transitionInsight(finance.lead.actor, i.id, { to: "acknowledged" })).rejects.toMatchObject({ status: 422 });
  });

  test("sentiment override is recorded: who, when, from → to", async () => {
    const i = await post("Invoice number 42 arrived today");
    expect(i.sentiment.label).toBe("neutral");
    // Neutral, so the billing rule (negative only) did not take it: the poster may still correct it.
    const fran = agent;
    await app.atrium.domain.insights.overrideSentiment(fran.actor, i.id, { label: "negative" });
    const d = await app.atrium.domain.insights.getInsight(fran.actor, i.id);
    expect(d.sentiment.label).toBe("negative");
    expect(d.sentiment.overridden).toBe(true);
    const e = d.timeline.find((x) => x.type === "sentiment_overridden")!;
    expect([e.actor?.id, e.fromValue, e.toValue, e.createdAt]).toEqual([fran.user.id, i.sentiment.label, "negative", clock.now().toISOString()]);
    const stranger = await makeUser(app.atrium);
    await expect(app.atrium.domain.insights.overrideSentiment(stranger.actor, i.id, { label: "positive" })).rejects.toMatchObject({ status: 403 });
  });
});

describe("SLA", () => {
  test("not acknowledged in time → breached once, escalated to the team lead; acknowledged ones are not", async () => {
    const late = await post();
    const onTime = await post();
    await app.atrium.domain.insights.transitionInsight(finance.members[0]!.actor, onTime.id, { to: "acknowledged" });
    const ours = (bs: { id: string; kind: string }[]) => bs.filter((b) => b.id === late.id || b.id === onTime.id);
    clock.advance(29 * 60_000);
    expect(ours(await app.atrium.insightSla.sweepNow())).toEqual([]);
    clock.advance(2 * 60_000);
    expect(ours(await app.atrium.insightSla.sweepNow())).toEqual([{ id: late.id, kind: "ack" }]);
    expect(await app.atrium.insightSla.sweepNow()).toEqual([]);
    const d = await app.atrium.domain.insights.getInsight(agent.actor, late.id);
    expect(d.breached.ack).toBe(true);
    expect(d.timers.ack.state).toBe("breached");
    expect(d.timeline.at(-1)!.note).toContain("Escalated to Finance Operations Lead");
    const leadNotes = await app.atrium.domain.notifications.listNotifications(finance.lead.actor);
    expect(leadNotes.filter((n) => n.type === "insight.escalated" && n.link === `/insights/${late.id}`)).toHaveLength(1);
    // Filter: breached ones only.
    const feed = await app.atrium.domain.insights.listInsights(agent.actor, { breached: "1" });
    expect(feed.items.map((x) => x.id)).toContain(late.id);
    expect(feed.items.map((x) => x.id)).not.toContain(onTime.id);
  });
});

describe("feed, inbox, recurring issues", () => {
  test("filters and the inbox", async () => {
    // Its own insights: Stryker runs a test on its own, without the ones before it.
    await post();
    await post("Lovely store staff in York today", { topics: ["stores"], channel: "store" });
    const outsider = await makeUser(app.atrium);
    const inbox = await app.atrium.domain.insights.inbox(finance.members[0]!.actor, {});
    expect(inbox.teams.map((t) => t.name)).toEqual(["Finance Operations"]);
    expect(inbox.items.length).toBeGreaterThan(0);
    expect(inbox.items.every((i) => i.teams.some((t) => t.name === "Finance Operations") && i.status !== "resolved")).toBe(true);
    expect((await app.atrium.domain.insights.inbox(outsider.actor, {})).items).toEqual([]);
    const neg = await app.atrium.domain.insights.listInsights(outsider.actor, { sentiment: "negative", channel: "twitter", tag: "billing", account: accountId });
    expect(neg.items.length).toBeGreaterThan(0);
    expect(neg.items.every((i) => i.sentiment.label === "negative" && i.channel === "twitter" && i.account?.id === accountId)).toBe(true);
    const store = (await app.atrium.domain.insights.listInsights(outsider.actor, { channel: "store" })).items;
    expect(store.length).toBeGreaterThan(0);
    expect(store.every((i) => i.channel === "store")).toBe(true);
    const everything = (await app.atrium.domain.insights.listInsights(outsider.actor, {})).items;
    expect(everything.some((i) => i.channel !== "store")).toBe(true);
  });

  test("similar insights group into one recurring issue with a trend", async () => {
    const a = await post("Invoice amount wrong, charged twice for March", { channel: "email" });
    const b = await post("I was charged twice, invoice amount is wrong", { channel: "email" });
    const c = await post("Wrong invoice amount again, charged twice!", { channel: "email" });
    const ids = await app.atrium.db.insight.findMany({ where: { id: { in: [a.id, b.id, c.id] } }, select: { clusterId: true } });
    expect(new Set(ids.map((x) => x.clusterId)).size).toBe(1);
    expect(ids[0]!.clusterId).not.toBeNull();
    const d = await app.atrium.domain.insights.getInsight(agent.actor, c.id);
    expect(d.cluster!.trend.recent).toBeGreaterThanOrEqual(3);
    expect(d.cluster!.trend.text).toMatch(/^\d+ similar in 7 days, up from 0$/);
    expect(d.links.askColleagues).toMatch(new RegExp(`^/questions/new\\?insight=${c.id}&title=Customer\\+insight`));
    const issues = await app.atrium.domain.insights.recurringIssues();
    expect(issues.some((x) => x.id === d.cluster!.id)).toBe(true);
  });

  test("praise about the same thing stays out of the complaint's recurring issue, which is named by its topic and top terms", async () => {
    const a = await post("Refund not received for order 81, still waiting", { channel: "chat" });
    const b = await post("My refund was not received, two weeks now", { channel: "chat" });
    const p = await post("Refund received quickly, thank you so much, great service!", { channel: "chat" });
    const rows = await app.atrium.db.insight.findMany({ where: { id: { in: [a.id, b.id, p.id] } }, select: { id: true, clusterId: true, sentimentLabel: true } });
    const by = new Map(rows.map((r) => [r.id, r]));
    expect([by.get(a.id)!.sentimentLabel, by.get(p.id)!.sentimentLabel]).toEqual(["negative", "positive"]);
    expect(by.get(a.id)!.clusterId).not.toBeNull();
    expect(by.get(b.id)!.clusterId).toBe(by.get(a.id)!.clusterId);
    expect(by.get(p.id)!.clusterId).not.toBe(by.get(a.id)!.clusterId);
    const issue = (await app.atrium.domain.insights.recurringIssues()).find((x) => x.id === by.get(a.id)!.clusterId)!;
    expect(issue.title).toBe("Refund, billing or charges: refund not received");
    expect(issue.headline).toBe(`${issue.title} (2 this week, up from 0)`);
  });

  test("the page's prepared reads (recurring issues with trends, the filter lists) equal the Prisma reads", async () => {
    // Two recurring issues of its own: Stryker runs a test on its own, without the ones before it.
    for (const text of ["Invoice amount wrong, charged twice for April", "Charged twice again, the invoice amount is wrong", "Refund not received for order 82, still waiting", "My refund was not received, three weeks now"]) {
      await post(text, { channel: "email" });
    }
    const ctx = app.atrium.ctx;
    expect(ctx.reads).toBeDefined();
    const viaPrisma = { ...ctx, reads: undefined };
    const { listRecurringIssues } = await import("../../../server/domain/insight-clusters.js");
    const { feedFilters } = await import("../../../server/domain/insights.js");
    // One cluster member from the window before this one, so "previous" counts are read too.
    const older = await app.atrium.db.insight.findFirstOrThrow({ where: { clusterId: { not: null } }, orderBy: { createdAt: "asc" } });
    await app.atrium.db.insight.update({ where: { id: older.id }, data: { createdAt: new Date(app.atrium.ctx.clock.now().getTime() - 10 * 86_400_000) } });
    const sql = await listRecurringIssues(ctx, { limit: 20 });
    expect(sql.length).toBeGreaterThanOrEqual(2);
    expect(sql.some((x) => x.trend.previous > 0)).toBe(true);
    expect(sql).toEqual(await listRecurringIssues(viaPrisma, { limit: 20 }));
    const filters = await feedFilters(ctx);
    expect(filters.tags.length).toBeGreaterThan(0);
    expect(filters).toEqual(await feedFilters(viaPrisma));
  });
});
