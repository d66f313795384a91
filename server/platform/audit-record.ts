/**
 * Writes one audit event. Not a domain verb (there is no verb that lets a caller write arbitrary
 * entries): verbs call `recordAudit` after the change they describe, or put its row into the
 * same transaction (`prepareAudit`) when they have one.
 */
import type { AuditAction } from "../../app/schemas/audit.js";
import type { Ctx } from "../domain/context.js";
import { currentRequestMeta, type RequestMeta } from "../request-meta.js";

export interface AuditEntry {
  actorId: string | null;
  /** Who, readable without joins. Looked up from actorId when omitted. */
  actorLabel?: string;
  action: AuditAction;
  target?: { type: string; id: string };
  summary: string;
  details?: Record<string, unknown>;
}

type AuditDb = Pick<Ctx["db"], "auditEvent" | "user">;

async function labelFor(db: AuditDb, actorId: string | null): Promise<string> {
  if (!actorId) return "";
  const u = await db.user.findUnique({ where: { id: actorId }, select: { name: true, email: true } });
  return u ? `${u.name} <${u.email}>` : actorId;
}

export async function auditData(db: AuditDb, entry: AuditEntry, meta: RequestMeta = currentRequestMeta(), at?: Date) {
  return {
    ...(at ? { createdAt: at } : {}),
    actorId: entry.actorId,
    actorLabel: (entry.actorLabel ?? (await labelFor(db, entry.actorId))).slice(0, 300),
    action: entry.action,
    targetType: entry.target?.type ?? "",
    targetId: entry.target?.id ?? "",
    summary: entry.summary.slice(0, 500),
    details: JSON.stringify(entry.details ?? {}),
    ip: meta.ip.slice(0, 64),
    userAgent: meta.userAgent.slice(0, 300),
  };
}

export async function recordAudit(ctx: Ctx, entry: AuditEntry, meta?: RequestMeta): Promise<void> {
  await ctx.db.auditEvent.create({ data: await auditData(ctx.db, entry, meta, ctx.clock.now()) });
}

/**
 * The row to create, for a `$transaction([...])` array (`ctx.db.auditEvent.create({ data })`), so
 * the change and its record commit together. (It returns data, not the query: an async function
 * returning a Prisma query would run it at once, outside the transaction.)
 */
export function prepareAudit(ctx: Ctx, entry: AuditEntry, meta?: RequestMeta) {
  return auditData(ctx.db, entry, meta, ctx.clock.now());
}
