/** Hand-built dashboard fixtures: rows with exact timestamps, written straight to a fresh database. */
import type { Db } from "../../../server/db.js";

export const T0 = new Date("2026-11-02T00:00:00.000Z"); // a Monday
export const at = (hours: number) => new Date(T0.getTime() + hours * 3_600_000);

let n = 0;
const uid = (p: string) => `${p}${++n}`;

export async function dept(db: Db, name: string) {
  return db.department.create({ data: { name, slug: name.toLowerCase().replace(/\W+/g, "-") } });
}
export async function person(db: Db, departmentId: string | null, over: { active?: boolean; role?: string; name?: string } = {}) {
  const id = uid("u");
  return db.user.create({ data: { email: `${id}@t.test`, name: over.name ?? id, departmentId, active: over.active ?? true, role: over.role ?? "member" } });
}
export async function team(db: Db, name: string, departmentId: string | null) {
  return db.team.create({ data: { name, slug: name.toLowerCase().replace(/\W+/g, "-"), departmentId } });
}

/** A question asked at `askedAt` hours; answers as [authorId, hours, {deleted, accepted}]. */
export async function question(
  db: Db,
  authorId: string,
  askedAt: number,
  answers: [string, number, { deleted?: boolean; accepted?: boolean }?][] = [],
  opts: { deleted?: boolean } = {},
) {
  const q = await db.question.create({
    data: { authorId, title: uid("q"), bodyJson: "{}", bodyText: "", createdAt: at(askedAt), lastActivityAt: at(askedAt), deletedAt: opts.deleted ? at(askedAt + 1) : null },
  });
  for (const [a, h, o] of answers) {
    const ans = await db.answer.create({ data: { questionId: q.id, authorId: a, bodyJson: "{}", bodyText: "", createdAt: at(h), deletedAt: o?.deleted ? at(h + 0.5) : null } });
    if (o?.accepted) await db.question.update({ where: { id: q.id }, data: { acceptedAnswerId: ans.id } });
  }
  return q;
}

/** An insight created at `h` hours, routed to `teamIds`, acknowledged/resolved at given hours. */
export async function insight(
  db: Db,
  teamIds: string[],
  h: number,
  o: { ack?: number; resolve?: number; ackBreach?: boolean; resolveBreach?: boolean; handlerId?: string } = {},
) {
  const i = await db.insight.create({
    data: {
      text: uid("i"),
      channel: "email",
      sentimentScore: 0,
      sentimentLabel: "neutral",
      sentimentAuto: "neutral",
      createdAt: at(h),
      acknowledgedAt: o.ack == null ? null : at(o.ack),
      resolvedAt: o.resolve == null ? null : at(o.resolve),
      ackBreachedAt: o.ackBreach ? at(h + 1) : null,
      resolveBreachedAt: o.resolveBreach ? at(h + 2) : null,
      status: o.resolve != null ? "resolved" : o.ack != null ? "acknowledged" : "new",
      routes: { create: teamIds.map((teamId) => ({ teamId })) },
    },
  });
  if (o.handlerId && o.ack != null) await db.insightEvent.create({ data: { insightId: i.id, type: "acknowledged", actorId: o.handlerId, createdAt: at(o.ack) } });
  return i;
}

export async function docWithRevision(db: Db, ownerId: string, contributorIds: string[], h: number, opts: { deleted?: boolean } = {}) {
  const space = (await db.space.findFirst({ where: { kind: "company" } })) ?? (await db.space.create({ data: { kind: "company", name: "Company", slug: "company" } }));
  const d = await db.document.create({ data: { title: uid("d"), spaceId: space.id, ownerId, visibility: "company", deletedAt: opts.deleted ? at(h) : null } });
  await db.docRevision.create({ data: { docId: d.id, createdAt: at(h), reason: "burst", state: Buffer.from([0]), seq: 1, contributorIds: JSON.stringify(contributorIds) } });
  return d;
}
