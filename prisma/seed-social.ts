/**
 * Demo data for the social layer, written once: a few questions by people the demo
 * member follows, follows (people, spaces, tags), reactions, digest preferences, and the activity
 * log backfilled from everything seeded so far — so the home feed is not empty on first start.
 */
import { plainTextToDoc } from "../app/editor/rich-text.js";
import type { Db } from "../server/db.js";
import { backfillActivity } from "../server/feed/backfill.js";

const QUESTIONS = [
  { by: "Priya Raman", title: "Which SAML attributes do we release to new SaaS vendors by default?", text: "Vendors keep asking for department and manager. What is our default attribute release policy?", tags: ["saml"], hoursAgo: 5 },
  { by: "Priya Raman", title: "Rotating the IdP signing certificate without downtime", text: "The signing certificate expires next month. Has anyone rolled one over with both certificates published?", tags: ["saml", "single sign-on"], hoursAgo: 28 },
  { by: "Nadia Haddad", title: "How should new joiners request laptop admin rights?", text: "Engineering new joiners need admin rights for Docker. Is there a form, or do we ask IT directly?", tags: [], hoursAgo: 50 },
];

/** Demo rows when the demo people exist and nobody follows anyone yet; the backfill whenever the log is empty. */
export async function seedSocial(db: Db, now: Date): Promise<{ follows: number; reactions: number; activity: number }> {
  if (await db.personFollow.count()) return { follows: 0, reactions: 0, activity: await backfillActivity(db) };
  const leo = await db.user.findUnique({ where: { email: "member@atrium.test" }, select: { id: true, departmentId: true } });
  const admin = await db.user.findUnique({ where: { email: "admin@atrium.test" }, select: { id: true } });
  if (!leo || !admin) return { follows: 0, reactions: 0, activity: await backfillActivity(db) };
  const person = (name: string) => db.user.findFirst({ where: { name }, select: { id: true } });
  const followees = (await Promise.all(["Priya Raman", "Harriet Blake", "Nadia Haddad"].map(person))).filter((p) => p !== null);

  const asked: string[] = [];
  for (const q of QUESTIONS) {
    const author = await person(q.by);
    if (!author) continue;
    const skills = await db.skill.findMany({ where: { name: { in: q.tags } }, select: { id: true, name: true } });
    const at = new Date(now.getTime() - q.hoursAgo * 3_600_000);
    const row = await db.question.create({
      data: {
        authorId: author.id,
        title: q.title,
        bodyJson: JSON.stringify(plainTextToDoc(q.text)),
        bodyText: q.text,
        createdAt: at,
        lastActivityAt: at,
        tags: { create: skills.map((s) => ({ skillId: s.id })) },
        follows: { create: { userId: author.id, createdAt: at } },
        revisions: { create: { number: 1, authorId: author.id, title: q.title, tags: JSON.stringify(skills.map((s) => s.name).sort()), bodyJson: JSON.stringify(plainTextToDoc(q.text)), bodyText: q.text, summary: "Asked", createdAt: at } },
      },
      select: { id: true },
    });
    asked.push(row.id);
  }

  const followedAt = new Date(now.getTime() - 3 * 86_400_000);
  await db.personFollow.createMany({ data: followees.map((f) => ({ followerId: leo.id, followeeId: f.id, createdAt: followedAt })) });
  await db.personFollow.create({ data: { followerId: admin.id, followeeId: leo.id, createdAt: followedAt } });
  const spaces = await db.space.findMany({ where: { OR: [{ kind: "company" }, { departmentId: leo.departmentId }] }, select: { id: true } });
  await db.spaceFollow.createMany({ data: spaces.map((s) => ({ userId: leo.id, spaceId: s.id, createdAt: followedAt })) });
  const saml = await db.skill.findUnique({ where: { name: "saml" }, select: { id: true } });
  if (saml) await db.tagFollow.upsert({ where: { userId_skillId: { userId: leo.id, skillId: saml.id } }, create: { userId: leo.id, skillId: saml.id, createdAt: followedAt }, update: {} });

  const reactors = (await Promise.all(["Tomás Herrera", "Harriet Blake", "Nadia Haddad"].map(person))).filter((p) => p !== null);
  const reactions = asked.slice(0, 2).flatMap((questionId, i) =>
    reactors.slice(0, 3 - i).map((r, j) => ({ userId: r.id, targetType: "question", targetId: questionId, key: j === 0 ? "eyes" : "thumbsup", createdAt: new Date(now.getTime() - (2 - j) * 3_600_000) })),
  );
  const insight = await db.insight.findFirst({ where: { routes: { some: {} } }, orderBy: { createdAt: "desc" }, select: { id: true } });
  if (insight) reactions.push({ userId: admin.id, targetType: "insight", targetId: insight.id, key: "bulb", createdAt: new Date(now.getTime() - 3_600_000) });
  await db.reaction.createMany({ data: reactions });

  // The default is weekly; the demo admin reads hers daily.
  await db.digestSettings.createMany({ data: [{ userId: leo.id, frequency: "weekly" }, { userId: admin.id, frequency: "daily" }] });
  const activity = await backfillActivity(db);
  return { follows: followees.length + 1 + spaces.length + (saml ? 1 : 0), reactions: reactions.length, activity };
}
