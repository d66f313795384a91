/**
 * The home feed (decision 065): "what changed that matters to me".
 *
 * Writing: event-bus subscribers (server/feed/wiring.ts) call the `record*` system verbs after a
 * change committed; each writes one ActivityItem row (who, what, where) and publishes
 * `feed.recorded`. Reading: `getFeed` matches rows against the reader's follows, department and
 * teams at read time, newest first with a keyset cursor, and `can` decides every row — so a
 * private document, a document in the trash or a deleted post never reaches a feed, and a new
 * follow applies to the past as well as the future.
 */
import { FeedQuerySchema, type FeedItem, type FeedKind, type ReactionTarget } from "../../app/schemas/feed.js";
import { allByOwner, inGroup, sqlDate, sqlDateParam, type SqlReads } from "../db-reads.js";
import { newId, valuesOf, type SqlStatement, type SqlWrites } from "../db-writes.js";
import { can, type Actor } from "../policy.js";
import { parse, type Ctx } from "./context.js";
import { docAccessSelect, subjectOf, teamIdsOf } from "./docs.js";
import { ValidationError } from "./errors.js";
import { initials, photoUrl } from "./presenters.js";
import { reactionCounts } from "./reactions.js";

// ───────────────────────────── recording ─────────────────────────────

/** Edits by one person to one document within this window are one feed item ("edited"), moved to the top. */
const EDIT_COALESCE_MS = 60 * 60_000;
/** A coalesced edit row is announced to open feeds again only after this long without edits. */
const EDIT_REANNOUNCE_MS = 10 * 60_000;

interface NewActivity {
  kind: FeedKind;
  at: Date;
  actorId: string | null;
  targetUserId?: string | null;
  questionId?: string | null;
  answerId?: string | null;
  docId?: string | null;
  spaceId?: string | null;
  insightId?: string | null;
}

/** Writes the rows (each with its actor's department at the time) in one statement, then announces them. */
async function record(ctx: Ctx, items: NewActivity[]): Promise<string[]> {
  if (!items.length) return [];
  const actorIds = [...new Set(items.map((a) => a.actorId).filter((id): id is string => !!id))];
  const users = actorIds.length ? await ctx.db.user.findMany({ where: { id: { in: actorIds } }, select: { id: true, departmentId: true } }) : [];
  const departmentOf = new Map(users.map((u) => [u.id, u.departmentId]));
  const data = items.map((a) => ({
      kind: a.kind,
      createdAt: a.at,
      actorId: a.actorId,
      departmentId: (a.actorId && departmentOf.get(a.actorId)) || null,
      targetUserId: a.targetUserId ?? null,
      questionId: a.questionId ?? null,
      answerId: a.answerId ?? null,
      docId: a.docId ?? null,
      spaceId: a.spaceId ?? null,
      insightId: a.insightId ?? null,
    }));
  // Every ingested insight records one (as does every question, answer and edit): prepared SQL when the context has it (decision 330).
  const ids = ctx.writes ? await insertActivitySql(ctx.writes, data) : (await ctx.db.activityItem.createManyAndReturn({ data, select: { id: true } })).map((r) => r.id);
  for (const activityId of ids) await ctx.bus.publish("feed.recorded", { activityId });
  return ids;
}

const ACTIVITY_COLUMNS = ["id", "kind", "createdAt", "actorId", "departmentId", "targetUserId", "questionId", "answerId", "docId", "spaceId", "insightId"] as const;

/** The rows in one transaction, at most ACTIVITY_BATCH a statement (well within both databases' parameter limits). */
async function insertActivitySql(writes: SqlWrites, rows: (Record<Exclude<(typeof ACTIVITY_COLUMNS)[number], "id" | "createdAt">, string | null> & { createdAt: Date })[]) {
  const ids = rows.map(() => newId());
  const statements: SqlStatement[] = [];
  for (let i = 0; i < rows.length; i += ACTIVITY_BATCH) {
    const batch = rows.slice(i, i + ACTIVITY_BATCH);
    statements.push({
      sql: `INSERT INTO "ActivityItem" (${ACTIVITY_COLUMNS.map((c) => `"${c}"`).join(", ")}) VALUES ${valuesOf(batch.length, ACTIVITY_COLUMNS.length)}`,
      params: batch.flatMap((r, j) => ACTIVITY_COLUMNS.map((c) => (c === "id" ? ids[i + j]! : c === "createdAt" ? sqlDateParam(r.createdAt) : r[c]))),
    });
  }
  await writes.transaction(statements);
  return ids;
}
const ACTIVITY_BATCH = 500;

// Each recorder re-reads the row it is about: the payload says which, the database says what.

export async function recordQuestionAsked(ctx: Ctx, p: { questionId: string }) {
  const q = await ctx.db.question.findUnique({ where: { id: String(p.questionId) }, select: { authorId: true, createdAt: true } });
  if (!q) return [];
  return record(ctx, [{ kind: "question.asked", at: q.createdAt, actorId: q.authorId, questionId: p.questionId }]);
}

export async function recordAnswerPosted(ctx: Ctx, p: { answerId: string }) {
  const a = await ctx.db.answer.findUnique({ where: { id: String(p.answerId) }, select: { createdAt: true, authorId: true, questionId: true } });
  if (!a) return [];
  return record(ctx, [{ kind: "answer.posted", at: a.createdAt, actorId: a.authorId, questionId: a.questionId, answerId: p.answerId }]);
}

/** The asker accepted an answer (an un-accept records nothing). */
export async function recordAnswerAccepted(ctx: Ctx, p: { questionId: string; answerId: string | null }) {
  if (!p.answerId) return [];
  const a = await ctx.db.answer.findUnique({ where: { id: String(p.answerId) }, select: { acceptedAt: true, questionId: true, question: { select: { authorId: true } } } });
  if (!a?.acceptedAt) return [];
  return record(ctx, [{ kind: "answer.accepted", at: a.acceptedAt, actorId: a.question.authorId, questionId: a.questionId, answerId: p.answerId }]);
}

export async function recordQuestionRouted(ctx: Ctx, p: { questionId: string; userIds: string[]; at: string }) {
  const q = await ctx.db.question.findUnique({ where: { id: String(p.questionId) }, select: { authorId: true } });
  if (!q) return [];
  const users = await ctx.db.user.findMany({ where: { id: { in: p.userIds ?? [] } }, select: { id: true } });
  const at = new Date(p.at);
  const when = Number.isNaN(at.getTime()) ? ctx.clock.now() : at;
  return record(
    ctx,
    users.map((u) => ({ kind: "question.routed" as const, at: when, actorId: q.authorId, targetUserId: u.id, questionId: p.questionId })),
  );
}

export async function recordDocCreated(ctx: Ctx, p: { docId: string }) {
  const d = await ctx.db.document.findUnique({ where: { id: String(p.docId) }, select: { spaceId: true, ownerId: true, createdAt: true } });
  if (!d) return [];
  return record(ctx, [{ kind: "doc.created", at: d.createdAt, actorId: d.ownerId, docId: p.docId, spaceId: d.spaceId }]);
}

/** Settled edits: one item per editor per document per hour, moved to the top on each burst. */
export async function recordDocEdited(ctx: Ctx, p: { docId: string; editorIds: string[]; at: string }) {
  const d = await ctx.db.document.findUnique({ where: { id: String(p.docId) }, select: { spaceId: true } });
  const at = new Date(p.at);
  if (!d || Number.isNaN(at.getTime())) return [];
  const editors = await ctx.db.user.findMany({ where: { id: { in: p.editorIds ?? [] } }, select: { id: true } });
  // Each editor's latest row on this document within the coalescing window, in one query.
  const recentRows = await ctx.db.activityItem.findMany({
    where: { docId: p.docId, actorId: { in: editors.map((e) => e.id) }, kind: { in: ["doc.edited", "doc.created"] }, createdAt: { gte: new Date(at.getTime() - EDIT_COALESCE_MS) } },
    orderBy: { createdAt: "desc" },
    select: { id: true, kind: true, createdAt: true, actorId: true },
  });
  const latest = new Map<string, (typeof recentRows)[number]>();
  for (const r of recentRows) if (r.actorId && !latest.has(r.actorId)) latest.set(r.actorId, r);
  const fresh: NewActivity[] = [];
  const bumped: string[] = [];
  const announce: string[] = [];
  for (const { id: actorId } of editors) {
    const recent = latest.get(actorId);
    if (recent?.kind === "doc.created") continue; // "created" a moment ago says enough
    if (recent) {
      bumped.push(recent.id);
      // Someone typing steadily settles every few seconds: the row moves up each time, but open
      // feeds hear about it again only after a quiet spell (each announcement costs one feed query
      // per connected reader who might see it).
      if (at.getTime() - recent.createdAt.getTime() >= EDIT_REANNOUNCE_MS) announce.push(recent.id);
    } else fresh.push({ kind: "doc.edited", at, actorId, docId: p.docId, spaceId: d.spaceId });
  }
  if (bumped.length) await ctx.db.activityItem.updateMany({ where: { id: { in: bumped } }, data: { createdAt: at } });
  for (const activityId of announce) await ctx.bus.publish("feed.recorded", { activityId });
  return [...bumped, ...(await record(ctx, fresh))];
}

export async function recordDocMentioned(ctx: Ctx, p: { docId: string; userIds: string[]; byId: string | null }) {
  const d = await ctx.db.document.findUnique({ where: { id: String(p.docId) }, select: { spaceId: true } });
  if (!d) return [];
  const at = ctx.clock.now();
  const users = await ctx.db.user.findMany({ where: { id: { in: [...(p.userIds ?? []), ...(p.byId ? [p.byId] : [])] } }, select: { id: true } });
  const known = new Set(users.map((u) => u.id));
  return record(
    ctx,
    (p.userIds ?? [])
      .filter((id) => known.has(id))
      .map((userId) => ({ kind: "doc.mentioned" as const, at, actorId: p.byId && known.has(p.byId) ? p.byId : null, targetUserId: userId, docId: p.docId, spaceId: d.spaceId })),
  );
}

export async function recordInsightRouted(ctx: Ctx, p: { insight: { id: string } }) {
  const id = String(p.insight?.id);
  // Every ingested insight: prepared SQL on the read connection (the insight has committed).
  const row = ctx.reads && (await ctx.reads.one<{ postedById: string | null; createdAt: unknown }>(`SELECT "postedById", "createdAt" FROM "Insight" WHERE "id" = ?`, id));
  const i = ctx.reads
    ? row && { postedById: row.postedById, createdAt: sqlDate(row.createdAt) }
    : await ctx.db.insight.findUnique({ where: { id }, select: { postedById: true, createdAt: true } });
  if (!i) return [];
  return record(ctx, [{ kind: "insight.routed", at: i.createdAt, actorId: i.postedById, insightId: p.insight.id }]);
}

// ───────────────────────────── reading ─────────────────────────────

interface Reader {
  actor: Actor;
  people: Set<string>;
  spaces: Set<string>;
  tags: Set<string>;
  teamIds: string[];
}

/** Ids only (one query each): names for "why" come with the rows themselves. */
/** One reader (each home page view): the four relations in one prepared statement (server/db-reads.ts). */
async function loadReader(ctx: Ctx, actor: Actor): Promise<Reader> {
  if (!ctx.reads) return (await loadReaders(ctx, [actor]))[0]!;
  const rows = await ctx.reads.all<{ kind: string; id: string }>(
    `SELECT 'person' AS "kind", "followeeId" AS "id" FROM "PersonFollow" WHERE "followerId" = ?
     UNION ALL SELECT 'space', "spaceId" FROM "SpaceFollow" WHERE "userId" = ?
     UNION ALL SELECT 'tag', "skillId" FROM "TagFollow" WHERE "userId" = ?
     UNION ALL SELECT 'team', "teamId" FROM "TeamMembership" WHERE "userId" = ?`,
    actor.id, actor.id, actor.id, actor.id,
  );
  const of = (kind: string) => rows.filter((r) => r.kind === kind).map((r) => r.id);
  return { actor, people: new Set(of("person")), spaces: new Set(of("space")), tags: new Set(of("tag")), teamIds: of("team") };
}

/** Readers for many people at once: one query per relation, not four per person. */
async function loadReaders(ctx: Ctx, actors: Actor[]): Promise<Reader[]> {
  const ids = actors.map((a) => a.id);
  const [people, spaces, tags, teams] = await Promise.all([
    ctx.db.personFollow.findMany({ where: { followerId: { in: ids } }, select: { followerId: true, followeeId: true } }),
    ctx.db.spaceFollow.findMany({ where: { userId: { in: ids } }, select: { userId: true, spaceId: true } }),
    ctx.db.tagFollow.findMany({ where: { userId: { in: ids } }, select: { userId: true, skillId: true } }),
    ctx.db.teamMembership.findMany({ where: { userId: { in: ids } }, select: { userId: true, teamId: true } }),
  ]);
  return actors.map((actor) => ({
    actor,
    people: new Set(people.filter((f) => f.followerId === actor.id).map((f) => f.followeeId)),
    spaces: new Set(spaces.filter((f) => f.userId === actor.id).map((f) => f.spaceId)),
    tags: new Set(tags.filter((f) => f.userId === actor.id).map((f) => f.skillId)),
    teamIds: teams.filter((m) => m.userId === actor.id).map((m) => m.teamId),
  }));
}

/** Which rows concern the reader: the read-time join of decision 065. Permission is checked per row after. */
function matchWhere(r: Reader) {
  const me = r.actor.id;
  const general = [];
  if (r.people.size) general.push({ actorId: { in: [...r.people] } });
  if (r.spaces.size) general.push({ spaceId: { in: [...r.spaces] } });
  if (r.actor.departmentId) general.push({ departmentId: r.actor.departmentId });
  if (r.tags.size) general.push({ kind: "question.asked", question: { tags: { some: { skillId: { in: [...r.tags] } } } } });
  general.push({ kind: { in: ["answer.posted", "answer.accepted"] }, question: { follows: { some: { userId: me } } } });
  if (r.teamIds.length) general.push({ kind: "insight.routed", insight: { routes: { some: { teamId: { in: r.teamIds } } } } });
  return {
    // Routed-to and mentioned items are about one person: only they see them.
    OR: [{ targetUserId: me }, { targetUserId: null, OR: general }],
    // Not my own doings.
    AND: [{ OR: [{ actorId: null }, { actorId: { not: me } }] }],
  };
}

const rowSelect = {
  id: true,
  kind: true,
  createdAt: true,
  actorId: true,
  departmentId: true,
  targetUserId: true,
  spaceId: true,
  actor: { select: { id: true, name: true, photoPath: true } },
  question: { select: { id: true, title: true, bodyText: true, authorId: true, deletedAt: true, tags: { select: { skillId: true, skill: { select: { label: true } } } } } },
  answer: { select: { id: true, bodyText: true, authorId: true, deletedAt: true } },
  doc: { select: { ...docAccessSelect, title: true, plainText: true, space: { select: { name: true } } } },
  insight: { select: { id: true, text: true, account: { select: { name: true } }, routes: { select: { teamId: true, team: { select: { name: true } } } } } },
} as const;

type Row = Awaited<ReturnType<typeof fetchRows>>[number];

function fetchRows(ctx: Ctx, where: object, take: number) {
  return ctx.db.activityItem.findMany({ where, orderBy: [{ createdAt: "desc" }, { id: "desc" }], take, select: rowSelect });
}

/**
 * The page's read as prepared SQL (server/db-reads.ts, decision 175): matchWhere's filter with the
 * follows read in the same statement, the to-one relations joined, then the three to-many
 * relations (tags, shares, routes) in one statement each. Same rows, same shape as fetchRows.
 */
const feedSql = (keyset: boolean) => `
  SELECT a."id", a."kind", a."createdAt", a."actorId", a."departmentId", a."targetUserId", a."spaceId",
    u."id" AS "uId", u."name" AS "uName", u."photoPath" AS "uPhotoPath",
    q."id" AS "qId", q."title" AS "qTitle", q."bodyText" AS "qBodyText", q."authorId" AS "qAuthorId", q."deletedAt" AS "qDeletedAt",
    n."id" AS "nId", n."bodyText" AS "nBodyText", n."authorId" AS "nAuthorId", n."deletedAt" AS "nDeletedAt",
    d."id" AS "dId", d."ownerId" AS "dOwnerId", d."visibility" AS "dVisibility", d."audienceRole" AS "dAudienceRole",
    d."departmentId" AS "dDepartmentId", d."deletedAt" AS "dDeletedAt", d."title" AS "dTitle", d."plainText" AS "dPlainText", s."name" AS "dSpaceName",
    i."id" AS "iId", i."text" AS "iText", c."name" AS "iAccountName"
  FROM (
    -- The page's rows first, then their relations: the sort carries the activity columns only,
    -- not every matching row's document and answer texts.
    SELECT a."id", a."kind", a."createdAt", a."actorId", a."departmentId", a."targetUserId", a."spaceId", a."questionId", a."answerId", a."docId", a."insightId"
    FROM "ActivityItem" a
    WHERE (a."targetUserId" = ? OR (a."targetUserId" IS NULL AND (
        a."actorId" IN (SELECT "followeeId" FROM "PersonFollow" WHERE "followerId" = ?)
        OR a."spaceId" IN (SELECT "spaceId" FROM "SpaceFollow" WHERE "userId" = ?)
        OR a."departmentId" = ?
        OR (a."kind" = 'question.asked' AND EXISTS (SELECT 1 FROM "QuestionTag" qt WHERE qt."questionId" = a."questionId"
              AND qt."skillId" IN (SELECT "skillId" FROM "TagFollow" WHERE "userId" = ?)))
        OR (a."kind" IN ('answer.posted', 'answer.accepted') AND EXISTS (SELECT 1 FROM "QuestionFollow" qf WHERE qf."questionId" = a."questionId" AND qf."userId" = ?))
        OR (a."kind" = 'insight.routed' AND EXISTS (SELECT 1 FROM "InsightRoute" ir WHERE ir."insightId" = a."insightId"
              AND ir."teamId" IN (SELECT "teamId" FROM "TeamMembership" WHERE "userId" = ?)))
      )))
      AND (a."actorId" IS NULL OR a."actorId" <> ?)
      ${keyset ? `AND (a."createdAt" < ? OR (a."createdAt" = ? AND a."id" < ?))` : ""}
    ORDER BY a."createdAt" DESC, a."id" DESC
    LIMIT ?
  ) a
  LEFT JOIN "User" u ON u."id" = a."actorId"
  LEFT JOIN "Question" q ON q."id" = a."questionId"
  LEFT JOIN "Answer" n ON n."id" = a."answerId"
  LEFT JOIN "Document" d ON d."id" = a."docId"
  LEFT JOIN "Space" s ON s."id" = d."spaceId"
  LEFT JOIN "Insight" i ON i."id" = a."insightId"
  LEFT JOIN "CustomerAccount" c ON c."id" = i."accountId"
  ORDER BY a."createdAt" DESC, a."id" DESC`;
const FEED_SQL_FIRST = feedSql(false);
const FEED_SQL_AFTER = feedSql(true);
const TAGS_SQL = `SELECT qt."questionId" AS "of", qt."skillId", k."label" FROM "QuestionTag" qt JOIN "Skill" k ON k."id" = qt."skillId" WHERE qt."questionId" IN ${inGroup} ORDER BY qt."questionId", qt."skillId"`;
const SHARES_SQL = `SELECT "docId" AS "of", "principalType", "principalId", "role" FROM "DocShare" WHERE "docId" IN ${inGroup} ORDER BY "docId", "id"`;
const ROUTES_SQL = `SELECT r."insightId" AS "of", r."teamId", t."name" FROM "InsightRoute" r JOIN "Team" t ON t."id" = r."teamId" WHERE r."insightId" IN ${inGroup} ORDER BY r."insightId", r."teamId"`;

interface FeedSqlRow {
  id: string; kind: string; createdAt: unknown; actorId: string | null; departmentId: string | null; targetUserId: string | null; spaceId: string | null;
  uId: string | null; uName: string; uPhotoPath: string | null;
  qId: string | null; qTitle: string; qBodyText: string; qAuthorId: string; qDeletedAt: unknown;
  nId: string | null; nBodyText: string; nAuthorId: string; nDeletedAt: unknown;
  dId: string | null; dOwnerId: string; dVisibility: string; dAudienceRole: string; dDepartmentId: string | null; dDeletedAt: unknown; dTitle: string; dPlainText: string; dSpaceName: string;
  iId: string | null; iText: string; iAccountName: string | null;
}

const orNull = (v: unknown) => (v == null ? null : sqlDate(v));

async function fetchRowsSql(reads: SqlReads, r: Reader, after: { at: Date; id: string } | null, take: number): Promise<Row[]> {
  const me = r.actor.id;
  const params = [me, me, me, r.actor.departmentId ?? null, me, me, me, me];
  const rows = after
    ? await reads.all<FeedSqlRow>(FEED_SQL_AFTER, ...params, sqlDateParam(after.at), sqlDateParam(after.at), after.id, take)
    : await reads.all<FeedSqlRow>(FEED_SQL_FIRST, ...params, take);
  if (!rows.length) return [];
  const [tags, shares, routes] = await Promise.all([
    allByOwner<{ of: string; skillId: string; label: string }>(reads, TAGS_SQL, rows.flatMap((x) => (x.qId ? [x.qId] : []))),
    allByOwner<{ of: string; principalType: string; principalId: string; role: string }>(reads, SHARES_SQL, rows.flatMap((x) => (x.dId ? [x.dId] : []))),
    allByOwner<{ of: string; teamId: string; name: string }>(reads, ROUTES_SQL, rows.flatMap((x) => (x.iId ? [x.iId] : []))),
  ]);
  return rows.map((x) => ({
    id: x.id,
    kind: x.kind,
    createdAt: sqlDate(x.createdAt),
    actorId: x.actorId,
    departmentId: x.departmentId,
    targetUserId: x.targetUserId,
    spaceId: x.spaceId,
    actor: x.uId ? { id: x.uId, name: x.uName, photoPath: x.uPhotoPath } : null,
    question: x.qId
      ? { id: x.qId, title: x.qTitle, bodyText: x.qBodyText, authorId: x.qAuthorId, deletedAt: orNull(x.qDeletedAt), tags: (tags.get(x.qId) ?? []).map((t) => ({ skillId: t.skillId, skill: { label: t.label } })) }
      : null,
    answer: x.nId ? { id: x.nId, bodyText: x.nBodyText, authorId: x.nAuthorId, deletedAt: orNull(x.nDeletedAt) } : null,
    doc: x.dId
      ? {
          id: x.dId, ownerId: x.dOwnerId, visibility: x.dVisibility, audienceRole: x.dAudienceRole, departmentId: x.dDepartmentId, deletedAt: orNull(x.dDeletedAt),
          shares: (shares.get(x.dId) ?? []).map(({ principalType, principalId, role }) => ({ principalType, principalId, role })),
          title: x.dTitle, plainText: x.dPlainText, space: { name: x.dSpaceName },
        }
      : null,
    insight: x.iId
      ? { id: x.iId, text: x.iText, account: x.iAccountName == null ? null : { name: x.iAccountName }, routes: (routes.get(x.iId) ?? []).map((t) => ({ teamId: t.teamId, team: { name: t.name } })) }
      : null,
  })) as Row[];
}

/** The policy decides, row by row; deleted posts are left out even for their authors. */
function readable(r: Reader, row: Row): boolean {
  const a = r.actor;
  if (row.question && (row.question.deletedAt || !can(a, "question.view", { authorId: row.question.authorId, deleted: !!row.question.deletedAt }))) return false;
  if (row.answer && (row.answer.deletedAt || !can(a, "question.view", { authorId: row.answer.authorId, deleted: !!row.answer.deletedAt }))) return false;
  if (row.doc && !can(a, "doc.read", subjectOf(row.doc, r.teamIds))) return false;
  // Every employee reads every insight (policy "insight.create" and decision 031); nothing to filter.
  return !!(row.question || row.doc || row.insight);
}

const cut = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1).trimEnd()}…` : s);

function why(r: Reader, row: Row): string {
  if (row.targetUserId === r.actor.id) return row.kind === "doc.mentioned" ? "You were mentioned" : "Routed to you";
  if (row.actorId && row.actor && r.people.has(row.actorId)) return `You follow ${row.actor.name}`;
  const tag = row.question?.tags.find((t) => r.tags.has(t.skillId));
  if (row.kind === "question.asked" && tag) return `In ${tag.skill.label}, a tag you follow`;
  if (row.doc && row.spaceId && r.spaces.has(row.spaceId)) return `In ${row.doc.space.name}, a space you follow`;
  const team = row.insight?.routes.find((t) => r.teamIds.includes(t.teamId));
  if (team) return `For your team ${team.team.name}`;
  if (row.answer) return "On a question you follow";
  return "In your department";
}

const VERB: Record<FeedKind, string> = {
  "question.asked": "asked",
  "answer.posted": "answered",
  "answer.accepted": "accepted an answer on",
  "question.routed": "asks for your help with",
  "doc.created": "created",
  "doc.edited": "edited",
  "doc.mentioned": "mentioned you in",
  "insight.routed": "posted a customer insight",
};

function reactTarget(row: Row): { targetType: ReactionTarget; targetId: string } | null {
  if (row.answer) return { targetType: "answer", targetId: row.answer.id };
  if (row.question) return { targetType: "question", targetId: row.question.id };
  if (row.insight) return { targetType: "insight", targetId: row.insight.id };
  return null;
}

async function present(ctx: Ctx, r: Reader, rows: Row[]): Promise<FeedItem[]> {
  const targets = rows.map(reactTarget).filter((t) => t !== null);
  const counts = await reactionCounts(ctx, targets, r.actor.id);
  return rows.map((row) => {
    const t = reactTarget(row);
    const base = {
      id: row.id,
      kind: row.kind as FeedKind,
      createdAt: row.createdAt.toISOString(),
      actor: row.actor && { id: row.actor.id, name: row.actor.name, initials: initials(row.actor.name), photoUrl: photoUrl(row.actor.photoPath) },
      verb: VERB[row.kind as FeedKind] ?? row.kind,
      why: why(r, row),
      reactOn: t && { ...t, reactions: counts.get(`${t.targetType}:${t.targetId}`) ?? [] },
    };
    if (row.doc) return { ...base, title: row.doc.title, link: `/docs/${row.doc.id}`, excerpt: cut(row.doc.plainText.replace(/\s+/g, " ").trim(), 160) };
    if (row.insight) {
      const from = row.insight.account ? `${row.insight.account.name}: ` : "";
      return { ...base, title: `${from}“${cut(row.insight.text, 90)}”`, link: `/insights/${row.insight.id}`, excerpt: "" };
    }
    const q = row.question!;
    const link = row.answer ? `/questions/${q.id}#answer-${row.answer.id}` : `/questions/${q.id}`;
    return { ...base, title: q.title, link, excerpt: cut((row.answer?.bodyText ?? q.bodyText).replace(/\s+/g, " ").trim(), 200) };
  });
}

const encodeCursor = (c: { at: Date; id: string }) => Buffer.from(`${c.at.getTime()}.${c.id}`).toString("base64url");

function decodeCursor(cursor: string): { at: Date; id: string } {
  const [ms, id] = Buffer.from(cursor, "base64url").toString().split(".");
  const at = new Date(Number(ms));
  if (!id || !ms || Number.isNaN(at.getTime())) throw new ValidationError({ cursor: ["That cursor is not valid."] });
  return { at, id };
}

/** At most this many rows are looked at per page, so a reader who may open little still gets a bounded answer. */
const SCAN_LIMIT = 400;

async function queryFeed(ctx: Ctx, r: Reader, opts: { cursor?: string; limit: number; onlyId?: string }) {
  const base = matchWhere(r);
  const items: Row[] = [];
  let after = opts.cursor ? decodeCursor(opts.cursor) : null;
  let scanned = 0;
  let exhausted = false;
  scan: while (items.length < opts.limit && scanned < SCAN_LIMIT) {
    const batch = Math.min(SCAN_LIMIT - scanned, Math.max(opts.limit * 2, 20));
    let rows: Row[];
    if (ctx.reads && !opts.onlyId) rows = await fetchRowsSql(ctx.reads, r, after, batch);
    else {
      const keyset = after ? [{ OR: [{ createdAt: { lt: after.at } }, { createdAt: after.at, id: { lt: after.id } }] }] : [];
      rows = await fetchRows(ctx, { ...base, AND: [...base.AND, ...keyset, ...(opts.onlyId ? [{ id: opts.onlyId }] : [])] }, batch);
    }
    scanned += rows.length;
    for (const [i, row] of rows.entries()) {
      after = { at: row.createdAt, id: row.id };
      if (readable(r, row)) items.push(row);
      if (items.length === opts.limit) {
        exhausted = rows.length < batch && i === rows.length - 1;
        break scan;
      }
    }
    if (rows.length < batch) {
      exhausted = true;
      break;
    }
  }
  const nextCursor = exhausted || !after ? null : encodeCursor(after);
  return { items: await present(ctx, r, items), nextCursor };
}

/** The reader's feed, newest first; `nextCursor` continues it ("Load more"). */
export async function getFeed(ctx: Ctx, actor: Actor, input: unknown = {}) {
  const q = parse(FeedQuerySchema, input);
  return queryFeed(ctx, await loadReader(ctx, actor), { cursor: q.cursor, limit: q.limit });
}

/** matchWhere for one row already in memory (the live fan-out decides many readers at once). */
function concerns(r: Reader, row: Row, followsQuestion: boolean): boolean {
  const me = r.actor.id;
  if (row.actorId === me) return false;
  if (row.targetUserId) return row.targetUserId === me;
  if (row.actorId && r.people.has(row.actorId)) return true;
  if (row.spaceId && r.spaces.has(row.spaceId)) return true;
  if (r.actor.departmentId && row.departmentId === r.actor.departmentId) return true;
  if (row.kind === "question.asked" && row.question?.tags.some((t) => r.tags.has(t.skillId))) return true;
  if ((row.kind === "answer.posted" || row.kind === "answer.accepted") && followsQuestion) return true;
  return row.kind === "insight.routed" && !!row.insight?.routes.some((t) => r.teamIds.includes(t.teamId));
}

/**
 * System verb for the live fan-out: the item as each of `userIds` would see it, for those whose
 * feed it belongs to and who may open it — the same matching as the page's query (matchWhere,
 * here on the one row) and the same policy check (`readable`), in a handful of queries in all
 * rather than several per reader.
 */
export async function feedItemsFor(ctx: Ctx, userIds: string[], activityId: string): Promise<Map<string, FeedItem>> {
  const out = new Map<string, FeedItem>();
  if (!userIds.length) return out;
  const [row] = await fetchRows(ctx, { id: activityId }, 1);
  if (!row) return out;
  const users = await ctx.db.user.findMany({ where: { id: { in: [...new Set(userIds)] }, active: true }, select: { id: true, role: true, departmentId: true, active: true } });
  const [readers, questionFollowers] = await Promise.all([
    loadReaders(ctx, users.map((u) => ({ id: u.id, role: u.role as Actor["role"], departmentId: u.departmentId, active: u.active }))),
    row.question && (row.kind === "answer.posted" || row.kind === "answer.accepted")
      ? ctx.db.questionFollow.findMany({ where: { questionId: row.question.id, userId: { in: userIds } }, select: { userId: true } })
      : Promise.resolve([]),
  ]);
  const following = new Set(questionFollowers.map((f) => f.userId));
  for (const r of readers) {
    if (!concerns(r, row, following.has(r.actor.id)) || !readable(r, row)) continue;
    const [item] = await present(ctx, r, [row]);
    if (item) out.set(r.actor.id, item);
  }
  return out;
}

/**
 * System verb: who might have this item in their feed (a superset; feedItemsFor decides). The
 * realtime layer intersects it with who is connected.
 */
export async function feedCandidates(ctx: Ctx, activityId: string): Promise<string[]> {
  if (ctx.reads) return feedCandidatesSql(ctx.reads, activityId);
  const a = await ctx.db.activityItem.findUnique({
    where: { id: activityId },
    select: { actorId: true, targetUserId: true, departmentId: true, spaceId: true, questionId: true, kind: true, insight: { select: { routes: { select: { teamId: true } } } } },
  });
  if (!a) return [];
  if (a.targetUserId) return [a.targetUserId];
  const ids = new Set<string>();
  const add = (rows: { userId: string }[]) => rows.forEach((r) => ids.add(r.userId));
  if (a.actorId) (await ctx.db.personFollow.findMany({ where: { followeeId: a.actorId }, select: { followerId: true } })).forEach((f) => ids.add(f.followerId));
  if (a.departmentId) add(await ctx.db.user.findMany({ where: { departmentId: a.departmentId, active: true }, select: { id: true } }).then((u) => u.map((x) => ({ userId: x.id }))));
  if (a.spaceId) add(await ctx.db.spaceFollow.findMany({ where: { spaceId: a.spaceId }, select: { userId: true } }));
  if (a.questionId && a.kind === "question.asked") {
    const tags = await ctx.db.questionTag.findMany({ where: { questionId: a.questionId }, select: { skillId: true } });
    add(await ctx.db.tagFollow.findMany({ where: { skillId: { in: tags.map((t) => t.skillId) } }, select: { userId: true } }));
  }
  if (a.questionId && a.kind !== "question.asked") add(await ctx.db.questionFollow.findMany({ where: { questionId: a.questionId }, select: { userId: true } }));
  const teamIds = a.insight?.routes.map((r) => r.teamId) ?? [];
  if (teamIds.length) add(await ctx.db.teamMembership.findMany({ where: { teamId: { in: teamIds } }, select: { userId: true } }));
  if (a.actorId) ids.delete(a.actorId);
  return [...ids];
}

/**
 * feedCandidates in two prepared statements (every recorded activity runs it): the row, then every
 * group that may see it in one UNION; a branch that does not apply gets NULL, which matches nothing.
 */
async function feedCandidatesSql(reads: SqlReads, activityId: string): Promise<string[]> {
  const a = await reads.one<{ actorId: string | null; targetUserId: string | null; departmentId: string | null; spaceId: string | null; questionId: string | null; kind: string; insightId: string | null }>(
    `SELECT "actorId", "targetUserId", "departmentId", "spaceId", "questionId", "kind", "insightId" FROM "ActivityItem" WHERE "id" = ?`,
    activityId,
  );
  if (!a) return [];
  if (a.targetUserId) return [a.targetUserId];
  const asked = a.kind === "question.asked";
  const rows = await reads.all<{ userId: string }>(
    `SELECT "followerId" AS "userId" FROM "PersonFollow" WHERE "followeeId" = ?
     UNION ALL SELECT "id" FROM "User" WHERE "departmentId" = ? AND "active" = TRUE
     UNION ALL SELECT "userId" FROM "SpaceFollow" WHERE "spaceId" = ?
     UNION ALL SELECT tf."userId" FROM "TagFollow" tf JOIN "QuestionTag" qt ON qt."skillId" = tf."skillId" WHERE qt."questionId" = ?
     UNION ALL SELECT "userId" FROM "QuestionFollow" WHERE "questionId" = ?
     UNION ALL SELECT tm."userId" FROM "TeamMembership" tm JOIN "InsightRoute" r ON r."teamId" = tm."teamId" WHERE r."insightId" = ?`,
    a.actorId,
    a.departmentId,
    a.spaceId,
    asked ? a.questionId : null,
    asked ? null : a.questionId,
    a.insightId,
  );
  const ids = new Set(rows.map((r) => r.userId));
  if (a.actorId) ids.delete(a.actorId);
  return [...ids];
}
