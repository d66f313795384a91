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
import { actorOf, makePerson } from "../../factories.js";
import { manualClock } from "../../helpers/clock.js";
import { startTestApp } from "../../helpers/app.js";
import { ForbiddenError, NotFoundError, RateLimitedError } from "../../../server/domain/errors.js";
import { SsoError } from "../../../server/platform/sso-error.js";

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

let ipSeq = 0;
const meta = () => ({ ip: `10.9.0.${++ipSeq}`, userAgent: "vitest" });

/** Starts a sign-in with the verb itself, logs in at the provider as `login`, returns the transaction and the callback's query. */
async function begun(target: SsoTestApp, login: string, redirectTo?: string | null) {
  const start = await target.atrium.domain.sso.beginSso({ redirectTo }, meta());
  const callback = await loginAtIdp(new Browserless(), start.url, login, target.callback);
  return { ...start, search: new URL(callback).search };
}

async function ssoRefusal(p: Promise<unknown>): Promise<SsoError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(SsoError);
  return err as SsoError;
}

const lastRefusal = () => app.atrium.db.auditEvent.findFirstOrThrow({ where: { action: "auth.sso_refused" }, orderBy: [{ createdAt: "desc" }, { id: "desc" }] });

describe("the verbs, called directly", () => {
  test("a name from given and family names, else the email's local part; claims trimmed and cut to their lengths", async () => {
    const given = idpAccount({ name: undefined, given_name: "  Gia ", family_name: " Given " });
    const g = await begun(app, given.login);
    const signed = await app.atrium.domain.sso.completeSso({ search: g.search, txn: g.txn }, meta());
    expect(signed).toMatchObject({ user: { name: "Gia Given", role: "member" }, redirectTo: "/", created: true });

    const familyOnly = idpAccount({ name: undefined, family_name: "Only" });
    const f = await begun(app, familyOnly.login);
    expect((await app.atrium.domain.sso.completeSso({ search: f.search, txn: f.txn }, meta())).user.name).toBe("Only");

    const bare = idpAccount({ name: "   ", email: "local.part-99@acme.test", title: ` ${"t".repeat(120)} `, department: ` ${"D".repeat(90)} ` });
    const b = await begun(app, bare.login);
    const made = await app.atrium.domain.sso.completeSso({ search: b.search, txn: b.txn }, meta());
    const user = await app.atrium.db.user.findUniqueOrThrow({ where: { id: made.user.id }, include: { department: true } });
    expect(user).toMatchObject({ name: "local.part-99", email: "local.part-99@acme.test", title: "t".repeat(100) });
    expect(user.department?.name).toBe("D".repeat(80));

    const long = idpAccount({ name: "N".repeat(130) });
    const l = await begun(app, long.login);
    expect((await app.atrium.domain.sso.completeSso({ search: l.search, txn: l.txn }, meta())).user.name).toBe("N".repeat(100));
  });

  test("a department is found by name, else made once with a free address, and the org hears of a new one", async () => {
    const existing = await app.atrium.db.department.create({ data: { name: "Payments Ops", slug: "payments-ops-old" } });
    const clash = await app.atrium.db.department.create({ data: { name: "Risk Desk (old)", slug: "risk-desk" } });
    const orgEvents: unknown[] = [];
    const off = app.atrium.ctx.bus.subscribe("org.changed", (e) => void orgEvents.push(e));
    try {
      const count = await app.atrium.db.department.count();
      const a = idpAccount({ department: "Payments Ops" });
      const s1 = await begun(app, a.login);
      const u1 = await app.atrium.domain.sso.completeSso({ search: s1.search, txn: s1.txn }, meta());
      expect((await app.atrium.db.user.findUniqueOrThrow({ where: { id: u1.user.id } })).departmentId).toBe(existing.id);
      expect(await app.atrium.db.department.count()).toBe(count);
      expect(orgEvents).toEqual([]);

      const b = idpAccount({ department: "Risk Desk" });
      const s2 = await begun(app, b.login);
      const u2 = await app.atrium.domain.sso.completeSso({ search: s2.search, txn: s2.txn }, meta());
      const made = await app.atrium.db.department.findFirstOrThrow({ where: { name: "Risk Desk" } });
      expect(made.id).not.toBe(clash.id);
      expect(made.slug).toMatch(/^risk-desk-[0-9a-f]{6}$/);
      expect((await app.atrium.db.user.findUniqueOrThrow({ where: { id: u2.user.id } })).departmentId).toBe(made.id);
      expect(orgEvents).toEqual([{ kind: "department" }]);

      const c = idpAccount({ department: "Quiet Corner" });
      const s3 = await begun(app, c.login);
      await app.atrium.domain.sso.completeSso({ search: s3.search, txn: s3.txn }, meta());
      expect((await app.atrium.db.department.findFirstOrThrow({ where: { name: "Quiet Corner" } })).slug).toBe("quiet-corner");

    } finally {
      off?.();
    }
  });

  test("claims the provider sends replace title and department; claims it leaves out change nothing; each sign-in is recorded on the link", async () => {
    const account = idpAccount({ name: "Cleo Claims", title: "Analyst", department: "Finance Team" });
    const first = await begun(app, account.login);
    const signed = await app.atrium.domain.sso.completeSso({ search: first.search, txn: first.txn }, meta());
    const finance = await app.atrium.db.department.findFirstOrThrow({ where: { name: "Finance Team" } });

    // The provider stops sending both: the person keeps them.
    app.idp.accounts.set(account.login, { email: account.email, email_verified: true, name: "Cleo Claims" });
    const second = await begun(app, account.login);
    await app.atrium.domain.sso.completeSso({ search: second.search, txn: second.txn }, meta());
    expect(await app.atrium.db.user.findUniqueOrThrow({ where: { id: signed.user.id } })).toMatchObject({ title: "Analyst", departmentId: finance.id });
    const [summaryAfter] = await app.atrium.db.auditEvent.findMany({ where: { action: "auth.sso_signin", actorId: signed.user.id }, orderBy: [{ createdAt: "desc" }, { id: "desc" }], take: 1 });
    expect(summaryAfter.summary).toBe("Cleo Claims signed in with Acme ID");
    expect(JSON.parse(summaryAfter.details)).toEqual({ issuer: app.idp.issuer, subject: account.login, created: false, linked: false, claims: {} });

    // A new title alone changes the title and keeps the department; a new department alone the reverse.
    app.idp.accounts.set(account.login, { email: account.email, email_verified: true, title: "Lead Analyst" });
    const third = await begun(app, account.login);
    await app.atrium.domain.sso.completeSso({ search: third.search, txn: third.txn }, meta());
    expect(await app.atrium.db.user.findUniqueOrThrow({ where: { id: signed.user.id } })).toMatchObject({ title: "Lead Analyst", departmentId: finance.id });
    app.idp.accounts.set(account.login, { email: `new-${account.email}`, email_verified: true, department: "Audit Team" });
    const fourth = await begun(app, account.login);
    await app.atrium.domain.sso.completeSso({ search: fourth.search, txn: fourth.txn }, meta());
    const audit = await app.atrium.db.department.findFirstOrThrow({ where: { name: "Audit Team" } });
    expect(await app.atrium.db.user.findUniqueOrThrow({ where: { id: signed.user.id } })).toMatchObject({ title: "Lead Analyst", departmentId: audit.id, email: account.email });
    const link = await app.atrium.db.externalIdentity.findFirstOrThrow({ where: { userId: signed.user.id } });
    expect(link.email).toBe(`new-${account.email}`);
    expect(link.lastSignInAt.getTime()).toBeGreaterThan(link.createdAt.getTime());
    expect(await app.atrium.db.externalIdentity.count({ where: { userId: signed.user.id } })).toBe(1);
  });

  test("linking by verified email is recorded as such, with the claims it applied", async () => {
    const account = idpAccount({ title: "Designer" });
    const existing = await makePerson(app.atrium, { email: account.email, name: "Lia Linked" });
    const s = await begun(app, account.login, "/questions");
    const signed = await app.atrium.domain.sso.completeSso({ search: s.search, txn: s.txn }, meta());
    expect(signed).toMatchObject({ user: { id: existing.user.id, name: "Lia Linked" }, created: false, redirectTo: "/questions" });
    const audit = await app.atrium.db.auditEvent.findFirstOrThrow({ where: { action: "auth.sso_signin", actorId: existing.user.id } });
    expect(audit).toMatchObject({ summary: "Lia Linked signed in with Acme ID (account linked by verified email)", targetId: existing.user.id });
    expect(JSON.parse(audit.details)).toEqual({ issuer: app.idp.issuer, subject: account.login, created: false, linked: true, claims: { title: "Designer" } });
    expect(await app.atrium.domain.accounts.authenticate(signed.token)).toMatchObject({ user: { id: existing.user.id } });
  });

  test("refusals record the reason, the email and the subject; the provider's error is shown by its description or its code", async () => {
    const unverified = idpAccount({ email_verified: false });
    const u = await begun(app, unverified.login);
    const err = await ssoRefusal(app.atrium.domain.sso.completeSso({ search: u.search, txn: u.txn }, meta()));
    expect(err.reason).toBe("email_unverified");
    const refusal = await lastRefusal();
    expect(refusal).toMatchObject({ actorId: null, actorLabel: unverified.email, summary: "Single sign-on refused (email unverified)" });
    expect(JSON.parse(refusal.details)).toEqual({ reason: "email_unverified", email: unverified.email, subject: unverified.login });

    const noEmail = idpAccount();
    app.idp.accounts.set(noEmail.login, { email_verified: true, name: "Nemo" });
    const n = await begun(app, noEmail.login);
    const none = await ssoRefusal(app.atrium.domain.sso.completeSso({ search: n.search, txn: n.txn }, meta()));
    expect(none.reason).toBe("no_email");
    expect(JSON.parse((await lastRefusal()).details)).toEqual({ reason: "no_email", subject: noEmail.login });

    const gone = idpAccount();
    const person = await makePerson(app.atrium, { email: gone.email, active: false });
    const g = await begun(app, gone.login);
    expect((await ssoRefusal(app.atrium.domain.sso.completeSso({ search: g.search, txn: g.txn }, meta()))).reason).toBe("deactivated");
    expect(JSON.parse((await lastRefusal()).details)).toEqual({ reason: "deactivated", email: gone.email, userId: person.user.id });

    const start = await app.atrium.domain.sso.beginSso({}, meta());
    const coded = await ssoRefusal(app.atrium.domain.sso.completeSso({ search: "?error=access_denied", txn: start.txn }, meta()));
    expect(coded.message).toBe("The identity provider refused the sign-in: access_denied");
    const described = await ssoRefusal(app.atrium.domain.sso.completeSso({ search: "?error=login_required&error_description=Sign%20in%20first", txn: start.txn }, meta()));
    expect(described.message).toBe("The identity provider refused the sign-in: Sign in first");
    expect(JSON.parse((await lastRefusal()).details)).toEqual({ reason: "provider_error", error: "login_required" });
  });

  test("two callbacks racing with one transaction: one signs in, the other finds no transaction", async () => {
    const account = idpAccount({ name: "Rita Race" });
    const s = await begun(app, account.login);
    const results = await Promise.allSettled([0, 1].map(() => app.atrium.domain.sso.completeSso({ search: s.search, txn: s.txn }, meta())));
    expect(results.map((r) => (r.status === "fulfilled" ? "signed in" : (r.reason as SsoError).reason))).toContain("signed in");
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const lost = results.find((r): r is PromiseRejectedResult => r.status === "rejected")!;
    expect(lost.reason).toBeInstanceOf(SsoError);
    expect((lost.reason as SsoError).reason).toBe("no_transaction");
    expect(await app.atrium.db.user.count({ where: { email: account.email } })).toBe(1);
  });

  test("finishing one sign-in leaves another browser's sign-in in flight usable", async () => {
    const a = idpAccount();
    const b = idpAccount();
    const first = await begun(app, a.login);
    const second = await begun(app, b.login);
    await app.atrium.domain.sso.completeSso({ search: first.search, txn: first.txn }, meta());
    const signed = await app.atrium.domain.sso.completeSso({ search: second.search, txn: second.txn }, meta());
    expect((await app.atrium.db.user.findUniqueOrThrow({ where: { id: signed.user.id } })).email).toBe(b.email);
  });

  test("a missing or over-long transaction cookie is refused without a sign-in", async () => {
    const sessions = await app.atrium.db.session.count();
    for (const txn of [null, undefined, "", "a".repeat(101)]) {
      const err = await ssoRefusal(app.atrium.domain.sso.completeSso({ search: "?code=abc&state=def", txn }, meta()));
      expect(err.reason).toBe("no_transaction");
      expect(err.message).toBe("This sign-in was not started in this browser, or it expired. Please start again.");
    }
    expect(await app.atrium.db.session.count()).toBe(sessions);
  });

  test("only an admin reads the configuration; it lists the linked count and the ten newest sign-in events", async () => {
    const member = await makePerson(app.atrium);
    await expect(() => app.atrium.domain.sso.ssoOverview(member.actor)).rejects.toThrow(ForbiddenError);
    const admin = await makePerson(app.atrium, { role: "admin" });
    const account = idpAccount({ name: "Otto Overview" });
    const s = await begun(app, account.login);
    await app.atrium.domain.sso.completeSso({ search: s.search, txn: s.txn }, meta());
    // More sign-on events than the list holds, whatever other tests of this file wrote before.
    const now = app.atrium.ctx.clock.now().getTime();
    for (let i = 1; i <= 11; i++) {
      await app.atrium.db.auditEvent.create({ data: { action: "auth.sso_refused", summary: `refused ${i}`, details: "{}", createdAt: new Date(now - i * 1000) } });
    }
    await app.atrium.db.auditEvent.create({ data: { action: "auth.signin_succeeded", summary: "not single sign-on", details: "{}", createdAt: new Date(now + 60_000) } });
    const o = await app.atrium.domain.sso.ssoOverview(admin.actor);
    expect(o).toMatchObject({
      enabled: true,
      passwordLogin: true,
      issuer: app.idp.issuer,
      clientId: app.idp.clientId,
      redirectUri: app.callback,
      providerName: "Acme ID",
      scopes: "openid email profile",
      claims: { department: "department", title: "title" },
      linked: await app.atrium.db.externalIdentity.count(),
    });
    const all = await app.atrium.db.auditEvent.findMany({ where: { action: { in: ["auth.sso_signin", "auth.sso_refused"] } }, orderBy: [{ createdAt: "desc" }, { id: "desc" }], take: 10 });
    expect(all.length).toBe(10);
    expect(o.recent.map((e) => e.id)).toEqual(all.map((e) => e.id));
    expect(o.recent[0]).toEqual({ id: all[0].id, createdAt: all[0].createdAt, action: all[0].action, summary: all[0].summary, ip: all[0].ip });
    expect(JSON.stringify(o)).not.toContain(app.idp.clientSecret);
    expect(await app.atrium.domain.sso.ssoStatus()).toEqual({ enabled: true, providerName: "Acme ID", passwordLogin: true });
  });
});

describe("on the injected clock", () => {
  let timed: SsoTestApp;
  const clock = manualClock("2030-05-01T09:00:00Z");
  beforeAll(async () => {
    timed = await startSsoTestApp({ clock, withPages: false });
    timed.idp.accounts.set("timed", { email: "timed@acme.test", email_verified: true, name: "Tim Timed" });
  });
  afterAll(() => timed?.close());

  test("a transaction lasts ten minutes to the millisecond, and is spent by its first use", async () => {
    const late = await begun(timed, "timed", "/people");
    expect(late.maxAgeSeconds).toBe(600);
    const row = await timed.atrium.db.oidcTransaction.findUniqueOrThrow({ where: { id: createHash("sha256").update(late.txn).digest("hex") } });
    expect(row).toMatchObject({ redirectTo: "/people", expiresAt: new Date(clock.t + 600_000) });
    clock.tick(600_000);
    const expired = await ssoRefusal(timed.atrium.domain.sso.completeSso({ search: late.search, txn: late.txn }, meta()));
    expect([expired.reason, expired.message]).toEqual(["no_transaction", "This sign-in was not started in this browser, or it expired. Please start again."]);
    expect(await timed.atrium.db.oidcTransaction.count({ where: { id: row.id } })).toBe(0);

    const inTime = await begun(timed, "timed");
    clock.tick(600_000 - 1);
    const signed = await timed.atrium.domain.sso.completeSso({ search: inTime.search, txn: inTime.txn }, meta());
    expect(signed.user.name).toBe("Tim Timed");
    expect((await ssoRefusal(timed.atrium.domain.sso.completeSso({ search: inTime.search, txn: inTime.txn }, meta()))).reason).toBe("no_transaction");
  });

  test("starting a sign-in clears expired transactions and keeps the others", async () => {
    const now = clock.now();
    const row = (id: string, expiresAt: Date) => ({ id, state: "s", nonce: "n", codeVerifier: "v", redirectTo: "/", expiresAt });
    await timed.atrium.db.oidcTransaction.createMany({ data: [row("expired", new Date(now.getTime() - 1)), row("live", new Date(now.getTime() + 1000))] });
    await timed.atrium.domain.sso.beginSso({}, meta());
    expect(await timed.atrium.db.oidcTransaction.findUnique({ where: { id: "expired" } })).toBeNull();
    expect(await timed.atrium.db.oidcTransaction.findUnique({ where: { id: "live" } })).not.toBeNull();
  });

  test("twenty starts a minute per address: the twenty-first waits for the minute, other addresses do not", async () => {
    const here = { ip: "10.77.0.1", userAgent: "vitest" };
    for (let i = 0; i < 20; i++) await timed.atrium.domain.sso.beginSso({}, here);
    const err = await timed.atrium.domain.sso.beginSso({}, here).then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(RateLimitedError);
    await timed.atrium.domain.sso.beginSso({}, { ip: "10.77.0.2", userAgent: "vitest" });
    // Without the request's address (outside a request) the start is still counted, under no address.
    await timed.atrium.domain.sso.beginSso({});
    clock.tick(60_000);
    await timed.atrium.domain.sso.beginSso({}, here);
  });
});

describe("without single sign-on configured", () => {
  test("the verbs do not exist, and the status says so", async () => {
    const plain = await startTestApp();
    try {
      for (const call of [() => plain.atrium.domain.sso.beginSso({}, meta()), () => plain.atrium.domain.sso.completeSso({ search: "?code=x", txn: "y" }, meta())]) {
        const err = await call().then(() => null, (e: unknown) => e);
        expect(err).toBeInstanceOf(NotFoundError);
        expect((err as Error).message).toMatch(/^Single sign-on /);
      }
      expect(await plain.atrium.domain.sso.ssoStatus()).toEqual({ enabled: false, providerName: "your company", passwordLogin: true });
      const admin = await makePerson(plain.atrium, { role: "admin" });
      expect(await plain.atrium.domain.sso.ssoOverview(actorOf(admin.user))).toMatchObject({ enabled: false, issuer: null, clientId: null, redirectUri: null, linked: 0, recent: [] });
    } finally {
      await plain.close();
    }
  });

  test("a provider that cannot be reached is a clear refusal", async () => {
    const down = await startTestApp({ env: { OIDC_ISSUER: "http://127.0.0.1:9/issuer", OIDC_CLIENT_ID: "atrium", OIDC_CLIENT_SECRET: "secret", OIDC_REDIRECT_URI: "http://127.0.0.1/auth/oidc/callback" } });
    try {
      for (let i = 0; i < 2; i++) {
        const err = await ssoRefusal(down.atrium.domain.sso.beginSso({}, meta()));
        expect(err.reason).toBe("discovery_failed");
        expect(err.message).toMatch(/^The identity provider cannot be reached \(.+\)\. Try again shortly\.$/);
      }
      expect(await down.atrium.db.oidcTransaction.count()).toBe(0);
    } finally {
      await down.close();
    }
  });
});
