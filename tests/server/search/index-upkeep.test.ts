/**
 * Search upkeep is batched and off the request path, yet every change is searchable as soon as its
 * verb returns. The index itself: queued work coalesces per entity, and discarded entries are
 * vacuumed once (on a timer, or by the next search), not once per write. Through the verbs: every
 * answer of a burst, and the latest title of an edited question, are found right after.
 */
import { afterAll, beforeAll, expect, test, vi } from "vitest";
import { parseQuery } from "../../../server/search/query.js";
import { UnifiedIndex, type SearchEntry } from "../../../server/search/unified-index.js";
import { makeUser, startTestApp, type TestApp } from "../../helpers/app.js";
import { manualClock } from "../../helpers/clock.js";
import { ask, body } from "../questions/helpers.js";

// The index and the entries are dated by the same injected clock, never the machine's.
const clock = manualClock("2031-05-10T08:00:00Z");
const newIndex = () => new UnifiedIndex(() => clock.now().getTime());
const entry = (id: string, title: string): SearchEntry => ({ type: "question", id, title, body: "", subtitle: "", tags: [], departmentIds: [], date: clock.now().getTime(), url: `/questions/${id}`, authorId: "someone" });
const reader = { actor: { id: "r", role: "member" as const, departmentId: null, active: true }, teamIds: [] };

test("queued re-indexing: one run per entity however many changes queued, the newest winning; settle() runs it", async () => {
  const idx = newIndex();
  const ran: number[] = [];
  for (let i = 0; i < 20; i++) idx.enqueue("thread:q1", async () => void ran.push(i));
  idx.enqueue("thread:q2", async () => void ran.push(100));
  expect(ran).toEqual([]); // nothing on the caller's path
  await idx.settle();
  expect(ran).toEqual([19, 100]);
  expect(idx.upkeep).toMatchObject({ jobs: 2, coalesced: 19 });
});

test("vacuuming: 100 replacements leave one vacuum for the next search to run, and scores stay clean", () => {
  const idx = newIndex();
  for (let i = 0; i < 50; i++) idx.upsert(entry(`other${i}`, `Other question ${i} about printers`));
  const before = idx.upkeep.vacuums;
  for (let i = 0; i < 100; i++) idx.upsert(entry("q", `Printer question revision ${i}`));
  expect(idx.upkeep.vacuums).toBe(before); // none per write
  const hits = idx.search(reader, parseQuery("printer")).hits;
  expect(idx.upkeep.vacuums).toBe(before + 1); // the search cleaned up first
  expect(hits.every((h) => h.score > 0)).toBe(true);
  expect(idx.search(reader, parseQuery("printer")).hits.length).toBe(hits.length);
  expect(idx.upkeep.vacuums).toBe(before + 1); // clean now: no second vacuum
});

test("an upsert with the same words swaps the record only: nothing re-tokenised, discarded or left to vacuum", () => {
  const idx = newIndex();
  idx.upsert({ ...entry("q", "Printer jams on floor two"), body: "The tray sticks." });
  const before = { ...idx.upkeep };
  idx.upsert({ ...entry("q", "Printer jams on floor two"), body: "The tray sticks.", subtitle: "3 answers", signals: { score: 5, accepted: false, answerCount: 3 } });
  expect(idx.upkeep.added).toBe(before.added);
  expect(idx.upkeep.discarded).toBe(before.discarded);
  expect(idx.dirt).toBe(0);
  // …yet what the record says has changed, and the words still find it
  expect(idx.get("question", "q")).toMatchObject({ subtitle: "3 answers", signals: { score: 5, answerCount: 3 } });
  expect(idx.search(reader, parseQuery("tray")).hits.map((h) => h.meta.subtitle)).toEqual(["3 answers"]);
});

test("an upsert with other words re-tokenises: the old words stop finding it, the new ones find it", () => {
  const idx = newIndex();
  idx.upsert({ ...entry("q", "Printer jams"), body: "The tray sticks." });
  idx.upsert({ ...entry("q", "Printer jams"), body: "The roller squeaks." });
  expect(idx.search(reader, parseQuery("tray")).total).toBe(0);
  expect(idx.search(reader, parseQuery("squeaks")).total).toBe(1);
  idx.upsert({ ...entry("q", "Printer jams"), body: "The roller squeaks.", tags: ["hardware"] });
  expect(idx.search(reader, parseQuery("hardware")).total).toBe(1);
});

test("a removed entry is gone, and comes back when written again with the same words", () => {
  const idx = newIndex();
  idx.upsert({ ...entry("q", "Printer jams"), body: "The tray sticks." });
  idx.remove("question", "q");
  expect(idx.search(reader, parseQuery("tray")).total).toBe(0);
  idx.upsert({ ...entry("q", "Printer jams"), body: "The tray sticks." });
  expect(idx.search(reader, parseQuery("tray")).total).toBe(1);
});

let app: TestApp;
/** Words far apart from each other (search is typo-tolerant and prefix-aware). */
const WORDS = "quartzmoth velvetfern copperjay basaltowl saffronyak tundralily marblefinch cedarquokka obsidiankite juniperlynx maplegecko pewterhare coralbison slateheron amberwalrus ivoryskunk cobaltmink ochreviper jadeorca flintcrane".split(" ");
beforeAll(async () => {
  app = await startTestApp({ clock: manualClock("2031-05-10T08:00:00Z", { stepMs: 1 }) });
});
afterAll(() => app.close());

test("through the verbs: each answer of a burst is searchable when its verb returns", async () => {
  const { actor: asker } = await makeUser(app.atrium, { name: "Asker" });
  const { actor: answerer } = await makeUser(app.atrium, { name: "Answerer" });
  const index = app.atrium.ctx.searchIndex;
  const q = await ask(app.atrium, asker, { title: "Which laptop should a designer get?", tags: ["hardware"] });
  await index.settle();

  const words = WORDS;
  await Promise.all(words.map((w) => app.atrium.domain.questions.answerQuestion(answerer, q.id, { body: body(`Try the ${w} model.`) })));
  for (const w of words) expect((await app.atrium.domain.search.search(asker, { q: w, type: "answer" })).total, w).toBe(1);
});

test("through the verbs: an edit replaces the old words at once", async () => {
  const { actor } = await makeUser(app.atrium, { name: "Editor" });
  const index = app.atrium.ctx.searchIndex;
  const q = await ask(app.atrium, actor, { title: "Where is the quokkaphone manual?", tags: ["office"] });
  await index.settle();
  for (let i = 0; i < 10; i++) {
    await app.atrium.domain.questions.editQuestion(actor, q.id, { title: `Where is the ${WORDS[i]} manual?`, body: body("Second floor."), tags: ["office"] });
  }
  expect((await app.atrium.domain.search.search(actor, { q: WORDS[9]!, type: "question" })).total).toBe(1);
  expect((await app.atrium.domain.search.search(actor, { q: "quokkaphone", type: "question" })).total).toBe(0);
  expect((await app.atrium.domain.search.search(actor, { q: WORDS[3]!, type: "question" })).total).toBe(0);
});

test("through the verbs: an answer to a long thread tokenises that answer only, and the question's count follows", async () => {
  const { actor: asker } = await makeUser(app.atrium, { name: "Long-thread asker" });
  const { actor: answerer } = await makeUser(app.atrium, { name: "Long-thread answerer" });
  const index = app.atrium.ctx.searchIndex;
  const q = await ask(app.atrium, asker, { title: "Which hinge fits the cabinet?", tags: ["office"] });
  const words = "zephyrquill brambletoad glacierwren lanternmole puddingcrab thistlebadger harborcamel quiverpike sorrelgnat tamarindeel wicketboar".split(" ");
  for (const w of words.slice(0, 10)) await app.atrium.domain.questions.answerQuestion(answerer, q.id, { body: body(`The ${w} hinge.`) });
  await index.settle();
  const before = { ...index.upkeep };
  const last = await app.atrium.domain.questions.answerQuestion(answerer, q.id, { body: body(`The ${words[10]} hinge.`) });
  await index.settle();
  // Nothing already indexed was re-tokenised (that discards the old entry first): not the question,
  // not the ten answers before. The new answer was added; the count of additions is not asserted
  // exactly, because an entry outside this thread (a person, say) may be indexed meanwhile.
  expect(index.upkeep.discarded - before.discarded).toBe(0);
  expect(index.upkeep.added - before.added).toBeGreaterThanOrEqual(1);
  expect(index.get("question", q.id)?.subtitle).toBe("11 answers");
  expect((await app.atrium.domain.search.search(asker, { q: words[10]!, type: "answer" })).results.map((r) => r.id)).toEqual([last.id]);
  for (const w of words.slice(0, 10)) expect((await app.atrium.domain.search.search(asker, { q: w, type: "answer" })).total, w).toBe(1);
});

test("through the verbs: a vote on an answer updates that answer's entry, without re-tokenising it", async () => {
  const { actor: asker } = await makeUser(app.atrium, { name: "Vote asker" });
  const { actor: answerer } = await makeUser(app.atrium, { name: "Vote answerer" });
  const index = app.atrium.ctx.searchIndex;
  const q = await ask(app.atrium, asker, { title: "Who waters the office plants?", tags: ["office"] });
  const a = await app.atrium.domain.questions.answerQuestion(answerer, q.id, { body: body("The rota on the fridge.") });
  await index.settle();
  const before = { ...index.upkeep };
  await app.atrium.domain.questions.voteAnswer(asker, a.id, { value: 1 });
  await index.settle();
  expect(index.get("answer", a.id)?.signals?.score).toBe(1);
  expect(index.upkeep.added - before.added).toBe(0);
});

test("through the verbs: a re-read thread re-tokenises none of its unchanged answers; a deleted answer leaves search", async () => {
  const { actor: asker } = await makeUser(app.atrium, { name: "Thread asker" });
  const { actor: answerer } = await makeUser(app.atrium, { name: "Thread answerer" });
  const index = app.atrium.ctx.searchIndex;
  const q = await ask(app.atrium, asker, { title: "Where do parcels go on Fridays?", tags: ["office"] });
  const kept = await app.atrium.domain.questions.answerQuestion(answerer, q.id, { body: body("The mailroom by the gorsefinch door.") });
  const gone = await app.atrium.domain.questions.answerQuestion(answerer, q.id, { body: body("The loading bay near the pebblemarten sign.") });
  await index.settle();
  // Which entries get their words (re)tokenised: an entry outside this thread (a person, say) may be
  // indexed meanwhile, so the index's global count of additions cannot tell.
  const upserted: string[] = [];
  const tokenised: string[] = [];
  const upsert = index.upsert.bind(index);
  const spy = vi.spyOn(index, "upsert").mockImplementation((e) => {
    const n = index.upkeep.added;
    upsert(e);
    upserted.push(`${e.type}:${e.id}`);
    if (index.upkeep.added > n) tokenised.push(`${e.type}:${e.id}`);
  });
  try {
    await app.atrium.domain.questions.acceptAnswer(asker, kept.id); // re-reads the whole thread
    await app.atrium.domain.questions.deleteAnswer(answerer, gone.id); // and again
    await index.settle();
  } finally {
    spy.mockRestore();
  }
  // The thread was re-read (its question and kept answer upserted again), and none of it re-tokenised.
  expect(upserted).toEqual(expect.arrayContaining([`question:${q.id}`, `answer:${kept.id}`]));
  expect(tokenised.filter((k) => [`question:${q.id}`, `answer:${kept.id}`, `answer:${gone.id}`].includes(k))).toEqual([]);
  expect(index.get("answer", kept.id)?.subtitle).toMatch(/accepted/);
  expect((await app.atrium.domain.search.search(asker, { q: "gorsefinch", type: "answer" })).total).toBe(1);
  expect((await app.atrium.domain.search.search(asker, { q: "pebblemarten", type: "answer" })).total).toBe(0);
});
