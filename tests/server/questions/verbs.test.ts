/**
 * The Q&A write verbs, field by field: what asking, editing, answering, commenting, voting,
 * accepting, closing and reopening store (with the injected clock's time), which index signals
 * and events follow, who is told and with what words, and the refusals' messages with nothing
 * written. Each test makes its own questions, so any one of them runs alone.
 */
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import type { DomainEvents } from "../../../server/events.js";
import type { QuestionDoc } from "../../../server/search/questions-index.js";
import { makeUser, startTestApp, type TestApp } from "../../helpers/app.js";
import { ask, body, giveSkills, qaSnapshot } from "./helpers.js";
import { manualClock } from "../../helpers/clock.js";
import { refusalOf } from "../../helpers/refusals.js";

const clock = manualClock("2031-05-06T10:00:00Z");

let app: TestApp;
type U = Awaited<ReturnType<typeof makeUser>>;
let asker: U, other: U, third: U, admin: U;
type QuestionEvent = { [K in keyof DomainEvents]: K extends `question.${string}` ? { name: K; payload: DomainEvents[K] } : never }[keyof DomainEvents];
const events: QuestionEvent[] = [];
const qa = () => app.atrium.domain.questions;
const db = () => app.atrium.db;
/** The search index's entry (private to the index; its ranking signals are what the verbs set). */
const indexed = (id: string) => (app.atrium.ctx.questionsIndex as unknown as { docs: Map<string, QuestionDoc> }).docs.get(id);
const tick = () => {
  clock.t += 60_000;
  return clock.now();
};
let seq = 0;
const title = (words: string) => `${words} ${++seq}${Math.random().toString(36).slice(2, 7)}`;

// An app and fixture of their own for each test: none depends on rows another test wrote.
beforeEach(async () => {
  app = await startTestApp({ clock });
  asker = await makeUser(app.atrium, { name: "Ada Asker" });
  other = await makeUser(app.atrium, { name: "Olu Other" });
  third = await makeUser(app.atrium, { name: "Tess Third" });
  admin = await makeUser(app.atrium, { name: "Ann Admin", role: "admin" });
  for (const name of ["question.asked", "question.answered", "question.commented", "question.voted", "question.accepted", "question.updated"] as const) {
    app.atrium.ctx.bus.subscribe(name, (payload) => void events.push({ name, payload } as QuestionEvent));
  }
});
afterEach(() => app?.close());

/** Refused: the status and exact message, not one Q&A row changed, no event published. */
async function refused(fn: () => Promise<unknown>, status: number, message: string) {
  const before = await qaSnapshot(app.atrium);
  events.length = 0;
  const err = await refusalOf(fn);
  expect(err.status).toBe(status);
  expect([err.message, ...Object.values(err.fieldErrors ?? {}).flat()]).toContain(message);
  expect(await qaSnapshot(app.atrium)).toEqual(before);
  expect(events).toEqual([]);
  return err;
}

/** One person's notifications of a type that link to a question (other tests' questions left out). */
const notes = (userId: string, type: string, questionId: string) =>
  db().notification.findMany({ where: { userId, type, link: { startsWith: `/questions/${questionId}` } }, orderBy: { createdAt: "asc" }, select: { title: true, body: true, link: true } });

describe("asking", () => {
  test("the question, its first revision and the asker's follow carry the clock's time; the index and the event follow", async () => {
    const dept = await db().department.create({ data: { name: "Ask Dept", slug: `ask-dept-${++seq}` } });
    const at = tick();
    events.length = 0;
    const t = title("Which zebra certificate renews first?");
    const res = await ask(app.atrium, asker.actor, { title: t, body: body("The zebra chain expires."), tags: ["zebracert", "alphachain"], departmentId: dept.id });
    expect(res.routedTo).toEqual([]);
    const q = await db().question.findUniqueOrThrow({ where: { id: res.id } });
    expect(q).toMatchObject({ authorId: asker.user.id, title: t, bodyText: "The zebra chain expires.", departmentId: dept.id, createdAt: at, lastActivityAt: at, editedAt: null });
    const revs = await db().postRevision.findMany({ where: { questionId: res.id } });
    expect(revs).toHaveLength(1);
    expect(revs[0]).toMatchObject({ number: 1, authorId: asker.user.id, title: t, tags: JSON.stringify(["alphachain", "zebracert"]), bodyText: "The zebra chain expires.", bodyJson: q.bodyJson, summary: "Asked", createdAt: at });
    const follow = await db().questionFollow.findUniqueOrThrow({ where: { userId_questionId: { userId: asker.user.id, questionId: res.id } } });
    expect(follow.createdAt).toEqual(at);
    expect(indexed(res.id)).toMatchObject({ score: 0, answerCount: 0, accepted: false, duplicate: false });
    expect(app.atrium.ctx.questionsIndex.similar({ title: t }).map((h) => h.id)).toContain(res.id);
    expect(events).toHaveLength(1);
    expect(events[0]!.name).toBe("question.asked");
    const payload = events[0]!.payload as DomainEvents["question.asked"];
    expect({ ...payload, tagNames: [...payload.tagNames].sort() }).toEqual({
      questionId: res.id,
      title: t,
      authorId: asker.user.id,
      tagNames: ["alphachain", "zebracert"],
      departmentId: dept.id,
      createdAt: at.toISOString(),
    });
  });

  test("a tag first used by the question is known by name to the expertise index at once", async () => {
    const fresh = `newt${++seq}${Math.random().toString(36).slice(2, 7)}`;
    expect(app.atrium.ctx.expertise.skillIdFor(fresh)).toBeUndefined();
    await ask(app.atrium, asker.actor, { title: title("A brand new tag"), tags: [fresh] });
    const skill = await db().skill.findUniqueOrThrow({ where: { name: fresh } });
    expect(app.atrium.ctx.expertise.skillIdFor(fresh)).toBe(skill.id);
  });

  test("followers of its tags are told once, naming each tag they follow; not the asker, not someone routed, not an inactive person", async () => {
    const [papaya, quince] = [`papaya${++seq}`, `quince${seq}`];
    for (const name of [papaya, quince]) await db().skill.create({ data: { name, label: name } });
    const fan = await makeUser(app.atrium, { name: "Fay Fan" });
    const oneTag = await makeUser(app.atrium, { name: "Otto One" });
    const gone = await makeUser(app.atrium, { name: "Gus Gone" });
    const expert = await makeUser(app.atrium, { name: "Eve Expert" });
    await giveSkills(app.atrium, expert.actor, "Eve Expert", [{ name: papaya, level: "expert" }]);
    for (const u of [fan, asker, gone, expert]) for (const tag of [papaya, quince]) await qa().followTag(u.actor, tag);
    await qa().followTag(oneTag.actor, quince);
    const outsider = await makeUser(app.atrium, { name: "Oona Outside" });
    await db().skill.create({ data: { name: `rhubarb${seq}`, label: "rhubarb" } });
    await qa().followTag(outsider.actor, `rhubarb${seq}`);
    await db().user.update({ where: { id: gone.user.id }, data: { active: false } });
    const t = title("Papaya and quince together");
    const { id, routedTo } = await ask(app.atrium, asker.actor, { title: t, tags: [papaya, quince] });
    expect(routedTo.map((r) => r.userId)).toEqual([expert.user.id]);
    const expected = (tags: string) => [{ title: `New question in ${tags}: “${t}”`, body: "Ada Asker asked.", link: `/questions/${id}` }];
    const fanNotes = await notes(fan.user.id, "question.tagged", id);
    expect(fanNotes).toHaveLength(1);
    expect([...expected(`${papaya}, ${quince}`), ...expected(`${quince}, ${papaya}`)]).toContainEqual(fanNotes[0]);
    expect(await notes(oneTag.user.id, "question.tagged", id)).toEqual(expected(quince));
    for (const u of [asker, gone, expert, outsider]) expect(await notes(u.user.id, "question.tagged", id)).toEqual([]);
  });
});

describe("editing a question", () => {
  test("any one field changed is an edit: revision numbers climb, times come from the clock, tags are replaced, the index and the event follow", async () => {
    const [d1, d2] = [await db().department.create({ data: { name: "Edit One", slug: `edit-one-${++seq}` } }), await db().department.create({ data: { name: "Edit Two", slug: `edit-two-${seq}` } })];
    const t = title("Editable walrus question");
    const { id } = await ask(app.atrium, asker.actor, { title: t, body: body("Walrus body."), tags: ["walrus", "tusk"], departmentId: d1.id });
    const base = { title: t, body: body("Walrus body."), tags: ["walrus", "tusk"], departmentId: d1.id };
    const renamed = title("Pinniped");
    const steps: [Record<string, unknown>, string[]][] = [
      [{ departmentId: d2.id }, ["tusk", "walrus"]],
      [{ departmentId: d2.id, title: renamed }, ["tusk", "walrus"]],
      [{ departmentId: d2.id, title: renamed, body: body("Walrus body, longer.") }, ["tusk", "walrus"]],
      [{ departmentId: d2.id, title: renamed, body: body("Walrus body, longer."), tags: ["walrus", "blubber"] }, ["blubber", "walrus"]],
      [{ departmentId: d2.id, title: renamed, body: body("Walrus body, longer."), tags: ["walrus", "blubber", "ice"] }, ["blubber", "ice", "walrus"]],
      [{ departmentId: d2.id, title: renamed, body: body("Walrus body, longer."), tags: ["walrus"] }, ["walrus"]],
    ];
    let number = 1;
    for (const [over, tags] of steps) {
      const at = tick();
      events.length = 0;
      const input = { ...base, ...over };
      await qa().editQuestion(asker.actor, id, input);
      number++;
      const q = await db().question.findUniqueOrThrow({ where: { id }, include: { tags: { include: { skill: true } } } });
      expect(q).toMatchObject({ title: input.title, departmentId: input.departmentId, editedAt: at, lastActivityAt: at });
      expect(q.tags.map((x) => x.skill.name).sort()).toEqual(tags);
      const rev = await db().postRevision.findFirstOrThrow({ where: { questionId: id }, orderBy: { number: "desc" } });
      expect(rev).toMatchObject({ number, authorId: asker.user.id, title: input.title, tags: JSON.stringify(tags), bodyJson: q.bodyJson, bodyText: q.bodyText, summary: "Edited", createdAt: at });
      // Re-indexed: the new title finds it.
      expect(app.atrium.ctx.questionsIndex.similar({ title: input.title }).map((h) => h.id)).toContain(id);
      expect(events).toEqual([{ name: "question.updated", payload: { questionId: id, change: "edited" } }]);
    }
    expect(await db().postRevision.count({ where: { questionId: id } })).toBe(7);
    // The same tags in another order, nothing else: not a change.
    const last = { title: renamed, body: body("Walrus body, longer."), departmentId: d2.id };
    await qa().editQuestion(asker.actor, id, { ...last, tags: ["walrus", "ice"] });
    await refused(() => qa().editQuestion(asker.actor, id, { ...last, tags: ["ice", "walrus"] }), 422, "Nothing changed.");
  });

  test("a deleted question cannot be edited, even by its asker; someone else is told who may", async () => {
    const { id } = await ask(app.atrium, asker.actor, { title: title("Edit refusals") });
    const edit = { title: "A new title for it", body: body("New body."), tags: ["saml"] };
    await refused(() => qa().editQuestion(other.actor, id, edit), 403, "Only the asker or an administrator can edit this question.");
    await qa().deleteQuestion(asker.actor, id);
    await refused(() => qa().editQuestion(asker.actor, id, edit), 403, "This question was deleted.");
    await refused(() => qa().editQuestion(asker.actor, "x".repeat(61), edit), 404, "That question was not found.");
  });

  test("an unknown department is a field error; retagging moves the live answers' up votes to the new tags, not a deleted answer's", async () => {
    const [from, to] = [`marten${++seq}`, `stoat${seq}`];
    const t = title("Retagged marten question");
    const { id } = await ask(app.atrium, asker.actor, { title: t, tags: [from] });
    await refused(() => qa().editQuestion(asker.actor, id, { title: t, body: body("Our IdP metadata is rejected."), tags: [from], departmentId: "no-such-department" }), 422, "Choose an existing department.");
    const { id: live } = await qa().answerQuestion(other.actor, id, { body: body("Live answer.") });
    const { id: gone } = await qa().answerQuestion(third.actor, id, { body: body("Deleted answer.") });
    await qa().voteAnswer(asker.actor, live, { value: 1 });
    await qa().voteAnswer(asker.actor, gone, { value: 1 });
    await qa().deleteAnswer(third.actor, gone);
    const fromId = (await db().skill.findUniqueOrThrow({ where: { name: from } })).id;
    expect(app.atrium.ctx.expertise.cell(fromId, other.user.id)?.upvotes).toBe(1);
    await qa().editQuestion(asker.actor, id, { title: t, body: body("Our IdP metadata is rejected."), tags: [to] });
    const toId = (await db().skill.findUniqueOrThrow({ where: { name: to } })).id;
    expect(app.atrium.ctx.expertise.cell(fromId, other.user.id)?.upvotes ?? 0).toBe(0);
    expect(app.atrium.ctx.expertise.cell(toId, other.user.id)?.upvotes).toBe(1);
    expect(app.atrium.ctx.expertise.cell(toId, third.user.id)).toBeUndefined();
    expect(app.atrium.ctx.expertise.cell(fromId, third.user.id)?.upvotes ?? 0).toBe(0);
  });
});

describe("answering", () => {
  test("the answer, its revision, the count, the answerer's follow, the index, routing, the event and the followers' notice", async () => {
    const t = title("Why does the narwhal daemon stall?");
    const { id } = await ask(app.atrium, asker.actor, { title: t, tags: ["narwhal"] });
    const watcher = await makeUser(app.atrium, { name: "Wes Watcher" });
    const gone = await makeUser(app.atrium, { name: "Gil Gone" });
    await qa().followQuestion(watcher.actor, id);
    await qa().followQuestion(gone.actor, id);
    await db().user.update({ where: { id: gone.user.id }, data: { active: false } });
    const at = tick();
    events.length = 0;
    const text = `Restart the narwhal daemon with the quokka flag. ${"x".repeat(300)}`;
    const { id: answerId } = await qa().answerQuestion(other.actor, id, { body: body(text) });
    expect(await db().answer.findUniqueOrThrow({ where: { id: answerId } })).toMatchObject({ questionId: id, authorId: other.user.id, bodyText: text, createdAt: at, acceptedAt: null });
    expect(await db().postRevision.findMany({ where: { answerId }, select: { number: true, authorId: true, bodyText: true, summary: true, createdAt: true } })).toEqual([
      { number: 1, authorId: other.user.id, bodyText: text, summary: "Answered", createdAt: at },
    ]);
    expect(await db().question.findUniqueOrThrow({ where: { id } })).toMatchObject({ answerCount: 1, lastActivityAt: at });
    expect((await db().questionFollow.findUniqueOrThrow({ where: { userId_questionId: { userId: other.user.id, questionId: id } } })).createdAt).toEqual(at);
    expect(indexed(id)?.answerCount).toBe(1);
    const routed = app.atrium.ctx.answerers.rank({ text: "narwhal daemon quokka flag", tags: [], at, exclude: new Set([asker.user.id]), limit: 20 }).map((p) => p.userId);
    expect(routed).toContain(other.user.id);
    expect(events).toEqual([{ name: "question.answered", payload: { questionId: id, answerId, authorId: other.user.id } }]);
    const told = { title: `Olu Other answered “${t}”`, body: text.slice(0, 200), link: `/questions/${id}#answer-${answerId}` };
    expect(await notes(asker.user.id, "question.answered", id)).toEqual([told]);
    expect(await notes(watcher.user.id, "question.answered", id)).toEqual([told]);
    expect(await notes(gone.user.id, "question.answered", id)).toEqual([]);
    expect(await notes(other.user.id, "question.answered", id)).toEqual([]);

    // A second answer by the same person: counted, still one follow.
    const later = tick();
    await qa().answerQuestion(other.actor, id, { body: body("And update the firmware.") });
    expect(await db().question.findUniqueOrThrow({ where: { id } })).toMatchObject({ answerCount: 2, lastActivityAt: later });
    expect(await db().questionFollow.count({ where: { questionId: id, userId: other.user.id } })).toBe(1);
    expect(indexed(id)?.answerCount).toBe(2);
  });

  test("a deleted, a duplicate and a closed question each refuse an answer with their own message", async () => {
    const { id: deleted } = await ask(app.atrium, asker.actor, { title: title("Deleted one") });
    await qa().deleteQuestion(asker.actor, deleted);
    const { id: original } = await ask(app.atrium, asker.actor, { title: title("Original one") });
    const { id: dup } = await ask(app.atrium, asker.actor, { title: title("Duplicate one") });
    await qa().closeAsDuplicate(asker.actor, dup, { duplicateOf: original });
    const { id: closed } = await ask(app.atrium, asker.actor, { title: title("Closed one") });
    await db().question.update({ where: { id: closed }, data: { closedAt: clock.now() } });
    const answer = { body: body("An answer.") };
    await refused(() => qa().answerQuestion(other.actor, deleted, answer), 403, "This question was deleted; it no longer takes answers.");
    await refused(() => qa().answerQuestion(other.actor, dup, answer), 403, "This question is closed as a duplicate; please answer the original question instead.");
    await refused(() => qa().answerQuestion(other.actor, closed, answer), 403, "This question is closed; it no longer takes answers.");
  });
});

describe("comments", () => {
  test("on the question the asker is told, on an answer its author; a comment on your own post tells nobody", async () => {
    const t = title("Comment target");
    const { id } = await ask(app.atrium, asker.actor, { title: t });
    const { id: answerId } = await qa().answerQuestion(other.actor, id, { body: body("An answer to comment on.") });
    const at = tick();
    events.length = 0;
    const long = `Which identity provider? ${"y".repeat(300)}`;
    const { id: c1 } = await qa().comment(third.actor, id, { body: long });
    expect(await db().qaComment.findUniqueOrThrow({ where: { id: c1 } })).toMatchObject({ questionId: id, answerId: null, authorId: third.user.id, body: long, createdAt: at });
    expect((await db().question.findUniqueOrThrow({ where: { id } })).lastActivityAt).toEqual(at);
    expect(events).toEqual([{ name: "question.commented", payload: { questionId: id, commentId: c1, answerId: null, authorId: third.user.id } }]);
    expect(await notes(asker.user.id, "question.commented", id)).toEqual([{ title: `Tess Third commented on your question “${t}”`, body: long.slice(0, 200), link: `/questions/${id}` }]);

    const { id: c2 } = await qa().comment(asker.actor, id, { body: "Thanks, trying it.", answerId });
    expect((await db().qaComment.findUniqueOrThrow({ where: { id: c2 } })).answerId).toBe(answerId);
    expect(await notes(other.user.id, "question.commented", id)).toEqual([
      { title: `Ada Asker commented on your answer “${t}”`, body: "Thanks, trying it.", link: `/questions/${id}#answer-${answerId}` },
    ]);
    await qa().comment(asker.actor, id, { body: "A note on my own question." });
    await qa().comment(other.actor, id, { body: "A note on my own answer.", answerId });
    expect(await db().notification.count({ where: { type: "question.commented", userId: { in: [asker.user.id, other.user.id] }, link: { startsWith: `/questions/${id}` } } })).toBe(2);
  });

  test("refused: a deleted answer, an answer elsewhere; deleting: only the author or an administrator, once", async () => {
    const { id } = await ask(app.atrium, asker.actor, { title: title("Comment refusals") });
    const { id: answerId } = await qa().answerQuestion(other.actor, id, { body: body("Soon deleted.") });
    await qa().deleteAnswer(other.actor, answerId);
    await refused(() => qa().comment(third.actor, id, { body: "hello", answerId }), 403, "That answer was deleted; it no longer takes comments.");
    await refused(() => qa().comment(third.actor, id, { body: "hello", answerId: "no-such-answer" }), 422, "That answer is not on this question.");

    const { id: commentId } = await qa().comment(third.actor, id, { body: "To be deleted." });
    await refused(() => qa().deleteComment(other.actor, commentId), 403, "Only the author or an administrator can delete this comment.");
    const at = tick();
    events.length = 0;
    await qa().deleteComment(third.actor, commentId);
    expect(await db().qaComment.findUniqueOrThrow({ where: { id: commentId } })).toMatchObject({ deletedAt: at, deletedById: third.user.id });
    expect(events).toEqual([{ name: "question.updated", payload: { questionId: id, change: "comment-deleted" } }]);
    await refused(() => qa().deleteComment(admin.actor, commentId), 403, "This comment was already deleted.");
    await refused(() => qa().deleteComment(admin.actor, "no-such-comment"), 404, "That comment was not found.");
  });
});

describe("votes", () => {
  test("a question's votes: time of the vote, score in the row, the index and the event; a second down vote is refused", async () => {
    const { id } = await ask(app.atrium, asker.actor, { title: title("Votable question") });
    const at = tick();
    events.length = 0;
    expect(await qa().voteQuestion(other.actor, id, { value: -1 })).toEqual({ score: -1, myVote: -1 });
    const key = { userId_questionId: { userId: other.user.id, questionId: id } };
    expect(await db().questionVote.findUniqueOrThrow({ where: key })).toMatchObject({ value: -1, votedAt: at });
    expect(indexed(id)?.score).toBe(-1);
    expect(events).toEqual([{ name: "question.voted", payload: { questionId: id, target: "question", targetId: id, score: -1 } }]);
    await refused(() => qa().voteQuestion(other.actor, id, { value: -1 }), 422, "You have already voted this down.");
    const later = tick();
    expect(await qa().voteQuestion(other.actor, id, { value: 1 })).toEqual({ score: 1, myVote: 1 });
    expect(await db().questionVote.findUniqueOrThrow({ where: key })).toMatchObject({ value: 1, votedAt: later });
    expect(await qa().voteQuestion(other.actor, id, { value: 0 })).toEqual({ score: 0, myVote: 0 });
    expect(await db().questionVote.findUnique({ where: key })).toBeNull();
    expect(indexed(id)?.score).toBe(0);
    await qa().deleteQuestion(asker.actor, id);
    await refused(() => qa().voteQuestion(other.actor, id, { value: 1 }), 403, "This question was deleted.");
  });

  test("an answer's up vote counts as expertise on the question's tags until it is changed; the event names the answer", async () => {
    const tag = `otter${++seq}`;
    const { id } = await ask(app.atrium, asker.actor, { title: title("Otter question"), tags: [tag] });
    const skill = await db().skill.findUniqueOrThrow({ where: { name: tag } });
    const { id: answerId } = await qa().answerQuestion(other.actor, id, { body: body("Otters float.") });
    const at = tick();
    events.length = 0;
    expect(await qa().voteAnswer(asker.actor, answerId, { value: 1 })).toEqual({ score: 1, myVote: 1 });
    expect(await db().answerVote.findUniqueOrThrow({ where: { userId_answerId: { userId: asker.user.id, answerId } } })).toMatchObject({ value: 1, votedAt: at });
    expect(events).toEqual([{ name: "question.voted", payload: { questionId: id, target: "answer", targetId: answerId, score: 1 } }]);
    expect(app.atrium.ctx.expertise.cell(skill.id, other.user.id)?.upvotes).toBe(1);
    expect(await qa().voteAnswer(asker.actor, answerId, { value: -1 })).toEqual({ score: -1, myVote: -1 });
    expect(app.atrium.ctx.expertise.cell(skill.id, other.user.id)?.upvotes ?? 0).toBe(0);
    expect(await qa().voteAnswer(third.actor, answerId, { value: -1 })).toEqual({ score: -2, myVote: -1 });
    expect(await qa().voteAnswer(asker.actor, answerId, { value: 0 })).toEqual({ score: -1, myVote: 0 });
    expect(await db().answerVote.findUnique({ where: { userId_answerId: { userId: asker.user.id, answerId } } })).toBeNull();
    expect(app.atrium.ctx.expertise.cell(skill.id, other.user.id)?.upvotes ?? 0).toBe(0);
    await qa().deleteAnswer(other.actor, answerId);
    await refused(() => qa().voteAnswer(third.actor, answerId, { value: 1 }), 403, "This answer was deleted.");
  });
});

describe("acceptance", () => {
  test("accepting stores the time and the mark, tells the answerer and the followers, sets the index; moving it clears the first", async () => {
    const tag = `heron${++seq}`;
    const t = title("Heron acceptance");
    const { id } = await ask(app.atrium, asker.actor, { title: t, tags: [tag] });
    const skill = await db().skill.findUniqueOrThrow({ where: { name: tag } });
    const { id: a1 } = await qa().answerQuestion(other.actor, id, { body: body("First.") });
    const { id: a2 } = await qa().answerQuestion(third.actor, id, { body: body("Second.") });
    const watcher = await makeUser(app.atrium, { name: "Wyn Watcher" });
    await qa().followQuestion(watcher.actor, id);
    const at = tick();
    events.length = 0;
    await qa().acceptAnswer(asker.actor, a1);
    expect((await db().answer.findUniqueOrThrow({ where: { id: a1 } })).acceptedAt).toEqual(at);
    expect(await db().question.findUniqueOrThrow({ where: { id } })).toMatchObject({ acceptedAnswerId: a1, lastActivityAt: at });
    expect(indexed(id)?.accepted).toBe(true);
    expect(events).toEqual([{ name: "question.accepted", payload: { questionId: id, answerId: a1 } }]);
    expect(await notes(other.user.id, "answer.accepted", id)).toEqual([{ title: `Ada Asker accepted your answer to “${t}”`, body: "", link: `/questions/${id}#answer-${a1}` }]);
    const toFollowers = [{ title: `An answer was accepted on “${t}”`, body: "", link: `/questions/${id}#answer-${a1}` }];
    expect(await notes(watcher.user.id, "question.accepted", id)).toEqual(toFollowers);
    expect(await notes(third.user.id, "question.accepted", id)).toEqual(toFollowers);
    for (const u of [asker, other]) expect(await notes(u.user.id, "question.accepted", id)).toEqual([]);
    expect(app.atrium.ctx.expertise.cell(skill.id, other.user.id)?.accepted).toBe(1);

    await qa().acceptAnswer(asker.actor, a2);
    expect((await db().answer.findUniqueOrThrow({ where: { id: a1 } })).acceptedAt).toBeNull();
    expect(app.atrium.ctx.expertise.cell(skill.id, other.user.id)?.accepted ?? 0).toBe(0);
    expect(app.atrium.ctx.expertise.cell(skill.id, third.user.id)?.accepted).toBe(1);
  });

  test("the asker's own answer: accepted without telling the asker; unaccepting clears the mark, the expertise and the index", async () => {
    const tag = `ibis${++seq}`;
    const { id } = await ask(app.atrium, asker.actor, { title: title("Ibis self answer"), tags: [tag] });
    const skill = await db().skill.findUniqueOrThrow({ where: { name: tag } });
    const { id: own } = await qa().answerQuestion(asker.actor, id, { body: body("Found it myself.") });
    await qa().acceptAnswer(asker.actor, own);
    expect(await notes(asker.user.id, "answer.accepted", id)).toEqual([]);
    expect(app.atrium.ctx.expertise.cell(skill.id, asker.user.id)?.accepted).toBe(1);
    await refused(() => qa().unacceptAnswer(other.actor, own), 403, "Only the person who asked can change the accepted answer.");
    const at = tick();
    events.length = 0;
    await qa().unacceptAnswer(asker.actor, own);
    expect((await db().answer.findUniqueOrThrow({ where: { id: own } })).acceptedAt).toBeNull();
    expect(await db().question.findUniqueOrThrow({ where: { id } })).toMatchObject({ acceptedAnswerId: null, lastActivityAt: at });
    expect(indexed(id)?.accepted).toBe(false);
    expect(app.atrium.ctx.expertise.cell(skill.id, asker.user.id)?.accepted ?? 0).toBe(0);
    expect(events).toEqual([{ name: "question.accepted", payload: { questionId: id, answerId: null } }]);
    await refused(() => qa().unacceptAnswer(asker.actor, own), 422, "This answer is not the accepted one.");
    await qa().deleteAnswer(asker.actor, own);
    await refused(() => qa().acceptAnswer(asker.actor, own), 403, "This answer or its question was deleted.");
  });
});

describe("duplicates", () => {
  test("closing stores who and when, marks the index, announces both questions and tells the asker; reopening undoes each", async () => {
    const { id: original } = await ask(app.atrium, other.actor, { title: title("Original pelican") });
    const t = title("Duplicate pelican");
    const { id: dup } = await ask(app.atrium, asker.actor, { title: t });
    const at = tick();
    events.length = 0;
    await qa().closeAsDuplicate(admin.actor, dup, { duplicateOf: original });
    expect(await db().question.findUniqueOrThrow({ where: { id: dup } })).toMatchObject({ closedAt: at, closedById: admin.user.id, duplicateOfId: original, lastActivityAt: at });
    expect(indexed(dup)?.duplicate).toBe(true);
    expect(events).toEqual([
      { name: "question.updated", payload: { questionId: dup, change: "closed" } },
      { name: "question.updated", payload: { questionId: original, change: "duplicate-linked" } },
    ]);
    const originalTitle = (await db().question.findUniqueOrThrow({ where: { id: original } })).title;
    expect(await notes(asker.user.id, "question.closed", original)).toEqual([{ title: `Your question “${t}” was closed as a duplicate of “${originalTitle}”`, body: "", link: `/questions/${original}` }]);

    await refused(() => qa().reopenQuestion(third.actor, dup), 403, "Only the asker or an administrator can reopen this question.");
    const later = tick();
    events.length = 0;
    await qa().reopenQuestion(asker.actor, dup);
    expect(await db().question.findUniqueOrThrow({ where: { id: dup } })).toMatchObject({ closedAt: null, closedById: null, duplicateOfId: null, lastActivityAt: later });
    expect(indexed(dup)?.duplicate).toBe(false);
    expect(events).toEqual([
      { name: "question.updated", payload: { questionId: dup, change: "reopened" } },
      { name: "question.updated", payload: { questionId: original, change: "duplicate-linked" } },
    ]);
    await refused(() => qa().reopenQuestion(asker.actor, dup), 403, "This question is not closed.");
    // The asker closing their own question is not told about it.
    await qa().closeAsDuplicate(asker.actor, dup, { duplicateOf: original });
    expect(await db().notification.count({ where: { userId: asker.user.id, type: "question.closed", link: `/questions/${original}` } })).toBe(1);
  });

  test("refused: a deleted question, an already closed one, a deleted original, an original that is itself a duplicate", async () => {
    const { id: original } = await ask(app.atrium, other.actor, { title: title("Original gannet") });
    const { id: dupOfOriginal } = await ask(app.atrium, other.actor, { title: title("Gannet again") });
    await qa().closeAsDuplicate(other.actor, dupOfOriginal, { duplicateOf: original });
    const { id: deletedOriginal } = await ask(app.atrium, other.actor, { title: title("Deleted gannet") });
    await qa().deleteQuestion(other.actor, deletedOriginal);
    const { id: q } = await ask(app.atrium, asker.actor, { title: title("My gannet") });
    await refused(() => qa().closeAsDuplicate(asker.actor, q, { duplicateOf: deletedOriginal }), 422, "There is no such question.");
    await refused(() => qa().closeAsDuplicate(asker.actor, q, { duplicateOf: dupOfOriginal }), 422, "That question is itself closed as a duplicate; choose the question it points to.");
    await refused(() => qa().closeAsDuplicate(asker.actor, dupOfOriginal, { duplicateOf: original }), 403, "This question is already closed.");
    await qa().deleteQuestion(asker.actor, q);
    await refused(() => qa().closeAsDuplicate(admin.actor, q, { duplicateOf: original }), 403, "This question was deleted.");
  });
});

describe("routing profiles", () => {
  test("accepting, moving and withdrawing acceptance reach the answerers' profiles at once, as a rebuild from the database reads them", async () => {
    const own = await startTestApp({ clock });
    try {
      const { buildAnswererIndex } = await import("../../../server/domain/qa-indexes.js");
      const { AnswererIndex } = await import("../../../server/search/answerer-index.js");
      const [who, first, second] = [await makeUser(own.atrium, { name: "Qi Asker" }), await makeUser(own.atrium, { name: "Fen First" }), await makeUser(own.atrium, { name: "Sol Second" })];
      const verbs = own.atrium.domain.questions;
      const { id } = await ask(own.atrium, who.actor, { title: "Gateway timeout behind the loadbalancer", body: body("Requests stall for a minute."), tags: ["gateway"] });
      tick();
      const { id: a1 } = await verbs.answerQuestion(first.actor, id, { body: body("Raise the idle timeout on the loadbalancer.") });
      const { id: a2 } = await verbs.answerQuestion(second.actor, id, { body: body("Raise the idle timeout on the loadbalancer.") });
      const query = { text: "gateway timeout loadbalancer idle stall", tags: [], at: clock.now(), limit: 5 };
      const rebuilt = async () => {
        const fresh = { ...own.atrium.ctx, answerers: new AnswererIndex() };
        await buildAnswererIndex(fresh);
        return fresh.answerers.rank(query);
      };
      const live = () => own.atrium.ctx.answerers.rank(query);
      expect(live().map((p) => p.userId).sort()).toEqual([first.user.id, second.user.id].sort());
      await verbs.acceptAnswer(who.actor, a1);
      expect(live()[0]!.userId).toBe(first.user.id);
      expect(live()).toEqual(await rebuilt());
      await verbs.acceptAnswer(who.actor, a2);
      expect(live()[0]!.userId).toBe(second.user.id);
      expect(live()).toEqual(await rebuilt());
      await verbs.unacceptAnswer(who.actor, a2);
      expect(live()).toEqual(await rebuilt());
      // An edit of an accepted answer keeps the acceptance counted once.
      await verbs.acceptAnswer(who.actor, a1);
      await verbs.editAnswer(first.actor, a1, { body: body("Raise the idle timeout on the loadbalancer to five minutes.") });
      expect(live()).toEqual(await rebuilt());
    } finally {
      await own.close();
    }
  });
});

describe("editing a question, more", () => {
  test("a change of the linked insight alone is an edit; an edit replaces only that question's tags; nothing changed says so in the message and the form", async () => {
    const insight = await app.atrium.domain.insights.createInsight(admin.actor, { text: "The heron export keeps timing out", channel: "email" });
    const t = title("Linked heron question");
    const { id } = await ask(app.atrium, admin.actor, { title: t, tags: ["heronlink"] });
    const { id: bystander } = await ask(app.atrium, asker.actor, { title: title("Bystander question"), tags: ["heronlink", "bystander"] });
    const input = { title: t, body: body("Our IdP metadata is rejected."), tags: ["heronlink"] };
    await qa().editQuestion(admin.actor, id, { ...input, insightId: insight.id });
    expect(await db().question.findUniqueOrThrow({ where: { id } })).toMatchObject({ insightId: insight.id });
    expect(await db().postRevision.count({ where: { questionId: id } })).toBe(2);
    await qa().editQuestion(admin.actor, id, { ...input, insightId: insight.id, tags: ["heronother"] });
    const tagsOf = async (qid: string) => (await db().questionTag.findMany({ where: { questionId: qid }, include: { skill: true } })).map((x) => x.skill.name).sort();
    expect(await tagsOf(id)).toEqual(["heronother"]);
    expect(await tagsOf(bystander)).toEqual(["bystander", "heronlink"]);
    const err = await refused(() => qa().editQuestion(admin.actor, id, { ...input, insightId: insight.id, tags: ["heronother"] }), 422, "Nothing changed.");
    expect(err.message).toBe("Nothing changed.");
    expect(err.fieldErrors).toEqual({ form: ["Nothing changed."] });
  });
});

describe("acceptance, refusals", () => {
  test("accepting the accepted answer again, or withdrawing an answer that is not accepted, says so in the message and the form", async () => {
    const { id } = await ask(app.atrium, asker.actor, { title: title("Twice accepted") });
    const { id: answerId } = await qa().answerQuestion(other.actor, id, { body: body("The one answer.") });
    const notYet = await refused(() => qa().unacceptAnswer(asker.actor, answerId), 422, "This answer is not the accepted one.");
    expect(notYet.message).toBe("This answer is not the accepted one.");
    expect(notYet.fieldErrors).toEqual({ form: ["This answer is not the accepted one."] });
    await qa().acceptAnswer(asker.actor, answerId);
    const again = await refused(() => qa().acceptAnswer(asker.actor, answerId), 422, "This answer is already accepted.");
    expect(again.message).toBe("This answer is already accepted.");
    expect(again.fieldErrors).toEqual({ form: ["This answer is already accepted."] });
  });
});

describe("deleting", () => {
  test("a question: who, when and why, out of the similar index, its live answers' expertise retracted once, the event", async () => {
    const tag = `puffin${++seq}`;
    const t = title("Puffin burrow question");
    const { id } = await ask(app.atrium, asker.actor, { title: t, tags: [tag] });
    const skill = await db().skill.findUniqueOrThrow({ where: { name: tag } });
    const { id: live } = await qa().answerQuestion(other.actor, id, { body: body("Live puffin answer.") });
    const { id: gone } = await qa().answerQuestion(third.actor, id, { body: body("Deleted puffin answer.") });
    await qa().voteAnswer(asker.actor, live, { value: 1 });
    await qa().voteAnswer(admin.actor, live, { value: -1 });
    await qa().acceptAnswer(asker.actor, live);
    await qa().voteAnswer(asker.actor, gone, { value: 1 });
    await qa().deleteAnswer(third.actor, gone);
    // The same people's expertise on the tag from another question stays.
    const { id: elsewhere } = await ask(app.atrium, admin.actor, { title: title("Another puffin question"), tags: [tag] });
    for (const who of [other, third]) {
      const { id: a } = await qa().answerQuestion(who.actor, elsewhere, { body: body("Elsewhere.") });
      await qa().voteAnswer(asker.actor, a, { value: 1 });
    }
    expect(app.atrium.ctx.expertise.cell(skill.id, other.user.id)).toMatchObject({ accepted: 1, upvotes: 2 });
    expect(app.atrium.ctx.expertise.cell(skill.id, third.user.id)).toMatchObject({ accepted: 0, upvotes: 1 });
    expect(app.atrium.ctx.questionsIndex.similar({ title: t }).map((h) => h.id)).toContain(id);
    await refused(() => qa().deleteQuestion(other.actor, id), 403, "Only the asker or an administrator can delete this question.");
    const at = tick();
    events.length = 0;
    await qa().deleteQuestion(admin.actor, id, { reason: "  asked twice  " });
    expect(await db().question.findUniqueOrThrow({ where: { id } })).toMatchObject({ deletedAt: at, deletedById: admin.user.id, deleteReason: "asked twice" });
    expect(indexed(id)).toBeUndefined();
    expect(app.atrium.ctx.questionsIndex.similar({ title: t }).map((h) => h.id)).not.toContain(id);
    expect(app.atrium.ctx.expertise.cell(skill.id, other.user.id)).toMatchObject({ accepted: 0, upvotes: 1 });
    expect(app.atrium.ctx.expertise.cell(skill.id, third.user.id)).toMatchObject({ accepted: 0, upvotes: 1 });
    expect(events).toEqual([{ name: "question.updated", payload: { questionId: id, change: "deleted" } }]);
    await refused(() => qa().deleteQuestion(asker.actor, id), 403, "This question was already deleted.");
    await refused(() => qa().deleteQuestion(asker.actor, "x".repeat(61)), 404, "That question was not found.");
  });

  test("an answer: who, when and why, the count and the acceptance cleared, the index's signals, its expertise retracted, the event", async () => {
    const tag = `gannet${++seq}`;
    const { id } = await ask(app.atrium, asker.actor, { title: title("Gannet dive question"), tags: [tag] });
    const skill = await db().skill.findUniqueOrThrow({ where: { name: tag } });
    const { id: kept } = await qa().answerQuestion(third.actor, id, { body: body("Kept gannet answer.") });
    const { id: a } = await qa().answerQuestion(other.actor, id, { body: body("Accepted gannet answer.") });
    await qa().voteAnswer(asker.actor, a, { value: 1 });
    await qa().acceptAnswer(asker.actor, a);
    expect(indexed(id)).toMatchObject({ answerCount: 2, accepted: true });
    await refused(() => qa().deleteAnswer(third.actor, a), 403, "Only the author or an administrator can delete this answer.");
    const at = tick();
    events.length = 0;
    await qa().deleteAnswer(admin.actor, a, { reason: "  off topic " });
    expect(await db().answer.findUniqueOrThrow({ where: { id: a } })).toMatchObject({ deletedAt: at, deletedById: admin.user.id, deleteReason: "off topic", acceptedAt: null });
    expect(await db().question.findUniqueOrThrow({ where: { id } })).toMatchObject({ answerCount: 1, acceptedAnswerId: null });
    expect(indexed(id)).toMatchObject({ answerCount: 1, accepted: false });
    expect(app.atrium.ctx.expertise.cell(skill.id, other.user.id)).toBeUndefined();
    expect(events).toEqual([{ name: "question.updated", payload: { questionId: id, change: "answer-deleted" } }]);
    await refused(() => qa().deleteAnswer(other.actor, a), 403, "This answer was already deleted.");
    await refused(() => qa().deleteAnswer(other.actor, "no-such-answer"), 404, "That answer was not found.");

    // Deleting an answer that is not the accepted one leaves the acceptance.
    const { id: extra } = await qa().answerQuestion(other.actor, id, { body: body("Extra gannet answer.") });
    await qa().acceptAnswer(asker.actor, kept);
    await qa().deleteAnswer(other.actor, extra);
    expect(await db().question.findUniqueOrThrow({ where: { id } })).toMatchObject({ answerCount: 1, acceptedAnswerId: kept });
    expect(indexed(id)).toMatchObject({ answerCount: 1, accepted: true });
  });

  test("an answer on a deleted question: its expertise was retracted with the question, not again", async () => {
    const tag = `skua${++seq}`;
    const { id } = await ask(app.atrium, asker.actor, { title: title("Skua question"), tags: [tag] });
    const skill = await db().skill.findUniqueOrThrow({ where: { name: tag } });
    const { id: a } = await qa().answerQuestion(other.actor, id, { body: body("Skua answer.") });
    await qa().voteAnswer(asker.actor, a, { value: 1 });
    const { id: elsewhere } = await ask(app.atrium, asker.actor, { title: title("Another skua question"), tags: [tag] });
    const { id: b } = await qa().answerQuestion(other.actor, elsewhere, { body: body("Another skua answer.") });
    await qa().voteAnswer(asker.actor, b, { value: 1 });
    await qa().deleteQuestion(asker.actor, id);
    expect(app.atrium.ctx.expertise.cell(skill.id, other.user.id)?.upvotes).toBe(1);
    await qa().deleteAnswer(other.actor, a);
    expect(app.atrium.ctx.expertise.cell(skill.id, other.user.id)?.upvotes).toBe(1);
    expect((await db().answer.findUniqueOrThrow({ where: { id: a } })).deletedById).toBe(other.user.id);
  });

  test("rewording or retagging a question moves its answers in the routing profiles, as a rebuild from the database reads them", async () => {
    const own = await startTestApp({ clock });
    try {
      const { buildAnswererIndex } = await import("../../../server/domain/qa-indexes.js");
      const { AnswererIndex } = await import("../../../server/search/answerer-index.js");
      const [who, helper] = [await makeUser(own.atrium, { name: "Rue Asker" }), await makeUser(own.atrium, { name: "Hal Helper" })];
      const verbs = own.atrium.domain.questions;
      const { id } = await ask(own.atrium, who.actor, { title: "Printer spooler hangs on the third floor", body: body("Jobs queue forever."), tags: ["printing"] });
      tick();
      await verbs.answerQuestion(helper.actor, id, { body: body("Restart the service.") });
      const rank = (text: string, tags: string[], answerers: InstanceType<typeof AnswererIndex>) => answerers.rank({ text, tags, at: clock.now(), limit: 5 });
      const same = async (text: string, tags: string[] = []) => {
        const fresh = { ...own.atrium.ctx, answerers: new AnswererIndex() };
        await buildAnswererIndex(fresh);
        expect(rank(text, tags, own.atrium.ctx.answerers), text).toEqual(rank(text, tags, fresh.answerers));
      };
      const printing = "printer spooler queue hangs";
      const vpn = "vpn tunnel drops every hour";
      expect(rank(printing, [], own.atrium.ctx.answerers).map((p) => p.userId)).toEqual([helper.user.id]);
      await verbs.editQuestion(who.actor, id, { title: "VPN tunnel drops every hour", body: body("The tunnel resets."), tags: ["printing"] });
      // Reworded: the answer now speaks for VPN questions, no longer for printers.
      expect(rank(vpn, [], own.atrium.ctx.answerers).map((p) => p.userId)).toEqual([helper.user.id]);
      expect(rank(printing, [], own.atrium.ctx.answerers)).toEqual([]);
      await same(printing);
      await same(vpn);
      await verbs.editQuestion(who.actor, id, { title: "VPN tunnel drops every hour", body: body("The tunnel resets."), tags: ["network"] });
      const networkId = (await own.atrium.db.skill.findFirstOrThrow({ where: { name: "network" } })).id;
      const printingId = (await own.atrium.db.skill.findFirstOrThrow({ where: { name: "printing" } })).id;
      // Retagged: a question on the new tag reaches the answerer through it, the old tag no longer does.
      expect(rank("office move", [networkId], own.atrium.ctx.answerers).map((p) => p.userId)).toEqual([helper.user.id]);
      expect(rank("office move", [printingId], own.atrium.ctx.answerers)).toEqual([]);
      await same("office move", [networkId]);
      await same("office move", [printingId]);
      await same(vpn);
    } finally {
      await own.close();
    }
  });

  test("deleting a question, then one of its answers, and an answer on a live question: the routing profiles equal a rebuild from the database", async () => {
    const own = await startTestApp({ clock });
    try {
      const { buildAnswererIndex } = await import("../../../server/domain/qa-indexes.js");
      const { AnswererIndex } = await import("../../../server/search/answerer-index.js");
      const [who, first, second] = [await makeUser(own.atrium, { name: "Dee Asker" }), await makeUser(own.atrium, { name: "Fin First" }), await makeUser(own.atrium, { name: "Sam Second" })];
      const verbs = own.atrium.domain.questions;
      const { id } = await ask(own.atrium, who.actor, { title: "Printer spooler hangs on the third floor", body: body("Jobs queue forever."), tags: ["printing"] });
      const { id: other } = await ask(own.atrium, who.actor, { title: "Scanner driver crashes on login", body: body("The driver fails at start."), tags: ["scanning"] });
      tick();
      const { id: a1 } = await verbs.answerQuestion(first.actor, id, { body: body("Restart the spooler service and clear its queue.") });
      await verbs.answerQuestion(second.actor, id, { body: body("Clear the spooler queue folder.") });
      await verbs.answerQuestion(second.actor, other, { body: body("Reinstall the scanner driver.") });
      const { id: a4 } = await verbs.answerQuestion(first.actor, other, { body: body("Update the scanner driver.") });
      const rank = (text: string, answerers: InstanceType<typeof AnswererIndex>) => answerers.rank({ text, tags: [], at: clock.now(), limit: 5 });
      const rebuilt = async (text: string) => {
        const fresh = { ...own.atrium.ctx, answerers: new AnswererIndex() };
        await buildAnswererIndex(fresh);
        return rank(text, fresh.answerers);
      };
      const printing = "printer spooler queue hangs";
      const scanning = "scanner driver crashes";
      expect(rank(printing, own.atrium.ctx.answerers).map((p) => p.userId).sort()).toEqual([first.user.id, second.user.id].sort());
      await verbs.deleteQuestion(who.actor, id);
      expect(rank(printing, own.atrium.ctx.answerers)).toEqual(await rebuilt(printing));
      expect(rank(scanning, own.atrium.ctx.answerers)).toEqual(await rebuilt(scanning));
      await verbs.deleteAnswer(first.actor, a1);
      expect(rank(printing, own.atrium.ctx.answerers)).toEqual(await rebuilt(printing));
      expect(rank(scanning, own.atrium.ctx.answerers)).toEqual(await rebuilt(scanning));
      await verbs.deleteAnswer(first.actor, a4);
      expect(rank(scanning, own.atrium.ctx.answerers)).toEqual(await rebuilt(scanning));
      expect(rank(scanning, own.atrium.ctx.answerers).map((p) => p.userId)).toEqual([second.user.id]);
    } finally {
      await own.close();
    }
  });
});

describe("routing on request", () => {
  const routed: DomainEvents["question.routed"][] = [];
  // Each test has an app of its own: subscribe to that one.
  beforeEach(() => {
    routed.length = 0;
    app.atrium.ctx.bus.subscribe("question.routed", (p) => void routed.push(p));
  });

  test("asking a person: the route, their notice and both events; refused for oneself, someone inactive or unknown, twice, by another, on a closed question", async () => {
    const t = title("Which tern migrates first?");
    const { id } = await ask(app.atrium, asker.actor, { title: t, tags: [`tern${++seq}`] });
    // Someone no earlier answer routes this question to.
    const helper = await makeUser(app.atrium, { name: "Hana Helper" });
    const at = tick();
    events.length = 0;
    routed.length = 0;
    await qa().askPerson(asker.actor, id, { userId: helper.user.id });
    expect(await db().questionRoute.findMany({ where: { questionId: id, kind: "person" }, select: { userId: true, kind: true, reason: true, requestedById: true, createdAt: true } })).toEqual([
      { userId: helper.user.id, kind: "person", reason: "Ada Asker asked you directly", requestedById: asker.user.id, createdAt: at },
    ]);
    expect(await notes(helper.user.id, "question.routed", id)).toEqual([{ title: `Ada Asker asks for your help: “${t}”`, body: "Ada Asker asked. Why you: Ada Asker asked you directly.", link: `/questions/${id}` }]);
    expect(routed).toEqual([{ questionId: id, userIds: [helper.user.id], at: at.toISOString() }]);
    expect(events).toEqual([{ name: "question.updated", payload: { questionId: id, change: "routed" } }]);

    const gone = await makeUser(app.atrium, { name: "Ivo Inactive" });
    await db().user.update({ where: { id: gone.user.id }, data: { active: false } });
    await refused(() => qa().askPerson(asker.actor, id, { userId: asker.user.id }), 422, "Choose someone other than yourself.");
    await refused(() => qa().askPerson(asker.actor, id, { userId: gone.user.id }), 422, "Choose an active colleague.");
    await refused(() => qa().askPerson(asker.actor, id, { userId: "no-such-person" }), 422, "Choose an active colleague.");
    await refused(() => qa().askPerson(asker.actor, id, { userId: helper.user.id }), 422, "Hana Helper has already been asked.");
    await refused(() => qa().askPerson(other.actor, id, { userId: helper.user.id }), 403, "Only the asker can ask someone to help.");
    await db().question.update({ where: { id }, data: { closedAt: clock.now() } });
    await refused(() => qa().askPerson(asker.actor, id, { userId: other.user.id }), 403, "This question is closed.");
  });

  test("asking a department: the question is assigned, its active members other than the asker are routed and counted; refusals", async () => {
    const dept = await db().department.create({ data: { name: "Tern Desk", slug: `tern-desk-${++seq}` } });
    const members = [await makeUser(app.atrium, { name: "Ana Desk", departmentId: dept.id }), await makeUser(app.atrium, { name: "Ben Desk", departmentId: dept.id })];
    const idle = await makeUser(app.atrium, { name: "Cy Desk", departmentId: dept.id });
    await db().user.update({ where: { id: idle.user.id }, data: { active: false } });
    const deskAsker = await makeUser(app.atrium, { name: "Dot Desk", departmentId: dept.id });
    const t = title("Who owns the tern desk rota?");
    const { id } = await ask(app.atrium, deskAsker.actor, { title: t, tags: [`rota${seq}`] });
    events.length = 0;
    expect(await qa().askDepartment(deskAsker.actor, id, { departmentId: dept.id })).toEqual({ reached: 2 });
    expect((await db().question.findUniqueOrThrow({ where: { id } })).departmentId).toBe(dept.id);
    const routes = await db().questionRoute.findMany({ where: { questionId: id, kind: "department" }, select: { userId: true, kind: true, reason: true, requestedById: true } });
    expect(routes.sort((a, b) => a.userId.localeCompare(b.userId))).toEqual(
      members.map((m) => ({ userId: m.user.id, kind: "department", reason: "Tern Desk was asked", requestedById: deskAsker.user.id })).sort((a, b) => a.userId.localeCompare(b.userId)),
    );
    expect(await notes(members[0]!.user.id, "question.routed", id)).toEqual([{ title: `Dot Desk asks for your help: “${t}”`, body: "Dot Desk asked. Why you: Tern Desk was asked.", link: `/questions/${id}` }]);
    expect(events).toEqual([{ name: "question.updated", payload: { questionId: id, change: "routed" } }]);
    // Asked again: everyone was reached already.
    expect(await qa().askDepartment(deskAsker.actor, id, { departmentId: dept.id })).toEqual({ reached: 0 });

    await refused(() => qa().askDepartment(deskAsker.actor, id, { departmentId: "no-such-department" }), 422, "Choose an existing department.");
    await refused(() => qa().askDepartment(other.actor, id, { departmentId: dept.id }), 403, "Only the asker can ask a department.");
    await db().question.update({ where: { id }, data: { closedAt: clock.now() } });
    await refused(() => qa().askDepartment(deskAsker.actor, id, { departmentId: dept.id }), 403, "This question is closed.");
  });
});

describe("following", () => {
  test("a tag by its name or a synonym, in any case, at the clock's time and once; unfollowing removes only one's own", async () => {
    const name = `kittiwake${++seq}`;
    await db().skill.create({ data: { name, label: "Kittiwake", synonyms: { create: { name: `kw${seq}` } } } });
    const skill = await db().skill.findUniqueOrThrow({ where: { name } });
    const at = tick();
    await qa().followTag(other.actor, `  ${name.toUpperCase()} `);
    tick();
    await qa().followTag(other.actor, `kw${seq}`);
    await qa().followTag(third.actor, name);
    expect(await db().tagFollow.findMany({ where: { skillId: skill.id, userId: other.user.id }, select: { createdAt: true } })).toEqual([{ createdAt: at }]);
    await qa().unfollowTag(other.actor, `kw${seq}`);
    expect((await db().tagFollow.findMany({ where: { skillId: skill.id }, select: { userId: true } })).map((f) => f.userId)).toEqual([third.user.id]);
    await expect(qa().followTag(other.actor, "no-such-tag-at-all")).rejects.toMatchObject({ status: 404, message: "That tag was not found." });
    await expect(qa().unfollowTag(other.actor, "no-such-tag-at-all")).rejects.toMatchObject({ status: 404, message: "That tag was not found." });
  });

  test("a tag name that is not a string, or longer than a tag can be, is not found; a name of exactly 40 characters is", async () => {
    const name = `${"s".repeat(35)}${String(++seq).padStart(5, "0")}`;
    expect(name).toHaveLength(40);
    await db().skill.create({ data: { name, label: "Long Shearwater" } });
    for (const bad of [42, null, ["x"], `${name}x`, ` ${name}s `] as unknown as string[]) {
      for (const verb of [qa().followTag, qa().unfollowTag]) {
        await refused(() => verb(other.actor, bad), 404, "That tag was not found.");
      }
    }
    expect(await db().tagFollow.count({ where: { userId: other.user.id } })).toBe(0);
    await qa().followTag(other.actor, ` ${name.toUpperCase()} `);
    expect(await db().tagFollow.count({ where: { userId: other.user.id } })).toBe(1);
  });

  test("a question at the clock's time and once; not a deleted one; unfollowing removes only one's own", async () => {
    const { id } = await ask(app.atrium, asker.actor, { title: title("Followed fulmar question") });
    const at = tick();
    await qa().followQuestion(other.actor, id);
    tick();
    await qa().followQuestion(other.actor, id);
    await qa().followQuestion(third.actor, id);
    const key = { userId_questionId: { userId: other.user.id, questionId: id } };
    expect((await db().questionFollow.findUniqueOrThrow({ where: key })).createdAt).toEqual(at);
    await qa().unfollowQuestion(other.actor, id);
    expect((await db().questionFollow.findMany({ where: { questionId: id }, select: { userId: true } })).map((f) => f.userId).sort()).toEqual([asker.user.id, third.user.id].sort());
    await expect(qa().unfollowQuestion(other.actor, "no-such-question")).rejects.toMatchObject({ status: 404 });
    await qa().deleteQuestion(asker.actor, id);
    await refused(() => qa().followQuestion(other.actor, id), 403, "This question was deleted.");
  });
});

describe("answers, comments and votes: refusals word for word", () => {
  test("an answer on a deleted question can be neither edited nor voted on; nothing changed; votes not there or already there; a comment id that is not a string", async () => {
    const { id } = await ask(app.atrium, asker.actor, { title: title("Refusal wording") });
    const { id: answerId } = await qa().answerQuestion(other.actor, id, { body: body("The same words.") });
    const same = await refused(() => qa().editAnswer(other.actor, answerId, { body: body("The same words.") }), 422, "Nothing changed.");
    expect(same.message).toBe("Nothing changed.");
    expect(same.fieldErrors).toEqual({ form: ["Nothing changed."] });
    const notVoted = await refused(() => qa().voteAnswer(asker.actor, answerId, { value: 0 }), 422, "You have not voted on this.");
    expect(notVoted.message).toBe("You have not voted on this.");
    expect(notVoted.fieldErrors).toEqual({ value: ["You have not voted on this."] });
    await qa().voteQuestion(other.actor, id, { value: 1 });
    const twice = await refused(() => qa().voteQuestion(other.actor, id, { value: 1 }), 422, "You have already voted this up.");
    expect(twice.message).toBe("You have already voted this up.");
    expect(twice.fieldErrors).toEqual({ value: ["You have already voted this up."] });
    await refused(() => qa().voteQuestion(asker.actor, id, { value: 1 }), 403, "You cannot vote on your own question.");
    await refused(() => qa().voteAnswer(other.actor, answerId, { value: 1 }), 403, "You cannot vote on your own answer.");
    await refused(() => qa().deleteComment(admin.actor, 42 as unknown as string), 404, "That comment was not found.");
    await refused(() => qa().voteQuestion(other.actor, 42 as unknown as string, { value: 1 }), 404, "That question was not found.");
    await refused(() => qa().voteAnswer(asker.actor, 42 as unknown as string, { value: 1 }), 404, "That answer was not found.");
    await qa().deleteQuestion(asker.actor, id);
    await refused(() => qa().editAnswer(other.actor, answerId, { body: body("New words.") }), 403, "This answer was deleted.");
    await refused(() => qa().voteAnswer(asker.actor, answerId, { value: 1 }), 403, "This answer was deleted.");
    await refused(() => qa().comment(third.actor, id, { body: "Still there?" }), 403, "This question was deleted; it no longer takes comments.");
  });

  test("an inactive person may not follow a tag or look for similar questions", async () => {
    const tag = `petrel${++seq}`;
    await db().skill.create({ data: { name: tag, label: tag } });
    const inactive = { ...other.actor, active: false };
    await refused(() => qa().followTag(inactive, tag), 403, "You are not allowed to do that.");
    expect(await refusalOf(() => qa().similarQuestions(inactive, { title: "petrel " }))).toMatchObject({ status: 403 });
    expect(await refusalOf(async () => qa().similarIndexing(inactive))).toMatchObject({ status: 403 });
  });
});
