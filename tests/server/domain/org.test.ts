import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { DomainEvents } from "../../../server/events.js";
import { ForbiddenError, NotFoundError, ValidationError } from "../../../server/domain/errors.js";
import { startTestApp, type TestApp } from "../../helpers/app.js";
import { makeDepartment, makePerson, makeTeam, snapshotPerson } from "../../factories.js";
import { manualClock } from "../../helpers/clock.js";

const clock = manualClock("2030-06-01T12:00:00Z");
let app: TestApp;
let domain: TestApp["atrium"]["domain"];
type P = Awaited<ReturnType<typeof makePerson>>;
let admin: P, member: P;

async function rejects<E extends Error>(p: Promise<unknown>, type: new (...a: any[]) => E): Promise<E> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(type);
  return err as E;
}

const db = () => app.atrium.db;
const index = () => app.atrium.ctx.peopleIndex;
const search = (q: string) => index().search(q).map((r) => r.id);
/** The audit rows about one department or team, oldest first, with their details parsed. */
const audited = async (targetId: string) =>
  (await db().auditEvent.findMany({ where: { targetId }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] })).map((r) => ({
    actorId: r.actorId,
    action: r.action,
    targetType: r.targetType,
    summary: r.summary,
    details: JSON.parse(r.details),
    at: r.createdAt.toISOString(),
  }));
const AT = "2030-06-01T12:00:00.000Z";
const orgEvents: DomainEvents["org.changed"][] = [];
const personEvents: DomainEvents["person.updated"][] = [];

beforeAll(async () => {
  app = await startTestApp({ clock });
  domain = app.atrium.domain;
  app.atrium.ctx.bus.subscribe("org.changed", (p) => void orgEvents.push(p));
  app.atrium.ctx.bus.subscribe("person.updated", (p) => void personEvents.push(p));
  admin = await makePerson(app.atrium, { role: "admin", name: "Admin Person" });
  member = await makePerson(app.atrium, { name: "Member Person" });
});
afterAll(() => app?.close());

describe("departments", () => {
  test("an admin creates a department with a slug; HTML in the name is kept verbatim", async () => {
    const d = await domain.org.createDepartment(admin.actor, { name: "  Research & Development ", description: "R&D" });
    expect(d).toMatchObject({ name: "Research & Development", slug: "research-development", description: "R&D" });
    const html = await domain.org.createDepartment(admin.actor, { name: "<b>Bold</b> Dept" });
    expect((await db().department.findUniqueOrThrow({ where: { id: html.id } })).name).toBe("<b>Bold</b> Dept");
  });

  test("a member cannot create, rename or delete departments; nothing changes", async () => {
    const d = await makeDepartment(app.atrium, "Untouchable");
    const count = await db().department.count();
    await rejects(domain.org.createDepartment(member.actor, { name: "Shadow IT" }), ForbiddenError);
    await rejects(domain.org.updateDepartment(member.actor, d.id, { name: "Renamed" }), ForbiddenError);
    await rejects(domain.org.deleteDepartment(member.actor, d.id), ForbiddenError);
    expect(await db().department.count()).toBe(count);
    expect(await db().department.findUniqueOrThrow({ where: { id: d.id } })).toEqual(d);
  });

  test("a duplicate name or slug and bad input are field errors; nothing written", async () => {
    await makeDepartment(app.atrium, "Finance");
    await db().department.create({ data: { name: "Sales & Marketing", slug: "sales-marketing" } });
    const count = await db().department.count();
    expect((await rejects(domain.org.createDepartment(admin.actor, { name: "Finance" }), ValidationError)).fieldErrors.name).toEqual([
      "A department with this name already exists.",
    ]);
    // "Sales / Marketing" has the slug of "Sales & Marketing".
    await rejects(domain.org.createDepartment(admin.actor, { name: "Sales / Marketing" }), ValidationError);
    const bad = await rejects(domain.org.createDepartment(admin.actor, { name: "", description: "x".repeat(501) }), ValidationError);
    expect(bad.fieldErrors).toEqual({
      name: ["Department name is required."],
      description: ["Description must be at most 500 characters."],
    });
    expect(await db().department.count()).toBe(count);
  });

  test("renaming re-indexes the department's people; keeping its own name is fine", async () => {
    const d = await domain.org.createDepartment(admin.actor, { name: "Logistics" });
    const p = await makePerson(app.atrium, { departmentId: d.id });
    expect(search("logistics")).toEqual([p.user.id]);
    await domain.org.updateDepartment(admin.actor, d.id, { name: "Supply Chain", description: "moved" });
    expect(search("logistics")).toEqual([]);
    expect(search("supply chain")).toEqual([p.user.id]);
    await domain.org.updateDepartment(admin.actor, d.id, { name: "Supply Chain", description: "same name again" });
    expect((await db().department.findUniqueOrThrow({ where: { id: d.id } })).description).toBe("same name again");
  });

  test("renaming onto another department's name is refused", async () => {
    const a = await makeDepartment(app.atrium, "Alpha Dept");
    await makeDepartment(app.atrium, "Beta Dept");
    await rejects(domain.org.updateDepartment(admin.actor, a.id, { name: "Beta Dept" }), ValidationError);
    expect((await db().department.findUniqueOrThrow({ where: { id: a.id } })).name).toBe("Alpha Dept");
    await rejects(domain.org.updateDepartment(admin.actor, "nope", { name: "Whatever" }), NotFoundError);
  });

  test("a department with people cannot be deleted; an empty one can", async () => {
    const full = await makeDepartment(app.atrium);
    await makePerson(app.atrium, { departmentId: full.id });
    await makePerson(app.atrium, { departmentId: full.id });
    const err = await rejects(domain.org.deleteDepartment(admin.actor, full.id), ValidationError);
    expect(err.fieldErrors.form).toEqual(["Move its 2 people to another department first."]);
    expect(await db().department.findUnique({ where: { id: full.id } })).not.toBeNull();

    const empty = await makeDepartment(app.atrium);
    await domain.org.deleteDepartment(admin.actor, empty.id);
    expect(await db().department.findUnique({ where: { id: empty.id } })).toBeNull();
    await rejects(domain.org.deleteDepartment(admin.actor, empty.id), NotFoundError);
  });

  test("listDepartments counts active people and teams", async () => {
    const d = await makeDepartment(app.atrium, "Counted");
    await makePerson(app.atrium, { departmentId: d.id });
    await makePerson(app.atrium, { departmentId: d.id, active: false });
    await makeTeam(app.atrium, { departmentId: d.id });
    const row = (await domain.org.listDepartments()).find((x) => x.id === d.id);
    expect(row).toMatchObject({ name: "Counted", people: 1, teams: 1 });
  });

  test("listDepartments reads the same with prepared SQL as through Prisma", async () => {
    const { listDepartments } = await import("../../../server/domain/org.js");
    const ctx = app.atrium.ctx;
    expect(ctx.reads).toBeDefined();
    const d = await makeDepartment(app.atrium, "Prepared Counts");
    await makeDepartment(app.atrium, "Prepared Other");
    for (const active of [true, true, false]) await makePerson(app.atrium, { departmentId: d.id, active });
    for (let i = 0; i < 2; i++) await makeTeam(app.atrium, { departmentId: d.id });
    const sql = await listDepartments(ctx);
    expect(sql).toEqual(await listDepartments({ ...ctx, reads: undefined }));
    expect(sql.length).toBeGreaterThan(1);
    expect(sql.find((x) => x.id === d.id)).toMatchObject({ people: 2, teams: 2 });
  });
});

describe("teams", () => {
  test("an admin creates a team; its lead becomes a member and is findable by the team", async () => {
    const d = await makeDepartment(app.atrium);
    const lead = await makePerson(app.atrium, { name: "Tina Lead" });
    const t = await domain.org.createTeam(admin.actor, { name: "Observability", departmentId: d.id, leadId: lead.user.id });
    expect(t).toMatchObject({ name: "Observability", slug: "observability", departmentId: d.id, leadId: lead.user.id });
    expect((await snapshotPerson(app.atrium, lead.user.id)).teams.map((m) => m.teamId)).toEqual([t.id]);
    expect(index().filterOnly({ teamId: t.id })).toEqual([lead.user.id]);
    expect(search("observability")).toEqual([lead.user.id]);
    const listed = (await domain.org.listTeams()).find((x) => x.id === t.id);
    expect(listed).toMatchObject({ members: 1, lead: { id: lead.user.id, name: "Tina Lead" }, department: { id: d.id } });
  });

  test("unknown department, unknown or deactivated lead are field errors; nothing written", async () => {
    const gone = await makePerson(app.atrium, { active: false });
    const count = await db().team.count();
    const err = await rejects(domain.org.createTeam(admin.actor, { name: "Ghost Team", departmentId: "nope", leadId: "nobody" }), ValidationError);
    expect(err.fieldErrors).toEqual({ departmentId: ["Choose an existing department."], leadId: ["Choose an active person."] });
    await rejects(domain.org.createTeam(admin.actor, { name: "Ghost Team", leadId: gone.user.id }), ValidationError);
    await rejects(domain.org.createTeam(admin.actor, { name: "  " }), ValidationError);
    expect(await db().team.count()).toBe(count);
  });

  test("a member cannot create, update, delete teams or change membership; nothing changes", async () => {
    const t = await makeTeam(app.atrium, { name: "Protected Team" });
    const p = await makePerson(app.atrium);
    const count = await db().team.count();
    const before = await snapshotPerson(app.atrium, p.user.id);
    await rejects(domain.org.createTeam(member.actor, { name: "Rogue" }), ForbiddenError);
    await rejects(domain.org.updateTeam(member.actor, t.id, { name: "Renamed" }), ForbiddenError);
    await rejects(domain.org.deleteTeam(member.actor, t.id), ForbiddenError);
    await rejects(domain.org.setTeamMembership(member.actor, t.id, p.user.id, true), ForbiddenError);
    await rejects(domain.org.setTeamMembership(member.actor, t.id, member.user.id, true), ForbiddenError);
    expect(await db().team.count()).toBe(count);
    expect(await db().team.findUniqueOrThrow({ where: { id: t.id } })).toEqual(t);
    expect(await snapshotPerson(app.atrium, p.user.id)).toEqual(before);
    expect(await db().teamMembership.count({ where: { teamId: t.id } })).toBe(0);
  });

  test("renaming a team re-indexes its members; a clash is refused", async () => {
    const t = await makeTeam(app.atrium, { name: "Blue Squad" });
    await makeTeam(app.atrium, { name: "Red Squad" });
    const p = await makePerson(app.atrium, { teamIds: [t.id] });
    expect(search("blue")).toEqual([p.user.id]);
    await domain.org.updateTeam(admin.actor, t.id, { name: "Green Squad", description: "renamed" });
    expect(search("blue")).toEqual([]);
    expect(search("green")).toEqual([p.user.id]);
    await rejects(domain.org.updateTeam(admin.actor, t.id, { name: "Red Squad" }), ValidationError);
    expect((await db().team.findUniqueOrThrow({ where: { id: t.id } })).name).toBe("Green Squad");
    await rejects(domain.org.updateTeam(admin.actor, "nope", { name: "X" }), NotFoundError);
  });

  test("deleting a team removes memberships and index entries", async () => {
    const t = await makeTeam(app.atrium, { name: "Short Lived" });
    const p = await makePerson(app.atrium, { teamIds: [t.id] });
    await domain.org.deleteTeam(admin.actor, t.id);
    expect(await db().team.findUnique({ where: { id: t.id } })).toBeNull();
    expect((await snapshotPerson(app.atrium, p.user.id)).teams).toEqual([]);
    expect(index().filterOnly({ teamId: t.id })).toEqual([]);
    expect(search("short lived")).toEqual([]);
    await rejects(domain.org.deleteTeam(admin.actor, t.id), NotFoundError);
  });

  test("setTeamMembership: several teams per person, one notification on joining, none for self", async () => {
    const [t1, t2] = [await makeTeam(app.atrium, { name: "Team One" }), await makeTeam(app.atrium, { name: "Team Two" })];
    const p = await makePerson(app.atrium);
    await domain.org.setTeamMembership(admin.actor, t1.id, p.user.id, true);
    await domain.org.setTeamMembership(admin.actor, t2.id, p.user.id, true);
    await domain.org.setTeamMembership(admin.actor, t2.id, p.user.id, true); // already a member: no second notice
    let snap = await snapshotPerson(app.atrium, p.user.id);
    expect(snap.teams.map((m) => m.teamId).sort()).toEqual([t1.id, t2.id].sort());
    expect(snap.notifications.map((n) => n.title).sort()).toEqual(["You were added to the team Team One", "You were added to the team Team Two"]);
    expect(snap.notifications.find((n) => n.title.endsWith("Team One"))?.link).toBe(`/people?team=${t1.id}`);
    expect(index().filterOnly({ teamId: t2.id })).toEqual([p.user.id]);

    await domain.org.setTeamMembership(admin.actor, t1.id, p.user.id, false);
    snap = await snapshotPerson(app.atrium, p.user.id);
    expect(snap.teams.map((m) => m.teamId)).toEqual([t2.id]);
    expect(index().filterOnly({ teamId: t1.id })).toEqual([]);

    const before = await db().notification.count({ where: { userId: admin.user.id } });
    await domain.org.setTeamMembership(admin.actor, t1.id, admin.user.id, true);
    expect(await db().notification.count({ where: { userId: admin.user.id } })).toBe(before);
  });

  test("setTeamMembership with an unknown team or person", async () => {
    const t = await makeTeam(app.atrium);
    await rejects(domain.org.setTeamMembership(admin.actor, "nope", member.user.id, true), NotFoundError);
    const err = await rejects(domain.org.setTeamMembership(admin.actor, t.id, "nobody", true), ValidationError);
    expect(err.fieldErrors.userId).toEqual(["Choose an existing person."]);
    expect(await db().teamMembership.count({ where: { teamId: t.id } })).toBe(0);
  });

  test("getTeam lists members by name; unknown team is 404", async () => {
    const t = await makeTeam(app.atrium, { name: "Named Team" });
    await makePerson(app.atrium, { name: "Zoe Z", teamIds: [t.id] });
    await makePerson(app.atrium, { name: "Abe A", teamIds: [t.id] });
    const got = await domain.org.getTeam(t.id);
    expect(got.members.map((m) => m.name)).toEqual(["Abe A", "Zoe Z"]);
    await rejects(domain.org.getTeam("nope"), NotFoundError);
  });
});

describe("audit and announcements", () => {
  const by = () => ({ actorId: admin.user.id, at: AT });

  test("a department's creation, update, rename and deletion are each audited and announced", async () => {
    orgEvents.length = 0;
    const d = await domain.org.createDepartment(admin.actor, { name: "Audited Dept", description: "first" });
    await domain.org.updateDepartment(admin.actor, d.id, { name: "Audited Dept", description: "second" });
    await domain.org.updateDepartment(admin.actor, d.id, { name: "Audited Division", description: "third" });
    await domain.org.deleteDepartment(admin.actor, d.id);
    expect(await audited(d.id)).toEqual([
      { ...by(), action: "org.department_created", targetType: "department", summary: "Created the department Audited Dept", details: {} },
      {
        ...by(),
        action: "org.department_updated",
        targetType: "department",
        summary: "Updated the department Audited Dept",
        details: { from: { name: "Audited Dept", description: "first" }, to: { name: "Audited Dept", description: "second" } },
      },
      {
        ...by(),
        action: "org.department_updated",
        targetType: "department",
        summary: "Renamed the department Audited Dept to Audited Division",
        details: { from: { name: "Audited Dept", description: "second" }, to: { name: "Audited Division", description: "third" } },
      },
      { ...by(), action: "org.department_deleted", targetType: "department", summary: "Deleted the department Audited Division", details: {} },
    ]);
    expect(orgEvents).toEqual([{ kind: "department" }, { kind: "department" }, { kind: "department" }, { kind: "department" }]);
  });

  test("a team's creation, update, rename and deletion are each audited and announced", async () => {
    const d = await makeDepartment(app.atrium);
    const lead = await makePerson(app.atrium);
    const other = await makePerson(app.atrium);
    // Someone in another team: not one of this team's members.
    await makePerson(app.atrium, { teamIds: [(await makeTeam(app.atrium)).id] });
    orgEvents.length = 0;
    const t = await domain.org.createTeam(admin.actor, { name: "Audited Team", description: "a", departmentId: d.id, leadId: lead.user.id });
    await domain.org.setTeamMembership(admin.actor, t.id, other.user.id, true);
    await domain.org.updateTeam(admin.actor, t.id, { name: "Audited Team", description: "b", departmentId: null, leadId: lead.user.id });
    await domain.org.updateTeam(admin.actor, t.id, { name: "Audited Crew", description: "c", departmentId: d.id, leadId: null });
    await domain.org.deleteTeam(admin.actor, t.id);
    const rows = await audited(t.id);
    expect(rows.map((r) => r.action)).toEqual(["org.team_created", "org.team_membership_changed", "org.team_updated", "org.team_updated", "org.team_deleted"]);
    for (const r of rows) expect(r).toMatchObject({ ...by(), targetType: "team" });
    expect(rows[0]).toMatchObject({ summary: "Created the team Audited Team", details: { name: "Audited Team", description: "a", departmentId: d.id, leadId: lead.user.id } });
    expect(rows[2]).toMatchObject({
      summary: "Updated the team Audited Team",
      details: {
        from: { name: "Audited Team", description: "a", departmentId: d.id, leadId: lead.user.id },
        to: { name: "Audited Team", description: "b", departmentId: null, leadId: lead.user.id },
      },
    });
    expect(rows[3]).toMatchObject({
      summary: "Renamed the team Audited Team to Audited Crew",
      details: { from: { name: "Audited Team", description: "b", departmentId: null, leadId: lead.user.id }, to: { name: "Audited Crew", description: "c", departmentId: d.id, leadId: null } },
    });
    expect(rows[4]).toMatchObject({ summary: "Deleted the team Audited Crew (2 members)", details: {} });
    expect(orgEvents).toEqual([{ kind: "team" }, { kind: "team" }, { kind: "team" }, { kind: "team" }]);
  });

  test("joining and leaving a team are audited once each, by name, and announced as the person's change", async () => {
    const t = await makeTeam(app.atrium, { name: "Membership Team" });
    const p = await makePerson(app.atrium, { name: "Mo Member" });
    personEvents.length = 0;
    orgEvents.length = 0;
    await domain.org.setTeamMembership(admin.actor, t.id, p.user.id, true);
    await domain.org.setTeamMembership(admin.actor, t.id, p.user.id, true); // no change: not audited
    await domain.org.setTeamMembership(admin.actor, t.id, p.user.id, false);
    await domain.org.setTeamMembership(admin.actor, t.id, p.user.id, false); // no change: not audited
    expect(await audited(t.id)).toEqual([
      { ...by(), action: "org.team_membership_changed", targetType: "team", summary: "Added Mo Member to the team Membership Team", details: { userId: p.user.id, member: true } },
      { ...by(), action: "org.team_membership_changed", targetType: "team", summary: "Removed Mo Member from the team Membership Team", details: { userId: p.user.id, member: false } },
    ]);
    expect(personEvents).toEqual(Array(4).fill({ userId: p.user.id }));
    expect(orgEvents).toEqual([]);
    expect(await db().teamMembership.count({ where: { teamId: t.id } })).toBe(0);
    // Told once, on joining; leaving (even when already gone) tells nobody.
    expect((await snapshotPerson(app.atrium, p.user.id)).notifications.map((n) => n.title)).toEqual(["You were added to the team Membership Team"]);
  });

  test("a person added back to a team they left is notified again; leaving notifies nobody", async () => {
    const t = await makeTeam(app.atrium, { name: "Rejoin Team" });
    const p = await makePerson(app.atrium);
    await domain.org.setTeamMembership(admin.actor, t.id, p.user.id, true);
    await domain.org.setTeamMembership(admin.actor, t.id, p.user.id, false);
    expect((await snapshotPerson(app.atrium, p.user.id)).notifications).toHaveLength(1);
    await domain.org.setTeamMembership(admin.actor, t.id, p.user.id, true);
    const { notifications } = await snapshotPerson(app.atrium, p.user.id);
    expect(notifications.map((n) => ({ type: n.type, title: n.title, link: n.link }))).toEqual(
      Array(2).fill({ type: "team.joined", title: "You were added to the team Rejoin Team", link: `/people?team=${t.id}` }),
    );
  });

  test("refused changes write no audit row and announce nothing", async () => {
    const d = await makeDepartment(app.atrium, "Quiet Dept");
    await makePerson(app.atrium, { departmentId: d.id });
    const t = await makeTeam(app.atrium, { name: "Quiet Team" });
    const count = await db().auditEvent.count();
    orgEvents.length = 0;
    personEvents.length = 0;
    await rejects(domain.org.deleteDepartment(admin.actor, d.id), ValidationError);
    await rejects(domain.org.updateDepartment(admin.actor, d.id, { name: "" }), ValidationError);
    await rejects(domain.org.updateTeam(admin.actor, t.id, { name: "Quiet Team", leadId: "nobody" }), ValidationError);
    await rejects(domain.org.setTeamMembership(admin.actor, t.id, "nobody", true), ValidationError);
    await rejects(domain.org.createTeam(member.actor, { name: "Not Allowed" }), ForbiddenError);
    expect(await db().auditEvent.count()).toBe(count);
    expect(orgEvents).toEqual([]);
    expect(personEvents).toEqual([]);
    expect(await db().team.findUniqueOrThrow({ where: { id: t.id } })).toEqual(t);
    expect(await db().department.findUniqueOrThrow({ where: { id: d.id } })).toEqual(d);
  });
});

describe("edges", () => {
  test("a department with one active person names one person; deactivated people do not block deletion", async () => {
    const d = await makeDepartment(app.atrium);
    const gone = await makePerson(app.atrium, { departmentId: d.id, active: false });
    const p = await makePerson(app.atrium, { departmentId: d.id });
    const err = await rejects(domain.org.deleteDepartment(admin.actor, d.id), ValidationError);
    expect(err.fieldErrors).toEqual({ form: ["Move its 1 person to another department first."] });
    expect(await db().department.findUnique({ where: { id: d.id } })).toEqual(d);
    await db().user.update({ where: { id: p.user.id }, data: { departmentId: null } });
    await domain.org.deleteDepartment(admin.actor, d.id);
    expect(await db().department.findUnique({ where: { id: d.id } })).toBeNull();
    expect((await db().user.findUniqueOrThrow({ where: { id: gone.user.id } })).departmentId).toBeNull();
  });

  test("listTeams gives every team by name with its department, lead and member count", async () => {
    const d = await makeDepartment(app.atrium, "Listing Dept");
    const lead = await makePerson(app.atrium, { name: "Lena Lead" });
    // Written out of name order.
    const z = await makeTeam(app.atrium, { name: "Zz Listed Team", departmentId: d.id, leadId: lead.user.id });
    const a = await makeTeam(app.atrium, { name: "Aa Listed Team" });
    await makePerson(app.atrium, { teamIds: [z.id] });
    await makePerson(app.atrium, { teamIds: [z.id] });
    const teams = await domain.org.listTeams();
    expect(teams.map((t) => t.name)).toEqual([...teams.map((t) => t.name)].sort());
    expect(teams.find((t) => t.id === z.id)).toEqual({
      id: z.id,
      name: "Zz Listed Team",
      slug: "zz-listed-team",
      description: "",
      department: { id: d.id, name: "Listing Dept" },
      lead: { id: lead.user.id, name: "Lena Lead" },
      members: 2,
    });
    expect(teams.find((t) => t.id === a.id)).toEqual({ id: a.id, name: "Aa Listed Team", slug: "aa-listed-team", description: "", department: null, lead: null, members: 0 });
    expect(teams.findIndex((t) => t.id === a.id)).toBeLessThan(teams.findIndex((t) => t.id === z.id));
  });

  test("listDepartments gives every department by name", async () => {
    const z = await makeDepartment(app.atrium, "Zz Listed Dept");
    const a = await makeDepartment(app.atrium, "Aa Listed Dept");
    for (const reads of [app.atrium.ctx.reads, undefined]) {
      const { listDepartments } = await import("../../../server/domain/org.js");
      const rows = await listDepartments({ ...app.atrium.ctx, reads });
      expect(rows.map((r) => r.name)).toEqual([...rows.map((r) => r.name)].sort());
      expect(rows.findIndex((r) => r.id === a.id)).toBeLessThan(rows.findIndex((r) => r.id === z.id));
      expect(rows.find((r) => r.id === a.id)).toEqual({ id: a.id, name: "Aa Listed Dept", slug: "aa-listed-dept", description: "", people: 0, teams: 0 });
    }
  });

  test("a new lead named in an update becomes a member and is findable by the team", async () => {
    const t = await makeTeam(app.atrium, { name: "Lead Change Team" });
    const lead = await makePerson(app.atrium);
    await domain.org.updateTeam(admin.actor, t.id, { name: "Lead Change Team", leadId: lead.user.id });
    expect((await db().team.findUniqueOrThrow({ where: { id: t.id } })).leadId).toBe(lead.user.id);
    expect((await snapshotPerson(app.atrium, lead.user.id)).teams.map((m) => m.teamId)).toEqual([t.id]);
    expect(index().filterOnly({ teamId: t.id })).toEqual([lead.user.id]);
    // Naming the same lead again keeps one membership.
    await domain.org.updateTeam(admin.actor, t.id, { name: "Lead Change Team", description: "again", leadId: lead.user.id });
    expect(await db().teamMembership.count({ where: { teamId: t.id } })).toBe(1);
  });

  test("a team without a lead has no members when created", async () => {
    const t = await domain.org.createTeam(admin.actor, { name: "Leaderless Team" });
    expect(t).toMatchObject({ name: "Leaderless Team", slug: "leaderless-team", description: "", departmentId: null, leadId: null });
    expect(await db().teamMembership.count({ where: { teamId: t.id } })).toBe(0);
  });

  test("an unknown department alone, or an unknown lead alone, is the only field error", async () => {
    const d = await makeDepartment(app.atrium);
    const lead = await makePerson(app.atrium);
    const count = await db().team.count();
    const dept = await rejects(domain.org.createTeam(admin.actor, { name: "Half Ghost", departmentId: "nope", leadId: lead.user.id }), ValidationError);
    expect(dept.fieldErrors).toEqual({ departmentId: ["Choose an existing department."] });
    const led = await rejects(domain.org.createTeam(admin.actor, { name: "Half Ghost", departmentId: d.id, leadId: "nobody" }), ValidationError);
    expect(led.fieldErrors).toEqual({ leadId: ["Choose an active person."] });
    expect(await db().team.count()).toBe(count);
  });

  test("a team name taken by another team, by name or by slug, is refused; the team's own name is kept", async () => {
    await makeTeam(app.atrium, { name: "Taken Team" });
    const t = await makeTeam(app.atrium, { name: "Own Team" });
    const count = await db().team.count();
    for (const name of ["Taken Team", "taken / team"]) {
      const err = await rejects(domain.org.createTeam(admin.actor, { name }), ValidationError);
      expect(err.fieldErrors).toEqual({ name: ["A team with this name already exists."] });
      await rejects(domain.org.updateTeam(admin.actor, t.id, { name }), ValidationError);
    }
    expect(await db().team.count()).toBe(count);
    expect(await db().team.findUniqueOrThrow({ where: { id: t.id } })).toEqual(t);
    await domain.org.updateTeam(admin.actor, t.id, { name: "Own Team", description: "kept" });
    expect(await db().team.findUniqueOrThrow({ where: { id: t.id } })).toMatchObject({ name: "Own Team", slug: "own-team", description: "kept" });
  });

  test("a department's update keeps its slug in step with its name", async () => {
    const d = await makeDepartment(app.atrium, "Slug Dept");
    await domain.org.updateDepartment(admin.actor, d.id, { name: "Slug Division", description: "x" });
    expect(await db().department.findUniqueOrThrow({ where: { id: d.id } })).toMatchObject({ name: "Slug Division", slug: "slug-division", description: "x" });
    await makeDepartment(app.atrium, "Other Slug Dept");
    const err = await rejects(domain.org.updateDepartment(admin.actor, d.id, { name: "Other Slug Dept" }), ValidationError);
    expect(err.fieldErrors).toEqual({ name: ["A department with this name already exists."] });
  });

  test("getTeam gives the team's fields and its members' names and titles", async () => {
    const d = await makeDepartment(app.atrium);
    const lead = await makePerson(app.atrium, { name: "Gil Lead", title: "Lead" });
    const t = await makeTeam(app.atrium, { name: "Fetched Team", departmentId: d.id, leadId: lead.user.id });
    await db().teamMembership.create({ data: { teamId: t.id, userId: lead.user.id } });
    expect(await domain.org.getTeam(t.id)).toEqual({
      id: t.id,
      name: "Fetched Team",
      description: "",
      departmentId: d.id,
      leadId: lead.user.id,
      members: [{ id: lead.user.id, name: "Gil Lead", title: "Lead" }],
    });
  });

  test("a person who leaves a team is no longer found by it; others stay", async () => {
    const t = await makeTeam(app.atrium, { name: "Leaving Team" });
    const stays = await makePerson(app.atrium, { teamIds: [t.id] });
    const leaves = await makePerson(app.atrium, { teamIds: [t.id] });
    await domain.org.setTeamMembership(admin.actor, t.id, leaves.user.id, false);
    expect(index().filterOnly({ teamId: t.id })).toEqual([stays.user.id]);
    expect((await snapshotPerson(app.atrium, stays.user.id)).teams.map((m) => m.teamId)).toEqual([t.id]);
    expect((await snapshotPerson(app.atrium, leaves.user.id)).notifications).toEqual([]);
  });
});

test("an unknown department or team is a 404 that names it", async () => {
  const t = await makeTeam(app.atrium);
  // Each call starts only when its turn comes: a promise made early rejects before anyone listens.
  const cases: [() => Promise<unknown>, string][] = [
    [() => domain.org.updateDepartment(admin.actor, "nope", { name: "Whatever Dept" }), "That department was not found."],
    [() => domain.org.deleteDepartment(admin.actor, "nope"), "That department was not found."],
    [() => domain.org.updateTeam(admin.actor, "nope", { name: "Whatever Team" }), "That team was not found."],
    [() => domain.org.deleteTeam(admin.actor, "nope"), "That team was not found."],
    [() => domain.org.setTeamMembership(admin.actor, "nope", member.user.id, true), "That team was not found."],
    [() => domain.org.getTeam("nope"), "That team was not found."],
  ];
  for (const [call, message] of cases) expect((await rejects(call(), NotFoundError)).message).toBe(message);
  expect(await db().teamMembership.count({ where: { userId: member.user.id } })).toBe(0);
  expect(await db().team.findUniqueOrThrow({ where: { id: t.id } })).toEqual(t);
});
