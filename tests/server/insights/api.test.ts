import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startTestApp, type TestApp } from "../../helpers/app.js";
import { makeAccount, makeAdmin, makeBillingRule, makeTeam } from "./factories.js";

let app: TestApp;
let token: string;
let tokenId: string;
let admin: Awaited<ReturnType<typeof makeAdmin>>;

beforeAll(async () => {
  app = await startTestApp({ withPages: true });
  admin = await makeAdmin(app.atrium);
  const finance = await makeTeam(app.atrium, admin.actor, "Finance Operations", ["Femi"]);
  await makeBillingRule(app.atrium, admin.actor, finance.team.id);
  await makeAccount(app.atrium, admin.actor, "Globex Corporation", "gold");
  const t = await app.atrium.domain.integrations.createIntegrationToken(admin.actor, { name: "Social listening" });
  token = t.token;
  tokenId = t.id;
});
afterAll(() => app.close());

const send = (body: unknown, opts: { token?: string | null; type?: string; raw?: string } = {}) =>
  fetch(`${app.url}/api/v1/insights`, {
    method: "POST",
    headers: {
      "content-type": opts.type ?? "application/json",
      ...(opts.token === null ? {} : { authorization: `Bearer ${opts.token ?? token}` }),
    },
    body: opts.raw ?? JSON.stringify(body),
  });

const good = (over: Record<string, unknown> = {}) => ({
  externalId: `tweet-${Math.random().toString(36).slice(2)}`,
  text: "@globex-billing your invoices are wrong AGAIN. Terrible.",
  channel: "twitter",
  account: "Globex Corporation",
  sourceUrl: "https://twitter.com/someone/status/1",
  topics: ["billing"],
  ...over,
});

const count = () => app.atrium.db.insight.count();

describe("POST /api/v1/insights", () => {
  test("happy path: 201 with id, routed and scored; the token's last use is recorded", async () => {
    const res = await send(good());
    expect(res.status).toBe(201);
    const body = await res.json();
    expect(body).toMatchObject({ duplicate: false, status: "new", priority: "high", sentiment: { label: "negative" }, teams: [{ name: "Finance Operations" }] });
    expect(res.headers.get("location")).toBe(`${app.url}/insights/${body.id}`);
    const row = await app.atrium.db.insight.findUnique({ where: { id: body.id }, select: { integrationId: true, postedById: true, account: { select: { name: true } } } });
    expect(row).toEqual({ integrationId: tokenId, postedById: null, account: { name: "Globex Corporation" } });
    const tokens = await app.atrium.domain.integrations.listIntegrationTokens(admin.actor);
    expect(tokens[0]!.lastUsedAt).not.toBeNull();
    expect(tokens[0]!.insights).toBeGreaterThanOrEqual(1);
  });

  test("idempotent by externalId: a repeat answers 200 with the same id and writes nothing", async () => {
    const payload = good();
    const first = await (await send(payload)).json();
    const before = await count();
    const events = await app.atrium.db.insightEvent.count();
    const again = await send({ ...payload, text: "different text, same external id" });
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ id: first.id, duplicate: true, url: `${app.url}/insights/${first.id}` });
    expect(await count()).toBe(before);
    expect(await app.atrium.db.insightEvent.count()).toBe(events);
  });

  test("concurrent deliveries of one externalId store exactly one insight", async () => {
    const payload = good();
    const before = await count();
    const results = await Promise.all(Array.from({ length: 6 }, () => send(payload).then(async (r) => ({ status: r.status, body: await r.json() }))));
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(results.filter((r) => r.status === 200)).toHaveLength(5);
    expect(new Set(results.map((r) => r.body.id)).size).toBe(1);
    expect(await count()).toBe(before + 1);
  });

  const bad: [string, () => Promise<Response>, number, string, string | null][] = [
    ["no token", () => send(good(), { token: null }), 401, "missing_token", null],
    ["wrong token", () => send(good(), { token: "atr_nope" }), 401, "invalid_token", null],
    ["malformed JSON", () => send(null, { raw: '{"text": "unterminated' }), 400, "malformed_json", null],
    ["a JSON array", () => send([good()]), 400, "malformed_json", null],
    ["not JSON at all", () => send(null, { raw: "text=hi", type: "application/x-www-form-urlencoded" }), 415, "unsupported_media_type", null],
    ["missing text", () => send(good({ text: undefined })), 422, "validation_failed", "text"],
    ["blank text", () => send(good({ text: "   " })), 422, "validation_failed", "text"],
    ["unknown channel", () => send(good({ channel: "myspace" })), 422, "validation_failed", "channel"],
    ["unknown account", () => send(good({ account: "Umbrella Corp" })), 422, "validation_failed", "account"],
    ["missing externalId", () => send(good({ externalId: undefined })), 422, "validation_failed", "externalId"],
    ["javascript: source link", () => send(good({ sourceUrl: "javascript:alert(1)" })), 422, "validation_failed", "sourceUrl"],
    ["unknown poster email", () => send(good({ postedByEmail: "ghost@example.test" })), 422, "validation_failed", "postedByEmail"],
    ["body too large", () => send(good({ text: "x".repeat(70_000) })), 413, "payload_too_large", null],
  ];
  test.each(bad)("%s → the right 4xx JSON error, nothing written", async (_name, call, status, code, field) => {
    const before = await count();
    const res = await call();
    expect(res.status).toBe(status);
    expect(res.headers.get("content-type")).toMatch(/application\/json/);
    const body = await res.json();
    expect(body.error.code).toBe(code);
    expect(body.error.message).toEqual(expect.any(String));
    if (field) expect(body.error.fields[field]).toEqual([expect.any(String)]);
    expect(await count()).toBe(before);
  });

  test("a revoked token is refused with its own code", async () => {
    const t = await app.atrium.domain.integrations.createIntegrationToken(admin.actor, { name: "Old forwarder" });
    expect((await send(good(), { token: t.token })).status).toBe(201);
    await app.atrium.domain.integrations.revokeIntegrationToken(admin.actor, t.id);
    const before = await count();
    const res = await send(good(), { token: t.token });
    expect(res.status).toBe(401);
    expect((await res.json()).error.code).toBe("token_revoked");
    expect(await count()).toBe(before);
  });

  test("GET is not allowed", async () => {
    const res = await fetch(`${app.url}/api/v1/insights`);
    expect(res.status).toBe(405);
    expect((await res.json()).error.code).toBe("method_not_allowed");
  });

  test("HTML in the customer's words is stored verbatim and rendered as text on the page", async () => {
    const evil = `<script>window.__pwned=1</script><img src=x onerror="alert(1)"> invoices wrong`;
    const { id } = await (await send(good({ text: evil }))).json();
    expect((await app.atrium.db.insight.findUnique({ where: { id } }))!.text).toBe(evil);
    const { sessionCookieFor } = await import("../../helpers/app.js");
    const cookie = await sessionCookieFor(app.atrium, admin.user.email, admin.password);
    const html = await (await fetch(`${app.url}/insights/${id}`, { headers: { cookie } })).text();
    expect(html).not.toContain("<script>window.__pwned");
    expect(html).not.toContain('<img src=x onerror="alert(1)">');
    expect(html).toContain("&lt;script&gt;window.__pwned=1&lt;/script&gt;");
  });
});
