/**
 * The admin side in Chromium: a routing rule created through the form, the "test this rule" box,
 * the match-mode statement, the change log, an API token created, used and revoked, and the rule
 * deleted after a confirmation.
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

test("an admin builds a rule, tests it, switches to every-match, manages an API token, and deletes the rule", async () => {
  const admin = await makeAdmin(app.atrium);
  await makeTeam(app.atrium, admin.actor, "Finance Operations");
  await makeTeam(app.atrium, admin.actor, "Customer Care");
  const p = await openAs(browser, app, admin);
  pages.push(p);
  const { page } = p;

  await page.goto(`${app.url}/admin/insight-rules`);
  await expect(page.getByTestId("match-mode-statement").textContent()).resolves.toContain("The first matching rule routes the insight");
  await page.getByRole("link", { name: "New rule" }).click();
  // A bad SLA is refused with a field message, nothing saved.
  await page.getByLabel("Rule name").fill("Billing complaints");
  await page.getByLabel("has one of these topic tags").fill("billing, invoices");
  await page.getByLabel("has sentiment at most (−1…1)").fill("-0.3");
  await page.getByLabel("Finance Operations").check();
  await page.getByLabel("with priority").selectOption("high");
  await page.getByLabel("to acknowledge within").fill("soon");
  await page.getByRole("button", { name: "Create rule" }).click();
  await page.getByText("Acknowledge within: give a duration such as 30m, 4h or 2d").waitFor();
  expect(await app.atrium.db.routingRule.count()).toBe(0);
  await page.getByLabel("to acknowledge within").fill("30m");
  await page.getByRole("button", { name: "Create rule" }).click();
  await page.waitForURL(`${app.url}/admin/insight-rules?saved=1`);
  await page.getByTestId("rule").first().waitFor();
  await expect(page.getByTestId("rule").count()).resolves.toBe(1);
  await expect(page.getByTestId("rule").first().textContent()).resolves.toContain("topic is billing or invoices and sentiment ≤ -0.3");

  // The test box highlights the matching rule and says where the example would go.
  await page.getByLabel("Customer's words").fill("My invoices are wrong again, terrible");
  await page.getByLabel("Topics", { exact: true }).fill("billing");
  await page.getByRole("button", { name: "Test", exact: true }).click();
  await page.getByTestId("test-result").waitFor();
  await expect(page.getByTestId("test-teams").textContent()).resolves.toBe("Finance Operations");
  await page.locator('[data-testid="rule"][data-matching="true"]').waitFor();
  await expect(page.locator('[data-testid="rule"][data-matching="true"]').count()).resolves.toBe(1);
  // A happy customer matches nothing: triage.
  await page.getByLabel("Customer's words").fill("Lovely service, thank you");
  await page.getByRole("button", { name: "Test", exact: true }).click();
  await page.getByText("No rule matches.").waitFor();
  await expect(page.getByTestId("test-teams").textContent()).resolves.toBe("Triage");

  await page.getByLabel("When several rules match").selectOption("every");
  await page.getByRole("button", { name: "Save settings" }).click();
  await page.getByText("Routing settings saved.").waitFor();
  // The flash comes with the action's answer; the statement with the loaders' revalidation after it.
  await expect.poll(() => page.getByTestId("match-mode-statement").textContent()).toContain("Every matching rule routes the insight");

  await page.getByRole("link", { name: "Change log" }).click();
  await page.locator('[data-testid="audit"] tbody tr').nth(1).waitFor();
  const actions = await page.locator('[data-testid="audit"] tbody tr td:nth-child(3)').allTextContents();
  expect(actions.map((a) => a.split(" ")[0])).toEqual(["settings", "create"]);

  // An ingest token (an integration API token with "Send insights only" access): shown once,
  // works, then revoked through the page. The old address still leads there.
  await page.getByRole("link", { name: "Ingest tokens" }).click();
  await page.waitForURL(`${app.url}/admin/api-tokens`);
  await page.goto(`${app.url}/admin/integrations`);
  await page.waitForURL(`${app.url}/admin/api-tokens`);
  await page.getByLabel("Name").fill("Brandwatch listener");
  await page.getByLabel("Access").selectOption({ label: "Send insights only" });
  await page.getByRole("button", { name: "Create token" }).click();
  const token = await page.getByTestId("token-secret").locator("input").inputValue();
  expect(token).toMatch(/^atr_i_[A-Za-z0-9_-]{40,}$/);
  const send = () =>
    fetch(`${app.url}/api/v1/insights`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify({ externalId: `x-${Math.random()}`, text: "Invoices wrong, awful", channel: "twitter", topics: ["billing"] }),
    });
  const ok = await send();
  expect(ok.status).toBe(201);
  expect((await ok.json()).teams).toEqual([expect.objectContaining({ name: "Finance Operations" })]);
  await page.goto(`${app.url}/admin/api-tokens`);
  await expect(page.getByTestId("token-secret").count()).resolves.toBe(0); // never shown again
  const row = page.getByTestId("token-row").filter({ hasText: "Brandwatch listener" });
  await expect.poll(() => row.getByTestId("token-insights").textContent()).toBe("1 insight received");
  await row.getByRole("button", { name: "Revoke" }).click();
  await page.locator('[data-testid="token-row"].inactive').filter({ hasText: "Brandwatch listener" }).waitFor();
  const refused = await send();
  expect(refused.status).toBe(401);
  expect((await refused.json()).error.code).toBe("token_revoked");

  // Deleting a rule asks first: Cancel posts nothing, OK deletes it.
  await page.goto(`${app.url}/admin/insight-rules`);
  const rule = page.getByTestId("rule").filter({ hasText: "Billing complaints" });
  const posts: string[] = [];
  page.on("request", (r) => void (r.method() === "POST" && posts.push(r.url())));
  const asked: string[] = [];
  page.once("dialog", (d) => void (asked.push(d.message()), d.dismiss()));
  await rule.getByRole("button", { name: "Delete" }).click();
  await expect.poll(() => asked).toEqual(["Delete the rule “Billing complaints”?"]);
  expect(posts).toEqual([]);
  page.once("dialog", (d) => void (asked.push(d.message()), d.accept()));
  await rule.getByRole("button", { name: "Delete" }).click();
  await rule.waitFor({ state: "detached" });
  expect(asked).toHaveLength(2);
  expect(posts).toHaveLength(1);
  expect(await app.atrium.db.routingRule.count()).toBe(0);
  expect(p.errors).toEqual([]);
});

test("a member cannot open the routing admin", async () => {
  const member = await makeUser(app.atrium);
  const p = await openAs(browser, app, member);
  pages.push(p);
  const res = await p.page.goto(`${app.url}/admin/insight-rules`);
  expect(res!.status()).toBe(403);
  await p.page.getByTestId("error-403").waitFor();
  expect((await p.page.goto(`${app.url}/admin/api-tokens`))!.status()).toBe(403);
});
