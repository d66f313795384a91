/** The app shell: keyboard-reachable, labelled navigation, a skip link, and a phone-width layout. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { makeUser } from "../helpers/app.js";
import { captureFailures, signIn, startE2E, waitForHydration, type E2E, type UserPage } from "./helpers/browser.js";

let e2e: E2E;
captureFailures(() => e2e);
let me: Awaited<ReturnType<typeof makeUser>>;
/** Desktop-sized, signed in once; each keyboard test loads a fresh document. */
let desktop: UserPage;

beforeAll(async () => {
  e2e = await startE2E();
  me = await makeUser(e2e.app.atrium, { name: "Kay Keyboard", title: "Accessibility lead" });
  await e2e.app.atrium.domain.people.updateProfile(me.actor, me.user.id, {
    name: me.user.name,
    timeZone: "Pacific/Auckland",
    location: "Wellington",
    bio: "A fairly long bio so the profile page has some text to wrap on a narrow screen. ".repeat(5),
    skills: [
      { name: "screen readers", level: "expert" },
      { name: "wcag", level: "expert" },
      { name: "typescript", level: "mentor" },
      { name: "rust", level: "learning" },
    ],
    links: [{ label: "A long personal website label", url: "https://example.test/a/very/long/path/that/should/not/overflow" }],
  });
  desktop = await e2e.newUser();
  await signIn(desktop.page, e2e.url, me.user.email, me.password, { expectPath: "/" });
});
afterAll(async () => {
  await e2e?.close();
});

/** What has keyboard focus: its accessible-ish name, tag and href. */
const focused = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    const labels = (el as HTMLInputElement | null)?.labels;
    return {
      tag: el?.tagName.toLowerCase() ?? "",
      text: (el?.getAttribute("aria-label") ?? labels?.[0]?.textContent ?? el?.textContent ?? "").trim(),
      href: el?.getAttribute("href") ?? null,
      id: el?.id ?? "",
    };
  });

describe("keyboard navigation", () => {
  it("starts with a skip link that moves focus to the main content", async () => {
    const { page } = desktop;
    await page.goto(`${e2e.url}/`); // fresh document: focus starts at the top
    await waitForHydration(page);

    await page.keyboard.press("Tab");
    expect(await focused(page)).toMatchObject({ tag: "a", text: "Skip to content", href: "#main" });
    // Off-screen until focused, then visible inside the viewport.
    const box = await page.getByRole("link", { name: "Skip to content" }).boundingBox();
    expect(box && box.x >= 0 && box.y >= 0 && box.width > 0).toBe(true);

    await page.keyboard.press("Enter");
    await expect.poll(() => focused(page).then((f) => f.id)).toBe("main");
    expect(new URL(page.url()).hash).toBe("#main");
  });

  it("reaches People, Docs, Questions, Insights and Dashboard with Tab, and Enter opens them", async () => {
    const { page } = desktop;
    await page.goto(`${e2e.url}/`);
    await waitForHydration(page);

    const nav = page.getByRole("navigation", { name: "Main" });
    for (const name of ["People", "Docs", "Questions", "Insights", "Dashboard"]) {
      expect(await nav.getByRole("link", { name, exact: true }).count()).toBe(1);
    }

    // Tab through the top of the page and record what gets focus, in order.
    const order: string[] = [];
    for (let i = 0; i < 9; i++) {
      await page.keyboard.press("Tab");
      order.push((await focused(page)).text);
    }
    // The sections, then the (labelled) search box and the bell.
    expect(order).toEqual(["Skip to content", "Atrium", "People", "Docs", "Questions", "Insights", "Dashboard", "Search everything", "Notifications, 0 unread"]);

    for (const [name, path, heading] of [
      ["People", "/people"],
      ["Docs", "/docs"],
      ["Questions", "/questions"],
      ["Insights", "/insights"],
      ["Dashboard", "/dashboard", "Return on Involvement"],
    ] as const) {
      await nav.getByRole("link", { name, exact: true }).focus();
      await page.keyboard.press("Enter");
      await page.waitForURL((u) => u.pathname === path);
      await page.getByRole("heading", { level: 1, name: heading ?? name }).waitFor();
      expect(await nav.getByRole("link", { name, exact: true }).getAttribute("aria-current")).toBe("page");
    }
  });

  it("labels the controls that have no visible text", async () => {
    const { page } = desktop;
    await page.goto(`${e2e.url}/`);
    await waitForHydration(page);
    expect(await page.getByRole("search").getByRole("searchbox", { name: "Search everything" }).count()).toBe(1);
    expect(await page.getByRole("link", { name: "Notifications, 0 unread" }).count()).toBe(1);
    expect(await page.getByRole("link", { name: "Your profile (Kay Keyboard)" }).count()).toBe(1);
    expect(await page.getByRole("button", { name: "Sign out" }).count()).toBe(1);
    expect(await page.getByRole("main").count()).toBe(1);
  });
});

describe("phone-width layout (375 px)", () => {
  it("keeps the navigation visible without horizontal scrolling", async () => {
    const { page } = await e2e.newUser({ viewport: { width: 375, height: 740 }, isMobile: true, hasTouch: true });
    await signIn(page, e2e.url, me.user.email, me.password, { expectPath: "/" });

    for (const path of ["/", "/people", `/people?q=wcag`, `/people/${me.user.id}`, `/people/${me.user.id}/edit`, "/notifications", "/docs"]) {
      await page.goto(`${e2e.url}${path}`);
      await waitForHydration(page);
      const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
      expect(scrollWidth, `horizontal overflow on ${path}`).toBeLessThanOrEqual(375 + 1);
      const nav = page.getByRole("navigation", { name: "Main" });
      for (const name of ["People", "Docs", "Questions", "Insights"]) {
        const link = nav.getByRole("link", { name, exact: true });
        expect(await link.isVisible(), `${name} visible on ${path}`).toBe(true);
        const box = (await link.boundingBox())!;
        expect(box.x, `${name} on ${path}`).toBeGreaterThanOrEqual(0);
        expect(box.x + box.width, `${name} on ${path}`).toBeLessThanOrEqual(375);
      }
    }
  });
});
