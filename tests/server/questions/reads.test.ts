/**
 * The Q&A reads, field by field: the question page for each kind of reader (answers' order, traces
 * of deletions and closing, what each reader may do), the edit forms' values, the lists, similar
 * questions and duplicate suggestions, revision histories, tag pages and suggestions, expertise and
 * the routed-to-me list. Each test makes its own questions, so any one of them runs alone.
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { makeUser, startTestApp, type TestApp } from "../../helpers/app.js";
import { ask, body } from "./helpers.js";
import { manualClock } from "../../helpers/clock.js";
import { refusalOf } from "../../helpers/refusals.js";

const clock = manualClock("2031-07-01T08:00:00Z");

let app: TestApp;
type U = Awaited<ReturnType<typeof makeUser>>;
let asker: U, other: U, third: U, reader: U, admin: U;
const qa = () => app.atrium.domain.questions;
const db = () => app.atrium.db;
let seq = 0;
const unique = (words: string) => `${words} ${++seq}${Math.random().toString(36).slice(2, 7)}`;
const iso = (d: Date) => d.toISOString();
const person = (u: U) => ({ id: u.user.id, name: u.user.name, title: "", initials: expect.any(String), photoUrl: null, active: true, importedFrom: null });

beforeAll(async () => {
  app = await startTestApp({ clock });
  asker = await makeUser(app.atrium, { name: "Ada Asker" });
  other = await makeUser(app.atrium, { name: "Olu Other" });
  third = await makeUser(app.atrium, { name: "Tess Third" });
  reader = await makeUser(app.atrium, { name: "Rae Reader" });
  admin = await makeUser(app.atrium, { name: "Ann Admin", role: "admin" });
});
afterAll(() => app?.close());

describe("the question page", () => {
  test("answers accepted first, then live by score and age, deleted last; each field, each trace, each reader's rights", async () => {
    const dept = await db().department.create({ data: { name: "Reads Dept", slug: `reads-dept-${++seq}` } });
    const asked = clock.tick();
    const t = unique("Why does the osprey job fail?");
    const { id } = await ask(app.atrium, asker.actor, { title: t, body: body("The osprey job fails nightly."), tags: ["ospreyjob", "alphanight"], departmentId: dept.id });
    const at1 = clock.tick();
    const { id: a1 } = await qa().answerQuestion(other.actor, id, { body: body("Raise the osprey timeout.") });
    const at2 = clock.tick();
    const { id: a2 } = await qa().answerQuestion(third.actor, id, { body: body("Check the osprey logs.") });
    const at3 = clock.tick();
    const { id: a3 } = await qa().answerQuestion(reader.actor, id, { body: body("Spam answer.") });
    const at4 = clock.tick();
    const { id: a4 } = await qa().answerQuestion(admin.actor, id, { body: body("Ask the vendor.") });
    const at5 = clock.tick();
    const { id: a5 } = await qa().answerQuestion(asker.actor, id, { body: body("Or run it twice.") });
    const edited = clock.tick();
    await qa().editAnswer(other.actor, a1, { body: body("Raise the osprey timeout to an hour.") });
    await qa().voteAnswer(asker.actor, a1, { value: -1 });
    await qa().voteAnswer(asker.actor, a2, { value: 1 });
    await qa().voteAnswer(reader.actor, a2, { value: 1 });
    await qa().voteAnswer(asker.actor, a3, { value: 1 });
    await qa().voteAnswer(third.actor, a4, { value: -1 });
    await qa().voteAnswer(other.actor, a4, { value: 1 });
    await qa().voteQuestion(third.actor, id, { value: 1 });
    await qa().acceptAnswer(asker.actor, a1);
    const deletedAt = clock.tick();
    await qa().deleteAnswer(admin.actor, a3, { reason: "spam" });
    const commented = clock.tick();
    const { id: c1 } = await qa().comment(third.actor, id, { body: "Which version?" });
    const { id: c2 } = await qa().comment(asker.actor, id, { body: "Thanks, trying.", answerId: a1 });
    const { id: c3 } = await qa().comment(other.actor, id, { body: "Never mind." });
    const commentGone = clock.tick();
    await qa().deleteComment(other.actor, c3);
    await qa().askPerson(asker.actor, id, { userId: third.user.id });
    await db().questionRoute.create({ data: { questionId: id, userId: reader.user.id, kind: "auto", reason: "answered similar", score: 1 } });
    const readerSocket = `reads-socket-${seq}`;
    app.atrium.presence.connect(reader.user.id, readerSocket);
    const { id: dup } = await ask(app.atrium, other.actor, { title: unique("The osprey job fails again") });
    const closedAt = clock.tick();
    await qa().closeAsDuplicate(admin.actor, dup, { duplicateOf: id });
    const lastActivity = (await db().question.findUniqueOrThrow({ where: { id } })).lastActivityAt;

    const page = await qa().getQuestion(third.actor, id);
    expect(page).toMatchObject({
      id,
      title: t,
      tags: [
        { name: "alphanight", label: "Alphanight" },
        { name: "ospreyjob", label: "Ospreyjob" },
      ],
      department: { id: dept.id, name: "Reads Dept" },
      documentId: null,
      insightId: null,
      linked: { document: null, insight: null },
      author: person(asker),
      createdAt: iso(asked),
      editedAt: null,
      lastActivityAt: iso(lastActivity),
      score: 1,
      myVote: 1,
      answerCount: 4,
      accepted: true,
      closed: null,
      duplicates: [{ id: dup, title: expect.stringContaining("The osprey job fails again") }],
      deleted: null,
      contentVisible: true,
      revisionCount: 1,
      followerCount: 5,
      following: true,
      answerBlockedReason: null,
      isAsker: false,
      can: { edit: false, delete: false, answer: true, comment: true, vote: true, close: false, reopen: false, askPerson: false, follow: true },
    });
    expect(JSON.stringify(page.body)).toContain("The osprey job fails nightly.");
    expect(page.routedTo).toEqual([
      { person: person(reader), kind: "auto", reason: "answered similar · online now", presence: "online" },
      { person: person(third), kind: "person", reason: "Ada Asker asked you directly", presence: "offline" },
    ]);
    // Presence is read at each read: an idle reader's route loses "online now"; a person asked directly is never marked online.
    const thirdSocket = `reads-third-${seq}`;
    app.atrium.presence.setIdle(readerSocket, true);
    app.atrium.presence.connect(third.user.id, thirdSocket);
    expect((await qa().getQuestion(third.actor, id)).routedTo).toEqual([
      { person: person(reader), kind: "auto", reason: "answered similar", presence: "away" },
      { person: person(third), kind: "person", reason: "Ada Asker asked you directly", presence: "online" },
    ]);
    app.atrium.presence.setIdle(thirdSocket, true);
    expect(page.comments).toEqual([
      { id: c1, answerId: null, author: person(third), body: "Which version?", createdAt: iso(commented), deleted: null, canDelete: true },
      { id: c3, answerId: null, author: person(other), body: "", createdAt: iso(commented), deleted: { at: iso(commentGone), by: "Olu Other", reason: "" }, canDelete: false },
    ]);
    expect(page.answers.map((a) => a.id)).toEqual([a1, a2, a4, a5, a3]);
    const [first, second, , fifth, gone] = page.answers;
    expect(first).toMatchObject({
      author: person(other),
      createdAt: iso(at1),
      editedAt: iso(edited),
      score: -1,
      myVote: 0,
      accepted: true,
      deleted: null,
      revisionCount: 2,
      comments: [{ id: c2, answerId: a1, author: person(asker), body: "Thanks, trying.", createdAt: iso(commented), deleted: null, canDelete: false }],
      can: { edit: false, delete: false, vote: true, accept: false, comment: true },
    });
    expect(JSON.stringify(first!.body)).toContain("Raise the osprey timeout to an hour.");
    expect(second).toMatchObject({ createdAt: iso(at2), editedAt: null, score: 2, accepted: false, revisionCount: 1, comments: [], can: { edit: true, delete: true, vote: false, accept: false, comment: true } });
    expect(fifth).toMatchObject({ createdAt: iso(at5), score: 0 });
    expect(page.answers[2]).toMatchObject({ createdAt: iso(at4), score: 0, myVote: -1 });
    expect(gone).toMatchObject({ createdAt: iso(at3), score: 1, accepted: false, body: null, deleted: { at: iso(deletedAt), by: "Ann Admin", reason: "spam" }, can: { edit: false, delete: false, vote: false, accept: false, comment: false } });

    // The asker: may accept any live answer, edit and close the question, ask someone.
    const mine = await qa().getQuestion(asker.actor, id);
    expect(mine).toMatchObject({ isAsker: true, myVote: 0, following: true, can: { edit: true, delete: true, vote: false, close: true, reopen: false, askPerson: true, follow: true } });
    expect(mine.answers.map((a) => [a.myVote, a.can.accept])).toEqual([[-1, true], [1, true], [0, true], [0, true], [1, false]]);
    expect(mine.comments.map((c) => c.canDelete)).toEqual([false, false]);
    expect(mine.answers[0]!.comments.map((c) => c.canDelete)).toEqual([true]);
    // A deleted answer's body: its author and administrators still read it.
    expect((await qa().getQuestion(reader.actor, id)).answers[4]!.body).not.toBeNull();
    expect((await qa().getQuestion(admin.actor, id)).answers[4]!.body).not.toBeNull();
    const asAdmin = await qa().getQuestion(admin.actor, id);
    expect(asAdmin.answers.map((a) => a.can.edit)).toEqual([true, true, true, true, false]);
    expect(asAdmin.comments.map((c) => c.canDelete)).toEqual([true, false]);

    // The duplicate: closed with who and when, the original named, no answers taken.
    const d = await qa().getQuestion(reader.actor, dup);
    expect(d.closed).toEqual({ at: iso(closedAt), by: "Ann Admin", reason: "", duplicateOf: { id, title: t } });
    expect(d).toMatchObject({ answerBlockedReason: "This question is closed as a duplicate; please answer the original question instead.", following: false, can: { answer: false, close: false, reopen: false } });
    expect((await qa().getQuestion(other.actor, dup)).can).toMatchObject({ reopen: true, close: false });
  });

  test("a deleted question: a trace for everyone, its content for the asker and administrators; a closed one with nobody recorded, and a deleted original", async () => {
    const t = unique("Osprey question soon deleted");
    const { id } = await ask(app.atrium, asker.actor, { title: t, tags: ["ospreygone"] });
    const { id: a } = await qa().answerQuestion(other.actor, id, { body: body("An answer that stays hidden.") });
    await qa().comment(third.actor, id, { body: "A comment that stays hidden." });
    await qa().askPerson(asker.actor, id, { userId: third.user.id });
    const gone = clock.tick();
    await qa().deleteQuestion(asker.actor, id, { reason: "asked by mistake" });
    const hidden = await qa().getQuestion(third.actor, id);
    expect(hidden).toMatchObject({
      title: "Deleted question",
      body: null,
      tags: [],
      linked: { document: null, insight: null },
      contentVisible: false,
      comments: [],
      answers: [],
      routedTo: [],
      deleted: { at: iso(gone), by: "Ada Asker", reason: "asked by mistake" },
      answerBlockedReason: "This question was deleted; it no longer takes answers.",
      can: { edit: false, delete: false, answer: false, comment: false, vote: false, close: false, reopen: false, askPerson: false, follow: false },
    });
    for (const who of [asker, admin]) {
      const seen = await qa().getQuestion(who.actor, id);
      expect(seen).toMatchObject({ title: t, contentVisible: true, tags: [{ name: "ospreygone", label: "Ospreygone" }] });
      expect(seen.answers.map((x) => [x.id, x.can.vote, x.can.edit, x.can.comment])).toEqual([[a, false, false, false]]);
      expect(seen.comments).toHaveLength(1);
      expect(seen.routedTo).toHaveLength(1);
    }

    // Closed without a recorded closer (an import): "someone"; the original deleted: not named.
    const { id: original } = await ask(app.atrium, other.actor, { title: unique("Osprey original") });
    const { id: dup } = await ask(app.atrium, asker.actor, { title: unique("Osprey duplicate") });
    await qa().closeAsDuplicate(asker.actor, dup, { duplicateOf: original });
    await qa().deleteQuestion(other.actor, original);
    const closedAt = clock.tick();
    await db().question.update({ where: { id: dup }, data: { closedById: null, closedAt } });
    const d = await qa().getQuestion(third.actor, dup);
    expect(d.closed).toEqual({ at: iso(closedAt), by: "someone", reason: "", duplicateOf: null });
    const { id: plain } = await ask(app.atrium, asker.actor, { title: unique("Osprey closed plainly") });
    await db().question.update({ where: { id: plain }, data: { closedAt } });
    expect((await qa().getQuestion(third.actor, plain)).answerBlockedReason).toBe("This question is closed; it no longer takes answers.");

    const missing = await refusalOf(() => qa().getQuestion(third.actor, "x".repeat(61)));
    expect(missing).toMatchObject({ status: 404, message: "That question was not found." });
    // Through either read, an id that names no question, or is no id at all, is a 404.
    const { getQuestion } = await import("../../../server/domain/questions.js");
    for (const ctx of [app.atrium.ctx, { ...app.atrium.ctx, reads: undefined }]) {
      for (const bad of ["no-such-question", ["x"], { id }] as unknown as string[]) {
        expect(await refusalOf(() => getQuestion(ctx, third.actor, bad))).toMatchObject({ status: 404, message: "That question was not found." });
      }
    }
  });

  test("an answer both accepted and deleted (as imported) is not shown as accepted", async () => {
    const { id } = await ask(app.atrium, asker.actor, { title: unique("Osprey import") });
    const { id: a } = await qa().answerQuestion(other.actor, id, { body: body("Imported answer.") });
    await db().answer.update({ where: { id: a }, data: { acceptedAt: clock.now(), deletedAt: clock.now() } });
    expect((await qa().getQuestion(admin.actor, id)).answers.map((x) => x.accepted)).toEqual([false]);
  });
});

describe("the edit forms", () => {
  test("a question's values, tags sorted; an answer's; refused to others and for deleted posts", async () => {
    const dept = await db().department.create({ data: { name: "Edit Form Dept", slug: `edit-form-${++seq}` } });
    const t = unique("Editable osprey");
    const { id } = await ask(app.atrium, asker.actor, { title: t, body: body("Editable body."), tags: ["zedtag", "alphatag"], departmentId: dept.id });
    // Another question's tags are not this one's (the test alone has no other tagged question).
    await ask(app.atrium, asker.actor, { title: unique("Another editable osprey"), tags: ["othertag"] });
    const q = await db().question.findUniqueOrThrow({ where: { id } });
    expect(await qa().getEditableQuestion(asker.actor, id)).toEqual({ id, title: t, bodyJson: q.bodyJson, bodyText: "Editable body.", tags: ["alphatag", "zedtag"], departmentId: dept.id, documentId: null, insightId: null });
    expect((await qa().getEditableQuestion(admin.actor, id)).id).toBe(id);
    expect(await refusalOf(() => qa().getEditableQuestion(other.actor, id))).toMatchObject({ status: 403, message: "Only the asker or an administrator can edit this question." });

    const { id: a } = await qa().answerQuestion(other.actor, id, { body: body("Editable answer.") });
    const row = await db().answer.findUniqueOrThrow({ where: { id: a } });
    expect(await qa().getEditableAnswer(other.actor, a)).toEqual({ id: a, questionId: id, questionTitle: t, bodyJson: row.bodyJson, bodyText: "Editable answer." });
    expect(await refusalOf(() => qa().getEditableAnswer(third.actor, a))).toMatchObject({ status: 403, message: "Only the author or an administrator can edit this answer." });
    // A deleted answer on a live question: its author may no longer edit it.
    const { id: b } = await qa().answerQuestion(third.actor, id, { body: body("Answer soon deleted.") });
    await qa().deleteAnswer(third.actor, b);
    expect(await refusalOf(() => qa().getEditableAnswer(third.actor, b))).toMatchObject({ status: 403, message: "Only the author or an administrator can edit this answer." });
    await qa().deleteQuestion(asker.actor, id);
    expect(await refusalOf(() => qa().getEditableAnswer(other.actor, a))).toMatchObject({ status: 403 });
    expect(await refusalOf(() => qa().getEditableQuestion(asker.actor, id))).toMatchObject({ status: 403 });
  });
});

/** A read through prepared SQL and through Prisma: the two must agree; the first is returned. */
async function bothReads<T>(read: (ctx: TestApp["atrium"]["ctx"]) => Promise<T>): Promise<T> {
  const ctx = app.atrium.ctx;
  expect(ctx.reads).toBeDefined();
  const sql = await read(ctx);
  expect(await read({ ...ctx, reads: undefined })).toEqual(sql);
  return sql;
}

describe("the question page's answer order", () => {
  test("a later answer with more votes comes before an earlier one", async () => {
    const { id } = await ask(app.atrium, asker.actor, { title: unique("Which grebe dives deepest?") });
    clock.tick();
    const { id: early } = await qa().answerQuestion(other.actor, id, { body: body("The little grebe.") });
    clock.tick();
    const { id: late } = await qa().answerQuestion(third.actor, id, { body: body("The great crested grebe.") });
    await qa().voteAnswer(reader.actor, late, { value: 1 });
    expect((await qa().getQuestion(reader.actor, id)).answers.map((a) => [a.id, a.score])).toEqual([[late, 1], [early, 0]]);
  });
});

describe("the lists", () => {
  test("each sort within a department, the department queue, a tag or its synonym, paging; deleted questions never", async () => {
    const { listQuestions } = await import("../../../server/domain/questions.js");
    const dept = await db().department.create({ data: { name: "List Dept", slug: `list-dept-${++seq}` } });
    const member = await makeUser(app.atrium, { name: "Mo Member", departmentId: dept.id });
    const tag = `listtag${seq}`;
    const made: string[] = [];
    for (const [i, tags] of [[tag], ["listother"], ["listother"], [tag], ["listother"]].entries()) {
      clock.tick();
      made.push((await ask(app.atrium, asker.actor, { title: unique(`Listed question ${i}`), tags, departmentId: dept.id })).id);
    }
    const [qA, qB, qC, qD, qE] = made as [string, string, string, string, string];
    clock.tick();
    const { id: answer } = await qa().answerQuestion(other.actor, qA, { body: body("Answered.") });
    clock.tick();
    await qa().acceptAnswer(asker.actor, answer);
    await qa().voteQuestion(other.actor, qB, { value: 1 });
    await qa().voteQuestion(third.actor, qB, { value: 1 });
    await qa().voteQuestion(third.actor, qC, { value: -1 });
    await db().question.update({ where: { id: qC }, data: { closedAt: clock.now() } });
    clock.tick();
    await qa().comment(third.actor, qD, { body: "Bumped." });
    await qa().deleteQuestion(asker.actor, qE);
    await db().skillSynonym.create({ data: { name: `lt${seq}`, skill: { connect: { name: tag } } } });

    const list = (actor: U, input: Record<string, unknown>) => bothReads((ctx) => listQuestions(ctx, actor.actor, input));
    const ids = async (actor: U, input: Record<string, unknown>) => (await list(actor, input)).items.map((q) => q.id);
    const newest = await list(asker, { department: dept.id });
    expect(newest).toMatchObject({ total: 4, page: 1, pageSize: 20, sort: "newest", tag: null, unknownTag: null, departmentId: dept.id, note: null });
    expect(newest.items.map((q) => q.id)).toEqual([qD, qC, qB, qA]);
    expect(await ids(asker, { department: dept.id, sort: "active" })).toEqual([qD, qA, qC, qB]);
    expect(await ids(asker, { department: dept.id, sort: "votes" })).toEqual([qB, qD, qA, qC]);
    // Equal votes, newest first, even when the newer question was stored first (an import's order).
    const ties = await db().department.create({ data: { name: "Tie Dept", slug: `tie-dept-${seq}` } });
    const tieAt = clock.tick();
    const { id: newer } = await ask(app.atrium, asker.actor, { title: `Tied question, newer ${ties.id}`, departmentId: ties.id });
    clock.t -= 30_000;
    const { id: older } = await ask(app.atrium, asker.actor, { title: `Tied question, older ${ties.id}`, departmentId: ties.id });
    clock.t = tieAt.getTime();
    expect(await ids(asker, { department: ties.id, sort: "votes" })).toEqual([newer, older]);
    expect(await ids(asker, { department: dept.id, sort: "unanswered" })).toEqual([qD, qB]);
    const queue = await list(member, { sort: "department" });
    expect(queue).toMatchObject({ total: 2, note: "Questions asked of your department that have no accepted answer yet.", departmentId: null, sort: "department" });
    expect(queue.items.map((q) => q.id)).toEqual([qD, qB]);
    expect(await list(asker, { sort: "department", tag })).toEqual({
      items: [],
      total: 0,
      page: 1,
      pageSize: 20,
      sort: "department",
      tag: { name: tag, label: expect.any(String) },
      unknownTag: null,
      departmentId: null,
      note: "You are not in a department yet, so no question is waiting for yours.",
    });
    const tagged = await list(asker, { tag: `LT${seq}` });
    expect(tagged.items.map((q) => q.id)).toEqual([qD, qA]);
    expect(tagged.tag).toEqual({ name: tag, label: (await db().skill.findUniqueOrThrow({ where: { name: tag } })).label });
    expect(await ids(asker, { tag, sort: "unanswered" })).toEqual([qD]);
    expect(await list(asker, { tag: "no-such-list-tag", department: dept.id, page: "3" })).toEqual({
      items: [],
      total: 0,
      page: 3,
      pageSize: 20,
      sort: "newest",
      tag: null,
      unknownTag: "no-such-list-tag",
      departmentId: dept.id,
      note: null,
    });

    const paged = await db().department.create({ data: { name: "Paged Dept", slug: `paged-dept-${++seq}` } });
    const many: string[] = [];
    for (let i = 0; i < 22; i++) {
      clock.tick();
      many.push((await ask(app.atrium, asker.actor, { title: unique(`Paged question ${i}`), departmentId: paged.id })).id);
    }
    const first = await list(asker, { department: paged.id });
    expect(first.items.map((q) => q.id)).toEqual([...many].reverse().slice(0, 20));
    const second = await list(asker, { department: paged.id, page: "2" });
    expect(second).toMatchObject({ total: 22, page: 2 });
    expect(second.items.map((q) => q.id)).toEqual([many[1], many[0]]);
  });

  test("routed to me: open questions only, newest route first, up to the limit, with the reason", async () => {
    const { routedToMe } = await import("../../../server/domain/questions.js");
    const target = await makeUser(app.atrium, { name: "Ravi Routed" });
    const made: string[] = [];
    for (let i = 0; i < 5; i++) {
      const { id } = await ask(app.atrium, asker.actor, { title: unique(`Routed question ${i}`) });
      clock.tick();
      await qa().askPerson(asker.actor, id, { userId: target.user.id });
      made.push(id);
    }
    const [open1, open2, accepted, closed, deleted] = made as [string, string, string, string, string];
    const { id: a } = await qa().answerQuestion(other.actor, accepted, { body: body("Done.") });
    await qa().acceptAnswer(asker.actor, a);
    await db().question.update({ where: { id: closed }, data: { closedAt: clock.now() } });
    await qa().deleteQuestion(asker.actor, deleted);
    const mine = await bothReads((ctx) => routedToMe(ctx, target.actor, 10));
    expect(mine.map((q) => [q.id, q.reason])).toEqual([
      [open2, "Ada Asker asked you directly"],
      [open1, "Ada Asker asked you directly"],
    ]);
    expect((await bothReads((ctx) => routedToMe(ctx, target.actor, 1))).map((q) => q.id)).toEqual([open2]);
    expect((await qa().routedToMe(target.actor)).map((q) => q.id)).toEqual([open2, open1]);
  });

  test("routed to me: routes made in the same millisecond come in the same order through both reads: by the route's id, highest first", async () => {
    const { routedToMe } = await import("../../../server/domain/questions.js");
    const target = await makeUser(app.atrium, { name: "Tia Tied" });
    clock.tick();
    const made: string[] = [];
    for (let i = 0; i < 4; i++) {
      const { id } = await ask(app.atrium, asker.actor, { title: unique(`Tied route ${i}`) });
      made.push(id);
    }
    // Routed in one millisecond, in an order that is neither the questions' nor their ids' order.
    for (const id of [made[2]!, made[0]!, made[3]!, made[1]!]) await qa().askPerson(asker.actor, id, { userId: target.user.id });
    const routes = await db().questionRoute.findMany({ where: { userId: target.user.id }, select: { id: true, createdAt: true, questionId: true } });
    expect(new Set(routes.map((r) => r.createdAt.getTime())).size).toBe(1);
    const byRouteId = [...routes].sort((x, y) => (x.id < y.id ? 1 : -1)).map((r) => r.questionId);
    expect((await bothReads((ctx) => routedToMe(ctx, target.actor, 10))).map((q) => q.id)).toEqual(byRouteId);
  });
});

describe("similar questions and duplicate suggestions", () => {
  test("a typed tag's synonym searches as its skill, up to five tags; the index's order and the limit are kept; one question left out", async () => {
    const n = ++seq;
    const tag = `kestrelops${n}`;
    const made: string[] = [];
    for (let i = 0; i < 7; i++) made.push((await ask(app.atrium, asker.actor, { title: unique(`${"Kestrel ".repeat(1 + (i % 3))}nest box ${i}`), tags: [tag] })).id);
    // Named after the questions were indexed: only the verb's synonym lookup reaches them.
    await db().skillSynonym.create({ data: { name: `kops${n}`, skill: { connect: { name: tag } } } });
    const hits = app.atrium.ctx.questionsIndex.similar({ title: "kestrel ", body: "", tags: [`kops${n}`, tag] }, { limit: 6 }).map((h) => h.id);
    expect(hits).toHaveLength(6);
    expect(hits).not.toEqual(made.slice(0, 6));
    const found = await qa().similarQuestions(reader.actor, { title: "kestrel ", tags: ` KOPS${n} , ` });
    expect(found.map((q) => q.id)).toEqual(hits);
    expect((await qa().similarQuestions(reader.actor, { tags: `a1, a2, a3, a4, a5, kops${n}` })).map((q) => q.id)).toEqual([]);
    expect(await qa().similarQuestions(reader.actor, { tags: "nothing-like-it" })).toEqual([]);
    // Empty or blank entries between commas are no tags: they do not use up the five; a tag is trimmed.
    const byTag = app.atrium.ctx.questionsIndex.similar({ title: "", body: "", tags: [tag] }, { limit: 6 }).map((h) => h.id);
    expect(byTag).toHaveLength(6);
    expect((await qa().similarQuestions(reader.actor, { tags: `, , ,, , KOPS${n} ` })).map((q) => q.id)).toEqual(byTag);
    const without = await qa().similarQuestions(reader.actor, { tags: `kops${n}`, exclude: hits[0] }, 10);
    expect(without.map((q) => q.id).sort()).toEqual(made.filter((id) => id !== hits[0]).sort());
    expect(qa().similarIndexing(reader.actor)).toBeNull();
    const { similarIndexing } = await import("../../../server/domain/questions.js");
    const filling = { ...app.atrium.ctx, questionsIndex: { ready: false, progress: { done: 3, total: 10 } } } as unknown as TestApp["atrium"]["ctx"];
    expect(similarIndexing(filling, reader.actor)).toEqual({ done: 3, total: 10 });
  });

  test("duplicate suggestions: for the asker and administrators, by the title and every tag, itself left out, five at most", async () => {
    const n = ++seq;
    const [tagA, tagB] = [`harriera${n}`, `harrierb${n}`];
    // Worded alike; asked first, so without the tags they would come first.
    const decoys: string[] = [];
    for (let i = 0; i < 6; i++) decoys.push((await ask(app.atrium, other.actor, { title: `Harrier wing ${n} decoy ${i}`, tags: [`harrierother${n}`] })).id);
    const tagged: string[] = [];
    for (let i = 0; i < 6; i++) tagged.push((await ask(app.atrium, other.actor, { title: `Harrier wing ${n} tagged ${i}`, tags: [tagA, tagB] })).id);
    const { id } = await ask(app.atrium, asker.actor, { title: `Harrier wing ${n} question`, body: body("When do they moult?"), tags: [tagB, tagA] });
    const suggested = (await qa().duplicateSuggestions(asker.actor, id)).map((s) => s.id);
    expect(suggested).toHaveLength(5);
    for (const s of suggested) expect(tagged).toContain(s);
    expect((await qa().duplicateSuggestions(admin.actor, id)).map((s) => s.id)).toEqual(suggested);
    expect(await qa().duplicateSuggestions(third.actor, id)).toEqual([]);
  });

  test("duplicate suggestions for a question with a long body: its opening is searched, not refused as too long a search", async () => {
    const n = ++seq;
    const { id: like } = await ask(app.atrium, other.actor, { title: `Bittern reed ${n} booming`, tags: [`bittern${n}`] });
    // Longer than a typed search may be (5,000 characters), as a question's body may be.
    const long = `Bittern reed ${n} booming at dawn. ${"The marsh is wide and quiet. ".repeat(250)}`;
    expect(long.length).toBeGreaterThan(6_000);
    const { id } = await ask(app.atrium, asker.actor, { title: `Bittern reed ${n} question`, body: body(long), tags: [`bittern${n}`] });
    expect((await qa().duplicateSuggestions(asker.actor, id)).map((s) => s.id)).toEqual([like]);
  });
});

describe("revision histories", () => {
  test("a question's and an answer's, newest first, every field; an answer elsewhere or unknown; a deleted answer or question for others", async () => {
    const t = unique("Revised merlin question");
    const at1 = clock.tick();
    const { id } = await ask(app.atrium, asker.actor, { title: t, body: body("Merlin body."), tags: ["merlinb", "merlina"] });
    const at2 = clock.tick();
    await qa().editQuestion(admin.actor, id, { title: `${t} (edited)`, body: body("Merlin body, edited."), tags: ["merlina"], summary: "tidied" });
    const revs = await qa().listRevisions(reader.actor, id);
    expect(revs.question).toEqual({ id, title: `${t} (edited)` });
    expect(revs.answer).toBeNull();
    expect(revs.revisions.map(({ id: _id, body: _body, ...r }) => r)).toEqual([
      { number: 2, author: person(admin), title: `${t} (edited)`, tags: ["merlina"], bodyText: "Merlin body, edited.", summary: "tidied", createdAt: iso(at2) },
      { number: 1, author: person(asker), title: t, tags: ["merlina", "merlinb"], bodyText: "Merlin body.", summary: "Asked", createdAt: iso(at1) },
    ]);
    expect(JSON.stringify(revs.revisions[0]!.body)).toContain("Merlin body, edited.");

    const { id: a } = await qa().answerQuestion(other.actor, id, { body: body("Merlin answer.") });
    await qa().editAnswer(other.actor, a, { body: body("Merlin answer, edited."), summary: "clearer" });
    const ar = await qa().listRevisions(reader.actor, id, a);
    expect(ar.answer).toEqual({ id: a, author: "Olu Other" });
    expect(ar.revisions.map((r) => [r.number, r.bodyText, r.summary, r.title])).toEqual([
      [2, "Merlin answer, edited.", "clearer", null],
      [1, "Merlin answer.", "Answered", null],
    ]);
    const { id: elsewhere } = await ask(app.atrium, asker.actor, { title: unique("Another merlin question") });
    expect(await refusalOf(() => qa().listRevisions(reader.actor, elsewhere, a))).toMatchObject({ status: 404, message: "That answer was not found." });
    expect(await refusalOf(() => qa().listRevisions(reader.actor, id, "no-such-answer"))).toMatchObject({ status: 404, message: "That answer was not found." });
    await qa().deleteAnswer(other.actor, a);
    expect(await refusalOf(() => qa().listRevisions(reader.actor, id, a))).toMatchObject({ status: 403, message: "This answer was deleted." });
    expect((await qa().listRevisions(other.actor, id, a)).revisions).toHaveLength(2);
    expect((await qa().listRevisions(admin.actor, id, a)).revisions).toHaveLength(2);
    await qa().deleteQuestion(asker.actor, id);
    expect(await refusalOf(() => qa().listRevisions(reader.actor, id))).toMatchObject({ status: 403, message: "This question was deleted." });
    expect((await qa().listRevisions(asker.actor, id)).revisions).toHaveLength(2);
  });

  test("an imported author's revision names the site it came from", async () => {
    const ivy = await makeUser(app.atrium, { name: "Ivy Imported" });
    const { id } = await ask(app.atrium, ivy.actor, { title: unique("Imported merlin question") });
    await db().importedIdentity.create({ data: { source: "stackexchange:birds.stackexchange.com", externalId: `ivy-${seq}`, userId: ivy.user.id } });
    await db().user.update({ where: { id: ivy.user.id }, data: { active: false } });
    const [rev] = (await qa().listRevisions(reader.actor, id)).revisions;
    expect(rev!.author).toEqual({ ...person(ivy), active: false, importedFrom: "birds.stackexchange.com" });
  });
});

describe("tags", () => {
  test("the tag page: description, synonyms in order, followers, live questions, up to eight active top answerers", async () => {
    const n = ++seq;
    const tag = `shrike${n}`;
    await db().skill.create({ data: { name: tag, label: "Shrike", synonyms: { create: [{ name: `zz-shrike${n}` }, { name: `aa-shrike${n}` }] } } });
    const people: U[] = [];
    for (let i = 0; i < 10; i++) people.push(await makeUser(app.atrium, { name: `Top Answerer ${i}` }));
    for (const [i, p] of people.entries()) {
      const { id } = await ask(app.atrium, asker.actor, { title: unique(`Shrike question ${i}`), tags: [tag] });
      const { id: a } = await qa().answerQuestion(p.actor, id, { body: body("Shrike answer.") });
      await qa().acceptAnswer(asker.actor, a);
      if (i === 0) await qa().voteAnswer(third.actor, a, { value: 1 });
    }
    await db().user.update({ where: { id: people[0]!.user.id }, data: { active: false } });
    const { id: gone } = await ask(app.atrium, asker.actor, { title: unique("Deleted shrike question"), tags: [tag] });
    await qa().deleteQuestion(asker.actor, gone);
    await qa().followTag(third.actor, tag);
    await qa().followTag(other.actor, tag);
    // A neighbouring tag with its own synonym, follower and question: none of them is this tag's.
    const next = `shrike-next${n}`;
    await db().skill.create({ data: { name: next, label: "Shrike next", synonyms: { create: [{ name: `mm-shrike-next${n}` }] } } });
    await ask(app.atrium, asker.actor, { title: unique("Neighbouring shrike question"), tags: [next] });
    await qa().followTag(reader.actor, next);
    const page = await qa().getTag(third.actor, tag.toUpperCase());
    expect(page).toMatchObject({ name: tag, label: "Shrike", description: "", synonyms: [`aa-shrike${n}`, `zz-shrike${n}`], followers: 2, following: true, questionCount: 10, canDescribe: false });
    expect(page.topAnswerers).toHaveLength(8);
    expect(page.topAnswerers.map((t) => t.person.id)).not.toContain(people[0]!.user.id);
    for (const t of page.topAnswerers) expect(t).toMatchObject({ accepted: 1, upvotes: 0, person: { active: true } });
    expect((await qa().getTag(reader.actor, tag)).following).toBe(false);
    expect(await qa().getTag(reader.actor, next)).toMatchObject({ synonyms: [`mm-shrike-next${n}`], followers: 1, following: true, questionCount: 1, topAnswerers: [] });
    expect((await qa().getTag(admin.actor, tag)).canDescribe).toBe(true);
    await db().user.update({ where: { id: people[0]!.user.id }, data: { active: true } });
    expect((await qa().getTag(reader.actor, tag)).topAnswerers[0]).toMatchObject({ person: { id: people[0]!.user.id }, accepted: 1, upvotes: 1 });
    expect(await refusalOf(() => qa().getTag(reader.actor, "no-such-tag-here"))).toMatchObject({ status: 404, message: "That tag was not found." });
  });

  test("describing a tag: administrators only, trimmed, at the clock's time, replaced on the next description", async () => {
    const tag = `wryneck${++seq}`;
    await db().skill.create({ data: { name: tag, label: "Wryneck" } });
    const skill = await db().skill.findUniqueOrThrow({ where: { name: tag } });
    expect(await refusalOf(() => qa().describeTag(other.actor, tag, { description: "Mine." }))).toMatchObject({ status: 403, message: "Only administrators can describe tags." });
    expect(await db().tagInfo.findUnique({ where: { skillId: skill.id } })).toBeNull();
    const at = clock.tick();
    await qa().describeTag(admin.actor, tag, { description: "  A small woodpecker.  " });
    expect(await db().tagInfo.findUniqueOrThrow({ where: { skillId: skill.id } })).toMatchObject({ description: "A small woodpecker.", updatedAt: at });
    const later = clock.tick();
    await qa().describeTag(admin.actor, tag, { description: "A woodpecker that twists its neck." });
    expect(await db().tagInfo.findUniqueOrThrow({ where: { skillId: skill.id } })).toMatchObject({ description: "A woodpecker that twists its neck.", updatedAt: later });
    expect((await qa().getTag(reader.actor, tag)).description).toBe("A woodpecker that twists its neck.");
  });

  test("suggestions: the most used first (questions and holders together), then by name, up to the limit", async () => {
    // Named so that their order by name is not their order by use. Each tie is between a tag used
    // in questions and one held as a skill, one made before and one after its pair, so sorting
    // compares held against asked from both sides.
    const n = ++seq;
    const [busy, held, mid, tieA, tieB] = [`sugg-z-busy${n}`, `sugg-k-held${n}`, `sugg-m-mid${n}`, `sugg-tie-a${n}`, `sugg-tie-b${n}`];
    for (const name of [tieA, tieB]) await db().skill.create({ data: { name, label: name } });
    await ask(app.atrium, asker.actor, { title: unique("Suggestion one"), tags: [busy, mid, tieB] });
    await ask(app.atrium, asker.actor, { title: unique("Suggestion two"), tags: [busy, mid] });
    await ask(app.atrium, asker.actor, { title: unique("Suggestion three"), tags: [busy] });
    await db().skill.create({ data: { name: held, label: held } });
    for (const [i, skills] of [[tieA, held], [held]].entries()) {
      const h = await makeUser(app.atrium, { name: `Hal Holder ${i}` });
      await app.atrium.domain.people.updateProfile(h.actor, h.user.id, { name: `Hal Holder ${i}`, timeZone: "UTC", skills: skills.map((name) => ({ name, level: "expert" as const })) });
    }
    const all = await qa().tagSuggestions(reader.actor);
    const mine = all.filter((s) => [busy, held, mid, tieA, tieB].includes(s));
    expect(mine).toEqual([busy, held, mid, tieA, tieB]);
    const two = await qa().tagSuggestions(reader.actor, 2);
    expect(two).toEqual(all.slice(0, 2));
  });

  test("expertise by tag: accepted, then up votes, then answers, then name; live answers on live questions; twelve at most", async () => {
    const { expertiseOf } = await import("../../../server/domain/questions.js");
    const p = await makeUser(app.atrium, { name: "Exa Expert" });
    const n = ++seq;
    const t = (s: string) => `exp-${s}${n}`;
    const answer = async (tags: string[]) => {
      const { id } = await ask(app.atrium, asker.actor, { title: unique("Expertise question"), tags });
      return { q: id, a: (await qa().answerQuestion(p.actor, id, { body: body("Expert answer.") })).id };
    };
    const one = await answer([t("one"), t("two")]);
    await qa().acceptAnswer(asker.actor, one.a);
    await qa().voteAnswer(asker.actor, one.a, { value: 1 });
    await qa().voteAnswer(third.actor, one.a, { value: 1 });
    const down = await answer([t("one")]);
    await qa().voteAnswer(third.actor, down.a, { value: -1 });
    await answer([t("five")]);
    // Up votes before the number of answers.
    const voted = await answer([t("upvoted")]);
    await qa().voteAnswer(third.actor, voted.a, { value: 1 });
    await answer([t("many")]);
    await answer([t("many")]);
    const deletedAnswer = await answer([t("gone-answer")]);
    await qa().deleteAnswer(p.actor, deletedAnswer.a);
    const deletedQuestion = await answer([t("gone-question")]);
    await qa().deleteQuestion(asker.actor, deletedQuestion.q);
    const extra = "abcdefghijklmno".split("").map((c) => t(`x${c}`));
    for (let i = 0; i < 15; i += 5) await answer(extra.slice(i, i + 5));
    const got = await bothReads((ctx) => expertiseOf(ctx, reader.actor, p.user.id));
    const row = (tag: string, answers: number, accepted: number, upvotes: number) => ({ tag, label: expect.any(String), answers, accepted, upvotes });
    expect(got).toEqual([
      row(t("one"), 2, 1, 2),
      row(t("two"), 1, 1, 2),
      row(t("upvoted"), 1, 0, 1),
      row(t("many"), 2, 0, 0),
      ...[t("five"), ...extra].sort().slice(0, 8).map((tag) => row(tag, 1, 0, 0)),
    ]);
  });
});
