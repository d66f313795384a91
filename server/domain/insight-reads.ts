/**
 * The insights feed's page and its recurring issues as prepared SQL (server/db-reads.ts, decisions
 * 175/176): the columns SUMMARY_SELECT names, with the account, poster and integration joined, and
 * the routes and tags of the page one statement each. The rows have SummaryRow's shape, so the
 * presenter is the same as for the Prisma read.
 */
import { OPEN_STATUSES, type InsightFilter } from "../../app/schemas/insights.js";
import { allByOwner, groupsOf as groupsOfIds, inGroup, sqlDate, sqlDateParam, type SqlReads, type SqlValue } from "../db-reads.js";
import type { SummaryRow } from "./insight-presenters.js";

const dateOrNull = (v: unknown) => (v == null ? null : sqlDate(v));

const ROUTES_SQL = `SELECT r."insightId" AS "of", r."teamId", r."ruleId", t."name", t."leadId"
  FROM "InsightRoute" r JOIN "Team" t ON t."id" = r."teamId"
  WHERE r."insightId" IN ${inGroup} ORDER BY r."createdAt", t."name", r."teamId"`;
const TAGS_SQL = `SELECT it."insightId" AS "of", it."kind", s."name", s."label"
  FROM "InsightTag" it JOIN "Skill" s ON s."id" = it."skillId" WHERE it."insightId" IN ${inGroup}`;

interface InsightSqlRow {
  id: string; text: string; channel: string; sourceUrl: string | null;
  sentimentScore: number; sentimentLabel: string; sentimentAuto: string; sentimentOverriddenAt: unknown;
  status: string; priority: string; ackDueAt: unknown; resolveDueAt: unknown; acknowledgedAt: unknown; resolvedAt: unknown;
  ackBreachedAt: unknown; resolveBreachedAt: unknown; clusterId: string | null; createdAt: unknown; postedById: string | null;
  aId: string | null; aName: string | null; aTier: string | null;
  pId: string | null; pName: string | null;
  gId: string | null; gName: string | null;
}

const COLUMNS = `i."id", i."text", i."channel", i."sourceUrl", i."sentimentScore", i."sentimentLabel", i."sentimentAuto", i."sentimentOverriddenAt",
  i."status", i."priority", i."ackDueAt", i."resolveDueAt", i."acknowledgedAt", i."resolvedAt", i."ackBreachedAt", i."resolveBreachedAt",
  i."clusterId", i."createdAt", i."postedById",
  a."id" AS "aId", a."name" AS "aName", a."tier" AS "aTier", p."id" AS "pId", p."name" AS "pName", g."id" AS "gId", g."name" AS "gName"`;
const JOINS = `LEFT JOIN "CustomerAccount" a ON a."id" = i."accountId" LEFT JOIN "User" p ON p."id" = i."postedById" LEFT JOIN "ApiToken" g ON g."id" = i."integrationId"`;

async function toSummaryRows(reads: SqlReads, rows: InsightSqlRow[]): Promise<SummaryRow[]> {
  const ids = rows.map((r) => r.id);
  const routes = await allByOwner<{ of: string; teamId: string; ruleId: string | null; name: string; leadId: string | null }>(reads, ROUTES_SQL, ids);
  const tags = await allByOwner<{ of: string; kind: string; name: string; label: string }>(reads, TAGS_SQL, ids);
  return rows.map((r) => ({
    id: r.id,
    text: r.text,
    channel: r.channel,
    sourceUrl: r.sourceUrl,
    sentimentScore: Number(r.sentimentScore),
    sentimentLabel: r.sentimentLabel,
    sentimentAuto: r.sentimentAuto,
    sentimentOverriddenAt: dateOrNull(r.sentimentOverriddenAt),
    status: r.status,
    priority: r.priority,
    ackDueAt: dateOrNull(r.ackDueAt),
    resolveDueAt: dateOrNull(r.resolveDueAt),
    acknowledgedAt: dateOrNull(r.acknowledgedAt),
    resolvedAt: dateOrNull(r.resolvedAt),
    ackBreachedAt: dateOrNull(r.ackBreachedAt),
    resolveBreachedAt: dateOrNull(r.resolveBreachedAt),
    clusterId: r.clusterId,
    createdAt: sqlDate(r.createdAt),
    postedById: r.postedById,
    account: r.aId ? { id: r.aId, name: r.aName!, tier: r.aTier! } : null,
    postedBy: r.pId ? { id: r.pId, name: r.pName! } : null,
    integration: r.gId ? { id: r.gId, name: r.gName! } : null,
    routes: (routes.get(r.id) ?? []).map((x) => ({ teamId: x.teamId, ruleId: x.ruleId, team: { id: x.teamId, name: x.name, leadId: x.leadId } })),
    tags: (tags.get(r.id) ?? []).map((t) => ({ kind: t.kind, skill: { name: t.name, label: t.label } })),
  }));
}

/** The feed's filters as SQL conditions and their parameters, as filterWhere states them for Prisma. */
function filterSql(f: InsightFilter): { where: string; params: SqlValue[] } {
  const and: string[] = [];
  const params: SqlValue[] = [];
  if (f.team) {
    and.push(`EXISTS (SELECT 1 FROM "InsightRoute" r WHERE r."insightId" = i."id" AND r."teamId" = ?)`);
    params.push(f.team);
  }
  if (f.status === "open") {
    and.push(`i."status" IN (${OPEN_STATUSES.map(() => "?").join(", ")})`);
    params.push(...OPEN_STATUSES);
  } else if (f.status) {
    and.push(`i."status" = ?`);
    params.push(f.status);
  }
  if (f.sentiment) {
    and.push(`i."sentimentLabel" = ?`);
    params.push(f.sentiment);
  }
  if (f.channel) {
    and.push(`i."channel" = ?`);
    params.push(f.channel);
  }
  if (f.account) {
    and.push(`i."accountId" = ?`);
    params.push(f.account);
  }
  if (f.tag) {
    and.push(`EXISTS (SELECT 1 FROM "InsightTag" it JOIN "Skill" s ON s."id" = it."skillId" WHERE it."insightId" = i."id" AND s."name" = ?)`);
    params.push(f.tag.toLowerCase());
  }
  if (f.issue) {
    and.push(`i."clusterId" = ?`);
    params.push(f.issue);
  }
  if (f.breached) and.push(`(i."ackBreachedAt" IS NOT NULL OR i."resolveBreachedAt" IS NOT NULL)`);
  return { where: and.length ? `WHERE ${and.join(" AND ")}` : "", params };
}

/** One page of the company-wide feed (newest first) and how many match: listInsights' read. */
export async function feedPageSql(reads: SqlReads, f: InsightFilter, pageNo: number, pageSize: number) {
  const { where, params } = filterSql(f);
  const [count, rows] = await Promise.all([
    reads.one<{ n: SqlValue }>(`SELECT COUNT(*) AS "n" FROM "Insight" i ${where}`, ...params),
    reads.all<InsightSqlRow>(`SELECT ${COLUMNS} FROM "Insight" i ${JOINS} ${where} ORDER BY i."createdAt" DESC, i."id" DESC LIMIT ? OFFSET ?`, ...params, pageSize, (pageNo - 1) * pageSize),
  ]);
  return { total: Number(count?.n ?? 0), rows: await toSummaryRows(reads, rows) };
}

/** The clusters seen since `since`, most recently seen first (ties by id): the recurring issues' read. */
export async function recentClustersSql(reads: SqlReads, since: Date, take: number) {
  const rows = await reads.all<{ id: string; title: string; firstSeenAt: unknown; lastSeenAt: unknown }>(
    `SELECT "id", "title", "firstSeenAt", "lastSeenAt" FROM "InsightCluster" WHERE "lastSeenAt" >= ? ORDER BY "lastSeenAt" DESC, "id" DESC LIMIT ?`,
    sqlDateParam(since), take,
  );
  return rows.map((r) => ({ id: r.id, title: r.title, firstSeenAt: sqlDate(r.firstSeenAt), lastSeenAt: sqlDate(r.lastSeenAt) }));
}

/** An insight page's row: the summary's columns and relations plus what only the page shows (getInsight's Prisma select). */
export async function insightPageSql(reads: SqlReads, id: string) {
  const row = await reads.one<InsightSqlRow & {
    resolutionNote: string; questionId: string | null; documentId: string | null; externalId: string | null; matchedRuleIds: string;
    aSegment: string | null; kId: string | null; kName: string | null;
  }>(
    `SELECT ${COLUMNS}, a."segment" AS "aSegment", i."resolutionNote", i."questionId", i."documentId", i."externalId", i."matchedRuleIds",
       k."id" AS "kId", k."name" AS "kName"
     FROM "Insight" i ${JOINS} LEFT JOIN "User" k ON k."id" = i."acknowledgedById" WHERE i."id" = ?`,
    id,
  );
  if (!row) return null;
  const [summary] = await toSummaryRows(reads, [row]);
  const events = await reads.all<{ id: string; type: string; fromValue: string | null; toValue: string | null; note: string; createdAt: unknown; uId: string | null; uName: string | null }>(
    `SELECT e."id", e."type", e."fromValue", e."toValue", e."note", e."createdAt", u."id" AS "uId", u."name" AS "uName"
     FROM "InsightEvent" e LEFT JOIN "User" u ON u."id" = e."actorId" WHERE e."insightId" = ? ORDER BY e."createdAt", e."id"`,
    id,
  );
  return {
    ...summary!,
    resolutionNote: row.resolutionNote,
    questionId: row.questionId,
    documentId: row.documentId,
    externalId: row.externalId,
    matchedRuleIds: row.matchedRuleIds,
    acknowledgedBy: row.kId ? { id: row.kId, name: row.kName! } : null,
    account: row.aId ? { id: row.aId, name: row.aName!, tier: row.aTier!, segment: row.aSegment! } : null,
    events: events.map((e) => ({
      id: e.id, type: e.type, fromValue: e.fromValue, toValue: e.toValue, note: e.note, createdAt: sqlDate(e.createdAt),
      actor: e.uId ? { id: e.uId, name: e.uName! } : null,
    })),
  };
}

/** The rest of an insight page: the reader's teams, the rules that routed it, its cluster and up to five others of it. */
export async function insightPageExtrasSql(reads: SqlReads, readerId: string, ruleIds: string[], clusterId: string | null, id: string) {
  const teams = await reads.all<{ teamId: string }>(`SELECT "teamId" FROM "TeamMembership" WHERE "userId" = ?`, readerId);
  const rules: { id: string; name: string }[] = [];
  for (const g of groupsOfIds(ruleIds)) rules.push(...(await reads.all<{ id: string; name: string }>(`SELECT "id", "name" FROM "RoutingRule" WHERE "id" IN ${inGroup}`, ...g)));
  const cluster = clusterId ? ((await reads.one<{ id: string; title: string }>(`SELECT "id", "title" FROM "InsightCluster" WHERE "id" = ?`, clusterId)) ?? null) : null;
  const similar = clusterId
    ? (
        await reads.all<{ id: string; text: string; createdAt: unknown; status: string }>(
          `SELECT "id", "text", "createdAt", "status" FROM "Insight" WHERE "clusterId" = ? AND "id" <> ? ORDER BY "createdAt" DESC, "id" DESC LIMIT 5`,
          clusterId, id,
        )
      ).map((s) => ({ ...s, createdAt: sqlDate(s.createdAt) }))
    : [];
  return { teamIds: teams.map((t) => t.teamId), rules, cluster, similar };
}
