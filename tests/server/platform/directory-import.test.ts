/**
 * Directory import: per-row errors before anything is written, an all-or-nothing commit, a second
 * run of the same file that changes nothing, deactivation of people missing from the file, and a
 * size limit that stops reading a huge file early.
 */
import { Readable } from "node:stream";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { ForbiddenError, ValidationError } from "../../../server/domain/errors.js";
import { parseSkillsCell } from "../../../server/platform/directory-csv.js";
import { startTestApp, type TestApp } from "../../helpers/app.js";
import { makeDepartment, makePerson, makeTeam } from "../../factories.js";
import { dbProvider } from "../../../server/db.js";

let app: TestApp;
let admin: Awaited<ReturnType<typeof makePerson>>;
let imp: TestApp["atrium"]["domain"]["directoryImport"];

const HEADER = "email,name,title,department,team,manager_email,location,time_zone,skills";
const GOOD = [
  HEADER,
  "ceo@acme.test,Cora Chief,Chief Executive,Leadership,,,London,Europe/London,strategy:expert",
  "cto@acme.test,Theo Tech,CTO,Engineering,Platform,ceo@acme.test,Paris,Europe/Paris,go:expert;k8s:mentor",
  "dev1@acme.test,Dana Dev,Engineer,Engineering,Platform;Payments,cto@acme.test,Berlin,Europe/Berlin,go:learning; rust",
  '"dev2@acme.test","Eve ""E"" Dev",Engineer,Engineering,Payments,cto@acme.test,"Lisbon, PT",,',
].join("\n");

async function dbState() {
  const users = await app.atrium.db.user.findMany({ orderBy: { email: "asc" }, include: { teams: { orderBy: { teamId: "asc" } }, skills: { orderBy: { skillId: "asc" } } } });
  const [departments, teams, skills] = await Promise.all([
    app.atrium.db.department.findMany({ orderBy: { id: "asc" } }),
    app.atrium.db.team.findMany({ orderBy: { id: "asc" } }),
    app.atrium.db.skill.findMany({ orderBy: { id: "asc" } }),
  ]);
  return { users, departments, teams, skills };
}

// Each test has an app of its own: an importing admin, and kubernetes known under its synonym k8s.
beforeEach(async () => {
  app = await startTestApp();
  imp = app.atrium.domain.directoryImport;
  admin = await makePerson(app.atrium, { role: "admin", name: "Ira Importer", email: "ira@acme.test" });
  await app.atrium.db.skillSynonym.create({ data: { name: "k8s", skill: { create: { name: "kubernetes", label: "Kubernetes" } } } });
});
afterEach(() => app?.close());

describe("skills cell", () => {
  test("names with optional levels, synonyms of levels, and bad levels", () => {
    expect(parseSkillsCell("Go:expert; k8s : can mentor | rust")).toEqual({
      skills: [
        { name: "go", level: "expert" },
        { name: "k8s", level: "mentor" },
        { name: "rust", level: "expert" },
      ],
      errors: [],
    });
    expect(parseSkillsCell("go:guru").errors[0]).toMatch(/level must be expert, mentor or learning/);
  });
});

describe("preview", () => {
  test("wrong columns are a file-level error naming what was expected", async () => {
    const r = await imp.previewImport(admin.actor, "mail,full name,shoe size\na@b.test,A,42\n");
    expect(r.ok).toBe(false);
    expect(r.fileErrors.join(" ")).toMatch(/Unknown columns “mail”, “shoe size”\. Expected: email, name/);
    expect(r.fileErrors.join(" ")).toMatch(/Missing required column: email/);
  });

  test("an empty file, or a header without people, is refused", async () => {
    expect((await imp.previewImport(admin.actor, "")).fileErrors[0]).toMatch(/empty/);
    expect((await imp.previewImport(admin.actor, `${HEADER}\n`)).fileErrors[0]).toMatch(/no people/);
  });

  test("per-row errors: bad email, unknown time zone, duplicate, unknown manager, manager cycle, wrong value count, bad skill", async () => {
    const before = await dbState();
    const csv = [
      HEADER,
      "not-an-email,Bad Email,,,,,,,", // 2
      "tz@acme.test,Tz Person,,,,,,Mars/Olympus,", // 3
      "dup@acme.test,First,,,,,,,", // 4
      "DUP@acme.test,Second,,,,,,,", // 5
      "orphan@acme.test,Orphan,,,,ghost@acme.test,,,", // 6
      "a@acme.test,A,,,,b@acme.test,,,", // 7
      "b@acme.test,B,,,,c@acme.test,,,", // 8
      "c@acme.test,C,,,,a@acme.test,,,", // 9
      "short@acme.test,Short", // 10
      "skill@acme.test,Skill,,,,,,,go:wizard", // 11
      "ok@acme.test,Fine Person,,,,,,,", // 12
    ].join("\n");
    const r = await imp.previewImport(admin.actor, csv);
    expect(r.ok).toBe(false);
    const byLine = Object.fromEntries(r.rowErrors.map((e) => [e.line, e.messages.join(" ")]));
    expect(byLine[2]).toMatch(/“not-an-email” is not a valid email address/);
    expect(byLine[3]).toMatch(/Unknown time zone “Mars\/Olympus”/);
    expect(byLine[4]).toBeUndefined();
    expect(byLine[5]).toMatch(/Duplicate row: dup@acme.test already appears on line 4/);
    expect(byLine[6]).toMatch(/Manager ghost@acme.test is neither in the file nor an active person/);
    for (const line of [7, 8, 9]) expect(byLine[line]).toMatch(/Manager cycle: .*a@acme.test → b@acme.test → c@acme.test|Manager cycle/);
    expect(byLine[7]).toContain("a@acme.test → b@acme.test → c@acme.test → a@acme.test");
    expect(byLine[10]).toMatch(/Expected 9 values, found 2/);
    expect(byLine[11]).toMatch(/level must be/);
    expect(byLine[12]).toBeUndefined();
    expect(r.errorCount).toBe(9);
    // Nothing was written by a preview, and a commit of this file is refused without writing.
    await expect(imp.commitImport(admin.actor, csv)).rejects.toThrow(ValidationError);
    expect(await dbState()).toEqual(before);
  });

  test("a cycle through someone already in Atrium is found too", async () => {
    const boss = await makePerson(app.atrium, { name: "Existing Boss", email: "boss@acme.test" });
    const r = await imp.previewImport(admin.actor, `email,name,manager_email\nboss@acme.test,Existing Boss,new@acme.test\nnew@acme.test,New,boss@acme.test\n`);
    expect(r.rowErrors.map((e) => e.line)).toEqual([2, 3]);
    await app.atrium.db.user.delete({ where: { id: boss.user.id } });
  });

  test("only admins may import", async () => {
    const member = await makePerson(app.atrium, { name: "Not Admin" });
    await expect(imp.previewImport(member.actor, GOOD)).rejects.toThrow(ForbiddenError);
    await expect(imp.commitImport(member.actor, GOOD)).rejects.toThrow(ForbiddenError);
    await app.atrium.db.user.delete({ where: { id: member.user.id } });
  });

  test("a good file previews what it would create", async () => {
    const r = await imp.previewImport(admin.actor, GOOD);
    expect(r.ok).toBe(true);
    expect(r.totals).toMatchObject({ rows: 4, create: 4, update: 0, unchanged: 0 });
    expect(r.newDepartments).toEqual(["Engineering", "Leadership"]);
    expect(r.newTeams).toEqual(["Payments", "Platform"]);
    expect(await app.atrium.db.user.count({ where: { email: { endsWith: "@acme.test" }, NOT: { id: admin.user.id } } })).toBe(0);
  });
});

describe("commit", () => {
  test("creates people with departments, teams, managers and skills (synonyms resolved), audited and searchable", async () => {
    const { result } = await imp.commitImport(admin.actor, GOOD);
    expect(result).toMatchObject({ created: 4, updated: 0, departmentsCreated: 2, teamsCreated: 2 });
    const dev1 = await app.atrium.db.user.findUniqueOrThrow({
      where: { email: "dev1@acme.test" },
      include: { department: true, manager: true, teams: { include: { team: true } }, skills: { include: { skill: true } } },
    });
    expect(dev1).toMatchObject({ name: "Dana Dev", title: "Engineer", location: "Berlin", timeZone: "Europe/Berlin", passwordHash: null, active: true });
    expect(dev1.department?.name).toBe("Engineering");
    expect(dev1.manager?.email).toBe("cto@acme.test");
    // Rows written in bulk read back like any other (dates as Dates, schema defaults applied).
    expect(dev1.createdAt).toBeInstanceOf(Date);
    expect(dev1).toMatchObject({ role: "member", links: "[]", bio: "" });
    expect(dev1.teams.map((t) => t.team.name).sort()).toEqual(["Payments", "Platform"]);
    expect(dev1.skills.map((s) => [s.skill.name, s.level]).sort()).toEqual([["go", "learning"], ["rust", "expert"]]);
    const cto = await app.atrium.db.user.findUniqueOrThrow({ where: { email: "cto@acme.test" }, include: { skills: { include: { skill: true } } } });
    expect(cto.skills.map((s) => s.skill.name).sort()).toEqual(["go", "kubernetes"]);
    const eve = await app.atrium.db.user.findUniqueOrThrow({ where: { email: "dev2@acme.test" } });
    expect(eve).toMatchObject({ name: 'Eve "E" Dev', location: "Lisbon, PT", timeZone: "UTC" });
    const team = await app.atrium.db.team.findUniqueOrThrow({ where: { name: "Platform" }, include: { department: true } });
    expect(team.department?.name).toBe("Engineering");
    expect(app.atrium.ctx.peopleIndex.search("kubernetes", {}, 10).map((h) => h.id)).toContain(cto.id);
    const audit = await app.atrium.db.auditEvent.findFirstOrThrow({ where: { action: "directory.imported" } });
    expect(JSON.parse(audit.details)).toMatchObject({ created: 4, rows: 4 });
  });

  test("importing the same file again changes nothing", async () => {
    await imp.commitImport(admin.actor, GOOD);
    const before = await dbState();
    const { result, report } = await imp.commitImport(admin.actor, GOOD);
    expect(result).toMatchObject({ created: 0, updated: 0, unchanged: 4, deactivated: 0, departmentsCreated: 0, teamsCreated: 0 });
    expect(report.sample).toEqual([]);
    expect(await dbState()).toEqual(before);
  });

  test("a changed row updates only that person; teams are replaced, skills merged", async () => {
    await imp.commitImport(admin.actor, GOOD);
    const dev1 = await app.atrium.db.user.findUniqueOrThrow({ where: { email: "dev1@acme.test" } });
    await app.atrium.db.userSkill.create({ data: { userId: dev1.id, skillId: (await app.atrium.db.skill.create({ data: { name: "chess", label: "Chess" } })).id, level: "mentor" } });
    const changed = GOOD.replace("Engineer,Engineering,Platform;Payments,cto@acme.test,Berlin,Europe/Berlin,go:learning; rust", "Senior Engineer,Engineering,Payments,cto@acme.test,Berlin,Europe/Berlin,go:expert");
    const preview = await imp.previewImport(admin.actor, changed);
    expect(preview.totals).toMatchObject({ update: 1, unchanged: 3 });
    expect(preview.sample).toEqual([expect.objectContaining({ email: "dev1@acme.test", action: "update", changes: ["title", "teams", "skills"] })]);
    const others = await app.atrium.db.user.findMany({ where: { email: { in: ["ceo@acme.test", "cto@acme.test", "dev2@acme.test"] } }, orderBy: { email: "asc" } });
    await imp.commitImport(admin.actor, changed);
    const after = await app.atrium.db.user.findUniqueOrThrow({ where: { id: dev1.id }, include: { teams: { include: { team: true } }, skills: { include: { skill: true } } } });
    expect(after.title).toBe("Senior Engineer");
    expect(after.teams.map((t) => t.team.name)).toEqual(["Payments"]);
    expect(after.skills.map((s) => [s.skill.name, s.level]).sort()).toEqual([["chess", "mentor"], ["go", "expert"], ["rust", "expert"]]);
    expect(await app.atrium.db.user.findMany({ where: { id: { in: others.map((o) => o.id) } }, orderBy: { email: "asc" } })).toEqual(others);
  });

  test("optionally deactivates people missing from the file — never the importing admin — and ends their sessions", async () => {
    const leaver = await makePerson(app.atrium, { name: "Lee Leaver", email: "leaver@acme.test" });
    await app.atrium.domain.accounts.signIn({ email: "leaver@acme.test", password: leaver.password }, { ip: "1.2.3.4", userAgent: "t" });
    const revoked: string[] = [];
    const off = app.atrium.ctx.bus.subscribe("person.deactivated", (p) => void revoked.push(p.userId));
    const preview = await imp.previewImport(admin.actor, GOOD, { deactivateMissing: true });
    expect(preview.deactivate.map((d) => d.email)).toEqual(["leaver@acme.test"]);
    // Without the option nobody is deactivated.
    expect((await imp.previewImport(admin.actor, GOOD)).deactivate).toEqual([]);
    const { result } = await imp.commitImport(admin.actor, GOOD, { deactivateMissing: true });
    off();
    expect(result.deactivated).toBe(1);
    expect(await app.atrium.db.user.findUniqueOrThrow({ where: { id: leaver.user.id } })).toMatchObject({ active: false });
    expect(await app.atrium.db.session.count({ where: { userId: leaver.user.id } })).toBe(0);
    expect((await app.atrium.db.user.findUniqueOrThrow({ where: { id: admin.user.id } })).active).toBe(true);
    expect(revoked).toEqual([leaver.user.id]);
    expect(app.atrium.ctx.peopleIndex.search("Leaver", {}, 5)).toEqual([]);
    // Listed again later, a deactivated person is skipped, not silently reactivated.
    const again = await imp.previewImport(admin.actor, `${GOOD}\nleaver@acme.test,Lee Leaver,,,,,,,`);
    expect(again.totals.skipped).toBe(1);
    expect(again.sample.find((s) => s.email === "leaver@acme.test")?.note).toMatch(/Deactivated/);
  });

  test("a failure in the middle of the commit leaves nothing half-written", async () => {
    const before = await dbState();
    // A real database failure on the third statement kind (creating a team named Boom).
    const pg = dbProvider(app.atrium.db) === "postgresql";
    if (pg) {
      await app.atrium.db.$executeRawUnsafe(`CREATE FUNCTION boom() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF NEW."name" = 'Boom' THEN RAISE EXCEPTION 'boom'; END IF; RETURN NEW; END $$`);
      await app.atrium.db.$executeRawUnsafe(`CREATE TRIGGER boom BEFORE INSERT ON "Team" FOR EACH ROW EXECUTE FUNCTION boom()`);
    } else {
      await app.atrium.db.$executeRawUnsafe(`CREATE TRIGGER boom BEFORE INSERT ON "Team" WHEN NEW."name" = 'Boom' BEGIN SELECT RAISE(ABORT, 'boom'); END;`);
    }
    try {
      const csv = `${HEADER}\nnew1@acme.test,New One,,Brand New Dept,Boom,,,,fresh-skill\nnew2@acme.test,New Two,,,,,,,`;
      await expect(imp.commitImport(admin.actor, csv)).rejects.toThrow();
    } finally {
      await app.atrium.db.$executeRawUnsafe(pg ? `DROP TRIGGER boom ON "Team"` : `DROP TRIGGER boom`);
      if (pg) await app.atrium.db.$executeRawUnsafe(`DROP FUNCTION boom()`);
    }
    expect(await dbState()).toEqual(before);
  });
});

describe("limits", () => {
  test("a file over the limit is refused with a clear message", async () => {
    const big = HEADER + "\n" + "x@acme.test,X,,,,,,,\n".repeat(2000);
    await expect(imp.previewImport(admin.actor, big, { maxBytes: 10_000 })).rejects.toThrow(/larger than 9.8 KB|larger than 10 KB/);
  });

  test("a 1 GB stream stops being read at the limit", async () => {
    let produced = 0;
    const line = Buffer.from("someone@acme.test,Some One,Title,Dept,Team,,Town,UTC,go\n".repeat(1000));
    const gigabyte = new Readable({
      read() {
        if (produced >= 1024 ** 3) return this.push(null);
        produced += line.length;
        this.push(produced === line.length ? Buffer.concat([Buffer.from(HEADER + "\n"), line]) : line);
      },
    });
    const err = await imp.previewImport(admin.actor, gigabyte, { maxBytes: 1024 * 1024 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).message).toMatch(/larger than 1 MB/);
    expect(produced).toBeLessThan(3 * 1024 * 1024);
  });
});
