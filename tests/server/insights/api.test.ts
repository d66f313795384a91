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
  const t = await ingestToken("Social listening");
  token = t.secret;
  tokenId = t.id;
});
afterAll(() => app.close());

/** An admin's integration token with "Send insights only" access (decision 056). */
function ingestToken(name: string) {
  return app.atrium.domain.apiTokens.createApiToken(admin.actor, { name, kind: "integration", scope: "insights" });
}

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
    const tokens = await app.atrium.domain.apiTokens.listAllTokens(admin.actor);
    const mine = tokens.find((t) => t.id === tokenId)!;
    expect(mine.scopes).toBe("insights:ingest");
    expect(mine.lastUsedAt).not.toBeNull();
    expect(mine.insights).toBeGreaterThanOrEqual(1);
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
    ["no token", () => send(good(), { token: null }), 401, "unauthenticated", null],
    ["wrong token", () => send(good(), { token: "atr_nope" }), 401, "token_invalid", null],
    ["malformed JSON", () => send(null, { raw: '{"text": "unterminated' }), 400, "invalid_json", null],
    ["a JSON array", () => send([good()]), 400, "invalid_json", null],
    ["a bare JSON string", () => send(null, { raw: '"just text"' }), 400, "invalid_json", null],
    ["not JSON at all", () => send(null, { raw: "text=hi", type: "application/x-www-form-urlencoded" }), 415, "unsupported_media_type", null],
    ["missing text", () => send(good({ text: undefined })), 422, "invalid", "text"],
    ["blank text", () => send(good({ text: "   " })), 422, "invalid", "text"],
    ["unknown channel", () => send(good({ channel: "myspace" })), 422, "invalid", "channel"],
    ["unknown account", () => send(good({ account: "Umbrella Corp" })), 422, "invalid", "account"],
    ["missing externalId", () => send(good({ externalId: undefined })), 422, "invalid", "externalId"],
    ["javascript: source link", () => send(good({ sourceUrl: "javascript:alert(1)" })), 422, "invalid", "sourceUrl"],
    ["unknown poster email", () => send(good({ postedByEmail: "ghost@example.test" })), 422, "invalid", "postedByEmail"],
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
    if (field) expect(body.error.details.fieldErrors[field]).toEqual([expect.any(String)]);
    expect(await count()).toBe(before);
  });

  test("a revoked token is refused with its own code", async () => {
    const t = await ingestToken("Old forwarder");
    expect((await send(good(), { token: t.secret })).status).toBe(201);
    await app.atrium.domain.apiTokens.revokeApiToken(admin.actor, t.id);
    const before = await count();
    const res = await send(good(), { token: t.secret });
    expect(res.status).toBe(401);
    expect((await res.json()).error.code).toBe("token_revoked");
    expect(await count()).toBe(before);
  });

  test("scopes keep the two kinds of work apart", async () => {
    const before = await count();
    // A read-and-write token (personal or integration) may not send insights…
    for (const kind of ["personal", "integration"] as const) {
      const rw = await app.atrium.domain.apiTokens.createApiToken(admin.actor, { name: `rw ${kind}`, kind, scope: "write" });
      const res = await send(good(), { token: rw.secret });
      expect(res.status).toBe(403);
      expect((await res.json()).error.code).toBe("insufficient_scope");
    }
    expect(await count()).toBe(before);
    // …and an ingest token may not read the directory.
    const people = await fetch(`${app.url}/api/v1/people`, { headers: { authorization: `Bearer ${token}` } });
    expect(people.status).toBe(403);
    expect((await people.json()).error.code).toBe("insufficient_scope");
  });

  test("only an integration token can have insights access", async () => {
    const before = await app.atrium.db.apiToken.count();
    await expect(app.atrium.domain.apiTokens.createApiToken(admin.actor, { name: "Mine", kind: "personal", scope: "insights" })).rejects.toMatchObject({
      status: 422,
      fieldErrors: { scope: ["Only an admin's integration token can send insights."] },
    });
    expect(await app.atrium.db.apiToken.count()).toBe(before);
  });

  test("the domain verb refuses a token without the ingest scope even if called directly", async () => {
    const rw = await app.atrium.domain.apiTokens.createApiToken(admin.actor, { name: "direct", kind: "integration", scope: "write" });
    const auth = await app.atrium.domain.apiTokens.authenticateToken(rw.secret);
    const before = await count();
    await expect(app.atrium.domain.insights.ingestInsight(auth, good())).rejects.toMatchObject({ status: 403 });
    expect(await count()).toBe(before);
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
