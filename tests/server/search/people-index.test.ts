import { describe, expect, test } from "vitest";
import { PeopleIndex, type PersonDoc } from "../../../server/search/people-index.js";

const doc = (id: string, over: Partial<PersonDoc> = {}): PersonDoc => ({
  id,
  name: `Person ${id}`,
  title: "",
  bio: "",
  department: "",
  teams: "",
  location: "",
  skillsExpert: "",
  skillsMentor: "",
  skillsLearning: "",
  departmentId: null,
  teamIds: [],
  skillNames: [],
  ...over,
});

const expert = doc("expert", {
  name: "Erin",
  skillsExpert: "kubernetes k8s terraform go aws",
  skillNames: ["kubernetes", "terraform", "go", "aws"],
  departmentId: "d-platform",
  department: "Platform",
  teamIds: ["t-ops"],
  teams: "Ops",
  location: "Berlin",
});
const mentor = doc("mentor", {
  name: "Mo",
  skillsMentor: "kubernetes k8s",
  skillNames: ["kubernetes"],
  departmentId: "d-platform",
  department: "Platform",
  teamIds: ["t-web"],
  teams: "Web",
  location: "Lisbon",
});
const learner = doc("learner", {
  name: "Lee",
  bio: "Learning kubernetes at weekends",
  skillsLearning: "kubernetes k8s",
  skillNames: ["kubernetes"],
  departmentId: "d-sales",
  department: "Sales",
  location: "berlin",
});
const other = doc("other", { name: "Una", skillsExpert: "excel", skillNames: ["excel"], departmentId: "d-sales", location: "Lisbon" });

const fresh = () => {
  const idx = new PeopleIndex();
  idx.build([learner, other, mentor, expert]);
  return idx;
};
const ids = (r: { id: string }[]) => r.map((x) => x.id);

describe("PeopleIndex", () => {
  test("build, size and has", () => {
    const idx = fresh();
    expect(idx.size).toBe(4);
    expect(idx.has("expert")).toBe(true);
    expect(idx.has("nobody")).toBe(false);
    idx.build([other]);
    expect(idx.size).toBe(1);
    expect(idx.search("kubernetes")).toEqual([]);
  });

  test("expert > mentor > learner for a skill, with decreasing scores", () => {
    const r = fresh().search("kubernetes");
    expect(ids(r)).toEqual(["expert", "mentor", "learner"]);
    expect(r[0]!.score).toBeGreaterThan(r[1]!.score);
    expect(r[1]!.score).toBeGreaterThan(r[2]!.score);
  });

  test("a synonym indexed with the skill finds the same people in the same order", () => {
    expect(ids(fresh().search("k8s"))).toEqual(["expert", "mentor", "learner"]);
  });

  test("prefix-aware and fuzzy", () => {
    const idx = fresh();
    expect(ids(idx.search("kube"))).toEqual(["expert", "mentor", "learner"]);
    expect(ids(idx.search("kubernetse"))).toEqual(["expert", "mentor", "learner"]);
    expect(ids(idx.search("terra"))).toEqual(["expert"]);
  });

  test("blank queries return nothing; overlong queries are cut, not refused", () => {
    const idx = fresh();
    expect(idx.search("")).toEqual([]);
    expect(idx.search("   ")).toEqual([]);
    expect(ids(idx.search("excel" + " ".repeat(300) + "kubernetes"))).toEqual(["other"]);
  });

  test("filters: department, team, location (any case) and skill", () => {
    const idx = fresh();
    expect(ids(idx.search("kubernetes", { departmentId: "d-platform" }))).toEqual(["expert", "mentor"]);
    expect(ids(idx.search("kubernetes", { teamId: "t-web" }))).toEqual(["mentor"]);
    expect(ids(idx.search("kubernetes", { location: "BERLIN" }))).toEqual(["expert", "learner"]);
    expect(ids(idx.search("kubernetes", { skill: "terraform" }))).toEqual(["expert"]);
    expect(idx.search("kubernetes", { departmentId: "d-sales", teamId: "t-ops" })).toEqual([]);
  });

  test("filterOnly browses without a query", () => {
    const idx = fresh();
    expect(idx.filterOnly({ departmentId: "d-sales" }).sort()).toEqual(["learner", "other"]);
    expect(idx.filterOnly({ location: "lisbon" }).sort()).toEqual(["mentor", "other"]);
    expect(idx.filterOnly({ skill: "kubernetes" }).sort()).toEqual(["expert", "learner", "mentor"]);
    expect(idx.filterOnly({}).length).toBe(4);
  });

  test("limit caps the results", () => {
    expect(fresh().search("kubernetes", {}, 2)).toHaveLength(2);
  });

  test("upsert replaces a person's document: old terms are gone, new ones found", () => {
    const idx = fresh();
    idx.upsert({ ...learner, skillsLearning: "", skillsExpert: "kubernetes k8s rust", skillNames: ["kubernetes", "rust"], bio: "" });
    expect(idx.size).toBe(4);
    expect(ids(idx.search("rust"))).toEqual(["learner"]);
    expect(idx.search("weekends")).toEqual([]);
    expect(ids(idx.search("kubernetes")).indexOf("learner")).toBeLessThan(ids(idx.search("kubernetes")).indexOf("mentor"));
    expect(idx.filterOnly({ skill: "rust" })).toEqual(["learner"]);
  });

  test("upsert adds someone new; repeated upserts do not duplicate", () => {
    const idx = fresh();
    for (let i = 0; i < 200; i++) idx.upsert(doc("new", { name: "Nadia", skillsMentor: `elixir v${i}`, skillNames: ["elixir"] }));
    expect(idx.size).toBe(5);
    expect(ids(idx.search("elixir"))).toEqual(["new"]);
    expect(ids(idx.search("nadia"))).toEqual(["new"]);
  });

  test("remove takes a person out of search and browsing; removing twice is harmless", () => {
    const idx = fresh();
    idx.remove("expert");
    idx.remove("expert");
    idx.remove("never-there");
    expect(idx.size).toBe(3);
    expect(ids(idx.search("kubernetes"))).toEqual(["mentor", "learner"]);
    expect(idx.filterOnly({ teamId: "t-ops" })).toEqual([]);
    idx.upsert(expert);
    expect(ids(idx.search("kubernetes"))).toEqual(["expert", "mentor", "learner"]);
  });

  test("many experts and a lone mentor: every expert still ranks above the mentor", () => {
    // Regression: with one field per level, BM25 rated "python" rarer in the mentor field than in
    // the expert field and put the lone mentor first.
    const idx = new PeopleIndex();
    idx.build([
      doc("m", { name: "Kwame", skillsExpert: "sql data engineering", skillsMentor: "python", skillsLearning: "terraform" }),
      doc("e1", { name: "Yuki", skillsExpert: "search relevance python", skillsMentor: "japanese", skillsLearning: "machine learning ml" }),
      doc("e2", { name: "Arjun", skillsExpert: "data engineering python sql", skillsMentor: "machine learning ml postgresql postgres" }),
      doc("e3", { name: "Sophie", skillsExpert: "machine learning ml python", skillsMentor: "sql", skillsLearning: "go golang" }),
      doc("l", { name: "Tom", skillsExpert: "troubleshooting", skillsLearning: "python" }),
      ...Array.from({ length: 20 }, (_, i) => doc(`x${i}`, { skillsExpert: "excel", bio: "spreadsheets" })),
    ]);
    const order = ids(idx.search("python"));
    expect(order.slice(0, 3).sort()).toEqual(["e1", "e2", "e3"]);
    expect(order.slice(3)).toEqual(["m", "l"]);
  });

  test("a level change by upsert is what counts, not the level held before", () => {
    const idx = new PeopleIndex();
    idx.build([doc("a", { skillsExpert: "rust" }), doc("b", { skillsMentor: "rust" })]);
    expect(ids(idx.search("rust"))).toEqual(["a", "b"]);
    idx.upsert(doc("a", { skillsLearning: "rust" }));
    expect(ids(idx.search("rust"))).toEqual(["b", "a"]);
    idx.remove("b");
    idx.upsert(doc("b", { skillsExpert: "go" }));
    expect(ids(idx.search("rust"))).toEqual(["a"]);
  });

  test("a learner mentioning the skill in their bio stays below a mentor", () => {
    const idx = new PeopleIndex();
    idx.build([
      doc("l", { skillsLearning: "rust", bio: "Learning rust. Rust every weekend, rust rust." }),
      doc("m", { skillsMentor: "rust" }),
    ]);
    expect(ids(idx.search("rust"))).toEqual(["m", "l"]);
  });

  test("a name match outranks a bio mention", () => {
    const idx = new PeopleIndex();
    idx.build([doc("a", { name: "Grace", bio: "" }), doc("b", { name: "Bob", bio: "Worked with grace on compilers" })]);
    expect(ids(idx.search("grace"))).toEqual(["a", "b"]);
  });
});
