/**
 * The Ask form in Chromium: typing a title shows similar questions live, the earlier question it
 * duplicates is among them and choosing it opens that question; a title too short is refused with
 * a clear message and what was typed stays; a proper question posts.
 */
import { afterAll, beforeAll, expect, test } from "vitest";
import { makeUser } from "../helpers/app.js";
import { body } from "../server/questions/helpers.js";
import { signIn, startQaE2E, waitLive } from "./helpers/qa-browser.js";

let e2e: Awaited<ReturnType<typeof startQaE2E>>;
beforeAll(async () => {
  e2e = await startQaE2E();
});
afterAll(async () => {
  await e2e?.close();
});

test("similar questions while typing, the duplicate opens; a short title is refused keeping the text; posting works", async () => {
  const a = e2e.app.atrium;
  const asker = await makeUser(a, { name: "Olga Original" });
  const me = await makeUser(a, { name: "Nico Newcomer" });
  const original = await a.domain.questions.askQuestion(asker.actor, {
    title: "Expense report stuck waiting for manager approval",
    body: body("My travel expense report has been pending approval for two weeks."),
    tags: ["expenses"],
  });
  await a.domain.questions.askQuestion(asker.actor, { title: "Parking badge does not open the garage gate", body: body("Since Monday."), tags: ["parking"] });

  const { page } = await e2e.person();
  await signIn(page, e2e.url, me.user.email, me.password);
  await page.goto(`${e2e.url}/questions/ask`);
  await waitLive(page);
  await page.getByLabel("Title").pressSequentially("Expense report waiting for approval", { delay: 15 });
  const similar = page.getByTestId("similar-question");
  await expect.poll(() => similar.first().textContent()).toContain("Expense report stuck waiting for manager approval");
  expect(await page.getByTestId("similar-questions").textContent()).not.toContain("Parking badge");

  const [opened] = await Promise.all([page.context().waitForEvent("page"), similar.first().getByRole("link", { name: "Expense report stuck waiting for manager approval" }).click()]);
  await opened.waitForURL(new RegExp(`/questions/${original.id}$`));
  await expect.poll(() => opened.getByRole("heading", { level: 1 }).textContent()).toContain("Expense report stuck waiting for manager approval");
  await opened.close();

  // A title too short: the message says why, and the form keeps what was typed.
  const before = await a.db.question.count();
  await page.getByLabel("Title").fill("Help");
  const editor = page.locator('[data-testid="ask-body"] [contenteditable="true"]');
  await editor.click();
  await page.keyboard.type("The approval never arrives.");
  await page.getByTestId("post-question").click();
  await expect.poll(() => page.getByText("Title must be at least").count()).toBeGreaterThan(0);
  expect(await page.getByLabel("Title").inputValue()).toBe("Help");
  expect(await editor.textContent()).toContain("The approval never arrives.");
  expect(await a.db.question.count()).toBe(before);

  await page.getByLabel("Title").fill("Expense report approval never arrives for my manager");
  await page.getByLabel("Tags").fill("expenses");
  await page.getByTestId("post-question").click();
  await page.waitForURL(/\/questions\/[^/]+\?asked=1$/);
  await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toContain("Expense report approval never arrives for my manager");
  expect(await a.db.question.count()).toBe(before + 1);
});

test("posting without tags is refused with the reason beside the field, keeping the text; adding a tag posts", async () => {
  const a = e2e.app.atrium;
  const me = await makeUser(a, { name: "Tess Tagless" });
  const { page } = await e2e.person();
  await signIn(page, e2e.url, me.user.email, me.password);
  await page.goto(`${e2e.url}/questions/ask`);
  await waitLive(page);
  const before = await a.db.question.count();
  const title = "Which printer on the third floor prints in colour";
  await page.getByLabel("Title").fill(title);
  const editor = page.locator('[data-testid="ask-body"] [contenteditable="true"]');
  await editor.click();
  await page.keyboard.type("The one by the kitchen only prints black and white.");
  expect(await page.getByLabel("Tags").inputValue()).toBe("");
  await page.getByTestId("post-question").click();
  await expect.poll(() => page.locator("#tags-err").textContent()).toContain("Add at least one tag");
  expect(await page.getByLabel("Tags").getAttribute("aria-invalid")).toBe("true");
  expect(await page.getByLabel("Title").inputValue()).toBe(title);
  expect(await editor.textContent()).toContain("The one by the kitchen only prints black and white.");
  expect(page.url()).toMatch(/\/questions\/ask$/);
  expect(await a.db.question.count()).toBe(before);

  await page.getByLabel("Tags").fill("printing");
  await page.getByTestId("post-question").click();
  await page.waitForURL(/\/questions\/[^/]+\?asked=1$/);
  await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toContain(title);
  expect(await a.db.question.count()).toBe(before + 1);
});
