/**
 * Story 3, the end: Marketing and Product co-edit the "Q3 launch brief"; later Mia restores
 * yesterday's revision of one section. Two Chromium contexts: Mia (Marketing) edits the
 * positioning, Pia (Product) edits the pricing; Mia opens the history, sees what changed
 * (labelled, <ins>/<del>), restores only "Positioning"; Pia — who never reloads — sees it live,
 * and her pricing keeps today's text. A viewer sees the comparison without a restore button.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readState } from "../../server/collab/headless.js";
import { sessionCookieFor } from "../helpers/app.js";
import { captureFailures, signIn, startE2E, waitForHydration, type E2E, type UserPage } from "./helpers/browser.js";
import { editorOf, editorText, openDoc, waitForText } from "./helpers/docs-browser.js";
import { docsWorld, type World } from "../server/docs/world.js";

let e2e: E2E;
captureFailures(() => e2e);
let w: World;
let docId: string;
let revId: string;
let mia: UserPage, pia: UserPage;

const serverText = () => readState(e2e.app.atrium.ctx.collab.state(docId)).text;

/** Clicks at the end of the paragraph showing `text` and types. */
async function typeAfter(u: UserPage, text: string, typed: string) {
  await editorOf(u.page).getByText(text, { exact: false }).first().click();
  await u.page.keyboard.press("End");
  await u.page.keyboard.type(typed, { delay: 10 });
}

beforeAll(async () => {
  e2e = await startE2E({ env: { DOC_SETTLE_MS: "100" } });
  w = await docsWorld(e2e.app.atrium);
  const docs = e2e.app.atrium.domain.docs;
  ({ id: docId } = await docs.importMarkdown(w.people.mia.actor, {
    spaceId: w.space.marketing.id,
    title: "Q3 launch brief",
    markdown: "# Positioning\n\nInvoices made simple.\n\n# Pricing\n\nTen euros a seat.",
  }));
  await docs.shareDocument(w.people.mia.actor, docId, { principalType: "department", principalId: w.departments.product.id, role: "editor" });
  await docs.shareDocument(w.people.mia.actor, docId, { principalType: "user", principalId: w.people.nod.user.id, role: "viewer" });
  revId = (await docs.captureRevision(w.people.mia.actor, docId))!; // "yesterday"
  [mia, pia] = await Promise.all([e2e.newUser(), e2e.newUser()]);
  await Promise.all([
    signIn(mia.page, e2e.url, w.people.mia.user.email, w.people.mia.password),
    signIn(pia.page, e2e.url, w.people.pia.user.email, w.people.pia.password),
  ]);
  await Promise.all([openDoc(mia.page, e2e.url, docId), openDoc(pia.page, e2e.url, docId)]);
}, 300_000);
afterAll(async () => {
  await e2e?.close();
});

describe("documents: restore one section of yesterday's revision", () => {
  it("only that section goes back, live for the other editor; the other section keeps today's text", async () => {
    await typeAfter(mia, "Invoices made simple.", " Or maybe not.");
    await typeAfter(pia, "Ten euros a seat.", " Twelve from July.");
    await waitForText(pia.page, "Or maybe not.");
    await waitForText(mia.page, "Twelve from July.");

    await mia.page.goto(`${e2e.url}/docs/${docId}/history?rev=${revId}`);
    await waitForHydration(mia.page);
    const diff = mia.page.getByTestId("revision-diff");
    // What changed, in words and not only in colour.
    await expect.poll(() => diff.locator('li[data-op="changed"] ins').allInnerTexts()).toEqual([" Or maybe not.", " Twelve from July."]);
    expect(await diff.locator('li[data-op="changed"] .diff-label').first().innerText()).toMatch(/changed/i);
    const sections = diff.getByTestId("revision-section");
    expect(await sections.evaluateAll((els) => els.map((e) => [e.getAttribute("data-section"), e.getAttribute("data-status")]))).toEqual([
      ["preamble", "same"],
      ["0", "changed"],
      ["2", "changed"],
    ]);

    mia.page.once("dialog", (d) => void d.accept());
    await mia.page.getByRole("button", { name: "Restore this section: “Positioning”" }).click();
    await mia.page.waitForURL((u) => u.pathname === `/docs/${docId}`);

    // Pia never reloaded: the restore reaches her open editor, and her pricing edit stays.
    await pia.page.waitForFunction(() => !document.querySelector('[data-testid="doc-editor"]')?.textContent?.includes("Or maybe not."));
    expect(await editorText(pia.page)).toBe("Positioning\nInvoices made simple.\nPricing\nTen euros a seat. Twelve from July.");
    await waitForText(mia.page, "Twelve from July.");
    expect(await editorText(mia.page)).toBe(await editorText(pia.page));
    expect(serverText()).toBe("Positioning\n\nInvoices made simple.\n\nPricing\n\nTen euros a seat. Twelve from July.");

    // Pia keeps typing in the restored section: the editors are still live.
    await typeAfter(pia, "Invoices made simple.", " Agreed.");
    await waitForText(mia.page, "Invoices made simple. Agreed.");
  });

  it("a viewer sees the comparison but no restore button", async () => {
    const cookie = await sessionCookieFor(e2e.app.atrium, w.people.nod.user.email, w.people.nod.password);
    const res = await fetch(`${e2e.url}/docs/${docId}/history?rev=${revId}`, { headers: { cookie } });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('data-testid="revision-diff"');
    expect(html).toContain("Changed since");
    expect(html).not.toContain('data-testid="restore-section"');
    // And posting the form anyway is refused, the document unharmed.
    const before = serverText();
    const post = await fetch(`${e2e.url}/docs/${docId}/history?rev=${revId}`, {
      method: "POST",
      headers: { cookie, "content-type": "application/x-www-form-urlencoded", origin: e2e.url },
      body: new URLSearchParams({ intent: "restore-section", revisionId: revId, section: "0" }),
      redirect: "manual",
    });
    expect(post.status).toBe(403);
    expect(await post.text()).toContain("You cannot do that to this document.");
    expect(serverText()).toBe(before);
  });
});
