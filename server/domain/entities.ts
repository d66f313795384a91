/**
 * "May this person see that entity?" for live updates: the entity.watch room join and every
 * notice sent to a watcher ask here, so revoked access stops the notices at once. The answers
 * come from the one policy (server/policy.ts); this file only loads what the rules need.
 */
import type { EntityRef } from "../../app/schemas/entities.js";
import { can, type Actor, type Role } from "../policy.js";
import type { Ctx } from "./context.js";
import { accessForUser } from "./docs.js";

async function actorOf(ctx: Ctx, userId: string): Promise<Actor | null> {
  const u = await ctx.db.user.findUnique({ where: { id: userId }, select: { id: true, role: true, departmentId: true, active: true } });
  return u ? { id: u.id, role: u.role as Role, departmentId: u.departmentId, active: u.active } : null;
}

/** True when the person (by id) may see the entity now; false for unknown people or entities. */
export async function canWatchEntity(ctx: Ctx, userId: string, ref: EntityRef): Promise<boolean> {
  const actor = await actorOf(ctx, userId);
  if (!actor) return false;
  switch (ref.type) {
    case "insight": {
      const row = await ctx.db.insight.findUnique({ where: { id: ref.id }, select: { id: true } });
      return !!row && can(actor, "insight.view", null);
    }
    case "question": {
      const q = await ctx.db.question.findUnique({ where: { id: ref.id }, select: { authorId: true, deletedAt: true } });
      return !!q && can(actor, "question.view", { authorId: q.authorId, deleted: !!q.deletedAt });
    }
    case "doc":
      return actor.active && (await accessForUser(ctx, userId, ref.id)).role !== "none";
    case "person": {
      const p = await ctx.db.user.findUnique({ where: { id: ref.id }, select: { id: true } });
      return !!p && can(actor, "person.view", { id: p.id });
    }
  }
}
