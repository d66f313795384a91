/**
 * Directory import, what a commit writes: times from the injected clock, the audit record, the
 * progress it reports, the events it publishes, the addresses of new departments and teams, and
 * the rows it must leave alone (skipped, unchanged, columns not in the file).
 */
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { startTestApp, type TestApp } from "../../helpers/app.js";
import { makeDepartment, makePerson } from "../../factories.js";
import { fakeClock } from "../insights/factories.js";

let app: TestApp;
let clock: ReturnType<typeof fakeClock>;
let admin: Awaited<ReturnType<typeof makePerson>>;
let imp: TestApp["atrium"]["domain"]["directoryImport"];

beforeEach(async () => {
  clock = fakeClock();
  app = await startTestApp({ clock });
  imp = app.atrium.domain.directoryImport;
  admin = await makePerson(app.atrium, { role: "admin", name: "Ira Importer", email: "ira@acme.test" });
});
afterEach(() => app?.close());

function record<T>(name: string) {
  const seen: T[] = [];
  const off = app.atrium.ctx.bus.subscribe(name as never, (p: T) => void seen.push(p));
  return { seen, off };
}

describe("commit", () => {
  test("writes with the clock's time, audits the counts, reports progress and announces what changed", async () => {
    const pat = await makePerson(app.atrium, { name: "Pat Person", email: "pat@acme.test", title: "Engineer" });
    const leaver = await makePerson(app.atrium, { name: "Lee Leaver", email: "leaver@acme.test" });
    await app.atrium.domain.accounts.signIn({ email: "leaver@acme.test", password: leaver.password }, { ip: "1.2.3.4", userAgent: "t" });
    const live = await app.atrium.domain.apiTokens.createApiToken(leaver.actor, { name: "live", scope: "read" });
    const earlier = new Date(clock.now().getTime() - 86_400_000);
    const dead = await app.atrium.domain.apiTokens.createApiToken(leaver.actor, { name: "dead", scope: "read" });
    await app.atrium.db.apiToken.update({ where: { id: dead.id }, data: { revokedAt: earlier } });
    clock.advance(60_000);
    const at = clock.now();

    const imported = record<{ created: number; updated: number; deactivated: number }>("directory.imported");
    const updated = record<{ userId: string }>("person.updated");
    const deactivated = record<{ userId: string }>("person.deactivated");
    const revoked = record<{ userId: string; sessionIds: string }>("session.revoked");
    const progress: { phase: string; done: number; total: number }[] = [];
    const csv = "email,name,title,team,manager_email,skills\npat@acme.test,Pat Person,Lead,,,\nnew@acme.test,New Person,,Zeta,pat@acme.test,go\nira@acme.test,Ira Importer,,,,\n";
    const { result } = await imp.commitImport(admin.actor, csv, { deactivateMissing: true, onProgress: (p) => void progress.push(p) });
    for (const r of [imported, updated, deactivated, revoked]) r.off();

    expect(result).toEqual({ created: 1, updated: 1, unchanged: 1, skipped: 0, deactivated: 1, departmentsCreated: 0, teamsCreated: 1 });
    const created = await app.atrium.db.user.findUniqueOrThrow({ where: { email: "new@acme.test" }, include: { teams: true } });
    expect(created).toMatchObject({ createdAt: at, updatedAt: at, managerId: pat.user.id, title: "", location: "", timeZone: "UTC", departmentId: null });
    expect(created.teams.map((t) => t.joinedAt)).toEqual([at]);
    expect(await app.atrium.db.user.findUniqueOrThrow({ where: { id: leaver.user.id } })).toMatchObject({ active: false, deactivatedAt: at });
    expect(await app.atrium.db.session.count({ where: { userId: leaver.user.id } })).toBe(0);
    expect((await app.atrium.db.apiToken.findUniqueOrThrow({ where: { id: live.id } })).revokedAt).toEqual(at);
    expect((await app.atrium.db.apiToken.findUniqueOrThrow({ where: { id: dead.id } })).revokedAt).toEqual(earlier);

    const audit = await app.atrium.db.auditEvent.findFirstOrThrow({ where: { action: "directory.imported" } });
    expect(audit).toMatchObject({ actorId: admin.user.id, targetType: "directory", targetId: "", summary: "Imported the directory: 1 created, 1 updated, 1 unchanged, 1 deactivated" });
    expect(JSON.parse(audit.details)).toEqual({ ...result, rows: 3, deactivateMissing: true, bytes: Buffer.byteLength(csv) });

    expect(progress.filter((p) => p.phase !== "reading")).toEqual([
      { phase: "checking", done: 3, total: 3 },
      { phase: "writing", done: 1, total: 3 },
      { phase: "writing", done: 2, total: 3 },
      { phase: "writing", done: 3, total: 3 },
      { phase: "indexing", done: 0, total: 2 },
      { phase: "indexing", done: 2, total: 2 },
    ]);
    expect(imported.seen).toEqual([{ created: 1, updated: 1, deactivated: 1 }]);
    expect(updated.seen.map((p) => p.userId).sort()).toEqual([pat.user.id, created.id].sort());
    expect(deactivated.seen).toEqual([{ userId: leaver.user.id }]);
    expect(revoked.seen).toEqual([{ userId: leaver.user.id, sessionIds: "all" }]);
    expect(app.atrium.ctx.peopleIndex.search("Leaver", {}, 5)).toEqual([]);
    expect(app.atrium.ctx.peopleIndex.search("New Person", {}, 5).map((h) => h.id)).toContain(created.id);
  });

  test("a skipped row, an unchanged row and the columns a file leaves out are not written", async () => {
    const off = await makePerson(app.atrium, { name: "Off Person", email: "off@acme.test", active: false, title: "Was" });
    const keep = await makePerson(app.atrium, { name: "Keep Person", email: "keep@acme.test", title: "Keeper", location: "Oslo", timeZone: "Europe/Oslo" });
    const before = await app.atrium.db.user.findMany({ where: { id: { in: [off.user.id, keep.user.id] } }, orderBy: { email: "asc" } });
    clock.advance(60_000);
    const { result } = await imp.commitImport(admin.actor, "email,name,title\noff@acme.test,Off Renamed,Is\nkeep@acme.test,Keep Person,Keeper\n");
    expect(result).toMatchObject({ created: 0, updated: 0, unchanged: 1, skipped: 1 });
    expect(await app.atrium.db.user.findMany({ where: { id: { in: [off.user.id, keep.user.id] } }, orderBy: { email: "asc" } })).toEqual(before);
    await imp.commitImport(admin.actor, "email,name\nkeep@acme.test,Keep Renamed\n");
    expect(await app.atrium.db.user.findUniqueOrThrow({ where: { id: keep.user.id } })).toMatchObject({ name: "Keep Renamed", title: "Keeper", location: "Oslo", timeZone: "Europe/Oslo" });
  });

  test("new departments and teams get a free address; a team takes the department of the first row naming it", async () => {
    await app.atrium.db.department.create({ data: { name: "Old Research", slug: "research" } });
    await makeDepartment(app.atrium, "Sales");
    const csv = "email,name,department,team\na@acme.test,A,,Lab\nb@acme.test,B,Research,Lab;***\nc@acme.test,C,Sales,Field\n";
    await imp.commitImport(admin.actor, csv);
    const research = await app.atrium.db.department.findUniqueOrThrow({ where: { name: "Research" } });
    expect(research.slug).toBe("research-2");
    const teams = await app.atrium.db.team.findMany({ where: { name: { in: ["Lab", "***", "Field"] } }, include: { department: true }, orderBy: { name: "asc" } });
    expect(teams.map((t) => [t.name, t.slug, t.department?.name ?? null])).toEqual([
      ["***", "item", "Research"],
      ["Field", "field", "Sales"],
      ["Lab", "lab", null],
    ]);
    const b = await app.atrium.db.user.findUniqueOrThrow({ where: { email: "b@acme.test" }, include: { teams: { include: { team: true } } } });
    expect(b.departmentId).toBe(research.id);
    expect(b.teams.map((t) => t.team.name).sort()).toEqual(["***", "Lab"]);
  });

  test("one skill named twice on a row (a name and its synonym) keeps the first level", async () => {
    await app.atrium.db.skillSynonym.create({ data: { name: "k8s", skill: { create: { name: "kubernetes", label: "Kubernetes" } } } });
    await imp.commitImport(admin.actor, "email,name,skills\nk@acme.test,K,kubernetes:mentor;k8s:learning\n");
    const k = await app.atrium.db.user.findUniqueOrThrow({ where: { email: "k@acme.test" }, include: { skills: { include: { skill: true } } } });
    expect(k.skills.map((s) => [s.skill.name, s.level])).toEqual([["kubernetes", "mentor"]]);
  });

  test("a report listed before the new manager is created in the same import with that manager", async () => {
    await imp.commitImport(admin.actor, "email,name,manager_email\nr@acme.test,Report,m@acme.test\nm@acme.test,Manager,top@acme.test\ntop@acme.test,Top,\n");
    const [r, m, top] = await Promise.all(["r", "m", "top"].map((e) => app.atrium.db.user.findUniqueOrThrow({ where: { email: `${e}@acme.test` } })));
    expect(r.managerId).toBe(m.id);
    expect(m.managerId).toBe(top.id);
    expect(top.managerId).toBeNull();
  });

  test("more than 500 changed people are announced by directory.imported alone", async () => {
    const rows = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i}@acme.test,${prefix.toUpperCase()} ${i}`).join("\n");
    const updated = record<{ userId: string }>("person.updated");
    await imp.commitImport(admin.actor, `email,name\n${rows("p", 500)}\n`);
    expect(updated.seen).toHaveLength(500);
    updated.seen.length = 0;
    const { result } = await imp.commitImport(admin.actor, `email,name\n${rows("q", 501)}\n`);
    updated.off();
    expect(result.created).toBe(501);
    expect(updated.seen).toEqual([]);
  });
});
