/**
 * Passwords in a real browser: change on /account, "forgot password" through the mail sink, and
 * an admin's set-password link to a person who has no password (like 57 of the seeded people).
 */
import { simpleParser } from "mailparser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { settlePasswordResets } from "../../server/domain/passwords.js";
import { startMailSink, type MailSink } from "../../server/mail/sink.js";
import { makeUser } from "../helpers/app.js";
import { captureFailures, sessionCookieOf, signIn, startE2E, waitForHydration, type E2E } from "./helpers/browser.js";

const APP_URL = "https://atrium.example.com";
let e2e: E2E;
let sink: MailSink;
captureFailures(() => e2e);

beforeAll(async () => {
  sink = await startMailSink();
  e2e = await startE2E({ env: { SMTP_URL: sink.url, APP_URL } });
});
afterAll(async () => {
  await settlePasswordResets();
  await e2e?.close();
  await sink?.close();
});

/** The set-password link in the newest mail to `to` (after `since` messages), as a path on the test server. */
async function linkFor(to: string, since: number) {
  await expect.poll(() => sink.messages.slice(since).filter((m) => m.to.includes(to)).length).toBe(1);
  const mail = await simpleParser(sink.messages.slice(since).find((m) => m.to.includes(to))!.raw);
  const url = /https:\/\/atrium\.example\.com\/reset-password\?token=[A-Za-z0-9_-]{43}/.exec(mail.text ?? "")?.[0];
  expect(url, mail.text).toBeDefined();
  const u = new URL(url!);
  return `${e2e.url}${u.pathname}${u.search}`;
}

async function expectSignInRefused(page: E2E["users"][number]["page"], email: string, password: string) {
  await page.goto(`${e2e.url}/login`);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByTestId("login-error").waitFor();
  expect(new URL(page.url()).pathname).toBe("/login");
}

describe("passwords", () => {
  it("changes the password on /account: a wrong current one is refused, then the old one no longer signs in", async () => {
    const cora = await makeUser(e2e.app.atrium, { name: "Cora Change", email: "cora@example.test" });
    const { page, context } = await e2e.newUser();
    await signIn(page, e2e.url, cora.user.email, cora.password);
    await page.goto(`${e2e.url}/account`);
    await waitForHydration(page);
    await page.getByLabel("Current password").fill("not-my-password");
    await page.getByLabel("New password").fill("plum orbit lantern quietly");
    await page.getByRole("button", { name: "Change password" }).click();
    await page.getByText("That is not your current password.").waitFor();

    await page.getByLabel("Current password").fill(cora.password);
    await page.getByLabel("New password").fill("password12345");
    await page.getByRole("button", { name: "Change password" }).click();
    await page.getByText(/too easy to guess/).waitFor();

    await page.getByLabel("Current password").fill(cora.password);
    await page.getByLabel("New password").fill("plum orbit lantern quietly");
    await page.getByRole("button", { name: "Change password" }).click();
    await page.getByTestId("password-status").filter({ hasText: "Your password was changed." }).waitFor();
    // Still signed in here.
    await page.goto(`${e2e.url}/account`);
    expect(new URL(page.url()).pathname).toBe("/account");

    await context.clearCookies();
    await expectSignInRefused(page, cora.user.email, cora.password);
    await signIn(page, e2e.url, cora.user.email, "plum orbit lantern quietly");
    expect(await sessionCookieOf(context)).toBeDefined();
  });

  it("forgot password: the link from the mail sets a new password and signs the person in; the link then shows a clear 410 page", async () => {
    const fern = await makeUser(e2e.app.atrium, { name: "Fern Forgot", email: "fern@example.test" });
    const { page } = await e2e.newUser();
    await page.goto(`${e2e.url}/login`);
    await page.getByRole("link", { name: "Forgot your password?" }).click();
    await page.waitForURL(`${e2e.url}/forgot-password`);
    const since = sink.messages.length;
    await page.getByLabel("Email").fill(fern.user.email);
    await page.getByRole("button", { name: "Send me a link" }).click();
    await page.getByRole("heading", { name: "Check your email" }).waitFor();
    const link = await linkFor(fern.user.email, since);

    await page.goto(link);
    await page.getByRole("heading", { name: "Set a new password" }).waitFor();
    await page.getByLabel("New password").fill("short");
    await page.getByRole("button", { name: "Set password and sign in" }).click();
    await page.getByText("Password must be at least 12 characters.").waitFor();
    await page.getByLabel("New password").fill("tangerine window seventeen");
    await page.getByRole("button", { name: "Set password and sign in" }).click();
    await page.waitForURL((u) => u.pathname === "/");
    await page.getByRole("button", { name: "Sign out" }).waitFor();

    const again = await page.goto(link);
    expect(again?.status()).toBe(410);
    await page.getByRole("heading", { name: "This link cannot be used" }).waitFor();

    const other = (await e2e.newUser()).page;
    await signIn(other, e2e.url, fern.user.email, "tangerine window seventeen");
  });

  it("an unknown address gets the very same page", async () => {
    const { page } = await e2e.newUser();
    await page.goto(`${e2e.url}/forgot-password`);
    await page.getByLabel("Email").fill("nobody-at-all@example.test");
    await page.getByRole("button", { name: "Send me a link" }).click();
    const known = await page.getByTestId("reset-requested").textContent();
    const { page: p2 } = await e2e.newUser();
    await p2.goto(`${e2e.url}/forgot-password`);
    await p2.getByLabel("Email").fill("cora@example.test");
    await p2.getByRole("button", { name: "Send me a link" }).click();
    expect(await p2.getByTestId("reset-requested").textContent()).toBe(known);
  });

  it("an admin sends a set-password link to a person with no password, who sets one and signs in", async () => {
    const admin = await makeUser(e2e.app.atrium, { role: "admin", name: "Ada Admin", email: "ada@example.test" });
    const nell = await e2e.app.atrium.db.user.create({ data: { email: "nell@example.test", name: "Nell Nopass" } });
    const { page } = await e2e.newUser();
    await signIn(page, e2e.url, admin.user.email, admin.password);
    await page.goto(`${e2e.url}/admin/users?q=nell`);
    await waitForHydration(page);
    const since = sink.messages.length;
    await page.getByRole("button", { name: "Send set-password link to Nell Nopass" }).click();
    await page.getByText("An invitation was sent to Nell Nopass (nell@example.test).").waitFor();
    const link = await linkFor(nell.email, since);

    const { page: nellPage } = await e2e.newUser();
    await nellPage.goto(link);
    await nellPage.getByRole("heading", { name: "Choose your password" }).waitFor();
    await nellPage.getByLabel("New password").fill("violet harbour compass");
    await nellPage.getByRole("button", { name: "Set password and sign in" }).click();
    await nellPage.waitForURL((u) => u.pathname === "/");
    await nellPage.getByRole("button", { name: "Sign out" }).click();
    await nellPage.waitForURL((u) => u.pathname === "/login");
    await signIn(nellPage, e2e.url, nell.email, "violet harbour compass");
  });
});
