/**
 * The people directory as data, for the REST API: stable cursor pages and one person by id.
 * (The web directory's ranked search lives in people.ts.)
 */
import { z } from "zod";
import type { Actor } from "../policy.js";
import { parse, type Ctx } from "./context.js";
import { ForbiddenError, NotFoundError, ValidationError } from "./errors.js";

export const PeopleListQuerySchema = z.object({
  limit: z.coerce.number({ invalid_type_error: "limit must be a number." }).int().min(1, "limit is at least 1.").max(200, "limit is at most 200.").default(50),
  cursor: z.string().max(500).optional(),
  department: z.string().max(40).optional(),
  team: z.string().max(40).optional(),
  email: z.string().trim().toLowerCase().max(254).optional(),
  active: z.enum(["true", "false", "all"], { errorMap: () => ({ message: "active is true, false or all." }) }).default("true"),
});

const apiPersonSelect = {
  id: true,
  email: true,
  name: true,
  title: true,
  location: true,
  timeZone: true,
  pronouns: true,
  bio: true,
  active: true,
  photoPath: true,
  managerId: true,
  updatedAt: true,
  department: { select: { id: true, name: true } },
  teams: { select: { team: { select: { id: true, name: true } } } },
  skills: { select: { level: true, skill: { select: { name: true, label: true } } } },
} as const;

type Row = {
  id: string;
  email: string;
  name: string;
  title: string;
  location: string;
  timeZone: string;
  pronouns: string;
  bio: string;
  active: boolean;
  photoPath: string | null;
  managerId: string | null;
  updatedAt: Date;
  department: { id: string; name: string } | null;
  teams: { team: { id: string; name: string } }[];
  skills: { level: string; skill: { name: string; label: string } }[];
};

/** What the API shows of a person (never the password hash, sessions or status internals). */
function presentApiPerson(u: Row) {
  return {
    id: u.id,
    email: u.email,
    name: u.name,
    title: u.title,
    department: u.department,
    teams: u.teams.map((t) => t.team),
    managerId: u.managerId,
    location: u.location,
    timeZone: u.timeZone,
    pronouns: u.pronouns,
    bio: u.bio,
    skills: u.skills.map((s) => ({ name: s.skill.name, label: s.skill.label, level: s.level })),
    photoUrl: u.photoPath ? `/uploads/${u.photoPath}` : null,
    active: u.active,
    updatedAt: u.updatedAt.toISOString(),
  };
}
export type ApiPerson = ReturnType<typeof presentApiPerson>;

const encodeCursor = (u: { name: string; id: string }) => Buffer.from(JSON.stringify([u.name, u.id])).toString("base64url");
function decodeCursor(c: string): [string, string] {
  try {
    const v = JSON.parse(Buffer.from(c, "base64url").toString("utf8"));
    if (Array.isArray(v) && v.length === 2 && v.every((x) => typeof x === "string")) return v as [string, string];
  } catch {
    /* fall through */
  }
  throw new ValidationError({ cursor: ["That cursor is not valid; start again without one."] });
}

/** People ordered by name then id; `nextCursor` is null on the last page. */
export async function listPeople(ctx: Ctx, actor: Actor, input: unknown) {
  const q = parse(PeopleListQuerySchema, input);
  if (q.active !== "true" && actor.role !== "admin") throw new ForbiddenError("Only administrators can list deactivated people.");
  const where: Record<string, unknown>[] = [];
  if (q.active !== "all") where.push({ active: q.active === "true" });
  if (q.department) where.push({ departmentId: q.department });
  if (q.team) where.push({ teams: { some: { teamId: q.team } } });
  if (q.email) where.push({ email: q.email });
  if (q.cursor) {
    const [name, id] = decodeCursor(q.cursor);
    where.push({ OR: [{ name: { gt: name } }, { name, id: { gt: id } }] });
  }
  const rows = await ctx.db.user.findMany({
    where: { AND: where },
    orderBy: [{ name: "asc" }, { id: "asc" }],
    take: q.limit + 1,
    select: apiPersonSelect,
  });
  const more = rows.length > q.limit;
  const page = rows.slice(0, q.limit);
  return { data: page.map(presentApiPerson), nextCursor: more ? encodeCursor(page[page.length - 1]) : null };
}

export async function getPerson(ctx: Ctx, actor: Actor, id: string) {
  const u = await ctx.db.user.findUnique({ where: { id }, select: apiPersonSelect });
  // A deactivated person is hidden from members, as in the web directory.
  if (!u || (!u.active && actor.role !== "admin")) throw new NotFoundError("That person");
  return presentApiPerson(u);
}
