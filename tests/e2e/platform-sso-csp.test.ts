/**
 * In Chromium: the app runs under its Content-Security-Policy with nothing blocked (pages hydrate,
 * live updates connect), and "Sign in with Acme ID" goes through a real OpenID Connect provider
 * and back, signed in.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, test } from "vitest";
import { makePerson } from "../factories.js";
import { startSsoTestApp, type SsoTestApp } from "../helpers/sso-app.js";
import { launchBrowser } from "./helpers/browser.js";
import { signInWithPassword } from "./helpers/platform-browser.js";

let app: SsoTestApp;
let browser: Browser;

/** A page that records CSP violations (the browser's own report) and errors. */
async function watchedPage() {
  const context = await browser.newContext({ locale: "en-GB", timezoneId: "UTC" });
  context.setDefaultTimeout(10_000);
  await context.addInitScript(() => {
    (window as unknown as { __csp: string[] }).__csp = [];
    document.addEventListener("securitypolicyviolation", (e) => {
      (window as unknown as { __csp: string[] }).__csp.push(`${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  return { page, errors, violations: () => page.evaluate(() => (window as unknown as { __csp: string[] }).__csp) };
}

const connected = (page: Page) => page.locator('[data-testid="connection"][data-state="connected"]').waitFor({ state: "attached" });

beforeAll(async () => {
  [app, browser] = await Promise.all([startSsoTestApp({ withPages: true }), launchBrowser()]);
  app.idp.accounts.set("sam", { email: "sam@acme.test", email_verified: true, name: "Sam Single", department: "Identity", title: "SAML expert" });
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
});

test("pages hydrate and go live under the CSP, with no violation reported", async () => {
  const admin = await makePerson(app.atrium, { role: "admin", name: "Csp Admin", email: "csp@acme.test" });
  const { page, errors, violations } = await watchedPage();
  await signInWithPassword(page, app.url, admin.user.email, admin.password);
  await connected(page); // Socket.io over ws:// is allowed by connect-src
  for (const path of ["/people", "/admin/audit", "/admin/import", "/admin/webhooks", "/account/tokens"]) {
    await page.goto(`${app.url}${path}`);
    await connected(page);
  }
  // Client-side navigation works (React is running): follow the top bar's People link.
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "People" }).click();
  await page.waitForURL(`${app.url}/people`);
  expect(await violations()).toEqual([]);
  expect(errors.filter((e) => /Content Security Policy|Refused/.test(e))).toEqual([]);
  // Remix logs "Failed to fetch manifest patches" when a full page load (goto) aborts its lazy route
  // discovery request: the test's navigation, not the policy (violations are checked above).
  expect(errors.filter((e) => !e.startsWith("Failed to fetch manifest patches"))).toEqual([]);
  await page.context().close();
});

test("a blocked inline script would be reported (the check above can fail)", async () => {
  const { page, violations } = await watchedPage();
  await page.goto(`${app.url}/login`);
  await page.evaluate(() => {
    const s = document.createElement("script");
    s.textContent = "window.__injected = true";
    document.body.appendChild(s);
  });
  await expect.poll(violations).toEqual([expect.stringMatching(/^script-src/)]);
  expect(await page.evaluate(() => (window as unknown as { __injected?: boolean }).__injected)).toBeUndefined();
  await page.context().close();
});

test("Sign in with Acme ID: through the provider's pages and back, signed in as a new person", async () => {
  const { page, errors, violations } = await watchedPage();
  await page.goto(`${app.url}/people`);
  await page.waitForURL(/\/login\?redirectTo=/);
  await page.getByTestId("sso-button").click();
  // The provider's own (development) login and consent pages.
  await page.waitForURL((u) => u.href.startsWith(app.idp.issuer));
  await page.locator('input[name="login"]').fill("sam");
  await page.locator('input[name="password"]').fill("anything");
  await page.getByRole("button", { name: "Sign-in" }).click();
  await page.getByRole("button", { name: "Continue" }).click();
  await page.waitForURL(`${app.url}/people`);
  errors.length = 0; // the provider's development pages fetch fonts from the internet; only Atrium's page counts
  await connected(page);
  expect(await page.getByRole("link", { name: /Your profile \(Sam Single\)/ }).count()).toBe(1);
  const sam = await app.atrium.db.user.findUniqueOrThrow({ where: { email: "sam@acme.test" }, include: { department: true } });
  expect(sam).toMatchObject({ title: "SAML expert" });
  expect(sam.department?.name).toBe("Identity");
  expect(errors).toEqual([]);
  expect(await violations()).toEqual([]);
  await page.context().close();
});

test("/admin/sso: an admin sees the provider's settings, the linked account and the sign-in just made; a member gets the forbidden page", async () => {
  // Runs after the Acme ID sign-in above, so there is one linked account and one event.
  const admin = await makePerson(app.atrium, { role: "admin", name: "Sso Admin", email: "sso-admin@acme.test" });
  const member = await makePerson(app.atrium, { name: "Sso Member", email: "sso-member@acme.test" });
  expect(await app.atrium.db.externalIdentity.count()).toBe(1);
  const { page, errors } = await watchedPage();
  await signInWithPassword(page, app.url, admin.user.email, admin.password);
  await page.goto(`${app.url}/admin/sso`);
  await connected(page);
  expect(await page.getByTestId("sso-state").textContent()).toBe("Single sign-on with Acme ID is on. Password sign-in is on.");
  const cell = (label: string) => page.getByRole("row", { name: label }).getByRole("cell");
  expect(await cell("Issuer").textContent()).toBe(app.idp.issuer);
  expect(await cell("Client id").textContent()).toBe(app.idp.clientId);
  expect(await cell("Redirect URI (register this at the provider)").textContent()).toBe(app.callback);
  expect(await cell("Linked accounts").textContent()).toBe("1");
  expect(await page.getByRole("listitem").filter({ hasText: "Sam Single signed in with Acme ID (account created)" }).count()).toBe(1);
  // The link to the audit log goes to the sign-ins, filtered.
  await page.getByRole("link", { name: "All single sign-ons in the audit log" }).click();
  await page.waitForURL(`${app.url}/admin/audit?action=auth.sso_signin`);
  expect(errors.filter((e) => !e.startsWith("Failed to fetch manifest patches"))).toEqual([]);
  await page.context().close();

  const other = await watchedPage();
  await signInWithPassword(other.page, app.url, member.user.email, member.password);
  const res = await other.page.goto(`${app.url}/admin/sso`);
  expect(res?.status()).toBe(403);
  expect(await other.page.getByTestId("sso-state").count()).toBe(0);
  expect(await other.page.content()).not.toContain(app.idp.clientId);
  await other.page.context().close();
});
