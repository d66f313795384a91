import MiniSearch from "minisearch";

/**
 * Similar questions: an in-memory MiniSearch index over title, body text and tags of every
 * question that is not deleted. Built at start, kept current by the Q&A verbs. The same engine
 * suggests similar questions while someone types and duplicates to moderators.
 */
export interface QuestionDoc {
  id: string;
  title: string;
  /** Plain text, cut to BODY_CHARS: the opening says what a question is about. */
  body: string;
  /** Tag names and their synonyms. */
  tags: string;
  score: number;
  accepted: boolean;
  answerCount: number;
  duplicate: boolean;
}

export interface SimilarHit {
  id: string;
  score: number;
}

const BODY_CHARS = 1_000;
const MAX_BODY_TERMS = 12;
const MAX_TITLE_TERMS = 12;

// Words that say nothing about the subject; dropping them keeps the index and the queries small.
const STOP = new Set(
  (
    "a about above after again against all am an and any are aren't as at be because been before being below between both but by " +
    "can can't cannot could couldn't did didn't do does doesn't doing don't down during each few for from further get gets got had " +
    "hasn't has have haven't having he her here hers herself him himself his how i i'm i've if in into is isn't it it's its itself " +
    "just let's me more most my myself no nor not now of off on once only or other ought our ours ourselves out over own same she " +
    "should shouldn't so some such than that that's the their theirs them themselves then there there's these they this those " +
    "through to too under until up use used using very want was wasn't way we we're were weren't what what's when where which " +
    "while who whom why will with won't would wouldn't you you're your yours yourself yourselves anyone someone something any help " +
    "thanks thank please hi hello question questions need trying try tried work working works"
  ).split(" "),
);

export const tokenize = (text: string): string[] => text.toLowerCase().split(/[^\p{L}\p{N}#+]+/u).filter(Boolean);
const keep = (term: string) => term.length > 1 && !STOP.has(term);

export class QuestionsIndex {
  private mini = this.create();
  private docs = new Map<string, Omit<QuestionDoc, "body" | "title" | "tags">>();

  private create() {
    return new MiniSearch<QuestionDoc>({
      fields: ["title", "body", "tags"],
      autoVacuum: false,
      storeFields: [],
      tokenize,
      processTerm: (t) => (keep(t) ? t : null),
    });
  }

  build(docs: Iterable<QuestionDoc>): void {
    this.mini = this.create();
    this.docs.clear();
    const batch: QuestionDoc[] = [];
    for (const d of docs) {
      batch.push(this.prepare(d));
      if (batch.length >= 5_000) this.mini.addAll(batch.splice(0));
    }
    this.mini.addAll(batch);
  }

  private prepare(d: QuestionDoc): QuestionDoc {
    const { title, body, tags, ...meta } = d;
    this.docs.set(d.id, meta);
    return { ...d, body: body.slice(0, BODY_CHARS) };
  }

  /**
   * Adds or replaces a question. Replacing discards the old version; MiniSearch cleans discarded
   * entries lazily during the next searches, and until then its BM25 counts are off (on a tiny
   * index a score can even turn negative), so the returned promise settles once a vacuum has
   * purged them. Verbs await it; an edit costs one pass over the index.
   */
  upsert(doc: QuestionDoc): Promise<void> {
    const replacing = this.docs.has(doc.id);
    if (replacing) this.mini.discard(doc.id);
    this.mini.add(this.prepare(doc));
    return replacing ? this.vacuum() : Promise.resolve();
  }

  private vacuum(): Promise<void> {
    return this.mini.vacuum({ batchSize: 100_000, batchWait: 0 });
  }

  /** Ranking signals only (votes, acceptance, duplicate) — no re-indexing of text. */
  updateSignals(id: string, signals: Partial<Pick<QuestionDoc, "score" | "accepted" | "answerCount" | "duplicate">>): void {
    const d = this.docs.get(id);
    if (d) Object.assign(d, signals);
  }

  remove(id: string): Promise<void> {
    if (!this.docs.has(id)) return Promise.resolve();
    this.mini.discard(id);
    this.docs.delete(id);
    return this.vacuum();
  }

  get size(): number {
    return this.docs.size;
  }

  /**
   * Questions like the one being typed. Title words count most, then tags, then the body; the
   * last word typed matches as a prefix. Among similar matches, accepted and well-voted questions
   * rise, closed duplicates sink.
   */
  similar(input: { title: string; body?: string; tags?: string[] }, opts: { limit?: number; exclude?: string } = {}): SimilarHit[] {
    const titleTerms = tokenize(input.title).filter(keep).slice(0, MAX_TITLE_TERMS);
    const bodyTerms = [...new Set(tokenize(input.body ?? "").filter((t) => keep(t) && t.length > 3))].slice(0, MAX_BODY_TERMS);
    const tagTerms = (input.tags ?? []).flatMap(tokenize).filter(keep);
    const terms = [...new Set([...titleTerms, ...tagTerms, ...bodyTerms])];
    if (!terms.length) return [];
    const lastTitle = titleTerms[titleTerms.length - 1];
    const results = this.mini.search(terms.join(" "), {
      combineWith: "OR",
      boost: { title: 3, tags: 2, body: 1 },
      // Only the word being typed is a prefix; fuzzy matching only for longer title words keeps a
      // keystroke query cheap on a large vocabulary.
      prefix: (term) => term === lastTitle && term.length >= 3,
      fuzzy: (term) => (term.length >= 6 && titleTerms.includes(term) ? 0.15 : false),
      boostDocument: (id) => {
        const d = this.docs.get(id as string);
        if (!d) return 1;
        let f = 1 + 0.25 * Math.log2(1 + Math.max(0, d.score));
        if (d.accepted) f *= 1.5;
        else if (d.answerCount > 0) f *= 1.1;
        if (d.duplicate) f *= 0.5;
        return f;
      },
      filter: (r) => r.id !== opts.exclude,
    });
    if (!results.length) return [];
    // One shared stray word in a long query is not similarity; far weaker hits are noise.
    const floor = results[0]!.score * 0.1;
    const minShared = terms.length >= 4 ? 2 : 1;
    return results
      .filter((r) => r.score >= floor && r.queryTerms.length >= minShared)
      .slice(0, opts.limit ?? 8)
      .map((r) => ({ id: r.id as string, score: r.score }));
  }
}
