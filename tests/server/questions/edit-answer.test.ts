/**
 * Editing an answer (editAnswer): the author and an administrator may, everyone else is refused and
 * nothing is written; a deleted answer (or one on a deleted question) cannot be edited; "nothing
 * changed" and bad input are field errors. Through the verb, and through its page over HTTP
 * (/questions/:id/answers/:answerId/edit).
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { ForbiddenError, NotFoundError, ValidationError } from "../../../server/domain/errors.js";
import type { DomainEvents } from "../../../server/events.js";
import { makeUser, sessionCookieFor, startTestApp, type TestApp } from "../../helpers/app.js";
import { ask, body, qaSnapshot } from "./helpers.js";
import { manualClock } from "../../helpers/clock.js";

const clock = manualClock("2031-02-03T09:00:00Z");

let app: TestApp;
type U = Awaited<ReturnType<typeof makeUser>>;
let asker: U, author: U, other: U, admin: U;
const updates: DomainEvents["question.updated"][] = [];
const q = () => app.atrium.domain.questions;

async function rejects<E extends Error>(p: Promise<unknown>, type: new (...a: any[]) => E): Promise<E> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(type);
  return err as E;
}

/** Refused: the error, and not one row of Q&A changed, and no event published. */
async function refusedAndUnchanged<E extends Error>(p: () => Promise<unknown>, type: new (...a: any[]) => E) {
  const before = await qaSnapshot(app.atrium);
  updates.length = 0;
  const err = await rejects(p(), type);
  expect(await qaSnapshot(app.atrium)).toEqual(before);
  expect(updates).toEqual([]);
  return err;
}

/** A question by the asker with one answer by the author, an hour ago. */
async function answered(text = "Restart the agent.") {
  clock.t -= 3_600_000;
  const { id: questionId } = await ask(app.atrium, asker.actor, { title: `Why does the agent stop? ${Math.random().toString(36).slice(2, 8)}` });
  const { id: answerId } = await q().answerQuestion(author.actor, questionId, { body: body(text) });
  clock.t += 3_600_000;
  return { questionId, answerId };
}

beforeAll(async () => {
  app = await startTestApp({ withPages: true, clock });
  asker = await makeUser(app.atrium, { name: "Asha Asker" });
  author = await makeUser(app.atrium, { name: "Andre Answerer" });
  other = await makeUser(app.atrium, { name: "Olive Other" });
  admin = await makeUser(app.atrium, { name: "Adele Admin", role: "admin" });
  app.atrium.ctx.bus.subscribe("question.updated", (p) => void updates.push(p));
});
afterAll(() => app?.close());

describe("editAnswer, the verb", () => {
  test("the author's edit replaces the body, keeps a revision with the summary, bumps the question and announces it", async () => {
    const { questionId, answerId } = await answered();
    updates.length = 0;
    clock.t += 60_000;
    await q().editAnswer(author.actor, answerId, { body: body("Restart the agent, then clear its cache."), summary: "add the cache step" });
    const a = await app.atrium.db.answer.findUniqueOrThrow({ where: { id: answerId } });
    expect(a.bodyText).toBe("Restart the agent, then clear its cache.");
    expect(a.editedAt).toEqual(clock.now());
    const revs = await app.atrium.db.postRevision.findMany({ where: { answerId }, orderBy: { number: "asc" } });
    expect(revs.at(-1)).toMatchObject({ authorId: author.user.id, summary: "add the cache step", bodyText: "Restart the agent, then clear its cache.", createdAt: clock.now() });
    expect(revs.at(-1)!.number).toBe(revs.length);
    expect((await app.atrium.db.question.findUniqueOrThrow({ where: { id: questionId } })).lastActivityAt).toEqual(clock.now());
    expect(updates).toEqual([{ questionId, change: "answer-edited" }]);
  });

  test("without a summary the revision says 'Edited'; an administrator may edit someone's answer", async () => {
    const { answerId } = await answered();
    await q().editAnswer(admin.actor, answerId, { body: body("Moderated: restart the agent.") });
    const rev = await app.atrium.db.postRevision.findFirstOrThrow({ where: { answerId }, orderBy: { number: "desc" } });
    expect(rev).toMatchObject({ authorId: admin.user.id, summary: "Edited", bodyText: "Moderated: restart the agent." });
  });

  test("refused, nothing written: another member, the asker, a deleted answer, an answer on a deleted question", async () => {
    const { answerId } = await answered();
    const edit = { body: body("Hijacked answer text.") };
    const err = await refusedAndUnchanged(() => q().editAnswer(other.actor, answerId, edit), ForbiddenError);
    expect(err.message).toBe("Only the author or an administrator can edit this answer.");
    await refusedAndUnchanged(() => q().editAnswer(asker.actor, answerId, edit), ForbiddenError);

    await q().deleteAnswer(author.actor, answerId);
    const gone = await refusedAndUnchanged(() => q().editAnswer(author.actor, answerId, edit), ForbiddenError);
    expect(gone.message).toBe("This answer was deleted.");
    await refusedAndUnchanged(() => q().editAnswer(admin.actor, answerId, edit), ForbiddenError);

    const onDeleted = await answered();
    await q().deleteQuestion(asker.actor, onDeleted.questionId);
    await refusedAndUnchanged(() => q().editAnswer(author.actor, onDeleted.answerId, edit), ForbiddenError);
  });

  test("bad input is a field error and writes nothing: nothing changed, an empty body, a long summary; an unknown answer, or an id that cannot be one, is not found", async () => {
    const { answerId } = await answered("Exactly this text.");
    const same = await refusedAndUnchanged(() => q().editAnswer(author.actor, answerId, { body: body("Exactly this text.") }), ValidationError);
    expect(same.fieldErrors).toEqual({ form: ["Nothing changed."] });
    const empty = await refusedAndUnchanged(() => q().editAnswer(author.actor, answerId, { body: { json: null, plain: "   " } }), ValidationError);
    expect(Object.keys(empty.fieldErrors ?? {})).toContain("body");
    const long = await refusedAndUnchanged(() => q().editAnswer(author.actor, answerId, { body: body("Different text now."), summary: "x".repeat(201) }), ValidationError);
    expect(long.fieldErrors?.summary).toEqual(["The edit summary must be at most 200 characters."]);
    await refusedAndUnchanged(() => q().editAnswer(author.actor, "no-such-answer", { body: body("Anything.") }), NotFoundError);
    // Ids that cannot be ids (not text, or longer than any id) are not found either, never a database error.
    await refusedAndUnchanged(() => q().editAnswer(author.actor, [answerId] as never, { body: body("Anything.") }), NotFoundError);
    await refusedAndUnchanged(() => q().editAnswer(author.actor, "a".repeat(61), { body: body("Anything.") }), NotFoundError);
  });
});

describe("the edit page over HTTP", () => {
  const cookies = new Map<string, string>();
  const cookie = async (u: U) => {
    if (!cookies.has(u.user.id)) cookies.set(u.user.id, await sessionCookieFor(app.atrium, u.user.email, u.password));
    return cookies.get(u.user.id)!;
  };
  const page = async (u: U | null, path: string) => fetch(`${app.url}${path}`, { headers: u ? { cookie: await cookie(u) } : {}, redirect: "manual" });
  const post = async (u: U, path: string, fields: Record<string, string>) =>
    fetch(`${app.url}${path}`, {
      method: "POST",
      headers: { cookie: await cookie(u), "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(fields),
      redirect: "manual",
    });

  test("the author opens the form with the current text and saves; redirected to the answer", async () => {
    const { questionId, answerId } = await answered("The page text before.");
    const path = `/questions/${questionId}/answers/${answerId}/edit`;
    const res = await page(author, path);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("Edit answer");
    expect(html).toContain("The page text before.");
    const saved = await post(author, path, { bodyPlain: "The page text after.", summary: "reworded" });
    expect(saved.status).toBe(302);
    expect(saved.headers.get("location")).toBe(`/questions/${questionId}?edited=${answerId}#answer-${answerId}`);
    expect((await app.atrium.db.answer.findUniqueOrThrow({ where: { id: answerId } })).bodyText).toBe("The page text after.");
  });

  test("forbidden: another member gets 403 for the form and the save, and nothing is written", async () => {
    const { questionId, answerId } = await answered("Only mine to edit.");
    const path = `/questions/${questionId}/answers/${answerId}/edit`;
    expect((await page(other, path)).status).toBe(403);
    const before = await qaSnapshot(app.atrium);
    const res = await post(other, path, { bodyPlain: "Defaced by someone else." });
    expect(res.status).toBe(403);
    expect(await res.text()).toContain("Only the author or an administrator can edit this answer.");
    expect(await qaSnapshot(app.atrium)).toEqual(before);
  });

  test("signed out: redirected to sign in; another question's id in the path: 404; an empty body: 422 with the message, nothing written", async () => {
    const { questionId, answerId } = await answered("Stays as it is.");
    const path = `/questions/${questionId}/answers/${answerId}/edit`;
    const out = await page(null, path);
    expect(out.status).toBe(302);
    expect(out.headers.get("location")).toBe(`/login?redirectTo=${encodeURIComponent(path)}`);
    const elsewhere = await answered();
    expect((await page(author, `/questions/${elsewhere.questionId}/answers/${answerId}/edit`)).status).toBe(404);
    const before = await qaSnapshot(app.atrium);
    const empty = await post(author, path, { bodyPlain: "  " });
    expect(empty.status).toBe(422);
    expect(await qaSnapshot(app.atrium)).toEqual(before);
  });

  test("routing follows at once: after an edit the author is routed questions worded like the new text, not the old; after a deletion, not at all", async () => {
    const { questionId, answerId } = await answered("Rotate the zeppelin keytab with kinit before the quokka ticket lapses.");
    const routedFor = (text: string) =>
      app.atrium.ctx.answerers.rank({ text, tags: [], at: clock.now(), exclude: new Set([asker.user.id]), limit: 20 }).map((p) => p.userId);
    expect(routedFor("zeppelin keytab quokka ticket")).toContain(author.user.id);
    const saved = await post(author, `/questions/${questionId}/answers/${answerId}/edit`, { bodyPlain: "Flush the marmalade cache on the walrus proxy." });
    expect(saved.status).toBe(302);
    expect(routedFor("zeppelin keytab quokka ticket")).not.toContain(author.user.id);
    expect(routedFor("marmalade cache walrus proxy")).toContain(author.user.id);
    // Someone else may not delete it: refused, and the profile is as it was.
    const refused = await post(other, `/questions/${questionId}`, { intent: "delete-answer", targetId: answerId, reason: "" });
    expect(refused.status).toBe(403);
    expect(routedFor("marmalade cache walrus proxy")).toContain(author.user.id);
    const deleted = await post(author, `/questions/${questionId}`, { intent: "delete-answer", targetId: answerId, reason: "" });
    expect(deleted.status).toBeLessThan(400);
    expect(routedFor("marmalade cache walrus proxy")).not.toContain(author.user.id);
  });
});
