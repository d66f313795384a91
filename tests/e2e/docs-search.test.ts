/**
 * Searching documents from /docs in Chromium: words in a document's text find it, with a snippet;
 * a document the reader may not read is never listed; a query too long for the box says why and
 * leaves the rest of the page usable.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { captureFailures, signIn, startE2E, waitForHydration, type E2E, type UserPage } from "./helpers/browser.js";
import { docsWorld, type World } from "../server/docs/world.js";

let e2e: E2E;
captureFailures(() => e2e);
let w: World;
let mia: UserPage;
let plan: string;

beforeAll(async () => {
  e2e = await startE2E();
  w = await docsWorld(e2e.app.atrium);
  const docs = e2e.app.atrium.domain.docs;
  ({ id: plan } = await docs.importMarkdown(w.people.mia.actor, {
    spaceId: w.space.marketing.id,
    markdown: "# Autumn campaign plan\n\nThe brochure goes to the printers on Friday; the budget is in the spreadsheet.",
  }));
  const secret = await docs.importMarkdown(w.people.max.actor, { spaceId: w.space.marketing.id, markdown: "# Max's notes\n\nWhich printers quoted the brochure cheapest." });
  await docs.updateDocument(w.people.max.actor, secret.id, { visibility: "private" });
  mia = await e2e.newUser({ viewport: { width: 375, height: 800 }, timezoneId: "Pacific/Auckland", locale: "en-NZ" });
  await signIn(mia.page, e2e.url, w.people.mia.user.email, w.people.mia.password);
});
afterAll(async () => {
  await e2e?.close();
});

describe("searching documents", () => {
  it("finds a document by words in its text, with the words in context, and never one the reader may not read", async () => {
    const { page } = mia;
    await page.goto(`${e2e.url}/docs`);
    await waitForHydration(page);
    await page.getByRole("searchbox", { name: "Search documents" }).fill("brochure printers");
    await page.getByRole("search", { name: "Search documents" }).getByRole("button", { name: "Search" }).click();
    const results = page.getByTestId("doc-results");
    await results.waitFor();
    await expect(page.getByRole("heading", { name: "Results for “brochure printers”" }).count()).resolves.toBe(1);
    expect(await results.getByRole("link").allTextContents()).toEqual(["Autumn campaign plan"]);
    expect(await results.getByRole("link").getAttribute("href")).toBe(`/docs/${plan}`);
    await expect(results.locator("li").first().innerText()).resolves.toContain("brochure goes to the printers");
    expect(new URL(page.url()).searchParams.get("q")).toBe("brochure printers");
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);

    // Words only in Max's private notes find nothing for Mia.
    await page.getByRole("searchbox", { name: "Search documents" }).fill("cheapest");
    await page.getByRole("search", { name: "Search documents" }).getByRole("button", { name: "Search" }).click();
    await page.getByText("No document you can read matches.").waitFor();
    expect(await page.getByTestId("doc-results").count()).toBe(0);
  });

  it("a query too long for the box (a link someone built) says why, with a 422, and the page still works", async () => {
    const { page } = mia;
    const response = await page.goto(`${e2e.url}/docs?q=${"brochure ".repeat(30)}`);
    expect(response!.status()).toBe(422);
    await expect(page.getByTestId("search-problem").innerText()).resolves.toBe("Search for at most 200 characters.");
    expect(await page.getByRole("searchbox", { name: "Search documents" }).getAttribute("aria-invalid")).toBe("true");
    // The spaces and the rest of /docs are there.
    expect(await page.getByTestId("spaces").getByRole("link").allTextContents()).toContain("Marketing");
    await waitForHydration(page);
    await page.getByRole("searchbox", { name: "Search documents" }).fill("budget");
    await page.getByRole("search", { name: "Search documents" }).getByRole("button", { name: "Search" }).click();
    await expect.poll(() => page.getByTestId("doc-results").getByRole("link").allTextContents()).toEqual(["Autumn campaign plan"]);
    expect(await page.getByTestId("search-problem").count()).toBe(0);
  });
});
