import { randomBytes } from "node:crypto";
import { mkdir, unlink, writeFile } from "node:fs/promises";
import path from "node:path";
import {
  DirectoryQuerySchema,
  HrFieldsSchema,
  ProfileSchema,
  StatusSchema,
  type SkillLevel,
} from "../../app/schemas/people.js";
import type { Prisma } from "../generated/prisma/client.js";
import { allByOwner, groupsOf, inGroup, sqlBool, sqlDate, type SqlReads } from "../db-reads.js";
import type { Actor } from "../policy.js";
import { authorize } from "../policy.js";
import type { PersonDoc } from "../search/people-index.js";
import { notAVerb, parse, type Ctx } from "./context.js";
import { NotFoundError, ValidationError } from "./errors.js";
import { presentPersonCard, presentProfile, type PersonCard } from "./presenters.js";
import { notify } from "./notifications.js";
import { resolveSkills } from "./skills.js";
import { prepareAudit } from "../platform/audit-record.js";
import { safeTimeZone, zonedWallTimeToInstant } from "../../app/utils/dates.js";

const personInclude = {
  department: { select: { id: true, name: true } },
  teams: { select: { team: { select: { id: true, name: true } } } },
  skills: { select: { level: true, skill: { select: { id: true, name: true, label: true, synonyms: { select: { name: true } } } } } },
} as const;

type IndexRow = Awaited<ReturnType<typeof loadIndexRows>>[number];

function loadIndexRows(ctx: Ctx, where: object = {}) {
  return ctx.db.user.findMany({ where: { active: true, ...where }, include: personInclude });
}

export const toPersonDoc = notAVerb((u: IndexRow): PersonDoc => {
  const byLevel = (level: SkillLevel) =>
    u.skills
      .filter((s) => s.level === level)
      .flatMap((s) => [s.skill.name, ...s.skill.synonyms.map((x) => x.name)])
      .join(" ");
  return {
    id: u.id,
    name: u.name,
    title: u.title,
    bio: u.bio,
    department: u.department?.name ?? "",
    teams: u.teams.map((t) => t.team.name).join(" "),
    location: u.location,
    skillsExpert: byLevel("expert"),
    skillsMentor: byLevel("mentor"),
    skillsLearning: byLevel("learning"),
    departmentId: u.departmentId,
    teamIds: u.teams.map((t) => t.team.id),
    skillNames: u.skills.map((s) => s.skill.name),
  };
});

/** Builds the directory index at start. */
export async function buildPeopleIndex(ctx: Ctx): Promise<number> {
  const rows = await loadIndexRows(ctx);
  ctx.peopleIndex.build(rows.map(toPersonDoc));
  return rows.length;
}

export async function reindexPerson(ctx: Ctx, userId: string): Promise<void> {
  const [row] = await loadIndexRows(ctx, { id: userId });
  if (row) ctx.peopleIndex.upsert(toPersonDoc(row));
  else ctx.peopleIndex.remove(userId);
}

export async function reindexPeopleWithSkill(ctx: Ctx, skillId: string): Promise<void> {
  const rows = await loadIndexRows(ctx, { skills: { some: { skillId } } });
  for (const row of rows) ctx.peopleIndex.upsert(toPersonDoc(row));
}

export async function reindexPeopleWhere(ctx: Ctx, where: object): Promise<void> {
  const rows = await loadIndexRows(ctx, where);
  for (const row of rows) ctx.peopleIndex.upsert(toPersonDoc(row));
}

/** A person card's columns (directory, profile), the department joined. */
const CARD_COLUMNS = `u."id", u."name", u."title", u."location", u."timeZone", u."photoPath", u."statusText", u."statusEmoji", u."statusUntil",
  d."id" AS "dId", d."name" AS "dName" FROM "User" u LEFT JOIN "Department" d ON d."id" = u."departmentId"`;

/** The columns presentProfile reads (no skill synonyms, no password hash). */
const profileSelect = {
  id: true, name: true, title: true, location: true, timeZone: true, photoPath: true, statusText: true, statusEmoji: true, statusUntil: true,
  email: true, pronouns: true, bio: true, links: true, role: true, active: true, managerId: true,
  department: { select: { id: true, name: true } },
  teams: { select: { team: { select: { id: true, name: true } } }, orderBy: { teamId: "asc" } },
  skills: { select: { level: true, skill: { select: { name: true, label: true } } } },
  reports: { where: { active: true }, orderBy: [{ name: "asc" }, { id: "asc" }], select: { id: true, name: true, title: true, photoPath: true } },
} satisfies Prisma.UserSelect;

const PROFILE_SQL = `SELECT ${CARD_COLUMNS.replace(" FROM ", `, u."email", u."pronouns", u."bio", u."links", u."role", u."active", u."managerId" FROM `)} WHERE u."id" = ?`;
const REPORTS_SQL = `SELECT u."id", u."name", u."title", u."photoPath" FROM "User" u WHERE u."managerId" = ? AND u."active" = TRUE ORDER BY u."name", u."id"`;
const MANAGER_SQL = `SELECT u."id", u."name", u."title", u."photoPath", u."managerId" FROM "User" u WHERE u."id" = ?`;
type ManagerRow = { id: string; name: string; title: string; photoPath: string | null; managerId: string | null };

/** getProfile's row as prepared SQL (decision 176): the card's statements for one person, and the reports. */
async function profileRowSql(reads: SqlReads, userId: string) {
  const u = await reads.one<CardSqlRow & { email: string; pronouns: string; bio: string; links: string; role: string; active: unknown; managerId: string | null }>(PROFILE_SQL, userId);
  if (!u) return null;
  const [[card], reports] = await Promise.all([cardsOf(reads, [u]), reads.all<ManagerRow>(REPORTS_SQL, userId)]);
  return {
    ...card!, email: u.email, pronouns: u.pronouns, bio: u.bio, links: u.links, role: u.role, active: sqlBool(u.active), managerId: u.managerId,
    reports: reports.map((r) => ({ id: r.id, name: r.name, title: r.title, photoPath: r.photoPath })),
  };
}

export async function getProfile(ctx: Ctx, actor: Actor, userId: string) {
  const user = ctx.reads ? await profileRowSql(ctx.reads, userId) : await ctx.db.user.findUnique({ where: { id: userId }, select: profileSelect });
  if (!user) throw new NotFoundError("That person");
  // Walk up the manager chain; the bound stops a corrupted cycle from looping forever.
  const chain: { id: string; name: string; title: string; photoPath: string | null }[] = [];
  let next = user.managerId;
  const seen = new Set([user.id]);
  while (next && !seen.has(next) && chain.length < 12) {
    seen.add(next);
    const m = ctx.reads
      ? await ctx.reads.one<ManagerRow>(MANAGER_SQL, next)
      : await ctx.db.user.findUnique({ where: { id: next }, select: { id: true, name: true, title: true, photoPath: true, managerId: true } });
    if (!m) break;
    chain.push({ id: m.id, name: m.name, title: m.title, photoPath: m.photoPath });
    next = m.managerId;
  }
  return presentProfile(user, {
    chain,
    reports: user.reports,
    presence: ctx.presence.stateOf(user.id),
    now: ctx.clock.now(),
    viewer: actor,
  });
}

/** Values for the edit form: the profile's own fields in the shape the schemas expect. */
export async function getEditableProfile(ctx: Ctx, actor: Actor, userId: string) {
  authorize(actor, "person.editProfile", { id: userId });
  const u = await ctx.db.user.findUnique({ where: { id: userId }, include: { ...personInclude } });
  if (!u) throw new NotFoundError("That person");
  return {
    id: u.id,
    name: u.name,
    email: u.email,
    pronouns: u.pronouns,
    location: u.location,
    timeZone: u.timeZone,
    bio: u.bio,
    links: JSON.parse(u.links) as { label: string; url: string }[],
    skills: u.skills.map((s) => ({ name: s.skill.name, level: s.level as SkillLevel })),
    photoPath: u.photoPath,
    title: u.title,
    departmentId: u.departmentId,
    managerId: u.managerId,
    teamIds: u.teams.map((t) => t.team.id),
  };
}

export async function updateProfile(ctx: Ctx, actor: Actor, userId: string, input: unknown) {
  authorize(actor, "person.editProfile", { id: userId });
  const data = parse(ProfileSchema, input);
  const exists = await ctx.db.user.findUnique({ where: { id: userId }, select: { id: true } });
  if (!exists) throw new NotFoundError("That person");
  await ctx.db.$transaction(async (tx) => {
    const ids = await resolveSkills(tx, data.skills.map((s) => s.name));
    // Two names may resolve to one skill ("k8s" and "kubernetes"): keep the first level given.
    const bySkill = new Map<string, SkillLevel>();
    for (const s of data.skills) {
      const id = ids.get(s.name)!;
      if (!bySkill.has(id)) bySkill.set(id, s.level);
    }
    await tx.user.update({
      where: { id: userId },
      data: {
        name: data.name,
        pronouns: data.pronouns,
        location: data.location,
        timeZone: data.timeZone,
        bio: data.bio,
        links: JSON.stringify(data.links),
      },
    });
    await tx.userSkill.deleteMany({ where: { userId } });
    if (bySkill.size) {
      await tx.userSkill.createMany({ data: [...bySkill].map(([skillId, level]) => ({ userId, skillId, level })) });
    }
  });
  await reindexPerson(ctx, userId);
  await ctx.bus.publish("person.updated", { userId });
}

export async function updateHrFields(ctx: Ctx, actor: Actor, userId: string, input: unknown) {
  authorize(actor, "person.editHrFields", { id: userId });
  const data = parse(HrFieldsSchema, input);
  const user = await ctx.db.user.findUnique({
    where: { id: userId },
    select: { id: true, name: true, email: true, title: true, departmentId: true, managerId: true },
  });
  if (!user) throw new NotFoundError("That person");
  const errors: Record<string, string[]> = {};
  const clash = await ctx.db.user.findUnique({ where: { email: data.email }, select: { id: true } });
  if (clash && clash.id !== userId) errors.email = ["Someone else already has this email address."];
  if (data.departmentId && !(await ctx.db.department.findUnique({ where: { id: data.departmentId } }))) {
    errors.departmentId = ["Choose an existing department."];
  }
  if (data.managerId) {
    if (data.managerId === userId) errors.managerId = ["A person cannot be their own manager."];
    else if (!(await ctx.db.user.findUnique({ where: { id: data.managerId } }))) errors.managerId = ["Choose an existing person."];
    else if (await wouldCreateCycle(ctx, userId, data.managerId)) {
      errors.managerId = ["That would make a reporting cycle (the manager reports to this person)."];
    }
  }
  const teamIds = [...new Set(data.teamIds)];
  if (teamIds.length && (await ctx.db.team.count({ where: { id: { in: teamIds } } })) !== teamIds.length) {
    errors.teamIds = ["Choose existing teams."];
  }
  if (Object.keys(errors).length) throw new ValidationError(errors);
  const before = await ctx.db.teamMembership.findMany({ where: { userId }, select: { teamId: true } });
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  for (const k of ["email", "title", "departmentId", "managerId"] as const) {
    if (user[k] !== data[k]) changes[k] = { from: user[k], to: data[k] };
  }
  const teamsBefore = before.map((b) => b.teamId).sort();
  if (teamsBefore.join() !== [...teamIds].sort().join()) changes.teamIds = { from: teamsBefore, to: [...teamIds].sort() };
  const audit = await prepareAudit(ctx, {
    actorId: actor.id,
    action: "person.hr_updated",
    target: { type: "user", id: userId },
    summary: `Changed ${user.name}'s HR fields: ${Object.keys(changes).join(", ") || "nothing"}`,
    details: { changes },
  });
  await ctx.db.$transaction([
    ...(Object.keys(changes).length ? [ctx.db.auditEvent.create({ data: audit })] : []),
    ctx.db.user.update({
      where: { id: userId },
      data: { email: data.email, title: data.title, departmentId: data.departmentId, managerId: data.managerId },
    }),
    ctx.db.teamMembership.deleteMany({ where: { userId, teamId: { notIn: teamIds } } }),
    ...teamIds.map((teamId) =>
      ctx.db.teamMembership.upsert({ where: { userId_teamId: { userId, teamId } }, create: { userId, teamId }, update: {} }),
    ),
  ]);
  await reindexPerson(ctx, userId);
  await ctx.bus.publish("person.updated", { userId });
  const joined = teamIds.filter((id) => !before.some((b) => b.teamId === id));
  if (userId !== actor.id) {
    const teams = await ctx.db.team.findMany({ where: { id: { in: joined } }, select: { name: true } });
    await notify(ctx, [userId], {
      type: "profile.hr-updated",
      title: teams.length
        ? `An administrator updated your profile and added you to ${teams.map((t) => t.name).join(", ")}`
        : "An administrator updated your job details",
      link: `/people/${userId}`,
    });
  }
  if (data.managerId && data.managerId !== user.managerId && data.managerId !== actor.id) {
    await notify(ctx, [data.managerId], { type: "org.report", title: `${user.name} now reports to you`, link: `/people/${userId}` });
  }
}

async function wouldCreateCycle(ctx: Ctx, userId: string, managerId: string): Promise<boolean> {
  let cur: string | null = managerId;
  for (let i = 0; cur && i < 100; i++) {
    if (cur === userId) return true;
    const row: { managerId: string | null } | null = await ctx.db.user.findUnique({ where: { id: cur }, select: { managerId: true } });
    cur = row?.managerId ?? null;
  }
  return false;
}

export async function setStatus(ctx: Ctx, actor: Actor, input: unknown) {
  authorize(actor, "person.setStatus", { id: actor.id });
  // A form's datetime-local has no zone: it is a wall time in the person's profile time zone.
  // A list is an object too, and spread into a form it would pass as an empty status.
  const form = !!input && typeof input === "object" && !Array.isArray(input);
  const rawUntil = form ? (input as { until?: unknown }).until : undefined;
  let until = rawUntil;
  if (typeof rawUntil === "string") {
    const me = await ctx.db.user.findUnique({ where: { id: actor.id }, select: { timeZone: true } });
    until = zonedWallTimeToInstant(rawUntil.trim(), safeTimeZone(me?.timeZone))?.toISOString() ?? rawUntil;
  }
  const data = parse(StatusSchema, form ? { ...input, until } : input);
  if (data.until && data.until <= ctx.clock.now()) throw new ValidationError({ until: ["Choose a time in the future."] });
  await ctx.db.user.update({
    where: { id: actor.id },
    data: { statusText: data.text, statusEmoji: data.emoji, statusUntil: data.until },
  });
  await ctx.bus.publish("person.status", {
    userId: actor.id,
    statusText: data.text,
    statusEmoji: data.emoji,
    statusUntil: data.until?.toISOString() ?? null,
  });
}

export const PHOTO_MAX_BYTES = 2 * 1024 * 1024;

/** Identifies an image by its first bytes; the browser's claimed type is not trusted. */
export const sniffImage = notAVerb((bytes: Uint8Array): "png" | "jpg" | "gif" | "webp" | null => {
  const b = bytes;
  if (b.length >= 8 && b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47) return "png";
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return "jpg";
  if (b.length >= 6 && String.fromCharCode(...b.slice(0, 4)) === "GIF8") return "gif";
  if (b.length >= 12 && String.fromCharCode(...b.slice(0, 4)) === "RIFF" && String.fromCharCode(...b.slice(8, 12)) === "WEBP")
    return "webp";
  return null;
});

/** Whether the actor may change this person's photo: checked before an upload's body is read. */
export async function assertCanSetPhoto(_ctx: Ctx, actor: Actor, userId: string) {
  authorize(actor, "person.uploadPhoto", { id: userId });
}

export async function setPhoto(ctx: Ctx, actor: Actor, userId: string, bytes: Uint8Array) {
  authorize(actor, "person.uploadPhoto", { id: userId });
  if (bytes.length === 0) throw new ValidationError({ photo: ["Choose an image file."] });
  if (bytes.length > PHOTO_MAX_BYTES) throw new ValidationError({ photo: ["Photos must be 2 MB or smaller."] });
  const ext = sniffImage(bytes);
  if (!ext) throw new ValidationError({ photo: ["Photos must be PNG, JPEG, GIF or WebP images."] });
  const user = await ctx.db.user.findUnique({ where: { id: userId }, select: { photoPath: true } });
  if (!user) throw new NotFoundError("That person");
  const file = `${userId}-${randomBytes(6).toString("hex")}.${ext}`;
  await mkdir(ctx.env.UPLOAD_DIR, { recursive: true });
  await writeFile(path.join(ctx.env.UPLOAD_DIR, file), bytes);
  await ctx.db.user.update({ where: { id: userId }, data: { photoPath: file } });
  if (user.photoPath) await unlink(path.join(ctx.env.UPLOAD_DIR, path.basename(user.photoPath))).catch(() => {});
  await ctx.bus.publish("person.updated", { userId });
  return file;
}

export async function removePhoto(ctx: Ctx, actor: Actor, userId: string) {
  authorize(actor, "person.uploadPhoto", { id: userId });
  const user = await ctx.db.user.findUnique({ where: { id: userId }, select: { photoPath: true } });
  if (!user) throw new NotFoundError("That person");
  await ctx.db.user.update({ where: { id: userId }, data: { photoPath: null } });
  if (user.photoPath) await unlink(path.join(ctx.env.UPLOAD_DIR, path.basename(user.photoPath))).catch(() => {});
  await ctx.bus.publish("person.updated", { userId });
}

const PAGE_SIZE = 24;

export interface DirectoryPage {
  people: PersonCard[];
  total: number;
  page: number;
  pageSize: number;
}

/** The directory: free-text search ranked by the index, or browse by filters, alphabetically. */
const CARDS_PAGE_SQL = `SELECT ${CARD_COLUMNS} WHERE u."active" = TRUE ORDER BY u."name", u."id" LIMIT ${PAGE_SIZE} OFFSET ?`;
const CARDS_BY_ID_SQL = `SELECT ${CARD_COLUMNS} WHERE u."active" = TRUE AND u."id" IN ${inGroup}`;
const CARD_TEAMS_SQL = `SELECT tm."userId" AS "of", t."id", t."name" FROM "TeamMembership" tm JOIN "Team" t ON t."id" = tm."teamId" WHERE tm."userId" IN ${inGroup} ORDER BY tm."userId", tm."teamId"`;
const CARD_SKILLS_SQL = `SELECT us."userId" AS "of", us."level", s."name", s."label" FROM "UserSkill" us JOIN "Skill" s ON s."id" = us."skillId" WHERE us."userId" IN ${inGroup} ORDER BY us."userId", s."name"`;

/**
 * A directory page's cards as prepared SQL (decision 175): a page of everyone by name, or the
 * given ids (a search's page, at most PAGE_SIZE), with departments joined and teams and skills in
 * one statement each: the columns presentPersonCard reads, nothing more.
 */
async function cardRowsSql(reads: SqlReads, which: string[] | { offset: number }) {
  const users = Array.isArray(which)
    ? (await Promise.all(groupsOf(which).map((g) => reads.all<CardSqlRow>(CARDS_BY_ID_SQL, ...g)))).flat()
    : await reads.all<CardSqlRow>(CARDS_PAGE_SQL, which.offset);
  return cardsOf(reads, users);
}
/** Card rows for users read with CARD_COLUMNS: teams and skills in one statement each. */
async function cardsOf(reads: SqlReads, users: CardSqlRow[]) {
  const ids = users.map((u) => u.id);
  const [teams, skills] = await Promise.all([
    allByOwner<{ of: string; id: string; name: string }>(reads, CARD_TEAMS_SQL, ids),
    allByOwner<{ of: string; level: string; name: string; label: string }>(reads, CARD_SKILLS_SQL, ids),
  ]);
  return users.map((u) => ({
    id: u.id, name: u.name, title: u.title, location: u.location, timeZone: u.timeZone, photoPath: u.photoPath,
    statusText: u.statusText, statusEmoji: u.statusEmoji, statusUntil: u.statusUntil == null ? null : sqlDate(u.statusUntil),
    department: u.dId ? { id: u.dId, name: u.dName! } : null,
    teams: (teams.get(u.id) ?? []).map((t) => ({ team: { id: t.id, name: t.name } })),
    skills: (skills.get(u.id) ?? []).map((k) => ({ level: k.level, skill: { name: k.name, label: k.label } })),
  }));
}
interface CardSqlRow {
  id: string; name: string; title: string; location: string; timeZone: string; photoPath: string | null;
  statusText: string; statusEmoji: string; statusUntil: unknown; dId: string | null; dName: string | null;
}

export async function searchDirectory(ctx: Ctx, actor: Actor, input: unknown): Promise<DirectoryPage> {
  const q = parse(DirectoryQuerySchema, input);
  // A synonym in the skill filter ("k8s") means its skill ("kubernetes").
  let skill = q.skill?.trim().toLowerCase() || undefined;
  if (skill) {
    const syn = await ctx.db.skillSynonym.findUnique({ where: { name: skill }, select: { skill: { select: { name: true } } } });
    if (syn) skill = syn.skill.name;
  }
  const filter = {
    departmentId: q.department || undefined,
    teamId: q.team || undefined,
    location: q.location || undefined,
    skill,
  };
  let ids: string[];
  // Demonstrated expertise from Q&A (accepted and upvoted answers on a tag named in the query).
  if (q.q) ids = ctx.peopleIndex.search(q.q, filter, 500, ctx.expertise?.boostFor(q.q, ctx.clock.now())).map((r) => r.id);
  else ids = ctx.peopleIndex.filterOnly(filter);
  const total = ids.length;
  // With no filter at all the index's answer is everyone active: page in SQL rather than bind
  // every id (10,000 parameters in a large company).
  const everyone = !q.q && !filter.departmentId && !filter.teamId && !filter.location && !filter.skill;
  const pageIds = q.q ? ids.slice((q.page - 1) * PAGE_SIZE, q.page * PAGE_SIZE) : null;
  const rows =
    ctx.reads && (everyone || pageIds)
      ? await cardRowsSql(ctx.reads, pageIds ?? { offset: (q.page - 1) * PAGE_SIZE })
      : await ctx.db.user.findMany({
          where: everyone ? { active: true } : { id: { in: pageIds ?? ids }, active: true },
          include: personInclude,
          ...(q.q ? {} : { orderBy: [{ name: "asc" as const }, { id: "asc" as const }], skip: (q.page - 1) * PAGE_SIZE, take: PAGE_SIZE }),
        });
  if (q.q) {
    const order = new Map(ids.map((id, i) => [id, i]));
    rows.sort((a, b) => order.get(a.id)! - order.get(b.id)!);
  }
  const now = ctx.clock.now();
  void actor;
  return {
    people: rows.map((r) => presentPersonCard(r, ctx.presence.stateOf(r.id), now)),
    total,
    page: q.page,
    pageSize: PAGE_SIZE,
  };
}

export async function directoryFilters(ctx: Ctx) {
  const reads = ctx.reads;
  if (reads) {
    // Every directory view: prepared SQL (server/db-reads.ts); DISTINCT in SQL, not over every person.
    const [departments, teams, locations, skills] = await Promise.all([
      reads.all<{ id: string; name: string }>(`SELECT "id", "name" FROM "Department" ORDER BY "name"`),
      reads.all<{ id: string; name: string }>(`SELECT "id", "name" FROM "Team" ORDER BY "name"`),
      reads.all<{ location: string }>(`SELECT DISTINCT "location" FROM "User" WHERE "active" = TRUE AND "location" <> '' ORDER BY "location"`),
      reads.all<{ name: string; label: string }>(
        `SELECT s."name", s."label" FROM "Skill" s WHERE EXISTS (SELECT 1 FROM "UserSkill" us WHERE us."skillId" = s."id") ORDER BY s."name"`,
      ),
    ]);
    return { departments, teams, locations: locations.map((l) => l.location), skills };
  }
  const [departments, teams, locations, skills] = await Promise.all([
    ctx.db.department.findMany({ orderBy: { name: "asc" }, select: { id: true, name: true } }),
    ctx.db.team.findMany({ orderBy: { name: "asc" }, select: { id: true, name: true } }),
    ctx.db.user.findMany({ where: { active: true, location: { not: "" } }, distinct: ["location"], select: { location: true }, orderBy: { location: "asc" } }),
    ctx.db.skill.findMany({ where: { holders: { some: {} } }, orderBy: { name: "asc" }, select: { name: true, label: true } }),
  ]);
  return { departments, teams, locations: locations.map((l) => l.location), skills };
}

/** Everyone who is not offline, for the home page's "who is around". */
export async function whoIsAround(ctx: Ctx, actor: Actor, limit = 24) {
  const ids = ctx.presence.snapshot().map((p) => p.userId).filter((id) => id !== actor.id);
  if (!ids.length) return [];
  const rows = await ctx.db.user.findMany({ where: { id: { in: ids }, active: true }, include: personInclude, orderBy: { name: "asc" }, take: limit });
  const now = ctx.clock.now();
  return rows.map((r) => presentPersonCard(r, ctx.presence.stateOf(r.id), now));
}

export async function listPeopleOptions(ctx: Ctx) {
  return ctx.db.user.findMany({ where: { active: true }, orderBy: { name: "asc" }, select: { id: true, name: true } });
}
