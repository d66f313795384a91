/** Small e2e helper for the dashboard tests: one Chromium per file, signed in by a real session cookie. */
import { chromium, type Browser, type Page } from "playwright-core";
import { sessionCookieFor, type TestApp } from "../../helpers/app.js";

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
}

export async function signedInPage(browser: Browser, app: TestApp, email: string, password: string): Promise<{ page: Page; errors: string[]; close: () => Promise<void> }> {
  const context = await browser.newContext({ locale: "en-GB", timezoneId: "UTC", acceptDownloads: true });
  context.setDefaultTimeout(8_000);
  const cookie = await sessionCookieFor(app.atrium, email, password);
  const [name, value] = cookie.split("=") as [string, string];
  await context.addCookies([{ name, value, url: app.url, httpOnly: true, sameSite: "Lax" }]);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("console", (m) => {
    if (m.type() === "error" && !/WebSocket|ERR_CONNECTION|Failed to load resource/.test(m.text())) errors.push(`console: ${m.text()}`);
  });
  return { page, errors, close: () => context.close() };
}
