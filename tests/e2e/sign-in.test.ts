/** A person signs in and out in a real browser; what they type is shown, never run. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeUser } from "../helpers/app.js";
import { captureFailures, sessionCookieOf, signIn, startE2E, waitForHydration, type E2E, RESEND_ON_RESET } from "./helpers/browser.js";

let e2e: E2E;
captureFailures(() => e2e);
let ada: Awaited<ReturnType<typeof makeUser>>;

beforeAll(async () => {
  e2e = await startE2E();
  ada = await makeUser(e2e.app.atrium, { name: "Ada Lovelace", email: "ada@example.test" });
});
afterAll(async () => {
  await e2e?.close();
});

const sessionsOf = (userId: string) => e2e.app.atrium.db.session.count({ where: { userId } });

describe("sign in", () => {
  it("sends an unauthenticated visitor of / to the login page", async () => {
    const { page } = await e2e.newUser();
    const res = await page.goto(`${e2e.url}/`);
    expect(new URL(page.url()).pathname).toBe("/login");
    expect(res?.status()).toBe(200);
    await expect(page.getByRole("heading", { name: "Sign in to Atrium" }).isVisible()).resolves.toBe(true);
  });

  it("refuses a wrong password with a message and starts no session", async () => {
    const { page, context } = await e2e.newUser();
    await page.goto(`${e2e.url}/login`);
    await page.getByLabel("Email").fill(ada.user.email);
    await page.getByLabel("Password").fill("not-the-password");
    await page.getByRole("button", { name: "Sign in" }).click();
    const error = page.getByTestId("login-error");
    await error.waitFor();
    expect(await error.textContent()).toContain("Email or password is incorrect.");
    expect(new URL(page.url()).pathname).toBe("/login");
    expect(await sessionCookieOf(context)).toBeUndefined();
    expect(await sessionsOf(ada.user.id)).toBe(0);
    // Still signed out: the home page sends them back to the form.
    await page.goto(`${e2e.url}/`);
    expect(new URL(page.url()).pathname).toBe("/login");
  });

  it("lands on the home page after a correct sign-in, and sign out returns to /login", async () => {
    const { page, context } = await e2e.newUser();
    await signIn(page, e2e.url, ada.user.email, ada.password, { expectPath: "/" });
    await page.getByRole("heading", { name: "Welcome, Ada" }).waitFor();
    expect(await sessionCookieOf(context)).toBeTruthy();
    expect(await sessionsOf(ada.user.id)).toBe(1);

    // A second tab of the same session, live.
    const otherTab = await context.newPage();
    await otherTab.goto(`${e2e.url}/people`);
    await otherTab.locator('[data-testid="connection"][data-state="connected"]').waitFor({ state: "attached" });

    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL((u) => u.pathname === "/login");
    // The other tab is told its session ended (the message went out)...
    await otherTab.getByText("Your session ended").waitFor();
    // ...and the tab that signed out is not (that message is for other tabs).
    expect(new URL(page.url()).search).toBe("");
    expect(await page.getByText("Your session ended").count()).toBe(0);
    await otherTab.close();
    expect(await sessionCookieOf(context)).toBeUndefined();
    expect(await sessionsOf(ada.user.id)).toBe(0);
    await page.goto(`${e2e.url}/people`);
    expect(new URL(page.url()).pathname).toBe("/login");
  });

  it("returns to the page that asked for sign-in (redirectTo)", async () => {
    const { page } = await e2e.newUser();
    await page.goto(`${e2e.url}/people?q=ada`);
    const url = new URL(page.url());
    expect(url.pathname).toBe("/login");
    expect(url.searchParams.get("redirectTo")).toBe("/people?q=ada");
    await signIn(page, e2e.url, ada.user.email, ada.password, { expectPath: "/people" });
    expect(new URL(page.url()).search).toBe("?q=ada");
    await page.getByRole("heading", { name: "People" }).waitFor();
  });

  it("ignores a redirectTo that points off the site", async () => {
    const { page } = await e2e.newUser();
    await page.goto(`${e2e.url}/login?redirectTo=${encodeURIComponent("//example.com/phish")}`);
    await signIn(page, e2e.url, ada.user.email, ada.password);
    const url = new URL(page.url());
    expect(url.origin).toBe(e2e.url);
    expect(url.pathname).toBe("/");
  });

  it("“Sign out everywhere” on the account page ends this browser's session and the other device's", async () => {
    const grace = await makeUser(e2e.app.atrium, { name: "Grace Hopper" });
    const laptop = await e2e.newUser();
    const phone = await e2e.newUser();
    await signIn(laptop.page, e2e.url, grace.user.email, grace.password, { expectPath: "/" });
    await signIn(phone.page, e2e.url, grace.user.email, grace.password, { expectPath: "/" });
    expect(await sessionsOf(grace.user.id)).toBe(2);

    await laptop.page.goto(`${e2e.url}/account`);
    await waitForHydration(laptop.page);
    await laptop.page.getByRole("button", { name: "Sign out everywhere" }).click();
    await laptop.page.waitForURL((u) => u.pathname === "/login" && u.searchParams.get("ended") === "1");
    await laptop.page.getByText("Your session ended. Please sign in again.").waitFor();
    expect(await sessionsOf(grace.user.id)).toBe(0);
    // The other device is signed out too: its next page asks it to sign in.
    await phone.page.goto(`${e2e.url}/people`);
    expect(new URL(phone.page.url()).pathname).toBe("/login");
  });

  it("a post to the account page without a known intent ends no session", async () => {
    const { page, context } = await e2e.newUser();
    await signIn(page, e2e.url, ada.user.email, ada.password, { expectPath: "/" });
    const before = await sessionsOf(ada.user.id);
    const res = await context.request.post(`${e2e.url}/account`, { ...RESEND_ON_RESET, form: { intent: "" }, headers: { origin: e2e.url }, maxRedirects: 0 });
    expect(res.status()).toBe(400);
    expect(await sessionsOf(ada.user.id)).toBe(before);
    await page.goto(`${e2e.url}/account`);
    expect(new URL(page.url()).pathname).toBe("/account");
  });
});

describe("text that looks like HTML", () => {
  it("is shown verbatim and never executed", async () => {
    const { page, pageErrors } = await e2e.newUser();
    const bio = `<img src=x onerror="window.__pwned=1"> hello`;
    const location = `<script>window.__pwned=2</script>`;
    await signIn(page, e2e.url, ada.user.email, ada.password);
    await page.goto(`${e2e.url}/people/${ada.user.id}/edit`);
    await waitForHydration(page);
    await page.getByLabel("Bio").fill(bio);
    await page.getByLabel("Location").fill(location);
    await page.getByRole("button", { name: "Save profile" }).click();
    await page.waitForURL((u) => u.pathname === `/people/${ada.user.id}`);

    const shown = page.getByTestId("bio");
    await shown.waitFor();
    expect(await shown.textContent()).toBe(bio);
    expect(await shown.locator("img").count()).toBe(0);
    expect(await page.getByText(location).count()).toBe(1);

    // Stored as typed, too.
    const row = await e2e.app.atrium.db.user.findUniqueOrThrow({ where: { id: ada.user.id } });
    expect(row.bio).toBe(bio);
    expect(row.location).toBe(location);

    // Reload the page cold (server-rendered HTML) and check nothing ran either way.
    await page.reload();
    await waitForHydration(page);
    await page.getByTestId("bio").waitFor();
    // Positive control: an image that fails the same way, added now, fires its onerror; once it
    // has, the page's own markup would have fired too if it had been parsed as HTML.
    await page.evaluate(() => {
      const img = document.createElement("img");
      img.onerror = () => ((window as unknown as { __control?: number }).__control = 1);
      img.src = "x-control";
      document.body.append(img);
    });
    await page.waitForFunction(() => (window as unknown as { __control?: number }).__control === 1);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.locator('img[src="x"]').count()).toBe(0);
    expect(pageErrors).toEqual([]);
  });
});
