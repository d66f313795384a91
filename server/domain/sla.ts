import { notAVerb } from "./context.js";
/**
 * SLA arithmetic (pure): deadlines from minutes, the state of a timer at a moment, and which
 * deadlines an insight has missed. The scheduler in server/insights/sla-scheduler.ts applies it.
 */
import type { InsightStatus } from "../../app/schemas/insights.js";
import type { Ctx } from "./context.js";
import { presentSummary, SUMMARY_SELECT } from "./insight-presenters.js";
import { notify } from "./notifications.js";

export interface SlaFields {
  status: string;
  createdAt: Date;
  ackDueAt: Date | null;
  resolveDueAt: Date | null;
  acknowledgedAt: Date | null;
  resolvedAt: Date | null;
  ackBreachedAt: Date | null;
  resolveBreachedAt: Date | null;
}

export const addMinutes = (d: Date, minutes: number) => new Date(d.getTime() + minutes * 60_000);

export function deadlines(from: Date, sla: { ackWithinMinutes: number; resolveWithinMinutes: number }) {
  return { ackDueAt: addMinutes(from, sla.ackWithinMinutes), resolveDueAt: addMinutes(from, sla.resolveWithinMinutes) };
}

const isOpen = (s: string) => s === "new" || s === "acknowledged" || s === "in_progress";

/** Which breaches are due now and not yet recorded. The acknowledgement clock stops at acknowledgement. */
export function dueBreaches(i: SlaFields, now: Date): { ack: boolean; resolve: boolean } {
  const open = isOpen(i.status);
  return {
    ack: open && !i.acknowledgedAt && !i.ackBreachedAt && !!i.ackDueAt && i.ackDueAt <= now,
    resolve: open && !i.resolveBreachedAt && !!i.resolveDueAt && i.resolveDueAt <= now,
  };
}

export type TimerState = "running" | "met" | "breached" | "none";

export interface SlaTimer {
  state: TimerState;
  dueAt: string | null;
  /** When the clock stopped (acknowledged / resolved), if it did. */
  stoppedAt: string | null;
  breachedAt: string | null;
}

/** What the page shows for each clock; the browser counts down from dueAt while "running". */
export function slaTimers(i: SlaFields): { ack: SlaTimer; resolve: SlaTimer } {
  const iso = (d: Date | null) => d?.toISOString() ?? null;
  const timer = (dueAt: Date | null, stoppedAt: Date | null, breachedAt: Date | null, stops: boolean): SlaTimer => {
    if (!dueAt) return { state: "none", dueAt: null, stoppedAt: null, breachedAt: null };
    if (breachedAt) return { state: "breached", dueAt: iso(dueAt), stoppedAt: iso(stoppedAt), breachedAt: iso(breachedAt) };
    if (stops) return { state: "met", dueAt: iso(dueAt), stoppedAt: iso(stoppedAt), breachedAt: null };
    return { state: "running", dueAt: iso(dueAt), stoppedAt: null, breachedAt: null };
  };
  const status = i.status as InsightStatus;
  const ackStopped = !!i.acknowledgedAt || !isOpen(status);
  const resolveStopped = !isOpen(status);
  return {
    ack: timer(i.ackDueAt, i.acknowledgedAt ?? (ackStopped ? i.resolvedAt : null), i.ackBreachedAt, ackStopped),
    resolve: timer(i.resolveDueAt, resolveStopped ? i.resolvedAt : null, i.resolveBreachedAt, resolveStopped),
  };
}

// ---------------------------------------------------------------------------------------------
// The sweep: marks missed deadlines and escalates to team leads. Run by SlaScheduler
// (server/insights/sla-scheduler.ts) at start and then periodically; deadlines live in the
// database, so a restart loses nothing.
// ---------------------------------------------------------------------------------------------

const SWEEP_BATCH = 200;

export async function sweepSlaBreaches(ctx: Ctx, now: Date = ctx.clock.now()) {
  const breached: { id: string; kind: "ack" | "resolve" }[] = [];
  for (;;) {
    const due = await ctx.db.insight.findMany({
      where: {
        status: { in: ["new", "acknowledged", "in_progress"] },
        OR: [
          { acknowledgedAt: null, ackBreachedAt: null, ackDueAt: { lte: now } },
          { resolveBreachedAt: null, resolveDueAt: { lte: now } },
        ],
      },
      orderBy: { createdAt: "asc" },
      take: SWEEP_BATCH,
      select: {
        id: true,
        status: true,
        createdAt: true,
        ackDueAt: true,
        resolveDueAt: true,
        acknowledgedAt: true,
        resolvedAt: true,
        ackBreachedAt: true,
        resolveBreachedAt: true,
      },
    });
    for (const i of due) {
      const b = dueBreaches(i, now);
      // Conditional updates: two instances (or an overlapping sweep) cannot escalate twice.
      if (b.ack) {
        const r = await ctx.db.insight.updateMany({ where: { id: i.id, acknowledgedAt: null, ackBreachedAt: null }, data: { ackBreachedAt: now } });
        if (r.count) {
          breached.push({ id: i.id, kind: "ack" });
          await escalate(ctx, i.id, "ack", i.ackDueAt!, now);
        }
      }
      if (b.resolve) {
        const r = await ctx.db.insight.updateMany({
          where: { id: i.id, resolveBreachedAt: null, status: { in: ["new", "acknowledged", "in_progress"] } },
          data: { resolveBreachedAt: now },
        });
        if (r.count) {
          breached.push({ id: i.id, kind: "resolve" });
          await escalate(ctx, i.id, "resolve", i.resolveDueAt!, now);
        }
      }
    }
    if (due.length < SWEEP_BATCH) break;
  }
  return breached;
}

async function escalate(ctx: Ctx, id: string, kind: "ack" | "resolve", dueAt: Date, now: Date) {
  const row = await ctx.db.insight.findUnique({ where: { id }, select: SUMMARY_SELECT });
  if (!row) return;
  const leads = await ctx.db.user.findMany({
    where: { id: { in: row.routes.map((r) => r.team.leadId).filter((x): x is string => !!x) }, active: true },
    select: { id: true, name: true },
  });
  const what = kind === "ack" ? "acknowledged" : "resolved";
  await ctx.db.insightEvent.create({
    data: {
      insightId: id,
      type: kind === "ack" ? "ack_breached" : "resolve_breached",
      note: `Not ${what} by ${dueAt.toISOString()}. ${leads.length ? `Escalated to ${leads.map((l) => l.name).join(", ")}.` : "No team lead to escalate to."}`,
      createdAt: now,
    },
  });
  const summary = presentSummary(row);
  await ctx.bus.publish("insight.updated", { insight: summary, teamIds: row.routes.map((r) => r.teamId), change: `${kind}_breached` });
  const teams = row.routes.map((r) => r.team.name).join(", ");
  await notify(ctx, leads.map((l) => l.id), {
    type: "insight.escalated",
    title: `SLA missed: an insight for ${teams} was not ${what} in time`,
    body: row.text.slice(0, 300),
    link: `/insights/${id}`,
  });
  if (row.postedById && !leads.some((l) => l.id === row.postedById)) {
    await notify(ctx, [row.postedById], {
      type: "insight.breached",
      title: `The insight you posted was not ${what} within its SLA; it was escalated`,
      link: `/insights/${id}`,
    });
  }
}

// Pure helpers, not verbs: createDomain must not bind them to the context.
for (const helper of [addMinutes, deadlines, dueBreaches, slaTimers]) notAVerb(helper);
