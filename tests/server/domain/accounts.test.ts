import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { authenticate, createUser, hashPassword, signIn } from "../../../server/domain/accounts.js";
import type { Ctx } from "../../../server/domain/context.js";
import type { SqlReads } from "../../../server/db-reads.js";
import type { OutgoingMail } from "../../../server/mail/mailer.js";
import { ForbiddenError, NotFoundError, RateLimitedError, ValidationError } from "../../../server/domain/errors.js";
import type { DomainEvents } from "../../../server/events.js";
import { startTestApp, type TestApp } from "../../helpers/app.js";
import { actorOf, DEFAULT_PASSWORD, makeDepartment, makePerson, snapshotPerson } from "../../factories.js";

/** A clock the tests move forward by hand. */
const clock = {
  t: Date.parse("2030-03-01T09:00:00Z"),
  now() {
    return new Date(this.t);
  },
  advance(ms: number) {
    this.t += ms;
  },
};
const DAY = 86_400_000;

let app: TestApp;
let domain: TestApp["atrium"]["domain"];
let admin: Awaited<ReturnType<typeof makePerson>>;
let member: Awaited<ReturnType<typeof makePerson>>;
const events: { name: keyof DomainEvents; payload: unknown }[] = [];

let ipSeq = 0;
const meta = () => ({ ip: `10.0.0.${++ipSeq}`, userAgent: "vitest" });
const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");

async function rejects<E extends Error>(p: Promise<unknown>, type: new (...a: any[]) => E): Promise<E> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(type);
  return err as E;
}

beforeAll(async () => {
  app = await startTestApp({ clock, env: { LOGIN_MAX_ATTEMPTS: "3", LOGIN_WINDOW_SECONDS: "900", SESSION_DAYS: "30" } });
  domain = app.atrium.domain;
  for (const name of ["person.updated", "person.deactivated", "session.revoked"] as const) {
    app.atrium.ctx.bus.subscribe(name, (payload) => void events.push({ name, payload }));
  }
  admin = await makePerson(app.atrium, { role: "admin", name: "Admin Person", email: "admin@example.test" });
  member = await makePerson(app.atrium, { name: "Member Person", email: "member@example.test" });
});
afterAll(() => app?.close());

describe("signIn", () => {
  test("right credentials start a session whose id is the token's hash, never the token", async () => {
    const s = await domain.accounts.signIn({ email: "member@example.test", password: DEFAULT_PASSWORD }, meta());
    expect(s.user).toEqual({ id: member.user.id, name: "Member Person", role: "member" });
    expect(s.token.length).toBeGreaterThanOrEqual(40);
    expect(s.expiresAt.getTime()).toBe(clock.t + 30 * DAY);
    const row = await app.atrium.db.session.findUnique({ where: { id: sha256(s.token) } });
    expect(row).toMatchObject({ userId: member.user.id, userAgent: "vitest" });
    expect(await app.atrium.db.session.findUnique({ where: { id: s.token } })).toBeNull();
  });

  test("email is matched case-insensitively and trimmed", async () => {
    const s = await domain.accounts.signIn({ email: "  MEMBER@Example.TEST ", password: DEFAULT_PASSWORD }, meta());
    expect(s.user.id).toBe(member.user.id);
  });

  test("wrong password and unknown email get the same message, and no session is created", async () => {
    const before = await app.atrium.db.session.count();
    const wrong = await rejects(domain.accounts.signIn({ email: "member@example.test", password: "not-the-password" }, meta()), ValidationError);
    const unknown = await rejects(domain.accounts.signIn({ email: "nobody@example.test", password: DEFAULT_PASSWORD }, meta()), ValidationError);
    expect(wrong.message).toBe("Email or password is incorrect.");
    expect(unknown.message).toBe(wrong.message);
    expect(unknown.fieldErrors).toEqual(wrong.fieldErrors);
    expect(wrong.fieldErrors).toEqual({ form: ["Email or password is incorrect."] });
    expect(await app.atrium.db.session.count()).toBe(before);
  });

  test("a deactivated person is refused with the right password", async () => {
    const gone = await makePerson(app.atrium, { active: false });
    const err = await rejects(domain.accounts.signIn({ email: gone.user.email, password: DEFAULT_PASSWORD }, meta()), ValidationError);
    expect(err.message).toBe("Email or password is incorrect.");
    expect(await app.atrium.db.session.count({ where: { userId: gone.user.id } })).toBe(0);
  });

  test("an account without a password (e.g. not yet set up) cannot sign in", async () => {
    const p = await makePerson(app.atrium);
    await app.atrium.db.user.update({ where: { id: p.user.id }, data: { passwordHash: null } });
    await rejects(domain.accounts.signIn({ email: p.user.email, password: DEFAULT_PASSWORD }, meta()), ValidationError);
  });

  test("malformed input gets field-level messages", async () => {
    const err = await rejects(domain.accounts.signIn({ email: "not-an-email", password: "" }, meta()), ValidationError);
    expect(err.fieldErrors.email).toEqual(["Enter a valid email address."]);
    expect(err.fieldErrors.password).toEqual(["Password is required."]);
    expect(err.status).toBe(422);
  });

  test("after LOGIN_MAX_ATTEMPTS failures even the right password is refused until the window passes", async () => {
    const p = await makePerson(app.atrium);
    const m = meta();
    for (let i = 0; i < 3; i++) {
      await rejects(domain.accounts.signIn({ email: p.user.email, password: "wrong-password" }, m), ValidationError);
    }
    const limited = await rejects(domain.accounts.signIn({ email: p.user.email, password: DEFAULT_PASSWORD }, m), RateLimitedError);
    expect(limited.status).toBe(429);
    expect(limited.retryAfterSeconds).toBeGreaterThan(0);
    expect(limited.retryAfterSeconds).toBeLessThanOrEqual(900);
    expect(limited.message).toMatch(/Too many attempts/);
    expect(await app.atrium.db.session.count({ where: { userId: p.user.id } })).toBe(0);

    // The limit is per account and address: the same person from elsewhere is not locked out.
    await domain.accounts.signIn({ email: p.user.email, password: DEFAULT_PASSWORD }, meta());

    clock.advance(901_000);
    const s = await domain.accounts.signIn({ email: p.user.email, password: DEFAULT_PASSWORD }, m);
    expect(s.user.id).toBe(p.user.id);
  });

  test("a successful sign-in resets the failure count", async () => {
    const p = await makePerson(app.atrium);
    const m = meta();
    const fail = () => rejects(domain.accounts.signIn({ email: p.user.email, password: "wrong-password" }, m), ValidationError);
    await fail();
    await fail();
    await domain.accounts.signIn({ email: p.user.email, password: DEFAULT_PASSWORD }, m);
    await fail();
    await fail();
    await domain.accounts.signIn({ email: p.user.email, password: DEFAULT_PASSWORD }, m);
  });
});

describe("authenticate", () => {
  test("a live token gives the actor and the public user fields", async () => {
    const s = await domain.accounts.signIn({ email: admin.user.email, password: DEFAULT_PASSWORD }, meta());
    const auth = await domain.accounts.authenticate(s.token);
    expect(auth?.actor).toEqual({ id: admin.user.id, role: "admin", departmentId: null, active: true });
    expect(auth?.sessionId).toBe(sha256(s.token));
    expect(auth?.user).toEqual({ id: admin.user.id, name: "Admin Person", email: "admin@example.test", role: "admin", photoPath: null, timeZone: "UTC" });
    expect(JSON.stringify(auth)).not.toContain("argon2");
  });

  test("missing, unknown and oversized tokens are refused", async () => {
    expect(await domain.accounts.authenticate(null)).toBeNull();
    expect(await domain.accounts.authenticate(undefined)).toBeNull();
    expect(await domain.accounts.authenticate("")).toBeNull();
    expect(await domain.accounts.authenticate("made-up-token")).toBeNull();
    expect(await domain.accounts.authenticate("x".repeat(201))).toBeNull();
  });

  test("an expired session is refused", async () => {
    const p = await makePerson(app.atrium);
    const s = await domain.accounts.signIn({ email: p.user.email, password: DEFAULT_PASSWORD }, meta());
    // Used every 6 hours (inside the idle timeout), it still ends after SESSION_DAYS.
    for (let h = 6; h < 30 * 24; h += 6) {
      clock.advance(6 * 3_600_000);
      expect(await domain.accounts.authenticate(s.token)).not.toBeNull();
    }
    clock.advance(6 * 3_600_000);
    expect(await domain.accounts.authenticate(s.token)).toBeNull();
    expect(await domain.accounts.listSessions(p.actor)).toEqual([]);
  });

  test("a session of a person deactivated behind its back is refused", async () => {
    const p = await makePerson(app.atrium);
    const s = await domain.accounts.signIn({ email: p.user.email, password: DEFAULT_PASSWORD }, meta());
    await app.atrium.db.user.update({ where: { id: p.user.id }, data: { active: false } });
    expect(await domain.accounts.authenticate(s.token)).toBeNull();
  });

  test("lastSeenAt moves only after five minutes, to keep writes down", async () => {
    const p = await makePerson(app.atrium);
    const s = await domain.accounts.signIn({ email: p.user.email, password: DEFAULT_PASSWORD }, meta());
    const start = clock.t;
    clock.advance(60_000);
    await domain.accounts.authenticate(s.token);
    const seen = () => app.atrium.db.session.findUniqueOrThrow({ where: { id: sha256(s.token) } }).then((r) => r.lastSeenAt.getTime());
    expect(await seen()).toBe(start);
    clock.advance(5 * 60_000);
    await domain.accounts.authenticate(s.token);
    expect(await seen()).toBe(clock.t);
  });
});

describe("sessions are revocable", () => {
  test("signOut ends only that session", async () => {
    const p = await makePerson(app.atrium);
    const a = await domain.accounts.signIn({ email: p.user.email, password: DEFAULT_PASSWORD }, meta());
    const b = await domain.accounts.signIn({ email: p.user.email, password: DEFAULT_PASSWORD }, meta());
    events.length = 0;
    await domain.accounts.signOut(a.token);
    expect(await domain.accounts.authenticate(a.token)).toBeNull();
    expect(await domain.accounts.authenticate(b.token)).not.toBeNull();
    expect(events).toEqual([{ name: "session.revoked", payload: { userId: "", sessionIds: [sha256(a.token)] } }]);
    // Signing out without a cookie or twice is harmless and announces nothing.
    events.length = 0;
    await domain.accounts.signOut(null);
    await domain.accounts.signOut(a.token);
    expect(events).toEqual([]);
  });

  test("signOutEverywhere by the person ends all their sessions and no one else's", async () => {
    const p = await makePerson(app.atrium);
    const bystander = await makePerson(app.atrium);
    const tokens = await Promise.all(
      [1, 2, 3].map(() => domain.accounts.signIn({ email: p.user.email, password: DEFAULT_PASSWORD }, meta()).then((s) => s.token)),
    );
    const theirs = await domain.accounts.signIn({ email: bystander.user.email, password: DEFAULT_PASSWORD }, meta());
    events.length = 0;
    expect(await domain.accounts.signOutEverywhere(p.actor, p.user.id)).toBe(3);
    for (const t of tokens) expect(await domain.accounts.authenticate(t)).toBeNull();
    expect(await domain.accounts.authenticate(theirs.token)).not.toBeNull();
    expect(events).toEqual([{ name: "session.revoked", payload: { userId: p.user.id, sessionIds: "all" } }]);
  });

  test("an admin may sign someone out everywhere", async () => {
    const p = await makePerson(app.atrium);
    const s = await domain.accounts.signIn({ email: p.user.email, password: DEFAULT_PASSWORD }, meta());
    expect(await domain.accounts.signOutEverywhere(admin.actor, p.user.id)).toBe(1);
    expect(await domain.accounts.authenticate(s.token)).toBeNull();
  });

  test("a member cannot sign someone else out; their sessions are untouched", async () => {
    const p = await makePerson(app.atrium);
    await domain.accounts.signIn({ email: p.user.email, password: DEFAULT_PASSWORD }, meta());
    const before = await snapshotPerson(app.atrium, p.user.id);
    events.length = 0;
    await rejects(domain.accounts.signOutEverywhere(member.actor, p.user.id), ForbiddenError);
    expect(await snapshotPerson(app.atrium, p.user.id)).toEqual(before);
    expect(before.sessions).toHaveLength(1);
    expect(events).toEqual([]);
  });

  test("listSessions shows only the actor's live sessions, by a short key rather than the id", async () => {
    const p = await makePerson(app.atrium);
    await domain.accounts.signIn({ email: p.user.email, password: DEFAULT_PASSWORD }, { ip: "192.0.2.7", userAgent: "Firefox" });
    clock.advance(60_000);
    await domain.accounts.signIn({ email: p.user.email, password: DEFAULT_PASSWORD }, { ip: "192.0.2.8", userAgent: "Chromium" });
    const list = await domain.accounts.listSessions(p.actor);
    expect(list.map((s) => s.userAgent)).toEqual(["Chromium", "Firefox"]);
    for (const s of list) {
      expect(s.key).toHaveLength(8);
      expect(s).not.toHaveProperty("id");
    }
  });
});

describe("createUser", () => {
  test("an admin creates a person who can sign in and is in the directory", async () => {
    const dept = await makeDepartment(app.atrium);
    const created = await domain.accounts.createUser(admin.actor, {
      email: "New.Hire@Example.test",
      name: "New Hire",
      password: "a-long-enough-password",
      title: "Engineer",
      departmentId: dept.id,
    });
    const row = await app.atrium.db.user.findUniqueOrThrow({ where: { id: created.id } });
    expect(row).toMatchObject({ email: "new.hire@example.test", name: "New Hire", role: "member", title: "Engineer", departmentId: dept.id, active: true });
    expect(row.passwordHash).toMatch(/^\$argon2id\$/);
    expect(app.atrium.ctx.peopleIndex.has(created.id)).toBe(true);
    const s = await domain.accounts.signIn({ email: "new.hire@example.test", password: "a-long-enough-password" }, meta());
    expect(s.user.id).toBe(created.id);
  });

  test("a member cannot create accounts; nothing is written", async () => {
    const before = await app.atrium.db.user.count();
    await rejects(
      domain.accounts.createUser(member.actor, { email: "sneaky@example.test", name: "Sneaky", password: "a-long-enough-password" }),
      ForbiddenError,
    );
    expect(await app.atrium.db.user.count()).toBe(before);
    expect(await app.atrium.db.user.findUnique({ where: { email: "sneaky@example.test" } })).toBeNull();
  });

  test("bad input gets a message per field and nothing is written", async () => {
    const before = await app.atrium.db.user.count();
    const err = await rejects(
      domain.accounts.createUser(admin.actor, { email: "nope", name: " ", password: "short", role: "owner", title: "t".repeat(101) }),
      ValidationError,
    );
    expect(Object.keys(err.fieldErrors).sort()).toEqual(["email", "name", "password", "role", "title"]);
    expect(err.fieldErrors.password).toEqual(["Password must be at least 12 characters."]);
    expect(err.fieldErrors.title).toEqual(["Title must be at most 100 characters."]);
    expect(await app.atrium.db.user.count()).toBe(before);
  });

  test("a duplicate email and an unknown department are refused", async () => {
    const before = await app.atrium.db.user.count();
    const dup = await rejects(
      domain.accounts.createUser(admin.actor, { email: "MEMBER@example.test", name: "Twin", password: "a-long-enough-password" }),
      ValidationError,
    );
    expect(dup.fieldErrors.email).toEqual(["Someone already has this email address."]);
    const dept = await rejects(
      domain.accounts.createUser(admin.actor, { email: "x@example.test", name: "X", password: "a-long-enough-password", departmentId: "no-such-dept" }),
      ValidationError,
    );
    expect(dept.fieldErrors.departmentId).toEqual(["Choose an existing department."]);
    expect(await app.atrium.db.user.count()).toBe(before);
  });

  test("a name with HTML is stored verbatim", async () => {
    const name = `<img src=x onerror="alert(1)"> & <b>Bold</b>`;
    const u = await domain.accounts.createUser(admin.actor, { email: "html@example.test", name, password: "a-long-enough-password" });
    expect((await app.atrium.db.user.findUniqueOrThrow({ where: { id: u.id } })).name).toBe(name);
  });
});

describe("deactivateUser / reactivateUser", () => {
  test("deactivation ends sessions, leaves the directory and announces it", async () => {
    const p = await makePerson(app.atrium, { skills: { haskell: "expert" } });
    const s = await domain.accounts.signIn({ email: p.user.email, password: DEFAULT_PASSWORD }, meta());
    expect(app.atrium.ctx.peopleIndex.has(p.user.id)).toBe(true);
    events.length = 0;
    await domain.accounts.deactivateUser(admin.actor, p.user.id);
    const row = await app.atrium.db.user.findUniqueOrThrow({ where: { id: p.user.id } });
    expect(row.active).toBe(false);
    expect(row.deactivatedAt?.getTime()).toBe(clock.t);
    expect(await app.atrium.db.session.count({ where: { userId: p.user.id } })).toBe(0);
    expect(await domain.accounts.authenticate(s.token)).toBeNull();
    expect(app.atrium.ctx.peopleIndex.has(p.user.id)).toBe(false);
    expect(app.atrium.ctx.peopleIndex.search("haskell")).toEqual([]);
    expect(events).toEqual([
      { name: "person.deactivated", payload: { userId: p.user.id } },
      { name: "session.revoked", payload: { userId: p.user.id, sessionIds: "all" } },
    ]);

    await domain.accounts.reactivateUser(admin.actor, p.user.id);
    expect((await app.atrium.db.user.findUniqueOrThrow({ where: { id: p.user.id } })).active).toBe(true);
    expect(app.atrium.ctx.peopleIndex.search("haskell").map((r) => r.id)).toEqual([p.user.id]);
    await domain.accounts.signIn({ email: p.user.email, password: DEFAULT_PASSWORD }, meta());
  });

  test("a member cannot deactivate anyone; the person and sessions are unchanged", async () => {
    const p = await makePerson(app.atrium);
    await domain.accounts.signIn({ email: p.user.email, password: DEFAULT_PASSWORD }, meta());
    const before = await snapshotPerson(app.atrium, p.user.id);
    await rejects(domain.accounts.deactivateUser(member.actor, p.user.id), ForbiddenError);
    expect(await snapshotPerson(app.atrium, p.user.id)).toEqual(before);
    expect(app.atrium.ctx.peopleIndex.has(p.user.id)).toBe(true);
  });

  test("an admin cannot deactivate their own account", async () => {
    const before = await snapshotPerson(app.atrium, admin.user.id);
    await rejects(domain.accounts.deactivateUser(admin.actor, admin.user.id), ForbiddenError);
    expect(await snapshotPerson(app.atrium, admin.user.id)).toEqual(before);
  });

  test("a member cannot reactivate anyone", async () => {
    const p = await makePerson(app.atrium, { active: false });
    const before = await snapshotPerson(app.atrium, p.user.id);
    await rejects(domain.accounts.reactivateUser(member.actor, p.user.id), ForbiddenError);
    expect(await snapshotPerson(app.atrium, p.user.id)).toEqual(before);
    expect(app.atrium.ctx.peopleIndex.has(p.user.id)).toBe(false);
  });

  test("unknown people are 404", async () => {
    expect((await rejects(domain.accounts.deactivateUser(admin.actor, "nobody"), NotFoundError)).status).toBe(404);
    await rejects(domain.accounts.reactivateUser(admin.actor, "nobody"), NotFoundError);
  });

  test("a deactivated admin's actor can do nothing", async () => {
    const a = await makePerson(app.atrium, { role: "admin" });
    const p = await makePerson(app.atrium);
    const before = await snapshotPerson(app.atrium, p.user.id);
    await rejects(domain.accounts.deactivateUser({ ...a.actor, active: false }, p.user.id), ForbiddenError);
    expect(await snapshotPerson(app.atrium, p.user.id)).toEqual(before);
  });
});

describe("changeRole", () => {
  test("an admin promotes a member", async () => {
    const p = await makePerson(app.atrium);
    await domain.accounts.changeRole(admin.actor, p.user.id, "admin");
    expect((await app.atrium.db.user.findUniqueOrThrow({ where: { id: p.user.id } })).role).toBe("admin");
  });

  test("a member cannot promote themselves or anyone else", async () => {
    const p = await makePerson(app.atrium);
    const beforeSelf = await snapshotPerson(app.atrium, member.user.id);
    const beforeOther = await snapshotPerson(app.atrium, p.user.id);
    await rejects(domain.accounts.changeRole(member.actor, member.user.id, "admin"), ForbiddenError);
    await rejects(domain.accounts.changeRole(member.actor, p.user.id, "admin"), ForbiddenError);
    expect(await snapshotPerson(app.atrium, member.user.id)).toEqual(beforeSelf);
    expect(await snapshotPerson(app.atrium, p.user.id)).toEqual(beforeOther);
  });

  test("an admin cannot demote themselves", async () => {
    await rejects(domain.accounts.changeRole(admin.actor, admin.user.id, "member"), ForbiddenError);
    expect((await app.atrium.db.user.findUniqueOrThrow({ where: { id: admin.user.id } })).role).toBe("admin");
  });

  test("an unknown role or person is refused", async () => {
    const p = await makePerson(app.atrium);
    const err = await rejects(domain.accounts.changeRole(admin.actor, p.user.id, "superuser"), ValidationError);
    expect(err.fieldErrors.role).toEqual(["Choose admin, leader or member."]);
    expect((await app.atrium.db.user.findUniqueOrThrow({ where: { id: p.user.id } })).role).toBe("member");
    await rejects(domain.accounts.changeRole(admin.actor, "nobody", "admin"), NotFoundError);
  });
});

describe("listUsers", () => {
  test("admins see everyone, active first, with no password hashes", async () => {
    // One active and one deactivated person at least, so the ordering has something to order.
    const gone = await makePerson(app.atrium, { name: "Aaron Gone" });
    await domain.accounts.deactivateUser(admin.actor, gone.user.id);
    await makePerson(app.atrium, { name: "Zed Active" });
    const list = await domain.accounts.listUsers(admin.actor);
    expect(list.length).toBe(await app.atrium.db.user.count());
    const firstInactive = list.findIndex((u) => !u.active);
    expect(firstInactive).toBeGreaterThan(0);
    expect(list.slice(0, firstInactive).every((u) => u.active)).toBe(true);
    expect(list.slice(firstInactive).every((u) => !u.active)).toBe(true);
    expect(list.slice(firstInactive).map((u) => u.id)).toContain(gone.user.id);
    expect(JSON.stringify(list)).not.toMatch(/argon2|passwordHash/);
  });

  test("members are refused", async () => {
    await rejects(domain.accounts.listUsers(member.actor), ForbiddenError);
  });
});

test("hashPassword uses argon2id and salts each hash", async () => {
  const [a, b] = await Promise.all([hashPassword("same-password"), hashPassword("same-password")]);
  expect(a).toMatch(/^\$argon2id\$v=19\$m=19456,p=1,t=2\$/);
  expect(a).not.toBe(b);
});

test("actorOf mirrors what authenticate builds (factory sanity check)", async () => {
  const s = await domain.accounts.signIn({ email: member.user.email, password: DEFAULT_PASSWORD }, meta());
  expect((await domain.accounts.authenticate(s.token))?.actor).toEqual(actorOf(member.user));
});

describe("what the account verbs record and announce", () => {
  const audits = async (where: { targetId?: string; actorLabel?: string }) =>
    (await app.atrium.db.auditEvent.findMany({ where, orderBy: [{ createdAt: "asc" }, { id: "asc" }] })).map((r) => ({
      actorId: r.actorId,
      action: r.action,
      summary: r.summary,
      details: JSON.parse(r.details),
      ip: r.ip,
    }));

  test("sign-ins are audited with the address: success, a wrong password, a deactivated account, an unknown email", async () => {
    const p = await makePerson(app.atrium, { name: "Sia Signin" });
    const gone = await makePerson(app.atrium, { active: false });
    const m = meta();
    await domain.accounts.signIn({ email: p.user.email, password: DEFAULT_PASSWORD }, m);
    await rejects(domain.accounts.signIn({ email: p.user.email, password: "wrong-password" }, m), ValidationError);
    await rejects(domain.accounts.signIn({ email: gone.user.email, password: DEFAULT_PASSWORD }, m), ValidationError);
    await rejects(domain.accounts.signIn({ email: "ghost-signin@example.test", password: DEFAULT_PASSWORD }, m), ValidationError);
    expect(await audits({ targetId: p.user.id })).toEqual([
      { actorId: p.user.id, action: "auth.signin_succeeded", summary: "Sia Signin signed in with a password", details: { method: "password" }, ip: m.ip },
      {
        actorId: p.user.id,
        action: "auth.signin_failed",
        summary: `Sign-in failed for ${p.user.email} (wrong password)`,
        details: { email: p.user.email, reason: "wrong_password", method: "password" },
        ip: m.ip,
      },
    ]);
    expect((await audits({ targetId: gone.user.id })).map((r) => [r.summary, r.details.reason])).toEqual([[`Sign-in failed for ${gone.user.email} (deactivated)`, "deactivated"]]);
    expect(await audits({ actorLabel: "ghost-signin@example.test" })).toEqual([
      {
        actorId: null,
        action: "auth.signin_failed",
        summary: "Sign-in failed for ghost-signin@example.test (unknown email)",
        details: { email: "ghost-signin@example.test", reason: "unknown_email", method: "password" },
        ip: m.ip,
      },
    ]);
  });

  test("a rate-limited sign-in is audited as such and starts nothing", async () => {
    const p = await makePerson(app.atrium);
    const m = meta();
    for (let i = 0; i < 3; i++) await rejects(domain.accounts.signIn({ email: p.user.email, password: "wrong-password" }, m), ValidationError);
    await rejects(domain.accounts.signIn({ email: p.user.email, password: DEFAULT_PASSWORD }, m), RateLimitedError);
    const rows = await audits({ actorLabel: p.user.email });
    expect(rows.map((r) => r.details.reason)).toEqual(["wrong_password", "wrong_password", "wrong_password", "rate_limited"]);
    expect(rows[3]).toMatchObject({ actorId: null, summary: `Sign-in failed for ${p.user.email} (rate limited)` });
    expect(await app.atrium.db.session.count({ where: { userId: p.user.id } })).toBe(0);
  });

  test("wrong passwords sent at once are counted before they are checked: no more than the limit are tried", async () => {
    const p = await makePerson(app.atrium);
    const m = meta();
    const results = await Promise.allSettled(Array.from({ length: 8 }, (_, i) => domain.accounts.signIn({ email: p.user.email, password: `wrong-at-once-${i}` }, m)));
    const refusedAs = results.map((r) => (r.status === "rejected" ? (r.reason as Error).constructor.name : "fulfilled"));
    // LOGIN_MAX_ATTEMPTS is 3: three guesses are checked, the other five are refused unchecked.
    expect(refusedAs.filter((n) => n === "ValidationError")).toHaveLength(3);
    expect(refusedAs.filter((n) => n === "RateLimitedError")).toHaveLength(5);
    const reasons = (await audits({ actorLabel: p.user.email })).map((r) => r.details.reason).sort();
    expect(reasons).toEqual([...Array(5).fill("rate_limited"), ...Array(3).fill("wrong_password")]);
    await rejects(domain.accounts.signIn({ email: p.user.email, password: DEFAULT_PASSWORD }, m), RateLimitedError);
    // Another address is not limited by it.
    expect((await domain.accounts.signIn({ email: p.user.email, password: DEFAULT_PASSWORD }, meta())).user.id).toBe(p.user.id);
  });

  test("a session idle past SESSION_IDLE_MINUTES is ended for good and announced", async () => {
    const p = await makePerson(app.atrium);
    const s = await domain.accounts.signIn({ email: p.user.email, password: DEFAULT_PASSWORD }, meta());
    // The default idle timeout is 480 minutes: used at exactly 480 it lives on.
    clock.advance(480 * 60_000);
    expect(await domain.accounts.authenticate(s.token)).not.toBeNull();
    clock.advance(480 * 60_000 + 1);
    events.length = 0;
    expect(await domain.accounts.authenticate(s.token)).toBeNull();
    expect(await app.atrium.db.session.findUnique({ where: { id: sha256(s.token) } })).toBeNull();
    expect(events).toEqual([{ name: "session.revoked", payload: { userId: p.user.id, sessionIds: [sha256(s.token)] } }]);
  });

  test("a session refused at its expiry is not deleted as idle and announces nothing", async () => {
    const p = await makePerson(app.atrium);
    const s = await domain.accounts.signIn({ email: p.user.email, password: DEFAULT_PASSWORD }, meta());
    await app.atrium.db.session.update({ where: { id: sha256(s.token) }, data: { expiresAt: new Date(clock.t) } });
    events.length = 0;
    expect(await domain.accounts.authenticate(s.token)).toBeNull();
    expect(events).toEqual([]);
  });

  test("lastSeenAt is not written at exactly five minutes, but is just after", async () => {
    const p = await makePerson(app.atrium);
    const s = await domain.accounts.signIn({ email: p.user.email, password: DEFAULT_PASSWORD }, meta());
    const start = clock.t;
    const seen = () => app.atrium.db.session.findUniqueOrThrow({ where: { id: sha256(s.token) } }).then((r) => r.lastSeenAt.getTime());
    clock.advance(5 * 60_000);
    await domain.accounts.authenticate(s.token);
    expect(await seen()).toBe(start);
    clock.advance(1);
    await domain.accounts.authenticate(s.token);
    expect(await seen()).toBe(clock.t);
  });

  test("signing out everywhere is audited with the count, for oneself and for someone else", async () => {
    const p = await makePerson(app.atrium);
    for (let i = 0; i < 2; i++) await domain.accounts.signIn({ email: p.user.email, password: DEFAULT_PASSWORD }, meta());
    await domain.accounts.signOutEverywhere(p.actor, p.user.id);
    await domain.accounts.signIn({ email: p.user.email, password: DEFAULT_PASSWORD }, meta());
    await domain.accounts.signOutEverywhere(admin.actor, p.user.id);
    const rows = (await audits({ targetId: p.user.id })).filter((r) => r.action === "auth.signout_everywhere");
    expect(rows.map((r) => ({ actorId: r.actorId, summary: r.summary, details: r.details }))).toEqual([
      { actorId: p.user.id, summary: "Signed themselves out everywhere (2 sessions ended)", details: { sessions: 2 } },
      { actorId: admin.user.id, summary: "Signed a person out everywhere (1 session ended)", details: { sessions: 1 } },
    ]);
  });

  test("listSessions leaves out expired sessions and keys each by its id's first eight characters", async () => {
    const p = await makePerson(app.atrium);
    const live = await domain.accounts.signIn({ email: p.user.email, password: DEFAULT_PASSWORD }, { ip: "192.0.2.9", userAgent: "Live" });
    const old = await domain.accounts.signIn({ email: p.user.email, password: DEFAULT_PASSWORD }, { ip: "192.0.2.10", userAgent: "Old" });
    await app.atrium.db.session.update({ where: { id: sha256(old.token) }, data: { expiresAt: new Date(clock.t) } });
    expect(await domain.accounts.listSessions(p.actor)).toEqual([
      { key: sha256(live.token).slice(0, 8), createdAt: new Date(clock.t), lastSeenAt: new Date(clock.t), ip: "192.0.2.9", userAgent: "Live" },
    ]);
  });

  test("a role change ends the person's sessions, is audited with the count and announced; the same role again changes nothing", async () => {
    const p = await makePerson(app.atrium, { name: "Rho Role" });
    for (let i = 0; i < 2; i++) await domain.accounts.signIn({ email: p.user.email, password: DEFAULT_PASSWORD }, meta());
    events.length = 0;
    await domain.accounts.changeRole(admin.actor, p.user.id, "leader");
    expect(await app.atrium.db.session.count({ where: { userId: p.user.id } })).toBe(0);
    expect(events).toEqual([
      { name: "session.revoked", payload: { userId: p.user.id, sessionIds: "all" } },
      { name: "person.updated", payload: { userId: p.user.id } },
    ]);
    events.length = 0;
    await domain.accounts.changeRole(admin.actor, p.user.id, "leader");
    expect(events).toEqual([{ name: "person.updated", payload: { userId: p.user.id } }]);
    await domain.accounts.signIn({ email: p.user.email, password: DEFAULT_PASSWORD }, meta());
    await domain.accounts.changeRole(admin.actor, p.user.id, "member");
    // Without sessions: nothing to revoke.
    events.length = 0;
    await domain.accounts.changeRole(admin.actor, p.user.id, "admin");
    expect(events).toEqual([{ name: "person.updated", payload: { userId: p.user.id } }]);
    const rows = (await audits({ targetId: p.user.id })).filter((r) => r.action === "user.role_changed");
    expect(rows.map((r) => ({ actorId: r.actorId, summary: r.summary, details: r.details }))).toEqual([
      { actorId: admin.user.id, summary: "Changed Rho Role's role from member to leader (2 sessions ended)", details: { from: "member", to: "leader", sessionsEnded: 2 } },
      { actorId: admin.user.id, summary: "Changed Rho Role's role from leader to member (1 session ended)", details: { from: "leader", to: "member", sessionsEnded: 1 } },
      { actorId: admin.user.id, summary: "Changed Rho Role's role from member to admin", details: { from: "member", to: "admin", sessionsEnded: 0 } },
    ]);
    expect((await app.atrium.db.user.findUniqueOrThrow({ where: { id: p.user.id } })).role).toBe("admin");
  });

  test("an account's creation is audited and announced; one without a password cannot sign in", async () => {
    const dept = await makeDepartment(app.atrium);
    events.length = 0;
    const u = await domain.accounts.createUser(admin.actor, { email: "audited.hire@example.test", name: "Aud Hire", role: "leader", departmentId: dept.id, access: "none" });
    expect(u).toEqual({ id: u.id, name: "Aud Hire", email: "audited.hire@example.test", access: "none", invited: false });
    expect((await app.atrium.db.user.findUniqueOrThrow({ where: { id: u.id } })).passwordHash).toBeNull();
    expect(await audits({ targetId: u.id })).toEqual([
      {
        actorId: admin.user.id,
        action: "user.created",
        summary: "Created Aud Hire <audited.hire@example.test> as leader",
        details: { email: "audited.hire@example.test", role: "leader", departmentId: dept.id, access: "none" },
        ip: "",
      },
    ]);
    expect(events).toEqual([{ name: "person.updated", payload: { userId: u.id } }]);
    await rejects(domain.accounts.signIn({ email: "audited.hire@example.test", password: DEFAULT_PASSWORD }, meta()), ValidationError);
  });

  test("a password account needs its password; an invitation needs mail configured", async () => {
    const count = await app.atrium.db.user.count();
    const missing = await rejects(domain.accounts.createUser(admin.actor, { email: "nopw@example.test", name: "No Pw", access: "password" }), ValidationError);
    expect(missing.fieldErrors).toEqual({ password: ["Password is required."] });
    const invite = await rejects(domain.accounts.createUser(admin.actor, { email: "inv@example.test", name: "In Vite", access: "invite" }), ValidationError);
    expect(invite.fieldErrors).toEqual({
      access: ["Email is not configured on this server (SMTP_URL), so no invitation can be sent. Set an initial password instead."],
    });
    expect(await app.atrium.db.user.count()).toBe(count);
  });

  test("deactivation is audited and revokes the person's live API tokens", async () => {
    const p = await makePerson(app.atrium, { name: "Dee Active" });
    const t = await app.atrium.db.apiToken.create({ data: { name: "t", kind: "personal", ownerId: p.user.id, tokenHash: sha256(`tok-${p.user.id}`), prefix: "x", scopes: "read" } });
    await domain.accounts.deactivateUser(admin.actor, p.user.id);
    await domain.accounts.reactivateUser(admin.actor, p.user.id);
    expect((await app.atrium.db.apiToken.findUniqueOrThrow({ where: { id: t.id } })).revokedAt?.getTime()).toBe(clock.t);
    const row = await app.atrium.db.user.findUniqueOrThrow({ where: { id: p.user.id } });
    expect(row).toMatchObject({ active: true, deactivatedAt: null });
    expect((await audits({ targetId: p.user.id })).map((r) => [r.actorId, r.action, r.summary])).toEqual([
      [admin.user.id, "user.deactivated", `Deactivated Dee Active <${p.user.email}>`],
      [admin.user.id, "user.reactivated", `Reactivated Dee Active <${p.user.email}>`],
    ]);
  });

  test("listUsers orders active people by name, then the deactivated by name, with their departments", async () => {
    const dept = await makeDepartment(app.atrium, "Listed Users Dept");
    const zed = await makePerson(app.atrium, { name: "Zz Listed", departmentId: dept.id, title: "Zt" });
    const amy = await makePerson(app.atrium, { name: "Aa Listed" });
    const list = await domain.accounts.listUsers(admin.actor);
    const names = list.filter((u) => u.active).map((u) => u.name);
    expect(names).toEqual([...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    expect(list.findIndex((u) => u.id === amy.user.id)).toBeLessThan(list.findIndex((u) => u.id === zed.user.id));
    expect(list.find((u) => u.id === zed.user.id)).toEqual({ id: zed.user.id, name: "Zz Listed", email: zed.user.email, role: "member", active: true, title: "Zt", department: { name: "Listed Users Dept" } });
  });
});

describe("what the account verbs refuse, and what they leave alone", () => {
  const ctx = () => app.atrium.ctx;
  /** The context with other settings, as another server would be configured. */
  const withEnv = (over: Partial<Ctx["env"]>): Ctx => ({ ...ctx(), env: { ...ctx().env, ...over } });
  /** The prepared reads, counting the session lookups authenticate makes through them. */
  function countingReads() {
    const real = ctx().reads!;
    const lookups: unknown[][] = [];
    const reads: SqlReads = {
      one: (sql, ...params) => (lookups.push(params), real.one(sql, ...params)),
      all: (sql, ...params) => real.all(sql, ...params),
      close: () => undefined,
    };
    return { reads, lookups };
  }
  const sessionsOf = (userId: string) => app.atrium.db.session.findMany({ where: { userId }, orderBy: { id: "asc" } });

  test("with password sign-in turned off, even the right password is refused, audited, and starts no session", async () => {
    const p = await makePerson(app.atrium);
    const m = meta();
    const off = withEnv({ PASSWORD_LOGIN: "off" });
    const err = await rejects(signIn(off, { email: p.user.email, password: DEFAULT_PASSWORD }, m), ValidationError);
    expect(err.message).toBe("Password sign-in is turned off. Use single sign-on.");
    expect(err.fieldErrors).toEqual({ form: ["Password sign-in is turned off. Use single sign-on."] });
    expect(await sessionsOf(p.user.id)).toEqual([]);
    const rows = await app.atrium.db.auditEvent.findMany({ where: { actorLabel: p.user.email } });
    expect(rows.map((r) => [r.actorId, r.action, r.summary, JSON.parse(r.details), r.ip])).toEqual([
      [null, "auth.signin_failed", `Sign-in failed for ${p.user.email} (password sign in disabled)`, { email: p.user.email, reason: "password_sign_in_disabled", method: "password" }, m.ip],
    ]);
  });

  test("with password sign-in turned off, no account is created with a password; one for single sign-on is", async () => {
    const off = withEnv({ PASSWORD_LOGIN: "off" });
    const count = await app.atrium.db.user.count();
    const err = await rejects(createUser(off, admin.actor, { email: "pw-when-off@example.test", name: "Pw Off", password: "a-long-enough-password" }), ValidationError);
    expect(err.fieldErrors).toEqual({ access: ["Password sign-in is turned off: this person will sign in with single sign-on."] });
    expect(await app.atrium.db.user.count()).toBe(count);
    const sso = await createUser(off, admin.actor, { email: "sso-when-off@example.test", name: "Sso Off", access: "none" });
    expect(await app.atrium.db.user.findUniqueOrThrow({ where: { id: sso.id } })).toMatchObject({ email: "sso-when-off@example.test", passwordHash: null });
  });

  test("a common password, or one made of the person's name or email, is refused at creation; nothing is written", async () => {
    const count = await app.atrium.db.user.count();
    const common = await rejects(domain.accounts.createUser(admin.actor, { email: "common-pw@example.test", name: "Cora Common", password: "password1234" }), ValidationError);
    expect(Object.keys(common.fieldErrors)).toEqual(["password"]);
    // The same password is accepted for someone whose name and address it does not contain.
    const byName = await rejects(
      domain.accounts.createUser(admin.actor, { email: "qz@example.test", name: "Quentin Zephyrbottom", password: "quentinzephyrbottom" }),
      ValidationError,
    );
    expect(byName.fieldErrors).toEqual(common.fieldErrors);
    const byEmail = await rejects(
      domain.accounts.createUser(admin.actor, { email: "quentin.zephyrbottom@example.test", name: "Ola Nordmann", password: "quentinzephyrbottom" }),
      ValidationError,
    );
    expect(byEmail.fieldErrors).toEqual(common.fieldErrors);
    expect(await app.atrium.db.user.count()).toBe(count);
    const other = await domain.accounts.createUser(admin.actor, { email: "ola@example.test", name: "Ola Nordmann", password: "quentinzephyrbottom" });
    expect(await app.atrium.db.user.count()).toBe(count + 1);
    expect(other.invited).toBe(false);
  });

  test("an invitation is mailed only for an invited account, and a failed mail leaves the account", async () => {
    const sent: OutgoingMail[] = [];
    const mailing = { ...ctx(), mailer: { send: async (m: OutgoingMail) => (sent.push(m), { messageId: `m${sent.length}` }), close() {} } };
    const invited = await createUser(mailing, admin.actor, { email: "invited.one@example.test", name: "Ines Invited", access: "invite" });
    expect(invited).toMatchObject({ access: "invite", invited: true });
    expect(sent.map((m) => m.to)).toEqual(["invited.one@example.test"]);
    const withPassword = await createUser(mailing, admin.actor, { email: "pw.one@example.test", name: "Pia Password", password: "a-long-enough-password" });
    expect(withPassword).toMatchObject({ access: "password", invited: false });
    expect(sent).toHaveLength(1);
    const failing = { ...ctx(), mailer: { send: async () => Promise.reject(new Error("mail server down")), close() {} } };
    const unsent = await createUser(failing, admin.actor, { email: "invited.two@example.test", name: "Ivo Unsent", access: "invite" });
    expect(unsent).toMatchObject({ access: "invite", invited: false });
    expect(await app.atrium.db.user.findUnique({ where: { id: unsent.id } })).toMatchObject({ active: true, passwordHash: null });
  });

  test("a session keeps at most 64 characters of the address and 300 of the browser's name", async () => {
    const p = await makePerson(app.atrium);
    const ip = "2001:db8:".repeat(10);
    const userAgent = "Mozilla/5.0 ".repeat(30);
    const s = await domain.accounts.signIn({ email: p.user.email, password: DEFAULT_PASSWORD }, { ip, userAgent });
    const row = await app.atrium.db.session.findUniqueOrThrow({ where: { id: sha256(s.token) } });
    expect(row.ip).toBe(ip.slice(0, 64));
    expect(row.userAgent).toBe(userAgent.slice(0, 300));
  });

  test("authenticate reads the session through the prepared statement, and the Prisma read answers the same", async () => {
    const p = await makePerson(app.atrium, { name: "Pru Prepared", departmentId: (await makeDepartment(app.atrium)).id });
    const s = await domain.accounts.signIn({ email: p.user.email, password: DEFAULT_PASSWORD }, meta());
    const { reads, lookups } = countingReads();
    const prepared = await authenticate({ ...ctx(), reads }, s.token);
    expect(lookups).toEqual([[sha256(s.token)]]);
    expect(prepared).toEqual({
      sessionId: sha256(s.token),
      expiresAt: new Date(clock.t + 30 * DAY),
      actor: { id: p.user.id, role: "member", departmentId: p.user.departmentId, active: true },
      user: { id: p.user.id, name: "Pru Prepared", email: p.user.email, role: "member", photoPath: null, timeZone: "UTC" },
    });
    const viaPrisma = { ...ctx(), reads: undefined };
    expect(await authenticate(viaPrisma, s.token)).toEqual(prepared);
    expect(await authenticate(viaPrisma, "made-up-token")).toBeNull();
    await app.atrium.db.user.update({ where: { id: p.user.id }, data: { active: false } });
    expect(await authenticate(viaPrisma, s.token)).toBeNull();
    await app.atrium.db.user.update({ where: { id: p.user.id }, data: { active: true } });
    await app.atrium.db.session.update({ where: { id: sha256(s.token) }, data: { expiresAt: new Date(clock.t) } });
    expect(await authenticate(viaPrisma, s.token)).toBeNull();
  });

  test("a token of up to 200 characters is looked up; a longer one is refused without a database read", async () => {
    const { reads, lookups } = countingReads();
    expect(await authenticate({ ...ctx(), reads }, "x".repeat(200))).toBeNull();
    expect(lookups).toEqual([[sha256("x".repeat(200))]]);
    lookups.length = 0;
    expect(await authenticate({ ...ctx(), reads }, "x".repeat(201))).toBeNull();
    expect(lookups).toEqual([]);
  });

  test("with a short idle timeout, lastSeenAt moves every tenth of it (20 minutes: just after 2)", async () => {
    const p = await makePerson(app.atrium);
    const s = await domain.accounts.signIn({ email: p.user.email, password: DEFAULT_PASSWORD }, meta());
    const short = withEnv({ SESSION_IDLE_MINUTES: 20 });
    const start = clock.t;
    const seen = () => app.atrium.db.session.findUniqueOrThrow({ where: { id: sha256(s.token) } }).then((r) => r.lastSeenAt.getTime());
    clock.advance(2 * 60_000);
    expect(await authenticate(short, s.token)).not.toBeNull();
    expect(await seen()).toBe(start);
    clock.advance(1);
    expect(await authenticate(short, s.token)).not.toBeNull();
    expect(await seen()).toBe(clock.t);
  });

  test("a session ended for idleness takes no one else's session with it", async () => {
    const p = await makePerson(app.atrium);
    const bystander = await makePerson(app.atrium);
    const s = await domain.accounts.signIn({ email: p.user.email, password: DEFAULT_PASSWORD }, meta());
    await domain.accounts.signIn({ email: p.user.email, password: DEFAULT_PASSWORD }, meta());
    await domain.accounts.signIn({ email: bystander.user.email, password: DEFAULT_PASSWORD }, meta());
    const [mine, theirs] = [await sessionsOf(p.user.id), await sessionsOf(bystander.user.id)];
    clock.advance(480 * 60_000 + 1);
    expect(await domain.accounts.authenticate(s.token)).toBeNull();
    expect(await sessionsOf(p.user.id)).toEqual(mine.filter((r) => r.id !== sha256(s.token)));
    expect(await sessionsOf(bystander.user.id)).toEqual(theirs);
  });

  test("deactivation ends only that person's sessions and API tokens; a token revoked earlier keeps its date", async () => {
    const p = await makePerson(app.atrium);
    const bystander = await makePerson(app.atrium);
    await domain.accounts.signIn({ email: p.user.email, password: DEFAULT_PASSWORD }, meta());
    await domain.accounts.signIn({ email: bystander.user.email, password: DEFAULT_PASSWORD }, meta());
    const token = (ownerId: string, name: string, revokedAt: Date | null = null) =>
      app.atrium.db.apiToken.create({ data: { name, kind: "personal", ownerId, tokenHash: sha256(`${name}-${ownerId}`), prefix: "x", scopes: "read", revokedAt } });
    const earlier = new Date(clock.t - DAY);
    const old = await token(p.user.id, "old", earlier);
    const live = await token(p.user.id, "live");
    const theirs = await token(bystander.user.id, "theirs");
    const before = await snapshotPerson(app.atrium, bystander.user.id);
    clock.advance(60_000);
    await domain.accounts.deactivateUser(admin.actor, p.user.id);
    expect(await sessionsOf(p.user.id)).toEqual([]);
    const revokedAt = async (id: string) => (await app.atrium.db.apiToken.findUniqueOrThrow({ where: { id } })).revokedAt;
    expect(await revokedAt(live.id)).toEqual(new Date(clock.t));
    expect(await revokedAt(old.id)).toEqual(earlier);
    expect(await revokedAt(theirs.id)).toBeNull();
    expect(await snapshotPerson(app.atrium, bystander.user.id)).toEqual(before);
    expect(before.sessions).toHaveLength(1);
  });

  test("a role change ends only that person's sessions", async () => {
    const p = await makePerson(app.atrium);
    const bystander = await makePerson(app.atrium);
    await domain.accounts.signIn({ email: p.user.email, password: DEFAULT_PASSWORD }, meta());
    await domain.accounts.signIn({ email: bystander.user.email, password: DEFAULT_PASSWORD }, meta());
    const before = await snapshotPerson(app.atrium, bystander.user.id);
    await domain.accounts.changeRole(admin.actor, p.user.id, "leader");
    expect(await sessionsOf(p.user.id)).toEqual([]);
    expect(await snapshotPerson(app.atrium, bystander.user.id)).toEqual(before);
    expect(before.sessions).toHaveLength(1);
  });

  test("a password account given no password (null) is refused; nothing is written", async () => {
    const count = await app.atrium.db.user.count();
    const err = await rejects(domain.accounts.createUser(admin.actor, { email: "null-pw@example.test", name: "Nul Password", access: "password", password: null }), ValidationError);
    expect(err.fieldErrors).toEqual({ password: ["Password is required."] });
    expect(await app.atrium.db.user.count()).toBe(count);
  });

  test("unknown people are named in the 404 of deactivation, reactivation and role changes", async () => {
    for (const refused of [
      () => domain.accounts.deactivateUser(admin.actor, "nobody"),
      () => domain.accounts.reactivateUser(admin.actor, "nobody"),
      () => domain.accounts.changeRole(admin.actor, "nobody", "leader"),
    ]) {
      expect((await rejects(refused(), NotFoundError)).message).toBe("That person was not found.");
    }
  });

  test("every account audit row targets the user: sign-ins, signing out everywhere, creation, role, deactivation", async () => {
    const u = await domain.accounts.createUser(admin.actor, { email: "targeted@example.test", name: "Tara Targeted", password: "a-long-enough-password" });
    const m = meta();
    await domain.accounts.signIn({ email: "targeted@example.test", password: "a-long-enough-password" }, m);
    await rejects(domain.accounts.signIn({ email: "targeted@example.test", password: "wrong-password" }, m), ValidationError);
    await rejects(domain.accounts.signIn({ email: "ghost-target@example.test", password: "wrong-password" }, m), ValidationError);
    await domain.accounts.signOutEverywhere(admin.actor, u.id);
    await domain.accounts.changeRole(admin.actor, u.id, "leader");
    await domain.accounts.deactivateUser(admin.actor, u.id);
    await domain.accounts.reactivateUser(admin.actor, u.id);
    const rows = await app.atrium.db.auditEvent.findMany({ where: { targetId: u.id }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
    expect(rows.map((r) => [r.action, r.targetType])).toEqual([
      ["user.created", "user"],
      ["auth.signin_succeeded", "user"],
      ["auth.signin_failed", "user"],
      ["auth.signout_everywhere", "user"],
      ["user.role_changed", "user"],
      ["user.deactivated", "user"],
      ["user.reactivated", "user"],
    ]);
    const ghost = await app.atrium.db.auditEvent.findMany({ where: { actorLabel: "ghost-target@example.test" } });
    expect(ghost.map((r) => [r.action, r.targetType, r.targetId])).toEqual([["auth.signin_failed", "user", ""]]);
  });

  test("reactivation announces the person, so directories show them again", async () => {
    const p = await makePerson(app.atrium, { active: false });
    events.length = 0;
    await domain.accounts.reactivateUser(admin.actor, p.user.id);
    expect(events).toEqual([{ name: "person.updated", payload: { userId: p.user.id } }]);
  });
});
