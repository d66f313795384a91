import { describe, expect, it } from "vitest";
import { highlight } from "../../../server/search/highlight.js";
import { MAX_QUERY_CHARS, MAX_QUERY_TERMS, parseQuery } from "../../../server/search/query.js";
import { inScoreOrder, UnifiedIndex, type Ranked, type Reader, type SearchEntry } from "../../../server/search/unified-index.js";

const NOW = Date.parse("2026-11-23T12:00:00Z");
const DAY = 86_400_000;

const member = (id: string, departmentId: string | null = "eng", teamIds: string[] = []): Reader => ({
  actor: { id, role: "member", departmentId, active: true },
  teamIds,
});

function doc(id: string, title: string, over: Omit<Partial<SearchEntry>, "access"> & { access?: Partial<NonNullable<SearchEntry["access"]>> } = {}): SearchEntry {
  return {
    type: "doc",
    id,
    title,
    body: over.body ?? "",
    subtitle: "Space",
    tags: [],
    departmentIds: ["eng"],
    date: NOW - DAY,
    url: `/docs/${id}`,
    ...over,
    access: { ownerId: "owner", visibility: "company", departmentId: "eng", audienceRole: "editor", shares: [], ...over.access },
  };
}

function entry(type: SearchEntry["type"], id: string, title: string, over: Partial<SearchEntry> = {}): SearchEntry {
  return { type, id, title, body: "", subtitle: "", tags: [], departmentIds: [], date: NOW - DAY, url: `/${type}/${id}`, authorId: "someone", ...over };
}

const ids = (idx: UnifiedIndex, reader: Reader, q: string, f = {}) => idx.search(reader, parseQuery(q), f).hits.map((h) => h.meta.id);

describe("UnifiedIndex ranking", () => {
  it("boosts titles and names over body mentions, finds prefixes and typos", () => {
    const idx = new UnifiedIndex(() => NOW);
    idx.build([
      entry("person", "priya", "Priya Raman", { body: "Identity engineer", tags: ["SAML"] }),
      doc("d1", "Lunch menu", { body: "Priya said the kubernetes cluster is fine" }),
      doc("d2", "Kubernetes upgrade runbook", { body: "Steps for the cluster" }),
    ]);
    const r = member("reader");
    expect(ids(idx, r, "priya")).toEqual(["priya", "d1"]);
    expect(ids(idx, r, "kubernetes")[0]).toBe("d2");
    expect(ids(idx, r, "kube")).toContain("d2"); // prefix
    expect(ids(idx, r, "kubernets")).toContain("d2"); // one typo
    expect(ids(idx, r, "saml")).toEqual(["priya"]); // tags
  });

  it("people holding a skill rank by level, as in the directory: expert, mentor, learner", () => {
    const idx = new UnifiedIndex(() => NOW);
    const person = (id: string, level: "expert" | "mentor" | "learning", bio = "") =>
      entry("person", id, `Person ${id}`, { tags: ["SAML"], body: bio, skillLevels: { SAML: level } });
    // The learner also mentions SAML in the bio: more words matched, still last.
    idx.build([person("learner", "learning", "Currently learning the SAML side of SSO"), person("expert", "expert"), person("mentor", "mentor")]);
    expect(ids(idx, member("r"), "saml")).toEqual(["expert", "mentor", "learner"]);
  });

  it("favours accepted, well-voted and recent items among equal matches", () => {
    const idx = new UnifiedIndex(() => NOW);
    idx.build([
      entry("question", "plain", "Rotate the signing certificate", { signals: { score: 0, answerCount: 0 } }),
      entry("question", "good", "Rotate the signing certificate", { signals: { score: 12, accepted: true, answerCount: 3 } }),
    ]);
    expect(ids(idx, member("r"), "signing certificate")).toEqual(["good", "plain"]);
    const fresh = new UnifiedIndex(() => NOW);
    fresh.build([doc("old", "Expense policy", { date: NOW - 900 * DAY }), doc("new", "Expense policy", { date: NOW - DAY })]);
    expect(ids(fresh, member("r"), "expense policy")).toEqual(["new", "old"]);
  });

  it("requires every word, and relaxes to any word only when nothing has all of them", () => {
    const idx = new UnifiedIndex(() => NOW);
    idx.build([doc("a", "Billing runbook"), doc("b", "Billing FAQ"), doc("c", "Deploy runbook")]);
    const both = idx.search(member("r"), parseQuery("billing runbook"));
    expect(both.hits.map((h) => h.meta.id)).toEqual(["a"]);
    expect(both.relaxed).toBe(false);
    const any = idx.search(member("r"), parseQuery("billing zzzunknown"));
    expect(any.relaxed).toBe(true);
    expect(any.hits.map((h) => h.meta.id).sort()).toEqual(["a", "b"]);
  });

  it("filters by type, department, tag and date; counts per type ignore the type filter", () => {
    const idx = new UnifiedIndex(() => NOW);
    idx.build([
      entry("person", "p1", "Ada Lovelace", { tags: ["Python"], departmentIds: ["eng"], body: "python" }),
      entry("question", "q1", "Python packaging", { tags: ["Python"], departmentIds: ["sales"], date: NOW - 40 * DAY }),
      doc("d1", "Python style guide", { departmentIds: ["eng"], date: NOW - 2 * DAY }),
    ]);
    const r = member("r");
    const all = idx.search(r, parseQuery("python"), { type: "doc" });
    expect(all.hits.map((h) => h.meta.id)).toEqual(["d1"]);
    expect(all.byType).toMatchObject({ person: 1, doc: 1, question: 1 });
    expect(all.total).toBe(1);
    expect(ids(idx, r, "python", { departmentId: "sales" })).toEqual(["q1"]);
    expect(ids(idx, r, "python", { tag: "python" }).sort()).toEqual(["p1", "q1"]);
    expect(ids(idx, r, "python", { from: NOW - 10 * DAY }).sort()).toEqual(["d1", "p1"]);
    expect(ids(idx, r, "python", { to: NOW - 30 * DAY })).toEqual(["q1"]);
    expect(all.tags).toEqual([{ name: "Python", count: 2 }]);
  });

  it("stays current: upsert replaces words, patch changes rank, remove forgets", () => {
    const idx = new UnifiedIndex(() => NOW);
    idx.build([doc("d", "Old title")]);
    idx.upsert(doc("d", "Zeppelin handbook"));
    expect(ids(idx, member("r"), "old")).toEqual([]);
    expect(ids(idx, member("r"), "zeppelin")).toEqual(["d"]);
    idx.remove("doc", "d");
    expect(ids(idx, member("r"), "zeppelin")).toEqual([]);
    expect(idx.size).toBe(0);
  });
});

describe("UnifiedIndex permissions (the policy's doc.read rule)", () => {
  const build = () => {
    const idx = new UnifiedIndex(() => NOW);
    idx.build([
      doc("secret", "Acquisition plan Falcon", { body: "Falcon falcon", access: { ownerId: "olga", visibility: "private" } }),
      doc("shared", "Falcon budget", { access: { ownerId: "olga", visibility: "private", shares: [{ principalType: "user", principalId: "sam", role: "viewer" }] } }),
      doc("teamdoc", "Falcon team notes", { access: { ownerId: "olga", visibility: "private", shares: [{ principalType: "team", principalId: "t-red", role: "viewer" }] } }),
      doc("dept", "Falcon sales pitch", { access: { ownerId: "olga", visibility: "department", departmentId: "sales" } }),
      doc("open", "Falcon FAQ", { access: { ownerId: "olga", visibility: "company" } }),
    ]);
    return idx;
  };

  it("a private document whose title matches is not returned, counted or suggested for another member", () => {
    const idx = build();
    const other = member("mia", "eng");
    const out = idx.search(other, parseQuery("falcon"));
    expect(out.hits.map((h) => h.meta.id)).toEqual(["open"]);
    expect(out.total).toBe(1);
    expect(out.byType.doc).toBe(1);
    expect(idx.suggest(other, parseQuery("falc")).map((h) => h.meta.id)).toEqual(["open"]);
    expect(idx.search(other, parseQuery("acquisition")).total).toBe(0);
    expect(idx.suggest(other, parseQuery("acquisition"))).toEqual([]);
  });

  it("the owner, a sharee, a team sharee and the department see what they may open", () => {
    const idx = build();
    expect(ids(idx, member("olga"), "acquisition")).toEqual(["secret"]);
    expect(ids(idx, member("sam", "eng"), "falcon").sort()).toEqual(["open", "shared"]);
    expect(ids(idx, member("tom", "eng", ["t-red"]), "falcon").sort()).toEqual(["open", "teamdoc"]);
    expect(ids(idx, member("sal", "sales"), "falcon").sort()).toEqual(["dept", "open"]);
  });

  it("admins get nothing extra on private documents; a deactivated reader sees nothing", () => {
    const idx = build();
    const admin: Reader = { actor: { id: "root", role: "admin", departmentId: null, active: true }, teamIds: [] };
    expect(ids(idx, admin, "acquisition")).toEqual([]);
    const gone: Reader = { actor: { id: "olga", role: "member", departmentId: "eng", active: false }, teamIds: [] };
    expect(idx.search(gone, parseQuery("falcon")).total).toBe(0);
  });

  it("access changes apply at once (patch)", () => {
    const idx = build();
    idx.patch("doc", "secret", { access: { ownerId: "olga", visibility: "company", departmentId: "eng", audienceRole: "viewer", shares: [] } });
    expect(ids(idx, member("mia"), "acquisition")).toEqual(["secret"]);
  });
});

describe("bad input", () => {
  const idx = new UnifiedIndex(() => NOW);
  idx.build([doc("d", "C++ build flags (CMake)", { body: "Use -O2: \"fast\" AND safe" }), entry("person", "z", "Zoë Ångström")]);
  const r = member("r");

  it("empty, blank and punctuation-only queries return nothing, quickly", () => {
    for (const q of ["", "   ", "***", '"', "()", ":-", "AND OR NOT", "a"]) {
      const out = idx.search(r, parseQuery(q));
      expect(out.total, q).toBe(0);
      expect(parseQuery(q).terms, q).toEqual([]);
    }
  });

  it("operator-looking input is read as plain words", () => {
    expect(ids(idx, r, "cmake AND flags")).toEqual(["d"]);
    expect(ids(idx, r, '"build flags"')).toEqual(["d"]);
    expect(ids(idx, r, "-O2 (cmake)")).toEqual(["d"]);
    expect(ids(idx, r, "title:cmake")).toEqual(["d"]);
    expect(ids(idx, r, "c++")).toEqual(["d"]);
    expect(ids(idx, r, "NOT cmake")).toEqual(["d"]);
  });

  it("unicode: accents fold both ways; emoji and other scripts do not crash", () => {
    expect(ids(idx, r, "zoe")).toEqual(["z"]);
    expect(ids(idx, r, "ÅNGSTRÖM")).toEqual(["z"]);
    expect(() => idx.search(r, parseQuery("🚀🔥 名前 \u0000 \uFFFF"))).not.toThrow();
  });

  it("very long queries are cut to the cap and to a bounded number of words", () => {
    const long = parseQuery("cmake ".repeat(500));
    expect(long.text.length).toBeLessThanOrEqual(MAX_QUERY_CHARS);
    expect(long.truncated).toBe(true);
    expect(long.terms).toEqual(["cmake"]);
    const many = parseQuery(Array.from({ length: 30 }, (_, i) => `word${i}`).join(" "));
    expect(many.terms).toHaveLength(MAX_QUERY_TERMS);
    expect(many.truncated).toBe(true);
    expect(idx.search(r, parseQuery("x".repeat(100_000))).total).toBe(0);
  });
});

describe("highlight", () => {
  it("marks matching words (prefixes too) and returns text, not HTML", () => {
    const segs = highlight("Read <script>alert(1)</script> before the Kubernetes upgrade", ["kube"]);
    expect(segs.filter((s) => s.mark).map((s) => s.text)).toEqual(["Kubernetes"]);
    expect(segs.map((s) => s.text).join("")).toContain("<script>alert(1)</script>");
  });

  it("cuts a window around the first match in long text", () => {
    const text = `${"filler ".repeat(200)}the zeppelin arrives ${"more ".repeat(200)}`;
    const segs = highlight(text, ["zeppelin"]);
    const joined = segs.map((s) => s.text).join("");
    expect(joined.startsWith("…")).toBe(true);
    expect(joined.length).toBeLessThan(200);
    expect(segs.some((s) => s.mark && s.text === "zeppelin")).toBe(true);
  });
});

describe("incremental build at start (decision 061)", () => {
  it("events during the build win over the pages read before them", () => {
    const idx = new UnifiedIndex(() => NOW);
    idx.beginBuild(3);
    expect(idx.ready).toBe(false);
    idx.addBatch([doc("a", "Alpha walrus")]);
    expect(ids(idx, member("r"), "walrus")).toEqual(["a"]); // searchable while building
    // While building, "b" is trashed and "c" is retitled; the stale page arrives afterwards.
    idx.remove("doc", "b");
    idx.upsert(doc("c", "Gamma narwhal"));
    idx.addBatch([doc("b", "Beta walrus"), doc("c", "Gamma walrus")]);
    idx.endBuild();
    expect(idx.ready).toBe(true);
    expect(ids(idx, member("r"), "walrus")).toEqual(["a"]);
    expect(ids(idx, member("r"), "narwhal")).toEqual(["c"]);
    expect(idx.progress).toEqual({ done: 3, total: 3 });
  });
});

describe("lean query executor (decision 060, query speed)", () => {
  const corpus = () => {
    const idx = new UnifiedIndex(() => NOW);
    idx.build([
      doc("d1", "Kubernetes upgrade runbook"),
      doc("d2", "Kubernetes upgrades planned"),
      doc("d3", "Terraform modules"),
      doc("secret", "Kubernetes upgrade secrets", { access: { visibility: "private", ownerId: "owner" } }),
    ]);
    return idx;
  };

  it("expands only the last word as a prefix (earlier words are whole), or a word the index does not know", () => {
    const idx = corpus();
    const r = member("reader");
    // "upgrade" is a whole word in the index: as an earlier word it does not also match "upgrades".
    expect(ids(idx, r, "upgrade kubernetes")).toEqual(["d1"]);
    // As the last word it is still being typed: "upgrades" matches too.
    expect(ids(idx, r, "kubernetes upgrade").sort()).toEqual(["d1", "d2"]);
    // "kube" is not a word of the index: it is read as a prefix wherever it stands.
    expect(ids(idx, r, "kube runbook")).toEqual(["d1"]);
  });

  it("typos: one edit first; two edits only for long words when one edit finds nothing", () => {
    const idx = corpus();
    const r = member("reader");
    expect(ids(idx, r, "terrafrom")).toContain("d3"); // a swap is two edits; 9 letters allow two
    expect(ids(idx, r, "terrafor")).toContain("d3"); // prefix
    expect(ids(idx, r, "terafform")).toContain("d3"); // 9 letters, two edits
    expect(ids(idx, r, "modles")).toContain("d3"); // 6 letters, one edit
    expect(ids(idx, r, "mdles")).toEqual([]); // 5 letters, two edits: not tried
  });

  it("highlight terms are the index words each shown entry matched, never those of an unreadable one", () => {
    const idx = corpus();
    const out = idx.search(member("reader"), parseQuery("kubernetes upgrade"));
    expect(out.hits.map((h) => h.meta.id).sort()).toEqual(["d1", "d2"]);
    expect(out.total).toBe(2);
    expect(out.byType.doc).toBe(2);
    const d2 = out.hits.find((h) => h.meta.id === "d2")!;
    expect(d2.terms.sort()).toEqual(["kubernetes", "upgrades"]);
    const own = idx.search(member("owner"), parseQuery("secrets"));
    expect(own.hits.map((h) => h.meta.id)).toEqual(["secret"]);
    expect(idx.search(member("reader"), parseQuery("secrets")).total).toBe(0);
  });

  it("a snapshot loaded back answers as the index it was taken from", async () => {
    const idx = corpus();
    const loaded = await UnifiedIndex.fromJSON(JSON.stringify(idx.toJSON()), () => NOW);
    const r = member("reader");
    for (const q of ["kubernetes upgrade", "kube", "terafform", "secrets"]) expect(ids(loaded, r, q)).toEqual(ids(idx, r, q));
  });
});

describe("count cap (decision 060: counts stop at 1,000 readable matches)", () => {
  // Cap 5 for the test: 8 readable "walrus" documents, and private ones ranked above them.
  const capped = () => {
    const idx = new UnifiedIndex(() => NOW, 5);
    idx.build([
      ...Array.from({ length: 4 }, (_, i) => doc(`p${i}`, "Walrus walrus walrus", { access: { visibility: "private", ownerId: "owner" } })),
      ...Array.from({ length: 8 }, (_, i) => doc(`d${i}`, `Walrus note ${i}`, { tags: ["Arctic"] })),
      entry("person", "wally", "Wally Walrus"),
    ]);
    return idx;
  };

  it("counts the best readable matches up to the cap, says so, and still pages through the rest", () => {
    const idx = capped();
    const r = member("reader");
    const first = idx.search(r, parseQuery("walrus"), {}, { limit: 4 });
    expect(first.capped).toBe(true);
    expect(Object.values(first.byType).reduce((a, b) => a + b, 0)).toBe(5);
    expect(first.total).toBe(5); // "5+": the best five counted; the page (4) and a next page known
    expect(first.hits).toHaveLength(4);
    expect(first.hits.every((h) => !h.meta.id.startsWith("p"))).toBe(true);
    // A later page is filled past the cap, and nothing unreadable appears on any page.
    const seen = new Set<string>();
    for (let offset = 0; offset < 12; offset += 4) for (const h of idx.search(r, parseQuery("walrus"), {}, { offset, limit: 4 }).hits) seen.add(h.meta.id);
    expect([...seen].sort()).toEqual(["d0", "d1", "d2", "d3", "d4", "d5", "d6", "d7", "wally"]);
  });

  it("unreadable matches past the cap do not make it 'more': exactly the cap readable is not capped", () => {
    const idx = new UnifiedIndex(() => NOW, 5);
    idx.build([
      ...Array.from({ length: 5 }, (_, i) => doc(`d${i}`, `Walrus note ${i}`)),
      ...Array.from({ length: 6 }, (_, i) => doc(`p${i}`, "Walrus note", { body: "walrus", access: { visibility: "private", ownerId: "owner" } })),
    ]);
    const out = idx.search(member("reader"), parseQuery("walrus"));
    expect(out.capped).toBe(false);
    expect(out.total).toBe(5);
    // The owner reads all eleven: capped at 5.
    const own = idx.search(member("owner"), parseQuery("walrus"));
    expect(own.capped).toBe(true);
    expect(own.byType.doc).toBe(5);
  });
});

describe("inScoreOrder (sorts only as far as it is read)", () => {
  it("yields every item best first, whether or not the reader goes past the selected head", () => {
    let seed = 7;
    const rnd = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
    const base: Ranked[] = Array.from({ length: 5_000 }, (_, sid) => ({ sid, score: Math.floor(rnd() * 300), meta: undefined as never }));
    const items = () => base.map((r) => ({ ...r }));
    const all = [...inScoreOrder(items(), 100)].map((r) => r.score);
    expect(all).toHaveLength(5_000);
    expect(all).toEqual([...all].sort((a, b) => b - a));
    const head: number[] = [];
    for (const r of inScoreOrder(items(), 100)) if (head.push(r.score) >= 150) break;
    expect(head).toEqual([...all.slice(0, 150)]);
  });
});
