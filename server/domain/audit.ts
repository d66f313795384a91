/**
 * The audit log, read side. Entries are written by the verbs they describe (see
 * server/platform/audit-record.ts); this module only lists and exports them. There is no verb to
 * change or remove an entry, and the database refuses UPDATE and DELETE on the table.
 */
import { AUDIT_ACTIONS, AuditQuerySchema, type AuditQuery } from "../../app/schemas/audit.js";
import { recordAudit } from "../platform/audit-record.js";
import { csvLine } from "../platform/csv.js";
import type { Actor } from "../policy.js";
import { authorize } from "../policy.js";
import { parse, type Ctx } from "./context.js";
import { ValidationError } from "./errors.js";
import { containsText } from "../db.js";

export const AUDIT_PAGE_SIZE = 100;

function whereOf(ctx: Ctx, q: AuditQuery) {
  const where: Record<string, unknown> = {};
  if (q.action) where.action = q.action;
  if (q.actor) {
    // An id matches exactly; anything else matches the recorded "name <email>".
    where.OR = [{ actorId: q.actor }, { actorLabel: containsText(ctx.db, q.actor) }];
  }
  const createdAt: Record<string, Date> = {};
  if (q.from) createdAt.gte = new Date(`${q.from}T00:00:00.000Z`);
  if (q.to) createdAt.lt = new Date(new Date(`${q.to}T00:00:00.000Z`).getTime() + 86_400_000);
  if (q.from || q.to) where.createdAt = createdAt;
  return where;
}

function decodeCursor(cursor: string): { at: Date; id: string } | null {
  if (!cursor) return null;
  const [ms, id] = Buffer.from(cursor, "base64url").toString("utf8").split("|");
  const at = new Date(Number(ms));
  if (!id || Number.isNaN(at.getTime())) throw new ValidationError({ cursor: ["That page link is no longer valid."] });
  return { at, id };
}

const encodeCursor = (e: { createdAt: Date; id: string }) => Buffer.from(`${e.createdAt.getTime()}|${e.id}`).toString("base64url");

function present(e: {
  id: string;
  createdAt: Date;
  actorId: string | null;
  actorLabel: string;
  action: string;
  targetType: string;
  targetId: string;
  summary: string;
  details: string;
  ip: string;
  userAgent: string;
}) {
  let details: Record<string, unknown> = {};
  try {
    details = JSON.parse(e.details);
  } catch {
    /* a malformed row still lists */
  }
  return { ...e, actionLabel: AUDIT_ACTIONS[e.action as keyof typeof AUDIT_ACTIONS] ?? e.action, details };
}

/** Newest first, 100 per page; `nextCursor` continues with older entries. */
export async function listAuditEvents(ctx: Ctx, actor: Actor, input: unknown) {
  authorize(actor, "audit.view", null);
  const q = parse(AuditQuerySchema, input);
  const after = decodeCursor(q.cursor);
  const where = whereOf(ctx, q);
  const page = await ctx.db.auditEvent.findMany({
    where: after
      ? { AND: [where, { OR: [{ createdAt: { lt: after.at } }, { createdAt: after.at, id: { lt: after.id } }] }] }
      : where,
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: AUDIT_PAGE_SIZE + 1,
  });
  const more = page.length > AUDIT_PAGE_SIZE;
  const events = page.slice(0, AUDIT_PAGE_SIZE);
  return {
    events: events.map(present),
    nextCursor: more ? encodeCursor(events[events.length - 1]) : null,
    query: q,
  };
}

export const AUDIT_CSV_COLUMNS = ["time", "actor_id", "actor", "action", "target_type", "target_id", "summary", "details", "ip", "user_agent"];

/**
 * The filtered log as CSV, oldest first, streamed in batches. The export is itself recorded
 * (with its filters and row count) before the first byte leaves.
 */
export async function exportAuditCsv(ctx: Ctx, actor: Actor, input: unknown) {
  authorize(actor, "audit.view", null);
  const q = parse(AuditQuerySchema, { ...(input as object), cursor: "" });
  const where = whereOf(ctx, q);
  const rows = await ctx.db.auditEvent.count({ where });
  const filters = Object.fromEntries(Object.entries({ actor: q.actor, action: q.action, from: q.from, to: q.to }).filter(([, v]) => v));
  await recordAudit(ctx, {
    actorId: actor.id,
    action: "audit.exported",
    target: { type: "audit", id: "" },
    summary: `Exported ${rows} audit event${rows === 1 ? "" : "s"} as CSV`,
    details: { filters, rows },
  });
  const db = ctx.db;
  async function* lines(): AsyncGenerator<string> {
    yield csvLine(AUDIT_CSV_COLUMNS);
    let after: { createdAt: Date; id: string } | null = null;
    let sent = 0;
    while (sent < rows) {
      const batch: Awaited<ReturnType<typeof db.auditEvent.findMany>> = await db.auditEvent.findMany({
        where: after
          ? { AND: [where, { OR: [{ createdAt: { gt: after.createdAt } }, { createdAt: after.createdAt, id: { gt: after.id } }] }] }
          : where,
        orderBy: [{ createdAt: "asc" }, { id: "asc" }],
        take: Math.min(1000, rows - sent),
      });
      if (!batch.length) break;
      for (const e of batch) {
        yield csvLine([e.createdAt, e.actorId ?? "", e.actorLabel, e.action, e.targetType, e.targetId, e.summary, e.details, e.ip, e.userAgent]);
      }
      sent += batch.length;
      after = batch[batch.length - 1];
    }
  }
  const stamp = ctx.clock.now().toISOString().slice(0, 10);
  return { filename: `atrium-audit-${stamp}.csv`, rows, lines: lines() };
}
