/**
 * Three instances behind HAProxy, in Chromium through the balancer. Each browser is pinned to a
 * known instance (HAProxy's stickiness cookie), so "on different instances" is checked, not hoped.
 */
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { launchBrowser } from "../e2e/helpers/browser.js";
import { makeUser } from "../helpers/app.js";
import { makeAccount, makeAdmin } from "../server/insights/factories.js";
import { openPinned, startClusterFixture, waitLive, type ClusterFixture } from "./helpers.js";

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

describe("the balancer", () => {
  test("new visitors are spread over the three instances, each ready (database and Redis answer)", async () => {
    expect(await fx.cluster.serverStates()).toEqual({ a1: "UP", a2: "UP", a3: "UP" });
    const landed = new Set<string>();
    for (let i = 0; i < 9; i++) {
      const res = await fetch(`${fx.cluster.url}/healthz`);
      expect(res.status).toBe(200);
      landed.add(/atrium_instance=(a\d)/.exec(res.headers.get("set-cookie") ?? "")?.[1] ?? "none");
    }
    expect([...landed].sort()).toEqual(["a1", "a2", "a3"]);
    for (const inst of fx.cluster.instances) {
      expect(await (await fetch(`${inst.url}/readyz`)).json()).toEqual({ ok: true, status: "ready", checks: { database: "ok", redis: "ok" } });
    }
  });
});

describe("story 1 across instances", () => {
  test("an insight posted on a3 reaches the two team members on a1 and a2 in under 2 s", async () => {
    const { setup } = fx;
    const admin = await makeAdmin(setup);
    const omar = await makeUser(setup, { name: "Omar Okafor", title: "Billing specialist" });
    const fay = await makeUser(setup, { name: "Fay Fischer" });
    const sara = await makeUser(setup, { name: "Sara Support", title: "Support agent" });
    // The demo's Finance Operations team, which the demo's "Billing complaints" rule routes to.
    const team = await setup.db.team.findFirstOrThrow({ where: { name: "Finance Operations" } });
    for (const p of [omar, fay]) await setup.domain.org.setTeamMembership(admin.actor, team.id, p.user.id, true);
    await makeAccount(setup, admin.actor, "Initech Test Co", "gold");

    const omarP = await openPinned(browser, fx, omar, "a1");
    const fayP = await openPinned(browser, fx, fay, "a2");
    const agent = await openPinned(browser, fx, sara, "a3");
    contexts.push(omarP.context, fayP.context, agent.context);
    for (const p of [omarP, fayP]) {
      await p.page.goto(`${fx.cluster.url}/insights/inbox`);
      await waitLive(p.page);
      await p.page.evaluate(() => {
        const seen: Record<string, number> = ((window as unknown as { __seenAt: Record<string, number> }).__seenAt = {});
        new MutationObserver(() => {
          for (const el of document.querySelectorAll('[data-testid="insight"][data-id]')) seen[el.getAttribute("data-id")!] ??= Date.now();
        }).observe(document.body, { childList: true, subtree: true });
      });
    }
    await agent.page.goto(`${fx.cluster.url}/insights/new`);
    await waitLive(agent.page);
    await agent.page.getByLabel("What the customer said (verbatim)").fill("@globex_help your invoices are WRONG again, charged twice. Terrible.");
    await agent.page.getByLabel("Channel").selectOption("twitter");
    await agent.page.getByLabel("Customer account").selectOption({ label: "Initech Test Co — gold, Enterprise" });
    await agent.page.getByLabel("Topics (comma-separated)").fill("billing");
    const postedAt = Date.now();
    await agent.page.getByRole("button", { name: "Post insight" }).click();
    await agent.page.waitForURL(/\/insights\/[^/]+\?posted=1$/);
    const insightId = new URL(agent.page.url()).pathname.split("/").pop()!;
    for (const p of [omarP, fayP]) {
      await p.page.locator(`[data-testid="insight"][data-id="${insightId}"]`).waitFor();
      const seenAt = await p.page.evaluate((id) => (window as unknown as { __seenAt: Record<string, number> }).__seenAt[id], insightId);
      expect(seenAt - postedAt).toBeLessThan(2_000);
    }
    // Nobody was moved: each browser is still on the instance it was pinned to.
    expect([await omarP.instanceNow(), await fayP.instanceNow(), await agent.instanceNow()]).toEqual(["a1", "a2", "a3"]);
  });
});
