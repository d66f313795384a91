/**
 * Factories for server tests: build records straight through Prisma (fast), then bring the
 * directory index up to date the way a domain verb would. Password hashing is argon2 (~50 ms), so
 * the hash of the default password is computed once per test file and reused.
 */
import { randomBytes } from "node:crypto";
import type { Atrium } from "../server/atrium.js";
import { hashPassword } from "../server/domain/accounts.js";
import { reindexPerson } from "../server/domain/people.js";
import type { Actor } from "../server/policy.js";

export const DEFAULT_PASSWORD = "correct-horse-battery";

const hashes = new Map<string, Promise<string>>();
const hashFor = (password: string) => {
  let h = hashes.get(password);
  if (!h) hashes.set(password, (h = hashPassword(password)));
  return h;
};

let seq = 0;
const suffix = () => `${++seq}-${randomBytes(3).toString("hex")}`;

export const actorOf = (u: { id: string; role: string; departmentId: string | null; active?: boolean }): Actor => ({
  id: u.id,
  role: u.role as Actor["role"],
  departmentId: u.departmentId,
  active: u.active ?? true,
});

export interface PersonOverrides {
  email: string;
  name: string;
  role: "admin" | "member";
  password: string;
  title: string;
  bio: string;
  location: string;
  timeZone: string;
  departmentId: string | null;
  managerId: string | null;
  active: boolean;
  teamIds: string[];
  /** Skill name → level; skills are created in the vocabulary when missing. */
  skills: Record<string, "expert" | "mentor" | "learning">;
}

/** A person with a known password, indexed in the directory; returns the Actor the policy sees. */
export async function makePerson(atrium: Atrium, over: Partial<PersonOverrides> = {}) {
  const s = suffix();
  const password = over.password ?? DEFAULT_PASSWORD;
  const user = await atrium.db.user.create({
    data: {
      email: over.email ?? `person${s}@example.test`,
      name: over.name ?? `Person ${s}`,
      role: over.role ?? "member",
      title: over.title ?? "",
      bio: over.bio ?? "",
      location: over.location ?? "",
      timeZone: over.timeZone ?? "UTC",
      departmentId: over.departmentId ?? null,
      managerId: over.managerId ?? null,
      active: over.active ?? true,
      passwordHash: await hashFor(password),
      teams: over.teamIds ? { create: over.teamIds.map((teamId) => ({ teamId })) } : undefined,
    },
  });
  for (const [name, level] of Object.entries(over.skills ?? {})) {
    const skill = await atrium.db.skill.upsert({ where: { name }, create: { name, label: name }, update: {}, select: { id: true } });
    await atrium.db.userSkill.create({ data: { userId: user.id, skillId: skill.id, level } });
  }
  await reindexPerson(atrium.ctx, user.id);
  return { user, actor: actorOf(user), password };
}

export async function makeDepartment(atrium: Atrium, name = `Department ${suffix()}`) {
  return atrium.db.department.create({ data: { name, slug: name.toLowerCase().replace(/[^a-z0-9]+/g, "-") } });
}

export async function makeTeam(atrium: Atrium, over: Partial<{ name: string; departmentId: string | null; leadId: string | null }> = {}) {
  const name = over.name ?? `Team ${suffix()}`;
  return atrium.db.team.create({
    data: {
      name,
      slug: name.toLowerCase().replace(/[^a-z0-9]+/g, "-"),
      departmentId: over.departmentId ?? null,
      leadId: over.leadId ?? null,
    },
  });
}

/** Everything stored about a person, for "the database did not change" assertions. */
export async function snapshotPerson(atrium: Atrium, userId: string) {
  const user = await atrium.db.user.findUniqueOrThrow({ where: { id: userId } });
  const [skills, teams, sessions, notifications] = await Promise.all([
    atrium.db.userSkill.findMany({ where: { userId }, orderBy: { skillId: "asc" } }),
    atrium.db.teamMembership.findMany({ where: { userId }, orderBy: { teamId: "asc" } }),
    atrium.db.session.findMany({ where: { userId }, orderBy: { id: "asc" } }),
    atrium.db.notification.findMany({ where: { userId }, orderBy: { id: "asc" } }),
  ]);
  return { user, skills, teams, sessions, notifications };
}

/** A valid profile form for `people.updateProfile`, with overrides. */
export function profileInput(over: Record<string, unknown> = {}) {
  return { name: "Ada Lovelace", timeZone: "Europe/London", pronouns: "she/her", location: "London", bio: "", links: [], skills: [], ...over };
}
