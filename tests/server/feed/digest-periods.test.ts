/**
 * The digest verbs at their edges, against the real database and a real SMTP sink, with the
 * injected clock: what falls inside a digest's window (exactly at its start and end, across a
 * month end, in other time zones), what the sweep looks back to, who gets nothing, a failed send,
 * the preferences' "last sent", and previews. The verbs get the app's context with a mailer of
 * their own, so no sweeper runs behind the test's back.
 */
import { simpleParser } from "mailparser";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from "vitest";
import type { Ctx } from "../../../server/domain/context.js";
import { composeDigest, getDigestSettings, sendDigestPreview, sendDueDigests } from "../../../server/domain/digest.js";
import { smtpMailer, type Mailer } from "../../../server/mail/mailer.js";
import { startMailSink, type MailSink } from "../../../server/mail/sink.js";
import { makePerson, makeTeam } from "../../factories.js";
import { startTestApp, type TestApp } from "../../helpers/app.js";
import { fakeClock } from "../insights/factories.js";

const H = 3_600_000;
const DAY = 24 * H;

let sink: MailSink;
let mailer: Mailer;
let app: TestApp;
let clock: ReturnType<typeof fakeClock>;

beforeAll(async () => {
  sink = await startMailSink();
  mailer = smtpMailer(sink.url, "Atrium <digest@atrium.test>");
});
afterAll(async () => {
  mailer?.close();
  await sink?.close();
});
beforeEach(async () => {
  clock = fakeClock(new Date("2026-12-01T09:00:00.000Z"));
  app = await startTestApp({ clock, env: { APP_URL: "https://atrium.example.com" } });
});
afterEach(async () => app?.close());

/** The app's context with mail configured (SMTP_URL and a mailer), or as overridden. */
function ctxWith(over: Partial<Ctx> & { smtpUrl?: string | undefined } = {}): Ctx {
  const { smtpUrl, ...rest } = over;
  const base = app.atrium.ctx;
  return { ...base, mailer, ...rest, env: { ...base.env, SMTP_URL: "smtpUrl" in over ? smtpUrl : sink.url, DIGEST_HOUR: 7 } } as Ctx;
}
const db = () => app.atrium.db;
const mailsTo = async (email: string) => Promise.all(sink.messages.filter((m) => m.to[0] === email).map((m) => simpleParser(m.raw)));
const rowsOf = (userId: string) =>
  db().digestDelivery.findMany({ where: { userId }, orderBy: { createdAt: "asc" }, select: { periodKey: true, status: true, itemCount: true, createdAt: true, sentAt: true } });

let n = 0;
async function tag(followerId: string) {
  const skill = await db().skill.create({ data: { name: `tag${++n}`, label: `Tag ${n}` } });
  await db().tagFollow.create({ data: { userId: followerId, skillId: skill.id } });
  return skill;
}
async function question(authorId: string, skillId: string, title: string, createdAt: Date, over: { deletedAt?: Date; closedAt?: Date; answerCount?: number } = {}) {
  return db().question.create({
    data: { authorId, title, bodyJson: "{}", bodyText: "", createdAt, lastActivityAt: createdAt, ...over, tags: { create: [{ skillId }] } },
  });
}
async function companySpace() {
  await app.atrium.domain.docs.ensureSpaces();
  return (await db().space.findFirst({ where: { kind: "company" } }))!;
}
/** A document mentioning `userId`, notified at `at`; company-wide unless private to `ownerId`. */
async function mention(userId: string, ownerId: string, title: string, at: Date, over: { visibility?: string; editedById?: string | null } = {}) {
  const space = await companySpace();
  const doc = await db().document.create({
    data: { title, spaceId: space.id, ownerId, visibility: over.visibility ?? "company", lastEditedById: over.editedById === undefined ? ownerId : over.editedById },
  });
  await db().docMention.create({ data: { docId: doc.id, userId, notifiedAt: at } });
  return doc;
}

describe("composeDigest", () => {
  test("unanswered questions from exactly 30 days back (across the month end) up to now, newest first, ten at most", async () => {
    const now = clock.now(); // Tuesday 1 Dec 2026, 09:00 UTC; 30 days back is 1 Nov, 09:00
    const reader = await makePerson(app.atrium);
    const asker = await makePerson(app.atrium, { name: "Asker" });
    const t = await tag(reader.user.id);
    await question(asker.user.id, t.id, "thirty days old", new Date(now.getTime() - 30 * DAY));
    await question(asker.user.id, t.id, "a millisecond too old", new Date(now.getTime() - 30 * DAY - 1));
    await question(asker.user.id, t.id, "asked now", now);
    await question(asker.user.id, t.id, "from the future", new Date(now.getTime() + 1));
    await question(asker.user.id, t.id, "deleted", new Date(now.getTime() - H), { deletedAt: now });
    await question(asker.user.id, t.id, "closed", new Date(now.getTime() - H), { closedAt: now });
    await question(asker.user.id, t.id, "answered", new Date(now.getTime() - H), { answerCount: 1 });

    const first = await composeDigest(ctxWith(), reader.user.id, new Date(now.getTime() - 7 * DAY));
    expect(first.unanswered.map((q) => q.title)).toEqual(["asked now", "thirty days old"]);
    expect(first.unanswered[0]).toEqual({ id: expect.any(String), title: "asked now", tags: [t.label], askedBy: "Asker", createdAt: now.toISOString() });

    for (let h = 1; h <= 9; h++) await question(asker.user.id, t.id, `asked ${h}h ago`, new Date(now.getTime() - h * H));
    const full = await composeDigest(ctxWith(), reader.user.id, new Date(now.getTime() - 7 * DAY));
    expect(full.unanswered.map((q) => q.title)).toEqual(["asked now", ...Array.from({ length: 9 }, (_, i) => `asked ${i + 1}h ago`)]);
  });

  test("mentions after `since` (not at it) up to now, readable ones only, newest first, ten at most", async () => {
    const now = clock.now();
    const since = new Date(now.getTime() - 2 * DAY);
    const reader = await makePerson(app.atrium);
    const writer = await makePerson(app.atrium, { name: "Writer" });
    await mention(reader.user.id, writer.user.id, "at since", since);
    await mention(reader.user.id, writer.user.id, "just after since", new Date(since.getTime() + 1), { editedById: null });
    await mention(reader.user.id, writer.user.id, "at now", now);
    await mention(reader.user.id, writer.user.id, "after now", new Date(now.getTime() + 1));
    await mention(reader.user.id, writer.user.id, "private draft", new Date(now.getTime() - H), { visibility: "private" });

    const c = await composeDigest(ctxWith(), reader.user.id, since);
    expect(c.mentions.map((m) => [m.title, m.by, m.at])).toEqual([
      ["at now", "Writer", now.toISOString()],
      ["just after since", null, new Date(since.getTime() + 1).toISOString()],
    ]);

    // Twelve more readable ones behind three newer private ones: the ten newest readable are kept.
    for (let i = 1; i <= 12; i++) await mention(reader.user.id, writer.user.id, `readable ${i}`, new Date(now.getTime() - i * 60_000));
    for (let i = 1; i <= 3; i++) await mention(reader.user.id, writer.user.id, `hidden ${i}`, new Date(now.getTime() - i * 1_000), { visibility: "private" });
    const full = await composeDigest(ctxWith(), reader.user.id, since);
    expect(full.mentions.map((m) => m.title)).toEqual(["at now", ...Array.from({ length: 9 }, (_, i) => `readable ${i + 1}`)]);
  });

  test("open insights routed to one's teams, oldest first, ten at most, naming only one's own teams", async () => {
    const now = clock.now();
    const mine = await makeTeam(app.atrium, { name: "Mine" });
    const other = await makeTeam(app.atrium, { name: "Other" });
    const reader = await makePerson(app.atrium, { teamIds: [mine.id] });
    const account = await db().customerAccount.create({ data: { name: "Acme" } });
    const insight = (text: string, h: number, status: string, teamIds: string[], accountId?: string) =>
      db().insight.create({
        data: { text, channel: "email", sentimentScore: 0, sentimentLabel: "neutral", sentimentAuto: "neutral", status, accountId, createdAt: new Date(now.getTime() - h * H), routes: { create: teamIds.map((teamId) => ({ teamId })) } },
      });
    // Written newest first, so the order read is the times', not the rows'.
    await insight("in progress", 18, "in_progress", [mine.id]);
    await insight("acknowledged", 19, "acknowledged", [mine.id]);
    await insight("new, both teams", 20, "new", [mine.id, other.id], account.id);
    await insight("resolved", 17, "resolved", [mine.id]);
    await insight("declined", 16, "declined", [mine.id]);
    await insight("other team's", 15, "new", [other.id]);

    const c = await composeDigest(ctxWith(), reader.user.id, now);
    expect(c.insights.map((i) => [i.text, i.team, i.status, i.account])).toEqual([
      ["new, both teams", "Mine", "new", "Acme"],
      ["acknowledged", "Mine", "acknowledged", null],
      ["in progress", "Mine", "in_progress", null],
    ]);
    expect(c.insights[0]!.createdAt).toBe(new Date(now.getTime() - 20 * H).toISOString());

    for (let i = 1; i <= 8; i++) await insight(`later ${i}`, 10 - i, "new", [mine.id]);
    const full = await composeDigest(ctxWith(), reader.user.id, now);
    expect(full.insights.map((i) => i.text)).toEqual(["new, both teams", "acknowledged", "in progress", ...Array.from({ length: 7 }, (_, i) => `later ${i + 1}`)]);
  });

  test("someone who does not exist gets an empty digest", async () => {
    expect(await composeDigest(ctxWith(), "no-such-user", clock.now())).toEqual({ unanswered: [], insights: [], mentions: [] });
  });
});

describe("sendDueDigests", () => {
  test("a weekly digest is due from Monday at DIGEST_HOUR (not a millisecond before); the first looks back seven days, the next from the last one", async () => {
    // Monday 30 Nov 2026, the month's last day, one millisecond before 07:00 UTC: still last week's period.
    clock.set(new Date("2026-11-30T06:59:59.999Z"));
    const start = clock.now();
    const reader = await makePerson(app.atrium);
    const quiet = await makePerson(app.atrium);
    const writer = await makePerson(app.atrium);
    await mention(reader.user.id, writer.user.id, "Exactly a week old", new Date(start.getTime() - 7 * DAY));
    await mention(reader.user.id, writer.user.id, "Six days old", new Date(start.getTime() - 6 * DAY));

    expect(await sendDueDigests(ctxWith())).toEqual({ sent: 1, empty: 2, failed: 0 }); // the writer and the quiet one: empty
    expect(await rowsOf(reader.user.id)).toEqual([{ periodKey: "weekly:2026-11-23", status: "sent", itemCount: 1, createdAt: start, sentAt: start }]);
    expect(await rowsOf(quiet.user.id)).toEqual([{ periodKey: "weekly:2026-11-23", status: "empty", itemCount: 0, createdAt: start, sentAt: null }]);
    const [firstMail] = await mailsTo(reader.user.email);
    expect(firstMail!.text).toContain("Six days old");
    expect(firstMail!.text).not.toContain("Exactly a week old");

    // A preview after it does not move where the next digest starts.
    await db().digestDelivery.create({ data: { userId: reader.user.id, periodKey: "preview:1", status: "sent", createdAt: new Date(start.getTime() + 1), sentAt: new Date(start.getTime() + 1) } });
    await mention(reader.user.id, writer.user.id, "At the last digest", start);
    await mention(reader.user.id, writer.user.id, "Just after it", new Date(start.getTime() + 1));
    await mention(quiet.user.id, writer.user.id, "At the quiet one's empty digest", start);
    await mention(quiet.user.id, writer.user.id, "After the quiet one's", new Date(start.getTime() + 1));

    clock.advance(1); // 07:00:00.000: this week's period begins
    expect(await sendDueDigests(ctxWith())).toEqual({ sent: 2, empty: 1, failed: 0 });
    expect((await rowsOf(reader.user.id)).map((r) => [r.periodKey, r.status, r.itemCount])).toEqual([
      ["weekly:2026-11-23", "sent", 1],
      ["preview:1", "sent", 0],
      ["weekly:2026-11-30", "sent", 1],
    ]);
    const second = (await mailsTo(reader.user.email))[1]!;
    expect(second.text).toContain("Just after it");
    expect(second.text).not.toContain("At the last digest");
    const quietMail = (await mailsTo(quiet.user.email))[0]!;
    expect(quietMail.text).toContain("After the quiet one's");
    expect(quietMail.text).not.toContain("At the quiet one's empty digest");

    expect(await sendDueDigests(ctxWith())).toEqual({ sent: 0, empty: 0, failed: 0 });
  });

  test("a daily digest before DIGEST_HOUR on the 1st is the previous month's last day's, looking back one day", async () => {
    clock.set(new Date("2026-12-01T06:59:59.999Z"));
    const now = clock.now();
    const reader = await makePerson(app.atrium);
    const writer = await makePerson(app.atrium);
    await app.atrium.domain.digest.setDigestFrequency(reader.actor, { frequency: "daily" });
    await mention(reader.user.id, writer.user.id, "A day old", new Date(now.getTime() - DAY));
    await mention(reader.user.id, writer.user.id, "Just under a day old", new Date(now.getTime() - DAY + 1));
    expect((await sendDueDigests(ctxWith())).sent).toBe(1);
    expect((await rowsOf(reader.user.id)).map((r) => [r.periodKey, r.status, r.itemCount])).toEqual([["daily:2026-11-30", "sent", 1]]);
    const [mail] = await mailsTo(reader.user.email);
    expect(mail!.subject).toBe("Your daily Atrium digest: 1 mention");
    expect(mail!.text).not.toContain("A day old");

    // 07:00 on the 1st, then on the 2nd: each digest starts where the latest one before it did.
    clock.advance(1);
    const second = clock.now();
    await mention(reader.user.id, writer.user.id, "Before the second digest", second);
    expect((await sendDueDigests(ctxWith())).sent).toBe(1);
    clock.advance(DAY);
    await mention(reader.user.id, writer.user.id, "After the second digest", new Date(second.getTime() + 1));
    expect((await sendDueDigests(ctxWith())).sent).toBe(1);
    expect((await rowsOf(reader.user.id)).map((r) => [r.periodKey, r.itemCount])).toEqual([
      ["daily:2026-11-30", 1],
      ["daily:2026-12-01", 1],
      ["daily:2026-12-02", 1],
    ]);
    const third = (await mailsTo(reader.user.email))[2]!;
    expect(third.text).toContain("After the second digest");
    expect(third.text).not.toContain("Before the second digest");
  });

  test("periods follow each person's time zone: Monday 07:00 in Auckland is still last week in UTC and Los Angeles", async () => {
    clock.set(new Date("2026-11-29T18:00:00.000Z")); // Mon 30 Nov 07:00 in Auckland (UTC+13), Sun 10:00 in Los Angeles
    const auckland = await makePerson(app.atrium, { timeZone: "Pacific/Auckland" });
    const utc = await makePerson(app.atrium, { timeZone: "UTC" });
    const la = await makePerson(app.atrium, { timeZone: "America/Los_Angeles" });
    await sendDueDigests(ctxWith());
    expect((await rowsOf(auckland.user.id)).map((r) => r.periodKey)).toEqual(["weekly:2026-11-30"]);
    expect((await rowsOf(utc.user.id)).map((r) => r.periodKey)).toEqual(["weekly:2026-11-23"]);
    expect((await rowsOf(la.user.id)).map((r) => r.periodKey)).toEqual(["weekly:2026-11-23"]);
  });

  test("deactivated people and those who chose off get nothing, not even an empty record", async () => {
    const gone = await makePerson(app.atrium, { active: false });
    const off = await makePerson(app.atrium);
    const writer = await makePerson(app.atrium);
    await app.atrium.domain.digest.setDigestFrequency(off.actor, { frequency: "off" });
    for (const p of [gone, off]) await mention(p.user.id, writer.user.id, "Something to send", clock.now());
    expect(await sendDueDigests(ctxWith())).toEqual({ sent: 0, empty: 1, failed: 0 }); // the writer's
    expect(await db().digestDelivery.count({ where: { userId: { in: [gone.user.id, off.user.id] } } })).toBe(0);
  });

  test("a send that fails releases its claim, so the next sweep sends it", async () => {
    const reader = await makePerson(app.atrium);
    const writer = await makePerson(app.atrium);
    await mention(reader.user.id, writer.user.id, "Worth sending", clock.now());
    const broken: Mailer = { send: () => Promise.reject(new Error("connection refused")), close: () => {} };
    const errors: unknown[][] = [];
    const error = console.error;
    console.error = (...args: unknown[]) => void errors.push(args);
    try {
      expect(await sendDueDigests(ctxWith({ mailer: broken }))).toEqual({ sent: 0, empty: 1, failed: 1 });
    } finally {
      console.error = error;
    }
    expect(errors.map((e) => e.join(" "))).toEqual([`[digest] sending to ${reader.user.email} failed: connection refused`]);
    expect(await rowsOf(reader.user.id)).toEqual([]);
    expect(await sendDueDigests(ctxWith())).toEqual({ sent: 1, empty: 0, failed: 0 });
    expect((await rowsOf(reader.user.id)).map((r) => [r.periodKey, r.status])).toEqual([["weekly:2026-11-30", "sent"]]);
  });

  test("without SMTP_URL, or without a mailer, nothing is sent or recorded", async () => {
    const reader = await makePerson(app.atrium);
    const writer = await makePerson(app.atrium);
    await mention(reader.user.id, writer.user.id, "Worth sending", clock.now());
    const before = sink.messages.length;
    expect(await sendDueDigests(ctxWith({ smtpUrl: undefined }))).toEqual({ sent: 0, empty: 0, failed: 0 });
    expect(await sendDueDigests(ctxWith({ mailer: undefined }))).toEqual({ sent: 0, empty: 0, failed: 0 });
    expect(await db().digestDelivery.count()).toBe(0);
    expect(sink.messages.length).toBe(before);
    // The positive control: with both, it goes out.
    expect((await sendDueDigests(ctxWith())).sent).toBe(1);
  });
});

describe("settings and previews", () => {
  test("'last sent' is the latest digest sent, not a preview; mail is configured only with a mailer", async () => {
    const reader = await makePerson(app.atrium);
    const t = (h: number) => new Date(clock.now().getTime() + h * H);
    await db().digestDelivery.createMany({
      data: [
        { userId: reader.user.id, periodKey: "weekly:2026-11-23", status: "sent", createdAt: t(-200), sentAt: t(-200) },
        { userId: reader.user.id, periodKey: "weekly:2026-11-30", status: "sent", createdAt: t(-20), sentAt: t(-20) },
        { userId: reader.user.id, periodKey: "weekly:2026-11-16", status: "sent", createdAt: t(-300), sentAt: t(-300) },
        { userId: reader.user.id, periodKey: "preview:1", status: "sent", createdAt: t(-1), sentAt: t(-1) },
      ],
    });
    expect(await getDigestSettings(ctxWith(), reader.actor)).toEqual({ frequency: "weekly", lastSentAt: t(-20).toISOString(), mailConfigured: true });
    expect((await getDigestSettings(ctxWith({ mailer: undefined }), reader.actor)).mailConfigured).toBe(false);
  });

  test("a preview follows one's choice (daily looks back a day; off previews the weekly one) and is recorded as a preview", async () => {
    const now = clock.now();
    const reader = await makePerson(app.atrium);
    const writer = await makePerson(app.atrium);
    await mention(reader.user.id, writer.user.id, "A day old", new Date(now.getTime() - DAY));
    await mention(reader.user.id, writer.user.id, "Two hours old", new Date(now.getTime() - 2 * H));
    await app.atrium.domain.digest.setDigestFrequency(reader.actor, { frequency: "daily" });
    expect(await sendDigestPreview(ctxWith(), reader.actor)).toEqual({ to: reader.user.email, items: 1 });
    expect((await mailsTo(reader.user.email)).at(-1)!.subject).toBe("[Preview] Your daily Atrium digest: 1 mention");
    const rows = await rowsOf(reader.user.id);
    expect(rows).toEqual([{ periodKey: expect.stringMatching(/^preview:\d+:[0-9a-f]{8}$/), status: "sent", itemCount: 1, createdAt: now, sentAt: now }]);
    expect(rows[0]!.periodKey.split(":")[1]).toBe(String(now.getTime()));

    await app.atrium.domain.digest.setDigestFrequency(reader.actor, { frequency: "off" });
    expect(await sendDigestPreview(ctxWith(), reader.actor)).toEqual({ to: reader.user.email, items: 2 });
    expect((await mailsTo(reader.user.email)).at(-1)!.subject).toBe("[Preview] Your weekly Atrium digest: 2 mentions");
    // A preview is not a digest: the sweep still sends this week's.
    expect((await getDigestSettings(ctxWith(), reader.actor)).lastSentAt).toBeNull();
  });

  test("a preview without a mailer is refused with a message, and nothing is recorded", async () => {
    const reader = await makePerson(app.atrium);
    await expect(() => sendDigestPreview(ctxWith({ mailer: undefined }), reader.actor)).rejects.toMatchObject({
      status: 422,
      fieldErrors: { form: [expect.stringContaining("Email is not configured on this server")] },
    });
    expect(await rowsOf(reader.user.id)).toEqual([]);
  });
});
