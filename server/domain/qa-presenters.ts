/**
 * What Q&A data leaves the server. Bodies go out as the sanitised JSON tree (rendered by a safe
 * React renderer), people as small cards, permissions as booleans computed by the policy.
 */
import { emptyDoc, excerpt, sanitizeRichText, type RichDoc } from "../../app/editor/rich-text.js";
import type { Prisma } from "../generated/prisma/client.js";
import { initials, photoUrl } from "./presenters.js";

export interface MiniPersonRow {
  id: string;
  name: string;
  title: string;
  photoPath: string | null;
  active?: boolean;
  deactivatedAt?: Date | null;
  importedIdentities?: { source: string }[];
}

/**
 * The site an imported placeholder's history came from ("ai.stackexchange.com"), shown beside its
 * name; null for everyone else, including a colleague a placeholder was merged into.
 */
export function importedFrom(p: Pick<MiniPersonRow, "active" | "deactivatedAt" | "importedIdentities">): string | null {
  const source = p.importedIdentities?.[0]?.source;
  if (!source || p.active !== false || p.deactivatedAt) return null;
  const site = source.replace(/^stackexchange:/, "");
  return site === source || site.startsWith("dump-") ? "Stack Exchange" : site;
}

export const presentMiniPerson = (p: MiniPersonRow) => ({
  id: p.id,
  name: p.name,
  title: p.title,
  initials: initials(p.name),
  photoUrl: photoUrl(p.photoPath),
  active: p.active ?? true,
  importedFrom: importedFrom(p),
});
export type MiniPerson = ReturnType<typeof presentMiniPerson>;

export const miniPersonSelect = {
  id: true,
  name: true,
  title: true,
  photoPath: true,
  active: true,
  deactivatedAt: true,
  importedIdentities: { select: { source: true }, take: 1, orderBy: { source: "asc" } },
} as const;

/** Stored bodies were sanitised on the way in; parsing again on the way out costs little and means
 *  a row edited by hand in the database still cannot smuggle anything through. */
export function presentBody(json: string): RichDoc {
  try {
    return sanitizeRichText(json);
  } catch {
    return emptyDoc();
  }
}

export interface TagRow {
  skill: { name: string; label: string };
}
export const presentTags = (tags: TagRow[]) =>
  tags.map((t) => ({ name: t.skill.name, label: t.skill.label })).sort((a, b) => a.name.localeCompare(b.name));

export interface SummaryRow {
  id: string;
  title: string;
  bodyText: string;
  createdAt: Date;
  lastActivityAt: Date;
  score: number;
  answerCount: number;
  acceptedAnswerId: string | null;
  closedAt: Date | null;
  duplicateOfId: string | null;
  author: MiniPersonRow;
  department: { id: string; name: string } | null;
  tags: TagRow[];
}

export const summaryInclude = {
  author: { select: miniPersonSelect },
  department: { select: { id: true, name: true } },
  tags: { select: { skill: { select: { name: true, label: true } } } },
} as const;

/**
 * What the question page reads: the columns getQuestion presents (not the plain-text copies of the
 * bodies), with people, tags, the duplicate links, comments, answers and routes. Ties in each
 * order are broken by id, as in the prepared read (questionPageSql).
 */
export const questionPageSelect = {
  id: true, authorId: true, title: true, bodyJson: true, documentId: true, insightId: true, createdAt: true, editedAt: true,
  lastActivityAt: true, score: true, answerCount: true, acceptedAnswerId: true, duplicateOfId: true,
  closedAt: true, closedById: true, deletedAt: true, deletedById: true, deleteReason: true,
  author: { select: miniPersonSelect },
  department: { select: { id: true, name: true } },
  tags: { select: { skill: { select: { name: true, label: true } } } },
  duplicateOf: { select: { id: true, title: true, deletedAt: true } },
  duplicates: { where: { deletedAt: null }, select: { id: true, title: true }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] },
  comments: {
    select: { id: true, answerId: true, authorId: true, body: true, createdAt: true, deletedAt: true, deletedById: true, author: { select: miniPersonSelect } },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
  },
  answers: {
    select: {
      id: true, authorId: true, bodyJson: true, createdAt: true, editedAt: true, score: true, acceptedAt: true, deletedAt: true, deletedById: true, deleteReason: true,
      author: { select: miniPersonSelect },
      _count: { select: { revisions: true } },
    },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
  },
  routes: { select: { userId: true, kind: true, reason: true, user: { select: miniPersonSelect } }, orderBy: [{ createdAt: "asc" }, { score: "desc" }, { id: "asc" }] },
  _count: { select: { revisions: true, follows: true } },
} satisfies Prisma.QuestionSelect;
export type QuestionPageRow = Prisma.QuestionGetPayload<{ select: typeof questionPageSelect }>;

export function presentSummary(q: SummaryRow) {
  return {
    id: q.id,
    title: q.title,
    excerpt: excerpt(q.bodyText, 220),
    tags: presentTags(q.tags),
    author: presentMiniPerson(q.author),
    department: q.department,
    createdAt: q.createdAt.toISOString(),
    lastActivityAt: q.lastActivityAt.toISOString(),
    score: q.score,
    answerCount: q.answerCount,
    accepted: !!q.acceptedAnswerId,
    closed: !!q.closedAt,
    duplicate: !!q.duplicateOfId,
  };
}
export type QuestionSummary = ReturnType<typeof presentSummary>;
