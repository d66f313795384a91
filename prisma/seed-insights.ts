/**
 * Demo data for customer insights (issue 5): accounts, routing rules for the demo organisation's
 * teams (those that exist: Finance Operations, Technical Support, Identity, Social Care), and two
 * weeks of insights — including a recurring invoice complaint — entered through the same domain
 * verbs as the app, so they are scored, routed, clustered and timelined for real.
 *
 * Idempotent (skips when the demo accounts exist). Call after the organisation seed:
 *   await seedInsights(db)
 * or run alone: DATABASE_URL=file:./data/atrium.db npx tsx prisma/seed-insights.ts
 */
import { pathToFileURL } from "node:url";
import type { Db } from "../server/db.js";
import type { Clock, Ctx } from "../server/domain/context.js";
import { createAccount, createInsight, transitionInsight } from "../server/domain/insights.js";
import { createRule, updateSettings, ensureSettings } from "../server/domain/routing-rules.js";
import { MemoryRateLimiter } from "../server/domain/rate-limit.js";
import { parseEnv } from "../server/env.js";
import { InProcessEventBus } from "../server/events.js";
import type { Actor } from "../server/policy.js";
import { PeopleIndex } from "../server/search/people-index.js";
import { QuestionsIndex } from "../server/search/questions-index.js";
import { ExpertiseIndex } from "../server/search/expertise-index.js";
import { UnifiedIndex } from "../server/search/unified-index.js";

const SENTINEL_ACCOUNT = "Globex Corporation";

const ACCOUNTS = [
  { name: "Globex Corporation", segment: "Enterprise", tier: "strategic" },
  { name: "Initech", segment: "Enterprise", tier: "gold" },
  { name: "Umbrella Retail", segment: "Mid-market", tier: "silver" },
  { name: "Hooli Stores", segment: "SMB", tier: "standard" },
] as const;

type Sample = { daysAgo: number; text: string; channel: string; account?: string; topics?: string[]; products?: string[]; source?: string };

const SAMPLES: Sample[] = [
  // The recurring one: wrong invoices, growing this week.
  { daysAgo: 12, text: "Our March invoice is wrong again: we were charged twice for the same seats.", channel: "email", account: "Initech", topics: ["billing"] },
  { daysAgo: 9, text: "Invoice wrong — charged twice for seats we removed last month. Please fix.", channel: "chat", account: "Umbrella Retail", topics: ["billing"] },
  { daysAgo: 5, text: "@atrium_help your invoices are wrong AGAIN. Charged twice, third month in a row. Terrible.", channel: "twitter", account: "Globex Corporation", topics: ["billing"], source: "https://twitter.com/globex_cfo/status/1850012345678" },
  { daysAgo: 3, text: "Wrong invoice amount again, we were charged twice for the annual plan.", channel: "email", account: "Hooli Stores", topics: ["billing"] },
  { daysAgo: 1, text: "Charged twice on this month's invoice, the amount is wrong. Very frustrating.", channel: "phone", account: "Initech", topics: ["billing"] },
  { daysAgo: 0.2, text: "Is anyone looking at the invoices? Charged twice again, invoice is wrong.", channel: "facebook", topics: ["billing"] },
  // Others.
  { daysAgo: 6, text: "SAML login fails for our Okta users since yesterday's update: 'invalid assertion'.", channel: "email", account: "Globex Corporation", topics: ["saml", "sso"] },
  { daysAgo: 4, text: "Love the new dashboard — our team finally sees everything in one place. Great work!", channel: "linkedin", account: "Initech", products: ["dashboard"] },
  { daysAgo: 2, text: "The CSV import keeps timing out on files over 10 MB.", channel: "chat", account: "Umbrella Retail", topics: ["integrations"], products: ["csv import"] },
  { daysAgo: 0.5, text: "Store staff in Leeds were wonderful and sorted my order in minutes.", channel: "store", topics: ["stores"] },
  { daysAgo: 0.1, text: "<b>Seriously?</b> The app logs me out every five minutes.", channel: "review_site", products: ["mobile app"], topics: ["login"], source: "https://reviews.example.com/atrium/123" },
];

function seedCtx(db: Db, clock: Clock): Ctx {
  const env = parseEnv({ DATABASE_URL: process.env.DATABASE_URL ?? "file:./data/atrium.db" });
  return {
    db,
    bus: new InProcessEventBus(),
    env,
    clock,
    peopleIndex: new PeopleIndex(),
    questionsIndex: new QuestionsIndex(),
    expertise: new ExpertiseIndex(env.QA_EXPERTISE_HALF_LIFE_DAYS),
    // Insight verbs never touch document content; the seed has no live collaboration service.
    collab: null as unknown as Ctx["collab"],
    searchIndex: new UnifiedIndex(),
    presence: { stateOf: () => "offline", snapshot: () => [] },
    loginLimiter: new MemoryRateLimiter(5, 60_000),
  };
}

export async function seedInsights(db: Db, now = new Date()): Promise<{ skipped: boolean; insights: number; rules: number }> {
  if (await db.customerAccount.findUnique({ where: { name: SENTINEL_ACCOUNT } })) return { skipped: true, insights: 0, rules: 0 };
  let at = now;
  const ctx = seedCtx(db, { now: () => at });
  const adminRow = await db.user.findFirst({ where: { role: "admin", active: true }, orderBy: { createdAt: "asc" } });
  if (!adminRow) throw new Error("seedInsights needs an admin: run the organisation seed first.");
  const admin: Actor = { id: adminRow.id, role: "admin", departmentId: adminRow.departmentId, active: true };

  for (const a of ACCOUNTS) await createAccount(ctx, admin, a);
  const team = async (name: string) => (await db.team.findUnique({ where: { name }, select: { id: true, leadId: true } })) ?? null;
  const finance = await team("Finance Operations");
  const support = await team("Technical Support");
  const identity = await team("Identity");
  const social = await team("Social Care");

  let rules = 0;
  const rule = async (r: Record<string, unknown>) => {
    await createRule(ctx, admin, r);
    rules++;
  };
  if (finance) await rule({ name: "Billing complaints", enabled: true, teamIds: [finance.id], priority: "high", ackWithin: "30m", resolveWithin: "1d", conditions: { topics: "billing, invoices, refunds" } });
  if (identity) await rule({ name: "Single sign-on problems", enabled: true, teamIds: [identity.id, ...(support ? [support.id] : [])], priority: "urgent", ackWithin: "15m", resolveWithin: "8h", conditions: { topics: "saml, sso" } });
  if (support) await rule({ name: "Product problems", enabled: true, teamIds: [support.id], ackWithin: "2h", resolveWithin: "3d", conditions: { topics: "integrations, login", sentimentAtMost: "-0.3" } });
  if (support) await rule({ name: "Strategic accounts, any complaint", enabled: true, teamIds: [support.id], priority: "high", ackWithin: "1h", resolveWithin: "1d", conditions: { tiers: ["strategic"], sentimentAtMost: "-0.3" } });
  if (social) await rule({ name: "Praise on social channels", enabled: true, teamIds: [social.id], priority: "low", ackWithin: "1d", resolveWithin: "7d", conditions: { sentimentAtLeast: "0.3", channels: ["twitter", "facebook", "instagram", "linkedin", "review_site"] } });
  const settings = await ensureSettings(ctx);
  await updateSettings(ctx, admin, { matchMode: "first", triageTeamId: settings.triageTeamId, triageAckWithin: "4h", triageResolveWithin: "3d" });

  // Posted by the Social Care lead when there is one (the story's support agent), else the admin.
  const posterRow = social?.leadId ? await db.user.findUnique({ where: { id: social.leadId } }) : null;
  const poster: Actor = posterRow ? { id: posterRow.id, role: posterRow.role as Actor["role"], departmentId: posterRow.departmentId, active: true } : admin;
  const accountIds = new Map((await db.customerAccount.findMany({ select: { id: true, name: true } })).map((a) => [a.name, a.id]));
  const created: { id: string; daysAgo: number }[] = [];
  for (const s of [...SAMPLES].sort((a, b) => b.daysAgo - a.daysAgo)) {
    at = new Date(now.getTime() - s.daysAgo * 86_400_000);
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
    at = new Date(now.getTime() - (oldest.daysAgo - 0.01) * 86_400_000);
    await transitionInsight(ctx, lead, oldest.id, { to: "acknowledged" });
    at = new Date(now.getTime() - (oldest.daysAgo - 0.5) * 86_400_000);
    await transitionInsight(ctx, lead, oldest.id, { to: "resolved", note: "Duplicate seat charge credited; billing run corrected." });
  }
  return { skipped: false, insights: created.length, rules };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const { createDb, tuneSqlite } = await import("../server/db.js");
  const db = createDb(process.env.DATABASE_URL ?? "file:./data/atrium.db");
  await tuneSqlite(db);
  try {
    console.log(await seedInsights(db));
  } finally {
    await db.$disconnect();
  }
}
