/**
 * The SLA sweep (sweepSlaBreaches) on insights written straight to the database with the deadlines
 * and states each case needs: which deadlines it marks and when, what an escalation records and
 * whom it tells, batches larger than one read, and two sweeps racing (or a person acting while a
 * sweep runs) never escalating twice or marking a clock that has stopped.
 */
import { afterEach, beforeEach, expect, test } from "vitest";
import type { Prisma } from "../../../server/generated/prisma/client.js";
import type { Ctx } from "../../../server/domain/context.js";
import { deadlines, sweepSlaBreaches } from "../../../server/domain/sla.js";
import { makeUser, startTestApp, type TestApp } from "../../helpers/app.js";
import { fakeClock, makeAdmin, makeTeam } from "./factories.js";

const MIN = 60_000;
let clock: ReturnType<typeof fakeClock>;
let app: TestApp;
let t0: Date;
// An app of its own per test: each sweep reads every insight there is.
beforeEach(async () => {
  clock = fakeClock();
  t0 = clock.now();
  app = await startTestApp({ clock, env: { INSIGHT_SLA_SWEEP_MS: "3600000" } });
});
afterEach(() => app.close());

const at = (min: number) => new Date(t0.getTime() + min * MIN);

/** An insight as the database holds it: due 30 minutes (ack) and 4 hours (resolve) after t0. */
function insightData(over: Partial<Prisma.InsightUncheckedCreateInput> = {}): Prisma.InsightUncheckedCreateInput {
  return {
    text: "Where is my refund? Nobody answers.",
    channel: "email",
    sentimentScore: -0.5,
    sentimentLabel: "negative",
    sentimentAuto: "negative",
    createdAt: t0,
    ...deadlines(t0, { ackWithinMinutes: 30, resolveWithinMinutes: 240 }),
    ...over,
  };
}
/** One posted a second after the one before (the sweep reads the oldest first). */
let posted = 0;
const makeInsight = (over: Partial<Prisma.InsightUncheckedCreateInput> = {}, teamIds: string[] = []) =>
  app.atrium.db.insight.create({
    data: { ...insightData({ createdAt: new Date(t0.getTime() + ++posted * 1000), ...over }), routes: { create: teamIds.map((teamId) => ({ teamId })) } },
  });

const sweep = (now: Date, ctx: Ctx = app.atrium.ctx) => sweepSlaBreaches(ctx, now);
const notes = (userId: string) => app.atrium.db.notification.findMany({ where: { userId }, orderBy: { createdAt: "asc" }, select: { type: true, title: true, body: true, link: true } });
const events = (insightId: string) => app.atrium.db.insightEvent.findMany({ where: { insightId }, orderBy: { createdAt: "asc" }, select: { type: true, note: true, createdAt: true } });

test("each deadline is marked once, at its exact moment; the escalation names the leads, tells them and the poster, and is published", async () => {
  const admin = await makeAdmin(app.atrium);
  const alpha = await makeTeam(app.atrium, admin.actor, "Alpha Desk");
  const beta = await makeTeam(app.atrium, admin.actor, "Beta Desk");
  const poster = await makeUser(app.atrium, { name: "Pat Poster" });
  const text = `Where is my refund? ${"Nobody answers. ".repeat(30)}`.trim();
  expect(text.length).toBeGreaterThan(300);
  const i = await makeInsight({ text, postedById: poster.user.id }, [alpha.team.id, beta.team.id]);
  const published: { insight: { id: string }; teamIds: string[]; change: string }[] = [];
  app.atrium.ctx.bus.subscribe("insight.updated", (p) => void published.push(p));

  expect(await sweep(at(29))).toEqual([]);
  expect(await sweep(at(30))).toEqual([{ id: i.id, kind: "ack" }]);
  expect(await sweep(at(30))).toEqual([]);
  expect(await sweep(at(239))).toEqual([]);
  expect(await sweep(at(240))).toEqual([{ id: i.id, kind: "resolve" }]);
  expect(await sweep(at(500))).toEqual([]);

  const row = await app.atrium.db.insight.findUniqueOrThrow({ where: { id: i.id } });
  expect([row.ackBreachedAt, row.resolveBreachedAt]).toEqual([at(30), at(240)]);
  const ev = await events(i.id);
  expect(ev.map((e) => [e.type, e.createdAt])).toEqual([
    ["ack_breached", at(30)],
    ["resolve_breached", at(240)],
  ]);
  const leadsNamed = (note: string, prefix: string) => {
    expect(note.startsWith(prefix)).toBe(true);
    return note.slice(prefix.length).replace(/\.$/, "").split(", ").sort();
  };
  expect(leadsNamed(ev[0]!.note, `Not acknowledged by ${at(30).toISOString()}. Escalated to `)).toEqual(["Alpha Desk Lead", "Beta Desk Lead"]);
  expect(leadsNamed(ev[1]!.note, `Not resolved by ${at(240).toISOString()}. Escalated to `)).toEqual(["Alpha Desk Lead", "Beta Desk Lead"]);

  for (const lead of [alpha.lead, beta.lead]) {
    expect(await notes(lead.user.id)).toEqual([
      { type: "insight.escalated", title: "SLA missed: an insight for Alpha Desk, Beta Desk was not acknowledged in time", body: text.slice(0, 300), link: `/insights/${i.id}` },
      { type: "insight.escalated", title: "SLA missed: an insight for Alpha Desk, Beta Desk was not resolved in time", body: text.slice(0, 300), link: `/insights/${i.id}` },
    ]);
  }
  expect(await notes(poster.user.id)).toEqual([
    { type: "insight.breached", title: "The insight you posted was not acknowledged within its SLA; it was escalated", body: "", link: `/insights/${i.id}` },
    { type: "insight.breached", title: "The insight you posted was not resolved within its SLA; it was escalated", body: "", link: `/insights/${i.id}` },
  ]);
  expect(published.map((p) => [p.insight.id, p.teamIds, p.change])).toEqual([
    [i.id, [alpha.team.id, beta.team.id], "ack_breached"],
    [i.id, [alpha.team.id, beta.team.id], "resolve_breached"],
  ]);
});

test("open insights are swept in every open state; closed ones, ones without deadlines and stopped clocks are not", async () => {
  const admin = await makeAdmin(app.atrium);
  const desk = await makeTeam(app.atrium, admin.actor, "Care Desk");
  const inProgress = await makeInsight({ status: "in_progress" }, [desk.team.id]);
  const acknowledged = await makeInsight({ status: "acknowledged", acknowledgedAt: at(5) }, [desk.team.id]);
  const ackMissedOnly = await makeInsight({ resolveBreachedAt: at(1) }, [desk.team.id]);
  await makeInsight({ status: "resolved", acknowledgedAt: at(5), resolvedAt: at(6) }, [desk.team.id]);
  await makeInsight({ status: "declined", resolvedAt: at(6) }, [desk.team.id]);
  await makeInsight({ ackDueAt: null, resolveDueAt: null }, [desk.team.id]);
  // Only a resolution clock (none for acknowledgement): only that one is marked.
  const resolveClockOnly = await makeInsight({ ackDueAt: null }, [desk.team.id]);

  const breached = await sweep(at(300));
  expect(breached).toEqual([
    { id: inProgress.id, kind: "ack" },
    { id: inProgress.id, kind: "resolve" },
    { id: acknowledged.id, kind: "resolve" },
    { id: ackMissedOnly.id, kind: "ack" },
    { id: resolveClockOnly.id, kind: "resolve" },
  ]);
  expect(await app.atrium.db.insight.count({ where: { ackBreachedAt: { not: null } } })).toBe(2);
  expect(await app.atrium.db.insight.count({ where: { resolveBreachedAt: { not: null } } })).toBe(4);
  expect(await sweep(at(400))).toEqual([]);
});

test("an inactive lead or a team without one is not escalated to; a poster who leads a routed team is told once, as its lead; no poster, no poster's note", async () => {
  const admin = await makeAdmin(app.atrium);
  const gone = await makeTeam(app.atrium, admin.actor, "Gone Desk");
  await app.atrium.db.user.update({ where: { id: gone.lead.user.id }, data: { active: false } });
  const leadless = await app.atrium.db.team.create({ data: { name: "Leadless Desk", slug: "leadless-desk" } });
  const here = await makeTeam(app.atrium, admin.actor, "Here Desk");
  const there = await makeTeam(app.atrium, admin.actor, "There Desk");
  const noLead = await makeInsight({}, [gone.team.id, leadless.id]);
  const byLead = await makeInsight({ postedById: here.lead.user.id }, [here.team.id, there.team.id]);

  expect(await sweep(at(30))).toEqual([
    { id: noLead.id, kind: "ack" },
    { id: byLead.id, kind: "ack" },
  ]);
  expect((await events(noLead.id)).map((e) => e.note)).toEqual([`Not acknowledged by ${at(30).toISOString()}. No team lead to escalate to.`]);
  expect((await events(byLead.id)).map((e) => e.note.replace("There Desk Lead, Here Desk Lead", "Here Desk Lead, There Desk Lead"))).toEqual([
    `Not acknowledged by ${at(30).toISOString()}. Escalated to Here Desk Lead, There Desk Lead.`,
  ]);
  expect(await notes(gone.lead.user.id)).toEqual([]);
  expect((await notes(here.lead.user.id)).map((n) => n.type)).toEqual(["insight.escalated"]);
  expect((await notes(there.lead.user.id)).map((n) => n.type)).toEqual(["insight.escalated"]);
  expect(await app.atrium.db.notification.count({ where: { type: "insight.breached" } })).toBe(0);
});

test("more due insights than one read holds are all marked, oldest first; closed and not-yet-due ones are never read as due", async () => {
  // Inserted newest first, so the order of posting is not the order of insertion.
  const due = Array.from({ length: 201 }, (_, k) => insightData({ id: `due-${String(k).padStart(3, "0")}`, createdAt: new Date(t0.getTime() - k * 1000) }));
  await app.atrium.db.insight.createMany({ data: due });
  // Rows a looser query would read every time round without marking them (an endless sweep).
  await app.atrium.db.insight.createMany({ data: Array.from({ length: 200 }, (_, k) => insightData({ id: `closed-${k}`, status: "declined", resolvedAt: at(1) })) });
  await app.atrium.db.insight.createMany({ data: Array.from({ length: 200 }, (_, k) => insightData({ id: `later-${k}`, ...deadlines(at(100), { ackWithinMinutes: 30, resolveWithinMinutes: 240 }) })) });
  await app.atrium.db.insight.createMany({ data: Array.from({ length: 200 }, (_, k) => insightData({ id: `acked-${k}`, status: "acknowledged", acknowledgedAt: at(1) })) });

  const breached = await sweep(at(31));
  expect(breached.map((b) => b.kind)).toEqual(Array(201).fill("ack"));
  expect(breached.map((b) => b.id)).toEqual(due.map((d) => d.id).reverse());
  // Once marked, the next sweep reads nothing more than a batch of what is already marked.
  expect(await sweep(at(32))).toEqual([]);
});

/**
 * A context whose first read of due insights waits until `readers` sweeps have read (two instances
 * sweeping at once), then runs `meanwhile` (someone acting between the read and the marking).
 */
function racingCtx(readers: number, meanwhile: () => Promise<unknown> = async () => undefined) {
  const base = app.atrium.ctx;
  let arrived = 0;
  let release!: () => void;
  const allRead = new Promise<void>((r) => (release = r));
  const insight = new Proxy(base.db.insight, {
    get(target, key) {
      if (key !== "findMany") return Reflect.get(target, key);
      return async (args: Prisma.InsightFindManyArgs) => {
        const rows = await target.findMany(args);
        if (++arrived === readers) {
          await meanwhile();
          release();
        }
        await allRead;
        return rows;
      };
    },
  });
  const db = new Proxy(base.db, { get: (target, key) => (key === "insight" ? insight : Reflect.get(target, key)) });
  return { ...base, db } as Ctx;
}

test("two sweeps racing mark and escalate each missed deadline once", async () => {
  const admin = await makeAdmin(app.atrium);
  const desk = await makeTeam(app.atrium, admin.actor, "Race Desk");
  const i = await makeInsight({}, [desk.team.id]);
  const ctx = racingCtx(2);
  const [a, b] = await Promise.all([sweep(at(300), ctx), sweep(at(300), ctx)]);
  expect([...a, ...b].sort((x, y) => x.kind.localeCompare(y.kind))).toEqual([
    { id: i.id, kind: "ack" },
    { id: i.id, kind: "resolve" },
  ]);
  expect((await events(i.id)).map((e) => e.type).sort()).toEqual(["ack_breached", "resolve_breached"]);
  expect(await notes(desk.lead.user.id)).toHaveLength(2);
});

test("an insight acknowledged, or resolved, between the sweep's read and its marking is not marked for that clock", async () => {
  const admin = await makeAdmin(app.atrium);
  const desk = await makeTeam(app.atrium, admin.actor, "Busy Desk");
  const acked = await makeInsight({}, [desk.team.id]);
  const resolved = await makeInsight({ acknowledgedAt: at(1), status: "acknowledged" }, [desk.team.id]);
  const ctx = racingCtx(1, async () => {
    await app.atrium.db.insight.update({ where: { id: acked.id }, data: { status: "acknowledged", acknowledgedAt: at(299) } });
    await app.atrium.db.insight.update({ where: { id: resolved.id }, data: { status: "resolved", resolvedAt: at(299) } });
  });
  expect(await sweep(at(300), ctx)).toEqual([{ id: acked.id, kind: "resolve" }]);
  const rows = await app.atrium.db.insight.findMany({ where: { id: { in: [acked.id, resolved.id] } }, orderBy: { createdAt: "asc" }, select: { id: true, ackBreachedAt: true, resolveBreachedAt: true } });
  expect(rows.find((r) => r.id === acked.id)).toMatchObject({ ackBreachedAt: null, resolveBreachedAt: at(300) });
  expect(rows.find((r) => r.id === resolved.id)).toMatchObject({ ackBreachedAt: null, resolveBreachedAt: null });
});
