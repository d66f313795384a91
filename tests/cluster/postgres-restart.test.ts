/**
 * PostgreSQL restarted under a running cluster: three instances behind HAProxy on a PostgreSQL
 * server of the test's own, stopped as a crash would stop it while two people co-edit a document
 * in Chromium. While it is down every instance's /readyz fails closed (503, the database check
 * failing) and nothing typed is acknowledged; once it is back, /readyz recovers, the editors sync
 * what they typed meanwhile, nothing acknowledged before is lost, and both converge.
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
import { openPinned, startClusterFixture, startPrivatePostgres, type ClusterFixture, type PrivatePostgres } from "./helpers.js";

let pg: PrivatePostgres;
let fx: ClusterFixture;
let browser: Browser;
const contexts: { close(): Promise<void> }[] = [];

beforeAll(async () => {
  pg = await startPrivatePostgres();
  [fx, browser] = await Promise.all([startClusterFixture(3, { postgresPort: pg.port }), launchBrowser()]);
});
afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => {});
  await browser?.close();
  await fx?.close();
  await pg?.close();
});

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
const linesOf = (text: string) => text.split("\n").map((l) => l.trim()).filter(Boolean);
const missing = (lines: string[], text: string) => lines.filter((l) => !linesOf(text).includes(l));
const status = (page: Page) => page.getByTestId("doc-connection").getAttribute("data-state");
const readyz = async (url: string) => {
  const res = await fetch(`${url}/readyz`).catch(() => null);
  return res ? { status: res.status, database: ((await res.json()) as { checks?: { database?: string } }).checks?.database } : null;
};

describe("PostgreSQL restarted", () => {
  test("/readyz fails closed while it is down and recovers; editors sync what they typed meanwhile; nothing acknowledged is lost", async () => {
    const { setup } = fx;
    const owner = await makeAdmin(setup);
    const mia = await makeUser(setup, { name: "Mia Marketing" });
    const pia = await makeUser(setup, { name: "Pia Product" });
    await setup.domain.docs.ensureSpaces();
    const company = await setup.db.space.findFirstOrThrow({ where: { kind: "company" } });
    const { id: docId } = await setup.domain.docs.createDocument(owner.actor, { title: "Outage notes", spaceId: company.id });
    for (const p of [mia, pia]) await setup.domain.docs.shareDocument(owner.actor, docId, { principalType: "user", principalId: p.user.id, role: "editor" });

    const miaP = await openPinned(browser, fx, mia, "a1");
    const piaP = await openPinned(browser, fx, pia, "a2");
    contexts.push(miaP.context, piaP.context);
    await Promise.all([openDoc(miaP.page, fx.cluster.url, docId), openDoc(piaP.page, fx.cluster.url, docId)]);
    await caretToEnd(miaP.page);
    await miaP.page.keyboard.type("M1 before the outage", { delay: 8 });
    await waitForText(piaP.page, "M1 before the outage");
    await caretToEnd(piaP.page);
    await piaP.page.keyboard.press("Enter");
    await piaP.page.keyboard.type("P1 before the outage", { delay: 8 });
    await waitForText(miaP.page, "P1 before the outage");
    for (const p of [miaP.page, piaP.page]) await p.locator('[data-testid="doc-connection"][data-state="connected"]').waitFor();
    const acknowledged = ["M1 before the outage", "P1 before the outage"];
    expect(missing(acknowledged, await textInLog(docId))).toEqual([]);

    await pg.kill();
    for (const inst of fx.cluster.instances) {
      await expect.poll(() => readyz(inst.url), { timeout: 15_000 }).toEqual({ status: 503, database: expect.not.stringMatching(/^ok$/) });
    }
    // Typed while the database is down: kept in the browser, never shown as saved.
    await miaP.page.keyboard.press("Enter");
    await miaP.page.keyboard.type("M2 during the outage", { delay: 8 });
    await piaP.page.keyboard.press("Enter");
    await piaP.page.keyboard.type("P2 during the outage", { delay: 8 });
    await expect.poll(() => status(miaP.page), { timeout: 5_000 }).not.toBe("connected");
    await expect.poll(() => status(piaP.page), { timeout: 5_000 }).not.toBe("connected");

    await pg.start();
    for (const inst of fx.cluster.instances) {
      await expect.poll(() => readyz(inst.url), { timeout: 30_000 }).toEqual({ status: 200, database: "ok" });
    }
    for (const p of [miaP.page, piaP.page]) await p.locator('[data-testid="doc-connection"][data-state="connected"]').waitFor({ timeout: 30_000 });
    await miaP.page.keyboard.press("Enter");
    await miaP.page.keyboard.type("M3 after the outage", { delay: 8 });
    await piaP.page.keyboard.press("Enter");
    await piaP.page.keyboard.type("P3 after the outage", { delay: 8 });

    const every = [...acknowledged, "M2 during the outage", "P2 during the outage", "M3 after the outage", "P3 after the outage"];
    await expect.poll(async () => missing(every, await editorText(miaP.page)), { timeout: 15_000 }).toEqual([]);
    await expect.poll(async () => editorText(piaP.page), { timeout: 15_000 }).toBe(await editorText(miaP.page));
    for (const p of [miaP.page, piaP.page]) await p.locator('[data-testid="doc-connection"][data-state="connected"]').waitFor({ timeout: 15_000 });
    await expect.poll(async () => missing(every, await textInLog(docId)), { timeout: 10_000 }).toEqual([]);
    expect(linesOf(await textInLog(docId)).sort()).toEqual(linesOf(await editorText(miaP.page)).sort());
    expect([await miaP.instanceNow(), await piaP.instanceNow()]).toEqual(["a1", "a2"]);
  });
});
