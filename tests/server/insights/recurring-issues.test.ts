/**
 * The recurring-issues verbs of server/domain/insight-clusters.ts against a real database, on rows
 * written straight to it (another instance's insights, old ones) and on the app's injected clock:
 * the window read in full, the per-instance index (its own insights at once, another instance's
 * after a minute), joining and starting clusters and the race for a neighbour, names, trends, the
 * list, and spike alerts.
 */
import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import type { Prisma } from "../../../server/generated/prisma/client.js";
import type { Ctx } from "../../../server/domain/context.js";
import {
  checkSpikes,
  clusterName,
  clusterTrend,
  findCluster,
  headlineTrend,
  listRecurringIssues,
  rememberClusterFacts,
  trendText,
  type ClusterInput,
} from "../../../server/domain/insight-clusters.js";
import { makeUser, startTestApp, type TestApp } from "../../helpers/app.js";
import { fakeClock } from "./factories.js";

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

let clock: ReturnType<typeof fakeClock>;
let app: TestApp;
let ctx: Ctx;
let t0: number;
// An app of its own per test: the index, the name memory and the spike memory are per context, and
// each test counts the rows it wrote.
beforeEach(async () => {
  clock = fakeClock();
  t0 = clock.now().getTime();
  app = await startTestApp({ clock });
  ctx = app.atrium.ctx;
});
afterEach(async () => {
  vi.restoreAllMocks();
  await app.close();
});

const at = (ms: number) => new Date(t0 + ms);

/** An insight as the database holds it, written straight there (as another instance or an old row). */
async function row(text: string, when: number, over: Partial<Prisma.InsightUncheckedCreateInput> & { tags?: { skillId: string; kind: string }[] } = {}) {
  const { tags, ...data } = over;
  const label = data.sentimentLabel ?? "negative";
  return ctx.db.insight.create({
    data: {
      text,
      channel: "email",
      sentimentScore: label === "positive" ? 0.6 : label === "negative" ? -0.6 : 0,
      sentimentLabel: label,
      sentimentAuto: label,
      createdAt: at(when),
      ...data,
      ...(tags ? { tags: { create: tags } } : {}),
    },
  });
}

/** What the product does for a new insight: find its cluster, store it, remember it. */
async function record(text: string, when: number, opts: { label?: string; tagIds?: string[]; on?: Ctx } = {}) {
  const c = opts.on ?? ctx;
  const facts: ClusterInput = { text, createdAt: at(when), tagIds: opts.tagIds ?? [], label: opts.label ?? "negative" };
  const clusterId = await findCluster(c, facts);
  const stored = await row(text, when, { sentimentLabel: facts.label, clusterId, ...(facts.tagIds.length ? { tags: facts.tagIds.map((skillId) => ({ skillId, kind: "topic" })) } : {}) });
  await rememberClusterFacts(c, stored.id, { ...facts, clusterId });
  return { id: stored.id, clusterId };
}

const probe = (text: string, when: number, over: Partial<ClusterInput> = {}): ClusterInput => ({ text, createdAt: at(when), tagIds: [], label: "negative", ...over });
const clusterOf = async (id: string) => (await ctx.db.insight.findUniqueOrThrow({ where: { id }, select: { clusterId: true } })).clusterId;
const cluster = (id: string) => ctx.db.insightCluster.findUniqueOrThrow({ where: { id } });

describe("finding a cluster", () => {
  test("the window is read in full on the injected clock: a complaint from the window's first millisecond, behind 300 newer insights, starts a cluster; one a millisecond older does not", async () => {
    const edge = await row("Refund not received for order 81, still waiting", -7 * DAY);
    await row("Refund not received for order 82, bank shows nothing", -7 * DAY - 1);
    await ctx.db.insight.createMany({
      data: Array.from({ length: 300 }, (_, i) => ({
        text: `parcel ${i % 2 ? "late" : "early"} at courier depot number ${i}`,
        channel: "email",
        sentimentScore: 0,
        sentimentLabel: "neutral",
        sentimentAuto: "neutral",
        createdAt: at(-6 * DAY + i * MIN),
      })),
    });
    const id = await findCluster(ctx, probe("My refund was not received, two weeks now", 0));
    expect(id).not.toBeNull();
    expect(await clusterOf(edge.id)).toBe(id);
    const c = await cluster(id!);
    expect(c).toMatchObject({ title: "Refund, billing or charges: refund not received", firstSeenAt: at(0), lastSeenAt: at(0) });
    // The one a millisecond before the window stays out of it.
    expect(await ctx.db.insight.count({ where: { clusterId: id } })).toBe(1);
  });

  test("nothing to compare (no words, no tags) is no cluster, and neither is a complaint with no similar neighbour", async () => {
    // The first insight of an instance with no words: no index is read, and none remembers it.
    expect((await record("Is it 42?", -HOUR)).clusterId).toBeNull();
    expect(await findCluster(ctx, probe("Is it 42?", 0))).toBeNull();
    await row("The mobile app crashes when I open settings", -HOUR);
    expect(await findCluster(ctx, probe("Refund not received for order 81", 0))).toBeNull();
    expect(await ctx.db.insightCluster.count()).toBe(0);
  });

  test("praise never joins a complaint, nor a complaint praise, with the same words, also when the index is read from the database", async () => {
    const complaint = await row("Support agent was rude on the phone, awful", -2 * HOUR, { sentimentLabel: "negative" });
    const praise = await row("Support agent on the phone was lovely, great", -HOUR, { sentimentLabel: "positive" });
    const p = await findCluster(ctx, probe("Support agent on the phone was lovely and kind, great", 0, { label: "positive" }));
    expect(p).not.toBeNull();
    expect(await clusterOf(praise.id)).toBe(p);
    expect(await clusterOf(complaint.id)).toBeNull();
    const n = await findCluster({ ...ctx }, probe("Support agent on the phone was rude again, awful", MIN));
    expect(n).not.toBeNull();
    expect(n).not.toBe(p);
    expect(await clusterOf(complaint.id)).toBe(n);
  });

  test("tags read from the database count: two insights with no words join by the tag they share, not by another tag", async () => {
    const billing = await ctx.db.skill.create({ data: { name: "billing", label: "Billing" } });
    const refunds = await ctx.db.skill.create({ data: { name: "refunds", label: "Refunds" } });
    await row("Or 9?", -2 * HOUR, { tags: [{ skillId: refunds.id, kind: "topic" }] });
    const a = await row("Is it 42?", -HOUR, { tags: [{ skillId: billing.id, kind: "product" }] });
    const id = await findCluster(ctx, probe("Was it 7?", 0, { tagIds: [billing.id] }));
    expect(id).not.toBeNull();
    expect(await ctx.db.insight.findMany({ where: { clusterId: id }, select: { id: true } })).toEqual([{ id: a.id }]);
  });

  test("the third similar complaint joins the cluster the first two started; its last-seen time follows the members to the minute", async () => {
    const a = await record("Invoice amount wrong, charged twice for March", 0);
    expect(a.clusterId).toBeNull();
    const b = await record("I was charged twice, invoice amount is wrong", MIN);
    expect(b.clusterId).not.toBeNull();
    expect(await clusterOf(a.id)).toBe(b.clusterId);
    expect(await cluster(b.clusterId!)).toMatchObject({ title: "Refund, billing or charges: invoice amount charged", firstSeenAt: at(MIN), lastSeenAt: at(MIN) });
    const c = await record("Wrong invoice amount again, charged twice!", 3 * MIN);
    expect(c.clusterId).toBe(b.clusterId);
    expect((await cluster(b.clusterId!)).lastSeenAt).toEqual(at(3 * MIN));
    // Within a minute of the last write the row is left alone…
    expect(await findCluster(ctx, probe("Charged twice again, the invoice amount is wrong", 4 * MIN))).toBe(b.clusterId);
    expect((await cluster(b.clusterId!)).lastSeenAt).toEqual(at(3 * MIN));
    // …and written again after it.
    expect(await findCluster(ctx, probe("Charged twice again, the invoice amount is wrong", 4 * MIN + 1))).toBe(b.clusterId);
    expect((await cluster(b.clusterId!)).lastSeenAt).toEqual(at(4 * MIN + 1));
    // A clock behind the last write (another instance's, a test's) writes what it saw.
    expect(await findCluster(ctx, probe("Charged twice again, the invoice amount is wrong", 3 * MIN + 30_000))).toBe(b.clusterId);
    expect((await cluster(b.clusterId!)).lastSeenAt).toEqual(at(3 * MIN + 30_000));
    expect(await ctx.db.insightCluster.count()).toBe(1);
  });

  test("clusters read from the database are joined as clusters (their last-seen time moves), not re-paired with a member", async () => {
    const k = await ctx.db.insightCluster.create({ data: { title: "Stored", firstSeenAt: at(-2 * HOUR), lastSeenAt: at(-HOUR) } });
    await row("Refund not received for order 81, still waiting", -2 * HOUR, { clusterId: k.id });
    await row("My refund was not received, two weeks now", -HOUR, { clusterId: k.id });
    expect(await findCluster(ctx, probe("Still no refund received for my order", 0))).toBe(k.id);
    expect((await cluster(k.id)).lastSeenAt).toEqual(at(0));
    expect(await ctx.db.insightCluster.count()).toBe(1);
  });

  test("past 100,000 insights the index forgets those out of every later window, and only those", async () => {
    // Wall time stands still, so the index is not read again however long this takes.
    vi.spyOn(Date, "now").mockReturnValue(Date.now());
    await findCluster(ctx, probe("The mobile app crashes when I open settings", 0));
    const old = await row("Refund not received for order 81, still waiting", MIN);
    await rememberClusterFacts(ctx, old.id, { text: old.text, createdAt: at(MIN), tagIds: [], label: "negative", clusterId: null });
    // 100,000 with the next one: adding it passes the bound.
    for (let i = 0; i < 99_999; i++) {
      await rememberClusterFacts(ctx, `filler-${i}`, { text: "Parcel late at the courier depot", createdAt: at(2 * MIN), tagIds: [], label: "neutral", clusterId: null });
    }
    const last = await row("Refund not received for order 82, bank shows nothing", 7 * DAY + MIN + 1);
    await rememberClusterFacts(ctx, last.id, { text: last.text, createdAt: at(7 * DAY + MIN + 1), tagIds: [], label: "negative", clusterId: null });
    // The first refund complaint is out of the window now and forgotten; the newest is a neighbour.
    const id = await findCluster(ctx, probe("My refund was not received, two weeks now", 7 * DAY + 2 * MIN));
    expect(id).not.toBeNull();
    expect(await clusterOf(last.id)).toBe(id);
    expect(await clusterOf(old.id)).toBeNull();
  });

  test("a cluster's stored title is cut at 140 characters", async () => {
    const words = ["a", "b", "c"].map((x) => x.repeat(70));
    await record(`${words.join(" ")} refund`, 0);
    const b = await record(`${words.join(" ")} refund again`, MIN);
    const { title } = await cluster(b.clusterId!);
    expect(title).toHaveLength(140);
    expect(title.startsWith(`Refund, billing or charges: ${words[0]}`)).toBe(true);
  });

  test("the index sees this instance's own insights at once, another instance's within a minute of wall time", async () => {
    const a = await record("Refund not received for order 81, still waiting", 0);
    const other = await row("Parcel arrived broken, box crushed", MIN);
    // Its own: the next complaint pairs with it without reading the database again.
    const b = await record("My refund was not received, two weeks now", 2 * MIN);
    expect(b.clusterId).not.toBeNull();
    expect(await clusterOf(a.id)).toBe(b.clusterId);
    // Another instance's: not yet…
    expect(await findCluster(ctx, probe("Parcel arrived broken again, box crushed", 3 * MIN))).toBeNull();
    // …but once the index is a minute old, it is read again.
    const now = Date.now();
    vi.spyOn(Date, "now").mockReturnValue(now + 60_000);
    const id = await findCluster(ctx, probe("Parcel arrived broken again, box crushed", 4 * MIN));
    expect(id).not.toBeNull();
    expect(await clusterOf(other.id)).toBe(id);
  });

  test("an insight older than the index's window start reads the window again, so its own week is searched", async () => {
    const old = await row("Refund not received for order 81, still waiting", -9 * DAY);
    await record("The mobile app crashes when I open settings", 0);
    const id = await findCluster(ctx, probe("My refund was not received, two weeks now", -3 * DAY));
    expect(id).not.toBeNull();
    expect(await clusterOf(old.id)).toBe(id);
  });

  test("an insight remembered at the index's first millisecond is a neighbour", async () => {
    await findCluster(ctx, probe("The mobile app crashes when I open settings", 0));
    const first = await row("Refund not received for order 81, still waiting", -7 * DAY);
    await rememberClusterFacts(ctx, first.id, { text: first.text, createdAt: at(-7 * DAY), tagIds: [], label: "negative", clusterId: null });
    const id = await findCluster(ctx, probe("My refund was not received, two weeks now", 0));
    expect(id).not.toBeNull();
    expect(await clusterOf(first.id)).toBe(id);
  });

  test("another instance clustered the neighbour a moment ago: the new insight joins that cluster, leaves no empty one, and the index learns it", async () => {
    const a = await record("Refund not received for order 81, still waiting", 0);
    const theirs = await ctx.db.insightCluster.create({ data: { title: "Theirs", firstSeenAt: at(MIN), lastSeenAt: at(MIN) } });
    await ctx.db.insight.update({ where: { id: a.id }, data: { clusterId: theirs.id } });
    expect(await findCluster(ctx, probe("My refund was not received, two weeks now", 2 * MIN))).toBe(theirs.id);
    expect(await ctx.db.insightCluster.findMany({ select: { id: true } })).toEqual([{ id: theirs.id }]);
    expect((await cluster(theirs.id)).lastSeenAt).toEqual(at(MIN));
    // The index now holds the neighbour in that cluster: the next one joins it as a cluster (and moves its last-seen time).
    expect(await findCluster(ctx, probe("Still no refund received for my order", 5 * MIN))).toBe(theirs.id);
    expect((await cluster(theirs.id)).lastSeenAt).toEqual(at(5 * MIN));
  });

  test("a neighbour deleted since the index read it: no cluster, and none left behind", async () => {
    const a = await record("Refund not received for order 81, still waiting", 0);
    await ctx.db.insight.delete({ where: { id: a.id } });
    expect(await findCluster(ctx, probe("My refund was not received, two weeks now", MIN))).toBeNull();
    expect(await ctx.db.insightCluster.count()).toBe(0);
  });
});

describe("naming a cluster", () => {
  for (const read of ["prepared SQL", "Prisma"] as const) {
    const on = () => (read === "Prisma" ? { ...ctx, reads: undefined } : ctx);

    test(`named by its newest 100 members, the newest first (then the later id), whose text and label give the topic (${read})`, async () => {
      const k = await ctx.db.insightCluster.create({ data: { title: "Stored", firstSeenAt: at(-3 * DAY), lastSeenAt: at(0) } });
      // 60 older members about a crushed parcel, 100 newer ones about a refund: only the refund ones count.
      for (let i = 0; i < 60; i++) await row(`Parcel arrived broken, box crushed, order ${i}`, -3 * DAY + i * MIN, { id: `old-${String(i).padStart(3, "0")}`, clusterId: k.id });
      for (let i = 0; i < 100; i++) await row(`Refund not received for order ${i}`, -2 * DAY + i * MIN, { id: `new-${String(i).padStart(3, "0")}`, clusterId: k.id });
      expect(await clusterName(on(), k.id)).toBe("Refund, billing or charges: refund not received");
      // Two newest at the same millisecond: the later id is the first, and its text and label give the topic.
      // (The earlier id stored first, so the storage order cannot stand in for the id's.)
      await row("Refund not received once more", HOUR, { id: "aa-newest", clusterId: k.id });
      await row("Parcel arrived broken, box crushed again", HOUR, { id: "zz-newest", clusterId: k.id });
      expect(await clusterName(on(), k.id, at(2 * HOUR))).toMatch(/^Lost or damaged item: /);
      // The newest one's text, then its label alone, name it again.
      await ctx.db.insight.update({ where: { id: "zz-newest" }, data: { text: "Great service, lovely staff, thank you" } });
      expect(await clusterName(on(), k.id, at(2 * HOUR))).toBe("refund not received");
      await ctx.db.insight.update({ where: { id: "zz-newest" }, data: { sentimentLabel: "positive" } });
      expect(await clusterName(on(), k.id, at(2 * HOUR))).toMatch(/^Praise[^:]*: refund not received$/);
    });

    test(`a remembered name follows its members' texts (${read})`, async () => {
      const k = await ctx.db.insightCluster.create({ data: { title: "Stored", firstSeenAt: at(0), lastSeenAt: at(0) } });
      await row("Refund not received for order 81", 0, { clusterId: k.id });
      await row("My refund was not received, two weeks now", MIN, { clusterId: k.id });
      // Newer insights of no cluster or another do not name it.
      await row("Parcel arrived broken, box crushed", 2 * MIN);
      const other = await ctx.db.insightCluster.create({ data: { title: "Other", firstSeenAt: at(0), lastSeenAt: at(0) } });
      await row("Parcel arrived broken again, box crushed", 3 * MIN, { clusterId: other.id });
      expect(await clusterName(on(), k.id)).toBe("Refund, billing or charges: refund not received");
      expect(await clusterName(on(), k.id)).toBe("Refund, billing or charges: refund not received");
      await ctx.db.insight.updateMany({ where: { clusterId: k.id }, data: { text: "Charged twice on my invoice again" } });
      expect(await clusterName(on(), k.id)).toBe("Refund, billing or charges: charged twice invoice");
    });
  }

  test("names weigh words by their rarity within the window only: older insights change nothing", async () => {
    const k = await ctx.db.insightCluster.create({ data: { title: "Stored", firstSeenAt: at(-2 * HOUR), lastSeenAt: at(-HOUR) } });
    await row("Courier depot lost parcel", -2 * HOUR, { clusterId: k.id });
    await row("Courier depot lost parcel", -HOUR, { clusterId: k.id });
    const name = await clusterName(ctx, k.id);
    expect(name).toMatch(/: courier depot lost$/);
    // Twenty insights about couriers from before the window: a fresh index names it the same.
    for (let i = 0; i < 20; i++) await row(`Courier delay ${i}`, -8 * DAY - i * MIN);
    expect(await clusterName({ ...ctx }, k.id)).toBe(name);
  });

  test("a cluster whose members all moved has no name: the list shows its stored title", async () => {
    const k = await ctx.db.insightCluster.create({ data: { title: "Refund not received", firstSeenAt: at(-DAY), lastSeenAt: at(0) } });
    expect(await clusterName(ctx, k.id)).toBe("");
    const [issue] = await listRecurringIssues(ctx);
    expect(issue).toMatchObject({ id: k.id, title: "Refund not received", headline: "Refund not received (0 this week, as the week before)" });
  });
});

describe("trends and the list", () => {
  for (const read of ["prepared SQL", "Prisma"] as const) {
    const on = () => (read === "Prisma" ? { ...ctx, reads: undefined } : ctx);

    test(`a trend counts the 7 days up to now and the 7 before on the injected clock, each window open at its start (${read})`, async () => {
      const k = await ctx.db.insightCluster.create({ data: { title: "Refunds", firstSeenAt: at(-14 * DAY), lastSeenAt: at(0) } });
      const other = await ctx.db.insightCluster.create({ data: { title: "Other", firstSeenAt: at(0), lastSeenAt: at(0) } });
      // recent: now, an hour ago, 7 days less a millisecond ago; previous: 7 days ago, 14 days less a millisecond ago;
      // neither: 14 days ago, a millisecond from now.
      for (const when of [0, -HOUR, -7 * DAY + 1, -7 * DAY, -14 * DAY + 1, -14 * DAY, 1]) await row("Refund not received", when, { clusterId: k.id });
      await row("Refund not received", -HOUR, { clusterId: other.id });
      await row("Refund not received", -HOUR);
      expect(await clusterTrend(on(), k.id)).toEqual({ total: 7, recent: 3, previous: 2, days: 7, text: "3 similar in 7 days, up from 2" });
      // A day later: the newest three are recent, the two from about 7 days ago the week before.
      expect(await clusterTrend(on(), k.id, at(DAY))).toEqual({ total: 7, recent: 3, previous: 2, days: 7, text: "3 similar in 7 days, up from 2" });
      const empty = await ctx.db.insightCluster.create({ data: { title: "Empty", firstSeenAt: at(0), lastSeenAt: at(0) } });
      expect(await clusterTrend(on(), empty.id)).toEqual({ total: 0, recent: 0, previous: 0, days: 7, text: "0 similar in 7 days, same as the 7 days before" });
    });

    test(`the list: clusters seen in the last 14 days, the 10 last seen (then the later id), the busiest this week first (${read})`, async () => {
      const made: string[] = [];
      // Stored with the later id first, so the storage order cannot stand in for the id's.
      for (let i = 12; i >= 1; i--) {
        // k10 and k11 were last seen at the same moment: the later id is taken.
        const seen = at(-(i === 11 ? 10 : i) * HOUR);
        const c = await ctx.db.insightCluster.create({ data: { id: `k${String(i).padStart(2, "0")}`, title: `Stored ${i}`, firstSeenAt: at(-DAY), lastSeenAt: seen } });
        made.push(c.id);
      }
      await ctx.db.insightCluster.create({ data: { id: "edge", title: "Edge", firstSeenAt: at(-20 * DAY), lastSeenAt: at(-14 * DAY) } });
      await ctx.db.insightCluster.create({ data: { id: "gone", title: "Gone", firstSeenAt: at(-20 * DAY), lastSeenAt: at(-14 * DAY - 1) } });
      // k05: two this week; k09: one this week and one the week before; k03: two the week before, one at its very end.
      await row("Refund not received for order 81", -2 * HOUR, { clusterId: "k05" });
      await row("My refund was not received, two weeks now", -3 * HOUR, { clusterId: "k05" });
      await row("Charged twice on my invoice", -4 * HOUR, { clusterId: "k09" });
      await row("Charged twice on my invoice again", -8 * DAY, { clusterId: "k09" });
      await row("Parcel arrived broken", -9 * DAY, { clusterId: "k03" });
      await row("Parcel arrived broken", -7 * DAY, { clusterId: "k03" });
      const list = await listRecurringIssues(on());
      expect(list.map((x) => x.id)).toEqual(["k05", "k09", "k01", "k02", "k03", "k04", "k06", "k07", "k08", "k11"]);
      expect(list[0]).toEqual({
        id: "k05",
        title: "Refund, billing or charges: refund not received",
        firstSeenAt: at(-DAY).toISOString(),
        lastSeenAt: at(-5 * HOUR).toISOString(),
        trend: { total: 2, recent: 2, previous: 0, days: 7, text: "2 similar in 7 days, up from 0" },
        headline: "Refund, billing or charges: refund not received (2 this week, up from 0)",
      });
      expect(list[1]!.headline).toBe("Refund, billing or charges: charged twice invoice (1 this week, as the week before)");
      expect(list[4]).toMatchObject({ id: "k03", title: "Lost or damaged item: parcel arrived broken", headline: "Lost or damaged item: parcel arrived broken (0 this week, down from 2)" });
      expect(list[2]).toMatchObject({ title: "Stored 1", headline: "Stored 1 (0 this week, as the week before)" });
      const all = await listRecurringIssues(on(), { limit: 50 });
      expect(all.map((x) => x.id).sort()).toEqual([...made, "edge"].sort());
      // The last seen are taken first, then ordered by this week's count.
      expect((await listRecurringIssues(on(), { limit: 5 })).map((x) => x.id)).toEqual(["k05", "k01", "k02", "k03", "k04"]);
    });
  }

  test("at most 50 recurring issues, however many are asked for, with every one's trend", async () => {
    await ctx.db.insightCluster.createMany({ data: Array.from({ length: 55 }, (_, i) => ({ id: `c${String(i).padStart(2, "0")}`, title: `Stored ${i}`, firstSeenAt: at(-DAY), lastSeenAt: at(-i * MIN) })) });
    await row("Refund not received for order 81", -HOUR, { clusterId: "c49" });
    for (const on of [ctx, { ...ctx, reads: undefined }]) {
      const list = await listRecurringIssues(on, { limit: 60 });
      expect(list).toHaveLength(50);
      expect(list[0]).toMatchObject({ id: "c49", trend: { total: 1, recent: 1 } });
      expect(list.slice(1).every((x) => x.trend.total === 0)).toBe(true);
    }
  });

  test("headlines", () => {
    expect(headlineTrend({ recent: 2, previous: 5 })).toBe("2 this week, down from 5");
    expect(headlineTrend({ recent: 4, previous: 4 })).toBe("4 this week, as the week before");
    expect(trendText({ recent: 0, previous: 1, days: 7 })).toBe("0 similar in 7 days, down from 1");
  });
});

describe("spike alerts", () => {
  let shipping: { id: string };
  let teamA: { id: string };
  let teamB: { id: string };
  let told: { a: string; b: string; inactive: string };
  beforeEach(async () => {
    shipping = await ctx.db.skill.create({ data: { name: "shipping-delays", label: "Shipping delays" } });
    const a = await makeUser(app.atrium, { name: "Ana" });
    const b = await makeUser(app.atrium, { name: "Ben" });
    const gone = await makeUser(app.atrium, { name: "Gus" });
    await ctx.db.user.update({ where: { id: gone.user.id }, data: { active: false } });
    teamA = await ctx.db.team.create({ data: { name: "Logistics", slug: "logistics", members: { create: [{ userId: a.user.id }, { userId: gone.user.id }] } } });
    teamB = await ctx.db.team.create({ data: { name: "Support", slug: "support", members: { create: [{ userId: b.user.id }] } } });
    told = { a: a.user.id, b: b.user.id, inactive: gone.user.id };
  });

  /** `n` insights tagged with the topic, spread over (from, to]. */
  async function tagged(n: number, from: number, to: number, skillId = shipping.id, kind = "topic") {
    for (let i = 1; i <= n; i++) await row(`Parcel late ${i}`, from + ((to - from) * i) / n, { tags: [{ skillId, kind }] });
  }
  const spikeNotes = (userId: string) => ctx.db.notification.findMany({ where: { userId, type: "insight.spike" }, select: { title: true, body: true, link: true } });
  const spike = (when: number, over: { topicIds?: string[]; teamIds?: string[] } = {}, on = ctx) =>
    checkSpikes(on, { id: "x", createdAt: at(when), topicIds: over.topicIds ?? [shipping.id], teamIds: over.teamIds ?? [teamA.id, teamB.id] });

  test("five topic insights in 24 hours, one usual a day: each routed team is alerted once, its active members told the count and the usual volume", async () => {
    await tagged(5, -DAY, 0);
    // Not in the window: the one at its very start (it is in the week before), one a moment later, a product tag, another topic.
    await row("Parcel late", -DAY, { tags: [{ skillId: shipping.id, kind: "topic" }] });
    await row("Parcel late", 1, { tags: [{ skillId: shipping.id, kind: "topic" }] });
    await row("Parcel late", -HOUR, { tags: [{ skillId: shipping.id, kind: "product" }] });
    const other = await ctx.db.skill.create({ data: { name: "billing", label: "Billing" } });
    await tagged(5, -DAY, 0, other.id);
    const alerts = await spike(0);
    expect(alerts).toEqual([
      { skillId: shipping.id, teamId: teamA.id, count: 5, baseline: 1 / 7 },
      { skillId: shipping.id, teamId: teamB.id, count: 5, baseline: 1 / 7 },
    ]);
    expect(await ctx.db.spikeAlert.findMany({ orderBy: { teamId: "asc" }, select: { skillId: true, teamId: true, count: true, baseline: true, createdAt: true } })).toEqual(
      [teamA.id, teamB.id].sort().map((teamId) => ({ skillId: shipping.id, teamId, count: 5, baseline: expect.closeTo(1 / 7, 12), createdAt: at(0) })),
    );
    const note = { title: "Spike: 5 insights about Shipping delays in 24 h", body: "Usually about 0.1 a day over the last 7 days.", link: "/insights?tag=shipping-delays" };
    expect(await spikeNotes(told.a)).toEqual([note]);
    expect(await spikeNotes(told.b)).toEqual([note]);
    expect(await spikeNotes(told.inactive)).toEqual([]);
  });

  test("four are no spike; five are none either when two a day are usual (the week before's first moment not counted); six are", async () => {
    await tagged(4, -DAY, 0);
    expect(await spike(0)).toEqual([]);
    // 14 in the week before the window (and one at its very start, outside it): two a day.
    await tagged(14, -8 * DAY, -DAY);
    await row("Parcel late", -8 * DAY, { tags: [{ skillId: shipping.id, kind: "topic" }] });
    await row("Parcel late", -30 * MIN, { tags: [{ skillId: shipping.id, kind: "topic" }] });
    expect(await spike(0)).toEqual([]);
    await row("Parcel late", -20 * MIN, { tags: [{ skillId: shipping.id, kind: "topic" }] });
    expect(await spike(0, { teamIds: [teamA.id] })).toEqual([{ skillId: shipping.id, teamId: teamA.id, count: 6, baseline: 2 }]);
    expect(await spikeNotes(told.a)).toEqual([
      { title: "Spike: 6 insights about Shipping delays in 24 h", body: "Usually about 2.0 a day over the last 7 days.", link: "/insights?tag=shipping-delays" },
    ]);
    expect(await spikeNotes(told.b)).toEqual([]);
  });

  test("once per topic and team a day, also across instances; a day after the alert, again", async () => {
    await tagged(5, -DAY, 0);
    expect(await spike(0, { teamIds: [teamA.id] })).toHaveLength(1);
    await tagged(1, 0, HOUR);
    expect(await spike(HOUR, { teamIds: [teamA.id] })).toEqual([]);
    // Another instance (a context of its own, the same database) finds the alert already made…
    const other = { ...ctx };
    expect(await spike(2 * HOUR, { teamIds: [teamA.id] }, other)).toEqual([]);
    // …but a team not yet alerted is.
    expect(await spike(2 * HOUR, {}, other)).toEqual([{ skillId: shipping.id, teamId: teamB.id, count: 6, baseline: 0 }]);
    // A day after the first alert to the millisecond, still spiking: again, once.
    await tagged(5, DAY - HOUR, DAY - 30 * MIN);
    expect(await spike(DAY, { teamIds: [teamA.id] }, other)).toEqual([{ skillId: shipping.id, teamId: teamA.id, count: 6, baseline: 5 / 7 }]);
    expect(await spike(DAY + MIN, { teamIds: [teamA.id] })).toEqual([]);
    expect(await ctx.db.spikeAlert.count({ where: { teamId: teamA.id } })).toBe(2);
    expect(await spikeNotes(told.a)).toHaveLength(2);
  });

  /** A context of its own (an instance) whose database calls are listed as `Model.operation`. */
  function watched() {
    const calls: string[] = [];
    const db = ctx.db.$extends({
      query: {
        $allModels: {
          $allOperations({ model, operation, args, query }: { model: string; operation: string; args: unknown; query: (a: unknown) => Promise<unknown> }) {
            calls.push(`${model}.${operation}`);
            return query(args);
          },
        },
      },
    } as never) as unknown as Ctx["db"];
    return { on: { ...ctx, db } as Ctx, calls };
  }

  test("after an alert the burst goes on without a query for that topic and team until the day is over, also on an instance that found another's alert", async () => {
    await tagged(5, -DAY, 0);
    const first = watched();
    expect(await spike(0, { teamIds: [teamA.id] }, first.on)).toHaveLength(1);
    first.calls.length = 0;
    await tagged(1, 0, HOUR);
    // The same instance, within the day: nothing is counted and no alert is looked up.
    expect(await spike(HOUR, { teamIds: [teamA.id] }, first.on)).toEqual([]);
    expect(await spike(DAY - 1, { teamIds: [teamA.id] }, first.on)).toEqual([]);
    expect(first.calls).toEqual([]);
    // Another team is still counted on the same instance.
    expect(await spike(2 * HOUR, { teamIds: [teamB.id] }, first.on)).toEqual([{ skillId: shipping.id, teamId: teamB.id, count: 6, baseline: 0 }]);
    expect(first.calls).toContain("InsightTag.count");
    // Another instance looks the alert up once, then remembers it until a day after it was made.
    const second = watched();
    expect(await spike(3 * HOUR, { teamIds: [teamA.id] }, second.on)).toEqual([]);
    expect(second.calls).toContain("SpikeAlert.findFirst");
    second.calls.length = 0;
    expect(await spike(DAY - 1, { teamIds: [teamA.id] }, second.on)).toEqual([]);
    expect(second.calls).toEqual([]);
    // At the day's end the memory is over: the counts are read again.
    expect(await spike(DAY, { teamIds: [teamA.id] }, second.on)).toEqual([]);
    expect(second.calls).toContain("InsightTag.count");
  });

  test("no topic or no routed team: no alert, nothing written", async () => {
    await tagged(6, -DAY, 0);
    expect(await spike(0, { topicIds: [] })).toEqual([]);
    expect(await spike(0, { teamIds: [] })).toEqual([]);
    expect(await ctx.db.spikeAlert.count()).toBe(0);
    expect(await ctx.db.notification.count()).toBe(0);
    // The positive control: the same spike with both alerts.
    expect(await spike(0, { teamIds: [teamA.id] })).toHaveLength(1);
  });
});
