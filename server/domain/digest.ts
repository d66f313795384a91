/**
 * The email digest (decision 067): each person's choice (daily, weekly — the default —
 * or off), what goes in it, and the sweep that sends the due ones. A DigestDelivery row per
 * person and period is claimed *before* sending (unique key), so a restart or a second instance
 * never sends the same digest twice.
 */
import { randomBytes } from "node:crypto";
import { DigestPreferenceSchema, type DigestFrequency } from "../../app/schemas/feed.js";
import { digestPeriodKey, PERIOD_MS } from "../digest/schedule.js";
import { digestSize, renderDigest, type DigestContent } from "../digest/render.js";
import { can, type Actor } from "../policy.js";
import { parse, type Ctx } from "./context.js";
import { docAccessSelect, subjectOf, teamIdsOf } from "./docs.js";
import { RateLimitedError, ValidationError } from "./errors.js";
import { limiterOf } from "./rate-limit.js";

const DEFAULT_FREQUENCY: DigestFrequency = "weekly";
const SECTION_MAX = 10;
/** Unanswered questions older than this are left to the unanswered queue, not the inbox. */
const UNANSWERED_MAX_AGE_MS = 30 * 86_400_000;
const OPEN_INSIGHT = ["new", "acknowledged", "in_progress"];

export async function getDigestSettings(ctx: Ctx, actor: Actor) {
  const [s, last] = await Promise.all([
    ctx.db.digestSettings.findUnique({ where: { userId: actor.id }, select: { frequency: true } }),
    ctx.db.digestDelivery.findFirst({ where: { userId: actor.id, status: "sent", NOT: { periodKey: { startsWith: "preview:" } } }, orderBy: { sentAt: "desc" }, select: { sentAt: true } }),
  ]);
  return { frequency: (s?.frequency ?? DEFAULT_FREQUENCY) as DigestFrequency, lastSentAt: last?.sentAt?.toISOString() ?? null, mailConfigured: !!ctx.mailer };
}

export async function setDigestFrequency(ctx: Ctx, actor: Actor, input: unknown) {
  const { frequency } = parse(DigestPreferenceSchema, input);
  await ctx.db.digestSettings.upsert({ where: { userId: actor.id }, create: { userId: actor.id, frequency }, update: { frequency } });
  return { frequency };
}

/** What a person's digest holds right now: only what they may open. `since` bounds the mentions. */
export async function composeDigest(ctx: Ctx, userId: string, since: Date): Promise<DigestContent> {
  const u = await ctx.db.user.findUnique({ where: { id: userId }, select: { id: true, role: true, departmentId: true, active: true } });
  if (!u) return { unanswered: [], insights: [], mentions: [] };
  const actor: Actor = { id: u.id, role: u.role as Actor["role"], departmentId: u.departmentId, active: u.active };
  const now = ctx.clock.now();
  const [followed, skills, teamIds] = await Promise.all([
    ctx.db.tagFollow.findMany({ where: { userId }, select: { skillId: true } }),
    ctx.db.userSkill.findMany({ where: { userId }, select: { skillId: true } }),
    teamIdsOf(ctx, userId),
  ]);
  const tagIds = [...new Set([...followed, ...skills].map((t) => t.skillId))];
  const [questions, insights, mentions] = await Promise.all([
    tagIds.length
      ? ctx.db.question.findMany({
          where: {
            deletedAt: null,
            closedAt: null,
            answerCount: 0,
            authorId: { not: userId },
            createdAt: { gte: new Date(now.getTime() - UNANSWERED_MAX_AGE_MS), lte: now },
            tags: { some: { skillId: { in: tagIds } } },
          },
          orderBy: { createdAt: "desc" },
          take: SECTION_MAX,
          select: { id: true, title: true, authorId: true, deletedAt: true, createdAt: true, author: { select: { name: true } }, tags: { select: { skill: { select: { label: true } } } } },
        })
      : [],
    teamIds.length
      ? ctx.db.insight.findMany({
          where: { status: { in: OPEN_INSIGHT }, routes: { some: { teamId: { in: teamIds } } } },
          orderBy: { createdAt: "asc" },
          take: SECTION_MAX,
          select: { id: true, text: true, status: true, createdAt: true, account: { select: { name: true } }, routes: { where: { teamId: { in: teamIds } }, select: { team: { select: { name: true } } } } },
        })
      : [],
    ctx.db.docMention.findMany({
      where: { userId, notifiedAt: { gt: since, lte: now } },
      orderBy: { notifiedAt: "desc" },
      take: SECTION_MAX * 3,
      select: {
        notifiedAt: true,
        doc: { select: { ...docAccessSelect, title: true, lastEditedBy: { select: { name: true } } } },
      },
    }),
  ]);
  return {
    unanswered: questions
      .filter((q) => can(actor, "question.view", { authorId: q.authorId, deleted: !!q.deletedAt }))
      .map((q) => ({ id: q.id, title: q.title, tags: q.tags.map((t) => t.skill.label), askedBy: q.author.name, createdAt: q.createdAt.toISOString() })),
    insights: insights.map((i) => ({
      id: i.id,
      text: i.text,
      account: i.account?.name ?? null,
      team: i.routes.map((r) => r.team.name).join(", "),
      status: i.status,
      createdAt: i.createdAt.toISOString(),
    })),
    mentions: mentions
      .filter((m) => can(actor, "doc.read", subjectOf(m.doc, teamIds)))
      .slice(0, SECTION_MAX)
      .map((m) => ({ docId: m.doc.id, title: m.doc.title, by: m.doc.lastEditedBy?.name ?? null, at: m.notifiedAt.toISOString() })),
  };
}

async function deliver(ctx: Ctx, user: { id: string; email: string; name: string; timeZone: string }, content: DigestContent, frequency: "daily" | "weekly", preview = false) {
  if (!ctx.mailer) throw new Error("No mail transport is configured (SMTP_URL).");
  const mail = renderDigest(user, content, { appUrl: ctx.env.APP_URL, frequency, preview });
  return ctx.mailer.send({
    to: user.email,
    subject: mail.subject,
    text: mail.text,
    html: mail.html,
    headers: { "List-Unsubscribe": `<${mail.preferencesUrl}>` },
  });
}

/**
 * System verb (the sweeper): sends every digest that is due now and not yet claimed; empty ones
 * are recorded as "empty" and not sent. Returns what it did.
 */
export async function sendDueDigests(ctx: Ctx) {
  const now = ctx.clock.now();
  const done = { sent: 0, empty: 0, failed: 0 };
  // Scheduled mail goes out only through a mail server someone configured (decision 058): the
  // development sink keeps only mail a person asked for (password links, a digest preview).
  if (!ctx.mailer || !ctx.env.SMTP_URL) return done;
  const users = await ctx.db.user.findMany({
    where: { active: true },
    select: { id: true, email: true, name: true, timeZone: true, digestSettings: { select: { frequency: true } } },
  });
  const due = users
    .map((u) => {
      const frequency = (u.digestSettings?.frequency ?? DEFAULT_FREQUENCY) as DigestFrequency;
      return { user: u, frequency, key: digestPeriodKey(now, u.timeZone, frequency, ctx.env.DIGEST_HOUR) };
    })
    .filter((d): d is typeof d & { key: string; frequency: "daily" | "weekly" } => d.key !== null);
  const claimed = new Set(
    (await ctx.db.digestDelivery.findMany({ where: { periodKey: { in: [...new Set(due.map((d) => d.key))] } }, select: { userId: true, periodKey: true } })).map(
      (r) => `${r.userId} ${r.periodKey}`,
    ),
  );
  for (const d of due) {
    if (claimed.has(`${d.user.id} ${d.key}`)) continue;
    // The claim: a second instance (or a sweep after a restart) fails on the unique key and moves on.
    const claim = await ctx.db.digestDelivery
      .create({ data: { userId: d.user.id, periodKey: d.key, status: "sending", createdAt: now }, select: { id: true } })
      .catch(() => null);
    if (!claim) continue;
    const last = await ctx.db.digestDelivery.findFirst({
      where: { userId: d.user.id, status: { in: ["sent", "empty"] }, NOT: { periodKey: { startsWith: "preview:" } } },
      orderBy: { createdAt: "desc" },
      select: { createdAt: true },
    });
    const content = await composeDigest(ctx, d.user.id, last?.createdAt ?? new Date(now.getTime() - PERIOD_MS[d.frequency]));
    const count = digestSize(content);
    if (!count) {
      await ctx.db.digestDelivery.update({ where: { id: claim.id }, data: { status: "empty" } });
      done.empty++;
      continue;
    }
    try {
      await deliver(ctx, d.user, content, d.frequency);
      await ctx.db.digestDelivery.update({ where: { id: claim.id }, data: { status: "sent", itemCount: count, sentAt: ctx.clock.now() } });
      done.sent++;
    } catch (err) {
      // Released, so the next sweep tries again.
      await ctx.db.digestDelivery.delete({ where: { id: claim.id } });
      console.error(`[digest] sending to ${d.user.email} failed:`, (err as Error).message);
      done.failed++;
    }
  }
  return done;
}

const PREVIEWS_PER_HOUR = 3;

/** "Send me a preview now": the digest as it would be today, to oneself; a few per hour. */
export async function sendDigestPreview(ctx: Ctx, actor: Actor) {
  if (!ctx.mailer) throw new ValidationError({ form: ["Email is not configured on this server (SMTP_URL), so no preview can be sent."] });
  const limiter = limiterOf(ctx, "digest-preview", PREVIEWS_PER_HOUR, 3_600_000);
  const now = ctx.clock.now();
  const wait = await limiter.retryAfter(actor.id, now.getTime());
  if (wait) throw new RateLimitedError(wait);
  await limiter.hit(actor.id, now.getTime());
  const user = await ctx.db.user.findUniqueOrThrow({ where: { id: actor.id }, select: { id: true, email: true, name: true, timeZone: true } });
  const { frequency } = await getDigestSettings(ctx, actor);
  const period = frequency === "daily" ? "daily" : "weekly";
  const content = await composeDigest(ctx, actor.id, new Date(now.getTime() - PERIOD_MS[period]));
  await deliver(ctx, user, content, period, true);
  await ctx.db.digestDelivery.create({
    data: { userId: actor.id, periodKey: `preview:${now.getTime()}:${randomBytes(4).toString("hex")}`, status: "sent", itemCount: digestSize(content), createdAt: now, sentAt: now },
  });
  return { to: user.email, items: digestSize(content) };
}
