/**
 * The dashboard's fact tables (decision 074) follow the real domain verbs: answering, deleting an
 * answer, accepting and unaccepting, deleting a question; acknowledging, resolving and reopening an
 * insight, and the SLA sweep recording breaches. After every step the facts equal a recomputation
 * from the source tables, and the figures the dashboard computes change on the next call.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { computeMetrics } from "../../../server/dashboard/metrics.js";
import { makeUser, startTestApp, type TestApp } from "../../helpers/app.js";
import { TEST_DB } from "../../helpers/db.js";
import { fakeClock, makeAccount, makeAdmin, makeBillingRule, makeTeam } from "../insights/factories.js";
import { ask, body } from "../questions/helpers.js";

const MIN = 60_000;
const HOUR = 3_600_000;
let clock: ReturnType<typeof fakeClock>;
let app: TestApp;

// Each test has an app of its own, starting on the morning of 23 November 2026 with no questions
// or insights: the facts and figures a test reads are those of what it did.
beforeEach(async () => {
  clock = fakeClock(new Date("2026-11-23T09:00:00Z"));
  app = await startTestApp({ clock, env: { INSIGHT_SLA_SWEEP_MS: "3600000" } });
});
afterEach(() => app.close());

type Row = Record<string, unknown>;
/** Raw SQLite integers arrive as BigInt. */
const plain = (r: Row): Row => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === "bigint" ? Number(v) : v]));
const sortRows = (rows: Row[]) => rows.map((r) => JSON.stringify(r)).sort();
const DAY = 86_400_000;
/** Julian day → epoch milliseconds, rounded to the millisecond the timestamps carry. */
const jdMs = (jd: unknown) => (jd == null ? null : Math.round((Number(jd) - 2440587.5) * DAY));
/** A stored timestamp text (ISO on either database) → epoch milliseconds. */
const textMs = (t: unknown) => new Date(String(t).replace(" ", "T")).getTime();
const ms = (d: Date | null | undefined) => (d ? d.getTime() : null);
const flag = (v: unknown) => (Number(v) ? 1 : 0);

/** The question facts as they should be, computed in JS from Question and Answer rows (same on every database). */
async function questionFactsCheck() {
  const questions = await app.atrium.db.question.findMany({ where: { deletedAt: null } });
  const answers = await app.atrium.db.answer.findMany({ where: { deletedAt: null } });
  const expected = questions.map((q) => {
    const others = answers.filter((a) => a.questionId === q.id && a.authorId !== q.authorId);
    const first = others.length ? Math.min(...others.map((a) => a.createdAt.getTime())) : null;
    return { questionId: q.id, askerId: q.authorId, asked: q.createdAt.getTime(), first, accepted: others.some((a) => a.id === q.acceptedAnswerId) ? 1 : 0 };
  });
  const actual = (await app.atrium.db.$queryRawUnsafe<Row[]>(`SELECT "questionId", "askerId", "askedAt", "askedJd", "firstJd", "accepted" FROM "DashQuestionFact"`))
    .map(plain)
    .map((r) => {
      expect(jdMs(r.askedJd)).toBe(textMs(r.askedAt)); // the day number and the text name the same instant
      return { questionId: r.questionId, askerId: r.askerId, asked: textMs(r.askedAt), first: jdMs(r.firstJd), accepted: flag(r.accepted) };
    });
  expect(sortRows(actual)).toEqual(sortRows(expected));
}

/** The insight facts as they should be, computed in JS from Insight and InsightRoute rows (same on every database). */
async function insightFactsCheck() {
  const routes = await app.atrium.db.insightRoute.findMany({ include: { insight: true } });
  const expected = routes.map(({ teamId, insight: i }) => ({
    insightId: i.id,
    teamId,
    created: i.createdAt.getTime(),
    ack: ms(i.acknowledgedAt ?? i.resolvedAt),
    res: ms(i.resolvedAt),
    ackB: i.ackBreachedAt ? 1 : 0,
    resB: i.resolveBreachedAt ? 1 : 0,
  }));
  const raw = (await app.atrium.db.$queryRawUnsafe<Row[]>(`SELECT "insightId", "teamId", "createdAt", "createdJd", "ackJd", "resJd", "ackB", "resB" FROM "DashInsightFact"`)).map(plain);
  const actual = raw.map((r) => {
    expect(jdMs(r.createdJd)).toBe(textMs(r.createdAt));
    return { insightId: r.insightId, teamId: r.teamId, created: textMs(r.createdAt), ack: jdMs(r.ackJd), res: jdMs(r.resJd), ackB: flag(r.ackB), resB: flag(r.resB) };
  });
  expect(sortRows(actual)).toEqual(sortRows(expected));
  return raw.map((r): Row => ({ ...r, ackB: flag(r.ackB), resB: flag(r.resB) }));
}

const fact = async (questionId: string) =>
  (await app.atrium.db.dashQuestionFact.findUnique({ where: { questionId }, select: { firstJd: true, accepted: true } })) ?? undefined;

const dayFigures = () =>
  computeMetrics(app.atrium.db, { from: new Date("2026-11-23T00:00:00Z"), to: new Date("2026-11-24T00:00:00Z"), asOf: clock.now(), departmentId: null });

describe("question facts follow the Q&A verbs", () => {
  test("answer, self-answer, accept, unaccept, delete answer, delete question", async () => {
    const qa = app.atrium.domain.questions;
    const asker = await makeUser(app.atrium, { name: "Asha Asker" });
    const helper = await makeUser(app.atrium, { name: "Hal Helper" });
    const late = await makeUser(app.atrium, { name: "Lee Later" });
    const { id } = await ask(app.atrium, asker.actor);
    expect(await fact(id)).toEqual({ firstJd: null, accepted: 0 });
    await questionFactsCheck();

    clock.advance(HOUR);
    const self = await qa.answerQuestion(asker.actor, id, { body: body("Found it myself, sort of.") });
    expect((await fact(id))!.firstJd).toBeNull(); // a self-answer is not an answer
    await questionFactsCheck();

    clock.advance(HOUR);
    const good = await qa.answerQuestion(helper.actor, id, { body: body("Upload the metadata XML.") });
    expect((await fact(id))!.firstJd).not.toBeNull();
    let m = await dayFigures();
    expect(m.questions).toMatchObject({ asked: 1, answered: 1, accepted: 0 });
    expect(m.questions.ttfa.p50).toBe(7200); // the next call sees the new answer: 2 h
    await questionFactsCheck();

    await qa.acceptAnswer(asker.actor, good.id);
    expect((await fact(id))!.accepted).toBe(1);
    expect((await dayFigures()).questions.accepted).toBe(1);
    await qa.unacceptAnswer(asker.actor, good.id);
    expect((await fact(id))!.accepted).toBe(0);
    await qa.acceptAnswer(asker.actor, self.id); // accepting one's own answer does not count
    expect((await fact(id))!.accepted).toBe(0);
    await qa.unacceptAnswer(asker.actor, self.id);
    await qa.acceptAnswer(asker.actor, good.id);
    await questionFactsCheck();

    clock.advance(3 * HOUR);
    const later = await qa.answerQuestion(late.actor, id, { body: body("Also check the clock skew.") });
    expect(later.id).toBeTruthy();
    await qa.deleteAnswer(helper.actor, good.id, { reason: "wrong" });
    expect(await fact(id)).toMatchObject({ accepted: 0 });
    m = await dayFigures();
    expect(m.questions).toMatchObject({ asked: 1, answered: 1, accepted: 0 });
    expect(m.questions.ttfa.p50).toBe(5 * 3600); // the first remaining answer by someone else: 5 h
    await questionFactsCheck();

    await qa.deleteAnswer(late.actor, later.id, { reason: "duplicate" });
    m = await dayFigures();
    expect(m.questions).toMatchObject({ asked: 1, answered: 0, open: 1 });
    expect(m.questions.ttfa).toMatchObject({ p50: 5 * 3600, p50Open: true }); // open: its age so far
    await questionFactsCheck();

    await qa.deleteQuestion(asker.actor, id, { reason: "asked by mistake" });
    expect(await fact(id)).toBeUndefined();
    expect((await dayFigures()).questions.asked).toBe(0);
    await questionFactsCheck();
  });
});

/** At noon, a support agent records a billing complaint, which the billing rule routes to Finance Operations. */
async function routedBillingInsight() {
  const admin = await makeAdmin(app.atrium);
  const finance = await makeTeam(app.atrium, admin.actor, "Finance Operations", ["Femi"]);
  const agent = await makeUser(app.atrium, { name: "Sam Support" });
  const accountId = (await makeAccount(app.atrium, admin.actor)).id;
  await makeBillingRule(app.atrium, admin.actor, finance.team.id);
  clock.set(new Date("2026-11-23T12:00:00Z"));
  const i = await app.atrium.domain.insights.createInsight(agent.actor, {
    text: "Your invoices are wrong again. Terrible, I'm furious.",
    channel: "twitter",
    accountId,
    topics: ["Billing"],
  });
  return { i, finance };
}

describe("insight facts follow the insight verbs and the SLA sweep", () => {
  test("one row per routed team; acknowledge, resolve, reopen and breaches update it", async () => {
    const { i, finance } = await routedBillingInsight();
    let rows = await insightFactsCheck();
    expect(rows).toEqual([expect.objectContaining({ insightId: i.id, teamId: finance.team.id, ackJd: null, resJd: null, ackB: 0, resB: 0 })]);

    clock.advance(31 * MIN);
    await app.atrium.insightSla.sweepNow();
    rows = await insightFactsCheck();
    expect(rows[0]).toMatchObject({ ackB: 1, ackJd: null });
    let t = (await dayFigures()).insights.total;
    expect(t).toMatchObject({ insights: 1, ackBreaches: 1 });
    expect(t.ack).toMatchObject({ p50: 31 * 60, p50Open: true });

    const femi = finance.members[0]!;
    await app.atrium.domain.insights.transitionInsight(femi.actor, i.id, { to: "acknowledged" });
    rows = await insightFactsCheck();
    expect(rows[0]!.ackJd).not.toBeNull();
    t = (await dayFigures()).insights.total;
    expect(t.ack).toMatchObject({ p50: 31 * 60, p50Open: false });

    clock.advance(HOUR);
    await app.atrium.domain.insights.transitionInsight(femi.actor, i.id, { to: "resolved", note: "Credit note issued." });
    rows = await insightFactsCheck();
    expect(rows[0]!.resJd).not.toBeNull();
    expect((await dayFigures()).insights.total.resolve).toMatchObject({ p50: 91 * 60, p50Open: false });

    await app.atrium.domain.insights.transitionInsight(femi.actor, i.id, { to: "reopened", note: "It happened again." });
    rows = await insightFactsCheck();
    expect(rows[0]).toMatchObject({ resJd: null, resB: 0 });
    expect((await dayFigures()).insights.total.resolve).toMatchObject({ p50Open: true });

    clock.advance(3 * 86_400_000);
    await app.atrium.insightSla.sweepNow();
    rows = await insightFactsCheck();
    expect(rows[0]).toMatchObject({ resB: 1 });
    expect((await dayFigures()).insights.total).toMatchObject({ resolveBreaches: 1 });
  });
});

// The PostgreSQL schema starts from one init migration with empty tables and triggers, so it has no backfill to replay.
describe.skipIf(TEST_DB === "postgresql")("the migration's backfill (SQLite only: the PostgreSQL init migration has no backfill)", () => {
  test("rebuilds the same facts from existing rows", async () => {
    // Existing rows of every kind: questions (one deleted), answers (some deleted, one a
    // self-answer), an accepted answer and a routed insight.
    await routedBillingInsight();
    const qa = app.atrium.domain.questions;
    const asker = await makeUser(app.atrium, { name: "Bea Backfill" });
    const helper = await makeUser(app.atrium, { name: "Ben Backfill" });
    const gone = await ask(app.atrium, asker.actor);
    await qa.answerQuestion(helper.actor, gone.id, { body: body("Try turning it off and on.") });
    await qa.deleteQuestion(asker.actor, gone.id, { reason: "asked by mistake" });
    clock.advance(HOUR);
    const { id } = await ask(app.atrium, asker.actor);
    clock.advance(HOUR);
    await qa.answerQuestion(asker.actor, id, { body: body("Partly found it myself.") });
    clock.advance(HOUR);
    const wrong = await qa.answerQuestion(helper.actor, id, { body: body("Not like that.") });
    clock.advance(HOUR);
    const answer = await qa.answerQuestion(helper.actor, id, { body: body("Like this.") });
    await qa.deleteAnswer(helper.actor, wrong.id, { reason: "wrong" });
    await qa.acceptAnswer(asker.actor, answer.id);
    const sql = readFileSync(path.resolve(import.meta.dirname, "../../../prisma/migrations/20261123560000_dashboard_facts/migration.sql"), "utf8");
    const backfill = sql.slice(sql.indexOf("-- Backfill"));
    const before = await app.atrium.db.$queryRawUnsafe<Row[]>(`SELECT (SELECT COUNT(*) FROM "DashQuestionFact") AS q, (SELECT COUNT(*) FROM "DashInsightFact") AS i`);
    await app.atrium.db.$executeRawUnsafe(`DELETE FROM "DashQuestionFact"`);
    await app.atrium.db.$executeRawUnsafe(`DELETE FROM "DashInsightFact"`);
    for (const statement of backfill.split(";").map((x) => x.replace(/^\s*--.*$/gm, "").trim()).filter(Boolean)) {
      await app.atrium.db.$executeRawUnsafe(statement);
    }
    const after = await app.atrium.db.$queryRawUnsafe<Row[]>(`SELECT (SELECT COUNT(*) FROM "DashQuestionFact") AS q, (SELECT COUNT(*) FROM "DashInsightFact") AS i`);
    expect(after.map(plain)).toEqual(before.map(plain));
    expect(plain(after[0]!)).toEqual({ q: 1, i: 1 });
    expect((await fact(id))!.accepted).toBe(1);
    await questionFactsCheck();
    await insightFactsCheck();
  });
});
