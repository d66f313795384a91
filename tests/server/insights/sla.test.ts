import { expect, test } from "vitest";
import { deadlines, dueBreaches, slaTimers, type SlaFields } from "../../../server/domain/sla.js";
import { formatDuration, parseDuration } from "../../../app/schemas/insights.js";

const t0 = new Date("2026-11-23T09:00:00Z");
const at = (min: number) => new Date(t0.getTime() + min * 60_000);
const insight = (over: Partial<SlaFields> = {}): SlaFields => ({
  status: "new",
  createdAt: t0,
  ...deadlines(t0, { ackWithinMinutes: 30, resolveWithinMinutes: 240 }),
  acknowledgedAt: null,
  resolvedAt: null,
  ackBreachedAt: null,
  resolveBreachedAt: null,
  ...over,
});

test("deadlines are counted from the start", () => {
  const d = deadlines(t0, { ackWithinMinutes: 30, resolveWithinMinutes: 240 });
  expect(d.ackDueAt.toISOString()).toBe("2026-11-23T09:30:00.000Z");
  expect(d.resolveDueAt.toISOString()).toBe("2026-11-23T13:00:00.000Z");
});

test("nothing is due before the deadline; the ack deadline at its exact moment", () => {
  expect(dueBreaches(insight(), at(29))).toEqual({ ack: false, resolve: false });
  expect(dueBreaches(insight(), at(30))).toEqual({ ack: true, resolve: false });
  expect(dueBreaches(insight(), at(241))).toEqual({ ack: true, resolve: true });
});

test("acknowledging stops the acknowledgement clock but not the resolution clock", () => {
  const acked = insight({ status: "acknowledged", acknowledgedAt: at(10) });
  expect(dueBreaches(acked, at(60))).toEqual({ ack: false, resolve: false });
  expect(dueBreaches(acked, at(300))).toEqual({ ack: false, resolve: true });
  const timers = slaTimers(acked);
  expect(timers.ack.state).toBe("met");
  expect(timers.resolve.state).toBe("running");
});

test("resolved or declined insights never breach; a breach is recorded once", () => {
  expect(dueBreaches(insight({ status: "resolved", acknowledgedAt: at(1), resolvedAt: at(2) }), at(1000))).toEqual({ ack: false, resolve: false });
  expect(dueBreaches(insight({ status: "declined", resolvedAt: at(2) }), at(1000))).toEqual({ ack: false, resolve: false });
  expect(dueBreaches(insight({ ackBreachedAt: at(31) }), at(60))).toEqual({ ack: false, resolve: false });
  const t = slaTimers(insight({ ackBreachedAt: at(31) }));
  expect(t.ack.state).toBe("breached");
});

test("durations: 30m, 4h, 1d2h, bare minutes", () => {
  expect(parseDuration("30m")).toBe(30);
  expect(parseDuration("4h")).toBe(240);
  expect(parseDuration("1d 2h")).toBe(1560);
  expect(parseDuration("45")).toBe(45);
  expect(parseDuration("soon")).toBeNull();
  expect(parseDuration("4x")).toBeNull();
  expect(formatDuration(1560)).toBe("1d 2h");
  expect(formatDuration(90)).toBe("1h 30m");
});

test("every open state runs both clocks; the resolution deadline is due at its exact moment and recorded once", () => {
  expect(dueBreaches(insight({ status: "in_progress" }), at(30))).toEqual({ ack: true, resolve: false });
  expect(dueBreaches(insight({ status: "acknowledged" }), at(30))).toEqual({ ack: true, resolve: false });
  expect(dueBreaches(insight(), at(239))).toEqual({ ack: true, resolve: false });
  expect(dueBreaches(insight(), at(240))).toEqual({ ack: true, resolve: true });
  expect(dueBreaches(insight({ ackBreachedAt: at(30), resolveBreachedAt: at(240) }), at(1000))).toEqual({ ack: false, resolve: false });
  expect(dueBreaches(insight({ resolveBreachedAt: at(240) }), at(1000))).toEqual({ ack: true, resolve: false });
});

test("an insight without deadlines never breaches and shows no timers", () => {
  const none = insight({ ackDueAt: null, resolveDueAt: null });
  expect(dueBreaches(none, at(100_000))).toEqual({ ack: false, resolve: false });
  const off = { state: "none", dueAt: null, stoppedAt: null, breachedAt: null };
  expect(slaTimers(none)).toEqual({ ack: off, resolve: off });
  expect(slaTimers({ ...none, status: "resolved", acknowledgedAt: at(1), resolvedAt: at(2), ackBreachedAt: at(3) })).toEqual({ ack: off, resolve: off });
});

test("timers: running, met when the clock stopped (acknowledged, or closed without acknowledgement), breached with when", () => {
  const iso = (min: number) => at(min).toISOString();
  const ackDue = iso(30);
  const resolveDue = iso(240);
  expect(slaTimers(insight())).toEqual({
    ack: { state: "running", dueAt: ackDue, stoppedAt: null, breachedAt: null },
    resolve: { state: "running", dueAt: resolveDue, stoppedAt: null, breachedAt: null },
  });
  expect(slaTimers(insight({ status: "in_progress" })).ack).toEqual({ state: "running", dueAt: ackDue, stoppedAt: null, breachedAt: null });
  expect(slaTimers(insight({ status: "in_progress", acknowledgedAt: at(10) }))).toEqual({
    ack: { state: "met", dueAt: ackDue, stoppedAt: iso(10), breachedAt: null },
    resolve: { state: "running", dueAt: resolveDue, stoppedAt: null, breachedAt: null },
  });
  // Declined without acknowledgement: both clocks stop when work stopped.
  expect(slaTimers(insight({ status: "declined", resolvedAt: at(20) }))).toEqual({
    ack: { state: "met", dueAt: ackDue, stoppedAt: iso(20), breachedAt: null },
    resolve: { state: "met", dueAt: resolveDue, stoppedAt: iso(20), breachedAt: null },
  });
  expect(slaTimers(insight({ status: "resolved", acknowledgedAt: at(10), resolvedAt: at(100) }))).toEqual({
    ack: { state: "met", dueAt: ackDue, stoppedAt: iso(10), breachedAt: null },
    resolve: { state: "met", dueAt: resolveDue, stoppedAt: iso(100), breachedAt: null },
  });
  // Breached while open: still counting, no stop yet.
  expect(slaTimers(insight({ ackBreachedAt: at(31), resolveBreachedAt: at(241) }))).toEqual({
    ack: { state: "breached", dueAt: ackDue, stoppedAt: null, breachedAt: iso(31) },
    resolve: { state: "breached", dueAt: resolveDue, stoppedAt: null, breachedAt: iso(241) },
  });
  // Breached, then acknowledged and resolved late.
  expect(slaTimers(insight({ status: "resolved", acknowledgedAt: at(40), resolvedAt: at(300), ackBreachedAt: at(31), resolveBreachedAt: at(241) }))).toEqual({
    ack: { state: "breached", dueAt: ackDue, stoppedAt: iso(40), breachedAt: iso(31) },
    resolve: { state: "breached", dueAt: resolveDue, stoppedAt: iso(300), breachedAt: iso(241) },
  });
});

test("deadlines count minutes from the moment given", () => {
  expect(deadlines(at(10), { ackWithinMinutes: 1, resolveWithinMinutes: 90 })).toEqual({ ackDueAt: at(11), resolveDueAt: at(100) });
});
