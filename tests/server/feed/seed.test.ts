/** The social seed: on a fresh demo organisation the demo member's feed is not empty; a second run writes nothing. */
import { afterAll, beforeAll, expect, test } from "vitest";
import { seedOrganisation } from "../../../prisma/seed.js";
import { seedSocial } from "../../../prisma/seed-social.js";
import { actorOf } from "../../factories.js";
import { startTestApp, type TestApp } from "../../helpers/app.js";

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
  await seedOrganisation(app.atrium.db);
  await app.atrium.domain.docs.ensureSpaces();
});
afterAll(() => app.close());

test("follows, reactions, digest preferences and a backfilled feed — once", async () => {
  const first = await seedSocial(app.atrium.db, app.atrium.ctx.clock.now());
  expect(first.follows).toBeGreaterThan(3);
  expect(first.reactions).toBeGreaterThan(2);
  expect(first.activity).toBeGreaterThanOrEqual(3);
  const leo = await app.atrium.db.user.findUniqueOrThrow({ where: { email: "member@atrium.test" } });
  const feed = await app.atrium.domain.feed.getFeed(actorOf(leo), {});
  expect(feed.items.length).toBeGreaterThanOrEqual(3);
  expect(feed.items.some((i) => i.why === "You follow Priya Raman" && (i.reactOn?.reactions.length ?? 0) > 0)).toBe(true);
  expect((await app.atrium.domain.digest.getDigestSettings(actorOf(leo))).frequency).toBe("weekly");

  const counts = async () => [await app.atrium.db.personFollow.count(), await app.atrium.db.reaction.count(), await app.atrium.db.activityItem.count(), await app.atrium.db.question.count()];
  const before = await counts();
  expect(await seedSocial(app.atrium.db, app.atrium.ctx.clock.now())).toEqual({ follows: 0, reactions: 0, activity: 0 });
  expect(await counts()).toEqual(before);
});
