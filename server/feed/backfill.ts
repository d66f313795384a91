/**
 * Fills the activity log (decision 065) from what already exists — questions, answers,
 * acceptances, routes, documents and routed insights — when it is empty: on first start after
 * this feature arrives, and after the demo seed (which writes rows directly, without events).
 */
import type { Db } from "../db.js";

type Row = {
  kind: string;
  createdAt: Date;
  actorId: string | null;
  departmentId: string | null;
  targetUserId?: string | null;
  questionId?: string | null;
  answerId?: string | null;
  docId?: string | null;
  spaceId?: string | null;
  insightId?: string | null;
};

/** Writes the history once; returns how many rows (0 when the log already had any). */
export async function backfillActivity(db: Db): Promise<number> {
  if (await db.activityItem.count()) return 0;
  const dept = new Map((await db.user.findMany({ select: { id: true, departmentId: true } })).map((u) => [u.id, u.departmentId]));
  const of = (id: string | null) => (id ? (dept.get(id) ?? null) : null);
  const [questions, answers, routes, docs, insights] = await Promise.all([
    db.question.findMany({ where: { deletedAt: null }, select: { id: true, authorId: true, createdAt: true } }),
    db.answer.findMany({ where: { deletedAt: null }, select: { id: true, questionId: true, authorId: true, createdAt: true, acceptedAt: true, question: { select: { authorId: true } } } }),
    db.questionRoute.findMany({ select: { questionId: true, userId: true, createdAt: true, question: { select: { authorId: true } } } }),
    db.document.findMany({ where: { deletedAt: null }, select: { id: true, ownerId: true, spaceId: true, createdAt: true, lastEditedAt: true, lastEditedById: true } }),
    db.insight.findMany({ where: { routes: { some: {} } }, select: { id: true, postedById: true, createdAt: true } }),
  ]);
  const rows: Row[] = [
    ...questions.map((q) => ({ kind: "question.asked", createdAt: q.createdAt, actorId: q.authorId, departmentId: of(q.authorId), questionId: q.id })),
    ...answers.map((a) => ({ kind: "answer.posted", createdAt: a.createdAt, actorId: a.authorId, departmentId: of(a.authorId), questionId: a.questionId, answerId: a.id })),
    ...answers
      .filter((a) => a.acceptedAt)
      .map((a) => ({ kind: "answer.accepted", createdAt: a.acceptedAt!, actorId: a.question.authorId, departmentId: of(a.question.authorId), questionId: a.questionId, answerId: a.id })),
    ...routes.map((r) => ({ kind: "question.routed", createdAt: r.createdAt, actorId: r.question.authorId, departmentId: of(r.question.authorId), targetUserId: r.userId, questionId: r.questionId })),
    ...docs.map((d) => ({ kind: "doc.created", createdAt: d.createdAt, actorId: d.ownerId, departmentId: of(d.ownerId), docId: d.id, spaceId: d.spaceId })),
    ...docs
      .filter((d) => d.lastEditedById && d.lastEditedAt && d.lastEditedAt.getTime() - d.createdAt.getTime() > 3_600_000)
      .map((d) => ({ kind: "doc.edited", createdAt: d.lastEditedAt!, actorId: d.lastEditedById, departmentId: of(d.lastEditedById), docId: d.id, spaceId: d.spaceId })),
    ...insights.map((i) => ({ kind: "insight.routed", createdAt: i.createdAt, actorId: i.postedById, departmentId: of(i.postedById), insightId: i.id })),
  ];
  for (let i = 0; i < rows.length; i += 500) await db.activityItem.createMany({ data: rows.slice(i, i + 500) });
  return rows.length;
}
