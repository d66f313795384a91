/**
 * What every ingested insight writes — the insight with its tags, routes and events, the folded
 * notifications of its routed people, its feed row — goes through prepared SQL (server/db-writes.ts);
 * the rows equal those Prisma writes for the same deliveries. Runs on SQLite and, with
 * ATRIUM_TEST_DB=postgresql, on PostgreSQL.
 */
import { afterEach, describe, expect, test } from "vitest";
import { startTestApp, type TestApp } from "../../helpers/app.js";
import { manualClock } from "../../helpers/clock.js";
import { makeAccount, makeAdmin, makeBillingRule, makeTeam } from "./factories.js";
import { newId, UniqueViolation } from "../../../server/db-writes.js";
import { sqlDateParam } from "../../../server/db-reads.js";
import { ValidationError } from "../../../server/domain/errors.js";
import { ingestInsight } from "../../../server/domain/insights.js";
import { TEST_DB } from "../../helpers/db.js";

const apps: TestApp[] = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map((a) => a.close()));
});

/** The same organisation on a fresh app: two teams with members, two billing rules, an account, a token. */
async function organisation() {
  // Moved by hand between deliveries: background jobs reading it cannot shift the deliveries' times.
  const clock = manualClock("2026-11-23T09:00:00Z");
  const app = await startTestApp({ clock });
  apps.push(app);
  const a = app.atrium;
  const admin = await makeAdmin(a);
  const finance = await makeTeam(a, admin.actor, "Finance Operations", ["Femi", "Fran"]);
  const support = await makeTeam(a, admin.actor, "Support", ["Sol"]);
  await makeBillingRule(a, admin.actor, finance.team.id, { teamIds: [finance.team.id, support.team.id] });
  await makeBillingRule(a, admin.actor, support.team.id, { name: "Billing, second line", conditions: { topics: ["billing"] } });
  await makeAccount(a, admin.actor, "Globex Corporation", "gold");
  const { secret } = await a.domain.apiTokens.createApiToken(admin.actor, { name: "ingest", kind: "integration", scope: "insights" });
  const auth = await a.domain.apiTokens.authenticateToken(secret);
  return { app, a, admin, auth, clock, fran: finance.members[1]!, sol: support.members[0]! };
}

const DELIVERIES = [
  { externalId: "a", text: "Your invoices are wrong AGAIN. Terrible.", channel: "twitter", account: "Globex Corporation", topics: ["billing", "refunds"], products: ["mobile app"] },
  { externalId: "b", text: "Lovely staff in the Leeds store", channel: "store", sourceUrl: "https://example.com/review/7" },
  { externalId: "c", text: "Charged twice for my invoice, awful", channel: "email", topics: ["billing"] },
  { externalId: "d", text: "Invoice charged twice again, terrible billing", channel: "twitter", topics: ["billing"], products: ["Mobile App"] },
  { externalId: "e", text: "Wrong invoice amount, charged twice", channel: "chat", topics: ["billing"] },
];

/**
 * Sends the deliveries (Fran reads her bell after the second, so the third starts a new one; Sol
 * reads his elsewhere after the fourth, so the fifth must not fold into it) and
 * returns every row they wrote, with ids replaced by what they name (the two apps' ids differ).
 */
async function deliverAndDump(viaPrisma: boolean, postedByEmail = false) {
  const { a, admin, auth, fran, sol, clock } = await organisation();
  if (viaPrisma) a.ctx.writes = undefined;
  else expect(a.ctx.writes).toBeDefined();
  const results = [];
  for (const [i, body] of DELIVERIES.entries()) {
    clock.tick(1000);
    results.push(await a.domain.insights.ingestInsight(auth, postedByEmail && i === 2 ? { ...body, postedByEmail: admin.user.email } : body));
    if (i === 1) {
      clock.tick(1000);
      await a.domain.notifications.markAllRead(fran.actor);
    }
    // Sol reads his bell on another instance: this one's memory still has his notification as unread.
    if (i === 3) await a.db.notification.updateMany({ where: { userId: sol.user.id }, data: { readAt: clock.now() } });
  }
  results.push(await a.domain.insights.ingestInsight(auth, DELIVERIES[0]!)); // a repeat writes nothing
  expect(results.map((r) => r.duplicate)).toEqual([false, false, false, false, false, true]);

  const db = a.db;
  const name = new Map<string | null, string>([[null, "-"]]);
  for (const u of await db.user.findMany({ select: { id: true, name: true } })) name.set(u.id, u.name);
  for (const t of await db.team.findMany({ select: { id: true, name: true } })) name.set(t.id, t.name);
  for (const s of await db.skill.findMany({ select: { id: true, name: true } })) name.set(s.id, s.name);
  for (const r of await db.routingRule.findMany({ select: { id: true, name: true } })) name.set(r.id, r.name);
  for (const c of await db.customerAccount.findMany({ select: { id: true, name: true } })) name.set(c.id, c.name);
  for (const t of await db.apiToken.findMany({ select: { id: true, name: true } })) name.set(t.id, t.name);
  for (const c of await db.insightCluster.findMany({ select: { id: true, title: true } })) name.set(c.id, `cluster ${c.title}`);
  const insights = await db.insight.findMany({ orderBy: { createdAt: "asc" }, include: { tags: true, routes: true, events: { orderBy: [{ createdAt: "asc" }, { id: "asc" }] } } });
  for (const i of insights) name.set(i.id, `insight ${i.externalId}`);
  const n = (id: string | null) => name.get(id) ?? `unknown ${id}`;
  const byText = <T>(xs: T[]) => xs.map((x) => JSON.stringify(x)).sort();
  return {
    // updatedAt included: both ways stamp it from the injected clock.
    insights: insights.map(({ id, tags, routes, events, ...i }) => {
      expect(id).toMatch(/^c[0-9a-z]{24}$/);
      return {
        ...i,
        accountId: n(i.accountId),
        postedById: n(i.postedById),
        integrationId: n(i.integrationId),
        clusterId: n(i.clusterId),
        matchedRuleIds: (JSON.parse(i.matchedRuleIds) as string[]).map(n),
        tags: byText(tags.map((t) => ({ ...t, insightId: n(t.insightId), skillId: n(t.skillId) }))),
        routes: byText(routes.map((r) => ({ ...r, insightId: n(r.insightId), teamId: n(r.teamId), ruleId: n(r.ruleId) }))),
        // In the order the timeline shows them (createdAt, then id): "created" before "routed".
        events: events.map(({ id: _id, ...e }) => ({ ...e, insightId: n(e.insightId), actorId: n(e.actorId) })),
      };
    }),
    notifications: byText(
      (await db.notification.findMany({ where: { type: { startsWith: "insight." } } })).map(({ id: _id, ...x }) => ({ ...x, userId: n(x.userId), link: x.link.replace(/\/insights\/(?!inbox)(\w+)/, (_m, id: string) => `/insights/${n(id)}`) })),
    ),
    activity: byText(
      (await db.activityItem.findMany({ where: { kind: "insight.routed" } })).map(({ id, ...x }) => {
        expect(id).toMatch(/^c[0-9a-z]{24}$/);
        return { ...x, actorId: n(x.actorId), departmentId: x.departmentId, insightId: n(x.insightId) };
      }),
    ),
  };
}

describe("an ingested insight's writes", () => {
  test("through prepared SQL they equal Prisma's: insight, tags, routes, events, folded notifications and feed rows", async () => {
    const sql = await deliverAndDump(false, true);
    const prisma = await deliverAndDump(true, true);
    expect(sql).toEqual(prisma);
    // The fixture exercises what it names: tags of both kinds, two routes, triage, a poster, folding, a cluster.
    const a = sql.insights[0]!;
    expect(a.tags).toHaveLength(3);
    expect(a.routes).toHaveLength(2);
    expect(a.events.map((e) => e.type)).toEqual(["created", "routed"]);
    expect(sql.insights[1]!.events[1]!.note).toBe("No rule matched: sent to triage.");
    expect(sql.insights[2]!.postedById).toBe("Ada Admin");
    expect(sql.notifications.some((x) => x.includes("insight.routed.group"))).toBe(true);
    expect(sql.notifications.filter((x) => x.includes('"userId":"Sol"')).map((x) => JSON.parse(x).type).sort()).toEqual(["insight.routed", "insight.routed.group"]);
    expect(sql.insights.some((i) => i.clusterId.startsWith("cluster "))).toBe(true);
    expect(sql.activity).toHaveLength(5);
  });

  test("a delivery racing the first of its externalId answers as a repeat, and only one insight is stored", async () => {
    const { a, auth } = await organisation();
    const body = { externalId: "race", text: "Charged twice, awful", channel: "email", topics: ["billing"] };
    const results = await Promise.all(Array.from({ length: 4 }, () => a.domain.insights.ingestInsight(auth, body)));
    expect(results.filter((r) => !r.duplicate)).toHaveLength(1);
    expect(new Set(results.map((r) => r.id)).size).toBe(1);
    expect(await a.db.insight.count({ where: { externalId: "race" } })).toBe(1);
    expect(await a.db.insightEvent.count()).toBe(2);
  });

  test("a NUL character in the text: stored on SQLite; refused as invalid input (422) with nothing written on PostgreSQL, as through Prisma", async () => {
    const { a, auth } = await organisation();
    const body = { externalId: "nul", text: "Charged twice\u0000 awful", channel: "email", topics: ["billing"] };
    for (const ctx of [a.ctx, { ...a.ctx, writes: undefined }]) {
      const sent = ingestInsight(ctx, auth, { ...body, externalId: `${body.externalId}-${ctx.writes ? "sql" : "orm"}` });
      if (TEST_DB === "postgresql") {
        const e = await sent.catch((x: unknown) => x);
        expect(e).toBeInstanceOf(ValidationError);
        expect((e as ValidationError).status).toBe(422);
      } else expect((await sent).duplicate).toBe(false);
    }
    expect(await a.db.insight.count()).toBe(TEST_DB === "postgresql" ? 0 : 2);
  });
});

describe("prepared writes", () => {
  const clusterInsert = (id: string, title: string) => ({
    sql: `INSERT INTO "InsightCluster" ("id", "title", "firstSeenAt", "lastSeenAt") VALUES (?, ?, ?, ?)`,
    params: [id, title, sqlDateParam(new Date("2026-11-23T09:00:00Z")), sqlDateParam(new Date("2026-11-23T09:00:00Z"))],
  });

  test("a batch is all or nothing: a refused statement leaves none of it, reports a unique violation as such, and the connection stays usable", async () => {
    const { a } = await organisation();
    const writes = a.ctx.writes!;
    const id = newId();
    expect(await writes.transaction([clusterInsert(id, "first")])).toEqual([1]);
    const other = newId();
    const failed = await writes.transaction([clusterInsert(other, "second"), clusterInsert(id, "clash")]).catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(UniqueViolation);
    expect((failed as UniqueViolation).code).toBe("P2002");
    expect((await a.db.insightCluster.findMany({ select: { id: true, title: true } })).map((c) => c.title)).toEqual(["first"]);
    // Prisma's own writes and transactions go on as before.
    await a.db.$transaction(async (tx) => tx.insightCluster.update({ where: { id }, data: { title: "renamed" } }));
    expect(await writes.transaction([clusterInsert(other, "second")])).toEqual([1]);
    expect((await a.db.insightCluster.findMany({ orderBy: { id: "asc" }, select: { title: true } })).map((c) => c.title)).toEqual(["renamed", "second"]);
  });

  test("batches asked for together commit together, yet each is all or nothing: a refused one is undone alone", async () => {
    const { a } = await organisation();
    const writes = a.ctx.writes!;
    const taken = newId();
    await writes.transaction([clusterInsert(taken, "taken")]);
    const [x, y, z] = [newId(), newId(), newId()];
    const results = await Promise.allSettled([
      writes.transaction([clusterInsert(x, "x")]),
      writes.transaction([clusterInsert(y, "y"), clusterInsert(taken, "clash")]),
      writes.transaction([clusterInsert(z, "z")]),
    ]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect((results[1] as PromiseRejectedResult).reason).toBeInstanceOf(UniqueViolation);
    expect((await a.db.insightCluster.findMany({ orderBy: { title: "asc" }, select: { title: true } })).map((c) => c.title)).toEqual(["taken", "x", "z"]);
  });

  test("a batch never joins an open Prisma transaction: it commits on its own, after it, whatever that transaction does", async () => {
    const { a } = await organisation();
    const writes = a.ctx.writes!;
    const ours = newId();
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let started!: () => void;
    const open = new Promise<void>((r) => (started = r));
    const prismaTx = a.db
      .$transaction(async (tx) => {
        await tx.insightCluster.create({ data: { id: newId(), title: "rolled back", firstSeenAt: new Date(), lastSeenAt: new Date() } });
        started();
        await held;
        throw new Error("changed its mind");
      }, { timeout: 20_000 })
      .catch((e: Error) => e.message);
    await open;
    const batch = writes.transaction([clusterInsert(ours, "ours")]);
    release();
    expect(await prismaTx).toBe("changed its mind");
    expect(await batch).toEqual([1]);
    expect((await a.db.insightCluster.findMany({ select: { id: true, title: true } }))).toEqual([{ id: ours, title: "ours" }]);
  });

  test("ids grow within a process, so rows of the same millisecond keep their order", () => {
    const ids = Array.from({ length: 5000 }, () => newId());
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids.slice(0, 10)) expect(id).toMatch(/^c[0-9a-z]{24}$/);
  });
});
