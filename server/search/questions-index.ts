import MiniSearch from "minisearch";
import { Acronyms } from "./acronyms.js";
import { BestOf } from "./best-of.js";
import { compactPostings, PostingList, trimPostings } from "./posting-list.js";
import { STOP_WORDS, termOf, termsOf, tokenize } from "./text-terms.js";

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

const BODY_CHARS = 1_500;
const MAX_TITLE_TERMS = 16;
/** From this many questions on, very common words are not looked up in bodies (see similar()). */
const BODY_GUARD_MIN = 5_000;
/**
 * Postings one keystroke's query may walk per field group. The rarest words are always looked up
 * (at least KEEP_RAREST of them); the commonest are left out once the budget is spent, so a query
 * of common words still finds its matches while the cost stays bounded on a site of any size.
 */
const POSTINGS_BUDGET = 2_500;
const KEEP_RAREST = 2;
/** MiniSearch's weight for a match one typo away (scaled by the word's length, as MiniSearch does). */
const FUZZY_WEIGHT = 0.45;
/** Postings kept as flat arrays between keystrokes (~12 bytes each). */
const MAX_CACHED_POSTINGS = 1_500_000;

/** Higher score first, then the lower id: the order of similar questions. */
const before = (a: SimilarHit, b: SimilarHit) => a.score > b.score || (a.score === b.score && a.id < b.id);

export interface SimilarTuning {
  /** Field weights of the BM25 match. */
  title: number;
  body: number;
  tags: number;
  /** How many of the query body's most telling words (by tf·idf) are looked up. */
  bodyTerms: number;
  /** Weight of each query-body word relative to a title word. */
  bodyQuery: number;
  /** Lift per shared tag. */
  tagLift: number;
  /** Quality: a small nudge, so that it breaks near-ties but never outweighs the text. */
  accepted: number;
  duplicate: number;
  bm25: { k: number; b: number; d: number };
  /**
   * The text score is multiplied by (distinct query words matched) to this power, as MiniSearch
   * does with 1. 0 is plain BM25: a sum over the words, so a long question matching many common
   * words of a long query does not outrank one matching its telling words.
   */
  coord: number;
  /** The same for a query without body words (a title being typed): a few words, and how many of them a question shares matters most. */
  coordShort: number;
  /**
   * One IDF per word, from the questions containing it anywhere, instead of one per field: a word
   * in every title but few bodies is not telling in those bodies.
   */
  questionIdf: boolean;
  /**
   * Weight of each word an acronym of the title stands for on this site ("AI" → "artificial
   * intelligence"), and of the acronym when the title spells it out; 0 turns the matching off.
   */
  acronym: number;
}

export const DEFAULT_SIMILAR_TUNING: SimilarTuning = {
  title: 4,
  body: 1,
  tags: 1,
  bodyTerms: 30,
  bodyQuery: 0.5,
  tagLift: 0.15,
  accepted: 1.05,
  duplicate: 0.9,
  bm25: { k: 1.2, b: 0.75, d: 0 },
  coord: 0,
  coordShort: 1,
  questionIdf: true,
  acronym: 0.5,
};

export { tokenize };
type Field = "title" | "body" | "tags";

/** One term's postings in one field, as flat arrays: the document and its BM25+ score. */
interface Postings {
  ids: Int32Array;
  scores: Float64Array;
}

/**
 * MiniSearch holds the words (its radix tree gives completions and one-typo matches); scoring is
 * done here, over flat arrays, because MiniSearch's own search builds an object per matching
 * question — for a common word on a large site, tens of thousands per keystroke.
 */
class Mini extends MiniSearch<QuestionDoc> {
  *completions(prefix: string): Generator<string> {
    for (const key of this._index.atPrefix(prefix).keys()) yield key;
  }

  /** The indexed words one edit away from `term`, with that distance. */
  oneTypoFrom(term: string): string[] {
    const out: string[] = [];
    for (const [key, [, distance]] of this._index.fuzzyGet(term, 1) ?? []) if (distance > 0) out.push(key);
    return out;
  }

  shortId(id: string): number | undefined {
    return this._idToShortId.get(id);
  }

  idOf(short: number): string | undefined {
    return this._documentIds.get(short) as string | undefined;
  }

  /** Short ids run from 0 to below this. */
  get idBound(): number {
    return this._nextId;
  }

  /**
   * MiniSearch's BM25+ formula and counts, for every live question containing `term` in `field`;
   * with `questionIdf`, that IDF (one per word, across fields) instead of the field's own.
   */
  postings(term: string, field: Field, bm25: { k: number; b: number; d: number }, questionIdf?: number): Postings | null {
    const fieldId = this._fieldIds[field]!;
    const freqs = this._index.get(term)?.get(fieldId);
    if (!freqs) return null;
    const ids = new Int32Array(freqs.size);
    const tfs = new Float64Array(freqs.size);
    let n = 0;
    const live = this._documentIds;
    if (freqs instanceof PostingList) {
      const { packed } = freqs;
      for (let i = 0; i < packed.length; i++) {
        const doc = PostingList.idOf(packed[i]!);
        if (!live.has(doc)) continue; // discarded, not vacuumed yet
        ids[n] = doc;
        tfs[n++] = PostingList.occurrencesOf(packed[i]!);
      }
    } else {
      for (const [doc, tf] of freqs) {
        if (!live.has(doc)) continue;
        ids[n] = doc;
        tfs[n++] = tf;
      }
    }
    const { k, b, d } = bm25;
    const avg = this._avgFieldLength[fieldId]!;
    const idf = questionIdf ?? Math.log(1 + (this._documentCount - n + 0.5) / (n + 0.5));
    const scores = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const tf = tfs[i]!;
      const len = this._fieldLength.get(ids[i]!)![fieldId]!;
      scores[i] = idf * (d + (tf * (k + 1)) / (tf + k * (1 - b + (b * len) / avg)));
    }
    return { ids: n === ids.length ? ids : ids.slice(0, n), scores };
  }

  /** MiniSearch's posting Maps as PostingLists (decision 240): all, or those of the given words. */
  compactPostings(terms?: Iterable<string>): void {
    compactPostings(this._index, terms);
  }

  trimPostings(): void {
    trimPostings(this._index);
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
   * How many questions contain each term (title, body opening or tags): picks the telling words
   * of a long body. Only ever incremented (the old text of an edited question is not kept), so it
   * slightly overstates — harmless for choosing.
   */
  private df = new Map<string, number>();
  /** The acronyms this site's questions spell out (learned like `df`, never unlearned). */
  private acronyms = new Acronyms();
  /** Each question's signals by MiniSearch's short id, so scoring never looks a question up by name. */
  private metaByShort: (DocMeta | undefined)[] = [];
  /** Postings as flat arrays, per field and term; emptied whenever a question is added or removed. */
  private postingsCache = new Map<string, Postings | null>();
  private cachedEntries = 0;
  // Scratch space for one query, indexed by short id and reused (no allocation per keystroke).
  private acc = new Float64Array(0);
  private matched = new Uint8Array(0);
  private sharedWords = new Uint8Array(0);
  private queryMark = new Uint32Array(0);
  private termMark = new Uint32Array(0);
  private touched = new Int32Array(0);
  private stamp = 0;
  readonly tuning: SimilarTuning;

  constructor(tuning: Partial<SimilarTuning> = {}) {
    this.tuning = { ...DEFAULT_SIMILAR_TUNING, ...tuning };
    this.mini = this.create();
  }

  private create() {
    return new Mini({
      fields: ["title", "body", "tags"],
      autoVacuum: false,
      storeFields: [],
      tokenize,
      processTerm: termOf,
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
    this.metaByShort = [];
    this.changed();
    this.df.clear();
    this.acronyms = new Acronyms();
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
    this.mini.compactPostings();
    for (const d of fresh) this.noteShortId(d.id);
    if (fresh.length) this.changed();
    this.progress.done += docs.length;
  }

  endBuild(): void {
    this.mini.trimPostings();
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
      tags: [...new Set(termsOf(d.tags))],
    });
    for (const t of new Set(termsOf(`${d.title} ${cut} ${d.tags}`))) this.df.set(t, (this.df.get(t) ?? 0) + 1);
    this.acronyms.learn(`${d.title}\n${cut}`);
    return { ...d, body: cut };
  }

  private noteShortId(id: string) {
    const short = this.mini.shortId(id);
    if (short !== undefined) this.metaByShort[short] = this.docs.get(id);
  }

  /** Document counts and lengths moved: every cached BM25 figure is stale. */
  private changed() {
    this.postingsCache.clear();
    this.cachedEntries = 0;
  }

  private forget(id: string) {
    const short = this.mini.shortId(id);
    if (short !== undefined) this.metaByShort[short] = undefined;
    this.mini.discard(id);
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
    if (replacing) this.forget(doc.id);
    const prepared = this.prepare(doc);
    this.mini.add(prepared);
    this.mini.compactPostings(termsOf(`${prepared.title} ${prepared.body} ${prepared.tags}`));
    this.noteShortId(doc.id);
    this.changed();
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
    this.forget(id);
    this.docs.delete(id);
    this.changed();
    this.vacuumSoon();
    return Promise.resolve();
  }

  get size(): number {
    return this.docs.size;
  }

  private quality(d: DocMeta): number {
    let f = 1;
    if (d.accepted || d.score > 0) f *= this.tuning.accepted;
    if (d.duplicate) f *= this.tuning.duplicate;
    return f;
  }

  /**
   * The query's words, rarest first, until their postings exhaust the budget (see POSTINGS_BUDGET).
   * Guessed completions never exceed it: only words the person actually typed may.
   */
  private withinBudget(terms: string[], guessed: Set<string>): string[] {
    const df = (x: string) => this.df.get(x) ?? 0;
    const out: string[] = [];
    let spent = 0;
    let kept = 0;
    for (const x of [...terms].sort((a, b) => df(a) - df(b) || (a < b ? -1 : 1))) {
      if (spent + df(x) > POSTINGS_BUDGET && (guessed.has(x) || kept >= KEEP_RAREST)) continue;
      out.push(x);
      spent += df(x);
      if (!guessed.has(x)) kept++;
    }
    return out;
  }

  /**
   * Questions like the one being typed: BM25 over title, body opening and tags (IDF weighting, so a
   * word common on this site counts for less but still counts), with words folded to their stems.
   * The last word, while still being typed, also matches its likeliest completions, which lift a
   * match but never count towards the words a match must share. Shared tags lift a match a little;
   * accepted and voted questions get a nudge, closed duplicates sink a little.
   */
  similar(input: { title: string; body?: string; tags?: string[] }, opts: { limit?: number; exclude?: string } = {}): SimilarHit[] {
    this.vacuumNow();
    const t = this.tuning;
    const n = Math.max(1, this.docs.size);
    const titleTokens = tokenize(input.title);
    // The word still being typed (no space after it yet).
    const typing = /[\p{L}\p{N}#+]$/u.test(input.title) ? titleTokens.pop() : undefined;
    const titleTerms = new Set<string>();
    for (const tok of titleTokens) {
      const term = termOf(tok);
      if (term && titleTerms.size < MAX_TITLE_TERMS) titleTerms.add(term);
    }
    const completions = new Set<string>();
    if (typing) {
      const typed = termOf(typing);
      if (typed && this.df.has(typed)) titleTerms.add(typed);
      if (typing.length >= 3 && !STOP_WORDS.has(typing)) {
        const found: string[] = [];
        for (const w of this.mini.completions(typing)) {
          if (found.length >= 200) break;
          if (!titleTerms.has(w)) found.push(w);
        }
        for (const w of found.sort((x, y) => (this.df.get(y) ?? 0) - (this.df.get(x) ?? 0)).slice(0, 3)) completions.add(w);
      }
    }
    // An acronym in the title also looks for what it stands for here, and a spelled-out one for its acronym.
    const expanded = new Set<string>();
    if (t.acronym > 0 && this.acronyms.size) {
      const inOrder = titleTokens.map(termOf).filter((x): x is string => !!x);
      const add = (x: string) => {
        if (!titleTerms.has(x) && this.df.has(x)) expanded.add(x);
      };
      for (const x of titleTerms) for (const y of this.acronyms.expansionOf(x) ?? []) add(y);
      for (const a of this.acronyms.acronymsIn(inOrder)) add(a);
    }
    const idf = (term: string) => Math.log(1 + (n - (this.df.get(term) ?? 0) + 0.5) / ((this.df.get(term) ?? 0) + 0.5));
    // From the body, its most telling words that some question contains.
    const bodyTf = new Map<string, number>();
    for (const term of termsOf(input.body ?? "")) if (!titleTerms.has(term) && this.df.has(term)) bodyTf.set(term, (bodyTf.get(term) ?? 0) + 1);
    const bodyTerms = new Set(
      [...bodyTf]
        .map(([term, tf]) => [term, (1 + Math.log(tf)) * idf(term)] as const)
        .sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1))
        .slice(0, t.bodyTerms)
        .map(([term]) => term),
    );
    const tagTerms = new Set((input.tags ?? []).flatMap(termsOf));
    const typedTerms = new Set([...titleTerms, ...bodyTerms]);
    const queryTerms = [...new Set([...typedTerms, ...completions, ...expanded, ...[...tagTerms].filter((x) => this.df.has(x))])];
    if (!queryTerms.length) return [];
    const titleSet = new Set(titleTokens.map(termOf).filter((x): x is string => !!x));
    // Cost guard for large sites: a word in more than a fifth of all questions is still matched in
    // titles and tags, but its body postings (the longest lists) are not walked.
    const inBodiesAll = n < BODY_GUARD_MIN ? queryTerms : queryTerms.filter((x) => (this.df.get(x) ?? 0) <= n * 0.2);
    const inHeads = this.withinBudget(queryTerms, expanded.size ? new Set([...completions, ...expanded]) : completions);
    // Bodies are the longest postings: there the budget binds every word, typed or guessed.
    const inBodies = this.withinBudget(inBodiesAll, new Set(inBodiesAll));
    const walked = new Set([...inHeads, ...inBodies]);
    const boostTerm = (term: string) =>
      completions.has(term) ? 0.3 : titleTerms.has(term) ? 1 : bodyTerms.has(term) ? t.bodyQuery : expanded.has(term) ? t.acronym : 0.5;
    // One-typo fuzzy matching only for a finished title word that no question contains.
    const fuzzy = (term: string) => term.length >= 5 && titleSet.has(term) && !this.df.has(term);
    // What an acronym stands for counts as typed: it is what the person wrote, spelled differently.
    const counts = (term: string) => typedTerms.has(term) || tagTerms.has(term) || expanded.has(term);
    const found = this.score(
      [
        { terms: inHeads, fields: ["title", "tags"] },
        { terms: inBodies, fields: ["body"] },
      ],
      { boostTerm, fuzzy, counts },
    );
    if (!found) return [];
    // A long query must share two of its own words (not guessed completions) with a match.
    let typedWalked = 0;
    for (const x of typedTerms) if (walked.has(x)) typedWalked++;
    const minShared = Math.min(typedWalked >= 4 ? 2 : 1, typedWalked || 1);
    const wanted = new Set([...tagTerms, ...titleTerms]);
    // The final score is the text score times quality (≤ maxQuality) times the tag lift (≤ maxLift):
    // a question whose text score times both bounds cannot reach the current last place is skipped
    // without looking at its tags.
    const limit = opts.limit ?? 8;
    if (!(limit > 0)) return [];
    const maxQuality = Math.max(1, t.accepted) * Math.max(1, t.duplicate);
    const maxLift = Math.max(1, 1 + t.tagLift * 3);
    const best = new BestOf<SimilarHit>(limit, before);
    const { acc, matched, sharedWords, touched } = this;
    const coord = bodyTerms.size ? t.coord : t.coordShort;
    for (let i = 0; i < found; i++) {
      const short = touched[i]!;
      if (sharedWords[short]! < minShared) continue;
      const d = this.metaByShort[short];
      if (!d) continue;
      const text = coord === 0 ? acc[short]! : acc[short]! * matched[short]! ** coord;
      const last = best.last;
      if (last && text * maxQuality * maxLift < last.score) continue;
      const id = this.mini.idOf(short)!;
      if (id === opts.exclude) continue;
      let sharedTags = 0;
      for (const tag of d.tags) if (wanted.has(tag)) sharedTags++;
      best.offer({ id, score: text * this.quality(d) * (1 + t.tagLift * Math.min(3, sharedTags)) });
    }
    const ranked = best.list();
    // Far weaker hits than the best one are noise.
    const floor = (ranked[0]?.score ?? 0) * 0.05;
    return ranked.filter((h) => h.score >= floor);
  }

  /** How telling a word is on this site: from the questions containing it in any field. */
  private idf(term: string): number {
    const n = this.docs.size;
    const df = Math.min(n, this.df.get(term) ?? 0);
    return Math.log(1 + (n - df + 0.5) / (df + 0.5));
  }

  private postingsOf(term: string, field: Field): Postings | null {
    const key = `${field}\u0000${term}`;
    let p = this.postingsCache.get(key);
    if (p === undefined) {
      p = this.mini.postings(term, field, this.tuning.bm25, this.tuning.questionIdf ? this.idf(term) : undefined);
      if (this.cachedEntries > MAX_CACHED_POSTINGS) this.changed();
      this.postingsCache.set(key, p);
      this.cachedEntries += 1 + (p?.ids.length ?? 0);
    }
    return p;
  }

  private reserve(size: number) {
    if (this.acc.length >= size) return;
    const cap = Math.max(1_024, Math.ceil(size * 1.5));
    this.acc = new Float64Array(cap);
    this.matched = new Uint8Array(cap);
    this.sharedWords = new Uint8Array(cap);
    this.queryMark = new Uint32Array(cap);
    this.termMark = new Uint32Array(cap);
    this.touched = new Int32Array(cap);
    this.stamp = 0;
  }

  /**
   * BM25+ over the given field groups, summed per question into the scratch arrays, as MiniSearch
   * sums an OR query: each walked posting adds termBoost × field boost × its BM25+ score; a word
   * one typo away adds with MiniSearch's fuzzy weight. Per question, `matched` counts the distinct
   * query words found (MiniSearch multiplies the score by it) and `sharedWords` those that count as
   * shared. Returns how many questions were touched (their short ids are in `touched`).
   */
  private score(
    groups: { terms: string[]; fields: Field[] }[],
    how: { boostTerm: (term: string) => number; fuzzy: (term: string) => boolean; counts: (term: string) => boolean },
  ): number {
    this.reserve(this.mini.idBound);
    const { acc, matched, sharedWords, queryMark, termMark, touched } = this;
    // Each word's fields from every group, walked together: a question counts a word once.
    const words = new Map<string, Field[]>();
    for (const g of groups) for (const x of g.terms) words.set(x, [...(words.get(x) ?? []), ...g.fields]);
    if (this.stamp + words.size + 2 >= 0xffffffff) {
      queryMark.fill(0);
      termMark.fill(0);
      this.stamp = 0;
    }
    const query = ++this.stamp;
    const boosts = this.tuning;
    let found = 0;
    const walk = (p: Postings | null, factor: number, wordMark: number, counts: number) => {
      if (!p) return;
      const { ids, scores } = p;
      for (let i = 0; i < ids.length; i++) {
        const doc = ids[i]!;
        if (queryMark[doc] !== query) {
          queryMark[doc] = query;
          acc[doc] = 0;
          matched[doc] = 0;
          sharedWords[doc] = 0;
          touched[found++] = doc;
        }
        acc[doc] += factor * scores[i]!;
        if (termMark[doc] !== wordMark) {
          termMark[doc] = wordMark;
          matched[doc]++;
          sharedWords[doc] += counts;
        }
      }
    };
    for (const [x, fields] of words) {
      const tb = how.boostTerm(x);
      const mark = ++this.stamp;
      const counts = how.counts(x) ? 1 : 0;
      const near = how.fuzzy(x) ? this.mini.oneTypoFrom(x) : [];
      for (const field of fields) {
        // MiniSearch treats a field boost of 0 as 1.
        const fb = boosts[field] || 1;
        walk(this.postingsOf(x, field), tb * fb, mark, counts);
        for (const y of near) walk(this.postingsOf(y, field), ((FUZZY_WEIGHT * y.length) / (y.length + 1)) * tb * fb, mark, counts);
      }
    }
    return found;
  }
}
