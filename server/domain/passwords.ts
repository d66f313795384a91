/**
 * Passwords (decision 057): change one's own, "forgot password" by email, and set-password links
 * an admin sends (which are also the invitation of a new account). A link carries a random
 * token; only its SHA-256 is stored, it works once, expires, and using it ends every session of
 * the person. Everything here is refused when PASSWORD_LOGIN=off.
 */
import { createHash, randomBytes } from "node:crypto";
import argon2 from "argon2";
import { z } from "zod";
import { ChangePasswordSchema, ForgotPasswordSchema, PasswordSchema, PasswordTokenSchema } from "../../app/schemas/people.js";
import { passwordLinkUrl, renderPasswordMail, type PasswordMailKind } from "../mail/password-mail.js";
import { prepareAudit, recordAudit } from "../platform/audit-record.js";
import { authorize, type Actor } from "../policy.js";
import { hashPassword, newSession, startSession, type SignInMeta } from "./accounts.js";
import { notAVerb, parse, type Ctx } from "./context.js";
import { InvalidLinkError, NotFoundError, RateLimitedError, ValidationError } from "./errors.js";
import { currentRequestMeta } from "../request-meta.js";
import { assertStrongPassword } from "./password-policy.js";
import { limiterOf } from "./rate-limit.js";

const HOUR = 3_600_000;
/** "Forgot password" links are short-lived; an admin's link (an invitation) waits a few days. */
export const RESET_LINK_HOURS = 1;
export const ADMIN_LINK_HOURS = 72;
/** Forgot-password requests: per email address, and per network address. */
export const RESET_PER_EMAIL_PER_HOUR = 3;
export const RESET_PER_ADDRESS_PER_HOUR = 10;

const PASSWORD_OFF = "Password sign-in is turned off on this server: people sign in with single sign-on.";
const NO_MAIL = "Email is not configured on this server (SMTP_URL), so no link can be sent.";

const NewPasswordSchema = z.object({ password: PasswordSchema });
const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");

function resetLimiters(ctx: Ctx) {
  return { email: limiterOf(ctx, "reset-email", RESET_PER_EMAIL_PER_HOUR, HOUR), address: limiterOf(ctx, "reset-address", RESET_PER_ADDRESS_PER_HOUR, HOUR) };
}

function refuseWhenOff(ctx: Ctx) {
  // The pages and verbs do not exist for anyone when passwords are off.
  if (ctx.env.PASSWORD_LOGIN === "off") throw new NotFoundError("That page");
}

/** What /account shows: whether password sign-in exists here, and whether this person has one. */
export async function passwordStatus(ctx: Ctx, actor: Actor) {
  const u = await ctx.db.user.findUnique({ where: { id: actor.id }, select: { passwordHash: true } });
  return { enabled: ctx.env.PASSWORD_LOGIN === "on", hasPassword: !!u?.passwordHash, mailConfigured: !!ctx.mailer };
}

/**
 * Changes one's own password. The current one is asked for (wrong guesses count against the
 * sign-in limit); every other session ends, the one making the change stays signed in.
 */
export async function changePassword(ctx: Ctx, actor: Actor, currentSessionId: string, input: unknown) {
  if (ctx.env.PASSWORD_LOGIN === "off") throw new ValidationError({ form: [PASSWORD_OFF] }, PASSWORD_OFF);
  const { currentPassword, newPassword } = parse(ChangePasswordSchema, input);
  const now = ctx.clock.now();
  const key = `password-change|${actor.id}`;
  // Each guess is counted before it is checked (and the count cleared when it is right): guesses
  // sent at once would otherwise all pass a check made before any of them was counted.
  const attempt = await ctx.loginLimiter.take(key, now.getTime());
  if (!attempt.allowed) throw new RateLimitedError(attempt.resetSeconds);
  const user = await ctx.db.user.findUnique({ where: { id: actor.id }, select: { id: true, name: true, email: true, passwordHash: true, active: true } });
  if (!user || !user.active) throw new NotFoundError("That person");
  const ok = !!user.passwordHash && (await argon2.verify(user.passwordHash, currentPassword));
  if (!ok) {
    await recordAudit(ctx, { actorId: user.id, action: "auth.password_change_failed", target: { type: "user", id: user.id }, summary: `${user.name} gave a wrong current password when changing it`, details: { reason: user.passwordHash ? "wrong_password" : "no_password" } });
    throw new ValidationError({ currentPassword: [user.passwordHash ? "That is not your current password." : "You have no password yet: use “Forgot password” on the sign-in page to set one."] });
  }
  await ctx.loginLimiter.reset(key);
  if (newPassword === currentPassword) throw new ValidationError({ newPassword: ["Choose a password different from your current one."] });
  assertStrongPassword(newPassword, [user.name, user.email], "newPassword");
  const passwordHash = await hashPassword(newPassword);
  const others = await ctx.db.session.findMany({ where: { userId: user.id, NOT: { id: currentSessionId } }, select: { id: true } });
  const ended = others.map((s) => s.id);
  // This browser stays signed in, under a new session id: the old one ends with the old password.
  const rotated = newSession(ctx, user.id, currentRequestMeta());
  const audit = await prepareAudit(ctx, {
    actorId: user.id,
    action: "auth.password_changed",
    target: { type: "user", id: user.id },
    summary: `${user.name} changed their password (${ended.length} other session${ended.length === 1 ? "" : "s"} ended)`,
    details: { sessionsEnded: ended.length },
  });
  await ctx.db.$transaction([
    ctx.db.user.update({ where: { id: user.id }, data: { passwordHash } }),
    ctx.db.session.deleteMany({ where: { id: { in: [...ended, currentSessionId] } } }),
    ctx.db.session.create({ data: rotated.data }),
    // Links sent before the change must not undo it.
    ctx.db.passwordToken.updateMany({ where: { userId: user.id, usedAt: null }, data: { usedAt: now } }),
    ctx.db.auditEvent.create({ data: audit }),
  ]);
  if (ended.length) await ctx.bus.publish("session.revoked", { userId: user.id, sessionIds: ended });
  await ctx.bus.publish("session.rotated", { userId: user.id, from: currentSessionId, to: rotated.data.id });
  return { sessionsEnded: ended.length, session: { token: rotated.token, expiresAt: rotated.expiresAt } };
}

async function issueLink(ctx: Ctx, user: { id: string; name: string; email: string }, kind: PasswordMailKind, createdBy: { id: string; name: string } | null) {
  if (!ctx.mailer) throw new ValidationError({ form: [NO_MAIL] }, NO_MAIL);
  const token = randomBytes(32).toString("base64url");
  const now = ctx.clock.now();
  const hours = kind === "reset" ? RESET_LINK_HOURS : ADMIN_LINK_HOURS;
  const expiresAt = new Date(now.getTime() + hours * HOUR);
  await ctx.db.passwordToken.create({
    data: { id: sha256(token), userId: user.id, purpose: kind === "reset" ? "reset" : "invite", createdById: createdBy?.id ?? null, createdAt: now, expiresAt },
  });
  const mail = renderPasswordMail(user, { kind, url: passwordLinkUrl(ctx.env.APP_URL, token), expiresInHours: hours, invitedBy: createdBy?.name });
  await ctx.mailer.send({ to: user.email, ...mail });
  return { expiresAt };
}

/**
 * An admin sends a person a set-password link: their invitation when they have no password yet,
 * otherwise a reset. Valid for ADMIN_LINK_HOURS.
 */
export async function sendPasswordLink(ctx: Ctx, actor: Actor, userId: string) {
  authorize(actor, "user.sendPasswordLink", { id: userId });
  if (ctx.env.PASSWORD_LOGIN === "off") throw new ValidationError({ form: [PASSWORD_OFF] }, PASSWORD_OFF);
  const [user, admin] = await Promise.all([
    ctx.db.user.findUnique({ where: { id: userId }, select: { id: true, name: true, email: true, active: true, passwordHash: true } }),
    ctx.db.user.findUnique({ where: { id: actor.id }, select: { id: true, name: true } }),
  ]);
  if (!user) throw new NotFoundError("That person");
  if (!user.active) throw new ValidationError({ form: [`${user.name} is deactivated: reactivate the account before sending a link.`] });
  const kind: PasswordMailKind = user.passwordHash ? "admin-reset" : "invite";
  const { expiresAt } = await issueLink(ctx, user, kind, admin);
  await recordAudit(ctx, {
    actorId: actor.id,
    action: "auth.password_link_sent",
    target: { type: "user", id: user.id },
    summary: `Sent ${user.name} <${user.email}> ${kind === "invite" ? "an invitation (set-password link)" : "a set-password link"}`,
    details: { email: user.email, kind, expiresAt: expiresAt.toISOString() },
  });
  return { to: user.email, kind, expiresAt };
}

/**
 * "Forgot password". The answer is the same whether or not the address has an account (and the
 * token and mail are made after answering, so the time taken does not tell either); limited per
 * address and per email. An over-limit email gets the same answer and no further mail.
 */
export async function requestPasswordReset(ctx: Ctx, input: unknown, meta: SignInMeta) {
  refuseWhenOff(ctx);
  const { email } = parse(ForgotPasswordSchema, input);
  const now = ctx.clock.now().getTime();
  const limit = resetLimiters(ctx);
  const addressKey = meta.ip || "unknown";
  const wait = await limit.address.retryAfter(addressKey, now);
  if (wait > 0) {
    await recordAudit(ctx, { actorId: null, actorLabel: email, action: "auth.password_reset_requested", target: { type: "user", id: "" }, summary: `Password reset for ${email} refused: too many requests from this address`, details: { email, outcome: "address_rate_limited" } }, meta);
    throw new RateLimitedError(wait);
  }
  await limit.address.hit(addressKey, now);
  const throttled = (await limit.email.retryAfter(email, now)) > 0;
  await limit.email.hit(email, now);
  const work = (async () => {
    const user = await ctx.db.user.findUnique({ where: { email }, select: { id: true, name: true, email: true, active: true } });
    const outcome = !user ? "unknown_email" : !user.active ? "deactivated" : throttled ? "email_rate_limited" : !ctx.mailer ? "mail_off" : "sent";
    await recordAudit(
      ctx,
      { actorId: user?.id ?? null, actorLabel: email, action: "auth.password_reset_requested", target: { type: "user", id: user?.id ?? "" }, summary: `Password reset requested for ${email} (${outcome.replace(/_/g, " ")})`, details: { email, outcome } },
      meta,
    );
    if (outcome === "sent" && user) await issueLink(ctx, user, "reset", null);
  })();
  // Answered before the lookup and the mail finish: same answer, same time, account or not.
  pendingResets.add(work);
  void work.catch((err) => console.error("[passwords] could not send a reset link:", err)).finally(() => pendingResets.delete(work));
  return { email };
}

const pendingResets = new Set<Promise<void>>();
/** Resolves when every forgot-password request answered so far has finished its lookup and mail (tests, shutdown). */
export const settlePasswordResets = notAVerb(async () => void (await Promise.allSettled([...pendingResets])));

async function findUsableToken(ctx: Ctx, token: unknown, meta?: SignInMeta) {
  const parsed = PasswordTokenSchema.safeParse(token);
  if (!parsed.success) throw new InvalidLinkError();
  const row = await ctx.db.passwordToken.findUnique({
    where: { id: sha256(parsed.data) },
    include: { user: { select: { id: true, name: true, email: true, active: true, passwordHash: true } } },
  });
  if (!row) throw new InvalidLinkError();
  const now = ctx.clock.now();
  const reason = row.usedAt ? "used" : row.expiresAt <= now ? "expired" : !row.user.active ? "deactivated" : null;
  if (reason) {
    await recordAudit(ctx, { actorId: row.user.id, action: "auth.password_link_refused", target: { type: "user", id: row.user.id }, summary: `A set-password link for ${row.user.name} was refused (${reason})`, details: { reason, purpose: row.purpose } }, meta);
    throw new InvalidLinkError();
  }
  return row;
}

/** What the set-password page shows for a link; throws InvalidLinkError (410) for a link that cannot be used. */
export async function inspectPasswordLink(ctx: Ctx, token: unknown) {
  refuseWhenOff(ctx);
  const row = await findUsableToken(ctx, token);
  return { name: row.user.name, email: row.user.email, purpose: row.purpose as "reset" | "invite", hasPassword: !!row.user.passwordHash, expiresAt: row.expiresAt };
}

/**
 * Sets the password with a link: the link is spent (and every other link of the person), every
 * session ends, and a new one starts for the browser that used it.
 */
export async function completePasswordReset(ctx: Ctx, input: { token?: unknown; password?: unknown }, meta: SignInMeta) {
  refuseWhenOff(ctx);
  const row = await findUsableToken(ctx, input?.token, meta);
  const { password } = parse(NewPasswordSchema, { password: input?.password });
  assertStrongPassword(password, [row.user.name, row.user.email]);
  const passwordHash = await hashPassword(password);
  const now = ctx.clock.now();
  const audit = await prepareAudit(
    ctx,
    { actorId: row.user.id, action: "auth.password_reset_completed", target: { type: "user", id: row.user.id }, summary: `${row.user.name} set their password with a ${row.purpose === "invite" ? "link from an admin" : "reset link"}`, details: { purpose: row.purpose } },
    meta,
  );
  await ctx.db.$transaction(async (tx) => {
    // The claim: of two submissions of one link, only the first finds it unused.
    const claimed = await tx.passwordToken.updateMany({ where: { id: row.id, usedAt: null, expiresAt: { gt: now } }, data: { usedAt: now } });
    if (claimed.count !== 1) throw new InvalidLinkError();
    await tx.passwordToken.updateMany({ where: { userId: row.user.id, usedAt: null }, data: { usedAt: now } });
    await tx.user.update({ where: { id: row.user.id }, data: { passwordHash } });
    await tx.session.deleteMany({ where: { userId: row.user.id } });
    await tx.auditEvent.create({ data: audit });
  });
  await ctx.bus.publish("session.revoked", { userId: row.user.id, sessionIds: "all" });
  await ctx.loginLimiter.reset(`${row.user.email}|${meta.ip}`);
  const session = await startSession(ctx, row.user.id, meta);
  return { ...session, user: { id: row.user.id, name: row.user.name } };
}
