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
const MAX_CANDIDATES = 400;

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

/**
 * Finds the most similar insight of the last CLUSTER_WINDOW_DAYS and joins its cluster
 * (creating one for the pair if it has none). Returns the cluster id or null.
 */
export async function assignCluster(ctx: Ctx, insight: { id: string; text: string; createdAt: Date; tagIds: string[] }) {
  const since = new Date(insight.createdAt.getTime() - CLUSTER_WINDOW_DAYS * 86_400_000);
  const me: ClusterFacts = { tokens: tokenize(insight.text), tags: new Set(insight.tagIds) };
  if (!me.tokens.size && !me.tags.size) return null;
  // Candidates: recent insights sharing a tag, plus (when untagged) the most recent ones.
  const candidates = await ctx.db.insight.findMany({
    where: {
      id: { not: insight.id },
      createdAt: { gte: since, lte: insight.createdAt },
      ...(insight.tagIds.length ? { tags: { some: { skillId: { in: insight.tagIds } } } } : {}),
    },
    orderBy: { createdAt: "desc" },
    take: MAX_CANDIDATES,
    select: { id: true, text: true, clusterId: true, tags: { select: { skillId: true } } },
  });
  let best: (typeof candidates)[number] | null = null;
  let bestScore = 0;
  for (const c of candidates) {
    const s = similarity(me, { tokens: tokenize(c.text), tags: new Set(c.tags.map((t) => t.skillId)) });
    if (s > bestScore) [best, bestScore] = [c, s];
  }
  if (!best || bestScore < CLUSTER_THRESHOLD) return null;
  const now = insight.createdAt;
  let clusterId = best.clusterId;
  if (!clusterId) {
    const cluster = await ctx.db.insightCluster.create({
      data: { title: best.text.slice(0, 140), firstSeenAt: now, lastSeenAt: now },
    });
    clusterId = cluster.id;
    await ctx.db.insight.updateMany({ where: { id: best.id, clusterId: null }, data: { clusterId } });
  }
  await ctx.db.$transaction([
    ctx.db.insight.update({ where: { id: insight.id }, data: { clusterId } }),
    ctx.db.insightCluster.update({ where: { id: clusterId }, data: { lastSeenAt: now } }),
  ]);
  return clusterId;
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
export async function checkSpikes(
  ctx: Ctx,
  insight: { id: string; createdAt: Date; topicIds: string[]; teamIds: string[] },
): Promise<{ skillId: string; teamId: string; count: number; baseline: number }[]> {
  const alerts: { skillId: string; teamId: string; count: number; baseline: number }[] = [];
  if (!insight.topicIds.length || !insight.teamIds.length) return alerts;
  const now = insight.createdAt;
  const windowStart = new Date(now.getTime() - SPIKE_WINDOW_HOURS * 3_600_000);
  const baseStart = new Date(windowStart.getTime() - SPIKE_BASELINE_DAYS * 86_400_000);
  for (const skillId of insight.topicIds) {
    const count = await ctx.db.insightTag.count({ where: { skillId, kind: "topic", insight: { createdAt: { gt: windowStart, lte: now } } } });
    if (count < SPIKE_MIN_COUNT) continue;
    const before = await ctx.db.insightTag.count({
      where: { skillId, kind: "topic", insight: { createdAt: { gt: baseStart, lte: windowStart } } },
    });
    const baseline = before / ((SPIKE_BASELINE_DAYS * 24) / SPIKE_WINDOW_HOURS);
    if (count < SPIKE_FACTOR * Math.max(baseline, 1)) continue;
    const skill = await ctx.db.skill.findUnique({ where: { id: skillId }, select: { label: true, name: true } });
    for (const teamId of insight.teamIds) {
      const recent = await ctx.db.spikeAlert.findFirst({ where: { skillId, teamId, createdAt: { gt: windowStart } }, select: { id: true } });
      if (recent) continue;
      await ctx.db.spikeAlert.create({ data: { skillId, teamId, count, baseline, createdAt: now } });
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
