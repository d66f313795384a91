/**
 * The email digest: when it is due (time zones, daily / weekly / off), what it holds
 * (only what the person may open), and delivery through a real in-process SMTP server, read back
 * with mailparser. Two sweeps racing never send a digest twice.
 */
import { simpleParser, type ParsedMail } from "mailparser";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { digestPeriodKey } from "../../../server/digest/schedule.js";
import { escapeHtml, mailTime, renderDigest } from "../../../server/digest/render.js";
import { startMailSink, type MailSink } from "../../../server/mail/sink.js";
import { startTestApp, type TestApp } from "../../helpers/app.js";
import { body } from "../questions/helpers.js";
import { fakeClock } from "../insights/factories.js";
import { feedWorld, socialSnapshot, type FeedWorld } from "./world.js";

describe("when a digest is due", () => {
  const at = (iso: string) => new Date(iso);
  test("daily: from DIGEST_HOUR in the person's own time zone; before it, yesterday's period", () => {
    // Monday 23 Nov 2026, 06:30 UTC: 07:30 in Berlin, 15:30 in Tokyo, still Sunday 22:30 in Los Angeles.
    const t = at("2026-11-23T06:30:00Z");
    expect(digestPeriodKey(t, "Europe/Berlin", "daily", 7)).toBe("daily:2026-11-23");
    expect(digestPeriodKey(t, "Europe/London", "daily", 7)).toBe("daily:2026-11-22"); // 06:30 there
    expect(digestPeriodKey(t, "Asia/Tokyo", "daily", 7)).toBe("daily:2026-11-23");
    expect(digestPeriodKey(t, "America/Los_Angeles", "daily", 7)).toBe("daily:2026-11-22");
    expect(digestPeriodKey(at("2026-11-23T07:00:00Z"), "Europe/London", "daily", 7)).toBe("daily:2026-11-23");
  });

  test("weekly: from Monday at DIGEST_HOUR local until the next Monday; an unknown zone counts as UTC", () => {
    expect(digestPeriodKey(at("2026-11-23T06:59:00Z"), "UTC", "weekly", 7)).toBe("weekly:2026-11-16");
    expect(digestPeriodKey(at("2026-11-23T07:00:00Z"), "UTC", "weekly", 7)).toBe("weekly:2026-11-23");
    expect(digestPeriodKey(at("2026-11-29T23:00:00Z"), "UTC", "weekly", 7)).toBe("weekly:2026-11-23");
    // Sunday night in Los Angeles while it is already Monday in UTC: still last week there.
    expect(digestPeriodKey(at("2026-11-23T07:30:00Z"), "America/Los_Angeles", "weekly", 7)).toBe("weekly:2026-11-16");
    expect(digestPeriodKey(at("2026-11-23T07:30:00Z"), "Not/AZone", "weekly", 7)).toBe("weekly:2026-11-23");
  });

  test("off: never", () => {
    expect(digestPeriodKey(new Date("2026-11-23T12:00:00Z"), "UTC", "off", 7)).toBeNull();
  });
});

describe("rendering", () => {
  test("user text is escaped in the HTML part; links are absolute; the preferences link is there", () => {
    const mail = renderDigest(
      { name: "Ana Reader", timeZone: "UTC" },
      { unanswered: [{ id: "q1", title: `<script>alert("x")</script> & more`, tags: ["SAML"], askedBy: "Ben", createdAt: "" }], insights: [], mentions: [] },
      { appUrl: "https://atrium.example.com", frequency: "weekly" },
    );
    expect(mail.html).not.toContain("<script>");
    expect(mail.html).toContain(escapeHtml(`<script>alert("x")</script> & more`));
    expect(mail.html).toContain('href="https://atrium.example.com/questions/q1"');
    expect(mail.text).toContain("https://atrium.example.com/questions/q1");
    expect(mail.text).toContain("https://atrium.example.com/account#digest");
    expect(mail.subject).toBe("Your weekly Atrium digest: 1 unanswered question");
    // No time known: no "asked" in the line.
    expect(mail.text).toContain("(Ben · SAML)");
  });

  test("times are written as the reader's clock shows them, with the zone named; an unknown zone is UTC", () => {
    const content = {
      unanswered: [{ id: "q1", title: "Late question", tags: ["SAML"], askedBy: "Ben", createdAt: "2026-11-23T07:30:00.000Z" }],
      insights: [{ id: "i1", text: "Refund missing", account: "Acme", team: "Support Desk", status: "in_progress", createdAt: "2026-11-22T23:10:00.000Z" }],
      mentions: [{ docId: "d1", title: "Runbook", by: "Cai", at: "2026-11-23T11:05:00.000Z" }],
    };
    const opts = { appUrl: "https://atrium.example.com", frequency: "weekly" as const };
    const auckland = renderDigest({ name: "Ana", timeZone: "Pacific/Auckland" }, content, opts);
    expect(auckland.text).toContain("(Ben · SAML · asked Mon 23 Nov, 20:30 GMT+13)");
    expect(auckland.text).toContain("(Support Desk · in progress · received Mon 23 Nov, 12:10 GMT+13)");
    expect(auckland.text).toContain("(by Cai · Tue 24 Nov, 00:05 GMT+13)");
    expect(auckland.html).toContain("Ben · SAML · asked Mon 23 Nov, 20:30 GMT+13");
    const losAngeles = renderDigest({ name: "Ana", timeZone: "America/Los_Angeles" }, content, opts);
    expect(losAngeles.text).toContain("asked Sun 22 Nov, 23:30 GMT-8");
    expect(losAngeles.text).toContain("received Sun 22 Nov, 15:10 GMT-8");
    const unknown = renderDigest({ name: "Ana", timeZone: "Not/AZone" }, content, opts);
    expect(unknown.text).toContain("asked Mon 23 Nov, 07:30 UTC");
    expect(mailTime("not a date", "UTC")).toBe("");
  });
});

describe("composition, sending and preferences (real SMTP sink)", () => {
  let clock: ReturnType<typeof fakeClock>;
  let sink: MailSink;
  let app: TestApp;
  let w: FeedWorld;
  const domain = () => app.atrium.domain;
  const parsed = (): Promise<ParsedMail[]> => Promise.all(sink.messages.map((m) => simpleParser(m.raw)));

  // Each test has a mail sink, an app and an organisation of its own, on Monday 23 Nov 2026 06:00
  // UTC: before 07:00 in London/UTC, after it in Berlin (07:00) and Tokyo.
  beforeEach(async () => {
    clock = fakeClock(new Date("2026-11-23T06:00:00Z"));
    sink = await startMailSink();
    app = await startTestApp({ clock, env: { SMTP_URL: sink.url, MAIL_FROM: "Atrium <digest@atrium.test>", APP_URL: "https://atrium.example.com", DIGEST_SWEEP_MS: "3600000", DIGEST_HOUR: "7" } });
    w = await feedWorld(app.atrium);
    // Ana (Berlin) declares saml and follows billing; Cai (UTC) follows billing.
    const saml = await app.atrium.db.skill.create({ data: { name: "saml", label: "SAML" } });
    await app.atrium.db.userSkill.create({ data: { userId: w.people.ana.user.id, skillId: saml.id, level: "expert" } });
    await app.atrium.db.skill.create({ data: { name: "billing", label: "Billing" } });
    await domain().questions.followTag(w.people.ana.actor, "billing");
    await domain().questions.followTag(w.people.cai.actor, "billing");
  });
  afterEach(async () => {
    await app.close();
    await sink.close();
  });

  /**
   * What a digest can hold, and what it must leave out: questions in followed, declared and other
   * tags (one answered, one Ana's own), an open insight routed to the Support Desk, and Cai's
   * mention of Ana in an open document and in a private draft.
   */
  async function aWeekOfActivity() {
    const { ana, ben, cai, dee } = w.people;
    await domain().questions.askQuestion(ben.actor, { title: `Why is the <b>SAML</b> assertion rejected?`, body: body("x"), tags: ["saml"] });
    await domain().questions.askQuestion(dee.actor, { title: "Which billing code for refunds?", body: body("x"), tags: ["billing"] });
    const answered = await domain().questions.askQuestion(dee.actor, { title: "Billing question already answered", body: body("x"), tags: ["billing"] });
    await domain().questions.answerQuestion(cai.actor, answered.id, { body: body("Done.") });
    await domain().questions.askQuestion(ana.actor, { title: "Ana's own billing question", body: body("x"), tags: ["billing"] });
    await domain().questions.askQuestion(dee.actor, { title: "Unrelated tag question", body: body("x"), tags: ["travel"] });
    await domain().routingRules.createRule(w.people.admin.actor, {
      name: "Refunds",
      enabled: true,
      teamIds: [w.teams.support.id],
      priority: "normal",
      ackWithin: "1h",
      resolveWithin: "1d",
      conditions: { topics: ["refunds"] },
    });
    await domain().insights.createInsight(dee.actor, { text: "Refund still missing <img src=x>", channel: "email", topics: ["refunds"] });
    const open = await domain().docs.createDocument(cai.actor, { title: "Runbook: SSO outage", spaceId: w.space.engineering.id });
    const secret = await domain().docs.createDocument(cai.actor, { title: "Cai's private draft", spaceId: w.space.engineering.id, visibility: "private" });
    for (const id of [open.id, secret.id]) {
      await domain().docs.recordSettledContent(id, { read: { text: "see @Ana", mentions: [ana.user.id] }, editors: [cai.user.id], seq: 2, at: clock.now() });
    }
    // The private one was recorded (remembered, not notified) but must not be in the digest.
    await app.atrium.db.docMention.upsert({ where: { docId_userId: { docId: secret.id, userId: ana.user.id } }, create: { docId: secret.id, userId: ana.user.id, notifiedAt: clock.now() }, update: {} });
  }

  test("preferences: weekly by default; daily/off saved; a bad value is a 422 and nothing is written", async () => {
    const { ana, dee } = w.people;
    expect(await domain().digest.getDigestSettings(ana.actor)).toMatchObject({ frequency: "weekly", lastSentAt: null, mailConfigured: true });
    await domain().digest.setDigestFrequency(dee.actor, { frequency: "off" });
    expect((await domain().digest.getDigestSettings(dee.actor)).frequency).toBe("off");
    const before = await socialSnapshot(app.atrium);
    await expect(domain().digest.setDigestFrequency(ana.actor, { frequency: "hourly" })).rejects.toMatchObject({ status: 422, fieldErrors: { frequency: ["Choose daily, weekly or off."] } });
    expect(await socialSnapshot(app.atrium)).toEqual(before);
  });

  test("composition: unanswered questions in followed and declared tags (not one's own, not answered), open insights for one's teams, readable mentions", async () => {
    const { ana } = w.people;
    await aWeekOfActivity();

    const c = await domain().digest.composeDigest(ana.user.id, new Date(clock.now().getTime() - 86_400_000));
    expect(c.unanswered.map((q) => q.title).sort()).toEqual(["Which billing code for refunds?", "Why is the <b>SAML</b> assertion rejected?"]);
    expect(c.insights.map((i) => [i.team, i.status])).toEqual([["Support Desk", "new"]]);
    expect(c.mentions.map((m) => m.title)).toEqual(["Runbook: SSO outage"]);
    // Mentions are "since the last digest".
    expect((await domain().digest.composeDigest(ana.user.id, clock.now())).mentions).toEqual([]);
  });

  test("the sweep sends due digests once — two sweeps racing included — skips empty ones and people who chose off; the message reads back", async () => {
    const { ana, cai, ben, dee } = w.people;
    await aWeekOfActivity();
    await domain().digest.setDigestFrequency(dee.actor, { frequency: "off" });
    await domain().digest.setDigestFrequency(cai.actor, { frequency: "daily" });
    // 06:00 UTC: Ana (Berlin, 07:00, Monday) is due for this week; Cai (UTC, daily) is due for *yesterday's* period,
    // Ben and others (UTC, weekly) are due for last week's — empty for Ben, so recorded and not sent.
    const [a, b] = await Promise.all([app.atrium.digests.sweepNow(), domain().digest.sendDueDigests()]);
    const sent = a.sent + b.sent;
    const mails = await parsed();
    expect(sent).toBe(mails.length);
    const to = mails.map((m) => (Array.isArray(m.to) ? m.to[0] : m.to)?.text).sort();
    expect(to).toEqual([ana.user.email, cai.user.email].sort());
    const rows = await app.atrium.db.digestDelivery.findMany({ where: { userId: { in: [ana.user.id, ben.user.id, dee.user.id] } }, select: { userId: true, periodKey: true, status: true } });
    expect(rows).toContainEqual({ userId: ana.user.id, periodKey: "weekly:2026-11-23", status: "sent" });
    expect(rows).toContainEqual({ userId: ben.user.id, periodKey: "weekly:2026-11-16", status: "empty" });
    expect(rows.some((r) => r.userId === dee.user.id)).toBe(false); // off

    const mail = mails.find((m) => (Array.isArray(m.to) ? m.to[0] : m.to)?.text === ana.user.email)!;
    expect(mail.subject).toBe("Your weekly Atrium digest: 2 unanswered questions, 1 open insight, 1 mention");
    expect(mail.from?.value[0]).toMatchObject({ name: "Atrium", address: "digest@atrium.test" });
    expect(mail.text).toContain("Why is the <b>SAML</b> assertion rejected?");
    // Ana reads in Berlin: the questions were asked at 06:00 UTC, 07:00 on her clock.
    expect(mail.text).toContain("(Ben Followed · SAML · asked Mon 23 Nov, 07:00 CET)");
    expect(mail.text).toContain("(by Cai Colleague · Mon 23 Nov, 07:00 CET)");
    expect(mail.text).toContain("https://atrium.example.com/account#digest");
    expect(mail.html).toContain("Why is the &lt;b&gt;SAML&lt;/b&gt; assertion rejected?");
    expect(mail.html).not.toContain("<img src=x>");
    expect(mail.html).toMatch(/href="https:\/\/atrium\.example\.com\/insights\/[^"]+"/);
    const raw = sink.messages.find((m) => m.to[0] === ana.user.email)!.raw.toString();
    expect(raw).toContain("List-Unsubscribe: <https://atrium.example.com/account#digest>");

    // Later the same period: nothing more. The next morning Cai (daily) gets today's.
    const count = sink.messages.length;
    clock.advance(3 * 3_600_000); // 09:00 UTC
    const again = await app.atrium.digests.sweepNow();
    expect(again.sent).toBe(1);
    expect(sink.messages.length).toBe(count + 1);
    expect(sink.messages.at(-1)!.to).toEqual([cai.user.email]);
    // Cai reads in UTC.
    expect((await simpleParser(sink.messages.at(-1)!.raw)).text).toContain("asked Mon 23 Nov, 06:00 UTC)");
    expect(await app.atrium.digests.sweepNow()).toMatchObject({ sent: 0 });
    expect((await domain().digest.getDigestSettings(ana.actor)).lastSentAt).not.toBeNull();
  });

  test("a preview goes to oneself at once, marked as such, and is rate limited", async () => {
    const { ana } = w.people;
    const before = sink.messages.length;
    expect(await domain().digest.sendDigestPreview(ana.actor)).toMatchObject({ to: ana.user.email });
    const mail = await simpleParser(sink.messages.at(-1)!.raw);
    expect(sink.messages.length).toBe(before + 1);
    expect(mail.subject).toMatch(/^\[Preview\] Your weekly Atrium digest/);
    await domain().digest.sendDigestPreview(ana.actor);
    await domain().digest.sendDigestPreview(ana.actor);
    await expect(domain().digest.sendDigestPreview(ana.actor)).rejects.toMatchObject({ status: 429 });
    expect(sink.messages.length).toBe(before + 3);
  });
});
