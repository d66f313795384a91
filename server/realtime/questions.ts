/**
 * Q&A over Socket.io: a room per question (question:<id>) that a socket joins after the policy
 * says its person may see the question; domain events fan out to the room after their
 * transaction committed; "… is answering" signals are volatile and throttled.
 */
import { ANSWERING_THROTTLE_MS } from "../../app/realtime/events.js";
import type { Ctx } from "../domain/context.js";
import { can, type Actor, type Role } from "../policy.js";
import type { AtriumIo } from "./socket-server.js";

export const questionRoom = (id: string) => `question:${id}`;

/** Server-side floor for typing signals, a little under the client's own throttle. */
const TYPING_MIN_INTERVAL_MS = ANSWERING_THROTTLE_MS / 2;

export function attachQuestionsRealtime(io: AtriumIo, ctx: Ctx): void {
  io.on("connection", (socket) => {
    const lastTyping = new Map<string, number>();
    let name: string | null = null;

    socket.on("question.join", async (questionId, ack) => {
      const reply = (ok: boolean) => (typeof ack === "function" ? ack({ ok }) : undefined);
      try {
        if (typeof questionId !== "string" || !questionId || questionId.length > 60) return reply(false);
        const [user, q] = await Promise.all([
          ctx.db.user.findUnique({ where: { id: socket.data.userId }, select: { id: true, name: true, role: true, departmentId: true, active: true } }),
          ctx.db.question.findUnique({ where: { id: questionId }, select: { authorId: true, deletedAt: true } }),
        ]);
        if (!user || !q) return reply(false);
        const actor: Actor = { id: user.id, role: user.role as Role, departmentId: user.departmentId, active: user.active };
        if (!can(actor, "question.view", { authorId: q.authorId, deleted: !!q.deletedAt })) return reply(false);
        name = user.name;
        await socket.join(questionRoom(questionId));
        reply(true);
      } catch {
        reply(false);
      }
    });

    socket.on("question.leave", (questionId) => {
      if (typeof questionId === "string") void socket.leave(questionRoom(questionId));
    });

    socket.on("question.typing", (questionId) => {
      if (typeof questionId !== "string" || !name) return;
      const room = questionRoom(questionId);
      if (!socket.rooms.has(room)) return;
      const now = Date.now();
      if (now - (lastTyping.get(questionId) ?? 0) < TYPING_MIN_INTERVAL_MS) return;
      lastTyping.set(questionId, now);
      socket.to(room).volatile.emit("question.answering", { questionId, userId: socket.data.userId, name });
    });
  });

  ctx.bus.subscribe("question.asked", (p) => void io.local.emit("question.asked", p));
  ctx.bus.subscribe("question.answered", (p) => void io.local.to(questionRoom(p.questionId)).emit("question.answered", p));
  ctx.bus.subscribe("question.commented", (p) => void io.local.to(questionRoom(p.questionId)).emit("question.commented", p));
  ctx.bus.subscribe("question.voted", (p) => void io.local.to(questionRoom(p.questionId)).emit("question.voted", p));
  ctx.bus.subscribe("question.accepted", (p) => void io.local.to(questionRoom(p.questionId)).emit("question.accepted", p));
  ctx.bus.subscribe("question.updated", (p) => void io.local.to(questionRoom(p.questionId)).emit("question.updated", p));
}
