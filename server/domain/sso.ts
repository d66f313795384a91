/**
 * Single sign-on with OpenID Connect (authorization code + PKCE, state and nonce), configured by
 * OIDC_* environment variables. openid-client does the protocol checks; this module keeps the
 * per-browser transaction, maps the identity to a person (linked by issuer+subject after the first
 * sign-in, which links or creates by *verified* email), maps department/title claims, and starts
 * the same database session as a password sign-in.
 */
import { createHash, randomBytes } from "node:crypto";
import type * as Oidc from "openid-client";
import { EmailSchema } from "../../app/schemas/people.js";
import { slugify } from "../../app/schemas/org.js";
import { ssoConfigured } from "../env.js";
import { prepareAudit, recordAudit } from "../platform/audit-record.js";
import { currentRequestMeta, type RequestMeta } from "../request-meta.js";
import { limiterOf } from "./rate-limit.js";
import { authorize, type Actor, type Role } from "../policy.js";
import type { Ctx } from "./context.js";
import { startSession, type SignedIn } from "./accounts.js";
import { NotFoundError, RateLimitedError } from "./errors.js";
import { SsoError } from "../platform/sso-error.js";
import { reindexPerson } from "./people.js";
import { safeRedirectPath } from "../platform/safe-redirect.js";

const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");
const TXN_TTL_MS = 10 * 60_000;

/** openid-client (and jose under it) load with the first sign-in through SSO: most servers never use it. */
const loadOidc = () => import("openid-client");
const configs = new WeakMap<Ctx, Promise<Oidc.Configuration>>();
// Each start writes a transaction row: 20 starts a minute per address is plenty for people.
const START_LIMIT = 20;

function configOf(ctx: Ctx): Promise<Oidc.Configuration> {
  let c = configs.get(ctx);
  if (!c) {
    const env = ctx.env;
    const issuer = new URL(env.OIDC_ISSUER!);
    // Plain http is only accepted outside production (env.ts refuses it there): tests and local IdPs.
    const insecure = issuer.protocol === "http:";
    c = loadOidc().then((oidc) =>
      oidc.discovery(issuer, env.OIDC_CLIENT_ID!, env.OIDC_CLIENT_SECRET!, undefined, insecure ? { execute: [oidc.allowInsecureRequests] } : undefined),
    );
    c.catch(() => configs.delete(ctx)); // try discovery again next time
    configs.set(ctx, c);
  }
  return c;
}

/** For the admin page: how sign-in is configured (read-only: it comes from the environment). */
export async function ssoOverview(ctx: Ctx, actor: Actor) {
  authorize(actor, "admin.view", null);
  const env = ctx.env;
  const [linked, recent] = await Promise.all([
    ctx.db.externalIdentity.count(),
    ctx.db.auditEvent.findMany({
      where: { action: { in: ["auth.sso_signin", "auth.sso_refused"] } },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: 10,
      select: { id: true, createdAt: true, action: true, summary: true, ip: true },
    }),
  ]);
  return {
    enabled: ssoConfigured(env),
    passwordLogin: env.PASSWORD_LOGIN === "on",
    issuer: env.OIDC_ISSUER ?? null,
    clientId: env.OIDC_CLIENT_ID ?? null,
    redirectUri: env.OIDC_REDIRECT_URI ?? null,
    providerName: env.OIDC_PROVIDER_NAME,
    scopes: env.OIDC_SCOPES,
    claims: { department: env.OIDC_DEPARTMENT_CLAIM, title: env.OIDC_TITLE_CLAIM },
    linked,
    recent,
  };
}

export async function ssoStatus(ctx: Ctx) {
  return { enabled: ssoConfigured(ctx.env), providerName: ctx.env.OIDC_PROVIDER_NAME, passwordLogin: ctx.env.PASSWORD_LOGIN === "on" };
}

/**
 * Starts a sign-in: returns the provider's authorization URL and the value of the short-lived
 * cookie that ties the answer to this browser (without it the callback is refused, so a sign-in
 * started elsewhere cannot be completed here).
 */
export async function beginSso(ctx: Ctx, input: { redirectTo?: string | null }, meta?: RequestMeta) {
  if (!ssoConfigured(ctx.env)) throw new NotFoundError("Single sign-on");
  const limiter = limiterOf(ctx, "sso-start", START_LIMIT, 60_000);
  const key = meta?.ip ?? currentRequestMeta().ip;
  const nowMs = ctx.clock.now().getTime();
  const wait = await limiter.retryAfter(key, nowMs);
  if (wait > 0) throw new RateLimitedError(wait);
  await limiter.hit(key, nowMs);
  const config = await configOf(ctx).catch((e: Error) => {
    throw new SsoError(`The identity provider cannot be reached (${e.message}). Try again shortly.`, "discovery_failed");
  });
  const oidc = await loadOidc();
  const txn = randomBytes(32).toString("base64url");
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const codeVerifier = oidc.randomPKCECodeVerifier();
  const now = ctx.clock.now();
  await ctx.db.oidcTransaction.deleteMany({ where: { expiresAt: { lt: now } } });
  await ctx.db.oidcTransaction.create({
    data: { id: sha256(txn), state, nonce, codeVerifier, redirectTo: safeRedirectPath(input.redirectTo, ctx.env.APP_URL), expiresAt: new Date(now.getTime() + TXN_TTL_MS) },
  });
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: ctx.env.OIDC_REDIRECT_URI!,
    scope: ctx.env.OIDC_SCOPES,
    state,
    nonce,
    code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: "S256",
  });
  return { url: url.href, txn, maxAgeSeconds: TXN_TTL_MS / 1000 };
}

type Claims = Record<string, unknown>;
const str = (v: unknown) => (typeof v === "string" ? v.trim() : "");

/**
 * Finishes a sign-in from the provider's redirect (`search` = the callback's query string).
 * Refuses with SsoError — and records why — on any failed check.
 */
export async function completeSso(ctx: Ctx, input: { search: string; txn: string | null | undefined }, meta: RequestMeta): Promise<SignedIn & { redirectTo: string; created: boolean }> {
  if (!ssoConfigured(ctx.env)) throw new NotFoundError("Single sign-on");
  const refuse = async (reason: string, message: string, details: Record<string, unknown> = {}): Promise<never> => {
    await recordAudit(ctx, { actorId: null, actorLabel: str(details.email), action: "auth.sso_refused", summary: `Single sign-on refused (${reason.replace(/_/g, " ")})`, details: { reason, ...details } }, meta);
    throw new SsoError(message, reason);
  };
  const params = new URLSearchParams(input.search);
  if (params.get("error")) {
    return refuse("provider_error", `The identity provider refused the sign-in: ${params.get("error_description") ?? params.get("error")}`, { error: params.get("error") });
  }
  if (!input.txn || input.txn.length > 100) return refuse("no_transaction", "This sign-in was not started in this browser, or it expired. Please start again.");
  const txn = await ctx.db.oidcTransaction.findUnique({ where: { id: sha256(input.txn) } });
  // One use only: a replayed callback finds nothing, and of two racing callbacks only the one that
  // deletes the row goes on (both going on spent the code twice, and the provider refused both).
  const claimed = txn ? (await ctx.db.oidcTransaction.deleteMany({ where: { id: txn.id } })).count === 1 : false;
  if (!txn || !claimed || txn.expiresAt <= ctx.clock.now()) return refuse("no_transaction", "This sign-in was not started in this browser, or it expired. Please start again.");

  // A server that has not reached the provider yet (restarted, or another instance) asks now.
  const config = await configOf(ctx).catch((e: Error) =>
    refuse("discovery_failed", `The identity provider cannot be reached (${e.message}). Try again shortly.`, { error: e.message.slice(0, 300) }),
  );
  const oidc = await loadOidc();
  const provider = ctx.env.OIDC_PROVIDER_NAME;
  let claims: Claims;
  let issuer = "";
  // Why the userinfo request failed, if it did: named when it is what leaves the claims short.
  let userinfoFailure = "";
  try {
    const callbackUrl = new URL(ctx.env.OIDC_REDIRECT_URI!);
    callbackUrl.search = params.toString();
    const tokens = await oidc.authorizationCodeGrant(config, callbackUrl, {
      pkceCodeVerifier: txn.codeVerifier,
      expectedState: txn.state,
      expectedNonce: txn.nonce,
      idTokenExpected: true,
    });
    const idClaims = tokens.claims()!;
    issuer = idClaims.iss;
    // Email, name and custom claims often come only from the userinfo endpoint.
    const info = tokens.access_token
      ? await oidc.fetchUserInfo(config, tokens.access_token, idClaims.sub).catch((e: Error & { cause?: { message?: string; status?: unknown } }) => {
          // openid-client puts the provider's answer (a Response) or the network error in `cause`.
          const cause = typeof e.cause?.status === "number" ? `HTTP ${e.cause.status}` : e.cause?.message;
          userinfoFailure = [e.message, cause].filter(Boolean).join(": ") || "no answer";
          return {};
        })
      : {};
    claims = { ...info, ...idClaims };
  } catch (e) {
    // openid-client wraps the precise check that failed in `cause`.
    const err = e as Error & { code?: string; error?: string; cause?: { message?: string; error?: string } };
    const detail = [err.message, err.cause?.message, err.cause?.error].filter(Boolean).join(": ");
    const reason = /"state"/.test(detail) ? "bad_state" : /"nonce"/.test(detail) ? "bad_nonce" : /invalid_grant/.test(detail) ? "invalid_grant" : "protocol_error";
    return refuse(reason, `Single sign-on failed: ${detail}`, { code: err.code ?? "" });
  }

  const subject = str(claims.sub);
  const email = EmailSchema.safeParse(claims.email);
  if (userinfoFailure && (!email.success || claims.email_verified !== true)) {
    return refuse("userinfo_failed", `Atrium could not read your profile from ${provider} (${userinfoFailure}). Try again shortly.`, { subject, error: userinfoFailure.slice(0, 300) });
  }
  if (!email.success) return refuse("no_email", "Your identity provider did not send an email address, so Atrium cannot find your account.", { subject });
  if (claims.email_verified !== true) {
    return refuse("email_unverified", `Your identity provider has not verified ${email.data}, so Atrium cannot link it to an account.`, { email: email.data, subject });
  }

  const link = await ctx.db.externalIdentity.findUnique({ where: { issuer_subject: { issuer, subject } }, include: { user: true } });
  let user = link?.user ?? (await ctx.db.user.findUnique({ where: { email: email.data } }));
  if (user && !user.active) return refuse("deactivated", "Your Atrium account is deactivated. Ask an administrator.", { email: email.data, userId: user.id });
  // A person keeps one identity per provider. A new subject with the address of someone already
  // linked at this provider is someone else (a reissued mailbox) until an admin unlinks the old one.
  const subjectChanged = (userId: string) =>
    refuse("subject_changed", `Your sign-in identity changed at ${provider}; ask an administrator to unlink your old one.`, { email: email.data, subject, issuer, userId });
  if (!link && user && (await ctx.db.externalIdentity.count({ where: { userId: user.id, issuer } })) > 0) return subjectChanged(user.id);

  const title = str(claims[ctx.env.OIDC_TITLE_CLAIM]).slice(0, 100);
  const departmentName = str(claims[ctx.env.OIDC_DEPARTMENT_CLAIM]).slice(0, 80);
  // Found or made only for a sign-in that goes ahead.
  const departmentOf = async () => (departmentName ? await departmentFor(ctx, departmentName) : undefined);
  const name = (str(claims.name) || [str(claims.given_name), str(claims.family_name)].filter(Boolean).join(" ") || email.data.split("@")[0]).slice(0, 100);

  let created = false;
  const now = ctx.clock.now();
  if (!user) {
    created = true;
    user = await ctx.db.user.create({ data: { email: email.data, name, title, departmentId: (await departmentOf()) ?? null } });
  }
  if (link) await ctx.db.externalIdentity.update({ where: { id: link.id }, data: { lastSignInAt: now, email: email.data } });
  else {
    const made = await ctx.db.externalIdentity.create({ data: { issuer, subject, userId: user.id, email: email.data, createdAt: now, lastSignInAt: now } });
    // Two new subjects for one person at once both passed the check above: each made its link
    // first and then counts, so whichever counts last sees both and withdraws (both may).
    if ((await ctx.db.externalIdentity.count({ where: { userId: user.id, issuer } })) > 1) {
      await ctx.db.externalIdentity.deleteMany({ where: { id: made.id } });
      return subjectChanged(user.id);
    }
  }
  const departmentId = created ? undefined : await departmentOf();
  if ((title && title !== user.title) || (departmentId && departmentId !== user.departmentId)) {
    // The provider is the source of truth for the claims it sends; absent claims change nothing.
    user = await ctx.db.user.update({
      where: { id: user.id },
      data: { ...(title ? { title } : {}), ...(departmentId ? { departmentId } : {}) },
    });
  }

  await recordAudit(
    ctx,
    {
      actorId: user.id,
      action: "auth.sso_signin",
      target: { type: "user", id: user.id },
      summary: `${user.name} signed in with ${ctx.env.OIDC_PROVIDER_NAME}${created ? " (account created)" : link ? "" : " (account linked by verified email)"}`,
      details: { issuer, subject, created, linked: !link && !created, claims: { title: title || undefined, department: departmentName || undefined } },
    },
    meta,
  );
  await reindexPerson(ctx, user.id);
  await ctx.bus.publish("person.updated", { userId: user.id });
  const session = await startSession(ctx, user.id, meta);
  return { ...session, user: { id: user.id, name: user.name, role: user.role as Role }, redirectTo: txn.redirectTo, created };
}

/** A person's single sign-on identities, for the admin's edit page of that person. */
export async function listSsoIdentities(ctx: Ctx, actor: Actor, userId: string) {
  authorize(actor, "user.manageSsoIdentities", { id: userId });
  return ctx.db.externalIdentity.findMany({
    where: { userId },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    select: { id: true, issuer: true, subject: true, email: true, createdAt: true, lastSignInAt: true },
  });
}

/**
 * Unlinks one of a person's single sign-on identities (an admin, after the person's subject
 * changed at the provider): their next sign-in there links by verified email again. Sessions
 * already open are left alone.
 */
export async function unlinkSsoIdentity(ctx: Ctx, actor: Actor, input: { userId: string; identityId: unknown }) {
  authorize(actor, "user.manageSsoIdentities", { id: input.userId });
  const identityId = typeof input.identityId === "string" && input.identityId.length <= 100 ? input.identityId : "";
  const identity = identityId
    ? await ctx.db.externalIdentity.findFirst({ where: { id: identityId, userId: input.userId }, include: { user: { select: { name: true, email: true } } } })
    : null;
  if (!identity) throw new NotFoundError("That sign-in identity");
  const audit = await prepareAudit(ctx, {
    actorId: actor.id,
    action: "auth.sso_unlinked",
    target: { type: "user", id: identity.userId },
    summary: `Unlinked the single sign-on identity ${identity.email || identity.subject} at ${identity.issuer} from ${identity.user.name} <${identity.user.email}>`,
    details: { userId: identity.userId, issuer: identity.issuer, subject: identity.subject, email: identity.email },
  });
  // Two admins unlinking at once: one removes it and records it, the other finds it gone.
  await ctx.db.$transaction(async (tx) => {
    const { count } = await tx.externalIdentity.deleteMany({ where: { id: identity.id } });
    if (count !== 1) throw new NotFoundError("That sign-in identity");
    await tx.auditEvent.create({ data: audit });
  });
  return { issuer: identity.issuer, email: identity.email, subject: identity.subject };
}

async function departmentFor(ctx: Ctx, name: string): Promise<string> {
  const found = await ctx.db.department.findFirst({ where: { name }, select: { id: true } });
  if (found) return found.id;
  const slug = slugify(name) || "department";
  const clash = await ctx.db.department.findUnique({ where: { slug }, select: { id: true } });
  const d = await ctx.db.department.create({ data: { name, slug: clash ? `${slug}-${randomBytes(3).toString("hex")}` : slug }, select: { id: true } });
  await ctx.bus.publish("org.changed", { kind: "department" });
  return d.id;
}
