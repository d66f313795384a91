/**
 * Demo data for the involvement dashboard (story 4): the chief operating officer (Daniel
 * Weiss) becomes a leader with a demo login, and ten weeks of dated activity — the questions
 * people asked across departments and the answers they got (prisma/seed-data/questions.ts), and
 * customer insights posted, routed, acknowledged and resolved through the insight verbs at the
 * moments they happened (prisma/seed-data/insights.ts), with the SLA sweep marking the late ones —
 * so that every chart has something to show on a fresh `npm start`. Co-edited documents come from
 * the documents seed (their revisions name contributors from two departments).
 *
 * Written once: skipped when the COO's demo login already exists. Call after the other seeds.
 */
import type { Db } from "../server/db.js";

type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];
import { hashPassword } from "../server/domain/accounts.js";
import { createInsight, transitionInsight } from "../server/domain/insights.js";
import { sweepSlaBreaches } from "../server/domain/sla.js";
import { htmlToRichText } from "../server/import/html-to-rich-text.js";
import { HANDLED } from "./seed-data/insights.js";
import { QUESTIONS, type QuestionSeed } from "./seed-data/questions.js";
import { seedCtx } from "./seed-ctx.js";
import { demoAdmin, ensureDemoRouting, handlerFor } from "./seed-insights.js";

export const COO_LOGIN = { role: "leader", email: "coo@atrium.test", password: "atrium-demo-coo", name: "Daniel Weiss" } as const;

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** A small deterministic generator, so every fresh seed picks the same people. */
function prng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/**
 * How long before `now` something happened: `month` is a fraction of the time since the current
 * month began (at most 20 days), so part of the story is always in "This month".
 */
export function ageMs(when: { month: number } | { daysAgo: number }, now: Date): number {
  if ("daysAgo" in when) return when.daysAgo * DAY;
  const sinceMonthStart = now.getTime() - Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1);
  return when.month * Math.min(20 * DAY, sinceMonthStart);
}

const escape = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
/** `code` spans become code in the rich text, as the editor's shortcut would make them. */
const richText = (text: string) => htmlToRichText(`<p>${escape(text).replace(/`([^`]+)`/g, "<code>$1</code>")}</p>`);

async function sequential(ops: Promise<unknown>[]) {
  const out: unknown[] = [];
  for (const op of ops) out.push(await op);
  return out;
}

export async function seedDashboard(db: Db, now: Date): Promise<{ skipped: boolean; questions: number; insights: number }> {
  if (await db.user.findUnique({ where: { email: COO_LOGIN.email }, select: { id: true } })) return { skipped: true, questions: 0, insights: 0 };
  const passwordHash = await hashPassword(COO_LOGIN.password);
  const daniel = await db.user.findFirst({ where: { name: COO_LOGIN.name }, select: { id: true } });
  const leadership = await db.department.findUnique({ where: { name: "Leadership" }, select: { id: true } });
  if (daniel) await db.user.update({ where: { id: daniel.id }, data: { email: COO_LOGIN.email, role: "leader", passwordHash } });
  else await db.user.create({ data: { email: COO_LOGIN.email, name: COO_LOGIN.name, title: "Chief Operating Officer", role: "leader", passwordHash, departmentId: leadership?.id ?? null, createdAt: now } });

  // One transaction: a hundred small writes commit once.
  const questions = await db.$transaction((tx) => seedQuestions(tx, now), { maxWait: 10_000, timeout: 120_000 });
  // Also one transaction: the verbs' many small writes commit once. The verbs batch some writes
  // with $transaction([...]); inside a transaction those simply run in order.
  const insights = await db.$transaction(
    (tx) => seedHandledInsights(new Proxy(tx, { get: (t, k) => (k === "$transaction" ? (ops: Promise<unknown>[]) => sequential(ops) : Reflect.get(t, k)) }) as unknown as Db, now),
    { maxWait: 10_000, timeout: 300_000 },
  );
  return { skipped: false, questions, insights };
}

async function seedQuestions(db: Tx, now: Date): Promise<number> {
  const people = await db.user.findMany({ where: { active: true, department: { isNot: null } }, select: { id: true, department: { select: { name: true } } }, orderBy: { email: "asc" } });
  const byDept = new Map<string, string[]>();
  for (const p of people) byDept.set(p.department!.name, [...(byDept.get(p.department!.name) ?? []), p.id]);
  const rnd = prng(42);
  const pick = <T,>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!;
  let n = 0;
  for (const q of [...QUESTIONS].sort((a: QuestionSeed, b: QuestionSeed) => ageMs(b.when, now) - ageMs(a.when, now))) {
    const askers = byDept.get(q.dept);
    if (!askers?.length) continue;
    const asker = pick(askers);
    const age = ageMs(q.when, now);
    const askedAt = new Date(now.getTime() - age);
    const body = richText(q.body);
    const row = await db.question.create({
      data: {
        authorId: asker,
        title: q.title,
        bodyJson: JSON.stringify(body.doc),
        bodyText: body.text,
        createdAt: askedAt,
        lastActivityAt: askedAt,
        follows: { create: { userId: asker, createdAt: askedAt } },
        revisions: { create: { number: 1, authorId: asker, title: q.title, tags: "[]", bodyJson: JSON.stringify(body.doc), bodyText: body.text, summary: "Asked", createdAt: askedAt } },
      },
      select: { id: true },
    });
    n++;
    const a = q.answer;
    // Not answered yet when the answer would come after "now" (a question asked an hour ago).
    if (!a || a.after * HOUR >= age) continue;
    const answerers = (byDept.get(a.dept ?? q.dept) ?? []).filter((id) => id !== asker);
    if (!answerers.length) continue;
    const answeredAt = new Date(askedAt.getTime() + a.after * HOUR);
    const answerBody = richText(a.text);
    const ans = await db.answer.create({ data: { questionId: row.id, authorId: pick(answerers), bodyJson: JSON.stringify(answerBody.doc), bodyText: answerBody.text, createdAt: answeredAt } });
    const acceptedAt = new Date(answeredAt.getTime() + HOUR);
    const accepted = a.accepted && acceptedAt.getTime() < now.getTime();
    await db.question.update({ where: { id: row.id }, data: { answerCount: 1, lastActivityAt: answeredAt, ...(accepted ? { acceptedAnswerId: ans.id } : {}) } });
    if (accepted) await db.answer.update({ where: { id: ans.id }, data: { acceptedAt } });
  }
  return n;
}

/**
 * Each insight is posted, acknowledged and resolved through the verbs, in the order it happened,
 * with the seed's clock at that moment; the SLA sweep runs before every step, as the scheduler
 * would, so breaches are marked (and escalated) when they fell due.
 */
async function seedHandledInsights(db: Db, now: Date): Promise<number> {
  const { ctx, setNow } = seedCtx(db, now);
  const admin = await demoAdmin(db);
  await ensureDemoRouting(ctx, admin);
  const posters = await db.user.findMany({ where: { active: true, department: { name: "Customer Support" } }, select: { id: true, role: true, departmentId: true }, orderBy: { email: "asc" } });
  const accounts = new Map((await db.customerAccount.findMany({ select: { id: true, name: true } })).map((a) => [a.name, a.id]));

  const handlers = new Map<string, Promise<typeof admin>>();
  const handlerOf = (teamId: string | undefined) => {
    if (!teamId) return Promise.resolve(admin);
    if (!handlers.has(teamId)) handlers.set(teamId, handlerFor(db, teamId, admin));
    return handlers.get(teamId)!;
  };
  // Deadlines of insights still open: the sweep runs only when one of them has fallen due.
  const open = new Map<string, { ack: number | null; resolve: number | null }>();

  type Step = { at: number; run: () => Promise<void> };
  const steps: Step[] = [];
  HANDLED.forEach((s, k) => {
    const postedAt = now.getTime() - ageMs("month" in s ? { month: s.month } : { daysAgo: s.daysAgo }, now);
    const p = posters.length ? posters[k % posters.length]! : null;
    const poster = p ? { id: p.id, role: p.role as typeof admin.role, departmentId: p.departmentId, active: true } : admin;
    let id = "";
    let teamId: string | undefined;
    steps.push({
      at: postedAt,
      run: async () => {
        const row = await createInsight(ctx, poster, {
          text: s.text,
          channel: s.channel,
          accountId: (s.account && accounts.get(s.account)) || null,
          topics: s.topics ?? [],
          products: s.products ?? [],
        });
        id = row.id;
        teamId = row.teams[0]?.id;
        open.set(id, { ack: row.ackDueAt ? Date.parse(row.ackDueAt) : null, resolve: row.resolveDueAt ? Date.parse(row.resolveDueAt) : null });
      },
    });
    const ackAt = s.ack === null ? null : postedAt + s.ack * HOUR;
    if (ackAt === null || ackAt >= now.getTime()) return;
    steps.push({
      at: ackAt,
      run: async () => {
        await transitionInsight(ctx, await handlerOf(teamId), id, { to: "acknowledged" });
        open.set(id, { ...open.get(id)!, ack: null });
      },
    });
    const resolveAt = s.resolve === null ? null : postedAt + s.resolve * HOUR;
    if (resolveAt === null || resolveAt <= ackAt || resolveAt >= now.getTime()) return;
    steps.push({
      at: resolveAt,
      run: async () => {
        await transitionInsight(ctx, await handlerOf(teamId), id, { to: "resolved", note: s.note ?? "" });
        open.delete(id);
      },
    });
  });
  steps.sort((a, b) => a.at - b.at);
  const sweepUntil = async (at: number) => {
    const fell = (d: number | null) => d !== null && d <= at;
    const due = [...open].filter(([, d]) => fell(d.ack) || fell(d.resolve));
    if (!due.length) return;
    setNow(new Date(at));
    await sweepSlaBreaches(ctx, new Date(at));
    for (const [i, d] of due) open.set(i, { ack: fell(d.ack) ? null : d.ack, resolve: fell(d.resolve) ? null : d.resolve });
  };
  for (const step of steps) {
    await sweepUntil(step.at);
    setNow(new Date(step.at));
    await step.run();
  }
  await sweepUntil(now.getTime());
  setNow(now);
  return HANDLED.length;
}
