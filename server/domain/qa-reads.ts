/**
 * Question summaries (lists, "routed to you") as prepared SQL (server/db-reads.ts, decision 175):
 * the columns presentSummary reads — not the stored body tree — with the author and department
 * joined and the tags in one statement. The rows have summaryInclude's shape, so the presenters
 * are the same as for the Prisma read.
 */
import { allByOwner, sqlBool, sqlDate, type SqlReads, type SqlValue, inGroup } from "../db-reads.js";
import type { SummaryRow } from "./qa-presenters.js";

const SUMMARY_COLUMNS = `q."id", q."title", q."bodyText", q."createdAt", q."lastActivityAt", q."score", q."answerCount", q."acceptedAnswerId", q."closedAt", q."duplicateOfId",
  a."id" AS "aId", a."name" AS "aName", a."title" AS "aTitle", a."photoPath" AS "aPhotoPath", a."active" AS "aActive", a."deactivatedAt" AS "aDeactivatedAt",
  (SELECT MIN(ii."source") FROM "ImportedIdentity" ii WHERE ii."userId" = a."id") AS "aSource",
  d."id" AS "dId", d."name" AS "dName"`;
const SUMMARY_JOINS = `JOIN "User" a ON a."id" = q."authorId" LEFT JOIN "Department" d ON d."id" = q."departmentId"`;
const TAGS_SQL = `SELECT qt."questionId" AS "of", s."name", s."label" FROM "QuestionTag" qt JOIN "Skill" s ON s."id" = qt."skillId" WHERE qt."questionId" IN ${inGroup}`;

interface SummarySqlRow {
  id: string; title: string; bodyText: string; createdAt: unknown; lastActivityAt: unknown; score: number | bigint; answerCount: number | bigint;
  acceptedAnswerId: string | null; closedAt: unknown; duplicateOfId: string | null;
  aId: string; aName: string; aTitle: string; aPhotoPath: string | null; aActive: unknown; aDeactivatedAt: unknown; aSource: string | null;
  dId: string | null; dName: string | null;
}

async function toSummaryRows<T extends SummarySqlRow>(reads: SqlReads, rows: T[]): Promise<(SummaryRow & { raw: T })[]> {
  const tags = await allByOwner<{ of: string; name: string; label: string }>(reads, TAGS_SQL, rows.map((r) => r.id));
  return rows.map((r) => ({
    raw: r,
    id: r.id,
    title: r.title,
    bodyText: r.bodyText,
    createdAt: sqlDate(r.createdAt),
    lastActivityAt: sqlDate(r.lastActivityAt),
    score: Number(r.score),
    answerCount: Number(r.answerCount),
    acceptedAnswerId: r.acceptedAnswerId,
    closedAt: r.closedAt == null ? null : sqlDate(r.closedAt),
    duplicateOfId: r.duplicateOfId,
    author: {
      id: r.aId, name: r.aName, title: r.aTitle, photoPath: r.aPhotoPath, active: sqlBool(r.aActive),
      deactivatedAt: r.aDeactivatedAt == null ? null : sqlDate(r.aDeactivatedAt),
      importedIdentities: r.aSource == null ? [] : [{ source: r.aSource }],
    },
    department: r.dId ? { id: r.dId, name: r.dName! } : null,
    tags: (tags.get(r.id) ?? []).map((t) => ({ skill: { name: t.name, label: t.label } })),
  }));
}

/** The filters listQuestions applies, as SQL fragments (a fixed few, so a fixed few statements). */
export interface SummaryFilter {
  tagId?: string;
  departmentId?: string;
  unanswered?: boolean;
  openForDepartment?: boolean;
}
export type SummaryOrder = "newest" | "active" | "votes";

const ORDER: Record<SummaryOrder, string> = {
  newest: `q."createdAt" DESC, q."id" DESC`,
  active: `q."lastActivityAt" DESC, q."id" DESC`,
  votes: `q."score" DESC, q."createdAt" DESC, q."id" DESC`,
};

function whereOf(f: SummaryFilter): { sql: string; params: SqlValue[] } {
  const parts = [`q."deletedAt" IS NULL`];
  const params: SqlValue[] = [];
  if (f.tagId) {
    parts.push(`EXISTS (SELECT 1 FROM "QuestionTag" t WHERE t."questionId" = q."id" AND t."skillId" = ?)`);
    params.push(f.tagId);
  }
  if (f.departmentId) {
    parts.push(`q."departmentId" = ?`);
    params.push(f.departmentId);
  }
  if (f.unanswered) parts.push(`q."answerCount" = 0 AND q."closedAt" IS NULL`);
  if (f.openForDepartment) parts.push(`q."acceptedAnswerId" IS NULL AND q."closedAt" IS NULL`);
  return { sql: parts.join(" AND "), params };
}

/** One page of summaries and the total, newest, most active or best voted first. */
export async function summaryPageSql(reads: SqlReads, f: SummaryFilter, order: SummaryOrder, take: number, skip: number) {
  const where = whereOf(f);
  const [count, rows] = await Promise.all([
    reads.one<{ n: number | bigint | string }>(`SELECT COUNT(*) AS "n" FROM "Question" q WHERE ${where.sql}`, ...where.params),
    reads.all<SummarySqlRow>(`SELECT ${SUMMARY_COLUMNS} FROM "Question" q ${SUMMARY_JOINS} WHERE ${where.sql} ORDER BY ${ORDER[order]} LIMIT ? OFFSET ?`, ...where.params, take, skip),
  ]);
  return { total: Number(count?.n ?? 0), rows: await toSummaryRows(reads, rows) };
}

/** Open questions routed to a person, newest route first, with the route's reason. */
export async function routedSummariesSql(reads: SqlReads, userId: string, take: number) {
  const rows = await reads.all<SummarySqlRow & { reason: string }>(
    `SELECT ${SUMMARY_COLUMNS}, r."reason" FROM "QuestionRoute" r JOIN "Question" q ON q."id" = r."questionId" ${SUMMARY_JOINS}
     WHERE r."userId" = ? AND q."deletedAt" IS NULL AND q."acceptedAnswerId" IS NULL AND q."closedAt" IS NULL
     ORDER BY r."createdAt" DESC, r."id" DESC LIMIT ?`,
    userId, take,
  );
  return (await toSummaryRows(reads, rows)).map((r) => ({ ...r, reason: r.raw.reason }));
}
