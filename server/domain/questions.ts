/**
 * Q&A verbs: asking, answering, commenting, voting, accepting, editing with revision history,
 * closing as duplicate, deleting with a trace, following, and routing to experts. Every verb
 * checks the policy, writes in one transaction, then updates the in-memory indexes and publishes
 * its event (the realtime layer fans it out to the question's room).
 */
import {
  AnswerSchema,
  AskDepartmentSchema,
  AskPersonSchema,
  AskQuestionSchema,
  CommentSchema,
  DeleteSchema,
  DuplicateSchema,
  EditAnswerSchema,
  EditQuestionSchema,
  ListQuerySchema,
  SimilarQuerySchema,
  TagDescriptionSchema,
  VoteSchema,
} from "../../app/schemas/questions.js";
import type { Actor } from "../policy.js";
import { authorize, can } from "../policy.js";
import { parse, type Ctx } from "./context.js";
import { ForbiddenError, NotFoundError, ValidationError } from "./errors.js";
import { notify } from "./notifications.js";
import { reasonWithPresence } from "./qa-ranking.js";
import { accessForUser } from "./docs.js";
import { answeredText, applyAnswerContributions, questionDocInclude, reindexQuestion, toQuestionDoc } from "./qa-indexes.js";
import type { AnswerEvent } from "../search/answerer-index.js";
import {
  miniPersonSelect,
  presentBody,
  presentMiniPerson,
  presentSummary,
  presentTags,
  questionPageSelect,
  summaryInclude,
  type QuestionSummary,
} from "./qa-presenters.js";
import { deliverRoutes, routeToDepartment, routeToExperts } from "./qa-routing.js";
import { resolveSkills } from "./skills.js";
import { expertiseSql, questionPageSql, routedSummariesSql, summaryPageSql, userNamesSql } from "./qa-reads.js";

type Tx = Parameters<Parameters<Ctx["db"]["$transaction"]>[0]>[0];

const PAGE_SIZE = 20;

// ───────────────────────────── helpers ─────────────────────────────

const questionRef = (q: { authorId: string; deletedAt: Date | null; closedAt: Date | null }) => ({
  authorId: q.authorId,
  deleted: !!q.deletedAt,
  closed: !!q.closedAt,
});

async function findQuestion(ctx: Ctx, id: string) {
  const q = typeof id === "string" && id.length <= 60 ? await ctx.db.question.findUnique({ where: { id } }) : null;
  if (!q) throw new NotFoundError("That question");
  return q;
}

async function findAnswer(ctx: Ctx, id: string) {
  const a =
    typeof id === "string" && id.length <= 60
      ? await ctx.db.answer.findUnique({
          where: { id },
          include: { question: { select: { id: true, title: true, authorId: true, deletedAt: true, closedAt: true, acceptedAnswerId: true } } },
        })
      : null;
  if (!a) throw new NotFoundError("That answer");
  return a;
}

type AnsweredQuestion = { title: string; bodyText: string; createdAt: Date };
type RecordedAnswer = { authorId: string; createdAt: Date; acceptedAt: Date | null; bodyText: string };

/** An answer as the answerer profiles recorded it (the same event `add` was given). */
async function answerEventOf(ctx: Ctx, a: RecordedAnswer & { questionId: string }): Promise<AnswerEvent | null> {
  const q = await ctx.db.question.findUnique({ where: { id: a.questionId }, select: { title: true, bodyText: true, createdAt: true } });
  if (!q) return null;
  return answerEvent(q, a, await skillIdsOf(ctx, a.questionId));
}

function answerEvent(q: AnsweredQuestion, a: RecordedAnswer, tags: string[]): AnswerEvent {
  return {
    authorId: a.authorId,
    at: a.createdAt,
    questionText: answeredText(q),
    answerText: a.bodyText,
    tags,
    accepted: !!a.acceptedAt,
    responseMs: a.createdAt.getTime() - q.createdAt.getTime(),
  };
}

async function skillIdsOf(ctx: Ctx | Tx, questionId: string): Promise<string[]> {
  const db = "db" in ctx ? ctx.db : ctx;
  return (await db.questionTag.findMany({ where: { questionId }, select: { skillId: true } })).map((t) => t.skillId);
}

/** Tag names → skill ids through the shared vocabulary ("k8s" → kubernetes); order kept, duplicates merged. */
async function resolveTags(ctx: Ctx, tx: Tx, names: string[]): Promise<string[]> {
  const map = await resolveSkills(tx, names);
  const ids = [...new Set(names.map((n) => map.get(n)!))];
  for (const [name, id] of map) ctx.expertise.addName(name, id);
  return ids;
}

async function checkDepartment(ctx: Ctx, departmentId: string | null) {
  if (departmentId && !(await ctx.db.department.findUnique({ where: { id: departmentId }, select: { id: true } }))) {
    throw new ValidationError({ departmentId: ["Choose an existing department."] });
  }
}

/**
 * A question may link a document and a customer insight the asker can open: an id that does
 * not exist, or names a document the asker may not read, is refused like any other bad field
 * (without saying which of the two it was).
 */
async function checkLinks(ctx: Ctx, actor: Actor, data: { documentId: string | null; insightId: string | null }, before?: { documentId: string | null; insightId: string | null }) {
  const errors: Record<string, string[]> = {};
  // An unchanged link on edit stays, even if the editor cannot open it (it is the asker's).
  if (data.documentId && data.documentId !== before?.documentId && (await accessForUser(ctx, actor.id, data.documentId)).role === "none") {
    errors.documentId = ["Choose a document you can open."];
  }
  if (data.insightId && data.insightId !== before?.insightId) {
    const found = await ctx.db.insight.findUnique({ where: { id: data.insightId }, select: { id: true } });
    if (!found || !can(actor, "insight.view", null)) errors.insightId = ["Choose an existing customer insight."];
  }
  if (Object.keys(errors).length) throw new ValidationError(errors);
}

/** The linked document and insight as the reader sees them: a title to click, or nothing to open. */
async function presentLinks(ctx: Ctx, actor: Actor, q: { documentId: string | null; insightId: string | null }) {
  let document: { id: string; title: string } | null = null;
  let insight: { id: string; label: string } | null = null;
  if (q.documentId && (await accessForUser(ctx, actor.id, q.documentId)).role !== "none") {
    const d = await ctx.db.document.findUnique({ where: { id: q.documentId }, select: { id: true, title: true } });
    if (d) document = { id: d.id, title: d.title || "Untitled document" };
  }
  if (q.insightId && can(actor, "insight.view", null)) {
    const i = await ctx.db.insight.findUnique({ where: { id: q.insightId }, select: { id: true, text: true, account: { select: { name: true } } } });
    if (i) {
      const text = i.text.replace(/\s+/g, " ").trim();
      insight = { id: i.id, label: `${i.account ? `${i.account.name}: ` : ""}“${text.length > 80 ? `${text.slice(0, 79)}…` : text}”` };
    }
  }
  return { document, insight };
}

/** The ask form's prefill (?documentId=…&insightId=…): titles of what the reader may open, nothing else. */
export async function describeLinks(ctx: Ctx, actor: Actor, input: { documentId?: string | null; insightId?: string | null }) {
  // Anything that cannot be an id (empty, too long, a NUL byte PostgreSQL text refuses) links nothing.
  const id = (v: unknown) => (typeof v === "string" && v.length > 0 && v.length <= 60 && !v.includes("\u0000") ? v : null);
  return presentLinks(ctx, actor, { documentId: id(input.documentId), insightId: id(input.insightId) });
}

async function nameOf(ctx: Ctx, userId: string): Promise<string> {
  return (await ctx.db.user.findUnique({ where: { id: userId }, select: { name: true } }))?.name ?? "Someone";
}

async function followersOf(ctx: Ctx, questionId: string, except: string[]): Promise<string[]> {
  const rows = await ctx.db.questionFollow.findMany({
    where: { questionId, userId: { notIn: except }, user: { active: true } },
    select: { userId: true },
  });
  return rows.map((r) => r.userId);
}

const link = (questionId: string, answerId?: string) => `/questions/${questionId}${answerId ? `#answer-${answerId}` : ""}`;

function nextRevisionNumber(tx: Tx, where: { questionId: string } | { answerId: string }) {
  return tx.postRevision.aggregate({ where, _max: { number: true } }).then((r) => (r._max.number ?? 0) + 1);
}

// ───────────────────────────── asking and editing ─────────────────────────────

export async function askQuestion(ctx: Ctx, actor: Actor, input: unknown) {
  authorize(actor, "question.ask", null);
  const data = parse(AskQuestionSchema, input);
  await checkDepartment(ctx, data.departmentId);
  await checkLinks(ctx, actor, data);
  const at = ctx.clock.now();
  const q = await ctx.db.$transaction(async (tx) => {
    const skillIds = await resolveTags(ctx, tx, data.tags);
    const created = await tx.question.create({
      data: {
        authorId: actor.id,
        title: data.title,
        bodyJson: data.body.json,
        bodyText: data.body.text,
        departmentId: data.departmentId,
        documentId: data.documentId,
        insightId: data.insightId,
        createdAt: at,
        lastActivityAt: at,
        tags: { create: skillIds.map((skillId) => ({ skillId })) },
      },
      include: questionDocInclude,
    });
    await tx.postRevision.create({
      data: {
        questionId: created.id,
        number: 1,
        authorId: actor.id,
        title: data.title,
        tags: JSON.stringify(created.tags.map((t) => t.skill.name).sort()),
        bodyJson: data.body.json,
        bodyText: data.body.text,
        summary: "Asked",
        createdAt: at,
      },
    });
    await tx.questionFollow.create({ data: { userId: actor.id, questionId: created.id, createdAt: at } });
    return created;
  });
  await ctx.questionsIndex.upsert(toQuestionDoc(q));
  const skillIds = q.tags.map((t) => t.skill.id);
  const tagNames = q.tags.map((t) => t.skill.name);
  await ctx.bus.publish("question.asked", {
    questionId: q.id,
    title: q.title,
    authorId: actor.id,
    tagNames,
    departmentId: q.departmentId,
    createdAt: at.toISOString(),
  });
  const askerName = await nameOf(ctx, actor.id);
  const routed = await routeToExperts(ctx, { id: q.id, title: q.title, text: answeredText(q), authorId: actor.id, skillIds }, askerName);
  // Followers of its tags hear about it too (unless routing already told them).
  const tagFollowers = await ctx.db.tagFollow.findMany({
    where: { skillId: { in: skillIds }, userId: { notIn: [actor.id, ...routed.map((r) => r.userId)] }, user: { active: true } },
    select: { userId: true, skill: { select: { name: true } } },
  });
  const byUser = new Map<string, string[]>();
  for (const f of tagFollowers) byUser.set(f.userId, [...(byUser.get(f.userId) ?? []), f.skill.name]);
  for (const [userId, tags] of byUser) {
    await notify(ctx, [userId], {
      type: "question.tagged",
      title: `New question in ${tags.join(", ")}: “${q.title}”`,
      body: `${askerName} asked.`,
      link: link(q.id),
    });
  }
  return { id: q.id, routedTo: routed };
}

export async function editQuestion(ctx: Ctx, actor: Actor, questionId: string, input: unknown) {
  const q = await findQuestion(ctx, questionId);
  authorize(actor, "question.edit", questionRef(q), q.deletedAt ? "This question was deleted." : "Only the asker or an administrator can edit this question.");
  const data = parse(EditQuestionSchema, input);
  await checkDepartment(ctx, data.departmentId);
  await checkLinks(ctx, actor, data, q);
  const at = ctx.clock.now();
  const changed = await ctx.db.$transaction(async (tx) => {
    const skillIds = await resolveTags(ctx, tx, data.tags);
    const before = await skillIdsOf(tx, q.id);
    const sameTags = before.length === skillIds.length && before.every((id) => skillIds.includes(id));
    if (
      sameTags &&
      q.title === data.title &&
      q.bodyJson === data.body.json &&
      q.departmentId === data.departmentId &&
      q.documentId === data.documentId &&
      q.insightId === data.insightId
    ) {
      return null;
    }
    await tx.question.update({
      where: { id: q.id },
      data: {
        title: data.title,
        bodyJson: data.body.json,
        bodyText: data.body.text,
        departmentId: data.departmentId,
        documentId: data.documentId,
        insightId: data.insightId,
        editedAt: at,
        lastActivityAt: at,
      },
    });
    if (!sameTags) {
      await tx.questionTag.deleteMany({ where: { questionId: q.id } });
      await tx.questionTag.createMany({ data: skillIds.map((skillId) => ({ questionId: q.id, skillId })) });
    }
    const names = (await tx.skill.findMany({ where: { id: { in: skillIds } }, select: { name: true } })).map((s) => s.name).sort();
    await tx.postRevision.create({
      data: {
        questionId: q.id,
        number: await nextRevisionNumber(tx, { questionId: q.id }),
        authorId: actor.id,
        title: data.title,
        tags: JSON.stringify(names),
        bodyJson: data.body.json,
        bodyText: data.body.text,
        summary: data.summary || "Edited",
        createdAt: at,
      },
    });
    // Demonstrated expertise follows the question's tags, and the answerers' profiles its words and
    // tags (both moved once the transaction committed).
    const reworded = q.title !== data.title || q.bodyText !== data.body.text;
    const answers =
      sameTags && !reworded
        ? []
        : await tx.answer.findMany({
            where: { questionId: q.id, deletedAt: null },
            select: { authorId: true, createdAt: true, acceptedAt: true, bodyText: true, baseScore: true, votes: { where: { value: 1 }, select: { value: true, votedAt: true } } },
          });
    return { answers, before, skillIds, sameTags };
  });
  if (!changed) throw new ValidationError({ form: ["Nothing changed."] }, "Nothing changed.");
  const edited = { title: data.title, bodyText: data.body.text, createdAt: q.createdAt };
  for (const a of changed.answers) {
    if (!changed.sameTags) {
      applyAnswerContributions(ctx, a, changed.before, -1);
      applyAnswerContributions(ctx, a, changed.skillIds, 1);
    }
    ctx.answerers.remove(answerEvent(q, a, changed.before));
    ctx.answerers.add(answerEvent(edited, a, changed.skillIds));
  }
  await reindexQuestion(ctx, q.id);
  await ctx.bus.publish("question.updated", { questionId: q.id, change: "edited" });
}

// ───────────────────────────── answers and comments ─────────────────────────────

function answerRefusal(q: { deletedAt: Date | null; closedAt: Date | null; duplicateOfId: string | null }) {
  if (q.deletedAt) return "This question was deleted; it no longer takes answers.";
  if (q.duplicateOfId) return "This question is closed as a duplicate; please answer the original question instead.";
  return "This question is closed; it no longer takes answers.";
}

export async function answerQuestion(ctx: Ctx, actor: Actor, questionId: string, input: unknown) {
  const q = await findQuestion(ctx, questionId);
  authorize(actor, "question.answer", questionRef(q), answerRefusal(q));
  const data = parse(AnswerSchema, input);
  const at = ctx.clock.now();
  const answer = await ctx.db.$transaction(async (tx) => {
    const a = await tx.answer.create({
      data: { questionId: q.id, authorId: actor.id, bodyJson: data.body.json, bodyText: data.body.text, createdAt: at },
    });
    await tx.postRevision.create({
      data: { answerId: a.id, number: 1, authorId: actor.id, bodyJson: data.body.json, bodyText: data.body.text, summary: "Answered", createdAt: at },
    });
    const updated = await tx.question.update({ where: { id: q.id }, data: { answerCount: { increment: 1 }, lastActivityAt: at } });
    await tx.questionFollow.upsert({
      where: { userId_questionId: { userId: actor.id, questionId: q.id } },
      create: { userId: actor.id, questionId: q.id, createdAt: at },
      update: {},
    });
    return { ...a, answerCount: updated.answerCount };
  });
  ctx.questionsIndex.updateSignals(q.id, { answerCount: answer.answerCount });
  ctx.answerers.add({
    authorId: actor.id,
    at,
    questionText: answeredText(q),
    answerText: data.body.text,
    tags: await skillIdsOf(ctx, q.id),
    accepted: false,
    responseMs: at.getTime() - q.createdAt.getTime(),
  });
  await ctx.bus.publish("question.answered", { questionId: q.id, answerId: answer.id, authorId: actor.id });
  const name = await nameOf(ctx, actor.id);
  await notify(ctx, await followersOf(ctx, q.id, [actor.id]), {
    type: "question.answered",
    title: `${name} answered “${q.title}”`,
    body: answer.bodyText.slice(0, 200),
    link: link(q.id, answer.id),
  });
  return { id: answer.id };
}

export async function editAnswer(ctx: Ctx, actor: Actor, answerId: string, input: unknown) {
  const a = await findAnswer(ctx, answerId);
  authorize(
    actor,
    "answer.edit",
    { authorId: a.authorId, deleted: !!a.deletedAt || !!a.question.deletedAt },
    a.deletedAt || a.question.deletedAt ? "This answer was deleted." : "Only the author or an administrator can edit this answer.",
  );
  const data = parse(EditAnswerSchema, input);
  if (data.body.json === a.bodyJson) throw new ValidationError({ form: ["Nothing changed."] }, "Nothing changed.");
  const before = await answerEventOf(ctx, a);
  const at = ctx.clock.now();
  await ctx.db.$transaction(async (tx) => {
    await tx.answer.update({ where: { id: a.id }, data: { bodyJson: data.body.json, bodyText: data.body.text, editedAt: at } });
    await tx.postRevision.create({
      data: {
        answerId: a.id,
        number: await nextRevisionNumber(tx, { answerId: a.id }),
        authorId: actor.id,
        bodyJson: data.body.json,
        bodyText: data.body.text,
        summary: data.summary || "Edited",
        createdAt: at,
      },
    });
    await tx.question.update({ where: { id: a.questionId }, data: { lastActivityAt: at } });
  });
  // The author's profile now reads the answer as edited.
  if (before) {
    ctx.answerers.remove(before);
    ctx.answerers.add({ ...before, answerText: data.body.text });
  }
  await ctx.bus.publish("question.updated", { questionId: a.questionId, change: "answer-edited" });
}

export async function comment(ctx: Ctx, actor: Actor, questionId: string, input: unknown) {
  const q = await findQuestion(ctx, questionId);
  authorize(actor, "question.comment", questionRef(q), "This question was deleted; it no longer takes comments.");
  const data = parse(CommentSchema, input);
  let onAnswer: { id: string; authorId: string } | null = null;
  if (data.answerId) {
    const a = await ctx.db.answer.findUnique({ where: { id: data.answerId }, select: { id: true, questionId: true, authorId: true, deletedAt: true } });
    if (!a || a.questionId !== q.id) throw new ValidationError({ answerId: ["That answer is not on this question."] });
    if (a.deletedAt) throw new ForbiddenError("That answer was deleted; it no longer takes comments.");
    onAnswer = a;
  }
  const at = ctx.clock.now();
  const c = await ctx.db.$transaction(async (tx) => {
    const created = await tx.qaComment.create({
      data: { questionId: q.id, answerId: onAnswer?.id ?? null, authorId: actor.id, body: data.body, createdAt: at },
    });
    await tx.question.update({ where: { id: q.id }, data: { lastActivityAt: at } });
    return created;
  });
  await ctx.bus.publish("question.commented", { questionId: q.id, commentId: c.id, answerId: c.answerId, authorId: actor.id });
  const postAuthor = onAnswer?.authorId ?? q.authorId;
  if (postAuthor !== actor.id) {
    await notify(ctx, [postAuthor], {
      type: "question.commented",
      title: `${await nameOf(ctx, actor.id)} commented on your ${onAnswer ? "answer" : "question"} “${q.title}”`,
      body: data.body.slice(0, 200),
      link: link(q.id, onAnswer?.id),
    });
  }
  return { id: c.id };
}

export async function deleteComment(ctx: Ctx, actor: Actor, commentId: string) {
  const c = typeof commentId === "string" ? await ctx.db.qaComment.findUnique({ where: { id: commentId } }) : null;
  if (!c) throw new NotFoundError("That comment");
  authorize(actor, "comment.delete", { authorId: c.authorId, deleted: !!c.deletedAt }, c.deletedAt ? "This comment was already deleted." : "Only the author or an administrator can delete this comment.");
  await ctx.db.qaComment.update({ where: { id: c.id }, data: { deletedAt: ctx.clock.now(), deletedById: actor.id } });
  await ctx.bus.publish("question.updated", { questionId: c.questionId, change: "comment-deleted" });
}

// ───────────────────────────── votes and acceptance ─────────────────────────────

function voteChange(existing: { value: number } | null, value: number) {
  if (value === 0) {
    if (!existing) throw new ValidationError({ value: ["You have not voted on this."] }, "You have not voted on this.");
    return -existing.value;
  }
  if (existing?.value === value) {
    const msg = `You have already voted this ${value > 0 ? "up" : "down"}.`;
    throw new ValidationError({ value: [msg] }, msg);
  }
  return value - (existing?.value ?? 0);
}

/** Up (1), down (−1) or remove (0) your vote on a question. One vote per person; not on your own. */
export async function voteQuestion(ctx: Ctx, actor: Actor, questionId: string, input: unknown) {
  const q = await findQuestion(ctx, questionId);
  authorize(actor, "question.vote", questionRef(q), q.deletedAt ? "This question was deleted." : "You cannot vote on your own question.");
  const { value } = parse(VoteSchema, input);
  const key = { userId_questionId: { userId: actor.id, questionId: q.id } };
  const existing = await ctx.db.questionVote.findUnique({ where: key });
  const delta = voteChange(existing, value);
  const at = ctx.clock.now();
  const score = await ctx.db.$transaction(async (tx) => {
    if (value === 0) await tx.questionVote.delete({ where: key });
    else await tx.questionVote.upsert({ where: key, create: { userId: actor.id, questionId: q.id, value, votedAt: at }, update: { value, votedAt: at } });
    return (await tx.question.update({ where: { id: q.id }, data: { score: { increment: delta } }, select: { score: true } })).score;
  });
  ctx.questionsIndex.updateSignals(q.id, { score });
  await ctx.bus.publish("question.voted", { questionId: q.id, target: "question", targetId: q.id, score });
  return { score, myVote: value };
}

export async function voteAnswer(ctx: Ctx, actor: Actor, answerId: string, input: unknown) {
  const a = await findAnswer(ctx, answerId);
  const deleted = !!a.deletedAt || !!a.question.deletedAt;
  authorize(actor, "answer.vote", { authorId: a.authorId, deleted }, deleted ? "This answer was deleted." : "You cannot vote on your own answer.");
  const { value } = parse(VoteSchema, input);
  const key = { userId_answerId: { userId: actor.id, answerId: a.id } };
  const existing = await ctx.db.answerVote.findUnique({ where: key });
  const delta = voteChange(existing, value);
  const at = ctx.clock.now();
  const score = await ctx.db.$transaction(async (tx) => {
    if (value === 0) await tx.answerVote.delete({ where: key });
    else await tx.answerVote.upsert({ where: key, create: { userId: actor.id, answerId: a.id, value, votedAt: at }, update: { value, votedAt: at } });
    return (await tx.answer.update({ where: { id: a.id }, data: { score: { increment: delta } }, select: { score: true } })).score;
  });
  const skillIds = await skillIdsOf(ctx, a.questionId);
  if (existing?.value === 1) ctx.expertise.record(a.authorId, skillIds, "upvote", existing.votedAt, -1);
  if (value === 1) ctx.expertise.record(a.authorId, skillIds, "upvote", at, 1);
  await ctx.bus.publish("question.voted", { questionId: a.questionId, target: "answer", targetId: a.id, score });
  return { score, myVote: value };
}

/** Routing profiles count an accepted answer, as a rebuild from the database does: its event is replaced. */
function recordAcceptance(ctx: Ctx, event: AnswerEvent | null, accepted: boolean) {
  if (!event) return;
  ctx.answerers.remove(event);
  ctx.answerers.add({ ...event, accepted });
}

/** The asker accepts one answer (accepting another moves the mark). */
export async function acceptAnswer(ctx: Ctx, actor: Actor, answerId: string) {
  const a = await findAnswer(ctx, answerId);
  authorize(
    actor,
    "answer.accept",
    { questionAuthorId: a.question.authorId, questionDeleted: !!a.question.deletedAt, answerDeleted: !!a.deletedAt },
    actor.id !== a.question.authorId ? "Only the person who asked can accept an answer." : "This answer or its question was deleted.",
  );
  if (a.acceptedAt) throw new ValidationError({ form: ["This answer is already accepted."] }, "This answer is already accepted.");
  const recorded = await answerEventOf(ctx, a);
  const at = ctx.clock.now();
  const previous = await ctx.db.$transaction(async (tx) => {
    const prev = a.question.acceptedAnswerId
      ? await tx.answer.findUnique({
          where: { id: a.question.acceptedAnswerId },
          select: { id: true, authorId: true, questionId: true, createdAt: true, acceptedAt: true, bodyText: true },
        })
      : null;
    if (prev) await tx.answer.update({ where: { id: prev.id }, data: { acceptedAt: null } });
    await tx.answer.update({ where: { id: a.id }, data: { acceptedAt: at } });
    await tx.question.update({ where: { id: a.questionId }, data: { acceptedAnswerId: a.id, lastActivityAt: at } });
    return prev;
  });
  const skillIds = await skillIdsOf(ctx, a.questionId);
  if (previous?.acceptedAt) ctx.expertise.record(previous.authorId, skillIds, "accepted", previous.acceptedAt, -1);
  ctx.expertise.record(a.authorId, skillIds, "accepted", at, 1);
  if (previous?.acceptedAt) recordAcceptance(ctx, await answerEventOf(ctx, previous), false);
  recordAcceptance(ctx, recorded, true);
  ctx.questionsIndex.updateSignals(a.questionId, { accepted: true });
  await ctx.bus.publish("question.accepted", { questionId: a.questionId, answerId: a.id });
  const askerName = await nameOf(ctx, actor.id);
  if (a.authorId !== actor.id) {
    await notify(ctx, [a.authorId], {
      type: "answer.accepted",
      title: `${askerName} accepted your answer to “${a.question.title}”`,
      link: link(a.questionId, a.id),
    });
  }
  await notify(ctx, await followersOf(ctx, a.questionId, [actor.id, a.authorId]), {
    type: "question.accepted",
    title: `An answer was accepted on “${a.question.title}”`,
    link: link(a.questionId, a.id),
  });
}

export async function unacceptAnswer(ctx: Ctx, actor: Actor, answerId: string) {
  const a = await findAnswer(ctx, answerId);
  authorize(
    actor,
    "answer.accept",
    { questionAuthorId: a.question.authorId, questionDeleted: !!a.question.deletedAt, answerDeleted: !!a.deletedAt },
    "Only the person who asked can change the accepted answer.",
  );
  if (!a.acceptedAt) throw new ValidationError({ form: ["This answer is not the accepted one."] }, "This answer is not the accepted one.");
  const recorded = await answerEventOf(ctx, a);
  const at = ctx.clock.now();
  await ctx.db.$transaction([
    ctx.db.answer.update({ where: { id: a.id }, data: { acceptedAt: null } }),
    ctx.db.question.update({ where: { id: a.questionId }, data: { acceptedAnswerId: null, lastActivityAt: at } }),
  ]);
  ctx.expertise.record(a.authorId, await skillIdsOf(ctx, a.questionId), "accepted", a.acceptedAt, -1);
  recordAcceptance(ctx, recorded, false);
  ctx.questionsIndex.updateSignals(a.questionId, { accepted: false });
  await ctx.bus.publish("question.accepted", { questionId: a.questionId, answerId: null });
}

// ───────────────────────────── moderation ─────────────────────────────

export async function closeAsDuplicate(ctx: Ctx, actor: Actor, questionId: string, input: unknown) {
  const q = await findQuestion(ctx, questionId);
  authorize(
    actor,
    "question.closeAsDuplicate",
    questionRef(q),
    q.deletedAt
      ? "This question was deleted."
      : q.closedAt
        ? "This question is already closed."
        : "Only the asker or an administrator can close a question as a duplicate.",
  );
  const { duplicateOf } = parse(DuplicateSchema, input);
  if (duplicateOf === q.id) throw new ValidationError({ duplicateOf: ["A question cannot duplicate itself."] });
  const original = await ctx.db.question.findUnique({ where: { id: duplicateOf }, select: { id: true, title: true, deletedAt: true, duplicateOfId: true } });
  if (!original || original.deletedAt) throw new ValidationError({ duplicateOf: ["There is no such question."] });
  if (original.duplicateOfId) {
    throw new ValidationError({ duplicateOf: ["That question is itself closed as a duplicate; choose the question it points to."] });
  }
  const at = ctx.clock.now();
  await ctx.db.question.update({ where: { id: q.id }, data: { closedAt: at, closedById: actor.id, duplicateOfId: original.id, lastActivityAt: at } });
  ctx.questionsIndex.updateSignals(q.id, { duplicate: true });
  await ctx.bus.publish("question.updated", { questionId: q.id, change: "closed" });
  await ctx.bus.publish("question.updated", { questionId: original.id, change: "duplicate-linked" });
  if (q.authorId !== actor.id) {
    await notify(ctx, [q.authorId], {
      type: "question.closed",
      title: `Your question “${q.title}” was closed as a duplicate of “${original.title}”`,
      link: link(original.id),
    });
  }
}

export async function reopenQuestion(ctx: Ctx, actor: Actor, questionId: string) {
  const q = await findQuestion(ctx, questionId);
  authorize(actor, "question.reopen", questionRef(q), q.closedAt ? "Only the asker or an administrator can reopen this question." : "This question is not closed.");
  await ctx.db.question.update({ where: { id: q.id }, data: { closedAt: null, closedById: null, duplicateOfId: null, lastActivityAt: ctx.clock.now() } });
  ctx.questionsIndex.updateSignals(q.id, { duplicate: false });
  await ctx.bus.publish("question.updated", { questionId: q.id, change: "reopened" });
  if (q.duplicateOfId) await ctx.bus.publish("question.updated", { questionId: q.duplicateOfId, change: "duplicate-linked" });
}

const contributionSelect = {
  authorId: true,
  createdAt: true,
  acceptedAt: true,
  baseScore: true,
  votes: { where: { value: 1 }, select: { value: true, votedAt: true } },
} as const;

/** Soft delete: the content goes, a trace stays ("deleted by … on …, reason"). */
export async function deleteQuestion(ctx: Ctx, actor: Actor, questionId: string, input: unknown = {}) {
  const q = await findQuestion(ctx, questionId);
  authorize(actor, "question.delete", questionRef(q), q.deletedAt ? "This question was already deleted." : "Only the asker or an administrator can delete this question.");
  const { reason } = parse(DeleteSchema, input);
  await ctx.db.question.update({ where: { id: q.id }, data: { deletedAt: ctx.clock.now(), deletedById: actor.id, deleteReason: reason } });
  await ctx.questionsIndex.remove(q.id);
  const skillIds = await skillIdsOf(ctx, q.id);
  const answers = await ctx.db.answer.findMany({ where: { questionId: q.id, deletedAt: null }, select: { ...contributionSelect, bodyText: true } });
  for (const a of answers) {
    applyAnswerContributions(ctx, a, skillIds, -1);
    // Nor do its answers route questions to their authors (a rebuild reads live questions only).
    ctx.answerers.remove(answerEvent(q, a, skillIds));
  }
  await ctx.bus.publish("question.updated", { questionId: q.id, change: "deleted" });
}

export async function deleteAnswer(ctx: Ctx, actor: Actor, answerId: string, input: unknown = {}) {
  const a = await findAnswer(ctx, answerId);
  authorize(actor, "answer.delete", { authorId: a.authorId, deleted: !!a.deletedAt }, a.deletedAt ? "This answer was already deleted." : "Only the author or an administrator can delete this answer.");
  const { reason } = parse(DeleteSchema, input);
  const full = await ctx.db.answer.findUniqueOrThrow({ where: { id: a.id }, select: contributionSelect });
  const recorded = a.question.deletedAt ? null : await answerEventOf(ctx, a);
  const at = ctx.clock.now();
  const count = await ctx.db.$transaction(async (tx) => {
    await tx.answer.update({ where: { id: a.id }, data: { deletedAt: at, deletedById: actor.id, deleteReason: reason, acceptedAt: null } });
    const updated = await tx.question.update({
      where: { id: a.questionId },
      data: { answerCount: { decrement: 1 }, ...(a.question.acceptedAnswerId === a.id ? { acceptedAnswerId: null } : {}) },
      select: { answerCount: true, acceptedAnswerId: true },
    });
    return updated;
  });
  if (!a.question.deletedAt) applyAnswerContributions(ctx, full, await skillIdsOf(ctx, a.questionId), -1);
  // A deleted answer no longer routes questions to its author.
  if (recorded) ctx.answerers.remove(recorded);
  ctx.questionsIndex.updateSignals(a.questionId, { answerCount: count.answerCount, accepted: !!count.acceptedAnswerId });
  await ctx.bus.publish("question.updated", { questionId: a.questionId, change: "answer-deleted" });
}

// ───────────────────────────── routing on request ─────────────────────────────

export async function askPerson(ctx: Ctx, actor: Actor, questionId: string, input: unknown) {
  const q = await findQuestion(ctx, questionId);
  authorize(actor, "question.askPerson", questionRef(q), q.authorId !== actor.id ? "Only the asker can ask someone to help." : "This question is closed.");
  const { userId } = parse(AskPersonSchema, input);
  if (userId === actor.id) throw new ValidationError({ userId: ["Choose someone other than yourself."] });
  const person = await ctx.db.user.findUnique({ where: { id: userId }, select: { id: true, name: true, active: true } });
  if (!person || !person.active) throw new ValidationError({ userId: ["Choose an active colleague."] });
  const asker = await nameOf(ctx, actor.id);
  const reached = await deliverRoutes(
    ctx,
    { id: q.id, title: q.title, authorId: q.authorId, skillIds: await skillIdsOf(ctx, q.id) },
    [{ userId: person.id, score: 0, reason: `${asker} asked you directly` }],
    "person",
    { askerName: asker, requestedById: actor.id },
  );
  if (!reached.length) throw new ValidationError({ userId: [`${person.name} has already been asked.`] });
  await ctx.bus.publish("question.updated", { questionId: q.id, change: "routed" });
}

export async function askDepartment(ctx: Ctx, actor: Actor, questionId: string, input: unknown) {
  const q = await findQuestion(ctx, questionId);
  authorize(actor, "question.askPerson", questionRef(q), q.authorId !== actor.id ? "Only the asker can ask a department." : "This question is closed.");
  const { departmentId } = parse(AskDepartmentSchema, input);
  const dept = await ctx.db.department.findUnique({ where: { id: departmentId }, select: { id: true, name: true } });
  if (!dept) throw new ValidationError({ departmentId: ["Choose an existing department."] });
  await ctx.db.question.update({ where: { id: q.id }, data: { departmentId: dept.id } });
  const reached = await routeToDepartment(
    ctx,
    { id: q.id, title: q.title, authorId: q.authorId, skillIds: await skillIdsOf(ctx, q.id) },
    dept,
    await nameOf(ctx, actor.id),
    actor.id,
  );
  await ctx.bus.publish("question.updated", { questionId: q.id, change: "routed" });
  return { reached: reached.length };
}

// ───────────────────────────── following ─────────────────────────────

async function findTag(ctx: Ctx, name: string) {
  // The whole name: a longer one than a tag can be is no tag, not the tag its first 40 characters spell.
  const n = typeof name === "string" ? name.trim().toLowerCase() : "";
  const skill =
    (await ctx.db.skill.findUnique({ where: { name: n }, select: { id: true, name: true, label: true } })) ??
    (await ctx.db.skillSynonym.findUnique({ where: { name: n }, select: { skill: { select: { id: true, name: true, label: true } } } }))?.skill;
  if (!skill) throw new NotFoundError("That tag");
  return skill;
}

export async function followTag(ctx: Ctx, actor: Actor, name: string) {
  authorize(actor, "question.ask", null);
  const tag = await findTag(ctx, name);
  await ctx.db.tagFollow.upsert({
    where: { userId_skillId: { userId: actor.id, skillId: tag.id } },
    create: { userId: actor.id, skillId: tag.id, createdAt: ctx.clock.now() },
    update: {},
  });
}

export async function unfollowTag(ctx: Ctx, actor: Actor, name: string) {
  const tag = await findTag(ctx, name);
  await ctx.db.tagFollow.deleteMany({ where: { userId: actor.id, skillId: tag.id } });
}

export async function followQuestion(ctx: Ctx, actor: Actor, questionId: string) {
  const q = await findQuestion(ctx, questionId);
  authorize(actor, "question.follow", questionRef(q), "This question was deleted.");
  await ctx.db.questionFollow.upsert({
    where: { userId_questionId: { userId: actor.id, questionId: q.id } },
    create: { userId: actor.id, questionId: q.id, createdAt: ctx.clock.now() },
    update: {},
  });
}

export async function unfollowQuestion(ctx: Ctx, actor: Actor, questionId: string) {
  const q = await findQuestion(ctx, questionId);
  await ctx.db.questionFollow.deleteMany({ where: { userId: actor.id, questionId: q.id } });
}

// ───────────────────────────── reading ─────────────────────────────

type Trace = { at: string; by: string; reason: string } | null;

/** The question page: question, answers (accepted first, then votes), comments, routes, permissions. */
/** The question page's row, and the reader's votes and follow: prepared SQL when the context has it. */
async function readQuestionPage(ctx: Ctx, actor: Actor, questionId: string) {
  if (ctx.reads) {
    const r = await questionPageSql(ctx.reads, questionId, actor.id);
    return r && { row: r.row, myQVote: r.myVote, myAVotes: r.answerVotes, following: r.following };
  }
  const row = await ctx.db.question.findUnique({ where: { id: questionId }, select: questionPageSelect });
  if (!row) return null;
  const [qVote, myAVotes, follow] = await Promise.all([
    ctx.db.questionVote.findUnique({ where: { userId_questionId: { userId: actor.id, questionId: row.id } }, select: { value: true } }),
    ctx.db.answerVote.findMany({ where: { userId: actor.id, answerId: { in: row.answers.map((a) => a.id) } }, select: { answerId: true, value: true } }),
    ctx.db.questionFollow.findUnique({ where: { userId_questionId: { userId: actor.id, questionId: row.id } }, select: { userId: true } }),
  ]);
  return { row, myQVote: qVote?.value ?? null, myAVotes, following: !!follow };
}

export async function getQuestion(ctx: Ctx, actor: Actor, questionId: string) {
  const read = typeof questionId === "string" && questionId.length <= 60 ? await readQuestionPage(ctx, actor, questionId) : null;
  if (!read) throw new NotFoundError("That question");
  const { row: q, myQVote, myAVotes, following } = read;
  const ref = questionRef(q);
  const contentVisible = can(actor, "question.view", ref);

  const ids = new Set<string>();
  for (const id of [q.closedById, q.deletedById, ...q.answers.map((a) => a.deletedById), ...q.comments.map((c) => c.deletedById)]) if (id) ids.add(id);
  const names = ids.size === 0 ? new Map<string, string>()
    : ctx.reads ? await userNamesSql(ctx.reads, [...ids])
    : new Map((await ctx.db.user.findMany({ where: { id: { in: [...ids] } }, select: { id: true, name: true } })).map((u) => [u.id, u.name]));
  const trace = (at: Date | null, by: string | null, reason = ""): Trace => (at ? { at: at.toISOString(), by: (by && names.get(by)) || "someone", reason } : null);
  const myVote = new Map(myAVotes.map((v) => [v.answerId, v.value]));

  const presentComment = (c: (typeof q.comments)[number]) => ({
    id: c.id,
    answerId: c.answerId,
    author: presentMiniPerson(c.author),
    body: c.deletedAt ? "" : c.body,
    createdAt: c.createdAt.toISOString(),
    deleted: trace(c.deletedAt, c.deletedById),
    canDelete: can(actor, "comment.delete", { authorId: c.authorId, deleted: !!c.deletedAt }),
  });
  const comments = contentVisible ? q.comments.map(presentComment) : [];

  const answers = (contentVisible ? q.answers : [])
    .map((a) => {
      const aRef = { authorId: a.authorId, deleted: !!a.deletedAt || !!q.deletedAt };
      const showBody = !a.deletedAt || a.authorId === actor.id || actor.role === "admin";
      return {
        id: a.id,
        author: presentMiniPerson(a.author),
        body: showBody ? presentBody(a.bodyJson) : null,
        createdAt: a.createdAt.toISOString(),
        editedAt: a.editedAt?.toISOString() ?? null,
        score: a.score,
        myVote: myVote.get(a.id) ?? 0,
        accepted: !!a.acceptedAt && !a.deletedAt,
        deleted: trace(a.deletedAt, a.deletedById, a.deleteReason),
        revisionCount: a._count.revisions,
        comments: comments.filter((c) => c.answerId === a.id),
        can: {
          edit: can(actor, "answer.edit", aRef),
          delete: can(actor, "answer.delete", aRef),
          vote: can(actor, "answer.vote", aRef),
          accept: can(actor, "answer.accept", { questionAuthorId: q.authorId, questionDeleted: !!q.deletedAt, answerDeleted: !!a.deletedAt }),
          comment: !a.deletedAt && can(actor, "question.comment", ref),
        },
      };
    })
    .sort((x, y) => Number(y.accepted) - Number(x.accepted) || Number(!!x.deleted) - Number(!!y.deleted) || y.score - x.score || x.createdAt.localeCompare(y.createdAt));

  return {
    id: q.id,
    title: contentVisible ? q.title : "Deleted question",
    body: contentVisible ? presentBody(q.bodyJson) : null,
    tags: contentVisible ? presentTags(q.tags) : [],
    department: q.department,
    documentId: contentVisible ? q.documentId : null, // links are content: hidden with a deleted question's title
    insightId: contentVisible ? q.insightId : null,
    linked: contentVisible ? await presentLinks(ctx, actor, q) : { document: null, insight: null },
    author: presentMiniPerson(q.author),
    createdAt: q.createdAt.toISOString(),
    editedAt: q.editedAt?.toISOString() ?? null,
    lastActivityAt: q.lastActivityAt.toISOString(),
    score: q.score,
    myVote: myQVote ?? 0,
    answerCount: q.answerCount,
    accepted: !!q.acceptedAnswerId,
    closed: q.closedAt
      ? {
          ...trace(q.closedAt, q.closedById)!,
          duplicateOf: q.duplicateOf && !q.duplicateOf.deletedAt ? { id: q.duplicateOf.id, title: q.duplicateOf.title } : null,
        }
      : null,
    duplicates: q.duplicates,
    deleted: trace(q.deletedAt, q.deletedById, q.deleteReason),
    contentVisible,
    revisionCount: q._count.revisions,
    followerCount: q._count.follows,
    following: !!following,
    routedTo: contentVisible
      ? q.routes.map((r) => {
          const presence = ctx.presence.stateOf(r.userId);
          return { person: presentMiniPerson(r.user), kind: r.kind, reason: r.kind === "person" ? r.reason : reasonWithPresence(r.reason, presence === "online"), presence };
        })
      : [],
    comments: comments.filter((c) => !c.answerId),
    answers,
    answerBlockedReason: can(actor, "question.answer", ref) ? null : answerRefusal(q),
    isAsker: q.authorId === actor.id,
    can: {
      edit: can(actor, "question.edit", ref),
      delete: can(actor, "question.delete", ref),
      answer: can(actor, "question.answer", ref),
      comment: can(actor, "question.comment", ref),
      vote: can(actor, "question.vote", ref),
      close: can(actor, "question.closeAsDuplicate", ref),
      reopen: can(actor, "question.reopen", ref),
      askPerson: can(actor, "question.askPerson", ref),
      follow: can(actor, "question.follow", ref),
    },
  };
}
export type QuestionPage = Awaited<ReturnType<typeof getQuestion>>;

/** The values the edit form starts from. */
export async function getEditableQuestion(ctx: Ctx, actor: Actor, questionId: string) {
  const q = await findQuestion(ctx, questionId);
  authorize(actor, "question.edit", questionRef(q), "Only the asker or an administrator can edit this question.");
  const tags = await ctx.db.questionTag.findMany({ where: { questionId: q.id }, select: { skill: { select: { name: true } } } });
  return {
    id: q.id,
    title: q.title,
    bodyJson: q.bodyJson,
    bodyText: q.bodyText,
    tags: tags.map((t) => t.skill.name).sort(),
    departmentId: q.departmentId,
    documentId: q.documentId,
    insightId: q.insightId,
  };
}

export async function getEditableAnswer(ctx: Ctx, actor: Actor, answerId: string) {
  const a = await findAnswer(ctx, answerId);
  authorize(actor, "answer.edit", { authorId: a.authorId, deleted: !!a.deletedAt || !!a.question.deletedAt }, "Only the author or an administrator can edit this answer.");
  return { id: a.id, questionId: a.questionId, questionTitle: a.question.title, bodyJson: a.bodyJson, bodyText: a.bodyText };
}

export interface QuestionList {
  items: QuestionSummary[];
  total: number;
  page: number;
  pageSize: number;
  sort: string;
  tag: { name: string; label: string } | null;
  unknownTag: string | null;
  departmentId: string | null;
  note: string | null;
}

export async function listQuestions(ctx: Ctx, actor: Actor, input: unknown): Promise<QuestionList> {
  const q = parse(ListQuerySchema, input);
  const base = { page: q.page, pageSize: PAGE_SIZE, sort: q.sort, departmentId: q.department ?? null };
  let tag: { id: string; name: string; label: string } | null = null;
  if (q.tag) {
    try {
      tag = await findTag(ctx, q.tag);
    } catch {
      return { ...base, items: [], total: 0, tag: null, unknownTag: q.tag, note: null };
    }
  }
  const where: Record<string, unknown> = { deletedAt: null };
  if (tag) where.tags = { some: { skillId: tag.id } };
  if (q.department) where.departmentId = q.department;
  let orderBy: Record<string, "asc" | "desc">[] = [{ createdAt: "desc" }];
  let note: string | null = null;
  switch (q.sort) {
    case "active":
      orderBy = [{ lastActivityAt: "desc" }];
      break;
    case "votes":
      orderBy = [{ score: "desc" }, { createdAt: "desc" }];
      break;
    case "unanswered":
      where.answerCount = 0;
      where.closedAt = null;
      break;
    case "department":
      if (!actor.departmentId) {
        return { ...base, items: [], total: 0, tag: tag && { name: tag.name, label: tag.label }, unknownTag: null, note: "You are not in a department yet, so no question is waiting for yours." };
      }
      where.departmentId = actor.departmentId;
      where.acceptedAnswerId = null;
      where.closedAt = null;
      note = "Questions asked of your department that have no accepted answer yet.";
      break;
  }
  const [total, rows] = ctx.reads
    ? await summaryPageSql(
        ctx.reads,
        {
          tagId: tag?.id,
          departmentId: q.sort === "department" ? (actor.departmentId ?? undefined) : q.department,
          unanswered: q.sort === "unanswered",
          openForDepartment: q.sort === "department",
        },
        q.sort === "active" ? "active" : q.sort === "votes" ? "votes" : "newest",
        PAGE_SIZE,
        (q.page - 1) * PAGE_SIZE,
      ).then((r) => [r.total, r.rows] as const)
    : await Promise.all([
        ctx.db.question.count({ where }),
        ctx.db.question.findMany({ where, orderBy, skip: (q.page - 1) * PAGE_SIZE, take: PAGE_SIZE, include: summaryInclude }),
      ]);
  return { ...base, items: rows.map(presentSummary), total, tag: tag && { name: tag.name, label: tag.label }, unknownTag: null, note };
}

/** Questions like the one being typed (title, body, tags), accepted and well-voted first. */
export async function similarQuestions(ctx: Ctx, actor: Actor, input: unknown, limit = 6): Promise<QuestionSummary[]> {
  authorize(actor, "question.ask", null);
  const data = parse(SimilarQuerySchema, input);
  const typed = data.tags.split(",").map((t) => t.trim().toLowerCase()).filter(Boolean).slice(0, 5);
  // A synonym typed as a tag searches as its skill ("k8s" → kubernetes).
  const synonyms = typed.length
    ? await ctx.db.skillSynonym.findMany({ where: { name: { in: typed } }, select: { name: true, skill: { select: { name: true } } } })
    : [];
  const tags = [...typed, ...synonyms.map((s) => s.skill.name)];
  const hits = ctx.questionsIndex.similar({ title: data.title, body: data.body, tags }, { limit, exclude: data.exclude });
  if (!hits.length) return [];
  const rows = await ctx.db.question.findMany({ where: { id: { in: hits.map((h) => h.id) }, deletedAt: null }, include: summaryInclude });
  const order = new Map(hits.map((h, i) => [h.id, i]));
  return rows.sort((a, b) => order.get(a.id)! - order.get(b.id)!).map(presentSummary);
}

// ── search cold start (decision 061) ──
/** While a large similar-questions index fills after a restart: how far it is (null once complete). */
export function similarIndexing(ctx: Ctx, actor: Actor): { done: number; total: number } | null {
  authorize(actor, "question.ask", null);
  return ctx.questionsIndex.ready ? null : { ...ctx.questionsIndex.progress };
}

/** For moderators (admins, and the asker): likely duplicates of a posted question. */
export async function duplicateSuggestions(ctx: Ctx, actor: Actor, questionId: string): Promise<QuestionSummary[]> {
  const q = await findQuestion(ctx, questionId);
  if (!can(actor, "question.closeAsDuplicate", questionRef(q))) return [];
  const tags = await ctx.db.questionTag.findMany({ where: { questionId: q.id }, select: { skill: { select: { name: true } } } });
  return similarQuestions(ctx, actor, { title: q.title, body: q.bodyText.slice(0, 2000), tags: tags.map((t) => t.skill.name).join(","), exclude: q.id }, 5);
}

/** Revision history of a question (and, with `answerId`, of one of its answers). Anyone who can see the question can see it. */
export async function listRevisions(ctx: Ctx, actor: Actor, questionId: string, answerId?: string | null) {
  const q = await findQuestion(ctx, questionId);
  authorize(actor, "question.view", questionRef(q), "This question was deleted.");
  let answer: { id: string; author: string } | null = null;
  if (answerId) {
    const a = await ctx.db.answer.findUnique({ where: { id: answerId }, select: { id: true, questionId: true, deletedAt: true, authorId: true, author: { select: { name: true } } } });
    if (!a || a.questionId !== q.id) throw new NotFoundError("That answer");
    if (a.deletedAt && a.authorId !== actor.id && actor.role !== "admin") throw new ForbiddenError("This answer was deleted.");
    answer = { id: a.id, author: a.author.name };
  }
  const rows = await ctx.db.postRevision.findMany({
    where: answer ? { answerId: answer.id } : { questionId: q.id },
    orderBy: { number: "desc" },
    include: { author: { select: miniPersonSelect } },
  });
  return {
    question: { id: q.id, title: q.title },
    answer,
    revisions: rows.map((r) => ({
      id: r.id,
      number: r.number,
      author: presentMiniPerson(r.author),
      title: r.title,
      tags: JSON.parse(r.tags) as string[],
      body: presentBody(r.bodyJson),
      bodyText: r.bodyText,
      summary: r.summary,
      createdAt: r.createdAt.toISOString(),
    })),
  };
}

// ───────────────────────────── tags and expertise ─────────────────────────────

export async function getTag(ctx: Ctx, actor: Actor, name: string) {
  const tag = await findTag(ctx, name);
  const [info, followers, following, questionCount, synonyms] = await Promise.all([
    ctx.db.tagInfo.findUnique({ where: { skillId: tag.id } }),
    ctx.db.tagFollow.count({ where: { skillId: tag.id } }),
    ctx.db.tagFollow.findUnique({ where: { userId_skillId: { userId: actor.id, skillId: tag.id } } }),
    ctx.db.questionTag.count({ where: { skillId: tag.id, question: { deletedAt: null } } }),
    ctx.db.skillSynonym.findMany({ where: { skillId: tag.id }, select: { name: true }, orderBy: { name: "asc" } }),
  ]);
  const top = ctx.expertise.top(tag.id, ctx.clock.now(), 30);
  const people = await ctx.db.user.findMany({ where: { id: { in: top.map((t) => t.userId) }, active: true }, select: miniPersonSelect });
  const byId = new Map(people.map((p) => [p.id, p]));
  const topAnswerers = top
    .filter((t) => byId.has(t.userId))
    .slice(0, 8)
    .map((t) => ({ person: presentMiniPerson(byId.get(t.userId)!), accepted: t.accepted, upvotes: t.upvotes }));
  return {
    name: tag.name,
    label: tag.label,
    description: info?.description ?? "",
    synonyms: synonyms.map((s) => s.name),
    followers,
    following: !!following,
    questionCount,
    topAnswerers,
    canDescribe: can(actor, "tag.describe", null),
  };
}

export async function describeTag(ctx: Ctx, actor: Actor, name: string, input: unknown) {
  authorize(actor, "tag.describe", null, "Only administrators can describe tags.");
  const tag = await findTag(ctx, name);
  const { description } = parse(TagDescriptionSchema, input);
  await ctx.db.tagInfo.upsert({
    where: { skillId: tag.id },
    create: { skillId: tag.id, description, updatedAt: ctx.clock.now() },
    update: { description, updatedAt: ctx.clock.now() },
  });
}

/** Tag names for the ask form's suggestions: the skills vocabulary, most-used tags first. */
export async function tagSuggestions(ctx: Ctx, _actor: Actor, limit = 500) {
  const skills = await ctx.db.skill.findMany({
    select: { name: true, _count: { select: { questionTags: true, holders: true } } },
    take: 5_000,
  });
  return skills
    .sort((a, b) => b._count.questionTags + b._count.holders - (a._count.questionTags + a._count.holders) || a.name.localeCompare(b.name))
    .slice(0, limit)
    .map((s) => s.name);
}

/** Demonstrated expertise for a profile: "12 accepted answers on saml", by tag. */
export async function expertiseOf(ctx: Ctx, _actor: Actor, userId: string) {
  if (ctx.reads) return (await expertiseSql(ctx.reads, userId)).sort(byExpertise).slice(0, 12);
  const answers = await ctx.db.answer.findMany({
    where: { authorId: userId, deletedAt: null, question: { deletedAt: null } },
    select: { acceptedAt: true, score: true, question: { select: { tags: { select: { skill: { select: { name: true, label: true } } } } } } },
    take: 20_000,
  });
  const byTag = new Map<string, { tag: string; label: string; answers: number; accepted: number; upvotes: number }>();
  for (const a of answers) {
    for (const t of a.question.tags) {
      let e = byTag.get(t.skill.name);
      if (!e) byTag.set(t.skill.name, (e = { tag: t.skill.name, label: t.skill.label, answers: 0, accepted: 0, upvotes: 0 }));
      e.answers++;
      if (a.acceptedAt) e.accepted++;
      e.upvotes += Math.max(0, a.score);
    }
  }
  return [...byTag.values()].sort(byExpertise).slice(0, 12);
}
type Expertise = { tag: string; label: string; answers: number; accepted: number; upvotes: number };
const byExpertise = (a: Expertise, b: Expertise) => b.accepted - a.accepted || b.upvotes - a.upvotes || b.answers - a.answers || a.tag.localeCompare(b.tag);

/** Questions a person was asked to look at (routed), newest first, for their own list. */
export async function routedToMe(ctx: Ctx, actor: Actor, limit = 10) {
  if (ctx.reads) return (await routedSummariesSql(ctx.reads, actor.id, limit)).map((r) => ({ ...presentSummary(r), reason: r.reason }));
  const rows = await ctx.db.questionRoute.findMany({
    where: { userId: actor.id, question: { deletedAt: null, acceptedAnswerId: null, closedAt: null } },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: limit,
    include: { question: { include: summaryInclude } },
  });
  return rows.map((r) => ({ ...presentSummary(r.question), reason: r.reason }));
}
