/**
 * Passwords (decision 057): change, forgot-password links, admin set-password links and
 * invitations. Mail goes through a real in-process SMTP sink and is read back from it.
 */
import { createHash } from "node:crypto";
import { simpleParser } from "mailparser";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { ForbiddenError, InvalidLinkError, NotFoundError, RateLimitedError, ValidationError } from "../../../server/domain/errors.js";
import { RESET_PER_ADDRESS_PER_HOUR, RESET_PER_EMAIL_PER_HOUR, settlePasswordResets } from "../../../server/domain/passwords.js";
import type { DomainEvents } from "../../../server/events.js";
import { startMailSink, type MailSink } from "../../../server/mail/sink.js";
import { actorOf, DEFAULT_PASSWORD, makePerson } from "../../factories.js";
import { startTestApp, type TestApp } from "../../helpers/app.js";

const clock = {
  t: Date.parse("2030-03-01T09:00:00Z"),
  now() {
    return new Date(this.t);
  },
  advance(ms: number) {
    this.t += ms;
  },
};
const HOUR = 3_600_000;
const APP_URL = "https://atrium.example.com";
const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");

let app: TestApp;
let sink: MailSink;
let domain: TestApp["atrium"]["domain"];
let admin: Awaited<ReturnType<typeof makePerson>>;
const events: { name: keyof DomainEvents; payload: unknown }[] = [];
let ipSeq = 0;
const meta = () => ({ ip: `10.1.0.${++ipSeq}`, userAgent: "vitest" });

async function rejects<E extends Error>(p: Promise<unknown>, type: new (...a: any[]) => E): Promise<E> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(type);
  return err as E;
}

/** Waits for the next message to `to` after `since` messages, and returns the token in its link. */
async function linkMailedTo(to: string, since: number) {
  await expect.poll(() => sink.messages.slice(since).filter((m) => m.to.includes(to)).length, { timeout: 5000 }).toBe(1);
  const raw = sink.messages.slice(since).find((m) => m.to.includes(to))!;
  const mail = await simpleParser(raw.raw);
  const m = /https:\/\/atrium\.example\.com\/reset-password\?token=([A-Za-z0-9_-]{43})/.exec(mail.text ?? "");
  expect(m, mail.text).not.toBeNull();
  return { token: m![1], mail };
}

const auditOf = (action: string, targetId: string) => app.atrium.db.auditEvent.findMany({ where: { action, targetId }, orderBy: { createdAt: "asc" } });

beforeAll(async () => {
  sink = await startMailSink();
  app = await startTestApp({ clock, env: { SMTP_URL: sink.url, APP_URL, LOGIN_MAX_ATTEMPTS: "3", DIGEST_SWEEP_MS: "3600000" } });
  domain = app.atrium.domain;
  app.atrium.ctx.bus.subscribe("session.revoked", (payload) => void events.push({ name: "session.revoked", payload }));
  app.atrium.ctx.bus.subscribe("session.rotated", (payload) => void events.push({ name: "session.rotated", payload }));
  admin = await makePerson(app.atrium, { role: "admin", name: "Ada Admin" });
});
afterAll(async () => {
  await settlePasswordResets();
  await app?.close();
  await sink?.close();
});

describe("changePassword", () => {
  test("asks for the current password; ends the other sessions, keeps this one; the old password stops working", async () => {
    const p = await makePerson(app.atrium, { name: "Cora Change" });
    const here = await domain.accounts.signIn({ email: p.user.email, password: DEFAULT_PASSWORD }, meta());
    const phone = await domain.accounts.signIn({ email: p.user.email, password: DEFAULT_PASSWORD }, meta());
    const hereId = sha256(here.token);

    const wrong = await rejects(domain.passwords.changePassword(p.actor, hereId, { currentPassword: "not-my-password", newPassword: "plum orbit lantern quietly" }), ValidationError);
    expect(wrong.fieldErrors.currentPassword).toEqual(["That is not your current password."]);
    expect(await auditOf("auth.password_change_failed", p.user.id)).toHaveLength(1);

    const r = await domain.passwords.changePassword(p.actor, hereId, { currentPassword: DEFAULT_PASSWORD, newPassword: "plum orbit lantern quietly" });
    expect(r.sessionsEnded).toBe(1);
    // This browser continues under a new session id; the old id ends with the old password.
    expect(await domain.accounts.authenticate(r.session.token)).not.toBeNull();
    expect(await domain.accounts.authenticate(here.token)).toBeNull();
    expect(await domain.accounts.authenticate(phone.token)).toBeNull();
    expect(events.slice(-2)).toEqual([
      { name: "session.revoked", payload: { userId: p.user.id, sessionIds: [sha256(phone.token)] } },
      { name: "session.rotated", payload: { userId: p.user.id, from: hereId, to: sha256(r.session.token) } },
    ]);
    await rejects(domain.accounts.signIn({ email: p.user.email, password: DEFAULT_PASSWORD }, meta()), ValidationError);
    expect((await domain.accounts.signIn({ email: p.user.email, password: "plum orbit lantern quietly" }, meta())).user.id).toBe(p.user.id);
    const [changed] = await auditOf("auth.password_changed", p.user.id);
    expect(changed.actorId).toBe(p.user.id);
    expect(JSON.parse(changed.details)).toEqual({ sessionsEnded: 1 });
  });

  test("short, over-long, common and breached new passwords are refused and nothing changes", async () => {
    const p = await makePerson(app.atrium, { name: "Sid Short" });
    const s = sha256((await domain.accounts.signIn({ email: p.user.email, password: DEFAULT_PASSWORD }, meta())).token);
    const before = (await app.atrium.db.user.findUniqueOrThrow({ where: { id: p.user.id } })).passwordHash;
    const refuse = async (newPassword: string) => (await rejects(domain.passwords.changePassword(p.actor, s, { currentPassword: DEFAULT_PASSWORD, newPassword }), ValidationError)).fieldErrors.newPassword;
    expect(await refuse("elevenchars")).toEqual(["Password must be at least 12 characters."]);
    expect(await refuse("x".repeat(257))).toEqual(["Password must be at most 256 characters."]);
    for (const breached of ["password1234", "qwertyuiop123", "iloveyou12345", "aaaaaaaaaaaaaaaa", "sidshort2030!"]) {
      expect((await refuse(breached))?.[0], breached).toMatch(/too easy to guess/);
    }
    expect(await refuse(DEFAULT_PASSWORD)).toEqual(["Choose a password different from your current one."]);
    expect((await app.atrium.db.user.findUniqueOrThrow({ where: { id: p.user.id } })).passwordHash).toBe(before);
    // A long passphrase with spaces and no "composition" is fine, up to 256 characters.
    await domain.passwords.changePassword(p.actor, s, { currentPassword: DEFAULT_PASSWORD, newPassword: `${"a quiet river under the old stone bridge ".repeat(6)}`.slice(0, 256) });
  });

  test("wrong current passwords are rate-limited", async () => {
    const p = await makePerson(app.atrium);
    for (let i = 0; i < 3; i++) await rejects(domain.passwords.changePassword(p.actor, "x", { currentPassword: `wrong-${i}`, newPassword: "plum orbit lantern quietly" }), ValidationError);
    await rejects(domain.passwords.changePassword(p.actor, "x", { currentPassword: DEFAULT_PASSWORD, newPassword: "plum orbit lantern quietly" }), RateLimitedError);
    clock.advance(16 * 60_000);
    await domain.passwords.changePassword(p.actor, "x", { currentPassword: DEFAULT_PASSWORD, newPassword: "plum orbit lantern quietly" });
  });
});

describe("sendPasswordLink (admin) and invitations", () => {
  test("a member cannot send links for anyone; nothing is stored or mailed", async () => {
    const member = await makePerson(app.atrium);
    const other = await makePerson(app.atrium);
    const mails = sink.messages.length;
    await rejects(domain.passwords.sendPasswordLink(member.actor, other.user.id), ForbiddenError);
    await rejects(domain.passwords.sendPasswordLink(member.actor, member.user.id), ForbiddenError);
    expect(await app.atrium.db.passwordToken.count({ where: { userId: { in: [member.user.id, other.user.id] } } })).toBe(0);
    expect(sink.messages.length).toBe(mails);
  });

  test("an admin's link to a person without a password is an invitation: hash-only storage, APP_URL link, 3 days, single use", async () => {
    const user = await app.atrium.db.user.create({ data: { email: "nopass@example.test", name: "Nell Nopass" } });
    const since = sink.messages.length;
    const sent = await domain.passwords.sendPasswordLink(admin.actor, user.id);
    expect(sent).toMatchObject({ to: "nopass@example.test", kind: "invite" });
    const { token, mail } = await linkMailedTo("nopass@example.test", since);
    expect(mail.subject).toMatch(/invited/i);
    expect(mail.text).toContain("Ada Admin");
    // Only the hash is stored.
    const rows = await app.atrium.db.passwordToken.findMany({ where: { userId: user.id } });
    expect(rows).toHaveLength(1);
    expect(rows[0].id).toBe(sha256(token));
    expect(JSON.stringify(rows)).not.toContain(token);
    expect(rows[0].expiresAt.getTime() - clock.t).toBe(72 * HOUR);
    expect((await auditOf("auth.password_link_sent", user.id))[0].actorId).toBe(admin.user.id);

    expect(await domain.passwords.inspectPasswordLink(token)).toMatchObject({ name: "Nell Nopass", purpose: "invite", hasPassword: false });
    const s = await domain.passwords.completePasswordReset({ token, password: "tangerine window seventeen" }, meta());
    expect(s.user.id).toBe(user.id);
    expect((await domain.accounts.authenticate(s.token))?.user.id).toBe(user.id);
    expect((await domain.accounts.signIn({ email: "nopass@example.test", password: "tangerine window seventeen" }, meta())).user.id).toBe(user.id);
    // Single use.
    await rejects(domain.passwords.inspectPasswordLink(token), InvalidLinkError);
    await rejects(domain.passwords.completePasswordReset({ token, password: "another fine passphrase" }, meta()), InvalidLinkError);
    expect((await auditOf("auth.password_link_refused", user.id)).map((e) => JSON.parse(e.details).reason)).toEqual(["used", "used"]);
    expect(await auditOf("auth.password_reset_completed", user.id)).toHaveLength(1);
  });

  test("deactivated people get no link, and a link sent before deactivation stops working", async () => {
    const p = await makePerson(app.atrium);
    const since = sink.messages.length;
    await domain.passwords.sendPasswordLink(admin.actor, p.user.id);
    const { token } = await linkMailedTo(p.user.email, since);
    await domain.accounts.deactivateUser(admin.actor, p.user.id);
    await rejects(domain.passwords.completePasswordReset({ token, password: "tangerine window seventeen" }, meta()), InvalidLinkError);
    const refused = await rejects(domain.passwords.sendPasswordLink(admin.actor, p.user.id), ValidationError);
    expect(refused.fieldErrors.form?.[0]).toMatch(/deactivated/);
    expect(await app.atrium.db.passwordToken.count({ where: { userId: p.user.id } })).toBe(1);
  });

  test("an admin's link expires after 72 hours (injected clock)", async () => {
    const p = await makePerson(app.atrium);
    const since = sink.messages.length;
    await domain.passwords.sendPasswordLink(admin.actor, p.user.id);
    const { token } = await linkMailedTo(p.user.email, since);
    clock.advance(72 * HOUR - 1000);
    await domain.passwords.inspectPasswordLink(token);
    clock.advance(2000);
    await rejects(domain.passwords.inspectPasswordLink(token), InvalidLinkError);
    await rejects(domain.passwords.completePasswordReset({ token, password: "tangerine window seventeen" }, meta()), InvalidLinkError);
  });

  test("creating an account with an invitation stores no password and mails a set-password link; breached initial passwords are refused", async () => {
    const since = sink.messages.length;
    const u = await domain.accounts.createUser(admin.actor, { email: "invitee@example.test", name: "Ivy Invitee", access: "invite" });
    expect(u).toMatchObject({ access: "invite", invited: true });
    expect((await app.atrium.db.user.findUniqueOrThrow({ where: { id: u.id } })).passwordHash).toBeNull();
    const { token } = await linkMailedTo("invitee@example.test", since);
    await domain.passwords.completePasswordReset({ token, password: "violet harbour compass" }, meta());

    const count = await app.atrium.db.user.count();
    const err = await rejects(domain.accounts.createUser(admin.actor, { email: "weak@example.test", name: "Weak", access: "password", password: "password12345" }), ValidationError);
    expect(err.fieldErrors.password?.[0]).toMatch(/too easy to guess/);
    const missing = await rejects(domain.accounts.createUser(admin.actor, { email: "weak@example.test", name: "Weak", access: "password" }), ValidationError);
    expect(missing.fieldErrors.password).toBeDefined();
    expect(await app.atrium.db.user.count()).toBe(count);
  });
});

describe("requestPasswordReset (forgot password)", () => {
  test("the same answer for a known and an unknown address; only the known one gets mail", async () => {
    const p = await makePerson(app.atrium, { name: "Fern Forgot" });
    const since = sink.messages.length;
    const known = await domain.passwords.requestPasswordReset({ email: p.user.email }, meta());
    const unknown = await domain.passwords.requestPasswordReset({ email: "nobody-here@example.test" }, meta());
    expect(Object.keys(known)).toEqual(Object.keys(unknown));
    expect(known).toEqual({ email: p.user.email });
    expect(unknown).toEqual({ email: "nobody-here@example.test" });
    await settlePasswordResets();
    const { mail } = await linkMailedTo(p.user.email, since);
    expect(mail.subject).toBe("Reset your Atrium password");
    expect(sink.messages.slice(since).some((m) => m.to.includes("nobody-here@example.test"))).toBe(false);
    const outcomes = (await app.atrium.db.auditEvent.findMany({ where: { action: "auth.password_reset_requested" } })).map((e) => JSON.parse(e.details));
    expect(outcomes).toEqual(expect.arrayContaining([{ email: p.user.email, outcome: "sent" }, { email: "nobody-here@example.test", outcome: "unknown_email" }]));
  });

  test("a reset link lasts one hour, works once, and ends every session of the person", async () => {
    const p = await makePerson(app.atrium);
    const laptop = await domain.accounts.signIn({ email: p.user.email, password: DEFAULT_PASSWORD }, meta());
    let since = sink.messages.length;
    await domain.passwords.requestPasswordReset({ email: p.user.email }, meta());
    const late = (await linkMailedTo(p.user.email, since)).token;
    clock.advance(HOUR + 1000);
    await rejects(domain.passwords.completePasswordReset({ token: late, password: "tangerine window seventeen" }, meta()), InvalidLinkError);
    expect((await auditOf("auth.password_link_refused", p.user.id)).map((e) => JSON.parse(e.details).reason)).toEqual(["expired"]);

    since = sink.messages.length;
    await domain.passwords.requestPasswordReset({ email: p.user.email }, meta());
    const { token } = await linkMailedTo(p.user.email, since);
    clock.advance(HOUR - 60_000);
    // A refused password leaves the link usable.
    const weak = await rejects(domain.passwords.completePasswordReset({ token, password: "short" }, meta()), ValidationError);
    expect(weak.fieldErrors.password).toEqual(["Password must be at least 12 characters."]);
    const s = await domain.passwords.completePasswordReset({ token, password: "tangerine window seventeen" }, meta());
    expect(await domain.accounts.authenticate(laptop.token)).toBeNull();
    expect(events.at(-1)).toEqual({ name: "session.revoked", payload: { userId: p.user.id, sessionIds: "all" } });
    expect((await domain.accounts.authenticate(s.token))?.user.id).toBe(p.user.id);
    expect(await app.atrium.db.session.count({ where: { userId: p.user.id } })).toBe(1);
    await rejects(domain.passwords.completePasswordReset({ token, password: "another fine passphrase" }, meta()), InvalidLinkError);
  });

  test("tokens that were never issued, or are malformed, are refused the same way", async () => {
    for (const token of ["", "abc", "x".repeat(43), "../../etc/passwd", null, 42]) {
      await rejects(domain.passwords.inspectPasswordLink(token), InvalidLinkError);
      await rejects(domain.passwords.completePasswordReset({ token, password: "tangerine window seventeen" }, meta()), InvalidLinkError);
    }
  });

  test("rate limits: per email (same answer, no more mail) and per address (refused)", async () => {
    const p = await makePerson(app.atrium);
    const since = sink.messages.length;
    const ip = meta();
    for (let i = 0; i < RESET_PER_EMAIL_PER_HOUR + 2; i++) {
      expect(await domain.passwords.requestPasswordReset({ email: p.user.email }, meta())).toEqual({ email: p.user.email });
    }
    await settlePasswordResets();
    await expect.poll(() => sink.messages.slice(since).filter((m) => m.to.includes(p.user.email)).length).toBe(RESET_PER_EMAIL_PER_HOUR);
    expect(await app.atrium.db.passwordToken.count({ where: { userId: p.user.id } })).toBe(RESET_PER_EMAIL_PER_HOUR);

    for (let i = 0; i < RESET_PER_ADDRESS_PER_HOUR; i++) await domain.passwords.requestPasswordReset({ email: `stranger${i}@example.test` }, ip);
    await rejects(domain.passwords.requestPasswordReset({ email: "stranger-last@example.test" }, ip), RateLimitedError);
    clock.advance(HOUR + 1);
    await domain.passwords.requestPasswordReset({ email: "stranger-last@example.test" }, ip);
    await settlePasswordResets();
  });

  test("bad input is a field message", async () => {
    const err = await rejects(domain.passwords.requestPasswordReset({ email: "not an email" }, meta()), ValidationError);
    expect(err.fieldErrors.email).toEqual(["Enter a valid email address."]);
  });
});

describe("PASSWORD_LOGIN=off", () => {
  let off: TestApp;
  beforeAll(async () => {
    off = await startTestApp({
      env: {
        SMTP_URL: sink.url,
        PASSWORD_LOGIN: "off",
        OIDC_ISSUER: "http://127.0.0.1:9/issuer",
        OIDC_CLIENT_ID: "atrium",
        OIDC_CLIENT_SECRET: "secret",
        OIDC_REDIRECT_URI: "http://127.0.0.1/auth/oidc/callback",
      },
    });
  });
  afterAll(() => off?.close());

  test("every password verb is refused and nothing is mailed", async () => {
    const d = off.atrium.domain;
    const a = await makePerson(off.atrium, { role: "admin" });
    const p = await makePerson(off.atrium);
    const mails = sink.messages.length;
    await rejects(d.passwords.requestPasswordReset({ email: p.user.email }, meta()), NotFoundError);
    await rejects(d.passwords.inspectPasswordLink("a".repeat(43)), NotFoundError);
    await rejects(d.passwords.completePasswordReset({ token: "a".repeat(43), password: "tangerine window seventeen" }, meta()), NotFoundError);
    await rejects(d.passwords.sendPasswordLink(a.actor, p.user.id), ValidationError);
    await rejects(d.passwords.changePassword(p.actor, "x", { currentPassword: DEFAULT_PASSWORD, newPassword: "tangerine window seventeen" }), ValidationError);
    const invite = await rejects(d.accounts.createUser(a.actor, { email: "sso@example.test", name: "Sso Person", access: "invite" }), ValidationError);
    expect(invite.fieldErrors.access).toBeDefined();
    expect(await d.passwords.passwordStatus(actorOf(p.user))).toMatchObject({ enabled: false });
    await settlePasswordResets();
    expect(sink.messages.length).toBe(mails);
    expect(await off.atrium.db.passwordToken.count()).toBe(0);
  });

  test("the refusals say why", async () => {
    const d = off.atrium.domain;
    const a = await makePerson(off.atrium, { role: "admin" });
    const p = await makePerson(off.atrium);
    const OFF = "Password sign-in is turned off on this server: people sign in with single sign-on.";
    const link = await rejects(d.passwords.sendPasswordLink(a.actor, p.user.id), ValidationError);
    expect([link.message, link.fieldErrors]).toEqual([OFF, { form: [OFF] }]);
    const change = await rejects(d.passwords.changePassword(p.actor, "x", { currentPassword: DEFAULT_PASSWORD, newPassword: "tangerine window seventeen" }), ValidationError);
    expect([change.message, change.fieldErrors]).toEqual([OFF, { form: [OFF] }]);
    expect((await rejects(d.passwords.requestPasswordReset({ email: p.user.email }, meta()), NotFoundError)).message).toBe("That page was not found.");
    expect(await off.atrium.db.auditEvent.count({ where: { action: { startsWith: "auth.password" } } })).toBe(0);
  });
});

describe("what each verb records and tells apart", () => {
  const userRow = (id: string) => app.atrium.db.user.findUniqueOrThrow({ where: { id } });

  test("passwordStatus says whether password sign-in is on, whether this person has a password and whether mail is set up", async () => {
    const p = await makePerson(app.atrium);
    const bare = await app.atrium.db.user.create({ data: { email: "bare-status@example.test", name: "Bea Bare" } });
    expect(await domain.passwords.passwordStatus(p.actor)).toEqual({ enabled: true, hasPassword: true, mailConfigured: true });
    expect(await domain.passwords.passwordStatus(actorOf(bare))).toEqual({ enabled: true, hasPassword: false, mailConfigured: true });
  });

  test("changing a password one does not have says so and records why; a wrong one records that it was wrong", async () => {
    const bare = await app.atrium.db.user.create({ data: { email: "bare-change@example.test", name: "Bo Bare" } });
    const err = await rejects(domain.passwords.changePassword(actorOf(bare), "x", { currentPassword: "anything at all", newPassword: "plum orbit lantern quietly" }), ValidationError);
    expect(err.fieldErrors.currentPassword?.[0]).toMatch(/^You have no password yet/);
    const p = await makePerson(app.atrium, { name: "Wes Wrong" });
    await rejects(domain.passwords.changePassword(p.actor, "x", { currentPassword: "not-my-password", newPassword: "plum orbit lantern quietly" }), ValidationError);
    const [noPassword] = await auditOf("auth.password_change_failed", bare.id);
    expect(noPassword).toMatchObject({ actorId: bare.id, targetType: "user", targetId: bare.id, summary: "Bo Bare gave a wrong current password when changing it" });
    expect(JSON.parse(noPassword.details)).toEqual({ reason: "no_password" });
    expect(JSON.parse((await auditOf("auth.password_change_failed", p.user.id))[0].details)).toEqual({ reason: "wrong_password" });
    expect((await userRow(bare.id)).passwordHash).toBeNull();
  });

  test("a deactivated person cannot change their password", async () => {
    const p = await makePerson(app.atrium, { active: false });
    const before = (await userRow(p.user.id)).passwordHash;
    const err = await rejects(domain.passwords.changePassword(p.actor, "x", { currentPassword: DEFAULT_PASSWORD, newPassword: "plum orbit lantern quietly" }), NotFoundError);
    expect(err.message).toBe("That person was not found.");
    expect((await userRow(p.user.id)).passwordHash).toBe(before);
  });

  test("a successful change clears the wrong guesses counted before it", async () => {
    const p = await makePerson(app.atrium);
    const input = (currentPassword: string, newPassword = "plum orbit lantern quietly") => ({ currentPassword, newPassword });
    for (let i = 0; i < 2; i++) await rejects(domain.passwords.changePassword(p.actor, "x", input(`wrong-${i}`)), ValidationError);
    await domain.passwords.changePassword(p.actor, "x", input(DEFAULT_PASSWORD));
    // Two more wrong guesses are the second and third of a new count, not the fourth and fifth.
    for (let i = 0; i < 2; i++) await rejects(domain.passwords.changePassword(p.actor, "x", input(`wrong-again-${i}`, "copper meadow lantern seven")), ValidationError);
    await domain.passwords.changePassword(p.actor, "x", input("plum orbit lantern quietly", "copper meadow lantern seven"));
  });

  test("with no other session nothing is revoked; with two, the summary counts both; links sent before the change stop working", async () => {
    const p = await makePerson(app.atrium, { name: "Lou Lonely" });
    const here = sha256((await domain.accounts.signIn({ email: p.user.email, password: DEFAULT_PASSWORD }, meta())).token);
    const since = sink.messages.length;
    await domain.passwords.sendPasswordLink(admin.actor, p.user.id);
    const { token } = await linkMailedTo(p.user.email, since);
    const seen = events.length;
    const r = await domain.passwords.changePassword(p.actor, here, { currentPassword: DEFAULT_PASSWORD, newPassword: "plum orbit lantern quietly" });
    expect(r.sessionsEnded).toBe(0);
    expect(events.slice(seen).map((e) => e.name)).toEqual(["session.rotated"]);
    expect((await auditOf("auth.password_changed", p.user.id))[0]).toMatchObject({ targetType: "user", targetId: p.user.id, summary: "Lou Lonely changed their password (0 other sessions ended)" });
    await rejects(domain.passwords.inspectPasswordLink(token), InvalidLinkError);
    expect((await app.atrium.db.passwordToken.findUniqueOrThrow({ where: { id: sha256(token) } })).usedAt).toEqual(clock.now());

    const q = await makePerson(app.atrium, { name: "Max Many" });
    const mine = sha256((await domain.accounts.signIn({ email: q.user.email, password: DEFAULT_PASSWORD }, meta())).token);
    for (let i = 0; i < 2; i++) await domain.accounts.signIn({ email: q.user.email, password: DEFAULT_PASSWORD }, meta());
    const other = await makePerson(app.atrium);
    await domain.accounts.signIn({ email: other.user.email, password: DEFAULT_PASSWORD }, meta());
    expect((await domain.passwords.changePassword(q.actor, mine, { currentPassword: DEFAULT_PASSWORD, newPassword: "plum orbit lantern quietly" })).sessionsEnded).toBe(2);
    expect((await auditOf("auth.password_changed", q.user.id))[0].summary).toBe("Max Many changed their password (2 other sessions ended)");
    expect(await app.atrium.db.session.count({ where: { userId: other.user.id } })).toBe(1);

    const one = await makePerson(app.atrium, { name: "Una One" });
    const a = sha256((await domain.accounts.signIn({ email: one.user.email, password: DEFAULT_PASSWORD }, meta())).token);
    await domain.accounts.signIn({ email: one.user.email, password: DEFAULT_PASSWORD }, meta());
    await domain.passwords.changePassword(one.actor, a, { currentPassword: DEFAULT_PASSWORD, newPassword: "plum orbit lantern quietly" });
    expect((await auditOf("auth.password_changed", one.user.id))[0].summary).toBe("Una One changed their password (1 other session ended)");
  });

  test("an admin's link to a person who has a password is a set-password link, recorded with its kind and expiry", async () => {
    const p = await makePerson(app.atrium, { name: "Hal Has" });
    const since = sink.messages.length;
    const sent = await domain.passwords.sendPasswordLink(admin.actor, p.user.id);
    const expiresAt = new Date(clock.t + 72 * HOUR);
    expect(sent).toEqual({ to: p.user.email, kind: "admin-reset", expiresAt });
    const { token, mail } = await linkMailedTo(p.user.email, since);
    expect(mail.subject).toBe("Set a new Atrium password");
    const row = await app.atrium.db.passwordToken.findUniqueOrThrow({ where: { id: sha256(token) } });
    expect(row).toMatchObject({ userId: p.user.id, purpose: "invite", createdById: admin.user.id, createdAt: clock.now(), expiresAt, usedAt: null });
    const [audit] = await auditOf("auth.password_link_sent", p.user.id);
    expect(audit).toMatchObject({ actorId: admin.user.id, targetType: "user", targetId: p.user.id, summary: `Sent Hal Has <${p.user.email}> a set-password link` });
    expect(JSON.parse(audit.details)).toEqual({ email: p.user.email, kind: "admin-reset", expiresAt: expiresAt.toISOString() });
    expect(await domain.passwords.inspectPasswordLink(token)).toEqual({ name: "Hal Has", email: p.user.email, purpose: "invite", hasPassword: true, expiresAt });

    const bare = await app.atrium.db.user.create({ data: { email: "bare-invite@example.test", name: "Ina Invite" } });
    await domain.passwords.sendPasswordLink(admin.actor, bare.id);
    expect((await auditOf("auth.password_link_sent", bare.id))[0].summary).toBe("Sent Ina Invite <bare-invite@example.test> an invitation (set-password link)");
  });

  test("an admin's link for nobody is a 404 and sends nothing", async () => {
    const mails = sink.messages.length;
    const tokens = await app.atrium.db.passwordToken.count();
    expect((await rejects(domain.passwords.sendPasswordLink(admin.actor, "no-such-person"), NotFoundError)).message).toBe("That person was not found.");
    expect(await app.atrium.db.passwordToken.count()).toBe(tokens);
    expect(sink.messages.length).toBe(mails);
  });

  test("a link works until the millisecond before it expires, and not at that millisecond", async () => {
    const p = await makePerson(app.atrium);
    let since = sink.messages.length;
    await domain.passwords.sendPasswordLink(admin.actor, p.user.id);
    const first = (await linkMailedTo(p.user.email, since)).token;
    clock.advance(72 * HOUR);
    await rejects(domain.passwords.inspectPasswordLink(first), InvalidLinkError);
    await rejects(domain.passwords.completePasswordReset({ token: first, password: "tangerine window seventeen" }, meta()), InvalidLinkError);
    expect((await auditOf("auth.password_link_refused", p.user.id)).map((e) => JSON.parse(e.details))).toEqual([
      { reason: "expired", purpose: "invite" },
      { reason: "expired", purpose: "invite" },
    ]);

    since = sink.messages.length;
    await domain.passwords.sendPasswordLink(admin.actor, p.user.id);
    const second = (await linkMailedTo(p.user.email, since)).token;
    clock.advance(72 * HOUR - 1);
    await domain.passwords.inspectPasswordLink(second);
    const s = await domain.passwords.completePasswordReset({ token: second, password: "tangerine window seventeen" }, meta());
    expect(s.user).toEqual({ id: p.user.id, name: p.user.name });
  });

  test("using one link spends the person's other links, not other people's, and is recorded with its purpose", async () => {
    const p = await makePerson(app.atrium, { name: "Lin Links" });
    const q = await makePerson(app.atrium);
    const tokens: string[] = [];
    for (const who of [p, p, q]) {
      const since = sink.messages.length;
      await domain.passwords.sendPasswordLink(admin.actor, who.user.id);
      tokens.push((await linkMailedTo(who.user.email, since)).token);
    }
    await domain.passwords.completePasswordReset({ token: tokens[0], password: "tangerine window seventeen" }, meta());
    await rejects(domain.passwords.completePasswordReset({ token: tokens[1], password: "another fine passphrase" }, meta()), InvalidLinkError);
    expect(await domain.passwords.inspectPasswordLink(tokens[2])).toMatchObject({ name: q.user.name });
    const [done] = await auditOf("auth.password_reset_completed", p.user.id);
    expect(done).toMatchObject({ actorId: p.user.id, summary: "Lin Links set their password with a link from an admin" });
    expect(JSON.parse(done.details)).toEqual({ purpose: "invite" });

    const r = await makePerson(app.atrium, { name: "Rex Reset" });
    const since = sink.messages.length;
    await domain.passwords.requestPasswordReset({ email: r.user.email }, meta());
    const { token } = await linkMailedTo(r.user.email, since);
    expect(await app.atrium.db.passwordToken.findUniqueOrThrow({ where: { id: sha256(token) } })).toMatchObject({ purpose: "reset", createdById: null });
    expect(await domain.passwords.inspectPasswordLink(token)).toMatchObject({ purpose: "reset", expiresAt: new Date(clock.t + HOUR) });
    await domain.passwords.completePasswordReset({ token, password: "tangerine window seventeen" }, meta());
    expect((await auditOf("auth.password_reset_completed", r.user.id))[0].summary).toBe("Rex Reset set their password with a reset link");
  });

  test("setting a password with a link clears the sign-in guesses from that address, so the new password works at once", async () => {
    const p = await makePerson(app.atrium);
    const here = meta();
    for (let i = 0; i < 3; i++) await rejects(domain.accounts.signIn({ email: p.user.email, password: `forgotten-${i}` }, here), ValidationError);
    await rejects(domain.accounts.signIn({ email: p.user.email, password: DEFAULT_PASSWORD }, here), RateLimitedError);
    const since = sink.messages.length;
    await domain.passwords.requestPasswordReset({ email: p.user.email }, meta());
    const { token } = await linkMailedTo(p.user.email, since);
    await domain.passwords.completePasswordReset({ token, password: "tangerine window seventeen" }, here);
    expect((await domain.accounts.signIn({ email: p.user.email, password: "tangerine window seventeen" }, here)).user.id).toBe(p.user.id);
  });

  test("a deactivated person's link is refused as deactivated, and asking for a reset for them mails nothing", async () => {
    const p = await makePerson(app.atrium);
    const since = sink.messages.length;
    await domain.passwords.sendPasswordLink(admin.actor, p.user.id);
    const { token } = await linkMailedTo(p.user.email, since);
    await app.atrium.db.user.update({ where: { id: p.user.id }, data: { active: false } });
    await rejects(domain.passwords.inspectPasswordLink(token), InvalidLinkError);
    expect(JSON.parse((await auditOf("auth.password_link_refused", p.user.id))[0].details)).toEqual({ reason: "deactivated", purpose: "invite" });

    const mails = sink.messages.length;
    await domain.passwords.requestPasswordReset({ email: p.user.email }, meta());
    await settlePasswordResets();
    const [asked] = await auditOf("auth.password_reset_requested", p.user.id);
    expect(asked).toMatchObject({ actorId: p.user.id, actorLabel: p.user.email, summary: `Password reset requested for ${p.user.email} (deactivated)` });
    expect(JSON.parse(asked.details)).toEqual({ email: p.user.email, outcome: "deactivated" });
    expect(await app.atrium.db.passwordToken.count({ where: { userId: p.user.id } })).toBe(1);
    expect(sink.messages.length).toBe(mails);
  });

  test("what a throttled email and an over-limit address record", async () => {
    const p = await makePerson(app.atrium);
    const ip = meta();
    for (let i = 0; i < RESET_PER_EMAIL_PER_HOUR + 1; i++) await domain.passwords.requestPasswordReset({ email: p.user.email }, meta());
    await settlePasswordResets();
    const outcomes = (await auditOf("auth.password_reset_requested", p.user.id)).map((e) => JSON.parse(e.details).outcome);
    expect(outcomes.sort()).toEqual([...Array(RESET_PER_EMAIL_PER_HOUR).fill("sent"), "email_rate_limited"].sort());

    for (let i = 0; i < RESET_PER_ADDRESS_PER_HOUR; i++) await domain.passwords.requestPasswordReset({ email: `walker${i}@example.test` }, ip);
    await settlePasswordResets();
    const unknown = await app.atrium.db.auditEvent.findFirstOrThrow({ where: { action: "auth.password_reset_requested", actorLabel: "walker0@example.test" } });
    expect(unknown).toMatchObject({ actorId: null, targetId: "", summary: "Password reset requested for walker0@example.test (unknown email)", ip: ip.ip });
    await rejects(domain.passwords.requestPasswordReset({ email: "walker-over@example.test" }, ip), RateLimitedError);
    const refused = await app.atrium.db.auditEvent.findFirstOrThrow({ where: { action: "auth.password_reset_requested", actorLabel: "walker-over@example.test" } });
    expect(refused).toMatchObject({ actorId: null, summary: "Password reset for walker-over@example.test refused: too many requests from this address", ip: ip.ip });
    expect(JSON.parse(refused.details)).toEqual({ email: "walker-over@example.test", outcome: "address_rate_limited" });
    clock.advance(HOUR);
  });

  test("the person's name and email words make a password guessable", async () => {
    const p = await makePerson(app.atrium, { name: "Quillon Zembrowski", email: "xavrel.tompkin@example.test" });
    const s = sha256((await domain.accounts.signIn({ email: p.user.email, password: DEFAULT_PASSWORD }, meta())).token);
    const refuse = async (newPassword: string) => (await rejects(domain.passwords.changePassword(p.actor, s, { currentPassword: DEFAULT_PASSWORD, newPassword }), ValidationError)).fieldErrors.newPassword?.[0];
    // Each is strong for anyone else (zxcvbn score 4 without these words).
    expect(await refuse("quillonzembrowski")).toMatch(/too easy to guess/);
    expect(await refuse("tompkinxavrel")).toMatch(/too easy to guess/);
    expect(await refuse("xavreltompkin!")).toMatch(/too easy to guess/);
    const other = await makePerson(app.atrium);
    const o = sha256((await domain.accounts.signIn({ email: other.user.email, password: DEFAULT_PASSWORD }, meta())).token);
    await domain.passwords.changePassword(other.actor, o, { currentPassword: DEFAULT_PASSWORD, newPassword: "xavreltompkin!" });
  });
});

describe("no mail configured", () => {
  let bare: TestApp;
  beforeAll(async () => {
    bare = await startTestApp({ clock });
  });
  afterAll(async () => {
    await settlePasswordResets();
    await bare?.close();
  });

  test("an admin's link is refused with the reason, a reset request records mail_off, and no token is stored", async () => {
    const a = await makePerson(bare.atrium, { role: "admin" });
    const p = await makePerson(bare.atrium);
    expect(await bare.atrium.domain.passwords.passwordStatus(p.actor)).toEqual({ enabled: true, hasPassword: true, mailConfigured: false });
    const err = await rejects(bare.atrium.domain.passwords.sendPasswordLink(a.actor, p.user.id), ValidationError);
    expect(err.fieldErrors.form).toEqual(["Email is not configured on this server (SMTP_URL), so no link can be sent."]);
    expect(await bare.atrium.domain.passwords.requestPasswordReset({ email: p.user.email }, meta())).toEqual({ email: p.user.email });
    await settlePasswordResets();
    const asked = await bare.atrium.db.auditEvent.findFirstOrThrow({ where: { action: "auth.password_reset_requested" } });
    expect(JSON.parse(asked.details)).toEqual({ email: p.user.email, outcome: "mail_off" });
    expect(await bare.atrium.db.passwordToken.count()).toBe(0);
  });
});

describe("using a link, at the edges", () => {
  async function adminLink(p: { user: { id: string; email: string } }) {
    const since = sink.messages.length;
    await domain.passwords.sendPasswordLink(admin.actor, p.user.id);
    return (await linkMailedTo(p.user.email, since)).token;
  }

  test("two submissions of one link at once: one sets the password, the other is refused", async () => {
    const p = await makePerson(app.atrium);
    const token = await adminLink(p);
    const results = await Promise.allSettled(["tangerine window seventeen", "another fine passphrase"].map((password) => domain.passwords.completePasswordReset({ token, password }, meta())));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const lost = results.find((r): r is PromiseRejectedResult => r.status === "rejected")!;
    expect(lost.reason).toBeInstanceOf(InvalidLinkError);
    expect(await app.atrium.db.session.count({ where: { userId: p.user.id } })).toBe(1);
  });

  test("a refused link is recorded with the person's name and the reason; a missing input is an invalid link", async () => {
    const p = await makePerson(app.atrium, { name: "Ron Refused" });
    const token = await adminLink(p);
    await domain.passwords.completePasswordReset({ token, password: "tangerine window seventeen" }, meta());
    const here = meta();
    await rejects(domain.passwords.completePasswordReset({ token, password: "another fine passphrase" }, here), InvalidLinkError);
    const [refused] = await auditOf("auth.password_link_refused", p.user.id);
    expect(refused).toMatchObject({ actorId: p.user.id, targetType: "user", targetId: p.user.id, summary: "A set-password link for Ron Refused was refused (used)", ip: here.ip });
    expect((await auditOf("auth.password_reset_completed", p.user.id))[0]).toMatchObject({ targetType: "user", targetId: p.user.id });
    await rejects(domain.passwords.completePasswordReset(undefined as never, meta()), InvalidLinkError);
  });

  test("a link that expires while the password is being set is refused", async () => {
    const p = await makePerson(app.atrium);
    const token = await adminLink(p);
    const row = await app.atrium.db.passwordToken.findUniqueOrThrow({ where: { id: sha256(token) } });
    const now = clock.now;
    // The link is checked 1 ms before its expiry; every later reading of the clock is at or after it.
    clock.t = row.expiresAt.getTime() - 1;
    let reads = 0;
    clock.now = function () {
      return new Date(reads++ === 0 ? this.t : row.expiresAt.getTime());
    };
    try {
      await rejects(domain.passwords.completePasswordReset({ token, password: "tangerine window seventeen" }, meta()), InvalidLinkError);
    } finally {
      clock.now = now;
      clock.t = row.expiresAt.getTime();
    }
    expect((await app.atrium.db.user.findUniqueOrThrow({ where: { id: p.user.id } })).passwordHash).toBe(p.user.passwordHash);
  });

  test("a password set with a link must not be made of the person's name", async () => {
    const p = await makePerson(app.atrium, { name: "Quillon Zembrowski" });
    const token = await adminLink(p);
    const weak = await rejects(domain.passwords.completePasswordReset({ token, password: "quillonzembrowski" }, meta()), ValidationError);
    expect(weak.fieldErrors.password?.[0]).toMatch(/too easy to guess/);
    await domain.passwords.completePasswordReset({ token, password: "tangerine window seventeen" }, meta());
  });

  test("using a link ends only that person's sessions and leaves the time a spent link was used", async () => {
    const p = await makePerson(app.atrium);
    const other = await makePerson(app.atrium);
    const theirs = await domain.accounts.signIn({ email: other.user.email, password: DEFAULT_PASSWORD }, meta());
    const first = await adminLink(p);
    const second = await adminLink(p);
    await domain.passwords.completePasswordReset({ token: first, password: "tangerine window seventeen" }, meta());
    const spentAt = clock.now();
    clock.advance(60_000);
    const third = await adminLink(p);
    await domain.passwords.completePasswordReset({ token: third, password: "another fine passphrase" }, meta());
    expect((await app.atrium.db.passwordToken.findUniqueOrThrow({ where: { id: sha256(second) } })).usedAt).toEqual(spentAt);
    expect((await app.atrium.db.passwordToken.findUniqueOrThrow({ where: { id: sha256(third) } })).usedAt).toEqual(clock.now());
    expect((await domain.accounts.authenticate(theirs.token))?.user.id).toBe(other.user.id);
  });
});

describe("changing a password and asking for a link, at the edges", () => {
  const change = (p: { actor: Parameters<typeof domain.passwords.changePassword>[0] }, currentPassword: string, session = "x") =>
    domain.passwords.changePassword(p.actor, session, { currentPassword, newPassword: "plum orbit lantern quietly" });

  test("wrong current passwords are counted per person: one person's limit does not stop another", async () => {
    const p = await makePerson(app.atrium);
    const q = await makePerson(app.atrium);
    for (let i = 0; i < 3; i++) await rejects(change(p, `wrong-${i}`), ValidationError);
    await rejects(change(p, DEFAULT_PASSWORD), RateLimitedError);
    // Positive control above; the other person is not limited by it.
    expect((await change(q, DEFAULT_PASSWORD)).sessionsEnded).toBe(0);
    // Nor is signing in (the change's count is its own).
    expect((await domain.accounts.signIn({ email: p.user.email, password: DEFAULT_PASSWORD }, meta())).user.id).toBe(p.user.id);
  });

  test("wrong current passwords sent at once are counted before they are checked: no more than the limit are tried", async () => {
    const p = await makePerson(app.atrium);
    const results = await Promise.allSettled(Array.from({ length: 8 }, (_, i) => change(p, `wrong-at-once-${i}`)));
    const refusedAs = results.map((r) => (r.status === "rejected" ? (r.reason as Error).constructor.name : "fulfilled"));
    // LOGIN_MAX_ATTEMPTS is 3: three guesses are checked (and recorded), the other five are refused unchecked.
    expect(refusedAs.filter((n) => n === "ValidationError")).toHaveLength(3);
    expect(refusedAs.filter((n) => n === "RateLimitedError")).toHaveLength(5);
    expect(await auditOf("auth.password_change_failed", p.user.id)).toHaveLength(3);
    await rejects(change(p, DEFAULT_PASSWORD), RateLimitedError);
  });

  test("a change spends only this person's unused links: another person's link still works, a spent one keeps its time", async () => {
    const p = await makePerson(app.atrium);
    const q = await makePerson(app.atrium);
    const linkFor = async (who: typeof p) => {
      const since = sink.messages.length;
      await domain.passwords.sendPasswordLink(admin.actor, who.user.id);
      return (await linkMailedTo(who.user.email, since)).token;
    };
    const spent = await linkFor(p);
    await domain.passwords.completePasswordReset({ token: spent, password: "tangerine window seventeen" }, meta());
    const spentAt = clock.now();
    const theirs = await linkFor(q);
    clock.advance(60_000);
    await domain.passwords.changePassword(p.actor, "x", { currentPassword: "tangerine window seventeen", newPassword: "plum orbit lantern quietly" });
    expect((await app.atrium.db.passwordToken.findUniqueOrThrow({ where: { id: sha256(spent) } })).usedAt).toEqual(spentAt);
    expect((await app.atrium.db.passwordToken.findUniqueOrThrow({ where: { id: sha256(theirs) } })).usedAt).toBeNull();
    expect(await domain.passwords.inspectPasswordLink(theirs)).toMatchObject({ name: q.user.name });
  });

  test("the session a change returns is this browser's new session, valid as long as a new sign-in", async () => {
    const p = await makePerson(app.atrium);
    const here = await domain.accounts.signIn({ email: p.user.email, password: DEFAULT_PASSWORD }, meta());
    const r = await change(p, DEFAULT_PASSWORD, sha256(here.token));
    expect(r.session.expiresAt).toEqual(here.expiresAt);
    const row = await app.atrium.db.session.findUniqueOrThrow({ where: { id: sha256(r.session.token) } });
    expect(row).toMatchObject({ userId: p.user.id, expiresAt: here.expiresAt });
    expect(await app.atrium.db.session.count({ where: { userId: p.user.id } })).toBe(1);
  });

  test("the forgot-password limit counts per network address; requests without one share a single count", async () => {
    const a = meta();
    const b = meta();
    for (let i = 0; i < RESET_PER_ADDRESS_PER_HOUR; i++) await domain.passwords.requestPasswordReset({ email: `roamer-a${i}@example.test` }, a);
    await rejects(domain.passwords.requestPasswordReset({ email: "roamer-a-last@example.test" }, a), RateLimitedError);
    const refused = await app.atrium.db.auditEvent.findFirstOrThrow({ where: { action: "auth.password_reset_requested", actorLabel: "roamer-a-last@example.test" } });
    expect(refused).toMatchObject({ actorId: null, targetType: "user", targetId: "" });
    expect(await domain.passwords.requestPasswordReset({ email: "roamer-b@example.test" }, b)).toEqual({ email: "roamer-b@example.test" });

    const none = { ip: "", userAgent: "vitest" };
    for (let i = 0; i < RESET_PER_ADDRESS_PER_HOUR; i++) await domain.passwords.requestPasswordReset({ email: `nowhere${i}@example.test` }, none);
    await rejects(domain.passwords.requestPasswordReset({ email: "nowhere-last@example.test" }, { ip: "", userAgent: "other" }), RateLimitedError);
    await settlePasswordResets();
    clock.advance(HOUR + 1);
  });

  test("the per-email limit counts one address, not every address", async () => {
    const p = await makePerson(app.atrium);
    const q = await makePerson(app.atrium);
    for (let i = 0; i < RESET_PER_EMAIL_PER_HOUR; i++) await domain.passwords.requestPasswordReset({ email: p.user.email }, meta());
    await domain.passwords.requestPasswordReset({ email: q.user.email }, meta());
    await settlePasswordResets();
    const outcome = async (id: string) => (await auditOf("auth.password_reset_requested", id)).map((e) => JSON.parse(e.details).outcome);
    expect(await outcome(p.user.id)).toEqual(Array(RESET_PER_EMAIL_PER_HOUR).fill("sent"));
    expect(await outcome(q.user.id)).toEqual(["sent"]);
    expect((await auditOf("auth.password_reset_requested", q.user.id))[0]).toMatchObject({ actorId: q.user.id, actorLabel: q.user.email, targetType: "user", summary: `Password reset requested for ${q.user.email} (sent)` });
    await domain.passwords.requestPasswordReset({ email: p.user.email }, meta());
    await settlePasswordResets();
    const throttled = (await auditOf("auth.password_reset_requested", p.user.id)).find((e) => JSON.parse(e.details).outcome === "email_rate_limited")!;
    expect(throttled).toMatchObject({ targetType: "user", summary: `Password reset requested for ${p.user.email} (email rate limited)` });
    clock.advance(HOUR + 1);
  });

  test("settlePasswordResets waits until the link is stored and mailed", async () => {
    const p = await makePerson(app.atrium);
    const since = sink.messages.length;
    await domain.passwords.requestPasswordReset({ email: p.user.email }, meta());
    await settlePasswordResets();
    // No polling: once settled, the row and the audit record exist.
    expect(await app.atrium.db.passwordToken.count({ where: { userId: p.user.id } })).toBe(1);
    expect(await auditOf("auth.password_reset_requested", p.user.id)).toHaveLength(1);
    await linkMailedTo(p.user.email, since);
  });

  test("a reset link that cannot be mailed is logged, and the answer is the same", async () => {
    const p = await makePerson(app.atrium);
    const mailer = app.atrium.ctx.mailer!;
    const send = mailer.send;
    const logged: unknown[][] = [];
    const error = console.error;
    mailer.send = async () => {
      throw new Error("smtp down");
    };
    console.error = (...args: unknown[]) => void logged.push(args);
    try {
      expect(await domain.passwords.requestPasswordReset({ email: p.user.email }, meta())).toEqual({ email: p.user.email });
      await settlePasswordResets();
    } finally {
      mailer.send = send;
      console.error = error;
    }
    expect(logged).toHaveLength(1);
    expect(logged[0][0]).toBe("[passwords] could not send a reset link:");
    expect((logged[0][1] as Error).message).toBe("smtp down");
  });
});
