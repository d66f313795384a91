/**
 * The people directory as data, for the REST API: stable cursor pages and one person by id.
 * (The web directory's ranked search lives in people.ts.)
 */
import { z } from "zod";
import type { Actor } from "../policy.js";
import { parse, type Ctx } from "./context.js";
import { dbProvider } from "../db.js";
import { numberPlaceholders, type SqlValue } from "../db-reads.js";
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

interface RawPersonRow {
  id: string;
  email: string;
  name: string;
  title: string;
  location: string;
  timeZone: string;
  pronouns: string;
  bio: string;
  active: number | boolean | bigint;
  photoPath: string | null;
  managerId: string | null;
  updatedAt: string | Date;
  departmentId: string | null;
  departmentName: string | null;
  teams: string;
  skills: string;
}

/**
 * People ordered by name then id; `nextCursor` is null on the last page.
 *
 * One SQL statement with correlated JSON aggregates instead of a Prisma `include`: this is the
 * API's hot path, and Prisma's three-level include cost ~11 ms a page against ~2.5 ms here
 * (decision 051). SQLite JSON functions; on PostgreSQL json_agg/json_build_object, `$n`
 * placeholders, and names compared byte-wise (COLLATE "C") as SQLite does, so pages and cursors
 * come out the same on both.
 */
export async function listPeople(ctx: Ctx, actor: Actor, input: unknown) {
  const q = parse(PeopleListQuerySchema, input);
  if (q.active !== "true" && actor.role !== "admin") throw new ForbiddenError("Only administrators can list deactivated people.");
  const pg = dbProvider(ctx.db) === "postgresql";
  const nameOrder = pg ? ' COLLATE "C"' : "";
  const where: string[] = [];
  const args: SqlValue[] = [];
  if (q.active !== "all") {
    where.push(pg ? `u."active" = ${q.active === "true" ? "TRUE" : "FALSE"}` : `u."active" = ?`);
    if (!pg) args.push(q.active === "true" ? 1 : 0);
  }
  if (q.department) {
    where.push(`u."departmentId" = ?`);
    args.push(q.department);
  }
  if (q.team) {
    where.push(`EXISTS (SELECT 1 FROM "TeamMembership" tm WHERE tm."userId" = u."id" AND tm."teamId" = ?)`);
    args.push(q.team);
  }
  if (q.email) {
    where.push(`u."email" = ?`);
    args.push(q.email);
  }
  if (q.cursor) {
    const [name, id] = decodeCursor(q.cursor);
    where.push(`(u."name"${nameOrder} > ? OR (u."name" = ? AND u."id"${nameOrder} > ?))`);
    args.push(name, name, id);
  }
  const array = (fields: string) => (pg ? `COALESCE(json_agg(json_build_object(${fields})), '[]'::json)::text` : `json_group_array(json_object(${fields}))`);
  const sql = `SELECT u."id", u."email", u."name", u."title", u."location", u."timeZone", u."pronouns", u."bio", u."active", u."photoPath",
            u."managerId", u."updatedAt", d."id" AS "departmentId", d."name" AS "departmentName",
            (SELECT ${array(`'id', t."id", 'name', t."name"`)}
               FROM "TeamMembership" m JOIN "Team" t ON t."id" = m."teamId" WHERE m."userId" = u."id") AS "teams",
            (SELECT ${array(`'name', s."name", 'label', s."label", 'level', us."level"`)}
               FROM "UserSkill" us JOIN "Skill" s ON s."id" = us."skillId" WHERE us."userId" = u."id") AS "skills"
       FROM "User" u LEFT JOIN "Department" d ON d."id" = u."departmentId"
      ${where.length ? `WHERE ${where.join(" AND ")}` : ""}
      ORDER BY u."name"${nameOrder}, u."id"${nameOrder}
      LIMIT ?`;
  // Prepared on the read connection where there is one (decision 101; PgReads numbers the placeholders).
  const rows = ctx.reads
    ? await ctx.reads.all<RawPersonRow>(sql, ...args, q.limit + 1)
    : await ctx.db.$queryRawUnsafe<RawPersonRow[]>(pg ? numberPlaceholders(sql) : sql, ...args, q.limit + 1);
  const more = rows.length > q.limit;
  const page = rows.slice(0, q.limit);
  return {
    data: page.map((r) =>
      presentApiPerson({
        ...r,
        active: Boolean(Number(r.active)),
        updatedAt: new Date(r.updatedAt),
        department: r.departmentId ? { id: r.departmentId, name: r.departmentName ?? "" } : null,
        teams: (JSON.parse(r.teams) as { id: string; name: string }[]).map((team) => ({ team })),
        skills: (JSON.parse(r.skills) as { name: string; label: string; level: string }[]).map((x) => ({ level: x.level, skill: { name: x.name, label: x.label } })),
      }),
    ),
    nextCursor: more ? encodeCursor(page[page.length - 1]) : null,
  };
}

export async function getPerson(ctx: Ctx, actor: Actor, id: string) {
  const u = await ctx.db.user.findUnique({ where: { id }, select: apiPersonSelect });
  // A deactivated person is hidden from members, as in the web directory.
  if (!u || (!u.active && actor.role !== "admin")) throw new NotFoundError("That person");
  return presentApiPerson(u);
}
