/**
 * Single sign-on against a real OpenID Connect provider (oidc-provider) over loopback HTTP:
 * first sign-in creates or links by verified email, claims map to title and department, and a bad
 * state, nonce, PKCE verifier, replayed authorization code or missing browser cookie is refused.
 */
import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { parseEnv } from "../../../server/env.js";
import { Browserless, loginAtIdp, type TestAccount } from "../../helpers/oidc-provider.js";
import { startSsoTestApp, type SsoTestApp } from "../../helpers/sso-app.js";
import { makePerson } from "../../factories.js";

let app: SsoTestApp;

let accountSeq = 0;
/**
 * Registers a new account at the provider: a login and an email no other test uses, so each test
 * signs in as a person only it knows about, whatever ran before it.
 */
function idpAccount(claims: Partial<TestAccount> = {}) {
  const n = ++accountSeq;
  const login = `account${n}`;
  const email = `account${n}@acme.test`;
  app.idp.accounts.set(login, { email, email_verified: true, name: `Account ${n}`, ...claims });
  return { login, email: claims.email ?? email };
}

/** The id of the sign-in transaction this browser holds (the hash of its `atrium_oidc` cookie). */
function transactionIdOf(b: Browserless) {
  const cookie = b.cookie(app.url, "atrium_oidc");
  expect(cookie).toBeTruthy();
  return createHash("sha256").update(cookie!).digest("hex");
}

/** Starts a sign-in in a fresh "browser", logs in at the provider, returns the callback URL (not yet visited). */
async function throughIdp(login: string, redirectTo = "/people") {
  const b = new Browserless();
  const start = await b.request(`${app.url}/auth/oidc?redirectTo=${encodeURIComponent(redirectTo)}`);
  expect(start.status).toBe(302);
  const authorize = start.headers.get("location")!;
  expect(authorize.startsWith(app.idp.issuer)).toBe(true);
  const callback = await loginAtIdp(b, authorize, login, app.callback);
  return { b, callback, authorize: new URL(authorize) };
}

async function finish(b: Browserless, callback: string) {
  const res = await b.request(callback);
  // The session this response set, if any (the browser may hold an older one).
  const session = /atrium_session=([^;]+)/.exec(res.headers.getSetCookie().join("\n"))?.[1];
  return { res, session, html: res.status === 200 || res.status === 400 ? await res.text() : "" };
}

beforeAll(async () => {
  app = await startSsoTestApp();
});
afterAll(() => app?.close());

describe("configuration", () => {
  test("all four OIDC variables or none; password sign-in can only be off with SSO; https in production", () => {
    expect(() => parseEnv({ OIDC_ISSUER: "https://id.example.com" })).toThrow(/OIDC_CLIENT_ID: is required/);
    expect(() => parseEnv({ PASSWORD_LOGIN: "off" })).toThrow(/PASSWORD_LOGIN: can only be off/);
    const all = { OIDC_ISSUER: "http://id.example.com", OIDC_CLIENT_ID: "a", OIDC_CLIENT_SECRET: "b", OIDC_REDIRECT_URI: "https://atrium.example.com/auth/oidc/callback" };
    expect(() => parseEnv({ ...all, NODE_ENV: "production" })).toThrow(/OIDC_ISSUER: must use https/);
    expect(parseEnv({ ...all, PASSWORD_LOGIN: "off" }).PASSWORD_LOGIN).toBe("off");
    expect(parseEnv({ OIDC_ISSUER: "" }).OIDC_ISSUER).toBeUndefined();
  });

  test("the authorization request carries state, nonce and an S256 PKCE challenge", async () => {
    const b = new Browserless();
    const start = await b.request(`${app.url}/auth/oidc`);
    const q = new URL(start.headers.get("location")!).searchParams;
    expect(q.get("response_type")).toBe("code");
    expect(q.get("client_id")).toBe(app.idp.clientId);
    expect(q.get("redirect_uri")).toBe(app.callback);
    expect(q.get("code_challenge_method")).toBe("S256");
    expect(q.get("state")!.length).toBeGreaterThanOrEqual(32);
    expect(q.get("nonce")!.length).toBeGreaterThanOrEqual(32);
    expect(start.headers.get("set-cookie")).toMatch(/^atrium_oidc=[\w-]+; Max-Age=600; Path=\/auth\/oidc; HttpOnly; SameSite=Lax/);
  });
});

describe("sign-in", () => {
  test("first sign-in creates the account from verified claims, maps department and title, and lands on redirectTo", async () => {
    const newbie = idpAccount({ name: "Nora Newbie", department: "Identity", title: "Security Engineer" });
    const { b, callback } = await throughIdp(newbie.login, "/people?q=x");
    const { res, session } = await finish(b, callback);
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/people?q=x");
    expect(session).toBeTruthy();
    const user = await app.atrium.db.user.findUniqueOrThrow({ where: { email: newbie.email }, include: { department: true, externalIdentities: true } });
    expect(user).toMatchObject({ name: "Nora Newbie", title: "Security Engineer", passwordHash: null, role: "member" });
    expect(user.department?.name).toBe("Identity");
    expect(user.externalIdentities).toEqual([expect.objectContaining({ issuer: app.idp.issuer, subject: newbie.login })]);
    // The session works like a password session.
    const me = await app.atrium.domain.accounts.authenticate(session);
    expect(me?.user.email).toBe(newbie.email);
    const audit = await app.atrium.db.auditEvent.findFirstOrThrow({ where: { action: "auth.sso_signin", actorId: user.id } });
    expect(audit.summary).toBe("Nora Newbie signed in with Acme ID (account created)");
    expect(app.atrium.ctx.peopleIndex.search("Nora", {}, 5).map((h) => h.id)).toContain(user.id);
  });

  test("an existing person is linked by verified email (keeping their name), then found by subject even if the email changes", async () => {
    const account = idpAccount({ name: "Ignored Name", title: "Staff Engineer" });
    const existing = await makePerson(app.atrium, { email: account.email, name: "Ed Existing", role: "admin" });
    const first = await throughIdp(account.login);
    expect((await finish(first.b, first.callback)).res.status).toBe(302);
    const linked = await app.atrium.db.user.findUniqueOrThrow({ where: { id: existing.user.id }, include: { externalIdentities: true } });
    expect(linked).toMatchObject({ name: "Ed Existing", title: "Staff Engineer", role: "admin" });
    expect(linked.externalIdentities).toHaveLength(1);
    expect(await app.atrium.db.user.count({ where: { email: account.email } })).toBe(1);

    app.idp.accounts.set(account.login, { email: `renamed-${account.email}`, email_verified: true });
    const second = await throughIdp(account.login);
    const { session } = await finish(second.b, second.callback);
    expect((await app.atrium.domain.accounts.authenticate(session))?.user.id).toBe(existing.user.id);
  });

  test("an unverified email is refused and nothing is created", async () => {
    const unverified = idpAccount({ email_verified: false, name: "Una Verified" });
    const { b, callback } = await throughIdp(unverified.login);
    const { res, session, html } = await finish(b, callback);
    expect(res.status).toBe(400);
    expect(html).toContain(`has not verified ${unverified.email}`);
    expect(session).toBeUndefined();
    expect(await app.atrium.db.user.count({ where: { email: unverified.email } })).toBe(0);
    expect(await app.atrium.db.auditEvent.findFirst({ where: { action: "auth.sso_refused", details: { contains: "email_unverified" } } })).toBeTruthy();
  });

  test("a deactivated account is refused", async () => {
    const account = idpAccount({ name: "Gone Person" });
    const gone = await makePerson(app.atrium, { email: account.email, active: false });
    const { b, callback } = await throughIdp(account.login);
    const { res, session } = await finish(b, callback);
    expect(res.status).toBe(400);
    expect(session).toBeUndefined();
    expect(await app.atrium.db.session.count({ where: { userId: gone.user.id } })).toBe(0);
  });
});

describe("protocol checks", () => {
  const refused = async (b: Browserless, url: string, reason: RegExp) => {
    const { res, session, html } = await finish(b, url);
    expect(res.status).toBe(400);
    expect(session).toBeUndefined();
    expect(html).toMatch(/Single sign-on did not complete/);
    const last = await app.atrium.db.auditEvent.findFirstOrThrow({ where: { action: "auth.sso_refused" }, orderBy: [{ createdAt: "desc" }, { id: "desc" }] });
    expect(JSON.parse(last.details).reason, last.summary + " " + html.slice(html.indexOf("role=\"alert\""), html.indexOf("role=\"alert\"") + 300)).toMatch(reason);
    return html;
  };

  test("a tampered state is refused", async () => {
    const { b, callback } = await throughIdp(idpAccount().login);
    const u = new URL(callback);
    u.searchParams.set("state", "forged-state-value");
    await refused(b, u.href, /bad_state/);
  });

  test("a nonce that does not match the ID token is refused", async () => {
    const { b, callback } = await throughIdp(idpAccount().login);
    // The ID token carries the nonce sent; the transaction now expects another.
    await app.atrium.db.oidcTransaction.update({ where: { id: transactionIdOf(b) }, data: { nonce: "a-different-nonce-than-the-id-token-has" } });
    await refused(b, callback, /bad_nonce/);
  });

  test("a wrong PKCE verifier is refused by the provider", async () => {
    const { b, callback } = await throughIdp(idpAccount().login);
    await app.atrium.db.oidcTransaction.update({ where: { id: transactionIdOf(b) }, data: { codeVerifier: "x".repeat(64) } });
    await refused(b, callback, /invalid_grant|protocol_error/);
  });

  test("a callback in another browser (no transaction cookie) is refused", async () => {
    const { callback } = await throughIdp(idpAccount().login);
    const sessions = await app.atrium.db.session.count();
    await refused(new Browserless(), callback, /no_transaction/);
    expect(await app.atrium.db.session.count()).toBe(sessions);
  });

  test("a replayed authorization code is refused: by Atrium's one-use transaction, and by the provider", async () => {
    const { b, callback } = await throughIdp(idpAccount().login);
    const txnCookie = b.cookie(app.url, "atrium_oidc")!;
    expect(txnCookie).toBeTruthy();
    const txnId = createHash("sha256").update(txnCookie).digest("hex");
    const txn = await app.atrium.db.oidcTransaction.findUniqueOrThrow({ where: { id: txnId } });
    const first = await finish(b, callback);
    expect(first.res.status).toBe(302);
    expect(first.session).toBeTruthy();
    const sessions = await app.atrium.db.session.count();
    const users = await app.atrium.db.user.count();

    // The same browser replays the very same callback URL (same code, same state).
    b.setCookie(app.url, "atrium_oidc", txnCookie);
    await refused(b, callback, /no_transaction/);
    // Someone who also restored the spent transaction still cannot redeem the code twice.
    await app.atrium.db.oidcTransaction.create({ data: txn });
    b.setCookie(app.url, "atrium_oidc", txnCookie);
    await refused(b, callback, /invalid_grant/);
    expect(await app.atrium.db.session.count()).toBe(sessions);
    expect(await app.atrium.db.user.count()).toBe(users);
  });

  test("an error sent back by the provider is shown, not trusted", async () => {
    const b = new Browserless();
    await b.request(`${app.url}/auth/oidc`);
    await refused(b, `${app.callback}?error=access_denied&error_description=User%20cancelled`, /provider_error/);
  });
});

describe("password sign-in off", () => {
  test("the login page offers only the company button, and the password verb refuses", async () => {
    const off = await startSsoTestApp({ env: { PASSWORD_LOGIN: "off" } });
    try {
      const p = await makePerson(off.atrium, { email: "pw@acme.test" });
      const html = await (await fetch(`${off.url}/login`)).text();
      expect(html).toContain("Sign in with Acme ID");
      expect(html).not.toContain('name="password"');
      await expect(off.atrium.domain.accounts.signIn({ email: "pw@acme.test", password: p.password }, { ip: "1.1.1.1", userAgent: "t" })).rejects.toThrow(/Password sign-in is turned off/);
      const res = await fetch(`${off.url}/login`, { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: new URLSearchParams({ email: "pw@acme.test", password: p.password }), redirect: "manual" });
      expect(res.status).toBe(422);
      expect(res.headers.get("set-cookie")).toBeNull();
    } finally {
      await off.close();
    }
  });

  test("with password sign-in on, both are offered", async () => {
    const html = await (await fetch(`${app.url}/login`)).text();
    expect(html).toContain("Sign in with Acme ID");
    expect(html).toContain('name="password"');
  });
});

test("the admin page shows the configuration and recent sign-ins", async () => {
  const signedIn = idpAccount({ name: "Sam Signedin" });
  const { b, callback } = await throughIdp(signedIn.login);
  expect((await finish(b, callback)).res.status).toBe(302);
  const admin = await makePerson(app.atrium, { role: "admin" });
  const { sessionCookieFor } = await import("../../helpers/app.js");
  const cookie = await sessionCookieFor(app.atrium as never, admin.user.email, admin.password);
  const html = await (await fetch(`${app.url}/admin/sso`, { headers: { Cookie: cookie } })).text();
  expect(html).toContain("Single sign-on with Acme ID is on.");
  expect(html).toContain(app.callback);
  expect(html).toContain("Sam Signedin signed in with Acme ID");
  expect(html).not.toContain(app.idp.clientSecret);
});

test("starting sign-ins is rate limited per address (each start stores a transaction)", async () => {
  // An app of its own: the limit it reaches would refuse every sign-in the other tests start.
  const limited = await startSsoTestApp();
  try {
    const statuses: number[] = [];
    for (let i = 0; i < 21; i++) statuses.push((await fetch(`${limited.url}/auth/oidc`, { redirect: "manual" })).status);
    expect(statuses).toEqual([...Array(20).fill(302), 429]);
    expect(await limited.atrium.db.oidcTransaction.count()).toBe(20);
  } finally {
    await limited.close();
  }
});
