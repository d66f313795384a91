import MiniSearch from "minisearch";

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

const FIELDS = ["name", "title", "bio", "department", "teams", "location", "skillsExpert", "skillsMentor", "skillsLearning"] as const;

// An "ask me about" holder of a skill outranks a mentor, who outranks a learner.
const BOOST = {
  name: 4,
  skillsExpert: 3,
  skillsMentor: 2,
  title: 1.5,
  department: 1.2,
  teams: 1,
  location: 1,
  bio: 0.5,
  skillsLearning: 0.35,
};

/**
 * The people directory index (MiniSearch, in memory). Built at start from the database and kept
 * current by the domain verbs: every profile change calls `upsert`, deactivation calls `remove`.
 */
export class PeopleIndex {
  private mini = this.create();
  private docs = new Map<string, PersonDoc>();

  private create() {
    return new MiniSearch<PersonDoc>({
      fields: [...FIELDS],
      storeFields: [],
      searchOptions: { boost: BOOST, prefix: true, fuzzy: 0.2 },
    });
  }

  build(docs: PersonDoc[]): void {
    this.mini = this.create();
    this.docs = new Map(docs.map((d) => [d.id, d]));
    this.mini.addAll(docs);
  }

  upsert(doc: PersonDoc): void {
    if (this.docs.has(doc.id)) this.mini.discard(doc.id);
    this.docs.set(doc.id, doc);
    this.mini.add(doc);
  }

  remove(id: string): void {
    if (!this.docs.has(id)) return;
    this.mini.discard(id);
    this.docs.delete(id);
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
        ...(boost ? { boostDocument: (id: unknown) => boost.get(id as string) ?? 1 } : {}),
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
    return [...this.docs.values()].filter(accept).map((d) => d.id);
  }

  private filterFn(f: PeopleFilter) {
    const loc = f.location?.toLowerCase();
    return (d: PersonDoc | undefined) =>
      !!d &&
      (!f.departmentId || d.departmentId === f.departmentId) &&
      (!f.teamId || d.teamIds.includes(f.teamId)) &&
      (!loc || d.location.toLowerCase() === loc) &&
      (!f.skill || d.skillNames.includes(f.skill));
  }
}
