/**
 * The audit log: which verbs record what (with address and browser), filters, cursor pages, the
 * CSV export (itself recorded), and that recorded events can be neither changed nor removed.
 */
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import * as auditModule from "../../../server/domain/audit.js";
import { ForbiddenError, ValidationError } from "../../../server/domain/errors.js";
import { withRequestMeta } from "../../../server/request-meta.js";
import { startTestApp, type TestApp } from "../../helpers/app.js";
import { DEFAULT_PASSWORD, makeDepartment, makePerson, makeTeam } from "../../factories.js";
import { manualClock } from "../../helpers/clock.js";

let clock: ReturnType<typeof manualClock>;
let app: TestApp;
let domain: TestApp["atrium"]["domain"];
let admin: Awaited<ReturnType<typeof makePerson>>;
let member: Awaited<ReturnType<typeof makePerson>>;

const from = { ip: "203.0.113.7", userAgent: "AuditTest/1.0" };
const last = (action: string) => app.atrium.db.auditEvent.findFirst({ where: { action }, orderBy: [{ createdAt: "desc" }, { id: "desc" }] });

// Each test has an app of its own with an empty log, in which Audrey is an admin and Milo a member:
// what a test reads from the log is only what that test recorded.
beforeEach(async () => {
  clock = manualClock("2031-05-10T08:00:00Z");
  app = await startTestApp({ clock, env: { LOGIN_MAX_ATTEMPTS: "2" } });
  domain = app.atrium.domain;
  admin = await makePerson(app.atrium, { role: "admin", name: "Audrey Admin", email: "audrey@example.test" });
  member = await makePerson(app.atrium, { name: "Milo Member", email: "milo@example.test" });
});
afterEach(() => app?.close());

/**
 * A morning's administration from one browser: Audrey creates Nina, changes her role (twice, the
 * second time to what it already is), deactivates, reactivates and signs her out, edits her HR
 * fields, puts her in a team, renames the team and creates a department.
 */
async function administerNina() {
  const dept = await makeDepartment(app.atrium, "Audit Dept");
  const team = await makeTeam(app.atrium, { name: "Audit Team" });
  const created = await withRequestMeta(from, async () => {
    const u = await domain.accounts.createUser(admin.actor, { email: "new@example.test", name: "Nina New", password: "a-long-password", role: "member" });
    await domain.accounts.changeRole(admin.actor, u.id, "admin");
    await domain.accounts.changeRole(admin.actor, u.id, "admin"); // no change: nothing recorded
    await domain.accounts.deactivateUser(admin.actor, u.id);
    await domain.accounts.reactivateUser(admin.actor, u.id);
    await domain.accounts.signOutEverywhere(admin.actor, u.id);
    await domain.people.updateHrFields(admin.actor, u.id, { email: "nina@example.test", title: "Engineer", departmentId: dept.id, managerId: null, teamIds: [] });
    await domain.org.setTeamMembership(admin.actor, team.id, u.id, true);
    await domain.org.updateTeam(admin.actor, team.id, { name: "Audit Team Renamed", description: "", departmentId: null, leadId: null });
    await domain.org.createDepartment(admin.actor, { name: "Brand New Dept", description: "" });
    return u;
  });
  return { created, dept };
}

describe("verbs record who, what, when and from where", () => {
  test("a successful password sign-in", async () => {
    await domain.accounts.signIn({ email: "milo@example.test", password: DEFAULT_PASSWORD }, from);
    expect(await last("auth.signin_succeeded")).toMatchObject({
      actorId: member.user.id,
      actorLabel: "Milo Member <milo@example.test>",
      targetId: member.user.id,
      ip: "203.0.113.7",
      userAgent: "AuditTest/1.0",
      createdAt: new Date(clock.t),
    });
  });

  test("failed sign-ins: wrong password, unknown email, then rate limited — never the password", async () => {
    const meta = { ip: "198.51.100.9", userAgent: "Guesser" };
    await expect(domain.accounts.signIn({ email: "milo@example.test", password: "wrong-password-1" }, meta)).rejects.toThrow(ValidationError);
    await expect(domain.accounts.signIn({ email: "nobody@example.test", password: "wrong-password-2" }, meta)).rejects.toThrow(ValidationError);
    await expect(domain.accounts.signIn({ email: "milo@example.test", password: "wrong-password-3" }, meta)).rejects.toThrow(ValidationError);
    await expect(domain.accounts.signIn({ email: "milo@example.test", password: "wrong-password-4" }, meta)).rejects.toThrow(/Too many/);
    const failed = await app.atrium.db.auditEvent.findMany({ where: { action: "auth.signin_failed" }, orderBy: { id: "asc" } });
    const reasons = failed.map((f) => JSON.parse(f.details).reason);
    expect(reasons).toEqual(["wrong_password", "unknown_email", "wrong_password", "rate_limited"]);
    expect(failed[0]).toMatchObject({ actorId: member.user.id, ip: "198.51.100.9", userAgent: "Guesser" });
    expect(failed[1]).toMatchObject({ actorId: null, actorLabel: "nobody@example.test" });
    expect(failed.map((f) => f.details).join()).not.toMatch(/wrong-password/);
  });

  test("admin verbs pick up the request's address from the HTTP scope", async () => {
    const { created, dept } = await administerNina();
    const rows = await app.atrium.db.auditEvent.findMany({ where: { actorId: admin.user.id }, orderBy: { id: "asc" } });
    expect(rows.map((r) => r.action)).toEqual([
      "user.created",
      "user.role_changed",
      "user.deactivated",
      "user.reactivated",
      "auth.signout_everywhere",
      "person.hr_updated",
      "org.team_membership_changed",
      "org.team_updated",
      "org.department_created",
    ]);
    for (const r of rows) expect(r).toMatchObject({ ip: "203.0.113.7", userAgent: "AuditTest/1.0", actorLabel: "Audrey Admin <audrey@example.test>" });
    // A role change ends the person's sessions (decision 097); Nina had none.
    expect(JSON.parse(rows[1].details)).toEqual({ from: "member", to: "admin", sessionsEnded: 0 });
    expect(rows[2]).toMatchObject({ targetType: "user", targetId: created.id, summary: "Deactivated Nina New <new@example.test>" });
    expect(JSON.parse(rows[5].details).changes).toEqual({
      email: { from: "new@example.test", to: "nina@example.test" },
      title: { from: "", to: "Engineer" },
      departmentId: { from: null, to: dept.id },
    });
    expect(rows[7].summary).toBe("Renamed the team Audit Team to Audit Team Renamed");
  });

  test("a refused verb records nothing", async () => {
    const before = await app.atrium.db.auditEvent.count();
    await expect(domain.accounts.changeRole(member.actor, admin.user.id, "member")).rejects.toThrow(ForbiddenError);
    await expect(domain.accounts.createUser(admin.actor, { email: "bad", name: "", password: "x" })).rejects.toThrow(ValidationError);
    expect(await app.atrium.db.auditEvent.count()).toBe(before);
  });
});

describe("append-only", () => {
  test("the audit module offers no verb to change or remove entries", () => {
    const verbs = Object.keys(app.atrium.domain.audit).sort();
    expect(verbs).toEqual(["exportAuditCsv", "listAuditEvents"]);
    expect(Object.keys(auditModule).filter((k) => /update|delete|remove|purge|edit/i.test(k))).toEqual([]);
  });

  test("the database refuses UPDATE and DELETE on recorded events, even through Prisma or raw SQL", async () => {
    await administerNina();
    const e = (await last("user.created"))!;
    const count = await app.atrium.db.auditEvent.count();
    // (Prisma's SQLite adapter reports the trigger's ABORT as a constraint violation.)
    await expect(app.atrium.db.auditEvent.update({ where: { id: e.id }, data: { summary: "tampered" } })).rejects.toThrow();
    await expect(app.atrium.db.auditEvent.delete({ where: { id: e.id } })).rejects.toThrow();
    await expect(app.atrium.db.auditEvent.deleteMany({})).rejects.toThrow();
    await expect(app.atrium.db.$executeRawUnsafe(`UPDATE "AuditEvent" SET "ip" = '1.1.1.1'`)).rejects.toThrow();
    await expect(app.atrium.db.$executeRawUnsafe(`DELETE FROM "AuditEvent"`)).rejects.toThrow();
    expect(await app.atrium.db.auditEvent.findUnique({ where: { id: e.id } })).toEqual(e);
    expect(await app.atrium.db.auditEvent.count()).toBe(count);
    expect(await app.atrium.db.auditEvent.count({ where: { ip: "1.1.1.1" } })).toBe(0);
  });
});

describe("listing", () => {
  test("only admins may read the log", async () => {
    await expect(domain.audit.listAuditEvents(member.actor, {})).rejects.toThrow(ForbiddenError);
    await expect(domain.audit.exportAuditCsv(member.actor, {})).rejects.toThrow(ForbiddenError);
  });

  test("filters by action, actor (name, email or id) and whole UTC days", async () => {
    await domain.accounts.signIn({ email: "milo@example.test", password: DEFAULT_PASSWORD }, from);
    await administerNina();
    const byAction = await domain.audit.listAuditEvents(admin.actor, { action: "user.role_changed" });
    expect(byAction.events.map((e) => e.action)).toEqual(["user.role_changed"]);
    expect(byAction.events[0].actionLabel).toBe("Role changed");
    // Each actor filter returns exactly that person's entries: not none, not anyone else's.
    for (const [actor, person] of [["audrey@", admin], ["Audrey", admin], [member.user.id, member]] as const) {
      const expected = await app.atrium.db.auditEvent.findMany({ where: { actorId: person.user.id }, select: { id: true } });
      expect(expected.length).toBeGreaterThan(0);
      expect(expected.length).toBeLessThan(auditModule.AUDIT_PAGE_SIZE);
      const got = (await domain.audit.listAuditEvents(admin.actor, { actor })).events;
      expect(got.map((e) => e.id).sort()).toEqual(expected.map((e) => e.id).sort());
    }

    clock.t = Date.parse("2031-05-12T23:59:00Z");
    await domain.accounts.signIn({ email: "audrey@example.test", password: DEFAULT_PASSWORD }, from);
    clock.t = Date.parse("2031-05-13T00:01:00Z");
    await domain.accounts.signIn({ email: "audrey@example.test", password: DEFAULT_PASSWORD }, from);
    const day12 = await domain.audit.listAuditEvents(admin.actor, { from: "2031-05-12", to: "2031-05-12" });
    expect(day12.events.map((e) => e.createdAt.toISOString())).toEqual(["2031-05-12T23:59:00.000Z"]);
    const from13 = await domain.audit.listAuditEvents(admin.actor, { from: "2031-05-13" });
    expect(from13.events).toHaveLength(1);
    const upTo11 = await domain.audit.listAuditEvents(admin.actor, { to: "2031-05-11" });
    expect(upTo11.events.length).toBeGreaterThan(5);
    expect(upTo11.events.every((e) => e.createdAt < new Date("2031-05-12T00:00:00Z"))).toBe(true);
  });

  test("bad filters are field errors", async () => {
    await expect(domain.audit.listAuditEvents(admin.actor, { from: "12/05/2031" })).rejects.toMatchObject({ fieldErrors: { from: [expect.any(String)] } });
    await expect(domain.audit.listAuditEvents(admin.actor, { from: "2031-05-13", to: "2031-05-12" })).rejects.toMatchObject({ fieldErrors: { to: [expect.any(String)] } });
    await expect(domain.audit.listAuditEvents(admin.actor, { action: "user.exploded" })).rejects.toThrow(ValidationError);
  });

  test("cursor pages walk every entry once, newest first", async () => {
    clock.t = Date.parse("2031-06-01T00:00:00Z");
    // 230 entries in the same millisecond: the id breaks the tie.
    await app.atrium.db.auditEvent.createMany({
      data: Array.from({ length: 230 }, (_, i) => ({ action: "user.created", summary: `bulk ${i}`, createdAt: new Date(clock.t), actorId: admin.user.id })),
    });
    const seen: string[] = [];
    let cursor = "";
    let pages = 0;
    do {
      const page = await domain.audit.listAuditEvents(admin.actor, { action: "user.created", cursor });
      seen.push(...page.events.map((e) => e.id));
      cursor = page.nextCursor ?? "";
      pages++;
    } while (cursor);
    const total = await app.atrium.db.auditEvent.count({ where: { action: "user.created" } });
    expect(pages).toBe(Math.ceil(total / auditModule.AUDIT_PAGE_SIZE));
    expect(new Set(seen).size).toBe(total);
    expect(seen.length).toBe(total);
  });
});

describe("CSV export", () => {
  test("exports the filtered rows with escaping, and records the export", async () => {
    await app.atrium.db.auditEvent.create({
      data: { action: "org.team_created", summary: '=HYPERLINK("http://evil") , "quoted"\nline', actorLabel: "@attacker", ip: "::1" },
    });
    const out = await withRequestMeta(from, () => domain.audit.exportAuditCsv(admin.actor, { action: "org.team_created" }));
    let csv = "";
    for await (const line of out.lines) csv += line;
    expect(out.rows).toBe(1);
    expect(out.filename).toMatch(/^atrium-audit-\d{4}-\d{2}-\d{2}\.csv$/);
    const [header, row] = csv.split("\r\n");
    expect(header).toBe(auditModule.AUDIT_CSV_COLUMNS.join(","));
    // Formula-looking cells are defused with a leading quote; commas, quotes and newlines are quoted.
    expect(csv).toContain(`"'=HYPERLINK(""http://evil"") , ""quoted""\nline"`);
    expect(row).toContain(",'@attacker,org.team_created,");
    const exported = await last("audit.exported");
    expect(exported).toMatchObject({ actorId: admin.user.id, ip: "203.0.113.7", summary: "Exported 1 audit event as CSV" });
    expect(JSON.parse(exported!.details)).toEqual({ filters: { action: "org.team_created" }, rows: 1 });
  });

  test("a large export streams every row in order", async () => {
    await administerNina();
    // More rows than one batch (1000), written newest first, some in the same millisecond, so
    // neither the order they were written in nor a single batch gives the order by time.
    const base = Date.parse("2031-06-01T00:00:00Z");
    await app.atrium.db.auditEvent.createMany({
      data: Array.from({ length: 1100 }, (_, i) => ({ action: "user.created", summary: `bulk ${i}`, createdAt: new Date(base - Math.floor(i / 3) * 1000), actorId: admin.user.id })),
    });
    const out = await domain.audit.exportAuditCsv(admin.actor, {});
    let lines = 0;
    let previous = "";
    for await (const line of out.lines) {
      if (lines++ === 0) continue;
      const time = line.slice(0, 24);
      expect(time >= previous).toBe(true);
      previous = time;
    }
    expect(lines - 1).toBe(out.rows);
    expect(out.rows).toBeGreaterThan(1100);
  });
});
