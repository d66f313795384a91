/**
 * Demo data for the involvement dashboard (issue 6, story 4): the chief operating officer (Daniel
 * Weiss) becomes a leader with a demo login, and ten weeks of dated activity — questions answered
 * across departments at various delays, accepted answers, insights acknowledged and resolved per
 * team (a few past their SLA), and documents edited by people from two departments — so that every
 * chart has something to show on a fresh `npm start`.
 *
 * Written once: skipped when the COO's demo login already exists. Call after the other seeds.
 */
import type { Db } from "../server/db.js";
import { hashPassword } from "../server/domain/accounts.js";
import { markdownToState } from "../server/collab/headless.js";
import { htmlToRichText } from "../server/import/html-to-rich-text.js";

export const COO_LOGIN = { role: "leader", email: "coo@atrium.test", password: "atrium-demo-coo", name: "Daniel Weiss" } as const;

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** A small deterministic generator, so every fresh seed tells the same story. */
function prng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const TOPICS = [
  ["How do refunds for duplicate seat charges reach the customer?", "A customer was charged twice for the same seats. Who issues the credit and how long does it take?"],
  ["Which SAML attributes does Okta need for group sync?", "Setting up SSO for a strategic account: which attribute names do we map?"],
  ["Where is the latest pricing page copy?", "Sales needs the approved wording before Thursday's call."],
  ["Can support see a customer's invoice history?", "Customers ask about past invoices on chat; can we look them up ourselves?"],
  ["What is our SOC 2 answer on data retention?", "A prospect's security questionnaire asks how long we keep logs."],
  ["How do I request a laptop for a new starter?", "Someone joins my team on Monday."],
  ["Who owns the CSV import timeouts?", "Customers report that imports over 10 MB time out."],
  ["Is there a template for the customer webinar?", "Marketing is preparing the invoicing launch webinar."],
  ["How do we escalate a strategic account complaint?", "Globex wrote to their account manager directly."],
  ["What does the new mobile app session timeout do?", "Reviews mention being logged out every five minutes."],
  ["How are commissions calculated on annual upgrades?", "An account moved from monthly to annual mid-quarter."],
  ["Which team handles social media praise?", "Lovely post about the Leeds store on LinkedIn — who replies?"],
] as const;

/** The same topics come up again in other contexts: "… (for the Globex renewal)?" rather than "… (3)". */
const CONTEXTS = ["", "for the Globex renewal", "in the EU region", "for next quarter's plan", "for a new hire", "after the last release", "for a strategic account", "in the partner portal"];
function variantTitle(title: string, round: number) {
  const context = CONTEXTS[round % CONTEXTS.length]!;
  if (!context) return title;
  return `${title.replace(/\?$/, "")} ${context}${title.endsWith("?") ? "?" : ""}`;
}

const INSIGHT_TEXTS = [
  "Invoice shows two charges for the same seats again.",
  "SSO login fails for our Okta users after the update.",
  "The export keeps timing out on large files.",
  "Your store staff were fantastic today, thank you!",
  "The app logs me out every few minutes, very annoying.",
  "Refund still not received after three weeks.",
  "Pricing page says one thing, the invoice another.",
  "Support answered within minutes, great service.",
] as const;

export async function seedDashboard(db: Db, now = new Date()): Promise<{ skipped: boolean; questions: number; insights: number; documents: number }> {
  if (await db.user.findUnique({ where: { email: COO_LOGIN.email }, select: { id: true } })) return { skipped: true, questions: 0, insights: 0, documents: 0 };
  const passwordHash = await hashPassword(COO_LOGIN.password);
  const daniel = await db.user.findFirst({ where: { name: COO_LOGIN.name }, select: { id: true } });
  const leadership = await db.department.findUnique({ where: { name: "Leadership" }, select: { id: true } });
  if (daniel) await db.user.update({ where: { id: daniel.id }, data: { email: COO_LOGIN.email, role: "leader", passwordHash } });
  else await db.user.create({ data: { email: COO_LOGIN.email, name: COO_LOGIN.name, title: "Chief Operating Officer", role: "leader", passwordHash, departmentId: leadership?.id ?? null } });

  const people = await db.user.findMany({ where: { active: true, departmentId: { not: null } }, select: { id: true, departmentId: true }, orderBy: { email: "asc" } });
  const byDept = new Map<string, string[]>();
  for (const p of people) (byDept.get(p.departmentId!) ?? byDept.set(p.departmentId!, []).get(p.departmentId!)!).push(p.id);
  const depts = [...byDept.keys()];
  if (depts.length < 2) return { skipped: false, questions: 0, insights: 0, documents: 0 };
  const rnd = prng(42);
  const pick = <T,>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!;
  const at = (msAgo: number) => new Date(now.getTime() - msAgo);

  // Questions over the last ten weeks; delays from minutes to never, mostly across departments.
  const delays = [0.3, 0.8, 1.5, 3, 6, 10, 20, 30, 52, 80, null] as const;
  let questions = 0;
  for (let i = 0; i < 90; i++) {
    const askerDept = pick(depts);
    const asker = pick(byDept.get(askerDept)!);
    const ageMs = (i < 30 ? rnd() * Math.min(20, now.getUTCDate()) : 20 + rnd() * 50) * DAY; // a third in the current month
    const [title, text] = TOPICS[i % TOPICS.length]!;
    const body = htmlToRichText(`<p>${text}</p>`);
    const askedAt = at(ageMs);
    const q = await db.question.create({
      data: { authorId: asker, title: variantTitle(title, Math.floor(i / TOPICS.length)), bodyJson: JSON.stringify(body.doc), bodyText: body.text, createdAt: askedAt, lastActivityAt: askedAt },
    });
    questions++;
    const delay = pick(delays);
    if (delay === null || delay * HOUR >= ageMs) continue;
    const answerDept = rnd() < 0.75 ? pick(depts.filter((d) => d !== askerDept)) : askerDept;
    const answerer = pick(byDept.get(answerDept)!.filter((id) => id !== asker).concat(byDept.get(pick(depts.filter((d) => d !== askerDept)))!));
    const answerBody = htmlToRichText(`<p>Here is what we do: ${text.toLowerCase().slice(0, 60)}… I will share the runbook.</p>`);
    const answeredAt = new Date(askedAt.getTime() + delay * HOUR);
    const a = await db.answer.create({ data: { questionId: q.id, authorId: answerer, bodyJson: JSON.stringify(answerBody.doc), bodyText: answerBody.text, createdAt: answeredAt } });
    const accepted = rnd() < 0.6;
    await db.question.update({
      where: { id: q.id },
      data: { answerCount: 1, lastActivityAt: answeredAt, ...(accepted ? { acceptedAnswerId: a.id } : {}) },
    });
    if (accepted) await db.answer.update({ where: { id: a.id }, data: { acceptedAt: new Date(answeredAt.getTime() + HOUR) } });
  }

  // Insights per team: acknowledged in minutes to days, some resolved, a few past their SLA.
  const teams = await db.team.findMany({ select: { id: true, leadId: true, members: { select: { userId: true } } }, orderBy: { name: "asc" } });
  const ackHours = [0.1, 0.25, 0.5, 1, 2, 4, 9, 26, 70, null] as const;
  let insights = 0;
  for (const t of teams) {
    const handler = t.leadId ?? t.members[0]?.userId ?? null;
    for (let k = 0; k < 5; k++) {
      const ageMs = (k < 3 ? rnd() * Math.min(20, now.getUTCDate()) : 20 + rnd() * 40) * DAY + HOUR;
      const createdAt = at(ageMs);
      const ackH = pick(ackHours);
      const ackAt = ackH !== null && ackH * HOUR < ageMs ? new Date(createdAt.getTime() + ackH * HOUR) : null;
      const resH = ackAt && rnd() < 0.7 ? (ackH ?? 0) + 2 + rnd() * 60 : null;
      const resolvedAt = resH !== null && resH * HOUR < ageMs ? new Date(createdAt.getTime() + resH * HOUR) : null;
      const ackBreached = ackH === null || ackH > 8;
      const resolveBreached = !resolvedAt && ageMs > 3 * DAY;
      const negative = k % 4 !== 3;
      const i = await db.insight.create({
        data: {
          text: INSIGHT_TEXTS[(insights + k) % INSIGHT_TEXTS.length]!,
          channel: pick(["email", "chat", "twitter", "phone"]),
          sentimentScore: negative ? -0.5 : 0.6,
          sentimentLabel: negative ? "negative" : "positive",
          sentimentAuto: negative ? "negative" : "positive",
          status: resolvedAt ? "resolved" : ackAt ? "acknowledged" : "new",
          createdAt,
          acknowledgedAt: ackAt,
          acknowledgedById: ackAt ? handler : null,
          resolvedAt,
          ackBreachedAt: ackBreached ? new Date(createdAt.getTime() + 8 * HOUR) : null,
          resolveBreachedAt: resolveBreached ? new Date(createdAt.getTime() + 3 * DAY) : null,
          routes: { create: [{ teamId: t.id, createdAt }] },
          events: {
            create: [
              { type: "created", createdAt },
              ...(ackAt ? [{ type: "acknowledged", actorId: handler, fromValue: "new", toValue: "acknowledged", createdAt: ackAt }] : []),
              ...(resolvedAt ? [{ type: "resolved", actorId: handler, fromValue: "acknowledged", toValue: "resolved", createdAt: resolvedAt }] : []),
            ],
          },
        },
      });
      void i;
      insights++;
    }
  }

  // Documents edited by people from two departments (revisions name their contributors).
  const docs = await db.document.findMany({ where: { deletedAt: null }, select: { id: true, ownerId: true, plainText: true, owner: { select: { departmentId: true } } } });
  let documents = 0;
  for (const [n, d] of docs.entries()) {
    const ownDept = d.owner.departmentId;
    const otherDept = pick(depts.filter((x) => x !== ownDept));
    const guest = pick(byDept.get(otherDept)!);
    const state = Buffer.from(markdownToState(d.plainText || "Notes"));
    for (const daysAgo of [40 - n * 3, 9 - n, 2]) {
      const createdAt = at(Math.max(0.2, daysAgo) * DAY);
      await db.docRevision.create({ data: { docId: d.id, createdAt, reason: "burst", state, seq: 1, contributorIds: JSON.stringify(n % 2 === 0 || daysAgo === 2 ? [d.ownerId, guest] : [d.ownerId]), preview: (d.plainText || "").slice(0, 120) } });
    }
    documents++;
  }
  return { skipped: false, questions, insights, documents };
}
