/**
 * Seeds the demo organisation (prisma/seed-data/organisation.ts): departments, teams, 60 people
 * with a reporting tree, skills with levels, a shared vocabulary with synonyms, and two demo logins.
 *
 *   npx prisma migrate deploy && npx tsx prisma/seed.ts        (npm start does both)
 *
 * Idempotent and safe to run on every start: the organisation is written once, in one transaction.
 * When the demo admin already exists the seed writes nothing, so edits made in the app (profiles,
 * a deleted team, a changed role) survive restarts. To start over, delete the SQLite file
 * (data/atrium.db by default) and run `npm start` again.
 */
import { pathToFileURL } from "node:url";
import { EmailSchema, ProfileSchema } from "../app/schemas/people.js";
import { slugify } from "../app/schemas/org.js";
import { createDb, tuneSqlite, type Db } from "../server/db.js";
import { hashPassword } from "../server/domain/accounts.js";
import { seedInsights } from "./seed-insights.js";
import { CITIES, DEPARTMENTS, PEOPLE, SKILLS, SYNONYMS, TEAMS, type PersonSeed } from "./seed-data/organisation.js";
import { seedDocuments } from "./seed-docs.js";
import { COO_LOGIN, seedDashboard } from "./seed-dashboard.js";
import { seedSocial } from "./seed-social.js";
import { systemClock } from "../server/domain/context.js";

/** Admin first: that is the order the README and the start banner use. */
export const DEMO_LOGINS = PEOPLE.filter((p) => p.demoPassword)
  .map((p) => ({ role: p.role ?? "member", email: emailOf(p), password: p.demoPassword!, name: p.name }))
  .sort((a, b) => a.role.localeCompare(b.role));
const SENTINEL_EMAIL = DEMO_LOGINS.find((l) => l.role === "admin")!.email;

function emailOf(p: PersonSeed): string {
  if (p.email) return p.email;
  const ascii = p.name.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  return `${ascii.replace(/[^a-z ]/g, "").trim().replace(/\s+/g, ".")}@atrium.test`;
}

const LEVELS = ["expert", "mentor", "learning"] as const;

/** Checks the data against the same schemas the app uses, and the org chart for a proper tree. */
export function validatedPeople() {
  const keys = new Map(PEOPLE.map((p) => [p.key, p]));
  if (keys.size !== PEOPLE.length) throw new Error("seed: duplicate person key");
  for (const syn of Object.keys(SYNONYMS)) {
    if (SKILLS[syn]) throw new Error(`seed: synonym "${syn}" is also a skill`);
    if (!SKILLS[SYNONYMS[syn]]) throw new Error(`seed: synonym "${syn}" points to unknown skill`);
  }
  const roots = PEOPLE.filter((p) => p.manager === null);
  if (roots.length !== 1) throw new Error(`seed: expected one person at the top, found ${roots.length}`);
  const teamNames = new Set(TEAMS.map((t) => t.name));
  const deptNames = new Set(DEPARTMENTS.map((d) => d.name));
  const emails = new Set<string>();

  return PEOPLE.map((p) => {
    for (let m = p.manager, hops = 0; m !== null; m = keys.get(m)!.manager, hops++) {
      if (!keys.has(m)) throw new Error(`seed: ${p.key} has unknown manager ${m}`);
      if (hops > PEOPLE.length) throw new Error(`seed: management cycle through ${p.key}`);
    }
    if (!deptNames.has(p.department)) throw new Error(`seed: ${p.key} has unknown department`);
    for (const t of p.teams ?? []) if (!teamNames.has(t)) throw new Error(`seed: ${p.key} has unknown team ${t}`);
    const email = EmailSchema.parse(emailOf(p));
    if (emails.has(email)) throw new Error(`seed: duplicate email ${email}`);
    emails.add(email);

    const skills = LEVELS.flatMap((level) =>
      (p[level] ?? []).map((raw) => {
        const name = SYNONYMS[raw] ?? raw;
        if (!SKILLS[name]) throw new Error(`seed: ${p.key} has skill "${raw}" missing from the vocabulary`);
        return { name, level };
      }),
    );
    const profile = ProfileSchema.parse({
      name: p.name,
      pronouns: p.pronouns ?? "",
      location: p.city,
      timeZone: CITIES[p.city],
      bio: p.bio,
      links: p.links ?? [],
      skills,
    });
    return { seed: p, email, profile };
  });
}

export interface SeedResult {
  created: boolean;
  counts: Record<string, number>;
}

export async function seedOrganisation(db: Db): Promise<SeedResult> {
  const people = validatedPeople();
  if (await db.user.findUnique({ where: { email: SENTINEL_EMAIL }, select: { id: true } })) {
    return { created: false, counts: await countRows(db) };
  }
  // Only the two demo accounts can sign in; everyone else has no password until an admin sets one.
  const hashes = new Map(
    await Promise.all(DEMO_LOGINS.map(async (l) => [l.email, await hashPassword(l.password)] as const)),
  );

  await db.$transaction(
    async (tx) => {
      // Rows that already exist (an admin made "Engineering" by hand, say) are reused, not overwritten.
      const deptId = new Map<string, string>();
      for (const d of DEPARTMENTS) {
        const row =
          (await tx.department.findUnique({ where: { name: d.name } })) ??
          (await tx.department.create({ data: { name: d.name, slug: slugify(d.name), description: d.description } }));
        deptId.set(d.name, row.id);
      }

      const skillId = new Map<string, string>();
      for (const [name, label] of Object.entries(SKILLS)) {
        const row = await tx.skill.upsert({ where: { name }, create: { name, label }, update: {}, select: { id: true } });
        skillId.set(name, row.id);
      }
      for (const [name, target] of Object.entries(SYNONYMS)) {
        if (await tx.skill.findUnique({ where: { name }, select: { id: true } })) continue;
        await tx.skillSynonym.upsert({ where: { name }, create: { name, skillId: skillId.get(target)! }, update: {} });
      }

      const userId = new Map<string, string>();
      const fresh = new Set<string>(); // keys of people created by this run
      for (const { seed: p, email, profile } of people) {
        const existing = await tx.user.findUnique({ where: { email }, select: { id: true } });
        if (existing) {
          userId.set(p.key, existing.id);
          continue;
        }
        const row = await tx.user.create({
          data: {
            email,
            name: profile.name,
            passwordHash: hashes.get(email) ?? null,
            role: p.role ?? "member",
            title: p.title,
            departmentId: deptId.get(p.department)!,
            location: profile.location,
            timeZone: profile.timeZone,
            pronouns: profile.pronouns,
            bio: profile.bio,
            links: JSON.stringify(profile.links),
            statusText: p.status?.text ?? "",
            statusEmoji: p.status?.emoji ?? "",
          },
          select: { id: true },
        });
        userId.set(p.key, row.id);
        fresh.add(p.key);
        await tx.userSkill.createMany({
          data: profile.skills.map((s) => ({ userId: row.id, skillId: skillId.get(s.name)!, level: s.level })),
        });
      }
      for (const { seed: p } of people) {
        if (fresh.has(p.key) && p.manager) {
          await tx.user.update({ where: { id: userId.get(p.key)! }, data: { managerId: userId.get(p.manager)! } });
        }
      }

      for (const t of TEAMS) {
        let team = await tx.team.findUnique({ where: { name: t.name }, select: { id: true } });
        const teamIsNew = !team;
        team ??= await tx.team.create({
          data: {
            name: t.name,
            slug: slugify(t.name),
            description: t.description,
            departmentId: t.department ? deptId.get(t.department)! : null,
            leadId: userId.get(t.lead)!,
          },
          select: { id: true },
        });
        const members = PEOPLE.filter((p) => p.teams?.includes(t.name) && (teamIsNew || fresh.has(p.key)));
        if (members.length) {
          await tx.teamMembership.createMany({ data: members.map((p) => ({ userId: userId.get(p.key)!, teamId: team.id })) });
        }
      }
    },
    { maxWait: 10_000, timeout: 60_000 },
  );
  return { created: true, counts: await countRows(db) };
}

async function countRows(db: Db) {
  const [departments, teams, people, memberships, skills, synonyms, userSkills] = await Promise.all([
    db.department.count(),
    db.team.count(),
    db.user.count(),
    db.teamMembership.count(),
    db.skill.count(),
    db.skillSynonym.count(),
    db.userSkill.count(),
  ]);
  return { departments, teams, people, memberships, skills, synonyms, userSkills };
}

/**
 * Everything after the organisation, each area once (it skips when its demo data is already
 * there), with every date relative to `now`: insights and their routing rules, documents with
 * their history, the dashboard's ten weeks of activity, then follows and the feed.
 */
export async function seedDemoContent(db: Db, databaseUrl: string, now: Date) {
  const insights = await seedInsights(db, now);
  const docs = await seedDocuments(db, databaseUrl, now);
  const dashboard = await seedDashboard(db, now);
  const social = await seedSocial(db, now);
  return { insights, docs, dashboard, social };
}

async function main() {
  const url = process.env.DATABASE_URL ?? "file:./data/atrium.db";
  const started = performance.now();
  const db = await createDb(url);
  try {
    await tuneSqlite(db);
    const { created, counts } = await seedOrganisation(db);
    const ms = Math.round(performance.now() - started);
    console.log(
      created
        ? `Seeded the demo organisation into ${url} in ${ms} ms.`
        : `Demo organisation already present in ${url}; nothing written (${ms} ms).`,
    );
    console.log(
      `  ${counts.people} people · ${counts.departments} departments · ${counts.teams} teams (${counts.memberships} memberships) · ` +
        `${counts.skills} skills, ${counts.synonyms} synonyms, ${counts.userSkills} person skills`,
    );
    for (const l of DEMO_LOGINS) console.log(`  Demo ${l.role}: ${l.email} / ${l.password}  (${l.name})`);
    const r = await seedDemoContent(db, url, systemClock.now());
    console.log(
      r.insights.skipped
        ? "  Customer insights demo data already present."
        : `  ${r.insights.insights} customer insights and ${r.insights.rules} routing rules`,
    );
    if (r.docs.documents) console.log(`  ${r.docs.documents} demo documents with ${r.docs.revisions} revisions`);
    if (!r.dashboard.skipped) console.log(`  Dashboard demo activity: ${r.dashboard.questions} questions, ${r.dashboard.insights} handled insights`);
    console.log(`  Demo ${COO_LOGIN.role}: ${COO_LOGIN.email} / ${COO_LOGIN.password}  (${COO_LOGIN.name}, COO)`);
    if (r.social.follows || r.social.activity) console.log(`  ${r.social.follows} follows, ${r.social.reactions} reactions, ${r.social.activity} feed items`);
  } finally {
    await db.$disconnect();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
