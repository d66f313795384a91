import { readFileSync } from "node:fs";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { STAMPED_MODELS } from "../../server/db.js";
import { makePerson, profileInput } from "../factories.js";
import { manualClock } from "../helpers/clock.js";
import { startTestApp, type TestApp } from "../helpers/app.js";

/** Every model with a field Prisma stamps itself (`@updatedAt`), read from the schema. */
function stampedInSchema(): string[] {
  const found: string[] = [];
  let model = "";
  for (const line of readFileSync("prisma/schema.prisma", "utf8").split("\n")) {
    model = /^model (\w+)/.exec(line)?.[1] ?? model;
    if (/^\s*\w+\s+DateTime\b.*@updatedAt/.test(line)) found.push(model);
  }
  return found.sort();
}

describe("updatedAt follows the injected clock, not the machine's", () => {
  const clock = manualClock("2031-05-05T09:00:00.000Z");
  let app: TestApp;
  beforeEach(async () => {
    clock.t = Date.parse("2031-05-05T09:00:00.000Z");
    app = await startTestApp({ clock });
  });
  afterEach(() => app.close());

  test("the stamped models are exactly the schema's @updatedAt models", () => {
    expect(stampedInSchema().length).toBeGreaterThan(0);
    expect([...STAMPED_MODELS].sort()).toEqual(stampedInSchema());
  });

  test("create, update, updateMany, upsert and createMany stamp the clock's time; a given updatedAt is kept", async () => {
    const db = app.atrium.db;
    const u = await db.user.create({ data: { email: "stamp@example.test", name: "Stamp", passwordHash: "x" } });
    expect(u.updatedAt.toISOString()).toBe("2031-05-05T09:00:00.000Z");
    clock.tick(60_000);
    const updated = await db.user.update({ where: { id: u.id }, data: { name: "Stamped" } });
    expect(updated.updatedAt.toISOString()).toBe("2031-05-05T09:01:00.000Z");
    clock.tick(60_000);
    await db.user.updateMany({ where: { id: u.id }, data: { title: "Clockmaker" } });
    expect((await db.user.findUniqueOrThrow({ where: { id: u.id } })).updatedAt.toISOString()).toBe("2031-05-05T09:02:00.000Z");
    clock.tick(60_000);
    const upserted = await db.user.upsert({ where: { id: u.id }, create: { email: "never@example.test", name: "Never", passwordHash: "x" }, update: { title: "Upserted" } });
    expect(upserted.updatedAt.toISOString()).toBe("2031-05-05T09:03:00.000Z");
    const created = await db.user.upsert({ where: { id: "no-such-user" }, create: { email: "new@example.test", name: "New", passwordHash: "x" }, update: {} });
    expect(created.updatedAt.toISOString()).toBe("2031-05-05T09:03:00.000Z");
    await db.user.createMany({ data: [{ email: "m1@example.test", name: "M1", passwordHash: "x" }, { email: "m2@example.test", name: "M2", passwordHash: "x" }] });
    const many = await db.user.findMany({ where: { email: { in: ["m1@example.test", "m2@example.test"] } } });
    expect(many.map((m) => m.updatedAt.toISOString())).toEqual(["2031-05-05T09:03:00.000Z", "2031-05-05T09:03:00.000Z"]);
    const given = await db.user.update({ where: { id: u.id }, data: { name: "Given", updatedAt: new Date("2030-01-01T00:00:00.000Z") } });
    expect(given.updatedAt.toISOString()).toBe("2030-01-01T00:00:00.000Z");
    // Inside an interactive transaction too.
    clock.tick(60_000);
    const inTx = await db.$transaction((tx) => tx.user.update({ where: { id: u.id }, data: { name: "Transacted" } }));
    expect(inTx.updatedAt.toISOString()).toBe("2031-05-05T09:04:00.000Z");
  });

  test("a profile edited through the domain verb is dated by the clock", async () => {
    const p = await makePerson(app.atrium);
    clock.tick(3 * 86_400_000);
    await app.atrium.domain.people.updateProfile(p.actor, p.user.id, profileInput({ bio: "Keeps the clocks" }));
    const row = await app.atrium.db.user.findUniqueOrThrow({ where: { id: p.user.id } });
    expect(row.updatedAt.toISOString()).toBe("2031-05-08T09:00:00.000Z");
  });

  test("another model stamps the clock too: a webhook", async () => {
    const w = await app.atrium.db.webhook.create({ data: { url: "https://hooks.example.test/x", secret: "s", events: "insight.routed" } });
    expect(w.updatedAt.toISOString()).toBe("2031-05-05T09:00:00.000Z");
  });
});
