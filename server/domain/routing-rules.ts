/**
 * Routing rules: the pure rule engine (evaluateRules) and the admin verbs that edit rules and the
 * global routing settings. Every change is written to RuleAudit with before/after snapshots.
 */
import { z } from "zod";
import {
  PRIORITY_RANK,
  RuleConditionsSchema,
  RuleSchema,
  RuleTestSchema,
  SettingsSchema,
  type Channel,
  type MatchMode,
  type Priority,
  type Tier,
  customerTopicLabel,
} from "../../app/schemas/insights.js";
import { slugify } from "../../app/schemas/org.js";
import type { Actor } from "../policy.js";
import { authorize } from "../policy.js";
import { parse, type Ctx, notAVerb } from "./context.js";
import { NotFoundError, ValidationError } from "./errors.js";
import { scoreSentiment } from "./sentiment.js";
import { recogniseTopics } from "../insights/topics.js";
import { resolveSkills } from "./skills.js";

// ---------------------------------------------------------------------------------------------
// The engine (pure)
// ---------------------------------------------------------------------------------------------

export interface RuleConditions {
  /** Skill ids (the shared vocabulary); a condition list matches when any entry matches. */
  products: string[];
  topics: string[];
  channels: Channel[];
  tiers: Tier[];
  sentimentAtMost: number | null;
  sentimentAtLeast: number | null;
  keywords: string[];
  /** Customer topics recognised in the words (server/insights/topics.ts keys). */
  customerTopics: string[];
}

export interface RuleSpec {
  id: string;
  name: string;
  position: number;
  enabled: boolean;
  teamIds: string[];
  priority: Priority;
  ackWithinMinutes: number;
  resolveWithinMinutes: number;
  conditions: RuleConditions;
}

export interface InsightFacts {
  text: string;
  channel: string;
  tier: string | null;
  sentimentScore: number;
  productIds: string[];
  topicIds: string[];
  /** Customer topics recognised in the text (recogniseTopics with the model's label). */
  customerTopics: string[];
}

export interface RoutingDecision {
  matched: RuleSpec[];
  teamIds: string[];
  /** For each team, the first rule that sent the insight there. */
  ruleByTeam: Map<string, string>;
  priority: Priority;
  ackWithinMinutes: number;
  resolveWithinMinutes: number;
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** A keyword matches as a whole word or phrase, case-insensitively ("bill" does not match "billing"). */
const keywordRegex = (keywords: string[]) =>
  keywords.length ? new RegExp(`(?<![\\p{L}\\p{N}])(?:${keywords.map(escapeRe).join("|")})(?![\\p{L}\\p{N}])`, "iu") : null;

const regexCache = new WeakMap<RuleSpec, RegExp | null>();
function keywordMatcher(rule: RuleSpec) {
  if (!regexCache.has(rule)) regexCache.set(rule, keywordRegex(rule.conditions.keywords));
  return regexCache.get(rule)!;
}

/** Every non-empty condition must hold (AND); within a list, any entry will do (OR). */
export function ruleMatches(rule: RuleSpec, f: InsightFacts): boolean {
  const c = rule.conditions;
  if (!rule.enabled) return false;
  if (c.channels.length && !c.channels.includes(f.channel as Channel)) return false;
  if (c.tiers.length && (!f.tier || !c.tiers.includes(f.tier as Tier))) return false;
  if (c.sentimentAtMost !== null && !(f.sentimentScore <= c.sentimentAtMost)) return false;
  if (c.sentimentAtLeast !== null && !(f.sentimentScore >= c.sentimentAtLeast)) return false;
  if (c.products.length && !c.products.some((id) => f.productIds.includes(id))) return false;
  if (c.topics.length && !c.topics.some((id) => f.topicIds.includes(id))) return false;
  if (c.customerTopics.length && !c.customerTopics.some((k) => f.customerTopics.includes(k))) return false;
  const kw = keywordMatcher(rule);
  if (kw && !kw.test(f.text)) return false;
  return true;
}

/**
 * Evaluates rules in position order. "first": the first matching rule routes; "every": all
 * matching rules route, the insight takes the highest priority and the strictest SLA of them.
 * Returns null when nothing matches (the caller sends it to triage).
 */
export function evaluateRules(rules: readonly RuleSpec[], facts: InsightFacts, mode: MatchMode): RoutingDecision | null {
  const matched: RuleSpec[] = [];
  for (const r of rules) {
    if (!ruleMatches(r, facts)) continue;
    matched.push(r);
    if (mode === "first") break;
  }
  if (!matched.length) return null;
  const ruleByTeam = new Map<string, string>();
  for (const r of matched) for (const t of r.teamIds) if (!ruleByTeam.has(t)) ruleByTeam.set(t, r.id);
  return {
    matched,
    teamIds: [...ruleByTeam.keys()],
    ruleByTeam,
    priority: matched.reduce<Priority>((p, r) => (PRIORITY_RANK[r.priority] > PRIORITY_RANK[p] ? r.priority : p), "low"),
    ackWithinMinutes: Math.min(...matched.map((r) => r.ackWithinMinutes)),
    resolveWithinMinutes: Math.min(...matched.map((r) => r.resolveWithinMinutes)),
  };
}

// ---------------------------------------------------------------------------------------------
// Loading rules and settings (cached per app instance; invalidated by the verbs below)
// ---------------------------------------------------------------------------------------------

export interface RoutingSettings {
  matchMode: MatchMode;
  triageTeamId: string;
  triageAckMinutes: number;
  triageResolveMinutes: number;
}

interface RoutingConfig {
  rules: RuleSpec[];
  settings: RoutingSettings;
  /** Team names by id, for presenting routed insights without another query. */
  teamNames: Map<string, string>;
  /** Active members by team id: who is notified when an insight is routed there. */
  teamMembers: Map<string, string[]>;
}

// One cache per app instance. Several instances would need the bus to carry invalidations
// (rules change rarely; another instance's change is seen after CONFIG_TTL_MS of the injected clock).
const configCache = new WeakMap<Ctx, { at: number; config: Promise<RoutingConfig> }>();
const CONFIG_TTL_MS = 30_000;

export function invalidateRoutingConfig(ctx: Ctx) {
  configCache.delete(ctx);
}

// Teams renamed or deleted by an admin change what the config holds.
const watching = new WeakSet<Ctx>();
function watchOrg(ctx: Ctx) {
  if (watching.has(ctx)) return;
  watching.add(ctx);
  ctx.bus.subscribe("org.changed", (p) => {
    if (p.kind === "team") invalidateRoutingConfig(ctx);
  });
  // Team memberships change with "person.updated"; deactivation removes a person from every team's list.
  ctx.bus.subscribe("person.updated", () => invalidateRoutingConfig(ctx));
  ctx.bus.subscribe("person.deactivated", () => invalidateRoutingConfig(ctx));
}

type RuleRow = {
  id: string;
  name: string;
  position: number;
  enabled: boolean;
  conditions: string;
  priority: string;
  ackWithinMinutes: number;
  resolveWithinMinutes: number;
  teams: { teamId: string }[];
};

function toSpec(r: RuleRow): RuleSpec {
  const raw = safeJson(r.conditions) as Partial<RuleConditions>;
  return {
    id: r.id,
    name: r.name,
    position: r.position,
    enabled: r.enabled,
    teamIds: r.teams.map((t) => t.teamId),
    priority: r.priority as Priority,
    ackWithinMinutes: r.ackWithinMinutes,
    resolveWithinMinutes: r.resolveWithinMinutes,
    conditions: {
      products: raw.products ?? [],
      topics: raw.topics ?? [],
      channels: raw.channels ?? [],
      tiers: raw.tiers ?? [],
      sentimentAtMost: raw.sentimentAtMost ?? null,
      sentimentAtLeast: raw.sentimentAtLeast ?? null,
      keywords: raw.keywords ?? [],
      customerTopics: raw.customerTopics ?? [],
    },
  };
}

function safeJson(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return {};
  }
}

const RULE_SELECT = {
  id: true,
  name: true,
  position: true,
  enabled: true,
  conditions: true,
  priority: true,
  ackWithinMinutes: true,
  resolveWithinMinutes: true,
  teams: { select: { teamId: true } },
} as const;

export async function loadRoutingConfig(ctx: Ctx): Promise<RoutingConfig> {
  watchOrg(ctx);
  const now = ctx.clock.now().getTime();
  const hit = configCache.get(ctx);
  if (hit && now - hit.at < CONFIG_TTL_MS) return hit.config;
  const config = (async () => {
    const [rows, settings] = await Promise.all([
      ctx.db.routingRule.findMany({ orderBy: [{ position: "asc" }, { createdAt: "asc" }], select: RULE_SELECT }),
      ensureSettings(ctx),
    ]);
    const teams = await ctx.db.team.findMany({ select: { id: true, name: true, members: { where: { user: { active: true } }, select: { userId: true } } } });
    return {
      rules: rows.map(toSpec),
      settings,
      teamNames: new Map(teams.map((t) => [t.id, t.name])),
      teamMembers: new Map(teams.map((t) => [t.id, t.members.map((m) => m.userId)])),
    };
  })();
  configCache.set(ctx, { at: now, config });
  config.catch(() => configCache.delete(ctx));
  return config;
}

// Two first reads at once (two insights posted on a new organisation) share one setting-up:
// each making its own Triage team, the second broke the team's unique address.
const settingUp = new WeakMap<Ctx, Promise<void>>();

/** The global routing settings; creates them (and a "Triage" team) the first time. */
export async function ensureSettings(ctx: Ctx): Promise<RoutingSettings> {
  let s = await ctx.db.insightSettings.findUnique({ where: { id: "global" } });
  if (!s || !s.triageTeamId) {
    let pending = settingUp.get(ctx);
    if (!pending) {
      pending = setUpSettings(ctx).finally(() => settingUp.delete(ctx));
      settingUp.set(ctx, pending);
    }
    await pending;
    s = await ctx.db.insightSettings.findUniqueOrThrow({ where: { id: "global" } });
  }
  return {
    matchMode: s.matchMode as MatchMode,
    triageTeamId: s.triageTeamId!,
    triageAckMinutes: s.triageAckMinutes,
    triageResolveMinutes: s.triageResolveMinutes,
  };
}

async function setUpSettings(ctx: Ctx) {
  const triageTeamId = await ensureTriageTeam(ctx);
  await ctx.db.insightSettings.upsert({
    where: { id: "global" },
    create: { id: "global", triageTeamId },
    update: { triageTeamId },
  });
}

async function ensureTriageTeam(ctx: Ctx): Promise<string> {
  const existing = await ctx.db.team.findFirst({ where: { OR: [{ name: "Triage" }, { slug: "triage" }] }, select: { id: true } });
  if (existing) return existing.id;
  const t = await ctx.db.team.create({
    data: { name: "Triage", slug: slugify("Triage"), description: "Customer insights that no routing rule matched." },
  });
  await ctx.bus.publish("org.changed", { kind: "team" });
  return t.id;
}

// ---------------------------------------------------------------------------------------------
// Admin verbs
// ---------------------------------------------------------------------------------------------

async function skillNames(ctx: Ctx, ids: string[]) {
  if (!ids.length) return new Map<string, string>();
  const rows = await ctx.db.skill.findMany({ where: { id: { in: ids } }, select: { id: true, name: true } });
  return new Map(rows.map((r) => [r.id, r.name]));
}

async function teamNames(ctx: Ctx, ids: string[]) {
  if (!ids.length) return new Map<string, string>();
  const rows = await ctx.db.team.findMany({ where: { id: { in: ids } }, select: { id: true, name: true } });
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** A rule as people read it: tag and team names instead of ids. Also the audit snapshot. */
async function presentRules(ctx: Ctx, specs: RuleSpec[]) {
  const skills = await skillNames(ctx, [...new Set(specs.flatMap((s) => [...s.conditions.products, ...s.conditions.topics]))]);
  const teams = await teamNames(ctx, [...new Set(specs.flatMap((s) => s.teamIds))]);
  return specs.map((s) => ({
    id: s.id,
    name: s.name,
    position: s.position,
    enabled: s.enabled,
    priority: s.priority,
    ackWithinMinutes: s.ackWithinMinutes,
    resolveWithinMinutes: s.resolveWithinMinutes,
    teams: s.teamIds.map((id) => ({ id, name: teams.get(id) ?? "(deleted team)" })),
    customerTopicLabels: s.conditions.customerTopics.map(customerTopicLabel),
    conditions: {
      ...s.conditions,
      products: s.conditions.products.map((id) => skills.get(id) ?? id),
      topics: s.conditions.topics.map((id) => skills.get(id) ?? id),
    },
  }));
}
export type PresentedRule = Awaited<ReturnType<typeof presentRules>>[number];

export async function listRules(ctx: Ctx, actor: Actor) {
  authorize(actor, "insight.manageRules", null);
  const rows = await ctx.db.routingRule.findMany({ orderBy: [{ position: "asc" }, { createdAt: "asc" }], select: RULE_SELECT });
  return presentRules(ctx, rows.map(toSpec));
}

export async function getRule(ctx: Ctx, actor: Actor, id: string) {
  authorize(actor, "insight.manageRules", null);
  const row = await ctx.db.routingRule.findUnique({ where: { id }, select: RULE_SELECT });
  if (!row) throw new NotFoundError("That rule");
  return (await presentRules(ctx, [toSpec(row)]))[0]!;
}

async function checkTeams(ctx: Ctx, teamIds: string[]) {
  const found = await ctx.db.team.count({ where: { id: { in: teamIds } } });
  if (found !== new Set(teamIds).size) throw new ValidationError({ teamIds: ["Choose existing teams."] });
}

async function ruleData(ctx: Ctx, input: unknown) {
  const data = parse(RuleSchema, input);
  const c = data.conditions;
  if (c.sentimentAtMost !== null && c.sentimentAtLeast !== null && c.sentimentAtLeast > c.sentimentAtMost) {
    throw new ValidationError({ "conditions.sentimentAtLeast": ["'At least' is above 'at most': the rule could never match."] });
  }
  await checkTeams(ctx, data.teamIds);
  // Last: it adds tags the vocabulary does not have yet, which a refused rule must not do.
  const ids = await resolveSkills(ctx.db, [...data.conditions.products, ...data.conditions.topics]);
  const conditions: RuleConditions = {
    products: [...new Set(c.products.map((n) => ids.get(n)!))],
    topics: [...new Set(c.topics.map((n) => ids.get(n)!))],
    channels: [...new Set(c.channels)],
    tiers: [...new Set(c.tiers)],
    sentimentAtMost: c.sentimentAtMost,
    sentimentAtLeast: c.sentimentAtLeast,
    keywords: [...new Set(c.keywords)],
    customerTopics: c.customerTopics,
  };
  return {
    name: data.name,
    enabled: data.enabled,
    priority: data.priority,
    ackWithinMinutes: data.ackWithin,
    resolveWithinMinutes: data.resolveWithin,
    conditions: JSON.stringify(conditions),
    teamIds: [...new Set(data.teamIds)],
  };
}

async function audit(ctx: Ctx, actor: Actor, action: string, ruleId: string | null, before: unknown, after: unknown) {
  await ctx.db.ruleAudit.create({
    data: {
      action,
      ruleId,
      actorId: actor.id,
      before: before === null ? null : JSON.stringify(before),
      after: after === null ? null : JSON.stringify(after),
      createdAt: ctx.clock.now(),
    },
  });
}

async function snapshot(ctx: Ctx, id: string) {
  const row = await ctx.db.routingRule.findUnique({ where: { id }, select: RULE_SELECT });
  return row ? (await presentRules(ctx, [toSpec(row)]))[0]! : null;
}

export async function createRule(ctx: Ctx, actor: Actor, input: unknown) {
  authorize(actor, "insight.manageRules", null);
  const { teamIds, ...data } = await ruleData(ctx, input);
  const last = await ctx.db.routingRule.aggregate({ _max: { position: true } });
  const rule = await ctx.db.routingRule.create({
    data: { ...data, position: (last._max.position ?? 0) + 1, teams: { create: teamIds.map((teamId) => ({ teamId })) } },
  });
  await audit(ctx, actor, "create", rule.id, null, await snapshot(ctx, rule.id));
  invalidateRoutingConfig(ctx);
  return { id: rule.id };
}

export async function updateRule(ctx: Ctx, actor: Actor, id: string, input: unknown) {
  authorize(actor, "insight.manageRules", null);
  const before = await snapshot(ctx, id);
  if (!before) throw new NotFoundError("That rule");
  const { teamIds, ...data } = await ruleData(ctx, input);
  await ctx.db.$transaction([
    ctx.db.routingRuleTeam.deleteMany({ where: { ruleId: id } }),
    ctx.db.routingRule.update({ where: { id }, data: { ...data, teams: { create: teamIds.map((teamId) => ({ teamId })) } } }),
  ]);
  await audit(ctx, actor, "update", id, before, await snapshot(ctx, id));
  invalidateRoutingConfig(ctx);
}

export async function deleteRule(ctx: Ctx, actor: Actor, id: string) {
  authorize(actor, "insight.manageRules", null);
  const before = await snapshot(ctx, id);
  if (!before) throw new NotFoundError("That rule");
  await ctx.db.routingRule.delete({ where: { id } });
  await audit(ctx, actor, "delete", id, before, null);
  invalidateRoutingConfig(ctx);
}

/** Moves a rule one place up or down in the evaluation order. */
export async function moveRule(ctx: Ctx, actor: Actor, id: string, direction: "up" | "down") {
  authorize(actor, "insight.manageRules", null);
  const rows = await ctx.db.routingRule.findMany({ orderBy: [{ position: "asc" }, { createdAt: "asc" }], select: { id: true, name: true } });
  const i = rows.findIndex((r) => r.id === id);
  if (i < 0) throw new NotFoundError("That rule");
  const j = direction === "up" ? i - 1 : i + 1;
  if (j < 0 || j >= rows.length) return;
  const before = rows.map((r) => r.name);
  [rows[i], rows[j]] = [rows[j]!, rows[i]!];
  await ctx.db.$transaction(rows.map((r, k) => ctx.db.routingRule.update({ where: { id: r.id }, data: { position: k + 1 } })));
  await audit(ctx, actor, "move", id, { order: before }, { order: rows.map((r) => r.name) });
  invalidateRoutingConfig(ctx);
}

export async function getSettings(ctx: Ctx, actor: Actor) {
  authorize(actor, "insight.manageRules", null);
  const s = await ensureSettings(ctx);
  const team = await ctx.db.team.findUnique({ where: { id: s.triageTeamId }, select: { id: true, name: true } });
  return { ...s, triageTeam: team };
}

export async function updateSettings(ctx: Ctx, actor: Actor, input: unknown) {
  authorize(actor, "insight.manageRules", null);
  const data = parse(SettingsSchema, input);
  if (!(await ctx.db.team.findUnique({ where: { id: data.triageTeamId } }))) throw new ValidationError({ triageTeamId: ["Choose an existing team."] });
  const before = await ensureSettings(ctx);
  const after = {
    matchMode: data.matchMode,
    triageTeamId: data.triageTeamId,
    triageAckMinutes: data.triageAckWithin,
    triageResolveMinutes: data.triageResolveWithin,
  };
  await ctx.db.insightSettings.update({ where: { id: "global" }, data: after });
  await audit(ctx, actor, "settings", null, before, after);
  invalidateRoutingConfig(ctx);
}

export async function listRuleAudit(ctx: Ctx, actor: Actor, opts: { ruleId?: string; limit?: number } = {}) {
  authorize(actor, "insight.manageRules", null);
  const rows = await ctx.db.ruleAudit.findMany({
    where: opts.ruleId ? { ruleId: opts.ruleId } : {},
    orderBy: { createdAt: "desc" },
    take: Math.min(opts.limit ?? 100, 500),
    select: { id: true, action: true, ruleId: true, before: true, after: true, createdAt: true, actor: { select: { id: true, name: true } } },
  });
  return rows.map((r) => ({ ...r, createdAt: r.createdAt.toISOString() }));
}

/** Looks tags up in the vocabulary without adding to it (the test box must not write). */
async function lookupSkillIds(ctx: Ctx, names: string[]) {
  const out: string[] = [];
  for (const name of names) {
    const syn = await ctx.db.skillSynonym.findUnique({ where: { name }, select: { skillId: true } });
    const id = syn?.skillId ?? (await ctx.db.skill.findUnique({ where: { name }, select: { id: true } }))?.id;
    if (id) out.push(id);
  }
  return out;
}

/** "Test this rule": which rules would an example insight match, and where would it go? */
export async function testRules(ctx: Ctx, actor: Actor, input: unknown) {
  authorize(actor, "insight.manageRules", null);
  const ex = parse(RuleTestSchema, input);
  const { rules, settings } = await loadRoutingConfig(ctx);
  const sentiment = scoreSentiment(ex.text);
  const recognised = recogniseTopics(ex.text, sentiment.label);
  const facts: InsightFacts = {
    text: ex.text,
    channel: ex.channel,
    tier: ex.tier,
    sentimentScore: sentiment.score,
    productIds: await lookupSkillIds(ctx, ex.products),
    topicIds: await lookupSkillIds(ctx, ex.topics),
    customerTopics: recognised.map((t) => t.key),
  };
  const matching = rules.filter((r) => ruleMatches(r, facts)).map((r) => r.id);
  const decision = evaluateRules(rules, facts, settings.matchMode);
  const teamIds = decision?.teamIds ?? [settings.triageTeamId];
  const names = await teamNames(ctx, teamIds);
  return {
    sentiment,
    customerTopics: recognised,
    matchMode: settings.matchMode,
    matchingRuleIds: matching,
    routingRuleIds: decision?.matched.map((r) => r.id) ?? [],
    triage: !decision,
    teams: teamIds.map((id) => ({ id, name: names.get(id) ?? "?" })),
    priority: decision?.priority ?? "normal",
    ackWithinMinutes: decision?.ackWithinMinutes ?? settings.triageAckMinutes,
    resolveWithinMinutes: decision?.resolveWithinMinutes ?? settings.triageResolveMinutes,
  };
}

export const PREVIEW_DAYS = 30;
const DraftSchema = z.object({ conditions: RuleConditionsSchema });

/**
 * "What would this draft rule have caught?": its conditions replayed on the insights of the last
 * PREVIEW_DAYS, with the sentiment each one was routed with. Nothing is written (unknown tags are
 * looked up, not added; a tag nobody uses matches nothing).
 */
export async function previewRule(ctx: Ctx, actor: Actor, input: unknown) {
  authorize(actor, "insight.manageRules", null);
  const { conditions: c } = parse(DraftSchema, input);
  if (c.sentimentAtMost !== null && c.sentimentAtLeast !== null && c.sentimentAtLeast > c.sentimentAtMost) {
    throw new ValidationError({ "conditions.sentimentAtLeast": ["'At least' is above 'at most': the rule could never match."] });
  }
  const ids = async (names: string[]) => {
    if (!names.length) return [];
    const found = await lookupSkillIds(ctx, names);
    return found.length ? found : ["\u0000none"];
  };
  const spec: RuleSpec = {
    id: "draft",
    name: "draft",
    position: 0,
    enabled: true,
    teamIds: [],
    priority: "normal",
    ackWithinMinutes: 0,
    resolveWithinMinutes: 0,
    conditions: {
      products: await ids(c.products),
      topics: await ids(c.topics),
      channels: [...new Set(c.channels)],
      tiers: [...new Set(c.tiers)],
      sentimentAtMost: c.sentimentAtMost,
      sentimentAtLeast: c.sentimentAtLeast,
      keywords: [...new Set(c.keywords)],
      customerTopics: c.customerTopics,
    },
  };
  const now = ctx.clock.now();
  const since = new Date(now.getTime() - PREVIEW_DAYS * 86_400_000);
  const rows = await ctx.db.insight.findMany({
    where: { createdAt: { gte: since, lte: now } },
    orderBy: { createdAt: "desc" },
    select: { id: true, text: true, channel: true, sentimentScore: true, sentimentAuto: true, createdAt: true, account: { select: { tier: true } }, tags: { select: { skillId: true, kind: true } } },
  });
  const caught = rows.filter((r) =>
    ruleMatches(spec, {
      text: r.text,
      channel: r.channel,
      tier: r.account?.tier ?? null,
      sentimentScore: r.sentimentScore,
      productIds: r.tags.filter((t) => t.kind === "product").map((t) => t.skillId),
      topicIds: r.tags.filter((t) => t.kind === "topic").map((t) => t.skillId),
      // Recognised from the words with the label the model gave when it was routed.
      customerTopics: spec.conditions.customerTopics.length ? recogniseTopics(r.text, r.sentimentAuto).map((t) => t.key) : [],
    }),
  );
  return {
    days: PREVIEW_DAYS,
    total: rows.length,
    caught: caught.length,
    examples: caught.slice(0, 5).map((r) => ({ id: r.id, text: r.text.length > 120 ? `${r.text.slice(0, 120)}…` : r.text, createdAt: r.createdAt.toISOString() })),
  };
}
export type RulePreview = Awaited<ReturnType<typeof previewRule>>;

// Pure helpers, not verbs: createDomain must not bind them to the context.
for (const helper of [ruleMatches, evaluateRules]) notAVerb(helper);
