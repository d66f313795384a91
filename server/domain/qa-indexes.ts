/**
 * Building and maintaining the two in-memory Q&A indexes (similar questions, demonstrated
 * expertise) from the database. Called at start by the composition root and by the Q&A verbs.
 */
import type { Ctx } from "./context.js";
import type { QuestionDoc } from "../search/questions-index.js";

export const questionDocInclude = {
  tags: { select: { skill: { select: { id: true, name: true, synonyms: { select: { name: true } } } } } },
} as const;

export interface QuestionDocRow {
  id: string;
  title: string;
  bodyText: string;
  score: number;
  answerCount: number;
  acceptedAnswerId: string | null;
  duplicateOfId: string | null;
  tags: { skill: { id: string; name: string; synonyms: { name: string }[] } }[];
}

export const toQuestionDoc = (q: QuestionDocRow): QuestionDoc => ({
  id: q.id,
  title: q.title,
  body: q.bodyText,
  tags: q.tags.flatMap((t) => [t.skill.name, ...t.skill.synonyms.map((s) => s.name)]).join(" "),
  score: q.score,
  accepted: !!q.acceptedAnswerId,
  answerCount: q.answerCount,
  duplicate: !!q.duplicateOfId,
});

/** Re-reads one question and updates (or removes) it in the similar-questions index. */
export async function reindexQuestion(ctx: Ctx, id: string): Promise<void> {
  const q = await ctx.db.question.findUnique({ where: { id }, include: questionDocInclude });
  if (!q || q.deletedAt) await ctx.questionsIndex.remove(id);
  else await ctx.questionsIndex.upsert(toQuestionDoc(q));
}

/**
 * Fills the similar-questions index page by page, the event loop running between pages (decision
 * 061, amended): events arriving meanwhile are applied at once and win over older pages.
 */
export async function buildQuestionsIndex(ctx: Ctx, total = 0): Promise<number> {
  const PAGE = 2_000;
  const index = ctx.questionsIndex;
  index.beginBuild(total);
  let cursor: string | undefined;
  let n = 0;
  for (;;) {
    if (index.isCancelled) return n;
    const rows = await ctx.db.question.findMany({
      where: { deletedAt: null },
      include: questionDocInclude,
      orderBy: { id: "asc" },
      take: PAGE,
      ...(cursor ? { skip: 1, cursor: { id: cursor } } : {}),
    });
    index.addBatch(rows.map(toQuestionDoc));
    n += rows.length;
    if (rows.length < PAGE) break;
    cursor = rows[rows.length - 1]!.id;
    await new Promise((r) => setImmediate(r));
  }
  index.endBuild();
  return n;
}

/** Above this many questions the similar-questions index fills after the server listens (decision 061). */
export const QUESTIONS_SYNC_BUILD_LIMIT = 5_000;

export interface AnswerContributionRow {
  authorId: string;
  createdAt: Date;
  acceptedAt: Date | null;
  baseScore: number;
  votes: { value: number; votedAt: Date }[];
}

/**
 * Adds (sign 1) or retracts (sign −1) everything an answer contributes to its author's
 * demonstrated expertise: its acceptance, its upvotes, and any score carried over by an import
 * (counted as upvotes at the answer's creation).
 */
export function applyAnswerContributions(ctx: Ctx, a: AnswerContributionRow, skillIds: string[], sign: 1 | -1): void {
  if (!skillIds.length) return;
  if (a.acceptedAt) ctx.expertise.record(a.authorId, skillIds, "accepted", a.acceptedAt, sign);
  if (a.baseScore > 0) ctx.expertise.record(a.authorId, skillIds, "upvote", a.createdAt, sign, a.baseScore);
  for (const v of a.votes) if (v.value > 0) ctx.expertise.record(a.authorId, skillIds, "upvote", v.votedAt, sign);
}

export async function loadTagNames(ctx: Ctx): Promise<void> {
  const [skills, synonyms] = await Promise.all([
    ctx.db.skill.findMany({ select: { id: true, name: true } }),
    ctx.db.skillSynonym.findMany({ select: { name: true, skillId: true } }),
  ]);
  ctx.expertise.setNames([...skills.map((s) => [s.name, s.id] as [string, string]), ...synonyms.map((s) => [s.name, s.skillId] as [string, string])]);
}

export async function buildExpertiseIndex(ctx: Ctx): Promise<number> {
  ctx.expertise.clear();
  await loadTagNames(ctx);
  const PAGE = 5_000;
  let cursor: string | undefined;
  let n = 0;
  // Tags per question are cached: many answers share a question.
  const tagsOf = new Map<string, string[]>();
  for (;;) {
    const rows = await ctx.db.answer.findMany({
      where: {
        deletedAt: null,
        question: { deletedAt: null },
        OR: [{ acceptedAt: { not: null } }, { baseScore: { gt: 0 } }, { votes: { some: { value: 1 } } }],
      },
      select: {
        id: true,
        questionId: true,
        authorId: true,
        createdAt: true,
        acceptedAt: true,
        baseScore: true,
        votes: { where: { value: 1 }, select: { value: true, votedAt: true } },
      },
      orderBy: { id: "asc" },
      take: PAGE,
      ...(cursor ? { skip: 1, cursor: { id: cursor } } : {}),
    });
    const missing = [...new Set(rows.map((r) => r.questionId).filter((id) => !tagsOf.has(id)))];
    if (missing.length) {
      const tags = await ctx.db.questionTag.findMany({ where: { questionId: { in: missing } }, select: { questionId: true, skillId: true } });
      for (const id of missing) tagsOf.set(id, []);
      for (const t of tags) tagsOf.get(t.questionId)!.push(t.skillId);
    }
    for (const r of rows) applyAnswerContributions(ctx, r, tagsOf.get(r.questionId) ?? [], 1);
    n += rows.length;
    if (rows.length < PAGE) break;
    cursor = rows[rows.length - 1]!.id;
  }
  return n;
}

/** The text of a question as answerer profiles read it. */
export const answeredText = (q: { title: string; bodyText: string }) => `${q.title} ${q.bodyText.slice(0, 600)}`;

/** Replays every answer, oldest first, into the answerer profiles used by routing. */
export async function buildAnswererIndex(ctx: Ctx): Promise<number> {
  ctx.answerers.clear();
  const PAGE = 5_000;
  let n = 0;
  const questions = new Map<string, { text: string; createdAt: Date; tags: string[] }>();
  for (let skip = 0; ; skip += PAGE) {
    const rows = await ctx.db.answer.findMany({
      where: { deletedAt: null, question: { deletedAt: null } },
      select: { questionId: true, authorId: true, createdAt: true, acceptedAt: true, bodyText: true },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      skip,
      take: PAGE,
    });
    const missing = [...new Set(rows.map((r) => r.questionId).filter((id) => !questions.has(id)))];
    for (let i = 0; i < missing.length; i += 500) {
      for (const q of await ctx.db.question.findMany({
        where: { id: { in: missing.slice(i, i + 500) } },
        select: { id: true, title: true, bodyText: true, createdAt: true, tags: { select: { skillId: true } } },
      })) {
        questions.set(q.id, { text: answeredText(q), createdAt: q.createdAt, tags: q.tags.map((t) => t.skillId) });
      }
    }
    for (const r of rows) {
      const q = questions.get(r.questionId);
      if (!q) continue;
      ctx.answerers.add({
        authorId: r.authorId,
        at: r.createdAt,
        questionText: q.text,
        answerText: r.bodyText,
        tags: q.tags,
        accepted: !!r.acceptedAt,
        responseMs: r.createdAt.getTime() - q.createdAt.getTime(),
      });
    }
    n += rows.length;
    if (rows.length < PAGE) break;
  }
  ctx.answerers.trim();
  return n;
}

/** Builds the indexes and keeps tag names current when the skills vocabulary changes. */
export async function startQaIndexes(ctx: Ctx): Promise<void> {
  // ── search cold start: large installations fill the index after listening ──
  const count = await ctx.db.question.count({ where: { deletedAt: null } });
  const done = buildQuestionsIndex(ctx, count).catch((err) => {
    if (!ctx.questionsIndex.isCancelled) console.error("[qa] building the similar-questions index failed", err);
    return 0;
  });
  if (count <= QUESTIONS_SYNC_BUILD_LIMIT) await done;
  await buildExpertiseIndex(ctx);
  await buildAnswererIndex(ctx);
  ctx.bus.subscribe("org.changed", async (p) => {
    if (p.kind === "skill") await loadTagNames(ctx);
  });
  // Declared skills are cached for routing; any profile change may have changed them.
  ctx.bus.subscribe("person.updated", () => ctx.expertise.forgetDeclared());
  ctx.bus.subscribe("person.deactivated", () => ctx.expertise.forgetDeclared());
}
