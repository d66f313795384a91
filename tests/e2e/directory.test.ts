/** The people directory in a real browser: skill search ranks experts first, synonyms, filters. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { makeUser } from "../helpers/app.js";
import { captureFailures, signIn, startE2E, waitForHydration, type E2E, type UserPage } from "./helpers/browser.js";

type Person = Awaited<ReturnType<typeof makeUser>>;
let e2e: E2E;
captureFailures(() => e2e);
let expert: Person, mentor: Person, learner: Person, bystander: Person, viewer: Person;
let platformId: string;
let viewerPage: UserPage;

/** The server's clock: a fixed moment, so the local times the page shows are known exactly. */
const NOW = Date.parse("2031-03-04T02:17:00Z");

beforeAll(async () => {
  e2e = await startE2E({ clock: { now: () => new Date(NOW) } });
  const { atrium } = e2e.app;
  const admin = await makeUser(atrium, { name: "Avery Admin", role: "admin" });
  const platform = await atrium.domain.org.createDepartment(admin.actor, { name: "Platform" });
  const data = await atrium.domain.org.createDepartment(admin.actor, { name: "Data" });
  platformId = platform.id;

  // Created (and named) so that neither insertion order nor the alphabet gives the expected ranking.
  learner = await makeUser(atrium, { name: "Aaron Abbott", title: "Engineer", departmentId: platform.id });
  mentor = await makeUser(atrium, { name: "Mina Moreau", title: "Engineer", departmentId: data.id });
  expert = await makeUser(atrium, { name: "Zoe Zeller", title: "Engineer", departmentId: platform.id });
  bystander = await makeUser(atrium, { name: "Bea Baker", title: "Engineer", departmentId: platform.id });
  viewer = await makeUser(atrium, { name: "Vic Viewer" });

  const profile = (p: Person, timeZone: string, skills: { name: string; level: "expert" | "mentor" | "learning" }[]) =>
    atrium.domain.people.updateProfile(p.actor, p.user.id, { name: p.user.name, timeZone, skills });
  await profile(learner, "Europe/Berlin", [{ name: "kubernetes", level: "learning" }, { name: "go", level: "expert" }]);
  await profile(mentor, "America/Chicago", [{ name: "kubernetes", level: "mentor" }]);
  await profile(expert, "Asia/Tokyo", [{ name: "kubernetes", level: "expert" }]);
  await profile(bystander, "UTC", [{ name: "rust", level: "expert" }]);
  await atrium.domain.skills.addSynonym(admin.actor, { skill: "kubernetes", synonym: "k8s" });

  viewerPage = await e2e.newUser();
  await signIn(viewerPage.page, e2e.url, viewer.user.email, viewer.password);
});
afterAll(async () => {
  await e2e?.close();
});

const resultIds = (page: Page) =>
  page.getByTestId("person-result").evaluateAll((els) => els.map((el) => el.getAttribute("data-person-id")));

/** Types into the directory's search box; the form submits itself on change. */
async function search(page: Page, q: string) {
  await page.getByLabel("Name, skill, title…").fill(q);
  await page.waitForURL((u) => u.pathname === "/people" && u.searchParams.get("q") === q);
}

describe("directory search", () => {
  it("finds everyone with kubernetes, expert first and the learner after the mentor", async () => {
    const { page } = viewerPage;
    await page.getByRole("link", { name: "People", exact: true }).click();
    await page.waitForURL((u) => u.pathname === "/people");
    await waitForHydration(page);
    await search(page, "kubernetes");
    await expect.poll(() => resultIds(page)).toEqual([expert.user.id, mentor.user.id, learner.user.id]);
    expect(await page.getByTestId("result-count").textContent()).toBe("3 people");
    expect(await page.getByTestId("person-result").first().getByRole("link").textContent()).toBe("Zoe Zeller");
  });

  it("finds the same people through the synonym k8s", async () => {
    const { page } = viewerPage;
    await search(page, "k8s");
    await expect.poll(() => resultIds(page)).toEqual([expert.user.id, mentor.user.id, learner.user.id]);
  });

  it("finds them from the search box in the top bar too (it opens the search palette)", async () => {
    const { page } = viewerPage;
    await page.goto(`${e2e.url}/`);
    await waitForHydration(page);
    await page.getByRole("searchbox", { name: "Search everything" }).click();
    await page.getByRole("combobox").fill("k8s");
    const people = page.locator('[data-testid="palette-option"][data-type="person"]');
    await expect.poll(() => people.count()).toBe(3);
  });

  it("narrows results with the department filter", async () => {
    const { page } = viewerPage;
    await page.goto(`${e2e.url}/people`);
    await waitForHydration(page);
    await search(page, "kubernetes");
    await expect.poll(() => resultIds(page)).toHaveLength(3);
    await page.getByLabel("Department").selectOption({ label: "Platform" });
    await page.waitForURL((u) => u.searchParams.get("department") === platformId && u.searchParams.get("q") === "kubernetes");
    await expect.poll(() => resultIds(page)).toEqual([expert.user.id, learner.user.id]);
    expect(await page.getByTestId("result-count").textContent()).toBe("2 people");

    // Without a query the filter lists the whole department, alphabetically.
    await page.getByLabel("Name, skill, title…").fill("");
    await expect.poll(() => resultIds(page)).toEqual([learner.user.id, bystander.user.id, expert.user.id]);
  });

  it("shows presence and local time on every result", async () => {
    const { page } = viewerPage;
    await page.goto(`${e2e.url}/people?q=kubernetes`);
    await waitForHydration(page);
    const zones = new Map([
      [expert.user.id, "Asia/Tokyo"],
      [mentor.user.id, "America/Chicago"],
      [learner.user.id, "Europe/Berlin"],
    ]);
    const cards = page.getByTestId("person-result");
    expect(await cards.count()).toBe(3);
    for (const card of await cards.all()) {
      const id = (await card.getAttribute("data-person-id"))!;
      const presence = card.getByTestId(`presence-${id}`);
      expect(await presence.getAttribute("data-state")).toBe("offline");
      expect(await presence.innerText()).toContain("Offline");
      const time = card.locator(".local-time");
      expect(await time.getAttribute("title")).toBe(zones.get(id));
      expect(await time.innerText()).toMatch(/\b\d{2}:\d{2}\b/);
    }
    // The local time is the person's, not the viewer's: Tokyo's clock is shown for the expert.
    // The page counts on from the server's now (02:17 UTC), which is 11:17 in Tokyo; the browser
    // has been on the page for far less than the minute that would change it.
    const shown = await cards.first().locator(".local-time").innerText();
    expect(shown.match(/\d{2}:\d{2}/)![0]).toBe("11:17");
  });

  it("a search too long for the box (a link someone built) says why, keeps the filters, and a search that fits works again", async () => {
    const { page } = viewerPage;
    const response = await page.goto(`${e2e.url}/people?q=${"kubernetes ".repeat(25)}&department=${platformId}`);
    expect(response!.status()).toBe(422);
    await expect(page.getByTestId("search-problem").innerText()).resolves.toBe("Search for at most 200 characters.");
    expect(await page.getByTestId("person-result").count()).toBe(0);
    // The rest of the page is there: the filters (as chosen) and the search box.
    await expect(page.getByLabel("Department").inputValue()).resolves.toBe(platformId);
    await waitForHydration(page);
    await page.getByLabel("Name, skill, title…").fill("kubernetes");
    await expect.poll(() => resultIds(page)).toEqual([expert.user.id, learner.user.id]);
    expect(await page.getByTestId("search-problem").count()).toBe(0);
  });
});
