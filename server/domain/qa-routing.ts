/**
 * Routing a question to the colleagues most likely to know: ranks (qa-ranking.ts), keeps only
 * active people, records whom it was routed to and why, and notifies them (live bell).
 */
import type { Ctx } from "./context.js";
import { explain, rankWithHistory, type ExpertCandidate, type HistoryVisit } from "./qa-ranking.js";
import type { SkillLevel } from "../../app/schemas/people.js";
import { notify } from "./notifications.js";

export interface RoutableQuestion {
  id: string;
  title: string;
  authorId: string;
  skillIds: string[];
  /** Title and body opening: matched against what people answered before. */
  text?: string;
}

export interface RankOptions {
  limit: number;
  exclude?: Iterable<string>;
  within?: ReadonlySet<string>;
}

/**
 * The top `limit` colleagues who can be reached (active people and imported placeholders) for a
 * question: declared and demonstrated expertise on its tags (qa-ranking.ts), plus what they
 * answered before — the words of those questions, their tags, how recently and how quickly
 * (AnswererIndex). A question whose tags nobody has used still reaches people through its words.
 */
export async function rankForQuestion(ctx: Ctx, q: RoutableQuestion, opts: RankOptions): Promise<ExpertCandidate[]> {
  if (opts.limit <= 0) return [];
  const now = ctx.clock.now();
  const declared = await ctx.expertise.declaredFor(q.skillIds, (missing) =>
    ctx.db.userSkill.findMany({ where: { skillId: { in: missing } }, select: { userId: true, skillId: true, level: true } }),
  );
  const input = {
    skillIds: q.skillIds,
    declared: declared as { userId: string; skillId: string; level: SkillLevel }[],
    demonstrated: (skillId: string) => ctx.expertise.people(skillId, now),
    exclude: new Set([q.authorId, ...(opts.exclude ?? [])]),
    within: opts.within,
    isOnline: (id: string) => ctx.presence.stateOf(id) === "online",
  };
  const history = (visit: HistoryVisit) => ctx.answerers.each({ text: q.text ?? q.title, tags: q.skillIds, at: now, exclude: input.exclude }, visit);
  // Enough spare candidates for the few that turn out inactive; everyone in order only if not.
  const spare = opts.limit * 10;
  const first = rankWithHistory(input, history, spare);
  const chosen = await keepReachable(ctx, first, opts.limit);
  if (chosen.length < opts.limit && first.length >= spare) return keepReachable(ctx, rankWithHistory(input, history, Infinity), opts.limit);
  return chosen;
}

async function keepReachable(ctx: Ctx, ranked: ExpertCandidate[], limit: number): Promise<ExpertCandidate[]> {
  // People who left (inactive, not imported) are skipped, checked a slice at a time so a popular
  // tag does not mean one huge IN (...) query. Imported placeholders stay: their history is why
  // they are chosen, and linking them to an account carries the route over.
  const chosen: ExpertCandidate[] = [];
  const SLICE = Math.max(10, limit * 4);
  for (let i = 0; i < ranked.length && chosen.length < limit; i += SLICE) {
    const slice = ranked.slice(i, i + SLICE);
    const active = new Set(
      (
        await ctx.db.user.findMany({
          where: { id: { in: slice.map((c) => c.userId) }, OR: [{ active: true }, { deactivatedAt: null, importedIdentities: { some: {} } }] },
          select: { id: true },
        })
      ).map((u) => u.id),
    );
    for (const c of slice) if (active.has(c.userId) && chosen.length < limit) chosen.push(c);
  }
  return chosen;
}

async function tagNamer(ctx: Ctx, skillIds: string[]) {
  const skills = await ctx.db.skill.findMany({ where: { id: { in: skillIds } }, select: { id: true, name: true } });
  const names = new Map(skills.map((s) => [s.id, s.name]));
  return (id: string) => names.get(id) ?? "this topic";
}

export interface Routed {
  userId: string;
  reason: string;
}

/**
 * Records routes for the chosen people (skipping anyone the question already reached) and
 * notifies them. Returns whom it reached.
 */
export async function deliverRoutes(
  ctx: Ctx,
  q: RoutableQuestion,
  chosen: { userId: string; score: number; reason: string }[],
  kind: "auto" | "person" | "department",
  meta: { askerName: string; requestedById: string | null },
): Promise<Routed[]> {
  if (!chosen.length) return [];
  const already = new Set(
    (await ctx.db.questionRoute.findMany({ where: { questionId: q.id, userId: { in: chosen.map((c) => c.userId) } }, select: { userId: true } })).map(
      (r) => r.userId,
    ),
  );
  const fresh = chosen.filter((c) => !already.has(c.userId));
  if (!fresh.length) return [];
  const at = ctx.clock.now();
  await ctx.db.questionRoute.createMany({
    data: fresh.map((c) => ({
      questionId: q.id,
      userId: c.userId,
      kind,
      reason: c.reason.slice(0, 300),
      score: c.score,
      requestedById: meta.requestedById,
      createdAt: at,
    })),
  });
  for (const c of fresh) {
    await notify(ctx, [c.userId], {
      type: "question.routed",
      title: kind === "auto" ? `A question you may know: “${q.title}”` : `${meta.askerName} asks for your help: “${q.title}”`,
      body: c.reason ? `${meta.askerName} asked. Why you: ${c.reason}.` : `${meta.askerName} asked.`,
      link: `/questions/${q.id}`,
    });
  }
  await ctx.bus.publish("question.routed", { questionId: q.id, userIds: fresh.map((c) => c.userId), at: at.toISOString() });
  return fresh.map((c) => ({ userId: c.userId, reason: c.reason }));
}

/** On posting: the top N (QA_ROUTE_TOP_N) colleagues by declared and demonstrated expertise. */
export async function routeToExperts(ctx: Ctx, q: RoutableQuestion, askerName: string): Promise<Routed[]> {
  const chosen = await rankForQuestion(ctx, q, { limit: ctx.env.QA_ROUTE_TOP_N });
  const name = await tagNamer(ctx, q.skillIds);
  return deliverRoutes(
    ctx,
    q,
    chosen.map((c) => ({ userId: c.userId, score: c.score, reason: explain(c, name) })),
    "auto",
    { askerName, requestedById: null },
  );
}

/** "Ask a department": its members most likely to know; if none has a matching skill, its first members. */
export async function routeToDepartment(
  ctx: Ctx,
  q: RoutableQuestion,
  department: { id: string; name: string },
  askerName: string,
  requestedById: string,
): Promise<Routed[]> {
  const members = await ctx.db.user.findMany({
    where: { departmentId: department.id, active: true, id: { not: q.authorId } },
    select: { id: true },
    orderBy: { name: "asc" },
  });
  const within = new Set(members.map((m) => m.id));
  const limit = Math.max(1, ctx.env.QA_ROUTE_TOP_N);
  const ranked = await rankForQuestion(ctx, q, { limit, within });
  const name = await tagNamer(ctx, q.skillIds);
  const chosen = ranked.map((c) => ({ userId: c.userId, score: c.score, reason: `${department.name} was asked · ${explain(c, name)}` }));
  for (const m of members) {
    if (chosen.length >= limit) break;
    if (!chosen.some((c) => c.userId === m.id)) chosen.push({ userId: m.id, score: 0, reason: `${department.name} was asked` });
  }
  return deliverRoutes(ctx, q, chosen, "department", { askerName, requestedById });
}
