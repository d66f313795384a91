/**
 * Outgoing webhooks against a real HTTP receiver on loopback: signed payloads, only subscribed
 * events, retries with backoff, giving up, timeouts, redirects refused, and deliveries that survive
 * a restart of the app. Time is the test's clock: a retry falls due when the test moves the clock
 * and asks the dispatcher for a pass, and every wait is for the dispatcher to go idle.
 */
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { createAtrium } from "../../../server/atrium.js";
import { backoffMs } from "../../../server/platform/webhook-dispatcher.js";
import { sign, verifySignature } from "../../../server/platform/webhook-signature.js";
import { startTestApp, type TestApp } from "../../helpers/app.js";
import { makePerson, profileInput } from "../../factories.js";
import { manualClock } from "../../helpers/clock.js";

interface Received {
  path: string;
  headers: IncomingMessage["headers"];
  body: string;
}

/** A real HTTP server on 127.0.0.1 whose answers the test scripts. */
class Receiver {
  received: Received[] = [];
  answers: (number | "hang" | "redirect")[] = [];
  private server: Server;
  constructor() {
    this.server = createServer((req, res) => {
      let body = "";
      req.on("data", (c) => (body += c));
      req.on("end", () => {
        this.received.push({ path: req.url ?? "", headers: req.headers, body });
        const a = this.answers.shift() ?? 200;
        if (a === "hang") return; // never answers
        if (a === "redirect") return void res.writeHead(302, { Location: "http://127.0.0.1:1/elsewhere" }).end();
        res.writeHead(a, { "Content-Type": "text/plain" }).end(a === 200 ? "thanks" : `nope ${a}`);
      });
    });
  }
  listen() {
    return new Promise<number>((r) => this.server.listen(0, "127.0.0.1", () => r((this.server.address() as AddressInfo).port)));
  }
  close() {
    this.server.closeAllConnections();
    return new Promise<void>((r) => this.server.close(() => r()));
  }
}

const clock = manualClock("2031-03-10T09:00:00Z");

// The receiver is on loopback: opened by the allow-list (tests/server/security/webhook-ssrf.test.ts
// covers the refusal). Retries fall due on the test clock; the poller never runs on its own during
// a test, and a receiver has the default ten seconds to answer.
const ENV = { WEBHOOK_ALLOW_HOSTS: "127.0.0.1", WEBHOOK_RETRY_BASE_MS: "150", WEBHOOK_POLL_MS: "600000", WEBHOOK_MAX_ATTEMPTS: "3" };

let app: TestApp;
let receiver: Receiver;
let url = "";
let admin: Awaited<ReturnType<typeof makePerson>>;
let member: Awaited<ReturnType<typeof makePerson>>;

/** Sends what is due on the test clock and waits until the dispatcher has finished. */
async function pass(atrium = app.atrium) {
  atrium.webhooks.kick();
  await atrium.webhooks.idle();
}
const onlyDelivery = () => app.atrium.db.webhookDelivery.findFirstOrThrow();

beforeAll(async () => {
  receiver = new Receiver();
  url = `http://127.0.0.1:${await receiver.listen()}/hooks`;
  app = await startTestApp({ clock, env: ENV });
  admin = await makePerson(app.atrium, { role: "admin", name: "Wren Webhooks" });
  member = await makePerson(app.atrium, { name: "Mia Member" });
});
afterAll(async () => {
  await app?.close();
  await receiver?.close();
});
afterEach(async () => {
  await app.atrium.webhooks.idle();
  await app.atrium.db.webhook.deleteMany({});
  receiver.received = [];
  receiver.answers = [];
});

describe("signature", () => {
  test("a receiver verifies the body with the secret; a changed body, wrong secret or stale timestamp fails", () => {
    const body = '{"event":"person.updated"}';
    const header = sign("whsec_x", body, 1_700_000_000);
    expect(header).toMatch(/^t=1700000000,v1=[0-9a-f]{64}$/);
    expect(verifySignature("whsec_x", body, header, 1_700_000_010)).toBe(true);
    expect(verifySignature("whsec_x", body + " ", header, 1_700_000_010)).toBe(false);
    expect(verifySignature("whsec_y", body, header, 1_700_000_010)).toBe(false);
    expect(verifySignature("whsec_x", body, header, 1_700_000_000 + 301)).toBe(false);
    expect(verifySignature("whsec_x", body, "garbage", 1_700_000_000)).toBe(false);
  });

  test("backoff doubles per failed attempt, capped at a day", () => {
    expect([1, 2, 3, 4].map((a) => backoffMs(30_000, a))).toEqual([30_000, 60_000, 120_000, 240_000]);
    expect(backoffMs(30_000, 40)).toBe(86_400_000);
  });
});

describe("delivery", () => {
  test("only admins manage webhooks; changes are audited", async () => {
    await expect(app.atrium.domain.webhooks.createWebhook(member.actor, { url, events: ["person.updated"] })).rejects.toMatchObject({ status: 403 });
    await expect(app.atrium.domain.webhooks.createWebhook(admin.actor, { url: "ftp://x", events: ["person.updated"] })).rejects.toMatchObject({ status: 422 });
    await expect(app.atrium.domain.webhooks.createWebhook(admin.actor, { url, events: [] })).rejects.toMatchObject({ fieldErrors: { events: [expect.any(String)] } });
    const h = await app.atrium.domain.webhooks.createWebhook(admin.actor, { url, events: ["person.updated"] });
    expect(await app.atrium.db.auditEvent.findFirst({ where: { action: "webhook.created", targetId: h.id } })).toBeTruthy();
  });

  test("a subscribed event arrives signed, with its payload; the log keeps the response", async () => {
    const h = await app.atrium.domain.webhooks.createWebhook(admin.actor, { url, events: ["person.updated", "question.asked"], description: "HR" });
    await app.atrium.domain.people.updateProfile(member.actor, member.user.id, profileInput({ name: "Mia Renamed" }));
    await app.atrium.webhooks.idle();
    expect(receiver.received).toHaveLength(1);
    const [got] = receiver.received;
    expect(got!.headers["content-type"]).toBe("application/json");
    expect(got!.headers["atrium-event"]).toBe("person.updated");
    expect(verifySignature(h.secret, got!.body, got!.headers["atrium-signature"] as string, Math.floor(clock.t / 1000))).toBe(true);
    const body = JSON.parse(got!.body);
    expect(body).toMatchObject({ event: "person.updated", createdAt: new Date(clock.t).toISOString(), data: { userId: member.user.id }, id: got!.headers["atrium-delivery"] });
    const row = await app.atrium.db.webhookDelivery.findUniqueOrThrow({ where: { id: body.id } });
    expect(row).toMatchObject({ status: "succeeded", attempts: 1, lastStatusCode: 200, lastResponse: "thanks", lastError: "", deliveredAt: new Date(clock.t) });
    const page = await app.atrium.domain.webhooks.getWebhook(admin.actor, h.id);
    expect(page.deliveries[0]).toMatchObject({ id: body.id, status: "succeeded", lastResponse: "thanks" });
  });

  test("events of features still to come are forwarded by name", async () => {
    await app.atrium.domain.webhooks.createWebhook(admin.actor, { url, events: ["question.asked"] });
    await app.atrium.ctx.bus.publish("question.asked" as never, { questionId: "q1" } as never);
    await app.atrium.webhooks.idle();
    expect(receiver.received.map((r) => JSON.parse(r.body))).toMatchObject([{ event: "question.asked", data: { questionId: "q1" } }]);
  });

  test("unsubscribed events and disabled webhooks send nothing; the one subscribed, active webhook does", async () => {
    const control = await app.atrium.domain.webhooks.createWebhook(admin.actor, { url: url.replace(/\/hooks$/, "/control"), events: ["person.updated"] });
    await app.atrium.domain.webhooks.createWebhook(admin.actor, { url, events: ["insight.routed"] });
    await app.atrium.domain.webhooks.createWebhook(admin.actor, { url, events: ["person.updated"], active: false });
    await app.atrium.domain.people.updateProfile(member.actor, member.user.id, profileInput({ name: "Mia Again" }));
    await app.atrium.webhooks.idle();
    expect(receiver.received.map((r) => r.path)).toEqual(["/control"]);
    expect((await app.atrium.db.webhookDelivery.findMany({ select: { webhookId: true } })).map((d) => d.webhookId)).toEqual([control.id]);
  });

  test("failures are retried with exponential backoff until one succeeds, never before they are due", async () => {
    receiver.answers = [500, 503, 200];
    await app.atrium.domain.webhooks.createWebhook(admin.actor, { url, events: ["person.updated"] });
    await app.atrium.domain.people.updateProfile(member.actor, member.user.id, profileInput({ name: "Mia Retry" }));
    await app.atrium.webhooks.idle();
    const failedAt = clock.t;
    expect(await onlyDelivery()).toMatchObject({
      status: "pending",
      attempts: 1,
      lastStatusCode: 500,
      lastResponse: "nope 500",
      lastError: "HTTP 500",
      lastAttemptAt: new Date(failedAt),
      nextAttemptAt: new Date(failedAt + 150),
      deliveredAt: null,
    });
    clock.t = failedAt + 149;
    await pass();
    expect(receiver.received).toHaveLength(1);
    clock.t = failedAt + 150;
    await pass();
    expect(await onlyDelivery()).toMatchObject({ status: "pending", attempts: 2, lastStatusCode: 503, nextAttemptAt: new Date(failedAt + 150 + 300) });
    clock.t = failedAt + 150 + 299;
    await pass();
    expect(receiver.received).toHaveLength(2);
    clock.t = failedAt + 150 + 300;
    await pass();
    expect(await onlyDelivery()).toMatchObject({ status: "succeeded", attempts: 3, lastStatusCode: 200, lastError: "", deliveredAt: new Date(clock.t) });
    // Every attempt is signed afresh with the same body.
    expect(receiver.received).toHaveLength(3);
    expect(new Set(receiver.received.map((r) => r.body)).size).toBe(1);
  });

  test("after the last attempt the delivery is marked failed; an admin can send it again", async () => {
    receiver.answers = [503, 503, 503];
    const h = await app.atrium.domain.webhooks.createWebhook(admin.actor, { url, events: ["person.updated"] });
    await app.atrium.domain.people.updateProfile(member.actor, member.user.id, profileInput({ name: "Mia Fails" }));
    await app.atrium.webhooks.idle();
    clock.t += 150;
    await pass();
    clock.t += 300;
    await pass();
    const failed = await onlyDelivery();
    expect(failed).toMatchObject({ status: "failed", attempts: 3, lastError: "HTTP 503" });
    expect(receiver.received).toHaveLength(3);
    // Given up: however late it gets, it is not sent again by itself.
    clock.t += 86_400_000;
    await pass();
    expect(receiver.received).toHaveLength(3);
    const again = await app.atrium.domain.webhooks.redeliver(admin.actor, failed.id);
    await app.atrium.webhooks.idle();
    expect(await app.atrium.db.webhookDelivery.findUniqueOrThrow({ where: { id: again } })).toMatchObject({ status: "succeeded", payload: failed.payload });
    expect((await app.atrium.domain.webhooks.listWebhooks(admin.actor)).find((x) => x.id === h.id)).toMatchObject({ delivered: 1, failed: 1, secret: undefined });
  });

  test("a redirect is not followed: it is a failed attempt, retried later", async () => {
    receiver.answers = ["redirect"];
    await app.atrium.domain.webhooks.createWebhook(admin.actor, { url, events: ["person.updated"] });
    await app.atrium.domain.people.updateProfile(member.actor, member.user.id, profileInput({ name: "Mia Redirected" }));
    await app.atrium.webhooks.idle();
    expect(await onlyDelivery()).toMatchObject({ status: "pending", attempts: 1, lastStatusCode: 302, lastError: "HTTP 302" });
    expect(receiver.received.map((r) => r.path)).toEqual(["/hooks"]);
  });
});

test("a receiver that never answers times out", async () => {
  // Its own app: a short time to answer would fail ordinary deliveries on a busy machine.
  const silent = new Receiver();
  silent.answers = ["hang"];
  const port = await silent.listen();
  const short = await startTestApp({ clock, env: { ...ENV, WEBHOOK_TIMEOUT_MS: "300" } });
  try {
    const boss = await makePerson(short.atrium, { role: "admin" });
    await short.atrium.domain.webhooks.createWebhook(boss.actor, { url: `http://127.0.0.1:${port}/silent`, events: ["person.updated"] });
    await short.atrium.domain.people.updateProfile(boss.actor, boss.user.id, profileInput({ name: "Nobody Answers" }));
    await short.atrium.webhooks.idle();
    expect(await short.atrium.db.webhookDelivery.findFirstOrThrow()).toMatchObject({ status: "pending", attempts: 1, lastStatusCode: null, lastError: "No answer within 300 ms" });
  } finally {
    await short.close();
    await silent.close();
  }
});

test("deliveries are persisted first, so they survive a restart of the app", async () => {
  // A receiver that is failing (503) stays bound to its port for the whole test, so nothing else
  // can take the address between the two runs of the app; it recovers while the app is down.
  const later = new Receiver();
  later.answers = [503];
  const port = await later.listen();
  const downUrl = `http://127.0.0.1:${port}/later`;
  const first = await startTestApp({ clock, env: { ...ENV, WEBHOOK_RETRY_BASE_MS: "2500", WEBHOOK_MAX_ATTEMPTS: "5" } });
  const env = first.atrium.ctx.env;
  const boss = await makePerson(first.atrium, { role: "admin" });
  await first.atrium.domain.webhooks.createWebhook(boss.actor, { url: downUrl, events: ["person.updated"] });
  await first.atrium.domain.people.updateProfile(boss.actor, boss.user.id, profileInput({ name: "Before Restart" }));
  await first.atrium.webhooks.idle();
  expect(await first.atrium.db.webhookDelivery.findFirstOrThrow()).toMatchObject({ status: "pending", attempts: 1, lastStatusCode: 503 });
  await first.atrium.close(); // the process "dies" with the delivery pending
  expect(later.received).toHaveLength(1);
  expect(later.answers).toEqual([]); // from now on it answers 200

  clock.t += 2500; // the retry is due when the app comes back
  const second = await createAtrium({ env, withPages: false, clock });
  try {
    await second.webhooks.idle(); // the pass the dispatcher starts with
    const done = await second.db.webhookDelivery.findFirstOrThrow();
    expect(done).toMatchObject({ status: "succeeded", attempts: 2 });
    expect(later.received).toHaveLength(2);
    expect(later.received[1]!.body).toBe(later.received[0]!.body);
    expect(JSON.parse(later.received[1]!.body).data.userId).toBe(boss.user.id);
  } finally {
    await second.close();
    await later.close();
    await first.close().catch(() => {});
  }
});

test("the admin pages add a webhook, show its secret and log, and refuse members", async () => {
  const pages = await startTestApp({ withPages: true, env: ENV });
  try {
    const { sessionCookieFor } = await import("../../helpers/app.js");
    const boss = await makePerson(pages.atrium, { role: "admin", email: "hooks-admin@example.test" });
    const worker = await makePerson(pages.atrium, { email: "hooks-member@example.test" });
    const cookie = await sessionCookieFor(pages.atrium, boss.user.email, boss.password);
    const form = new URLSearchParams([["intent", "create"], ["url", url], ["description", "From the page"], ["events", "person.updated"], ["events", "insight.routed"], ["active", "on"]]);
    const res = await fetch(`${pages.url}/admin/webhooks`, { method: "POST", redirect: "manual", headers: { Cookie: cookie, "Content-Type": "application/x-www-form-urlencoded" }, body: form });
    expect(res.status).toBe(302);
    const location = res.headers.get("location")!;
    expect(location).toMatch(/^\/admin\/webhooks\/\w+\?created=1$/);
    const hook = await pages.atrium.db.webhook.findFirstOrThrow();
    expect(JSON.parse(hook.events)).toEqual(["insight.routed", "person.updated"]);
    await pages.atrium.domain.people.updateProfile(worker.actor, worker.user.id, profileInput({ name: "Logged Delivery" }));
    await pages.atrium.webhooks.idle();
    expect(await pages.atrium.db.webhookDelivery.findFirstOrThrow()).toMatchObject({ status: "succeeded" });
    const html = await (await fetch(`${pages.url}${location}`, { headers: { Cookie: cookie } })).text();
    expect(html).toContain(hook.secret);
    expect(html).toContain('data-status="succeeded"');
    expect(html).toContain("thanks");
    const bad = await fetch(`${pages.url}/admin/webhooks`, { method: "POST", headers: { Cookie: cookie, "Content-Type": "application/x-www-form-urlencoded" }, body: new URLSearchParams({ url: "not a url" }) });
    expect(bad.status).toBe(422);
    expect(await bad.text()).toContain("Choose at least one event.");
    const memberCookie = await sessionCookieFor(pages.atrium, worker.user.email, worker.password);
    expect((await fetch(`${pages.url}/admin/webhooks`, { headers: { Cookie: memberCookie } })).status).toBe(403);
  } finally {
    await pages.close();
  }
});
