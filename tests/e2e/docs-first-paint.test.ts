/**
 * A document page shows its content at first paint, read-only, from what the server stored; the
 * live editor takes its place once it has loaded and synced — at the same position, and typing
 * works from then on. Someone without access gets none of the content in the page.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readState } from "../../server/collab/headless.js";
import { captureFailures, signIn, startE2E, waitForHydration, type E2E, type UserPage, RESEND_ON_RESET } from "./helpers/browser.js";
import { caretToEnd, editorOf } from "./helpers/docs-browser.js";
import { docsWorld, type World } from "../server/docs/world.js";

let e2e: E2E;
captureFailures(() => e2e);
let w: World;
let docId: string;
let privateId: string;
let mia: UserPage, pia: UserPage;

const MARKDOWN = "# Q3 launch brief\n\nPositioning: **invoices made simple**.\n\n- one\n- two\n\n## Timeline\n\nShips in week 40.";

beforeAll(async () => {
  e2e = await startE2E({ env: { DOC_SETTLE_MS: "100" } });
  w = await docsWorld(e2e.app.atrium);
  const docs = e2e.app.atrium.domain.docs;
  ({ id: docId } = await docs.importMarkdown(w.people.mia.actor, { spaceId: w.space.company.id, markdown: MARKDOWN }));
  privateId = (await docs.createDocument(w.people.mia.actor, { title: "Salary bands zebra", spaceId: w.space.marketing.id, visibility: "private" })).id;
  [mia, pia] = await Promise.all([e2e.newUser(), e2e.newUser()]);
  await Promise.all([
    signIn(mia.page, e2e.url, w.people.mia.user.email, w.people.mia.password),
    signIn(pia.page, e2e.url, w.people.pia.user.email, w.people.pia.password),
  ]);
}, 300_000);
afterAll(async () => {
  await e2e?.close();
});

describe("documents: content at first paint", () => {
  it("the server's HTML carries the content, drawn as the editor draws it, before any script runs", async () => {
    const res = await mia.context.request.get(`${e2e.url}/docs/${docId}`, RESEND_ON_RESET);
    expect(res.status()).toBe(200);
    const html = await res.text();
    expect(html).toContain('data-testid="doc-content-static"');
    expect(html).toMatch(/<h1 class="ed-h1">[^<]*<span>Q3 launch brief<\/span><\/h1>/);
    expect(html).toMatch(/<strong class="ed-bold">invoices made simple<\/strong>/);
    expect(html).toMatch(/<ul class="ed-ul"><li[^>]*class="ed-li"[^>]*><span>one<\/span><\/li>/);
    expect(html).not.toContain("Loading the editor");
  });

  it("while the editor loads the text is readable in place; the editor then takes the same place and accepts typing", async () => {
    const page = mia.page;
    // Hold the editor's script until the server-rendered content has been looked at.
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    await page.route(/\/build\/.*DocEditor\.client-[^/]*\.js$/, async (route) => {
      await held;
      await route.continue();
    });
    await page.goto(`${e2e.url}/docs/${docId}`);
    await waitForHydration(page);
    const staticView = page.locator('[data-testid="doc-content-static"]');
    await staticView.locator("h1", { hasText: "Q3 launch brief" }).waitFor();
    await staticView.locator("h2", { hasText: "Timeline" }).waitFor();
    expect(await editorOf(page).count()).toBe(0);
    const before = await staticView.locator(".editor-input h1").boundingBox();
    const inputBefore = await staticView.locator(".editor-input").boundingBox();

    release();
    await page.locator('[data-testid="doc-connection"][data-state="connected"]').waitFor();
    await editorOf(page).locator("h1", { hasText: "Q3 launch brief" }).waitFor();
    await staticView.waitFor({ state: "detached" });
    const after = await editorOf(page).locator("h1").boundingBox();
    const inputAfter = await editorOf(page).boundingBox();
    // No jump: the editor's text area and first line sit where the server-rendered ones were.
    expect(Math.abs(after!.y - before!.y)).toBeLessThanOrEqual(2);
    expect(Math.abs(after!.x - before!.x)).toBeLessThanOrEqual(2);
    expect(Math.abs(inputAfter!.y - inputBefore!.y)).toBeLessThanOrEqual(2);
    expect(Math.abs(inputAfter!.height - inputBefore!.height)).toBeLessThanOrEqual(2);

    await caretToEnd(page);
    await page.keyboard.press("Enter");
    await page.keyboard.type("Typed right after the swap.", { delay: 10 });
    await expect.poll(() => readState(e2e.app.atrium.ctx.collab.state(docId)).text).toContain("Typed right after the swap.");
    await page.unroute(/\/build\/.*DocEditor\.client-[^/]*\.js$/);
  });

  it("a reload after an edit shows the edited content at first paint", async () => {
    const res = await mia.context.request.get(`${e2e.url}/docs/${docId}`, RESEND_ON_RESET);
    expect(await res.text()).toContain("Typed right after the swap.");
  });

  it("someone without access gets a refusal and none of the content", async () => {
    await e2e.app.atrium.ctx.collab.submit(
      privateId,
      (await import("../../server/collab/headless.js")).markdownToState("Band C starts at 71k zebra"),
      { userId: w.people.mia.user.id },
    );
    const res = await pia.context.request.get(`${e2e.url}/docs/${privateId}`, RESEND_ON_RESET);
    expect(res.status()).toBe(403);
    const html = await res.text();
    expect(html).not.toContain("71k zebra");
    expect(html).not.toContain("doc-content-static");
    // Mia, its owner, does see it at first paint.
    expect(await (await mia.context.request.get(`${e2e.url}/docs/${privateId}`, RESEND_ON_RESET)).text()).toContain("71k zebra");
  });
});
