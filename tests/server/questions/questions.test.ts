import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { makeUser, startTestApp, type TestApp } from "../../helpers/app.js";
import { ask, body, qaSnapshot } from "./helpers.js";

let app: TestApp;
type U = Awaited<ReturnType<typeof makeUser>>;
let asker: U, other: U, third: U, admin: U;

// An app and fixture of their own for each test: none depends on rows another test wrote.
beforeEach(async () => {
  app = await startTestApp();
  asker = await makeUser(app.atrium, { name: "Ada Asker" });
  other = await makeUser(app.atrium, { name: "Olu Other" });
  third = await makeUser(app.atrium, { name: "Tess Third" });
  admin = await makeUser(app.atrium, { name: "Ann Admin", role: "admin" });
});
afterEach(() => app.close());

const qa = () => app.atrium.domain.questions;

/** A refused call: the error has the status and message expected, and no Q&A table changed. */
async function refused(fn: () => Promise<unknown>, status: number, message: RegExp) {
  const before = await qaSnapshot(app.atrium);
  const err = await fn().then(
    () => null,
    (e: unknown) => e as { status: number; message: string; fieldErrors?: Record<string, string[]> },
  );
  expect(err, "the call should have been refused").not.toBeNull();
  expect(err!.status).toBe(status);
  const text = [err!.message, ...Object.values(err!.fieldErrors ?? {}).flat()].join(" ");
  expect(text).toMatch(message);
  expect(await qaSnapshot(app.atrium)).toEqual(before);
}

describe("asking", () => {
  test("a question is stored with sanitised body, synonyms resolved to skills, a first revision and the asker following", async () => {
    await app.atrium.db.skill.create({ data: { name: "kubernetes", label: "Kubernetes", synonyms: { create: { name: "k8s" } } } });
    const { id } = await ask(app.atrium, asker.actor, {
      title: "Pods restart in a loop",
      tags: ["K8s", "kubernetes", "ops"],
      body: {
        json: JSON.stringify({
          root: {
            type: "root",
            children: [
              { type: "paragraph", children: [{ type: "text", text: "See ", style: "color:red" }, { type: "link", url: "javascript:alert(1)", children: [{ type: "text", text: "this" }] }] },
              { type: "html", html: "<script>alert(1)</script>" },
            ],
          },
        }),
      },
    });
    const q = await app.atrium.db.question.findUniqueOrThrow({ where: { id }, include: { tags: { include: { skill: true } } } });
    expect(q.tags.map((t) => t.skill.name).sort()).toEqual(["kubernetes", "ops"]);
    expect(q.bodyText).toBe("See this");
    expect(q.bodyJson).not.toMatch(/javascript|script|color/);
    expect(await app.atrium.db.postRevision.count({ where: { questionId: id } })).toBe(1);
    expect(await app.atrium.db.questionFollow.count({ where: { questionId: id, userId: asker.user.id } })).toBe(1);
  });

  test.each([
    ["an empty title", { title: "   " }, /Title is required/],
    ["an over-long title", { title: "x".repeat(151) }, /at most 150 characters/],
    ["too many tags", { tags: "a, b, c, d, e, f" }, /at most 5 tags/],
    ["no tag", { tags: [] }, /at least one tag/],
    ["a tag with markup", { tags: ["<b>"] }, /Tags use letters/],
    ["an unknown department", { departmentId: "nope" }, /existing department/],
    ["unreadable body JSON", { body: { json: "{not json" } }, /could not be read/],
  ])("refuses %s with a clear message and writes nothing", async (_label, over, message) => {
    await refused(() => ask(app.atrium, asker.actor, over), 422, message);
  });

  test("edits keep the revision history, and an unchanged edit is refused", async () => {
    const { id } = await ask(app.atrium, asker.actor, { title: "Original title here" });
    await qa().editQuestion(asker.actor, id, { title: "Better title here", body: body("More detail"), tags: ["saml", "okta"], summary: "clarified" });
    const revs = await qa().listRevisions(other.actor, id);
    expect(revs.revisions.map((r) => [r.number, r.title, r.summary])).toEqual([
      [2, "Better title here", "clarified"],
      [1, "Original title here", "Asked"],
    ]);
    expect(revs.revisions[0]!.tags).toEqual(["okta", "saml"]);
    await refused(() => qa().editQuestion(asker.actor, id, { title: "Better title here", body: body("More detail"), tags: ["saml", "okta"] }), 422, /Nothing changed/);
    await refused(() => qa().editQuestion(other.actor, id, { title: "Hijacked title", body: body("x"), tags: ["saml"] }), 403, /asker or an administrator/);
    await qa().editQuestion(admin.actor, id, { title: "Admin tidied title", body: body("More detail"), tags: ["saml"] });
    expect((await qa().getQuestion(other.actor, id)).title).toBe("Admin tidied title");
  });
});

describe("answering and commenting", () => {
  test("answers and comments on the question and on an answer", async () => {
    const { id } = await ask(app.atrium, asker.actor);
    const { id: answerId } = await qa().answerQuestion(other.actor, id, { body: body("Upload the metadata XML.") });
    await qa().comment(asker.actor, id, { body: "Which IdP?" });
    await qa().comment(asker.actor, id, { body: "Thanks, trying", answerId });
    const page = await qa().getQuestion(third.actor, id);
    expect(page.answerCount).toBe(1);
    expect(page.comments.map((c) => c.body)).toEqual(["Which IdP?"]);
    expect(page.answers[0]!.comments.map((c) => c.body)).toEqual(["Thanks, trying"]);
    // The answer author is told about the comment on their answer.
    expect(await app.atrium.db.notification.count({ where: { userId: other.user.id, type: "question.commented" } })).toBe(1);
    // The asker follows the question and hears about the answer.
    expect(await app.atrium.db.notification.count({ where: { userId: asker.user.id, type: "question.answered" } })).toBeGreaterThan(0);
  });

  test("an empty answer, an over-long comment, and a comment on another question's answer are refused", async () => {
    const { id } = await ask(app.atrium, asker.actor);
    const { id: other_q } = await ask(app.atrium, asker.actor, { title: "Another question entirely" });
    const { id: answerId } = await qa().answerQuestion(other.actor, other_q, { body: body("x") });
    await refused(() => qa().answerQuestion(other.actor, id, { body: body("   ") }), 422, /Write your answer first/);
    await refused(() => qa().comment(other.actor, id, { body: "x".repeat(601) }), 422, /at most 600/);
    await refused(() => qa().comment(other.actor, id, { body: "hi", answerId }), 422, /not on this question/);
  });

  test("an answer to a closed or deleted question is refused and nothing changes", async () => {
    const { id: original } = await ask(app.atrium, asker.actor, { title: "The original question" });
    const { id: dup } = await ask(app.atrium, asker.actor, { title: "The same question again" });
    await qa().closeAsDuplicate(asker.actor, dup, { duplicateOf: `http://x/questions/${original}` });
    await refused(() => qa().answerQuestion(other.actor, dup, { body: body("hello") }), 403, /closed as a duplicate/);
    const { id: gone } = await ask(app.atrium, asker.actor, { title: "Soon to be deleted" });
    await qa().deleteQuestion(asker.actor, gone, { reason: "asked by mistake" });
    await refused(() => qa().answerQuestion(other.actor, gone, { body: body("hello") }), 403, /deleted/);
    await refused(() => qa().comment(other.actor, gone, { body: "hello" }), 403, /deleted/);
  });
});

describe("votes", () => {
  test("one vote per person, changeable and removable; not on your own post; voting twice is refused", async () => {
    const { id } = await ask(app.atrium, asker.actor);
    expect(await qa().voteQuestion(other.actor, id, { value: 1 })).toEqual({ score: 1, myVote: 1 });
    await refused(() => qa().voteQuestion(other.actor, id, { value: 1 }), 422, /already voted this up/);
    expect(await qa().voteQuestion(third.actor, id, { value: 1 })).toEqual({ score: 2, myVote: 1 });
    expect(await qa().voteQuestion(other.actor, id, { value: -1 })).toEqual({ score: 0, myVote: -1 });
    expect(await qa().voteQuestion(other.actor, id, { value: 0 })).toEqual({ score: 1, myVote: 0 });
    await refused(() => qa().voteQuestion(other.actor, id, { value: 0 }), 422, /not voted/);
    await refused(() => qa().voteQuestion(asker.actor, id, { value: 1 }), 403, /own question/);
    await refused(() => qa().voteQuestion(other.actor, id, { value: 5 }), 422, /Vote up, down/);

    const { id: answerId } = await qa().answerQuestion(other.actor, id, { body: body("An answer") });
    await refused(() => qa().voteAnswer(other.actor, answerId, { value: 1 }), 403, /own answer/);
    expect(await qa().voteAnswer(asker.actor, answerId, { value: 1 })).toEqual({ score: 1, myVote: 1 });
    await refused(() => qa().voteAnswer(asker.actor, answerId, { value: 1 }), 422, /already voted/);
    const rows = await app.atrium.db.answerVote.findMany({ where: { answerId } });
    expect(rows).toHaveLength(1);
  });
});

describe("acceptance", () => {
  test("only the asker accepts; one accepted answer at a time; accepted answers list first", async () => {
    const { id } = await ask(app.atrium, asker.actor);
    const { id: a1 } = await qa().answerQuestion(other.actor, id, { body: body("First answer") });
    const { id: a2 } = await qa().answerQuestion(third.actor, id, { body: body("Second answer") });
    await qa().voteAnswer(asker.actor, a1, { value: 1 });
    await refused(() => qa().acceptAnswer(other.actor, a2), 403, /Only the person who asked/);
    await refused(() => qa().acceptAnswer(admin.actor, a2), 403, /Only the person who asked/);
    await qa().acceptAnswer(asker.actor, a2);
    let page = await qa().getQuestion(asker.actor, id);
    expect(page.answers.map((a) => [a.id, a.accepted])).toEqual([
      [a2, true],
      [a1, false],
    ]);
    await refused(() => qa().acceptAnswer(asker.actor, a2), 422, /already accepted/);
    await qa().acceptAnswer(asker.actor, a1);
    page = await qa().getQuestion(asker.actor, id);
    expect(page.answers.filter((a) => a.accepted).map((a) => a.id)).toEqual([a1]);
    expect(await app.atrium.db.answer.count({ where: { questionId: id, acceptedAt: { not: null } } })).toBe(1);
    // The accepted answer's author was told.
    expect(await app.atrium.db.notification.count({ where: { userId: other.user.id, type: "answer.accepted" } })).toBe(1);
    await qa().unacceptAnswer(asker.actor, a1);
    expect((await app.atrium.db.question.findUniqueOrThrow({ where: { id } })).acceptedAnswerId).toBeNull();
  });

  test("acceptance counts as demonstrated expertise on the question's tags, and retracts when moved", async () => {
    const { id } = await ask(app.atrium, asker.actor, { tags: ["ldap"] });
    const ldap = await app.atrium.db.skill.findUniqueOrThrow({ where: { name: "ldap" } });
    const { id: a1 } = await qa().answerQuestion(other.actor, id, { body: body("Use LDAPS") });
    const { id: a2 } = await qa().answerQuestion(third.actor, id, { body: body("Check the bind DN") });
    await qa().acceptAnswer(asker.actor, a1);
    expect(app.atrium.ctx.expertise.cell(ldap.id, other.user.id)?.accepted).toBe(1);
    await qa().acceptAnswer(asker.actor, a2);
    expect(app.atrium.ctx.expertise.cell(ldap.id, other.user.id)).toBeUndefined();
    expect(app.atrium.ctx.expertise.cell(ldap.id, third.user.id)?.accepted).toBe(1);
    const mine = await qa().expertiseOf(asker.actor, third.user.id);
    expect(mine.find((e) => e.tag === "ldap")).toMatchObject({ accepted: 1, answers: 1 });
    // Retagging the question moves the expertise with it.
    await qa().editQuestion(asker.actor, id, { title: "How do I configure SAML single sign-on?", body: body("Our IdP metadata is rejected."), tags: ["active directory"] });
    const ad = await app.atrium.db.skill.findUniqueOrThrow({ where: { name: "active directory" } });
    expect(app.atrium.ctx.expertise.cell(ldap.id, third.user.id)).toBeUndefined();
    expect(app.atrium.ctx.expertise.cell(ad.id, third.user.id)?.accepted).toBe(1);
  });
});

describe("duplicates and deletion", () => {
  test("close as duplicate links both ways; only the asker or an admin may; reopen", async () => {
    const { id: original } = await ask(app.atrium, other.actor, { title: "Original SAML question" });
    const { id: dup } = await ask(app.atrium, asker.actor, { title: "Duplicate SAML question" });
    await refused(() => qa().closeAsDuplicate(third.actor, dup, { duplicateOf: original }), 403, /asker or an administrator/);
    await refused(() => qa().closeAsDuplicate(asker.actor, dup, { duplicateOf: dup }), 422, /cannot duplicate itself/);
    await refused(() => qa().closeAsDuplicate(asker.actor, dup, { duplicateOf: "missing" }), 422, /no such question/);
    await qa().closeAsDuplicate(admin.actor, dup, { duplicateOf: original });
    const d = await qa().getQuestion(third.actor, dup);
    expect(d.closed?.duplicateOf).toEqual({ id: original, title: "Original SAML question" });
    expect(d.closed?.by).toBe("Ann Admin");
    const o = await qa().getQuestion(third.actor, original);
    expect(o.duplicates).toEqual([{ id: dup, title: "Duplicate SAML question" }]);
    await refused(() => qa().closeAsDuplicate(asker.actor, dup, { duplicateOf: original }), 403, /already closed/);
    await qa().reopenQuestion(asker.actor, dup);
    expect((await qa().getQuestion(third.actor, original)).duplicates).toEqual([]);
  });

  test("deleting keeps a trace; only the author or an admin; content hidden from others", async () => {
    const { id } = await ask(app.atrium, asker.actor, { title: "Will be deleted soon" });
    const { id: answerId } = await qa().answerQuestion(other.actor, id, { body: body("An answer that goes") });
    await refused(() => qa().deleteAnswer(third.actor, answerId), 403, /author or an administrator/);
    await qa().deleteAnswer(admin.actor, answerId, { reason: "spam" });
    let page = await qa().getQuestion(third.actor, id);
    expect(page.answers[0]!.deleted).toMatchObject({ by: "Ann Admin", reason: "spam" });
    expect(page.answers[0]!.body).toBeNull();
    expect(page.answerCount).toBe(0);
    expect((await qa().getQuestion(other.actor, id)).answers[0]!.body).not.toBeNull();

    await refused(() => qa().deleteQuestion(other.actor, id), 403, /asker or an administrator/);
    await qa().deleteQuestion(asker.actor, id, { reason: "solved elsewhere" });
    page = await qa().getQuestion(third.actor, id);
    expect(page.contentVisible).toBe(false);
    expect(page.title).toBe("Deleted question");
    expect(page.body).toBeNull();
    expect(page.deleted).toMatchObject({ by: "Ada Asker", reason: "solved elsewhere" });
    expect((await qa().getQuestion(admin.actor, id)).title).toBe("Will be deleted soon");
    expect(await app.atrium.db.question.count({ where: { id } })).toBe(1); // soft delete
    expect((await qa().listQuestions(third.actor, {})).items.some((q) => q.id === id)).toBe(false);
    await refused(() => qa().deleteQuestion(asker.actor, id), 403, /already deleted/);
  });
});

describe("lists and tags", () => {
  test("unanswered, most votes, department queue and tag filter", async () => {
    const dept = await app.atrium.db.department.create({ data: { name: "Identity", slug: "identity" } });
    const member = await makeUser(app.atrium, { name: "Ida Identity", departmentId: dept.id });
    const { id: forDept } = await ask(app.atrium, asker.actor, { title: "Question for Identity", tags: ["okta"], departmentId: dept.id });
    const { id: voted } = await ask(app.atrium, asker.actor, { title: "Much loved question", tags: ["webauthn"] });
    await qa().voteQuestion(other.actor, voted, { value: 1 });
    await qa().voteQuestion(third.actor, voted, { value: 1 });
    await qa().answerQuestion(other.actor, voted, { body: body("yes") });

    const mine = await qa().listQuestions(member.actor, { sort: "department" });
    expect(mine.items.map((q) => q.id)).toEqual([forDept]);
    expect((await qa().listQuestions(asker.actor, { sort: "department" })).note).toMatch(/not in a department/);
    expect((await qa().listQuestions(asker.actor, { sort: "votes" })).items[0]!.id).toBe(voted);
    const unanswered = await qa().listQuestions(asker.actor, { sort: "unanswered" });
    expect(unanswered.items.some((q) => q.id === voted)).toBe(false);
    expect(unanswered.items.some((q) => q.id === forDept)).toBe(true);
    const tagged = await qa().listQuestions(asker.actor, { tag: "webauthn" });
    expect(tagged.items.map((q) => q.id)).toEqual([voted]);
    expect((await qa().listQuestions(asker.actor, { tag: "no-such-tag" })).unknownTag).toBe("no-such-tag");
  });

  test("tag page: description (admins only), followers, top answerers; followers hear of new questions", async () => {
    const { id } = await ask(app.atrium, asker.actor, { tags: ["scim"] });
    const { id: a } = await qa().answerQuestion(other.actor, id, { body: body("Use SCIM 2.0") });
    await qa().acceptAnswer(asker.actor, a);
    await qa().followTag(third.actor, "scim");
    await refused(() => qa().describeTag(other.actor, "scim", { description: "x" }), 403, /administrators/);
    await qa().describeTag(admin.actor, "scim", { description: "System for Cross-domain Identity Management" });
    const tag = await qa().getTag(third.actor, "scim");
    expect(tag).toMatchObject({ description: "System for Cross-domain Identity Management", followers: 1, following: true, questionCount: 1 });
    expect(tag.topAnswerers.map((t) => [t.person.name, t.accepted])).toEqual([["Olu Other", 1]]);

    await ask(app.atrium, asker.actor, { title: "Another SCIM question", body: body("Provisioning groups from the directory."), tags: ["scim"] });
    const n = await app.atrium.db.notification.findMany({ where: { userId: third.user.id, type: "question.tagged" } });
    expect(n.map((x) => x.title)).toEqual(["New question in scim: “Another SCIM question”"]);
  });
});

describe("routing", () => {
  test("routes to declared experts, leaves out the asker and inactive people, and sees profile changes at once", async () => {
    // Nobody declared kerberos, answered on it, or answered anything worded like it.
    const { routedTo: none } = await ask(app.atrium, asker.actor, { title: "First question on kerberos", body: body("Tickets expire overnight."), tags: ["kerberos"] });
    expect(none).toEqual([]);
    // Declared skills are cached per tag for routing: a profile change must reach the next question.
    await app.atrium.domain.people.updateProfile(third.actor, third.user.id, { name: "Tess Third", timeZone: "UTC", skills: [{ name: "kerberos", level: "expert" }] });
    await app.atrium.domain.people.updateProfile(asker.actor, asker.user.id, { name: "Ada Asker", timeZone: "UTC", skills: [{ name: "kerberos", level: "expert" }] });
    const gone = await makeUser(app.atrium, { name: "Gina Gone" });
    await app.atrium.domain.people.updateProfile(gone.actor, gone.user.id, { name: "Gina Gone", timeZone: "UTC", skills: [{ name: "kerberos", level: "expert" }] });
    await app.atrium.db.user.update({ where: { id: gone.user.id }, data: { active: false } });
    const { id, routedTo } = await ask(app.atrium, asker.actor, { title: "Second question on kerberos", body: body("Tickets expire overnight."), tags: ["kerberos"] });
    expect(routedTo.map((r) => r.userId)).toEqual([third.user.id]);
    expect(routedTo[0]!.reason).toBe("ask me about kerberos");
    const page = await qa().getQuestion(other.actor, id);
    expect(page.routedTo.map((r) => r.person.name)).toEqual(["Tess Third"]);
    // Asking a person directly adds a route; twice is refused.
    await qa().askPerson(asker.actor, id, { userId: other.user.id });
    await refused(() => qa().askPerson(asker.actor, id, { userId: other.user.id }), 422, /already been asked/);
    await refused(() => qa().askPerson(other.actor, id, { userId: third.user.id }), 403, /Only the asker/);
  });
});

describe("the list pages' prepared read", () => {
  test("every sort, tag, department and page, and routed-to-me, read with prepared SQL equal the Prisma read", async () => {
    const ctx = app.atrium.ctx;
    expect(ctx.reads).toBeDefined();
    const viaPrisma = { ...ctx, reads: undefined };
    // Someone who declared kerberos, so the imported question below is routed to them.
    const expert = await makeUser(app.atrium, { name: "Kit Kerberos" });
    await app.atrium.domain.people.updateProfile(expert.actor, expert.user.id, { name: "Kit Kerberos", timeZone: "UTC", skills: [{ name: "kerberos", level: "expert" }] });
    // An imported author (inactive placeholder) and a closed question, so those fields are read too.
    const placeholder = await makeUser(app.atrium, { name: "Imported Ivy" });
    await app.atrium.db.importedIdentity.create({ data: { source: "stackexchange:ai.stackexchange.com", externalId: "42", userId: placeholder.user.id } });
    const { id: imported } = await ask(app.atrium, placeholder.actor, { title: "An imported question about kerberos", tags: ["kerberos"] });
    await app.atrium.db.user.update({ where: { id: placeholder.user.id }, data: { active: false } });
    const { id: closed } = await ask(app.atrium, other.actor, { title: "A question closed by an admin" });
    await app.atrium.db.question.update({ where: { id: closed }, data: { closedAt: app.atrium.ctx.clock.now() } });
    const { listQuestions, routedToMe } = await import("../../../server/domain/questions.js");
    // Its own department queue, votes, answers and tags, so the test reads the same run alone.
    const dept = await app.atrium.db.department.create({ data: { name: "Prepared Reads", slug: "prepared-reads" } });
    const { user: member } = await makeUser(app.atrium, { name: "Pia Prepared", departmentId: dept.id });
    const memberActor = { id: member.id, role: "member" as const, departmentId: member.departmentId, active: true };
    for (let i = 0; i < 3; i++) await ask(app.atrium, asker.actor, { title: `Prepared read question for the queue ${i}`, tags: ["okta"], departmentId: dept.id });
    const { id: voted } = await ask(app.atrium, asker.actor, { title: "Prepared read question with votes", tags: ["webauthn"] });
    await qa().voteQuestion(other.actor, voted, { value: 1 });
    await qa().answerQuestion(other.actor, voted, { body: body("yes") });
    const inputs = [{}, { page: "2" }, { sort: "active" }, { sort: "votes" }, { sort: "unanswered" }, { sort: "department" }, { tag: "kerberos" }, { tag: "webauthn", sort: "votes" }, { department: member.departmentId! }];
    let seen = 0;
    for (const actor of [asker.actor, memberActor]) {
      for (const input of inputs) {
        const sql = await listQuestions(ctx, actor, input);
        expect(sql, JSON.stringify(input)).toEqual(await listQuestions(viaPrisma, actor, input));
        seen += sql.items.length;
      }
    }
    expect(seen).toBeGreaterThan(20);
    const all = await listQuestions(ctx, asker.actor, { tag: "kerberos" });
    expect(all.items.find((q) => q.id === imported)?.author).toMatchObject({ name: "Imported Ivy", active: false, importedFrom: "ai.stackexchange.com" });
    for (const who of [third, other, asker, expert]) {
      const sql = await routedToMe(ctx, who.actor, 6);
      expect(sql).toEqual(await routedToMe(viaPrisma, who.actor, 6));
    }
    expect((await routedToMe(ctx, expert.actor, 6)).map((q) => q.reason)).toContain("ask me about kerberos");
  });
});

describe("the question page's prepared read", () => {
  test("a question with answers, comments, votes, routes, duplicates and deletions reads the same with prepared SQL as through Prisma, for each reader", async () => {
    const ctx = app.atrium.ctx;
    expect(ctx.reads).toBeDefined();
    const viaPrisma = { ...ctx, reads: undefined };
    const { getQuestion } = await import("../../../server/domain/questions.js");
    const placeholder = await makeUser(app.atrium, { name: "Imported Iris" });
    await app.atrium.db.importedIdentity.create({ data: { source: "stackexchange:unix.stackexchange.com", externalId: "7", userId: placeholder.user.id } });
    const dept = await app.atrium.db.department.create({ data: { name: "Page Dept", slug: "page-dept" } });
    const { id } = await ask(app.atrium, asker.actor, { title: "Which port does the page read use?", tags: ["ports", "networking"], departmentId: dept.id });
    const { id: a1 } = await qa().answerQuestion(other.actor, id, { body: body("Port 443") });
    const { id: a2 } = await qa().answerQuestion(third.actor, id, { body: body("Port 80") });
    const { id: a3 } = await qa().answerQuestion(placeholder.actor, id, { body: body("Port 22") });
    await app.atrium.db.user.update({ where: { id: placeholder.user.id }, data: { active: false } });
    await qa().editAnswer(other.actor, a1, { body: body("Port 443, or 8443") });
    await qa().comment(third.actor, id, { body: "Which proxy?" });
    await qa().comment(asker.actor, id, { body: "On the answer", answerId: a1 });
    await qa().comment(other.actor, id, { body: "To be deleted" });
    const gone = await app.atrium.db.qaComment.findFirstOrThrow({ where: { body: "To be deleted" } });
    await qa().deleteComment(admin.actor, gone.id);
    await qa().voteQuestion(other.actor, id, { value: "1" });
    await qa().voteAnswer(asker.actor, a1, { value: "1" });
    await qa().voteAnswer(asker.actor, a2, { value: "-1" });
    await qa().acceptAnswer(asker.actor, a1);
    await qa().deleteAnswer(admin.actor, a3, { reason: "spam" });
    await qa().followQuestion(third.actor, id);
    await app.atrium.db.questionRoute.deleteMany({ where: { questionId: id } });
    await app.atrium.db.questionRoute.create({ data: { questionId: id, userId: third.user.id, kind: "person", reason: "ask me about ports", score: 2 } });
    await app.atrium.db.questionRoute.create({ data: { questionId: id, userId: placeholder.user.id, kind: "auto", reason: "answered similar", score: 1 } });
    const { id: dup } = await ask(app.atrium, other.actor, { title: "What port does the page read use?" });
    await qa().closeAsDuplicate(admin.actor, dup, { duplicateOf: id });
    const { id: deletedDup } = await ask(app.atrium, third.actor, { title: "Port for the page read, again?" });
    await qa().closeAsDuplicate(admin.actor, deletedDup, { duplicateOf: id });
    await qa().deleteQuestion(admin.actor, deletedDup, { reason: "noise" });

    let answersSeen = 0;
    for (const reader of [asker, other, third, admin]) {
      for (const qid of [id, dup, deletedDup]) {
        const sql = await getQuestion(ctx, reader.actor, qid);
        expect(sql, `${reader.user.name} on ${qid}`).toEqual(await getQuestion(viaPrisma, reader.actor, qid));
        answersSeen += sql.answers.length;
      }
    }
    const page = await getQuestion(ctx, asker.actor, id);
    expect(answersSeen).toBeGreaterThanOrEqual(12);
    expect(page.answers.map((a) => [a.accepted, a.myVote, !!a.deleted])).toEqual([[true, 1, false], [false, -1, false], [false, 0, true]]);
    expect(page.comments.map((c) => [c.body, c.deleted?.by ?? null])).toEqual([["Which proxy?", null], ["", "Ann Admin"]]);
    expect(page.answers[0]!.revisionCount).toBe(2);
    expect(page.routedTo.map((r) => [r.person.name, r.person.importedFrom])).toEqual([["Tess Third", null], ["Imported Iris", "unix.stackexchange.com"]]);
    expect(page.duplicates.map((d) => d.id)).toEqual([dup]);
    expect((await getQuestion(ctx, third.actor, dup)).closed?.duplicateOf?.id).toBe(id);
    expect((await getQuestion(ctx, third.actor, id)).following).toBe(true);
    expect((await getQuestion(ctx, other.actor, id)).myVote).toBe(1);
    expect(page.department?.name).toBe("Page Dept");
    await expect(getQuestion(ctx, asker.actor, "no-such-question")).rejects.toMatchObject({ status: 404 });
  });
});
