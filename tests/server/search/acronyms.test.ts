/**
 * Acronyms a site spells out (server/search/acronyms.ts), and similar questions matching an acronym
 * with what it stands for, both ways.
 */
import { describe, expect, test } from "vitest";
import { Acronyms } from "../../../server/search/acronyms.js";
import { QuestionsIndex, type QuestionDoc } from "../../../server/search/questions-index.js";
import { termsOf } from "../../../server/search/text-terms.js";

describe("learning acronyms from a site's questions", () => {
  test("the words before \"(AI)\" whose initials spell it are its expansion, in index terms", () => {
    const a = new Acronyms();
    a.learn("Research in artificial intelligence (AI) moves fast.");
    expect(a.expansionOf("ai")).toEqual(termsOf("artificial intelligence"));
    expect(a.size).toBe(1);
  });

  test("\"NLP (natural language processing)\" is read the other way round", () => {
    const a = new Acronyms();
    a.learn("I am new to NLP (natural language processing) and to parsing.");
    expect(a.expansionOf("nlp")).toEqual(termsOf("natural language processing"));
  });

  test("connector words inside an expansion give no letter, and a plural acronym counts", () => {
    const a = new Acronyms();
    a.learn("The Department of Defense (DoD) funds it.");
    a.learn("Several graphics processing units (GPUs) help.");
    expect(a.expansionOf("dod")).toEqual(termsOf("department defense"));
    expect(a.expansionOf("gpu")).toEqual(termsOf("graphics processing units"));
  });

  test("brackets whose initials do not line up, single letters and lone words teach nothing", () => {
    const a = new Acronyms();
    a.learn("This is a great model (CNN) for images."); // "great model" spells GM, not CNN
    a.learn("See the appendix (A) and the figure (Fig).");
    a.learn("What about the AI (AI)?");
    a.learn("Call the API (see docs here) first."); // "see docs here" does not spell API
    a.learn("No brackets at all: convolutional neural network CNN.");
    expect(a.size).toBe(0);
    expect(a.expansionOf("cnn")).toBeNull();
  });

  test("the expansion a site uses most wins, and a change of winner moves the reverse lookup", () => {
    const a = new Acronyms();
    a.learn("a reinforcement learning (RL) agent");
    a.learn("robot localization (RL) on maps");
    a.learn("robot localization (RL) again");
    expect(a.expansionOf("rl")).toEqual(termsOf("robot localization"));
    expect(a.acronymsIn(termsOf("robot localization with lidar"))).toEqual(["rl"]);
    expect(a.acronymsIn(termsOf("deep reinforcement learning"))).toEqual([]);
  });

  test("acronymsIn finds an expansion only as consecutive words", () => {
    const a = new Acronyms();
    a.learn("Monte Carlo tree search (MCTS) in Go");
    const mcts = a.acronymsIn(termsOf("how does monte carlo tree search pick moves"));
    expect(mcts).toHaveLength(1);
    expect(a.expansionOf(mcts[0]!)).toEqual(termsOf("monte carlo tree search"));
    expect(a.acronymsIn(termsOf("tree search with monte carlo"))).toEqual([]);
  });
});

describe("similar questions match acronyms with what they stand for", () => {
  const doc = (id: string, title: string, body = ""): QuestionDoc => ({ id, title, body, tags: "", score: 0, accepted: false, answerCount: 0, duplicate: false });
  const site = (acronym?: number) => {
    const i = new QuestionsIndex(acronym === undefined ? {} : { acronym });
    i.build([
      doc("spelled", "What is the difference between artificial intelligence and machine learning?"),
      doc("rival", "What is the difference between statistics and machine learning?"),
      doc("teaches", "Where do I start?", "Artificial intelligence (AI) is a wide field; where should a beginner start?"),
      doc("robots", "Which robot kits are good for learning?"),
      doc("abbrev", "Should we fear AI?"),
      ...Array.from({ length: 20 }, (_, k) => doc(`filler${k}`, `Learning topic number ${k} for machine vision`)),
    ]);
    return i;
  };

  test("a title with the acronym finds the question that spells it out", () => {
    // "rival" shares every other word, and is the shorter title.
    const hits = site().similar({ title: "How does AI differ from machine learning? " }, { limit: 3 });
    expect(hits.map((h) => h.id).slice(0, 2)).toEqual(["spelled", "rival"]);
  });

  test("a title that spells it out finds the question using the acronym, though they share no other word", () => {
    const ids = site().similar({ title: "Is artificial intelligence dangerous? " }, { limit: 5 }).map((h) => h.id);
    expect(ids).toContain("abbrev");
  });

  test("with the weight at 0 neither way matches", () => {
    const off = site(0);
    expect(off.similar({ title: "Is artificial intelligence dangerous? " }, { limit: 10 }).map((h) => h.id)).not.toContain("abbrev");
    const hits = off.similar({ title: "How does AI differ from machine learning? " }, { limit: 3 });
    expect(hits[0]?.id).toBe("rival");
  });
});
