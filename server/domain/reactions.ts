/**
 * Reactions (decision 066): a fixed set of keys, one of each per person per question,
 * answer or insight, toggled on and off. Reacting needs read access (policy "reaction.toggle").
 */
import { REACTION_KEYS, ReactionToggleSchema, type ReactionCount, type ReactionKey, type ReactionTarget } from "../../app/schemas/feed.js";
import { groupsOf, inGroup, type SqlReads } from "../db-reads.js";
import { authorize, type Actor, type ReactableRef } from "../policy.js";
import { parse, type Ctx } from "./context.js";
import { NotFoundError } from "./errors.js";

/** How many names a count carries (tooltip and screen-reader label); the count itself is exact. */
const NAMES_SHOWN = 10;

async function reactable(ctx: Ctx, type: ReactionTarget, id: string): Promise<ReactableRef | null> {
  if (type === "question") {
    const q = await ctx.db.question.findUnique({ where: { id }, select: { authorId: true, deletedAt: true } });
    return q && { kind: type, authorId: q.authorId, deleted: !!q.deletedAt };
  }
  if (type === "answer") {
    const a = await ctx.db.answer.findUnique({ where: { id }, select: { authorId: true, deletedAt: true, question: { select: { deletedAt: true } } } });
    return a && { kind: type, authorId: a.authorId, deleted: !!a.deletedAt || !!a.question.deletedAt };
  }
  const i = await ctx.db.insight.findUnique({ where: { id }, select: { postedById: true } });
  return i && { kind: type, authorId: i.postedById ?? "", deleted: false };
}

const NOUN: Record<ReactionTarget, string> = { question: "That question", answer: "That answer", insight: "That insight" };

/** Turns a reaction on, or off when it is already there. Bad keys are a 422 and nothing is written. */
export async function toggleReaction(ctx: Ctx, actor: Actor, input: unknown) {
  const { targetType, targetId, key } = parse(ReactionToggleSchema, input);
  const ref = await reactable(ctx, targetType, targetId);
  if (!ref) throw new NotFoundError(NOUN[targetType]);
  authorize(actor, "reaction.toggle", ref, `This ${targetType} was deleted; it no longer takes reactions.`);
  const where = { userId_targetType_targetId_key: { userId: actor.id, targetType, targetId, key } };
  const removed = await ctx.db.reaction.deleteMany({ where: { userId: actor.id, targetType, targetId, key } });
  const on = removed.count === 0;
  // Two clicks racing both find nothing to delete: the unique key keeps one row.
  if (on) await ctx.db.reaction.upsert({ where, create: { userId: actor.id, targetType, targetId, key, createdAt: ctx.clock.now() }, update: {} });
  const counts = (await reactionCounts(ctx, [{ targetType, targetId }], actor.id)).get(`${targetType}:${targetId}`) ?? [];
  await ctx.bus.publish("reaction.changed", {
    targetType,
    targetId,
    userId: actor.id,
    key,
    on,
    counts: counts.map(({ key: k, count, names }) => ({ key: k, count, names })),
  });
  return { on, counts };
}

const REACTIONS_SQL = `SELECT r."targetType", r."targetId", r."key", r."userId", u."name" FROM "Reaction" r JOIN "User" u ON u."id" = r."userId"
  WHERE r."targetType" = ? AND r."targetId" IN ${inGroup} ORDER BY r."createdAt", r."id"`;

/** The page's read as prepared SQL (decision 175): one statement per target type and group of ids; rows in reaction order. */
async function reactionRowsSql(reads: SqlReads, byType: Map<ReactionTarget, string[]>) {
  const rows: { targetType: string; targetId: string; key: string; userId: string; user: { name: string } }[] = [];
  for (const [targetType, ids] of byType)
    for (const group of groupsOf([...new Set(ids)]))
      for (const r of await reads.all<{ targetType: string; targetId: string; key: string; userId: string; name: string }>(REACTIONS_SQL, targetType, ...group))
        rows.push({ targetType: r.targetType, targetId: r.targetId, key: r.key, userId: r.userId, user: { name: r.name } });
  return rows;
}

/**
 * Counts per target, keyed "type:id", in the fixed key order, with the first names and whether
 * `viewerId` reacted. Callers only pass targets the viewer may read.
 */
export async function reactionCounts(
  ctx: Pick<Ctx, "db" | "reads">,
  targets: { targetType: ReactionTarget; targetId: string }[],
  viewerId: string,
): Promise<Map<string, ReactionCount[]>> {
  const out = new Map<string, ReactionCount[]>();
  if (!targets.length) return out;
  const byType = new Map<ReactionTarget, string[]>();
  for (const t of targets) byType.set(t.targetType, [...(byType.get(t.targetType) ?? []), t.targetId]);
  const rows = ctx.reads ? await reactionRowsSql(ctx.reads, byType) : await ctx.db.reaction.findMany({
    where: { OR: [...byType].map(([targetType, ids]) => ({ targetType, targetId: { in: ids } })) },
    orderBy: { createdAt: "asc" },
    select: { targetType: true, targetId: true, key: true, userId: true, user: { select: { name: true } } },
  });
  const acc = new Map<string, Map<string, ReactionCount>>();
  for (const r of rows) {
    const id = `${r.targetType}:${r.targetId}`;
    let m = acc.get(id);
    if (!m) acc.set(id, (m = new Map()));
    let c = m.get(r.key);
    if (!c) m.set(r.key, (c = { key: r.key as ReactionKey, count: 0, names: [], mine: false }));
    c.count++;
    if (c.names.length < NAMES_SHOWN) c.names.push(r.user.name);
    if (r.userId === viewerId) c.mine = true;
  }
  for (const [id, m] of acc) out.set(id, REACTION_KEYS.filter((k) => m.has(k)).map((k) => m.get(k)!));
  return out;
}

/** For pages: the viewer's counts on a set of targets (question page: the question and its answers). */
export async function listReactions(ctx: Ctx, actor: Actor, targets: { targetType: ReactionTarget; targetId: string }[]) {
  return Object.fromEntries(await reactionCounts(ctx, targets.slice(0, 500), actor.id));
}
