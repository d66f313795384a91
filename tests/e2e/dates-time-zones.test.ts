/**
 * Dates in a browser that is not in UTC: the reader's profile zone (Sydney here) decides what every
 * date shows, on the server and after hydration alike, whatever zone the browser runs in (Los
 * Angeles, Kolkata). Every main page hydrates with no console error and no page error: React's
 * hydration mismatch errors (#418/#423/#425) are console errors.
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { seedDemoContent, seedOrganisation } from "../../prisma/seed.js";
import { captureFailures, signIn, startE2E, waitForHydration, type E2E, RESEND_ON_RESET } from "./helpers/browser.js";

const ADMIN = { email: "admin@atrium.test", password: "atrium-demo-admin" };
const PROFILE_ZONE = "Australia/Sydney";
/** 01:00 on Friday 16 January in Sydney; still the 15th in Los Angeles and Kolkata. */
const KNOWN = "2026-01-15T14:00:00.000Z";
const KNOWN_EXACT = "Friday, 16 January 2026, 01:00 UTC+11 (Australia/Sydney)";

let e2e: E2E;
captureFailures(() => e2e);
let pages: string[] = [];
/** Pages whose seeded content certainly includes dates. */
let dated = new Set<string>();
let questionId = "";

beforeAll(async () => {
  e2e = await startE2E();
  const db = e2e.app.atrium.db;
  await seedOrganisation(db);
  await seedDemoContent(db, e2e.app.atrium.ctx.env.DATABASE_URL, e2e.app.atrium.ctx.clock.now());
  const admin = await db.user.update({ where: { email: ADMIN.email }, data: { timeZone: PROFILE_ZONE } });
  // A question and a notification at a known instant.
  const question = await db.question.findFirstOrThrow({ where: { deletedAt: null }, orderBy: { createdAt: "desc" } });
  await db.question.update({ where: { id: question.id }, data: { createdAt: new Date(KNOWN) } });
  questionId = question.id;
  await db.notification.create({ data: { userId: admin.id, type: "mention", title: "A dated notification", link: `/questions/${question.id}`, createdAt: new Date(KNOWN) } });
  const doc = await db.document.findFirstOrThrow({ where: { deletedAt: null, visibility: "company", revisions: { some: {} } } });
  const insight = await db.insight.findFirstOrThrow({ orderBy: { createdAt: "desc" } });
  pages = [
    "/",
    "/people",
    `/people/${admin.id}`,
    "/questions",
    `/questions/${question.id}`,
    "/docs",
    `/docs/${doc.id}`,
    `/docs/${doc.id}/history`,
    "/insights",
    `/insights/${insight.id}`,
    "/insights/inbox",
    "/notifications",
    "/account",
    "/search?q=onboarding",
    "/dashboard",
    "/admin/audit",
  ];
  dated = new Set(["/", "/questions", `/questions/${question.id}`, "/docs", `/docs/${doc.id}/history`, "/insights", `/insights/${insight.id}`, "/notifications", "/account", "/admin/audit"]);
}, 120_000);
afterAll(async () => {
  await e2e?.close();
});

/**
 * Remix logs "Failed to fetch manifest patches" when a full page load (goto) aborts its lazy route
 * discovery request: an artifact of navigating by URL, not of the page (see platform-sso-csp).
 */
const realErrors = (errors: string[]) => errors.filter((e) => !e.startsWith("Failed to fetch manifest patches"));

/** The server-rendered `<time>` for the known instant: its title and its visible text. */
function knownTimeInHtml(html: string) {
  const m = new RegExp(`<time datetime="${KNOWN}" title="([^"]*)"[^>]*><span aria-hidden="true">(.*?)</span>`, "i").exec(html);
  return m ? { title: m[1], text: m[2].replace(/<!-- -->/g, "") } : null;
}

describe.each(["America/Los_Angeles", "Asia/Kolkata"])("a browser in %s, a profile in Sydney", (timezoneId) => {
  test("every main page hydrates with no console error and no page error", async () => {
    const u = await e2e.newUser({ timezoneId, locale: "en-GB" });
    await signIn(u.page, e2e.url, ADMIN.email, ADMIN.password);
    const visited: string[] = [];
    for (const path of pages) {
      const res = await u.page.goto(`${e2e.url}${path}`);
      expect(res?.status(), path).toBe(200);
      // The live-updates badge appears only once the page has hydrated and its effects have run.
      await waitForHydration(u.page);
      if (dated.has(path)) expect(await u.page.locator("time[datetime][title]").count(), `${path} shows dates`).toBeGreaterThan(0);
      expect({ path, console: realErrors(u.consoleErrors), page: u.pageErrors.map((e) => e.message) }).toEqual({ path, console: [], page: [] });
      visited.push(path);
    }
    expect(visited).toEqual(pages);
    await u.context.close();
  }, 120_000);

  test("a known instant renders in the profile's zone, the same in the server HTML and after hydration", async () => {
    const u = await e2e.newUser({ timezoneId, locale: "en-GB" });
    await signIn(u.page, e2e.url, ADMIN.email, ADMIN.password);
    for (const path of [`/questions/${questionId}`, "/notifications"]) {
      const html = await (await u.page.request.get(`${e2e.url}${path}`, RESEND_ON_RESET)).text();
      const server = knownTimeInHtml(html);
      expect(server, `${path}: server-rendered <time datetime="${KNOWN}">`).not.toBeNull();
      expect(server!.title).toBe(KNOWN_EXACT);
      // Older than a week: a short date, Sydney's day (the 16th), not the browser's (the 15th).
      expect(server!.text).toMatch(/^16 Jan( 2026)?$/);

      await u.page.goto(`${e2e.url}${path}`);
      await waitForHydration(u.page);
      const time = u.page.locator(`time[datetime="${KNOWN}"]`).first();
      expect(await time.getAttribute("title")).toBe(server!.title);
      expect(await time.locator('span[aria-hidden="true"]').textContent()).toBe(server!.text);
      // Screen readers get the exact form too.
      expect(await time.locator(".sr-only").textContent()).toBe(KNOWN_EXACT);
    }
    expect(realErrors(u.consoleErrors)).toEqual([]);
    expect(u.pageErrors).toEqual([]);
    await u.context.close();
  }, 300_000);
});

test("a hostile or malformed Accept-Language never breaks a page: it falls back to en-GB", async () => {
  const u = await e2e.newUser();
  await signIn(u.page, e2e.url, ADMIN.email, ADMIN.password);
  for (const header of ["x".repeat(8000), "en-GB;q=abc,,,;;;", "*;q=2, <script>", "de-u-ca-, @@@", "\u00ff\u00fe"]) {
    const res = await u.page.request.get(`${e2e.url}/notifications`, { ...RESEND_ON_RESET, headers: { "accept-language": header } });
    expect(res.status(), header.slice(0, 30)).toBe(200);
    expect(knownTimeInHtml(await res.text())?.title).toBe(KNOWN_EXACT);
  }
  // A supported locale is honoured on the server (and the page hydrates from the same data).
  const de = await u.page.request.get(`${e2e.url}/notifications`, { ...RESEND_ON_RESET, headers: { "accept-language": "de-DE,de;q=0.9" } });
  expect(knownTimeInHtml(await de.text())?.title).toMatch(/^Freitag, 16\. Januar 2026/);
  await u.context.close();
});
