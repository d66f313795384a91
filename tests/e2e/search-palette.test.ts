/**
 * Unified search in Chromium: the Ctrl+K palette jumps to a person by keyboard alone, the search
 * page filters by type, a member never sees a colleague's private document, and the page works
 * without JavaScript as a plain GET form.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeUser } from "../helpers/app.js";
import { captureFailures, signIn, startE2E, waitForHydration, type E2E, type UserPage } from "./helpers/browser.js";

let e2e: E2E;
let mia: UserPage;
type U = Awaited<ReturnType<typeof makeUser>>;
let miaUser: U, olga: U, priyanka: U;
captureFailures(() => e2e);

beforeAll(async () => {
  e2e = await startE2E();
  const a = e2e.app.atrium;
  miaUser = await makeUser(a, { name: "Mia Member" });
  olga = await makeUser(a, { name: "Olga Owner" });
  const priya = await makeUser(a, { name: "Priya Raman", title: "Identity engineer" });
  priyanka = await makeUser(a, { name: "Priyanka Das", title: "Payments analyst" });
  // The factory writes rows directly; announce them as the account verbs do, so search indexes them.
  for (const u of [miaUser, olga, priya, priyanka]) await a.ctx.bus.publish("person.updated", { userId: u.user.id });
  const space = (await a.db.space.findFirstOrThrow({ where: { kind: "company" } })).id;
  await a.domain.docs.createDocument(olga.actor, { title: "Zanzibar acquisition plan", spaceId: space, visibility: "private" });
  await a.domain.docs.createDocument(olga.actor, { title: "Zanzibar travel guide", spaceId: space, visibility: "company" });
  mia = await e2e.newUser();
  await signIn(mia.page, e2e.url, miaUser.user.email, miaUser.password);
}, 300_000);

afterAll(async () => {
  await e2e?.close();
});

describe("search palette", () => {
  it("Ctrl+K opens it; typing part of a name, ArrowDown and Enter land on the profile", async () => {
    const { page } = mia;
    await page.goto(`${e2e.url}/questions`);
    await waitForHydration(page);
    await page.keyboard.press("Control+k");
    const dialog = page.getByRole("dialog", { name: "Search everything" });
    await dialog.waitFor();
    const combo = dialog.getByRole("combobox");
    expect(await combo.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.type("priy");
    const options = dialog.getByRole("option");
    await expect.poll(() => options.allTextContents()).toEqual([expect.stringContaining("Priya Raman"), expect.stringContaining("Priyanka Das")]);
    expect(await dialog.getByRole("group", { name: "People" }).count()).toBe(1);
    // The first option is active; one step down is Priyanka, announced through aria-activedescendant.
    expect(await options.nth(0).getAttribute("aria-selected")).toBe("true");
    await page.keyboard.press("ArrowDown");
    expect(await options.nth(1).getAttribute("aria-selected")).toBe("true");
    expect(await combo.getAttribute("aria-activedescendant")).toBe(await options.nth(1).getAttribute("id"));
    // Wraps around and comes back.
    await page.keyboard.press("ArrowDown");
    expect(await options.nth(0).getAttribute("aria-selected")).toBe("true");
    await page.keyboard.press("ArrowUp");
    await page.keyboard.press("Enter");
    await page.waitForURL((u) => u.pathname === `/people/${priyanka.user.id}`);
    await page.getByRole("heading", { level: 1, name: "Priyanka Das" }).waitFor();
    expect(await dialog.count()).toBe(0);
  });

  it("Escape closes it and gives focus back to the top-bar box; Tab stays inside while open", async () => {
    const { page } = mia;
    await page.goto(`${e2e.url}/`);
    await waitForHydration(page);
    const box = page.getByRole("searchbox", { name: "Search everything" });
    await box.click();
    const dialog = page.getByRole("dialog", { name: "Search everything" });
    await dialog.waitFor();
    await page.keyboard.type("zanz");
    await dialog.getByRole("option").first().waitFor();
    for (let i = 0; i < 4; i++) {
      await page.keyboard.press("Tab");
      expect(await page.evaluate(() => !!document.activeElement?.closest('[role="dialog"]'))).toBe(true);
    }
    await page.keyboard.press("Escape");
    await dialog.waitFor({ state: "detached" });
    await expect.poll(() => box.evaluate((el) => el === document.activeElement)).toBe(true);
  });

  it("never suggests a colleague's private document", async () => {
    const { page } = mia;
    await page.keyboard.press("Control+k");
    const dialog = page.getByRole("dialog", { name: "Search everything" });
    await dialog.getByRole("combobox").fill("zanzibar");
    await expect.poll(() => dialog.getByRole("option").allTextContents()).toEqual([expect.stringContaining("Zanzibar travel guide")]);
    await page.keyboard.press("Escape");
  });
});

describe("search page", () => {
  it("shows marked results with counts per type, filters by type, and the URL carries the query", async () => {
    const { page } = mia;
    await page.goto(`${e2e.url}/search?q=zanzibar`);
    await waitForHydration(page);
    const results = page.getByTestId("search-result");
    await expect.poll(() => results.count()).toBe(1);
    expect(await results.first().locator("h2 mark").textContent()).toBe("Zanzibar");
    expect(await page.getByTestId("tab-doc").textContent()).toBe("Documents 1");
    expect(await page.getByTestId("tab-person").textContent()).toBe("People 0");
    expect(await page.content()).not.toMatch(/acquisition/i);

    await page.getByLabel("Search people, documents, questions and insights").fill("priya");
    await page.getByLabel("Search people, documents, questions and insights").press("Enter");
    await page.waitForURL((u) => u.searchParams.get("q") === "priya");
    await expect.poll(() => results.count()).toBe(2);
    await page.getByTestId("tab-doc").click();
    await page.waitForURL((u) => u.searchParams.get("type") === "doc" && u.searchParams.get("q") === "priya");
    await expect.poll(() => page.getByTestId("search-summary").textContent()).toMatch(/No results for “priya” with these filters/);
    await page.getByTestId("tab-person").click();
    await page.waitForURL((u) => u.searchParams.get("type") === "person");
    await expect.poll(() => results.locator("[data-testid=result-type]").allTextContents()).toEqual([expect.stringContaining("Person"), expect.stringContaining("Person")]);
  });

  it("the owner finds her private document", async () => {
    const owner = await e2e.newUser();
    await signIn(owner.page, e2e.url, olga.user.email, olga.password);
    await owner.page.goto(`${e2e.url}/search?q=zanzibar`);
    await expect.poll(() => owner.page.getByTestId("search-result").count()).toBe(2);
    await owner.context.close();
  });

  it("works without JavaScript: the top-bar box is a GET form to /search", async () => {
    const noJs = await e2e.newUser({ javaScriptEnabled: false });
    // signIn() waits for hydration, which never comes here: the login form by hand.
    await noJs.page.goto(`${e2e.url}/login`);
    await noJs.page.getByLabel("Email").fill(miaUser.user.email);
    await noJs.page.getByLabel("Password").fill(miaUser.password);
    await noJs.page.getByRole("button", { name: "Sign in" }).click();
    await noJs.page.waitForURL((u) => u.pathname !== "/login");
    await noJs.page.getByRole("searchbox", { name: "Search everything" }).fill("priyanka");
    await noJs.page.getByRole("searchbox", { name: "Search everything" }).press("Enter");
    await noJs.page.waitForURL((u) => u.pathname === "/search" && u.searchParams.get("q") === "priyanka");
    expect(await noJs.page.getByTestId("search-result").locator("h2").allTextContents()).toEqual(["Priyanka Das"]);
    await noJs.context.close();
  });
});
