/**
 * Three instances behind HAProxy, in Chromium through the balancer. Each browser is pinned to a
 * known instance (HAProxy's stickiness cookie), so "on different instances" is checked, not hoped.
 */
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { launchBrowser } from "../e2e/helpers/browser.js";
import { makeUser, sessionCookieFor } from "../helpers/app.js";
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

/** Polls the people search of every instance directly (its own port) for `name`. */
async function foundOnEveryInstance(cookie: string, name: string) {
  const found = await Promise.all(
    fx.cluster.instances.map(async (inst) => (await (await fetch(`${inst.url}/people?q=${encodeURIComponent(name)}`, { headers: { cookie } })).text()).includes(name)),
  );
  return found.every(Boolean);
}

describe("search and presence across instances", () => {
  test("a person added on one instance is found on all three; presence of someone on a1 is seen live on a2", async () => {
    const { setup } = fx;
    const viewer = await makeUser(setup, { name: "Vera Viewer" });
    const cookie = await sessionCookieFor(setup, viewer.user.email, viewer.password);
    await makeUser(setup, { name: "Zephyrine Quark" });
    await expect.poll(() => foundOnEveryInstance(cookie, "Zephyrine Quark"), { timeout: 5_000 }).toBe(true);

    const ana = await makeUser(setup, { name: "Ana Online" });
    const watcher = await openPinned(browser, fx, viewer, "a2");
    contexts.push(watcher.context);
    await watcher.page.goto(`${fx.cluster.url}/people/${ana.user.id}`);
    await waitLive(watcher.page);
    const dot = watcher.page.getByTestId(`presence-${ana.user.id}`);
    expect(await dot.getAttribute("data-state")).toBe("offline");
    const anaP = await openPinned(browser, fx, ana, "a1");
    contexts.push(anaP.context);
    await anaP.page.goto(`${fx.cluster.url}/`);
    await waitLive(anaP.page);
    await watcher.page.locator(`[data-testid="presence-${ana.user.id}"][data-state="online"]`).waitFor({ timeout: 5_000 });
    expect([await watcher.instanceNow(), await anaP.instanceNow()]).toEqual(["a2", "a1"]);
  });
});

describe("failures", () => {
  test("an instance SIGKILLed: its browser reconnects through the balancer to another instance; restarted, it is back in rotation", async () => {
    const who = await makeUser(fx.setup, { name: "Kim Killed" });
    const p = await openPinned(browser, fx, who, "a1");
    contexts.push(p.context);
    await p.page.goto(`${fx.cluster.url}/`);
    await waitLive(p.page);
    fx.cluster.instances[0]!.child.process.kill("SIGKILL");
    await fx.cluster.instances[0]!.child.exited;
    await p.page.locator('[data-testid="connection"][data-state="connected"]').waitFor({ state: "detached", timeout: 15_000 }).catch(() => {});
    await waitLive(p.page);
    // HAProxy re-pinned the browser to a surviving instance.
    expect(["a2", "a3"]).toContain(await p.instanceNow());
    expect((await p.page.goto(`${fx.cluster.url}/people?q=Kim`))?.status()).toBe(200);
    await fx.cluster.restart(0);
    expect(await fx.cluster.serverStates()).toEqual({ a1: "UP", a2: "UP", a3: "UP" });
  });

  test("Redis restarted: every instance is ready again, browsers reconnect, and cross-instance search keeps following", async () => {
    const viewer = await makeUser(fx.setup, { name: "Rita Restart" });
    const cookie = await sessionCookieFor(fx.setup, viewer.user.email, viewer.password);
    const p = await openPinned(browser, fx, viewer, "a2");
    contexts.push(p.context);
    await p.page.goto(`${fx.cluster.url}/`);
    await waitLive(p.page);
    await fx.redis.restart();
    for (const inst of fx.cluster.instances) {
      await expect.poll(async () => (await fetch(`${inst.url}/readyz`)).status, { timeout: 20_000 }).toBe(200);
    }
    await waitLive(p.page);
    await makeUser(fx.setup, { name: "Quentin Afterwards" });
    await expect.poll(() => foundOnEveryInstance(cookie, "Quentin Afterwards"), { timeout: 10_000 }).toBe(true);
  });
});
