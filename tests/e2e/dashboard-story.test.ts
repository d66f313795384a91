/**
 * Story 4 of the product brief: the COO (a leader) reads the involvement dashboard over seeded
 * activity; a member sees only the company and their own department.
 */
import { readFileSync } from "node:fs";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, test } from "vitest";
import { seedOrganisation } from "../../prisma/seed.js";
import { COO_LOGIN, seedDashboard } from "../../prisma/seed-dashboard.js";
import { makeUser, startTestApp, type TestApp } from "../helpers/app.js";
import { waitForHydration, RESEND_ON_RESET } from "./helpers/browser.js";
import { launchBrowser, openAs } from "./helpers/insights-browser.js";

const signedInPage = async (b: Browser, a: TestApp, email: string, password: string) => {
  const p = await openAs(b, a, { user: { email }, password });
  return { page: p.page, errors: p.errors, close: () => p.context.close() };
};

let app: TestApp;
let browser: Browser;

beforeAll(async () => {
  [app, browser] = await Promise.all([startTestApp({ withPages: true }), launchBrowser()]);
  await seedOrganisation(app.atrium.db);
  await seedDashboard(app.atrium.db, app.atrium.ctx.clock.now());
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
});

test("the COO sees insight response per team, answers within a day and the help matrix; toggles a table; downloads a CSV", async () => {
  const { page, errors, close } = await signedInPage(browser, app, COO_LOGIN.email, COO_LOGIN.password);
  await page.goto(`${app.url}/`);
  await page.getByRole("link", { name: "Dashboard" }).click();
  await page.waitForURL(/\/dashboard/);
  await expect.poll(() => page.getByTestId("dashboard-scope").textContent()).toContain("This month");
  // The share answered within a day and the median insight time to acknowledge are headline figures.
  expect(await page.getByTestId("headline-within-day").textContent()).toMatch(/Answered within a day\d+%/);
  expect(await page.getByTestId("headline-insight-ack").textContent()).toMatch(/(min|h|days)vs 14 days/);
  // The help matrix is a heat table of departments.
  const matrix = page.getByTestId("help-matrix");
  expect(await matrix.locator("tbody tr").count()).toBeGreaterThan(2);
  // The per-team chart renders after hydration with the 14-day baseline; the table view shows per-team medians.
  const insights = page.getByTestId("section-insights");
  await insights.locator(".recharts-surface").first().waitFor();
  expect(await insights.locator(".recharts-reference-line").count()).toBe(1);
  await insights.getByRole("button", { name: /Table view/ }).click();
  const rows = insights.getByTestId("insights-table").locator("tbody tr");
  await rows.first().waitFor();
  expect(await rows.count()).toBeGreaterThan(3); // all teams + several teams
  expect(await rows.nth(1).locator("td").last().textContent()).toBe("14 days");
  expect(await insights.getByRole("button", { name: /Chart view/ }).getAttribute("aria-pressed")).toBe("true");
  // A leader may pick any department.
  const options = await page.locator("#dash-scope option").allTextContents();
  expect(options).toEqual(expect.arrayContaining(["Whole company", "Engineering", "Finance Operations", "Sales"]));

  const [download] = await Promise.all([page.waitForEvent("download"), insights.getByRole("link", { name: /Download CSV/ }).click()]);
  expect(download.suggestedFilename()).toMatch(/^atrium-insights-company-\d{4}-\d{2}-\d{2}-to-\d{4}-\d{2}-\d{2}\.csv$/);
  const csv = readFileSync((await download.path())!, "utf8");
  const lines = csv.trim().split("\r\n");
  expect(lines[0]).toMatch(/^team,insights,ack_measured/);
  expect(lines[1]).toMatch(/^All teams,\d+,/);
  expect(lines.length).toBeGreaterThan(3);
  expect(errors).toEqual([]);
  await close();
});

test("on a 375 px phone the COO's whole-company dashboard does not scroll sideways: wide tables scroll inside their own region", async () => {
  const { page, errors, close } = await signedInPage(browser, app, COO_LOGIN.email, COO_LOGIN.password);
  await page.setViewportSize({ width: 375, height: 800 });
  await page.goto(`${app.url}/dashboard`);
  await waitForHydration(page);
  await page.getByTestId("help-matrix").waitFor();
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
  // The per-team table is wider than the phone: its region scrolls, and the keyboard can reach it.
  const insights = page.getByTestId("section-insights");
  await insights.getByRole("button", { name: /Table view/ }).click();
  const region = insights.getByRole("region", { name: /table$/ });
  await region.getByTestId("insights-table").waitFor();
  expect(await region.evaluate((el) => el.scrollWidth > el.clientWidth)).toBe(true);
  expect(await region.getAttribute("tabindex")).toBe("0");
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
  expect(errors).toEqual([]);
  await close();
});

test("a member sees the company and their own department only; another department is refused with a clear page", async () => {
  const { page, errors, close } = await signedInPage(browser, app, "member@atrium.test", "atrium-demo-member");
  await page.goto(`${app.url}/dashboard`);
  const options = await page.locator("#dash-scope option").allTextContents();
  expect(options).toEqual(["Whole company", "Engineering"]);
  expect(await page.getByTestId("dashboard-scope").textContent()).toContain("visible to leaders and admins");
  await page.selectOption("#dash-scope", "engineering");
  await page.getByRole("button", { name: "Show" }).click();
  await expect.poll(() => page.getByTestId("dashboard-scope").textContent()).toContain("Engineering");
  const res = await page.goto(`${app.url}/dashboard?scope=sales`);
  expect(res!.status()).toBe(403);
  expect(await page.getByTestId("error-403").textContent()).toContain("visible to leaders and admins");
  // The CSV of another department is refused too; the member's own department's is served.
  const refused = await page.request.get(`${app.url}/dashboard/export.csv?metric=questions&scope=sales`, RESEND_ON_RESET);
  expect(refused.status()).toBe(403);
  const own = await page.request.get(`${app.url}/dashboard/export.csv?metric=help-matrix&scope=engineering&period=last-30-days`, RESEND_ON_RESET);
  expect(own.status()).toBe(200);
  expect(own.headers()["content-type"]).toBe("text/csv; charset=utf-8");
  expect(own.headers()["content-disposition"]).toMatch(/^attachment; filename="atrium-help-matrix-engineering-\d{4}-\d{2}-\d{2}-to-\d{4}-\d{2}-\d{2}\.csv"$/);
  expect((await own.text()).split("\r\n")[0]).toBe("asker_department,answerer_department,answers");
  expect(errors).toEqual([]);
  await close();
});

test("bad dates give a message next to the field and no figures; the page still works", async () => {
  const { page, close } = await signedInPage(browser, app, COO_LOGIN.email, COO_LOGIN.password);
  await page.goto(`${app.url}/dashboard`);
  await waitForHydration(page); // typing a date switches the period only once React runs
  await page.fill("#dash-from", "2026-05-01");
  expect(await page.locator("#dash-period").inputValue()).toBe("custom"); // typing a date picks custom dates
  await page.fill("#dash-to", "2026-04-01");
  await page.getByRole("button", { name: "Show" }).click();
  await page.locator("#dash-to-error").waitFor();
  expect(await page.locator("#dash-to-error").textContent()).toContain("is before the start date");
  expect(await page.getByTestId("dashboard-no-figures").isVisible()).toBe(true);
  await close();
});

test("an admin makes a member a leader on the admin users page; the new leader may pick any department", async () => {
  const admin = await makeUser(app.atrium, { role: "admin", email: "ada@atrium.test" });
  const eng = await app.atrium.db.department.findUniqueOrThrow({ where: { name: "Engineering" } });
  const lena = await makeUser(app.atrium, { name: "Lena Lead", email: "lena@atrium.test", departmentId: eng.id });
  const a = await signedInPage(browser, app, admin.user.email, admin.password);
  await a.page.goto(`${app.url}/admin/users?q=lena`);
  await a.page.selectOption(`#role-${lena.user.id}`, "leader");
  await a.page.getByRole("button", { name: "Change role for Lena Lead" }).click();
  await a.page.getByText("Lena Lead is now a leader.").waitFor();
  expect((await app.atrium.db.user.findUniqueOrThrow({ where: { id: lena.user.id } })).role).toBe("leader");
  await a.close();
  const l = await signedInPage(browser, app, lena.user.email, lena.password);
  const res = await l.page.goto(`${app.url}/dashboard?scope=sales`);
  expect(res!.status()).toBe(200);
  expect(await l.page.getByTestId("dashboard-scope").textContent()).toContain("Sales");
  // Still not an admin.
  expect((await l.page.goto(`${app.url}/admin/users`))!.status()).toBe(403);
  await l.close();
});

test("without JavaScript the server-rendered page carries every figure table, visible", async () => {
  const { sessionCookieFor } = await import("../helpers/app.js");
  const cookie = await sessionCookieFor(app.atrium, COO_LOGIN.email, COO_LOGIN.password);
  const res = await fetch(`${app.url}/dashboard?scope=company&period=last-30-days`, { headers: { cookie } });
  expect(res.status).toBe(200);
  const html = await res.text();
  for (const id of ["insights-table", "weekly-table", "help-matrix", "contributors-table", "coauthored-table"]) {
    expect(html).toMatch(new RegExp(`<div id="[a-z-]+-table" class="dash-table-scroll" role="region" aria-label="[^"]*" tabindex="0">(<div class="dash-table-scroll">)?<table class="dash-table[^"]*" data-testid="${id}"`));
  }
  expect(html).not.toContain("recharts-surface"); // charts are drawn in the browser only
  expect(html).toContain("How this is measured");
});
