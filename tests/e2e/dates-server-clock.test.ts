/**
 * Relative dates hydrate against the server's now, not the browser's clock: the app runs on an
 * injected clock three hours ahead of the browser, so a browser that used its own clock for the
 * first render would say "in 2 hr" where the server said "5 min ago" (a hydration mismatch).
 * After hydration the shared ticker keeps counting from the server's now.
 */
import { afterAll, beforeAll, expect, test } from "vitest";
import type { Browser } from "playwright-core";
import { makeUser, startTestApp, type TestApp } from "../helpers/app.js";
import { launchBrowser, newUserPage, signIn, waitForHydration, RESEND_ON_RESET } from "./helpers/browser.js";

const AHEAD_MS = 3 * 3600_000;
let app: TestApp;
let browser: Browser;

beforeAll(async () => {
  [app, browser] = await Promise.all([startTestApp({ withPages: true, clock: { now: () => new Date(Date.now() + AHEAD_MS) } }), launchBrowser()]);
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
});

test("a notification from five minutes ago (server time) reads '5 min ago' in the HTML and after hydration, with no error", async () => {
  const me = await makeUser(app.atrium, { name: "Clock Reader", timeZone: "Asia/Kolkata" });
  const createdAt = new Date(Date.now() + AHEAD_MS - 5 * 60_000);
  await app.atrium.db.notification.create({ data: { userId: me.user.id, type: "mention", title: "Five minutes ago", createdAt } });
  const u = await newUserPage(browser, { timezoneId: "America/Los_Angeles" });
  await signIn(u.page, app.url, me.user.email, me.password);

  const html = await (await u.page.request.get(`${app.url}/notifications`, RESEND_ON_RESET)).text();
  const iso = createdAt.toISOString();
  const server = new RegExp(`<time datetime="${iso}" title="[^"]*"[^>]*><span aria-hidden="true">(.*?)</span>`, "i").exec(html);
  expect(server?.[1]).toBe("5 min ago");

  await u.page.goto(`${app.url}/notifications`);
  await waitForHydration(u.page);
  const shown = u.page.locator(`time[datetime="${iso}"] span[aria-hidden="true"]`);
  // The ticker counts on from the server's now: still minutes ago, never "in 2 hr".
  expect(await shown.textContent()).toMatch(/^[56] min ago$/);
  expect(u.consoleErrors.filter((e) => !e.startsWith("Failed to fetch manifest patches"))).toEqual([]);
  expect(u.pageErrors).toEqual([]);
  await u.context.close();
});
