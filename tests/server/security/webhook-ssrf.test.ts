/**
 * Webhooks cannot be turned against the server's own network. A real HTTP server started by this
 * test on loopback plays the "internal service"; by default it must never receive a request —
 * whether the address is written 127.0.0.1, localhost, 0.0.0.0, 2130706433, 0x7f.1 or
 * [::ffff:127.0.0.1], whether it is refused when saved or (saved earlier, or by a name that now
 * resolves elsewhere: DNS rebinding) at connect time. WEBHOOK_ALLOW_HOSTS opens it on purpose.
 * The delivery log keeps only the status and a short, single-line excerpt of the answer.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { isForbiddenAddress, parseAllowList, resolveAllowed } from "../../../server/platform/outbound-guard.js";
import { sanitiseResponseBody } from "../../../server/platform/webhook-dispatcher.js";
import { startTestApp, type TestApp } from "../../helpers/app.js";
import { makePerson, profileInput } from "../../factories.js";

const SECRET_PAGE = "TOP-SECRET internal page\r\n<script>alert(1)</script>\n" + "x".repeat(5000);

class InternalService {
  hits = 0;
  private server: Server = createServer((req, res) => {
    this.hits++;
    req.resume();
    req.on("end", () => res.writeHead(200, { "Content-Type": "text/plain" }).end(SECRET_PAGE));
  });
  port = 0;
  async listen() {
    await new Promise<void>((r) => this.server.listen(0, "127.0.0.1", () => r()));
    this.port = (this.server.address() as AddressInfo).port;
  }
  close() {
    this.server.closeAllConnections();
    return new Promise<void>((r) => this.server.close(() => r()));
  }
}

async function until<T>(fn: () => Promise<T>, ok: (v: T) => boolean, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (ok(v)) return v;
    if (Date.now() > end) throw new Error(`timed out; last value ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const ENV = { WEBHOOK_POLL_MS: "40", WEBHOOK_RETRY_BASE_MS: "100", WEBHOOK_MAX_ATTEMPTS: "3", WEBHOOK_TIMEOUT_MS: "2000" };

let internal: InternalService;
beforeAll(async () => {
  internal = new InternalService();
  await internal.listen();
});
afterAll(() => internal?.close());

describe("the address rules", () => {
  test.each([
    "127.0.0.1", "127.255.1.2", "0.0.0.0", "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1", "100.64.0.1", "169.254.169.254",
    "169.254.0.1", "224.0.0.1", "255.255.255.255", "::1", "::", "::ffff:127.0.0.1", "::ffff:7f00:1", "::ffff:a9fe:a9fe", "::ffff:10.0.0.1",
    "64:ff9b::7f00:1", "2002:7f00:1::1", "fd00::1", "fc12::1", "fe80::1", "ff02::1", "not-an-ip",
  ])("%s is refused", (ip) => {
    expect(isForbiddenAddress(ip)).toBe(true);
  });

  test.each(["93.184.216.34", "8.8.8.8", "1.1.1.1", "172.32.0.1", "2606:4700:4700::1111", "::ffff:8.8.8.8"])("%s is public", (ip) => {
    expect(isForbiddenAddress(ip)).toBe(false);
  });

  test("decimal, octal and hex spellings are refused once the URL parser has read them", async () => {
    const none = parseAllowList([]);
    for (const url of ["http://2130706433/", "http://0177.0.0.1/", "http://0x7f.1/", "http://0x7f000001/", "http://[::ffff:127.0.0.1]/", "http://[::]/", "http://0/"]) {
      await expect(resolveAllowed(new URL(url).hostname, none), url).rejects.toThrow(/private, loopback/);
    }
  });

  test("a name with any private address among its answers is refused; an allow-listed CIDR or name opens it", async () => {
    const resolver = async () => [{ address: "93.184.216.34", family: 4 }, { address: "10.0.0.5", family: 4 }];
    await expect(resolveAllowed("mixed.example", parseAllowList([]), resolver)).rejects.toThrow(/10\.0\.0\.5/);
    await expect(resolveAllowed("mixed.example", parseAllowList(["10.0.0.0/8"]), resolver)).resolves.toHaveLength(2);
    await expect(resolveAllowed("mixed.example", parseAllowList(["mixed.example"]), resolver)).resolves.toHaveLength(2);
  });

  test("a name that resolves to no address is refused, even when allow-listed", async () => {
    const nothing = async () => [];
    await expect(resolveAllowed("empty.example", parseAllowList([]), nothing)).rejects.toThrow("empty.example does not resolve to any address.");
    await expect(resolveAllowed("empty.example", parseAllowList(["empty.example"]), nothing)).rejects.toThrow("does not resolve");
  });

  test("the kept response is short, one line, printable", () => {
    const kept = sanitiseResponseBody(SECRET_PAGE);
    expect(kept.length).toBeLessThanOrEqual(200);
    expect(kept).not.toMatch(/[\r\n\t]/);
    expect(sanitiseResponseBody("ok\u202e\u0000done")).toBe("ok done");
  });
});

describe("by default, loopback targets are refused", () => {
  let app: TestApp;
  let admin: Awaited<ReturnType<typeof makePerson>>;
  beforeAll(async () => {
    app = await startTestApp({ env: ENV });
    admin = await makePerson(app.atrium, { role: "admin" });
  });
  afterAll(() => app?.close());
  afterEach(async () => {
    await app.atrium.db.webhook.deleteMany({});
    app.atrium.webhooks.resolver = (await import("../../../server/platform/outbound-guard.js")).systemResolver;
  });

  const hosts = () => [
    `http://127.0.0.1:${internal.port}/secret`,
    `http://localhost:${internal.port}/secret`,
    `http://0.0.0.0:${internal.port}/secret`,
    `http://2130706433:${internal.port}/secret`,
    `http://0x7f.1:${internal.port}/secret`,
    `http://0177.0.0.1:${internal.port}/secret`,
    `http://[::ffff:127.0.0.1]:${internal.port}/secret`,
    `http://[::1]:${internal.port}/secret`,
    `http://169.254.169.254/latest/meta-data/`,
    `http://10.0.0.1/`,
  ];

  test("saving such a webhook is refused with a message on the address field; nothing is written", async () => {
    for (const url of hosts()) {
      await expect(app.atrium.domain.webhooks.createWebhook(admin.actor, { url, events: ["person.updated"] }), url).rejects.toMatchObject({
        status: 422,
        fieldErrors: { url: [expect.stringMatching(/private, loopback, link-local or reserved address/)] },
      });
    }
    expect(await app.atrium.db.webhook.count()).toBe(0);
    expect(await app.atrium.db.auditEvent.count({ where: { action: "webhook.created" } })).toBe(0);
  });

  test("changing a saved webhook to such an address is refused too", async () => {
    app.atrium.webhooks.resolver = async () => [{ address: "93.184.216.34", family: 4 }];
    const row = await app.atrium.db.webhook.create({ data: { url: "https://hooks.example.com/in", events: '["person.updated"]', secret: "whsec_t" } });
    await expect(app.atrium.domain.webhooks.updateWebhook(admin.actor, row.id, { url: `http://127.0.0.1:${internal.port}/secret`, events: ["person.updated"] })).rejects.toMatchObject({ status: 422 });
    expect((await app.atrium.db.webhook.findUniqueOrThrow({ where: { id: row.id } })).url).toBe("https://hooks.example.com/in");
  });

  test("a webhook already saved with such an address is refused at delivery: the server never sees a request", async () => {
    const urls = hosts().slice(0, 8);
    for (const url of urls) await app.atrium.db.webhook.create({ data: { url, events: '["person.updated"]', secret: "whsec_t" } });
    const hitsBefore = internal.hits;
    await app.atrium.domain.people.updateProfile(admin.actor, admin.user.id, profileInput({ name: "Probe One" }));
    const rows = await until(() => app.atrium.db.webhookDelivery.findMany({ include: { webhook: { select: { url: true } } } }), (r) => r.length === urls.length && r.every((d) => d.status !== "pending"));
    for (const d of rows) {
      expect(d, d.webhook.url).toMatchObject({ status: "failed", attempts: 1, lastStatusCode: null, lastResponse: "" });
      expect(d.lastError, d.webhook.url).toMatch(/^Refused: .*private, loopback/);
    }
    expect(internal.hits).toBe(hitsBefore);
  });

  test("DNS rebinding: a name that resolves to loopback at connect time is refused", async () => {
    app.atrium.webhooks.resolver = async () => [{ address: "127.0.0.1", family: 4 }];
    await app.atrium.db.webhook.create({ data: { url: `http://rebind.example:${internal.port}/secret`, events: '["person.updated"]', secret: "whsec_t" } });
    const hitsBefore = internal.hits;
    await app.atrium.domain.people.updateProfile(admin.actor, admin.user.id, profileInput({ name: "Probe Two" }));
    const d = await until(() => app.atrium.db.webhookDelivery.findFirstOrThrow(), (r) => r.status !== "pending");
    expect(d.status).toBe("failed");
    expect(d.lastError).toMatch(/^Refused: rebind\.example \(127\.0\.0\.1\)/);
    expect(internal.hits).toBe(hitsBefore);
  });
});

describe("WEBHOOK_ALLOW_HOSTS opens on-premise targets", () => {
  test("with the loopback address allow-listed, the webhook is saved and delivered; the log keeps a short excerpt", async () => {
    const app = await startTestApp({ env: { ...ENV, WEBHOOK_ALLOW_HOSTS: "127.0.0.0/8" } });
    try {
      const admin = await makePerson(app.atrium, { role: "admin" });
      const hook = await app.atrium.domain.webhooks.createWebhook(admin.actor, { url: `http://127.0.0.1:${internal.port}/secret`, events: ["person.updated"] });
      const hitsBefore = internal.hits;
      await app.atrium.domain.people.updateProfile(admin.actor, admin.user.id, profileInput({ name: "Allowed Probe" }));
      const d = await until(() => app.atrium.db.webhookDelivery.findFirstOrThrow({ where: { webhookId: hook.id } }), (r) => r.status !== "pending");
      expect(d).toMatchObject({ status: "succeeded", lastStatusCode: 200 });
      expect(internal.hits).toBe(hitsBefore + 1);
      expect(d.lastResponse.startsWith("TOP-SECRET internal page <script>alert(1)</script> xxx")).toBe(true);
      expect(d.lastResponse.length).toBeLessThanOrEqual(200);
      expect(d.lastResponse).not.toMatch(/[\r\n]/);
    } finally {
      await app.close();
    }
  });

  test("an allow-listed host name is trusted whatever it resolves to", async () => {
    const app = await startTestApp({ env: { ...ENV, WEBHOOK_ALLOW_HOSTS: "localhost" } });
    try {
      const admin = await makePerson(app.atrium, { role: "admin" });
      await app.atrium.domain.webhooks.createWebhook(admin.actor, { url: `http://localhost:${internal.port}/secret`, events: ["person.updated"] });
      const hitsBefore = internal.hits;
      await app.atrium.domain.people.updateProfile(admin.actor, admin.user.id, profileInput({ name: "Named Probe" }));
      const d = await until(() => app.atrium.db.webhookDelivery.findFirstOrThrow(), (r) => r.status !== "pending");
      expect(d.status).toBe("succeeded");
      expect(internal.hits).toBe(hitsBefore + 1);
      // …but not 127.0.0.1 written as an address.
      await expect(app.atrium.domain.webhooks.createWebhook(admin.actor, { url: `http://127.0.0.1:${internal.port}/`, events: ["person.updated"] })).rejects.toMatchObject({ status: 422 });
    } finally {
      await app.close();
    }
  });

  test("a malformed allow-list stops the start with the variable named", async () => {
    const { parseEnv } = await import("../../../server/env.js");
    expect(() => parseEnv({ WEBHOOK_ALLOW_HOSTS: "10.0.0.0/99" })).toThrow(/WEBHOOK_ALLOW_HOSTS/);
    expect(() => parseEnv({ WEBHOOK_ALLOW_HOSTS: "http://x" })).toThrow(/WEBHOOK_ALLOW_HOSTS/);
  });
});

test("the admin form shows why a loopback address is refused, and saves nothing", async () => {
  const app = await startTestApp({ withPages: true, env: ENV });
  try {
    const { sessionCookieFor } = await import("../../helpers/app.js");
    const admin = await makePerson(app.atrium, { role: "admin", email: "ssrf-form@example.test" });
    const cookie = await sessionCookieFor(app.atrium, admin.user.email, admin.password);
    const form = new URLSearchParams([["intent", "create"], ["url", `http://2130706433:${internal.port}/secret`], ["events", "person.updated"], ["active", "on"]]);
    const res = await fetch(`${app.url}/admin/webhooks`, { method: "POST", redirect: "manual", headers: { Cookie: cookie, "Content-Type": "application/x-www-form-urlencoded" }, body: form });
    expect(res.status).toBe(422);
    expect(await res.text()).toContain("is a private, loopback, link-local or reserved address");
    expect(await app.atrium.db.webhook.count()).toBe(0);
  } finally {
    await app.close();
  }
});
