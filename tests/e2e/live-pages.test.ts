/**
 * Pages that show an entity follow it live, in two browser contexts: the poster's insight page
 * turns Resolved as the team handles it; the asker's "Routed to" line follows the routed
 * expert's presence. Opening a notification's page reads it (bell N → N-1 in every tab).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makePerson } from "../factories.js";
import { docsWorld } from "../server/docs/world.js";
import { makeAccount, makeBillingRule, makeTeam } from "../server/insights/factories.js";
import { captureFailures, signIn, startE2E, waitForRealtime, type E2E } from "./helpers/browser.js";

let e2e: E2E;
captureFailures(() => e2e);

beforeAll(async () => {
  e2e = await startE2E();
});
afterAll(async () => {
  await e2e?.close();
});

type Person = Awaited<ReturnType<typeof makePerson>>;
async function open(who: Person, path: string) {
  const u = await e2e.newUser();
  await signIn(u.page, e2e.url, who.user.email, who.password);
  await u.page.goto(`${e2e.url}${path}`);
  await waitForRealtime(u.page);
  return u;
}
const markNoReload = (page: import("playwright-core").Page) => page.evaluate(() => ((window as unknown as { __same: boolean }).__same = true));
const sameDocument = (page: import("playwright-core").Page) => page.evaluate(() => (window as unknown as { __same?: boolean }).__same === true);

describe("an insight's page", () => {
  it("shows Resolved on the poster's open page as a team member acknowledges and resolves it", async () => {
    const atrium = e2e.app.atrium;
    const admin = await makePerson(atrium, { role: "admin", name: "Ada Admin" });
    const finance = await makeTeam(atrium, admin.actor, "Finance Ops", []);
    const femi = await makePerson(atrium, { name: "Femi Finance", teamIds: [finance.team.id] });
    await makeBillingRule(atrium, admin.actor, finance.team.id);
    const account = await makeAccount(atrium, admin.actor);
    const poster = await makePerson(atrium, { name: "Polly Poster" });
    const insight = await atrium.domain.insights.createInsight(poster.actor, { text: "Your invoices are wrong again, terrible", channel: "email", accountId: account.id, topics: ["billing"] });

    const polly = await open(poster, `/insights/${insight.id}`);
    const detail = polly.page.getByTestId("insight-detail");
    expect(await detail.getAttribute("data-status")).toBe("new");
    await polly.page.locator('[data-testid="insight-detail"][data-live="true"]').waitFor();
    await markNoReload(polly.page);

    const team = await open(femi, `/insights/${insight.id}`);
    await team.page.getByRole("button", { name: "Acknowledge" }).click();
    await polly.page.locator('[data-testid="insight-detail"][data-status="acknowledged"]').waitFor();

    await team.page.locator('[data-testid="insight-detail"][data-status="acknowledged"]').waitFor();
    await team.page.getByRole("button", { name: "Resolve…" }).click();
    await team.page.getByLabel("How was it resolved?").fill("Credited the wrong invoices.");
    await team.page.getByRole("button", { name: "Resolve", exact: true }).click();
    await polly.page.locator('[data-testid="insight-detail"][data-status="resolved"]').waitFor();
    expect(await polly.page.getByTestId("status").first().textContent()).toMatch(/resolved/i);
    expect(await sameDocument(polly.page)).toBe(true);
    expect(polly.pageErrors).toEqual([]);
  });
});

describe("a question's routed-to line", () => {
  it("follows the routed expert going online and offline, on the asker's open page", async () => {
    const atrium = e2e.app.atrium;
    const expert = await makePerson(atrium, { name: "Eli Expert" });
    await atrium.domain.people.updateProfile(expert.actor, expert.user.id, { name: "Eli Expert", timeZone: "UTC", skills: [{ name: "saml", level: "expert" }] });
    const asker = await makePerson(atrium, { name: "Asha Asker" });
    const q = await atrium.domain.questions.askQuestion(asker.actor, {
      title: "How do I rotate the SAML signing certificate?",
      body: { json: JSON.stringify({ root: { type: "root", children: [{ type: "paragraph", children: [{ type: "text", text: "It expires next week." }] }] } }) },
      tags: ["saml"],
    });
    const mine = await open(asker, `/questions/${q.id}`);
    const line = mine.page.getByTestId("routed-person").filter({ hasText: "Eli Expert" });
    await line.waitFor();
    expect(await line.textContent()).not.toContain("online now");
    await mine.page.locator('[data-testid="question-page"][data-live="true"]').waitFor();
    await markNoReload(mine.page);

    const eli = await open(expert, "/");
    await line.filter({ hasText: "online now" }).waitFor();
    await eli.context.close();
    await expect.poll(async () => (await line.textContent()) ?? "").not.toContain("online now");
    expect(await line.textContent()).toContain("ask me about saml");
    expect(await sameDocument(mine.page)).toBe(true);
    expect(mine.pageErrors).toEqual([]);
  });
});

describe("a document's history page", () => {
  it("shows the refusal without a reload once the reader's access is revoked", async () => {
    const atrium = e2e.app.atrium;
    const w = await docsWorld(atrium);
    const { id } = await atrium.domain.docs.createDocument(w.people.mia.actor, { title: "Launch brief", spaceId: w.space.marketing.id });
    const max = await open(w.people.max, `/docs/${id}/history`);
    await max.page.locator('[data-testid="doc-history"][data-live="true"]').waitFor();
    await markNoReload(max.page);
    await atrium.domain.docs.updateDocument(w.people.mia.actor, id, { visibility: "private" });
    await max.page.getByTestId("error-403").waitFor();
    expect(await sameDocument(max.page)).toBe(true);
  });
});

describe("notifications", () => {
  it("opening the linked page reads it: the bell goes from N to N-1 in every tab", async () => {
    const atrium = e2e.app.atrium;
    const nora = await makePerson(atrium, { name: "Nora Notified" });
    const colleague = await makePerson(atrium, { name: "Carl Colleague" });
    await atrium.domain.notifications.notify([nora.user.id, colleague.user.id], { type: "test", title: "Carl's profile changed", link: `/people/${colleague.user.id}` });
    await atrium.domain.notifications.notify([nora.user.id], { type: "test", title: "Something else", link: "/questions" });

    const first = await open(nora, "/notifications");
    const second = await first.context.newPage();
    await second.goto(`${e2e.url}/`);
    await waitForRealtime(second);
    for (const p of [first.page, second]) await p.getByTestId("unread-count").filter({ hasText: /^2$/ }).waitFor();

    await first.page.getByRole("link", { name: "Carl's profile changed" }).click();
    await first.page.waitForURL((u) => u.pathname === `/people/${colleague.user.id}`);
    for (const p of [first.page, second]) await p.getByTestId("unread-count").filter({ hasText: /^1$/ }).waitFor();
    expect(await first.page.getByTestId("bell").getAttribute("aria-label")).toBe("Notifications, 1 unread");
    // Only Nora's, only that page's.
    const unread = await atrium.db.notification.findMany({ where: { readAt: null, userId: { in: [nora.user.id, colleague.user.id] } }, select: { userId: true, link: true } });
    expect(unread.sort((a, b) => a.link.localeCompare(b.link))).toEqual([
      { userId: colleague.user.id, link: `/people/${colleague.user.id}` },
      { userId: nora.user.id, link: "/questions" },
    ].sort((a, b) => a.link.localeCompare(b.link)));
    expect(first.pageErrors).toEqual([]);
  });
});
