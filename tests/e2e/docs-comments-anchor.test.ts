/**
 * A viewer comments on a text selection (finish, decision 045): the anchor is stored as
 * Yjs relative positions in the comment row — nothing is written to the document — and it
 * follows the text while an editor types in front of it. Two Chromium contexts: Pat (viewer) and
 * Mia (editor). The author then edits the comment ("edited", live) and deletes it (live).
 * Also here (same two pages, to save a browser start): pasting and dropping image files.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readState } from "../../server/collab/headless.js";
import { captureFailures, signIn, startE2E, type E2E, type UserPage } from "./helpers/browser.js";
import { editorOf, openDoc, waitForText } from "./helpers/docs-browser.js";
import { docsWorld, type World } from "../server/docs/world.js";

let e2e: E2E;
captureFailures(() => e2e);
let w: World;
let docId: string;
let mia: UserPage, pat: UserPage;

/** Selects `text` inside the editor with a DOM selection (what a mouse drag does). */
async function selectText(u: UserPage, text: string) {
  await u.page.evaluate((t) => {
    const root = document.querySelector('[data-testid="doc-editor"]')!;
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const i = n.textContent!.indexOf(t);
      if (i < 0) continue;
      const r = document.createRange();
      r.setStart(n, i);
      r.setEnd(n, i + t.length);
      const sel = window.getSelection()!;
      sel.removeAllRanges();
      sel.addRange(r);
      return;
    }
    throw new Error(`text not found: ${t}`);
  }, text);
}

/** What the comment highlight covers in this page (CSS Custom Highlight API). */
const highlighted = (u: UserPage) =>
  u.page.evaluate(() => {
    const h = (CSS as unknown as { highlights: Map<string, Set<Range>> }).highlights.get("atrium-comment");
    return h ? [...h].map((r) => r.toString()) : [];
  });

beforeAll(async () => {
  e2e = await startE2E({ env: { DOC_SETTLE_MS: "100" } });
  w = await docsWorld(e2e.app.atrium);
  const docs = e2e.app.atrium.domain.docs;
  ({ id: docId } = await docs.importMarkdown(w.people.mia.actor, {
    spaceId: w.space.marketing.id,
    title: "Q3 launch brief",
    markdown: "# Dates\n\nThe launch date is 1 July.",
  }));
  await docs.shareDocument(w.people.mia.actor, docId, { principalType: "user", principalId: w.people.pat.user.id, role: "viewer" });
  [mia, pat] = await Promise.all([e2e.newUser(), e2e.newUser()]);
  await Promise.all([
    signIn(mia.page, e2e.url, w.people.mia.user.email, w.people.mia.password),
    signIn(pat.page, e2e.url, w.people.pat.user.email, w.people.pat.password),
  ]);
  await Promise.all([openDoc(mia.page, e2e.url, docId), openDoc(pat.page, e2e.url, docId)]);
}, 300_000);
afterAll(async () => {
  await e2e?.close();
});

describe("documents: a viewer comments on a selection", () => {
  it("anchored without writing to the document, live for the editor, following the text as she types", async () => {
    expect(await editorOf(pat.page).getAttribute("contenteditable")).toBe("false");
    const logBefore = await e2e.app.atrium.db.docUpdate.count({ where: { docId } });
    await selectText(pat, "1 July");
    const button = pat.page.getByRole("button", { name: "Comment on selection" });
    await expect.poll(() => button.isEnabled()).toBe(true);
    await button.click();
    await pat.page.getByLabel("Comment on the selected text").fill("Is this still the date?");
    await pat.page.getByRole("button", { name: "Comment", exact: true }).click();

    const thread = mia.page.getByTestId("thread").filter({ hasText: "Is this still the date?" });
    await thread.waitFor();
    expect(await thread.getByTestId("anchor-quote").innerText()).toBe("1 July");
    await expect.poll(() => highlighted(mia)).toEqual(["1 July"]);
    await expect.poll(() => highlighted(pat)).toEqual(["1 July"]);
    // Nothing was written to the document by the viewer.
    expect(await e2e.app.atrium.db.docUpdate.count({ where: { docId } })).toBe(logBefore);
    const row = await e2e.app.atrium.db.docComment.findFirstOrThrow({ where: { docId } });
    expect(row).toMatchObject({ quote: "1 July", anchorId: null });
    expect(row.anchorStart).toBeTruthy();

    // Mia types in front of the anchored text: the anchor follows it, live for both.
    await editorOf(mia.page).getByText("The launch date is").click();
    await mia.page.keyboard.press("Home");
    await mia.page.keyboard.type("Update: ", { delay: 10 });
    await waitForText(pat.page, "Update: The launch date");
    await expect.poll(() => highlighted(pat)).toEqual(["1 July"]);
    await expect.poll(() => highlighted(mia)).toEqual(["1 July"]);
    expect(readState(e2e.app.atrium.ctx.collab.state(docId)).text).toContain("Update: The launch date is 1 July.");
  });

  it("@mentions in a comment: picked from a list, shown as a link, and the person (a reader) is notified", async () => {
    const box = pat.page.getByLabel("Add a comment");
    await box.click();
    await pat.page.keyboard.type("Checking with @Max", { delay: 10 });
    const option = pat.page.getByRole("option", { name: /Max Marketing/ });
    await option.waitFor();
    await pat.page.keyboard.press("Enter");
    await pat.page.keyboard.type("please.", { delay: 5 });
    expect(await box.inputValue()).toBe(`Checking with @[Max Marketing](${w.people.max.user.id}) please.`);
    await pat.page.getByRole("button", { name: "Comment", exact: true }).click();
    const link = mia.page.getByTestId("comment").filter({ hasText: "Checking with" }).getByTestId("comment-mention");
    await link.waitFor();
    expect(await link.innerText()).toBe("@Max Marketing");
    expect(await link.getAttribute("href")).toBe(`/people/${w.people.max.user.id}`);
    await expect
      .poll(() => e2e.app.atrium.db.notification.count({ where: { userId: w.people.max.user.id, type: "doc.comment.mentioned" } }))
      .toBe(1);
  });

  it("the author edits (marked edited) and deletes her comment, live for the other", async () => {
    const mine = pat.page.getByTestId("comment").filter({ hasText: "Is this still the date?" });
    await mine.getByRole("button", { name: "Edit" }).click();
    await mine.getByLabel("Edit your comment").fill("Is 1 July still the date?");
    await mine.getByRole("button", { name: "Save" }).click();
    const seen = mia.page.getByTestId("comment").filter({ hasText: "Is 1 July still the date?" });
    await seen.getByTestId("edited").waitFor();
    // Mia may not edit or delete Pat's comment: no buttons.
    expect(await seen.getByRole("button", { name: "Edit" }).count()).toBe(0);
    expect(await seen.getByRole("button", { name: "Delete" }).count()).toBe(0);

    pat.page.once("dialog", (d) => void d.accept());
    await pat.page.getByTestId("comment").filter({ hasText: "Is 1 July still the date?" }).getByRole("button", { name: "Delete" }).click();
    await mia.page.locator('[data-testid="comment"][data-deleted="true"]').filter({ hasText: "Comment deleted" }).waitFor();
    await expect.poll(() => highlighted(mia)).toEqual([]);
  });
});

describe("documents: images pasted or dropped into the editor", () => {
  const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 73, 72, 68, 82, 0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0, 31, 21, 196, 137, 0, 0, 0, 13, 73, 68, 65, 84, 120, 156, 99, 248, 207, 192, 240, 31, 0, 5, 0, 1, 255, 137, 153, 61, 29, 0, 0, 0, 0, 73, 69, 78, 68, 174, 66, 96, 130];

  it("a pasted image and a dropped image are uploaded and appear for the other person", async () => {
    await editorOf(mia.page).getByText("The launch date").click();
    await mia.page.keyboard.press("End");
    await mia.page.evaluate((bytes) => {
      const dt = new DataTransfer();
      dt.items.add(new File([new Uint8Array(bytes)], "pasted.png", { type: "image/png" }));
      document.querySelector('[data-testid="doc-editor"]')!.dispatchEvent(new ClipboardEvent("paste", { clipboardData: dt, bubbles: true, cancelable: true }));
    }, PNG);
    const imgs = pat.page.getByTestId("doc-image");
    await expect.poll(() => imgs.count()).toBe(1);
    expect(await imgs.first().getAttribute("src")).toMatch(new RegExp(`^/docs/${docId}/images/[a-f0-9]+$`));

    await mia.page.evaluate((bytes) => {
      const dt = new DataTransfer();
      dt.items.add(new File([new Uint8Array(bytes)], "dropped.png", { type: "image/png" }));
      const target = document.querySelector('[data-testid="doc-editor"] h1')!;
      const r = target.getBoundingClientRect();
      target.dispatchEvent(new DragEvent("drop", { dataTransfer: dt, bubbles: true, cancelable: true, clientX: r.left + 5, clientY: r.top + r.height / 2 }));
    }, PNG);
    await expect.poll(() => imgs.count()).toBe(2);
    expect(await e2e.app.atrium.db.docImage.count({ where: { docId } })).toBe(2);
  });
});
