import type { Actor } from "../policy.js";
import { authorize, can } from "../policy.js";
import type { Ctx } from "./context.js";
import { NotFoundError } from "./errors.js";
import { accessForUser } from "./docs.js";
import { sqlDate } from "../db-reads.js";

export interface NewNotification {
  type: string;
  title: string;
  body?: string;
  link?: string;
}

/**
 * Called by other verbs (never directly by a route): stores the notification, then publishes it
 * so the realtime layer pushes it to the person's room and bumps their bell.
 */
export async function notify(ctx: Ctx, userIds: string[], n: NewNotification): Promise<void> {
  const unique = [...new Set(userIds)];
  if (!unique.length) return;
  const now = ctx.clock.now();
  const rows = await ctx.db.$transaction(
    unique.map((userId) =>
      ctx.db.notification.create({
        data: { userId, type: n.type, title: n.title.slice(0, 200), body: (n.body ?? "").slice(0, 1000), link: n.link ?? "", createdAt: now },
      }),
    ),
  );
  for (const r of rows) {
    await ctx.bus.publish("notification.created", {
      userId: r.userId,
      notification: { id: r.id, type: r.type, title: r.title, body: r.body, link: r.link, createdAt: r.createdAt.toISOString() },
    });
  }
}

interface NotificationRow { id: string; type: string; title: string; body: string; link: string; createdAt: Date; readAt: Date | null }
const LIST_SQL = `SELECT "id", "type", "title", "body", "link", "createdAt", "readAt" FROM "Notification" WHERE "userId" = ? ORDER BY "createdAt" DESC, "id" DESC LIMIT ?`;

/** Every page's header shows it: prepared SQL (server/db-reads.ts). */
export async function unreadCount(ctx: Ctx, actor: Actor): Promise<number> {
  if (!ctx.reads) return ctx.db.notification.count({ where: { userId: actor.id, readAt: null } });
  return Number((await ctx.reads.one<{ n: number }>(`SELECT COUNT(*) AS "n" FROM "Notification" WHERE "userId" = ? AND "readAt" IS NULL`, actor.id))?.n ?? 0);
}

export async function listNotifications(ctx: Ctx, actor: Actor, opts: { limit?: number } = {}) {
  const take = Math.min(opts.limit ?? 50, 200);
  // The home page and /notifications read it on every view: prepared SQL when the context has it.
  const rows = ctx.reads
    ? (await ctx.reads.all<Omit<NotificationRow, "createdAt" | "readAt"> & { createdAt: unknown; readAt: unknown }>(LIST_SQL, actor.id, take)).map((r) => ({
        ...r,
        createdAt: sqlDate(r.createdAt),
        readAt: r.readAt == null ? null : sqlDate(r.readAt),
      }))
    : await ctx.db.notification.findMany({
        where: { userId: actor.id },
        // Same-millisecond rows: newest id first (cuids grow), so both databases give one order.
        orderBy: [{ createdAt: "desc" }, { id: "desc" }],
        take,
        select: { id: true, type: true, title: true, body: true, link: true, createdAt: true, readAt: true },
      });
  const shown = await presentThroughPolicy(ctx, actor, rows);
  return shown.map((r) => ({ ...r, createdAt: r.createdAt.toISOString(), readAt: r.readAt?.toISOString() ?? null }));
}

// A document's page, not one of the documents pages that share its prefix (a space, the trash).
const DOC_LINK = /^\/docs\/(?!(?:spaces|trash)(?:[/?#]|$))([^/?#]+)/;
const NO_LONGER_OPEN = "A document you can no longer open";

/**
 * A notification's title and body quote what it is about ("shared “Q3 plan” with you"); they were
 * true when written. At read time each one linking to a document is checked against the policy
 * again: if the reader may no longer open that document (share removed, made private, trashed), the
 * quote is withheld.
 */
async function presentThroughPolicy<T extends { link: string; title: string; body: string }>(ctx: Ctx, actor: Actor, rows: T[]): Promise<T[]> {
  const docIds = [...new Set(rows.map((r) => DOC_LINK.exec(r.link)?.[1]).filter((id): id is string => !!id))];
  if (!docIds.length) return rows;
  const readable = new Map<string, boolean>();
  for (const id of docIds) readable.set(id, (await accessForUser(ctx, actor.id, id)).role !== "none");
  return rows.map((r) => {
    const id = DOC_LINK.exec(r.link)?.[1];
    return id && !readable.get(id) ? { ...r, title: NO_LONGER_OPEN, body: "" } : r;
  });
}

export async function markRead(ctx: Ctx, actor: Actor, notificationId: string) {
  const n = await ctx.db.notification.findUnique({ where: { id: notificationId }, select: { userId: true } });
  if (!n) throw new NotFoundError("That notification");
  authorize(actor, "notification.read", { userId: n.userId });
  await ctx.db.notification.update({ where: { id: notificationId }, data: { readAt: ctx.clock.now() } });
  await ctx.bus.publish("notification.read", { userId: actor.id, unread: await unreadCount(ctx, actor) });
}

export async function markAllRead(ctx: Ctx, actor: Actor) {
  await ctx.db.notification.updateMany({ where: { userId: actor.id, readAt: null }, data: { readAt: ctx.clock.now() } });
  await ctx.bus.publish("notification.read", { userId: actor.id, unread: 0 });
}

/**
 * The person opened a page: their unread notifications that link to it are read now. A link
 * matches when its path and query equal the page's (its #fragment only scrolls within the
 * page). Only the actor's own notifications are touched; the bell in every tab follows.
 */
export async function markReadForPage(ctx: Ctx, actor: Actor, page: string): Promise<number> {
  const target = pageKey(page);
  if (!target) return 0;
  const path = target.split("?")[0];
  // Runs on every page view, nearly always finding nothing: prepared SQL (server/db-reads.ts).
  // The prefix tests compare with substr rather than LIKE, whose wildcards a path could contain.
  const candidates = ctx.reads
    ? await ctx.reads.all<{ id: string; userId: string; link: string }>(
        `SELECT "id", "userId", "link" FROM "Notification" WHERE "userId" = ? AND "readAt" IS NULL
         AND ("link" = ? OR substr("link", 1, ?) = ? OR substr("link", 1, ?) = ?)`,
        actor.id, path, path.length + 1, `${path}?`, path.length + 1, `${path}#`,
      )
    : await ctx.db.notification.findMany({
        where: { userId: actor.id, readAt: null, OR: [{ link: path }, { link: { startsWith: `${path}?` } }, { link: { startsWith: `${path}#` } }] },
        select: { id: true, userId: true, link: true },
      });
  const ids = candidates.filter((n) => can(actor, "notification.read", { userId: n.userId }) && pageKey(n.link) === target).map((n) => n.id);
  if (!ids.length) return 0;
  const { count } = await ctx.db.notification.updateMany({ where: { id: { in: ids }, userId: actor.id, readAt: null }, data: { readAt: ctx.clock.now() } });
  if (count) await ctx.bus.publish("notification.read", { userId: actor.id, unread: await unreadCount(ctx, actor) });
  return count;
}

/** "/questions/q1?x=1#a2" → "/questions/q1?x=1"; null for anything that is not a same-site path. */
function pageKey(link: string): string | null {
  if (typeof link !== "string" || !link.startsWith("/") || link.startsWith("//") || link.length > 2000) return null;
  try {
    const u = new URL(link, "http://atrium.invalid");
    u.searchParams.delete("_data"); // Remix's data requests carry the route id
    u.searchParams.sort();
    const q = u.searchParams.toString();
    return `${u.pathname}${q ? `?${q}` : ""}`;
  } catch {
    return null;
  }
}
