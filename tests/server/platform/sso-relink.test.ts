/**
 * One identity per provider (decision 700): a new subject from the same issuer with the verified
 * email of a person already linked there is refused (`subject_changed`) — the provider may have
 * given a leaver's address to someone new — until an admin unlinks the old identity; after that
 * the next sign-in links by verified email again. Also: a failed userinfo request is named
 * (`userinfo_failed`) instead of passing for "no email sent". Against a real provider on loopback.
 */
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import { Browserless, loginAtIdp, type TestAccount } from "../../helpers/oidc-provider.js";
import { sessionCookieFor } from "../../helpers/app.js";
import { startSsoTestApp, type SsoTestApp } from "../../helpers/sso-app.js";
import { actorOf, makePerson } from "../../factories.js";
import { ForbiddenError, NotFoundError } from "../../../server/domain/errors.js";
import { SsoError } from "../../../server/platform/sso-error.js";

let app: SsoTestApp;
beforeAll(async () => {
  app = await startSsoTestApp();
});
afterAll(() => app?.close());

let seq = 0;
/** An account at the provider with a login no other test uses; `email` may be shared on purpose. */
function idpAccount(claims: Partial<TestAccount> = {}, target = () => app) {
  const login = `relink${++seq}`;
  const email = claims.email ?? `${login}@acme.test`;
  target().idp.accounts.set(login, { email_verified: true, name: `Relink ${seq}`, ...claims, email });
  return { login, email };
}

let ipSeq = 0;
const meta = () => ({ ip: `10.8.0.${++ipSeq}`, userAgent: "vitest" });

/** Starts a sign-in with the verb, logs in at the provider as `login`, finishes it with the verb. */
async function signIn(login: string, target = app) {
  const start = await target.atrium.domain.sso.beginSso({}, meta());
  const callback = await loginAtIdp(new Browserless(), start.url, login, target.callback);
  return target.atrium.domain.sso.completeSso({ search: new URL(callback).search, txn: start.txn }, meta());
}

async function refusal(p: Promise<unknown>): Promise<SsoError> {
  const err = await p.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(SsoError);
  return err as SsoError;
}

const lastRefusal = () => app.atrium.db.auditEvent.findFirstOrThrow({ where: { action: "auth.sso_refused" }, orderBy: [{ createdAt: "desc" }, { id: "desc" }] });

/** What a refused sign-in must leave as it was. */
async function snapshot(userId: string) {
  const db = app.atrium.db;
  return {
    user: await db.user.findUniqueOrThrow({ where: { id: userId } }),
    identities: await db.externalIdentity.findMany({ orderBy: { id: "asc" } }),
    users: await db.user.count(),
    departments: await db.department.count(),
    sessions: await db.session.count(),
    signins: await db.auditEvent.count({ where: { action: "auth.sso_signin" } }),
  };
}

const CHANGED = "Your sign-in identity changed at Acme ID; ask an administrator to unlink your old one.";

describe("a second subject of the same issuer", () => {
  test("is refused with a clear message and recorded; nothing is linked, created or changed; the old subject still signs in", async () => {
    const leaver = idpAccount({ name: "Lee Leaver", title: "Accountant" });
    const first = await signIn(leaver.login);
    const before = await snapshot(first.user.id);

    // The provider gives the leaver's address to a newcomer: a new subject, the same verified email.
    const newcomer = idpAccount({ email: leaver.email, name: "Nia Newcomer", title: "Intern", department: "Newcomers Dept" });
    const err = await refusal(signIn(newcomer.login));
    expect([err.reason, err.message]).toEqual(["subject_changed", CHANGED]);
    expect(await snapshot(first.user.id)).toEqual(before);
    expect(await app.atrium.db.externalIdentity.count({ where: { subject: newcomer.login } })).toBe(0);
    expect(await app.atrium.db.department.count({ where: { name: "Newcomers Dept" } })).toBe(0);
    const audit = await lastRefusal();
    expect(audit).toMatchObject({ actorId: null, actorLabel: leaver.email, summary: "Single sign-on refused (subject changed)" });
    expect(JSON.parse(audit.details)).toEqual({ reason: "subject_changed", email: leaver.email, subject: newcomer.login, issuer: app.idp.issuer, userId: first.user.id });

    // Positive control: the linked subject is not affected.
    const again = await signIn(leaver.login);
    expect(again.user.id).toBe(first.user.id);
  });

  test("the person sees the message on the page, and no session starts", async () => {
    const leaver = idpAccount();
    await signIn(leaver.login);
    const newcomer = idpAccount({ email: leaver.email });
    const b = new Browserless();
    const start = await b.request(`${app.url}/auth/oidc`);
    const callback = await loginAtIdp(b, start.headers.get("location")!, newcomer.login, app.callback);
    const res = await b.request(callback);
    expect(res.status).toBe(400);
    expect(res.headers.getSetCookie().join("\n")).not.toMatch(/atrium_session=[^;]/);
    const html = await res.text();
    expect(html).toContain("Your sign-in identity changed at Acme ID; ask an administrator to unlink your old one.");
  });

  test("first-time linking by verified email still works, also for a person linked only at another issuer", async () => {
    const account = idpAccount({ title: "Buyer" });
    const existing = await makePerson(app.atrium, { email: account.email, name: "Ola Other" });
    await app.atrium.db.externalIdentity.create({ data: { issuer: "https://old-idp.example", subject: "old-1", userId: existing.user.id, email: account.email } });
    const signed = await signIn(account.login);
    expect(signed).toMatchObject({ user: { id: existing.user.id }, created: false });
    const links = await app.atrium.db.externalIdentity.findMany({ where: { userId: existing.user.id }, orderBy: { issuer: "asc" } });
    expect(links.map((l) => [l.issuer, l.subject])).toEqual([[app.idp.issuer, account.login], ["https://old-idp.example", "old-1"]].sort());
    expect((await app.atrium.db.user.findUniqueOrThrow({ where: { id: existing.user.id } })).title).toBe("Buyer");
  });

  test("two new subjects for one unlinked person at once, both past the first check: never both linked", async () => {
    const email = `pair${++seq}@acme.test`;
    const person = await makePerson(app.atrium, { email, name: "Pat Pair" });
    const a = idpAccount({ email });
    const b = idpAccount({ email });
    // Hold the first two look-ups of the person's identities until both callbacks have made them:
    // each sees none, as two callbacks arriving together would.
    const delegate = app.atrium.ctx.db.externalIdentity;
    const count = delegate.count.bind(delegate);
    let waiting = 0;
    let release!: () => void;
    const bothAsked = new Promise<void>((r) => (release = r));
    const spy = vi.spyOn(delegate, "count").mockImplementation(((args: Parameters<typeof delegate.count>[0]) => {
      const n = count(args);
      if (args?.where?.userId !== person.user.id || waiting >= 2) return n;
      if (++waiting === 2) release();
      return bothAsked.then(() => n);
    }) as never);
    let outcomes: string[];
    try {
      const results = await Promise.allSettled([signIn(a.login), signIn(b.login)]);
      expect(waiting).toBe(2);
      outcomes = results.map((r) => (r.status === "rejected" ? (r.reason as SsoError).reason : "signed in"));
    } finally {
      spy.mockRestore();
    }
    // Each made its link and then counted: whichever counted while both links stood withdrew. If
    // both made theirs before either counted, both withdrew; otherwise the first to count won.
    const winners = [a, b].filter((_, i) => outcomes[i] === "signed in");
    expect(winners.length).toBeLessThanOrEqual(1);
    expect(outcomes.filter((o) => o !== "signed in")).toEqual(Array(2 - winners.length).fill("subject_changed"));
    const links = await app.atrium.db.externalIdentity.findMany({ where: { userId: person.user.id } });
    expect(links.map((l) => l.subject)).toEqual(winners.map((w) => w.login));
    // Tried again one at a time: the winner (or, with none, the first) signs in; the other is refused.
    const [first, second] = winners[0] === b ? [b, a] : [a, b];
    expect((await signIn(first.login)).user.id).toBe(person.user.id);
    expect((await refusal(signIn(second.login))).reason).toBe("subject_changed");
  });

  test("a refused subject never holds a link, even for a moment: its second callback meanwhile finds none", async () => {
    const leaver = idpAccount();
    const linked = await signIn(leaver.login);
    const newcomer = idpAccount({ email: leaver.email });
    // Hold the first callback at its first look-up of the person's identities; sign in again as
    // the newcomer while it waits.
    const delegate = app.atrium.ctx.db.externalIdentity;
    const count = delegate.count.bind(delegate);
    let held = false;
    let arrived!: () => void;
    const atHold = new Promise<void>((r) => (arrived = r));
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    const spy = vi.spyOn(delegate, "count").mockImplementation(((args: Parameters<typeof delegate.count>[0]) => {
      const n = count(args);
      if (args?.where?.userId !== linked.user.id || held) return n;
      held = true;
      arrived();
      return released.then(() => n);
    }) as never);
    try {
      const first = refusal(signIn(newcomer.login));
      // (A callback that never looks the identities up fails here, instead of waiting forever.)
      expect(await Promise.race([atHold.then(() => "held"), first.then(() => "finished", () => "finished")])).toBe("held");
      const second = await refusal(signIn(newcomer.login));
      expect(second.reason).toBe("subject_changed");
      release();
      expect((await first).reason).toBe("subject_changed");
    } finally {
      release();
      spy.mockRestore();
    }
    expect(await app.atrium.db.externalIdentity.count({ where: { subject: newcomer.login } })).toBe(0);
    expect(await app.atrium.db.session.count({ where: { userId: linked.user.id } })).toBe(1);
  });

  test("two new subjects at once, unheld: at most one is linked and the other is refused as a changed identity", async () => {
    const email = `race${++seq}@acme.test`;
    const person = await makePerson(app.atrium, { email });
    const a = idpAccount({ email });
    const b = idpAccount({ email });
    const results = await Promise.allSettled([signIn(a.login), signIn(b.login)]);
    for (const r of results) if (r.status === "rejected") expect((r.reason as SsoError).reason).toBe("subject_changed");
    const linked = await app.atrium.db.externalIdentity.count({ where: { userId: person.user.id } });
    expect(linked).toBe(results.filter((r) => r.status === "fulfilled").length);
    expect(linked).toBeLessThanOrEqual(1);
  });
});

describe("an admin unlinks an identity", () => {
  test("lists the person's identities, unlinks one with an audit record, and the next sign-in links by verified email again", async () => {
    const admin = await makePerson(app.atrium, { role: "admin", name: "Ada Admin" });
    const old = idpAccount({ name: "Mo Mover" });
    const first = await signIn(old.login);
    const person = await app.atrium.db.user.findUniqueOrThrow({ where: { id: first.user.id } });
    const elsewhere = await app.atrium.db.externalIdentity.create({
      data: { issuer: "https://old-idp.example", subject: "mo-1", userId: person.id, email: "mo@old.example", createdAt: new Date(Date.now() - 86_400_000) },
    });
    const listed = await app.atrium.domain.sso.listSsoIdentities(admin.actor, person.id);
    const linked = await app.atrium.db.externalIdentity.findFirstOrThrow({ where: { userId: person.id, issuer: app.idp.issuer } });
    expect(listed).toEqual([
      { id: elsewhere.id, issuer: "https://old-idp.example", subject: "mo-1", email: "mo@old.example", createdAt: elsewhere.createdAt, lastSignInAt: elsewhere.lastSignInAt },
      { id: linked.id, issuer: app.idp.issuer, subject: old.login, email: old.email, createdAt: linked.createdAt, lastSignInAt: linked.lastSignInAt },
    ]);

    // The provider moved the person to a new subject: refused until the old one is unlinked.
    const moved = idpAccount({ email: old.email, name: "Mo Mover" });
    expect((await refusal(signIn(moved.login))).reason).toBe("subject_changed");
    const gone = await app.atrium.domain.sso.unlinkSsoIdentity(admin.actor, { userId: person.id, identityId: linked.id });
    expect(gone).toEqual({ issuer: app.idp.issuer, email: old.email, subject: old.login });
    expect(await app.atrium.db.externalIdentity.findMany({ where: { userId: person.id }, select: { id: true } })).toEqual([{ id: elsewhere.id }]);
    const audit = await app.atrium.db.auditEvent.findFirstOrThrow({ where: { action: "auth.sso_unlinked" }, orderBy: [{ createdAt: "desc" }, { id: "desc" }] });
    expect(audit).toMatchObject({
      actorId: admin.user.id,
      targetType: "user",
      targetId: person.id,
      summary: `Unlinked the single sign-on identity ${old.email} at ${app.idp.issuer} from Mo Mover <${old.email}>`,
    });
    expect(JSON.parse(audit.details)).toEqual({ userId: person.id, issuer: app.idp.issuer, subject: old.login, email: old.email });

    const relinked = await signIn(moved.login);
    expect(relinked).toMatchObject({ user: { id: person.id }, created: false });
    const signin = await app.atrium.db.auditEvent.findFirstOrThrow({ where: { action: "auth.sso_signin", actorId: person.id }, orderBy: [{ createdAt: "desc" }, { id: "desc" }] });
    expect(signin.summary).toBe("Mo Mover signed in with Acme ID (account linked by verified email)");
    // The old subject is now the stranger.
    expect((await refusal(signIn(old.login))).reason).toBe("subject_changed");
  });

  test("a member or a leader may neither list nor unlink, not even their own; nothing changes", async () => {
    const account = idpAccount();
    const signed = await signIn(account.login);
    const identity = await app.atrium.db.externalIdentity.findFirstOrThrow({ where: { userId: signed.user.id } });
    const self = actorOf(await app.atrium.db.user.findUniqueOrThrow({ where: { id: signed.user.id } }));
    const member = await makePerson(app.atrium);
    const leaderPerson = await makePerson(app.atrium);
    await app.atrium.db.user.update({ where: { id: leaderPerson.user.id }, data: { role: "leader" } });
    const leader = { actor: { ...leaderPerson.actor, role: "leader" as const } };
    const deactivatedAdmin = await makePerson(app.atrium, { role: "admin", active: false });
    const audits = await app.atrium.db.auditEvent.count();
    for (const actor of [member.actor, leader.actor, self, actorOf({ ...deactivatedAdmin.user, active: false })]) {
      await expect(() => app.atrium.domain.sso.listSsoIdentities(actor, signed.user.id)).rejects.toThrow(ForbiddenError);
      await expect(() => app.atrium.domain.sso.unlinkSsoIdentity(actor, { userId: signed.user.id, identityId: identity.id })).rejects.toThrow(ForbiddenError);
      // A refusal does not tell whether the identity exists.
      await expect(() => app.atrium.domain.sso.unlinkSsoIdentity(actor, { userId: signed.user.id, identityId: "nope" })).rejects.toThrow(ForbiddenError);
    }
    expect(await app.atrium.db.externalIdentity.findUnique({ where: { id: identity.id } })).toEqual(identity);
    expect(await app.atrium.db.auditEvent.count()).toBe(audits);
  });

  test("an unknown id, another person's identity, a non-string or an over-long id is a 404 and changes nothing; two unlinks at once record one", async () => {
    const admin = await makePerson(app.atrium, { role: "admin" });
    const mine = await signIn(idpAccount().login);
    const theirs = await signIn(idpAccount().login);
    const theirIdentity = await app.atrium.db.externalIdentity.findFirstOrThrow({ where: { userId: theirs.user.id } });
    const myIdentity = await app.atrium.db.externalIdentity.findFirstOrThrow({ where: { userId: mine.user.id } });
    const audits = await app.atrium.db.auditEvent.count();
    for (const identityId of [theirIdentity.id, "unknown-id", "", null, 42, ["x"], "a".repeat(101), `${myIdentity.id}${"a".repeat(101 - myIdentity.id.length)}`]) {
      const err = await app.atrium.domain.sso.unlinkSsoIdentity(admin.actor, { userId: mine.user.id, identityId }).then(() => null, (e: unknown) => e);
      expect(err, String(identityId)).toBeInstanceOf(NotFoundError);
      expect((err as Error).message).toBe("That sign-in identity was not found.");
    }
    expect(await app.atrium.db.externalIdentity.count({ where: { id: { in: [theirIdentity.id, myIdentity.id] } } })).toBe(2);
    expect(await app.atrium.db.auditEvent.count()).toBe(audits);

    const results = await Promise.allSettled([0, 1].map(() => app.atrium.domain.sso.unlinkSsoIdentity(admin.actor, { userId: mine.user.id, identityId: myIdentity.id })));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const lost = results.find((r): r is PromiseRejectedResult => r.status === "rejected")!;
    expect(lost.reason).toBeInstanceOf(NotFoundError);
    expect((lost.reason as Error).message).toBe("That sign-in identity was not found.");
    expect(await app.atrium.db.auditEvent.count({ where: { action: "auth.sso_unlinked", targetId: mine.user.id } })).toBe(1);
    expect(await app.atrium.db.externalIdentity.findUnique({ where: { id: theirIdentity.id } })).toEqual(theirIdentity);
  });

  test("the edit page: an admin sees the identities and unlinks one; a member's post is refused with nothing changed; bad ids are 4xx", async () => {
    const admin = await makePerson(app.atrium, { role: "admin" });
    const member = await makePerson(app.atrium);
    const account = idpAccount({ name: "Page Person" });
    const signed = await signIn(account.login);
    const identity = await app.atrium.db.externalIdentity.findFirstOrThrow({ where: { userId: signed.user.id } });
    const adminCookie = await sessionCookieFor(app.atrium as never, admin.user.email, admin.password);
    const memberCookie = await sessionCookieFor(app.atrium as never, member.user.email, member.password);
    const page = `${app.url}/people/${signed.user.id}/edit`;
    const post = (cookie: string, fields: Record<string, string>) =>
      fetch(page, { method: "POST", redirect: "manual", headers: { Cookie: cookie, Origin: app.url, "Content-Type": "application/x-www-form-urlencoded" }, body: new URLSearchParams(fields) });

    const html = await (await fetch(page, { headers: { Cookie: adminCookie } })).text();
    expect(html).toContain("Single sign-on identities (administrators)");
    expect(html).toContain(`value="${identity.id}"`);
    // A member's own edit page has no such section (and does not fail for want of the right).
    const own = await fetch(`${app.url}/people/${member.user.id}/edit`, { headers: { Cookie: memberCookie } });
    expect(own.status).toBe(200);
    expect(await own.text()).not.toContain("Single sign-on identities");

    const audits = await app.atrium.db.auditEvent.count();
    const refused = await post(memberCookie, { intent: "unlink-sso", identityId: identity.id });
    expect(refused.status).toBe(403);
    for (const identityId of ["nope", "\u0000", "a".repeat(3000)]) {
      expect((await post(adminCookie, { intent: "unlink-sso", identityId })).status, identityId.slice(0, 10)).toBeGreaterThanOrEqual(400);
      expect((await post(adminCookie, { intent: "unlink-sso", identityId })).status, identityId.slice(0, 10)).toBeLessThan(500);
    }
    expect(await app.atrium.db.externalIdentity.findUnique({ where: { id: identity.id } })).toEqual(identity);
    expect(await app.atrium.db.auditEvent.count()).toBe(audits);

    const done = await post(adminCookie, { intent: "unlink-sso", identityId: identity.id });
    expect(done.status).toBe(200);
    expect(await done.text()).toContain(`Unlinked the sign-in identity ${account.email} at ${app.idp.issuer}.`);
    expect(await app.atrium.db.externalIdentity.count({ where: { userId: signed.user.id } })).toBe(0);
  });
});

describe("a failed userinfo request", () => {
  test("is named, recorded and refused when the claims it should have sent are missing; nothing is created", async () => {
    const account = idpAccount({ name: "Uma Userinfo" });
    const users = await app.atrium.db.user.count();
    app.idp.failUserinfo = true;
    let err: SsoError;
    try {
      err = await refusal(signIn(account.login));
    } finally {
      app.idp.failUserinfo = false;
    }
    expect(err.reason).toBe("userinfo_failed");
    expect(err.message).toMatch(/^Atrium could not read your profile from Acme ID \(.*503.*\)\. Try again shortly\.$/);
    const audit = await lastRefusal();
    expect(audit.summary).toBe("Single sign-on refused (userinfo failed)");
    expect(JSON.parse(audit.details)).toEqual({ reason: "userinfo_failed", subject: account.login, error: expect.stringContaining("503") });
    expect(await app.atrium.db.user.count()).toBe(users);
    // Positive control: with the endpoint back, the same account signs in.
    expect((await signIn(account.login)).user.name).toBe("Uma Userinfo");
  });

  test("does not stop a sign-in whose ID token carries a verified email (the claims it would have sent change nothing)", async () => {
    const direct = await startSsoTestApp({ claimsInIdToken: true, withPages: false });
    try {
      const account = idpAccount({ name: "Ida Token", title: "Tester" }, () => direct);
      const first = await signIn(account.login, direct);
      direct.idp.accounts.set(account.login, { email: account.email, email_verified: true, name: "Ida Token", title: "Changed" });
      direct.idp.failUserinfo = true;
      const again = await signIn(account.login, direct);
      expect(again.user.id).toBe(first.user.id);
      // The ID token carried the new title as well: the userinfo answer is not needed for it.
      expect((await direct.atrium.db.user.findUniqueOrThrow({ where: { id: first.user.id } })).title).toBe("Changed");
      // Unverified in the ID token, with userinfo down, is named as the failure (it may have said otherwise).
      direct.idp.accounts.set(account.login, { email: account.email, email_verified: false });
      expect((await refusal(signIn(account.login, direct))).reason).toBe("userinfo_failed");
    } finally {
      await direct.close();
    }
  });
});
