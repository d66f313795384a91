/**
 * Recurring issues in the database: an insight joins the cluster whose centroid its words resemble
 * most, among the insights of the last CLUSTER_WINDOW_DAYS with the same polarity (the pure index
 * is server/insights/cluster-index.ts); volume spikes on a topic alert the team it was routed to.
 */
import { ClusterIndex, CLUSTER_WINDOW_DAYS, clusterTopicOf, polarityOf, termsOf } from "../insights/cluster-index.js";
import type { Ctx } from "./context.js";
import { groupsOf, inGroup, sqlDateParam, type SqlValue } from "../db-reads.js";
import { notify } from "./notifications.js";
import { recentClustersSql } from "./insight-reads.js";

export { CLUSTER_THRESHOLD, CLUSTER_WINDOW_DAYS } from "../insights/cluster-index.js";

export const SPIKE_WINDOW_HOURS = 24;
export const SPIKE_BASELINE_DAYS = 7;
/** A spike: at least SPIKE_MIN_COUNT in the window and SPIKE_FACTOR × the usual daily volume. */
export const SPIKE_MIN_COUNT = 5;
export const SPIKE_FACTOR = 3;

const WINDOW_MS = CLUSTER_WINDOW_DAYS * 86_400_000;
/**
 * The index is per app instance and rebuilt from the database at most this often (wall time), so
 * insights stored by another instance are seen within a minute; this instance's own are added at once.
 */
const RELOAD_MS = 60_000;

interface IndexState {
  index: ClusterIndex;
  loadedAt: number;
  /** Insights created at or after this are in the index. */
  since: number;
}
const indexes = new WeakMap<Ctx, IndexState>();

async function indexFor(ctx: Ctx, at: Date): Promise<IndexState> {
  const since = at.getTime() - WINDOW_MS;
  const hit = indexes.get(ctx);
  if (hit && Date.now() - hit.loadedAt < RELOAD_MS && since >= hit.since) return hit;
  // The window is read in full: every insight of it, by token, not the most recent few hundred.
  const rows = await ctx.db.insight.findMany({
    where: { createdAt: { gte: new Date(since) } },
    select: { id: true, text: true, createdAt: true, sentimentLabel: true, clusterId: true, tags: { select: { skillId: true } } },
  });
  const index = new ClusterIndex(WINDOW_MS);
  for (const r of rows) {
    const topic = clusterTopicOf(r.text, r.sentimentLabel);
    index.add({ id: r.id, at: r.createdAt.getTime(), polarity: polarityOf(r.sentimentLabel), topic, terms: termsOf(r.text, r.tags.map((t) => t.skillId), topic), clusterId: r.clusterId });
  }
  const state = { index, loadedAt: Date.now(), since };
  indexes.set(ctx, state);
  return state;
}

export interface ClusterInput {
  text: string;
  createdAt: Date;
  tagIds: string[];
  /** The sentiment label: praise never joins complaints. */
  label: string;
}

/** After an insight is stored: it becomes a neighbour for the next ones. */
export async function rememberClusterFacts(ctx: Ctx, id: string, insight: ClusterInput & { clusterId: string | null }) {
  const state = indexes.get(ctx);
  if (!state || insight.createdAt.getTime() < state.since) return;
  const topic = clusterTopicOf(insight.text, insight.label);
  state.index.add({ id, at: insight.createdAt.getTime(), polarity: polarityOf(insight.label), topic, terms: termsOf(insight.text, insight.tagIds, topic), clusterId: insight.clusterId });
  if (state.index.size > 100_000) state.index.evictBefore(insight.createdAt.getTime() - WINDOW_MS);
}

const lastSeenWritten = new Map<string, number>();

/**
 * Before a new insight is stored: the cluster it joins (creating one with its closest unclustered
 * neighbour if need be), or null.
 */
export async function findCluster(ctx: Ctx, insight: ClusterInput): Promise<string | null> {
  const topic = clusterTopicOf(insight.text, insight.label);
  const terms = termsOf(insight.text, insight.tagIds, topic);
  if (!terms.length) return null;
  const { index } = await indexFor(ctx, insight.createdAt);
  const match = index.match({ at: insight.createdAt.getTime(), polarity: polarityOf(insight.label), topic, terms });
  if (!match) return null;
  const now = insight.createdAt;
  if (match.kind === "cluster") {
    // lastSeenAt orders the recurring-issues list; minute precision is plenty.
    const seen = lastSeenWritten.get(match.clusterId) ?? 0;
    if (now.getTime() - seen > 60_000 || now.getTime() < seen) {
      await ctx.db.insightCluster.update({ where: { id: match.clusterId }, data: { lastSeenAt: now } });
      lastSeenWritten.set(match.clusterId, now.getTime());
      if (lastSeenWritten.size > 10_000) lastSeenWritten.clear();
    }
    return match.clusterId;
  }
  const firstText = (await ctx.db.insight.findUnique({ where: { id: match.withId }, select: { text: true } }))?.text ?? "";
  const cluster = await ctx.db.insightCluster.create({ data: { title: index.nameOf([firstText, insight.text], 3, topic).slice(0, 140), firstSeenAt: now, lastSeenAt: now } });
  const claimed = await ctx.db.insight.updateMany({ where: { id: match.withId, clusterId: null }, data: { clusterId: cluster.id } });
  if (claimed.count === 0) {
    // Someone clustered the neighbour a moment ago: join that cluster instead.
    await ctx.db.insightCluster.delete({ where: { id: cluster.id } });
    const other = (await ctx.db.insight.findUnique({ where: { id: match.withId }, select: { clusterId: true } }))?.clusterId ?? null;
    if (other) index.assign(match.withId, other);
    return other;
  }
  index.assign(match.withId, cluster.id);
  return cluster.id;
}

/** A cluster's name: its members' topic and top words, "Refund, billing or charges: refund not received". */
export async function clusterName(ctx: Ctx, clusterId: string, now = ctx.clock.now()) {
  const members = ctx.reads
    ? await ctx.reads.all<{ text: string; sentimentLabel: string }>(`SELECT "text", "sentimentLabel" FROM "Insight" WHERE "clusterId" = ? ORDER BY "createdAt" DESC, "id" DESC LIMIT 100`, clusterId)
    : await ctx.db.insight.findMany({ where: { clusterId }, orderBy: [{ createdAt: "desc" }, { id: "desc" }], take: 100, select: { text: true, sentimentLabel: true } });
  const { index } = await indexFor(ctx, now);
  // The name is a pure function of these texts, the first one's label and the index's word
  // rarities: every /insights view names the same clusters, so the answer is remembered under
  // exactly those inputs (the index's generation changes with every insight added or removed).
  const key = `${index.generation}\u0000${members[0]?.sentimentLabel ?? ""}\u0000${members.map((m) => m.text).join("\u0000")}`;
  let byCluster = clusterNames.get(index);
  if (!byCluster) clusterNames.set(index, (byCluster = new Map()));
  const known = byCluster.get(clusterId);
  if (known?.key === key) return known.name;
  const topic = members[0] ? clusterTopicOf(members[0].text, members[0].sentimentLabel) : null;
  const name = index.nameOf(members.map((m) => m.text), 3, topic);
  if (byCluster.size >= 1000) byCluster.clear();
  byCluster.set(clusterId, { key, name });
  return name;
}
const clusterNames = new WeakMap<ClusterIndex, Map<string, { key: string; name: string }>>();

export function trendText(t: { recent: number; previous: number; days: number }) {
  const base = `${t.recent} similar in ${t.days} days`;
  if (t.previous === t.recent) return `${base}, same as the ${t.days} days before`;
  return `${base}, ${t.recent > t.previous ? "up" : "down"} from ${t.previous}`;
}

export function headlineTrend(t: { recent: number; previous: number }) {
  const base = `${t.recent} this week`;
  if (t.previous === t.recent) return `${base}, as the week before`;
  return `${base}, ${t.recent > t.previous ? "up" : "down"} from ${t.previous}`;
}

/** Count in the last window vs the window before: "14 similar in 7 days, up from 3". */
export async function clusterTrend(ctx: Ctx, clusterId: string, now = ctx.clock.now()) {
  // Every insight page of a clustered insight: the three counts in one prepared statement.
  if (ctx.reads) return (await clusterTrends(ctx, [clusterId], now)).get(clusterId)!;
  const days = CLUSTER_WINDOW_DAYS;
  const a = new Date(now.getTime() - days * 86_400_000);
  const b = new Date(now.getTime() - 2 * days * 86_400_000);
  const [total, recent, previous] = await Promise.all([
    ctx.db.insight.count({ where: { clusterId } }),
    ctx.db.insight.count({ where: { clusterId, createdAt: { gt: a, lte: now } } }),
    ctx.db.insight.count({ where: { clusterId, createdAt: { gt: b, lte: a } } }),
  ]);
  const t = { total, recent, previous, days };
  return { ...t, text: trendText(t) };
}

/** clusterTrend for many clusters: three grouped counts in all, not three per cluster. */
async function clusterTrends(ctx: Ctx, ids: string[], now: Date) {
  const days = CLUSTER_WINDOW_DAYS;
  const a = new Date(now.getTime() - days * 86_400_000);
  const b = new Date(now.getTime() - 2 * days * 86_400_000);
  if (ctx.reads) {
    // Every /insights view: the three counts in one prepared statement (decision 175).
    const rows = (
      await Promise.all(
        groupsOf(ids).map((g) =>
          ctx.reads!.all<{ id: string; total: SqlValue; recent: SqlValue; previous: SqlValue }>(
            `SELECT "clusterId" AS "id", COUNT(*) AS "total",
               SUM(CASE WHEN "createdAt" > ? AND "createdAt" <= ? THEN 1 ELSE 0 END) AS "recent",
               SUM(CASE WHEN "createdAt" > ? AND "createdAt" <= ? THEN 1 ELSE 0 END) AS "previous"
             FROM "Insight" WHERE "clusterId" IN ${inGroup} GROUP BY "clusterId"`,
            sqlDateParam(a), sqlDateParam(now), sqlDateParam(b), sqlDateParam(a), ...g,
          ),
        ),
      )
    ).flat();
    const byId = new Map(rows.map((r) => [r.id, r]));
    return new Map(
      ids.map((id) => {
        const r = byId.get(id);
        const t = { total: Number(r?.total ?? 0), recent: Number(r?.recent ?? 0), previous: Number(r?.previous ?? 0), days };
        return [id, { ...t, text: trendText(t) }];
      }),
    );
  }
  const count = (createdAt?: { gt: Date; lte: Date }) =>
    ids.length
      ? ctx.db.insight
          .groupBy({ by: ["clusterId"], where: { clusterId: { in: ids }, ...(createdAt ? { createdAt } : {}) }, _count: { _all: true } })
          .then((rows) => new Map(rows.map((r) => [r.clusterId, r._count._all])))
      : Promise.resolve(new Map<string | null, number>());
  const [total, recent, previous] = await Promise.all([count(), count({ gt: a, lte: now }), count({ gt: b, lte: a })]);
  return new Map(
    ids.map((id) => {
      const t = { total: total.get(id) ?? 0, recent: recent.get(id) ?? 0, previous: previous.get(id) ?? 0, days };
      return [id, { ...t, text: trendText(t) }];
    }),
  );
}

export async function listRecurringIssues(ctx: Ctx, opts: { limit?: number } = {}) {
  const now = ctx.clock.now();
  const since = new Date(now.getTime() - 2 * CLUSTER_WINDOW_DAYS * 86_400_000);
  const take = Math.min(opts.limit ?? 10, 50);
  const clusters = ctx.reads
    ? await recentClustersSql(ctx.reads, since, take)
    : await ctx.db.insightCluster.findMany({
        where: { lastSeenAt: { gte: since } },
        orderBy: [{ lastSeenAt: "desc" }, { id: "desc" }],
        take,
        select: { id: true, title: true, firstSeenAt: true, lastSeenAt: true },
      });
  const trends = await clusterTrends(ctx, clusters.map((c) => c.id), now);
  const out = await Promise.all(
    clusters.map(async (c) => {
      const name = await clusterName(ctx, c.id, now);
      const trend = trends.get(c.id)!;
      return {
        id: c.id,
        title: name || c.title,
        firstSeenAt: c.firstSeenAt.toISOString(),
        lastSeenAt: c.lastSeenAt.toISOString(),
        trend,
        /** "refund not received (14 this week, up from 3)" */
        headline: `${name || c.title} (${headlineTrend(trend)})`,
      };
    }),
  );
  return out.sort((x, y) => y.trend.recent - x.trend.recent);
}

/**
 * After an insight is routed: for each of its topic tags, compare the last SPIKE_WINDOW_HOURS with
 * the usual daily volume; a spike notifies the routed teams once per day per topic and team.
 */
// Per instance: (topic, team) pairs already alerted in the current window, so a burst does not
// query for its own alert again and again. The SpikeAlert table stays the truth.
const alertedUntil = new WeakMap<Ctx, Map<string, number>>();

export async function checkSpikes(
  ctx: Ctx,
  insight: { id: string; createdAt: Date; topicIds: string[]; teamIds: string[] },
): Promise<{ skillId: string; teamId: string; count: number; baseline: number }[]> {
  const alerts: { skillId: string; teamId: string; count: number; baseline: number }[] = [];
  if (!insight.topicIds.length || !insight.teamIds.length) return alerts;
  let alerted = alertedUntil.get(ctx);
  if (!alerted) alertedUntil.set(ctx, (alerted = new Map()));
  const now = insight.createdAt;
  const windowMs = SPIKE_WINDOW_HOURS * 3_600_000;
  const windowStart = new Date(now.getTime() - windowMs);
  const baseStart = new Date(windowStart.getTime() - SPIKE_BASELINE_DAYS * 86_400_000);
  for (const skillId of insight.topicIds) {
    const teams = insight.teamIds.filter((t) => (alerted.get(`${skillId}|${t}`) ?? 0) <= now.getTime());
    if (!teams.length) continue;
    const count = await ctx.db.insightTag.count({ where: { skillId, kind: "topic", insight: { createdAt: { gt: windowStart, lte: now } } } });
    if (count < SPIKE_MIN_COUNT) continue;
    const before = await ctx.db.insightTag.count({
      where: { skillId, kind: "topic", insight: { createdAt: { gt: baseStart, lte: windowStart } } },
    });
    const baseline = before / ((SPIKE_BASELINE_DAYS * 24) / SPIKE_WINDOW_HOURS);
    if (count < SPIKE_FACTOR * Math.max(baseline, 1)) continue;
    for (const teamId of teams) {
      const key = `${skillId}|${teamId}`;
      const recent = await ctx.db.spikeAlert.findFirst({ where: { skillId, teamId, createdAt: { gt: windowStart } }, select: { createdAt: true } });
      if (recent) {
        alerted.set(key, recent.createdAt.getTime() + windowMs);
        continue;
      }
      await ctx.db.spikeAlert.create({ data: { skillId, teamId, count, baseline, createdAt: now } });
      alerted.set(key, now.getTime() + windowMs);
      const skill = await ctx.db.skill.findUnique({ where: { id: skillId }, select: { label: true, name: true } });
      const members = await ctx.db.teamMembership.findMany({ where: { teamId, user: { active: true } }, select: { userId: true } });
      await notify(ctx, members.map((m) => m.userId), {
        type: "insight.spike",
        title: `Spike: ${count} insights about ${skill?.label ?? "a topic"} in ${SPIKE_WINDOW_HOURS} h`,
        body: `Usually about ${baseline.toFixed(1)} a day over the last ${SPIKE_BASELINE_DAYS} days.`,
        link: `/insights?tag=${encodeURIComponent(skill?.name ?? "")}`,
      });
      alerts.push({ skillId, teamId, count, baseline });
    }
  }
  return alerts;
}
