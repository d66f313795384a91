/**
 * The rule form in Chromium: a draft rule is replayed on the last 30 days before it is saved.
 */
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, test } from "vitest";
import { makeUser, type TestApp } from "../helpers/app.js";
import { makeAdmin, makeTeam } from "../server/insights/factories.js";
import { openAs, type PersonPage, startInsightsBrowser, stopInsightsBrowser } from "./helpers/insights-browser.js";

let app: TestApp;
let browser: Browser;
const pages: PersonPage[] = [];

beforeAll(async () => void ([app, browser] = await startInsightsBrowser()));
afterAll(() => stopInsightsBrowser(app, browser, pages));

test("an admin previews what a draft rule would have caught in the last 30 days, then saves it", async () => {
  const admin = await makeAdmin(app.atrium);
  await makeTeam(app.atrium, admin.actor, "Finance Operations");
  const agent = await makeUser(app.atrium);
  for (const text of ["Still no refund after three weeks, terrible", "Where is my refund? Nobody answers", "The app crashes when I log in"]) {
    await app.atrium.domain.insights.createInsight(agent.actor, { text, channel: "email" });
  }
  const p = await openAs(browser, app, admin);
  pages.push(p);
  const { page } = p;

  await page.goto(`${app.url}/admin/insight-rules/new`);
  await page.getByLabel("Rule name").fill("Refund complaints");
  await page.getByLabel("mentions one of these words or phrases").fill("refund");
  await page.getByLabel("has sentiment at most (−1…1)").fill("-0.3");
  await page.getByRole("button", { name: "Preview on the last 30 days" }).click();
  const count = page.getByTestId("rule-preview-count");
  await count.waitFor();
  await expect(count.textContent()).resolves.toBe("Would have caught 2 of 3 insights in the last 30 days.");
  const examples = await page.getByTestId("rule-preview").locator("li").allTextContents();
  expect(examples.sort()).toEqual(["Still no refund after three weeks, terrible", "Where is my refund? Nobody answers"]);
  // The preview saved nothing, and the draft is still in the form.
  expect(await app.atrium.db.routingRule.count()).toBe(0);
  await expect(page.getByLabel("Rule name").inputValue()).resolves.toBe("Refund complaints");

  // Narrow it: the word must now be "crashes" — the count follows.
  await page.getByLabel("mentions one of these words or phrases").fill("crashes");
  await page.getByLabel("has sentiment at most (−1…1)").fill("");
  await page.getByRole("button", { name: "Preview on the last 30 days" }).click();
  await page.locator('[data-testid="rule-preview-count"][data-caught="1"]').waitFor();

  await page.getByLabel("Finance Operations").check();
  await page.getByLabel("to acknowledge within").fill("30m");
  await page.getByLabel("and resolve within").fill("1d");
  await page.getByRole("button", { name: "Create rule" }).click();
  await page.waitForURL(`${app.url}/admin/insight-rules?saved=1`);
  expect(await app.atrium.db.routingRule.count()).toBe(1);
  expect(p.errors).toEqual([]);
});
