/**
 * An @mention shows the person's current name, looked up by the id it holds — never the label
 * stored with it, which its writer's client chose. Pia is mentioned twice, once by a forged node
 * whose label says "CEO"; she renames herself on her profile page; Mia's document page shows the
 * new name at first paint and in the live editor, a later rename while the page is open, and a
 * collaborator's new forged mention of Max as Max.
 */
import { $createParagraphNode, $createTextNode, $getRoot, type ElementNode } from "lexical";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { $createMentionNode } from "../../app/editor/nodes/MentionNode.js";
import { editState, initialState, readState, replaceContentUpdate } from "../../server/collab/headless.js";
import { captureFailures, signIn, startE2E, waitForHydration, type E2E, type UserPage, RESEND_ON_RESET } from "./helpers/browser.js";
import { caretToEnd, editorOf } from "./helpers/docs-browser.js";
import { docsWorld, type World } from "../server/docs/world.js";

let e2e: E2E;
captureFailures(() => e2e);
let w: World;
let docId: string;
let mia: UserPage, pia: UserPage;
const EDITOR_SCRIPT = /\/build\/.*DocEditor\.client-[^/]*\.js$/;

/** What each mention in `scope` shows, in order (hidden text left out, as a reader sees it). */
const shownMentions = (page: Page, scope: string) =>
  page.locator(`${scope} .doc-mention`).evaluateAll((els) => els.map((e) => (e as HTMLElement).innerText.trim()));

beforeAll(async () => {
  e2e = await startE2E({ env: { DOC_SETTLE_MS: "100" } });
  w = await docsWorld(e2e.app.atrium);
  const pid = w.people.pia.user.id;
  ({ id: docId } = await e2e.app.atrium.domain.docs.createDocument(w.people.mia.actor, { title: "Launch owners", spaceId: w.space.company.id, visibility: "company" }));
  // Written as a client could write it: the same person once as picked, once with a forged label,
  // and an id that names nobody.
  const state = editState(initialState(), () => {
    const p = $createParagraphNode();
    p.append(
      $createTextNode("Owner "),
      $createMentionNode(pid, "Pia Product"),
      $createTextNode(", approver "),
      $createMentionNode(pid, "CEO"),
      $createTextNode(", backup "),
      $createMentionNode("nosuchperson9", "CFO"),
    );
    $getRoot().clear().append(p);
  });
  const collab = e2e.app.atrium.ctx.collab;
  await collab.submit(docId, replaceContentUpdate(collab.state(docId), state), { userId: w.people.mia.user.id });
  [mia, pia] = await Promise.all([e2e.newUser(), e2e.newUser()]);
  await Promise.all([
    signIn(mia.page, e2e.url, w.people.mia.user.email, w.people.mia.password),
    signIn(pia.page, e2e.url, w.people.pia.user.email, w.people.pia.password),
  ]);
}, 300_000);
afterAll(async () => {
  await e2e?.close();
});

describe("@mentions show the person's current name", () => {
  it("after a rename on the profile page: at first paint and in the live editor, forged labels included", async () => {
    // Pia renames herself the way people do.
    const p = pia.page;
    await p.goto(`${e2e.url}/people/${w.people.pia.user.id}/edit`);
    await waitForHydration(p);
    await p.getByLabel("Name", { exact: true }).fill("Pia Renamed");
    await p.getByRole("button", { name: "Save profile" }).click();
    await p.getByTestId("profile-name").filter({ hasText: "Pia Renamed" }).waitFor();

    // The page's HTML: no stored label anywhere in it.
    const html = await (await mia.context.request.get(`${e2e.url}/docs/${docId}`, RESEND_ON_RESET)).text();
    expect(html).not.toContain("CEO");
    expect(html).not.toContain("CFO");

    // First paint, with the editor's script held back.
    const page = mia.page;
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    await page.route(EDITOR_SCRIPT, async (route) => {
      await held;
      await route.continue();
    });
    await page.goto(`${e2e.url}/docs/${docId}`);
    await waitForHydration(page);
    const staticScope = '[data-testid="doc-content-static"]';
    await page.locator(staticScope).locator(".doc-mention").first().waitFor();
    expect(await shownMentions(page, staticScope)).toEqual(["@Pia Renamed", "@Pia Renamed", "@former member"]);

    // The live editor, once it has mounted and synced.
    release();
    await page.locator('[data-testid="doc-connection"][data-state="connected"]').waitFor();
    await page.locator(staticScope).waitFor({ state: "detached" });
    const live = '[data-testid="doc-editor"]';
    await expect.poll(() => shownMentions(page, live)).toEqual(["@Pia Renamed", "@Pia Renamed", "@former member"]);
    const text = await editorOf(page).innerText();
    expect(text).toContain("Owner @Pia Renamed, approver @Pia Renamed, backup @former member");
    expect(text).not.toMatch(/CEO|CFO/);
    await page.unroute(EDITOR_SCRIPT);

    // Drawing names wrote nothing: the document still holds what was written.
    expect(readState(e2e.app.atrium.ctx.collab.state(docId)).text).toContain("@CEO");
    expect(mia.pageErrors).toEqual([]);
  });

  it("a rename while the document is open redraws its mentions without a reload", async () => {
    await e2e.app.atrium.domain.people.updateProfile(w.people.pia.actor, w.people.pia.user.id, { name: "Pia Again", timeZone: "UTC" });
    await expect.poll(() => shownMentions(mia.page, '[data-testid="doc-editor"]')).toEqual(["@Pia Again", "@Pia Again", "@former member"]);
  });

  it("a mention a collaborator adds, with a forged label, shows the person it names; typing still works", async () => {
    const collab = e2e.app.atrium.ctx.collab;
    const next = editState(collab.state(docId), () => {
      ($getRoot().getFirstChild() as ElementNode).append($createTextNode(", legal "), $createMentionNode(w.people.max.user.id, "CEO"));
    });
    await collab.submit(docId, replaceContentUpdate(collab.state(docId), next), { userId: w.people.pat.user.id });
    await expect.poll(() => shownMentions(mia.page, '[data-testid="doc-editor"]')).toEqual([
      "@Pia Again",
      "@Pia Again",
      "@former member",
      "@Max Marketing",
    ]);

    await caretToEnd(mia.page);
    await mia.page.keyboard.type(" today", { delay: 10 });
    await expect.poll(() => readState(collab.state(docId)).text).toMatch(/@CEO today$/);
    expect(await editorOf(mia.page).innerText()).toContain("legal @Max Marketing today");
    expect(mia.pageErrors).toEqual([]);
  });

  it("a mention picked from the menu reaches the shared document (drawing names never holds an edit back)", async () => {
    await caretToEnd(mia.page);
    await mia.page.keyboard.type(" cc @Pat", { delay: 20 });
    await mia.page.getByTestId("mention-menu").getByRole("option", { name: /Pat Product/ }).click();
    await expect.poll(() => readState(e2e.app.atrium.ctx.collab.state(docId)).mentions).toContain(w.people.pat.user.id);
    await expect.poll(() => shownMentions(mia.page, '[data-testid="doc-editor"]')).toEqual(["@Pia Again", "@Pia Again", "@former member", "@Max Marketing", "@Pat Product"]);
    // Still one token: Backspace after it (and its trailing space) removes the whole mention.
    await mia.page.keyboard.press("Backspace");
    await mia.page.keyboard.press("Backspace");
    await expect.poll(() => readState(e2e.app.atrium.ctx.collab.state(docId)).mentions).not.toContain(w.people.pat.user.id);
    expect(await shownMentions(mia.page, '[data-testid="doc-editor"]')).toEqual(["@Pia Again", "@Pia Again", "@former member", "@Max Marketing"]);
    expect(readState(e2e.app.atrium.ctx.collab.state(docId)).text).toMatch(/@CEO today cc $/);
    expect(mia.pageErrors).toEqual([]);
  });
});
