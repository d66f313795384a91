/**
 * The documents pages' reads as prepared SQL (server/db-reads.ts, decision 176): the access facts
 * every check loads (a document with its shares, the reader's teams), a document's page, and the
 * /docs lists. The rows have the Prisma selects' shapes, so policy and presenters are the same.
 * Which documents a reader may see is pre-filtered in SQL as readableWhere does (the reader's teams
 * by a subquery, not a list); the policy still decides on every row.
 */
import type { Actor } from "../policy.js";
import { allByOwner, inGroup, sqlDate, type SqlReads } from "../db-reads.js";

type Share = { principalType: string; principalId: string; role: string };
const dateOrNull = (v: unknown) => (v == null ? null : sqlDate(v));

const TEAMS_SQL = `SELECT tm."teamId" FROM "TeamMembership" tm WHERE tm."userId" = ? ORDER BY tm."teamId"`;
export async function teamIdsSql(reads: SqlReads, userId: string): Promise<string[]> {
  return (await reads.all<{ teamId: string }>(TEAMS_SQL, userId)).map((r) => r.teamId);
}

const ACCESS_COLUMNS = `d."id", d."ownerId", d."visibility", d."audienceRole", d."departmentId", d."deletedAt", d."spaceId"`;
const SHARES_SQL = `SELECT s."docId" AS "of", s."principalType", s."principalId", s."role" FROM "DocShare" s WHERE s."docId" IN ${inGroup} ORDER BY s."id"`;
interface AccessSql { id: string; ownerId: string; visibility: string; audienceRole: string; departmentId: string | null; deletedAt: unknown; spaceId: string }

/** Access rows (docAccessSelect plus spaceId) with their shares, in the rows' order. */
async function withShares<T extends AccessSql>(reads: SqlReads, rows: T[]) {
  return attachShares(rows, await allByOwner<Share & { of: string }>(reads, SHARES_SQL, rows.map((r) => r.id)));
}

/** The same, with the shares already read, by document. */
function attachShares<T extends AccessSql>(rows: T[], shares: Map<string, Share[]>) {
  return rows.map((r) => ({
    raw: r,
    id: r.id, ownerId: r.ownerId, visibility: r.visibility, audienceRole: r.audienceRole, departmentId: r.departmentId,
    deletedAt: dateOrNull(r.deletedAt), spaceId: r.spaceId,
    shares: (shares.get(r.id) ?? []).map((s) => ({ principalType: s.principalType, principalId: s.principalId, role: s.role })),
  }));
}

const ACCESS_SQL = `SELECT ${ACCESS_COLUMNS} FROM "Document" d WHERE d."id" = ?`;
/** One document's access facts (loadAccess's row), or null. */
export async function accessRowSql(reads: SqlReads, docId: string) {
  const row = await reads.one<AccessSql>(ACCESS_SQL, docId);
  if (!row) return null;
  const [r] = await withShares(reads, [row]);
  const { raw: _raw, spaceId: _space, ...access } = r!;
  return access;
}

const DOCUMENT_SQL = `SELECT d."id", d."title", d."visibility", d."audienceRole", d."parentId", d."createdAt", d."lastEditedAt",
  sp."id" AS "spId", sp."name" AS "spName", sp."kind" AS "spKind", dp."id" AS "dpId", dp."name" AS "dpName",
  o."id" AS "oId", o."name" AS "oName", o."photoPath" AS "oPhotoPath", e."id" AS "eId", e."name" AS "eName", e."photoPath" AS "ePhotoPath",
  (SELECT COUNT(*) FROM "DocStar" st WHERE st."docId" = d."id" AND st."userId" = ?) AS "starred"
  FROM "Document" d JOIN "Space" sp ON sp."id" = d."spaceId" JOIN "User" o ON o."id" = d."ownerId"
  LEFT JOIN "Department" dp ON dp."id" = d."departmentId" LEFT JOIN "User" e ON e."id" = d."lastEditedById"
  WHERE d."id" = ?`;
interface DocumentSql {
  id: string; title: string; visibility: string; audienceRole: string; parentId: string | null; createdAt: unknown; lastEditedAt: unknown;
  spId: string; spName: string; spKind: string; dpId: string | null; dpName: string | null;
  oId: string; oName: string; oPhotoPath: string | null; eId: string | null; eName: string | null; ePhotoPath: string | null; starred: number | bigint | string;
}

/** getDocument's row (its select, the reader's star as a one-element list). */
export async function documentSql(reads: SqlReads, docId: string, readerId: string) {
  const d = await reads.one<DocumentSql>(DOCUMENT_SQL, readerId, docId);
  if (!d) return null;
  return {
    id: d.id, title: d.title, visibility: d.visibility, audienceRole: d.audienceRole, parentId: d.parentId,
    createdAt: sqlDate(d.createdAt), lastEditedAt: dateOrNull(d.lastEditedAt),
    space: { id: d.spId, name: d.spName, kind: d.spKind },
    department: d.dpId ? { id: d.dpId, name: d.dpName! } : null,
    owner: { id: d.oId, name: d.oName, photoPath: d.oPhotoPath },
    lastEditedBy: d.eId ? { id: d.eId, name: d.eName!, photoPath: d.ePhotoPath } : null,
    stars: Number(d.starred) > 0 ? [{ userId: readerId }] : [],
  };
}

/** A share `s` that reaches the reader: to them, one of their teams or their department (parameters: id, id, department). */
const REACHES_READER = `((s."principalType" = 'user' AND s."principalId" = ?)
    OR (s."principalType" = 'team' AND s."principalId" IN (SELECT tm."teamId" FROM "TeamMembership" tm WHERE tm."userId" = ?))
    OR (s."principalType" = 'department' AND s."principalId" = ?))`;
/** readableWhere as SQL; its parameters are readableParams(actor). */
const READABLE = `d."deletedAt" IS NULL AND (d."ownerId" = ? OR d."visibility" = 'company' OR (d."visibility" = 'department' AND d."departmentId" = ?)
  OR EXISTS (SELECT 1 FROM "DocShare" s WHERE s."docId" = d."id" AND ${REACHES_READER}))`;
const readableParams = (actor: Actor) => [actor.id, actor.departmentId, actor.id, actor.id, actor.departmentId];

const GROUP_COUNTS_SQL = `SELECT g."spaceId", g."visibility", g."audienceRole", g."departmentId", g."n" FROM "DocGroupCount" g WHERE g."n" > 0`;
// The two halves stay apart: one reads the owner index, the other the shares' principal index.
const PERSONAL_SQL = `SELECT ${ACCESS_COLUMNS} FROM "Document" d WHERE d."ownerId" = ? AND d."deletedAt" IS NULL
  UNION SELECT ${ACCESS_COLUMNS} FROM "Document" d WHERE d."deletedAt" IS NULL AND d."id" IN (SELECT s."docId" FROM "DocShare" s WHERE ${REACHES_READER})`;

/**
 * What listSpaces counts, without a row per document (decision 265): the trigger-kept counts of
 * documents grouped by space, visibility, audience role and department (`departmentId` null for
 * none), and, with their shares, the documents the reader owns or that a share reaches them by —
 * the only ones whose readability a group cannot decide.
 */
export async function spaceCountsSql(reads: SqlReads, actor: Actor) {
  const [groups, personal] = await Promise.all([
    reads.all<{ spaceId: string; visibility: string; audienceRole: string; departmentId: string; n: unknown }>(GROUP_COUNTS_SQL),
    reads.all<AccessSql>(PERSONAL_SQL, actor.id, actor.id, actor.id, actor.departmentId),
  ]);
  return {
    groups: groups.map((g) => ({ spaceId: g.spaceId, visibility: g.visibility, audienceRole: g.audienceRole, departmentId: g.departmentId || null, count: Number(g.n) })),
    personal: (await withShares(reads, personal)).map(({ raw: _raw, ...access }) => access),
  };
}

const LIST_COLUMNS = `${ACCESS_COLUMNS}, d."title", d."lastEditedAt", d."createdAt", d."plainText", sp."name" AS "spName",
  e."id" AS "eId", e."name" AS "eName", e."photoPath" AS "ePhotoPath"`;
const LIST_JOINS = `JOIN "Space" sp ON sp."id" = d."spaceId" LEFT JOIN "User" e ON e."id" = d."lastEditedById"`;
interface ListSql extends AccessSql { title: string; lastEditedAt: unknown; createdAt: unknown; plainText: string; spName: string; eId: string | null; eName: string | null; ePhotoPath: string | null }

async function toListRows(reads: SqlReads, rows: ListSql[]) {
  return (await withShares(reads, rows)).map(({ raw: r, ...access }) => ({
    ...access,
    title: r.title, lastEditedAt: dateOrNull(r.lastEditedAt), createdAt: sqlDate(r.createdAt), plainText: r.plainText,
    space: { id: r.spaceId, name: r.spName },
    lastEditedBy: r.eId ? { id: r.eId, name: r.eName!, photoPath: r.ePhotoPath } : null,
  }));
}

/** listRecent's rows: readable documents, last edited first. */
export async function recentDocsSql(reads: SqlReads, actor: Actor, take: number) {
  const rows = await reads.all<ListSql>(
    `SELECT ${LIST_COLUMNS} FROM "Document" d ${LIST_JOINS} WHERE ${READABLE} ORDER BY d."lastEditedAt" DESC, d."createdAt" DESC, d."id" DESC LIMIT ?`,
    ...readableParams(actor), take,
  );
  return toListRows(reads, rows);
}

const SPACE_COLUMNS = `${ACCESS_COLUMNS}, d."title", d."parentId", d."lastEditedAt", d."createdAt"`;
interface SpaceDocSql extends AccessSql { title: string; parentId: string | null; lastEditedAt: unknown; createdAt: unknown }

// A space's shares in one statement: most documents have none, so asking per group of ids walks thousands for a few rows.
const SPACE_SHARES_SQL = `SELECT s."docId" AS "of", s."principalType", s."principalId", s."role" FROM "DocShare" s JOIN "Document" d ON d."id" = s."docId"
  WHERE d."spaceId" = ? AND d."deletedAt" IS NULL ORDER BY s."id"`;

function sharesByDoc(shareRows: (Share & { of: string })[]) {
  const shares = new Map<string, Share[]>();
  for (const s of shareRows) {
    const list = shares.get(s.of);
    if (list) list.push(s);
    else shares.set(s.of, [s]);
  }
  return shares;
}

/** getSpace's rows: the space's documents the reader may see (pre-filtered as readableWhere), A–Z, with their shares. */
export async function spaceDocsSql(reads: SqlReads, actor: Actor, spaceId: string) {
  const [rows, shareRows] = await Promise.all([
    reads.all<SpaceDocSql>(`SELECT ${SPACE_COLUMNS} FROM "Document" d WHERE d."spaceId" = ? AND ${READABLE} ORDER BY d."title", d."id"`, spaceId, ...readableParams(actor)),
    reads.all<Share & { of: string }>(SPACE_SHARES_SQL, spaceId),
  ]);
  return attachShares(rows, sharesByDoc(shareRows)).map(({ raw: r, ...access }) => ({
    ...access,
    title: r.title, parentId: r.parentId, lastEditedAt: dateOrNull(r.lastEditedAt), createdAt: sqlDate(r.createdAt),
  }));
}

const SPACE_VERSION_SQL = `SELECT v."version" FROM "SpaceVersion" v WHERE v."spaceId" = ?`;
const SPACE_TREE_SQL = `SELECT ${ACCESS_COLUMNS}, d."title", d."parentId" FROM "Document" d WHERE d."spaceId" = ? AND d."deletedAt" IS NULL ORDER BY d."title", d."id"`;
/** A document of a space's tree: its access facts (docAccessSelect plus the space), title and parent. */
export interface SpaceTreeRow {
  id: string; ownerId: string; visibility: string; audienceRole: string; departmentId: string | null; deletedAt: Date | null; spaceId: string;
  shares: Share[]; title: string; parentId: string | null;
}
interface SpaceTreeSql extends AccessSql { title: string; parentId: string | null }

/** At most this many documents are kept in all spaces' trees, per server; the space read longest ago goes first. */
export const SPACE_TREE_CACHE_ROWS = 50_000;
const spaceTrees = new WeakMap<SqlReads, Map<string, { version: number; rows: SpaceTreeRow[] }>>();

/**
 * Every document of a space that is not in the trash, A–Z, with its access facts, title, parent and
 * shares, for every reader alike (the policy then decides per reader). Kept in memory per read
 * connection under the space's version (table SpaceVersion, raised by triggers in every writing
 * transaction, so writes by another server count too) and read again only when it changed: a big
 * space is thousands of rows, and its structure changes far less often than it is read. The
 * version is read before the rows, so rows newer than their version are read again next time,
 * never the other way round. Dates are not kept (an edit changes them, not the version). At most
 * `limit` documents are kept in all (a bigger space is read every time).
 */
export async function spaceTreeSql(reads: SqlReads, spaceId: string, limit = SPACE_TREE_CACHE_ROWS): Promise<readonly SpaceTreeRow[]> {
  const version = Number((await reads.one<{ version: unknown }>(SPACE_VERSION_SQL, spaceId))?.version ?? 0);
  let trees = spaceTrees.get(reads);
  if (!trees) spaceTrees.set(reads, (trees = new Map()));
  const kept = trees.get(spaceId);
  if (kept) {
    trees.delete(spaceId);
    if (kept.version === version) {
      trees.set(spaceId, kept); // most recently read last
      return kept.rows;
    }
  }
  const [rows, shareRows] = await Promise.all([reads.all<SpaceTreeSql>(SPACE_TREE_SQL, spaceId), reads.all<Share & { of: string }>(SPACE_SHARES_SQL, spaceId)]);
  const tree = attachShares(rows, sharesByDoc(shareRows)).map(({ raw: r, ...access }) => ({ ...access, title: r.title, parentId: r.parentId }));
  if (tree.length <= limit) {
    trees.set(spaceId, { version, rows: tree });
    let total = 0;
    for (const t of trees.values()) total += t.rows.length;
    for (const [id, t] of trees) {
      if (total <= limit) break;
      trees.delete(id);
      total -= t.rows.length;
    }
  }
  return tree;
}

const DATES_SQL = `SELECT d."id" AS "of", d."lastEditedAt", d."createdAt" FROM "Document" d WHERE d."id" IN ${inGroup}`;
/** When each document was last edited (created, if never edited since), by id: the dates a page of a space's tree shows. */
export async function docDatesSql(reads: SqlReads, ids: readonly string[]): Promise<Map<string, Date>> {
  const rows = await allByOwner<{ of: string; lastEditedAt: unknown; createdAt: unknown }>(reads, DATES_SQL, ids);
  return new Map([...rows].map(([id, [r]]) => [id, dateOrNull(r!.lastEditedAt) ?? sqlDate(r!.createdAt)]));
}

/** listStarred's rows: the documents the reader starred, latest star first. */
export async function starredDocsSql(reads: SqlReads, readerId: string) {
  const rows = await reads.all<ListSql>(
    `SELECT ${LIST_COLUMNS} FROM "DocStar" st JOIN "Document" d ON d."id" = st."docId" ${LIST_JOINS} WHERE st."userId" = ? ORDER BY st."createdAt" DESC, st."docId"`,
    readerId,
  );
  return toListRows(reads, rows);
}

const COMMENTS_SQL = `SELECT c."id", c."threadId", c."body", c."anchorId", c."quote", c."resolvedAt", c."createdAt", c."editedAt", c."deletedAt", c."anchorStart", c."anchorEnd",
  a."id" AS "aId", a."name" AS "aName", a."photoPath" AS "aPhotoPath"
  FROM "DocComment" c JOIN "User" a ON a."id" = c."authorId" WHERE c."docId" = ? ORDER BY c."createdAt", c."id"`;
interface CommentSql {
  id: string; threadId: string | null; body: string; anchorId: string | null; quote: string; resolvedAt: unknown; createdAt: unknown; editedAt: unknown;
  deletedAt: unknown; anchorStart: string | null; anchorEnd: string | null; aId: string; aName: string; aPhotoPath: string | null;
}
/** listComments' rows (commentSelect), oldest first. */
export async function commentsSql(reads: SqlReads, docId: string) {
  return (await reads.all<CommentSql>(COMMENTS_SQL, docId)).map((c) => ({
    id: c.id, threadId: c.threadId, body: c.body, anchorId: c.anchorId, quote: c.quote, resolvedAt: dateOrNull(c.resolvedAt), createdAt: sqlDate(c.createdAt),
    editedAt: dateOrNull(c.editedAt), deletedAt: dateOrNull(c.deletedAt), anchorStart: c.anchorStart, anchorEnd: c.anchorEnd,
    author: { id: c.aId, name: c.aName, photoPath: c.aPhotoPath },
  }));
}
