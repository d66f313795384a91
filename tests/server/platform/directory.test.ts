/**
 * The API's people directory (server/domain/directory.ts) on a real database with the injected
 * clock: deactivated people only for administrators (in the list and by id), each filter alone and
 * together, cursor pages (a full last page has no next cursor, ties broken by id, malformed
 * cursors refused) and every field a person shows, the same in the list and by id.
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { getPerson, listPeople } from "../../../server/domain/directory.js";
import type { Ctx } from "../../../server/domain/context.js";
import { ForbiddenError, NotFoundError, ValidationError } from "../../../server/domain/errors.js";
import { actorOf, makeDepartment, makePerson, makeTeam } from "../../factories.js";
import type { Actor } from "../../../server/policy.js";
import { startTestApp, type TestApp } from "../../helpers/app.js";
import { manualClock } from "../../helpers/clock.js";
import { recordingReads } from "../../helpers/recording-reads.js";

const clock = manualClock("2032-06-01T09:00:00Z");

let app: TestApp;
type P = Awaited<ReturnType<typeof makePerson>>;
let admin: P, member: P, kit: P, lou: P, gone: P, plain: P;
/** A leader: more than a member elsewhere (dashboards), no more than one here. */
let leader: Actor;
let dept: { id: string; name: string };
let team: { id: string; name: string };
let other: { id: string; name: string };

const ctx = () => app.atrium.ctx;
const names = (page: { data: { name: string }[] }) => page.data.map((p) => p.name);
const cursorOf = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");

beforeAll(async () => {
  app = await startTestApp({ clock });
  dept = await makeDepartment(app.atrium, "Kitchen");
  team = await makeTeam(app.atrium, { name: "Bakers" });
  other = await makeTeam(app.atrium, { name: "Tasters" });
  admin = await makePerson(app.atrium, { role: "admin", name: "Ada Admin", email: "ada@dir.test" });
  member = await makePerson(app.atrium, { name: "Mo Member", email: "mo@dir.test" });
  kit = await makePerson(app.atrium, {
    name: "Kit Cook",
    email: "kit@dir.test",
    title: "Pastry chef",
    location: "Ghent",
    timeZone: "Europe/Brussels",
    bio: "Laminates dough.",
    departmentId: dept.id,
    teamIds: [team.id, other.id],
    skills: { baking: "expert", sql: "learning" },
  });
  lou = await makePerson(app.atrium, { name: "Lou Cook", email: "lou@dir.test", departmentId: dept.id });
  await makePerson(app.atrium, { name: "Pat Baker", email: "pat@dir.test", teamIds: [team.id] });
  plain = await makePerson(app.atrium, { name: "Zia Plain", email: "zia@dir.test" });
  const lea = await makePerson(app.atrium, { name: "Lea Leader", email: "lea@dir.test" });
  leader = actorOf(await app.atrium.db.user.update({ where: { id: lea.user.id }, data: { role: "leader" } }));
  gone = await makePerson(app.atrium, { name: "Gil Gone", email: "gil@dir.test", active: false, departmentId: dept.id, teamIds: [team.id] });
  await app.atrium.db.user.update({ where: { id: kit.user.id }, data: { pronouns: "they/them", photoPath: "photos/kit.png", managerId: lou.user.id, updatedAt: new Date("2032-05-20T10:11:12.345Z") } });
});
afterAll(() => app?.close());

describe("who is listed", () => {
  test("a member lists the active people only, and may not ask for deactivated ones", async () => {
    const page = await listPeople(ctx(), member.actor, {});
    expect(names(page)).toEqual(["Ada Admin", "Kit Cook", "Lea Leader", "Lou Cook", "Mo Member", "Pat Baker", "Zia Plain"]);
    expect(page.nextCursor).toBeNull();
    expect(names(await listPeople(ctx(), member.actor, { active: "true" }))).not.toContain("Gil Gone");
    for (const actor of [member.actor, leader])
      for (const active of ["false", "all"]) {
        await expect(() => listPeople(ctx(), actor, { active }), `${actor.role} ${active}`).rejects.toBeInstanceOf(ForbiddenError);
        await expect(() => listPeople(ctx(), actor, { active })).rejects.toMatchObject({ message: "Only administrators can list deactivated people." });
      }
    await expect(() => listPeople(ctx(), admin.actor, { active: "yes" })).rejects.toMatchObject({ fieldErrors: { active: ["active is true, false or all."] } });
    // Filters do not open a way round it.
    expect(names(await listPeople(ctx(), member.actor, { email: "gil@dir.test" }))).toEqual([]);
    expect(names(await listPeople(ctx(), member.actor, { team: team.id }))).toEqual(["Kit Cook", "Pat Baker"]);
  });

  test("an administrator lists the deactivated people alone, or everyone", async () => {
    expect(names(await listPeople(ctx(), admin.actor, { active: "false" }))).toEqual(["Gil Gone"]);
    expect(names(await listPeople(ctx(), admin.actor, { active: "all" }))).toEqual(["Ada Admin", "Gil Gone", "Kit Cook", "Lea Leader", "Lou Cook", "Mo Member", "Pat Baker", "Zia Plain"]);
    expect(names(await listPeople(ctx(), admin.actor, {}))).not.toContain("Gil Gone");
    const goneRow = (await listPeople(ctx(), admin.actor, { active: "false" })).data[0]!;
    expect(goneRow.active).toBe(false);
  });

  test("by team, by department, by email (trimmed, any case), and several together", async () => {
    expect(names(await listPeople(ctx(), admin.actor, { team: team.id }))).toEqual(["Kit Cook", "Pat Baker"]);
    expect(names(await listPeople(ctx(), admin.actor, { team: other.id }))).toEqual(["Kit Cook"]);
    expect(names(await listPeople(ctx(), admin.actor, { department: dept.id }))).toEqual(["Kit Cook", "Lou Cook"]);
    expect(names(await listPeople(ctx(), admin.actor, { department: dept.id, team: team.id }))).toEqual(["Kit Cook"]);
    expect(names(await listPeople(ctx(), admin.actor, { department: dept.id, team: team.id, active: "all" }))).toEqual(["Gil Gone", "Kit Cook"]);
    expect(names(await listPeople(ctx(), admin.actor, { email: "  LOU@Dir.Test " }))).toEqual(["Lou Cook"]);
    expect(names(await listPeople(ctx(), admin.actor, { email: "lou@dir.test", department: "nope" }))).toEqual([]);
    expect(names(await listPeople(ctx(), admin.actor, { team: "no-such-team" }))).toEqual([]);
  });
});

describe("cursor pages", () => {
  test("a last page that is exactly full has no next cursor; one short of everyone has one", async () => {
    const all = await listPeople(ctx(), member.actor, { limit: "7" });
    expect(all.data).toHaveLength(7);
    expect(all.nextCursor).toBeNull();
    const six = await listPeople(ctx(), member.actor, { limit: "6" });
    expect(names(six)).toEqual(["Ada Admin", "Kit Cook", "Lea Leader", "Lou Cook", "Mo Member", "Pat Baker"]);
    expect(six.nextCursor).not.toBeNull();
    const rest = await listPeople(ctx(), member.actor, { limit: "6", cursor: six.nextCursor! });
    expect(names(rest)).toEqual(["Zia Plain"]);
    expect(rest.nextCursor).toBeNull();
  });

  test("the cursor is the last name and id: the next page starts after it, a tie on the name broken by id", async () => {
    const twins = [await makePerson(app.atrium, { name: "Kit Cook", email: "kit2@dir.test" }), await makePerson(app.atrium, { name: "Kit Cook", email: "kit3@dir.test" })];
    try {
      const ids = [kit.user.id, ...twins.map((t) => t.user.id)].sort();
      const walked: string[] = [];
      let cursor: string | null = cursorOf(["Ada Admin", admin.user.id]);
      for (let i = 0; i < 3; i++) {
        const page: Awaited<ReturnType<typeof listPeople>> = await listPeople(ctx(), member.actor, { limit: "1", cursor: cursor! });
        walked.push(page.data[0]!.id);
        expect(page.nextCursor).toBe(cursorOf(["Kit Cook", page.data[0]!.id]));
        cursor = page.nextCursor;
      }
      expect(walked).toEqual(ids);
      expect(names(await listPeople(ctx(), member.actor, { limit: "1", cursor: cursor! }))).toEqual(["Lea Leader"]);
      // A cursor between two names (no one has it) starts at the next name.
      expect(names(await listPeople(ctx(), member.actor, { limit: "2", cursor: cursorOf(["Lf", ""]) }))).toEqual(["Lou Cook", "Mo Member"]);
    } finally {
      await app.atrium.db.user.deleteMany({ where: { id: { in: twins.map((t) => t.user.id) } } });
    }
  });

  test("a cursor that is not a name and an id is refused, naming the cursor", async () => {
    for (const bad of ["not-a-cursor!", cursorOf(["Kit Cook"]), cursorOf(["Kit Cook", kit.user.id, "x"]), cursorOf(["Kit Cook", 7]), cursorOf({ 0: "a", 1: "b", length: 2 }), cursorOf("ab")]) {
      await expect(() => listPeople(ctx(), member.actor, { cursor: bad }), bad).rejects.toMatchObject({
        fieldErrors: { cursor: ["That cursor is not valid; start again without one."] },
      });
    }
    await expect(() => listPeople(ctx(), member.actor, { cursor: cursorOf(["Kit Cook"]) })).rejects.toBeInstanceOf(ValidationError);
  });
});

describe("one person", () => {
  const kitShown = () => ({
    id: kit.user.id,
    email: "kit@dir.test",
    name: "Kit Cook",
    title: "Pastry chef",
    department: { id: dept.id, name: "Kitchen" },
    teams: expect.arrayContaining([
      { id: team.id, name: "Bakers" },
      { id: other.id, name: "Tasters" },
    ]),
    managerId: lou.user.id,
    location: "Ghent",
    timeZone: "Europe/Brussels",
    pronouns: "they/them",
    bio: "Laminates dough.",
    skills: expect.arrayContaining([
      { name: "baking", label: "baking", level: "expert" },
      { name: "sql", label: "sql", level: "learning" },
    ]),
    photoUrl: "/uploads/photos/kit.png",
    active: true,
    updatedAt: "2032-05-20T10:11:12.345Z",
  });

  test("every field the API shows, the same by id and in the list, and nothing else", async () => {
    const byId = await getPerson(ctx(), member.actor, kit.user.id);
    expect(byId).toEqual(kitShown());
    expect(byId.teams).toHaveLength(2);
    expect(byId.skills).toHaveLength(2);
    const listed = (await listPeople(ctx(), member.actor, { email: "kit@dir.test" })).data[0]!;
    expect(listed).toEqual(kitShown());
    expect(Object.keys(listed).sort()).toEqual(Object.keys(byId).sort());
    expect(JSON.stringify([byId, listed])).not.toMatch(/passwordHash|argon2|session/i);
  });

  test("a person with no department, photo, manager, team or skill", async () => {
    const shown = await getPerson(ctx(), member.actor, plain.user.id);
    expect(shown).toMatchObject({ department: null, photoUrl: null, managerId: null, teams: [], skills: [], active: true });
    expect((await listPeople(ctx(), member.actor, { email: "zia@dir.test" })).data).toEqual([shown]);
  });

  test("a deactivated person is not found by a member or a leader, but is by an administrator; an unknown id by no one", async () => {
    for (const actor of [member.actor, leader]) {
      await expect(() => getPerson(ctx(), actor, gone.user.id), actor.role).rejects.toBeInstanceOf(NotFoundError);
      await expect(() => getPerson(ctx(), actor, gone.user.id), actor.role).rejects.toMatchObject({ message: "That person was not found." });
    }
    expect(await getPerson(ctx(), admin.actor, gone.user.id)).toMatchObject({ id: gone.user.id, name: "Gil Gone", active: false, department: { id: dept.id } });
    for (const actor of [member.actor, admin.actor]) await expect(() => getPerson(ctx(), actor, "no-such-person")).rejects.toBeInstanceOf(NotFoundError);
  });
});

test("the list is one prepared statement on the read connection when the context has one", async () => {
  const { reads: recording, statements } = recordingReads(app.atrium.ctx.reads!);
  const page = await listPeople({ ...app.atrium.ctx, reads: recording } as Ctx, member.actor, { team: team.id });
  expect(names(page)).toEqual(["Kit Cook", "Pat Baker"]);
  expect(statements).toHaveLength(1);
  expect(await listPeople({ ...app.atrium.ctx, reads: undefined } as Ctx, member.actor, { team: team.id })).toEqual(page);
});
