import { describe, expect, test } from "vitest";
import { rankExperts, rankWithHistory, explain, reasonWithPresence, type DeclaredSkill, type ExpertCandidate, type HistoryVisit } from "../../../server/domain/qa-ranking.js";
import { ExpertiseIndex } from "../../../server/search/expertise-index.js";
import { QuestionsIndex, type QuestionDoc } from "../../../server/search/questions-index.js";

const NOW = new Date("2026-11-23T12:00:00Z");
const daysAgo = (d: number) => new Date(NOW.getTime() - d * 86_400_000);

describe("expert routing ranking", () => {
  const declared: DeclaredSkill[] = [
    { userId: "expert", skillId: "saml", level: "expert" },
    { userId: "mentor", skillId: "saml", level: "mentor" },
    { userId: "learner", skillId: "saml", level: "learning" },
    { userId: "asker", skillId: "saml", level: "expert" },
    { userId: "k8s", skillId: "kubernetes", level: "expert" },
  ];

  test("declared levels order expert > mentor > learner; the asker and other tags' people are left out", () => {
    const idx = new ExpertiseIndex(180);
    const ranked = rankExperts({ skillIds: ["saml"], declared, demonstrated: (s) => idx.people(s, NOW), exclude: new Set(["asker"]) });
    expect(ranked.map((c) => c.userId)).toEqual(["expert", "mentor", "learner"]);
  });

  test("demonstrated expertise lifts a colleague who never declared the skill, and it decays with age", () => {
    const idx = new ExpertiseIndex(180);
    for (let i = 0; i < 12; i++) idx.record("answerer", ["saml"], "accepted", daysAgo(10));
    for (let i = 0; i < 12; i++) idx.record("oldtimer", ["saml"], "accepted", daysAgo(900));
    const ranked = rankExperts({ skillIds: ["saml"], declared, demonstrated: (s) => idx.people(s, NOW), exclude: new Set(["asker"]) });
    const ids = ranked.map((c) => c.userId);
    expect(ids[0]).toBe("answerer"); // 12 recent accepted answers beat a declared "expert"
    expect(ids.indexOf("oldtimer")).toBeGreaterThan(ids.indexOf("mentor")); // five half-lives later, little is left
    expect(explain(ranked[0]!, (id) => id)).toBe("12 accepted answers on saml");
  });

  test("several tags add up; `within` restricts to a department; online people get a nudge", () => {
    const idx = new ExpertiseIndex(180);
    const both: DeclaredSkill[] = [...declared, { userId: "mentor", skillId: "kubernetes", level: "mentor" }];
    const ranked = rankExperts({ skillIds: ["saml", "kubernetes"], declared: both, demonstrated: (s) => idx.people(s, NOW) });
    expect(ranked[0]!.userId).toBe("mentor"); // 2.5 + 2.5 > 4
    const within = rankExperts({ skillIds: ["saml"], declared, demonstrated: () => [], within: new Set(["learner", "mentor"]) });
    expect(within.map((c) => c.userId)).toEqual(["mentor", "learner"]);
    const online = rankExperts({ skillIds: ["saml"], declared: declared.filter((d) => d.level !== "expert"), demonstrated: () => [], isOnline: (id) => id === "learner" });
    expect(online.map((c) => c.userId)).toEqual(["mentor", "learner"]); // a nudge, not a leap
    expect(online[1]!.online).toBe(true);
  });
});

describe("expertise index", () => {
  test("a half-life halves a contribution; retracting returns to nothing", () => {
    const idx = new ExpertiseIndex(180);
    idx.record("a", ["t"], "accepted", NOW);
    idx.record("b", ["t"], "accepted", daysAgo(180));
    expect(idx.score("t", "a", NOW)).toBeCloseTo(3, 6);
    expect(idx.score("t", "b", NOW)).toBeCloseTo(1.5, 6);
    idx.record("a", ["t"], "upvote", NOW, 1, 4);
    expect(idx.cell("t", "a")).toMatchObject({ accepted: 1, upvotes: 4 });
    idx.record("a", ["t"], "upvote", NOW, -1, 4);
    idx.record("a", ["t"], "accepted", NOW, -1);
    expect(idx.cell("t", "a")).toBeUndefined();
    expect(idx.score("t", "a", NOW)).toBe(0);
  });

  test("a directory query naming a tag (or its synonym) boosts the people who answered on it", () => {
    const idx = new ExpertiseIndex(180);
    idx.setNames([["kubernetes", "k"], ["k8s", "k"], ["single sign-on", "sso"]]);
    idx.record("ana", ["k"], "accepted", NOW);
    idx.record("sam", ["sso"], "accepted", NOW);
    expect(idx.boostFor("k8s", NOW)?.get("ana")).toBeGreaterThan(1);
    expect(idx.boostFor("single sign-on", NOW)?.has("sam")).toBe(true);
    expect(idx.boostFor("marketing", NOW)).toBeUndefined();
  });
});

describe("similar questions", () => {
  const doc = (id: string, title: string, over: Partial<QuestionDoc> = {}): QuestionDoc => ({
    id,
    title,
    body: "",
    tags: "",
    score: 0,
    accepted: false,
    answerCount: 0,
    duplicate: false,
    ...over,
  });
  const index = () => {
    const i = new QuestionsIndex();
    i.build([
      doc("saml-okta", "Configure SAML single sign-on with Okta", { tags: "saml okta" }),
      doc("saml-sig", "SAML assertion signature is invalid", { tags: "saml", body: "The IdP signs the response with SHA-1" }),
      doc("pods", "Kubernetes pods restart in a crash loop", { tags: "kubernetes k8s" }),
      doc("vpn", "VPN drops every hour", { tags: "network" }),
      doc("expense", "How do I file an expense report?", { tags: "finance" }),
    ]);
    return i;
  };

  // A site where a few words are in most questions, as "language" and "graph" are on a CS site.
  const site = () => {
    const docs: QuestionDoc[] = [];
    for (let i = 0; i < 1_500; i++) {
      const topic = ["regular", "context free", "turing", "graph"][i % 4]!;
      docs.push(doc(`q${i}`, `Is this ${topic} language decidable, variant ${i}`, { body: `A proof by induction, case ${i}.` }));
    }
    docs.push(doc("cf", "Is this language Context-Free?", { body: "Given the language of balanced strings." }));
    const i = new QuestionsIndex();
    i.build(docs);
    return i;
  };

  test("words common on the site still count (weighted by rarity, not dropped): an exact title is found first", () => {
    expect(site().similar({ title: "Is this language Context-Free? " })[0]!.id).toBe("cf");
    expect(site().similar({ title: "is this language context free", body: "balanced strings" })[0]!.id).toBe("cf");
  });

  test("a question sharing two content words is always suggested, even when both words are in most questions", () => {
    const hits = site().similar({ title: "graph language " }, { limit: 50 });
    expect(hits.length).toBeGreaterThan(0);
    expect(hits.every((h) => /^q\d+$/.test(h.id) && Number(h.id.slice(1)) % 4 === 3)).toBe(true);
  });

  test("a word in every title is weighed as common in bodies too: one IDF per word, not per field", () => {
    // "language" is in every title but only one body: that body match must not outweigh "graph".
    const docs: QuestionDoc[] = [];
    for (let i = 0; i < 1_500; i++) {
      const topic = ["regular", "context free", "turing", "graph"][i % 4]!;
      docs.push(doc(`q${i}`, `Is this ${topic} language decidable, variant ${i}`, { body: i < 12 ? "A proof by induction." : `Case ${i}.` }));
    }
    docs.push(doc("cf", "Is this language Context-Free?", { body: "Given the language of balanced strings, the language of its prefixes, is the language decidable?" }));
    const i = new QuestionsIndex();
    i.build(docs);
    const hits = i.similar({ title: "graph language ", body: "A graph language proof." }, { limit: 20 });
    expect(hits.length).toBeGreaterThan(0);
    expect(hits.every((h) => /^q\d+$/.test(h.id) && Number(h.id.slice(1)) % 4 === 3)).toBe(true);
  });

  test("words match across endings (stemming): plural, -ing and -ed forms", () => {
    const i = index();
    expect(i.similar({ title: "configuring signatures " })[0]!.id).toBe("saml-sig");
    expect(i.similar({ title: "restarting pod crashes " })[0]!.id).toBe("pods");
  });

  test("the telling words decide: a long question sharing many of the query's common words does not outrank one sharing its rare ones", () => {
    const common = "office network laptop browser screen update calendar meeting printer email account password";
    const docs: QuestionDoc[] = [];
    // Everyday words, each in half of the site's questions.
    for (let i = 0; i < 20; i++) docs.push(doc(`f${i}`, `Facilities request ${i}`, { body: i % 2 ? common : "" }));
    docs.push(doc("telling", "SAML signature rejected by the IdP"));
    docs.push(doc("chatty", "Weekly notes", { body: `${common} ${common}` }));
    const i = new QuestionsIndex();
    i.build(docs);
    const hits = i.similar({ title: "SAML signature invalid", body: `After the update: ${common}.` }).map((h) => h.id);
    expect(hits[0]).toBe("telling");
  });

  test("guessed completions of the word being typed lift matches but never count as a shared word", () => {
    const i = new QuestionsIndex();
    i.build([
      doc("one", "printer offline after update", {}),
      doc("both", "printer queue stuck", {}),
      doc("prefix", "queue monitoring dashboard", {}),
    ]);
    // Four typed words: a match must share two of them. "dashb" would complete to "dashboard",
    // which must not make "prefix" (sharing only "queue") a match.
    const hits = i.similar({ title: "printer queue jammed overnight dashb" }).map((h) => h.id);
    expect(hits).toContain("both");
    expect(hits).not.toContain("prefix");
    // Finished, the word counts.
    expect(i.similar({ title: "printer queue jammed overnight dashboard " }).map((h) => h.id)).toContain("prefix");
  });

  test("the question that shares the most words comes first; unrelated ones are not suggested", () => {
    const hits = index().similar({ title: "SAML single sign-on with Okta fails" });
    expect(hits[0]!.id).toBe("saml-okta");
    expect(hits.map((h) => h.id)).not.toContain("vpn");
    expect(hits.map((h) => h.id)).not.toContain("expense");
  });

  test("the word being typed matches as a prefix; body words and tags count; stop words alone find nothing", () => {
    const i = index();
    expect(i.similar({ title: "pods kubern" })[0]!.id).toBe("pods");
    expect(i.similar({ title: "SAML login problem" }).map((h) => h.id).sort()).toEqual(["saml-okta", "saml-sig"]);
    // A shared tag lifts a match: the Okta question is tagged okta.
    expect(i.similar({ title: "SAML login problem", tags: ["okta"] })[0]!.id).toBe("saml-okta");
    expect(i.similar({ title: "response", body: "identity provider uses SHA-1 for the response signature" })[0]!.id).toBe("saml-sig");
    expect(i.similar({ title: "how do I do it with the" })).toEqual([]);
  });

  test("among equally similar questions, accepted and well-voted ones rise and duplicates sink", async () => {
    const i = new QuestionsIndex();
    i.build([
      doc("plain", "Reset a forgotten VPN password"),
      doc("voted", "Reset a forgotten VPN password", { score: 12, accepted: true, answerCount: 2 }),
      doc("dup", "Reset a forgotten VPN password", { duplicate: true }),
    ]);
    expect(i.similar({ title: "forgotten VPN password reset" }).map((h) => h.id)).toEqual(["voted", "plain", "dup"]);
    i.updateSignals("plain", { score: 50, accepted: true });
    expect(i.similar({ title: "forgotten VPN password reset" })[0]!.id).toBe("plain");
    expect(i.similar({ title: "forgotten VPN password reset" }, { exclude: "plain" })[0]!.id).toBe("voted");
    await i.remove("voted");
    expect(i.similar({ title: "forgotten VPN password reset" }).map((h) => h.id)).toEqual(["plain", "dup"]);
  });
});

describe("directory ranking with demonstrated expertise", () => {
  test("a boost re-ranks people who match; boosted people who match no word follow; no boost, no change", async () => {
    const { PeopleIndex } = await import("../../../server/search/people-index.js");
    const person = (id: string, over: Partial<import("../../../server/search/people-index.js").PersonDoc> = {}) => ({
      id, name: id, title: "", bio: "", department: "", teams: "", location: "", skillsExpert: "", skillsMentor: "", skillsLearning: "",
      departmentId: null, teamIds: [], skillNames: [], ...over,
    });
    const idx = new PeopleIndex();
    idx.build([person("mentor", { skillsMentor: "saml" }), person("learner", { skillsLearning: "saml" }), person("quiet")]);
    expect(idx.search("saml").map((r) => r.id)).toEqual(["mentor", "learner"]);
    const boost = new Map([["learner", 8], ["quiet", 2]]);
    expect(idx.search("saml", {}, 50, boost).map((r) => r.id)).toEqual(["learner", "mentor", "quiet"]);
  });
});

describe("tag expertise and answer history added together", () => {
  const declared: DeclaredSkill[] = [
    { userId: "expert", skillId: "saml", level: "expert" },
    { userId: "mentor", skillId: "saml", level: "mentor" },
    { userId: "learner", skillId: "saml", level: "learning" },
    { userId: "asker", skillId: "saml", level: "expert" },
  ];
  const idx = new ExpertiseIndex(180);
  const input = { skillIds: ["saml"], declared, demonstrated: (s: string) => idx.people(s, NOW), exclude: new Set(["asker"]) };
  /** A history that reports these people (as AnswererIndex.each would: unordered, the asker already left out). */
  const history =
    (rows: [string, number, number][]) =>
    (visit: HistoryVisit): void => {
      for (const [id, score, text] of rows) visit(id, score, text);
    };

  test("each person's two scores are summed before anyone is cut; the evidence explains the tagged, the rest answered similar questions", () => {
    // The learner is last by tags (0.5) and the historian has no tag, yet both rise with their history.
    const h = history([["learner", 3.8, 0.9], ["historian", 3, 0.7], ["weak", 0.4, 0.2], ["mentor", 0, 0]]);
    const ranked = rankWithHistory(input, h, 3);
    expect(ranked.map((c) => [c.userId, c.score])).toEqual([["learner", 4.3], ["expert", 4], ["historian", 3]]);
    expect(ranked[0]).toMatchObject({ evidence: [{ skillId: "saml", level: "learning" }], online: false });
    expect(ranked[0]!.answeredSimilar).toBeUndefined();
    expect(ranked[2]).toEqual({ userId: "historian", score: 3, evidence: [], online: false, answeredSimilar: true });
    const all = rankWithHistory(input, h, Infinity);
    expect(all.map((c) => [c.userId, c.score])).toEqual([["learner", 4.3], ["expert", 4], ["historian", 3], ["mentor", 2.5], ["weak", 0.4]]);
    expect(all[4]).toMatchObject({ answeredSimilar: false, evidence: [] });
    // Every cut is the start of the full order.
    for (const k of [1, 2, 4, 5, 6]) expect(rankWithHistory(input, h, k)).toEqual(all.slice(0, k));
  });

  test("a history score of zero or less adds nothing and reaches no one alone; the excluded and those outside `within` stay out", () => {
    const h = history([["mentor", -1, 0], ["nobody", 0, 0], ["negative", -2, 0], ["asker", 9, 1], ["outsider", 5, 1], ["insider", 1, 0.1]]);
    expect(rankWithHistory(input, h, Infinity).map((c) => [c.userId, c.score])).toEqual([["outsider", 5], ["expert", 4], ["mentor", 2.5], ["insider", 1], ["learner", 0.5]]);
    const within = rankWithHistory({ ...input, within: new Set(["mentor", "insider", "learner"]) }, h, Infinity);
    expect(within.map((c) => [c.userId, c.score])).toEqual([["mentor", 2.5], ["insider", 1], ["learner", 0.5]]);
  });

  test("equal sums go by id; online people keep their nudge and say so", () => {
    const h = history([["mentor", 1.5, 0], ["zed", 4, 0.5], ["abe", 4, 0.5]]);
    const ranked = rankWithHistory({ ...input, isOnline: (id) => id === "learner" }, h, 4);
    expect(ranked.map((c) => [c.userId, c.score])).toEqual([["abe", 4], ["expert", 4], ["mentor", 4], ["zed", 4]]);
    expect(ranked[3]!.answeredSimilar).toBe(true); // a text match of one half is enough
    expect(rankWithHistory(input, h, 2).map((c) => c.userId)).toEqual(["abe", "expert"]);
    const online = rankWithHistory({ ...input, isOnline: (id) => id === "learner" }, h, Infinity).find((c) => c.userId === "learner")!;
    expect(online).toMatchObject({ score: 1, online: true });
    expect(explain(online, (id) => id)).toBe("learning saml · online now");
  });
});

describe("the ranking's edges", () => {
  type Row = [string, number, { accepted: number; upvotes: number }];
  const counts = (accepted: number, upvotes = 0) => ({ accepted, upvotes });

  test("equal scores: more tag signals first, then by id whatever order they were found in", () => {
    // 2.5 + 0.5 × 3 is exactly 4, an expert's one declaration: the four signals rank first.
    const spread: DeclaredSkill[] = [
      { userId: "aa", skillId: "saml", level: "expert" },
      { userId: "zz", skillId: "saml", level: "mentor" },
      ...["oidc", "scim", "ldap"].map((skillId) => ({ userId: "zz", skillId, level: "learning" as const })),
    ];
    const ranked = rankExperts({ skillIds: ["saml", "oidc", "scim", "ldap"], declared: spread, demonstrated: () => [] });
    expect(ranked.map((c) => [c.userId, c.score])).toEqual([["zz", 4], ["aa", 4]]);
    const ids = ["bea", "abe", "cy"];
    for (const order of [ids, [...ids].reverse(), ["abe", "bea", "cy"], ["cy", "bea", "abe"]]) {
      const declared = order.map((userId) => ({ userId, skillId: "saml", level: "mentor" as const }));
      expect(rankExperts({ skillIds: ["saml"], declared, demonstrated: () => [] }).map((c) => c.userId)).toEqual(["abe", "bea", "cy"]);
    }
  });

  test("a limit keeps the best that many; without one, everyone", () => {
    const declared: DeclaredSkill[] = [
      { userId: "learner", skillId: "saml", level: "learning" },
      { userId: "expert", skillId: "saml", level: "expert" },
      { userId: "mentor", skillId: "saml", level: "mentor" },
    ];
    const input = { skillIds: ["saml"], declared, demonstrated: () => [] };
    expect(rankExperts({ ...input, limit: 2 }).map((c) => c.userId)).toEqual(["expert", "mentor"]);
    expect(rankExperts(input).map((c) => c.userId)).toEqual(["expert", "mentor", "learner"]);
  });

  test("demonstrated scores of zero or less count for nothing, not even as a signal, and the excluded stay out", () => {
    const declared: DeclaredSkill[] = [
      { userId: "aa", skillId: "saml", level: "expert" },
      { userId: "zz", skillId: "saml", level: "expert" },
    ];
    const rows: Record<string, Row[]> = {
      saml: [["zz", 0, counts(2)], ["aa", -0.5, counts(1)], ["nil", 0, counts(0)], ["asker", 5, counts(3)]],
      oidc: [["zz", 0, counts(4)]],
    };
    const ranked = rankExperts({ skillIds: ["saml", "oidc"], declared, demonstrated: (s) => rows[s] ?? [], exclude: new Set(["asker"]) });
    // A zero would be a second signal lifting zz past aa; a negative one would lower aa.
    expect(ranked).toEqual([
      { userId: "aa", score: 4, online: false, evidence: [{ skillId: "saml", level: "expert", demonstrated: 0, accepted: 0, upvotes: 0 }] },
      { userId: "zz", score: 4, online: false, evidence: [{ skillId: "saml", level: "expert", demonstrated: 0, accepted: 0, upvotes: 0 }] },
    ]);
  });

  test("evidence joins a declared level and demonstrated answers on the same tag, for the chosen only", () => {
    const declared: DeclaredSkill[] = [{ userId: "mentor", skillId: "saml", level: "mentor" }];
    const rows: Row[] = [["mentor", 2, counts(3, 7)], ["answerer", 0.5, counts(1)], ["asker", 9, counts(9)]];
    const ranked = rankExperts({ skillIds: ["saml"], declared, demonstrated: () => rows, exclude: new Set(["asker"]), limit: 1 });
    expect(ranked).toEqual([{ userId: "mentor", score: 2.5 + 1.5 * Math.log1p(2), online: false, evidence: [{ skillId: "saml", level: "mentor", demonstrated: 2, accepted: 3, upvotes: 7 }] }]);
    expect(explain(ranked[0]!, (id) => id.toUpperCase())).toBe("can mentor SAML · 3 accepted answers on SAML");
  });

  test("reasons in words: one accepted answer or upvote in the singular, upvotes only without accepted answers, a text match", () => {
    const person = (evidence: ExpertCandidate["evidence"], more: Partial<ExpertCandidate> = {}): ExpertCandidate => ({ userId: "p", score: 1, online: false, evidence, ...more });
    const ev = (skillId: string, accepted: number, upvotes: number) => ({ skillId, level: null, demonstrated: 1, accepted, upvotes });
    const name = (id: string) => id;
    expect(explain(person([ev("saml", 1, 0)]), name)).toBe("1 accepted answer on saml");
    expect(explain(person([ev("saml", 0, 1), ev("oidc", 0, 4)]), name)).toBe("1 upvote on saml answers · 4 upvotes on oidc answers");
    expect(explain(person([ev("saml", 2, 5)]), name)).toBe("2 accepted answers on saml");
    expect(explain(person([ev("saml", 0, 0)]), name)).toBe("");
    expect(explain(person([], { answeredSimilar: true, online: true }), name)).toBe("answered similar questions · online now");
    expect(explain(person([], { answeredSimilar: false }), name)).toBe("");
  });
});

describe("routed-to reasons", () => {
  test("'online now' follows presence, whatever was stored at routing time", () => {
    expect(reasonWithPresence("ask me about saml · online now", false)).toBe("ask me about saml");
    expect(reasonWithPresence("ask me about saml", true)).toBe("ask me about saml · online now");
    expect(reasonWithPresence("ask me about saml · online now", true)).toBe("ask me about saml · online now");
    expect(reasonWithPresence("ask me about saml · online now · 2 accepted answers on saml", false)).toBe("ask me about saml · 2 accepted answers on saml");
    expect(reasonWithPresence("ask me about saml · can mentor oidc", false)).toBe("ask me about saml · can mentor oidc");
    expect(reasonWithPresence("online now", false)).toBe("");
    expect(reasonWithPresence("", false)).toBe("");
    expect(reasonWithPresence("", true)).toBe("online now");
  });
});
