/**
 * Browser helpers for the Q&A end-to-end tests (own file, to stay clear of the shared
 * tests/e2e/helpers/browser.ts being written on main): one headless Chromium per file, one
 * context (cookie jar) per person, signed in through the real /login form.
 */
import { mkdirSync } from "node:fs";
import path from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { startTestApp, type TestApp } from "../../helpers/app.js";
import { isNavigationAbort, launchBrowser, NAVIGATION_TIMEOUT, UI_TIMEOUT } from "./browser.js";

export { UI_TIMEOUT };

export interface Person {
  context: BrowserContext;
  page: Page;
  errors: string[];
}

export async function openPerson(browser: Browser): Promise<Person> {
  const context = await browser.newContext({ locale: "en-GB", timezoneId: "UTC" });
  context.setDefaultTimeout(UI_TIMEOUT);
  context.setDefaultNavigationTimeout(NAVIGATION_TIMEOUT);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(`pageerror: ${e.message}`));
  page.on("console", (m) => {
    if (m.type() === "error" && !isNavigationAbort(m.text())) errors.push(`console: ${m.text()}`);
  });
  return { context, page, errors };
}

/** Hydrated and live: the shell's connection badge renders from an effect and turns "connected". */
export async function waitLive(page: Page) {
  await page.waitForLoadState("load");
  await page.locator('[data-testid="connection"][data-state="connected"]').waitFor({ state: "attached" });
}

export async function signIn(page: Page, url: string, email: string, password: string) {
  await page.goto(`${url}/login`);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((u) => u.pathname !== "/login");
  await waitLive(page);
}

/** Marks the window; `stillSameDocument` proves no reload happened since. */
export async function markNoReload(page: Page) {
  await page.evaluate(() => ((window as unknown as { __noReload: boolean }).__noReload = true));
}
export async function stillSameDocument(page: Page): Promise<boolean> {
  return page.evaluate(() => (window as unknown as { __noReload?: boolean }).__noReload === true);
}

const ARTIFACTS = path.resolve(import.meta.dirname, "../.artifacts");
export async function screenshotAll(people: Person[], name: string) {
  mkdirSync(ARTIFACTS, { recursive: true });
  let i = 0;
  for (const p of people) {
    if (p.page.isClosed()) continue;
    const file = path.join(ARTIFACTS, `${name}-${++i}.png`);
    await p.page.screenshot({ path: file, fullPage: true }).catch(() => {});
    console.error(`[qa e2e] ${p.page.url()} → ${file}${p.errors.length ? `\n  ${p.errors.join("\n  ")}` : ""}`);
  }
}

export async function startQaE2E(env: Record<string, string> = {}) {
  const [app, browser] = await Promise.all([startTestApp({ withPages: true, env }), launchBrowser()]);
  const people: Person[] = [];
  return {
    app,
    browser,
    url: app.url,
    people,
    async person() {
      const p = await openPerson(browser);
      people.push(p);
      return p;
    },
    async close() {
      for (const p of people) await p.context.close().catch(() => {});
      await browser.close().catch(() => {});
      await app.close();
    },
  } satisfies { app: TestApp; [k: string]: unknown };
}
