/**
 * A routing rule on a customer topic, in Chromium: an admin picks "Lost or damaged item" in the rule
 * form, a colleague posts a complaint that names no keyword of the rule, and it lands with the
 * team; the insight page says what it is about and which words drove it.
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

test("an admin creates a rule on the 'lost or damaged item' topic; a posted complaint about a smashed parcel routes to the team", async () => {
  const admin = await makeAdmin(app.atrium);
  await makeTeam(app.atrium, admin.actor, "Returns Desk");
  const agent = await makeUser(app.atrium);
  const a = await openAs(browser, app, admin);
  pages.push(a);

  await a.page.goto(`${app.url}/admin/insight-rules/new`);
  await a.page.getByLabel("Rule name").fill("Lost and damaged items");
  await a.page.getByTestId("customer-topic-picker").getByLabel("Lost or damaged item").check();
  await a.page.getByLabel("Returns Desk").check();
  await a.page.getByLabel("to acknowledge within").fill("1h");
  await a.page.getByLabel("and resolve within").fill("2d");
  await a.page.getByRole("button", { name: "Create rule" }).click();
  await a.page.waitForURL(`${app.url}/admin/insight-rules?saved=1`);
  await a.page.getByRole("cell", { name: "is about Lost or damaged item" }).waitFor();
  await expect(a.page.getByRole("cell", { name: "is about Lost or damaged item" }).count()).resolves.toBe(1);

  const g = await openAs(browser, app, agent);
  pages.push(g);
  await g.page.goto(`${app.url}/insights/new`);
  await g.page.getByLabel("What the customer said (verbatim)").fill("My parcel arrived completely smashed, the vase inside is in pieces");
  await g.page.getByLabel("Channel").selectOption("email");
  await g.page.getByRole("button", { name: "Post insight" }).click();
  await g.page.waitForURL(/\/insights\/[^/?]+\?posted=1/);
  const topics = g.page.getByTestId("customer-topics");
  await expect(topics.locator('[data-topic="lost-damaged"]').textContent()).resolves.toContain("“parcel arrived completely smashed”");

  const id = new URL(g.page.url()).pathname.split("/").pop()!;
  const routes = await app.atrium.db.insightRoute.findMany({ where: { insightId: id }, include: { team: true } });
  expect(routes.map((r) => r.team.name)).toEqual(["Returns Desk"]);
  expect([...a.errors, ...g.errors]).toEqual([]);
});
