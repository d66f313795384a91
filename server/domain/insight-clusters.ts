/**
 * Recurring issues: an insight joins the cluster of the most similar recent insight (text and
 * tags, within a time window); volume spikes on a topic alert the team the insight was routed to.
 * The similarity is a weighted Jaccard (pure, tested in tests/server/insights/clusters.test.ts).
 */
import type { Ctx } from "./context.js";
import { notify } from "./notifications.js";

export const CLUSTER_WINDOW_DAYS = 7;
/** An insight joins a cluster when its similarity to a member reaches this (tags alone, 0.4, are not enough). */
export const CLUSTER_THRESHOLD = 0.5;
const TEXT_WEIGHT = 0.6;
const TAG_WEIGHT = 0.4;
/** The most recent tag-sharing insights compared with a new one. */
const MAX_CANDIDATES = 200;

export const SPIKE_WINDOW_HOURS = 24;
export const SPIKE_BASELINE_DAYS = 7;
/** A spike: at least SPIKE_MIN_COUNT in the window and SPIKE_FACTOR × the usual daily volume. */
export const SPIKE_MIN_COUNT = 5;
export const SPIKE_FACTOR = 3;

// Function words carry no topic. (A stop list for clustering, not a sentiment lexicon.)
const STOP = new Set(
  "the and for are but not you your yours our ours with this that have has had was were been being they them their there here from what when where which who whom why how all any can could would should will just than then too very into onto over under again about after before because while into out off its it's i'm im ive i've me my mine we us she her his him he it is am be do does did doing a an of to in on at by or as so if no yes".split(
    " ",
  ),
);

export function tokenize(text: string): Set<string> {
  const out = new Set<string>();
  for (const raw of text.toLowerCase().normalize("NFKD").match(/[\p{L}\p{N}]+/gu) ?? []) {
    if (raw.length < 3 || STOP.has(raw)) continue;
    // Plural folding is enough to make "invoices" meet "invoice".
    out.add(raw.length > 4 && raw.endsWith("s") && !raw.endsWith("ss") ? raw.slice(0, -1) : raw);
  }
  return out;
}

export function jaccard<T>(a: Set<T>, b: Set<T>): number {
  if (!a.size && !b.size) return 0;
  let inter = 0;
  const [small, big] = a.size < b.size ? [a, b] : [b, a];
  for (const x of small) if (big.has(x)) inter++;
  return inter / (a.size + b.size - inter);
}

export interface ClusterFacts {
  tokens: Set<string>;
  tags: Set<string>;
}

/** 0..1. Without tags on either side the text decides alone. */
export function similarity(a: ClusterFacts, b: ClusterFacts): number {
  const text = jaccard(a.tokens, b.tokens);
  if (!a.tags.size && !b.tags.size) return text;
  return TEXT_WEIGHT * text + TAG_WEIGHT * jaccard(a.tags, b.tags);
}

// Texts and tags of insights never change, so their token sets are cached per app instance: the
// database decides which insights are candidates, the cache spares re-reading and re-tokenizing.
const MAX_CACHED = 20_000;
const factsCache = new WeakMap<Ctx, Map<string, ClusterFacts>>();
function cacheOf(ctx: Ctx) {
  let c = factsCache.get(ctx);
  if (!c) factsCache.set(ctx, (c = new Map()));
  return c;
}
export function rememberClusterFacts(ctx: Ctx, id: string, facts: ClusterFacts) {
  const c = cacheOf(ctx);
  c.set(id, facts);
  if (c.size > MAX_CACHED) c.delete(c.keys().next().value!);
}

const lastSeenWritten = new Map<string, number>();

/**
 * Before a new insight is stored: finds the most similar insight of the last CLUSTER_WINDOW_DAYS
 * and returns its cluster (creating one for the pair if it has none), or null.
 */
export async function findCluster(ctx: Ctx, insight: { text: string; createdAt: Date; tagIds: string[] }, me: ClusterFacts = { tokens: tokenize(insight.text), tags: new Set(insight.tagIds) }) {
  const since = new Date(insight.createdAt.getTime() - CLUSTER_WINDOW_DAYS * 86_400_000);
  if (!me.tokens.size && !me.tags.size) return null;
  // Candidates: recent insights sharing a tag (or, when untagged, the most recent ones).
  const candidates = await ctx.db.insight.findMany({
    where: {
      createdAt: { gte: since, lte: insight.createdAt },
      ...(insight.tagIds.length ? { tags: { some: { skillId: { in: insight.tagIds } } } } : {}),
    },
    orderBy: { createdAt: "desc" },
    take: MAX_CANDIDATES,
    select: { id: true, clusterId: true },
  });
  const cache = cacheOf(ctx);
  const missing = candidates.filter((c) => !cache.has(c.id)).map((c) => c.id);
  if (missing.length) {
    const rows = await ctx.db.insight.findMany({ where: { id: { in: missing } }, select: { id: true, text: true, tags: { select: { skillId: true } } } });
    for (const r of rows) rememberClusterFacts(ctx, r.id, { tokens: tokenize(r.text), tags: new Set(r.tags.map((t) => t.skillId)) });
  }
  let best: (typeof candidates)[number] | null = null;
  let bestScore = 0;
  for (const c of candidates) {
    const f = cache.get(c.id);
    if (!f) continue;
    const s = similarity(me, f);
    if (s > bestScore) [best, bestScore] = [c, s];
  }
  if (!best || bestScore < CLUSTER_THRESHOLD) return null;
  const now = insight.createdAt;
  if (best.clusterId) {
    // lastSeenAt orders the recurring-issues list; minute precision is plenty.
    const seen = lastSeenWritten.get(best.clusterId) ?? 0;
    if (now.getTime() - seen > 60_000 || now.getTime() < seen) {
      await ctx.db.insightCluster.update({ where: { id: best.clusterId }, data: { lastSeenAt: now } });
      lastSeenWritten.set(best.clusterId, now.getTime());
      if (lastSeenWritten.size > 10_000) lastSeenWritten.clear();
    }
    return best.clusterId;
  }
  const firstText = (await ctx.db.insight.findUnique({ where: { id: best.id }, select: { text: true } }))?.text ?? "";
  const cluster = await ctx.db.insightCluster.create({ data: { title: firstText.slice(0, 140), firstSeenAt: now, lastSeenAt: now } });
  const claimed = await ctx.db.insight.updateMany({ where: { id: best.id, clusterId: null }, data: { clusterId: cluster.id } });
  if (claimed.count === 0) {
    // Someone clustered the neighbour a moment ago: join that cluster instead.
    await ctx.db.insightCluster.delete({ where: { id: cluster.id } });
    return (await ctx.db.insight.findUnique({ where: { id: best.id }, select: { clusterId: true } }))?.clusterId ?? null;
  }
  return cluster.id;
}

export function trendText(t: { recent: number; previous: number; days: number }) {
  const base = `${t.recent} similar in ${t.days} days`;
  if (t.previous === t.recent) return `${base}, same as the ${t.days} days before`;
  return `${base}, ${t.recent > t.previous ? "up" : "down"} from ${t.previous}`;
}

/** Count in the last window vs the window before: "14 similar in 7 days, up from 3". */
export async function clusterTrend(ctx: Ctx, clusterId: string, now = ctx.clock.now()) {
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

export async function listRecurringIssues(ctx: Ctx, opts: { limit?: number } = {}) {
  const now = ctx.clock.now();
  const since = new Date(now.getTime() - 2 * CLUSTER_WINDOW_DAYS * 86_400_000);
  const clusters = await ctx.db.insightCluster.findMany({
    where: { lastSeenAt: { gte: since } },
    orderBy: { lastSeenAt: "desc" },
    take: Math.min(opts.limit ?? 10, 50),
    select: { id: true, title: true, firstSeenAt: true, lastSeenAt: true },
  });
  const out = await Promise.all(
    clusters.map(async (c) => ({
      id: c.id,
      title: c.title,
      firstSeenAt: c.firstSeenAt.toISOString(),
      lastSeenAt: c.lastSeenAt.toISOString(),
      trend: await clusterTrend(ctx, c.id, now),
    })),
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
