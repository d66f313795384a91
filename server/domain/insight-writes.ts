/**
 * Storing a new insight: the row with its tags, routes and its two first events ("created",
 * "routed"), all or nothing. With prepared writes (server/db-writes.ts, decision 330) that is one
 * transaction of four statements on both databases; contexts without them write through Prisma's
 * nested create, the same rows (tests/server/insights/ingest-prepared-writes.test.ts holds the two
 * equal). A repeated (integration, externalId) is refused by the unique index either way, with
 * Prisma's code P2002.
 */
import { sqlDateParam, type SqlValue } from "../db-reads.js";
import { newId, valuesOf, type SqlStatement, type SqlWrites } from "../db-writes.js";
import type { Ctx } from "./context.js";

export interface NewInsightRow {
  text: string;
  channel: string;
  accountId: string | null;
  sourceUrl: string | null;
  postedById: string | null;
  integrationId: string | null;
  externalId: string | null;
  sentimentScore: number;
  sentimentLabel: string;
  sentimentAuto: string;
  priority: string;
  matchedRuleIds: string;
  ackDueAt: Date;
  resolveDueAt: Date;
  clusterId: string | null;
  createdAt: Date;
}
export interface NewInsight {
  row: NewInsightRow;
  tags: { skillId: string; kind: "product" | "topic" }[];
  routes: { teamId: string; ruleId: string | null }[];
  events: { type: string; actorId: string | null; toValue?: string; note: string }[];
}

/** Stores it; resolves with the new insight's id. */
export async function storeInsight(ctx: Ctx, insight: NewInsight): Promise<string> {
  if (ctx.writes) return storeInsightSql(ctx.writes, insight);
  const { row, tags, routes, events } = insight;
  const now = row.createdAt;
  const created = await ctx.db.insight.create({
    data: {
      ...row,
      // createMany: one multi-row INSERT per relation instead of one per row.
      tags: { createMany: { data: tags } },
      routes: { createMany: { data: routes.map((r) => ({ ...r, createdAt: now })) } },
      events: { createMany: { data: events.map((e) => ({ ...e, createdAt: now })) } },
    },
    select: { id: true },
  });
  return created.id;
}

const INSIGHT_COLUMNS = [
  "id", "text", "channel", "accountId", "sourceUrl", "postedById", "integrationId", "externalId",
  "sentimentScore", "sentimentLabel", "sentimentAuto", "status", "priority", "matchedRuleIds",
  "ackDueAt", "resolveDueAt", "resolutionNote", "clusterId", "createdAt", "updatedAt",
] as const;
const INSERT_INSIGHT = `INSERT INTO "Insight" (${INSIGHT_COLUMNS.map((c) => `"${c}"`).join(", ")}) VALUES ${valuesOf(1, INSIGHT_COLUMNS.length)}`;
const insertTags = (n: number) => `INSERT INTO "InsightTag" ("insightId", "skillId", "kind") VALUES ${valuesOf(n, 3)}`;
const insertRoutes = (n: number) => `INSERT INTO "InsightRoute" ("insightId", "teamId", "ruleId", "createdAt") VALUES ${valuesOf(n, 4)}`;
const insertEvents = (n: number) => `INSERT INTO "InsightEvent" ("id", "insightId", "type", "actorId", "toValue", "note", "createdAt") VALUES ${valuesOf(n, 7)}`;

export async function storeInsightSql(writes: SqlWrites, { row, tags, routes, events }: NewInsight): Promise<string> {
  const id = newId();
  const at = sqlDateParam(row.createdAt);
  const values: Record<(typeof INSIGHT_COLUMNS)[number], SqlValue> = {
    ...row,
    id,
    status: "new",
    resolutionNote: "",
    ackDueAt: sqlDateParam(row.ackDueAt),
    resolveDueAt: sqlDateParam(row.resolveDueAt),
    createdAt: at,
    updatedAt: at,
  };
  const statements: SqlStatement[] = [{ sql: INSERT_INSIGHT, params: INSIGHT_COLUMNS.map((c) => values[c]) }];
  if (tags.length) statements.push({ sql: insertTags(tags.length), params: tags.flatMap((t) => [id, t.skillId, t.kind]) });
  if (routes.length) statements.push({ sql: insertRoutes(routes.length), params: routes.flatMap((r) => [id, r.teamId, r.ruleId, at]) });
  if (events.length) statements.push({ sql: insertEvents(events.length), params: events.flatMap((e) => [newId(), id, e.type, e.actorId, e.toValue ?? null, e.note, at]) });
  await writes.transaction(statements);
  return id;
}
