/**
 * A space with more documents than one page holds, in Chromium at phone width: the tree is read a
 * page at a time, a page that starts inside a branch shows where it sits, and a new document goes
 * inside one on the page being read.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SPACE_PAGE_SIZE } from "../../server/domain/docs.js";
import { captureFailures, signIn, startE2E, waitForHydration, type E2E, type UserPage } from "./helpers/browser.js";
import { docsWorld, type World } from "../server/docs/world.js";

let e2e: E2E;
captureFailures(() => e2e);
let w: World;
let mia: UserPage;
let guideId: string;

beforeAll(async () => {
  e2e = await startE2E();
  w = await docsWorld(e2e.app.atrium);
  const docs = e2e.app.atrium.domain.docs;
  const marketing = w.space.marketing.id;
  // A page less one of notes, then a guide with two parts: the guide ends page 1, its parts open page 2.
  for (let i = 0; i < SPACE_PAGE_SIZE - 1; i++) await docs.createDocument(w.people.mia.actor, { title: `Note ${String(i).padStart(3, "0")}`, spaceId: marketing });
  ({ id: guideId } = await docs.createDocument(w.people.mia.actor, { title: "Zz guide", spaceId: marketing }));
  for (const part of ["part 1", "part 2"]) await docs.createDocument(w.people.mia.actor, { title: `Zz guide, ${part}`, spaceId: marketing, parentId: guideId });
  mia = await e2e.newUser({ viewport: { width: 375, height: 800 } });
  await signIn(mia.page, e2e.url, w.people.mia.user.email, w.people.mia.password);
}, 300_000);
afterAll(async () => {
  await e2e?.close();
});

describe("a big space, page by page", () => {
  it("shows a page of the tree with the count, and Next brings the rest under its parent", async () => {
    const { page } = mia;
    await page.goto(`${e2e.url}/docs/spaces/${w.space.marketing.id}`);
    await waitForHydration(page);
    await expect.poll(() => page.getByTestId("tree-total").textContent()).toBe(`${SPACE_PAGE_SIZE + 2} documents · page 1 of 2`);
    expect(await page.getByTestId("tree-item").count()).toBe(SPACE_PAGE_SIZE);
    expect(await page.getByTestId("tree-context").count()).toBe(0);
    // Nothing scrolls sideways at phone width.
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);

    await page.getByRole("navigation", { name: "Pages" }).getByRole("link", { name: "Next" }).click();
    await expect.poll(() => page.getByTestId("tree-total").textContent()).toBe(`${SPACE_PAGE_SIZE + 2} documents · page 2 of 2`);
    expect(new URL(page.url()).searchParams.get("page")).toBe("2");
    expect(await page.getByTestId("tree-item").getByRole("link").allTextContents()).toEqual(["Zz guide, part 1", "Zz guide, part 2"]);
    // The parts sit under their guide, shown for context and linked.
    const context = page.getByTestId("tree-context");
    expect(await context.count()).toBe(1);
    expect(await context.getByRole("link", { name: "Zz guide", exact: true }).getAttribute("href")).toBe(`/docs/${guideId}`);
    expect(await context.getByTestId("tree-item").count()).toBe(2);
  });

  it("creates a document inside one on the page being read", async () => {
    const { page } = mia;
    await page.goto(`${e2e.url}/docs/spaces/${w.space.marketing.id}?page=2`);
    await waitForHydration(page);
    const inside = page.getByLabel("Inside (a document on this page)");
    const options = await inside.locator("option").allTextContents();
    expect(options.map((o) => o.trim())).toEqual(["(top level)", "Zz guide", "Zz guide, part 1", "Zz guide, part 2"]);
    await page.locator("#title").fill("Zz guide, part 3");
    await inside.selectOption({ label: "Zz guide" });
    await page.getByRole("button", { name: "Create" }).click();
    await page.waitForURL(/\/docs\/(?!spaces)[^/?]+$/);
    const created = await e2e.app.atrium.db.document.findFirst({ where: { title: "Zz guide, part 3" } });
    expect(created).toMatchObject({ parentId: guideId, spaceId: w.space.marketing.id });
  });

  it("a page number past the end shows the last page; one that is not a number shows the first", async () => {
    const { page } = mia;
    const res = await page.goto(`${e2e.url}/docs/spaces/${w.space.marketing.id}?page=999`);
    expect(res?.status()).toBe(200);
    await expect.poll(() => page.getByTestId("tree-total").textContent()).toMatch(/page 2 of 2$/);
    const odd = await page.goto(`${e2e.url}/docs/spaces/${w.space.marketing.id}?page=%3Cscript%3E`);
    expect(odd?.status()).toBe(200);
    await expect.poll(() => page.getByTestId("tree-total").textContent()).toMatch(/page 1 of 2$/);
  });
});
