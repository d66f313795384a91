/**
 * Customer insights: the verbs behind the feed, the inbox, the detail page and the ingest API.
 * recordInsight is the one path by which an insight enters Atrium (form or API): score sentiment,
 * resolve tags in the shared vocabulary, route with the rules, store, cluster, then tell people.
 */
import type { InsightSummary } from "../../app/realtime/events.js";
import {
  AccountSchema,
  ApiInsightSchema,
  InsightFilterSchema,
  InsightLinksSchema,
  NewInsightSchema,
  OPEN_STATUSES,
  SentimentOverrideSchema,
  TransitionSchema,
  type InsightStatus,
  type Priority,
  type SentimentLabel,
} from "../../app/schemas/insights.js";
import { z } from "zod";
import type { Prisma } from "../generated/prisma/client.js";
import type { Actor } from "../policy.js";
import { authorize, can } from "../policy.js";
import { parse, type Ctx } from "./context.js";
import { DomainError, ForbiddenError, NotFoundError, ValidationError } from "./errors.js";
import { checkSpikes, clusterTrend, findCluster, listRecurringIssues, rememberClusterFacts } from "./insight-clusters.js";
import type { TokenAuth } from "./api-tokens.js";
import { notify } from "./notifications.js";
import { presentSummary, SUMMARY_SELECT } from "./insight-presenters.js";
import { storeInsight } from "./insight-writes.js";
import { groupsOf, inGroup } from "../db-reads.js";
import { feedPageSql, insightPageExtrasSql, insightPageSql } from "./insight-reads.js";
import { evaluateRules, loadRoutingConfig } from "./routing-rules.js";
import { explainSentiment, scoreSentiment } from "./sentiment.js";
import { recogniseTopics } from "../insights/topics.js";
import { trainSuggester, type Decision, type TeamSuggester } from "../insights/team-suggester.js";
import { addMinutes, deadlines, slaTimers } from "./sla.js";
import { resolveSkills } from "./skills.js";

// ---------------------------------------------------------------------------------------------
// Presenting (the shapes themselves live in insight-presenters.ts)
// ---------------------------------------------------------------------------------------------

async function loadSummaryRow(ctx: Ctx, id: string) {
  const row = await ctx.db.insight.findUnique({ where: { id }, select: SUMMARY_SELECT });
  if (!row) throw new NotFoundError("That insight");
  return row;
}

export async function myTeamIds(ctx: Ctx, actor: Actor): Promise<string[]> {
  const rows = await ctx.db.teamMembership.findMany({ where: { userId: actor.id }, select: { teamId: true } });
  return rows.map((r) => r.teamId);
}

async function relation(ctx: Ctx, actor: Actor, row: { postedById: string | null; routes: { teamId: string }[] }) {
  const mine = new Set(await myTeamIds(ctx, actor));
  return { postedById: row.postedById, onRoutedTeam: row.routes.some((r) => mine.has(r.teamId)) };
}

// ---------------------------------------------------------------------------------------------
// Accounts
// ---------------------------------------------------------------------------------------------

export async function listAccounts(ctx: Ctx) {
  const rows = await ctx.db.customerAccount.findMany({
    orderBy: { name: "asc" },
    select: { id: true, name: true, segment: true, tier: true, _count: { select: { insights: true } } },
  });
  return rows.map(({ _count, ...a }) => ({ ...a, insights: _count.insights }));
}

type AccountRef = { id: string; name: string; tier: string };
// Accounts named by the ingest API, per instance, briefly: edits here clear it; another instance
// sees a renamed account or a new tier within ACCOUNT_CACHE_MS. Unknown names always ask the database.
const ACCOUNT_CACHE_MS = 30_000;
const accountCache = new WeakMap<Ctx, Map<string, { account: AccountRef; at: number }>>();
async function findAccount(ctx: Ctx, nameOrId: string): Promise<AccountRef | null> {
  let cache = accountCache.get(ctx);
  if (!cache) accountCache.set(ctx, (cache = new Map()));
  const hit = cache.get(nameOrId);
  if (hit && Date.now() - hit.at < ACCOUNT_CACHE_MS) return hit.account;
  const account = await ctx.db.customerAccount.findFirst({ where: { OR: [{ name: nameOrId }, { id: nameOrId }] }, select: { id: true, name: true, tier: true } });
  if (account) {
    if (cache.size > 5000) cache.clear();
    cache.set(nameOrId, { account, at: Date.now() });
  }
  return account;
}

export async function createAccount(ctx: Ctx, actor: Actor, input: unknown) {
  authorize(actor, "insight.manageAccounts", null);
  const data = parse(AccountSchema, input);
  if (await ctx.db.customerAccount.findUnique({ where: { name: data.name } })) {
    throw new ValidationError({ name: ["An account with this name already exists."] });
  }
  return ctx.db.customerAccount.create({ data: { ...data, createdAt: ctx.clock.now() }, select: { id: true, name: true } });
}

export async function updateAccount(ctx: Ctx, actor: Actor, id: string, input: unknown) {
  authorize(actor, "insight.manageAccounts", null);
  const data = parse(AccountSchema, input);
  if (!(await ctx.db.customerAccount.findUnique({ where: { id } }))) throw new NotFoundError("That account");
  const clash = await ctx.db.customerAccount.findFirst({ where: { name: data.name, NOT: { id } } });
  if (clash) throw new ValidationError({ name: ["An account with this name already exists."] });
  await ctx.db.customerAccount.update({ where: { id }, data });
  accountCache.delete(ctx);
}

// ---------------------------------------------------------------------------------------------
// Entering an insight
// ---------------------------------------------------------------------------------------------

interface Draft {
  text: string;
  channel: string;
  sourceUrl: string | null;
  products: string[];
  topics: string[];
  integration: { id: string; name: string } | null;
  externalId: string | null;
}

const uniq = <T>(xs: T[]) => [...new Set(xs)];

type Tag = { id: string; name: string; label: string };
// Typed tag → vocabulary entry, per instance; synonyms changing ("org.changed" skill) clear it.
const tagCache = new WeakMap<Ctx, Map<string, Tag>>();
async function resolveTags(ctx: Ctx, names: string[]): Promise<Map<string, Tag>> {
  let cache = tagCache.get(ctx);
  if (!cache) {
    const c = (cache = new Map());
    tagCache.set(ctx, c);
    ctx.bus.subscribe("org.changed", (p) => void (p.kind === "skill" && c.clear()));
  }
  const missing = names.filter((n) => !cache.has(n));
  if (missing.length) {
    const ids = await resolveSkills(ctx.db, missing);
    const rows = await ctx.db.skill.findMany({ where: { id: { in: [...new Set(ids.values())] } }, select: { id: true, name: true, label: true } });
    const byId = new Map(rows.map((r) => [r.id, r]));
    for (const n of missing) cache.set(n, byId.get(ids.get(n)!)!);
  }
  // Taken before the memory is bounded: clearing it must not lose this insight's tags.
  const tags = new Map(names.map((n) => [n, cache.get(n)!]));
  if (cache.size > 5000) cache.clear();
  return tags;
}

async function recordInsight(
  ctx: Ctx,
  d: Draft & { account: { id: string; name: string; tier: string } | null; postedBy: { id: string; name: string } | null },
): Promise<InsightSummary> {
  const now = ctx.clock.now();
  const sentiment = scoreSentiment(d.text);
  const tags = await resolveTags(ctx, [...d.products, ...d.topics]);
  const productTags = uniqBy(d.products.map((n) => tags.get(n)!));
  const topicTags = uniqBy(d.topics.map((n) => tags.get(n)!));
  const productIds = productTags.map((t) => t.id);
  const topicIds = topicTags.map((t) => t.id);

  const { rules, settings, teamNames, teamMembers } = await loadRoutingConfig(ctx);
  const customerTopics = recogniseTopics(d.text, sentiment.label).map((t) => t.key);
  const decision = evaluateRules(
    rules,
    { text: d.text, channel: d.channel, tier: d.account?.tier ?? null, sentimentScore: sentiment.score, productIds, topicIds, customerTopics },
    settings.matchMode,
  );
  const teamIds = decision?.teamIds ?? [settings.triageTeamId];
  const sla = decision ?? { ackWithinMinutes: settings.triageAckMinutes, resolveWithinMinutes: settings.triageResolveMinutes, priority: "normal" as const };
  const teams = teamIds.map((id) => ({ id, name: teamNames.get(id) ?? "(team)" }));
  const due = deadlines(now, sla);
  const facts = { text: d.text, createdAt: now, tagIds: [...new Set([...productIds, ...topicIds])], label: sentiment.label };
  const clusterId = await findCluster(ctx, facts);

  const id = await storeInsight(ctx, {
    row: {
      text: d.text,
      channel: d.channel,
      accountId: d.account?.id ?? null,
      sourceUrl: d.sourceUrl,
      postedById: d.postedBy?.id ?? null,
      integrationId: d.integration?.id ?? null,
      externalId: d.externalId,
      sentimentScore: sentiment.score,
      sentimentLabel: sentiment.label,
      sentimentAuto: sentiment.label,
      priority: sla.priority,
      matchedRuleIds: JSON.stringify(decision?.matched.map((r) => r.id) ?? []),
      ...due,
      clusterId,
      createdAt: now,
    },
    tags: [...productIds.map((skillId) => ({ skillId, kind: "product" as const })), ...topicIds.map((skillId) => ({ skillId, kind: "topic" as const }))],
    routes: teamIds.map((teamId) => ({ teamId, ruleId: decision?.ruleByTeam.get(teamId) ?? null })),
    events: [
      { type: "created", actorId: d.postedBy?.id ?? null, note: d.integration ? `Received from the integration "${d.integration.name}".` : "" },
      {
        type: "routed",
        actorId: null,
        toValue: teams.map((t) => t.name).join(", "),
        note: decision ? `Matched: ${decision.matched.map((r) => r.name).join(", ")}.` : "No rule matched: sent to triage.",
      },
    ],
  });
  await rememberClusterFacts(ctx, id, { ...facts, clusterId });

  // Built from what was just written (same shape as presentSummary), sparing a read-back.
  const summary: InsightSummary = {
    id,
    text: d.text,
    channel: d.channel,
    sourceUrl: d.sourceUrl,
    account: d.account && { id: d.account.id, name: d.account.name, tier: d.account.tier },
    postedBy: d.postedBy,
    integration: d.integration,
    sentiment: { score: sentiment.score, label: sentiment.label, auto: sentiment.label, overridden: false },
    status: "new",
    priority: sla.priority,
    teams,
    tags: [...productTags.map((t) => ({ name: t.name, label: t.label, kind: "product" as const })), ...topicTags.map((t) => ({ name: t.name, label: t.label, kind: "topic" as const }))].sort(
      (a, b) => a.kind.localeCompare(b.kind) || a.name.localeCompare(b.name),
    ),
    ackDueAt: due.ackDueAt.toISOString(),
    resolveDueAt: due.resolveDueAt.toISOString(),
    acknowledgedAt: null,
    resolvedAt: null,
    breached: { ack: false, resolve: false },
    clusterId,
    createdAt: now.toISOString(),
  };
  await ctx.bus.publish("insight.routed", { insight: summary, teamIds });

  const members = uniq(teamIds.flatMap((t) => teamMembers.get(t) ?? [])).filter((u) => u !== d.postedBy?.id);
  await notifyRouted(ctx, members, {
    insightId: id,
    title: `New ${sentiment.label} insight${d.account ? ` from ${d.account.name}` : ""} for ${teams.map((t) => t.name).join(", ")}`,
    text: d.text,
  });
  await checkSpikes(ctx, { id, createdAt: now, topicIds, teamIds });
  return summary;
}

/** How long an unread "new insight" notification keeps absorbing the next ones. */
export const ROUTED_GROUP_WINDOW_MS = 10 * 60_000;

/**
 * Tells the routed teams' members, through the bell. One notification per insight while a person
 * keeps up; when they still have an unread one from the last 10 minutes, the new insight is folded
 * into it ("3 new insights for your teams" → the inbox) instead of piling up — a burst of 200
 * complaints must not become 200 bell entries each. The live inbox shows every insight anyway.
 */
type PendingNote = { id: string; type: string; title: string; createdAt: number };
// Per instance: each person's latest unread routed-insight notification as this instance last wrote
// it, so a burst does not look it up again for every insight. Any read (on this instance) forgets
// the person; a read elsewhere is caught by the `readAt: null` guard on the update below.
const pendingNotes = new WeakMap<Ctx, Map<string, PendingNote>>();
function pendingFor(ctx: Ctx) {
  let m = pendingNotes.get(ctx);
  if (!m) {
    const map = (m = new Map());
    pendingNotes.set(ctx, map);
    ctx.bus.subscribe("notification.read", (p) => void map.delete(p.userId));
  }
  return m;
}

async function notifyRouted(ctx: Ctx, userIds: string[], n: { insightId: string; title: string; text: string }) {
  if (!userIds.length) return;
  const now = ctx.clock.now();
  const windowStart = now.getTime() - ROUTED_GROUP_WINDOW_MS;
  const cache = pendingFor(ctx);
  const latest = new Map<string, PendingNote>();
  const unknown: string[] = [];
  for (const u of userIds) {
    const p = cache.get(u);
    if (p && p.createdAt >= windowStart && p.createdAt <= now.getTime()) latest.set(u, p);
    else unknown.push(u);
  }
  if (unknown.length) {
    const pending = await ctx.db.notification.findMany({
      where: { userId: { in: unknown }, type: { in: ["insight.routed", "insight.routed.group"] }, readAt: null, createdAt: { gte: new Date(windowStart) } },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      select: { id: true, userId: true, type: true, title: true, createdAt: true },
    });
    for (const p of pending) if (!latest.has(p.userId)) latest.set(p.userId, { ...p, createdAt: p.createdAt.getTime() });
  }
  const byTitle = new Map<string, string[]>();
  for (const [userId, p] of latest) {
    const count = p.type === "insight.routed.group" ? Number(/^(\d+)/.exec(p.title)?.[1] ?? 1) + 1 : 2;
    const title = `${count} new insights for your teams`;
    byTitle.set(title, [...(byTitle.get(title) ?? []), userId]);
  }
  for (const [title, users] of byTitle) {
    const ids = users.map((u) => latest.get(u)!.id);
    const folded = await foldNotifications(ctx, ids, { type: "insight.routed.group", title, body: `Latest: ${n.text.slice(0, 300)}`, link: "/insights/inbox" });
    if (folded < ids.length) {
      // Some were read meanwhile (another instance): those people get a fresh notification.
      const read = await ctx.db.notification.findMany({ where: { id: { in: ids }, readAt: { not: null } }, select: { userId: true } });
      for (const r of read) {
        latest.delete(r.userId);
        cache.delete(r.userId);
      }
    }
    for (const u of users) if (latest.has(u)) cache.set(u, { ...latest.get(u)!, type: "insight.routed.group", title });
  }
  const fresh = userIds.filter((u) => !latest.has(u));
  if (!fresh.length) return;
  const rows = await ctx.db.notification.createManyAndReturn({
    data: fresh.map((userId) => ({ userId, type: "insight.routed", title: n.title.slice(0, 200), body: n.text.slice(0, 300), link: `/insights/${n.insightId}`, createdAt: now })),
    select: { id: true, userId: true, type: true, title: true, body: true, link: true, createdAt: true },
  });
  if (cache.size > 50_000) cache.clear();
  // The same event notify() publishes: the bell and /notifications update live.
  for (const r of rows) {
    cache.set(r.userId, { id: r.id, type: r.type, title: r.title, createdAt: r.createdAt.getTime() });
    await ctx.bus.publish("notification.created", {
      userId: r.userId,
      notification: { id: r.id, type: r.type, title: r.title, body: r.body, link: r.link, createdAt: r.createdAt.toISOString() },
    });
  }
}

/**
 * Rewrites the still unread ones of these notifications; resolves with how many. Every ingested
 * insight folds into its routed people's notifications: prepared SQL when the context has it.
 */
async function foldNotifications(ctx: Ctx, ids: string[], data: { type: string; title: string; body: string; link: string }): Promise<number> {
  if (!ctx.writes) return (await ctx.db.notification.updateMany({ where: { id: { in: ids }, readAt: null }, data })).count;
  const counts = await ctx.writes.transaction(
    groupsOf(ids).map((g) => ({
      sql: `UPDATE "Notification" SET "type" = ?, "title" = ?, "body" = ?, "link" = ? WHERE "readAt" IS NULL AND "id" IN ${inGroup}`,
      params: [data.type, data.title, data.body, data.link, ...g],
    })),
  );
  return counts.reduce((a, b) => a + b, 0);
}

const uniqBy = (tags: Tag[]) => [...new Map(tags.map((t) => [t.id, t])).values()];

/** A person posts an insight from the form. */
export async function createInsight(ctx: Ctx, actor: Actor, input: unknown) {
  authorize(actor, "insight.create", null);
  const { accountId, ...data } = parse(NewInsightSchema, input);
  const account = accountId ? await ctx.db.customerAccount.findUnique({ where: { id: accountId }, select: { id: true, name: true, tier: true } }) : null;
  if (accountId && !account) throw new ValidationError({ accountId: ["Choose an existing account."] });
  const postedBy = await ctx.db.user.findUnique({ where: { id: actor.id }, select: { id: true, name: true } });
  return recordInsight(ctx, { ...data, account, postedBy, integration: null, externalId: null });
}

const isUniqueViolation = (e: unknown) => !!e && typeof e === "object" && (e as { code?: string }).code === "P2002";

/**
 * The ingest API (POST /api/v1/insights). The API router has already authenticated the token and
 * checked its "insights:ingest" scope. Idempotent by (token, externalId): a repeat answers with the
 * existing insight and writes nothing. All validation happens before the first write.
 */
export async function ingestInsight(ctx: Ctx, auth: TokenAuth, body: unknown) {
  if (!auth.token.scopes.includes("insights:ingest")) throw new ForbiddenError("This token may not send insights.");
  const integration = { id: auth.token.id, name: auth.token.name };
  if (!body || typeof body !== "object" || Array.isArray(body)) throw new DomainError("The body must be one JSON object.", 400, "invalid_json");
  const input = parse(ApiInsightSchema, body);
  const byExternal = () =>
    ctx.db.insight.findUnique({ where: { integrationId_externalId: { integrationId: integration.id, externalId: input.externalId } }, select: { id: true } });
  // Every delivery asks this first: prepared SQL on the read connection (it sees what is committed;
  // a repeat racing the first delivery still ends in the unique-violation branch below).
  const existing = ctx.reads
    ? await ctx.reads.one<{ id: string }>(`SELECT "id" FROM "Insight" WHERE "integrationId" = ? AND "externalId" = ?`, integration.id, input.externalId)
    : await byExternal();
  if (existing) return { id: existing.id, duplicate: true as const };

  let account: { id: string; name: string; tier: string } | null = null;
  if (input.account) {
    account = await findAccount(ctx, input.account);
    if (!account) throw new ValidationError({ account: [`Unknown account "${input.account}". An admin adds accounts under Admin → Insight routing → Accounts.`] });
  }
  let postedBy: { id: string; name: string } | null = null;
  if (input.postedByEmail) {
    postedBy = await ctx.db.user.findFirst({ where: { email: input.postedByEmail, active: true }, select: { id: true, name: true } });
    if (!postedBy) throw new ValidationError({ postedByEmail: ["No active person has this email."] });
  }
  try {
    const insight = await recordInsight(ctx, {
      text: input.text,
      channel: input.channel,
      sourceUrl: input.sourceUrl,
      products: input.products,
      topics: input.topics,
      account,
      postedBy,
      integration,
      externalId: input.externalId,
    });
    return { id: insight.id, duplicate: false as const, insight };
  } catch (e) {
    // Two concurrent deliveries of the same external id: the loser answers like a retry.
    if (isUniqueViolation(e)) {
      const again = await byExternal();
      if (again) return { id: again.id, duplicate: true as const };
    }
    throw e;
  }
}

// ---------------------------------------------------------------------------------------------
// Reading
// ---------------------------------------------------------------------------------------------

const PAGE_SIZE = 25;

function filterWhere(f: ReturnType<typeof InsightFilterSchema.parse>): Prisma.InsightWhereInput {
  const and: Prisma.InsightWhereInput[] = [];
  if (f.team) and.push({ routes: { some: { teamId: f.team } } });
  if (f.status === "open") and.push({ status: { in: [...OPEN_STATUSES] } });
  else if (f.status) and.push({ status: f.status });
  if (f.sentiment) and.push({ sentimentLabel: f.sentiment });
  if (f.channel) and.push({ channel: f.channel });
  if (f.account) and.push({ accountId: f.account });
  if (f.tag) and.push({ tags: { some: { skill: { name: f.tag.toLowerCase() } } } });
  if (f.issue) and.push({ clusterId: f.issue });
  if (f.breached) and.push({ OR: [{ ackBreachedAt: { not: null } }, { resolveBreachedAt: { not: null } }] });
  return and.length ? { AND: and } : {};
}

async function page(ctx: Ctx, where: Prisma.InsightWhereInput, pageNo: number) {
  const [total, rows] = await Promise.all([
    ctx.db.insight.count({ where }),
    ctx.db.insight.findMany({ where, orderBy: [{ createdAt: "desc" }, { id: "desc" }], skip: (pageNo - 1) * PAGE_SIZE, take: PAGE_SIZE, select: SUMMARY_SELECT }),
  ]);
  return { total, page: pageNo, pageSize: PAGE_SIZE, items: rows.map(presentSummary) };
}

/** The company-wide feed: every employee may read every insight. */
export async function listInsights(ctx: Ctx, actor: Actor, input: unknown) {
  authorize(actor, "insight.create", null);
  const f = parse(InsightFilterSchema, input ?? {});
  const pageNo = f.page ?? 1;
  if (ctx.reads) {
    // Every /insights view: prepared SQL (server/domain/insight-reads.ts), the same rows as page().
    const { total, rows } = await feedPageSql(ctx.reads, f, pageNo, PAGE_SIZE);
    return { total, page: pageNo, pageSize: PAGE_SIZE, items: rows.map(presentSummary) };
  }
  return page(ctx, filterWhere(f), pageNo);
}

/** Insights routed to the actor's teams; open ones unless a status is asked for. */
export async function inbox(ctx: Ctx, actor: Actor, input: unknown) {
  const f = parse(InsightFilterSchema, input ?? {});
  const teamIds = await myTeamIds(ctx, actor);
  const teams = await ctx.db.team.findMany({ where: { id: { in: teamIds } }, select: { id: true, name: true }, orderBy: { name: "asc" } });
  const scope = f.team && teamIds.includes(f.team) ? [f.team] : teamIds;
  const where: Prisma.InsightWhereInput = { AND: [{ routes: { some: { teamId: { in: scope } } } }, filterWhere({ ...f, team: undefined, status: f.status ?? "open" })] };
  return { teams, ...(await page(ctx, where, f.page ?? 1)) };
}

export async function feedFilters(ctx: Ctx) {
  const reads = ctx.reads;
  if (reads) {
    // Every /insights view: prepared SQL (server/db-reads.ts, decision 175), the same lists as below.
    const [teams, accounts, tags] = await Promise.all([
      reads.all<{ id: string; name: string }>(`SELECT "id", "name" FROM "Team" ORDER BY "name", "id"`),
      reads.all<{ id: string; name: string; tier: string; segment: string }>(`SELECT "id", "name", "tier", "segment" FROM "CustomerAccount" ORDER BY "name", "id"`),
      reads.all<{ name: string; label: string }>(`SELECT s."name", s."label" FROM "Skill" s WHERE EXISTS (SELECT 1 FROM "InsightTag" t WHERE t."skillId" = s."id") ORDER BY s."name"`),
    ]);
    return { teams, accounts, tags };
  }
  const [teams, accounts, tags] = await Promise.all([
    ctx.db.team.findMany({ orderBy: { name: "asc" }, select: { id: true, name: true } }),
    ctx.db.customerAccount.findMany({ orderBy: { name: "asc" }, select: { id: true, name: true, tier: true, segment: true } }),
    ctx.db.skill.findMany({ where: { insightTags: { some: {} } }, orderBy: { name: "asc" }, select: { name: true, label: true } }),
  ]);
  return { teams, accounts, tags };
}

export function recurringIssues(ctx: Ctx, opts: { limit?: number } = {}) {
  return listRecurringIssues(ctx, opts);
}

/**
 * The sentiment drivers of a text: a pure function of the text (the model changes only with a
 * deploy), the same on every view of an insight, so remembered per text, at most
 * DRIVERS_MEMO_SIZE of them (cleared whole when full); texts over 2,000 characters are worked out
 * each time. Callers must not change the array. (Topics are remembered by recogniseTopics.)
 */
function driversOf(text: string): ReturnType<typeof explainSentiment> {
  if (text.length > 2000) return explainSentiment(text);
  let hit = drivers.get(text);
  if (!hit) {
    hit = explainSentiment(text);
    if (drivers.size >= DRIVERS_MEMO_SIZE) drivers.clear();
    drivers.set(text, hit);
  }
  return hit;
}
const DRIVERS_MEMO_SIZE = 2000;
const drivers = new Map<string, ReturnType<typeof explainSentiment>>();

/** getInsight's row through Prisma (contexts without prepared reads). */
function insightPagePrisma(ctx: Ctx, id: string) {
  return ctx.db.insight.findUnique({
    where: { id },
    select: {
      ...SUMMARY_SELECT,
      resolutionNote: true,
      questionId: true,
      documentId: true,
      externalId: true,
      matchedRuleIds: true,
      sentimentOverriddenAt: true,
      acknowledgedBy: { select: { id: true, name: true } },
      account: { select: { id: true, name: true, tier: true, segment: true } },
      events: {
        orderBy: [{ createdAt: "asc" }, { id: "asc" }],
        select: { id: true, type: true, fromValue: true, toValue: true, note: true, createdAt: true, actor: { select: { id: true, name: true } } },
      },
    },
  });
}

export async function getInsight(ctx: Ctx, actor: Actor, id: string) {
  authorize(actor, "insight.create", null);
  // Every insight page view: prepared SQL (server/domain/insight-reads.ts) when the context has it, the same rows as Prisma's.
  const row = ctx.reads ? await insightPageSql(ctx.reads, id) : await insightPagePrisma(ctx, id);
  if (!row) throw new NotFoundError("That insight");
  const ruleIds = JSON.parse(row.matchedRuleIds) as string[];
  const extras = ctx.reads
    ? await insightPageExtrasSql(ctx.reads, actor.id, ruleIds, row.clusterId, row.id)
    : {
        teamIds: await myTeamIds(ctx, actor),
        rules: ruleIds.length ? await ctx.db.routingRule.findMany({ where: { id: { in: ruleIds } }, select: { id: true, name: true } }) : [],
        cluster: row.clusterId ? await ctx.db.insightCluster.findUnique({ where: { id: row.clusterId }, select: { id: true, title: true } }) : null,
        similar: row.clusterId
          ? await ctx.db.insight.findMany({
              where: { clusterId: row.clusterId, NOT: { id: row.id } },
              orderBy: [{ createdAt: "desc" }, { id: "desc" }],
              take: 5,
              select: { id: true, text: true, createdAt: true, status: true },
            })
          : [],
      };
  const mine = new Set(extras.teamIds);
  const rel = { postedById: row.postedById, onRoutedTeam: row.routes.some((r) => mine.has(r.teamId)) };
  const rules = [...extras.rules].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const { cluster, similar } = extras;
  const summary = presentSummary(row);
  return {
    ...summary,
    account: row.account,
    acknowledgedBy: row.acknowledgedBy,
    resolutionNote: row.resolutionNote,
    externalId: row.externalId,
    routedBy: rules,
    // Recomputed from the text: the words the model weighs most, in either direction.
    sentimentDrivers: driversOf(row.text),
    /** What the customer's words are about, each with the phrases that drove it (the model's label decides praise). */
    customerTopics: recogniseTopics(row.text, row.sentimentAuto),
    suggestedTeam: canReroute(actor, row) ? await suggestTeam(ctx, row.text, row.tags.length ? await tagIdsOf(ctx, id) : []) : null,
    timers: slaTimers(row),
    timeline: row.events.map((e) => ({ ...e, createdAt: e.createdAt.toISOString() })),
    cluster: cluster && { ...cluster, trend: await clusterTrend(ctx, cluster.id), similar: similar.map((s) => ({ ...s, createdAt: s.createdAt.toISOString() })) },
    links: {
      questionId: row.questionId,
      documentId: row.documentId,
      askColleagues: `/questions/new?${new URLSearchParams({ insight: row.id, title: `Customer insight: ${row.text.replace(/\s+/g, " ").slice(0, 90)}` })}`,
    },
    can: {
      handle: can(actor, "insight.handle", rel),
      overrideSentiment: can(actor, "insight.overrideSentiment", rel),
      link: can(actor, "insight.link", rel),
      reroute: canReroute(actor, row),
    },
  };
}
export type InsightDetail = Awaited<ReturnType<typeof getInsight>>;

// ---------------------------------------------------------------------------------------------
// Changing
// ---------------------------------------------------------------------------------------------

const STEP_FROM: Record<string, InsightStatus[]> = {
  acknowledged: ["new"],
  in_progress: ["new", "acknowledged"],
  resolved: ["new", "acknowledged", "in_progress"],
  declined: ["new", "acknowledged", "in_progress"],
  reopened: ["resolved", "declined"],
};

const STEP_TITLE: Record<string, string> = {
  acknowledged: "acknowledged",
  in_progress: "is working on",
  resolved: "resolved",
  declined: "declined",
  reopened: "reopened",
};

/** After a change: tell the routed teams' screens and the person who posted it. */
async function announce(ctx: Ctx, insightId: string, change: string, actorId: string | null, message?: { title: string; body?: string }) {
  const row = await loadSummaryRow(ctx, insightId);
  const summary = presentSummary(row);
  await ctx.bus.publish("insight.updated", { insight: summary, teamIds: row.routes.map((r) => r.teamId), change });
  if (message && row.postedById && row.postedById !== actorId) {
    await notify(ctx, [row.postedById], { type: `insight.${change}`, title: message.title, body: message.body, link: `/insights/${insightId}` });
  }
  return { row, summary };
}

export async function transitionInsight(ctx: Ctx, actor: Actor, id: string, input: unknown) {
  const step = parse(TransitionSchema, input);
  const row = await loadSummaryRow(ctx, id);
  authorize(actor, "insight.handle", await relation(ctx, actor, row));
  const from = row.status as InsightStatus;
  if (!STEP_FROM[step.to]!.includes(from)) {
    throw new ValidationError({ to: [`It is ${from.replace("_", " ")}: it cannot be ${step.to.replace("_", " ")} now.`] }, `This insight is already ${from.replace("_", " ")}.`);
  }
  const now = ctx.clock.now();
  const data: Prisma.InsightUpdateManyMutationInput = {};
  const ackNow = !row.acknowledgedAt && step.to !== "reopened";
  if (ackNow) Object.assign(data, { acknowledgedAt: now, acknowledgedById: actor.id });
  let to: InsightStatus;
  if (step.to === "reopened") {
    to = "acknowledged";
    // A reopened insight gets a fresh resolution clock of the same length it had.
    const resolveMinutes = row.resolveDueAt ? Math.round((row.resolveDueAt.getTime() - row.createdAt.getTime()) / 60_000) : null;
    Object.assign(data, { resolvedAt: null, resolutionNote: "", resolveBreachedAt: null, resolveDueAt: resolveMinutes ? addMinutes(now, resolveMinutes) : null });
  } else {
    to = step.to;
    if (to === "resolved" || to === "declined") Object.assign(data, { resolvedAt: now, resolutionNote: step.note });
  }
  // Guarded by the status read above, so two people clicking at once cannot both win.
  const done = await ctx.db.insight.updateMany({ where: { id, status: from }, data: { ...data, status: to } });
  if (done.count === 0) throw new ValidationError({ to: ["Someone else changed it a moment ago; reload to see its state."] }, "Someone else changed it a moment ago.");
  const events: Prisma.InsightEventCreateManyInput[] = [];
  if (ackNow && step.to !== "acknowledged") events.push({ insightId: id, type: "acknowledged", actorId: actor.id, fromValue: from, toValue: "acknowledged", createdAt: now });
  events.push({ insightId: id, type: step.to, actorId: actor.id, fromValue: from, toValue: to, note: step.note, createdAt: now });
  await ctx.db.insightEvent.createMany({ data: events });
  const who = (await ctx.db.user.findUnique({ where: { id: actor.id }, select: { name: true } }))?.name ?? "Someone";
  await announce(ctx, id, step.to, actor.id, {
    title: `${who} ${STEP_TITLE[step.to]} the insight you posted`,
    body: step.note || row.text.slice(0, 200),
  });
}

export async function overrideSentiment(ctx: Ctx, actor: Actor, id: string, input: unknown) {
  const { label } = parse(SentimentOverrideSchema, input);
  const row = await loadSummaryRow(ctx, id);
  authorize(actor, "insight.overrideSentiment", await relation(ctx, actor, row));
  if (row.sentimentLabel === label) return;
  const now = ctx.clock.now();
  await ctx.db.$transaction([
    ctx.db.insight.update({ where: { id }, data: { sentimentLabel: label, sentimentOverriddenById: actor.id, sentimentOverriddenAt: now } }),
    ctx.db.insightEvent.create({ data: { insightId: id, type: "sentiment_overridden", actorId: actor.id, fromValue: row.sentimentLabel, toValue: label, createdAt: now } }),
  ]);
  await announce(ctx, id, "sentiment", actor.id, { title: `Sentiment of your insight changed from ${row.sentimentLabel} to ${label}` });
}

/**
 * Links an insight to a question and/or a document. Q&A and documents are built in other
 * branches, so the ids are stored as given (no foreign key yet).
 */
export async function linkInsight(ctx: Ctx, actor: Actor, id: string, input: unknown) {
  const links = parse(InsightLinksSchema, input);
  const row = await loadSummaryRow(ctx, id);
  authorize(actor, "insight.link", await relation(ctx, actor, row));
  const now = ctx.clock.now();
  await ctx.db.$transaction([
    ctx.db.insight.update({ where: { id }, data: links }),
    ctx.db.insightEvent.create({
      data: { insightId: id, type: "linked", actorId: actor.id, toValue: JSON.stringify(links), createdAt: now },
    }),
  ]);
  await announce(ctx, id, "linked", actor.id);
}

// ---------------------------------------------------------------------------------------------
// Re-routing, and the "suggested team" it teaches
// ---------------------------------------------------------------------------------------------

const RerouteSchema = z.object({
  teamId: z.string({ required_error: "Choose a team." }).trim().min(1, "Choose a team.").max(40),
  note: z.string().trim().max(1000, "At most 1000 characters.").default(""),
});

/** A lead of a routed team (or an admin) may send the insight to another team instead. */
function canReroute(actor: Actor, row: { routes: { team: { leadId: string | null } }[] }) {
  return actor.role === "admin" || row.routes.some((r) => r.team.leadId === actor.id);
}

export async function rerouteInsight(ctx: Ctx, actor: Actor, id: string, input: unknown) {
  const { teamId, note } = parse(RerouteSchema, input);
  const row = await loadSummaryRow(ctx, id);
  if (!canReroute(actor, row)) throw new ForbiddenError("Only the lead of a team it was routed to, or an admin, can re-route this insight.");
  const team = await ctx.db.team.findUnique({ where: { id: teamId }, select: { id: true, name: true, members: { where: { user: { active: true } }, select: { userId: true } } } });
  if (!team) throw new ValidationError({ teamId: ["Choose an existing team."] });
  if (row.routes.length === 1 && row.routes[0]!.teamId === teamId) throw new ValidationError({ teamId: ["It is already with that team."] });
  const now = ctx.clock.now();
  await ctx.db.$transaction([
    ctx.db.insightRoute.deleteMany({ where: { insightId: id } }),
    ctx.db.insightRoute.create({ data: { insightId: id, teamId, ruleId: null, createdAt: now } }),
    ctx.db.insightEvent.create({
      data: { insightId: id, type: "rerouted", actorId: actor.id, fromValue: row.routes.map((r) => r.team.name).join(", "), toValue: team.name, note, createdAt: now },
    }),
  ]);
  suggesters.delete(ctx);
  await announce(ctx, id, "rerouted", actor.id, { title: `The insight you posted was re-routed to ${team.name}` });
  await notify(ctx, team.members.map((m) => m.userId).filter((u) => u !== actor.id), {
    type: "insight.routed",
    title: `An insight was re-routed to ${team.name}`,
    body: row.text.slice(0, 200),
    link: `/insights/${id}`,
  });
}

/** Every recorded re-route, oldest first: the text and tags, and the team the lead chose. */
export async function rerouteDecisions(ctx: Ctx): Promise<Decision[]> {
  const events = await ctx.db.insightEvent.findMany({
    where: { type: "rerouted" },
    orderBy: { createdAt: "asc" },
    select: { insightId: true, toValue: true, insight: { select: { text: true, tags: { select: { skillId: true } } } } },
  });
  const teams = new Map((await ctx.db.team.findMany({ select: { id: true, name: true } })).map((t) => [t.name, t.id]));
  return events.flatMap((e) => {
    const teamId = teams.get(e.toValue ?? "");
    return teamId ? [{ text: e.insight.text, tags: e.insight.tags.map((t) => t.skillId), teamId }] : [];
  });
}

const suggesters = new WeakMap<Ctx, { at: number; model: Promise<TeamSuggester> }>();
async function suggesterFor(ctx: Ctx) {
  const hit = suggesters.get(ctx);
  if (hit && Date.now() - hit.at < 60_000) return hit.model;
  const model = rerouteDecisions(ctx).then(trainSuggester);
  suggesters.set(ctx, { at: Date.now(), model });
  return model;
}

/** The team leads' past re-routes suggest for this insight (null until there is something to learn from). */
export async function suggestTeam(ctx: Ctx, text: string, tagIds: string[]) {
  const model = await suggesterFor(ctx);
  const s = model.suggest(text, tagIds);
  if (!s) return null;
  const team = await ctx.db.team.findUnique({ where: { id: s.teamId }, select: { id: true, name: true } });
  return team && { ...team, confidence: s.confidence, learnedFrom: model.decisions };
}

async function tagIdsOf(ctx: Ctx, id: string) {
  return (await ctx.db.insightTag.findMany({ where: { insightId: id }, select: { skillId: true } })).map((t) => t.skillId);
}
