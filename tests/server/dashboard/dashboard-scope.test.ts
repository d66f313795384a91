/**
 * The dashboard verbs over a hand-built organisation with exact timestamps: which scope a person
 * may see (and a refused one), what a member sees of other departments (lumped into "Other
 * departments"), the period in the reader's time zone, the weekly rows, and each CSV export.
 *
 * Support (a member, Sam, and Sue), Engineering (Eli, Eve and a leader), Nia with no department.
 * Teams: Support Desk (Support), Platform (Engineering), Loose Ends (no department).
 * The period is 2 Nov (a Monday) to 20 Nov 2026 in UTC, three weeks from 2 Nov; now is 20 Nov, 12:00 UTC.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exportDashboardCsv, getDashboard, weeklyRows } from "../../../server/domain/dashboard.js";
import type { Actor } from "../../../server/policy.js";
import { startTestApp, type TestApp } from "../../helpers/app.js";
import { dept, docWithRevision, insight, person, question, team } from "./fixtures.js";

const NOW = new Date("2026-11-20T12:00:00.000Z");
const PERIOD = { period: "custom", from: "2026-11-02", to: "2026-11-20" };
let app: TestApp;
const p: Record<string, Actor> = {};
const d: Record<string, string> = {};

beforeAll(async () => {
  app = await startTestApp({ clock: { now: () => NOW } });
  const db = app.atrium.db;
  const support = await dept(db, "Support");
  const eng = await dept(db, "Engineering");
  Object.assign(d, { support: support.id, eng: eng.id });
  const actor = (u: { id: string; role: string; departmentId: string | null }): Actor => ({ id: u.id, role: u.role as Actor["role"], departmentId: u.departmentId, active: true });
  const sam = await person(db, support.id, { name: "Sam" });
  const sue = await person(db, support.id, { name: "Sue" });
  const eli = await person(db, eng.id, { name: "Eli" });
  const eve = await person(db, eng.id, { name: "Eve" });
  const lea = await person(db, eng.id, { name: "Lea", role: "leader" });
  const nia = await person(db, null, { name: "Nia" });
  const tokyo = await db.user.update({ where: { id: (await person(db, support.id, { name: "Tomo" })).id }, data: { timeZone: "Asia/Tokyo" } });
  for (const [k, u] of Object.entries({ sam, sue, eli, eve, lea, nia, tokyo })) p[k] = actor(u);

  const desk = await team(db, "Support Desk", support.id);
  const platform = await team(db, "Platform", eng.id);
  const loose = await team(db, "Loose Ends", null);

  // Hours from Monday 2 Nov 00:00 UTC. Week 0: three questions, three insights; week 1: three questions; week 2: one insight.
  await question(db, sam.id, 1, [[eli.id, 3]]); // Support → Engineering, 2 h
  await question(db, eli.id, 2, [[sue.id, 3, { accepted: true }]]); // Engineering → Support, 1 h
  await question(db, sam.id, 4, [[sue.id, 34]]); // Support → Support, 30 h
  await question(db, eve.id, 170, [[nia.id, 171]]); // Engineering → none, 1 h
  await question(db, nia.id, 172, [[eve.id, 173]]); // none → Engineering, 1 h
  await question(db, sam.id, 200); // open: 244 h by now
  await insight(db, [desk.id], 10, { ack: 12 });
  await insight(db, [platform.id], 11);
  await insight(db, [desk.id, platform.id], 12, { ack: 13 });
  await insight(db, [loose.id], 340, { ack: 341 });
  await docWithRevision(db, eli.id, [eli.id, sam.id], 20); // written across Engineering and Support
  await docWithRevision(db, eli.id, [eli.id, eve.id], 21); // within Engineering
});
afterAll(async () => app?.close());

const ctx = () => app.atrium.ctx;
const cells = (m: { cells: { asker: string; answerer: string; answers: number }[] }) => m.cells.map((c) => `${c.asker} → ${c.answerer}: ${c.answers}`).sort();

describe("scope", () => {
  it("a member may open the company and their own department, and is refused another department by slug or by id", async () => {
    for (const scope of ["engineering", d.eng]) {
      await expect(() => getDashboard(ctx(), p.sam!, { scope })).rejects.toMatchObject({
        status: 403,
        message: "You can see the company-wide figures and your own department's; Engineering is visible to leaders and admins.",
      });
      await expect(() => exportDashboardCsv(ctx(), p.sam!, { metric: "coauthored", scope })).rejects.toMatchObject({ status: 403 });
    }
    const own = await getDashboard(ctx(), p.sam!, { scope: d.support, ...PERIOD });
    expect(own.form.scope).toBe("support"); // named by id, answered with the slug
    expect(own.figures?.scopeLabel).toBe("Support");
    expect(own.scopeOptions).toEqual([
      { value: "company", label: "Whole company" },
      { value: "support", label: "Support" },
    ]);
  });

  it("a leader is offered every department, by name; a scope with spaces around it, or none, is read as meant", async () => {
    const l = await getDashboard(ctx(), p.lea!, { scope: "  support ", ...PERIOD });
    expect(l.scopeOptions.map((o) => o.label)).toEqual(["Whole company", "Engineering", "Support"]);
    expect(l.figures?.scopeLabel).toBe("Support");
    for (const input of [{ scope: "   " }, { scope: 42 }, null, "support"]) {
      const c = await getDashboard(ctx(), p.lea!, input);
      expect(c.form.scope, JSON.stringify(input)).toBe("company");
      expect(c.figures?.scopeLabel).toBe("Whole company");
    }
  });

  it("an unknown department is named back (shortened) and keeps what was typed in the form", async () => {
    const long = `x${"y".repeat(99)}`;
    const r = await getDashboard(ctx(), p.sam!, { scope: long, ...PERIOD });
    expect(r.figures).toBeNull();
    expect(r.fieldErrors.scope).toEqual([`There is no department "${long.slice(0, 60)}": choose the company or a department from the list.`]);
    expect(r.form).toEqual({ scope: long, period: "custom", from: "2026-11-02", to: "2026-11-20" });
    const bad = await getDashboard(ctx(), p.lea!, { scope: d.eng, period: "custom", from: "2026-11-10", to: "2026-11-01" });
    expect(bad.figures).toBeNull();
    expect(bad.form).toEqual({ scope: "engineering", period: "custom", from: "2026-11-10", to: "2026-11-01" });
    expect(Object.keys(bad.fieldErrors)).toEqual(["to"]);
  });
});

describe("period", () => {
  it("presets are read in the reader's time zone; custom dates are the page's period", async () => {
    // Friday 20 Nov, 21:00 in Tokyo: this week began Monday 16 Nov at midnight there.
    const tokyo = await getDashboard(ctx(), p.tokyo!, { period: "this-week" });
    expect(tokyo.figures?.period).toEqual({ label: expect.any(String), from: "2026-11-15T15:00:00.000Z", to: "2026-11-20T15:00:00.000Z" });
    const utc = await getDashboard(ctx(), p.sam!, { period: "this-week" });
    expect(utc.figures?.period).toMatchObject({ from: "2026-11-16T00:00:00.000Z", to: "2026-11-21T00:00:00.000Z" });
    const custom = await getDashboard(ctx(), p.sam!, PERIOD);
    expect(custom.form).toEqual({ scope: "company", period: "custom", from: "2026-11-02", to: "2026-11-20" });
    expect(custom.figures?.period).toMatchObject({ from: "2026-11-02T00:00:00.000Z", to: "2026-11-21T00:00:00.000Z" });
  });

  it("weekly rows are in week order when an insight-only week comes before a question week", () => {
    const w = (week: number) => ({ week, start: `2026-11-${String(2 + 7 * week).padStart(2, "0")}` });
    const rows = weeklyRows({
      questions: { weeks: [{ ...w(1), asked: 4, withinDay: 1, eligible: 2, ttfaP50: 60 }] },
      insights: { weeks: [{ ...w(0), insights: 2, ackP50: 30 }, { ...w(1), insights: 1, ackP50: null }] },
    } as unknown as Parameters<typeof weeklyRows>[0]);
    expect(rows).toEqual([
      { week: 0, start: "2026-11-02", asked: 0, withinDay: 0, eligible: 0, ttfaP50: null, insights: 2, ackP50: 30 },
      { week: 1, start: "2026-11-09", asked: 4, withinDay: 1, eligible: 2, ttfaP50: 60, insights: 1, ackP50: null },
    ]);
  });

  it("weekly rows hold questions and insights side by side, a week with only one kind included", async () => {
    const r = await getDashboard(ctx(), p.lea!, PERIOD);
    expect(r.figures?.weeks.map((w) => [w.start, w.asked, w.withinDay, w.insights])).toEqual([
      ["2026-11-02", 3, 2, 3],
      ["2026-11-09", 3, 2, 0],
      ["2026-11-16", 0, 0, 1],
    ]);
    expect(r.figures?.weeks.map((w) => w.week)).toEqual([0, 1, 2]);
  });
});

describe("what a member sees of other departments", () => {
  it("a leader sees every department's figures by name, and help between departments in full", async () => {
    const r = await getDashboard(ctx(), p.lea!, PERIOD);
    const f = r.figures!;
    expect(r.canSeeBreakdown).toBe(true);
    expect(f.restricted).toBe(false);
    expect(f.metrics.insights.teams.map((t) => t.teamName)).toEqual(["Loose Ends", "Platform", "Support Desk"]);
    expect(f.metrics.contributors.byDepartment.map((c) => [c.name, c.active, c.staff]).sort()).toEqual([
      ["Engineering", 2, 3],
      ["No department", 1, 1],
      ["Support", 2, 3],
    ]);
    expect(f.metrics.coauthored.byDepartment.map((c) => [c.name, c.documents]).sort()).toEqual([
      ["Engineering", 1],
      ["Support", 1],
    ]);
    expect(f.matrix.departments.map((x) => x.name)).toEqual(["Engineering", "No department", "Support"]);
    expect(cells(f.matrix)).toEqual(["Engineering → No department: 1", "Engineering → Support: 1", "No department → Engineering: 1", "Support → Engineering: 1", "Support → Support: 1"]);
  });

  it("a member sees their own department by name and the rest summed as 'Other departments', listed last", async () => {
    const r = await getDashboard(ctx(), p.sam!, PERIOD);
    const f = r.figures!;
    expect(r.canSeeBreakdown).toBe(false);
    expect(f.restricted).toBe(true);
    expect(f.metrics.insights.teams.map((t) => t.teamName)).toEqual(["Support Desk"]);
    expect(f.metrics.insights.total.insights).toBe(4);
    expect(f.metrics.contributors.byDepartment.map((c) => c.name)).toEqual(["Support"]);
    expect(f.metrics.contributors).toMatchObject({ active: 5, staff: 7 });
    expect(f.metrics.coauthored.byDepartment.map((c) => [c.name, c.documents])).toEqual([["Support", 1]]);
    expect(f.matrix.departments.map((x) => x.name)).toEqual(["Support", "Other departments"]);
    expect(cells(f.matrix)).toEqual(["Other departments → Other departments: 2", "Other departments → Support: 1", "Support → Other departments: 1", "Support → Support: 1"]);
  });

  it("'Other departments' comes last whichever order the help rows arrive in", async () => {
    // The first week only: no one without a department asked, so Support's rows come first.
    const f = (await getDashboard(ctx(), p.sam!, { period: "custom", from: "2026-11-02", to: "2026-11-08" })).figures!;
    expect(cells(f.matrix)).toEqual(["Other departments → Support: 1", "Support → Other departments: 1", "Support → Support: 1"]);
    expect(f.matrix.departments.map((x) => x.name)).toEqual(["Support", "Other departments"]);
  });

  it("a member with no department sees no one's breakdown, and no team without a department", async () => {
    const f = (await getDashboard(ctx(), p.nia!, PERIOD)).figures!;
    expect(f.restricted).toBe(true);
    expect(f.metrics.insights.teams).toEqual([]);
    expect(f.metrics.coauthored.byDepartment).toEqual([]);
    expect(f.matrix.departments.map((x) => x.name)).toEqual(["Other departments"]);
    expect(cells(f.matrix)).toEqual(["Other departments → Other departments: 5"]);
  });

  it("a member looking at their own department sees it whole", async () => {
    const f = (await getDashboard(ctx(), p.sam!, { scope: "support", ...PERIOD })).figures!;
    expect(f.restricted).toBe(false);
    expect(f.matrix.departments.map((x) => x.name)).toEqual(["Engineering", "Support"]);
    expect(cells(f.matrix)).toEqual(["Engineering → Support: 1", "Support → Engineering: 1", "Support → Support: 1"]);
  });
});

describe("CSV", () => {
  const csv = async (actor: Actor, input: Record<string, unknown>) => {
    const r = await exportDashboardCsv(ctx(), actor, { ...PERIOD, ...input });
    return { filename: r.filename, rows: r.body.split("\r\n").filter(Boolean) };
  };

  it("questions: counts and times to first answer in hours, an open item's age marked 'at least'", async () => {
    expect(await csv(p.lea!, { metric: "questions" })).toEqual({
      filename: "atrium-questions-company-2026-11-02-to-2026-11-20.csv",
      rows: [
        "asked,answered,open,accepted,answered_within_day,within_day_eligible,ttfa_measured,ttfa_open,ttfa_median_hours,median_is_lower_bound,ttfa_p90_hours,p90_is_lower_bound",
        "6,5,1,1,4,6,6,1,1.00,,244.00,at least",
      ],
    });
  });

  it("weekly: one row per week", async () => {
    const { rows } = await csv(p.lea!, { metric: "weekly" });
    expect(rows).toEqual([
      "week_start,asked,answered_within_day,within_day_eligible,ttfa_median_hours,insights,insight_ack_median_hours",
      "2026-11-02,3,2,3,2.00,3,2.00",
      "2026-11-09,3,2,3,1.00,0,",
      "2026-11-16,0,0,0,,1,1.00",
    ]);
  });

  it("insights: all teams, then each team, with the 14-day baseline", async () => {
    const { filename, rows } = await csv(p.lea!, { metric: "insights", scope: "support" });
    expect(filename).toBe("atrium-insights-support-2026-11-02-to-2026-11-20.csv");
    expect(rows[0]!.split(",")).toHaveLength(17);
    expect(rows.slice(1).map((r) => r.split(",").slice(0, 2).join(","))).toEqual(["All teams,2", "Support Desk,2"]);
    expect(rows.slice(1).every((r) => r.endsWith(",336.00"))).toBe(true);
  });

  it("contributors, help matrix and co-authored documents: the scope's row, then by department", async () => {
    const contributors = await csv(p.sam!, { metric: "contributors", scope: "support" });
    expect(contributors.rows).toEqual(["department,active_contributors,staff", "Support,2,3", "Support,2,3"]);
    const matrix = await csv(p.sam!, { metric: "help-matrix" });
    expect(matrix.rows.slice(1).sort()).toEqual(["Other departments,Other departments,2", "Other departments,Support,1", "Support,Other departments,1", "Support,Support,1"]);
    expect(matrix.rows[0]).toBe("asker_department,answerer_department,answers");
    const co = await csv(p.lea!, { metric: "coauthored" });
    expect(co.rows[0]).toBe("department,cross_department_documents");
    expect(co.rows[1]).toBe("Whole company,1");
    expect(co.rows.slice(2).sort()).toEqual(["Engineering,1", "Support,1"]);
  });

  it("bad dates are refused with every field's message", async () => {
    await expect(() => exportDashboardCsv(ctx(), p.lea!, { metric: "weekly", period: "custom", from: "2026-02-30", to: "" })).rejects.toMatchObject({
      status: 422,
      message: expect.stringMatching(/is not a date.* Enter an end date\./),
    });
    await expect(() => exportDashboardCsv(ctx(), p.lea!, null)).rejects.toMatchObject({ status: 422, fieldErrors: { metric: [`Unknown metric "": choose one of questions, weekly, insights, contributors, help-matrix, coauthored.`] } });
  });
});
