import path from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import { importStackExchange } from "../../../server/import/stackexchange.js";
import { makeUser, sessionCookieFor, startTestApp, type TestApp } from "../../helpers/app.js";

const DUMP = path.resolve(import.meta.dirname, "../../fixtures/stackexchange");
let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ withPages: true });
  await importStackExchange(app.atrium.ctx, DUMP, { source: "stackexchange:se-fixture.example" });
});
afterAll(() => app.close());

test("admin page: lists imported people with their site; a member is refused; the form merges one into an account", async () => {
  const admin = await makeUser(app.atrium, { name: "Alex Admin", role: "admin" });
  const member = await makeUser(app.atrium, { name: "Mo Member" });
  const target = await makeUser(app.atrium, { name: "Samuel Solver" });
  const adminCookie = await sessionCookieFor(app.atrium, admin.user.email, admin.password);
  const memberCookie = await sessionCookieFor(app.atrium, member.user.email, member.password);
  const page = `${app.url}/admin/imported-people`;

  const refused = await fetch(page, { headers: { Cookie: memberCookie } });
  expect(refused.status).toBe(403);
  const html = await (await fetch(page, { headers: { Cookie: adminCookie } })).text();
  expect(html).toContain("Sam Solver — imported from se-fixture.example (1 answer, 0 questions)");

  const sam = await app.atrium.db.user.findFirstOrThrow({ where: { name: "Sam Solver" } });
  const before = await app.atrium.db.answer.count({ where: { authorId: sam.id } });
  const post = (cookie: string, body: Record<string, string>) =>
    fetch(`${page}?index`, { method: "POST", headers: { Cookie: cookie, Origin: app.url, "Content-Type": "application/x-www-form-urlencoded" }, body: new URLSearchParams(body), redirect: "manual" });
  expect((await post(memberCookie, { placeholderId: sam.id, accountId: target.user.id })).status).toBe(403);
  const bad = await post(adminCookie, { placeholderId: sam.id, accountId: "" });
  expect(bad.status).toBe(422);
  expect(await bad.text()).toContain("Choose the account.");
  expect(await app.atrium.db.answer.count({ where: { authorId: sam.id } })).toBe(before);

  const ok = await post(adminCookie, { placeholderId: sam.id, accountId: target.user.id });
  expect(ok.status).toBe(200);
  expect(await ok.text()).toContain("Merged: 0 questions, 1 answer and 1 comment now belong to the account.");
  expect(await app.atrium.db.answer.count({ where: { authorId: target.user.id } })).toBe(1);
  expect(await app.atrium.db.answer.count({ where: { authorId: sam.id } })).toBe(0);
});
