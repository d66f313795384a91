/**
 * Question summaries (lists, "routed to you") as prepared SQL (server/db-reads.ts, decision 175):
 * the columns presentSummary reads — not the stored body tree — with the author and department
 * joined and the tags in one statement. The rows have summaryInclude's shape, so the presenters
 * are the same as for the Prisma read.
 */
import { allByOwner, sqlBool, sqlDate, type SqlReads, type SqlValue, inGroup } from "../db-reads.js";
import type { MiniPersonRow, QuestionPageRow, SummaryRow } from "./qa-presenters.js";

/** miniPersonSelect's columns of the user aliased `t`, named with the prefix `p` ("aId", "aName"…). */
const personColumns = (t: string, p: string) =>
  `${t}."id" AS "${p}Id", ${t}."name" AS "${p}Name", ${t}."title" AS "${p}Title", ${t}."photoPath" AS "${p}PhotoPath", ${t}."active" AS "${p}Active", ${t}."deactivatedAt" AS "${p}DeactivatedAt",
  (SELECT MIN(ii."source") FROM "ImportedIdentity" ii WHERE ii."userId" = ${t}."id") AS "${p}Source"`;
type PersonSqlRow = { aId: string; aName: string; aTitle: string; aPhotoPath: string | null; aActive: unknown; aDeactivatedAt: unknown; aSource: string | null };
const personOf = (r: PersonSqlRow): Required<MiniPersonRow> => ({
  id: r.aId, name: r.aName, title: r.aTitle, photoPath: r.aPhotoPath, active: sqlBool(r.aActive),
  deactivatedAt: r.aDeactivatedAt == null ? null : sqlDate(r.aDeactivatedAt),
  importedIdentities: r.aSource == null ? [] : [{ source: r.aSource }],
});
const dateOrNull = (v: unknown) => (v == null ? null : sqlDate(v));

const SUMMARY_COLUMNS = `q."id", q."title", q."bodyText", q."createdAt", q."lastActivityAt", q."score", q."answerCount", q."acceptedAnswerId", q."closedAt", q."duplicateOfId",
  ${personColumns("a", "a")},
  d."id" AS "dId", d."name" AS "dName"`;
const SUMMARY_JOINS = `JOIN "User" a ON a."id" = q."authorId" LEFT JOIN "Department" d ON d."id" = q."departmentId"`;
const TAGS_SQL = `SELECT qt."questionId" AS "of", s."name", s."label" FROM "QuestionTag" qt JOIN "Skill" s ON s."id" = qt."skillId" WHERE qt."questionId" IN ${inGroup}`;

interface SummarySqlRow extends PersonSqlRow {
  id: string; title: string; bodyText: string; createdAt: unknown; lastActivityAt: unknown; score: number | bigint; answerCount: number | bigint;
  acceptedAnswerId: string | null; closedAt: unknown; duplicateOfId: string | null;
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
    closedAt: dateOrNull(r.closedAt),
    duplicateOfId: r.duplicateOfId,
    author: personOf(r),
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

const PAGE_QUESTION_SQL = `SELECT q."id", q."authorId", q."title", q."bodyJson", q."documentId", q."insightId", q."createdAt", q."editedAt", q."lastActivityAt",
  q."score", q."answerCount", q."acceptedAnswerId", q."duplicateOfId", q."closedAt", q."closedById", q."deletedAt", q."deletedById", q."deleteReason",
  ${personColumns("a", "a")}, d."id" AS "dId", d."name" AS "dName", o."id" AS "oId", o."title" AS "oTitle", o."deletedAt" AS "oDeletedAt",
  (SELECT COUNT(*) FROM "PostRevision" pr WHERE pr."questionId" = q."id") AS "revisions",
  (SELECT COUNT(*) FROM "QuestionFollow" f WHERE f."questionId" = q."id") AS "follows",
  (SELECT v."value" FROM "QuestionVote" v WHERE v."questionId" = q."id" AND v."userId" = ?) AS "myVote",
  (SELECT COUNT(*) FROM "QuestionFollow" f WHERE f."questionId" = q."id" AND f."userId" = ?) AS "following"
  FROM "Question" q JOIN "User" a ON a."id" = q."authorId" LEFT JOIN "Department" d ON d."id" = q."departmentId" LEFT JOIN "Question" o ON o."id" = q."duplicateOfId"
  WHERE q."id" = ?`;
const PAGE_TAGS_SQL = `SELECT s."name", s."label" FROM "QuestionTag" qt JOIN "Skill" s ON s."id" = qt."skillId" WHERE qt."questionId" = ?`;
// "IS NOT NULL" (implied by the equality) lets SQLite take the duplicateOfId index: nearly every
// question has none, so its statistics say one value covers the whole table, and SQLite would
// otherwise walk every live question in date order (40 ms of CPU at 20,000 questions).
const PAGE_DUPLICATES_SQL = `SELECT q."id", q."title" FROM "Question" q WHERE q."duplicateOfId" = ? AND q."duplicateOfId" IS NOT NULL AND q."deletedAt" IS NULL ORDER BY q."createdAt", q."id"`;
const PAGE_COMMENTS_SQL = `SELECT c."id", c."answerId", c."authorId", c."body", c."createdAt", c."deletedAt", c."deletedById", ${personColumns("a", "a")}
  FROM "QaComment" c JOIN "User" a ON a."id" = c."authorId" WHERE c."questionId" = ? ORDER BY c."createdAt", c."id"`;
const PAGE_ANSWERS_SQL = `SELECT x."id", x."authorId", x."bodyJson", x."createdAt", x."editedAt", x."score", x."acceptedAt", x."deletedAt", x."deletedById", x."deleteReason",
  ${personColumns("a", "a")}, (SELECT COUNT(*) FROM "PostRevision" pr WHERE pr."answerId" = x."id") AS "revisions", v."value" AS "myVote"
  FROM "Answer" x JOIN "User" a ON a."id" = x."authorId" LEFT JOIN "AnswerVote" v ON v."answerId" = x."id" AND v."userId" = ?
  WHERE x."questionId" = ? ORDER BY x."createdAt", x."id"`;
const PAGE_ROUTES_SQL = `SELECT r."userId", r."kind", r."reason", ${personColumns("a", "a")}
  FROM "QuestionRoute" r JOIN "User" a ON a."id" = r."userId" WHERE r."questionId" = ? ORDER BY r."createdAt", r."score" DESC, r."id"`;

type Num = number | bigint | string;
interface PageQuestionSql extends PersonSqlRow {
  id: string; authorId: string; title: string; bodyJson: string; documentId: string | null; insightId: string | null; createdAt: unknown; editedAt: unknown;
  lastActivityAt: unknown; score: Num; answerCount: Num; acceptedAnswerId: string | null; duplicateOfId: string | null; closedAt: unknown; closedById: string | null;
  deletedAt: unknown; deletedById: string | null; deleteReason: string; dId: string | null; dName: string | null; oId: string | null; oTitle: string | null;
  oDeletedAt: unknown; revisions: Num; follows: Num; myVote: Num | null; following: Num;
}
interface PageCommentSql extends PersonSqlRow { id: string; answerId: string | null; authorId: string; body: string; createdAt: unknown; deletedAt: unknown; deletedById: string | null }
interface PageAnswerSql extends PersonSqlRow {
  id: string; authorId: string; bodyJson: string; createdAt: unknown; editedAt: unknown; score: Num; acceptedAt: unknown; deletedAt: unknown;
  deletedById: string | null; deleteReason: string; revisions: Num; myVote: Num | null;
}
interface PageRouteSql extends PersonSqlRow { userId: string; kind: string; reason: string }

/**
 * The question page in six statements (questionPageSelect's row, and the reader's votes and
 * follow), where the Prisma read takes about twenty.
 */
export async function questionPageSql(reads: SqlReads, questionId: string, readerId: string) {
  const q = await reads.one<PageQuestionSql>(PAGE_QUESTION_SQL, readerId, readerId, questionId);
  if (!q) return null;
  const [tags, duplicates, comments, answers, routes] = await Promise.all([
    reads.all<{ name: string; label: string }>(PAGE_TAGS_SQL, questionId),
    reads.all<{ id: string; title: string }>(PAGE_DUPLICATES_SQL, questionId),
    reads.all<PageCommentSql>(PAGE_COMMENTS_SQL, questionId),
    reads.all<PageAnswerSql>(PAGE_ANSWERS_SQL, readerId, questionId),
    reads.all<PageRouteSql>(PAGE_ROUTES_SQL, questionId),
  ]);
  const row: QuestionPageRow = {
    id: q.id, authorId: q.authorId, title: q.title, bodyJson: q.bodyJson, documentId: q.documentId, insightId: q.insightId,
    createdAt: sqlDate(q.createdAt), editedAt: dateOrNull(q.editedAt), lastActivityAt: sqlDate(q.lastActivityAt),
    score: Number(q.score), answerCount: Number(q.answerCount), acceptedAnswerId: q.acceptedAnswerId, duplicateOfId: q.duplicateOfId,
    closedAt: dateOrNull(q.closedAt), closedById: q.closedById, deletedAt: dateOrNull(q.deletedAt), deletedById: q.deletedById, deleteReason: q.deleteReason,
    author: personOf(q),
    department: q.dId ? { id: q.dId, name: q.dName! } : null,
    tags: tags.map((t) => ({ skill: { name: t.name, label: t.label } })),
    duplicateOf: q.oId ? { id: q.oId, title: q.oTitle!, deletedAt: dateOrNull(q.oDeletedAt) } : null,
    duplicates: duplicates.map((d) => ({ id: d.id, title: d.title })),
    comments: comments.map((c) => ({
      id: c.id, answerId: c.answerId, authorId: c.authorId, body: c.body, createdAt: sqlDate(c.createdAt), deletedAt: dateOrNull(c.deletedAt), deletedById: c.deletedById,
      author: personOf(c),
    })),
    answers: answers.map((a) => ({
      id: a.id, authorId: a.authorId, bodyJson: a.bodyJson, createdAt: sqlDate(a.createdAt), editedAt: dateOrNull(a.editedAt), score: Number(a.score),
      acceptedAt: dateOrNull(a.acceptedAt), deletedAt: dateOrNull(a.deletedAt), deletedById: a.deletedById, deleteReason: a.deleteReason,
      author: personOf(a), _count: { revisions: Number(a.revisions) },
    })),
    routes: routes.map((r) => ({ userId: r.userId, kind: r.kind, reason: r.reason, user: personOf(r) })),
    _count: { revisions: Number(q.revisions), follows: Number(q.follows) },
  };
  return {
    row,
    myVote: q.myVote == null ? null : Number(q.myVote),
    answerVotes: answers.filter((a) => a.myVote != null).map((a) => ({ answerId: a.id, value: Number(a.myVote) })),
    following: Number(q.following) > 0,
  };
}

const USER_NAMES_SQL = `SELECT u."id" AS "of", u."name" FROM "User" u WHERE u."id" IN ${inGroup}`;
/** Names of a few people by id (who closed or deleted something). */
export async function userNamesSql(reads: SqlReads, ids: readonly string[]): Promise<Map<string, string>> {
  const rows = await allByOwner<{ of: string; name: string }>(reads, USER_NAMES_SQL, ids);
  return new Map([...rows].map(([id, [r]]) => [id, r!.name]));
}

const EXPERTISE_SQL = `SELECT s."name" AS "tag", s."label", COUNT(*) AS "answers",
  SUM(CASE WHEN x."acceptedAt" IS NULL THEN 0 ELSE 1 END) AS "accepted", SUM(CASE WHEN x."score" > 0 THEN x."score" ELSE 0 END) AS "upvotes"
  FROM "Answer" x JOIN "Question" q ON q."id" = x."questionId" JOIN "QuestionTag" qt ON qt."questionId" = q."id" JOIN "Skill" s ON s."id" = qt."skillId"
  WHERE x."authorId" = ? AND x."deletedAt" IS NULL AND q."deletedAt" IS NULL GROUP BY s."name", s."label"`;
/** A person's answers per tag (expertiseOf), counted in SQL rather than over every answer row. */
export async function expertiseSql(reads: SqlReads, userId: string) {
  const rows = await reads.all<{ tag: string; label: string; answers: Num; accepted: Num; upvotes: Num }>(EXPERTISE_SQL, userId);
  return rows.map((r) => ({ tag: r.tag, label: r.label, answers: Number(r.answers), accepted: Number(r.accepted), upvotes: Number(r.upvotes) }));
}
