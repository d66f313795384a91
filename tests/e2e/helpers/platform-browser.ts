/** Small browser helpers for the platform's end-to-end tests (one Chromium per file). */
import type { Browser, BrowserContext, Page } from "playwright-core";
import { startTestApp, type TestApp } from "../../helpers/app.js";
import { isNavigationAbort, launchBrowser, UI_TIMEOUT } from "./browser.js";

export interface PlatformE2E {
  app: TestApp;
  browser: Browser;
  contexts: BrowserContext[];
  /** A fresh context and page, collecting uncaught page errors and console errors (CSP violations land there). */
  page(): Promise<{ page: Page; errors: string[] }>;
  close(): Promise<void>;
}

export async function startPlatformE2E(env: Record<string, string> = {}): Promise<PlatformE2E> {
  const [app, browser] = await Promise.all([
    startTestApp({ withPages: true, env }),
    launchBrowser(),
  ]);
  const contexts: BrowserContext[] = [];
  return {
    app,
    browser,
    contexts,
    async page() {
      const context = await browser.newContext({ locale: "en-GB", timezoneId: "UTC" });
      context.setDefaultTimeout(UI_TIMEOUT);
      contexts.push(context);
      const page = await context.newPage();
      const errors: string[] = [];
      page.on("pageerror", (e) => errors.push(`pageerror: ${e.message}`));
      page.on("console", (m) => {
        if (m.type() === "error" && !isNavigationAbort(m.text())) errors.push(`console: ${m.text()}`);
      });
      return { page, errors };
    },
    async close() {
      for (const c of contexts) await c.close().catch(() => {});
      await browser.close().catch(() => {});
      await app.close();
    },
  };
}

/** Signs in through the password form and waits for the app shell to hydrate. */
export async function signInWithPassword(page: Page, baseUrl: string, email: string, password: string) {
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await page.waitForURL((u) => u.pathname !== "/login");
  await page.locator('[data-testid="connection"]').waitFor({ state: "attached" });
}
