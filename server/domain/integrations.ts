/**
 * Per-integration API tokens for the ingest API. A token is shown once at creation; the database
 * keeps only its sha256 (a token is 256 random bits, so a fast hash is enough — unlike passwords).
 */
import { createHash, randomBytes } from "node:crypto";
import { TokenSchema } from "../../app/schemas/insights.js";
import type { Actor } from "../policy.js";
import { authorize } from "../policy.js";
import { parse, type Ctx } from "./context.js";
import { DomainError, NotFoundError } from "./errors.js";

const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");
const TOKEN_PREFIX = "atr_";
/** lastUsedAt is a hint for admins, not an audit: write it at most once a minute per token. */
const LAST_USED_RESOLUTION_MS = 60_000;

/**
 * Valid tokens seen in the last few seconds, per instance: the ingest API is hot, tokens change
 * rarely. Revoking on this instance takes effect at once (the entry is dropped); another instance
 * would honour a revoked token for at most TOKEN_CACHE_MS.
 */
const TOKEN_CACHE_MS = 5_000;
const tokenCache = new WeakMap<Ctx, Map<string, { id: string; name: string; lastUsedAt: number; at: number }>>();
const cacheFor = (ctx: Ctx) => {
  let c = tokenCache.get(ctx);
  if (!c) tokenCache.set(ctx, (c = new Map()));
  return c;
};

export class ApiAuthError extends DomainError {
  constructor(code: "missing_token" | "invalid_token" | "token_revoked", message: string) {
    super(message, 401, code);
  }
}

export async function createIntegrationToken(ctx: Ctx, actor: Actor, input: unknown) {
  authorize(actor, "integration.manage", null);
  const { name } = parse(TokenSchema, input);
  const token = TOKEN_PREFIX + randomBytes(32).toString("base64url");
  const row = await ctx.db.integrationToken.create({
    data: { name, tokenHash: sha256(token), prefix: token.slice(0, 10), createdById: actor.id, createdAt: ctx.clock.now() },
  });
  return { id: row.id, name: row.name, token };
}

export async function revokeIntegrationToken(ctx: Ctx, actor: Actor, id: string) {
  authorize(actor, "integration.manage", null);
  const row = await ctx.db.integrationToken.findUnique({ where: { id } });
  if (!row) throw new NotFoundError("That token");
  if (!row.revokedAt) await ctx.db.integrationToken.update({ where: { id }, data: { revokedAt: ctx.clock.now() } });
  cacheFor(ctx).delete(row.tokenHash);
}

export async function listIntegrationTokens(ctx: Ctx, actor: Actor) {
  authorize(actor, "integration.manage", null);
  const rows = await ctx.db.integrationToken.findMany({
    orderBy: { createdAt: "desc" },
    select: {
      id: true,
      name: true,
      prefix: true,
      createdAt: true,
      revokedAt: true,
      lastUsedAt: true,
      createdBy: { select: { id: true, name: true } },
      _count: { select: { insights: true } },
    },
  });
  const iso = (d: Date | null) => d?.toISOString() ?? null;
  return rows.map(({ _count, ...r }) => ({
    ...r,
    createdAt: r.createdAt.toISOString(),
    revokedAt: iso(r.revokedAt),
    lastUsedAt: iso(r.lastUsedAt),
    insights: _count.insights,
  }));
}

/** The integration behind a bearer token, or a 401 that says why. */
export async function authenticateIntegration(ctx: Ctx, authorization: string | null) {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? "");
  if (!m) throw new ApiAuthError("missing_token", "Send the integration token as 'Authorization: Bearer <token>'.");
  const hash = sha256(m[1]!);
  const now = ctx.clock.now();
  const cache = cacheFor(ctx);
  const hit = cache.get(hash);
  if (hit && Date.now() - hit.at < TOKEN_CACHE_MS) {
    if (now.getTime() - hit.lastUsedAt > LAST_USED_RESOLUTION_MS) {
      hit.lastUsedAt = now.getTime();
      await ctx.db.integrationToken.update({ where: { id: hit.id }, data: { lastUsedAt: now } });
    }
    return { id: hit.id, name: hit.name };
  }
  const row = await ctx.db.integrationToken.findUnique({
    where: { tokenHash: hash },
    select: { id: true, name: true, revokedAt: true, lastUsedAt: true },
  });
  if (!row) throw new ApiAuthError("invalid_token", "The token is not valid.");
  if (row.revokedAt) throw new ApiAuthError("token_revoked", "The token was revoked by an administrator.");
  let lastUsedAt = row.lastUsedAt?.getTime() ?? 0;
  if (now.getTime() - lastUsedAt > LAST_USED_RESOLUTION_MS) {
    await ctx.db.integrationToken.update({ where: { id: row.id }, data: { lastUsedAt: now } });
    lastUsedAt = now.getTime();
  }
  cache.set(hash, { id: row.id, name: row.name, lastUsedAt, at: Date.now() });
  if (cache.size > 1000) cache.clear();
  return { id: row.id, name: row.name };
}
