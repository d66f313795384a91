/**
 * The demo organisation (prisma/seed.ts) through the real directory: for every skill held by two
 * or more people, searching its name lists someone holding it at the best level present first.
 */
import { afterAll, beforeAll, expect, test } from "vitest";
import { seedOrganisation } from "../../../prisma/seed.js";
import { buildPeopleIndex } from "../../../server/domain/people.js";
import { startTestApp, type TestApp } from "../../helpers/app.js";
import { actorOf } from "../../factories.js";

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
  const { created } = await seedOrganisation(app.atrium.db);
  expect(created).toBe(true);
  await buildPeopleIndex(app.atrium.ctx);
});
afterAll(() => app?.close());

const LEVEL = { expert: 0, mentor: 1, learning: 2 } as Record<string, number>;

test("every skill's search puts a holder at the best level first, and no learner above an expert", async () => {
  const viewer = actorOf(await app.atrium.db.user.findFirstOrThrow({ where: { role: "admin" } }));
  const skills = await app.atrium.db.skill.findMany({ include: { holders: true } });
  const checked: string[] = [];
  const expertsAndLearners: string[] = [];
  for (const skill of skills.filter((s) => s.holders.length >= 2)) {
    const levelOf = new Map(skill.holders.map((h) => [h.userId, LEVEL[h.level]!]));
    const page = await app.atrium.domain.people.searchDirectory(viewer, { q: skill.name, skill: skill.name });
    const levels = page.people.map((p) => levelOf.get(p.id)!);
    expect(levels, skill.name).toHaveLength(skill.holders.length);
    expect(levels[0], `${skill.name}: ${levels.join(",")}`).toBe(Math.min(...levels));
    const lastExpert = levels.lastIndexOf(0);
    const firstLearner = levels.indexOf(2);
    if (lastExpert >= 0 && firstLearner >= 0) {
      expect(firstLearner, `${skill.name}: ${levels.join(",")}`).toBeGreaterThan(lastExpert);
      expertsAndLearners.push(skill.name);
    }
    checked.push(skill.name);
  }
  expect(checked.length).toBeGreaterThan(20);
  // The learner-below-expert check above really ran, on skills held at both levels.
  expect(expertsAndLearners.length).toBeGreaterThan(5);
  expect(checked).toContain("python");
});
