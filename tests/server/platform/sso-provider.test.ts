/**
 * What single sign-on makes of the provider's answers: discovery asked once per server and asked
 * again after it failed, a failed code exchange named by the check that failed (with its code),
 * a userinfo request that got no answer at all, and the configuration read with password sign-in
 * off. Against a real provider on loopback (tests/helpers/oidc-provider.ts).
 */
import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { Browserless, loginAtIdp } from "../../helpers/oidc-provider.js";
import { startSsoTestApp, type SsoTestApp } from "../../helpers/sso-app.js";
import { makePerson } from "../../factories.js";
import { SsoError } from "../../../server/platform/sso-error.js";

let app: SsoTestApp;
beforeAll(async () => {
  app = await startSsoTestApp({ withPages: false });
});
afterAll(() => app?.close());

let seq = 0;
function idpAccount(target = app) {
  const login = `provider${++seq}`;
  const email = `${login}@acme.test`;
  target.idp.accounts.set(login, { email, email_verified: true, name: `Provider ${seq}` });
  return { login, email };
}

let ipSeq = 0;
const meta = () => ({ ip: `10.10.0.${++ipSeq}`, userAgent: "vitest" });

async function begun(target: SsoTestApp, login: string) {
  const start = await target.atrium.domain.sso.beginSso({}, meta());
  const callback = await loginAtIdp(new Browserless(), start.url, login, target.callback);
  return { ...start, search: new URL(callback).search };
}

async function refusal(p: Promise<unknown>): Promise<SsoError> {
  const err = await p.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(SsoError);
  return err as SsoError;
}

const lastRefusal = async (target = app) => {
  const row = await target.atrium.db.auditEvent.findFirstOrThrow({ where: { action: "auth.sso_refused" }, orderBy: [{ createdAt: "desc" }, { id: "desc" }] });
  return { ...row, details: JSON.parse(row.details) as Record<string, unknown> };
};

describe("discovery", () => {
  test("is asked once per server, and asked again after it failed", async () => {
    const fresh = await startSsoTestApp({ withPages: false });
    try {
      fresh.idp.failDiscovery = true;
      for (let i = 1; i <= 2; i++) {
        const err = await refusal(fresh.atrium.domain.sso.beginSso({}, meta()));
        expect([err.reason, err.message]).toEqual(["discovery_failed", "The identity provider cannot be reached (unexpected HTTP response status code). Try again shortly."]);
        // A failed discovery is not kept: each start asks again.
        expect(fresh.idp.discoveryRequests).toBe(i);
      }
      fresh.idp.failDiscovery = false;
      const account = idpAccount(fresh);
      const s = await begun(fresh, account.login);
      expect(fresh.idp.discoveryRequests).toBe(3);
      const signed = await fresh.atrium.domain.sso.completeSso({ search: s.search, txn: s.txn }, meta());
      expect(signed.user.name).toBe(`Provider ${seq}`);
      await fresh.atrium.domain.sso.beginSso({}, meta());
      // The answer that worked is kept for the server's life: the callback and later starts reuse it.
      expect(fresh.idp.discoveryRequests).toBe(3);
    } finally {
      await fresh.close();
    }
  });
});

describe("a failed code exchange", () => {
  test("is refused by the check that failed, with its message and code recorded", async () => {
    const account = idpAccount();
    const cases: Array<[string, (s: { search: string; txn: string }) => Promise<string>, string, string]> = [
      [
        "bad_state",
        async (s) => {
          const q = new URLSearchParams(s.search);
          q.set("state", "forged");
          return `?${q}`;
        },
        'Single sign-on failed: invalid response encountered: unexpected "state" response parameter value',
        "OAUTH_INVALID_RESPONSE",
      ],
      [
        "bad_nonce",
        async (s) => {
          await app.atrium.db.oidcTransaction.updateMany({ data: { nonce: "a-different-nonce-than-the-id-token-has" } });
          return s.search;
        },
        'Single sign-on failed: unexpected JWT claim value encountered: unexpected ID Token "nonce" claim value',
        "OAUTH_JWT_CLAIM_COMPARISON_FAILED",
      ],
      [
        "invalid_grant",
        async (s) => {
          await app.atrium.db.oidcTransaction.updateMany({ data: { codeVerifier: "x".repeat(64) } });
          return s.search;
        },
        "Single sign-on failed: server responded with an error in the response body: invalid_grant",
        "OAUTH_RESPONSE_BODY_ERROR",
      ],
    ];
    for (const [reason, spoil, message, code] of cases) {
      const s = await begun(app, account.login);
      const search = await spoil(s);
      const err = await refusal(app.atrium.domain.sso.completeSso({ search, txn: s.txn }, meta()));
      expect([err.reason, err.message]).toEqual([reason, message]);
      const audit = await lastRefusal();
      expect(audit.summary).toBe(`Single sign-on refused (${reason.replace(/_/g, " ")})`);
      expect(audit.details).toEqual({ reason, code });
    }
    // Positive control: the same account signs in when nothing is spoilt.
    const s = await begun(app, account.login);
    expect((await app.atrium.domain.sso.completeSso({ search: s.search, txn: s.txn }, meta())).user.name).toBe(`Provider ${seq}`);
  });
});

describe("a userinfo request that gets no answer", () => {
  test("is named by the network's error, recorded and refused; nothing is created", async () => {
    const account = idpAccount();
    const users = await app.atrium.db.user.count();
    app.idp.dropUserinfo = true;
    let err: SsoError;
    try {
      const s = await begun(app, account.login);
      err = await refusal(app.atrium.domain.sso.completeSso({ search: s.search, txn: s.txn }, meta()));
    } finally {
      app.idp.dropUserinfo = false;
    }
    expect([err.reason, err.message]).toEqual(["userinfo_failed", "Atrium could not read your profile from Acme ID (fetch failed: other side closed). Try again shortly."]);
    expect((await lastRefusal()).details).toEqual({ reason: "userinfo_failed", subject: account.login, error: "fetch failed: other side closed" });
    expect(await app.atrium.db.user.count()).toBe(users);
  });
});

describe("with password sign-in off", () => {
  test("the status and the admin's overview say so", async () => {
    const off = await startSsoTestApp({ withPages: false, env: { PASSWORD_LOGIN: "off" } });
    try {
      expect(await off.atrium.domain.sso.ssoStatus()).toEqual({ enabled: true, providerName: "Acme ID", passwordLogin: false });
      const admin = await makePerson(off.atrium, { role: "admin" });
      expect(await off.atrium.domain.sso.ssoOverview(admin.actor)).toMatchObject({ enabled: true, passwordLogin: false, issuer: off.idp.issuer, linked: 0, recent: [] });
    } finally {
      await off.close();
    }
  });
});

describe("a userinfo answer that disagrees with the ID token", () => {
  test("about another subject is refused, named by the check that failed; nothing is created or linked", async () => {
    const account = idpAccount();
    const victim = await makePerson(app.atrium, { email: "userinfo-victim@acme.test" });
    const users = await app.atrium.db.user.count();
    app.idp.userinfoBody = { sub: "someone-else", email: victim.user.email, email_verified: true, name: "Someone Else" };
    let err: SsoError;
    try {
      const s = await begun(app, account.login);
      err = await refusal(app.atrium.domain.sso.completeSso({ search: s.search, txn: s.txn }, meta()));
    } finally {
      app.idp.userinfoBody = null;
    }
    expect([err.reason, err.message]).toEqual([
      "userinfo_failed",
      'Atrium could not read your profile from Acme ID (unexpected JSON attribute value encountered: unexpected "response" body "sub" property value). Try again shortly.',
    ]);
    expect(await app.atrium.db.user.count()).toBe(users);
    expect(await app.atrium.db.externalIdentity.count({ where: { userId: victim.user.id } })).toBe(0);
  });

  test("the ID token's claims win over the userinfo answer's", async () => {
    const direct = await startSsoTestApp({ claimsInIdToken: true, withPages: false });
    try {
      const account = idpAccount(direct);
      direct.idp.userinfoBody = { sub: account.login, email: "userinfo-says@acme.test", email_verified: true, name: "Userinfo Says" };
      const s = await begun(direct, account.login);
      const signed = await direct.atrium.domain.sso.completeSso({ search: s.search, txn: s.txn }, meta());
      expect(signed.user.name).toBe(`Provider ${seq}`);
      expect((await direct.atrium.db.user.findUniqueOrThrow({ where: { id: signed.user.id } })).email).toBe(account.email);
      expect(await direct.atrium.db.user.count({ where: { email: "userinfo-says@acme.test" } })).toBe(0);
    } finally {
      await direct.close();
    }
  });
});

describe("a code exchange that fails outside the three named checks", () => {
  test("a callback carrying implicit-flow tokens is a protocol error, named and recorded with its code", async () => {
    const account = idpAccount();
    const s = await begun(app, account.login);
    // Only the code flow is spoken: a callback that also carries a token is refused before the exchange.
    const err = await refusal(app.atrium.domain.sso.completeSso({ search: `${s.search}&id_token=injected`, txn: s.txn }, meta()));
    expect([err.reason, err.message]).toEqual(["protocol_error", "Single sign-on failed: unsupported operation: implicit and hybrid flows are not supported"]);
    const audit = await lastRefusal();
    expect(audit.summary).toBe("Single sign-on refused (protocol error)");
    expect(audit.details).toEqual({ reason: "protocol_error", code: "OAUTH_UNSUPPORTED_OPERATION" });
  });

  test("a token endpoint that drops the connection is named by the network's error, with an empty code", async () => {
    const account = idpAccount();
    const users = await app.atrium.db.user.count();
    const s = await begun(app, account.login);
    app.idp.dropToken = true;
    let err: SsoError;
    try {
      err = await refusal(app.atrium.domain.sso.completeSso({ search: s.search, txn: s.txn }, meta()));
    } finally {
      app.idp.dropToken = false;
    }
    expect([err.reason, err.message]).toEqual(["protocol_error", "Single sign-on failed: fetch failed: other side closed"]);
    // fetch's error carries no code of its own: the record says so with an empty one.
    expect((await lastRefusal()).details).toEqual({ reason: "protocol_error", code: "" });
    expect(await app.atrium.db.user.count()).toBe(users);
  });
});

describe("a userinfo request answered with an authentication challenge", () => {
  test("is named by the challenge alone (it has no status or message to add), recorded and refused", async () => {
    const account = idpAccount();
    const users = await app.atrium.db.user.count();
    app.idp.userinfoChallenge = true;
    let err: SsoError;
    try {
      const s = await begun(app, account.login);
      err = await refusal(app.atrium.domain.sso.completeSso({ search: s.search, txn: s.txn }, meta()));
    } finally {
      app.idp.userinfoChallenge = false;
    }
    const failure = "server responded with a challenge in the WWW-Authenticate HTTP Header";
    expect([err.reason, err.message]).toEqual(["userinfo_failed", `Atrium could not read your profile from Acme ID (${failure}). Try again shortly.`]);
    expect((await lastRefusal()).details).toEqual({ reason: "userinfo_failed", subject: account.login, error: failure });
    expect(await app.atrium.db.user.count()).toBe(users);
  });
});

describe("a callback on a server that has not reached the provider yet", () => {
  // The callback may reach a server that has not asked for the provider's discovery document yet
  // (restarted since the start, or another instance): a provider down then is refused and recorded
  // as at the start, not thrown raw (it answered a server error before decision 870).
  test("is refused as discovery_failed and recorded, as a start is", async () => {
    const fresh = await startSsoTestApp({ withPages: false });
    try {
      const txn = "a-transaction-started-on-another-instance";
      const sha = createHash("sha256").update(txn).digest("hex");
      const expiresAt = new Date(fresh.atrium.ctx.clock.now().getTime() + 60_000);
      await fresh.atrium.db.oidcTransaction.create({ data: { id: sha, state: "s", nonce: "n", codeVerifier: "v".repeat(43), expiresAt } });
      fresh.idp.failDiscovery = true;
      const err = await refusal(fresh.atrium.domain.sso.completeSso({ search: "?code=c&state=s", txn }, meta()));
      expect([err.reason, err.message]).toEqual(["discovery_failed", "The identity provider cannot be reached (unexpected HTTP response status code). Try again shortly."]);
      expect((await lastRefusal(fresh)).details).toEqual({ reason: "discovery_failed", error: "unexpected HTTP response status code" });
    } finally {
      await fresh.close();
    }
  });
});

/** What a refused sign-in must leave as it was. */
async function everything(target = app) {
  const db = target.atrium.db;
  return {
    users: await db.user.findMany({ orderBy: { id: "asc" } }),
    identities: await db.externalIdentity.findMany({ orderBy: { id: "asc" } }),
    departments: await db.department.findMany({ orderBy: { id: "asc" } }),
    sessions: await db.session.count(),
    signins: await db.auditEvent.count({ where: { action: "auth.sso_signin" } }),
  };
}

describe("a sign-in refused after the exchange", () => {
  test("tells the person why, by the check that failed, and changes nothing", async () => {
    const noEmail = idpAccount();
    app.idp.accounts.set(noEmail.login, { email_verified: true, name: "Nemo Noemail", title: "Ignored", department: "Never Made (no email)" });
    const unverified = idpAccount();
    app.idp.accounts.set(unverified.login, { email: unverified.email, email_verified: false, name: "Una Unverified", department: "Never Made (unverified)" });
    const gone = idpAccount();
    app.idp.accounts.set(gone.login, { email: gone.email, email_verified: true, name: "Dee Deactivated", title: "Ignored", department: "Never Made (deactivated)" });
    await makePerson(app.atrium, { email: gone.email, name: "Dee Deactivated", active: false });

    const cases: Array<[string, string, string]> = [
      [noEmail.login, "no_email", "Your identity provider did not send an email address, so Atrium cannot find your account."],
      [unverified.login, "email_unverified", `Your identity provider has not verified ${unverified.email}, so Atrium cannot link it to an account.`],
      [gone.login, "deactivated", "Your Atrium account is deactivated. Ask an administrator."],
    ];
    for (const [login, reason, message] of cases) {
      const s = await begun(app, login);
      const before = await everything();
      const err = await refusal(app.atrium.domain.sso.completeSso({ search: s.search, txn: s.txn }, meta()));
      expect([err.reason, err.message]).toEqual([reason, message]);
      expect(await everything()).toEqual(before);
    }
    // Positive control: verified, with an active account, the same claims sign in and apply.
    app.idp.accounts.set(unverified.login, { email: unverified.email, email_verified: true, name: "Una Unverified", department: "Never Made (unverified)" });
    const s = await begun(app, unverified.login);
    const signed = await app.atrium.domain.sso.completeSso({ search: s.search, txn: s.txn }, meta());
    expect((await app.atrium.db.user.findUniqueOrThrow({ where: { id: signed.user.id }, include: { department: true } })).department?.name).toBe("Never Made (unverified)");
  });
});

describe("a sign-in that goes ahead", () => {
  test("tells the rest of the app the person changed, each time; one that brings nothing new leaves the person's row as it was", async () => {
    const account = idpAccount();
    app.idp.accounts.set(account.login, { email: account.email, email_verified: true, name: "Ray Repeat", title: "Planner", department: "Plans Dept" });
    const heard: string[] = [];
    const off = app.atrium.ctx.bus.subscribe("person.updated", (e) => void heard.push(e.userId));
    try {
      const s1 = await begun(app, account.login);
      const first = await app.atrium.domain.sso.completeSso({ search: s1.search, txn: s1.txn }, meta());
      expect(heard.filter((id) => id === first.user.id)).toHaveLength(1);
      const row = await app.atrium.db.user.findUniqueOrThrow({ where: { id: first.user.id } });
      expect(row).toMatchObject({ title: "Planner" });

      // The same claims again: nothing to write to the person (their row, updatedAt included, is untouched).
      const s2 = await begun(app, account.login);
      await app.atrium.domain.sso.completeSso({ search: s2.search, txn: s2.txn }, meta());
      expect(await app.atrium.db.user.findUniqueOrThrow({ where: { id: first.user.id } })).toEqual(row);
      expect(heard.filter((id) => id === first.user.id)).toHaveLength(2);
    } finally {
      off();
    }
  });
});

describe("an admin lists a person's identities", () => {
  test("oldest first, and by id among those made at the same moment", async () => {
    const admin = await makePerson(app.atrium, { role: "admin" });
    const person = await makePerson(app.atrium);
    const at = new Date("2030-01-02T03:04:05Z");
    // Written in the opposite order to their ids.
    for (const id of ["zz-identity", "mm-identity", "aa-identity"]) {
      await app.atrium.db.externalIdentity.create({ data: { id, issuer: `https://${id}.example`, subject: id, userId: person.user.id, email: "", createdAt: at, lastSignInAt: at } });
    }
    await app.atrium.db.externalIdentity.create({ data: { id: "zz-older", issuer: "https://older.example", subject: "older", userId: person.user.id, createdAt: new Date(at.getTime() - 1) } });
    const listed = await app.atrium.domain.sso.listSsoIdentities(admin.actor, person.user.id);
    expect(listed.map((i) => i.id)).toEqual(["zz-older", "aa-identity", "mm-identity", "zz-identity"]);
  });
});
