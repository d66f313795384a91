/**
 * REST API v1 over real HTTP: token authentication (missing, unknown, expired, revoked, owner
 * deactivated), scopes, JSON errors, cursor pagination, rate limits, unknown paths, and the OpenAPI document matching both the router and a live response.
 */
import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startTestApp, type TestApp } from "../../helpers/app.js";
import { makeDepartment, makePerson } from "../../factories.js";
import { manualClock } from "../../helpers/clock.js";

const clock = manualClock("2032-01-15T10:00:00Z");

let app: TestApp;
let admin: Awaited<ReturnType<typeof makePerson>>;
let member: Awaited<ReturnType<typeof makePerson>>;
let readToken = "";
let writeToken = "";
let adminToken = "";

const api = (path: string, token?: string, init: RequestInit = {}) =>
  fetch(`${app.url}/api/v1${path}`, { ...init, headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), ...(init.headers ?? {}) } });

async function expectError(res: Response, status: number, code: string) {
  expect(res.status).toBe(status);
  expect(res.headers.get("content-type")).toMatch(/^application\/json/);
  const body = await res.json();
  expect(body.error.code).toBe(code);
  expect(typeof body.error.message).toBe("string");
  return body;
}

beforeAll(async () => {
  app = await startTestApp({ withPages: true, clock, env: { API_RATE_LIMIT: "25", API_RATE_WINDOW_SECONDS: "60" } });
  const dept = await makeDepartment(app.atrium, "Platform");
  admin = await makePerson(app.atrium, { role: "admin", name: "Ada Api", email: "ada@example.test" });
  member = await makePerson(app.atrium, { name: "Mel Api", email: "mel@example.test", departmentId: dept.id, skills: { go: "expert" } });
  for (const name of ["Bea", "Cal", "Dee", "Eli", "Fay", "Gus"]) await makePerson(app.atrium, { name: `${name} Person` });
  await makePerson(app.atrium, { name: "Zed Gone", active: false });
  const d = app.atrium.domain.apiTokens;
  readToken = (await d.createApiToken(member.actor, { name: "read", scope: "read" })).secret;
  writeToken = (await d.createApiToken(member.actor, { name: "write", scope: "write" })).secret;
  adminToken = (await d.createApiToken(admin.actor, { name: "HR sync", kind: "integration", scope: "read" })).secret;
});
afterAll(() => app?.close());

describe("authentication", () => {
  test("no token, a malformed header, or an unknown token: 401 with a JSON error and WWW-Authenticate", async () => {
    const none = await api("/people");
    await expectError(none, 401, "unauthenticated");
    expect(none.headers.get("www-authenticate")).toMatch(/^Bearer realm="atrium"/);
    await expectError(await api("/people", undefined, { headers: { Authorization: `Basic ${readToken}` } }), 401, "unauthenticated");
    await expectError(await api("/people", "atr_p_not-a-real-token"), 401, "token_invalid");
  });

  test("only a hash is stored; the secret appears nowhere in the database", async () => {
    const rows = await app.atrium.db.apiToken.findMany();
    expect(rows.map((r) => r.tokenHash)).toContain(createHash("sha256").update(readToken).digest("hex"));
    expect(JSON.stringify(rows)).not.toContain(readToken.slice(12));
  });

  test("an expired token: 401 token_expired", async () => {
    const t = await app.atrium.domain.apiTokens.createApiToken(member.actor, { name: "short", expiresInDays: 1 });
    expect((await api("/me", t.secret)).status).toBe(200);
    clock.t += 86_400_000 + 1;
    await expectError(await api("/me", t.secret), 401, "token_expired");
  });

  test("a revoked token: 401 token_revoked, and only the owner or an admin may revoke", async () => {
    const t = await app.atrium.domain.apiTokens.createApiToken(member.actor, { name: "to revoke" });
    const other = await makePerson(app.atrium, { name: "Other Person" });
    await expect(app.atrium.domain.apiTokens.revokeApiToken(other.actor, t.id)).rejects.toMatchObject({ status: 403 });
    expect((await api("/me", t.secret)).status).toBe(200);
    await app.atrium.domain.apiTokens.revokeApiToken(member.actor, t.id);
    await expectError(await api("/me", t.secret), 401, "token_revoked");
    const audit = await app.atrium.db.auditEvent.findMany({ where: { targetId: t.id }, orderBy: { id: "asc" } });
    expect(audit.map((a) => a.action)).toEqual(["api_token.created", "api_token.revoked"]);
  });

  test("a deactivated owner's tokens stop working", async () => {
    const p = await makePerson(app.atrium, { name: "Leaving Soon" });
    const t = await app.atrium.domain.apiTokens.createApiToken(p.actor, { name: "mine" });
    expect((await api("/me", t.secret)).status).toBe(200);
    await app.atrium.domain.accounts.deactivateUser(admin.actor, p.user.id);
    // Deactivation revokes the person's tokens (tests/server/security/token-deactivation.test.ts).
    await expectError(await api("/me", t.secret), 401, "token_revoked");
  });

  test("members cannot create integration tokens", async () => {
    await expect(app.atrium.domain.apiTokens.createApiToken(member.actor, { name: "x", kind: "integration" })).rejects.toMatchObject({ status: 403 });
  });

  test("last use is recorded, at most once a minute", async () => {
    const t = await app.atrium.domain.apiTokens.createApiToken(member.actor, { name: "usage" });
    expect((await app.atrium.db.apiToken.findUniqueOrThrow({ where: { id: t.id } })).lastUsedAt).toBeNull();
    await api("/me", t.secret);
    const first = (await app.atrium.db.apiToken.findUniqueOrThrow({ where: { id: t.id } })).lastUsedAt;
    expect(first).toEqual(new Date(clock.t));
    clock.t += 30_000;
    await api("/me", t.secret);
    expect((await app.atrium.db.apiToken.findUniqueOrThrow({ where: { id: t.id } })).lastUsedAt).toEqual(first);
    clock.t += 31_000;
    await api("/me", t.secret);
    expect((await app.atrium.db.apiToken.findUniqueOrThrow({ where: { id: t.id } })).lastUsedAt).toEqual(new Date(clock.t));
  });
});

describe("scopes", () => {
  test("a read token cannot write: 403 insufficient_scope", async () => {
    await app.atrium.db.user.update({ where: { id: member.user.id }, data: { statusText: "" } });
    const res = await api("/people/me/status", readToken, { method: "PUT", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ text: "Deep work" }) });
    await expectError(res, 403, "insufficient_scope");
    expect(res.headers.get("www-authenticate")).toContain('scope="write"');
    expect((await app.atrium.db.user.findUniqueOrThrow({ where: { id: member.user.id } })).statusText).toBe("");
  });

  test("a write token sets the owner's status; bad input is a 422 with field errors; bad JSON a 400", async () => {
    const ok = await api("/people/me/status", writeToken, { method: "PUT", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ text: "In a meeting", emoji: "📅" }) });
    expect(ok.status).toBe(204);
    expect((await app.atrium.db.user.findUniqueOrThrow({ where: { id: member.user.id } })).statusText).toBe("In a meeting");
    const bad = await api("/people/me/status", writeToken, { method: "PUT", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ text: "x".repeat(101) }) });
    const body = await expectError(bad, 422, "invalid");
    expect(body.error.details.fieldErrors.text[0]).toMatch(/at most 100/);
    await expectError(await api("/people/me/status", writeToken, { method: "PUT", headers: { "Content-Type": "application/json" }, body: "{nope" }), 400, "invalid_json");
  });

  test("listing deactivated people needs an admin's token", async () => {
    await expectError(await api("/people?active=all", readToken), 403, "forbidden");
    const res = await api("/people?active=false", adminToken);
    expect(res.status).toBe(200);
    expect((await res.json()).data.map((p: { name: string }) => p.name)).toContain("Zed Gone");
  });
});

describe("people", () => {
  test("cursor pages walk everyone once, by name", async () => {
    const names: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await api(`/people?limit=3${cursor ? `&cursor=${cursor}` : ""}`, readToken);
      expect(res.status).toBe(200);
      const body = (await res.json()) as { data: { name: string }[]; nextCursor: string | null };
      expect(body.data.length).toBeLessThanOrEqual(3);
      names.push(...body.data.map((p) => p.name));
      cursor = body.nextCursor;
      pages++;
    } while (cursor);
    const active = await app.atrium.db.user.count({ where: { active: true } });
    expect(names).toHaveLength(active);
    expect(new Set(names).size).toBe(active);
    expect(names).toEqual([...names].sort((a, b) => (a < b ? -1 : 1)));
    expect(names).not.toContain("Zed Gone");
    expect(pages).toBe(Math.ceil(active / 3));
  });

  test("bad parameters are 422 with the field named", async () => {
    expect((await expectError(await api("/people?limit=0", readToken), 422, "invalid")).error.details.fieldErrors.limit).toBeTruthy();
    expect((await expectError(await api("/people?cursor=garbage", readToken), 422, "invalid")).error.details.fieldErrors.cursor).toBeTruthy();
  });

  test("one person by id; an unknown or deactivated id is a JSON 404 for a member", async () => {
    const res = await api(`/people/${member.user.id}`, readToken);
    const { data } = await res.json();
    expect(data).toMatchObject({ id: member.user.id, name: "Mel Api", department: { name: "Platform" }, skills: [{ name: "go", level: "expert" }] });
    expect(JSON.stringify(data)).not.toMatch(/passwordHash|argon2/);
    await expectError(await api("/people/nope", readToken), 404, "not_found");
    const gone = await app.atrium.db.user.findFirstOrThrow({ where: { name: "Zed Gone" } });
    await expectError(await api(`/people/${gone.id}`, readToken), 404, "not_found");
    expect((await api(`/people/${gone.id}`, adminToken)).status).toBe(200);
  });

  test("filters by department and email", async () => {
    const byDept = await (await api(`/people?department=${member.user.departmentId}`, readToken)).json();
    expect(byDept.data.map((p: { name: string }) => p.name)).toEqual(["Mel Api"]);
    const byEmail = await (await api(`/people?email=ADA@example.test`, readToken)).json();
    expect(byEmail.data.map((p: { id: string }) => p.id)).toEqual([admin.user.id]);
  });
});

describe("unknown paths", () => {
  test("an unknown path is a JSON 404", async () => {
    await expectError(await api("/nothing-here", readToken), 404, "not_found");
  });
});

describe("rate limits", () => {
  test("each token has its own budget; over it a 429 with Retry-After, and the window resets", async () => {
    const a = (await app.atrium.domain.apiTokens.createApiToken(member.actor, { name: "busy" })).secret;
    const b = (await app.atrium.domain.apiTokens.createApiToken(member.actor, { name: "calm" })).secret;
    for (let i = 0; i < 25; i++) {
      const r = await api("/me", a);
      expect(r.status).toBe(200);
      expect(r.headers.get("ratelimit-remaining")).toBe(String(24 - i));
    }
    const over = await api("/me", a);
    await expectError(over, 429, "rate_limited");
    expect(Number(over.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(Number(over.headers.get("retry-after"))).toBeLessThanOrEqual(60);
    expect((await api("/me", b)).status).toBe(200);
    clock.t += 60_000;
    expect((await api("/me", a)).status).toBe(200);
  });

  test("repeated failed authentications from one address are throttled too", async () => {
    clock.t += 60_000;
    let last: Response | null = null;
    for (let i = 0; i < 31; i++) last = await api("/me", `atr_p_guess${i}`);
    await expectError(last!, 429, "rate_limited");
    clock.t += 60_000;
  });
});

describe("OpenAPI document", () => {
  test("is served without a token and documents every route the router serves", async () => {
    const res = await api("/openapi.json");
    expect(res.status).toBe(200);
    const doc = await res.json();
    expect(doc.openapi).toBe("3.1.0");
    const { apiRouter } = await import("../../../server/http/api/router.js");
    const router = apiRouter(app.atrium.domain, app.atrium.ctx.env);
    const routes = router.stack.flatMap((l) => (l.route ? [l.route as unknown as { path: string; methods: Record<string, boolean> }] : []));
    const served = routes.map((r) => [r.path.replace(/:(\w+)/g, "{$1}"), Object.keys(r.methods)] as const);
    expect(served.length).toBeGreaterThan(3);
    for (const [path, methods] of served) for (const m of methods) expect(doc.paths[path]?.[m], `${m.toUpperCase()} ${path}`).toBeTruthy();
  });

  test("a live person has every property the document requires, and nothing undocumented", async () => {
    const doc = await (await api("/openapi.json")).json();
    const schema = doc.components.schemas.Person;
    const { data } = await (await api(`/people/${member.user.id}`, readToken)).json();
    expect(Object.keys(data).sort()).toEqual(Object.keys(schema.properties).sort());
    for (const k of schema.required) expect(data).toHaveProperty(k);
  });
});

describe("token pages", () => {
  test("a member creates a personal token at /account/tokens, sees the secret once, and it works", async () => {
    const { sessionCookieFor } = await import("../../helpers/app.js");
    const cookie = await sessionCookieFor(app.atrium, "mel@example.test", "correct-horse-battery");
    const res = await fetch(`${app.url}/account/tokens`, {
      method: "POST",
      headers: { Cookie: cookie, "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ intent: "create", name: "From the page", scope: "read", expiresInDays: "30" }),
    });
    const html = await res.text();
    const secret = /value="(atr_p_[\w-]+)"/.exec(html)?.[1];
    expect(secret).toBeTruthy();
    expect((await api("/me", secret)).status).toBe(200);
    const list = await (await fetch(`${app.url}/account/tokens`, { headers: { Cookie: cookie } })).text();
    expect(list).toContain("From the page");
    expect(list).not.toContain(secret!);
    // The admin page is for admins only.
    expect((await fetch(`${app.url}/admin/api-tokens`, { headers: { Cookie: cookie } })).status).toBe(403);
  });
});
