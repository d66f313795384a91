/**
 * Demo data for customer insights: accounts, the routing rules of the demo organisation
 * (prisma/seed-data/insights.ts; a rule whose teams do not exist is left out), and two weeks of
 * insights — including a recurring invoice complaint — entered through the same domain verbs as
 * the app, so they are scored, routed, clustered and timelined for real.
 *
 * Idempotent (skips when the demo accounts exist). Call after the organisation seed:
 *   await seedInsights(db, now)
 * or run alone: DATABASE_URL=file:./data/atrium.db npx tsx prisma/seed-insights.ts
 */
import { pathToFileURL } from "node:url";
import type { Db } from "../server/db.js";
import type { Ctx } from "../server/domain/context.js";
import { createAccount, createInsight, transitionInsight } from "../server/domain/insights.js";
import { createRule, updateSettings, ensureSettings } from "../server/domain/routing-rules.js";
import type { Actor } from "../server/policy.js";
import { ACCOUNTS, RULES, SAMPLES } from "./seed-data/insights.js";
import { seedCtx } from "./seed-ctx.js";

const SENTINEL_ACCOUNT = "Globex Corporation";
const DAY = 86_400_000;

export async function demoAdmin(db: Db): Promise<Actor> {
  const adminRow = await db.user.findFirst({ where: { role: "admin", active: true }, orderBy: { createdAt: "asc" } });
  if (!adminRow) throw new Error("The insight seeds need an admin: run the organisation seed first.");
  return { id: adminRow.id, role: "admin", departmentId: adminRow.departmentId, active: true };
}

/**
 * The demo's routing rules, created through the admin verb, each once (by name), in order; the
 * first matching rule routes. Returns how many it created.
 */
export async function ensureDemoRouting(ctx: Ctx, admin: Actor): Promise<number> {
  const existing = new Set((await ctx.db.routingRule.findMany({ select: { name: true } })).map((r) => r.name));
  let created = 0;
  for (const r of RULES) {
    if (existing.has(r.name)) continue;
    const teams = await ctx.db.team.findMany({ where: { name: { in: r.teams } }, select: { id: true, name: true } });
    if (teams.length !== r.teams.length) continue;
    const teamIds = r.teams.map((name) => teams.find((t) => t.name === name)!.id);
    await createRule(ctx, admin, { name: r.name, enabled: true, teamIds, priority: r.priority ?? "normal", ackWithin: r.ackWithin, resolveWithin: r.resolveWithin, conditions: r.conditions });
    created++;
  }
  if (created) {
    const settings = await ensureSettings(ctx);
    await updateSettings(ctx, admin, { matchMode: "first", triageTeamId: settings.triageTeamId, triageAckWithin: "4h", triageResolveWithin: "3d" });
  }
  return created;
}

/** Someone who may handle an insight routed to this team: its lead when a member, else a member, else the admin. */
export async function handlerFor(db: Db, teamId: string, admin: Actor): Promise<Actor> {
  const team = await db.team.findUnique({ where: { id: teamId }, select: { leadId: true, members: { select: { userId: true }, orderBy: { joinedAt: "asc" } } } });
  const memberIds = team?.members.map((m) => m.userId) ?? [];
  const id = team?.leadId && memberIds.includes(team.leadId) ? team.leadId : memberIds[0];
  if (!id) return admin;
  const row = await db.user.findUniqueOrThrow({ where: { id }, select: { id: true, role: true, departmentId: true } });
  return { id: row.id, role: row.role as Actor["role"], departmentId: row.departmentId, active: true };
}

export async function seedInsights(db: Db, now: Date): Promise<{ skipped: boolean; insights: number; rules: number }> {
  if (await db.customerAccount.findUnique({ where: { name: SENTINEL_ACCOUNT } })) return { skipped: true, insights: 0, rules: 0 };
  const { ctx, setNow } = seedCtx(db, now);
  const admin = await demoAdmin(db);

  for (const a of ACCOUNTS) await createAccount(ctx, admin, a);
  const rules = await ensureDemoRouting(ctx, admin);
  const team = async (name: string) => (await db.team.findUnique({ where: { name }, select: { id: true, leadId: true } })) ?? null;
  const finance = await team("Finance Operations");
  const social = await team("Social Care");

  // Posted by the Social Care lead when there is one (the story's support agent), else the admin.
  const posterRow = social?.leadId ? await db.user.findUnique({ where: { id: social.leadId } }) : null;
  const poster: Actor = posterRow ? { id: posterRow.id, role: posterRow.role as Actor["role"], departmentId: posterRow.departmentId, active: true } : admin;
  const accountIds = new Map((await db.customerAccount.findMany({ select: { id: true, name: true } })).map((a) => [a.name, a.id]));
  const created: { id: string; daysAgo: number }[] = [];
  for (const s of [...SAMPLES].sort((a, b) => b.daysAgo - a.daysAgo)) {
    setNow(new Date(now.getTime() - s.daysAgo * DAY));
    const i = await createInsight(ctx, poster, {
      text: s.text,
      channel: s.channel,
      accountId: s.account ? accountIds.get(s.account) : null,
      topics: s.topics ?? [],
      products: s.products ?? [],
      sourceUrl: s.source ?? null,
    });
    created.push({ id: i.id, daysAgo: s.daysAgo });
  }
  // The oldest invoice complaint was handled; the rest are waiting (some past their SLA: the
  // scheduler marks and escalates those when the app starts).
  if (finance) {
    const leadIsMember = finance.leadId && (await db.teamMembership.findUnique({ where: { userId_teamId: { userId: finance.leadId, teamId: finance.id } } }));
    const lead: Actor = leadIsMember ? { id: finance.leadId!, role: "member", departmentId: null, active: true } : admin;
    const oldest = created[0]!;
    setNow(new Date(now.getTime() - (oldest.daysAgo - 0.01) * DAY));
    await transitionInsight(ctx, lead, oldest.id, { to: "acknowledged" });
    setNow(new Date(now.getTime() - (oldest.daysAgo - 0.5) * DAY));
    await transitionInsight(ctx, lead, oldest.id, { to: "resolved", note: "Duplicate seat charge credited; billing run corrected." });
  }
  return { skipped: false, insights: created.length, rules };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const { createDb, tuneSqlite } = await import("../server/db.js");
  const { systemClock } = await import("../server/domain/context.js");
  const db = await createDb(process.env.DATABASE_URL ?? "file:./data/atrium.db");
  await tuneSqlite(db);
  try {
    console.log(await seedInsights(db, systemClock.now()));
  } finally {
    await db.$disconnect();
  }
}
