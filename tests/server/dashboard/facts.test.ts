/**
 * The dashboard's fact tables (decision 074) follow the real domain verbs: answering, deleting an
 * answer, accepting and unaccepting, deleting a question; acknowledging, resolving and reopening an
 * insight, and the SLA sweep recording breaches. After every step the facts equal a recomputation
 * from the source tables, and the figures the dashboard computes change on the next call.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { computeMetrics } from "../../../server/dashboard/metrics.js";
import { makeUser, startTestApp, type TestApp } from "../../helpers/app.js";
import { fakeClock, makeAccount, makeAdmin, makeBillingRule, makeTeam } from "../insights/factories.js";
import { ask, body } from "../questions/helpers.js";

const clock = fakeClock(new Date("2026-11-23T09:00:00Z"));
const MIN = 60_000;
const HOUR = 3_600_000;
let app: TestApp;

beforeAll(async () => {
  app = await startTestApp({ clock, env: { INSIGHT_SLA_SWEEP_MS: "3600000" } });
});
afterAll(() => app.close());

type Row = Record<string, unknown>;
/** Raw SQLite integers arrive as BigInt. */
const plain = (r: Row): Row => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === "bigint" ? Number(v) : v]));
const sortRows = (rows: Row[]) => rows.map((r) => JSON.stringify(plain(r))).sort();

/** The question facts as they should be, computed from Question and Answer directly. */
async function questionFactsCheck() {
  const expected = await app.atrium.db.$queryRawUnsafe<Row[]>(
    `SELECT q."id" AS questionId, q."authorId" AS askerId, q."createdAt" || '' AS askedAt, julianday(q."createdAt") AS askedJd,
            (SELECT julianday(MIN(a."createdAt")) FROM "Answer" a WHERE a."questionId" = q."id" AND a."deletedAt" IS NULL AND a."authorId" <> q."authorId") AS firstJd,
            EXISTS (SELECT 1 FROM "Answer" a WHERE a."id" = q."acceptedAnswerId" AND a."deletedAt" IS NULL AND a."authorId" <> q."authorId") AS accepted
       FROM "Question" q WHERE q."deletedAt" IS NULL`,
  );
  const actual = await app.atrium.db.$queryRawUnsafe<Row[]>(`SELECT "questionId", "askerId", "askedAt", "askedJd", "firstJd", "accepted" FROM "DashQuestionFact"`);
  expect(sortRows(actual)).toEqual(sortRows(expected));
}

/** The insight facts as they should be, computed from Insight and InsightRoute directly. */
async function insightFactsCheck() {
  const expected = await app.atrium.db.$queryRawUnsafe<Row[]>(
    `SELECT i."id" AS insightId, r."teamId", i."createdAt" || '' AS createdAt, julianday(i."createdAt") AS createdJd,
            julianday(COALESCE(i."acknowledgedAt", i."resolvedAt")) AS ackJd, julianday(i."resolvedAt") AS resJd,
            i."ackBreachedAt" IS NOT NULL AS ackB, i."resolveBreachedAt" IS NOT NULL AS resB
       FROM "Insight" i JOIN "InsightRoute" r ON r."insightId" = i."id"`,
  );
  const actual = await app.atrium.db.$queryRawUnsafe<Row[]>(`SELECT "insightId", "teamId", "createdAt", "createdJd", "ackJd", "resJd", "ackB", "resB" FROM "DashInsightFact"`);
  expect(sortRows(actual)).toEqual(sortRows(expected));
  return actual.map(plain);
}

const fact = async (questionId: string) =>
  (await app.atrium.db.$queryRawUnsafe<Row[]>(`SELECT "firstJd", "accepted" FROM "DashQuestionFact" WHERE "questionId" = ?`, questionId)).map(plain)[0];

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

describe("insight facts follow the insight verbs and the SLA sweep", () => {
  test("one row per routed team; acknowledge, resolve, reopen and breaches update it", async () => {
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

describe("the migration's backfill", () => {
  test("rebuilds the same facts from existing rows", async () => {
    // Runs after the verbs above: questions (one deleted), answers (some deleted), a routed insight.
    const asker = await makeUser(app.atrium, { name: "Bea Backfill" });
    const helper = await makeUser(app.atrium, { name: "Ben Backfill" });
    const { id } = await ask(app.atrium, asker.actor);
    const answer = await app.atrium.domain.questions.answerQuestion(helper.actor, id, { body: body("Like this.") });
    await app.atrium.domain.questions.acceptAnswer(asker.actor, answer.id);
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
