/** The audit log over HTTP: a real sign-in form post is recorded with its address and browser; the admin page and CSV export. */
import { afterAll, beforeAll, expect, test } from "vitest";
import { startTestApp, type TestApp } from "../../helpers/app.js";
import { DEFAULT_PASSWORD, makePerson } from "../../factories.js";

let app: TestApp;
let adminCookie = "";
let memberCookie = "";

async function signIn(email: string, userAgent: string) {
  const res = await fetch(`${app.url}/login`, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded", "User-Agent": userAgent },
    body: new URLSearchParams({ email, password: DEFAULT_PASSWORD, redirectTo: "/" }),
  });
  expect(res.status).toBe(302);
  return res.headers.get("set-cookie")!.split(";")[0];
}

beforeAll(async () => {
  app = await startTestApp({ withPages: true });
  await makePerson(app.atrium, { role: "admin", name: "Hattie Http", email: "hattie@example.test" });
  await makePerson(app.atrium, { name: "Mo Member", email: "mo@example.test" });
  adminCookie = await signIn("hattie@example.test", "Mozilla/5.0 (AuditBrowser)");
  memberCookie = await signIn("mo@example.test", "curl/8");
});
afterAll(() => app?.close());

test("a sign-in through the form is recorded with the client's address and user agent", async () => {
  const row = await app.atrium.db.auditEvent.findFirst({ where: { action: "auth.signin_succeeded", actorLabel: { contains: "hattie" } } });
  expect(row).toMatchObject({ ip: "127.0.0.1", userAgent: "Mozilla/5.0 (AuditBrowser)" });
});

test("an admin action through a page records the request's address too", async () => {
  const mo = await app.atrium.db.user.findUniqueOrThrow({ where: { email: "mo@example.test" } });
  const res = await fetch(`${app.url}/admin/users`, {
    method: "POST",
    redirect: "manual",
    headers: { Cookie: adminCookie, "Content-Type": "application/x-www-form-urlencoded", "User-Agent": "AdminUA/2" },
    body: new URLSearchParams({ intent: "role", userId: mo.id, role: "admin", userName: "Mo" }),
  });
  expect(res.status).toBe(200);
  const row = await app.atrium.db.auditEvent.findFirst({ where: { action: "user.role_changed" } });
  expect(row).toMatchObject({ targetId: mo.id, ip: "127.0.0.1", userAgent: "AdminUA/2" });
  await app.atrium.db.user.update({ where: { id: mo.id }, data: { role: "member" } });
  // A role change ends the person's sessions (decision 097): Mo gets a new one (not through the
  // form, so the sign-in count the next test filters on stays as it was).
  expect((await fetch(`${app.url}/account`, { redirect: "manual", headers: { Cookie: memberCookie } })).status).toBe(302);
  memberCookie = `atrium_session=${(await app.atrium.domain.accounts.startSession(mo.id, { ip: "127.0.0.1", userAgent: "curl/8" })).token}`;
});

test("the admin page lists and filters; a member gets 403", async () => {
  const page = await fetch(`${app.url}/admin/audit?action=auth.signin_succeeded`, { headers: { Cookie: adminCookie } });
  expect(page.status).toBe(200);
  const html = await page.text();
  expect(html.match(/data-testid="audit-row"/g)?.length).toBe(2);
  expect(html).toContain("Hattie Http signed in with a password");
  expect(html).not.toContain("Changed Mo");
  const bad = await fetch(`${app.url}/admin/audit?from=yesterday`, { headers: { Cookie: adminCookie } });
  expect(bad.status).toBe(200);
  expect(await bad.text()).toContain("Enter a date as YYYY-MM-DD.");
  expect((await fetch(`${app.url}/admin/audit`, { headers: { Cookie: memberCookie } })).status).toBe(403);
  expect((await fetch(`${app.url}/admin/audit.csv`, { headers: { Cookie: memberCookie } })).status).toBe(403);
});

test("the CSV export downloads and is itself audited", async () => {
  const res = await fetch(`${app.url}/admin/audit.csv?action=user.role_changed`, { headers: { Cookie: adminCookie, "User-Agent": "Exporter/1" } });
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toMatch(/^text\/csv/);
  expect(res.headers.get("content-disposition")).toMatch(/^attachment; filename="atrium-audit-\d{4}-\d{2}-\d{2}\.csv"$/);
  const lines = (await res.text()).trim().split("\r\n");
  expect(lines).toHaveLength(2);
  expect(lines[1]).toContain("user.role_changed");
  const exported = await app.atrium.db.auditEvent.findFirst({ where: { action: "audit.exported" } });
  expect(exported).toMatchObject({ userAgent: "Exporter/1", summary: "Exported 1 audit event as CSV" });
});
