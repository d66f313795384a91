/**
 * Documents in Chromium, beyond typing together: going offline on a train and back; restoring
 * yesterday's revision while the other person watches; @mentioning a colleague; sharing through
 * the dialog; importing a Markdown file and exporting it again.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readState } from "../../server/collab/headless.js";
import { TMP_DIR } from "../helpers/db.js";
import { captureFailures, signIn, startE2E, waitForHydration, type E2E, type UserPage } from "./helpers/browser.js";
import { caretToEnd, editorOf, editorText, openDoc, waitForText, waitLocalCopySettled } from "./helpers/docs-browser.js";
import { docsWorld, type World } from "../server/docs/world.js";

let e2e: E2E;
captureFailures(() => e2e);
let w: World;
let docId: string;
let mia: UserPage, max: UserPage;

const serverText = () => readState(e2e.app.atrium.ctx.collab.state(docId)).text;

beforeAll(async () => {
  e2e = await startE2E({ env: { DOC_SETTLE_MS: "100" } });
  w = await docsWorld(e2e.app.atrium);
  ({ id: docId } = await e2e.app.atrium.domain.docs.importMarkdown(w.people.mia.actor, {
    spaceId: w.space.marketing.id,
    markdown: "# Q3 launch brief\n\nYesterday's positioning: invoices made simple.",
  }));
  [mia, max] = await Promise.all([e2e.newUser(), e2e.newUser()]);
  await Promise.all([
    signIn(mia.page, e2e.url, w.people.mia.user.email, w.people.mia.password),
    signIn(max.page, e2e.url, w.people.max.user.email, w.people.max.password),
  ]);
  await Promise.all([openDoc(mia.page, e2e.url, docId), openDoc(max.page, e2e.url, docId)]);
}, 300_000);
afterAll(async () => {
  await e2e?.close();
});

describe("documents: journeys", () => {
  it("one goes offline on a train and keeps typing; on reconnect nothing is lost on either side", async () => {
    await mia.context.setOffline(true);
    await mia.page.locator('[data-testid="doc-connection"][data-state="offline"]').waitFor();
    await caretToEnd(mia.page);
    await mia.page.keyboard.press("Enter");
    await mia.page.keyboard.type("Written in the tunnel.", { delay: 10 });
    expect(await editorOf(mia.page).getAttribute("contenteditable")).toBe("true");
    await caretToEnd(max.page);
    await max.page.keyboard.press("Enter");
    await max.page.keyboard.type("Written at the office.", { delay: 10 });
    // Max's line reaches the server (the channel works); Mia's, typed offline earlier, does not.
    await expect.poll(() => serverText()).toContain("Written at the office.");
    expect(serverText()).not.toContain("tunnel");

    await mia.context.setOffline(false);
    await waitForText(max.page, "Written in the tunnel.", 15_000);
    await waitForText(mia.page, "Written at the office.", 15_000);
    await mia.page.locator('[data-testid="doc-connection"][data-state="connected"]').waitFor();
    expect(await editorText(mia.page)).toBe(await editorText(max.page));
    expect(serverText()).toContain("Written in the tunnel.");
    expect(serverText()).toContain("Written at the office.");
  });

  it("restoring yesterday's revision is a change the other editor sees live", async () => {
    const rev = await e2e.app.atrium.domain.docs.captureRevision(w.people.mia.actor, docId);
    await editorOf(max.page).click();
    await max.page.keyboard.press("Control+a");
    await max.page.keyboard.type("Everything replaced by Max.", { delay: 5 });
    await waitForText(mia.page, "Everything replaced by Max.");
    await mia.page.goto(`${e2e.url}/docs/${docId}/history?rev=${rev}`);
    await waitForHydration(mia.page);
    await mia.page.getByTestId("revision-content").filter({ hasText: "Written in the tunnel." }).waitFor();
    mia.page.once("dialog", (d) => void d.accept());
    await mia.page.getByTestId("restore").click();
    await mia.page.waitForURL((u) => u.pathname === `/docs/${docId}`);
    // Max never reloaded: the restore reaches his open editor.
    await waitForText(max.page, "Written in the tunnel.");
    expect(await editorText(max.page)).not.toContain("Everything replaced by Max.");
    const revisions = await e2e.app.atrium.domain.docs.listRevisions(w.people.mia.actor, docId);
    expect(revisions.map((r) => r.reason)).toContain("restore");
    await openDoc(mia.page, e2e.url, docId);
  });

  it("a comment on selected text highlights it for everyone (a Yjs anchor, no mark in the text); resolving removes the highlight", async () => {
    const line = mia.page.locator('[data-testid="doc-editor"] p', { hasText: "Written in the tunnel." });
    await line.locator("span").first().click();
    await mia.page.keyboard.press("End");
    await mia.page.keyboard.press("Shift+Home");
    const comment = mia.page.getByRole("button", { name: "Comment on selection" });
    await expect.poll(() => comment.isEnabled()).toBe(true);
    const logBefore = await e2e.app.atrium.db.docUpdate.count({ where: { docId } });
    await comment.click();
    await mia.page.getByLabel("Comment on the selected text").fill("Which tunnel?");
    await mia.page.getByRole("button", { name: "Comment", exact: true }).click();
    const thread = max.page.getByTestId("thread").filter({ hasText: "Which tunnel?" });
    await thread.waitFor();
    const quote = (await thread.locator("blockquote").innerText()).trim();
    expect(quote).toBe("Written in the tunnel.");
    // Highlighted for Max without any change to the document (decision 045).
    const highlighted = () =>
      max.page.evaluate(() => {
        const h = (CSS as unknown as { highlights: Map<string, Set<Range>> }).highlights.get("atrium-comment");
        return h ? [...h].map((r) => r.toString()) : [];
      });
    await expect.poll(highlighted).toEqual([quote]);
    expect(await max.page.locator('[data-testid="doc-editor"] mark').count()).toBe(0);
    expect(await e2e.app.atrium.db.docUpdate.count({ where: { docId } })).toBe(logBefore);
    // Mia resolves it: the thread is marked resolved and the highlight goes, for Max too.
    await mia.page.getByTestId("thread").filter({ hasText: "Which tunnel?" }).getByRole("button", { name: "Resolve" }).click();
    await expect.poll(highlighted).toEqual([]);
    await expect.poll(() => max.page.getByTestId("thread").filter({ hasText: "Which tunnel?" }).count()).toBe(0);
    expect(await editorText(max.page)).toContain("Written in the tunnel.");
  });

  it("typing @ and a name mentions a colleague, who is notified", async () => {
    await caretToEnd(mia.page);
    await mia.page.keyboard.press("Enter");
    await mia.page.keyboard.type("Review please @Max", { delay: 20 });
    await mia.page.getByTestId("mention-menu").getByRole("option", { name: /Max Marketing/ }).click();
    await mia.page.locator('[data-testid="doc-editor"] .doc-mention', { hasText: "@Max Marketing" }).waitFor();
    await max.page.locator('[data-testid="doc-editor"] .doc-mention', { hasText: "@Max Marketing" }).waitFor();
    await max.page.locator('[data-testid="unread-count"]').waitFor();
    const note = await e2e.app.atrium.db.notification.findFirst({ where: { userId: w.people.max.user.id, type: "doc.mentioned" } });
    expect(note?.link).toBe(`/docs/${docId}`);
  });

  it("the owner shares with a Product colleague through the dialog, who can then open it", async () => {
    const pia = await e2e.newUser();
    await signIn(pia.page, e2e.url, w.people.pia.user.email, w.people.pia.password);
    const res = await pia.page.goto(`${e2e.url}/docs/${docId}`);
    expect(res?.status()).toBe(403);
    expect(await pia.page.locator("body").innerText()).not.toContain("Q3 launch brief");

    await mia.page.getByTestId("share-open").click();
    await mia.page.getByTestId("share-principal").selectOption({ label: "Pia Product" });
    await mia.page.getByTestId("share-role").selectOption("viewer");
    await mia.page.getByTestId("share-submit").click();
    await mia.page.getByTestId("share-list").filter({ hasText: "Pia Product" }).waitFor();
    await mia.page.getByRole("button", { name: "Done" }).click();

    await openDoc(pia.page, e2e.url, docId);
    expect(await editorOf(pia.page).getAttribute("contenteditable")).toBe("false");
    // The viewer's editor fills once its sync completes, with the latest edit (the mention above).
    await waitForText(pia.page, "Review please", 10_000);
    expect(await editorText(pia.page)).toContain("Q3 launch brief");
  });

  it("edits typed offline survive closing the tab: the next visit sends them", async () => {
    await openDoc(max.page, e2e.url, docId);
    await max.context.setOffline(true);
    await max.page.locator('[data-testid="doc-connection"][data-state="offline"]').waitFor();
    await caretToEnd(max.page);
    await max.page.keyboard.press("Enter");
    await max.page.keyboard.type("Kept in this browser.", { delay: 10 });
    await waitLocalCopySettled(max.page, `atrium-doc:${w.people.max.user.id}:${docId}`);
    await max.page.close();
    expect(serverText()).not.toContain("Kept in this browser.");
    await max.context.setOffline(false);
    const again = await max.context.newPage();
    await openDoc(again, e2e.url, docId);
    await waitForText(again, "Kept in this browser.", 10_000); // the local copy loads with the page: slower on a busy machine
    await waitForText(mia.page, "Kept in this browser.");
    await expect.poll(() => serverText()).toContain("Kept in this browser.");
  });

  it("imports a Markdown file into a new document and exports it back", async () => {
    const md = "# Pricing FAQ\n\n- [ ] Confirm tiers\n- [x] Draft answers\n\n> Keep it short.\n\n| Tier | Price |\n| --- | --- |\n| Basic | 10 |";
    const file = path.join(TMP_DIR, "pricing-faq.md");
    mkdirSync(TMP_DIR, { recursive: true });
    writeFileSync(file, md);
    await mia.page.goto(`${e2e.url}/docs`);
    await waitForHydration(mia.page);
    await mia.page.getByLabel("Markdown file (.md, up to 1 MB)").setInputFiles(file);
    await mia.page.getByRole("button", { name: "Import" }).click();
    await mia.page.waitForURL((u) => /^\/docs\/[a-z0-9]+$/.test(u.pathname) && !u.pathname.endsWith(docId));
    await mia.page.locator('[data-testid="doc-editor"] table').waitFor();
    expect(await mia.page.getByTestId("doc-title").inputValue()).toBe("Pricing FAQ");
    const download = mia.page.waitForEvent("download");
    await mia.page.getByRole("link", { name: "Export .md" }).click();
    const saved = await (await download).path();
    expect(readFileSync(saved!, "utf8").trim()).toBe(md);
  });
});
