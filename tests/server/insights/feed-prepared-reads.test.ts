/**
 * The insights feed (/insights) reads its page and its recurring issues with prepared SQL on the
 * read connection; each answer must equal the Prisma read's on the same data, for every filter.
 * Runs on SQLite and, with ATRIUM_TEST_DB=postgresql, on PostgreSQL.
 */
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { makeUser, startTestApp, type TestApp } from "../../helpers/app.js";
import { fakeClock, makeAccount, makeAdmin, makeBillingRule, makeTeam } from "./factories.js";
import { getInsight, listInsights, recurringIssues } from "../../../server/domain/insights.js";

const clock = fakeClock(new Date("2032-02-27T09:00:00Z"));
let app: TestApp;
let member: Awaited<ReturnType<typeof makeUser>>;
let finance: Awaited<ReturnType<typeof makeTeam>>;
let support: Awaited<ReturnType<typeof makeTeam>>;
let account: { id: string };
let admin: Awaited<ReturnType<typeof makeAdmin>>;

// An app and fixture of their own for each test: none depends on rows another test wrote.
beforeEach(async () => {
  app = await startTestApp({ clock });
  admin = await makeAdmin(app.atrium);
  member = await makeUser(app.atrium, { name: "Mo Member" });
  // Two teams reached by the same rule at the same moment: their order comes from the team name.
  finance = await makeTeam(app.atrium, admin.actor, "Finance Operations", ["Femi"]);
  support = await makeTeam(app.atrium, admin.actor, "Support", ["Sol"]);
  await makeBillingRule(app.atrium, admin.actor, support.team.id);
  await makeBillingRule(app.atrium, admin.actor, finance.team.id, { name: "Billing, finance", conditions: { topics: ["billing"] } });
  account = await makeAccount(app.atrium, admin.actor, "Globex Corporation", "gold");
  const { secret } = await app.atrium.domain.apiTokens.createApiToken(admin.actor, { name: "Zendesk bridge", kind: "integration", scope: "insights" });
  const auth = await app.atrium.domain.apiTokens.authenticateToken(secret);
  const texts = [
    "Your invoices are wrong AGAIN. Charged twice. Terrible.",
    "Invoice wrong again, I was charged twice this month",
    "Charged twice on my invoice, awful service",
    "Lovely staff in the Leeds store",
    "The mobile app crashes when I open settings",
    "App crashes on start since the update, useless",
  ];
  for (const [n, text] of texts.entries()) {
    clock.advance(3_600_000);
    if (n % 2) await app.atrium.domain.insights.ingestInsight(auth, { externalId: `x${n}`, text, channel: "email", account: "Globex Corporation", topics: n < 3 ? ["billing"] : [], products: n === 1 || n > 3 ? ["mobile app"] : [] });
    else await app.atrium.domain.insights.createInsight(member.actor, { text, channel: "twitter", accountId: n === 0 ? account.id : undefined, topics: n < 3 ? ["Billing"] : [], sourceUrl: "https://x.com/globex/status/1" });
  }
  const rows = await app.atrium.db.insight.findMany({ orderBy: { createdAt: "asc" }, select: { id: true, routes: { select: { teamId: true, createdAt: true } } } });
  // Routed to both teams at the same moment (as one rule naming two teams does): ordered by team name.
  for (const r of rows.slice(0, 2)) {
    const at = r.routes[0]?.createdAt ?? clock.now();
    for (const teamId of [finance.team.id, support.team.id]) {
      if (!r.routes.some((x) => x.teamId === teamId)) await app.atrium.db.insightRoute.create({ data: { insightId: r.id, teamId, createdAt: at } });
    }
  }
  // A timeline with actors (and one without), an acknowledger, a resolution note.
  const femi = finance.members[0]!;
  await app.atrium.domain.insights.transitionInsight(femi.actor, rows[0]!.id, { to: "acknowledged" });
  await app.atrium.domain.insights.transitionInsight(femi.actor, rows[0]!.id, { to: "resolved", note: "Credit note issued." });
  await app.atrium.db.insightEvent.create({ data: { insightId: rows[0]!.id, type: "ack_breached", actorId: null, createdAt: clock.now() } });
  await app.atrium.db.insight.update({ where: { id: rows[1]!.id }, data: { ackBreachedAt: clock.now(), status: "acknowledged" } });
  await app.atrium.db.insight.update({ where: { id: rows[2]!.id }, data: { resolveBreachedAt: clock.now(), status: "resolved", resolvedAt: clock.now(), sentimentOverriddenAt: clock.now() } });
});
afterEach(() => app?.close());

describe("the insights feed's prepared read", () => {
  test("every filter and page reads the same with prepared SQL as through Prisma", async () => {
    const ctx = app.atrium.ctx;
    expect(ctx.reads).toBeDefined();
    const viaPrisma = { ...ctx, reads: undefined };
    const cluster = (await app.atrium.db.insight.findFirst({ where: { clusterId: { not: null } }, select: { clusterId: true } }))?.clusterId;
    expect(cluster).toBeTruthy();
    const inputs: Record<string, string>[] = [
      {}, { page: "2" }, { team: finance.team.id }, { team: support.team.id, status: "open" }, { status: "open" }, { status: "resolved" },
      { sentiment: "negative" }, { sentiment: "positive" }, { channel: "email" }, { account: account.id }, { tag: "Billing" }, { tag: "mobile-app" },
      { issue: cluster! }, { breached: "1" }, { breached: "1", channel: "twitter" }, { status: "bogus", page: "x" },
    ];
    let seen = 0;
    const teamsSeen = new Set<number>();
    for (const input of inputs) {
      const sql = await listInsights(ctx, member.actor, input);
      expect(sql, JSON.stringify(input)).toEqual(await listInsights(viaPrisma, member.actor, input));
      seen += sql.items.length;
      for (const i of sql.items) teamsSeen.add(i.teams.length);
    }
    expect(seen).toBeGreaterThan(20);
    // Rows with two routed teams, accounts, posters, integrations, tags and breaches were compared.
    const all = await listInsights(ctx, member.actor, {});
    expect(teamsSeen.has(2)).toBe(true);
    expect(all.items.some((i) => i.integration?.name === "Zendesk bridge")).toBe(true);
    expect(all.items.some((i) => i.postedBy?.name === "Mo Member" && i.account?.name === "Globex Corporation")).toBe(true);
    expect(all.items.some((i) => i.tags.length >= 2)).toBe(true);
    expect(all.items.some((i) => i.breached.resolve && i.sentiment.overridden)).toBe(true);
    expect(all.total).toBe(6);
  });

  test("the recurring issues read the same with prepared SQL as through Prisma", async () => {
    const ctx = app.atrium.ctx;
    const viaPrisma = { ...ctx, reads: undefined };
    const sql = await recurringIssues(ctx, { limit: 8 });
    expect(sql.length).toBeGreaterThan(0);
    expect(sql).toEqual(await recurringIssues(viaPrisma, { limit: 8 }));
    expect(await recurringIssues(ctx, { limit: 1 })).toEqual(await recurringIssues(viaPrisma, { limit: 1 }));
  });

  test("an insight page reads the same with prepared SQL as through Prisma, for a reader on no team, one on its team, and an admin", async () => {
    const ctx = app.atrium.ctx;
    const viaPrisma = { ...ctx, reads: undefined };
    const ids = (await app.atrium.db.insight.findMany({ select: { id: true } })).map((r) => r.id);
    const readers = [member.actor, finance.members[0]!.actor, admin.actor];
    const pages = [];
    for (const id of ids) {
      for (const actor of readers) {
        const sql = await getInsight(ctx, actor, id);
        expect(sql, id).toEqual(await getInsight(viaPrisma, actor, id));
        pages.push(sql);
      }
    }
    // The compared pages had a timeline with and without actors, an acknowledger, routing rules, a cluster with others, and the handling rights of a team member.
    expect(pages.some((p) => p.timeline.some((e) => e.actor === null) && p.timeline.some((e) => e.actor?.name === "Femi") && p.acknowledgedBy?.name === "Femi")).toBe(true);
    expect(pages.some((p) => p.routedBy.length >= 1 && p.account?.segment === "Enterprise")).toBe(true);
    expect(pages.some((p) => (p.cluster?.similar.length ?? 0) >= 1 && (p.cluster?.trend.total ?? 0) >= 2)).toBe(true);
    expect(pages.some((p) => p.can.handle) && pages.some((p) => !p.can.handle)).toBe(true);
    await expect(getInsight(ctx, member.actor, "no-such-insight")).rejects.toMatchObject({ status: 404 });
  });

  test("a recurring issue's remembered name follows new members: the same as a fresh index names it", async () => {
    const ctx = app.atrium.ctx;
    const before = await recurringIssues(ctx, { limit: 8 });
    const billing = before.find((i) => /charged|invoice/i.test(i.title));
    expect(billing).toBeDefined();
    for (let n = 0; n < 4; n++) {
      clock.advance(600_000);
      await app.atrium.domain.insights.createInsight(member.actor, { text: `Charged twice and my refund is still missing, refund missing for weeks (${n})`, channel: "email", topics: ["Billing"] });
    }
    const after = await recurringIssues(ctx, { limit: 8 });
    // A new context object has its own index and names: nothing remembered.
    expect(after).toEqual(await recurringIssues({ ...ctx, reads: undefined }, { limit: 8 }));
    expect(after.find((i) => i.id === billing!.id)?.title).not.toBe(billing!.title);
  });
});
