/**
 * Following: people and document spaces here; tags and questions are the Q&A verbs
 * (questions.ts followTag/followQuestion), reused through `setFollow` so the "Following" page
 * manages all four in one place.
 */
import { FollowSchema } from "../../app/schemas/feed.js";
import { authorize, can, type Actor } from "../policy.js";
import { parse, type Ctx } from "./context.js";
import { NotFoundError } from "./errors.js";
import { followQuestion, followTag, unfollowQuestion, unfollowTag } from "./questions.js";
import { initials, photoUrl } from "./presenters.js";

export async function followPerson(ctx: Ctx, actor: Actor, personId: string) {
  const person = typeof personId === "string" && personId.length <= 60 ? await ctx.db.user.findUnique({ where: { id: personId }, select: { id: true, active: true } }) : null;
  if (!person || !person.active) throw new NotFoundError("That person");
  authorize(actor, "person.follow", { id: person.id }, "You cannot follow yourself.");
  await ctx.db.personFollow.upsert({
    where: { followerId_followeeId: { followerId: actor.id, followeeId: person.id } },
    create: { followerId: actor.id, followeeId: person.id, createdAt: ctx.clock.now() },
    update: {},
  });
}

export async function unfollowPerson(ctx: Ctx, actor: Actor, personId: string) {
  await ctx.db.personFollow.deleteMany({ where: { followerId: actor.id, followeeId: String(personId) } });
}

/** A space is a place, not a permission (decision 042): anyone may follow one and sees only what they may read. */
export async function followSpace(ctx: Ctx, actor: Actor, spaceId: string) {
  const space = typeof spaceId === "string" && spaceId.length <= 60 ? await ctx.db.space.findUnique({ where: { id: spaceId }, select: { id: true } }) : null;
  if (!space) throw new NotFoundError("That space");
  await ctx.db.spaceFollow.upsert({
    where: { userId_spaceId: { userId: actor.id, spaceId: space.id } },
    create: { userId: actor.id, spaceId: space.id, createdAt: ctx.clock.now() },
    update: {},
  });
}

export async function unfollowSpace(ctx: Ctx, actor: Actor, spaceId: string) {
  await ctx.db.spaceFollow.deleteMany({ where: { userId: actor.id, spaceId: String(spaceId) } });
}

/** One entry point for forms: { kind, id, follow }. Tags are named by their name, others by id. */
export async function setFollow(ctx: Ctx, actor: Actor, input: unknown) {
  const { kind, id, follow } = parse(FollowSchema, input);
  const verbs = {
    person: [followPerson, unfollowPerson],
    space: [followSpace, unfollowSpace],
    tag: [followTag, unfollowTag],
    question: [followQuestion, unfollowQuestion],
  } as const;
  await verbs[kind][follow ? 0 : 1](ctx, actor, id);
  return { kind, id, following: follow };
}

export async function isFollowingPerson(ctx: Ctx, actor: Actor, personId: string): Promise<boolean> {
  if (ctx.reads) return !!(await ctx.reads.one(`SELECT 1 AS "f" FROM "PersonFollow" WHERE "followerId" = ? AND "followeeId" = ?`, actor.id, personId));
  return !!(await ctx.db.personFollow.findUnique({ where: { followerId_followeeId: { followerId: actor.id, followeeId: personId } }, select: { createdAt: true } }));
}

export async function isFollowingSpace(ctx: Ctx, actor: Actor, spaceId: string): Promise<boolean> {
  return !!(await ctx.db.spaceFollow.findUnique({ where: { userId_spaceId: { userId: actor.id, spaceId } }, select: { createdAt: true } }));
}

/** Everything the actor follows, for the "Following" page. Deleted questions are left out. */
export async function listFollowing(ctx: Ctx, actor: Actor) {
  const [people, spaces, tags, questions] = await Promise.all([
    ctx.db.personFollow.findMany({
      where: { followerId: actor.id, followee: { active: true } },
      orderBy: { createdAt: "desc" },
      select: { followee: { select: { id: true, name: true, title: true, photoPath: true } } },
    }),
    ctx.db.spaceFollow.findMany({ where: { userId: actor.id }, orderBy: { createdAt: "desc" }, select: { space: { select: { id: true, name: true } } } }),
    ctx.db.tagFollow.findMany({ where: { userId: actor.id }, orderBy: { createdAt: "desc" }, select: { skill: { select: { name: true, label: true } } } }),
    ctx.db.questionFollow.findMany({
      where: { userId: actor.id, question: { deletedAt: null } },
      orderBy: { createdAt: "desc" },
      take: 200,
      select: { question: { select: { id: true, title: true, authorId: true, deletedAt: true } } },
    }),
  ]);
  return {
    people: people.map(({ followee: p }) => ({ id: p.id, name: p.name, title: p.title, initials: initials(p.name), photoUrl: photoUrl(p.photoPath) })),
    spaces: spaces.map((s) => s.space),
    tags: tags.map((t) => t.skill),
    questions: questions
      .filter((f) => can(actor, "question.view", { authorId: f.question.authorId, deleted: !!f.question.deletedAt }))
      .map((f) => ({ id: f.question.id, title: f.question.title })),
  };
}
