/**
 * Presence and status across two browser contexts: B watches A's card in the directory (and A's
 * profile in a second tab) while A comes online, sets a status, and leaves. B's pages never reload.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { makeUser } from "../helpers/app.js";
import { captureFailures, signIn, startE2E, waitForHydration, waitForRealtime, type E2E, type UserPage } from "./helpers/browser.js";

type Person = Awaited<ReturnType<typeof makeUser>>;
let e2e: E2E;
captureFailures(() => e2e);
let a: Person, b: Person;
let pageA: UserPage, pageB: UserPage;
/** A second tab of B's, on A's profile page. */
let profileTabB: Page;

beforeAll(async () => {
  e2e = await startE2E();
  a = await makeUser(e2e.app.atrium, { name: "Alice Anders", title: "Designer" });
  b = await makeUser(e2e.app.atrium, { name: "Bob Berg", title: "Engineer" });
  // Index them in the directory the way a profile edit does.
  for (const p of [a, b]) {
    await e2e.app.atrium.domain.people.updateProfile(p.actor, p.user.id, { name: p.user.name, timeZone: "UTC" });
  }
  [pageA, pageB] = await Promise.all([e2e.newUser(), e2e.newUser()]);
});
afterAll(async () => {
  await e2e?.close();
});

const presenceOfA = () => pageB.page.getByTestId(`presence-${a.user.id}`);

describe("presence", () => {
  it("B sees A offline at first", async () => {
    const { page } = pageB;
    await signIn(page, e2e.url, b.user.email, b.password);
    await page.goto(`${e2e.url}/people?q=Alice`);
    await waitForHydration(page);
    await waitForRealtime(page);
    await page.getByTestId("person-result").filter({ hasText: "Alice Anders" }).waitFor();
    expect(await presenceOfA().getAttribute("data-state")).toBe("offline");
    expect(await pageB.page.getByTestId(`status-${a.user.id}`).count()).toBe(0);

    profileTabB = await pageB.context.newPage();
    await profileTabB.goto(`${e2e.url}/people/${a.user.id}`);
    await waitForHydration(profileTabB);
    await waitForRealtime(profileTabB);
    expect(await profileTabB.getByTestId(`presence-${a.user.id}`).getAttribute("data-state")).toBe("offline");

    // A marker that a reload would wipe.
    for (const p of [page, profileTabB]) await p.evaluate(() => ((window as unknown as { __noReload: boolean }).__noReload = true));
  });

  it("A signs in and B sees A online without reloading", async () => {
    await signIn(pageA.page, e2e.url, a.user.email, a.password);
    await waitForRealtime(pageA.page);
    await pageB.page.locator(`[data-testid="presence-${a.user.id}"][data-state="online"]`).waitFor();
    expect(await presenceOfA().innerText()).toContain("Online");
    await profileTabB.locator(`[data-testid="presence-${a.user.id}"][data-state="online"]`).waitFor();
    expect(await e2e.app.atrium.presence.stateOf(a.user.id)).toBe("online");
  });

  it("A sets a status on their profile and B's page shows it live", async () => {
    const { page } = pageA;
    await page.getByRole("link", { name: /^Your profile/ }).click();
    await page.waitForURL((u) => u.pathname === `/people/${a.user.id}`);
    await page.getByLabel("Emoji").fill("🚀");
    await page.getByLabel("Status", { exact: true }).fill("Shipping the directory");
    await page.getByRole("button", { name: "Set status" }).click();

    const statusOnB = pageB.page.getByTestId(`status-${a.user.id}`);
    await statusOnB.filter({ hasText: "Shipping the directory" }).waitFor();
    expect(await statusOnB.innerText()).toContain("🚀");
    await profileTabB.getByTestId(`status-${a.user.id}`).filter({ hasText: "Shipping the directory" }).waitFor();
    // A's own page shows it too, and it was stored.
    await page.getByTestId(`status-${a.user.id}`).filter({ hasText: "Shipping the directory" }).waitFor();
    const row = await e2e.app.atrium.db.user.findUniqueOrThrow({ where: { id: a.user.id } });
    expect([row.statusEmoji, row.statusText]).toEqual(["🚀", "Shipping the directory"]);
    // Navigating inside the app keeps one presence: A is still online for B.
    expect(await presenceOfA().getAttribute("data-state")).toBe("online");
  });

  it("A's tab going to the background makes A away for B, and coming back makes A online", async () => {
    const setVisibility = (state: "hidden" | "visible") =>
      pageA.page.evaluate((v) => {
        Object.defineProperty(document, "visibilityState", { value: v, configurable: true });
        document.dispatchEvent(new Event("visibilitychange"));
      }, state);
    await setVisibility("hidden");
    await pageB.page.locator(`[data-testid="presence-${a.user.id}"][data-state="away"]`).waitFor();
    expect(await presenceOfA().innerText()).toContain("Away");
    await setVisibility("visible");
    await pageB.page.locator(`[data-testid="presence-${a.user.id}"][data-state="online"]`).waitFor();
  });

  it("presence is per person, not per tab: closing one of A's two tabs keeps A online", async () => {
    // Record every state B's page shows for A, to catch even a brief flicker to offline.
    await pageB.page.evaluate((id) => {
      const w = window as unknown as { __seen: string[] };
      w.__seen = [];
      const el = document.querySelector(`[data-testid="presence-${id}"]`)!;
      new MutationObserver(() => w.__seen.push(el.getAttribute("data-state") ?? "")).observe(el, { attributes: true });
    }, a.user.id);
    const second = await pageA.context.newPage();
    await second.goto(`${e2e.url}/people`);
    await waitForRealtime(second);
    const presence = e2e.app.atrium.presence;
    await expect.poll(() => presence.socketsOf(a.user.id).length).toBe(2);
    await second.close();
    // The server has seen the tab go; with the first tab still open no offline countdown runs,
    // so nothing can turn A offline later.
    await expect.poll(() => presence.socketsOf(a.user.id).length).toBe(1);
    expect(presence.offlinePending(a.user.id)).toBe(false);
    expect(await presenceOfA().getAttribute("data-state")).toBe("online");
    expect(e2e.app.atrium.presence.stateOf(a.user.id)).toBe("online");
    expect(await pageB.page.evaluate(() => (window as unknown as { __seen: string[] }).__seen)).not.toContain("offline");
  });

  it("A closes their last page and, after the grace period, B sees A offline", async () => {
    const t0 = Date.now();
    await pageA.page.close();
    await pageB.page.locator(`[data-testid="presence-${a.user.id}"][data-state="offline"]`).waitFor();
    // The grace period (PRESENCE_GRACE_MS, 300 ms in tests) applies: never sooner, however slow
    // the machine (how soon after it is a benchmark's business, not this test's).
    expect(Date.now() - t0).toBeGreaterThanOrEqual(300);
    expect(e2e.app.atrium.presence.stateOf(a.user.id)).toBe("offline");
    await profileTabB.locator(`[data-testid="presence-${a.user.id}"][data-state="offline"]`).waitFor();
    for (const p of [pageB.page, profileTabB]) {
      expect(await p.evaluate(() => (window as unknown as { __noReload?: boolean }).__noReload)).toBe(true);
    }
    expect(pageB.pageErrors).toEqual([]);
  });
});
