/**
 * Browser helpers for the documents e2e tests (generic ones come from ./browser.ts).
 */
import type { Page } from "playwright-core";
import { UI_TIMEOUT, waitForHydration } from "./browser.js";

export const editorOf = (page: Page) => page.locator('[data-testid="doc-editor"]');

/** Opens a document and waits until its editor is connected and synced. */
export async function openDoc(page: Page, baseUrl: string, docId: string) {
  await page.goto(`${baseUrl}/docs/${docId}`);
  await waitForHydration(page);
  await page.locator('[data-testid="doc-connection"][data-state="connected"]').waitFor();
  await editorOf(page).waitFor();
}

/**
 * Puts the caret at the very end of the document, collapsed. It clicks the last block (a click in
 * the editor's middle can land on a comment's toolbar and leave an earlier selection in place, so
 * the next keystroke would replace the selected text) and waits until the caret is there.
 */
export async function caretToEnd(page: Page) {
  const editor = editorOf(page);
  await editor.locator(":scope > *").last().click();
  await page.keyboard.press("Control+End");
  await page.waitForFunction(() => {
    const root = document.querySelector('[data-testid="doc-editor"]');
    const sel = window.getSelection();
    if (!root || !sel || !sel.isCollapsed || !sel.focusNode || !root.contains(sel.focusNode)) return false;
    const after = document.createRange();
    after.setStart(sel.focusNode, sel.focusOffset);
    after.setEnd(root, root.childNodes.length);
    return after.toString() === "";
  });
}

/** The editor's text, paragraphs joined by newlines. */
export const editorText = (page: Page) => editorOf(page).evaluate((el) => (el as HTMLElement).innerText.replace(/\n+/g, "\n").trim());

export async function waitForText(page: Page, text: string, timeout = UI_TIMEOUT) {
  await page.waitForFunction(
    ([t]) => (document.querySelector('[data-testid="doc-editor"]') as HTMLElement | null)?.innerText.includes(t!),
    [text],
    { timeout },
  );
}

/** Waits until this page's local copy (y-indexeddb) has stopped growing: its writes are done. */
export async function waitLocalCopySettled(page: Page, dbName: string, quietMs = 400, timeoutMs = UI_TIMEOUT) {
  const count = () =>
    page.evaluate(
      (name) =>
        new Promise<number>((resolve, reject) => {
          const open = indexedDB.open(name);
          open.onerror = () => reject(open.error);
          open.onsuccess = () => {
            const db = open.result;
            if (!db.objectStoreNames.contains("updates")) return db.close(), resolve(0);
            const req = db.transaction("updates").objectStore("updates").count();
            req.onsuccess = () => (db.close(), resolve(req.result));
            req.onerror = () => (db.close(), reject(req.error));
          };
        }),
      dbName,
    );
  const deadline = Date.now() + timeoutMs;
  let last = await count();
  let stableSince = Date.now();
  while (Date.now() < deadline) {
    await page.waitForTimeout(100);
    const n = await count();
    if (n !== last) {
      last = n;
      stableSince = Date.now();
    } else if (n > 0 && Date.now() - stableSince >= quietMs) return n;
  }
  throw new Error(`local copy ${dbName} did not settle`);
}
