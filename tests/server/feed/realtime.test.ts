/**
 * The live feed over real Socket.io: a followed person's new question reaches my
 * socket as "feed.item", already shaped for my feed; a private document of theirs never does,
 * and nobody else's socket hears what is not theirs. Reactions reach every open page.
 */
import { afterAll, beforeAll, expect, test } from "vitest";
import { sessionCookieFor, startTestApp, type TestApp } from "../../helpers/app.js";
import { closeAllSockets, connect, record, waitFor, type TestSocket } from "../../helpers/server-socket.js";
import { body } from "../questions/helpers.js";
import { feedWorld, type FeedWorld } from "./world.js";

let app: TestApp;
let w: FeedWorld;
let anaSocket: TestSocket;
let caiSocket: TestSocket;

beforeAll(async () => {
  app = await startTestApp();
  w = await feedWorld(app.atrium);
  await app.atrium.domain.follows.followPerson(w.people.ana.actor, w.people.ben.user.id);
  const cookie = (who: "ana" | "cai") => sessionCookieFor(app.atrium, w.people[who].user.email, w.people[who].password);
  anaSocket = (await connect(app.url, await cookie("ana"))).socket;
  caiSocket = (await connect(app.url, await cookie("cai"))).socket;
});
afterAll(async () => {
  closeAllSockets();
  await app.close();
});

test("a followed person's new question arrives on my feed socket; not on a colleague's who does not follow them", async () => {
  const caiHeard = record(caiSocket, "feed.item");
  const arrived = waitFor(anaSocket, "feed.item", (p) => p.item.title === "Can we bundle support hours into the renewal?");
  const q = await app.atrium.domain.questions.askQuestion(w.people.ben.actor, { title: "Can we bundle support hours into the renewal?", body: body("x"), tags: ["renewals"] });
  const { item } = await arrived;
  expect(item).toMatchObject({ kind: "question.asked", link: `/questions/${q.id}`, why: "You follow Ben Followed", actor: { name: "Ben Followed" }, reactOn: { targetType: "question", targetId: q.id, reactions: [] } });
  // Cai (Engineering, follows nobody) has no reason to see a Sales question. Positive control: once
  // Cai follows Ben, Ben's next question reaches Cai; events arrive in order, so the first one,
  // had it been pushed to Cai, would already be recorded.
  await app.atrium.domain.follows.followPerson(w.people.cai.actor, w.people.ben.user.id);
  const control = waitFor(caiSocket, "feed.item", (p) => p.item.title === "Is there a partner discount for renewals?");
  const alsoAna = waitFor(anaSocket, "feed.item", (p) => p.item.title === "Is there a partner discount for renewals?");
  await app.atrium.domain.questions.askQuestion(w.people.ben.actor, { title: "Is there a partner discount for renewals?", body: body("x"), tags: ["renewals"] });
  await Promise.all([control, alsoAna]);
  expect(caiHeard.map((p) => p.payload.item.title)).toEqual(["Is there a partner discount for renewals?"]);
  await app.atrium.domain.follows.unfollowPerson(w.people.cai.actor, w.people.ben.user.id);
});

test("a private document by the followed person is never pushed; a company one is", async () => {
  const heard = record(anaSocket, "feed.item");
  await app.atrium.domain.docs.createDocument(w.people.ben.actor, { title: "Ben's private pipeline notes", spaceId: w.space.company.id, visibility: "private" });
  const open = waitFor(anaSocket, "feed.item", (p) => p.item.title === "Renewal playbook");
  await app.atrium.domain.docs.createDocument(w.people.ben.actor, { title: "Renewal playbook", spaceId: w.space.company.id, visibility: "company" });
  await open;
  expect(heard.map((p) => p.payload.item.title)).toEqual(["Renewal playbook"]);
});

test("a reaction reaches other open pages with counts and names", async () => {
  const q = await app.atrium.domain.questions.askQuestion(w.people.ben.actor, { title: "Who signs off multi-year discounts?", body: body("x"), tags: ["renewals"] });
  const seen = waitFor(caiSocket, "reaction.changed", (p) => p.targetId === q.id);
  await app.atrium.domain.reactions.toggleReaction(w.people.ana.actor, { targetType: "question", targetId: q.id, key: "eyes" });
  expect(await seen).toMatchObject({ targetType: "question", key: "eyes", on: true, userId: w.people.ana.user.id, counts: [{ key: "eyes", count: 1, names: ["Ana Reader"] }] });
});
