import { afterAll, beforeAll, expect, test } from "vitest";
import { createDb, type Db } from "../../../server/db.js";
import { computeMetrics } from "../../../server/dashboard/metrics.js";
import { seedOrganisation } from "../../../prisma/seed.js";
import { COO_LOGIN, seedDashboard } from "../../../prisma/seed-dashboard.js";
import { freshDatabase } from "../../helpers/db.js";

let db: Db;
let dispose: () => void;
beforeAll(async () => {
  const fresh = freshDatabase();
  dispose = fresh.dispose;
  db = await createDb(fresh.url);
  await seedOrganisation(db);
});
afterAll(async () => {
  await db.$disconnect();
  dispose();
});

test("the dashboard seed makes the COO a leader and gives every chart of this month something to show; a second run writes nothing", async () => {
  const now = new Date("2026-11-23T12:00:00.000Z");
  const first = await seedDashboard(db, now);
  expect(first).toMatchObject({ skipped: false, questions: 40, insights: 36 });
  const coo = await db.user.findUniqueOrThrow({ where: { email: COO_LOGIN.email } });
  expect([coo.name, coo.role, coo.title]).toEqual(["Daniel Weiss", "leader", "Chief Operating Officer"]);

  const m = await computeMetrics(db, { from: new Date("2026-11-01T00:00:00.000Z"), to: now, asOf: now, departmentId: null });
  expect(m.questions.asked).toBeGreaterThan(10);
  expect(m.questions.withinDay).toBeGreaterThan(0);
  expect(m.questions.accepted).toBeGreaterThan(0);
  expect(m.insights.teams.filter((t) => t.ack.p50 !== null).length).toBeGreaterThan(5);
  expect(m.insights.total.ackBreaches).toBeGreaterThan(0);
  expect(m.helpMatrix.filter((c) => c.askerDepartmentId !== c.answererDepartmentId).length).toBeGreaterThan(3);
  expect(m.questions.weeks.length).toBeGreaterThan(2);

  const again = await seedDashboard(db, now);
  expect(again.skipped).toBe(true);
  expect(await db.question.count()).toBe(40);
});
