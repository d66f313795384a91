/**
 * The admin pages and the document trash over HTTP: for each, what the allowed person can see and
 * do, and that everyone else is refused (403, or a redirect to sign in) with the database unchanged.
 * Pages: /admin, /admin/departments, /admin/skills, /admin/insight-rules/accounts,
 * /admin/insight-rules/:id, /docs/trash.
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { makeUser, sessionCookieFor, startTestApp, type TestApp } from "./../helpers/app.js";
import { makeTeam } from "../factories.js";

let app: TestApp;
type U = Awaited<ReturnType<typeof makeUser>>;
let admin: U, member: U, leader: U;
const cookies = new Map<string, string>();

const get = (u: U | null, path: string) => fetch(`${app.url}${path}`, { headers: u ? { cookie: cookies.get(u.user.id)! } : {}, redirect: "manual" });
const post = (u: U, path: string, fields: Record<string, string | string[]>) => {
  const form = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) for (const x of [v].flat()) form.append(k, x);
  return fetch(`${app.url}${path}`, {
    method: "POST",
    headers: { cookie: cookies.get(u.user.id)!, "content-type": "application/x-www-form-urlencoded" },
    body: form,
    redirect: "manual",
  });
};

/** A signed-out visitor is sent to sign in, a member and a leader get 403, for the page itself. */
async function onlyAdminsSee(path: string, adminSees: string) {
  const ok = await get(admin, path);
  expect(ok.status, path).toBe(200);
  expect(await ok.text()).toContain(adminSees);
  for (const u of [member, leader]) {
    const res = await get(u, path);
    expect(res.status, `${path} as ${u.user.role}`).toBe(403);
    expect(await res.text()).not.toContain(adminSees);
  }
  const out = await get(null, path);
  expect(out.status).toBe(302);
  expect(out.headers.get("location")).toBe(`/login?redirectTo=${encodeURIComponent(path)}`);
}

beforeAll(async () => {
  app = await startTestApp({ withPages: true });
  admin = await makeUser(app.atrium, { name: "Ada Admin", role: "admin" });
  member = await makeUser(app.atrium, { name: "Milo Member" });
  leader = await makeUser(app.atrium, { name: "Lena Leader", role: "leader" });
  for (const u of [admin, member, leader]) cookies.set(u.user.id, await sessionCookieFor(app.atrium, u.user.email, u.password));
}, 300_000);
afterAll(() => app?.close());

describe("/admin", () => {
  test("an admin sees the overview with the counts of people; members and leaders get 403; signed out goes to sign in", async () => {
    await onlyAdminsSee("/admin", "Create a user");
    const html = (await (await get(admin, "/admin")).text()).replaceAll("<!-- -->", "");
    expect(html).toContain("3 active (1 admins), 0 deactivated.");
  });
});

describe("/admin/departments", () => {
  test("an admin creates a department through the form; a member's post is refused and writes nothing", async () => {
    await onlyAdminsSee("/admin/departments", "Department name");
    const created = await post(admin, "/admin/departments", { intent: "create", name: "Treasury", description: "Money matters" });
    expect(created.status).toBeLessThan(400);
    expect(await app.atrium.db.department.findUnique({ where: { name: "Treasury" } })).toMatchObject({ description: "Money matters" });
    const before = await app.atrium.db.department.findMany({ orderBy: { id: "asc" } });
    const refused = await post(member, "/admin/departments", { intent: "create", name: "Shadow Treasury", description: "" });
    expect(refused.status).toBe(403);
    const d = before.find((x) => x.name === "Treasury")!;
    expect((await post(member, "/admin/departments", { intent: "delete", id: d.id, departmentName: d.name })).status).toBe(403);
    expect(await app.atrium.db.department.findMany({ orderBy: { id: "asc" } })).toEqual(before);
  });
});

describe("/admin/skills", () => {
  test("an admin adds a synonym through the form; a member's post is refused and writes nothing", async () => {
    await app.atrium.db.skill.create({ data: { name: "terraform", label: "Terraform" } });
    await onlyAdminsSee("/admin/skills", "Terraform");
    const added = await post(admin, "/admin/skills", { intent: "add-synonym", skill: "terraform", synonym: "tf" });
    expect(added.status).toBeLessThan(400);
    expect(await app.atrium.db.skillSynonym.findUnique({ where: { name: "tf" } })).not.toBeNull();
    const before = await app.atrium.db.skillSynonym.findMany({ orderBy: { id: "asc" } });
    expect((await post(member, "/admin/skills", { intent: "add-synonym", skill: "terraform", synonym: "hcl" })).status).toBe(403);
    expect((await post(member, "/admin/skills", { intent: "remove-synonym", synonym: "tf" })).status).toBe(403);
    expect(await app.atrium.db.skillSynonym.findMany({ orderBy: { id: "asc" } })).toEqual(before);
  });
});

describe("/admin/insight-rules/accounts", () => {
  test("an admin adds a customer account; a member's create and update are refused and write nothing", async () => {
    await onlyAdminsSee("/admin/insight-rules/accounts", "Segment");
    const created = await post(admin, "/admin/insight-rules/accounts", { intent: "create", name: "Initech", segment: "Enterprise", tier: "gold" });
    expect(created.status).toBe(200);
    const account = await app.atrium.db.customerAccount.findUniqueOrThrow({ where: { name: "Initech" } });
    expect(account).toMatchObject({ segment: "Enterprise", tier: "gold" });
    const before = await app.atrium.db.customerAccount.findMany({ orderBy: { id: "asc" } });
    expect((await post(member, "/admin/insight-rules/accounts", { intent: "create", name: "Mine Corp", segment: "", tier: "standard" })).status).toBe(403);
    expect((await post(member, "/admin/insight-rules/accounts", { intent: "update", id: account.id, name: "Initech", segment: "SMB", tier: "standard" })).status).toBe(403);
    expect(await app.atrium.db.customerAccount.findMany({ orderBy: { id: "asc" } })).toEqual(before);
  });
});

describe("/admin/insight-rules/:id", () => {
  test("an admin opens a rule and saves a change; a member can neither see nor change it", async () => {
    const team = await makeTeam(app.atrium, { name: "Billing Desk" });
    const rule = await app.atrium.domain.routingRules.createRule(admin.actor, {
      name: "Invoices",
      enabled: true,
      teamIds: [team.id],
      priority: "normal",
      ackWithin: "1h",
      resolveWithin: "1d",
      conditions: { topics: ["invoices"] },
    });
    const path = `/admin/insight-rules/${rule.id}`;
    await onlyAdminsSee(path, "Invoices");
    const form = { name: "Invoices and refunds", enabled: "on", teamIds: [team.id], priority: "high", ackWithin: "2h", resolveWithin: "1d", topics: "invoices, refunds" };
    const saved = await post(admin, path, form);
    expect(saved.status).toBe(302);
    expect(saved.headers.get("location")).toBe("/admin/insight-rules?saved=1");
    expect(await app.atrium.db.routingRule.findUniqueOrThrow({ where: { id: rule.id } })).toMatchObject({ name: "Invoices and refunds", priority: "high", ackWithinMinutes: 120 });
    const before = await app.atrium.db.routingRule.findMany({ include: { teams: true } });
    expect((await post(member, path, { ...form, name: "Hijacked", priority: "low" })).status).toBe(403);
    expect(await app.atrium.db.routingRule.findMany({ include: { teams: true } })).toEqual(before);
    expect((await get(admin, "/admin/insight-rules/no-such-rule")).status).toBe(404);
  });
});

describe("/docs/trash", () => {
  test("the owner sees their trashed document and restores it; someone else neither sees it nor restores it", async () => {
    const company = await app.atrium.db.space.findFirstOrThrow({ where: { kind: "company" } });
    const { id } = await app.atrium.domain.docs.createDocument(member.actor, { title: "Quarterly trash candidate", spaceId: company.id, visibility: "company" });
    await app.atrium.domain.docs.trashDocument(member.actor, id);
    const mine = await get(member, "/docs/trash");
    expect(mine.status).toBe(200);
    expect(await mine.text()).toContain("Quarterly trash candidate");
    const theirs = await get(leader, "/docs/trash");
    expect(theirs.status).toBe(200);
    expect(await theirs.text()).not.toContain("Quarterly trash candidate");
    expect((await get(null, "/docs/trash")).status).toBe(302);

    const before = await app.atrium.db.document.findUniqueOrThrow({ where: { id } });
    expect((await post(leader, "/docs/trash", { docId: id })).status).toBe(403);
    expect(await app.atrium.db.document.findUniqueOrThrow({ where: { id } })).toEqual(before);

    const restored = await post(member, "/docs/trash", { docId: id });
    expect(restored.status).toBe(302);
    expect(restored.headers.get("location")).toBe(`/docs/${id}`);
    expect((await app.atrium.db.document.findUniqueOrThrow({ where: { id } })).deletedAt).toBeNull();
  });
});
