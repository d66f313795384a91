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
import type { Prisma } from "../generated/prisma/client.js";
import type { Actor } from "../policy.js";
import { authorize, can } from "../policy.js";
import { parse, type Ctx } from "./context.js";
import { DomainError, NotFoundError, ValidationError } from "./errors.js";
import { assignCluster, checkSpikes, clusterTrend, listRecurringIssues } from "./insight-clusters.js";
import { authenticateIntegration } from "./integrations.js";
import { notify } from "./notifications.js";
import { presentSummary, SUMMARY_SELECT } from "./insight-presenters.js";
import { evaluateRules, loadRoutingConfig } from "./routing-rules.js";
import { scoreSentiment } from "./sentiment.js";
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
}

// ---------------------------------------------------------------------------------------------
// Entering an insight
// ---------------------------------------------------------------------------------------------

interface Draft {
  text: string;
  channel: string;
  accountId: string | null;
  sourceUrl: string | null;
  products: string[];
  topics: string[];
  postedById: string | null;
  integration: { id: string; name: string } | null;
  externalId: string | null;
}

const uniq = <T>(xs: T[]) => [...new Set(xs)];

async function recordInsight(ctx: Ctx, d: Draft): Promise<InsightSummary> {
  const now = ctx.clock.now();
  const sentiment = scoreSentiment(d.text);
  const ids = await resolveSkills(ctx.db, [...d.products, ...d.topics]);
  const productIds = uniq(d.products.map((n) => ids.get(n)!));
  const topicIds = uniq(d.topics.map((n) => ids.get(n)!));
  const account = d.accountId ? await ctx.db.customerAccount.findUnique({ where: { id: d.accountId }, select: { tier: true } }) : null;

  const { rules, settings } = await loadRoutingConfig(ctx);
  const decision = evaluateRules(rules, { text: d.text, channel: d.channel, tier: account?.tier ?? null, sentimentScore: sentiment.score, productIds, topicIds }, settings.matchMode);
  const teamIds = decision?.teamIds ?? [settings.triageTeamId];
  const sla = decision ?? { ackWithinMinutes: settings.triageAckMinutes, resolveWithinMinutes: settings.triageResolveMinutes, priority: "normal" as const };
  const teams = await ctx.db.team.findMany({ where: { id: { in: teamIds } }, select: { id: true, name: true } });
  const teamName = new Map(teams.map((t) => [t.id, t.name]));

  const row = await ctx.db.insight.create({
    data: {
      text: d.text,
      channel: d.channel,
      accountId: d.accountId,
      sourceUrl: d.sourceUrl,
      postedById: d.postedById,
      integrationId: d.integration?.id ?? null,
      externalId: d.externalId,
      sentimentScore: sentiment.score,
      sentimentLabel: sentiment.label,
      sentimentAuto: sentiment.label,
      priority: sla.priority,
      matchedRuleIds: JSON.stringify(decision?.matched.map((r) => r.id) ?? []),
      ...deadlines(now, sla),
      createdAt: now,
      tags: {
        create: [
          ...productIds.map((skillId) => ({ skillId, kind: "product" })),
          ...topicIds.map((skillId) => ({ skillId, kind: "topic" })),
        ],
      },
      routes: { create: teamIds.map((teamId) => ({ teamId, ruleId: decision?.ruleByTeam.get(teamId) ?? null, createdAt: now })) },
      events: {
        create: [
          { type: "created", actorId: d.postedById, note: d.integration ? `Received from the integration "${d.integration.name}".` : "", createdAt: now },
          {
            type: "routed",
            toValue: teamIds.map((t) => teamName.get(t) ?? t).join(", "),
            note: decision ? `Matched: ${decision.matched.map((r) => r.name).join(", ")}.` : "No rule matched: sent to triage.",
            createdAt: now,
          },
        ],
      },
    },
    select: SUMMARY_SELECT,
  });

  const clusterId = await assignCluster(ctx, { id: row.id, text: row.text, createdAt: now, tagIds: [...productIds, ...topicIds] });
  const summary = presentSummary({ ...row, clusterId });
  await ctx.bus.publish("insight.routed", { insight: summary, teamIds });

  const members = await ctx.db.teamMembership.findMany({
    where: { teamId: { in: teamIds }, user: { active: true }, ...(d.postedById ? { NOT: { userId: d.postedById } } : {}) },
    select: { userId: true },
  });
  await notify(ctx, members.map((m) => m.userId), {
    type: "insight.routed",
    title: `New ${sentiment.label} insight${row.account ? ` from ${row.account.name}` : ""} for ${teams.map((t) => t.name).join(", ")}`,
    body: d.text.slice(0, 300),
    link: `/insights/${row.id}`,
  });
  await checkSpikes(ctx, { id: row.id, createdAt: now, topicIds, teamIds });
  return summary;
}

/** A person posts an insight from the form. */
export async function createInsight(ctx: Ctx, actor: Actor, input: unknown) {
  authorize(actor, "insight.create", null);
  const data = parse(NewInsightSchema, input);
  if (data.accountId && !(await ctx.db.customerAccount.findUnique({ where: { id: data.accountId } }))) {
    throw new ValidationError({ accountId: ["Choose an existing account."] });
  }
  return recordInsight(ctx, { ...data, postedById: actor.id, integration: null, externalId: null });
}

const isUniqueViolation = (e: unknown) => !!e && typeof e === "object" && (e as { code?: string }).code === "P2002";

/**
 * The ingest API. Idempotent by (integration, externalId): a repeat answers with the existing
 * insight and writes nothing. All validation happens before the first write.
 */
export async function ingestInsight(ctx: Ctx, authorization: string | null, rawBody: string) {
  // The token is checked before the body is even parsed: strangers learn nothing about the schema.
  const integration = await authenticateIntegration(ctx, authorization);
  let body: unknown;
  try {
    body = JSON.parse(rawBody);
  } catch {
    throw new DomainError("The body is not valid JSON.", 400, "malformed_json");
  }
  if (!body || typeof body !== "object" || Array.isArray(body)) throw new DomainError("The body must be one JSON object.", 400, "malformed_json");
  const input = parse(ApiInsightSchema, body);
  const byExternal = () =>
    ctx.db.insight.findUnique({ where: { integrationId_externalId: { integrationId: integration.id, externalId: input.externalId } }, select: { id: true } });
  const existing = await byExternal();
  if (existing) return { id: existing.id, duplicate: true as const };

  let accountId: string | null = null;
  if (input.account) {
    const acc = await ctx.db.customerAccount.findFirst({ where: { OR: [{ id: input.account }, { name: input.account }] }, select: { id: true } });
    if (!acc) throw new ValidationError({ account: [`Unknown account "${input.account}". An admin adds accounts under Admin → Insight routing → Accounts.`] });
    accountId = acc.id;
  }
  let postedById: string | null = null;
  if (input.postedByEmail) {
    const u = await ctx.db.user.findFirst({ where: { email: input.postedByEmail, active: true }, select: { id: true } });
    if (!u) throw new ValidationError({ postedByEmail: ["No active person has this email."] });
    postedById = u.id;
  }
  try {
    const insight = await recordInsight(ctx, {
      text: input.text,
      channel: input.channel,
      sourceUrl: input.sourceUrl,
      products: input.products,
      topics: input.topics,
      accountId,
      postedById,
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
  const f = InsightFilterSchema.parse(input ?? {});
  return page(ctx, filterWhere(f), f.page ?? 1);
}

/** Insights routed to the actor's teams; open ones unless a status is asked for. */
export async function inbox(ctx: Ctx, actor: Actor, input: unknown) {
  const f = InsightFilterSchema.parse(input ?? {});
  const teamIds = await myTeamIds(ctx, actor);
  const teams = await ctx.db.team.findMany({ where: { id: { in: teamIds } }, select: { id: true, name: true }, orderBy: { name: "asc" } });
  const scope = f.team && teamIds.includes(f.team) ? [f.team] : teamIds;
  const where: Prisma.InsightWhereInput = { AND: [{ routes: { some: { teamId: { in: scope } } } }, filterWhere({ ...f, team: undefined, status: f.status ?? "open" })] };
  return { teams, ...(await page(ctx, where, f.page ?? 1)) };
}

export async function feedFilters(ctx: Ctx) {
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

export async function getInsight(ctx: Ctx, actor: Actor, id: string) {
  authorize(actor, "insight.create", null);
  const row = await ctx.db.insight.findUnique({
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
  if (!row) throw new NotFoundError("That insight");
  const rel = await relation(ctx, actor, row);
  const ruleIds = JSON.parse(row.matchedRuleIds) as string[];
  const rules = ruleIds.length ? await ctx.db.routingRule.findMany({ where: { id: { in: ruleIds } }, select: { id: true, name: true } }) : [];
  const cluster = row.clusterId ? await ctx.db.insightCluster.findUnique({ where: { id: row.clusterId }, select: { id: true, title: true } }) : null;
  const similar = row.clusterId
    ? await ctx.db.insight.findMany({
        where: { clusterId: row.clusterId, NOT: { id: row.id } },
        orderBy: { createdAt: "desc" },
        take: 5,
        select: { id: true, text: true, createdAt: true, status: true },
      })
    : [];
  const summary = presentSummary(row);
  return {
    ...summary,
    account: row.account,
    acknowledgedBy: row.acknowledgedBy,
    resolutionNote: row.resolutionNote,
    externalId: row.externalId,
    routedBy: rules,
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
