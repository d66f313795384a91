/**
 * Story 3 in real Chromium: Marketing and Product co-edit the "Q3 launch brief". Two browser
 * contexts type into the same document and see each other's text and cursor; undo only undoes
 * one's own typing; a viewer's editor is read-only (and the server keeps it that way); a comment
 * appears live for the other person.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { readState } from "../../server/collab/headless.js";
import { captureFailures, signIn, startE2E, type E2E, type UserPage } from "./helpers/browser.js";
import { caretToEnd, editorOf, editorText, openDoc, waitForText } from "./helpers/docs-browser.js";
import { docsWorld, type World } from "../server/docs/world.js";

let e2e: E2E;
captureFailures(() => e2e);
let w: World;
let docId: string;
let mia: UserPage, pia: UserPage, pat: UserPage;

const serverText = () => readState(e2e.app.atrium.ctx.collab.state(docId)).text;
const localCopies = (u: UserPage) => u.page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name));

beforeAll(async () => {
  e2e = await startE2E();
  w = await docsWorld(e2e.app.atrium);
  const docs = e2e.app.atrium.domain.docs;
  ({ id: docId } = await docs.createDocument(w.people.mia.actor, { title: "Q3 launch brief", spaceId: w.space.marketing.id }));
  await docs.shareDocument(w.people.mia.actor, docId, { principalType: "department", principalId: w.departments.product.id, role: "editor" });
  await docs.shareDocument(w.people.mia.actor, docId, { principalType: "user", principalId: w.people.nod.user.id, role: "viewer" });
  [mia, pia, pat] = await Promise.all([e2e.newUser(), e2e.newUser(), e2e.newUser()]);
  await Promise.all([
    signIn(mia.page, e2e.url, w.people.mia.user.email, w.people.mia.password),
    signIn(pia.page, e2e.url, w.people.pia.user.email, w.people.pia.password),
    signIn(pat.page, e2e.url, w.people.nod.user.email, w.people.nod.password),
  ]);
}, 300_000);
afterAll(async () => {
  await e2e?.close();
});

describe("co-editing in two browsers", () => {
  it("both type, both see the same text, each other's cursor and avatar", async () => {
    await Promise.all([openDoc(mia.page, e2e.url, docId), openDoc(pia.page, e2e.url, docId)]);
    await caretToEnd(mia.page);
    await mia.page.keyboard.type("Hello from Marketing.", { delay: 15 });
    await waitForText(pia.page, "Hello from Marketing.");
    await caretToEnd(pia.page);
    await pia.page.keyboard.press("Enter");
    await pia.page.keyboard.type("Product was here.", { delay: 15 });
    await waitForText(mia.page, "Product was here.");
    await expect.poll(() => editorText(mia.page)).toBe(await editorText(pia.page));
    expect(await editorText(mia.page)).toBe("Hello from Marketing.\nProduct was here.");
    // The server holds the same (durably: both editors show "Connected", nothing pending).
    await mia.page.locator('[data-testid="doc-connection"][data-state="connected"]').waitFor();
    expect(serverText()).toBe("Hello from Marketing.\n\nProduct was here.");

    // Each sees the other's cursor, labelled with the other's name, and their avatar.
    await mia.page.locator(".collab-cursor-name", { hasText: "Pia Product" }).waitFor();
    await pia.page.locator(".collab-cursor-name", { hasText: "Mia Marketing" }).waitFor();
    await mia.page.locator(`[data-testid="doc-peer"][data-user-id="${w.people.pia.user.id}"]`).waitFor();
  });

  it("Markdown shortcuts and keyboard shortcuts format text for everyone", async () => {
    await caretToEnd(mia.page);
    await mia.page.keyboard.press("Enter");
    await mia.page.keyboard.type("## Timeline", { delay: 10 });
    await mia.page.keyboard.press("Enter");
    await mia.page.keyboard.press("Control+b");
    await mia.page.keyboard.type("Launch", { delay: 10 });
    await mia.page.keyboard.press("Control+b");
    await mia.page.keyboard.type(" on 1 July", { delay: 10 });
    await pia.page.locator('[data-testid="doc-editor"] h2', { hasText: "Timeline" }).waitFor();
    await pia.page.locator('[data-testid="doc-editor"] strong, [data-testid="doc-editor"] b, [data-testid="doc-editor"] .ed-bold', { hasText: "Launch" }).first().waitFor();
  });

  it("a table inserted from the toolbar grows a row, and an uploaded image shows for both", async () => {
    await caretToEnd(mia.page);
    await mia.page.keyboard.press("Enter");
    await mia.page.getByRole("button", { name: "Insert table" }).click();
    await mia.page.keyboard.type("Week", { delay: 10 });
    await mia.page.getByRole("button", { name: "Add a row below" }).click();
    await expect.poll(() => pia.page.locator('[data-testid="doc-editor"] table tr').count()).toBe(4);
    await pia.page.locator('[data-testid="doc-editor"] table', { hasText: "Week" }).waitFor();

    // A 1×1 PNG, uploaded through the toolbar's file input.
    const png = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=", "base64");
    await caretToEnd(mia.page);
    await mia.page.getByTestId("image-input").setInputFiles({ name: "dot.png", mimeType: "image/png", buffer: png });
    const img = pia.page.getByTestId("doc-image");
    await img.waitFor();
    expect(await img.getAttribute("src")).toMatch(new RegExp(`^/docs/${docId}/images/[a-f0-9]+$`));
    await expect.poll(() => img.evaluate((el) => (el as HTMLImageElement).naturalWidth)).toBe(1);
  });

  it("undo removes only one's own change", async () => {
    await caretToEnd(pia.page);
    await pia.page.keyboard.press("Enter");
    await pia.page.keyboard.type("PIA-LINE", { delay: 10 });
    await waitForText(mia.page, "PIA-LINE");
    await caretToEnd(mia.page);
    // Mia's new line and its text are her latest undo step (however Yjs groups them); Pia's line,
    // typed in between by someone else, is never part of Mia's undo history.
    await mia.page.keyboard.press("Enter");
    await mia.page.keyboard.type("MIA-LINE", { delay: 10 });
    await waitForText(pia.page, "MIA-LINE");
    await mia.page.keyboard.press("Control+z");
    await expect.poll(() => editorText(pia.page)).not.toContain("MIA-LINE");
    expect(await editorText(pia.page)).toContain("PIA-LINE");
    expect(await editorText(mia.page)).toContain("PIA-LINE");
  });

  it("a viewer's editor is read-only, and what they try to type never reaches anyone", async () => {
    await openDoc(pat.page, e2e.url, docId);
    expect(await editorOf(pat.page).getAttribute("contenteditable")).toBe("false");
    // This browser keeps a local copy (for offline); it goes when access goes (last test).
    await expect.poll(() => localCopies(pat)).toContain(`atrium-doc:${w.people.nod.user.id}:${docId}`);
    expect(await pat.page.getByTestId("my-role").innerText()).toContain("view");
    await editorOf(pat.page).click();
    await pat.page.keyboard.type("VIEWER-WAS-HERE");
    expect(await editorText(pat.page)).not.toContain("VIEWER-WAS-HERE");
    // Positive control: the viewer's connection is live both ways. An edit by Mia made after the
    // viewer typed travels to the server and back out to the viewer; by then anything the viewer
    // had sent would have reached the server and Mia.
    await caretToEnd(mia.page);
    await mia.page.keyboard.type(" (for viewers too)", { delay: 10 });
    await waitForText(pat.page, "(for viewers too)");
    await expect.poll(() => serverText()).toContain("(for viewers too)");
    expect(serverText()).not.toContain("VIEWER-WAS-HERE");
    expect(await editorText(mia.page)).not.toContain("VIEWER-WAS-HERE");
    expect(await editorText(pat.page)).not.toContain("VIEWER-WAS-HERE");
  });

  it("a comment posted by one appears live for the other, and a viewer can comment", async () => {
    await pat.page.getByLabel("Add a comment").fill("Can we move the date?");
    await pat.page.getByRole("button", { name: "Comment", exact: true }).click();
    await mia.page.getByTestId("comment").filter({ hasText: "Can we move the date?" }).waitFor();
    await pia.page.getByTestId("comment").filter({ hasText: "Can we move the date?" }).waitFor();
    // Reply from Mia appears for Pat without a reload.
    const thread = mia.page.getByTestId("thread").filter({ hasText: "Can we move the date?" });
    await thread.getByLabel("Reply").fill("No, 1 July stands.");
    await thread.getByRole("button", { name: "Reply" }).click();
    await pat.page.getByTestId("comment").filter({ hasText: "No, 1 July stands." }).waitFor();
    const note = await e2e.app.atrium.db.notification.findFirst({ where: { userId: w.people.mia.user.id, type: "doc.comment" } });
    expect(note?.title).toContain("Q3 launch brief");
  });

  it("revoking the viewer's share removes them from the document at once", async () => {
    const shares = await e2e.app.atrium.domain.docs.listShares(w.people.mia.actor, docId);
    const viewerShare = shares.find((s) => s.principalId === w.people.nod.user.id)!;
    await e2e.app.atrium.domain.docs.unshareDocument(w.people.mia.actor, docId, viewerShare.id);
    await pat.page.getByTestId("doc-revoked").waitFor();
    await expect.poll(() => localCopies(pat)).not.toContain(`atrium-doc:${w.people.nod.user.id}:${docId}`);
    await caretToEnd(mia.page);
    await mia.page.keyboard.type(" SECRET-AFTER-REVOKE", { delay: 10 });
    // Positive control: Pia, still an editor, receives it live; the same broadcast would have
    // reached the revoked viewer had they still been in the room.
    await waitForText(pia.page, "SECRET-AFTER-REVOKE");
    expect(await pat.page.locator("body").innerText()).not.toContain("SECRET-AFTER-REVOKE");
    // Sanity: the text the server holds is what Mia sees.
    const d = new Y.Doc();
    Y.applyUpdate(d, e2e.app.atrium.ctx.collab.state(docId));
    expect(readState(Y.encodeStateAsUpdate(d)).text).toContain("SECRET-AFTER-REVOKE");
  });
});
