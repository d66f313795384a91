/**
 * Directory import, what the plan decides: which rows are refused and why, what counts as a
 * change of each field, who is deactivated, and what the report says. Each test has an app of
 * its own and an importing admin; a refused commit is shown to write nothing.
 */
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { ValidationError } from "../../../server/domain/errors.js";
import { startTestApp, type TestApp } from "../../helpers/app.js";
import { makeDepartment, makePerson, makeTeam } from "../../factories.js";

let app: TestApp;
let admin: Awaited<ReturnType<typeof makePerson>>;
let imp: TestApp["atrium"]["domain"]["directoryImport"];

beforeEach(async () => {
  app = await startTestApp();
  imp = app.atrium.domain.directoryImport;
  admin = await makePerson(app.atrium, { role: "admin", name: "Ira Importer", email: "ira@acme.test" });
});
afterEach(() => app?.close());

const users = () => app.atrium.db.user.findMany({ orderBy: { email: "asc" } });
const lines = (r: { rowErrors: { line: number }[] }) => r.rowErrors.map((e) => e.line);

describe("refusals", () => {
  test("a manager deactivated in Atrium and not in the file is refused", async () => {
    await makePerson(app.atrium, { name: "Gone Boss", email: "gone@acme.test", active: false });
    const r = await imp.previewImport(admin.actor, "email,name,manager_email\nnew@acme.test,New,gone@acme.test\n");
    expect(r.ok).toBe(false);
    expect(r.rowErrors).toEqual([{ line: 2, email: "new@acme.test", messages: ["Manager gone@acme.test is neither in the file nor an active person in Atrium."] }]);
  });

  test("an active manager in Atrium, or one whose own row has an error, is not a second error", async () => {
    await makePerson(app.atrium, { name: "Boss", email: "boss@acme.test" });
    const r = await imp.previewImport(admin.actor, "email,name,manager_email,time_zone\nm@acme.test,Mid,,Mars/Base\na@acme.test,A,boss@acme.test,UTC\nb@acme.test,B,m@acme.test,UTC\n");
    expect(r.rowErrors).toEqual([{ line: 2, email: "m@acme.test", messages: ["Unknown time zone “Mars/Base” (use a name such as Europe/Paris)."] }]);
    expect(r.totals).toMatchObject({ rows: 3, create: 2 });
  });

  test("a valid row after an invalid row with the same email is a duplicate of the first line", async () => {
    const r = await imp.previewImport(admin.actor, "email,name,time_zone\nx@acme.test,X,Nowhere/At\nX@acme.test,X Again,UTC\n,No Email,UTC\n");
    expect(r.rowErrors.map((e) => [e.line, e.messages])).toEqual([
      [2, ["Unknown time zone “Nowhere/At” (use a name such as Europe/Paris)."]],
      [3, ["Duplicate row: x@acme.test already appears on line 2."]],
      [4, ["Email is required."]],
    ]);
    expect(r.errorCount).toBe(3);
    expect(r.totals.rows).toBe(3);
  });

  test("a duplicate points at the first line of its email, whether that row or later ones are invalid", async () => {
    const r = await imp.previewImport(
      admin.actor,
      "email,name,time_zone\nx@acme.test,X,Nowhere/At\nx@acme.test,X2,Nowhere/At\nx@acme.test,X3,UTC\ny@acme.test,Y,UTC\ny@acme.test,Y2,Nowhere/At\n",
    );
    expect(r.rowErrors.map((e) => [e.line, e.messages.join(" ")])).toEqual([
      [2, "Unknown time zone “Nowhere/At” (use a name such as Europe/Paris)."],
      [3, "Unknown time zone “Nowhere/At” (use a name such as Europe/Paris)."],
      [4, "Duplicate row: x@acme.test already appears on line 2."],
      [6, "Unknown time zone “Nowhere/At” (use a name such as Europe/Paris)."],
    ]);
  });

  test("a row refused by a later check (an unknown manager) plans nothing: no new department or team, not counted", async () => {
    const r = await imp.previewImport(admin.actor, "email,name,department,team,manager_email\norphan@acme.test,Orphan,Labs,Ghosts,ghost@acme.test\n");
    expect(r.totals).toMatchObject({ rows: 1, create: 0 });
    expect(r.newDepartments).toEqual([]);
    expect(r.newTeams).toEqual([]);
    expect(r.sample).toEqual([]);
  });

  test("a file without a team column plans no team", async () => {
    const r = await imp.previewImport(admin.actor, "email,name\nn@acme.test,N\n");
    expect(r.newTeams).toEqual([]);
    expect(r.totals).toMatchObject({ rows: 1, create: 1 });
  });

  test("errors come sorted by line, whichever check found them", async () => {
    const r = await imp.previewImport(admin.actor, "email,name,time_zone\nd@acme.test,D,UTC\nd@acme.test,D2,UTC\nbad,Bad,UTC\n");
    expect(lines(r)).toEqual([3, 4]);
  });

  test("a loop below the first row marks only the people in the loop, named from where it closes", async () => {
    // y reports into the loop after it was found: the loop is not reported twice.
    const r = await imp.previewImport(admin.actor, "email,name,manager_email\nx@acme.test,X,a@acme.test\na@acme.test,A,b@acme.test\nb@acme.test,B,a@acme.test\ny@acme.test,Y,b@acme.test\n");
    expect(r.rowErrors).toEqual([
      { line: 3, email: "a@acme.test", messages: ["Manager cycle: a@acme.test → b@acme.test → a@acme.test."] },
      { line: 4, email: "b@acme.test", messages: ["Manager cycle: a@acme.test → b@acme.test → a@acme.test."] },
    ]);
  });

  test("a loop through Atrium's own reporting line is found; a row clearing its manager breaks it", async () => {
    const b = await makePerson(app.atrium, { name: "B", email: "b@acme.test" });
    await makePerson(app.atrium, { name: "A", email: "a@acme.test", managerId: b.user.id });
    const loop = await imp.previewImport(admin.actor, "email,name,manager_email\nb@acme.test,B,a@acme.test\n");
    expect(loop.rowErrors).toEqual([{ line: 2, email: "b@acme.test", messages: ["Manager cycle: b@acme.test → a@acme.test → b@acme.test."] }]);
    const cleared = await imp.previewImport(admin.actor, "email,name,manager_email\nb@acme.test,B,a@acme.test\na@acme.test,A,\n");
    expect(cleared.rowErrors).toEqual([]);
    expect(cleared.ok).toBe(true);
    // Without a manager column a row keeps Atrium's line, so the loop is still there.
    const kept = await imp.previewImport(admin.actor, "email,name,manager_email\nb@acme.test,B,a@acme.test\n");
    expect(lines(kept)).toEqual([2]);
  });

  test("a cell holding NUL (U+0000) is a row error, and the commit writes nothing", async () => {
    const before = await users();
    const csv = "email,name\nnul@acme.test,Nul\u0000Person\n";
    const r = await imp.previewImport(admin.actor, csv);
    expect(r.rowErrors).toEqual([{ line: 2, email: "nul@acme.test", messages: ["The row contains a NUL (U+0000) character."] }]);
    await expect(() => imp.commitImport(admin.actor, csv)).rejects.toThrow("1 row has errors; nothing was imported.");
    expect(await users()).toEqual(before);
  });

  test("a refused commit says how many rows have errors, and carries the report", async () => {
    const err = await imp.commitImport(admin.actor, "email,name\nbad,Bad\nworse,Worse\n").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).message).toBe("2 rows have errors; nothing was imported.");
    expect((err as ValidationError & { report: { errorCount: number } }).report.errorCount).toBe(2);
    const fileErr = await imp.commitImport(admin.actor, "email,name\n").catch((e: unknown) => e);
    expect((fileErr as ValidationError).message).toBe("The file has a header but no people.");
  });

  test("the size limit is the environment's unless the caller gives one, and names the file field", async () => {
    const small = await startTestApp({ env: { IMPORT_MAX_BYTES: "1024" } });
    try {
      const who = await makePerson(small.atrium, { role: "admin" });
      const csv = "email,name\n" + "p@acme.test,P\n".repeat(100);
      const err = await small.atrium.domain.directoryImport.previewImport(who.actor, csv).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ValidationError);
      expect((err as ValidationError).fieldErrors).toEqual({ file: [expect.stringMatching(/larger than 1 KB/)] });
      expect((err as ValidationError).message).toMatch(/larger than 1 KB/);
      // The command line may allow more than the web form.
      const r = await small.atrium.domain.directoryImport.previewImport(who.actor, csv, { maxBytes: 4096 });
      expect(r.bytes).toBe(Buffer.byteLength(csv));
    } finally {
      await small.close();
    }
  });
});

describe("what changes", () => {
  let eng: { id: string };
  beforeEach(async () => {
    eng = await makeDepartment(app.atrium, "Engineering");
    await makeDepartment(app.atrium, "Sales");
    const core = await makeTeam(app.atrium, { name: "Core" });
    const web = await makeTeam(app.atrium, { name: "Web" });
    await app.atrium.db.skill.create({ data: { name: "go", label: "Go" } });
    const boss = await makePerson(app.atrium, { name: "Bo Boss", email: "boss@acme.test" });
    await makePerson(app.atrium, { name: "Other Boss", email: "other@acme.test" });
    await makePerson(app.atrium, {
      name: "Pat Person",
      email: "pat@acme.test",
      title: "Engineer",
      location: "Oslo",
      timeZone: "Europe/Oslo",
      departmentId: eng.id,
      managerId: boss.user.id,
      teamIds: [core.id, web.id],
      skills: { go: "mentor" },
    });
  });

  const HEAD = "email,name,title,department,team,manager_email,location,time_zone,skills";
  const SAME = "pat@acme.test,Pat Person,Engineer,engineering,web;CORE,boss@acme.test,Oslo,Europe/Oslo,go:mentor";
  const changesOf = async (row: string, head = HEAD) => {
    const r = await imp.previewImport(admin.actor, `${head}\n${row}\n`);
    expect(r.ok).toBe(true);
    return r.sample.find((p) => p.email === "pat@acme.test")?.changes ?? "unchanged";
  };

  test("the same values (names in any case, teams in any order) are unchanged", async () => {
    const r = await imp.previewImport(admin.actor, `${HEAD}\n${SAME}\n`);
    expect(r.totals).toMatchObject({ rows: 1, create: 0, update: 0, unchanged: 1, skipped: 0 });
    expect(r.sample).toEqual([]);
    expect(r.newDepartments).toEqual([]);
    expect(r.newTeams).toEqual([]);
  });

  test.each([
    ["name", "pat@acme.test,Pat Renamed,Engineer,engineering,web;CORE,boss@acme.test,Oslo,Europe/Oslo,go:mentor"],
    ["title", "pat@acme.test,Pat Person,Lead,engineering,web;CORE,boss@acme.test,Oslo,Europe/Oslo,go:mentor"],
    ["department", "pat@acme.test,Pat Person,Engineer,Sales,web;CORE,boss@acme.test,Oslo,Europe/Oslo,go:mentor"],
    ["department", "pat@acme.test,Pat Person,Engineer,,web;CORE,boss@acme.test,Oslo,Europe/Oslo,go:mentor"],
    ["department", "pat@acme.test,Pat Person,Engineer,Research,web;CORE,boss@acme.test,Oslo,Europe/Oslo,go:mentor"],
    ["teams", "pat@acme.test,Pat Person,Engineer,engineering,web,boss@acme.test,Oslo,Europe/Oslo,go:mentor"],
    ["teams", "pat@acme.test,Pat Person,Engineer,engineering,web;core;mobile,boss@acme.test,Oslo,Europe/Oslo,go:mentor"],
    ["teams", "pat@acme.test,Pat Person,Engineer,engineering,web;mobile,boss@acme.test,Oslo,Europe/Oslo,go:mentor"],
    ["manager", "pat@acme.test,Pat Person,Engineer,engineering,web;CORE,other@acme.test,Oslo,Europe/Oslo,go:mentor"],
    ["manager", "pat@acme.test,Pat Person,Engineer,engineering,web;CORE,,Oslo,Europe/Oslo,go:mentor"],
    ["location", "pat@acme.test,Pat Person,Engineer,engineering,web;CORE,boss@acme.test,Bergen,Europe/Oslo,go:mentor"],
    ["timeZone", "pat@acme.test,Pat Person,Engineer,engineering,web;CORE,boss@acme.test,Oslo,UTC,go:mentor"],
    ["timeZone", "pat@acme.test,Pat Person,Engineer,engineering,web;CORE,boss@acme.test,Oslo,,go:mentor"],
    ["skills", "pat@acme.test,Pat Person,Engineer,engineering,web;CORE,boss@acme.test,Oslo,Europe/Oslo,go:expert"],
    ["skills", "pat@acme.test,Pat Person,Engineer,engineering,web;CORE,boss@acme.test,Oslo,Europe/Oslo,go:mentor;rust:learning"],
  ])("a different %s is that one change (%s)", async (field, row) => {
    expect(await changesOf(row)).toEqual([field]);
  });

  test("a manager created by the same file is a change", async () => {
    const r = await imp.previewImport(admin.actor, `${HEAD}\n${SAME.replace("boss@acme.test", "newboss@acme.test")}\nnewboss@acme.test,New Boss,,,,,,,\n`);
    expect(r.sample.find((p) => p.email === "pat@acme.test")).toMatchObject({ action: "update", changes: ["manager"] });
    expect(r.totals).toMatchObject({ create: 1, update: 1 });
  });

  test("a skill dropped from the cell is no change (skills are merged), nor is a column left out", async () => {
    expect(await changesOf("pat@acme.test,Pat Person,Engineer,engineering,web;CORE,boss@acme.test,Oslo,Europe/Oslo,")).toBe("unchanged");
    expect(await changesOf("pat@acme.test,Pat Person", "email,name")).toBe("unchanged");
  });

  test("new departments, teams and skills are listed once, in their file spelling, sorted; known ones in another case are not new", async () => {
    const r = await imp.previewImport(
      admin.actor,
      `${HEAD}\nn1@acme.test,N1,,Research,mobile;Zeta,,,,\nn2@acme.test,N2,,SALES,core;Mobile,,,,\nn3@acme.test,N3,,Alpha,,,,,\n`,
    );
    expect(r.newDepartments).toEqual(["Alpha", "Research"]);
    expect(r.newTeams).toEqual(["Mobile", "Zeta"]);
    expect(r.totals).toMatchObject({ rows: 3, create: 3 });
    expect(r.sample.map((p) => [p.line, p.email, p.name, p.action, p.changes])).toEqual([
      [2, "n1@acme.test", "N1", "create", []],
      [3, "n2@acme.test", "N2", "create", []],
      [4, "n3@acme.test", "N3", "create", []],
    ]);
  });

  test("names are matched trimmed and lower-cased (so “STRASSE” is not “Straße”)", async () => {
    await app.atrium.db.department.create({ data: { name: " Padded ", slug: "padded" } });
    await makeDepartment(app.atrium, "Straße");
    const r = await imp.previewImport(admin.actor, "email,name,department\nn1@acme.test,N1,padded\nn2@acme.test,N2,STRASSE\n");
    expect(r.newDepartments).toEqual(["STRASSE"]);
  });

  test("a person deactivated in Atrium is skipped with a note, whatever the row says", async () => {
    await app.atrium.db.user.update({ where: { email: "pat@acme.test" }, data: { active: false } });
    const r = await imp.previewImport(admin.actor, `${HEAD}\n${SAME.replace("Pat Person", "Pat Changed")}\n`);
    expect(r.totals).toMatchObject({ rows: 1, skipped: 1, update: 0, create: 0, unchanged: 0 });
    expect(r.sample).toEqual([{ line: 2, email: "pat@acme.test", name: "Pat Changed", action: "skipped", changes: [], note: "Deactivated in Atrium: reactivate the account in Users to include it." }]);
  });

  test("deactivation lists active people missing from the file only: not the importer, not those already deactivated", async () => {
    await makePerson(app.atrium, { name: "Old Leaver", email: "old@acme.test", active: false });
    const r = await imp.previewImport(admin.actor, `${HEAD}\n${SAME}\nother@acme.test,Other Boss,,,,,,,\n`, { deactivateMissing: true });
    const boss = await app.atrium.db.user.findUniqueOrThrow({ where: { email: "boss@acme.test" } });
    expect(r.deactivate).toEqual([{ id: boss.id, name: "Bo Boss", email: "boss@acme.test" }]);
    expect(r.totals.deactivate).toBe(1);
  });

  test("the report names the file's columns and size; progress says what is read and checked", async () => {
    const csv = `email,Full Name,tz\nn@acme.test,N,UTC\n`;
    const seen: unknown[] = [];
    const r = await imp.previewImport(admin.actor, csv, { totalBytes: 99, onProgress: (p) => void seen.push(p) });
    expect(r.columns).toEqual(["email", "name", "time_zone"]);
    expect(r.bytes).toBe(Buffer.byteLength(csv));
    expect(seen).toEqual([
      { phase: "reading", done: Buffer.byteLength(csv), total: 99 },
      { phase: "checking", done: 1, total: 1 },
    ]);
    const plain: unknown[] = [];
    await imp.previewImport(admin.actor, csv, { onProgress: (p) => void plain.push(p) });
    expect(plain[0]).toEqual({ phase: "reading", done: Buffer.byteLength(csv), total: 0 });
  });

  test("the sample shows the first 100 rows that change something", async () => {
    const rows = Array.from({ length: 101 }, (_, i) => `p${i}@acme.test,P ${i}`);
    const r = await imp.previewImport(admin.actor, `email,name\npat@acme.test,Pat Person\n${rows.join("\n")}\n`);
    expect(r.totals).toMatchObject({ rows: 102, create: 101, unchanged: 1 });
    expect(r.sample).toHaveLength(100);
    expect(r.sample[0].email).toBe("p0@acme.test");
    expect(r.sample[99].email).toBe("p99@acme.test");
  });
});
