/**
 * Small e2e helper for the insights tests: one Chromium per file, one context per person, signed
 * in by a real session cookie (the sign-in form itself is covered by the foundation's tests).
 */
import type { Browser, BrowserContext, Page } from "playwright-core";
import { sessionCookieFor, startTestApp, type TestApp } from "../../helpers/app.js";
import { isNavigationAbort, launchBrowser, UI_TIMEOUT } from "./browser.js";

export { launchBrowser } from "./browser.js";

export interface PersonPage {
  context: BrowserContext;
  page: Page;
  errors: string[];
}

export async function openAs(browser: Browser, app: TestApp, who: { user: { email: string }; password: string }): Promise<PersonPage> {
  const context = await browser.newContext({ locale: "en-GB", timezoneId: "UTC" });
  context.setDefaultTimeout(UI_TIMEOUT);
  const cookie = await sessionCookieFor(app.atrium, who.user.email, who.password);
  const [name, value] = cookie.split("=") as [string, string];
  await context.addCookies([{ name, value, url: app.url, httpOnly: true, sameSite: "Lax" }]);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  // React reports hydration mismatches with console.error; a socket closed at teardown is not ours.
  page.on("console", (m) => {
    if (m.type() === "error" && !/WebSocket|ERR_CONNECTION|Failed to load resource/.test(m.text()) && !isNavigationAbort(m.text())) errors.push(`console: ${m.text()}`);
  });
  return { context, page, errors };
}

/** Waits until the page's Socket.io connection is up (the header's live dot). */
export async function waitLive(page: Page) {
  await page.locator('[data-testid="connection"][data-state="connected"]').waitFor();
}

/** One app with pages and one Chromium for a test file (beforeAll). */
export const startInsightsBrowser = (): Promise<[TestApp, Browser]> => Promise.all([startTestApp({ withPages: true }), launchBrowser()]);

/** afterAll: closes each person's context, then Chromium, then the app. */
export async function stopInsightsBrowser(app: TestApp | undefined, browser: Browser | undefined, pages: PersonPage[]) {
  for (const p of pages) await p.context.close();
  await browser?.close();
  await app?.close();
}
