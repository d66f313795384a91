/**
 * API tokens — the one token system (decision 056). A personal token acts as its owner; an
 * integration token is created by an admin and acts as that admin. Either is limited by its scopes
 * (read; read and write; or, for integrations, sending insights only), may expire, and is revocable.
 * Only the SHA-256 of the secret is stored; the secret is shown once.
 */
import { createHash, randomBytes } from "node:crypto";
import { CreateApiTokenSchema, TOKEN_ACCESS, type ApiScope } from "../../app/schemas/platform.js";
import { recordAudit } from "../platform/audit-record.js";
import type { Actor, Role } from "../policy.js";
import { authorize } from "../policy.js";
import { parse, type Ctx } from "./context.js";
import { NotFoundError } from "./errors.js";
import { TokenError } from "../platform/token-error.js";
import { sqlBool, sqlDate } from "../db-reads.js";

const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");

export interface TokenAuth {
  actor: Actor;
  token: { id: string; kind: "personal" | "integration"; scopes: ApiScope[]; name: string };
}

export async function createApiToken(ctx: Ctx, actor: Actor, input: unknown) {
  const data = parse(CreateApiTokenSchema, input);
  authorize(actor, data.kind === "integration" ? "apiToken.createIntegration" : "apiToken.createPersonal", null);
  const secret = `atr_${data.kind === "integration" ? "i" : "p"}_${randomBytes(32).toString("base64url")}`;
  const now = ctx.clock.now();
  const scopes = TOKEN_ACCESS[data.scope].scopes.join(",");
  const row = await ctx.db.apiToken.create({
    data: {
      name: data.name,
      kind: data.kind,
      ownerId: actor.id,
      tokenHash: sha256(secret),
      prefix: secret.slice(0, 12),
      scopes,
      createdAt: now,
      expiresAt: data.expiresInDays ? new Date(now.getTime() + data.expiresInDays * 86_400_000) : null,
    },
  });
  await recordAudit(ctx, {
    actorId: actor.id,
    action: "api_token.created",
    target: { type: "api_token", id: row.id },
    summary: `Created the ${data.kind} API token “${data.name}” (${scopes})`,
    details: { kind: data.kind, scopes, prefix: row.prefix, expiresAt: row.expiresAt },
  });
  return { id: row.id, secret, name: row.name, scopes, expiresAt: row.expiresAt };
}

const tokenSelect = {
  id: true,
  name: true,
  kind: true,
  prefix: true,
  scopes: true,
  createdAt: true,
  expiresAt: true,
  lastUsedAt: true,
  revokedAt: true,
  owner: { select: { id: true, name: true, email: true } },
  _count: { select: { insights: true } },
} as const;

type TokenListRow = { _count: { insights: number } } & Record<string, unknown>;
/** `insights` = how many insights arrived with the token (only ingest tokens ever have any). */
const withInsightCount = <T extends TokenListRow>(rows: T[]) => rows.map(({ _count, ...r }) => ({ ...r, insights: _count.insights }));

/** The signed-in person's own personal tokens. */
export async function listMyTokens(ctx: Ctx, actor: Actor) {
  return withInsightCount(
    await ctx.db.apiToken.findMany({ where: { ownerId: actor.id, kind: "personal" }, orderBy: { createdAt: "desc" }, select: tokenSelect }),
  );
}

/** For admins: every integration token, and everyone's personal tokens (to revoke a leaked one). */
export async function listAllTokens(ctx: Ctx, actor: Actor) {
  authorize(actor, "apiToken.createIntegration", null);
  return withInsightCount(await ctx.db.apiToken.findMany({ orderBy: [{ kind: "asc" }, { createdAt: "desc" }], select: tokenSelect }));
}

export async function revokeApiToken(ctx: Ctx, actor: Actor, id: string) {
  const row = await ctx.db.apiToken.findUnique({ where: { id }, select: { id: true, ownerId: true, name: true, kind: true, revokedAt: true } });
  if (!row) throw new NotFoundError("That token");
  authorize(actor, "apiToken.revoke", { ownerId: row.ownerId });
  if (row.revokedAt) return;
  await ctx.db.apiToken.update({ where: { id }, data: { revokedAt: ctx.clock.now() } });
  await recordAudit(ctx, {
    actorId: actor.id,
    action: "api_token.revoked",
    target: { type: "api_token", id },
    summary: `Revoked the ${row.kind} API token “${row.name}”`,
    details: { ownerId: row.ownerId },
  });
}

interface TokenRow {
  id: string;
  name: string;
  kind: string;
  scopes: string;
  expiresAt: Date | null;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
  owner: { id: string; role: string; departmentId: string | null; active: boolean };
}

/** Every API request asks this: prepared SQL (decision 101) where the context has it, else Prisma. */
async function tokenRow(ctx: Ctx, tokenHash: string): Promise<TokenRow | null> {
  if (!ctx.reads) {
    return ctx.db.apiToken.findUnique({
      where: { tokenHash },
      select: {
        id: true,
        name: true,
        kind: true,
        scopes: true,
        expiresAt: true,
        revokedAt: true,
        lastUsedAt: true,
        owner: { select: { id: true, role: true, departmentId: true, active: true } },
      },
    });
  }
  const r = await ctx.reads.one<{ id: string; name: string; kind: string; scopes: string; expiresAt: unknown; revokedAt: unknown; lastUsedAt: unknown; ownerId: string; role: string; departmentId: string | null; active: unknown }>(
    `SELECT t."id", t."name", t."kind", t."scopes", t."expiresAt", t."revokedAt", t."lastUsedAt", u."id" AS "ownerId", u."role", u."departmentId", u."active"
     FROM "ApiToken" t JOIN "User" u ON u."id" = t."ownerId" WHERE t."tokenHash" = ?`,
    tokenHash,
  );
  if (!r) return null;
  const date = (v: unknown) => (v === null || v === undefined ? null : sqlDate(v));
  return {
    id: r.id,
    name: r.name,
    kind: r.kind,
    scopes: r.scopes,
    expiresAt: date(r.expiresAt),
    revokedAt: date(r.revokedAt),
    lastUsedAt: date(r.lastUsedAt),
    owner: { id: r.ownerId, role: r.role, departmentId: r.departmentId, active: sqlBool(r.active) },
  };
}

// Writing lastUsedAt on every request would turn each read into a write; a minute is precise enough.
const LAST_USED_RESOLUTION_MS = 60_000;

/** Resolves `Authorization: Bearer <secret>` to an actor and scopes, or throws a TokenError (401). */
export async function authenticateToken(ctx: Ctx, secret: string | null | undefined): Promise<TokenAuth> {
  if (!secret) throw new TokenError("unauthenticated", "Send an API token in the Authorization header: “Bearer atr_…”.");
  if (secret.length > 200 || !secret.startsWith("atr_")) throw new TokenError("token_invalid", "That API token is not valid.");
  const row = await tokenRow(ctx, sha256(secret));
  if (!row) throw new TokenError("token_invalid", "That API token is not valid.");
  const now = ctx.clock.now();
  if (row.revokedAt) throw new TokenError("token_revoked", "That API token was revoked.");
  if (row.expiresAt && row.expiresAt <= now) throw new TokenError("token_expired", "That API token has expired.");
  if (!row.owner.active) throw new TokenError("token_invalid", "The account that owns this API token is deactivated.");
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() >= LAST_USED_RESOLUTION_MS) {
    await ctx.db.apiToken.update({ where: { id: row.id }, data: { lastUsedAt: now } }).catch(() => {});
  }
  return {
    actor: { id: row.owner.id, role: row.owner.role as Role, departmentId: row.owner.departmentId, active: true },
    token: { id: row.id, kind: row.kind as "personal" | "integration", scopes: row.scopes.split(",") as ApiScope[], name: row.name },
  };
}
