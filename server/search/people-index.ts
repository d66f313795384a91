import MiniSearch from "minisearch";
import { compactPostings, trimPostings } from "./posting-list.js";

/** What the directory index knows about a person. Text fields are searched; the rest filter. */
export interface PersonDoc {
  id: string;
  name: string;
  title: string;
  bio: string;
  department: string;
  teams: string;
  location: string;
  /** Skill names plus their synonyms, split by level so a level can weigh differently. */
  skillsExpert: string;
  skillsMentor: string;
  skillsLearning: string;
  departmentId: string | null;
  teamIds: string[];
  skillNames: string[];
}

export interface PeopleFilter {
  departmentId?: string;
  teamId?: string;
  location?: string;
  skill?: string;
}

const FIELDS = ["name", "title", "bio", "department", "teams", "location", "skills"] as const;
const LEVEL_FIELDS = ["skillsExpert", "skillsMentor", "skillsLearning"] as const;

const BOOST = {
  name: 4,
  title: 1.5,
  department: 1.2,
  teams: 1,
  location: 1,
  skills: 3,
  bio: 0.5,
};

/**
 * An "ask me about" holder of a skill outranks a mentor, who outranks a learner. All levels share
 * one `skills` field, and the level scales each matched term per person (expert ×1, mentor ×0.6,
 * learning ×0.12; other people's matches, e.g. a bio mention, ×1). With one field per level, BM25
 * rated a term by its rarity *within that level's field*, so a lone mentor of a skill outranked its
 * many experts (in the demo data, "python" listed its one mentor above all three experts).
 */
const LEVEL_BOOST = [1, 0.6, 0.12]; // indexed like LEVEL_FIELDS

const tokenize = MiniSearch.getDefault("tokenize") as (text: string) => string[];
const processTerm = MiniSearch.getDefault("processTerm") as (term: string) => string | null | undefined | false;

/** Indexed term → the best level at which this person holds a skill containing it. */
function levelsOf(doc: PersonDoc): Map<string, number> {
  const levels = new Map<string, number>();
  LEVEL_FIELDS.forEach((field, level) => {
    for (const token of tokenize(doc[field])) {
      const term = processTerm(token);
      if (term && !levels.has(term)) levels.set(term, level);
    }
  });
  return levels;
}

/**
 * Skill term → person → level. Keyed by term first: boostDocument runs for every matched
 * (person, term, field), and most matched terms (names, bio words) are no skill at all, so one
 * lookup answers them.
 */
class SkillLevels {
  private byTerm = new Map<string, Map<string, number>>();
  /** Each person's skill terms, to take them back when the person changes or leaves. */
  private termsOf = new Map<string, string[]>();

  add(doc: PersonDoc): void {
    const levels = levelsOf(doc);
    for (const [term, level] of levels) {
      let holders = this.byTerm.get(term);
      if (!holders) this.byTerm.set(term, (holders = new Map()));
      holders.set(doc.id, level);
    }
    if (levels.size) this.termsOf.set(doc.id, [...levels.keys()]);
  }

  delete(id: string): void {
    for (const term of this.termsOf.get(id) ?? []) {
      const holders = this.byTerm.get(term);
      holders?.delete(id);
      if (holders?.size === 0) this.byTerm.delete(term);
    }
    this.termsOf.delete(id);
  }

  boost(id: string, term: string): number {
    const level = this.byTerm.get(term)?.get(id);
    return level === undefined ? 1 : LEVEL_BOOST[level]!;
  }
}

/** What browsing and filtering read of a person, and the skill words to take back on a change. */
interface PersonFacts {
  departmentId: string | null;
  teamIds: string[];
  location: string;
  skillNames: string[];
}

const extractField = (doc: PersonDoc, field: string): string =>
  field === "skills" ? LEVEL_FIELDS.map((f) => doc[f]).join(" ") : (doc[field as keyof PersonDoc] as string);

const factsOf = (d: PersonDoc): PersonFacts => ({ departmentId: d.departmentId, teamIds: d.teamIds, location: d.location, skillNames: d.skillNames });

/** The words MiniSearch indexes for a person (its default tokenizer and lower-casing). */
function wordsOf(doc: PersonDoc): Set<string> {
  const words = new Set<string>();
  for (const field of FIELDS) {
    for (const token of tokenize(extractField(doc, field) ?? "")) {
      const term = processTerm(token);
      if (term) words.add(term);
    }
  }
  return words;
}

/** MiniSearch with its posting Maps kept as PostingLists (decision 240). */
class PeopleMini extends MiniSearch<PersonDoc> {
  compactPostings(terms?: Iterable<string>): void {
    compactPostings(this._index, terms);
  }

  trimPostings(): void {
    trimPostings(this._index);
  }
}

/**
 * The people directory index (MiniSearch, in memory). Built at start from the database and kept
 * current by the domain verbs: every profile change calls `upsert`, deactivation calls `remove`.
 */
export class PeopleIndex {
  private docs = new Map<string, PersonFacts>();
  private levels = new SkillLevels();
  private mini = this.create();

  private create() {
    return new PeopleMini({
      fields: [...FIELDS],
      storeFields: [],
      extractField,
      searchOptions: {
        boost: BOOST,
        // A one-letter query word ("a" of "a/b testing") would prefix-match nearly everyone, and
        // one typo allowed in a three-letter word turns "ben" into "been": both cost time and
        // precision. Prefix from two letters, typos from five (where "kubernets" needs them).
        processTerm: (term: string) => (term.length < 2 ? null : term.toLowerCase()),
        // Every word must match something: "machine learning design" narrows, it does not widen.
        combineWith: "AND",
        prefix: (term: string) => term.length >= 2,
        fuzzy: (term: string) => (term.length >= 5 ? 0.2 : false),
        // Called per person and matched term: a term this person holds as a skill weighs by its level.
        boostDocument: (id: string, term: string) => this.levels.boost(id, term),
      },
    });
  }

  build(docs: PersonDoc[]): void {
    this.mini = this.create();
    this.docs = new Map(docs.map((d) => [d.id, factsOf(d)]));
    this.levels = new SkillLevels();
    for (const d of docs) this.levels.add(d);
    this.mini.addAll(docs);
    this.mini.compactPostings();
    this.mini.trimPostings();
  }

  upsert(doc: PersonDoc): void {
    if (this.docs.has(doc.id)) {
      this.mini.discard(doc.id);
      this.levels.delete(doc.id);
    }
    this.docs.set(doc.id, factsOf(doc));
    this.levels.add(doc);
    this.mini.add(doc);
    this.mini.compactPostings(wordsOf(doc));
  }

  remove(id: string): void {
    if (!this.docs.has(id)) return;
    this.mini.discard(id);
    this.docs.delete(id);
    this.levels.delete(id);
  }

  get size(): number {
    return this.docs.size;
  }

  has(id: string): boolean {
    return this.docs.has(id);
  }

  /**
   * Ranked ids for a free-text query, restricted by the filters. Empty query → no results.
   * `boost` (optional) multiplies a person's score — demonstrated expertise from Q&A; people it
   * names who match no word of the query follow the matches, strongest boost first.
   */
  search(
    query: string,
    filter: PeopleFilter = {},
    limit = 50,
    boost?: ReadonlyMap<string, number>,
  ): { id: string; score: number; terms: string[] }[] {
    const q = query.trim().slice(0, 200);
    if (!q) return [];
    const accept = this.filterFn(filter);
    const results = this.mini
      .search(q, {
        filter: (r) => accept(this.docs.get(r.id as string)),
        // A per-call boostDocument replaces the default one, so the skill-level weight is kept here.
        ...(boost
          ? { boostDocument: (id: unknown, term: string) => this.levels.boost(id as string, term) * (boost.get(id as string) ?? 1) }
          : {}),
      })
      .map((r) => ({ id: r.id as string, score: r.score, terms: r.terms }));
    if (boost) {
      const seen = new Set(results.map((r) => r.id));
      const extra = [...boost]
        .filter(([id, b]) => b > 1 && !seen.has(id) && accept(this.docs.get(id)))
        .sort((a, b) => b[1] - a[1])
        .map(([id, b]) => ({ id, score: 0, terms: [] as string[], b }));
      for (const e of extra) results.push({ id: e.id, score: e.score, terms: e.terms });
    }
    return results.slice(0, limit);
  }

  /** Ids matching the filters only, for browsing without a query. */
  filterOnly(filter: PeopleFilter): string[] {
    const accept = this.filterFn(filter);
    const ids: string[] = [];
    for (const [id, d] of this.docs) if (accept(d)) ids.push(id);
    return ids;
  }

  private filterFn(f: PeopleFilter) {
    const loc = f.location?.toLowerCase();
    return (d: PersonFacts | undefined) =>
      !!d &&
      (!f.departmentId || d.departmentId === f.departmentId) &&
      (!f.teamId || d.teamIds.includes(f.teamId)) &&
      (!loc || d.location.toLowerCase() === loc) &&
      (!f.skill || d.skillNames.includes(f.skill));
  }
}
