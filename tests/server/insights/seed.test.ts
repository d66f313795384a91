import { afterAll, beforeAll, expect, test } from "vitest";
import { seedInsights } from "../../../prisma/seed-insights.js";
import { makeUser, startTestApp, type TestApp } from "../../helpers/app.js";
import { makeAdmin, makeTeam } from "./factories.js";

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

test("the demo seed routes, clusters and resolves through the real verbs, once", async () => {
  const admin = await makeAdmin(app.atrium);
  for (const name of ["Finance Operations", "Technical Support", "Identity", "Social Care"]) await makeTeam(app.atrium, admin.actor, name);
  const now = app.atrium.ctx.clock.now();
  expect(await seedInsights(app.atrium.db, now)).toEqual({ skipped: false, insights: 11, rules: 5 });
  expect(await seedInsights(app.atrium.db, now)).toMatchObject({ skipped: true });

  const viewer = (await makeUser(app.atrium)).actor;
  const billing = await app.atrium.domain.insights.listInsights(viewer, { tag: "billing" });
  expect(billing.total).toBe(6);
  expect(billing.items.every((i) => i.teams[0]!.name === "Finance Operations")).toBe(true);
  expect(billing.items.filter((i) => i.status === "resolved")).toHaveLength(1);
  const issues = await app.atrium.domain.insights.recurringIssues();
  expect(issues[0]!.trend.text).toBe("4 similar in 7 days, up from 2");
  const sso = (await app.atrium.domain.insights.listInsights(viewer, { tag: "saml" })).items[0]!;
  expect(sso.teams.map((t) => t.name)).toEqual(["Identity", "Technical Support"]);
  const praise = (await app.atrium.domain.insights.listInsights(viewer, { channel: "linkedin" })).items[0]!;
  expect([praise.sentiment.label, praise.teams[0]!.name]).toEqual(["positive", "Social Care"]);
  // Old, unacknowledged insights are past their SLA: the sweep marks them.
  await app.atrium.insightSla.sweepNow();
  expect((await app.atrium.domain.insights.listInsights(viewer, { breached: "1" })).total).toBeGreaterThan(0);
});
