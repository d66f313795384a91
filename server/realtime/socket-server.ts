import type { Server as HttpServer } from "node:http";
import { Server } from "socket.io";
import type { ClientToServerEvents, ServerToClientEvents, SocketData } from "../../app/realtime/events.js";
import type { Ctx } from "../domain/context.js";
import type { Domain } from "../domain/index.js";
import { readSessionToken } from "../http/cookies.js";
import { attachInsightRealtime } from "./insights.js";
import type { Presence } from "./presence.js";

export type AtriumIo = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

export const userRoom = (id: string) => `user:${id}`;
export const sessionRoom = (id: string) => `session:${id}`;

/**
 * Socket.io on the same http.Server as the pages. A socket authenticates with the same session
 * cookie as HTTP; without a live session the handshake is refused.
 */
export function attachRealtime(http: HttpServer, ctx: Ctx, domain: Domain, presence: Presence): AtriumIo {
  const io: AtriumIo = new Server(http, {
    serveClient: false,
    pingInterval: 10_000,
    pingTimeout: 8_000,
    // Browsers always send Origin: a page on another site may not open a socket with our cookie.
    allowRequest: (req, callback) => {
      const origin = req.headers.origin;
      if (!origin) return callback(null, true);
      let host = "";
      try {
        host = new URL(origin).host;
      } catch {
        /* malformed → refused */
      }
      callback(null, host === req.headers.host);
    },
    // Documents: room for an oversized Yjs update to be refused with a reason rather
    // than the connection being dropped by Socket.io itself.
    maxHttpBufferSize: Math.max(1e6, ctx.env.DOC_MAX_UPDATE_BYTES * 2),
  });

  io.use(async (socket, next) => {
    try {
      const auth = await domain.accounts.authenticate(readSessionToken(socket.handshake.headers.cookie));
      if (!auth) return next(new Error("unauthenticated"));
      socket.data.userId = auth.actor.id;
      socket.data.sessionId = auth.sessionId;
      socket.data.expiresAt = auth.expiresAt.getTime();
      next();
    } catch (err) {
      next(err as Error);
    }
  });

  attachInsightRealtime(io, ctx);

  io.on("connection", (socket) => {
    const { userId, sessionId } = socket.data;
    void socket.join([userRoom(userId), sessionRoom(sessionId)]);
    socket.emit("presence.snapshot", presence.snapshot());
    presence.connect(userId, socket.id);
    socket.on("presence.idle", (idle) => presence.setIdle(socket.id, idle === true));
    // The handshake checked the session; a long-lived socket must still end when the session does.
    const ttl = Math.min(socket.data.expiresAt - ctx.clock.now().getTime(), 2 ** 31 - 1);
    const expiry = setTimeout(() => {
      socket.emit("session.ended", { reason: "expired" });
      socket.disconnect(true);
    }, Math.max(ttl, 0));
    socket.on("disconnect", () => {
      clearTimeout(expiry);
      presence.disconnect(socket.id);
    });
  });

  // Every instance hears every event and tells its own sockets (io.local), decision 125.
  const endUser = (userId: string, reason: "signed-out" | "deactivated") => {
    io.local.to(userRoom(userId)).emit("session.ended", { reason });
    io.local.in(userRoom(userId)).disconnectSockets(true);
    presence.forget(userId);
  };

  ctx.bus.subscribe("person.status", (p) => void io.local.emit("person.status", p));
  ctx.bus.subscribe("person.updated", (p) => void io.local.emit("person.updated", p));
  ctx.bus.subscribe("notification.created", async (p) => {
    const unread = await ctx.db.notification.count({ where: { userId: p.userId, readAt: null } });
    io.local.to(userRoom(p.userId)).emit("notification.created", { notification: p.notification, unread });
  });
  ctx.bus.subscribe("notification.read", (p) => void io.local.to(userRoom(p.userId)).emit("notification.read", { unread: p.unread }));
  ctx.bus.subscribe("person.deactivated", (p) => endUser(p.userId, "deactivated"));
  ctx.bus.subscribe("session.rotated", async (p) => {
    for (const socket of await io.local.in(sessionRoom(p.from)).fetchSockets()) {
      if (socket.data.userId !== p.userId) continue;
      socket.data.sessionId = p.to;
      socket.join(sessionRoom(p.to));
      socket.leave(sessionRoom(p.from));
    }
  });
  ctx.bus.subscribe("session.revoked", (p) => {
    if (p.sessionIds === "all") return endUser(p.userId, "signed-out");
    for (const sid of p.sessionIds) {
      io.local.to(sessionRoom(sid)).emit("session.ended", { reason: "signed-out" });
      io.local.in(sessionRoom(sid)).disconnectSockets(true);
    }
  });

  return io;
}
