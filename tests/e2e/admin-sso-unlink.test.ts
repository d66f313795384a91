/**
 * In Chromium, on a phone-sized screen: an admin opens a person's edit page from the users list,
 * sees the person's single sign-on identities, unlinks one and sees it gone with a notice; the page
 * fits 375 px. A member's own edit page shows no such section (decision 700).
 */
import { afterAll, beforeAll, expect, test } from "vitest";
import { makeUser } from "../helpers/app.js";
import { captureFailures, signIn, startE2E, type E2E } from "./helpers/browser.js";

let e2e: E2E;
beforeAll(async () => {
  e2e = await startE2E();
});
afterAll(async () => {
  await e2e?.close();
});
captureFailures(() => e2e);

test("an admin unlinks a person's single sign-on identity and sees it gone, at 375 px without sideways scrolling", async () => {
  const db = e2e.app.atrium.db;
  const admin = await makeUser(e2e.app.atrium, { name: "Ada Admin", role: "admin" });
  const person = await makeUser(e2e.app.atrium, { name: "Mo Mover" });
  const now = e2e.app.atrium.ctx.clock.now();
  const kept = await db.externalIdentity.create({
    data: { issuer: "https://id.old-provider.example", subject: "mo-legacy-7", userId: person.user.id, email: person.user.email, createdAt: new Date(now.getTime() - 90 * 86_400_000), lastSignInAt: new Date(now.getTime() - 30 * 86_400_000) },
  });
  const old = await db.externalIdentity.create({
    data: { issuer: "https://id.acme.example", subject: "00u1a2b3c4d5e6f7g8h9", userId: person.user.id, email: "mo.mover@acme.example", createdAt: new Date(now.getTime() - 86_400_000), lastSignInAt: now },
  });

  const { page } = await e2e.newUser({ viewport: { width: 375, height: 800 } });
  await signIn(page, e2e.url, admin.user.email, admin.password);
  await page.goto(`${e2e.url}/admin/users`);
  await page.getByTestId("user-row").filter({ hasText: "Mo Mover" }).getByRole("link", { name: "Edit HR fields for Mo Mover" }).click();
  await page.waitForURL(`${e2e.url}/people/${person.user.id}/edit`);

  const section = page.getByTestId("sso-identities");
  await section.getByRole("heading", { name: "Single sign-on identities (administrators)" }).waitFor();
  const rows = section.getByTestId("sso-identity");
  await expect.poll(() => rows.count()).toBe(2);
  await expect.poll(() => rows.nth(1).textContent()).toContain("https://id.acme.example");
  expect(await rows.nth(1).textContent()).toContain("mo.mover@acme.example");
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);

  await section.getByRole("button", { name: "Unlink mo.mover@acme.example at https://id.acme.example" }).click();
  await page.getByRole("status").filter({ hasText: "Unlinked the sign-in identity mo.mover@acme.example at https://id.acme.example." }).waitFor();
  await expect.poll(() => rows.count()).toBe(1);
  expect(await rows.first().textContent()).toContain("https://id.old-provider.example");
  expect(await section.textContent()).not.toContain("mo.mover@acme.example");
  expect(await db.externalIdentity.findUnique({ where: { id: old.id } })).toBeNull();
  expect(await db.externalIdentity.findUnique({ where: { id: kept.id } })).not.toBeNull();
  const audit = await db.auditEvent.findFirstOrThrow({ where: { action: "auth.sso_unlinked" } });
  expect(audit).toMatchObject({ actorId: admin.user.id, targetId: person.user.id });
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);

  // The last one too: the section then says there is nothing linked.
  await section.getByRole("button", { name: /^Unlink / }).click();
  await section.getByText("Not linked to any identity provider account.").waitFor();
  expect(await db.externalIdentity.count({ where: { userId: person.user.id } })).toBe(0);

  // The person's own edit page has no such section.
  const own = await e2e.newUser({ viewport: { width: 375, height: 800 } });
  await signIn(own.page, e2e.url, person.user.email, person.password);
  await own.page.goto(`${e2e.url}/people/${person.user.id}/edit`);
  await own.page.getByRole("heading", { name: "Edit profile: Mo Mover" }).waitFor();
  expect(await own.page.getByTestId("sso-identities").count()).toBe(0);
});
