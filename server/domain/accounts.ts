import { sqlBool, sqlDate } from "../db-reads.js";
import { createHash, randomBytes } from "node:crypto";
import argon2 from "argon2";
import { CreateUserSchema, LoginSchema } from "../../app/schemas/people.js";
import type { Actor, Role } from "../policy.js";
import { authorize } from "../policy.js";
import { notAVerb, parse, type Ctx } from "./context.js";
import { NotFoundError, RateLimitedError, ValidationError } from "./errors.js";
import { reindexPerson } from "./people.js";
import { assertStrongPassword } from "./password-policy.js";
import { sendPasswordLink } from "./passwords.js";
import { prepareAudit, recordAudit } from "../platform/audit-record.js";

const ARGON2 = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export const hashPassword = notAVerb((password: string) => argon2.hash(password, ARGON2));

const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");

// Verifying against a fixed hash when the email is unknown keeps response time from telling
// an attacker which addresses have accounts.
let decoyHash: Promise<string> | null = null;
const decoy = () => (decoyHash ??= hashPassword("decoy-password-never-used"));

export interface SignInMeta {
  ip: string;
  userAgent: string;
}

export interface SignedIn {
  token: string;
  expiresAt: Date;
  user: { id: string; name: string; role: Role };
}

const BAD_CREDENTIALS = "Email or password is incorrect.";
const PASSWORD_OFF = "Password sign-in is turned off. Use single sign-on.";

export async function signIn(ctx: Ctx, input: unknown, meta: SignInMeta): Promise<SignedIn> {
  const { email, password } = parse(LoginSchema, input);
  const now = ctx.clock.now().getTime();
  // Keyed by account *and* address: guessing is slowed, yet a stranger cannot lock a colleague out.
  const key = `${email}|${meta.ip}`;
  const failed = (userId: string | null, reason: string) =>
    recordAudit(ctx, { actorId: userId, actorLabel: email, action: "auth.signin_failed", target: { type: "user", id: userId ?? "" }, summary: `Sign-in failed for ${email} (${reason.replace(/_/g, " ")})`, details: { email, reason, method: "password" } }, meta);
  if (ctx.env.PASSWORD_LOGIN === "off") {
    await failed(null, "password_sign_in_disabled");
    throw new ValidationError({ form: [PASSWORD_OFF] }, PASSWORD_OFF);
  }
  // Each attempt is counted before its password is checked (and the count cleared when it is
  // right): attempts sent at once would otherwise all pass a check made before any was counted.
  const attempt = await ctx.loginLimiter.take(key, now);
  if (!attempt.allowed) {
    await failed(null, "rate_limited");
    throw new RateLimitedError(attempt.resetSeconds);
  }

  const user = await ctx.db.user.findUnique({ where: { email } });
  const ok = user?.passwordHash
    ? await argon2.verify(user.passwordHash, password)
    : (await argon2.verify(await decoy(), password), false);
  if (!user || !ok || !user.active) {
    await failed(user?.id ?? null, !user ? "unknown_email" : !ok ? "wrong_password" : "deactivated");
    throw new ValidationError({ form: [BAD_CREDENTIALS] }, BAD_CREDENTIALS);
  }
  await ctx.loginLimiter.reset(key);
  await recordAudit(ctx, { actorId: user.id, action: "auth.signin_succeeded", target: { type: "user", id: user.id }, summary: `${user.name} signed in with a password`, details: { method: "password" } }, meta);
  return startSession(ctx, user.id, meta).then(({ token, expiresAt }) => ({
    token,
    expiresAt,
    user: { id: user.id, name: user.name, role: user.role as Role },
  }));
}

/**
 * A new session's token and row (not yet written), so a caller can write it in the same
 * transaction as the change that needs it (a password change rotates the session it is made in).
 */
export const newSession = notAVerb((ctx: Ctx, userId: string, meta: SignInMeta) => {
  const token = randomBytes(32).toString("base64url");
  const now = ctx.clock.now();
  const expiresAt = new Date(now.getTime() + ctx.env.SESSION_DAYS * 86_400_000);
  const data = { id: sha256(token), userId, expiresAt, createdAt: now, lastSeenAt: now, ip: meta.ip.slice(0, 64), userAgent: meta.userAgent.slice(0, 300) };
  return { token, expiresAt, data };
});

/** Creates a database session; the cookie carries the token, the database only its hash. */
export async function startSession(ctx: Ctx, userId: string, meta: SignInMeta) {
  const { token, expiresAt, data } = newSession(ctx, userId, meta);
  await ctx.db.session.create({ data });
  return { token, expiresAt };
}

/**
 * How stale lastSeenAt may be: writing it on every request would turn each read into a write, so
 * it moves at most this often (and at most a tenth of the idle timeout, so the timeout stays exact
 * to within that).
 */
const lastSeenResolutionMs = (ctx: Ctx) => Math.min(5 * 60_000, (ctx.env.SESSION_IDLE_MINUTES * 60_000) / 10);

export interface Authenticated {
  actor: Actor;
  sessionId: string;
  expiresAt: Date;
  user: { id: string; name: string; email: string; role: Role; photoPath: string | null; timeZone: string };
}

interface SessionRow {
  expiresAt: string;
  lastSeenAt: string;
  id: string;
  name: string;
  email: string;
  role: string;
  active: unknown;
  departmentId: string | null;
  photoPath: string | null;
  timeZone: string;
}

export async function authenticate(ctx: Ctx, token: string | undefined | null): Promise<Authenticated | null> {
  if (!token || token.length > 200) return null;
  const id = sha256(token);
  // Every page and socket asks this: prepared SQL (server/db-reads.ts), not a Prisma query.
  const row = ctx.reads
    ? await ctx.reads.one<SessionRow>(
        `SELECT s."expiresAt", s."lastSeenAt", u."id", u."name", u."email", u."role", u."active", u."departmentId", u."photoPath", u."timeZone"
         FROM "Session" s JOIN "User" u ON u."id" = s."userId" WHERE s."id" = ?`,
        id,
      )
    : await ctx.db.session
        .findUnique({
          where: { id },
          select: { expiresAt: true, lastSeenAt: true, user: { select: { id: true, name: true, email: true, role: true, active: true, departmentId: true, photoPath: true, timeZone: true } } },
        })
        .then((s) => s && { ...s.user, expiresAt: s.expiresAt.toISOString(), lastSeenAt: s.lastSeenAt.toISOString() });
  const now = ctx.clock.now();
  if (!row) return null;
  const session = { expiresAt: sqlDate(row.expiresAt), lastSeenAt: sqlDate(row.lastSeenAt) };
  const u = { ...row, active: sqlBool(row.active) };
  if (session.expiresAt <= now || !u.active) return null;
  const idleMs = now.getTime() - session.lastSeenAt.getTime();
  if (idleMs > ctx.env.SESSION_IDLE_MINUTES * 60_000) {
    // Idle too long: the session is over for good, not just refused this time.
    await ctx.db.session.deleteMany({ where: { id } });
    await ctx.bus.publish("session.revoked", { userId: u.id, sessionIds: [id] });
    return null;
  }
  if (idleMs > lastSeenResolutionMs(ctx)) {
    await ctx.db.session.update({ where: { id }, data: { lastSeenAt: now } }).catch(() => {});
  }
  return {
    sessionId: id,
    expiresAt: session.expiresAt,
    actor: { id: u.id, role: u.role as Role, departmentId: u.departmentId, active: u.active },
    user: { id: u.id, name: u.name, email: u.email, role: u.role as Role, photoPath: u.photoPath, timeZone: u.timeZone },
  };
}

export async function signOut(ctx: Ctx, token: string | undefined | null): Promise<void> {
  if (!token) return;
  const id = sha256(token);
  const deleted = await ctx.db.session.deleteMany({ where: { id } });
  if (deleted.count) {
    await ctx.bus.publish("session.revoked", { userId: "", sessionIds: [id] });
  }
}

/** "Sign out everywhere": every session of the person ends, and their open sockets close. */
export async function signOutEverywhere(ctx: Ctx, actor: Actor, userId: string): Promise<number> {
  authorize(actor, "session.revokeAll", { id: userId });
  const { count } = await ctx.db.session.deleteMany({ where: { userId } });
  await recordAudit(ctx, {
    actorId: actor.id,
    action: "auth.signout_everywhere",
    target: { type: "user", id: userId },
    summary: `${actor.id === userId ? "Signed themselves" : "Signed a person"} out everywhere (${count} session${count === 1 ? "" : "s"} ended)`,
    details: { sessions: count },
  });
  await ctx.bus.publish("session.revoked", { userId, sessionIds: "all" });
  return count;
}

export async function listSessions(ctx: Ctx, actor: Actor) {
  const sessions = await ctx.db.session.findMany({
    where: { userId: actor.id, expiresAt: { gt: ctx.clock.now() } },
    orderBy: { lastSeenAt: "desc" },
    select: { id: true, createdAt: true, lastSeenAt: true, ip: true, userAgent: true },
  });
  return sessions.map(({ id, ...s }) => ({ ...s, key: id.slice(0, 8) }));
}

export async function createUser(ctx: Ctx, actor: Actor, input: unknown) {
  authorize(actor, "user.create", null);
  const data = parse(CreateUserSchema, input);
  if (await ctx.db.user.findUnique({ where: { email: data.email }, select: { id: true } })) {
    throw new ValidationError({ email: ["Someone already has this email address."] });
  }
  if (data.departmentId && !(await ctx.db.department.findUnique({ where: { id: data.departmentId } }))) {
    throw new ValidationError({ departmentId: ["Choose an existing department."] });
  }
  if (data.access !== "none" && ctx.env.PASSWORD_LOGIN === "off") {
    throw new ValidationError({ access: ["Password sign-in is turned off: this person will sign in with single sign-on."] });
  }
  if (data.access === "invite" && !ctx.mailer) {
    throw new ValidationError({ access: ["Email is not configured on this server (SMTP_URL), so no invitation can be sent. Set an initial password instead."] });
  }
  if (data.access === "password" && data.password === null) throw new ValidationError({ password: ["Password is required."] });
  if (data.password !== null) assertStrongPassword(data.password, [data.name, data.email]);
  const user = await ctx.db.user.create({
    data: {
      email: data.email,
      name: data.name,
      role: data.role,
      title: data.title,
      departmentId: data.departmentId,
      passwordHash: data.password === null ? null : await hashPassword(data.password),
    },
    select: { id: true, name: true, email: true },
  });
  await recordAudit(ctx, {
    actorId: actor.id,
    action: "user.created",
    target: { type: "user", id: user.id },
    summary: `Created ${user.name} <${user.email}> as ${data.role}`,
    details: { email: user.email, role: data.role, departmentId: data.departmentId, access: data.access },
  });
  await reindexPerson(ctx, user.id);
  await ctx.bus.publish("person.updated", { userId: user.id });
  // The invitation is a set-password link; if the mail fails the account stays and the admin can resend.
  const invited = data.access === "invite" ? await sendPasswordLink(ctx, actor, user.id).then(() => true, () => false) : false;
  return { ...user, access: data.access, invited };
}

/**
 * Deactivation takes effect at once: sessions deleted, sockets closed, gone from the directory, and
 * API tokens revoked for good (reactivation starts without them; new ones must be issued).
 */
export async function deactivateUser(ctx: Ctx, actor: Actor, userId: string) {
  authorize(actor, "user.deactivate", { id: userId });
  const user = await ctx.db.user.findUnique({ where: { id: userId }, select: { id: true, name: true, email: true } });
  if (!user) throw new NotFoundError("That person");
  const audit = await prepareAudit(ctx, {
    actorId: actor.id,
    action: "user.deactivated",
    target: { type: "user", id: userId },
    summary: `Deactivated ${user.name} <${user.email}>`,
  });
  await ctx.db.$transaction([
    ctx.db.user.update({ where: { id: userId }, data: { active: false, deactivatedAt: ctx.clock.now() } }),
    ctx.db.session.deleteMany({ where: { userId } }),
    ctx.db.apiToken.updateMany({ where: { ownerId: userId, revokedAt: null }, data: { revokedAt: ctx.clock.now() } }),
    ctx.db.auditEvent.create({ data: audit }),
  ]);
  ctx.peopleIndex.remove(userId);
  await ctx.bus.publish("person.deactivated", { userId });
  await ctx.bus.publish("session.revoked", { userId, sessionIds: "all" });
}

export async function reactivateUser(ctx: Ctx, actor: Actor, userId: string) {
  authorize(actor, "user.reactivate", { id: userId });
  const user = await ctx.db.user.findUnique({ where: { id: userId }, select: { id: true, name: true, email: true } });
  if (!user) throw new NotFoundError("That person");
  await ctx.db.user.update({ where: { id: userId }, data: { active: true, deactivatedAt: null } });
  await recordAudit(ctx, { actorId: actor.id, action: "user.reactivated", target: { type: "user", id: userId }, summary: `Reactivated ${user.name} <${user.email}>` });
  await reindexPerson(ctx, userId);
  await ctx.bus.publish("person.updated", { userId });
}

export async function changeRole(ctx: Ctx, actor: Actor, userId: string, role: unknown) {
  authorize(actor, "user.changeRole", { id: userId });
  if (role !== "admin" && role !== "leader" && role !== "member") throw new ValidationError({ role: ["Choose admin, leader or member."] });
  const user = await ctx.db.user.findUnique({ where: { id: userId }, select: { id: true, name: true, email: true, role: true } });
  if (!user) throw new NotFoundError("That person");
  if (user.role !== role) {
    // A change of privilege starts new sessions: the person's current ones end (they sign in
    // again, under a new session id, with the new role), and their sockets close.
    const { count } = await ctx.db.$transaction(async (tx) => {
      await tx.user.update({ where: { id: userId }, data: { role } });
      return tx.session.deleteMany({ where: { userId } });
    });
    await recordAudit(ctx, {
      actorId: actor.id,
      action: "user.role_changed",
      target: { type: "user", id: userId },
      summary: `Changed ${user.name}'s role from ${user.role} to ${role}${count ? ` (${count} session${count === 1 ? "" : "s"} ended)` : ""}`,
      details: { from: user.role, to: role, sessionsEnded: count },
    });
    if (count) await ctx.bus.publish("session.revoked", { userId, sessionIds: "all" });
  }
  await ctx.bus.publish("person.updated", { userId });
}

export async function listUsers(ctx: Ctx, actor: Actor) {
  authorize(actor, "admin.view", null);
  return ctx.db.user.findMany({
    orderBy: [{ active: "desc" }, { name: "asc" }],
    select: {
      id: true,
      name: true,
      email: true,
      role: true,
      active: true,
      title: true,
      department: { select: { name: true } },
    },
  });
}
