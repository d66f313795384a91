/**
 * Routing a question to colleagues (server/domain/qa-routing.ts), as the asker and the people
 * routed see it: who comes first and why, ties, the limit, answer history added to declared
 * expertise, recency measured from the injected clock, who is never routed (the asker, people who
 * left) and who still is (imported placeholders), a department's members, and what a route
 * records and announces. The ranking's weights are not restated: each test builds a case whose
 * order follows from them plainly (an expert outranks a mentor; fresh answers outrank none).
 */
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import type { DomainEvents } from "../../../server/events.js";
import { deliverRoutes, rankForQuestion, routeToExperts } from "../../../server/domain/qa-routing.js";
import { makeUser, startTestApp, type TestApp } from "../../helpers/app.js";
import { manualClock } from "../../helpers/clock.js";
import { ask, body, giveSkills } from "./helpers.js";

const clock = manualClock("2031-05-06T10:00:00Z");
const YEAR = 365 * 86_400_000;

let app: TestApp;
type U = Awaited<ReturnType<typeof makeUser>>;
let asker: U;
const routed: DomainEvents["question.routed"][] = [];
const qa = () => app.atrium.domain.questions;
const db = () => app.atrium.db;
const ctx = () => app.atrium.ctx;

beforeEach(async () => {
  clock.t = Date.parse("2031-05-06T10:00:00Z");
  app = await startTestApp({ clock });
  asker = await makeUser(app.atrium, { name: "Ada Asker" });
  routed.length = 0;
  app.atrium.ctx.bus.subscribe("question.routed", (p) => void routed.push(p));
});
afterEach(() => app?.close());

/** People with a declared level on one tag, in the order given. */
async function declared(tag: string, people: [string, "expert" | "mentor" | "learning"][]) {
  const out: U[] = [];
  for (const [name, level] of people) {
    const u = await makeUser(app.atrium, { name });
    await giveSkills(app.atrium, u.actor, name, [{ name: tag, level }]);
    out.push(u);
  }
  return out;
}

/** Someone answers a question `other` asks (tagged so nobody's declared skills match). */
async function answerHistory(who: U, title: string, text: string, tag = "history-only") {
  const other = await makeUser(app.atrium, { name: `Asker of ${title.slice(0, 12)}` });
  const { id } = await ask(app.atrium, other.actor, { title, body: body(text), tags: [tag] });
  const answer = await qa().answerQuestion(who.actor, id, { body: body(text) });
  return { questionId: id, answerId: answer.id, other };
}

const byId = (a: string, b: string) => (a < b ? -1 : 1);
const notes = (userId: string, questionId: string) =>
  db().notification.findMany({ where: { userId, type: "question.routed", link: `/questions/${questionId}` }, select: { title: true, body: true, link: true } });

describe("who comes first", () => {
  test("an expert, then two equal mentors in a stable order (by id); the learner is past the limit of three; each route records why, its score and the clock's time", async () => {
    const [learner, m1, expert, m2] = await declared("tern", [["Lee Learner", "learning"], ["Mo Mentor", "mentor"], ["Eve Expert", "expert"], ["Max Mentor", "mentor"]]);
    const mentors = [m1!.user.id, m2!.user.id].sort(byId);
    const at = clock.tick(60_000);
    const { id, routedTo } = await ask(app.atrium, asker.actor, { title: "Where do terns nest?", tags: ["tern"] });
    expect(routedTo.map((r) => r.userId)).toEqual([expert!.user.id, ...mentors]);
    expect(routedTo.map((r) => r.userId)).not.toContain(learner!.user.id);
    expect(routedTo.map((r) => r.reason)).toEqual(["ask me about tern", "can mentor tern", "can mentor tern"]);
    const rows = await db().questionRoute.findMany({ where: { questionId: id }, select: { userId: true, kind: true, reason: true, score: true, requestedById: true, createdAt: true } });
    expect(rows.sort((a, b) => b.score - a.score || byId(a.userId, b.userId))).toEqual([
      { userId: expert!.user.id, kind: "auto", reason: "ask me about tern", score: 4, requestedById: null, createdAt: at },
      ...mentors.map((userId) => ({ userId, kind: "auto", reason: "can mentor tern", score: 2.5, requestedById: null, createdAt: at })),
    ]);
    expect(await notes(expert!.user.id, id)).toEqual([{ title: "A question you may know: “Where do terns nest?”", body: "Ada Asker asked. Why you: ask me about tern.", link: `/questions/${id}` }]);
    expect(await notes(learner!.user.id, id)).toEqual([]);
    expect(routed).toEqual([{ questionId: id, userIds: [expert!.user.id, ...mentors], at: at.toISOString() }]);
    // The question page lists them best first.
    const page = await qa().getQuestion(asker.actor, id);
    expect(page.routedTo.map((r) => r.person.name)).toEqual(["Eve Expert", ...mentors.map((m) => (m === m1!.user.id ? "Mo Mentor" : "Max Mentor"))]);
  });

  test("someone online gets a nudge past an equal colleague, not past a better one, and the reason says so", async () => {
    const [expert, m1, m2] = await declared("puffin", [["Eve Expert", "expert"], ["Mo Mentor", "mentor"], ["Max Mentor", "mentor"]]);
    // The mentor who would come second by id is the one online.
    const [first, second] = [m1!, m2!].sort((a, b) => byId(a.user.id, b.user.id));
    app.atrium.presence.connect(second!.user.id, "socket-of-the-second-mentor");
    const { routedTo } = await ask(app.atrium, asker.actor, { title: "Do puffins dive deep?", tags: ["puffin"] });
    expect(routedTo).toEqual([
      { userId: expert!.user.id, reason: "ask me about puffin" },
      { userId: second!.user.id, reason: "can mentor puffin · online now" },
      { userId: first!.user.id, reason: "can mentor puffin" },
    ]);
  });

  test("answer history adds to declared expertise: of two equal mentors the one who answered alike comes first; someone known only from history follows, said to have answered similar questions", async () => {
    const [m1, m2] = await declared("gannet", [["Mo Mentor", "mentor"], ["Max Mentor", "mentor"]]);
    const [plain, answered] = [m1!, m2!].sort((a, b) => byId(b.user.id, a.user.id)); // the one who answered comes second by id
    await answerHistory(answered!, "Gannet plunge diving speed measured", "Gannets plunge diving at speed, measured with loggers.");
    const historian = await makeUser(app.atrium, { name: "Hal Historian" });
    await answerHistory(historian, "Plunge diving gannet loggers speed", "Loggers measured gannet plunge diving speed.");
    clock.tick(3_600_000);
    const { id, routedTo } = await ask(app.atrium, asker.actor, { title: "How fast is a gannet plunge diving?", body: body("Measured with loggers?"), tags: ["gannet"] });
    expect(routedTo.map((r) => r.userId)).toEqual([answered!.user.id, plain!.user.id, historian.user.id]);
    // "Answered similar" explains a choice made mostly on history; a declared mentor's reason is the tag.
    expect(routedTo.map((r) => r.reason)).toEqual(["can mentor gannet", "can mentor gannet", "answered similar questions"]);
    const scores = await db().questionRoute.findMany({ where: { questionId: id }, select: { userId: true, score: true } });
    const score = (u: U) => scores.find((s) => s.userId === u.user.id)!.score;
    expect(score(answered!)).toBeGreaterThan(2.5);
    expect(score(plain!)).toBe(2.5);
    expect(score(historian)).toBeGreaterThan(0);
    expect(score(historian)).toBeLessThan(2.5);
  });

  test("the body counts, not only the title: an answerer whose words are only in the body is routed", async () => {
    const historian = await makeUser(app.atrium, { name: "Hal Historian" });
    await answerHistory(historian, "Quokka burrow humidity sensor", "Quokka burrow humidity sensor readings drift.");
    const { routedTo } = await ask(app.atrium, asker.actor, { title: "A question about an animal", body: body("Why does the quokka burrow humidity sensor drift?"), tags: ["fauna"] });
    expect(routedTo).toEqual([{ userId: historian.user.id, reason: "answered similar questions" }]);
  });

  test("a weak match is still routed, but not said to have answered similar questions, and the notice gives no reason", async () => {
    const strong = await makeUser(app.atrium, { name: "Sia Strong" });
    const weak = await makeUser(app.atrium, { name: "Wes Weak" });
    await answerHistory(strong, "Albatross wingspan glide ratio thermal soaring dynamic", "Albatross dynamic soaring uses the wind gradient; glide ratio and wingspan matter.");
    await answerHistory(weak, "Seagull wingspan versus albatross", "Seagulls are smaller.");
    const query = { title: "Albatross dynamic soaring: wingspan, glide ratio, thermal", body: "Dynamic soaring?" };
    // The premise, from the answerer index itself: the weak one shares few words.
    const history = ctx().answerers.rank({ text: `${query.title} ${query.body}`, tags: [], at: clock.now(), exclude: new Set([asker.user.id]), limit: 10 });
    expect(history.map((h) => h.userId)).toEqual([strong.user.id, weak.user.id]);
    expect(history[1]!.text).toBeLessThan(0.5);
    expect(history[1]!.text).toBeGreaterThan(0);
    const { id, routedTo } = await ask(app.atrium, asker.actor, { title: query.title, body: body(query.body), tags: ["seabirds"] });
    expect(routedTo).toEqual([
      { userId: strong.user.id, reason: "answered similar questions" },
      { userId: weak.user.id, reason: "" },
    ]);
    expect(await notes(weak.user.id, id)).toEqual([{ title: `A question you may know: “${query.title}”`, body: "Ada Asker asked.", link: `/questions/${id}` }]);
  });

  test("recency is measured from the injected clock: fresh accepted answers outrank a declared mentor; two years on, the mentor comes first", async () => {
    const [mentor] = await declared("skua", [["Mo Mentor", "mentor"]]);
    const answerer = await makeUser(app.atrium, { name: "Ari Answerer" });
    for (const n of [1, 2]) {
      const { answerId, other } = await answerHistory(answerer, `Skua colony number ${n} census`, `Count skua nests in colony ${n}.`, "skua");
      await qa().acceptAnswer(other.actor, answerId);
    }
    clock.tick(86_400_000);
    const fresh = await ask(app.atrium, asker.actor, { title: "Unrelated wording entirely", body: body("Nothing shared."), tags: ["skua"] });
    expect(fresh.routedTo.map((r) => r.userId)).toEqual([answerer.user.id, mentor!.user.id]);
    expect(fresh.routedTo[0]!.reason).toBe("2 accepted answers on skua");
    clock.tick(2 * YEAR);
    const later = await ask(app.atrium, asker.actor, { title: "Different wording again", body: body("Still nothing shared."), tags: ["skua"] });
    expect(later.routedTo.map((r) => r.userId)).toEqual([mentor!.user.id, answerer.user.id]);
  });
});

describe("a long list of candidates", () => {
  // Each list is scored in full and the two added per person before the best are chosen, so a
  // cut on either list never hides someone whose two scores together put them first.
  test("someone just past the first look by tags but strong by history gets both scores, as when everyone is ranked", async () => {
    const skill = await db().skill.create({ data: { name: "cormorant", label: "Cormorant" } });
    // Ten mentors fill the first look for a limit of one (ten spare); the learner is eleventh by tags.
    for (let i = 0; i < 10; i++) {
      const u = await db().user.create({ data: { email: `mentor${i}@cormorant.test`, name: `Mentor ${i}` } });
      await db().userSkill.create({ data: { userId: u.id, skillId: skill.id, level: "mentor" } });
    }
    const learner = await db().user.create({ data: { email: "learner@cormorant.test", name: "Lee Learner" } });
    await db().userSkill.create({ data: { userId: learner.id, skillId: skill.id, level: "learning" } });
    // Ten recent, quick answers to questions worded like this one (no tag shared).
    for (let i = 0; i < 10; i++) {
      ctx().answerers.add({ authorId: learner.id, at: clock.now(), questionText: `Cormorant wing drying posture ${i}`, answerText: "Cormorants spread their wings to dry them.", tags: [], accepted: false, responseMs: 60_000 });
    }
    const text = "Why does a cormorant hold its wings out drying?";
    const [history] = ctx().answerers.rank({ text, tags: [skill.id], at: clock.now(), limit: 5 });
    // The premise: history alone (about 2.1) is less than a mentor (2.5); with learning (0.5), more.
    expect(history!.userId).toBe(learner.id);
    expect(history!.score).toBeGreaterThan(2);
    expect(history!.score).toBeLessThan(2.5);
    const q = { id: "q", title: text, text, authorId: asker.user.id, skillIds: [skill.id] };
    const [first] = await rankForQuestion(ctx(), q, { limit: 1 });
    expect(first).toMatchObject({ userId: learner.id, evidence: [{ skillId: skill.id, level: "learning" }] });
    expect(first!.score).toBeCloseTo(0.5 + history!.score, 6);
  });
  test("someone past both cuts, whose two scores together beat the first look's best, is still found", async () => {
    const skill = await db().skill.create({ data: { name: "shag", label: "Shag" } });
    const person = async (name: string, level?: "mentor" | "learning") => {
      const u = await db().user.create({ data: { email: `${name.replace(/ /g, ".")}@shag.test`, name } });
      if (level) await db().userSkill.create({ data: { userId: u.id, skillId: skill.id, level } });
      return u;
    };
    const answers = (userId: string, n: number) => {
      for (let i = 0; i < n; i++) {
        ctx().answerers.add({ authorId: userId, at: clock.now(), questionText: "Shag crest breeding plumage moult", answerText: "The crest comes with the breeding plumage.", tags: [], accepted: false, responseMs: 60_000 });
      }
    };
    // Ten mentors fill the tags' first look; ten busier answerers fill the history's.
    for (let i = 0; i < 10; i++) await person(`Mentor ${i}`, "mentor");
    for (let i = 0; i < 10; i++) answers((await person(`Busy ${i}`)).id, 12);
    const both = await person("Lee Learner", "learning");
    answers(both.id, 10);
    const text = "When does the shag crest of the breeding plumage moult?";
    const history = ctx().answerers.rank({ text, tags: [skill.id], at: clock.now(), limit: 20 });
    // The premise: eleventh by history, eleventh by tags, yet first with both scores added.
    expect(history.findIndex((h) => h.userId === both.id)).toBe(10);
    const mine = history[10]!.score;
    expect(history[0]!.score).toBeLessThan(2.5);
    expect(0.5 + mine).toBeGreaterThan(2.5);
    expect(0.5 + mine).toBeGreaterThan(history[0]!.score);
    const q = { id: "q", title: text, text, authorId: asker.user.id, skillIds: [skill.id] };
    const [first] = await rankForQuestion(ctx(), q, { limit: 1 });
    expect(first).toMatchObject({ userId: both.id, evidence: [{ skillId: skill.id, level: "learning" }] });
    expect(first!.score).toBeCloseTo(0.5 + mine, 6);
  });
});

describe("who is never routed, and who still is", () => {
  test("not the asker (declared or by history), not someone who left, not someone inactive; an imported placeholder is, until deactivated", async () => {
    const tag = "shearwater";
    await giveSkills(app.atrium, asker.actor, "Ada Asker", [{ name: tag, level: "expert" }]);
    await answerHistory(asker, "Shearwater burrow nesting season", "Shearwater burrow nesting season starts in spring.");
    const [left, idle, placeholder, present] = await declared(tag, [["Lou Left", "expert"], ["Ida Idle", "expert"], ["Imp Placeholder", "mentor"], ["Pat Present", "learning"]]);
    await db().user.update({ where: { id: left!.user.id }, data: { active: false, deactivatedAt: clock.now() } });
    await db().user.update({ where: { id: idle!.user.id }, data: { active: false } });
    await db().importedIdentity.create({ data: { source: "stackexchange:birds.stackexchange.com", externalId: "9", userId: placeholder!.user.id } });
    await db().user.update({ where: { id: placeholder!.user.id }, data: { active: false } });
    const first = await ask(app.atrium, asker.actor, { title: "Shearwater burrow nesting season?", body: body("When does it start?"), tags: [tag] });
    expect(first.routedTo.map((r) => r.userId)).toEqual([placeholder!.user.id, present!.user.id]);
    await db().user.update({ where: { id: placeholder!.user.id }, data: { deactivatedAt: clock.now() } });
    const second = await ask(app.atrium, asker.actor, { title: "Shearwater migration route?", tags: [tag] });
    expect(second.routedTo.map((r) => r.userId)).toEqual([present!.user.id]);
  });

  test("when the best-ranked are all gone, the whole list is searched for someone reachable", async () => {
    const gone = await declared("petrel", Array.from({ length: 10 }, (_, i): [string, "expert"] => [`Gone ${i}`, "expert"]));
    for (const g of gone) await db().user.update({ where: { id: g.user.id }, data: { active: false, deactivatedAt: clock.now() } });
    const [mentor] = await declared("petrel", [["Mo Mentor", "mentor"]]);
    const skill = await db().skill.findUniqueOrThrow({ where: { name: "petrel" } });
    const q = { id: "no-question-needed", title: "Petrel?", authorId: asker.user.id, skillIds: [skill.id] };
    // Ten candidates for a limit of one fill the first look exactly; the eleventh is the answer.
    expect((await rankForQuestion(ctx(), q, { limit: 1 })).map((c) => c.userId)).toEqual([mentor!.user.id]);
    expect((await rankForQuestion(ctx(), q, { limit: 0 }))).toEqual([]);
  });

  test("rankForQuestion leaves out whom it is told to, and keeps within a set of people", async () => {
    const [expert, mentor, learner] = await declared("fulmar", [["Eve Expert", "expert"], ["Mo Mentor", "mentor"], ["Lee Learner", "learning"]]);
    const historian = await makeUser(app.atrium, { name: "Hal Historian" });
    await answerHistory(historian, "Fulmar oil defence spitting", "Fulmar chicks spit oil in defence.");
    const skill = await db().skill.findUniqueOrThrow({ where: { name: "fulmar" } });
    const q = { id: "q", title: "Fulmar oil defence?", text: "Fulmar oil defence spitting?", authorId: asker.user.id, skillIds: [skill.id] };
    const ids = async (opts: Parameters<typeof rankForQuestion>[2]) => (await rankForQuestion(ctx(), q, opts)).map((c) => c.userId);
    expect(await ids({ limit: 5 })).toEqual([expert!.user.id, mentor!.user.id, historian.user.id, learner!.user.id]);
    expect(await ids({ limit: 5, exclude: [expert!.user.id, historian.user.id] })).toEqual([mentor!.user.id, learner!.user.id]);
    expect(await ids({ limit: 5, within: new Set([learner!.user.id, historian.user.id]) })).toEqual([historian.user.id, learner!.user.id]);
    expect(await ids({ limit: 2 })).toEqual([expert!.user.id, mentor!.user.id]);
  });
});

describe("a department asked", () => {
  test("its members most likely to know first, then its first active members by name up to the limit; nobody outside it, not the asker; asked again, nobody new and no event", async () => {
    const dept = await db().department.create({ data: { name: "Seabird Desk", slug: "seabird-desk" } });
    const member = async (name: string) => makeUser(app.atrium, { name, departmentId: dept.id });
    const deskAsker = await member("Aaron Asker");
    const [cy, ana, ben, dee] = [await member("Cy Desk"), await member("Ana Desk"), await member("Ben Desk"), await member("Dee Desk")];
    // First by name, but no longer active.
    const abe = await member("Abe Idle");
    await db().user.update({ where: { id: abe.user.id }, data: { active: false } });
    const { id } = await ask(app.atrium, deskAsker.actor, { title: "Great auk extinction date?", tags: ["auk"] });
    // After the question was routed automatically (so these are not already routed): a member who
    // can mentor its tag; outside the department, a declared expert and someone who answered alike.
    await giveSkills(app.atrium, dee.actor, "Dee Desk", [{ name: "auk", level: "mentor" }]);
    await declared("auk", [["Olga Outside", "expert"]]);
    const outsider = await makeUser(app.atrium, { name: "Hal Historian" });
    await answerHistory(outsider, "Great auk extinction date", "The great auk extinction was in 1844.");
    routed.length = 0;
    const at = clock.tick(60_000);
    expect(await qa().askDepartment(deskAsker.actor, id, { departmentId: dept.id })).toEqual({ reached: 3 });
    const rows = await db().questionRoute.findMany({ where: { questionId: id, kind: "department" }, select: { userId: true, reason: true, score: true, requestedById: true, createdAt: true } });
    expect(rows.sort((a, b) => b.score - a.score || byId(a.userId, b.userId))).toEqual([
      { userId: dee.user.id, reason: "Seabird Desk was asked · can mentor auk", score: 2.5, requestedById: deskAsker.user.id, createdAt: at },
      ...[ana, ben].map((m) => m.user.id).sort(byId).map((userId) => ({ userId, reason: "Seabird Desk was asked", score: 0, requestedById: deskAsker.user.id, createdAt: at })),
    ]);
    expect(routed).toHaveLength(1);
    expect(routed[0]!.userIds[0]).toBe(dee.user.id);
    expect(routed[0]!.userIds.slice(1).sort(byId)).toEqual([ana.user.id, ben.user.id].sort(byId));
    expect(rows.map((r) => r.userId)).not.toContain(cy.user.id);
    expect(rows.map((r) => r.userId)).not.toContain(abe.user.id);
    routed.length = 0;
    expect(await qa().askDepartment(deskAsker.actor, id, { departmentId: dept.id })).toEqual({ reached: 0 });
    expect(routed).toEqual([]);
  });

  test("with automatic routing off (a limit of none), asking a department still reaches one member: the first by name", async () => {
    await app.close();
    app = await startTestApp({ clock, env: { QA_ROUTE_TOP_N: "0" } });
    asker = await makeUser(app.atrium, { name: "Ada Asker" });
    const dept = await db().department.create({ data: { name: "Small Desk", slug: "small-desk" } });
    const a = await makeUser(app.atrium, { name: "Ana Desk", departmentId: dept.id });
    await makeUser(app.atrium, { name: "Ben Desk", departmentId: dept.id });
    await declared("tern", [["Eve Expert", "expert"]]);
    const { id, routedTo } = await ask(app.atrium, asker.actor, { title: "Terns?", tags: ["tern"] });
    expect(routedTo).toEqual([]);
    expect(await qa().askDepartment(asker.actor, id, { departmentId: dept.id })).toEqual({ reached: 1 });
    expect((await db().questionRoute.findMany({ where: { questionId: id } })).map((r) => r.userId)).toEqual([a.user.id]);
  });
});

describe("what a route records", () => {
  test("someone asked on one question can be asked on another; a long reason is stored cut to 300 characters; someone already routed is skipped", async () => {
    const helper = await makeUser(app.atrium, { name: "Hana Helper" });
    const one = await ask(app.atrium, asker.actor, { title: "First tern question", tags: ["tern"] });
    const two = await ask(app.atrium, asker.actor, { title: "Second tern question", tags: ["tern"] });
    await qa().askPerson(asker.actor, one.id, { userId: helper.user.id });
    await qa().askPerson(asker.actor, two.id, { userId: helper.user.id });
    expect(await db().questionRoute.count({ where: { userId: helper.user.id } })).toBe(2);

    const other = await makeUser(app.atrium, { name: "Olu Other" });
    const q = { id: one.id, title: "First tern question", authorId: asker.user.id, skillIds: [] };
    const long = "x".repeat(350);
    routed.length = 0;
    const reached = await deliverRoutes(ctx(), q, [{ userId: helper.user.id, score: 1, reason: "again" }, { userId: other.user.id, score: 1, reason: long }], "person", { askerName: "Ada Asker", requestedById: asker.user.id });
    expect(reached).toEqual([{ userId: other.user.id, reason: long }]);
    const row = await db().questionRoute.findUniqueOrThrow({ where: { questionId_userId: { questionId: one.id, userId: other.user.id } } });
    expect(row.reason).toBe("x".repeat(300));
    expect(routed.map((r) => r.userIds)).toEqual([[other.user.id]]);
    expect(await deliverRoutes(ctx(), q, [], "person", { askerName: "Ada Asker", requestedById: asker.user.id })).toEqual([]);
  });

  test("a tag with no name to give is explained as 'this topic'", async () => {
    const answerer = await makeUser(app.atrium, { name: "Ari Answerer" });
    const { id } = await ask(app.atrium, asker.actor, { title: "An untagged-looking question", tags: ["tern"] });
    ctx().expertise.record(answerer.user.id, ["no-such-skill"], "accepted", clock.now());
    const reached = await routeToExperts(ctx(), { id, title: "An untagged-looking question", authorId: asker.user.id, skillIds: ["no-such-skill"] }, "Ada Asker");
    expect(reached).toEqual([{ userId: answerer.user.id, reason: "1 accepted answer on this topic" }]);
  });
});

describe("the question page's prepared read of people", () => {
  test("an imported placeholder who was deactivated is not shown as imported, through SQL as through Prisma", async () => {
    const { getQuestion } = await import("../../../server/domain/questions.js");
    const placeholder = await makeUser(app.atrium, { name: "Imp Placeholder" });
    await db().importedIdentity.create({ data: { source: "stackexchange:birds.stackexchange.com", externalId: "11", userId: placeholder.user.id } });
    const { id } = await ask(app.atrium, asker.actor, { title: "Which gull is this?", tags: ["gull"] });
    await qa().answerQuestion(placeholder.actor, id, { body: body("A herring gull.") });
    await db().user.update({ where: { id: placeholder.user.id }, data: { active: false } });
    const imported = await getQuestion(ctx(), asker.actor, id);
    expect(imported.answers[0]!.author).toMatchObject({ name: "Imp Placeholder", importedFrom: "birds.stackexchange.com" });
    await db().user.update({ where: { id: placeholder.user.id }, data: { deactivatedAt: clock.now() } });
    const left = await getQuestion(ctx(), asker.actor, id);
    expect(ctx().reads).toBeDefined();
    expect(left).toEqual(await getQuestion({ ...ctx(), reads: undefined }, asker.actor, id));
    expect(left.answers[0]!.author).toMatchObject({ name: "Imp Placeholder", importedFrom: null });
  });
});
