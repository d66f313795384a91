/**
 * Story 1 of the product brief, in Chromium with three people in three browser contexts.
 */
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, test } from "vitest";
import { makeUser, type TestApp } from "../helpers/app.js";
import { makeAccount, makeAdmin, makeBillingRule } from "../server/insights/factories.js";
import { openAs, waitLive, type PersonPage, startInsightsBrowser, stopInsightsBrowser } from "./helpers/insights-browser.js";

let app: TestApp;
let browser: Browser;
const pages: PersonPage[] = [];

beforeAll(async () => void ([app, browser] = await startInsightsBrowser()));
afterAll(() => stopInsightsBrowser(app, browser, pages));

test("a negative tweet about wrong invoices reaches Finance Operations live, is acknowledged and resolved, and the agent is notified", async () => {
  const { atrium } = app;
  const admin = await makeAdmin(atrium);
  const omar = await makeUser(atrium, { name: "Omar Okafor", title: "Billing specialist" });
  const fay = await makeUser(atrium, { name: "Fay Fischer" });
  const sara = await makeUser(atrium, { name: "Sara Support", title: "Support agent" });
  const team = await atrium.domain.org.createTeam(admin.actor, { name: "Finance Operations", leadId: omar.user.id });
  await atrium.domain.org.setTeamMembership(admin.actor, team.id, fay.user.id, true);
  await makeBillingRule(atrium, admin.actor, team.id);
  await makeAccount(atrium, admin.actor, "Globex Corporation", "gold");

  const [agent, omarP, fayP] = await Promise.all([openAs(browser, app, sara), openAs(browser, app, omar), openAs(browser, app, fay)]);
  pages.push(agent, omarP, fayP);

  // The two Finance Operations members have their inbox open.
  for (const p of [omarP, fayP]) {
    await p.page.goto(`${app.url}/insights/inbox`);
    await waitLive(p.page);
    await expect(p.page.getByTestId("inbox-empty").isVisible()).resolves.toBe(true);
  }

  // The agent posts the tweet.
  const tweet = "@globex_help your invoices are WRONG again. Third month in a row I'm charged twice. Terrible. <b>fix it</b>";
  await agent.page.goto(`${app.url}/insights/new`);
  await waitLive(agent.page);
  await agent.page.getByLabel("What the customer said (verbatim)").fill(tweet);
  await agent.page.getByLabel("Channel").selectOption("twitter");
  await agent.page.getByLabel("Customer account").selectOption({ label: "Globex Corporation — gold, Enterprise" });
  await agent.page.getByLabel("Link to the original (optional)").fill("https://twitter.com/globex_cfo/status/42");
  await agent.page.getByLabel("Topics (comma-separated)").fill("billing");
  // Each inbox notes the moment an insight row appears (the browser and the server share this machine's clock).
  for (const p of [omarP, fayP]) {
    await p.page.evaluate(() => {
      const seen: Record<string, number> = ((window as unknown as { __seenAt: Record<string, number> }).__seenAt = {});
      new MutationObserver(() => {
        for (const el of document.querySelectorAll('[data-testid="insight"][data-id]')) seen[el.getAttribute("data-id")!] ??= Date.now();
      }).observe(document.body, { childList: true, subtree: true });
    });
  }
  await agent.page.getByRole("button", { name: "Post insight" }).click();
  await agent.page.waitForURL(/\/insights\/[^/]+\?posted=1$/);
  const insightId = new URL(agent.page.url()).pathname.split("/").pop()!;
  await expect(agent.page.getByTestId("sentiment").getAttribute("data-label")).resolves.toBe("negative");
  // The page says which of the customer's words made it negative.
  const drivers = await agent.page.getByTestId("sentiment-drivers").locator("li").allTextContents();
  expect(drivers.some((d) => /“(terrible|wrong)”/i.test(d) && d.includes("towards negative")), drivers.join(" | ")).toBe(true);
  await expect(agent.page.getByTestId("routed-teams").textContent()).resolves.toBe("Finance Operations");
  // The customer's markup is shown as text.
  await expect(agent.page.getByTestId("verbatim").textContent()).resolves.toBe(tweet);

  // Both team members see it appear, without a reload, within two seconds of the insight being posted
  // (measured from its creation on the server to the row appearing, not through the agent's own page load).
  const postedAt = (await atrium.db.insight.findUniqueOrThrow({ where: { id: insightId } })).createdAt.getTime();
  const arrivals = await Promise.all(
    [omarP, fayP].map(async (p) => {
      await p.page.locator(`[data-testid="insight"][data-id="${insightId}"]`).waitFor();
      return p.page.evaluate((id) => (window as unknown as { __seenAt: Record<string, number> }).__seenAt[id]!, insightId);
    }),
  );
  for (const at of arrivals) expect(at - postedAt).toBeLessThan(2_000);
  await expect(fayP.page.locator(`[data-testid="insight"][data-id="${insightId}"] [data-testid="fresh"]`).isVisible()).resolves.toBe(true);

  // Omar acknowledges: the acknowledgement clock stops.
  await omarP.page.locator(`[data-testid="insight"][data-id="${insightId}"] [data-testid="insight-link"]`).click();
  await omarP.page.waitForURL(`${app.url}/insights/${insightId}`);
  await expect(omarP.page.getByTestId("sla-ack").getAttribute("data-state")).resolves.toBe("running");
  await omarP.page.getByRole("button", { name: "Acknowledge" }).click();
  await omarP.page.locator('[data-testid="insight-detail"][data-status="acknowledged"]').waitFor();
  await expect(omarP.page.getByTestId("sla-ack").getAttribute("data-state")).resolves.toBe("met");
  await expect(omarP.page.getByTestId("acknowledged-by").textContent()).resolves.toContain("Omar Okafor");
  // Fay's inbox follows live.
  await fayP.page.locator(`[data-testid="insight"][data-id="${insightId}"][data-status="acknowledged"]`).waitFor();

  // He resolves it with a note.
  await omarP.page.getByRole("button", { name: "Resolve…" }).click();
  await omarP.page.getByLabel("How was it resolved?").fill("Duplicate charge refunded; invoice run fixed for Globex.");
  await omarP.page.getByRole("button", { name: "Resolve", exact: true }).click();
  await omarP.page.locator('[data-testid="insight-detail"][data-status="resolved"]').waitFor();
  await expect(omarP.page.getByTestId("resolution-note").textContent()).resolves.toContain("Duplicate charge refunded");
  const timeline = await omarP.page.locator('[data-testid="timeline"] li').evaluateAll((els) => els.map((e) => e.getAttribute("data-type")));
  expect(timeline).toEqual(["created", "routed", "acknowledged", "resolved"]);

  // The agent's bell counts the notifications live; the notification page says what happened.
  await agent.page.locator('[data-testid="unread-count"]').filter({ hasText: /^2$/ }).waitFor();
  await agent.page.getByTestId("bell").click();
  await agent.page.waitForURL(`${app.url}/notifications`);
  // The list renders with the page's data: wait for each line rather than read it mid-render.
  const notification = (text: string) => agent.page.getByTestId("notification").filter({ hasText: text });
  await notification("Omar Okafor resolved the insight you posted").waitFor();
  await notification("Omar Okafor acknowledged the insight you posted").waitFor();
  await expect(agent.page.getByTestId("notification").count()).resolves.toBe(2);

  for (const p of pages) expect(p.errors).toEqual([]);
});
