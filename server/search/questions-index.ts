import MiniSearch from "minisearch";

/**
 * Similar questions: an in-memory MiniSearch index over the title and the opening of the body of
 * every question that is not deleted; tags and quality signals re-rank the text matches. Built at
 * start, kept current by the Q&A verbs. The same engine suggests similar questions while someone
 * types and duplicates to moderators.
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

const BODY_CHARS = 600;
const MAX_BODY_TERMS = 6;
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

/** MiniSearch plus the one thing it does not expose: the indexed words starting with a prefix. */
class Mini extends MiniSearch<QuestionDoc> {
  *completions(prefix: string): Generator<string> {
    for (const key of this._index.atPrefix(prefix).keys()) yield key;
  }
}

interface DocMeta {
  score: number;
  accepted: boolean;
  answerCount: number;
  duplicate: boolean;
  tags: string[];
}

export class QuestionsIndex {
  private mini = this.create();
  private docs = new Map<string, DocMeta>();
  /**
   * How many questions contain each term: picks the telling words of a long query and skips the
   * near-universal ones, which cost the most and say the least. Only ever incremented (the old
   * text of an edited question is not kept), so it slightly overstates — harmless for choosing.
   */
  private df = new Map<string, number>();

  private create() {
    return new Mini({
      fields: ["title", "body"],
      autoVacuum: false,
      storeFields: [],
      tokenize,
      processTerm: (t) => (keep(t) ? t : null),
    });
  }

  build(docs: Iterable<QuestionDoc>): void {
    this.beginBuild(0);
    const batch: QuestionDoc[] = [];
    for (const d of docs) {
      batch.push(d);
      if (batch.length >= 5_000) this.addBatch(batch.splice(0));
    }
    this.addBatch(batch);
    this.endBuild();
  }

  // ── search cold start (decision 061): filled in pages after the server listens ──
  private building = false;
  private cancelled = false;
  /** Questions removed while building: a page read before the removal must not bring them back. */
  private tombstones = new Set<string>();
  /** Signals changed while building for questions not indexed yet: applied when their page arrives. */
  private pendingSignals = new Map<string, Partial<Pick<QuestionDoc, "score" | "accepted" | "answerCount" | "duplicate">>>();
  progress = { done: 0, total: 0 };

  /** Starts filling an empty index page by page; events keep upserting meanwhile and win over pages. */
  beginBuild(total: number): void {
    this.mini = this.create();
    this.docs.clear();
    this.df.clear();
    this.tombstones.clear();
    this.pendingSignals.clear();
    this.building = true;
    this.cancelled = false;
    this.progress = { done: 0, total };
  }

  addBatch(docs: QuestionDoc[]): void {
    const fresh: QuestionDoc[] = [];
    for (const d of docs) {
      // Present already: an event indexed a newer version while the page was being read.
      if (this.docs.has(d.id) || this.tombstones.has(d.id)) continue;
      const pending = this.pendingSignals.get(d.id);
      fresh.push(this.prepare(pending ? { ...d, ...pending } : d));
    }
    this.mini.addAll(fresh);
    this.progress.done += docs.length;
  }

  endBuild(): void {
    this.building = false;
    this.tombstones.clear();
    this.pendingSignals.clear();
    this.progress.total = this.progress.done;
  }

  cancelBuild(): void {
    this.cancelled = true;
  }

  get isCancelled(): boolean {
    return this.cancelled;
  }

  /** False while the start-up build is still adding pages: similar questions may be missing. */
  get ready(): boolean {
    return !this.building;
  }

  private prepare(d: QuestionDoc): QuestionDoc {
    const cut = d.body.slice(0, BODY_CHARS);
    this.docs.set(d.id, {
      score: d.score,
      accepted: d.accepted,
      answerCount: d.answerCount,
      duplicate: d.duplicate,
      tags: [...new Set(tokenize(d.tags).filter(keep))],
    });
    for (const t of new Set(tokenize(`${d.title} ${cut}`))) if (keep(t)) this.df.set(t, (this.df.get(t) ?? 0) + 1);
    return { ...d, body: cut };
  }

  private docFreq(term: string): number {
    return this.df.get(term) ?? 0;
  }

  /**
   * Adds or replaces a question. Replacing discards the old version; until a vacuum purges it,
   * MiniSearch's BM25 counts are off (on a tiny index a score can even turn negative). A vacuum is
   * one pass over the whole index, so it is not paid per edit: one runs a moment after the first
   * change, and `similar` vacuums first if it finds dirt (decision 093).
   */
  upsert(doc: QuestionDoc): Promise<void> {
    this.tombstones.delete(doc.id);
    const replacing = this.docs.has(doc.id);
    if (replacing) this.mini.discard(doc.id);
    this.mini.add(this.prepare(doc));
    if (replacing) this.vacuumSoon();
    return Promise.resolve();
  }

  private vacuumTimer: NodeJS.Timeout | null = null;

  private vacuumSoon() {
    if (this.vacuumTimer) return;
    this.vacuumTimer = setTimeout(() => {
      this.vacuumTimer = null;
      this.vacuumNow();
    }, 250);
    this.vacuumTimer.unref?.();
  }

  /** One synchronous pass (a batch size above the term count never yields). */
  private vacuumNow() {
    if (this.mini.dirtCount === 0 || this.mini.isVacuuming) return;
    void this.mini.vacuum({ batchSize: Number.MAX_SAFE_INTEGER, batchWait: 0 });
  }

  /** Ranking signals only (votes, acceptance, duplicate) — no re-indexing of text. */
  updateSignals(id: string, signals: Partial<Pick<QuestionDoc, "score" | "accepted" | "answerCount" | "duplicate">>): void {
    const d = this.docs.get(id);
    if (d) Object.assign(d, signals);
    else if (this.building) this.pendingSignals.set(id, { ...this.pendingSignals.get(id), ...signals });
  }

  remove(id: string): Promise<void> {
    if (this.building) this.tombstones.add(id);
    if (!this.docs.has(id)) return Promise.resolve();
    this.mini.discard(id);
    this.docs.delete(id);
    this.vacuumSoon();
    return Promise.resolve();
  }

  get size(): number {
    return this.docs.size;
  }

  private quality(d: DocMeta): number {
    let f = 1 + 0.25 * Math.log2(1 + Math.max(0, d.score));
    if (d.accepted) f *= 1.5;
    else if (d.answerCount > 0) f *= 1.1;
    if (d.duplicate) f *= 0.5;
    return f;
  }

  /**
   * Questions like the one being typed. Title words count most, then the body; the last word
   * typed matches as a prefix. Shared tags (typed, or named in the title) lift a match, and among
   * similar matches accepted and well-voted questions rise while closed duplicates sink.
   */
  similar(input: { title: string; body?: string; tags?: string[] }, opts: { limit?: number; exclude?: string } = {}): SimilarHit[] {
    this.vacuumNow();
    const n = Math.max(1, this.docs.size);
    const big = n >= 1_000;
    const titleAll = tokenize(input.title).filter(keep).slice(0, MAX_TITLE_TERMS);
    // The word still being typed (no space after it yet) stands for its likeliest completions.
    const typing = /[\p{L}\p{N}#+]$/u.test(input.title) ? titleAll.pop() : undefined;
    // Words in most questions discriminate nothing and are the costliest to look up.
    const common = (t: string) => big && this.docFreq(t) > n * 0.05;
    const useful = (t: string) => this.docFreq(t) > 0 && !common(t);
    const titleTerms = [...new Set(titleAll.filter((t) => !common(t)))];
    const completions = new Set<string>();
    if (typing && typing.length >= 4) {
      const found: string[] = [];
      for (const w of this.mini.completions(typing)) {
        if (useful(w)) found.push(w);
        if (found.length >= 50) break;
      }
      for (const w of found.sort((a, b) => this.docFreq(b) - this.docFreq(a)).slice(0, 3)) if (w !== typing) completions.add(w);
    }
    if (typing && useful(typing)) titleTerms.push(typing);
    // From the body, the few rarest words that some question does contain.
    const bodyTerms = [...new Set(tokenize(input.body ?? "").filter((t) => keep(t) && t.length > 3 && !titleTerms.includes(t)))]
      .filter(useful)
      .sort((a, b) => this.docFreq(a) - this.docFreq(b))
      .slice(0, MAX_BODY_TERMS);
    const terms = [...new Set([...titleTerms, ...bodyTerms])];
    const titleQuery = [...new Set([...terms, ...completions])];
    if (!titleQuery.length) return [];
    // Every word is looked up in titles; only the rarer ones in bodies too — body postings are by
    // far the longest, and a shared title is the strongest sign anyway.
    const rare = (t: string) => !big || this.docFreq(t) <= n * 0.01;
    const inBodies = terms.filter(rare);
    const results = this.mini.search(
      {
        combineWith: "OR",
        queries: [
          { combineWith: "OR", queries: titleQuery, fields: ["title"], boost: { title: 3 } },
          ...(inBodies.length ? [{ combineWith: "OR" as const, queries: inBodies, fields: ["body"] }] : []),
        ],
      },
      {
        // A guessed completion counts for less than a word actually typed. One-typo fuzzy
        // matching only for a finished title word that no question contains (likely a typo).
        boostTerm: (term) => (completions.has(term) ? 0.4 : 1),
        fuzzy: (term) => (term.length >= 5 && titleAll.includes(term) && this.docFreq(term) === 0 ? 1 : false),
      },
    );
    if (!results.length) return [];
    const wanted = new Set([...(input.tags ?? []).flatMap(tokenize), ...titleTerms]);
    const minShared = titleQuery.length >= 4 ? 2 : 1;
    const ranked: SimilarHit[] = [];
    for (const r of results) {
      if (r.id === opts.exclude || r.queryTerms.length < minShared) continue;
      const d = this.docs.get(r.id as string);
      if (!d) continue;
      let shared = 0;
      for (const t of d.tags) if (wanted.has(t)) shared++;
      ranked.push({ id: r.id as string, score: r.score * this.quality(d) * (1 + 0.6 * shared) });
    }
    ranked.sort((a, b) => b.score - a.score);
    // Far weaker hits than the best one are noise.
    const floor = (ranked[0]?.score ?? 0) * 0.1;
    return ranked.filter((h) => h.score >= floor).slice(0, opts.limit ?? 8);
  }
}
