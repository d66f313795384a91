import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { io as connect, type Socket } from "socket.io-client";
import type { ClientToServerEvents, ServerToClientEvents } from "../../../app/realtime/events.js";
import { makeUser, sessionCookieFor, startTestApp, type TestApp } from "../../helpers/app.js";
import { ask, body, giveSkills } from "./helpers.js";

type S = Socket<ServerToClientEvents, ClientToServerEvents>;
let app: TestApp;
const sockets: S[] = [];
type U = Awaited<ReturnType<typeof makeUser>>;
let asker: U, expert: U, other: U;

// An app and fixture of their own for each test: none depends on rows another test wrote.
beforeEach(async () => {
  app = await startTestApp({ env: { QA_ROUTE_TOP_N: "2" } });
  asker = await makeUser(app.atrium, { name: "Eddie Engineer" });
  expert = await makeUser(app.atrium, { name: "Ines Identity" });
  other = await makeUser(app.atrium, { name: "Otto Other" });
  await giveSkills(app.atrium, expert.actor, "Ines Identity", [{ name: "saml", level: "expert" }]);
});
afterEach(async () => {
  for (const s of sockets) s.disconnect();
  await app.close();
});

async function socketFor(u: U): Promise<S> {
  const cookie = await sessionCookieFor(app.atrium, u.user.email, u.password);
  const s: S = connect(app.url, { transports: ["websocket"], extraHeaders: { cookie }, reconnection: false });
  sockets.push(s);
  await new Promise<void>((resolve, reject) => {
    s.once("connect", () => resolve());
    s.once("connect_error", reject);
  });
  return s;
}

function next<E extends keyof ServerToClientEvents>(s: S, event: E, match: (...a: Parameters<ServerToClientEvents[E]>) => boolean = () => true, ms = 3_000) {
  return new Promise<Parameters<ServerToClientEvents[E]>[0]>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`no ${event} within ${ms} ms`)), ms);
    const h = (...a: Parameters<ServerToClientEvents[E]>) => {
      if (!match(...a)) return;
      clearTimeout(t);
      s.off(event, h as never);
      resolve(a[0]);
    };
    s.on(event, h as never);
  });
}

const join = (s: S, id: string) => new Promise<boolean>((r) => s.emit("question.join", id, (res) => r(res.ok)));

describe("Q&A over Socket.io", () => {
  test("a routed expert's socket receives the notification live, with the bell count", async () => {
    const s = await socketFor(expert);
    const got = next(s, "notification.created", (p) => p.notification.type === "question.routed");
    const { id, routedTo } = await ask(app.atrium, asker.actor, { title: "SAML assertion rejected by the IdP" });
    const p = await got;
    expect(routedTo.map((r) => r.userId)).toEqual([expert.user.id]);
    expect(p.notification.link).toBe(`/questions/${id}`);
    expect(p.notification.title).toContain("SAML assertion rejected by the IdP");
    expect(p.notification.body).toContain("ask me about saml");
    expect(p.unread).toBe(1);
  });

  test("people in a question's room get answers, votes, acceptance and 'is answering' live", async () => {
    const { id } = await ask(app.atrium, asker.actor, { title: "Where are the SP certificates kept?" });
    const askerSocket = await socketFor(asker);
    const expertSocket = await socketFor(expert);
    expect(await join(askerSocket, id)).toBe(true);
    expect(await join(expertSocket, id)).toBe(true);

    const typing = next(askerSocket, "question.answering");
    expertSocket.emit("question.typing", id);
    expect(await typing).toEqual({ questionId: id, userId: expert.user.id, name: "Ines Identity" });

    const answered = next(askerSocket, "question.answered");
    const { id: answerId } = await app.atrium.domain.questions.answerQuestion(expert.actor, id, { body: body("In the vault.") });
    expect(await answered).toEqual({ questionId: id, answerId, authorId: expert.user.id });

    const voted = next(expertSocket, "question.voted");
    await app.atrium.domain.questions.voteAnswer(asker.actor, answerId, { value: 1 });
    expect(await voted).toEqual({ questionId: id, target: "answer", targetId: answerId, score: 1 });

    const accepted = next(expertSocket, "question.accepted");
    await app.atrium.domain.questions.acceptAnswer(asker.actor, answerId);
    expect(await accepted).toEqual({ questionId: id, answerId });

    const commented = next(expertSocket, "question.commented");
    await app.atrium.domain.questions.comment(asker.actor, id, { body: "Thanks!", answerId });
    expect((await commented).answerId).toBe(answerId);
  });

  test("a question's answers, votes, acceptance, comments and edits reach only its own room", async () => {
    const { id } = await ask(app.atrium, asker.actor, { title: "Which proxy does the VPN use?" });
    const { id: elsewhere } = await ask(app.atrium, asker.actor, { title: "Where is the holiday calendar?" });
    const inRoom = await socketFor(asker);
    const outside = await socketFor(other);
    expect(await join(inRoom, id)).toBe(true);
    expect(await join(outside, elsewhere)).toBe(true);
    const leaked: string[] = [];
    for (const e of ["question.answered", "question.voted", "question.accepted", "question.commented", "question.updated"] as const) {
      outside.on(e, ((p: { questionId: string }) => p.questionId === id && leaked.push(e)) as never);
    }
    const q = app.atrium.domain.questions;
    const commented = next(inRoom, "question.commented", (p) => p.questionId === id);
    const { id: answerId } = await q.answerQuestion(expert.actor, id, { body: body("The corporate one.") });
    await q.voteAnswer(asker.actor, answerId, { value: 1 });
    await q.acceptAnswer(asker.actor, answerId);
    await q.editQuestion(asker.actor, id, { title: "Which proxy does the VPN use now?", body: body("Since the move."), tags: ["vpn"] });
    await q.comment(asker.actor, id, { body: "Thanks!", answerId });
    await commented;
    // Positive control: the outside socket does get its own room's events, published after all of the above.
    const own = next(outside, "question.answered", (p) => p.questionId === elsewhere);
    await q.answerQuestion(expert.actor, elsewhere, { body: body("On the wiki.") });
    await own;
    expect(leaked).toEqual([]);
  });

  test("typing signals are throttled and stay inside the room", async () => {
    const { id } = await ask(app.atrium, asker.actor, { title: "Throttle check question" });
    const { id: elsewhere } = await ask(app.atrium, asker.actor, { title: "Some other question entirely" });
    const a = await socketFor(asker);
    const b = await socketFor(other);
    expect(await join(a, id)).toBe(true);
    // b is a signed-in participant of another room, so only the room check can stop its signal.
    expect(await join(b, elsewhere)).toBe(true);
    const seen: string[] = [];
    a.on("question.answering", (p) => seen.push(p.questionId));

    // Outside the room: the acknowledged join below is handled after this signal on the same
    // connection, so anything it caused is already on its way to a before b is in the room.
    b.emit("question.typing", id);
    expect(await join(b, id)).toBe(true);
    // Positive control: inside the room the same signal arrives. Events reach a in order, so if
    // the first signal had leaked it would be counted before this one.
    const inside = next(a, "question.answering", (p) => p.questionId === id);
    b.emit("question.typing", id);
    await inside;
    expect(seen).toEqual([id]);

    // Throttled: five more at once reach nobody. The acknowledged re-join fences b's signals,
    // and the answer event (same room, never throttled) fences a's stream behind them.
    for (let i = 0; i < 5; i++) b.emit("question.typing", id);
    expect(await join(b, id)).toBe(true);
    const answered = next(a, "question.answered", (p) => p.questionId === id);
    await app.atrium.domain.questions.answerQuestion(other.actor, id, { body: body("Fence answer.") });
    await answered;
    expect(seen).toEqual([id]);
  });

  test("joining a deleted question's room is refused to others, so its events do not reach them", async () => {
    const { id } = await ask(app.atrium, asker.actor, { title: "Soon gone question here" });
    await app.atrium.domain.questions.deleteQuestion(asker.actor, id);
    const s = await socketFor(other);
    expect(await join(s, id)).toBe(false);
    expect(await join(s, "x".repeat(100))).toBe(false);
    expect(await join(await socketFor(asker), id)).toBe(true);
  });

  test("a new question is announced to every signed-in socket", async () => {
    const s = await socketFor(other);
    const got = next(s, "question.asked");
    const { id } = await ask(app.atrium, asker.actor, { title: "Announced question title", tags: ["onboarding"] });
    expect(await got).toMatchObject({ questionId: id, title: "Announced question title", tagNames: ["onboarding"] });
  });
});
