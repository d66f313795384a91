/**
 * Imported experts in Chromium: an admin finds a Stack Exchange placeholder on
 * /admin/imported-people, picks the colleague's account, merges, and the history moves with it.
 * A member who opens the page gets the forbidden page and nothing moves.
 */
import path from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import { importStackExchange } from "../../server/import/stackexchange.js";
import { makeUser } from "../helpers/app.js";
import { signIn, startE2E, type E2E } from "./helpers/browser.js";

const DUMP = path.resolve(import.meta.dirname, "../fixtures/stackexchange");
let e2e: E2E;

beforeAll(async () => {
  e2e = await startE2E();
  await importStackExchange(e2e.app.atrium.ctx, DUMP, { source: "stackexchange:se-fixture.example" });
});
afterAll(() => e2e?.close());

test("an admin merges an imported placeholder into a colleague's account; a member is refused and nothing moves", async () => {
  const db = e2e.app.atrium.db;
  const admin = await makeUser(e2e.app.atrium, { name: "Alex Admin", role: "admin" });
  const member = await makeUser(e2e.app.atrium, { name: "Mo Member" });
  const colleague = await makeUser(e2e.app.atrium, { name: "Samuel Solver" });
  const sam = await db.user.findFirstOrThrow({ where: { name: "Sam Solver" } });
  const samAnswers = await db.answer.count({ where: { authorId: sam.id } });
  expect(samAnswers).toBeGreaterThan(0);

  const { page: memberPage } = await e2e.newUser();
  await signIn(memberPage, e2e.url, member.user.email, member.password);
  const refused = await memberPage.goto(`${e2e.url}/admin/imported-people`);
  expect(refused?.status()).toBe(403);
  await expect.poll(() => memberPage.getByRole("button", { name: "Merge" }).count()).toBe(0);

  const { page } = await e2e.newUser();
  await signIn(page, e2e.url, admin.user.email, admin.password);
  await page.goto(`${e2e.url}/admin/imported-people`);
  const person = page.getByLabel("Imported person");
  await expect.poll(() => person.locator("option").allTextContents()).toContain("Sam Solver — imported from se-fixture.example (1 answer, 0 questions)");

  // Merging without choosing the account says so by the field, and moves nothing.
  await person.selectOption({ label: "Sam Solver — imported from se-fixture.example (1 answer, 0 questions)" });
  await page.getByRole("button", { name: "Merge" }).click();
  await expect.poll(() => page.getByText("Choose the account.").count()).toBeGreaterThan(0);
  expect(await db.answer.count({ where: { authorId: sam.id } })).toBe(samAnswers);

  await page.getByLabel("Imported person").selectOption({ label: "Sam Solver — imported from se-fixture.example (1 answer, 0 questions)" });
  await page.locator("select[name=accountId]").selectOption({ label: "Samuel Solver" });
  await page.getByRole("button", { name: "Merge" }).click();
  await expect.poll(() => page.getByText("Merged: 0 questions, 1 answer and 1 comment now belong to the account.").count()).toBe(1);
  expect(await db.answer.count({ where: { authorId: colleague.user.id } })).toBe(samAnswers);
  expect(await db.answer.count({ where: { authorId: sam.id } })).toBe(0);
  // The placeholder is no longer offered.
  await page.reload();
  expect(await page.getByText("Sam Solver — imported from", { exact: false }).count()).toBe(0);
});
