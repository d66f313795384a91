import { afterAll, beforeAll, expect, test } from "vitest";
import { makeUser, startTestApp, type TestApp } from "../helpers/app.js";

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

test("health endpoint answers and a created user is in the directory index", async () => {
  const res = await fetch(`${app.url}/healthz`);
  expect(await res.json()).toEqual({ ok: true });
  const { user } = await makeUser(app.atrium, { name: "Grace Hopper" });
  await app.atrium.domain.people.updateProfile({ id: user.id, role: "member", departmentId: null, active: true }, user.id, {
    name: "Grace Hopper",
    timeZone: "America/New_York",
    skills: [{ name: "cobol", level: "expert" }],
  });
  expect(app.atrium.ctx.peopleIndex.search("cobol").map((r) => r.id)).toEqual([user.id]);
});
