/**
 * A row removed between a verb's read and its write (a double-clicked delete, a question deleted
 * while someone follows it) is a 404, and one created in between a 409, not a server error: the
 * domain layer maps Prisma's "record required but not found" (P2025), "parent row gone" (P2003)
 * and "already there" (P2002) for every verb.
 */
import { afterAll, beforeAll, expect, test } from "vitest";
import type { Db } from "../../../server/db.js";
import { lostRace } from "../../../server/domain/index.js";
import { NotFoundError } from "../../../server/domain/errors.js";
import { startTestApp, makeUser, type TestApp } from "../../helpers/app.js";

let app: TestApp;
let db: Db;
beforeAll(async () => {
  app = await startTestApp();
  db = app.atrium.db;
});
afterAll(() => app?.close());

const errorOf = (p: Promise<unknown>) => p.then(() => null, (e: unknown) => e);

test("Prisma's P2025 and P2003 become a 404, P2002 a 409; other errors pass through unchanged", async () => {
  const missing = await errorOf(db.team.delete({ where: { id: "no-such-team" } }));
  expect((missing as { code?: string }).code).toBe("P2025");
  const mapped = lostRace(missing);
  expect(mapped).toBeInstanceOf(NotFoundError);
  expect(mapped).toMatchObject({ status: 404, code: "not_found" });

  const person = await makeUser(app.atrium);
  const orphan = await errorOf(db.teamMembership.create({ data: { teamId: "no-such-team", userId: person.user.id } }));
  expect((orphan as { code?: string }).code).toBe("P2003");
  expect(lostRace(orphan)).toBeInstanceOf(NotFoundError);

  const unique = await errorOf(db.user.create({ data: { email: person.user.email, name: "Again" } }));
  expect((unique as { code?: string }).code).toBe("P2002");
  expect(lostRace(unique)).toMatchObject({ status: 409, code: "conflict" });
  const plain = new Error("boom");
  expect(lostRace(plain)).toBe(plain);
});

test("a verb whose row goes between its read and its write answers 404 through the bound domain", async () => {
  const admin = await makeUser(app.atrium, { role: "admin" });
  const team = await app.atrium.domain.org.createTeam(admin.actor, { name: "Short-lived" });
  // The verb reads the team, then deletes it; the row goes in between (a second click's request).
  const realDelete = db.team.delete.bind(db.team);
  let raced = false;
  (db.team as { delete: unknown }).delete = async (args: Parameters<typeof realDelete>[0]) => {
    if (!raced) {
      raced = true;
      await realDelete(args);
    }
    return realDelete(args);
  };
  try {
    const e = await errorOf(app.atrium.domain.org.deleteTeam(admin.actor, team.id));
    expect(e).toBeInstanceOf(NotFoundError);
  } finally {
    (db.team as { delete: unknown }).delete = realDelete;
  }
  expect(await db.team.findUnique({ where: { id: team.id } })).toBeNull();
});
