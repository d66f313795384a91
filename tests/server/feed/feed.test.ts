/**
 * The home feed: follows of people and spaces (tags and questions reuse Q&A's follows),
 * what each kind of activity puts in whose feed, permission filtering (private documents,
 * trash, deleted posts), paging with a cursor, and bad input.
 */
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { startTestApp, type TestApp } from "../../helpers/app.js";
import { manualClock } from "../../helpers/clock.js";
import { body } from "../questions/helpers.js";
import { backfillActivity } from "../../../server/feed/backfill.js";
import { feedCandidates, getFeed } from "../../../server/domain/feed.js";
import { isFollowingPerson } from "../../../server/domain/follows.js";
import { makePerson } from "../../factories.js";
import { feedWorld, socialSnapshot, type FeedWorld } from "./world.js";

let app: TestApp;
let w: FeedWorld;
let clock: ReturnType<typeof manualClock>;
const domain = () => app.atrium.domain;

// Each test has an app and organisation of its own, in which Ana follows Ben, the Sales space and
// the kubernetes tag. Every reading of the clock moves it on a millisecond, so what a test does
// one thing after another is dated in that order.
beforeEach(async () => {
  clock = manualClock("2031-04-14T09:00:00Z", { stepMs: 1 });
  app = await startTestApp({ clock });
  w = await feedWorld(app.atrium);
  const { ana, ben } = w.people;
  await domain().follows.followPerson(ana.actor, ben.user.id);
  await domain().follows.followSpace(ana.actor, w.space.sales.id);
  await app.atrium.db.skill.create({ data: { name: "kubernetes", label: "Kubernetes" } });
  await domain().follows.setFollow(ana.actor, { kind: "tag", id: "kubernetes", follow: true });
});
afterEach(() => app.close());

const ask = (who: keyof FeedWorld["people"], title: string, tags = ["onboarding"]) =>
  domain().questions.askQuestion(w.people[who].actor, { title, body: body(`${title} — details.`), tags });
const feedOf = async (who: keyof FeedWorld["people"], input: Record<string, unknown> = {}) => (await domain().feed.getFeed(w.people[who].actor, input)).items;
const titles = async (who: keyof FeedWorld["people"]) => (await feedOf(who)).map((i) => `${i.kind}: ${i.title}`);

describe("following", () => {
  test("a person and a space are followed and unfollowed; tags and questions go through the Q&A follows; the Following list shows all four", async () => {
    const { ben } = w.people;
    const fan = await makePerson(app.atrium, { name: "Fern Follows" });
    await domain().follows.setFollow(fan.actor, { kind: "person", id: ben.user.id, follow: true });
    // Twice, the second time as a form sends it: still one row; the answer says what is now followed.
    expect(await domain().follows.setFollow(fan.actor, { kind: "person", id: ` ${ben.user.id} `, follow: "true" })).toEqual({ kind: "person", id: ben.user.id, following: true });
    await domain().follows.setFollow(fan.actor, { kind: "space", id: w.space.sales.id, follow: true });
    // A tag that does not exist yet cannot be followed; once it does, it can.
    expect(await app.atrium.db.skill.count({ where: { name: "terraform" } })).toBe(0);
    await expect(domain().follows.setFollow(fan.actor, { kind: "tag", id: "terraform", follow: true })).rejects.toMatchObject({ status: 404 });
    expect(await app.atrium.db.tagFollow.count({ where: { userId: fan.user.id } })).toBe(0);
    await app.atrium.db.skill.create({ data: { name: "terraform", label: "Terraform" } });
    await domain().follows.setFollow(fan.actor, { kind: "tag", id: "terraform", follow: true });
    expect(await app.atrium.db.personFollow.count({ where: { followerId: fan.user.id } })).toBe(1);
    expect(await app.atrium.db.tagFollow.count({ where: { userId: fan.user.id } })).toBe(1);
    const list = await domain().follows.listFollowing(fan.actor);
    expect(list.people.map((p) => p.name)).toEqual(["Ben Followed"]);
    expect(list.spaces.map((s) => s.name)).toEqual(["Sales"]);
    expect(list.tags).toEqual([{ name: "terraform", label: "Terraform" }]);
    expect(await domain().follows.isFollowingPerson(fan.actor, ben.user.id)).toBe(true);
    expect(await domain().follows.isFollowingSpace(fan.actor, w.space.sales.id)).toBe(true);

    expect(await domain().follows.setFollow(fan.actor, { kind: "space", id: w.space.sales.id, follow: "false" })).toEqual({ kind: "space", id: w.space.sales.id, following: false });
    expect(await domain().follows.isFollowingSpace(fan.actor, w.space.sales.id)).toBe(false);
  });

  test("unfollowing a space ends only that person's follow of that space", async () => {
    const a = await makePerson(app.atrium, { name: "Una Unfollow" });
    const b = await makePerson(app.atrium, { name: "Bo Stays" });
    for (const p of [a, b]) for (const s of [w.space.sales, w.space.engineering]) await domain().follows.followSpace(p.actor, s.id);
    await domain().follows.unfollowSpace(a.actor, w.space.sales.id);
    const rows = await app.atrium.db.spaceFollow.findMany({ where: { userId: { in: [a.user.id, b.user.id] } }, select: { userId: true, spaceId: true } });
    const key = (r: { userId: string; spaceId: string }) => `${r.userId === a.user.id ? "a" : "b"}:${r.spaceId === w.space.sales.id ? "sales" : "engineering"}`;
    expect(rows.map(key).sort()).toEqual(["a:engineering", "b:engineering", "b:sales"]);
  });

  test("refused: following yourself (policy person.follow), a missing person or space, a bad kind — nothing written", async () => {
    const { ana } = w.people;
    const before = await socialSnapshot(app.atrium);
    await expect(domain().follows.setFollow(ana.actor, { kind: "person", id: ana.user.id, follow: true })).rejects.toMatchObject({ status: 403, message: "You cannot follow yourself." });
    await expect(domain().follows.followPerson(ana.actor, "nobody")).rejects.toMatchObject({ status: 404 });
    await expect(domain().follows.followSpace(ana.actor, "nowhere")).rejects.toMatchObject({ status: 404 });
    await expect(domain().follows.setFollow(ana.actor, { kind: "department", id: "x", follow: true })).rejects.toMatchObject({
      status: 422,
      fieldErrors: { kind: ["You can follow a person, a space, a tag or a question."] },
    });
    await expect(domain().follows.setFollow(ana.actor, { kind: "person", id: "", follow: true })).rejects.toMatchObject({ status: 422 });
    expect(await socialSnapshot(app.atrium)).toEqual(before);
  });

  test("the Following list: newest first in each part, active people only, each with initials and photo; a question its author deleted is gone, even for the author", async () => {
    const fan = await makePerson(app.atrium, { name: "Fay Follower" });
    const early = await makePerson(app.atrium, { name: "Earl Early", title: "Clerk" });
    const late = await makePerson(app.atrium, { name: "Lena Late" });
    const gone = await makePerson(app.atrium, { name: "Gus Gone" });
    await app.atrium.db.user.update({ where: { id: late.user.id }, data: { photoPath: "photos/lena.png" } });
    const base = clock.now().getTime();
    for (const [i, p] of [early, late, gone].entries()) {
      await domain().follows.followPerson(fan.actor, p.user.id);
      await app.atrium.db.personFollow.update({ where: { followerId_followeeId: { followerId: fan.user.id, followeeId: p.user.id } }, data: { createdAt: new Date(base + i * 1000) } });
    }
    for (const [i, s] of [w.space.sales, w.space.engineering].entries()) {
      await domain().follows.followSpace(fan.actor, s.id);
      await app.atrium.db.spaceFollow.update({ where: { userId_spaceId: { userId: fan.user.id, spaceId: s.id } }, data: { createdAt: new Date(base + i * 1000) } });
    }
    await app.atrium.db.user.update({ where: { id: gone.user.id }, data: { active: false } });
    const own = await domain().questions.askQuestion(fan.actor, { title: "A question I will take back", body: body("x"), tags: ["following-list"] });
    await domain().questions.deleteQuestion(fan.actor, own.id, {});
    const kept = await domain().questions.askQuestion(early.actor, { title: "A question worth following", body: body("x"), tags: ["following-list"] });
    const second = await domain().questions.askQuestion(late.actor, { title: "A question followed next", body: body("x"), tags: ["following-list"] });
    await app.atrium.db.skill.create({ data: { name: "following-order", label: "Following order" } });
    // Tags and questions followed one after the other, each dated a second after the one before.
    for (const [i, id] of [kept.id, second.id].entries()) {
      await domain().follows.setFollow(fan.actor, { kind: "question", id, follow: true });
      await app.atrium.db.questionFollow.update({ where: { userId_questionId: { userId: fan.user.id, questionId: id } }, data: { createdAt: new Date(base + i * 1000) } });
    }
    // Someone else's follows are not on this list.
    await domain().follows.setFollow(early.actor, { kind: "tag", id: "following-list", follow: true });
    for (const [i, name] of ["following-list", "following-order"].entries()) {
      await domain().follows.setFollow(fan.actor, { kind: "tag", id: name, follow: true });
      const skillId = (await app.atrium.db.skill.findUniqueOrThrow({ where: { name } })).id;
      await app.atrium.db.tagFollow.update({ where: { userId_skillId: { userId: fan.user.id, skillId } }, data: { createdAt: new Date(base + i * 1000) } });
    }

    const list = await domain().follows.listFollowing(fan.actor);
    expect(list.people).toEqual([
      { id: late.user.id, name: "Lena Late", title: "", initials: "LL", photoUrl: "/uploads/photos/lena.png" },
      { id: early.user.id, name: "Earl Early", title: "Clerk", initials: "EE", photoUrl: null },
    ]);
    expect(list.spaces).toEqual([
      { id: w.space.engineering.id, name: w.space.engineering.name },
      { id: w.space.sales.id, name: w.space.sales.name },
    ]);
    expect(list.questions).toEqual([
      { id: second.id, title: "A question followed next" },
      { id: kept.id, title: "A question worth following" },
    ]);
    expect(list.tags.map((t) => t.name)).toEqual(["following-order", "following-list"]);
    // Dated the other way round, the spaces swap places: the order is the dates', whatever their ids.
    await app.atrium.db.spaceFollow.update({ where: { userId_spaceId: { userId: fan.user.id, spaceId: w.space.sales.id } }, data: { createdAt: new Date(base + 2000) } });
    expect((await domain().follows.listFollowing(fan.actor)).spaces.map((s) => s.id)).toEqual([w.space.sales.id, w.space.engineering.id]);
    // The prepared read and the Prisma read agree on who is followed.
    const viaPrisma = { ...app.atrium.ctx, reads: undefined };
    for (const ctx of [app.atrium.ctx, viaPrisma]) {
      expect(await isFollowingPerson(ctx, fan.actor, late.user.id)).toBe(true);
      expect(await isFollowingPerson(ctx, fan.actor, w.people.ben.user.id)).toBe(false);
    }
  });

  test("refused: a deactivated person, and ids that are not text — 404, nothing written", async () => {
    const fan = await makePerson(app.atrium, { name: "Flo Follower" });
    const gone = await makePerson(app.atrium, { name: "Gil Gone", active: false });
    const before = await socialSnapshot(app.atrium);
    await expect(domain().follows.followPerson(fan.actor, gone.user.id)).rejects.toMatchObject({ status: 404, message: "That person was not found." });
    await expect(domain().follows.followPerson(fan.actor, [gone.user.id] as unknown as string)).rejects.toMatchObject({ status: 404 });
    await expect(domain().follows.followSpace(fan.actor, [w.space.sales.id] as unknown as string)).rejects.toMatchObject({ status: 404, message: "That space was not found." });
    expect(await socialSnapshot(app.atrium)).toEqual(before);
  });
});

describe("what reaches whose feed", () => {
  test("questions by people I follow, in my tags and in my department; not strangers', not my own", async () => {
    await ask("ben", "How do we price the enterprise plan?");
    await ask("dee", "Where is the sales deck template kept?");
    await ask("cai", "Who owns the build cache in CI?");
    await ask("dee", "Why does the kubernetes ingress drop idle connections?", ["kubernetes"]);
    await ask("ana", "My own question about onboarding laptops");
    const items = await feedOf("ana");
    const byTitle = new Map(items.map((i) => [i.title, i]));
    expect(byTitle.get("How do we price the enterprise plan?")).toMatchObject({ kind: "question.asked", verb: "asked", why: "You follow Ben Followed", actor: { name: "Ben Followed" } });
    expect(byTitle.get("Who owns the build cache in CI?")?.why).toBe("In your department");
    expect(byTitle.get("Why does the kubernetes ingress drop idle connections?")?.why).toBe("In Kubernetes, a tag you follow");
    expect(byTitle.has("Where is the sales deck template kept?")).toBe(false);
    expect(byTitle.has("My own question about onboarding laptops")).toBe(false);
    // Newest first.
    expect(items.map((i) => i.createdAt)).toEqual([...items.map((i) => i.createdAt)].sort().reverse());
    // Dee sees none of Ana's world but her own department's (Ben is in Sales).
    expect(await titles("dee")).toEqual(["question.asked: How do we price the enterprise plan?"]);
  });

  test("answers and an acceptance on a question I follow; a question routed to me reaches only me", async () => {
    const { ana, dee, ben } = w.people;
    const q = await ask("ana", "Which VPN profile should contractors use?");
    const a = await domain().questions.answerQuestion(dee.actor, q.id, { body: body("Use the contractor profile in the portal.") });
    let mine = await feedOf("ana");
    expect(mine[0]).toMatchObject({ kind: "answer.posted", verb: "answered", title: "Which VPN profile should contractors use?", link: `/questions/${q.id}#answer-${a.id}`, why: "On a question you follow" });
    expect(mine[0]!.excerpt).toContain("contractor profile");
    await domain().questions.acceptAnswer(ana.actor, a.id);
    // Dee follows the question she answered: she hears it was accepted; Ana did it herself.
    expect((await feedOf("dee"))[0]).toMatchObject({ kind: "answer.accepted", actor: { name: "Ana Reader" } });
    expect((await feedOf("ana")).some((i) => i.kind === "answer.accepted")).toBe(false);

    const routed = await ask("dee", "Can someone review our lead-scoring query?");
    await domain().questions.askPerson(dee.actor, routed.id, { userId: ana.user.id });
    mine = await feedOf("ana");
    expect(mine[0]).toMatchObject({ kind: "question.routed", why: "Routed to you", verb: "asks for your help with", actor: { name: "Dee Stranger" } });
    // Ben follows nobody and is in Sales with Dee: he sees Dee's question, but not the route to Ana.
    expect((await feedOf("ben")).filter((i) => i.kind === "question.routed")).toEqual([]);
  });

  test("a followed person's private document — created and edited — never reaches my feed; a company one does, until it goes to the trash", async () => {
    const { ana, ben } = w.people;
    const secret = await domain().docs.createDocument(ben.actor, { title: "Ben's private salary notes", spaceId: w.space.company.id, visibility: "private" });
    // Edited later than the hour in which "created" already says enough.
    await domain().docs.recordSettledContent(secret.id, { read: { text: "numbers", mentions: [] }, editors: [ben.user.id], seq: 2, at: new Date(clock.now().getTime() + 2 * 3_600_000) });
    const open = await domain().docs.createDocument(ben.actor, { title: "Sales playbook 2027", spaceId: w.space.company.id, visibility: "company" });
    // The private document's rows exist (Ben's own record) …
    expect(await app.atrium.db.activityItem.count({ where: { docId: secret.id } })).toBe(2);
    // … but the policy keeps them out of Ana's feed, titles and all.
    let items = await feedOf("ana");
    expect(items.some((i) => i.title.includes("salary"))).toBe(false);
    expect(items[0]).toMatchObject({ kind: "doc.created", title: "Sales playbook 2027", link: `/docs/${open.id}`, why: "You follow Ben Followed", reactOn: null });
    // An admin gets nothing extra on a private document either.
    await domain().follows.followPerson(w.people.admin.actor, ben.user.id);
    expect((await feedOf("admin")).some((i) => i.title.includes("salary"))).toBe(false);

    await domain().docs.trashDocument(ben.actor, open.id);
    items = await feedOf("ana");
    expect(items.some((i) => i.title === "Sales playbook 2027")).toBe(false);
  });

  test("documents in a followed space: only those I may read; edits by one person within the hour are one item, moved to the top", async () => {
    const { dee } = w.people;
    const deptOnly = await domain().docs.createDocument(dee.actor, { title: "Sales-only pipeline review", spaceId: w.space.sales.id });
    const shared = await domain().docs.createDocument(dee.actor, { title: "Pricing FAQ for everyone", spaceId: w.space.sales.id, visibility: "company" });
    let items = await feedOf("ana");
    expect(items.some((i) => i.title === "Sales-only pipeline review")).toBe(false);
    expect(items.find((i) => i.title === "Pricing FAQ for everyone")?.why).toBe("In Sales, a space you follow");

    const t = clock.now().getTime() + 60 * 60_000 + 1000; // past the window of "created"
    await domain().docs.recordSettledContent(shared.id, { read: { text: "v2", mentions: [] }, editors: [dee.user.id], seq: 2, at: new Date(t) });
    await domain().docs.recordSettledContent(shared.id, { read: { text: "v3", mentions: [] }, editors: [dee.user.id], seq: 3, at: new Date(t + 60_000) });
    expect(await app.atrium.db.activityItem.count({ where: { docId: shared.id, kind: "doc.edited" } })).toBe(1);
    items = await feedOf("ana");
    expect(items[0]).toMatchObject({ kind: "doc.edited", verb: "edited", title: "Pricing FAQ for everyone", createdAt: new Date(t + 60_000).toISOString() });
    void deptOnly;
  });

  test("a mention of me in a document I can read is mine alone", async () => {
    const { ana, cai } = w.people;
    const d = await domain().docs.createDocument(cai.actor, { title: "Incident review: cache outage", spaceId: w.space.engineering.id });
    await domain().docs.recordSettledContent(d.id, { read: { text: "ask @Ana", mentions: [ana.user.id] }, editors: [cai.user.id], seq: 2, at: clock.now() });
    const mention = (await feedOf("ana")).find((i) => i.kind === "doc.mentioned");
    expect(mention).toMatchObject({ title: "Incident review: cache outage", why: "You were mentioned", verb: "mentioned you in" });
    expect((await feedOf("dee")).some((i) => i.kind === "doc.mentioned")).toBe(false);
  });

  test("an insight routed to my team arrives with the team named", async () => {
    const rule = await domain().routingRules.createRule(w.people.admin.actor, {
      name: "Refunds",
      enabled: true,
      teamIds: [w.teams.support.id],
      priority: "normal",
      ackWithin: "1h",
      resolveWithin: "1d",
      conditions: { topics: ["refunds"] },
    });
    const i = await domain().insights.createInsight(w.people.dee.actor, { text: "I still have not received my refund.", channel: "email", topics: ["refunds"] });
    const item = (await feedOf("ana")).find((x) => x.kind === "insight.routed");
    expect(item).toMatchObject({ link: `/insights/${i.id}`, why: "For your team Support Desk", reactOn: { targetType: "insight", targetId: i.id } });
    expect(item!.title).toContain("refund");
    void rule;
  });

  test("a deleted question leaves the feed, even for its author's followers", async () => {
    const q = await ask("ben", "Is the Q4 quota spreadsheet final?");
    expect((await titles("ana")).includes("question.asked: Is the Q4 quota spreadsheet final?")).toBe(true);
    await domain().questions.deleteQuestion(w.people.ben.actor, q.id, { reason: "wrong place" });
    expect((await titles("ana")).includes("question.asked: Is the Q4 quota spreadsheet final?")).toBe(false);
  });
});

describe("recording edge cases", () => {
  test("an un-accept, a missing answer, question or document record nothing; unfollowing a person removes them from why", async () => {
    const f = domain().feed;
    const count = () => app.atrium.db.activityItem.count();
    const before = await count();
    expect(await f.recordAnswerAccepted({ questionId: "q", answerId: null })).toEqual([]);
    expect(await f.recordAnswerAccepted({ questionId: "q", answerId: "missing" })).toEqual([]);
    expect(await f.recordAnswerPosted({ answerId: "missing" })).toEqual([]);
    expect(await f.recordQuestionAsked({ questionId: "q1" })).toEqual([]); // e.g. a synthetic event with a partial payload
    expect(await f.recordInsightRouted({ insight: { id: "missing" } })).toEqual([]);
    expect(await f.recordQuestionRouted({ questionId: "missing", userIds: [w.people.ana.user.id], at: clock.now().toISOString() })).toEqual([]);
    expect(await f.recordDocCreated({ docId: "missing" })).toEqual([]);
    expect(await f.recordDocEdited({ docId: "missing", editorIds: [w.people.ben.user.id], at: clock.now().toISOString() })).toEqual([]);
    expect(await f.recordDocMentioned({ docId: "missing", userIds: [w.people.ana.user.id], byId: null })).toEqual([]);
    expect(await count()).toBe(before);

    const q = await ask("ben", "Should renewals above 100k need a VP signature?");
    const mine = async () => (await feedOf("ana")).find((i) => i.title === "Should renewals above 100k need a VP signature?");
    expect((await mine())?.why).toBe("You follow Ben Followed");
    await domain().follows.unfollowPerson(w.people.ana.actor, w.people.ben.user.id);
    // Ben is in Sales, Ana in Engineering: without the follow the question is not hers at all.
    expect(await mine()).toBeUndefined();
    await domain().follows.followPerson(w.people.ana.actor, w.people.ben.user.id);
    expect((await mine())?.link).toBe(`/questions/${q.id}`);
  });
});

describe("paging", () => {
  test("Load more continues where the page ended: no item twice, none skipped, and the end is marked", async () => {
    for (let n = 1; n <= 23; n++) await ask("cai", `Build question number ${n} about caching`);
    const all: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await domain().feed.getFeed(w.people.ana.actor, { cursor, limit: 10 });
      all.push(...page.items.map((i) => i.id));
      cursor = page.nextCursor ?? undefined;
      pages++;
    } while (cursor && pages < 20);
    expect(new Set(all).size).toBe(all.length);
    const everything = (await domain().feed.getFeed(w.people.ana.actor, { limit: 50 })).items.map((i) => i.id);
    expect(all.slice(0, everything.length)).toEqual(everything);
    expect(pages).toBe(Math.ceil(all.length / 10) + (all.length % 10 === 0 ? 1 : 0));
  });

  test("a forged cursor or limit is a clear 422", async () => {
    await expect(domain().feed.getFeed(w.people.ana.actor, { cursor: "not a cursor!" })).rejects.toMatchObject({ status: 422, fieldErrors: { cursor: ["That cursor is not valid."] } });
    await expect(domain().feed.getFeed(w.people.ana.actor, { cursor: "Zm9v" })).rejects.toMatchObject({ status: 422 });
    await expect(domain().feed.getFeed(w.people.ana.actor, { limit: 5000 })).rejects.toMatchObject({ status: 422 });
  });
});

describe("live fan-out candidates", () => {
  test("feedItemsFor answers the same as the page (null for a stranger); feedCandidates names followers and the department", async () => {
    const q = await ask("ben", "Who can demo the new CRM integration?");
    const row = await app.atrium.db.activityItem.findFirstOrThrow({ where: { questionId: q.id, kind: "question.asked" } });
    const candidates = await domain().feed.feedCandidates(row.id);
    expect(candidates).toContain(w.people.ana.user.id); // follows Ben
    expect(candidates).toContain(w.people.dee.user.id); // Ben's department
    expect(candidates).not.toContain(w.people.ben.user.id);
    const items = await domain().feed.feedItemsFor([w.people.ana.user.id, w.people.cai.user.id], row.id);
    expect(items.get(w.people.ana.user.id)?.title).toBe("Who can demo the new CRM integration?");
    expect(items.get(w.people.cai.user.id) ?? null).toBeNull();
  });

  test("feedCandidates read with prepared SQL equals the Prisma read, for every activity row of every kind", async () => {
    const ctx = app.atrium.ctx;
    expect(ctx.reads).toBeDefined();
    const viaPrisma = { ...ctx, reads: undefined };
    const { ana, ben, cai } = w.people;
    const q = await ask("ben", "Which CRM fields are required?");
    await domain().questions.answerQuestion(ana.actor, q.id, { body: { plain: "Name and email." } });
    await domain().questions.askPerson(ben.actor, q.id, { userId: cai.user.id });
    await domain().docs.createDocument(ben.actor, { title: "CRM field guide", spaceId: w.space.sales.id, visibility: "company" });
    await domain().docs.createDocument(ben.actor, { title: "Ben's CRM drafts", spaceId: w.space.company.id, visibility: "private" });
    const rows = await app.atrium.db.activityItem.findMany({ select: { id: true, kind: true } });
    expect(new Set(rows.map((r) => r.kind))).toEqual(new Set(["question.asked", "answer.posted", "question.routed", "doc.created"]));
    let nonEmpty = 0;
    for (const { id, kind } of [...rows, { id: "no-such-activity", kind: "none" }]) {
      const sql = (await feedCandidates(ctx, id)).sort();
      expect(sql, kind).toEqual((await feedCandidates(viaPrisma, id)).sort());
      if (sql.length) nonEmpty++;
    }
    expect(nonEmpty).toBeGreaterThan(rows.length / 2);
  });
});

describe("live fan-out in one batch", () => {
  test("feedItemsFor gives each person exactly the item their own feed page shows — for every kind of row, private ones included", async () => {
    const everyone = Object.values(w.people);
    const ids = everyone.map((p) => p.user.id);
    // A mix: a question, an answer, a private and a company document, a routed question.
    const q = await ask("dee", "Who owns the renewal calendar?");
    await domain().questions.answerQuestion(w.people.ben.actor, q.id, { body: { plain: "Sales ops does." } });
    await domain().questions.askPerson(w.people.dee.actor, q.id, { userId: w.people.cai.user.id });
    await domain().docs.createDocument(w.people.ben.actor, { title: "Ben's private forecast", spaceId: w.space.company.id, visibility: "private" });
    await domain().docs.createDocument(w.people.ben.actor, { title: "Open forecast method", spaceId: w.space.company.id, visibility: "company" });
    const rows = await app.atrium.db.activityItem.findMany({ orderBy: { createdAt: "desc" }, take: 12, select: { id: true } });
    expect(rows.length).toBeGreaterThan(4);
    let shown = 0;
    let hidden = 0;
    for (const { id } of rows) {
      const batch = await domain().feed.feedItemsFor(ids, id);
      for (const person of everyone) {
        // What this person's own page says about this row (the page decides; the batch must agree).
        const page = await domain().feed.getFeed(person.actor, { limit: 50 });
        const onPage = page.items.find((i) => i.id === id) ?? null;
        expect(batch.get(person.user.id) ?? null, `${person.user.name} / row ${id}`).toEqual(onPage);
        if (onPage) shown++;
        else hidden++;
      }
    }
    // Both outcomes were exercised (the private document is hidden from everyone but no one).
    expect(shown).toBeGreaterThan(3);
    expect(hidden).toBeGreaterThan(3);
  });
});

describe("the page's prepared read", () => {
  test("reads exactly what the Prisma read gives: every person, every page size, shares, tags, routes and reactions included", async () => {
    const { ana, ben, cai, dee } = w.people;
    // A private document shared with Ana's team and one shared with Cai alone; reactions on what the feeds show.
    const toTeam = await domain().docs.createDocument(ben.actor, { title: "Support desk playbook", spaceId: w.space.company.id, visibility: "private" });
    await domain().docs.shareDocument(ben.actor, toTeam.id, { principalType: "team", principalId: w.teams.support.id, role: "viewer" });
    const toAna = await domain().docs.createDocument(ben.actor, { title: "Notes for Ana", spaceId: w.space.company.id, visibility: "private" });
    await domain().docs.shareDocument(ben.actor, toAna.id, { principalType: "user", principalId: ana.user.id, role: "editor" });
    const q = await ask("dee", "Which kubernetes version do we run?", ["kubernetes", "onboarding"]);
    const a = await domain().questions.answerQuestion(ben.actor, q.id, { body: { plain: "The one in the platform doc." } });
    for (const who of [ana, cai, dee]) await domain().reactions.toggleReaction(who.actor, { targetType: "question", targetId: q.id, key: "thumbsup" });
    await domain().reactions.toggleReaction(cai.actor, { targetType: "answer", targetId: a.id, key: "heart" });
    // Enough besides for several pages of three in most people's feeds.
    const askers = ["ben", "cai", "dee"] as const;
    for (let n = 1; n <= 12; n++) {
      const more = await ask(askers[n % 3]!, `Quarter planning question ${n}`, n % 2 ? ["kubernetes"] : ["onboarding"]);
      if (n % 4 === 0) await domain().questions.answerQuestion(cai.actor, more.id, { body: { plain: `Answer ${n}.` } });
    }

    const ctx = app.atrium.ctx;
    expect(ctx.reads).toBeDefined();
    const viaPrisma = { ...ctx, reads: undefined };
    let compared = 0;
    for (const person of Object.values(w.people)) {
      for (const limit of [3, 20]) {
        let cursor: string | undefined;
        let pages = 0;
        do {
          const sql = await getFeed(ctx, person.actor, { cursor, limit });
          const prisma = await getFeed(viaPrisma, person.actor, { cursor, limit });
          expect(sql, `${person.user.name}, ${limit} per page, page ${pages + 1}`).toEqual(prisma);
          compared += sql.items.length;
          cursor = sql.nextCursor ?? undefined;
          pages++;
        } while (cursor && pages < 40);
      }
    }
    expect(compared).toBeGreaterThan(50);
    const anaFeed = await getFeed(ctx, ana.actor, { limit: 50 });
    expect(anaFeed.items.map((i) => i.title)).toEqual(expect.arrayContaining(["Support desk playbook", "Notes for Ana"]));
    expect(anaFeed.items.find((i) => i.kind === "question.asked" && i.title === "Which kubernetes version do we run?")?.reactOn?.reactions).toEqual([
      { key: "thumbsup", count: 3, names: ["Ana Reader", "Cai Colleague", "Dee Stranger"], mine: true },
    ]);
    // Dee is in Ben's department but neither document is shared with her.
    expect((await getFeed(ctx, dee.actor, { limit: 50 })).items.map((i) => i.title)).not.toEqual(expect.arrayContaining(["Notes for Ana"]));
    expect((await getFeed(ctx, dee.actor, { limit: 50 })).items.map((i) => i.title)).not.toEqual(expect.arrayContaining(["Support desk playbook"]));
  });
});

describe("backfill", () => {
  test("an empty log is filled from existing questions, answers, routes, documents and insights — once; the feed reads the same", async () => {
    const { admin, ana, ben, cai, dee } = w.people;
    for (let n = 1; n <= 26; n++) await ask("cai", `Build question number ${n} about caching`);
    const q = await ask("ben", "How do we price the enterprise plan?");
    await domain().questions.answerQuestion(cai.actor, q.id, { body: body("Per seat, with a floor.") });
    await domain().questions.askPerson(ben.actor, q.id, { userId: ana.user.id });
    await domain().docs.createDocument(ben.actor, { title: "Sales playbook 2027", spaceId: w.space.company.id, visibility: "company" });
    await domain().routingRules.createRule(admin.actor, { name: "Refunds", enabled: true, teamIds: [w.teams.support.id], priority: "normal", ackWithin: "1h", resolveWithin: "1d", conditions: { topics: ["refunds"] } });
    await domain().insights.createInsight(dee.actor, { text: "I still have not received my refund.", channel: "email", topics: ["refunds"] });
    const keys = async () => (await domain().feed.getFeed(w.people.ana.actor, { limit: 50 })).items.filter((i) => i.kind !== "doc.mentioned" && i.kind !== "doc.edited").map((i) => `${i.kind}: ${i.title}`).sort();
    const before = await keys();
    expect(new Set(before.map((k) => k.slice(0, k.indexOf(":"))))).toEqual(new Set(["question.asked", "answer.posted", "question.routed", "doc.created", "insight.routed"]));
    await app.atrium.db.activityItem.deleteMany({});
    expect(await keys()).toEqual([]);
    expect(await backfillActivity(app.atrium.db)).toBeGreaterThan(30);
    expect(await backfillActivity(app.atrium.db)).toBe(0);
    expect(await keys()).toEqual(before);
  });
});
