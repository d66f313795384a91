/**
 * Trash in Chromium: the owner moves a document to the trash from its page (confirming), is told
 * where it went, finds it in Trash and restores it; a colleague who may not manage it never sees it
 * in their Trash, and a forged restore from them changes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { captureFailures, signIn, startE2E, waitForHydration, type E2E, type UserPage } from "./helpers/browser.js";
import { docsWorld, type World } from "../server/docs/world.js";

let e2e: E2E;
captureFailures(() => e2e);
let w: World;
let mia: UserPage, pat: UserPage;

beforeAll(async () => {
  e2e = await startE2E();
  w = await docsWorld(e2e.app.atrium);
  [mia, pat] = await Promise.all([e2e.newUser(), e2e.newUser()]);
  await Promise.all([
    signIn(mia.page, e2e.url, w.people.mia.user.email, w.people.mia.password),
    signIn(pat.page, e2e.url, w.people.pat.user.email, w.people.pat.password),
  ]);
}, 300_000);
afterAll(async () => {
  await e2e?.close();
});

const db = () => e2e.app.atrium.db;

describe("documents: trash", () => {
  it("the owner trashes a document from its page, finds it in Trash and restores it", async () => {
    const { id } = await e2e.app.atrium.domain.docs.createDocument(w.people.mia.actor, { title: "Offsite agenda", spaceId: w.space.marketing.id });
    const { page } = mia;
    await page.goto(`${e2e.url}/docs/${id}`);
    await waitForHydration(page);
    // "Move to trash" sits in the owner's Share dialog. Cancelling the confirmation keeps the document.
    await page.getByTestId("share-open").click();
    const asked = new Promise<string>((resolve) => page.once("dialog", (d) => (resolve(d.message()), void d.dismiss())));
    await page.getByRole("button", { name: "Move to trash" }).click();
    expect(await asked).toBe("Move this document to the trash?");
    await page.getByRole("button", { name: "Move to trash" }).waitFor();
    expect((await db().document.findUniqueOrThrow({ where: { id } })).deletedAt).toBeNull();

    page.once("dialog", (d) => void d.accept());
    await page.getByRole("button", { name: "Move to trash" }).click();
    await page.waitForURL(/\/docs\?trashed=1$/);
    await page.getByRole("status").filter({ hasText: "The document was moved to the trash." }).waitFor();
    expect((await db().document.findUniqueOrThrow({ where: { id } })).deletedAt).not.toBeNull();

    await page.getByRole("status").getByRole("link", { name: "Undo" }).click();
    await page.waitForURL(`${e2e.url}/docs/trash`);
    const row = page.getByTestId("trash").getByRole("listitem").filter({ hasText: "Offsite agenda" });
    await row.waitFor();
    expect(await row.textContent()).toContain("trashed");
    await row.getByRole("button", { name: "Restore" }).click();
    await page.waitForURL(`${e2e.url}/docs/${id}`);
    await page.getByTestId("share-open").waitFor();
    expect((await db().document.findUniqueOrThrow({ where: { id } })).deletedAt).toBeNull();
    await page.goto(`${e2e.url}/docs/trash`);
    await waitForHydration(page);
    expect(await page.getByTestId("trash").getByText("Offsite agenda").count()).toBe(0);
  });

  it("another department's member does not see the document in their Trash, and a forged restore changes nothing", async () => {
    const { id } = await e2e.app.atrium.domain.docs.createDocument(w.people.mia.actor, { title: "Marketing budget draft", spaceId: w.space.marketing.id });
    await e2e.app.atrium.domain.docs.trashDocument(w.people.mia.actor, id);
    const before = await db().document.findUniqueOrThrow({ where: { id } });
    const { page } = pat;
    await page.goto(`${e2e.url}/docs/trash`);
    await waitForHydration(page);
    await page.getByText("Nothing in the trash.").waitFor();
    // The Restore form, forged with the trashed document's id: refused, and the document stays trashed.
    const status = await page.evaluate(async (docId) => {
      const body = new URLSearchParams({ docId });
      const r = await fetch("/docs/trash", { method: "POST", body, headers: { "Content-Type": "application/x-www-form-urlencoded" }, redirect: "manual" });
      return r.status;
    }, id);
    expect([403, 404]).toContain(status);
    expect(await db().document.findUniqueOrThrow({ where: { id } })).toEqual(before);
    // The owner still finds it.
    await mia.page.goto(`${e2e.url}/docs/trash`);
    await mia.page.getByTestId("trash").getByRole("listitem").filter({ hasText: "Marketing budget draft" }).waitFor();
  });
});
