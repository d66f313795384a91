/** A member edits their own profile in a real browser: fields, a skill, bad input, a photo. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { makeUser } from "../helpers/app.js";
import { captureFailures, signIn, startE2E, waitForHydration, type E2E, type UserPage } from "./helpers/browser.js";

// A valid 1×1 PNG.
const TINY_PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==",
  "base64",
);

let e2e: E2E;
captureFailures(() => e2e);
/** One member, signed in once; each test starts from a fresh load of their edit page. */
let me: Awaited<ReturnType<typeof makeUser>>;
let mine: UserPage;

beforeAll(async () => {
  e2e = await startE2E();
  me = await makeUser(e2e.app.atrium, { name: "Grace Hopper" });
  mine = await e2e.newUser();
  await signIn(mine.page, e2e.url, me.user.email, me.password);
});
afterAll(async () => {
  await e2e?.close();
});

const readUser = (id: string) =>
  e2e.app.atrium.db.user.findUniqueOrThrow({ where: { id }, include: { skills: { include: { skill: true } } } });

/** Straight to the edit page (the first test gets there by clicking). */
async function gotoEditPage(page: Page, id: string) {
  await page.goto(`${e2e.url}/people/${id}/edit`);
  await page.getByRole("heading", { name: /^Edit profile/ }).waitFor();
  await waitForHydration(page);
}

async function openOwnEditPage(page: Page, id: string) {
  await page.getByRole("link", { name: /^Your profile/ }).click();
  await page.waitForURL((u) => u.pathname === `/people/${id}`);
  await page.getByRole("link", { name: "Edit profile" }).click();
  await page.waitForURL((u) => u.pathname === `/people/${id}/edit`);
  await page.getByRole("heading", { name: /^Edit profile/ }).waitFor();
  await waitForHydration(page);
}

describe("edit own profile", () => {
  it("saves name, bio, location, time zone and a skill, and the profile page shows them", async () => {
    const { page, pageErrors } = mine;
    await openOwnEditPage(page, me.user.id);

    await page.getByLabel("Name", { exact: true }).fill("Grace B. Hopper");
    await page.getByLabel("Bio").fill("Compilers, COBOL and\nnanoseconds.");
    await page.getByLabel("Location").fill("Arlington");
    await page.getByLabel("Time zone").selectOption("America/New_York");
    await page.getByLabel("Skill 1", { exact: true }).fill("kubernetes");
    await page.getByLabel("Level for skill 1").selectOption({ label: "Ask me about" });
    await page.getByRole("button", { name: "Save profile" }).click();

    await page.waitForURL((u) => u.pathname === `/people/${me.user.id}`);
    await page.getByTestId("profile-name").filter({ hasText: "Grace B. Hopper" }).waitFor();
    expect(await page.getByTestId("bio").textContent()).toBe("Compilers, COBOL and\nnanoseconds.");
    expect(await page.getByText("Arlington", { exact: true }).count()).toBe(1);
    expect(await page.locator('.local-time[title="America/New_York"]').count()).toBeGreaterThan(0);
    // The skill is listed under its level's heading.
    const expertise = page.locator("section", { has: page.getByRole("heading", { name: "Skills" }) });
    expect(await expertise.getByRole("heading", { name: "Ask me about" }).count()).toBe(1);
    expect(await expertise.getByRole("link", { name: "kubernetes" }).count()).toBe(1);

    const row = await readUser(me.user.id);
    expect(row).toMatchObject({ name: "Grace B. Hopper", location: "Arlington", timeZone: "America/New_York" });
    expect(row.skills.map((s) => [s.skill.name, s.level])).toEqual([["kubernetes", "expert"]]);
    expect(pageErrors).toEqual([]);
  });

  it("shows field-level messages for bad input and writes nothing", async () => {
    const before = await readUser(me.user.id);
    const { page } = mine;
    await gotoEditPage(page, me.user.id);

    await page.getByLabel("Name", { exact: true }).fill("Changed Name");
    await page.getByLabel("Bio").fill("This bio must not be saved.");
    await page.getByLabel("Link 1 label").fill("Homepage");
    await page.getByLabel("Link 1 address").fill("not a url");
    await page.getByRole("button", { name: "Save profile" }).click();

    await page.getByTestId("form-error").waitFor();
    expect(new URL(page.url()).pathname).toBe(`/people/${me.user.id}/edit`);
    // The message sits next to the link address field, and what was typed is kept.
    const linkField = page.locator(".field", { has: page.getByLabel("Link 1 address") });
    expect(await linkField.getByRole("alert").textContent()).toContain("Enter a full address starting with https://");
    expect(await page.getByLabel("Link 1 address").inputValue()).toBe("not a url");
    expect(await page.getByLabel("Name", { exact: true }).inputValue()).toBe("Changed Name");

    // Now an empty name: its own message, next to the name field.
    await page.getByLabel("Link 1 address").fill("https://example.test/grace");
    await page.getByLabel("Name", { exact: true }).fill("   ");
    await page.getByRole("button", { name: "Save profile" }).click();
    const nameField = page.locator(".field", { has: page.getByLabel("Name", { exact: true }) });
    await nameField.getByRole("alert").filter({ hasText: "Name is required." }).waitFor();
    expect(await linkField.getByRole("alert").count()).toBe(0);

    const after = await readUser(me.user.id);
    expect(after).toEqual(before);
  });

  it("bounds a bio at 2,000 characters, and the server refuses a longer one", async () => {
    const { page } = mine;
    await gotoEditPage(page, me.user.id);
    const before = await readUser(me.user.id);

    // The browser enforces maxlength on typing; bypassing it (as a script could) still fails on the server.
    await page.getByLabel("Bio").evaluate((el, v) => {
      const ta = el as HTMLTextAreaElement;
      ta.removeAttribute("maxlength");
      ta.value = v;
    }, "x".repeat(2001));
    await page.getByRole("button", { name: "Save profile" }).click();
    const bioField = page.locator(".field", { has: page.getByLabel("Bio") });
    await bioField.getByRole("alert").filter({ hasText: "Bio must be at most 2000 characters." }).waitFor();
    expect(await readUser(me.user.id)).toEqual(before);
  });
});

describe("profile photo", () => {
  it("accepts a small PNG and shows it; refuses a text file named .png", async () => {
    const { page } = mine;
    await gotoEditPage(page, me.user.id);
    const photoSection = page.locator("section", { has: page.getByRole("heading", { name: "Photo" }) });
    expect(await photoSection.locator("img").count()).toBe(0);

    await page.getByLabel(/^Upload a photo/).setInputFiles({ name: "me.png", mimeType: "image/png", buffer: TINY_PNG });
    await page.getByRole("button", { name: "Upload photo" }).click();
    await page.getByRole("status").filter({ hasText: "Photo updated." }).waitFor();
    const img = photoSection.locator("img.avatar");
    await img.waitFor();
    const src = await img.getAttribute("src");
    expect(src).toMatch(new RegExp(`^/uploads/${me.user.id}-[0-9a-f]+\\.png$`));
    // The browser really loaded it.
    await page.waitForFunction((el) => (el as HTMLImageElement).complete && (el as HTMLImageElement).naturalWidth === 1, await img.elementHandle());
    const stored = (await readUser(me.user.id)).photoPath;
    expect(stored).toBe(src!.replace("/uploads/", ""));

    await page.getByLabel(/^Upload a photo/).setInputFiles({
      name: "not-really.png",
      mimeType: "image/png",
      buffer: Buffer.from("just some text, not an image\n"),
    });
    await page.getByRole("button", { name: "Upload photo" }).click();
    const photoField = photoSection.locator(".field");
    await photoField.getByRole("alert").filter({ hasText: "Photos must be PNG, JPEG, GIF or WebP images." }).waitFor();
    expect((await readUser(me.user.id)).photoPath).toBe(stored);
    expect(await photoSection.locator("img.avatar").getAttribute("src")).toBe(src);
  });
});
