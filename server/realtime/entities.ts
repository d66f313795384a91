/**
 * Live pages: a page that shows an entity (an insight, a question, a document, a person) joins
 * its room with `entity.watch`; the policy decides the join. Domain events, published after
 * their transaction commits, become "entity.changed" notices in those rooms, and the page
 * revalidates its loader. Each notice re-asks the policy for every watcher, so someone whose
 * access was revoked is dropped from the room instead of being told.
 */
import type { EntityRef } from "../../app/schemas/entities.js";
import { EntityRefSchema } from "../../app/schemas/entities.js";
import type { Ctx } from "../domain/context.js";
import { canWatchEntity } from "../domain/entities.js";
import type { AtriumIo } from "./socket-server.js";

export const entityRoom = (ref: EntityRef) => `entity:${ref.type}:${ref.id}`;

/** A tab shows a handful of entities; the cap stops a client from joining rooms without end. */
const MAX_WATCHES_PER_SOCKET = 50;

export function attachEntityWatch(io: AtriumIo, ctx: Ctx): void {
  io.on("connection", (socket) => {
    socket.on("entity.watch", async (raw, ack) => {
      const reply = (ok: boolean) => (typeof ack === "function" ? ack({ ok }) : undefined);
      try {
        const parsed = EntityRefSchema.safeParse(raw);
        if (!parsed.success) return reply(false);
        const room = entityRoom(parsed.data);
        const watching = [...socket.rooms].filter((r) => r.startsWith("entity:")).length;
        // Watching again what the socket already watches (a page revalidating) takes no new place.
        if (!socket.rooms.has(room) && watching >= MAX_WATCHES_PER_SOCKET) return reply(false);
        if (!(await canWatchEntity(ctx, socket.data.userId, parsed.data))) return reply(false);
        await socket.join(room);
        reply(true);
      } catch {
        reply(false);
      }
    });
    socket.on("entity.unwatch", (raw) => {
      const parsed = EntityRefSchema.safeParse(raw);
      if (parsed.success) void socket.leave(entityRoom(parsed.data));
    });
  });

  const changed = async (ref: EntityRef) => {
    const room = entityRoom(ref);
    const sockets = await io.local.in(room).fetchSockets();
    if (!sockets.length) return;
    const verdicts = new Map<string, Promise<boolean>>();
    for (const s of sockets) {
      const userId = s.data.userId;
      if (!verdicts.has(userId)) verdicts.set(userId, canWatchEntity(ctx, userId, ref).catch(() => false));
      if (await verdicts.get(userId)) s.emit("entity.changed", ref);
      else {
        s.leave(room);
        s.emit("entity.revoked", ref);
      }
    }
  };
  const on = (type: EntityRef["type"], id: string) => changed({ type, id });

  ctx.bus.subscribe("insight.routed", (p) => on("insight", p.insight.id));
  ctx.bus.subscribe("insight.updated", (p) => on("insight", p.insight.id));

  ctx.bus.subscribe("question.answered", (p) => on("question", p.questionId));
  ctx.bus.subscribe("question.commented", (p) => on("question", p.questionId));
  ctx.bus.subscribe("question.voted", (p) => on("question", p.questionId));
  ctx.bus.subscribe("question.accepted", (p) => on("question", p.questionId));
  ctx.bus.subscribe("question.updated", (p) => on("question", p.questionId));
  ctx.bus.subscribe("question.routed", (p) => on("question", p.questionId));

  ctx.bus.subscribe("doc.updated", (p) => on("doc", p.docId));
  ctx.bus.subscribe("doc.edited", (p) => on("doc", p.docId));
  ctx.bus.subscribe("doc.access.changed", async (p) => void (await Promise.all(p.docIds.map((id) => on("doc", id)))));

  ctx.bus.subscribe("person.updated", (p) => on("person", p.userId));
  ctx.bus.subscribe("person.status", (p) => on("person", p.userId));
  ctx.bus.subscribe("person.deactivated", (p) => on("person", p.userId));
  ctx.bus.subscribe("person.presence", (p) => on("person", p.userId));
}
