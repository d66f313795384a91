import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resolvePeriod } from "../../../server/dashboard/period.js";
import { makeUser, startTestApp, type TestApp } from "../../helpers/app.js";

let app: TestApp;
let ids: { eng: string; sales: string; formula: string };
const NOW = new Date("2026-11-20T12:00:00.000Z");

beforeAll(async () => {
  app = await startTestApp({ clock: { now: () => NOW } });
  const db = app.atrium.db;
  const eng = await db.department.create({ data: { name: "Engineering", slug: "engineering" } });
  const sales = await db.department.create({ data: { name: "Sales", slug: "sales" } });
  const formula = await db.department.create({ data: { name: "=HYPERLINK(\"http://x\")", slug: "formula" } });
  ids = { eng: eng.id, sales: sales.id, formula: formula.id };
});
afterAll(async () => app?.close());

const dash = () => app.atrium.domain.dashboard;

describe("resolvePeriod", () => {
  const now = new Date("2026-11-20T12:00:00.000Z"); // a Friday
  it("resolves presets to local midnights in the viewer's time zone", () => {
    const r = resolvePeriod({ period: "this-week" }, now, "Asia/Tokyo");
    expect(r.ok && [r.period.from.toISOString(), r.period.to.toISOString()]).toEqual(["2026-11-15T15:00:00.000Z", "2026-11-20T15:00:00.000Z"]);
    const m = resolvePeriod({}, now, "America/New_York");
    expect(m.ok && [m.period.preset, m.period.from.toISOString(), m.period.toDate]).toEqual(["this-month", "2026-11-01T04:00:00.000Z", "2026-11-20"]);
    const q = resolvePeriod({ period: "this-quarter" }, now, "UTC");
    expect(q.ok && q.period.fromDate).toBe("2026-10-01");
    const y = resolvePeriod({ period: "last-12-months" }, now, "UTC");
    expect(y.ok && y.period.fromDate).toBe("2025-11-21");
  });
  it("takes custom dates as whole days, the end inclusive, across a DST change", () => {
    const r = resolvePeriod({ period: "custom", from: "2026-10-24", to: "2026-10-25" }, now, "Europe/London");
    expect(r.ok && [r.period.from.toISOString(), r.period.to.toISOString()]).toEqual(["2026-10-23T23:00:00.000Z", "2026-10-26T00:00:00.000Z"]);
  });
  it("explains dates out of order, unparsable, too long, and unknown presets", () => {
    const bad = (input: Record<string, string>) => {
      const r = resolvePeriod(input, now, "UTC");
      return r.ok ? null : r.fieldErrors;
    };
    expect(bad({ period: "custom", from: "2026-05-02", to: "2026-05-01" })?.to?.[0]).toContain("is before the start date");
    expect(bad({ period: "custom", from: "2026-02-30", to: "2026-03-01" })?.from?.[0]).toContain("is not a date");
    expect(bad({ period: "custom", from: "yesterday", to: "" })).toMatchObject({ from: [expect.stringContaining("use YYYY-MM-DD")], to: ["Enter an end date."] });
    expect(bad({ period: "custom", from: "2024-01-01", to: "2025-06-01" })?.to?.[0]).toContain("choose at most 366 days");
    expect(bad({ period: "custom", from: "2025-01-01", to: "2026-01-02" })?.to?.[0]).toContain("That range is 367 days");
    expect(bad({ period: "custom", from: "2025-01-01", to: "2026-01-01" })).toBeNull(); // 366 days is the limit
    expect(bad({ period: "custom", from: "2025-01-01", to: "2025-12-31" })).toBeNull();
    expect(bad({ period: "; DROP TABLE" })?.period?.[0]).toContain("Unknown period");
  });
});

describe("getDashboard", () => {
  it("offers a member the company and their own department, a leader every department", async () => {
    const member = await makeUser(app.atrium, { departmentId: ids.eng });
    const leader = await makeUser(app.atrium, { role: "leader", departmentId: ids.sales });
    const m = await dash().getDashboard(member.actor, {});
    expect(m.scopeOptions.map((o) => o.value)).toEqual(["company", "engineering"]);
    expect(m.canSeeBreakdown).toBe(false);
    expect(m.figures?.restricted).toBe(true);
    const l = await dash().getDashboard(leader.actor, { scope: "engineering" });
    expect(l.scopeOptions).toHaveLength(4);
    expect(l.figures?.scopeLabel).toBe("Engineering");
  });

  it("reads the departments and the reader's time zone the same with prepared SQL as through Prisma", async () => {
    const { getDashboard } = await import("../../../server/domain/dashboard.js");
    const ctx = app.atrium.ctx;
    expect(ctx.reads).toBeDefined();
    const viaPrisma = { ...ctx, reads: undefined };
    const member = await makeUser(app.atrium, { departmentId: ids.eng, timeZone: "Asia/Tokyo" });
    const leader = await makeUser(app.atrium, { role: "leader", departmentId: ids.sales, timeZone: "America/New_York" });
    for (const [who, input] of [[member, {}], [member, { period: "week" }], [leader, { scope: "engineering" }], [leader, { scope: "sales", period: "quarter" }], [leader, { scope: "no-such-dept" }]] as const) {
      const sql = await getDashboard(ctx, who.actor, input);
      expect(sql, JSON.stringify(input)).toEqual(await getDashboard(viaPrisma, who.actor, input));
    }
    expect((await getDashboard(ctx, leader.actor, {})).scopeOptions).toHaveLength(4);
  });

  it("refuses a member another department's scope (403) and its CSV", async () => {
    const member = await makeUser(app.atrium, { departmentId: ids.eng });
    await expect(dash().getDashboard(member.actor, { scope: "sales" })).rejects.toMatchObject({ status: 403, message: expect.stringContaining("Sales is visible to leaders and admins") });
    await expect(dash().exportDashboardCsv(member.actor, { metric: "questions", scope: "sales" })).rejects.toMatchObject({ status: 403 });
  });

  it("answers an unknown department or bad dates with field messages and no figures", async () => {
    const leader = await makeUser(app.atrium, { role: "leader" });
    const d = await dash().getDashboard(leader.actor, { scope: "no-such-dept", period: "custom", from: "2026-13-01", to: "2026-01-01" });
    expect(d.figures).toBeNull();
    expect(d.fieldErrors.scope?.[0]).toContain('There is no department "no-such-dept"');
    expect(d.fieldErrors.from?.[0]).toContain("is not a date");
    await expect(dash().exportDashboardCsv(leader.actor, { metric: "questions", scope: "nope" })).rejects.toMatchObject({ status: 422 });
    await expect(dash().exportDashboardCsv(leader.actor, { metric: "passwords" })).rejects.toMatchObject({ status: 422, fieldErrors: { metric: [expect.stringContaining("Unknown metric")] } });
  });

  it("exports CSV with formula-looking department names neutralised", async () => {
    const leader = await makeUser(app.atrium, { role: "leader" });
    await makeUser(app.atrium, { departmentId: ids.formula });
    const { filename, body } = await dash().exportDashboardCsv(leader.actor, { metric: "contributors", period: "this-month" });
    expect(filename).toBe("atrium-contributors-company-2026-11-01-to-2026-11-20.csv");
    expect(body.split("\r\n")[0]).toBe("department,active_contributors,staff");
    expect(body).toContain(`"'=HYPERLINK(""http://x"")",0,1`);
    expect(body).not.toMatch(/^=|,=/m);
  });
});

describe("the leader role", () => {
  it("is settable by an admin, refused to others, and does not open admin pages", async () => {
    const admin = await makeUser(app.atrium, { role: "admin" });
    const someone = await makeUser(app.atrium);
    await app.atrium.domain.accounts.changeRole(admin.actor, someone.user.id, "leader");
    expect((await app.atrium.db.user.findUnique({ where: { id: someone.user.id } }))!.role).toBe("leader");
    const leader = await makeUser(app.atrium, { role: "leader" });
    await expect(app.atrium.domain.accounts.changeRole(leader.actor, someone.user.id, "admin")).rejects.toMatchObject({ status: 403 });
    await expect(app.atrium.domain.accounts.listUsers(leader.actor)).rejects.toMatchObject({ status: 403 });
    await expect(app.atrium.domain.accounts.changeRole(admin.actor, someone.user.id, "owner")).rejects.toMatchObject({ status: 422 });
  });
});
