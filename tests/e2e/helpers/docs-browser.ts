/**
 * Browser helpers for the documents e2e tests (generic ones come from ./browser.ts).
 */
import type { Page } from "playwright-core";
import { waitForHydration } from "./browser.js";

export const editorOf = (page: Page) => page.locator('[data-testid="doc-editor"]');

/** Opens a document and waits until its editor is connected and synced. */
export async function openDoc(page: Page, baseUrl: string, docId: string) {
  await page.goto(`${baseUrl}/docs/${docId}`);
  await waitForHydration(page);
  await page.locator('[data-testid="doc-connection"][data-state="connected"]').waitFor({ timeout: 10_000 });
  await editorOf(page).waitFor();
}

/** Puts the caret at the very end of the document. */
export async function caretToEnd(page: Page) {
  await editorOf(page).click();
  await page.keyboard.press("Control+End");
}

/** The editor's text, paragraphs joined by newlines. */
export const editorText = (page: Page) => editorOf(page).evaluate((el) => (el as HTMLElement).innerText.replace(/\n+/g, "\n").trim());

export async function waitForText(page: Page, text: string, timeout = 5_000) {
  await page.waitForFunction(
    ([t]) => (document.querySelector('[data-testid="doc-editor"]') as HTMLElement | null)?.innerText.includes(t!),
    [text],
    { timeout },
  );
}
