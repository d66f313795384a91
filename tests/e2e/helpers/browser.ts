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
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { brotliDecompressSync } from "node:zlib";
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from "playwright-core";
import { beforeEach } from "vitest";
import { startTestApp, type TestApp } from "../../helpers/app.js";
import type { Clock } from "../../../server/domain/context.js";

const SYSTEM_CHROMIUM = "/usr/bin/chromium";

export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--headless",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/**
 * Default wait for anything the page should show, and for navigations. Generous: on a loaded
 * 2-core machine a page can take seconds to hydrate. A wait only ends early when the thing
 * appears, so a long limit costs nothing when the test passes; speed is measured in bench/.
 */
/**
 * Options for every `page.request` / `context.request` call. Playwright's request client keeps
 * idle connections in one process-wide pool with no idle timeout, while the server ends an idle
 * keep-alive connection after 5 s; a request that takes such a connection as the server ends it
 * gets ECONNRESET. A browser resends a request that got no answer on a reused connection, and
 * `maxRetries` makes the test client do the same (Playwright retries ECONNRESET only).
 */
export const RESEND_ON_RESET = { maxRetries: 2 } as const;

export const UI_TIMEOUT = 45_000;
export const NAVIGATION_TIMEOUT = 60_000;

/**
 * The one way every test (and benchmark) starts Chromium: `CHROMIUM_PATH` when set, Debian's
 * /usr/bin/chromium when installed, otherwise the build the npm package @sparticuz/chromium ships
 * (unpacked once into the temp folder, with the NSS libraries it needs on a bare machine).
 */
export async function launchBrowser(): Promise<Browser> {
  const { executablePath, env } = await chromiumBinary();
  return chromium.launch({ executablePath, args: CHROMIUM_ARGS, env: env && { ...process.env, ...env } });
}

let bundled: Promise<{ executablePath: string; env?: Record<string, string> }> | undefined;

function chromiumBinary(): Promise<{ executablePath: string; env?: Record<string, string> }> {
  if (process.env.CHROMIUM_PATH && process.env.CHROMIUM_PATH !== "bundled") return Promise.resolve({ executablePath: process.env.CHROMIUM_PATH });
  if (!process.env.CHROMIUM_PATH && existsSync(SYSTEM_CHROMIUM)) return Promise.resolve({ executablePath: SYSTEM_CHROMIUM });
  return (bundled ??= unpackBundledChromium());
}

async function unpackBundledChromium() {
  const { default: packaged } = await import("@sparticuz/chromium");
  const executablePath = await packaged.executablePath();
  // The package unpacks its shared libraries only on Amazon Linux; Debian without chromium needs them too.
  const libDir = path.join(os.tmpdir(), "atrium-chromium-lib");
  if (!existsSync(path.join(libDir, "lib", "libnss3.so"))) {
    const bin = path.join(path.dirname(createRequire(import.meta.url).resolve("@sparticuz/chromium")), "../../bin");
    mkdirSync(libDir, { recursive: true });
    execFileSync("tar", ["-x", "-C", libDir], { input: brotliDecompressSync(readFileSync(path.join(bin, "al2023.tar.br"))) });
  }
  const libPath = [path.join(libDir, "lib"), process.env.LD_LIBRARY_PATH].filter(Boolean).join(":");
  return { executablePath, env: { LD_LIBRARY_PATH: libPath, FONTCONFIG_PATH: process.env.FONTCONFIG_PATH ?? path.join(os.tmpdir(), "fonts") } };
}

export interface UserPage {
  context: BrowserContext;
  page: Page;
  /** Uncaught exceptions thrown in the page (a broken hydration or client bug shows up here). */
  pageErrors: Error[];
  /** console.error lines, for diagnosing a failure. */
  consoleErrors: string[];
}

/**
 * A console error the page is not to blame for, logged by Remix when the test loads a new document
 * while the old one still has a request in flight and the browser cancels it:
 * - lazy route discovery fetches route manifests in the background, and logs "Failed to fetch
 *   manifest patches … Failed to fetch" (a link it could not resolve falls back to a full load);
 * - a live page revalidates its loaders when a socket event says something changed, and single
 *   fetch logs the cancelled response body as "TypeError: network error" before giving up on it.
 * Under load those windows are wide.
 */
export const isNavigationAbort = (text: string) =>
  /^Failed to fetch manifest patches TypeError: Failed to fetch\b/.test(text) || text === "TypeError: network error";

/** A fresh context (its own cookie jar: one per person) with one page. */
export async function newUserPage(browser: Browser, options: BrowserContextOptions = {}): Promise<UserPage> {
  const context = await browser.newContext({ locale: "en-GB", timezoneId: "UTC", ...options });
  context.setDefaultTimeout(UI_TIMEOUT);
  context.setDefaultNavigationTimeout(NAVIGATION_TIMEOUT);
  const page = await context.newPage();
  const pageErrors: Error[] = [];
  const consoleErrors: string[] = [];
  page.on("pageerror", (e) => pageErrors.push(e));
  page.on("console", (m) => {
    if (m.type() === "error" && !isNavigationAbort(m.text())) consoleErrors.push(m.text());
  });
  return { context, page, pageErrors, consoleErrors };
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
  /** Every user opened so far (for failure artifacts). */
  users: UserPage[];
  close(): Promise<void>;
}

/** Starts a real Atrium with pages on a random port and one Chromium for the test file. */
export async function startE2E(opts: { env?: Record<string, string>; clock?: Clock } = {}): Promise<E2E> {
  const [app, browser] = await Promise.all([startTestApp({ withPages: true, env: opts.env, clock: opts.clock }), launchBrowser()]);
  const users: UserPage[] = [];
  return {
    app,
    browser,
    url: app.url,
    users,
    async newUser(options) {
      const u = await newUserPage(browser, options);
      users.push(u);
      return u;
    },
    close: () => teardown({ browser, app, contexts: users.map((u) => u.context) }),
  };
}

export const ARTIFACTS_DIR = path.resolve(import.meta.dirname, "../.artifacts");

/**
 * Call at the top of a test file: when a test fails, every open page is screenshotted to
 * tests/e2e/.artifacts/ and its URL, uncaught errors and console errors are printed.
 */
export function captureFailures(get: () => E2E | undefined) {
  beforeEach((ctx) => {
    ctx.onTestFailed(async () => {
      const e2e = get();
      if (!e2e) return;
      mkdirSync(ARTIFACTS_DIR, { recursive: true });
      const base = `${path.basename(ctx.task.file?.name ?? "e2e")}-${ctx.task.name}`.replace(/[^\w.-]+/g, "_").slice(0, 120);
      let n = 0;
      for (const u of e2e.users) {
        for (const page of u.context.pages()) {
          if (page.isClosed()) continue;
          const file = path.join(ARTIFACTS_DIR, `${base}-${++n}.png`);
          await page.screenshot({ path: file, fullPage: true }).catch(() => {});
          console.error(
            `[e2e failure] page ${n}: ${page.url()}\n  screenshot: ${file}` +
              (u.pageErrors.length ? `\n  page errors: ${u.pageErrors.map((e) => e.message).join(" | ")}` : "") +
              (u.consoleErrors.length ? `\n  console errors: ${u.consoleErrors.join(" | ")}` : ""),
          );
        }
      }
    });
  });
}

/** Closes whatever was opened; safe to call with parts missing (a failed beforeAll). */
export async function teardown(parts: { browser?: Browser | null; app?: TestApp | null; contexts?: BrowserContext[] }) {
  for (const c of parts.contexts ?? []) await c.close().catch(() => {});
  await parts.browser?.close().catch(() => {});
  await parts.app?.close();
}
