/**
 * Documents: spaces, the document tree, visibility and shares, stars, recent, trash, search,
 * revisions, comments, mentions, images and Markdown. Content itself is Yjs and changes only
 * through ctx.collab (server/collab/service.ts); this module decides *who* and records *what*.
 *
 * Every read path filters through policy `doc.read`, so a title, a preview or a snippet never
 * reaches someone who may not read the document.
 */
import { randomBytes } from "node:crypto";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { containsText } from "../db.js";
import {
  CommentSchema,
  DocSearchSchema,
  DocSettingsSchema,
  IMAGE_TYPES,
  ImportSchema,
  MAX_IMAGE_BYTES,
  NewDocumentSchema,
  ShareSchema,
  RestoreSectionSchema,
  type RestoreSectionInput,
  EditCommentSchema,
} from "../../app/schemas/docs.js";
import { slugify } from "../../app/schemas/org.js";
import { FORMER_MEMBER, mentionDisplayName, mentionLabel, type MentionNames } from "../../app/editor/mention-names.js";
import { headless } from "../collab/headless-lazy.js";
import { diffBlocks, planSectionRestore, splitSections, type Block, type BlockDiff } from "../collab/sections.js";
import type { RevisionReason } from "../collab/service.js";
import type { ReadOut } from "../collab/headless.js";
import { Refusal } from "../collab/validate.js";
import { authorize, can, docRole, type Actor, type DocRole, type DocSubject, type DocVisibility, type ShareRole } from "../policy.js";
import { parse, type Ctx, notAVerb } from "./context.js";
import { ForbiddenError, NotFoundError, ValidationError } from "./errors.js";
import { notify } from "./notifications.js";
import { initials, photoUrl } from "./presenters.js";
import { type SpaceTreeRow, accessRowSql, commentsSql, docDatesSql, documentSql, recentDocsSql, spaceCountsSql, spaceDocsSql, spaceTreeSql, starredDocsSql, teamIdsSql } from "./docs-reads.js";
import type { SqlReads } from "../db-reads.js";
import { highlight } from "../search/highlight.js";
import { parseQuery } from "../search/query.js";

// ───────────────────────────── access ─────────────────────────────

const shareSelect = { principalType: true, principalId: true, role: true } as const;

/** The columns `subjectOf` needs: spread it into any select whose rows the policy will judge. */
export const docAccessSelect = {
  id: true,
  ownerId: true,
  visibility: true,
  audienceRole: true,
  departmentId: true,
  deletedAt: true,
  shares: { select: shareSelect },
} as const;

type AccessRow = {
  id: string;
  ownerId: string;
  visibility: string;
  audienceRole: string;
  departmentId: string | null;
  deletedAt: Date | null;
  shares: { principalType: string; principalId: string; role: string }[];
};

export async function teamIdsOf(ctx: Ctx, userId: string): Promise<string[]> {
  if (ctx.reads) return teamIdsSql(ctx.reads, userId);
  const rows = await ctx.db.teamMembership.findMany({ where: { userId }, select: { teamId: true }, orderBy: { teamId: "asc" } });
  return rows.map((r) => r.teamId);
}

export function subjectOf(row: AccessRow, actorTeamIds: readonly string[]): DocSubject {
  return {
    ownerId: row.ownerId,
    visibility: row.visibility as DocVisibility,
    audienceRole: row.audienceRole as ShareRole,
    departmentId: row.departmentId,
    deleted: !!row.deletedAt,
    shares: row.shares as DocSubject["shares"],
    actorTeamIds,
  };
}

/** SQL pre-filter mirroring the policy (the policy still decides on every row). */
function readableWhere(actor: Actor, teamIds: string[]) {
  const shareOr: object[] = [{ principalType: "user", principalId: actor.id }];
  if (teamIds.length) shareOr.push({ principalType: "team", principalId: { in: teamIds } });
  if (actor.departmentId) shareOr.push({ principalType: "department", principalId: actor.departmentId });
  const or: object[] = [{ ownerId: actor.id }, { visibility: "company" }, { shares: { some: { OR: shareOr } } }];
  if (actor.departmentId) or.push({ visibility: "department", departmentId: actor.departmentId });
  return { deletedAt: null, OR: or };
}

async function loadAccess(ctx: Ctx, docId: string): Promise<AccessRow | null> {
  if (ctx.reads) return accessRowSql(ctx.reads, docId);
  return ctx.db.document.findUnique({
    where: { id: docId },
    select: { id: true, ownerId: true, visibility: true, audienceRole: true, departmentId: true, deletedAt: true, shares: { select: shareSelect } },
  });
}

/** Loads a document's access facts and checks `action`; 404 when it does not exist. */
async function guard(ctx: Ctx, actor: Actor, docId: string, action: "doc.read" | "doc.comment" | "doc.edit" | "doc.manage") {
  const row = await loadAccess(ctx, docId);
  if (!row) throw new NotFoundError("That document");
  const subject = subjectOf(row, await teamIdsOf(ctx, actor.id));
  if (!can(actor, action, subject)) {
    if (subject.deleted && can(actor, "doc.read", { ...subject, deleted: false })) throw new NotFoundError("That document (it is in the trash)");
    throw new ForbiddenError(action === "doc.read" ? "You do not have access to this document." : "You cannot do that to this document.");
  }
  return { row, subject, role: docRole(actor, subject) };
}

/**
 * For the socket layer: the role a user holds on a document right now (re-read from the database
 * on every join and every re-check), and the actor it was decided for.
 */
export async function accessForUser(ctx: Ctx, userId: string, docId: string): Promise<{ role: DocRole; name: string }> {
  const [user, row] = await Promise.all([
    ctx.db.user.findUnique({ where: { id: userId }, select: { id: true, name: true, role: true, departmentId: true, active: true } }),
    loadAccess(ctx, docId),
  ]);
  if (!user || !row) return { role: "none", name: user?.name ?? "" };
  const actor: Actor = { id: user.id, role: user.role as Actor["role"], departmentId: user.departmentId, active: user.active };
  const subject = subjectOf(row, await teamIdsOf(ctx, userId));
  if (!can(actor, "doc.read", subject)) return { role: "none", name: user.name };
  return { role: docRole(actor, subject), name: user.name };
}

// ───────────────────────────── spaces ─────────────────────────────

/** One company space and one per department; names follow department renames. Idempotent. */
export async function ensureSpaces(ctx: Pick<Ctx, "db">): Promise<void> {
  const company = await ctx.db.space.findFirst({ where: { kind: "company" } });
  if (!company) await ctx.db.space.create({ data: { name: "Company", slug: "company", kind: "company" } });
  const [departments, spaces] = await Promise.all([
    ctx.db.department.findMany({ select: { id: true, name: true, slug: true } }),
    ctx.db.space.findMany({ where: { kind: "department" } }),
  ]);
  for (const d of departments) {
    const s = spaces.find((x) => x.departmentId === d.id);
    if (!s) {
      const taken = await ctx.db.space.findUnique({ where: { slug: d.slug } });
      await ctx.db.space.create({ data: { name: d.name, slug: taken ? `${d.slug}-${d.id.slice(-6)}` : d.slug, kind: "department", departmentId: d.id } });
    } else if (s.name !== d.name) {
      await ctx.db.space.update({ where: { id: s.id }, data: { name: d.name } });
    }
  }
}

const SPACES_SQL = `SELECT s."id", s."name", s."slug", s."kind", s."departmentId" FROM "Space" s ORDER BY s."kind", s."name", s."id"`;
export async function listSpaces(ctx: Ctx, actor: Actor) {
  const teamIds = await teamIdsOf(ctx, actor.id);
  const [spaces, counts] = await Promise.all([
    ctx.reads
      ? ctx.reads.all<{ id: string; name: string; slug: string; kind: string; departmentId: string | null }>(SPACES_SQL)
      : ctx.db.space.findMany({ orderBy: [{ kind: "asc" }, { name: "asc" }, { id: "asc" }], select: { id: true, name: true, slug: true, kind: true, departmentId: true } }),
    ctx.reads ? countFromGroups(ctx.reads, actor, teamIds) : countEachDocument(ctx, actor, teamIds),
  ]);
  return spaces.map((s) => ({
    ...s,
    kind: s.kind as "company" | "department",
    documents: counts.get(s.id) ?? 0,
    mine: s.departmentId !== null && s.departmentId === actor.departmentId,
    canCreate: can(actor, "doc.create", { kind: s.kind as "company" | "department", departmentId: s.departmentId }),
  }));
}

const accessSelectWithSpace = { ...docAccessSelect, spaceId: true } as const;

/**
 * Readable documents per space from the group counts (decision 265). A group holds documents that
 * differ only in owner and shares; the policy decides on each group as if nobody owned it and
 * nothing was shared. Owning a document or being reached by a share only ever adds access, so the
 * reader's own and shared documents are the only ones left: each counts once more when the policy
 * grants it with its real owner and shares and its group was not already granted.
 */
async function countFromGroups(reads: SqlReads, actor: Actor, teamIds: string[]) {
  const { groups, personal } = await spaceCountsSql(reads, actor);
  const counts = new Map<string, number>();
  const add = (spaceId: string, n: number) => counts.set(spaceId, (counts.get(spaceId) ?? 0) + n);
  const asGroup = (d: Omit<AccessRow, "id" | "ownerId" | "shares">) => subjectOf({ ...d, id: "", ownerId: "", shares: [] }, teamIds);
  for (const g of groups) if (can(actor, "doc.read", asGroup({ ...g, deletedAt: null }))) add(g.spaceId, g.count);
  for (const d of personal) if (!can(actor, "doc.read", asGroup(d)) && can(actor, "doc.read", subjectOf(d, teamIds))) add(d.spaceId, 1);
  return counts;
}

/** The same numbers by asking the policy about every readable document: the reference the prepared reads are tested against. */
async function countEachDocument(ctx: Ctx, actor: Actor, teamIds: string[]) {
  const docs = await ctx.db.document.findMany({ where: readableWhere(actor, teamIds), select: accessSelectWithSpace });
  const counts = new Map<string, number>();
  for (const d of docs) if (can(actor, "doc.read", subjectOf(d, teamIds))) counts.set(d.spaceId, (counts.get(d.spaceId) ?? 0) + 1);
  return counts;
}

export interface TreeNode {
  id: string;
  title: string;
  visibility: DocVisibility;
  lastEditedAt: string | null;
  children: TreeNode[];
  /** Shown only to place a page's first documents under their parents; counted on an earlier page. */
  context?: true;
}

/** Documents per page of a space's tree (its ancestors shown for context are not counted). */
export const SPACE_PAGE_SIZE = 100;

/**
 * One page of a tree: the documents in reading order (each before its children, titles A–Z at
 * every level) from `(page − 1) × size`, nested as in the whole tree. When a page starts inside a
 * branch, the branch's ancestors come first, marked `context`, so every document still shows
 * where it sits. A page past the end is the last page.
 */
export function pageOfTree(roots: TreeNode[], page: number, size = SPACE_PAGE_SIZE) {
  const order: { node: TreeNode; parent: TreeNode | null }[] = [];
  const walk = (nodes: TreeNode[], parent: TreeNode | null) => {
    for (const node of nodes) {
      order.push({ node, parent });
      walk(node.children, node);
    }
  };
  walk(roots, null);
  const parentOf = new Map(order.map((o) => [o.node.id, o.parent]));
  const { current, pages } = pageBounds(order.length, page, size);
  const slice = order.slice((current - 1) * size, current * size).map((o) => o.node);
  return { tree: nestPage(slice, (node) => parentOf.get(node.id) ?? null), page: current, pages, total: order.length };
}

/** The page asked for, within 1…pages (a page past the end is the last page). */
function pageBounds(total: number, page: number, size: number) {
  const pages = Math.max(1, Math.ceil(total / size));
  return { pages, current: Math.min(Math.max(1, Math.floor(page) || 1), pages) };
}

/** A page's documents (in reading order) nested as in the whole tree, their ancestors above them marked `context`. */
function nestPage(slice: TreeNode[], parentOf: (node: TreeNode) => TreeNode | null): TreeNode[] {
  const shown = new Set(slice.map((n) => n.id));
  const copies = new Map<string, TreeNode>();
  const tree: TreeNode[] = [];
  const place = (node: TreeNode): TreeNode => {
    let copy = copies.get(node.id);
    if (copy) return copy;
    const { children: _children, ...rest } = node;
    copy = { ...rest, children: [], ...(shown.has(node.id) ? {} : { context: true as const }) };
    copies.set(node.id, copy);
    const parent = parentOf(node);
    (parent ? place(parent).children : tree).push(copy);
    return copy;
  };
  for (const node of slice) place(node);
  return tree;
}

/**
 * A kept space tree (spaceTreeSql's rows, A–Z) as arrays, built once per kept tree: each row's
 * parent's row, its last child and previous sibling in A–Z order (the walk stacks children last
 * first), and its read group — the facts the policy looks at when nobody owns the document and
 * nothing is shared (decision 265), so a reader's verdict on a group is asked once, not once per
 * document.
 */
interface SpaceTreeIndex {
  parent: Int32Array;
  lastChild: Int32Array;
  previousSibling: Int32Array;
  group: Int32Array;
  groups: AccessRow[];
}
const treeIndexes = new WeakMap<readonly SpaceTreeRow[], SpaceTreeIndex>();

function indexOfTree(rows: readonly SpaceTreeRow[]): SpaceTreeIndex {
  const kept = treeIndexes.get(rows);
  if (kept) return kept;
  const n = rows.length;
  const at = new Map(rows.map((r, i) => [r.id, i]));
  const parent = new Int32Array(n).fill(-1);
  const lastChild = new Int32Array(n).fill(-1);
  const previousSibling = new Int32Array(n).fill(-1);
  const group = new Int32Array(n);
  const groups: AccessRow[] = [];
  const groupAt = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const r = rows[i]!;
    const p = r.parentId ? at.get(r.parentId) : undefined;
    if (p !== undefined) {
      parent[i] = p;
      previousSibling[i] = lastChild[p]!;
      lastChild[p] = i;
    }
    const key = JSON.stringify([r.visibility, r.audienceRole, r.departmentId]);
    let g = groupAt.get(key);
    if (g === undefined) {
      g = groups.push({ id: "", ownerId: "", visibility: r.visibility, audienceRole: r.audienceRole, departmentId: r.departmentId, deletedAt: null, shares: [] }) - 1;
      groupAt.set(key, g);
    }
    group[i] = g;
  }
  const index = { parent, lastChild, previousSibling, group, groups };
  treeIndexes.set(rows, index);
  return index;
}

/**
 * pageOfTree(treeOf(actor, teamIds, rows, …), page) without building the reader's whole tree: the
 * policy's verdict per row (per group, or per document for the reader's own and shared ones), then
 * the reading order walked over the arrays, and nodes made only for the page and its context.
 */
function pageOfKeptTree(actor: Actor, teamIds: string[], rows: readonly SpaceTreeRow[], page: number, size = SPACE_PAGE_SIZE) {
  const { parent, lastChild, previousSibling, group, groups } = indexOfTree(rows);
  const n = rows.length;
  const verdicts = groups.map((g) => can(actor, "doc.read", subjectOf(g, teamIds)));
  const readable = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const r = rows[i]!;
    readable[i] = (r.ownerId === actor.id || r.shares.length ? can(actor, "doc.read", subjectOf(r, teamIds)) : verdicts[group[i]!]) ? 1 : 0;
  }
  // In the reader's tree a document hangs under its parent only when they may read the parent.
  const parentFor = (i: number) => (parent[i]! >= 0 && readable[parent[i]!] ? parent[i]! : -1);
  const order: number[] = [];
  const stack: number[] = [];
  for (let root = n - 1; root >= 0; root--) if (readable[root] && parentFor(root) < 0) stack.push(root);
  while (stack.length) {
    const i = stack.pop()!;
    order.push(i);
    for (let c = lastChild[i]!; c >= 0; c = previousSibling[c]!) if (readable[c]) stack.push(c);
  }
  const { current, pages } = pageBounds(order.length, page, size);
  const nodes = new Map<number, TreeNode>();
  const nodeOf = (i: number): TreeNode => {
    let node = nodes.get(i);
    if (!node) {
      const r = rows[i]!;
      nodes.set(i, (node = { id: r.id, title: r.title, visibility: r.visibility as DocVisibility, lastEditedAt: null, children: [] }));
    }
    return node;
  };
  const indexOf = new Map<TreeNode, number>();
  const slice = order.slice((current - 1) * size, current * size).map((i) => {
    const node = nodeOf(i);
    indexOf.set(node, i);
    return node;
  });
  const parentOf = (node: TreeNode): TreeNode | null => {
    const p = parentFor(indexOf.get(node)!);
    if (p < 0) return null;
    const up = nodeOf(p);
    indexOf.set(up, p);
    return up;
  };
  return { tree: nestPage(slice, parentOf), page: current, pages, total: order.length };
}

async function findSpace(ctx: Ctx, actor: Actor, spaceId: string) {
  const space = await ctx.db.space.findUnique({ where: { id: spaceId }, select: { id: true, name: true, kind: true, departmentId: true } });
  if (!space) throw new NotFoundError("That space");
  const kind = space.kind as "company" | "department";
  return { space: { ...space, kind }, canCreate: can(actor, "doc.create", { kind, departmentId: space.departmentId }) };
}

/**
 * The tree of the rows the actor may read (rows A–Z): each under its parent, and a document whose
 * parent the reader cannot see at the top, not under a hidden title.
 */
function treeOf(actor: Actor, teamIds: string[], rows: readonly (AccessRow & { title: string; parentId: string | null })[], dateOf: (id: string) => string | null) {
  const nodes = new Map<string, TreeNode>();
  const readable = rows.filter((r) => can(actor, "doc.read", subjectOf(r, teamIds)));
  for (const r of readable) nodes.set(r.id, { id: r.id, title: r.title, visibility: r.visibility as DocVisibility, lastEditedAt: dateOf(r.id), children: [] });
  const roots: TreeNode[] = [];
  for (const r of readable) {
    const parent = r.parentId ? nodes.get(r.parentId) : undefined;
    (parent ? parent.children : roots).push(nodes.get(r.id)!);
  }
  return roots;
}

/** A space and the whole tree of documents in it that the actor may read. */
export async function getSpace(ctx: Ctx, actor: Actor, spaceId: string) {
  const found = await findSpace(ctx, actor, spaceId);
  const teamIds = await teamIdsOf(ctx, actor.id);
  const rows = ctx.reads
    ? await spaceDocsSql(ctx.reads, actor, spaceId)
    : await ctx.db.document.findMany({
        where: { spaceId, ...readableWhere(actor, teamIds) },
        orderBy: [{ title: "asc" }, { id: "asc" }],
        select: { ...accessSelectWithSpace, title: true, parentId: true, lastEditedAt: true, createdAt: true },
      });
  const dates = new Map(rows.map((r) => [r.id, (r.lastEditedAt ?? r.createdAt).toISOString()]));
  return { space: found.space, tree: treeOf(actor, teamIds, rows, (id) => dates.get(id)!), canCreate: found.canCreate };
}

/**
 * One page of a space's tree (`pageOfTree`), as getSpace's whole tree would page. With prepared
 * reads the space's structure comes from memory while the space is unchanged (spaceTreeSql) and
 * only the page's documents' dates are read.
 */
export async function getSpacePage(ctx: Ctx, actor: Actor, spaceId: string, page: number) {
  if (!ctx.reads) {
    const { tree, ...space } = await getSpace(ctx, actor, spaceId);
    return { ...space, ...pageOfTree(tree, page) };
  }
  const found = await findSpace(ctx, actor, spaceId);
  const [teamIds, rows] = await Promise.all([teamIdsOf(ctx, actor.id), spaceTreeSql(ctx.reads, spaceId)]);
  const paged = pageOfKeptTree(actor, teamIds, rows, page);
  const shown: TreeNode[] = [];
  const collect = (nodes: TreeNode[]) => {
    for (const n of nodes) {
      shown.push(n);
      collect(n.children);
    }
  };
  collect(paged.tree);
  const dates = await docDatesSql(ctx.reads, shown.map((n) => n.id));
  for (const n of shown) n.lastEditedAt = dates.get(n.id)?.toISOString() ?? null;
  return { space: found.space, canCreate: found.canCreate, ...paged };
}

// ───────────────────────────── documents ─────────────────────────────

export async function createDocument(ctx: Ctx, actor: Actor, input: unknown, content?: { state: Uint8Array }) {
  const data = parse(NewDocumentSchema, input);
  const space = await ctx.db.space.findUnique({ where: { id: data.spaceId } });
  if (!space) throw new ValidationError({ spaceId: ["Choose a space."] });
  authorize(actor, "doc.create", { kind: space.kind as "company" | "department", departmentId: space.departmentId });
  if (data.parentId) {
    const parent = await guard(ctx, actor, data.parentId, "doc.read").catch(() => null);
    const p = parent && (await ctx.db.document.findUnique({ where: { id: data.parentId }, select: { spaceId: true } }));
    if (!p || p.spaceId !== space.id) throw new ValidationError({ parentId: ["Choose a parent document in the same space."] });
  }
  const visibility = data.visibility ?? (space.kind === "company" ? "company" : "department");
  const departmentId = space.departmentId ?? actor.departmentId;
  if (visibility === "department" && !departmentId) {
    throw new ValidationError({ visibility: ["You are not in a department: choose private or company."] });
  }
  const now = ctx.clock.now();
  const doc = await ctx.db.document.create({
    data: {
      title: data.title,
      spaceId: space.id,
      parentId: data.parentId,
      visibility,
      audienceRole: data.audienceRole,
      departmentId,
      ownerId: actor.id,
      createdAt: now,
      lastEditedAt: now,
      lastEditedById: actor.id,
    },
  });
  // The server writes the first paragraph, so no client ever has to bootstrap an empty document.
  const { initialState } = await headless();
  const state = content?.state ?? initialState();
  await ctx.collab.create(doc.id, state, actor.id);
  const text = content ? (await readShown(ctx, state)).text : "";
  if (text) await ctx.db.document.update({ where: { id: doc.id }, data: { plainText: text, textSeq: 1 } });
  await ctx.bus.publish("doc.created", { docId: doc.id, actorId: actor.id, at: now.toISOString() });
  return { id: doc.id };
}

function presentPerson(p: { id: string; name: string; photoPath: string | null } | null) {
  return p ? { id: p.id, name: p.name, initials: initials(p.name), photoUrl: photoUrl(p.photoPath) } : null;
}

/** What a reader sees about a document: never its shares' internals beyond names. */
/** `content`: also the current content as editor JSON, for a page that shows it before the editor loads. */
export async function getDocument(ctx: Ctx, actor: Actor, docId: string, opts: { content?: boolean } = {}) {
  const { subject, role } = await guard(ctx, actor, docId, "doc.read");
  const d = ctx.reads ? await documentSql(ctx.reads, docId, actor.id) : await ctx.db.document.findUniqueOrThrow({
    where: { id: docId },
    select: {
      id: true,
      title: true,
      visibility: true,
      audienceRole: true,
      parentId: true,
      createdAt: true,
      lastEditedAt: true,
      space: { select: { id: true, name: true, kind: true } },
      department: { select: { id: true, name: true } },
      owner: { select: { id: true, name: true, photoPath: true } },
      lastEditedBy: { select: { id: true, name: true, photoPath: true } },
      stars: { where: { userId: actor.id }, select: { userId: true } },
    },
  });
  if (!d) throw new NotFoundError("That document");
  return {
    id: d.id,
    title: d.title,
    visibility: d.visibility as DocVisibility,
    audienceRole: d.audienceRole as ShareRole,
    department: d.department,
    space: d.space,
    parentId: d.parentId,
    breadcrumbs: await breadcrumbs(ctx, actor, d.parentId, subject.actorTeamIds),
    owner: presentPerson(d.owner),
    lastEditedBy: presentPerson(d.lastEditedBy),
    lastEditedAt: d.lastEditedAt?.toISOString() ?? null,
    createdAt: d.createdAt.toISOString(),
    starred: d.stars.length > 0,
    role,
    canEdit: can(actor, "doc.edit", subject),
    canComment: can(actor, "doc.comment", subject),
    canManage: can(actor, "doc.manage", subject),
    ...(opts.content ? await contentWithNames(ctx, docId) : {}),
  };
}
export type DocumentView = Awaited<ReturnType<typeof getDocument>>;

/**
 * The content as editor JSON, and the current name of each person it @mentions: the page shows
 * mentions with these (by id), never with the labels stored in the content.
 */
async function contentWithNames(ctx: Ctx, docId: string) {
  const content = await ctx.collab.contentJson(docId);
  const ids = new Set<string>();
  mentionIdsOf(content.root, ids);
  if (!ids.size) return { content, mentionNames: {} as Record<string, string> };
  const names = await mentionNamesOf(ctx, [...ids]);
  // The labels stored with mentions do not even travel with the page.
  return { content: { ...content, root: relabelled(content.root, names) }, mentionNames: Object.fromEntries(names) as Record<string, string> };
}

type JsonNode = { type: string; userId?: unknown; text?: string; children?: JsonNode[] };
function mentionIdsOf(node: JsonNode, into: Set<string>) {
  if (node.type === "mention" && typeof node.userId === "string") into.add(node.userId);
  for (const c of node.children ?? []) mentionIdsOf(c, into);
}
function relabelled<T extends JsonNode>(node: T, names: MentionNames): T {
  if (node.type === "mention") return { ...node, text: mentionLabel(names, typeof node.userId === "string" ? node.userId : "") };
  return node.children ? { ...node, children: node.children.map((c) => relabelled(c, names)) } : node;
}

/** Ancestors, top first. One the reader may not read appears as "restricted", without a title. */
async function breadcrumbs(ctx: Ctx, actor: Actor, parentId: string | null, teamIds: readonly string[]) {
  const out: ({ id: string; title: string } | { id: null; title: null })[] = [];
  const seen = new Set<string>();
  let next = parentId;
  while (next && !seen.has(next) && out.length < 20) {
    seen.add(next);
    const p = await ctx.db.document.findUnique({ where: { id: next }, select: { ...accessSelectWithSpace, title: true, parentId: true } });
    if (!p) break;
    out.unshift(can(actor, "doc.read", subjectOf(p, teamIds)) ? { id: p.id, title: p.title } : { id: null, title: null });
    next = p.parentId;
  }
  return out;
}

export async function updateDocument(ctx: Ctx, actor: Actor, docId: string, input: unknown) {
  const data = parse(DocSettingsSchema, input);
  const touchesAccess = data.visibility !== undefined || data.audienceRole !== undefined || data.parentId !== undefined;
  const { row } = await guard(ctx, actor, docId, touchesAccess ? "doc.manage" : "doc.edit");
  if (data.title !== undefined) await guard(ctx, actor, docId, "doc.edit");
  const doc = await ctx.db.document.findUniqueOrThrow({ where: { id: docId }, select: { spaceId: true, departmentId: true, title: true, plainText: true } });
  if (data.visibility === "department" && !doc.departmentId) throw new ValidationError({ visibility: ["This document has no department: choose private or company."] });
  if (data.parentId) {
    if (data.parentId === docId) throw new ValidationError({ parentId: ["A document cannot be its own parent."] });
    const parent = await ctx.db.document.findUnique({ where: { id: data.parentId }, select: { spaceId: true } });
    if (!parent || parent.spaceId !== doc.spaceId) throw new ValidationError({ parentId: ["Choose a parent document in the same space."] });
    await guard(ctx, actor, data.parentId, "doc.read");
    // No cycles: the new parent must not be below this document, however deep the tree (the walk
    // ends at the top, or at an ancestor seen before should a cycle already exist).
    let up: string | null = data.parentId;
    const seen = new Set<string>();
    while (up && !seen.has(up)) {
      if (up === docId) throw new ValidationError({ parentId: ["A document cannot move below itself."] });
      seen.add(up);
      up = (await ctx.db.document.findUnique({ where: { id: up }, select: { parentId: true } }))?.parentId ?? null;
    }
  }
  await ctx.db.document.update({
    where: { id: docId },
    data: {
      ...(data.title !== undefined ? { title: data.title } : {}),
      ...(data.visibility !== undefined ? { visibility: data.visibility } : {}),
      ...(data.audienceRole !== undefined ? { audienceRole: data.audienceRole } : {}),
      ...(data.parentId !== undefined ? { parentId: data.parentId } : {}),
    },
  });
  if (data.title !== undefined && data.title !== doc.title) {
    await ctx.bus.publish("doc.updated", { docId, title: data.title });
  }
  if (data.visibility !== undefined || data.audienceRole !== undefined) await ctx.bus.publish("doc.access.changed", { docIds: [docId] });
  void row;
}

// ── shares ──

export async function listShares(ctx: Ctx, actor: Actor, docId: string) {
  await guard(ctx, actor, docId, "doc.read");
  const shares = await ctx.db.docShare.findMany({ where: { docId }, orderBy: { createdAt: "asc" } });
  const ids = (t: string) => shares.filter((s) => s.principalType === t).map((s) => s.principalId);
  // Most documents have no shares of a kind: no query for an empty list.
  const none = Promise.resolve([] as { id: string; name: string }[]);
  const [userIds, teamIds, departmentIds] = [ids("user"), ids("team"), ids("department")];
  const [users, teams, departments] = await Promise.all([
    userIds.length ? ctx.db.user.findMany({ where: { id: { in: userIds } }, select: { id: true, name: true } }) : none,
    teamIds.length ? ctx.db.team.findMany({ where: { id: { in: teamIds } }, select: { id: true, name: true } }) : none,
    departmentIds.length ? ctx.db.department.findMany({ where: { id: { in: departmentIds } }, select: { id: true, name: true } }) : none,
  ]);
  const names = new Map([...users, ...teams, ...departments].map((x) => [x.id, x.name]));
  return shares.map((s) => ({
    id: s.id,
    principalType: s.principalType as "user" | "team" | "department",
    principalId: s.principalId,
    name: names.get(s.principalId) ?? "(removed)",
    role: s.role as ShareRole,
  }));
}

export async function shareDocument(ctx: Ctx, actor: Actor, docId: string, input: unknown) {
  await guard(ctx, actor, docId, "doc.manage");
  const data = parse(ShareSchema, input);
  const exists =
    data.principalType === "user"
      ? await ctx.db.user.findFirst({ where: { id: data.principalId, active: true }, select: { id: true } })
      : data.principalType === "team"
        ? await ctx.db.team.findUnique({ where: { id: data.principalId }, select: { id: true } })
        : await ctx.db.department.findUnique({ where: { id: data.principalId }, select: { id: true } });
  if (!exists) throw new ValidationError({ principalId: [`Choose an existing ${data.principalType === "user" ? "active person" : data.principalType}.`] });
  const doc = await ctx.db.document.findUniqueOrThrow({ where: { id: docId }, select: { ownerId: true, title: true } });
  if (data.principalType === "user" && data.principalId === doc.ownerId) throw new ValidationError({ principalId: ["The owner already has full access."] });
  await ctx.db.docShare.upsert({
    where: { docId_principalType_principalId: { docId, principalType: data.principalType, principalId: data.principalId } },
    create: { docId, ...data, createdById: actor.id, createdAt: ctx.clock.now() },
    update: { role: data.role },
  });
  await ctx.bus.publish("doc.access.changed", { docIds: [docId] });
  if (data.principalType === "user" && data.principalId !== actor.id) {
    // The recipient can read it now, so naming the title is fine.
    await notify(ctx, [data.principalId], {
      type: "doc.shared",
      title: `${await nameOf(ctx, actor.id)} shared “${doc.title}” with you`,
      body: data.role === "editor" ? "You can edit it." : "You can view and comment.",
      link: `/docs/${docId}`,
    });
  }
}

export async function unshareDocument(ctx: Ctx, actor: Actor, docId: string, shareId: string) {
  await guard(ctx, actor, docId, "doc.manage");
  const { count } = await ctx.db.docShare.deleteMany({ where: { id: shareId, docId } });
  if (!count) throw new NotFoundError("That share");
  await ctx.bus.publish("doc.access.changed", { docIds: [docId] });
}

async function nameOf(ctx: Ctx, userId: string) {
  return (await ctx.db.user.findUnique({ where: { id: userId }, select: { name: true } }))?.name ?? "Someone";
}

// ── stars, recent, trash ──

export async function starDocument(ctx: Ctx, actor: Actor, docId: string, starred: boolean) {
  await guard(ctx, actor, docId, "doc.read");
  if (starred) await ctx.db.docStar.upsert({ where: { userId_docId: { userId: actor.id, docId } }, create: { userId: actor.id, docId }, update: {} });
  else await ctx.db.docStar.deleteMany({ where: { userId: actor.id, docId } });
}

const listSelect = {
  ...accessSelectWithSpace,
  title: true,
  lastEditedAt: true,
  createdAt: true,
  plainText: true,
  space: { select: { id: true, name: true } },
  lastEditedBy: { select: { id: true, name: true, photoPath: true } },
} as const;

type ListRow = {
  id: string;
  title: string;
  visibility: string;
  lastEditedAt: Date | null;
  createdAt: Date;
  plainText: string;
  space: { id: string; name: string };
  lastEditedBy: { id: string; name: string; photoPath: string | null } | null;
};

function presentListItem(r: ListRow) {
  return {
    id: r.id,
    title: r.title,
    visibility: r.visibility as DocVisibility,
    space: r.space,
    preview: r.plainText.replace(/\s+/g, " ").trim().slice(0, 160),
    lastEditedAt: (r.lastEditedAt ?? r.createdAt).toISOString(),
    lastEditedBy: presentPerson(r.lastEditedBy),
  };
}
export type DocListItem = ReturnType<typeof presentListItem>;

export async function listRecent(ctx: Ctx, actor: Actor, opts: { limit?: number } = {}) {
  const teamIds = await teamIdsOf(ctx, actor.id);
  const take = Math.min(opts.limit ?? 10, 50) * 2;
  const rows = ctx.reads
    ? await recentDocsSql(ctx.reads, actor, take)
    : await ctx.db.document.findMany({ where: readableWhere(actor, teamIds), orderBy: [{ lastEditedAt: "desc" }, { createdAt: "desc" }, { id: "desc" }], take, select: listSelect });
  return rows
    .filter((r) => can(actor, "doc.read", subjectOf(r, teamIds)))
    .slice(0, opts.limit ?? 10)
    .map(presentListItem);
}

export async function listStarred(ctx: Ctx, actor: Actor) {
  const teamIds = await teamIdsOf(ctx, actor.id);
  const docs = ctx.reads
    ? await starredDocsSql(ctx.reads, actor.id)
    : (await ctx.db.docStar.findMany({ where: { userId: actor.id }, orderBy: [{ createdAt: "desc" }, { docId: "asc" }], select: { doc: { select: listSelect } } })).map((s) => s.doc);
  // A star on a document one can no longer read stays in the table but is never shown.
  return docs.filter((d) => can(actor, "doc.read", subjectOf(d, teamIds))).map(presentListItem);
}

export async function trashDocument(ctx: Ctx, actor: Actor, docId: string) {
  await guard(ctx, actor, docId, "doc.manage");
  await ctx.db.document.update({ where: { id: docId }, data: { deletedAt: ctx.clock.now(), deletedById: actor.id } });
  await ctx.bus.publish("doc.access.changed", { docIds: [docId] });
}

export async function restoreDocument(ctx: Ctx, actor: Actor, docId: string) {
  const row = await loadAccess(ctx, docId);
  if (!row || !row.deletedAt) throw new NotFoundError("That document in the trash");
  authorize(actor, "doc.manage", { ...subjectOf(row, await teamIdsOf(ctx, actor.id)), deleted: false });
  const d = await ctx.db.document.update({ where: { id: docId }, data: { deletedAt: null, deletedById: null }, select: { title: true, plainText: true, spaceId: true } });
  await ctx.bus.publish("doc.access.changed", { docIds: [docId] });
}

export async function listTrash(ctx: Ctx, actor: Actor) {
  const teamIds = await teamIdsOf(ctx, actor.id);
  const rows = await ctx.db.document.findMany({
    where: { deletedAt: { not: null }, OR: [{ ownerId: actor.id }, ...(actor.role === "admin" ? [{ visibility: { not: "private" } }] : [])] },
    orderBy: { deletedAt: "desc" },
    select: { ...listSelect, deletedAt: true },
  });
  return rows
    .filter((r) => can(actor, "doc.manage", { ...subjectOf(r, teamIds), deleted: false }))
    .map((r) => ({ ...presentListItem(r), deletedAt: r.deletedAt!.toISOString() }));
}

// ── search ──

export async function searchDocuments(ctx: Ctx, actor: Actor, input: unknown) {
  const { q } = parse(DocSearchSchema, input);
  const query = parseQuery(q);
  if (!query.terms.length) return [];
  const teamIds = await teamIdsOf(ctx, actor.id);
  await ctx.searchIndex.settle();
  // The unified index filters through the same `doc.read` rule; rows are re-checked.
  const hits = ctx.searchIndex.search({ actor, teamIds }, query, { type: "doc" }, { limit: 50 }).hits;
  if (!hits.length) return [];
  const rows = await ctx.db.document.findMany({ where: { id: { in: hits.map((h) => h.meta.id) }, deletedAt: null }, select: listSelect });
  const byId = new Map(rows.filter((r) => can(actor, "doc.read", subjectOf(r, teamIds))).map((r) => [r.id, r]));
  return hits
    .filter((h) => byId.has(h.meta.id))
    .map((h) => {
      const r = byId.get(h.meta.id)!;
      return { ...presentListItem(r), snippet: snippet(r.plainText, h.terms) };
    });
}

function snippet(text: string, terms: string[]): string {
  return highlight(text, terms).map((s) => s.text).join("");
}

// ───────────────────────── content: settle, revisions ─────────────────────────

/**
 * System verb (called by the collab service, not by people): text derived from the content has
 * settled. Stores it for previews and search, records who edited, and notifies people newly
 * @mentioned — only those who may read the document.
 */
export async function recordSettledContent(ctx: Ctx, docId: string, s: { read: ReadOut; state?: Uint8Array; editors: string[]; seq: number; at: Date }) {
  const doc = await ctx.db.document.findUnique({ where: { id: docId }, select: { id: true, title: true, spaceId: true, textSeq: true, deletedAt: true } });
  if (!doc || s.seq < doc.textSeq) return;
  const lastEditor = s.editors.at(-1);
  // Search, previews and the feed read this text: mentions in it carry current names.
  const text = s.state && s.read.mentions.length ? (await readShown(ctx, s.state)).text : s.read.text;
  await ctx.db.document.update({
    where: { id: docId },
    data: {
      plainText: text,
      textSeq: s.seq,
      ...(lastEditor ? { lastEditedAt: s.at, lastEditedById: lastEditor } : {}),
    },
  });
  // feed: people (not the server) edited it.
  if (s.editors.length && !doc.deletedAt) await ctx.bus.publish("doc.edited", { docId, editorIds: s.editors, at: s.at.toISOString() });
  // The search index re-reads the text (server/search/unified-sync.ts).
  if (!doc.deletedAt) await ctx.bus.publish("doc.text.settled", { docId });
  await notifyMentions(ctx, docId, doc.title, s.read.mentions, lastEditor ?? null);
  return text;
}

async function notifyMentions(ctx: Ctx, docId: string, title: string, mentioned: string[], by: string | null) {
  if (!mentioned.length) return;
  const already = new Set((await ctx.db.docMention.findMany({ where: { docId, userId: { in: mentioned } }, select: { userId: true } })).map((m) => m.userId));
  const fresh = mentioned.filter((id) => !already.has(id) && id !== by);
  if (!fresh.length) return;
  const byName = by ? await nameOf(ctx, by) : "Someone";
  const readers: string[] = [];
  for (const userId of fresh) {
    if ((await accessForUser(ctx, userId, docId)).role !== "none") readers.push(userId);
  }
  // Remembered either way: someone who gains access later is not notified of an old mention.
  await ctx.db.$transaction(fresh.map((userId) => ctx.db.docMention.create({ data: { docId, userId, notifiedAt: ctx.clock.now() } })));
  await notify(ctx, readers, { type: "doc.mentioned", title: `${byName} mentioned you in “${title}”`, link: `/docs/${docId}` });
  if (readers.length) await ctx.bus.publish("doc.mentioned", { docId, userIds: readers, byId: by, at: ctx.clock.now().toISOString() });
}

/** System verb: the collab service decided a revision is due (after a burst, or everyone left). */
export async function recordRevision(
  ctx: Ctx,
  docId: string,
  r: { state: Uint8Array; seq: number; contributors: string[]; reason: RevisionReason | "manual" | "restore"; preview?: string },
  createdById: string | null = null,
) {
  return oneAtATime(docId, async () => {
    const exists = await ctx.db.document.findUnique({ where: { id: docId }, select: { id: true } });
    if (!exists) return null;
    const { sameState } = await headless();
    // Nothing changed since the latest revision: that one already holds this content. (A
    // restore still marks its starting point, so the history says where the restore began.)
    if (r.reason !== "restore") {
      const latest = await ctx.db.docRevision.findFirst({ where: { docId }, orderBy: [{ createdAt: "desc" }, { id: "desc" }], select: { id: true, state: true } });
      if (latest && sameState(new Uint8Array(latest.state), r.state)) return latest.id;
    }
    const rev = await ctx.db.docRevision.create({
      data: {
        docId,
        reason: r.reason,
        state: Buffer.from(r.state),
        seq: r.seq,
        contributorIds: JSON.stringify(r.contributors),
        createdById,
        createdAt: ctx.clock.now(),
        preview: (r.preview ?? (await readShown(ctx, r.state)).text).replace(/\s+/g, " ").trim().slice(0, 200),
      },
      select: { id: true },
    });
    return rev.id;
  });
}

/**
 * Revisions of one document are recorded one at a time (in this process), so two requests a
 * moment apart cannot both find "no revision like this yet" and both write one.
 */
const revisionQueues = new Map<string, Promise<unknown>>();
function oneAtATime<T>(docId: string, work: () => Promise<T>): Promise<T> {
  const prev = revisionQueues.get(docId) ?? Promise.resolve();
  const run = prev.then(work, work);
  const tail = run.catch(() => undefined);
  revisionQueues.set(docId, tail);
  void tail.then(() => {
    if (revisionQueues.get(docId) === tail) revisionQueues.delete(docId);
  });
  return run;
}

export async function listRevisions(ctx: Ctx, actor: Actor, docId: string) {
  await guard(ctx, actor, docId, "doc.read");
  const revs = await ctx.db.docRevision.findMany({
    where: { docId },
    orderBy: { createdAt: "desc" },
    take: 200,
    select: { id: true, createdAt: true, reason: true, contributorIds: true, preview: true, createdById: true },
  });
  const ids = [...new Set(revs.flatMap((r) => JSON.parse(r.contributorIds) as string[]))];
  const people = new Map((await ctx.db.user.findMany({ where: { id: { in: ids } }, select: { id: true, name: true, photoPath: true } })).map((p) => [p.id, p]));
  return revs.map((r) => ({
    id: r.id,
    createdAt: r.createdAt.toISOString(),
    reason: r.reason,
    preview: r.preview,
    contributors: (JSON.parse(r.contributorIds) as string[]).map((id) => presentPerson(people.get(id) ?? null)).filter((p) => !!p),
  }));
}

export async function getRevision(ctx: Ctx, actor: Actor, docId: string, revisionId: string) {
  await guard(ctx, actor, docId, "doc.read");
  const rev = await ctx.db.docRevision.findFirst({ where: { id: revisionId, docId }, select: { id: true, createdAt: true, reason: true, state: true } });
  if (!rev) throw new NotFoundError("That revision");
  const read = await readShown(ctx, new Uint8Array(rev.state), { json: true });
  return { id: rev.id, createdAt: rev.createdAt.toISOString(), reason: rev.reason, editorState: JSON.stringify(read.json), text: read.text };
}

/** Captures a revision now, on request. */
export async function captureRevision(ctx: Ctx, actor: Actor, docId: string) {
  await guard(ctx, actor, docId, "doc.edit");
  const state = (await ctx.collab.peekState(docId));
  const id = await recordRevision(ctx, docId, { state, seq: 0, contributors: [actor.id], reason: "manual" }, actor.id);
  // Closes the collab service's pending burst: with nothing new since, it records nothing more.
  await ctx.collab.revision(docId, "burst");
  return id;
}

/**
 * Restores a revision as a *new* change on top of the current content: the log is never
 * rewritten, every open editor sees the restore live, and the previous content is itself kept
 * as a revision first.
 */
export async function restoreRevision(ctx: Ctx, actor: Actor, docId: string, revisionId: string) {
  await guard(ctx, actor, docId, "doc.edit");
  const rev = await ctx.db.docRevision.findFirst({ where: { id: revisionId, docId }, select: { state: true, createdAt: true } });
  if (!rev) throw new NotFoundError("That revision");
  await ctx.collab.revision(docId, "burst");
  await ctx.collab.open(docId);
  const current = ctx.collab.state(docId);
  await recordRevision(ctx, docId, { state: current, seq: 0, contributors: [], reason: "restore" }, actor.id);
  const { replaceContentUpdate } = await headless();
  const update = replaceContentUpdate(current, new Uint8Array(rev.state));
  try {
    await ctx.collab.submit(docId, update, { userId: actor.id });
  } catch (err) {
    if (err instanceof Refusal) throw new ValidationError({ form: [`The revision could not be restored (${err.reason}).`] });
    throw err;
  }
  await ctx.collab.settle(docId);
}

// ── compare a revision with today, restore one section (decision 043) ──

const presentBlock = (b: Block) => ({ index: b.index, kind: b.kind, level: b.level, text: b.text });

/**
 * What changed between a revision and the current document, block by block (words inside
 * changed blocks), and the revision's sections with whether today's version differs. Readers
 * may see it; `canRestore` says whether this actor may put a section back.
 */
export async function compareRevision(ctx: Ctx, actor: Actor, docId: string, revisionId: string) {
  const { subject } = await guard(ctx, actor, docId, "doc.read");
  const rev = await ctx.db.docRevision.findFirst({ where: { id: revisionId, docId }, select: { id: true, state: true } });
  if (!rev) throw new NotFoundError("That revision");
  const { readBlocks } = await headless();
  const revState = new Uint8Array(rev.state);
  const curState = await ctx.collab.peekState(docId);
  let [before, after] = [readBlocks(revState), readBlocks(curState)];
  // Shown to readers: mentions with current names, on both sides alike.
  const ids = new Set<string>();
  for (const b of [...before, ...after]) mentionIdsOf(b.node as JsonNode, ids);
  if (ids.size) {
    const names = await mentionNamesOf(ctx, [...ids]);
    [before, after] = [readBlocks(revState, names), readBlocks(curState, names)];
  }
  const changes = diffBlocks(before, after).map((d: BlockDiff) => ({
    op: d.op,
    before: "before" in d ? presentBlock(d.before) : null,
    after: "after" in d ? presentBlock(d.after) : null,
    words: d.op === "changed" ? d.words : null,
  }));
  const sections = splitSections(before).map((s) => {
    const plan = planSectionRestore(before, after, s.heading ? s.start : "preamble")!;
    const was = before.slice(s.start, s.end).map((b) => b.sig);
    const now = after.slice(plan.from, plan.to).map((b) => b.sig);
    return {
      section: s.heading ? String(s.start) : "preamble",
      start: s.start,
      title: s.heading ? s.heading.text : "Before the first heading",
      level: s.heading?.level ?? 0,
      blocks: s.end - s.start,
      status: plan.reinserted ? ("gone" as const) : was.join("\n") === now.join("\n") ? ("same" as const) : ("changed" as const),
    };
  });
  return { changes, sections, canRestore: can(actor, "doc.edit", subject) };
}

/**
 * Puts one section of a revision back: the section (a heading and what follows it up to the
 * next heading of the same or a higher level, or the part before the first heading) replaces
 * today's version of it as a new change through the durable path (decision 040), so every open
 * editor sees it live and the rest of the document is untouched. A section that no longer
 * exists is reinserted where it was (before the heading that followed it). The content before
 * the restore is kept as a revision.
 */
export async function restoreRevisionSection(ctx: Ctx, actor: Actor, docId: string, input: RestoreSectionInput) {
  const { revisionId, section } = parse(RestoreSectionSchema, input);
  await guard(ctx, actor, docId, "doc.edit");
  const rev = await ctx.db.docRevision.findFirst({ where: { id: revisionId, docId }, select: { state: true } });
  if (!rev) throw new NotFoundError("That revision");
  const revState = new Uint8Array(rev.state);
  const sectionStart = section === "preamble" ? "preamble" : section;
  const { readBlocks, restoreSectionUpdate } = await headless();
  if (sectionStart !== "preamble" && !readBlocks(revState)[sectionStart]?.level) {
    throw new ValidationError({ section: ["That revision has no section starting there; reload the history and choose again."] });
  }
  await ctx.collab.revision(docId, "burst");
  await ctx.collab.open(docId);
  await recordRevision(ctx, docId, { state: ctx.collab.state(docId), seq: 0, contributors: [], reason: "restore" }, actor.id);
  // Computed on the room's state and submitted in the same turn: nothing interleaves.
  const out = restoreSectionUpdate(ctx.collab.state(docId), revState, sectionStart)!;
  try {
    await ctx.collab.submit(docId, out.update, { userId: actor.id });
  } catch (err) {
    if (err instanceof Refusal) throw new ValidationError({ form: [`The section could not be restored (${err.reason}).`] });
    throw err;
  }
  await ctx.collab.settle(docId);
  return { reinserted: out.plan.reinserted, blocks: out.plan.source.end - out.plan.source.start };
}

// ───────────────────────────── comments ─────────────────────────────

const commentSelect = {
  id: true,
  threadId: true,
  body: true,
  anchorId: true,
  quote: true,
  resolvedAt: true,
  createdAt: true,
  editedAt: true,
  deletedAt: true,
  anchorStart: true,
  anchorEnd: true,
  author: { select: { id: true, name: true, photoPath: true } },
} as const;

type CommentRow = {
  id: string;
  threadId: string | null;
  body: string;
  anchorId: string | null;
  quote: string;
  resolvedAt: Date | null;
  createdAt: Date;
  editedAt?: Date | null;
  deletedAt?: Date | null;
  anchorStart?: string | null;
  anchorEnd?: string | null;
  author: { id: string; name: string; photoPath: string | null };
};

export function presentComment(c: CommentRow) {
  return {
    id: c.id,
    threadId: c.threadId,
    body: c.deletedAt ? "" : c.body,
    anchorId: c.anchorId,
    quote: c.deletedAt && c.threadId ? "" : c.quote,
    resolvedAt: c.resolvedAt?.toISOString() ?? null,
    createdAt: c.createdAt.toISOString(),
    author: presentPerson(c.author)!,
    editedAt: c.editedAt?.toISOString() ?? null,
    deleted: !!c.deletedAt,
    anchorStart: c.anchorStart ?? null,
    anchorEnd: c.anchorEnd ?? null,
  };
}
export type CommentView = ReturnType<typeof presentComment>;

export async function listComments(ctx: Ctx, actor: Actor, docId: string) {
  await guard(ctx, actor, docId, "doc.read");
  const rows = ctx.reads
    ? await commentsSql(ctx.reads, docId)
    : await ctx.db.docComment.findMany({ where: { docId }, orderBy: [{ createdAt: "asc" }, { id: "asc" }], select: commentSelect });
  // Labels follow renames: each mention shows the person's name as it is now.
  const names = await mentionNamesOf(ctx, [...new Set(rows.flatMap((r) => commentMentionIds(r.body)))]);
  return rows.map((r) => presentComment({ ...r, body: labelCommentMentions(r.body, names) }));
}

export async function addComment(ctx: Ctx, actor: Actor, docId: string, input: unknown) {
  await guard(ctx, actor, docId, "doc.comment");
  const data = parse(CommentSchema, input);
  let thread: { id: string; authorId: string } | null = null;
  if (data.threadId) {
    thread = await ctx.db.docComment.findFirst({ where: { id: data.threadId, docId, threadId: null }, select: { id: true, authorId: true } });
    if (!thread) throw new ValidationError({ threadId: ["That thread does not exist."] });
  }
  // A Yjs anchor: both ends, and both must point into this document as it is now.
  const yAnchor = !thread && (data.anchorStart || data.anchorEnd);
  if (yAnchor) {
    await ctx.collab.open(docId);
    const ok = (b64: string | null) => {
      if (!b64) return false;
      try {
        return ctx.collab.anchorResolves(docId, Buffer.from(b64, "base64"));
      } catch {
        return false;
      }
    };
    if (!ok(data.anchorStart) || !ok(data.anchorEnd)) throw new ValidationError({ anchor: ["The selected text is no longer in the document; select it again."] });
    if (!data.quote) throw new ValidationError({ quote: ["Select some text to comment on."] });
  }
  const body = await checkCommentMentions(ctx, data.body);
  const row = await ctx.db.docComment.create({
    data: {
      docId,
      threadId: thread?.id ?? null,
      authorId: actor.id,
      body,
      anchorId: thread || yAnchor ? null : data.anchorId,
      quote: thread ? "" : data.quote,
      anchorStart: yAnchor ? data.anchorStart : null,
      anchorEnd: yAnchor ? data.anchorEnd : null,
      createdAt: ctx.clock.now(),
    },
    select: commentSelect,
  });
  const comment = presentComment(row);
  await ctx.bus.publish("doc.comment", { docId, kind: "added", comment });
  const mentionedNow = await notifyCommentMentions(ctx, actor, docId, row.id, body, [], row.author.name);
  // Participants of the thread (or the owner, for a new thread) hear about it — if they can still read it.
  const doc = await ctx.db.document.findUniqueOrThrow({ where: { id: docId }, select: { title: true, ownerId: true } });
  const participants = thread
    ? (await ctx.db.docComment.findMany({ where: { OR: [{ id: thread.id }, { threadId: thread.id }] }, select: { authorId: true } })).map((c) => c.authorId)
    : [doc.ownerId];
  const recipients: string[] = [];
  for (const id of new Set(participants)) {
    if (id !== actor.id && !mentionedNow.includes(id) && (await accessForUser(ctx, id, docId)).role !== "none") recipients.push(id);
  }
  await notify(ctx, recipients, {
    type: "doc.comment",
    title: `${row.author.name} ${thread ? "replied" : "commented"} on “${doc.title}”`,
    body: body.replace(COMMENT_MENTION, "@$1").slice(0, 200),
    link: `/docs/${docId}#comment-${row.id}`,
  });
  return comment;
}

export async function resolveThread(ctx: Ctx, actor: Actor, docId: string, threadId: string, resolved: boolean) {
  await guard(ctx, actor, docId, "doc.comment");
  const t = await ctx.db.docComment.findFirst({ where: { id: threadId, docId, threadId: null }, select: { id: true } });
  if (!t) throw new NotFoundError("That thread");
  const row = await ctx.db.docComment.update({
    where: { id: threadId },
    data: resolved ? { resolvedAt: ctx.clock.now(), resolvedById: actor.id } : { resolvedAt: null, resolvedById: null },
    select: commentSelect,
  });
  await ctx.bus.publish("doc.comment", { docId, kind: resolved ? "resolved" : "reopened", comment: presentComment(row) });
}

// ── edit and delete comments, @mentions in comments (decision 045) ──

/** A mention inside a comment's text: `@[Name](userId)`, as the comment box's picker writes it. */
const COMMENT_MENTION = /@\[([^\]\n]{1,120})\]\(([a-z0-9]{1,40})\)/gi;

export function commentMentionIds(body: string): string[] {
  return [...new Set([...body.matchAll(COMMENT_MENTION)].map((m) => m[2]!))];
}

/**
 * Every mentioned id must be an active person: otherwise the comment is refused (nothing stored).
 * Returns the body with each mention labelled with the person's name (the label in `@[label](id)`
 * is whatever the writer's client sent).
 */
async function checkCommentMentions(ctx: Ctx, body: string): Promise<string> {
  const ids = commentMentionIds(body);
  if (!ids.length) return body;
  if (ids.length > 20) throw new ValidationError({ body: ["Mention at most 20 people in one comment."] });
  const found = await ctx.db.user.findMany({ where: { id: { in: ids }, active: true }, select: { id: true, name: true } });
  if (found.length !== ids.length) throw new ValidationError({ body: ["You mentioned someone who is not in the directory; pick them from the list."] });
  return labelCommentMentions(body, new Map(found.map((u) => [u.id, u.name])));
}

/** `@[label](id)` → `@[current name](id)`: the label the writer's client sent is never kept. */
function labelCommentMentions(body: string, names: MentionNames): string {
  return body.replace(COMMENT_MENTION, (_whole, _label: string, id: string) => {
    const name = mentionLabel(names, id).slice(1);
    return `@[${name.replace(/[\]\n]/g, " ").slice(0, 120)}](${id})`;
  });
}

/**
 * Notifies people mentioned in a comment (except `already` and the author) — only those who may
 * read the document; others get nothing, so the title never reaches them. Returns who was told.
 */
async function notifyCommentMentions(ctx: Ctx, actor: Actor, docId: string, commentId: string, body: string, already: string[], authorName: string) {
  const fresh = commentMentionIds(body).filter((id) => id !== actor.id && !already.includes(id));
  const readers: string[] = [];
  for (const id of fresh) if ((await accessForUser(ctx, id, docId)).role !== "none") readers.push(id);
  if (!readers.length) return [];
  const doc = await ctx.db.document.findUniqueOrThrow({ where: { id: docId }, select: { title: true } });
  await notify(ctx, readers, {
    type: "doc.comment.mentioned",
    title: `${authorName} mentioned you in a comment on “${doc.title}”`,
    body: body.replace(COMMENT_MENTION, "@$1").slice(0, 200),
    link: `/docs/${docId}#comment-${commentId}`,
  });
  return readers;
}

async function commentFor(ctx: Ctx, actor: Actor, docId: string, commentId: string, action: "doc.comment.edit" | "doc.comment.delete") {
  const { subject } = await guard(ctx, actor, docId, "doc.read");
  const c = await ctx.db.docComment.findFirst({ where: { id: String(commentId ?? ""), docId }, select: { id: true, authorId: true, deletedAt: true } });
  if (!c) throw new NotFoundError("That comment");
  if (c.deletedAt) throw new NotFoundError("That comment (it was deleted)");
  const verb = action === "doc.comment.edit" ? "edit" : "delete";
  authorize(actor, action, { doc: subject, authorId: c.authorId, deleted: false }, `Only its author${verb === "delete" ? " or an admin" : ""} can ${verb} this comment.`);
  return c;
}

/** The author rewrites their comment; it is marked "edited", live for everyone in the document. */
export async function editComment(ctx: Ctx, actor: Actor, docId: string, commentId: string, input: unknown) {
  const { body } = parse(EditCommentSchema, input);
  await commentFor(ctx, actor, docId, commentId, "doc.comment.edit");
  const before = await ctx.db.docComment.findUniqueOrThrow({ where: { id: commentId }, select: { body: true } });
  const labelled = await checkCommentMentions(ctx, body);
  const row = await ctx.db.docComment.update({ where: { id: commentId }, data: { body: labelled, editedAt: ctx.clock.now() }, select: commentSelect });
  const comment = presentComment(row);
  await ctx.bus.publish("doc.comment", { docId, kind: "edited", comment });
  // Only people newly mentioned by the edit hear about it.
  await notifyCommentMentions(ctx, actor, docId, row.id, labelled, commentMentionIds(before.body), row.author.name);
  return comment;
}

/**
 * The author (or an admin who can read the document) deletes a comment. The row stays without
 * its text, so a thread keeps its replies and its place; everyone sees "Comment deleted" live.
 */
export async function deleteComment(ctx: Ctx, actor: Actor, docId: string, commentId: string) {
  await commentFor(ctx, actor, docId, commentId, "doc.comment.delete");
  const row = await ctx.db.docComment.update({ where: { id: commentId }, data: { body: "", deletedAt: ctx.clock.now(), deletedById: actor.id }, select: commentSelect });
  const comment = presentComment(row);
  await ctx.bus.publish("doc.comment", { docId, kind: "deleted", comment });
  return comment;
}

// ───────────────────────────── people to mention ─────────────────────────────

export async function mentionCandidates(ctx: Ctx, actor: Actor, docId: string, q: string) {
  // Anyone who may comment may mention (finish: @mentions inside comments).
  await guard(ctx, actor, docId, "doc.comment");
  const term = q.trim().slice(0, 60);
  const rows = await ctx.db.user.findMany({
    where: { active: true, ...(term ? { name: containsText(ctx.db, term) } : {}) },
    orderBy: { name: "asc" },
    take: 8,
    select: { id: true, name: true, title: true, photoPath: true },
  });
  return rows.map((r) => ({ ...presentPerson(r)!, title: r.title }));
}

// ───────────────────────────── Markdown ─────────────────────────────

export async function importMarkdown(ctx: Ctx, actor: Actor, input: unknown) {
  const data = parse(ImportSchema, input);
  const title = data.title || /^#{1,6}\s+(.+)$/m.exec(data.markdown)?.[1]?.trim().slice(0, 200) || "Imported document";
  const { markdownToState } = await headless();
  const state = markdownToState(data.markdown);
  if (state.byteLength > ctx.env.DOC_MAX_UPDATE_BYTES) throw new ValidationError({ markdown: ["This file is too large to import."] });
  return createDocument(ctx, actor, { title, spaceId: data.spaceId, parentId: data.parentId }, { state });
}

export async function exportMarkdown(ctx: Ctx, actor: Actor, docId: string) {
  await guard(ctx, actor, docId, "doc.read");
  const doc = await ctx.db.document.findUniqueOrThrow({ where: { id: docId }, select: { title: true } });
  const state = await ctx.collab.peekState(docId);
  const { markdown } = await readShown(ctx, state, { markdown: true });
  return { fileName: `${slugify(doc.title)}.md`, markdown: markdown ?? "" };
}

/**
 * What @mentions of these people show now (app/editor/mention-names.ts): a mention's stored label
 * is only what its writer's client put there. Ids that name nobody are left out ("former member").
 */
export async function mentionNamesOf(ctx: Ctx, userIds: string[]): Promise<Map<string, string>> {
  if (!userIds.length) return new Map();
  const rows = await ctx.db.user.findMany({ where: { id: { in: userIds } }, select: { id: true, name: true, active: true } });
  return new Map(rows.map((r) => [r.id, mentionDisplayName(r)]));
}

/** A document state read the way readers see it: each @mention with the person's current name. */
async function readShown(ctx: Ctx, state: Uint8Array, want: { markdown?: boolean; json?: boolean } = {}) {
  const { readState } = await headless();
  const raw = readState(state, want);
  return raw.mentions.length ? readState(state, { ...want, mentionNames: await mentionNamesOf(ctx, raw.mentions) }) : raw;
}

/**
 * System verb (a person was renamed or deactivated): documents that mention them re-derive their
 * stored text, so search, previews and the feed show the name as it is now. Documents whose
 * mention of them was never recorded (a writer mentioning themselves) catch up at their next edit.
 */
export async function relabelMentionsOf(ctx: Ctx, userId: string) {
  const rows = await ctx.db.docMention.findMany({ where: { userId, doc: { deletedAt: null } }, select: { docId: true } });
  for (const { docId } of rows) {
    const state = await ctx.collab.peekState(docId);
    const { text } = await readShown(ctx, state);
    const res = await ctx.db.document.updateMany({ where: { id: docId, plainText: { not: text } }, data: { plainText: text } });
    if (res.count) await ctx.bus.publish("doc.text.settled", { docId });
  }
}

/** What a reader may look up while a document is open: current names of people mentioned in it. */
export async function mentionNames(ctx: Ctx, actor: Actor, docId: string, userIds: string[]) {
  await guard(ctx, actor, docId, "doc.read");
  const ids = [...new Set(userIds)].filter((id) => /^[a-z0-9]{1,40}$/i.test(id)).slice(0, 100);
  const names = await mentionNamesOf(ctx, ids);
  return Object.fromEntries(ids.map((id) => [id, names.get(id) ?? FORMER_MEMBER])) as Record<string, string>;
}

// ───────────────────────────── images ─────────────────────────────

const MAGIC: [string, (b: Uint8Array) => boolean][] = [
  ["image/png", (b) => b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47],
  ["image/jpeg", (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff],
  ["image/gif", (b) => b[0] === 0x47 && b[1] === 0x49 && b[2] === 0x46],
  ["image/webp", (b) => b[0] === 0x52 && b[1] === 0x49 && b[2] === 0x46 && b[3] === 0x46 && b[8] === 0x57 && b[9] === 0x45 && b[10] === 0x42 && b[11] === 0x50],
];

/** Stores an image for a document; the bytes decide the type, not the file name. */
/** Whether the actor may add images to the document: checked before an upload's body is read. */
export async function assertCanUploadImage(ctx: Ctx, actor: Actor, docId: string) {
  await guard(ctx, actor, docId, "doc.edit");
}

export async function uploadImage(ctx: Ctx, actor: Actor, docId: string, file: { bytes: Uint8Array; name: string }) {
  await guard(ctx, actor, docId, "doc.edit");
  if (file.bytes.byteLength === 0) throw new ValidationError({ image: ["Choose an image."] });
  if (file.bytes.byteLength > MAX_IMAGE_BYTES) throw new ValidationError({ image: [`Images are at most ${MAX_IMAGE_BYTES / 1024 / 1024} MB.`] });
  const mime = MAGIC.find(([, test]) => test(file.bytes))?.[0] as keyof typeof IMAGE_TYPES | undefined;
  if (!mime) throw new ValidationError({ image: ["Only PNG, JPEG, GIF and WebP images can be uploaded."] });
  const id = randomBytes(12).toString("hex");
  const dir = path.resolve(ctx.env.DOC_FILES_DIR, docId);
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, `${id}.${IMAGE_TYPES[mime]}`), file.bytes);
  await ctx.db.docImage.create({ data: { id, docId, userId: actor.id, mime, size: file.bytes.byteLength, fileName: file.name.slice(0, 200), createdAt: ctx.clock.now() } });
  return { id, url: `/docs/${docId}/images/${id}` };
}

/** An image of a document, for someone who may read the document. */
// ── unreferenced image files are removed (decision 046) ──

/**
 * System verb (background job): removes uploaded images that no document content (live state:
 * snapshot + log + what is open in memory) and no revision refers to any more, once they are
 * older than `olderThanMs` — a grace period for an upload whose image is still only in an
 * offline editor's copy. Image ids are 24 hex characters stored verbatim in the Yjs state (the
 * image node's src), so a byte search finds every reference without rebuilding the editor.
 */
export async function cleanupImages(ctx: Ctx, opts: { olderThanMs?: number } = {}) {
  const olderThanMs = opts.olderThanMs ?? 7 * 24 * 3600_000;
  const cutoff = new Date(ctx.clock.now().getTime() - olderThanMs);
  const candidates = await ctx.db.docImage.findMany({ where: { createdAt: { lt: cutoff } }, select: { id: true, docId: true, mime: true, size: true } });
  const byDoc = new Map<string, typeof candidates>();
  for (const c of candidates) byDoc.set(c.docId, [...(byDoc.get(c.docId) ?? []), c]);
  let removed = 0;
  let bytes = 0;
  for (const [docId, images] of byDoc) {
    const blobs: Buffer[] = [Buffer.from((await ctx.collab.peekState(docId)))];
    for (const r of await ctx.db.docRevision.findMany({ where: { docId }, select: { state: true } })) blobs.push(Buffer.from(r.state));
    for (const img of images) {
      if (blobs.some((b) => b.includes(img.id))) continue;
      const ext = IMAGE_TYPES[img.mime as keyof typeof IMAGE_TYPES];
      await rm(path.resolve(ctx.env.DOC_FILES_DIR, docId, `${img.id}.${ext}`), { force: true });
      await ctx.db.docImage.delete({ where: { id: img.id } });
      removed++;
      bytes += img.size;
    }
  }
  return { checked: candidates.length, removed, bytes };
}

export async function readImage(ctx: Ctx, actor: Actor, docId: string, imageId: string) {
  await guard(ctx, actor, docId, "doc.read");
  const img = await ctx.db.docImage.findFirst({ where: { id: imageId, docId } });
  if (!img) throw new NotFoundError("That image");
  const ext = IMAGE_TYPES[img.mime as keyof typeof IMAGE_TYPES];
  return { mime: img.mime, bytes: await readFile(path.resolve(ctx.env.DOC_FILES_DIR, docId, `${img.id}.${ext}`)) };
}

// Pure helpers, not verbs: createDomain must not bind them to the context.
for (const helper of [subjectOf, presentComment, commentMentionIds, pageOfTree]) notAVerb(helper);
