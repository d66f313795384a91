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
let docId = "";
let admin: Awaited<ReturnType<typeof makeUser>>;

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
  const space = (await e2e.app.atrium.db.space.findFirstOrThrow({ where: { kind: "company" } })).id;
  // Real-looking content: sections in the history's comparison, a long customer account name in
  // the insight form's select (a select is as wide as its longest option).
  const markdown = "Notes kept before the first heading.\n\n# Phone-width reading notes\n\nWhat we read.\n\n## Accessibility review of the onboarding checklist\n\nFindings.\n";
  docId = (await e2e.app.atrium.domain.docs.importMarkdown(me.actor, { title: "Phone-width reading notes", markdown, spaceId: space })).id;
  await e2e.app.atrium.domain.docs.captureRevision(me.actor, docId);
  admin = await makeUser(e2e.app.atrium, { role: "admin", name: "Ada Admin" });
  await e2e.app.atrium.domain.insights.createAccount(admin.actor, { name: "Globex Corporation — strategic enterprise account for EMEA and APAC" });
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

describe("focus after a client-side navigation", () => {
  const announcer = (page: Page) => page.getByTestId("route-announcer");

  it("moves focus to the new page's heading and announces it; the first load does neither", async () => {
    const { page } = desktop;
    await page.goto(`${e2e.url}/`);
    await waitForHydration(page);
    expect(await announcer(page).textContent()).toBe("");
    expect((await focused(page)).tag).toBe("body");

    const nav = page.getByRole("navigation", { name: "Main" });
    await nav.getByRole("link", { name: "People", exact: true }).click();
    await page.waitForURL((u) => u.pathname === "/people");
    await expect.poll(() => focused(page)).toMatchObject({ tag: "h1", text: "People" });
    expect(await page.locator("main h1").getAttribute("tabindex")).toBe("-1");
    await expect.poll(() => announcer(page).textContent()).toMatch(/People/);
    expect(await announcer(page).getAttribute("aria-live")).toBe("polite");

    await nav.getByRole("link", { name: "Questions", exact: true }).press("Enter");
    await page.waitForURL((u) => u.pathname === "/questions");
    await expect.poll(() => focused(page)).toMatchObject({ tag: "h1" });
    await expect.poll(() => announcer(page).textContent()).toMatch(/Questions/);
  });

  it("keeps focus in a filter field while typing changes only the query", async () => {
    const { page } = desktop;
    await page.goto(`${e2e.url}/people`);
    await waitForHydration(page);
    const field = page.getByRole("search", { name: "Directory" }).getByRole("searchbox").first();
    await field.click();
    await field.pressSequentially("wcag");
    await page.waitForURL((u) => u.searchParams.get("q") === "wcag");
    await page.locator("main").getByRole("heading", { name: "Kay Keyboard" }).waitFor();
    expect(await page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.value)).toBe("wcag");
    expect(await announcer(page).textContent()).toBe("");
  });
});

/** The main pages a person opens from the menu (plus a profile and its edit form). */
const phonePaths = () => ["/", "/people", "/people?q=wcag", `/people/${me.user.id}`, `/people/${me.user.id}/edit`, "/questions", "/questions/ask", "/docs", `/docs/${docId}`, `/docs/${docId}/history`, "/insights", "/insights/new", "/search?q=wcag", "/dashboard", "/notifications", "/account"];

describe("phone-width layout (375 px)", () => {
  it("has no horizontal scrolling and a header of one short row on every main page", async () => {
    const { page } = await e2e.newUser({ viewport: { width: 375, height: 740 }, isMobile: true, hasTouch: true });
    await signIn(page, e2e.url, me.user.email, me.password, { expectPath: "/" });

    for (const path of phonePaths()) {
      await page.goto(`${e2e.url}${path}`);
      await waitForHydration(page);
      await page.locator("main h1").first().waitFor();
      const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
      expect(scrollWidth, `horizontal overflow on ${path}`).toBeLessThanOrEqual(375);
      const header = (await page.locator("header.topbar").boundingBox())!;
      expect(header.height, `header height on ${path}`).toBeLessThanOrEqual(64);
      // Folded away: the section links are not shown until the menu opens.
      expect(await page.getByRole("navigation", { name: "Main" }).isVisible(), `nav hidden on ${path}`).toBe(false);
    }
  });

  it("has no horizontal scrolling on the admin pages with tables either (they scroll inside their box)", async () => {
    const { page } = await e2e.newUser({ viewport: { width: 375, height: 740 }, isMobile: true, hasTouch: true });
    await signIn(page, e2e.url, admin.user.email, admin.password, { expectPath: "/" });
    for (const path of ["/admin/users", "/admin/audit", "/admin/insight-rules", "/admin/insight-rules/accounts", "/admin/insight-rules/audit", "/admin/sso", "/admin/teams", "/admin/skills"]) {
      await page.goto(`${e2e.url}${path}`);
      await waitForHydration(page);
      await page.locator("main h1").first().waitFor();
      expect(await page.evaluate(() => document.documentElement.scrollWidth), `horizontal overflow on ${path}`).toBeLessThanOrEqual(375);
    }
    // The long account name is on the page, in a table that scrolls sideways by itself.
    await page.goto(`${e2e.url}/admin/insight-rules/accounts`);
    const box = page.locator(".table-scroll").filter({ has: page.getByTestId("accounts") });
    expect(await box.evaluate((el) => el.scrollWidth > el.clientWidth)).toBe(true);
  });

  it("opens the menu with its button, closes it with Escape (focus back on the button), and a link in it navigates", async () => {
    const { page } = await e2e.newUser({ viewport: { width: 375, height: 740 }, isMobile: true, hasTouch: true });
    await signIn(page, e2e.url, me.user.email, me.password, { expectPath: "/" });
    const button = page.getByRole("button", { name: "Menu" });
    expect(await button.getAttribute("aria-expanded")).toBe("false");
    const panelId = (await button.getAttribute("aria-controls"))!;
    expect(await page.locator(`[id="${panelId}"]`).count()).toBe(1);

    await button.click();
    expect(await button.getAttribute("aria-expanded")).toBe("true");
    const nav = page.getByRole("navigation", { name: "Main" });
    await nav.waitFor({ state: "visible" });
    expect(await page.locator(`[id="${panelId}"]`).isVisible()).toBe(true);
    // Focus moved into the menu.
    await expect.poll(() => page.evaluate((id) => !!document.getElementById(id)?.contains(document.activeElement), panelId)).toBe(true);
    for (const name of ["People", "Docs", "Questions", "Insights", "Dashboard"]) {
      const box = (await nav.getByRole("link", { name, exact: true }).boundingBox())!;
      expect(box.x, name).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width, name).toBeLessThanOrEqual(375);
    }
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);

    await page.keyboard.press("Escape");
    await nav.waitFor({ state: "hidden" });
    expect(await button.getAttribute("aria-expanded")).toBe("false");
    expect(await button.evaluate((b) => b === document.activeElement)).toBe(true);

    await button.click();
    await nav.getByRole("link", { name: "Insights", exact: true }).click();
    await page.waitForURL((u) => u.pathname === "/insights");
    await page.getByRole("heading", { level: 1, name: "Insights" }).waitFor();
    await nav.waitFor({ state: "hidden" });
    expect(await button.getAttribute("aria-expanded")).toBe("false");
    // The navigation moved focus to the new page's heading.
    await expect.poll(() => focused(page)).toMatchObject({ tag: "h1", text: "Customer insights" });
  });
});
