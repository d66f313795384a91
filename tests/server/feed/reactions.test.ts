/**
 * Reactions: a fixed set of keys, one of each per person per target, toggled; counts
 * with names; "reaction.toggle" needs read access and refuses deleted posts; bad keys are a 422.
 */
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import type { ReactionChangedPayload } from "../../../app/schemas/feed.js";
import { reactionLabel } from "../../../app/schemas/feed.js";
import { reactionCounts } from "../../../server/domain/reactions.js";
import { makePerson } from "../../factories.js";
import { startTestApp, type TestApp } from "../../helpers/app.js";
import { body } from "../questions/helpers.js";
import { feedWorld, socialSnapshot, type FeedWorld } from "./world.js";

let app: TestApp;
let w: FeedWorld;
let questionId: string;
let answerId: string;
const domain = () => app.atrium.domain;

// An app and organisation of their own for each test, with Ben's question and Cai's answer.
beforeEach(async () => {
  app = await startTestApp();
  w = await feedWorld(app.atrium);
  questionId = (await domain().questions.askQuestion(w.people.ben.actor, { title: "How do we handle refunds over 500 euros?", body: body("Details"), tags: ["refunds"] })).id;
  answerId = (await domain().questions.answerQuestion(w.people.cai.actor, questionId, { body: body("Finance approves them.") })).id;
});
afterEach(() => app.close());

describe("toggling", () => {
  test("on, counted with names and mine; again: off; keys are independent; another person adds to the count", async () => {
    const events: ReactionChangedPayload[] = [];
    const off = app.atrium.ctx.bus.subscribe("reaction.changed", (p) => void events.push(p));
    const { ana, dee } = w.people;
    const first = await domain().reactions.toggleReaction(ana.actor, { targetType: "question", targetId: questionId, key: "thumbsup" });
    expect(first).toEqual({ on: true, counts: [{ key: "thumbsup", count: 1, names: ["Ana Reader"], mine: true }] });
    await domain().reactions.toggleReaction(dee.actor, { targetType: "question", targetId: questionId, key: "thumbsup" });
    await domain().reactions.toggleReaction(ana.actor, { targetType: "question", targetId: questionId, key: "tada" });
    const mine = await domain().reactions.listReactions(ana.actor, [{ targetType: "question", targetId: questionId }]);
    expect(mine[`question:${questionId}`]).toEqual([
      { key: "thumbsup", count: 2, names: ["Ana Reader", "Dee Stranger"], mine: true },
      { key: "tada", count: 1, names: ["Ana Reader"], mine: true },
    ]);
    const again = await domain().reactions.toggleReaction(ana.actor, { targetType: "question", targetId: questionId, key: "thumbsup" });
    expect(again.on).toBe(false);
    expect(again.counts[0]).toEqual({ key: "thumbsup", count: 1, names: ["Dee Stranger"], mine: false });
    expect(await app.atrium.db.reaction.count({ where: { targetId: questionId, key: "thumbsup" } })).toBe(1);
    // Every toggle told the open pages, with counts and who did it.
    expect(events.map((e) => [e.userId === ana.user.id ? "ana" : "dee", e.key, e.on])).toEqual([
      ["ana", "thumbsup", true],
      ["dee", "thumbsup", true],
      ["ana", "tada", true],
      ["ana", "thumbsup", false],
    ]);
    off();
  });

  test("answers and insights take reactions too, and the feed item shows the counts", async () => {
    const { ana, dee } = w.people;
    await domain().reactions.toggleReaction(dee.actor, { targetType: "question", targetId: questionId, key: "thumbsup" });
    await domain().reactions.toggleReaction(dee.actor, { targetType: "answer", targetId: answerId, key: "bulb" });
    const insight = await domain().insights.createInsight(dee.actor, { text: "Love the new invoice layout!", channel: "email", topics: ["billing"] });
    const r = await domain().reactions.toggleReaction(ana.actor, { targetType: "insight", targetId: insight.id, key: "heart" });
    expect(r.counts).toEqual([{ key: "heart", count: 1, names: ["Ana Reader"], mine: true }]);
    // Ben's question is in Dee's feed (same department) with its reactions.
    const item = (await domain().feed.getFeed(dee.actor)).items.find((i) => i.kind === "question.asked" && i.reactOn?.targetId === questionId);
    expect(item?.reactOn?.reactions.find((x) => x.key === "thumbsup")).toEqual({ key: "thumbsup", count: 1, names: ["Dee Stranger"], mine: true });
  });

  test("the accessible label reads like speech", () => {
    expect(reactionLabel("thumbsup", 3)).toBe("thumbs up, 3");
  });
});

describe("refused", () => {
  test("a bad key is a clear 422 and nothing is written", async () => {
    const before = await socialSnapshot(app.atrium);
    await expect(domain().reactions.toggleReaction(w.people.ana.actor, { targetType: "question", targetId: questionId, key: "😀" })).rejects.toMatchObject({
      status: 422,
      fieldErrors: { key: ["Choose one of the reactions: thumbs up, heart, party, idea, eyes."] },
    });
    await expect(domain().reactions.toggleReaction(w.people.ana.actor, { targetType: "comment", targetId: questionId, key: "heart" })).rejects.toMatchObject({ status: 422 });
    expect(await socialSnapshot(app.atrium)).toEqual(before);
  });

  test("reaction.toggle: a deleted question, an answer on it, and a deactivated person are refused; a missing target is 404 — nothing written", async () => {
    const q = await domain().questions.askQuestion(w.people.ben.actor, { title: "Soon to be deleted question", body: body("x"), tags: ["refunds"] });
    const a = await domain().questions.answerQuestion(w.people.cai.actor, q.id, { body: body("y") });
    await domain().questions.deleteQuestion(w.people.ben.actor, q.id, {});
    const before = await socialSnapshot(app.atrium);
    await expect(domain().reactions.toggleReaction(w.people.ana.actor, { targetType: "question", targetId: q.id, key: "eyes" })).rejects.toMatchObject({
      status: 403,
      message: "This question was deleted; it no longer takes reactions.",
    });
    // Even its author, who may still see the deleted content, cannot react.
    await expect(domain().reactions.toggleReaction(w.people.ben.actor, { targetType: "question", targetId: q.id, key: "eyes" })).rejects.toMatchObject({ status: 403 });
    await expect(domain().reactions.toggleReaction(w.people.ana.actor, { targetType: "answer", targetId: a.id, key: "eyes" })).rejects.toMatchObject({ status: 403 });
    await expect(domain().reactions.toggleReaction({ ...w.people.ana.actor, active: false }, { targetType: "question", targetId: questionId, key: "eyes" })).rejects.toMatchObject({ status: 403 });
    await expect(domain().reactions.toggleReaction(w.people.ana.actor, { targetType: "insight", targetId: "missing", key: "eyes" })).rejects.toMatchObject({ status: 404 });
    expect(await socialSnapshot(app.atrium)).toEqual(before);
  });
});

describe("what the counts and refusals depend on", () => {
  test("a deleted answer on a live question is refused; a missing question or answer is a 404 naming it — nothing written", async () => {
    const q = await domain().questions.askQuestion(w.people.ben.actor, { title: "Which answer will be withdrawn?", body: body("x"), tags: ["refunds"] });
    const a = await domain().questions.answerQuestion(w.people.cai.actor, q.id, { body: body("Withdrawn soon.") });
    await domain().questions.deleteAnswer(w.people.cai.actor, a.id, {});
    const before = await socialSnapshot(app.atrium);
    await expect(domain().reactions.toggleReaction(w.people.ana.actor, { targetType: "answer", targetId: a.id, key: "eyes" })).rejects.toMatchObject({
      status: 403,
      message: "This answer was deleted; it no longer takes reactions.",
    });
    await expect(domain().reactions.toggleReaction(w.people.ana.actor, { targetType: "question", targetId: "no-such-question", key: "eyes" })).rejects.toMatchObject({
      status: 404,
      message: "That question was not found.",
    });
    await expect(domain().reactions.toggleReaction(w.people.ana.actor, { targetType: "answer", targetId: "no-such-answer", key: "eyes" })).rejects.toMatchObject({
      status: 404,
      message: "That answer was not found.",
    });
    expect(await socialSnapshot(app.atrium)).toEqual(before);
    // The question itself still takes them.
    expect((await domain().reactions.toggleReaction(w.people.ana.actor, { targetType: "question", targetId: q.id, key: "eyes" })).on).toBe(true);
  });

  test("the last reaction off leaves no counts, and the event carries counts without anyone's 'mine'", async () => {
    const q = await domain().questions.askQuestion(w.people.ben.actor, { title: "A question for one reaction only", body: body("x"), tags: ["refunds"] });
    const events: ReactionChangedPayload[] = [];
    const off = app.atrium.ctx.bus.subscribe("reaction.changed", (p) => void events.push(p));
    const target = { targetType: "question" as const, targetId: q.id, key: "heart" };
    expect(await domain().reactions.toggleReaction(w.people.dee.actor, target)).toEqual({ on: true, counts: [{ key: "heart", count: 1, names: ["Dee Stranger"], mine: true }] });
    expect(await domain().reactions.toggleReaction(w.people.dee.actor, target)).toEqual({ on: false, counts: [] });
    off();
    expect(events).toEqual([
      { targetType: "question", targetId: q.id, userId: w.people.dee.user.id, key: "heart", on: true, counts: [{ key: "heart", count: 1, names: ["Dee Stranger"] }] },
      { targetType: "question", targetId: q.id, userId: w.people.dee.user.id, key: "heart", on: false, counts: [] },
    ]);
    expect(await domain().reactions.listReactions(w.people.dee.actor, [{ targetType: "question", targetId: q.id }])).toEqual({});
  });

  test("a count names the first ten in the order they reacted (by time, in both reads), and counts everyone; a target asked twice is counted once", async () => {
    const q = await domain().questions.askQuestion(w.people.ben.actor, { title: "A question that many people like", body: body("x"), tags: ["refunds"] });
    const fans = [];
    for (let i = 0; i < 11; i++) fans.push(await makePerson(app.atrium, { name: `Fan ${String(i).padStart(2, "0")}` }));
    for (const f of fans) await domain().reactions.toggleReaction(f.actor, { targetType: "question", targetId: q.id, key: "tada" });
    const viaSql = await domain().reactions.listReactions(fans[10].actor, [{ targetType: "question", targetId: q.id }, { targetType: "question", targetId: q.id }]);
    expect(viaSql[`question:${q.id}`]).toEqual([{ key: "tada", count: 11, names: fans.slice(0, 10).map((f) => f.user.name), mine: true }]);
    // The Prisma read answers the same.
    const viaPrisma = await reactionCounts({ ...app.atrium.ctx, reads: undefined }, [{ targetType: "question", targetId: q.id }, { targetType: "question", targetId: q.id }], fans[10].user.id);
    expect(Object.fromEntries(viaPrisma)).toEqual(viaSql);

    // The order is the reactions' time, not the order their rows were written: the first fan's
    // reaction dated after everyone else's makes them the eleventh, not named.
    const rows = await app.atrium.db.reaction.findMany({ where: { targetType: "question", targetId: q.id }, orderBy: { createdAt: "desc" } });
    await app.atrium.db.reaction.updateMany({ where: { targetId: q.id, userId: fans[0].user.id }, data: { createdAt: new Date(rows[0]!.createdAt.getTime() + 1000) } });
    const names = fans.slice(1).map((f) => f.user.name);
    for (const ctx of [app.atrium.ctx, { ...app.atrium.ctx, reads: undefined }]) {
      expect((await reactionCounts(ctx, [{ targetType: "question", targetId: q.id }], fans[0].user.id)).get(`question:${q.id}`)).toEqual([{ key: "tada", count: 11, names, mine: true }]);
    }
  });

  test("a page asks about at most 500 targets", async () => {
    const q = await domain().questions.askQuestion(w.people.ben.actor, { title: "The five hundred and first target", body: body("x"), tags: ["refunds"] });
    await domain().reactions.toggleReaction(w.people.cai.actor, { targetType: "question", targetId: q.id, key: "eyes" });
    const filler = Array.from({ length: 500 }, (_, i) => ({ targetType: "question" as const, targetId: `filler-${i}` }));
    expect(await domain().reactions.listReactions(w.people.cai.actor, [...filler, { targetType: "question", targetId: q.id }])).toEqual({});
    expect(Object.keys(await domain().reactions.listReactions(w.people.cai.actor, [...filler.slice(1), { targetType: "question", targetId: q.id }]))).toEqual([`question:${q.id}`]);
  });
});
