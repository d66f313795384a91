/**
 * The feed verbs one by one (server/domain/feed.ts): what each recorder writes, how an item is
 * presented (verb, why, link, excerpt), the cursor, and the live fan-out's matching — the details
 * the end-to-end feed tests (feed.test.ts) pass through without pinning down.
 */
import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { startTestApp, type TestApp } from "../../helpers/app.js";
import { manualClock } from "../../helpers/clock.js";
import { body } from "../questions/helpers.js";
import * as feed from "../../../server/domain/feed.js";
import { feedCandidates, feedItemsFor, getFeed, recordDocEdited, recordDocMentioned, recordInsightRouted, recordQuestionRouted } from "../../../server/domain/feed.js";
import { feedWorld, type FeedWorld } from "./world.js";

let app: TestApp;
let w: FeedWorld;
let clock: ReturnType<typeof manualClock>;
const domain = () => app.atrium.domain;

beforeEach(async () => {
  clock = manualClock("2031-04-14T09:00:00Z", { stepMs: 1 });
  app = await startTestApp({ clock });
  w = await feedWorld(app.atrium);
  await domain().follows.followPerson(w.people.ana.actor, w.people.ben.user.id);
});
afterEach(() => app.close());

const feedOf = async (who: keyof FeedWorld["people"], input: Record<string, unknown> = {}) => (await domain().feed.getFeed(w.people[who].actor, input)).items;

describe("presenting", () => {
  test("a long question body is one line, cut to 200 characters with an ellipsis; the actor comes with initials", async () => {
    const words = Array.from({ length: 60 }, (_, n) => `word${n}`).join("  \n ");
    const q = await domain().questions.askQuestion(w.people.ben.actor, { title: "A question with a long body", body: body(words), tags: ["onboarding"] });
    const [item] = await feedOf("ana");
    expect(item).toMatchObject({ kind: "question.asked", title: "A question with a long body", link: `/questions/${q.id}`, actor: { name: "Ben Followed", initials: "BF" } });
    const flat = words.replace(/\s+/g, " ");
    expect(item!.excerpt).toBe(`${flat.slice(0, 199).trimEnd()}…`);
    expect(item!.excerpt).toHaveLength(200);
    // Whitespace around the text is trimmed.
    await app.atrium.db.question.update({ where: { id: q.id }, data: { bodyText: "\n  Padded   body \n" } });
    expect((await feedOf("ana"))[0]!.excerpt).toBe("Padded body");
  });
});

describe("presenting, continued", () => {
  test("a document's excerpt is its text on one line, trimmed, cut to 160 characters at a word end", async () => {
    const d = await domain().docs.createDocument(w.people.ben.actor, { title: "Travel policy", spaceId: w.space.company.id, visibility: "company" });
    const text = `   Lead\n\n   in ${"a".repeat(150)}  ${"b".repeat(40)}`;
    await app.atrium.db.document.update({ where: { id: d.id }, data: { plainText: text } });
    const item = (await feedOf("ana")).find((i) => i.kind === "doc.created")!;
    // "Lead in " is 8 characters, the a's 150: the 159th character is the space after them, dropped before the ellipsis.
    expect(item.excerpt).toBe(`Lead in ${"a".repeat(150)}…`);
    await app.atrium.db.document.update({ where: { id: d.id }, data: { plainText: "  Short  and\tplain \n" } });
    expect((await feedOf("ana")).find((i) => i.kind === "doc.created")!.excerpt).toBe("Short and plain");
    // Exactly 160 characters is not cut.
    await app.atrium.db.document.update({ where: { id: d.id }, data: { plainText: "c".repeat(160) } });
    expect((await feedOf("ana")).find((i) => i.kind === "doc.created")!.excerpt).toBe("c".repeat(160));
  });

  test("an insight's title names its account and quotes its text, cut to 90 characters; without an account, the quote alone", async () => {
    const { admin, dee } = w.people;
    await domain().routingRules.createRule(admin.actor, { name: "Refunds", enabled: true, teamIds: [w.teams.support.id], priority: "normal", ackWithin: "1h", resolveWithin: "1d", conditions: { topics: ["refunds"] } });
    const acme = await app.atrium.db.customerAccount.create({ data: { name: "Acme Ltd" } });
    const long = `My refund ${"x".repeat(120)}`;
    const withAccount = await domain().insights.createInsight(dee.actor, { text: long, channel: "email", topics: ["refunds"], accountId: acme.id });
    const without = await domain().insights.createInsight(dee.actor, { text: "Where is my refund?", channel: "email", topics: ["refunds"] });
    for (const ctx of [app.atrium.ctx, { ...app.atrium.ctx, reads: undefined }]) {
      const items = (await getFeed(ctx, w.people.ana.actor, { limit: 50 })).items;
      const byLink = new Map(items.map((i) => [i.link, i]));
      expect(byLink.get(`/insights/${withAccount.id}`)).toMatchObject({ title: `Acme Ltd: “${long.slice(0, 89)}…”`, excerpt: "", verb: "posted a customer insight" });
      expect(byLink.get(`/insights/${without.id}`)?.title).toBe("“Where is my refund?”");
    }
  });

  test("an answer on a question I follow in a tag I follow says why by the question, not the tag; a question in that tag by the tag", async () => {
    const { ana, dee } = w.people;
    await app.atrium.db.skill.create({ data: { name: "kubernetes", label: "Kubernetes" } });
    await domain().follows.setFollow(ana.actor, { kind: "tag", id: "kubernetes", follow: true });
    const q = await domain().questions.askQuestion(dee.actor, { title: "Which kubernetes version?", body: body("Details."), tags: ["kubernetes"] });
    await domain().follows.setFollow(ana.actor, { kind: "question", id: q.id, follow: true });
    const a = await domain().questions.answerQuestion(dee.actor, q.id, { body: body("1.31.") });
    const items = await feedOf("ana");
    // One reacts on the answer itself, and on the question where it was asked.
    expect(items.map((i) => i.reactOn && [i.reactOn.targetType, i.reactOn.targetId])).toEqual([
      ["answer", a.id],
      ["question", q.id],
    ]);
    expect(items.map((i) => [i.kind, i.why])).toEqual([
      ["answer.posted", "On a question you follow"],
      ["question.asked", "In Kubernetes, a tag you follow"],
    ]);
  });
});

describe("what the page leaves out", () => {
  test("a deleted answer leaves the feed; a row whose question, document and insight are all gone is left out, not shown empty", async () => {
    const { ana, dee, ben } = w.people;
    const q = await domain().questions.askQuestion(ana.actor, { title: "Which laptop for new hires?", body: body("Details."), tags: ["onboarding"] });
    const a = await domain().questions.answerQuestion(dee.actor, q.id, { body: body("The 14 inch one.") });
    expect((await feedOf("ana")).map((i) => i.kind)).toEqual(["answer.posted"]);
    await domain().questions.deleteAnswer(dee.actor, a.id, { reason: "wrong" });
    expect(await feedOf("ana")).toEqual([]);
    // Ben is followed: a row of his about nothing (a partial record) must not reach the page.
    await app.atrium.db.activityItem.create({ data: { kind: "question.asked", createdAt: clock.now(), actorId: ben.user.id } });
    for (const ctx of [app.atrium.ctx, { ...app.atrium.ctx, reads: undefined }]) {
      expect(await getFeed(ctx, ana.actor, {})).toEqual({ items: [], nextCursor: null });
    }
  });
});

describe("paging", () => {
  const cursorOf = (s: string) => Buffer.from(s).toString("base64url");

  test("a cursor without a time, without an id or with a time that is not a number is refused (422)", async () => {
    for (const bad of [".abc", "123.", "abc.def", "123"]) {
      await expect(() => domain().feed.getFeed(w.people.ana.actor, { cursor: cursorOf(bad) }), bad).rejects.toMatchObject({ status: 422, fieldErrors: { cursor: ["That cursor is not valid."] } });
    }
    // A well-formed one is accepted (nothing older than the epoch).
    expect(await domain().feed.getFeed(w.people.ana.actor, { cursor: cursorOf("1.zzz") })).toEqual({ items: [], nextCursor: null });
  });

  test("rows of the same moment page by id: each exactly once, on both reads; the end is marked exactly", async () => {
    const at = new Date("2031-04-14T10:00:00Z");
    for (let n = 0; n < 5; n++) await domain().questions.askQuestion(w.people.ben.actor, { title: `Same moment ${n}`, body: body("x"), tags: ["onboarding"] });
    await app.atrium.db.activityItem.updateMany({ data: { createdAt: at } });
    const rows = await app.atrium.db.activityItem.findMany({ orderBy: { id: "desc" }, select: { id: true } });
    expect(rows).toHaveLength(5);
    for (const ctx of [app.atrium.ctx, { ...app.atrium.ctx, reads: undefined }]) {
      const seen: string[] = [];
      const cursors: (string | null)[] = [];
      let cursor: string | undefined;
      do {
        const page = await getFeed(ctx, w.people.ana.actor, { cursor, limit: 2 });
        seen.push(...page.items.map((i) => i.id));
        cursors.push(page.nextCursor);
        cursor = page.nextCursor ?? undefined;
      } while (cursor && cursors.length < 10);
      expect(seen).toEqual(rows.map((r) => r.id));
      // 2 + 2 + 1: the last page ends before its limit and says so.
      expect(cursors.map((c) => c !== null)).toEqual([true, true, false]);
      // A page that ends exactly at the last row says so too.
      expect((await getFeed(ctx, w.people.ana.actor, { limit: 5 })).nextCursor).toBeNull();
      expect((await getFeed(ctx, w.people.ana.actor, { limit: 4 })).nextCursor).not.toBeNull();
    }
  });

  test("a page whose last item is the last row scanned ends the feed, even when rows before it were unreadable", async () => {
    for (let n = 0; n < 3; n++) await domain().questions.askQuestion(w.people.ben.actor, { title: `Readable ${n}`, body: body("x"), tags: ["onboarding"] });
    for (let n = 0; n < 3; n++) await domain().docs.createDocument(w.people.ben.actor, { title: `Private ${n}`, spaceId: w.space.company.id, visibility: "private" });
    // Six rows, newest first: three Ana may not read, then her three.
    for (const ctx of [app.atrium.ctx, { ...app.atrium.ctx, reads: undefined }]) {
      const page = await getFeed(ctx, w.people.ana.actor, { limit: 3 });
      expect(page.items.map((i) => i.title)).toEqual(["Readable 2", "Readable 1", "Readable 0"]);
      expect(page.nextCursor).toBeNull();
    }
  });
});

/**
 * Every way an item reaches a feed, once: a followed person, a followed space, the department, a
 * followed tag, a followed question (answer, acceptance), a route to me, a mention of me, my team's
 * insight; and rows some may not read (a department-only document).
 */
async function richWorld() {
  const { ana, ben, cai, dee, admin } = w.people;
  await app.atrium.db.skill.create({ data: { name: "kubernetes", label: "Kubernetes" } });
  await domain().follows.setFollow(ana.actor, { kind: "tag", id: "kubernetes", follow: true });
  await domain().follows.setFollow(ben.actor, { kind: "tag", id: "kubernetes", follow: true });
  await domain().follows.followSpace(ana.actor, w.space.sales.id);
  await domain().follows.followSpace(cai.actor, w.space.engineering.id);
  await domain().questions.askQuestion(ben.actor, { title: "Ben asks", body: body("b"), tags: ["onboarding"] });
  await domain().questions.askQuestion(cai.actor, { title: "Cai asks", body: body("c"), tags: ["onboarding"] });
  const k = await domain().questions.askQuestion(dee.actor, { title: "Dee asks about kubernetes", body: body("d"), tags: ["kubernetes"] });
  await domain().follows.setFollow(ana.actor, { kind: "question", id: k.id, follow: true });
  const answer = await domain().questions.answerQuestion(cai.actor, k.id, { body: body("Cai answers") });
  await domain().questions.acceptAnswer(dee.actor, answer.id);
  const routed = await domain().questions.askQuestion(dee.actor, { title: "Dee routes", body: body("r"), tags: ["onboarding"] });
  await domain().questions.askPerson(dee.actor, routed.id, { userId: ana.user.id });
  const salesDoc = await domain().docs.createDocument(dee.actor, { title: "Sales company doc", spaceId: w.space.sales.id, visibility: "company" });
  await recordDocEdited(app.atrium.ctx, { docId: salesDoc.id, editorIds: [dee.user.id], at: new Date(clock.now().getTime() + 2 * 3_600_000).toISOString() });
  await domain().docs.createDocument(dee.actor, { title: "Sales department doc", spaceId: w.space.sales.id });
  const eng = await domain().docs.createDocument(cai.actor, { title: "Engineering doc", spaceId: w.space.engineering.id, visibility: "company" });
  await recordDocMentioned(app.atrium.ctx, { docId: eng.id, userIds: [ana.user.id], byId: cai.user.id });
  await domain().routingRules.createRule(admin.actor, { name: "Refunds", enabled: true, teamIds: [w.teams.support.id], priority: "normal", ackWithin: "1h", resolveWithin: "1d", conditions: { topics: ["refunds"] } });
  await domain().insights.createInsight(dee.actor, { text: "Refund please", channel: "email", topics: ["refunds"] });
}

describe("one world, three reads that must agree", () => {
  test("Ana's page names every reason once; the Prisma read gives every person exactly the prepared read's page", async () => {
    await richWorld();
    const viaPrisma = { ...app.atrium.ctx, reads: undefined };
    const ana = await getFeed(viaPrisma, w.people.ana.actor, { limit: 50 });
    expect(ana.items.map((i) => `${i.kind} ${i.title}: ${i.why}`).sort()).toEqual(
      [
        "answer.accepted Dee asks about kubernetes: On a question you follow",
        "answer.posted Dee asks about kubernetes: On a question you follow",
        "doc.created Engineering doc: In your department",
        "doc.created Sales company doc: In Sales, a space you follow",
        "doc.edited Sales company doc: In Sales, a space you follow",
        "doc.mentioned Engineering doc: You were mentioned",
        "insight.routed “Refund please”: For your team Support Desk",
        "question.asked Ben asks: You follow Ben Followed",
        "question.asked Cai asks: In your department",
        "question.asked Dee asks about kubernetes: In Kubernetes, a tag you follow",
        "question.routed Dee routes: Routed to you",
      ].sort(),
    );
    for (const person of Object.values(w.people)) {
      expect(await getFeed(viaPrisma, person.actor, { limit: 50 }), person.user.name).toEqual(await getFeed(app.atrium.ctx, person.actor, { limit: 50 }));
    }
  });

  test("the live fan-out gives each person exactly their page's item, and the candidates (both reads) include everyone who gets one", async () => {
    await richWorld();
    const everyone = Object.values(w.people);
    const ids = everyone.map((p) => p.user.id);
    const pages = new Map(await Promise.all(everyone.map(async (p) => [p.user.id, (await getFeed(app.atrium.ctx, p.actor, { limit: 50 })).items] as const)));
    const rows = await app.atrium.db.activityItem.findMany({ select: { id: true, kind: true, actorId: true } });
    expect(new Set(rows.map((r) => r.kind)).size).toBe(8);
    let delivered = 0;
    for (const row of rows) {
      const items = await feedItemsFor(app.atrium.ctx, ids, row.id);
      const sql = (await feedCandidates(app.atrium.ctx, row.id)).sort();
      expect(sql, row.kind).toEqual((await feedCandidates({ ...app.atrium.ctx, reads: undefined }, row.id)).sort());
      expect(sql).not.toContain(row.actorId);
      for (const id of ids) {
        const onPage = pages.get(id)!.find((i) => i.id === row.id) ?? null;
        expect(items.get(id) ?? null, `${row.kind} for ${id}`).toEqual(onPage);
        if (onPage) {
          delivered++;
          expect(sql, `${row.kind} candidates`).toContain(id);
        }
      }
    }
    expect(delivered).toBeGreaterThan(15);
    // An answer's candidates are the question's followers (and the answerer's followers and
    // department), not the followers of its tags: Ben follows the tag, not the question.
    const answered = rows.find((r) => r.kind === "answer.posted")!;
    const followers = (await app.atrium.db.questionFollow.findMany({ where: { question: { title: "Dee asks about kubernetes" } }, select: { userId: true } })).map((f) => f.userId);
    expect(followers).not.toContain(w.people.ben.user.id);
    for (const c of [app.atrium.ctx, { ...app.atrium.ctx, reads: undefined }]) {
      expect((await feedCandidates(c, answered.id)).sort()).toEqual([...new Set([...followers, w.people.ana.user.id])].filter((id) => id !== w.people.cai.user.id).sort());
    }
  });
});

const activity = () =>
  app.atrium.db.activityItem.findMany({
    orderBy: [{ kind: "asc" }, { targetUserId: "asc" }],
    select: { kind: true, createdAt: true, actorId: true, departmentId: true, targetUserId: true, questionId: true, answerId: true, docId: true, spaceId: true, insightId: true },
  });

describe("recording", () => {
  test("each recorder writes who, what and where, with the actor's department at the time; the prepared and the Prisma writes agree, and each row is announced", async () => {
    const { ana, ben, cai, dee, admin } = w.people;
    const ctx = app.atrium.ctx;
    expect(ctx.writes).toBeDefined();
    const q = await domain().questions.askQuestion(ben.actor, { title: "Which renewals need a signature?", body: body("q"), tags: ["onboarding"] });
    const a = await domain().questions.answerQuestion(cai.actor, q.id, { body: body("a") });
    await domain().questions.acceptAnswer(ben.actor, a.id);
    const d = await domain().docs.createDocument(admin.actor, { title: "Renewal guide", spaceId: w.space.company.id, visibility: "company" });
    await domain().routingRules.createRule(admin.actor, { name: "Refunds", enabled: true, teamIds: [w.teams.support.id], priority: "normal", ackWithin: "1h", resolveWithin: "1d", conditions: { topics: ["refunds"] } });
    const i = await domain().insights.createInsight(dee.actor, { text: "Refund please", channel: "email", topics: ["refunds"] });
    await app.atrium.db.activityItem.deleteMany({});

    const routedAt = "2031-04-15T08:00:00.000Z";
    const record = async (c: typeof ctx) => {
      const announced: string[] = [];
      const off = c.bus.subscribe("feed.recorded", (p) => void announced.push(p.activityId));
      const ids = [
        ...(await feed.recordQuestionAsked(c, { questionId: q.id })),
        ...(await feed.recordAnswerPosted(c, { answerId: a.id })),
        ...(await feed.recordAnswerAccepted(c, { questionId: q.id, answerId: a.id })),
        ...(await recordQuestionRouted(c, { questionId: q.id, userIds: [ana.user.id, "nobody", dee.user.id], at: routedAt })),
        ...(await feed.recordDocCreated(c, { docId: d.id })),
        ...(await recordDocMentioned(c, { docId: d.id, userIds: [cai.user.id, "nobody"], byId: ben.user.id })),
        ...(await recordInsightRouted(c, { insight: { id: i.id } })),
      ];
      off();
      expect(announced).toEqual(ids);
      expect(new Set(ids).size).toBe(ids.length);
      const rows = await activity();
      expect((await app.atrium.db.activityItem.findMany({ select: { id: true } })).map((r) => r.id).sort()).toEqual([...ids].sort());
      await app.atrium.db.activityItem.deleteMany({});
      return rows;
    };
    const prepared = await record(ctx);
    const answer = await app.atrium.db.answer.findUniqueOrThrow({ where: { id: a.id } });
    const question = await app.atrium.db.question.findUniqueOrThrow({ where: { id: q.id } });
    const doc = await app.atrium.db.document.findUniqueOrThrow({ where: { id: d.id } });
    const insight = await app.atrium.db.insight.findUniqueOrThrow({ where: { id: i.id } });
    const none = { targetUserId: null, questionId: null, answerId: null, docId: null, spaceId: null, insightId: null };
    const sales = w.departments.sales.id;
    const eng = w.departments.engineering.id;
    expect(prepared).toEqual([
      { ...none, kind: "answer.accepted", createdAt: answer.acceptedAt, actorId: ben.user.id, departmentId: sales, questionId: q.id, answerId: a.id },
      { ...none, kind: "answer.posted", createdAt: answer.createdAt, actorId: cai.user.id, departmentId: eng, questionId: q.id, answerId: a.id },
      { ...none, kind: "doc.created", createdAt: doc.createdAt, actorId: admin.user.id, departmentId: null, docId: d.id, spaceId: w.space.company.id },
      expect.objectContaining({ ...none, kind: "doc.mentioned", actorId: ben.user.id, departmentId: sales, targetUserId: cai.user.id, docId: d.id, spaceId: w.space.company.id }),
      { ...none, kind: "insight.routed", createdAt: insight.createdAt, actorId: dee.user.id, departmentId: sales, insightId: i.id },
      { ...none, kind: "question.asked", createdAt: question.createdAt, actorId: ben.user.id, departmentId: sales, questionId: q.id },
      ...[ana, dee]
        .sort((x, y) => (x.user.id < y.user.id ? -1 : 1))
        .map((p) => ({ ...none, kind: "question.routed", createdAt: new Date(routedAt), actorId: ben.user.id, departmentId: sales, targetUserId: p.user.id, questionId: q.id })),
    ]);
    const viaPrisma = await record({ ...ctx, writes: undefined, reads: undefined });
    // A mention is dated when it is recorded (the clock moved on between the two).
    const undated = (rows: typeof prepared) => rows.map((r) => (r.kind === "doc.mentioned" ? { ...r, createdAt: null } : r));
    expect(undated(viaPrisma)).toEqual(undated(prepared));
  });

  test("an acceptance of an answer not accepted records nothing; a route with a time that is not a time is dated now; no user ids, nobody; a mention by someone unknown has no actor", async () => {
    const { ana, ben, cai } = w.people;
    const q = await domain().questions.askQuestion(ben.actor, { title: "Which renewals need a signature?", body: body("q"), tags: ["onboarding"] });
    const d = await domain().docs.createDocument(ben.actor, { title: "Renewal guide", spaceId: w.space.company.id, visibility: "company" });
    const a = await domain().questions.answerQuestion(cai.actor, q.id, { body: body("a") });
    await app.atrium.db.activityItem.deleteMany({});
    const ctx = app.atrium.ctx;
    // An answer that is not (or no longer) accepted: nothing to record.
    expect(await feed.recordAnswerAccepted(ctx, { questionId: q.id, answerId: a.id })).toEqual([]);
    const now = clock.now().getTime();
    const [id] = await recordQuestionRouted(ctx, { questionId: q.id, userIds: [ana.user.id], at: "not a time" });
    const row = await app.atrium.db.activityItem.findUniqueOrThrow({ where: { id: id! } });
    expect(row.createdAt.getTime()).toBeGreaterThan(now);
    expect(row.createdAt.getTime()).toBeLessThan(now + 100);
    expect(await recordQuestionRouted(ctx, { questionId: q.id, userIds: undefined as unknown as string[], at: clock.now().toISOString() })).toEqual([]);
    expect(await recordDocMentioned(ctx, { docId: d.id, userIds: undefined as unknown as string[], byId: ben.user.id })).toEqual([]);
    const before = clock.now().getTime();
    await recordDocMentioned(ctx, { docId: d.id, userIds: [cai.user.id], byId: "nobody" });
    await recordDocMentioned(ctx, { docId: d.id, userIds: [ana.user.id], byId: null });
    const mentions = await app.atrium.db.activityItem.findMany({ where: { kind: "doc.mentioned" }, orderBy: { createdAt: "asc" } });
    expect(mentions.map((m) => [m.targetUserId, m.actorId, m.departmentId])).toEqual([
      [cai.user.id, null, null],
      [ana.user.id, null, null],
    ]);
    expect(mentions[0]!.createdAt.getTime()).toBeGreaterThan(before);
    expect(mentions[1]!.createdAt.getTime()).toBeLessThan(before + 100);
    expect(await app.atrium.db.activityItem.count()).toBe(3);
    // A mention by nobody known still reaches the one mentioned, on both reads, without an actor.
    for (const c of [ctx, { ...ctx, reads: undefined }]) {
      expect((await getFeed(c, ana.actor, {})).items.filter((i) => i.kind === "doc.mentioned")).toMatchObject([{ actor: null, why: "You were mentioned", title: "Renewal guide" }]);
    }
  });
});

describe("recording settled edits", () => {
  const H = 3_600_000;
  const M = 60_000;

  test("one row per editor per document per hour: a new editor gets a row, a recent one is moved up, and open feeds hear of it only after ten quiet minutes", async () => {
    const { ben, cai, dee } = w.people;
    const d = await domain().docs.createDocument(ben.actor, { title: "Renewal guide", spaceId: w.space.company.id, visibility: "company" });
    const created = await app.atrium.db.activityItem.findFirstOrThrow({ where: { docId: d.id, kind: "doc.created" } });
    const t0 = created.createdAt.getTime();
    const ctx = app.atrium.ctx;
    const announced: string[] = [];
    const off = ctx.bus.subscribe("feed.recorded", (p) => void announced.push(p.activityId));
    const edit = (editorIds: string[], at: number) => recordDocEdited(ctx, { docId: d.id, editorIds, at: new Date(at).toISOString() });
    const rowOf = (actorId: string) => app.atrium.db.activityItem.findFirstOrThrow({ where: { docId: d.id, actorId, kind: "doc.edited" } });

    // The owner just created it: "created" says enough. Cai's first edit is a row of its own.
    expect(await edit([ben.user.id], t0 + 5 * M)).toEqual([]);
    const [caiRow] = await edit([cai.user.id, "nobody"], t0 + 5 * M);
    expect(announced).toEqual([caiRow]);
    // Three minutes later: moved up, not announced again.
    expect(await edit([cai.user.id], t0 + 8 * M)).toEqual([caiRow]);
    expect((await rowOf(cai.user.id)).createdAt.getTime()).toBe(t0 + 8 * M);
    expect(announced).toEqual([caiRow]);
    // Just short of ten quiet minutes: still quiet; at ten exactly: announced.
    await edit([cai.user.id], t0 + 18 * M - 1);
    expect(announced).toEqual([caiRow]);
    await edit([cai.user.id], t0 + 28 * M - 1);
    expect(announced).toEqual([caiRow, caiRow]);
    // An hour exactly after the last move it still counts as the same burst; a millisecond later it is a new row.
    expect(await edit([cai.user.id], t0 + 88 * M - 1)).toEqual([caiRow]);
    const [later] = await edit([cai.user.id], t0 + 148 * M);
    expect(later).not.toBe(caiRow);
    expect(await app.atrium.db.activityItem.count({ where: { docId: d.id, actorId: cai.user.id } })).toBe(2);
    // Two editors at once: Cai's row moves, Dee's is new; the moved one comes first.
    const both = await edit([cai.user.id, dee.user.id], t0 + 150 * M);
    expect(both[0]).toBe(later);
    expect(both).toHaveLength(2);
    expect((await rowOf(dee.user.id)).id).toBe(both[1]);
    // Ben's "created" is long past: his edit now is a row.
    expect(await edit([ben.user.id], t0 + 2 * H)).toHaveLength(1);
    off();
    // A time that is not a time, or no editors: nothing.
    expect(await recordDocEdited(ctx, { docId: d.id, editorIds: [cai.user.id], at: "soon" })).toEqual([]);
    expect(await recordDocEdited(ctx, { docId: d.id, editorIds: undefined as unknown as string[], at: new Date(t0 + 3 * H).toISOString() })).toEqual([]);
  });

  test("the editor's latest row decides: an edit after a created row is moved up, and a mention by the editor is not an edit", async () => {
    const { ben, cai } = w.people;
    const d = await domain().docs.createDocument(ben.actor, { title: "Renewal guide", spaceId: w.space.company.id, visibility: "company" });
    const t0 = clock.now().getTime() + 3 * H;
    const base = { docId: d.id, spaceId: w.space.company.id, actorId: cai.user.id };
    await app.atrium.db.activityItem.create({ data: { ...base, kind: "doc.created", createdAt: new Date(t0 - 50 * M) } });
    const edited = await app.atrium.db.activityItem.create({ data: { ...base, kind: "doc.edited", createdAt: new Date(t0 - 5 * M) } });
    expect(await recordDocEdited(app.atrium.ctx, { docId: d.id, editorIds: [cai.user.id], at: new Date(t0).toISOString() })).toEqual([edited.id]);
    // Ben mentioned someone a minute ago: his edit is still a row of its own.
    await app.atrium.db.activityItem.create({ data: { ...base, actorId: ben.user.id, kind: "doc.mentioned", targetUserId: cai.user.id, createdAt: new Date(t0 - M) } });
    const [mine] = await recordDocEdited(app.atrium.ctx, { docId: d.id, editorIds: [ben.user.id], at: new Date(t0).toISOString() });
    expect((await app.atrium.db.activityItem.findUniqueOrThrow({ where: { id: mine! } })).kind).toBe("doc.edited");
  });
});

describe("the live fan-out", () => {
  test("nobody asked, nobody answered; a deactivated follower gets nothing; an unknown row, nothing; the same person twice, one item", async () => {
    const { ana, ben } = w.people;
    const q = await domain().questions.askQuestion(ben.actor, { title: "Which renewals need a signature?", body: body("q"), tags: ["onboarding"] });
    const row = await app.atrium.db.activityItem.findFirstOrThrow({ where: { questionId: q.id } });
    const ctx = app.atrium.ctx;
    expect((await feedItemsFor(ctx, [], row.id)).size).toBe(0);
    expect((await feedItemsFor(ctx, [ana.user.id], "no-such-row")).size).toBe(0);
    expect([...(await feedItemsFor(ctx, [ana.user.id, ana.user.id], row.id)).keys()]).toEqual([ana.user.id]);
    await app.atrium.db.user.update({ where: { id: ana.user.id }, data: { active: false } });
    // Dee is in Ben's department: a candidate while active, not once deactivated.
    expect(await feedCandidates(ctx, row.id)).toContain(w.people.dee.user.id);
    await app.atrium.db.user.update({ where: { id: w.people.dee.user.id }, data: { active: false } });
    expect((await feedItemsFor(ctx, [ana.user.id], row.id)).size).toBe(0);
    for (const c of [ctx, { ...ctx, reads: undefined }]) {
      expect(await feedCandidates(c, "no-such-row")).toEqual([]);
      // Ana still follows Ben, but only active people of the department are candidates by department.
      expect(await feedCandidates(c, row.id)).toContain(ana.user.id);
      expect(await feedCandidates(c, row.id)).not.toContain(w.people.cai.user.id);
      expect(await feedCandidates(c, row.id)).not.toContain(w.people.dee.user.id);
    }
  });
});

describe("paging over rows the reader may not open", () => {
  /** Rows by Ben (whom Ana follows), oldest first: "r" about his question (readable), "u" about his private document (not). */
  async function rows(pattern: string) {
    const { ben } = w.people;
    const q = await domain().questions.askQuestion(ben.actor, { title: "Which renewals need a signature?", body: body("q"), tags: ["onboarding"] });
    const d = await domain().docs.createDocument(ben.actor, { title: "Ben's private notes", spaceId: w.space.company.id, visibility: "private" });
    await app.atrium.db.activityItem.deleteMany({});
    const t0 = Date.parse("2031-04-10T00:00:00Z");
    await app.atrium.db.activityItem.createMany({
      data: [...pattern].map((c, n) =>
        c === "r"
          ? { kind: "question.asked", createdAt: new Date(t0 + n * 1000), actorId: ben.user.id, questionId: q.id }
          : { kind: "doc.created", createdAt: new Date(t0 + n * 1000), actorId: ben.user.id, docId: d.id, spaceId: w.space.company.id },
      ),
    });
    return (await app.atrium.db.activityItem.findMany({ where: { kind: "question.asked" }, orderBy: { createdAt: "desc" }, select: { id: true } })).map((r) => r.id);
  }
  const both = () => [app.atrium.ctx, { ...app.atrium.ctx, reads: undefined }];

  test("a page that fills exactly at the end of its batch goes on: the next page has what lies beyond", async () => {
    // Newest first: ten unreadable, ten readable (a full batch of twenty for a page of ten), then one more.
    const readable = await rows(`r${"r".repeat(10)}${"u".repeat(10)}`);
    for (const ctx of both()) {
      const first = await getFeed(ctx, w.people.ana.actor, { limit: 10 });
      expect(first.items.map((i) => i.id)).toEqual(readable.slice(0, 10));
      expect(first.nextCursor).not.toBeNull();
      const second = await getFeed(ctx, w.people.ana.actor, { limit: 10, cursor: first.nextCursor });
      expect(second).toMatchObject({ items: [{ id: readable[10] }], nextCursor: null });
    }
  });

  test("twenty readable rows on a page of twenty: the page knows it is the last", async () => {
    const readable = await rows("r".repeat(20));
    for (const ctx of both()) expect(await getFeed(ctx, w.people.ana.actor, { limit: 20 })).toMatchObject({ items: readable.map((id) => ({ id })), nextCursor: null });
  });

  test("the page reads twice its size at a time (at least twenty rows), not its whole scan at once", async () => {
    const readable = await rows(`r${"u".repeat(30)}`);
    const reads = app.atrium.ctx.reads!;
    const all = vi.spyOn(reads, "all");
    expect(await getFeed(app.atrium.ctx, w.people.ana.actor, { limit: 3 })).toMatchObject({ items: [{ id: readable[0] }], nextCursor: null });
    const takes = all.mock.calls.filter(([sql]) => String(sql).includes('FROM "ActivityItem" a')).map((args) => args.at(-1));
    expect(takes).toEqual([20, 20]);
    all.mockRestore();
  });

  test("at most 400 rows are looked at per page: past 400 unreadable ones the page is empty but continues, and the next one finds the rest", async () => {
    const readable = await rows(`r${"u".repeat(400)}`);
    for (const ctx of both()) {
      const first = await getFeed(ctx, w.people.ana.actor, { limit: 30 });
      expect(first.items).toEqual([]);
      expect(first.nextCursor).not.toBeNull();
      expect(await getFeed(ctx, w.people.ana.actor, { limit: 30, cursor: first.nextCursor })).toMatchObject({ items: [{ id: readable[0] }], nextCursor: null });
    }
  });
});
