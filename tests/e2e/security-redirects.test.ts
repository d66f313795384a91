/**
 * Open redirects in a real browser: Chromium drops a tab or newline in a URL and reads a backslash
 * as a slash, so `/login?redirectTo=%2F%09%2Fevil.example%2F` once took a person who signed in to
 * evil.example. Signing in with each hostile target, with JavaScript (Remix navigates) and without
 * (the browser follows the Location itself), must end on this app's home page and never request
 * evil.example.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeUser } from "../helpers/app.js";
import { captureFailures, startE2E, type E2E, type UserPage } from "./helpers/browser.js";

let e2e: E2E;
captureFailures(() => e2e);
let rae: Awaited<ReturnType<typeof makeUser>>;

beforeAll(async () => {
  e2e = await startE2E();
  rae = await makeUser(e2e.app.atrium, { name: "Rae Redirect", email: "rae@example.test" });
});
afterAll(async () => {
  await e2e?.close();
});

const TARGETS = ["%2F%09%2Fevil.example%2F", "%2F%5Cevil.example", "%2F%0D%0A%2Fevil.example", "https%3Aevil.example", "%2F%2Fevil.example", "%2F%E3%80%80%2Fevil.example", "javascript%3Aalert(document.domain)"];

async function signInWith(user: UserPage, encodedTarget: string) {
  const { page, context } = user;
  const foreign: string[] = [];
  await context.route((u) => u.hostname.endsWith("evil.example"), (route) => {
    foreign.push(route.request().url());
    return route.abort();
  });
  const dialogs: string[] = [];
  page.on("dialog", (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await page.goto(`${e2e.url}/login?redirectTo=${encodedTarget}`);
  await page.getByLabel("Email").fill(rae.user.email);
  await page.getByLabel("Password").fill(rae.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((u) => u.origin !== e2e.url || u.pathname !== "/login");
  await page.waitForLoadState("load");
  return { foreign, dialogs, url: new URL(page.url()) };
}

describe("signing in with a hostile redirectTo", () => {
  for (const target of TARGETS) {
    it(`with JavaScript: ${target} lands on this app's home page`, async () => {
      const user = await e2e.newUser();
      const { foreign, dialogs, url } = await signInWith(user, target);
      expect(url.origin).toBe(e2e.url);
      expect(url.pathname).toBe("/");
      expect(foreign).toEqual([]);
      expect(dialogs).toEqual([]);
      await user.context.close();
    });
  }

  for (const target of TARGETS.slice(0, 4)) {
    it(`without JavaScript: ${target} lands on this app's home page`, async () => {
      const user = await e2e.newUser({ javaScriptEnabled: false });
      const { foreign, url } = await signInWith(user, target);
      expect(url.origin).toBe(e2e.url);
      expect(url.pathname).toBe("/");
      expect(foreign).toEqual([]);
      await user.context.close();
    });
  }
});
