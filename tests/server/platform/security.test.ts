/**
 * Security headers and request forgery over real HTTP: a CSP whose nonce is on every inline script
 * Remix renders (fresh per request), HSTS only behind HTTPS in production, and cross-site posts
 * refused by Origin and Fetch Metadata while same-origin forms work.
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startTestApp, type TestApp } from "../../helpers/app.js";
import { DEFAULT_PASSWORD, makePerson } from "../../factories.js";
import { sessionCookieFor } from "../../helpers/app.js";

let app: TestApp;
let cookie = "";
let memberId = "";

beforeAll(async () => {
  app = await startTestApp({ withPages: true });
  const admin = await makePerson(app.atrium, { role: "admin", email: "sec-admin@example.test" });
  memberId = (await makePerson(app.atrium, { name: "Sec Member" })).user.id;
  cookie = await sessionCookieFor(app.atrium, admin.user.email, DEFAULT_PASSWORD);
});
afterAll(() => app?.close());

const nonceOf = (csp: string | null) => /'nonce-([A-Za-z0-9+/=]+)'/.exec(csp ?? "")?.[1];

describe("Content-Security-Policy", () => {
  test.each(["/login", "/", "/admin/audit", "/people"])("%s: every inline script carries this response's nonce", async (path) => {
    const res = await fetch(`${app.url}${path}`, { headers: { Cookie: cookie } });
    expect(res.status).toBe(200);
    const csp = res.headers.get("content-security-policy")!;
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers.get("x-frame-options")).toBe("DENY");
    // Sockets only to the configured origin, never to one a forged Host header names.
    const appHost = new URL(app.atrium.ctx.env.APP_URL).host;
    expect(/connect-src ([^;]*)/.exec(csp)?.[1]).toBe(`'self' ws://${appHost} wss://${appHost}`);
    expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
    const nonce = nonceOf(csp)!;
    expect(nonce).toMatch(/^[A-Za-z0-9+/]{22}==$/);
    const html = await res.text();
    const scripts = [...html.matchAll(/<script\b([^>]*)>/g)].map((m) => m[1]);
    expect(scripts.length).toBeGreaterThan(1);
    for (const attrs of scripts) {
      if (/\bsrc=/.test(attrs)) continue; // same-origin files are allowed by 'self'
      expect(attrs).toContain(`nonce="${nonce}"`);
    }
  });

  test("the nonce is new on every response", async () => {
    const a = nonceOf((await fetch(`${app.url}/login`)).headers.get("content-security-policy"));
    const b = nonceOf((await fetch(`${app.url}/login`)).headers.get("content-security-policy"));
    expect(a).toBeTruthy();
    expect(a).not.toBe(b);
  });

  test("uploaded files are served under their own sandboxing policy", async () => {
    const { mkdir, writeFile } = await import("node:fs/promises");
    const dir = app.atrium.ctx.env.UPLOAD_DIR;
    await mkdir(dir, { recursive: true });
    await writeFile(`${dir}/probe.png`, Buffer.from([0x89, 0x50, 0x4e, 0x47]));
    const res = await fetch(`${app.url}/uploads/probe.png`, { headers: { Cookie: cookie } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-security-policy")).toBe("default-src 'none'; sandbox");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
  });
});

describe("HSTS", () => {
  test("not sent over plain HTTP, nor outside production", async () => {
    const res = await fetch(`${app.url}/login`, { headers: { "X-Forwarded-Proto": "https" } });
    expect(res.headers.get("strict-transport-security")).toBeNull();
  });

  test("not sent in production when X-Forwarded-Proto comes from a hop TRUST_PROXY does not name", async () => {
    const prod = await startTestApp({ env: { NODE_ENV: "production" } });
    try {
      const res = await fetch(`${prod.url}/healthz`, { headers: { "X-Forwarded-Proto": "https" } });
      expect(res.headers.get("strict-transport-security")).toBeNull();
    } finally {
      await prod.close();
    }
  });

  test("sent in production behind an HTTPS proxy on a trusted loopback hop, not over plain HTTP", async () => {
    const prod = await startTestApp({ env: { NODE_ENV: "production", TRUST_PROXY: "loopback" } });
    try {
      const viaProxy = await fetch(`${prod.url}/healthz`, { headers: { "X-Forwarded-Proto": "https" } });
      expect(viaProxy.headers.get("strict-transport-security")).toBe("max-age=31536000; includeSubDomains");
      const plain = await fetch(`${prod.url}/healthz`);
      expect(plain.headers.get("strict-transport-security")).toBeNull();
    } finally {
      await prod.close();
    }
  });
});

describe("cross-site request forgery", () => {
  const post = (headers: Record<string, string>) =>
    fetch(`${app.url}/admin/users`, {
      method: "POST",
      redirect: "manual",
      headers: { Cookie: cookie, "Content-Type": "application/x-www-form-urlencoded", ...headers },
      body: new URLSearchParams({ intent: "role", userId: memberId, role: "admin", userName: "Sec Member" }),
    });
  const role = async () => (await app.atrium.db.user.findUniqueOrThrow({ where: { id: memberId } })).role;

  test.each([
    ["another site's Origin", { Origin: "https://evil.example" }],
    ["a sibling subdomain's Origin", { Origin: "http://evil.127.0.0.1.nip.io" }],
    ["Origin: null (sandboxed frame)", { Origin: "null" }],
    ["Fetch Metadata cross-site, no Origin", { "Sec-Fetch-Site": "cross-site" }],
    ["Fetch Metadata same-site (another subdomain)", { "Sec-Fetch-Site": "same-site" }],
  ])("refuses a post with the session cookie from %s", async (_label, headers) => {
    const res = await post(headers);
    expect(res.status).toBe(403);
    expect(await res.text()).toBe("Cross-site request refused.");
    expect(await role()).toBe("member");
  });

  test("accepts the same form from the app's own origin", async () => {
    const res = await post({ Origin: app.url, "Sec-Fetch-Site": "same-origin" });
    expect(res.status).toBe(200);
    expect(await role()).toBe("admin");
    await app.atrium.db.user.update({ where: { id: memberId }, data: { role: "member" } });
  });
});

test("without OIDC configured, /auth/oidc is a 404 and the login page offers passwords only", async () => {
  expect((await fetch(`${app.url}/auth/oidc`, { redirect: "manual" })).status).toBe(404);
  const html = await (await fetch(`${app.url}/login`)).text();
  expect(html).not.toContain("Sign in with");
  expect(html).toContain('name="password"');
});
