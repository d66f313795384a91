/**
 * The Ask form links a document and an insight through keyboard-usable pickers that offer only
 * what the asker may open; a forged id is refused with a field message; the question page shows
 * the links. /questions/new leads to the form. "Save a revision now" clicked twice makes one.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { captureFailures, signIn, startE2E, waitForRealtime, type E2E, type UserPage } from "./helpers/browser.js";
import { docsWorld, type World } from "../server/docs/world.js";

let e2e: E2E;
captureFailures(() => e2e);
let w: World;
let mia: UserPage;
let runbook: string, secret: string, insightId: string;

beforeAll(async () => {
  e2e = await startE2E();
  w = await docsWorld(e2e.app.atrium);
  const docs = e2e.app.atrium.domain.docs;
  runbook = (await docs.createDocument(w.people.pia.actor, { title: "Zeppelin upgrade runbook", spaceId: w.space.company.id })).id;
  secret = (await docs.createDocument(w.people.pia.actor, { title: "Zeppelin private notes", spaceId: w.space.company.id, visibility: "private" })).id;
  insightId = (await e2e.app.atrium.domain.insights.createInsight(w.people.max.actor, { text: "The zeppelin dashboard times out every morning", channel: "email" })).id;
  mia = await e2e.newUser();
  await signIn(mia.page, e2e.url, w.people.mia.user.email, w.people.mia.password);
});
afterAll(async () => {
  await e2e?.close();
});

async function fillQuestion(page: Page, title: string) {
  await page.getByLabel("Title").fill(title);
  await page.locator('[data-testid="ask-body"] [contenteditable="true"]').click();
  await page.keyboard.type("The upgrade stalls halfway through.");
  await page.getByLabel("Tags").fill("zeppelin");
}

describe("asking with linked items", () => {
  it("/questions/new leads to the Ask form, keeping the query string", async () => {
    const { page } = mia;
    await page.goto(`${e2e.url}/questions/new?tags=zeppelin`);
    await page.waitForURL((u) => u.pathname === "/questions/ask" && u.search === "?tags=zeppelin");
    expect(await page.getByLabel("Tags").inputValue()).toBe("zeppelin");
    expect(await page.getByText("not in this version of Atrium").count()).toBe(0);
  });

  it("the pickers find only what the asker may open, and work with the keyboard alone", async () => {
    const { page } = mia;
    await page.goto(`${e2e.url}/questions/ask`);
    await waitForRealtime(page);
    await fillQuestion(page, "How do we finish the zeppelin upgrade?");

    const docBox = page.getByRole("combobox", { name: "Document" });
    await docBox.focus();
    await page.keyboard.type("zeppelin");
    const docOptions = page.getByRole("listbox", { name: "Document" }).getByRole("option");
    await docOptions.first().waitFor();
    // Pia's private notes are not offered to Mia.
    expect(await docOptions.allTextContents()).toEqual([expect.stringContaining("Zeppelin upgrade runbook")]);
    await page.keyboard.press("ArrowDown");
    expect(await docBox.getAttribute("aria-activedescendant")).toBe(await docOptions.first().getAttribute("id"));
    await page.keyboard.press("Enter");
    await page.getByTestId("picked-documentId").filter({ hasText: "Zeppelin upgrade runbook" }).waitFor();
    expect(new URL(page.url()).pathname).toBe("/questions/ask"); // Enter chose; it did not submit

    const insightBox = page.getByRole("combobox", { name: "Customer insight" });
    await insightBox.focus();
    await page.keyboard.type("dashboard");
    await page.getByRole("listbox", { name: "Customer insight" }).getByRole("option").first().waitFor();
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("Enter");
    await page.getByTestId("picked-insightId").filter({ hasText: "zeppelin dashboard" }).waitFor();

    await page.getByTestId("post-question").click();
    await page.waitForURL((u) => /^\/questions\/[^/]+$/.test(u.pathname) && u.searchParams.get("asked") === "1");
    const doc = page.getByTestId("linked-document");
    expect(await doc.textContent()).toBe("Zeppelin upgrade runbook");
    expect(await doc.getAttribute("href")).toBe(`/docs/${runbook}`);
    expect(await page.getByTestId("linked-insight").getAttribute("href")).toBe(`/insights/${insightId}`);
    expect(mia.pageErrors).toEqual([]);
  });

  it("a forged document id is refused with a field message and nothing is posted", async () => {
    const { page } = mia;
    await page.goto(`${e2e.url}/questions/ask`);
    await waitForRealtime(page);
    await fillQuestion(page, "Is the zeppelin private plan approved?");
    const before = await e2e.app.atrium.db.question.count();
    // Forge the id as the form is submitted: set earlier, the picker's next render would put back its own value.
  await page.evaluate((id) => {
    const forge = (e: Event) => {
      const input = (e.target as HTMLFormElement).elements.namedItem("documentId");
      if (input instanceof HTMLInputElement) input.value = id;
    };
    window.addEventListener("submit", forge, { capture: true, once: true });
  }, secret);
    await page.getByTestId("post-question").click();
    await page.getByTestId("picker-documentId").getByRole("alert").filter({ hasText: "Choose a document you can open." }).waitFor();
    expect(await page.getByRole("combobox", { name: "Document" }).getAttribute("aria-invalid")).toBe("true");
    expect(await e2e.app.atrium.db.question.count()).toBe(before);
  });
});

describe("Save a revision now", () => {
  it("clicked twice makes one revision; the button waits while the first is saved", async () => {
    const { page } = mia;
    const { id } = await e2e.app.atrium.domain.docs.importMarkdown(w.people.mia.actor, { spaceId: w.space.marketing.id, markdown: "# Plan\n\nA first draft." });
    const count = () => e2e.app.atrium.db.docRevision.count({ where: { docId: id } });
    await page.goto(`${e2e.url}/docs/${id}/history`);
    await waitForRealtime(page);
    const before = await count();

    // Hold the first request a moment so "pending" can be seen.
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    await page.route(`**/docs/${id}/history*`, async (route) => {
      if (route.request().method() === "POST") await held;
      await route.continue();
    });
    const button = page.getByRole("button", { name: /Save a revision now|Saving a revision/ });
    await button.dblclick();
    await page.getByRole("button", { name: "Saving a revision…" }).waitFor();
    expect(await page.getByRole("button", { name: "Saving a revision…" }).isDisabled()).toBe(true);
    release();
    await page.getByRole("button", { name: "Save a revision now" }).waitFor();
    await expect.poll(count).toBe(before + 1);
    // And again, with nothing changed: still one.
    await page.unroute(`**/docs/${id}/history*`);
    await Promise.all([
      page.waitForResponse((r) => r.request().method() === "POST" && r.url().includes(`/docs/${id}/history`)),
      page.getByRole("button", { name: "Save a revision now" }).click(),
    ]);
    await page.getByRole("button", { name: "Save a revision now" }).waitFor();
    expect(await count()).toBe(before + 1);
    await expect.poll(() => page.getByTestId("revisions").locator("li").count()).toBe(before + 1);
  });
});
