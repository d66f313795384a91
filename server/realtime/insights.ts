/**
 * Insight delivery over Socket.io. At the handshake a socket learns its person's teams and joins
 * team:<id> rooms; insight.routed / insight.updated go to the routed teams' rooms and to the
 * "insights:feed" room of people watching the company-wide feed.
 */
import type { Ctx } from "../domain/context.js";
import type { AtriumIo } from "./socket-server.js";
import { userRoom } from "./socket-server.js";

export const teamRoom = (id: string) => `team:${id}`;
export const FEED_ROOM = "insights:feed";

async function teamsOf(ctx: Ctx, userId: string) {
  const rows = await ctx.db.teamMembership.findMany({ where: { userId }, select: { teamId: true } });
  return rows.map((r) => r.teamId);
}

/** Call after the authentication middleware is registered (it needs socket.data.userId). */
export function attachInsightRealtime(io: AtriumIo, ctx: Ctx) {
  // Team ids are loaded before "connection", so the rooms are joined before any event can be missed.
  io.use(async (socket, next) => {
    try {
      socket.data.teamIds = await teamsOf(ctx, socket.data.userId);
      next();
    } catch (err) {
      next(err as Error);
    }
  });

  io.on("connection", (socket) => {
    void socket.join((socket.data.teamIds ?? []).map(teamRoom));
    socket.on("insights.watch", (on) => {
      if (on === true) void socket.join(FEED_ROOM);
      else void socket.leave(FEED_ROOM);
    });
  });

  ctx.bus.subscribe("insight.routed", (p) => {
    io.local.to([...p.teamIds.map(teamRoom), FEED_ROOM]).emit("insight.routed", p);
  });
  ctx.bus.subscribe("insight.updated", (p) => {
    io.local.to([...p.teamIds.map(teamRoom), FEED_ROOM]).emit("insight.updated", p);
  });

  // Team changes while connected (an admin adds someone to Finance Operations): re-sync rooms.
  ctx.bus.subscribe("person.updated", async ({ userId }) => {
    const sockets = await io.local.in(userRoom(userId)).fetchSockets();
    if (!sockets.length) return;
    const teamIds = await teamsOf(ctx, userId);
    for (const s of sockets) {
      for (const room of s.rooms) if (room.startsWith("team:") && !teamIds.includes(room.slice(5))) s.leave(room);
      s.join(teamIds.map(teamRoom));
      s.data.teamIds = teamIds;
    }
  });
}
