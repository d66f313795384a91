/**
 * Re-routing in Chromium: a lead sends an insight to the right team; the next similar one
 * arrives with that team suggested.
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

test("a lead re-routes an insight from the page, the timeline records it, and the next similar one suggests that team", async () => {
  const admin = await makeAdmin(app.atrium);
  const desk = await makeTeam(app.atrium, admin.actor, "Front Desk");
  const payments = await makeTeam(app.atrium, admin.actor, "Payments");
  await app.atrium.domain.routingRules.createRule(admin.actor, { name: "All", enabled: true, teamIds: [desk.team.id], ackWithin: "1h", resolveWithin: "1d", conditions: {} });
  const agent = await makeUser(app.atrium);
  const first = await app.atrium.domain.insights.createInsight(agent.actor, { text: "I was charged twice for one order", channel: "email" });

  const lead = await openAs(browser, app, desk.lead);
  pages.push(lead);
  const { page } = lead;
  await page.goto(`${app.url}/insights/${first.id}`);
  await page.getByTestId("reroute").waitFor();
  await page.getByLabel("Send to").selectOption({ label: "Payments" });
  await page.getByLabel("Why (optional)").fill("Card payments belong to Payments");
  await page.getByRole("button", { name: "Re-route" }).click();
  await page.locator('[data-testid="timeline"] li[data-type="rerouted"]').waitFor();
  await expect(page.locator('[data-testid="timeline"] li[data-type="rerouted"]').textContent()).resolves.toContain("Re-routed from Front Desk to Payments");
  await expect(page.getByTestId("routed-teams").textContent()).resolves.toBe("Payments");
  expect((await app.atrium.db.insightRoute.findMany({ where: { insightId: first.id } })).map((r) => r.teamId)).toEqual([payments.team.id]);
  // No longer his team's: the re-route form is gone.
  await expect(page.getByTestId("reroute").count()).resolves.toBe(0);

  const second = await app.atrium.domain.insights.createInsight(agent.actor, { text: "Charged twice on my card again", channel: "email" });
  await page.goto(`${app.url}/insights/${second.id}`);
  await expect(page.getByTestId("suggested-team").getAttribute("data-team")).resolves.toBe("Payments");
  await expect(page.getByLabel("Send to").inputValue()).resolves.toBe(payments.team.id);
  expect(lead.errors).toEqual([]);
});
