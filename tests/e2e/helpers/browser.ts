/**
 * End-to-end helpers: one headless Chromium per test file, one fresh browser context per user.
 *
 *   const e2e = await startE2E();               // real Atrium with pages + Chromium
 *   const { page } = await e2e.newUser();       // fresh context (own cookies) + page
 *   await signIn(page, e2e.url, email, password);
 *   ...
 *   await e2e.close();                          // contexts, browser, app
 *
 * `launchBrowser`, `signIn` and friends are exported on their own for files that set things up
 * differently (e.g. the admin tests).
 */
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from "playwright-core";
import { startTestApp, type TestApp } from "../../helpers/app.js";

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--headless",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** Default wait for anything the page should show; generous because two files may share two cores. */
export const UI_TIMEOUT = 5_000;

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}

export interface UserPage {
  context: BrowserContext;
  page: Page;
  /** Uncaught exceptions thrown in the page (a broken hydration or client bug shows up here). */
  pageErrors: Error[];
}

/** A fresh context (its own cookie jar: one per person) with one page. */
export async function newUserPage(browser: Browser, options: BrowserContextOptions = {}): Promise<UserPage> {
  const context = await browser.newContext({ locale: "en-GB", timezoneId: "UTC", ...options });
  context.setDefaultTimeout(UI_TIMEOUT);
  context.setDefaultNavigationTimeout(10_000);
  const page = await context.newPage();
  const pageErrors: Error[] = [];
  page.on("pageerror", (e) => pageErrors.push(e));
  return { context, page, pageErrors };
}

/**
 * Signs in through the /login form, the way a person does, and waits until the browser has left
 * /login. Pass `expectPath` to wait for a specific landing page instead.
 */
export async function signIn(
  page: Page,
  baseUrl: string,
  email: string,
  password: string,
  opts: { expectPath?: string | RegExp; loginPath?: string } = {},
) {
  if (!page.url().startsWith(`${baseUrl}/login`) || opts.loginPath) {
    await page.goto(`${baseUrl}${opts.loginPath ?? "/login"}`);
  }
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  const expected = opts.expectPath;
  await page.waitForURL(
    (u) => {
      if (expected === undefined) return u.pathname !== "/login";
      return typeof expected === "string" ? u.pathname === expected : expected.test(u.pathname + u.search);
    },
    { timeout: 10_000 },
  );
  await waitForHydration(page);
}

/**
 * Remix hydrates after the HTML arrives; clicking before that bypasses client handlers (buttons
 * that only work with JavaScript do nothing). The signed-in shell renders its live-updates badge
 * from an effect, so the badge being in the DOM proves React runs on the client. Pages without
 * the signed-in shell (login, error pages) work without JavaScript, so the load event is enough.
 */
export async function waitForHydration(page: Page) {
  await page.waitForLoadState("load");
  if (await page.getByRole("button", { name: "Sign out" }).count()) {
    await page.locator('[data-testid="connection"]').waitFor({ state: "attached" });
  }
}

/** Waits until this tab's Socket.io connection is up (the shell's live-updates badge). */
export async function waitForRealtime(page: Page) {
  await page.locator('[data-testid="connection"][data-state="connected"]').waitFor({ state: "attached" });
}

/** The session cookie value Chromium holds for this context, or undefined when signed out. */
export async function sessionCookieOf(context: BrowserContext): Promise<string | undefined> {
  return (await context.cookies()).find((c) => c.name === "atrium_session")?.value;
}

export interface E2E {
  app: TestApp;
  browser: Browser;
  url: string;
  /** A fresh browser context + page; closed by `close()`. */
  newUser(options?: BrowserContextOptions): Promise<UserPage>;
  close(): Promise<void>;
}

/** Starts a real Atrium with pages on a random port and one Chromium for the test file. */
export async function startE2E(opts: { env?: Record<string, string> } = {}): Promise<E2E> {
  const [app, browser] = await Promise.all([startTestApp({ withPages: true, env: opts.env }), launchBrowser()]);
  const contexts: BrowserContext[] = [];
  return {
    app,
    browser,
    url: app.url,
    async newUser(options) {
      const u = await newUserPage(browser, options);
      contexts.push(u.context);
      return u;
    },
    close: () => teardown({ browser, app, contexts }),
  };
}

/** Closes whatever was opened; safe to call with parts missing (a failed beforeAll). */
export async function teardown(parts: { browser?: Browser | null; app?: TestApp | null; contexts?: BrowserContext[] }) {
  for (const c of parts.contexts ?? []) await c.close().catch(() => {});
  await parts.browser?.close().catch(() => {});
  await parts.app?.close();
}
