/**
 * Story 3 across instances: two people co-edit one document in Chromium, each pinned to a
 * different instance behind HAProxy. While both type, one of the two instances is SIGKILLed. Its
 * browser reconnects through the balancer to a surviving instance and keeps going. Nothing either
 * of them saw acknowledged ("Connected": everything typed is durably on the server) is lost, every
 * line typed ends up in the document (read back from the shared log, and by a third person on a
 * freshly started instance), and every editor converges to the same text.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import * as Y from "yjs";
import { readState } from "../../server/collab/headless.js";
import { openDocLog } from "../../server/collab/update-log.js";
import { launchBrowser } from "../e2e/helpers/browser.js";
import { caretToEnd, editorText, openDoc, waitForText } from "../e2e/helpers/docs-browser.js";
import { makeUser } from "../helpers/app.js";
import { makeAdmin } from "../server/insights/factories.js";
import { openPinned, startClusterFixture, type ClusterFixture } from "./helpers.js";

let fx: ClusterFixture;
let browser: Browser;
const contexts: { close(): Promise<void> }[] = [];

beforeAll(async () => {
  [fx, browser] = await Promise.all([startClusterFixture(3), launchBrowser()]);
});
afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => {});
  await browser?.close();
  await fx?.close();
});

/** Lines typed that are not among the lines of `text`. */
const missing = (lines: string[], text: string) => {
  const have = new Set(linesOfText(text));
  return lines.filter((l) => !have.has(l));
};
const linesOfText = (text: string) => text.split("\n").map((l) => l.trim()).filter(Boolean);

/** The document as the shared log holds it: snapshot plus every update after it. */
async function textInLog(docId: string): Promise<string> {
  const log = await openDocLog(fx.databaseUrl, "normal", true);
  try {
    const stored = await log.load(docId);
    const doc = new Y.Doc();
    if (stored.state) Y.applyUpdate(doc, stored.state);
    for (const u of stored.updates) Y.applyUpdate(doc, u.update);
    return readState(Y.encodeStateAsUpdate(doc)).text;
  } finally {
    await log.close();
  }
}

/**
 * Records, in the page, every line of the editor that starts with `prefix` at each moment the
 * document's status shows "Connected" (no update left unacknowledged): those lines are durable.
 */
async function recordAcknowledged(page: Page, prefix: string) {
  await page.evaluate((prefix) => {
    const w = window as unknown as { __acked: string[] };
    const acked = new Set<string>();
    w.__acked = [];
    const status = document.querySelector('[data-testid="doc-connection"]')!;
    const editor = document.querySelector('[data-testid="doc-editor"]') as HTMLElement;
    const take = () => {
      if (status.getAttribute("data-state") !== "connected") return;
      for (const line of editor.innerText.split("\n")) if (line.startsWith(prefix)) acked.add(line.trim());
      w.__acked = [...acked];
    };
    new MutationObserver(take).observe(status, { attributes: true, attributeFilter: ["data-state"] });
  }, prefix);
}
const acknowledged = (page: Page) => page.evaluate(() => (window as unknown as { __acked: string[] }).__acked);
const linesOf = linesOfText;
/**
 * Acknowledged text per line ("M03 Mia li" was durable when "Connected" showed, "M03 Mia line 3"
 * later): the longest seen of each line, named by its first three characters.
 */
const longestPerLine = (seen: string[]) => {
  const best = new Map<string, string>();
  for (const s of seen) if (s.length >= 3 && s.length > (best.get(s.slice(0, 3))?.length ?? 0)) best.set(s.slice(0, 3), s);
  return [...best.values()];
};

describe("story 3 across instances", () => {
  test("two editors on a2 and a3; a2 is SIGKILLed while both type; nothing acknowledged is lost and everyone converges", async () => {
    const { setup } = fx;
    const owner = await makeAdmin(setup);
    const mia = await makeUser(setup, { name: "Mia Marketing" });
    const pia = await makeUser(setup, { name: "Pia Product" });
    const rex = await makeUser(setup, { name: "Rex Reader" });
    await setup.domain.docs.ensureSpaces();
    const company = await setup.db.space.findFirstOrThrow({ where: { kind: "company" } });
    const { id: docId } = await setup.domain.docs.createDocument(owner.actor, { title: "Q3 launch brief", spaceId: company.id });
    for (const p of [mia, pia, rex]) {
      await setup.domain.docs.shareDocument(owner.actor, docId, { principalType: "user", principalId: p.user.id, role: "editor" });
    }

    const miaP = await openPinned(browser, fx, mia, "a2");
    const piaP = await openPinned(browser, fx, pia, "a3");
    contexts.push(miaP.context, piaP.context);
    await Promise.all([openDoc(miaP.page, fx.cluster.url, docId), openDoc(piaP.page, fx.cluster.url, docId)]);
    // Each writes in a paragraph of their own: Mia's first, then Pia's after it.
    await caretToEnd(miaP.page);
    await miaP.page.keyboard.type("M00 Mia starts", { delay: 10 });
    await waitForText(piaP.page, "M00 Mia starts");
    await caretToEnd(piaP.page);
    await piaP.page.keyboard.press("Enter");
    await piaP.page.keyboard.type("P00 Pia starts", { delay: 10 });
    await waitForText(miaP.page, "P00 Pia starts");
    await recordAcknowledged(miaP.page, "M");
    await recordAcknowledged(piaP.page, "P");

    const typed: Record<"M" | "P", string[]> = { M: ["M00 Mia starts"], P: ["P00 Pia starts"] };
    const LINES = 14;
    const KILL_AFTER = 6;
    const a2 = fx.cluster.instances[1]!;
    const typeLines = async (page: Page, prefix: "M" | "P", who: string) => {
      for (let i = 1; i <= LINES; i++) {
        const line = `${prefix}${String(i).padStart(2, "0")} ${who} line ${i}`;
        await page.keyboard.press("Enter");
        await page.keyboard.type(line, { delay: 8 });
        typed[prefix].push(line);
        if (prefix === "M" && i === KILL_AFTER) {
          // Mia's lines so far were acknowledged by a2. Her network drops and a2 dies while Pia
          // keeps typing: what Mia saw acknowledged now exists only in what a2 committed.
          await expect.poll(() => acknowledged(page).then((a) => a.includes(line)), { timeout: 5_000 }).toBe(true);
          expect(await miaP.instanceNow()).toBe("a2");
          await miaP.context.setOffline(true);
          a2.child.process.kill("SIGKILL");
          await a2.child.exited;
          const ackedByA2 = longestPerLine(await acknowledged(page));
          expect(ackedByA2).toContain(line);
          const lost = async (text: string) => ackedByA2.filter((a) => !linesOf(text).some((l) => l.startsWith(a)));
          await expect.poll(async () => lost(await textInLog(docId)), { timeout: 10_000 }).toEqual([]);
          await expect.poll(async () => lost(await editorText(piaP.page)), { timeout: 10_000 }).toEqual([]);
          // Mia did not resend them: she is still cut off.
          expect(await page.getByTestId("doc-connection").getAttribute("data-state")).not.toBe("connected");
          await miaP.context.setOffline(false);
        }
      }
    };
    await Promise.all([typeLines(miaP.page, "M", "Mia"), typeLines(piaP.page, "P", "Pia")]);

    // Mia's browser is moved to a surviving instance by the balancer and syncs what she typed.
    for (const p of [miaP.page, piaP.page]) await p.locator('[data-testid="doc-connection"][data-state="connected"]').waitFor({ timeout: 20_000 });
    expect(["a1", "a3"]).toContain(await miaP.instanceNow());
    expect(await piaP.instanceNow()).toBe("a3");

    const everyLine = [...typed.M, ...typed.P];
    await expect.poll(async () => missing(everyLine, await editorText(miaP.page)), { timeout: 15_000 }).toEqual([]);
    await expect.poll(async () => editorText(piaP.page), { timeout: 15_000 }).toBe(await editorText(miaP.page));
    const final = linesOf(await editorText(miaP.page));
    expect(final.sort()).toEqual([...everyLine].sort());

    // Every acknowledged line (and, since no edit was dropped, every typed line) is in the log.
    const acked = longestPerLine([...(await acknowledged(miaP.page)), ...(await acknowledged(piaP.page))]);
    expect(acked.filter((a) => everyLine.includes(a)).length).toBeGreaterThan(KILL_AFTER);
    await expect.poll(async () => missing(everyLine, await textInLog(docId)), { timeout: 10_000 }).toEqual([]);
    const inLog = linesOf(await textInLog(docId));
    expect(acked.filter((a) => !inLog.some((l) => l.startsWith(a)))).toEqual([]);
    expect([...inLog].sort()).toEqual([...final].sort());

    // A third person opening the document on the restarted a2 (a fresh instance, nothing in
    // memory) reads the same text.
    await fx.cluster.restart(1);
    expect(await fx.cluster.serverStates()).toEqual({ a1: "UP", a2: "UP", a3: "UP" });
    const rexP = await openPinned(browser, fx, rex, "a2");
    contexts.push(rexP.context);
    await openDoc(rexP.page, fx.cluster.url, docId);
    expect(await rexP.instanceNow()).toBe("a2");
    await expect.poll(() => editorText(rexP.page), { timeout: 10_000 }).toBe(await editorText(miaP.page));
  });
});
