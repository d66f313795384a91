import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "../../../server/db.js";
import { computeMetrics, type Metrics } from "../../../server/dashboard/metrics.js";
import { naiveMetrics } from "../../../server/dashboard/naive.js";
import { freshDatabase } from "../../helpers/db.js";
import { at, dept, docWithRevision, insight, person, question, team } from "./fixtures.js";

const H = 3600;
let db: Db;
let dispose: () => void;
let dbUrl: string;
const ids: Record<string, string> = {};
const period = { from: at(0), to: at(168), asOf: at(240) };

beforeAll(async () => {
  const fresh = freshDatabase();
  dispose = fresh.dispose;
  dbUrl = fresh.url;
  db = await createDb(fresh.url);
  const eng = await dept(db, "Engineering");
  const sales = await dept(db, "Sales");
  ids.eng = eng.id;
  ids.sales = sales.id;
  const e1 = (await person(db, eng.id)).id;
  const e2 = (await person(db, eng.id)).id;
  const s1 = (await person(db, sales.id)).id;
  const s2 = (await person(db, sales.id)).id;
  await person(db, sales.id, { active: false });
  const x = (await person(db, null)).id;
  Object.assign(ids, { e1, e2, s1, s2, x });

  await question(db, s1, 0, [[e1, 2, { accepted: true }]]); // 2 h
  await question(db, s1, 1, [[s1, 1.5], [e1, 5]]); // self-answer ignored: 4 h
  await question(db, s2, 2, [[e2, 30, { deleted: true }], [e2, 50]]); // deleted answer ignored: 48 h
  await question(db, e1, 3, [[s1, 4, { accepted: true }]]); // 1 h
  await question(db, e1, 10); // open: 230 h so far
  await question(db, s1, 5, [[e1, 6]], { deleted: true }); // deleted question: not counted
  await question(db, s1, -1, [[e1, 2]]); // before the period
  await question(db, s1, 168, [[e1, 170]]); // at the period's end: outside (half-open)
  await question(db, s2, 100, [[s2, 101, { accepted: true }]]); // only a self-answer: open, 140 h, not accepted

  const a = (await team(db, "Team A", eng.id)).id;
  const b = (await team(db, "Team B", sales.id)).id;
  Object.assign(ids, { a, b });
  await insight(db, [a], 0, { ack: 1, resolve: 10, handlerId: s2 });
  await insight(db, [a, b], 2, { ack: 5, ackBreach: true });
  await insight(db, [b], 3, { ackBreach: true, resolveBreach: true });
  await insight(db, [a], 200, { ack: 201 }); // after the period

  await docWithRevision(db, e1, [e1, s1], 20); // Engineering + Sales
  await docWithRevision(db, e1, [e1, e2], 21); // one department
  await docWithRevision(db, e1, [e1, s2], 22, { deleted: true }); // in the trash
});
afterAll(async () => {
  await db.$disconnect();
  dispose();
});

describe("computeMetrics (company)", () => {
  let m: Metrics;
  beforeAll(async () => {
    m = await computeMetrics(db, { ...period, departmentId: null });
  });

  it("counts questions asked in the half-open period, excluding deleted ones", () => {
    expect(m.questions.asked).toBe(6);
    expect(m.questions.answered).toBe(4);
    expect(m.questions.open).toBe(2);
  });

  it("measures time to first answer from someone else, open questions at their age so far (nearest rank)", () => {
    // 1, 2, 4, 48, 140 (open), 230 (open) hours → median = rank 3, p90 = rank 6
    expect(m.questions.ttfa.n).toBe(6);
    expect(m.questions.ttfa.open).toBe(2);
    expect(m.questions.ttfa.p50! / H).toBeCloseTo(4, 3);
    expect(m.questions.ttfa.p50Open).toBe(false);
    expect(m.questions.ttfa.p90! / H).toBeCloseTo(230, 3);
    expect(m.questions.ttfa.p90Open).toBe(true);
  });

  it("shares answered within a day and acceptance (self-answers do not count)", () => {
    expect(m.questions.withinDay).toBe(3);
    expect(m.questions.eligible).toBe(6);
    expect(m.questions.accepted).toBe(2);
  });

  it("groups by week of the period", () => {
    expect(m.questions.weeks.map((w) => [w.week, w.asked])).toEqual([[0, 6]]);
    expect(m.questions.weeks[0]!.ttfaP50! / H).toBeCloseTo(4, 3);
  });

  it("insight time to acknowledge and resolve per team and in total, breaches per team", () => {
    const teamA = m.insights.teams.find((t) => t.teamId === ids.a)!;
    const teamB = m.insights.teams.find((t) => t.teamId === ids.b)!;
    expect(teamA.insights).toBe(2);
    expect(teamA.ack.p50! / H).toBeCloseTo(1, 3);
    expect(teamA.ack.p90! / H).toBeCloseTo(3, 3);
    expect(teamA.resolve.p50! / H).toBeCloseTo(10, 3);
    expect(teamA.resolve.p90! / H).toBeCloseTo(238, 3);
    expect(teamA.resolve.p90Open).toBe(true);
    expect(teamB.ack.p50! / H).toBeCloseTo(3, 3);
    expect(teamB.ack.p90! / H).toBeCloseTo(237, 3);
    expect([teamA.ackBreaches, teamA.resolveBreaches, teamB.ackBreaches, teamB.resolveBreaches]).toEqual([1, 0, 2, 1]);
    const total = m.insights.total;
    expect(total.insights).toBe(3); // the insight routed to both teams counts once
    expect(total.ack.p50! / H).toBeCloseTo(3, 3);
    expect(total.ack.p90Open).toBe(true);
    expect([total.ackBreaches, total.resolveBreaches]).toEqual([2, 1]);
    expect(m.insights.weeks).toEqual([{ week: 0, start: "2026-11-02", insights: 3, ackP50: 3 * H }]);
  });

  it("counts active contributors among active staff", () => {
    expect(m.contributors.active).toBe(4); // s1, s2 asked/handled; e1, e2 answered/edited
    expect(m.contributors.staff).toBe(5); // the deactivated person is not staff
  });

  it("builds the help matrix: asker's department × answerer's department", () => {
    const cell = (from: string, to: string) => m.helpMatrix.find((c) => c.askerDepartmentId === from && c.answererDepartmentId === to)?.answers ?? 0;
    expect(cell(ids.sales!, ids.eng!)).toBe(4); // answers given in the period, including one to a question asked before it
    expect(cell(ids.eng!, ids.sales!)).toBe(1);
    expect(cell(ids.sales!, ids.sales!)).toBe(0); // the self-answer is not help
  });

  it("counts documents co-authored across departments, not those in the trash", () => {
    expect(m.coauthored.documents).toBe(1);
    expect(m.coauthored.byDepartment.sort((x, y) => x.departmentId.localeCompare(y.departmentId)).map((d) => d.documents)).toEqual([1, 1]);
  });

  it("agrees with the naive peer (rows loaded into JavaScript)", async () => {
    const naive = await naiveMetrics(db, { ...period, departmentId: null });
    expect(naive.questions).toEqual(m.questions);
    expect(naive.insights.total).toEqual(m.insights.total);
    expect(naive.insights.weeks).toEqual(m.insights.weeks);
    expect(naive.contributors.active).toBe(m.contributors.active);
  });
});

describe("computeMetrics (department scope)", () => {
  it("takes questions by the asker's department and insights by the team's", async () => {
    const m = await computeMetrics(db, { ...period, departmentId: ids.sales! });
    expect(m.questions.asked).toBe(4); // 2, 4, 48, 140 (open)
    expect(m.questions.ttfa.p50! / H).toBeCloseTo(4, 3);
    expect(m.insights.teams.map((t) => t.teamId)).toEqual([ids.b]);
    expect(m.insights.total.insights).toBe(2);
    expect(m.contributors).toMatchObject({ active: 2, staff: 2 });
    expect(m.coauthored.documents).toBe(1);
    const naive = await naiveMetrics(db, { ...period, departmentId: ids.sales! });
    expect(naive.questions).toEqual(m.questions);
  });

  it("an empty period gives zeros and no medians", async () => {
    const m = await computeMetrics(db, { from: at(1000), to: at(1100), asOf: at(1200), departmentId: null });
    expect(m.questions).toMatchObject({ asked: 0, ttfa: { n: 0, p50: null, p90: null } });
    expect(m.insights.total.ack.p50).toBeNull();
    expect(m.helpMatrix).toEqual([]);
  });
});

describe("computeMetrics on the prepared read connection", () => {
  it("answers exactly what the same statements answer through Prisma, for the company, each department and an empty period", async () => {
    const { createReads } = await import("../../../server/db-reads.js");
    const reads = await createReads(dbUrl);
    try {
      const inputs = [
        { ...period, departmentId: null },
        { ...period, departmentId: ids.sales! },
        { ...period, departmentId: ids.eng! },
        { from: at(-100), to: at(400), asOf: at(400), departmentId: null },
        { from: at(1000), to: at(1100), asOf: at(1200), departmentId: null },
      ];
      for (const input of inputs) {
        const viaReads = await computeMetrics(db, input, reads);
        expect(viaReads, JSON.stringify(input)).toEqual(await computeMetrics(db, input));
      }
      const company = await computeMetrics(db, { ...period, departmentId: null }, reads);
      expect(company.questions.asked).toBeGreaterThan(0);
      expect(company.insights.teams.length).toBe(2);
      expect(company.helpMatrix.length).toBeGreaterThan(0);
      expect(company.coauthored.documents).toBe(1);
    } finally {
      await reads.close();
    }
  });
});
