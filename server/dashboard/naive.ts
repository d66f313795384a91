/**
 * The naive peer of computeMetrics: load every row of the period with Prisma and compute in
 * JavaScript. Used by the benchmark (bench/dashboard.ts) for the ratio, and by the tests as an
 * independent check of the SQL. Same definitions (decision 071).
 */
import type { Db } from "../db.js";
import type { Metrics, MetricsInput, Percentiles, TeamInsightFigures, WeekFigures } from "./metrics.js";

const DAY_S = 86_400;
const WEEK_MS = 7 * 86_400_000;
/** Durations to a tenth of a second, as the SQL rounds them. */
const round = (s: number) => Math.round(s * 10) / 10;

/** Nearest-rank percentiles; open items count at their age so far. */
export function percentiles(items: { secs: number; open: boolean }[]): Percentiles {
  const s = [...items].sort((a, b) => a.secs - b.secs || Number(a.open) - Number(b.open));
  const n = s.length;
  const at = (p: number) => s[Math.ceil((n * p) / 100) - 1];
  const p50 = n ? at(50)! : null;
  const p90 = n ? at(90)! : null;
  return { n, open: s.filter((x) => x.open).length, p50: p50?.secs ?? null, p50Open: p50?.open ?? false, p90: p90?.secs ?? null, p90Open: p90?.open ?? false };
}

export async function naiveMetrics(db: Db, input: MetricsInput): Promise<Metrics> {
  const { from, to, asOf, departmentId: dept } = input;
  const range = { gte: from, lt: to };
  const users = await db.user.findMany({ select: { id: true, departmentId: true, active: true } });
  const deptOf = new Map(users.map((u) => [u.id, u.departmentId]));
  const inScope = (userId: string) => !dept || deptOf.get(userId) === dept;

  const qs = (await db.question.findMany({ where: { deletedAt: null, createdAt: range }, include: { answers: true } })).filter((q) => inScope(q.authorId));
  const items = qs.map((q) => {
    const others = q.answers.filter((a) => !a.deletedAt && a.authorId !== q.authorId);
    const first = others.length ? Math.min(...others.map((a) => a.createdAt.getTime())) : null;
    const secs = round(((first ?? asOf.getTime()) - q.createdAt.getTime()) / 1000);
    return { secs, open: first === null, accepted: others.some((a) => a.id === q.acceptedAnswerId), week: Math.floor((q.createdAt.getTime() - from.getTime()) / WEEK_MS) };
  });
  const withinDay = (xs: typeof items) => xs.filter((x) => !x.open && x.secs <= DAY_S).length;
  const eligible = (xs: typeof items) => xs.filter((x) => !x.open || x.secs >= DAY_S).length;
  const weekNos = [...new Set(items.map((i) => i.week))].sort((a, b) => a - b);
  const weeks: WeekFigures[] = weekNos.map((week) => {
    const xs = items.filter((i) => i.week === week);
    return { week, start: new Date(from.getTime() + week * WEEK_MS).toISOString().slice(0, 10), asked: xs.length, withinDay: withinDay(xs), eligible: eligible(xs), ttfaP50: percentiles(xs).p50 };
  });
  const answered = items.filter((i) => !i.open).length;

  const teams = await db.team.findMany({ where: dept ? { departmentId: dept } : {}, orderBy: { name: "asc" } });
  const teamIds = new Set(teams.map((t) => t.id));
  const insights = (await db.insight.findMany({ where: { createdAt: range }, include: { routes: true } })).filter((i) => i.routes.some((r) => teamIds.has(r.teamId)));
  const fig = (teamId: string, teamName: string, departmentId: string | null, list: typeof insights): TeamInsightFigures => {
    const ackAt = (i: (typeof list)[number]) => i.acknowledgedAt ?? i.resolvedAt;
    return {
      teamId,
      teamName,
      departmentId,
      insights: list.length,
      ack: percentiles(list.map((i) => ({ secs: round(((ackAt(i) ?? asOf).getTime() - i.createdAt.getTime()) / 1000), open: !ackAt(i) }))),
      resolve: percentiles(list.map((i) => ({ secs: round(((i.resolvedAt ?? asOf).getTime() - i.createdAt.getTime()) / 1000), open: !i.resolvedAt }))),
      ackBreaches: list.filter((i) => i.ackBreachedAt).length,
      resolveBreaches: list.filter((i) => i.resolveBreachedAt).length,
    };
  };

  const contributors = new Set<string>();
  for (const q of qs) contributors.add(q.authorId);
  const [answers, comments, docComments, revisions, events] = await Promise.all([
    db.answer.findMany({ where: { deletedAt: null, createdAt: range }, include: { question: { select: { authorId: true, deletedAt: true } } } }),
    db.qaComment.findMany({ where: { deletedAt: null, createdAt: range }, select: { authorId: true } }),
    db.docComment.findMany({ where: { createdAt: range }, select: { authorId: true } }),
    db.docRevision.findMany({ where: { createdAt: range }, select: { docId: true, contributorIds: true, doc: { select: { deletedAt: true } } } }),
    db.insightEvent.findMany({ where: { createdAt: range, actorId: { not: null }, type: { notIn: ["created", "routed"] } }, select: { actorId: true } }),
  ]);
  const allQuestions = await db.question.findMany({ where: { deletedAt: null, createdAt: range }, select: { authorId: true } });
  for (const x of [...allQuestions, ...answers, ...comments, ...docComments]) contributors.add(x.authorId);
  for (const e of events) contributors.add(e.actorId!);
  const docDepts = new Map<string, Set<string>>();
  for (const r of revisions) {
    for (const id of JSON.parse(r.contributorIds) as string[]) {
      contributors.add(id);
      const d = deptOf.get(id);
      if (d && !r.doc.deletedAt) (docDepts.get(r.docId) ?? docDepts.set(r.docId, new Set()).get(r.docId)!).add(d);
    }
  }
  const active = users.filter((u) => u.active && contributors.has(u.id) && inScope(u.id)).length;
  const staff = users.filter((u) => u.active && inScope(u.id)).length;
  const cross = [...docDepts.values()].filter((s) => s.size >= 2 && (!dept || s.has(dept)));

  const matrix = new Map<string, number>();
  for (const a of answers) {
    if (a.question.deletedAt || a.authorId === a.question.authorId) continue;
    const k = `${deptOf.get(a.question.authorId) ?? ""}|${deptOf.get(a.authorId) ?? ""}`;
    matrix.set(k, (matrix.get(k) ?? 0) + 1);
  }

  return {
    questions: {
      asked: items.length,
      answered,
      open: items.length - answered,
      accepted: items.filter((i) => i.accepted).length,
      withinDay: withinDay(items),
      eligible: eligible(items),
      ttfa: percentiles(items),
      weeks,
    },
    insights: {
      total: fig("*", "All teams", dept, insights),
      teams: teams.map((t) => fig(t.id, t.name, t.departmentId, insights.filter((i) => i.routes.some((r) => r.teamId === t.id)))),
      weeks: [...new Set(insights.map((i) => Math.floor((i.createdAt.getTime() - from.getTime()) / WEEK_MS)))]
        .sort((a, b) => a - b)
        .map((week) => {
          const list = insights.filter((i) => Math.floor((i.createdAt.getTime() - from.getTime()) / WEEK_MS) === week);
          return { week, start: new Date(from.getTime() + week * WEEK_MS).toISOString().slice(0, 10), insights: list.length, ackP50: fig("*", "", null, list).ack.p50 };
        }),
    },
    contributors: { active, staff, byDepartment: [] },
    helpMatrix: [...matrix].map(([k, n]) => {
      const [a, b] = k.split("|");
      return { askerDepartmentId: a || null, answererDepartmentId: b || null, answers: n };
    }),
    coauthored: { documents: cross.length, byDepartment: [] },
  };
}
