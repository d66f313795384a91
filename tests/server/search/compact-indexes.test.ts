import { describe, expect, test } from "vitest";
import { AnswererIndex, type AnswerEvent } from "../../../server/search/answerer-index.js";
import { PeopleIndex, type PersonDoc } from "../../../server/search/people-index.js";
import { QuestionsIndex, type QuestionDoc } from "../../../server/search/questions-index.js";

/** A small deterministic random stream (the test must fail the same way every run). */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (s * 1_664_525 + 1_013_904_223) >>> 0) / 2 ** 32);
}
const WORDS = "kerberos keytab ticket printer spooler queue vpn tunnel route payroll export bank terraform state lock okta saml pods crash loop invoice".split(" ");
const words = (r: () => number, n: number) => Array.from({ length: n }, () => WORDS[Math.floor(r() * WORDS.length)]!).join(" ");

describe("answerer profiles after answers are taken back", () => {
  // Text only: its figures are sums of whole counts, so both indexes must agree to the last bit.
  const weights = { text: 1, tags: 0.2, activity: 0, accepted: 0, quick: 0 };
  const answer = (r: () => number, k: number): AnswerEvent => ({
    authorId: `p${Math.floor(r() * 12)}`,
    at: new Date(Date.UTC(2024, 0, 1) + k * 86_400_000),
    questionText: words(r, 6),
    answerText: words(r, 4),
    tags: r() < 0.5 ? [WORDS[Math.floor(r() * 4)]!] : [],
    accepted: r() < 0.3,
    responseMs: r() < 0.5 ? 3_600_000 : 3 * 86_400_000,
  });

  test("rank exactly as an index given only the answers that remain, query after query", () => {
    const r = rng(11);
    for (let round = 0; round < 20; round++) {
      const all = Array.from({ length: 40 }, (_, k) => answer(r, k));
      const gone = new Set(all.filter(() => r() < 0.4));
      const kept = all.filter((e) => !gone.has(e));
      const edited = new AnswererIndex(weights);
      for (const e of all) edited.add(e);
      for (const e of gone) edited.remove(e);
      for (let q = 0; q < 8; q++) {
        // A fresh index per query: the edited one also carries what each ranking leaves behind.
        const fresh = new AnswererIndex(weights);
        for (const e of kept) fresh.add(e);
        expect(edited.size).toBe(fresh.size);
        const query = { text: words(r, 5), tags: [WORDS[q % 4]!], at: new Date(Date.UTC(2024, 3, 1)), limit: 20 };
        expect(edited.rank(query)).toEqual(fresh.rank(query));
      }
    }
  });
});

describe("people directory after profile changes and departures", () => {
  const person = (r: () => number, id: string): PersonDoc => {
    const skills = [WORDS[Math.floor(r() * 6)]!, WORDS[6 + Math.floor(r() * 6)]!];
    return {
      id,
      name: `Person ${id}`,
      title: words(r, 2),
      bio: words(r, 5),
      department: ["Platform", "Sales"][Math.floor(r() * 2)]!,
      teams: "",
      location: ["Berlin", "Lisbon"][Math.floor(r() * 2)]!,
      skillsExpert: r() < 0.5 ? skills[0]! : "",
      skillsMentor: r() < 0.5 ? skills[1]! : "",
      skillsLearning: r() < 0.5 ? skills[0]! : "",
      departmentId: r() < 0.5 ? "d-platform" : "d-sales",
      teamIds: r() < 0.5 ? ["t-ops"] : [],
      skillNames: skills,
    };
  };

  test("search and browsing answer as a fresh build of the people that remain", async () => {
    const r = rng(5);
    for (let round = 0; round < 10; round++) {
      const index = new PeopleIndex();
      const current = new Map<string, PersonDoc>();
      for (let i = 0; i < 30; i++) current.set(`u${i}`, person(r, `u${i}`));
      index.build([...current.values()]);
      for (let op = 0; op < 40; op++) {
        const id = `u${Math.floor(r() * 40)}`;
        if (r() < 0.25) {
          index.remove(id);
          current.delete(id);
        } else {
          const doc = person(r, id);
          index.upsert(doc);
          current.set(id, doc);
        }
      }
      // MiniSearch counts a discarded person in a word's document frequency until its vacuum (which
      // it starts by itself after enough changes): compared once that pass is done.
      await (index as unknown as { mini: { vacuum(): Promise<void> } }).mini.vacuum();
      const fresh = new PeopleIndex();
      fresh.build([...current.values()]);
      expect(index.size).toBe(fresh.size);
      for (const q of [...WORDS.slice(0, 12), "kerberos vpn", "person u1"]) {
        const got = index.search(q, {}, 100);
        const want = fresh.search(q, {}, 100);
        // Same people, each with the same score (the edited index's average lengths can differ in the last bits).
        expect(got.map((h) => h.id).sort()).toEqual(want.map((h) => h.id).sort());
        const score = new Map(want.map((h) => [h.id, h.score]));
        for (const h of got) expect(h.score).toBeCloseTo(score.get(h.id)!, 9);
      }
      for (const filter of [{ departmentId: "d-sales" }, { teamId: "t-ops" }, { location: "berlin" }, { skill: "vpn" }]) {
        expect(index.filterOnly(filter).sort()).toEqual(fresh.filterOnly(filter).sort());
      }
    }
  });
});

describe("similar questions after edits and removals", () => {
  const question = (r: () => number, id: string): QuestionDoc => ({
    id,
    title: `${words(r, 4)} ${id}`,
    body: words(r, 12),
    tags: words(r, 1),
    score: Math.floor(r() * 3),
    accepted: r() < 0.3,
    answerCount: 0,
    duplicate: false,
  });

  test("find the same questions with the same scores as a fresh build of the questions that remain", () => {
    const r = rng(3);
    // One IDF per field (MiniSearch's, from its postings): the per-word counts are never decremented by design.
    const tuning = { questionIdf: false };
    for (let round = 0; round < 8; round++) {
      const index = new QuestionsIndex(tuning);
      const current = new Map<string, QuestionDoc>();
      for (let i = 0; i < 40; i++) current.set(`q${i}`, question(r, `q${i}`));
      index.build([...current.values()]);
      for (let op = 0; op < 30; op++) {
        const id = `q${Math.floor(r() * 50)}`;
        if (r() < 0.3) {
          void index.remove(id);
          current.delete(id);
        } else {
          const doc = question(r, id);
          void index.upsert(doc);
          current.set(id, doc);
        }
        // Queries between the changes: postings read (and kept) for one query must not outlive a change.
        if (op % 5 === 0) index.similar({ title: `${words(r, 3)} ` });
      }
      // Every word's postings read, then a last change before the comparison.
      index.similar({ title: `${WORDS.join(" ")} ` });
      const last = [...current.keys()][Math.floor(r() * current.size)]!;
      void index.remove(last);
      current.delete(last);
      const fresh = new QuestionsIndex(tuning);
      fresh.build([...current.values()]);
      expect(index.size).toBe(fresh.size);
      for (let q = 0; q < 12; q++) {
        // A finished title (ending in a space): no completions, which are chosen by the never-decremented counts.
        const input = { title: `${words(r, 3)} `, body: words(r, 4) };
        const got = index.similar(input, { limit: 100 });
        const want = fresh.similar(input, { limit: 100 });
        expect(got.map((h) => h.id).sort()).toEqual(want.map((h) => h.id).sort());
        const score = new Map(want.map((h) => [h.id, h.score]));
        for (const h of got) expect(h.score).toBeCloseTo(score.get(h.id)!, 9);
      }
    }
  });
});
