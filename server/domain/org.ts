import { DepartmentSchema, TeamSchema, slugify } from "../../app/schemas/org.js";
import type { Actor } from "../policy.js";
import { authorize } from "../policy.js";
import { parse, type Ctx } from "./context.js";
import { NotFoundError, ValidationError } from "./errors.js";
import { notify } from "./notifications.js";
import { reindexPeopleWhere } from "./people.js";
import { recordAudit } from "../platform/audit-record.js";

const DEPARTMENTS_SQL = `SELECT d."id", d."name", d."slug", d."description",
  (SELECT COUNT(*) FROM "User" u WHERE u."departmentId" = d."id" AND u."active" = TRUE) AS "people", (SELECT COUNT(*) FROM "Team" t WHERE t."departmentId" = d."id") AS "teams"
  FROM "Department" d ORDER BY d."name", d."id"`;
type Count = number | bigint | string;

/** Every department by name with its active people and teams counted (prepared SQL when the context has it, decision 176). */
export async function listDepartments(ctx: Ctx) {
  if (ctx.reads) {
    const rows = await ctx.reads.all<{ id: string; name: string; slug: string; description: string; people: Count; teams: Count }>(DEPARTMENTS_SQL);
    return rows.map((d) => ({ id: d.id, name: d.name, slug: d.slug, description: d.description, people: Number(d.people), teams: Number(d.teams) }));
  }
  const rows = await ctx.db.department.findMany({
    orderBy: [{ name: "asc" }, { id: "asc" }],
    select: { id: true, name: true, slug: true, description: true, _count: { select: { users: { where: { active: true } }, teams: true } } },
  });
  return rows.map(({ _count, ...d }) => ({ ...d, people: _count.users, teams: _count.teams }));
}

export async function listTeams(ctx: Ctx) {
  const rows = await ctx.db.team.findMany({
    orderBy: { name: "asc" },
    select: {
      id: true,
      name: true,
      slug: true,
      description: true,
      department: { select: { id: true, name: true } },
      lead: { select: { id: true, name: true } },
      _count: { select: { members: true } },
    },
  });
  return rows.map(({ _count, ...t }) => ({ ...t, members: _count.members }));
}

async function uniqueName(ctx: Ctx, kind: "department" | "team", name: string, exceptId?: string) {
  const model = kind === "department" ? ctx.db.department : ctx.db.team;
  const clash = await (model as typeof ctx.db.department).findFirst({
    where: { OR: [{ name }, { slug: slugify(name) }], ...(exceptId ? { NOT: { id: exceptId } } : {}) },
    select: { id: true },
  });
  if (clash) throw new ValidationError({ name: [`A ${kind} with this name already exists.`] });
}

export async function createDepartment(ctx: Ctx, actor: Actor, input: unknown) {
  authorize(actor, "org.manage", null);
  const data = parse(DepartmentSchema, input);
  await uniqueName(ctx, "department", data.name);
  const d = await ctx.db.department.create({ data: { ...data, slug: slugify(data.name) } });
  await recordAudit(ctx, { actorId: actor.id, action: "org.department_created", target: { type: "department", id: d.id }, summary: `Created the department ${d.name}` });
  await ctx.bus.publish("org.changed", { kind: "department" });
  return d;
}

export async function updateDepartment(ctx: Ctx, actor: Actor, id: string, input: unknown) {
  authorize(actor, "org.manage", null);
  const data = parse(DepartmentSchema, input);
  const prev = await ctx.db.department.findUnique({ where: { id } });
  if (!prev) throw new NotFoundError("That department");
  await uniqueName(ctx, "department", data.name, id);
  await ctx.db.department.update({ where: { id }, data: { ...data, slug: slugify(data.name) } });
  await recordAudit(ctx, {
    actorId: actor.id,
    action: "org.department_updated",
    target: { type: "department", id },
    summary: prev.name === data.name ? `Updated the department ${data.name}` : `Renamed the department ${prev.name} to ${data.name}`,
    details: { from: { name: prev.name, description: prev.description }, to: data },
  });
  await reindexPeopleWhere(ctx, { departmentId: id });
  await ctx.bus.publish("org.changed", { kind: "department" });
}

export async function deleteDepartment(ctx: Ctx, actor: Actor, id: string) {
  authorize(actor, "org.manage", null);
  // Deactivated people do not block deletion: their department is simply cleared (SetNull).
  const d = await ctx.db.department.findUnique({ where: { id }, select: { name: true, _count: { select: { users: { where: { active: true } } } } } });
  if (!d) throw new NotFoundError("That department");
  const n = d._count.users;
  if (n > 0) {
    throw new ValidationError({ form: [`Move its ${n === 1 ? "1 person" : `${n} people`} to another department first.`] });
  }
  await ctx.db.department.delete({ where: { id } });
  await recordAudit(ctx, { actorId: actor.id, action: "org.department_deleted", target: { type: "department", id }, summary: `Deleted the department ${d.name}` });
  await ctx.bus.publish("org.changed", { kind: "department" });
}

async function checkTeamRefs(ctx: Ctx, data: { departmentId: string | null; leadId: string | null }) {
  const errors: Record<string, string[]> = {};
  if (data.departmentId && !(await ctx.db.department.findUnique({ where: { id: data.departmentId } })))
    errors.departmentId = ["Choose an existing department."];
  if (data.leadId && !(await ctx.db.user.findFirst({ where: { id: data.leadId, active: true } })))
    errors.leadId = ["Choose an active person."];
  if (Object.keys(errors).length) throw new ValidationError(errors);
}

export async function createTeam(ctx: Ctx, actor: Actor, input: unknown) {
  authorize(actor, "org.manage", null);
  const data = parse(TeamSchema, input);
  await uniqueName(ctx, "team", data.name);
  await checkTeamRefs(ctx, data);
  const t = await ctx.db.team.create({ data: { ...data, slug: slugify(data.name) } });
  await recordAudit(ctx, { actorId: actor.id, action: "org.team_created", target: { type: "team", id: t.id }, summary: `Created the team ${t.name}`, details: data });
  if (data.leadId) {
    await ctx.db.teamMembership.create({ data: { teamId: t.id, userId: data.leadId } });
    await reindexPeopleWhere(ctx, { id: data.leadId });
  }
  await ctx.bus.publish("org.changed", { kind: "team" });
  return t;
}

export async function updateTeam(ctx: Ctx, actor: Actor, id: string, input: unknown) {
  authorize(actor, "org.manage", null);
  const data = parse(TeamSchema, input);
  const prev = await ctx.db.team.findUnique({ where: { id } });
  if (!prev) throw new NotFoundError("That team");
  await uniqueName(ctx, "team", data.name, id);
  await checkTeamRefs(ctx, data);
  await ctx.db.team.update({ where: { id }, data: { ...data, slug: slugify(data.name) } });
  // A team's lead is always one of its members, as when the team was created.
  if (data.leadId) {
    await ctx.db.teamMembership.upsert({ where: { userId_teamId: { userId: data.leadId, teamId: id } }, create: { userId: data.leadId, teamId: id }, update: {} });
  }
  await recordAudit(ctx, {
    actorId: actor.id,
    action: "org.team_updated",
    target: { type: "team", id },
    summary: prev.name === data.name ? `Updated the team ${data.name}` : `Renamed the team ${prev.name} to ${data.name}`,
    details: { from: { name: prev.name, description: prev.description, departmentId: prev.departmentId, leadId: prev.leadId }, to: data },
  });
  await reindexPeopleWhere(ctx, { teams: { some: { teamId: id } } });
  await ctx.bus.publish("org.changed", { kind: "team" });
}

export async function deleteTeam(ctx: Ctx, actor: Actor, id: string) {
  authorize(actor, "org.manage", null);
  const gone = await ctx.db.team.findUnique({ where: { id }, select: { name: true } });
  if (!gone) throw new NotFoundError("That team");
  const memberIds = (await ctx.db.teamMembership.findMany({ where: { teamId: id }, select: { userId: true } })).map((m) => m.userId);
  await ctx.db.team.delete({ where: { id } });
  await recordAudit(ctx, { actorId: actor.id, action: "org.team_deleted", target: { type: "team", id }, summary: `Deleted the team ${gone.name} (${memberIds.length} members)` });
  await reindexPeopleWhere(ctx, { id: { in: memberIds } });
  await ctx.bus.publish("org.changed", { kind: "team" });
}

export async function setTeamMembership(ctx: Ctx, actor: Actor, teamId: string, userId: string, member: boolean) {
  authorize(actor, "org.manage", null);
  const [team, user] = await Promise.all([
    ctx.db.team.findUnique({ where: { id: teamId } }),
    ctx.db.user.findUnique({ where: { id: userId } }),
  ]);
  if (!team) throw new NotFoundError("That team");
  if (!user) throw new ValidationError({ userId: ["Choose an existing person."] });
  const had = await ctx.db.teamMembership.findUnique({ where: { userId_teamId: { userId, teamId } } });
  if (member) {
    await ctx.db.teamMembership.upsert({ where: { userId_teamId: { userId, teamId } }, create: { userId, teamId }, update: {} });
  } else {
    await ctx.db.teamMembership.deleteMany({ where: { userId, teamId } });
  }
  if (!!had !== member) {
    await recordAudit(ctx, {
      actorId: actor.id,
      action: "org.team_membership_changed",
      target: { type: "team", id: teamId },
      summary: `${member ? "Added" : "Removed"} ${user.name} ${member ? "to" : "from"} the team ${team.name}`,
      details: { userId, member },
    });
  }
  await reindexPeopleWhere(ctx, { id: userId });
  await ctx.bus.publish("person.updated", { userId });
  if (member && !had && userId !== actor.id) {
    await notify(ctx, [userId], { type: "team.joined", title: `You were added to the team ${team.name}`, link: `/people?team=${teamId}` });
  }
}

export async function getTeam(ctx: Ctx, id: string) {
  const t = await ctx.db.team.findUnique({
    where: { id },
    select: {
      id: true,
      name: true,
      description: true,
      departmentId: true,
      leadId: true,
      members: { select: { user: { select: { id: true, name: true, title: true } } }, orderBy: { user: { name: "asc" } } },
    },
  });
  if (!t) throw new NotFoundError("That team");
  return { ...t, members: t.members.map((m) => m.user) };
}
