/**
 * Imported history is labelled in Chromium: on a question imported from a Stack Exchange dump, the
 * asker, the answerers and the commenters who are imported placeholders carry "Imported from
 * <site>" beside their names, a colleague does not, and at 375 px the page still fits its width.
 */
import path from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import { comment } from "../../server/domain/questions.js";
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

test("imported askers, answerers and commenters are labelled with their site; a colleague's name is not; fine at 375 px", async () => {
  const db = e2e.app.atrium.db;
  const member = await makeUser(e2e.app.atrium, { name: "Mo Member" });
  const q = await db.question.findFirstOrThrow({ where: { importSource: "stackexchange:se-fixture.example", importId: "1" }, include: { author: true } });
  const { page } = await e2e.newUser({ viewport: { width: 375, height: 800 } });
  await signIn(page, e2e.url, member.user.email, member.password);
  await page.goto(`${e2e.url}/questions/${q.id}`);

  const label = "Imported from se-fixture.example";
  const byline = page.locator(".qa-meta", { hasText: "Asked by" }).first();
  await expect.poll(() => byline.textContent()).toContain(`${q.author.name}${label}`);
  const answers = page.locator(".qa-meta", { hasText: "Answered by" });
  await expect.poll(() => answers.count()).toBeGreaterThan(0);
  for (const text of await answers.allTextContents()) expect(text).toContain(label);
  const comments = page.getByTestId("comment");
  await expect.poll(() => comments.count()).toBeGreaterThan(0);
  for (const text of await comments.allTextContents()) expect(text).toContain(label);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);

  // A colleague's comment on the same question carries no label.
  await page.getByTestId("question-comments").waitFor();
  await comment(e2e.app.atrium.ctx, member.actor, q.id, { body: "Seen this at our place too." });
  await page.reload();
  const mine = page.getByTestId("comment").filter({ hasText: "Seen this at our place too." });
  await expect.poll(() => mine.count()).toBe(1);
  expect(await mine.textContent()).not.toContain("Imported from");
});
