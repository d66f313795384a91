import { BestOf } from "./best-of.js";
import { PostingList } from "./posting-list.js";
import { termsOf } from "./text-terms.js";

/**
 * Who answers what, learned from answers as they are given: for each person, a text profile (the
 * questions they answered and the opening of their answers), the tags they answered on, how
 * active they have been lately and how quickly they answer. A new question is matched against
 * the profiles with BM25 (so a question whose tags nobody has used yet still reaches someone
 * through its words) and the match is blended with tags, recent activity and responsiveness.
 *
 * Built in time order: everything it knows at a moment is what was answered before it, which is
 * also how the evaluation replays a site's history ("as of" each question's date).
 */
export interface AnswerEvent {
  authorId: string;
  at: Date;
  /** The answered question's title, tags and opening. */
  questionText: string;
  answerText: string;
  /** Tag names (or skill ids: any stable key) of the answered question. */
  tags: readonly string[];
  accepted: boolean;
  /** How long after the question the answer came. */
  responseMs: number;
}

export interface RouteQuery {
  text: string;
  tags: readonly string[];
  at: Date;
  exclude?: ReadonlySet<string>;
  limit: number;
}

export interface RouteWeights {
  text: number;
  tags: number;
  activity: number;
  accepted: number;
  quick: number;
  halfLifeDays: number;
  /** All answers ever given, undecayed: the "most answers overall" prior. */
  answers: number;
}

/** Tuned by replaying the sample sites chronologically (npm run eval:qa). */
export const DEFAULT_ROUTE_WEIGHTS: RouteWeights = { text: 0.5, tags: 0, activity: 0.5, accepted: 0.3, quick: 0.5, halfLifeDays: 30, answers: 0 };

export interface RoutedPerson {
  userId: string;
  score: number;
  text: number;
  tagAnswers: number;
}

interface Profile {
  /** Position in `bySlot`, and the person's id in the postings. */
  slot: number;
  id: string;
  length: number;
  answers: number;
  /** Decay-normalised activity and acceptance mass: value·2^((t−T0)/H) per answer. */
  activity: number;
  accepted: number;
  /** Answers given within a day of the question. */
  quick: number;
  tags: Map<string, number>;
}

const T0 = Date.UTC(2008, 0, 1);
const DAY = 86_400_000;
const PROFILE_CHARS = 400;
const QUERY_TERMS = 40;

export class AnswererIndex {
  private people = new Map<string, Profile>();
  /** Profiles by slot (a removed person's slot stays empty: slots are never reused). */
  private bySlot: (Profile | undefined)[] = [];
  /**
   * Term → (person slot → occurrences), as a packed list of numbers (decision 240): 8 bytes a
   * posting instead of a Map entry's ~40, and no Map per term.
   */
  private postings = new Map<string, PostingList>();
  private totalLength = 0;
  // Scratch for one ranking, indexed by slot (reused: ranking is synchronous).
  private text = new Float64Array(0);
  private matched = new Uint16Array(0);
  /** Profile lengths by slot, read by the scoring loop without reaching into each profile. */
  private lengths = new Float64Array(0);
  private touched = new Int32Array(0);
  /** BM25 length norm of each profile touched by the ranking under way. */
  private norm = new Float64Array(0);
  readonly weights: RouteWeights;

  constructor(weights: Partial<RouteWeights> = {}) {
    this.weights = { ...DEFAULT_ROUTE_WEIGHTS, ...weights };
  }

  get size(): number {
    return this.people.size;
  }

  clear(): void {
    this.people.clear();
    this.bySlot = [];
    this.lengths = new Float64Array(0);
    this.postings.clear();
    this.totalLength = 0;
  }

  /** Drops the spare room the posting lists keep for appends (after a build). */
  trim(): void {
    for (const list of this.postings.values()) list.trim();
  }

  private grow(t: number): number {
    return 2 ** ((t - T0) / (this.weights.halfLifeDays * DAY));
  }

  add(e: AnswerEvent): void {
    let p = this.people.get(e.authorId);
    if (!p) {
      p = { slot: this.bySlot.length, id: e.authorId, length: 0, answers: 0, activity: 0, accepted: 0, quick: 0, tags: new Map() };
      this.people.set(e.authorId, p);
      this.bySlot.push(p);
    }
    const terms = termsOf(`${e.questionText.slice(0, PROFILE_CHARS)} ${e.tags.join(" ")} ${e.answerText.slice(0, PROFILE_CHARS)}`);
    for (const t of terms) {
      let list = this.postings.get(t);
      if (!list) this.postings.set(t, (list = PostingList.from([])));
      list.set(p.slot, (list.get(p.slot) ?? 0) + 1);
    }
    p.length += terms.length;
    if (this.lengths.length <= p.slot) {
      const grown = new Float64Array(Math.max(1_024, 2 * this.lengths.length, p.slot + 1));
      grown.set(this.lengths);
      this.lengths = grown;
    }
    this.lengths[p.slot] = p.length;
    this.totalLength += terms.length;
    p.answers++;
    const g = this.grow(e.at.getTime());
    p.activity += g;
    if (e.accepted) p.accepted += g;
    if (e.responseMs <= DAY) p.quick++;
    for (const tag of e.tags) p.tags.set(tag, (p.tags.get(tag) ?? 0) + 1);
  }

  /**
   * Takes back what `add` recorded for an answer (given the same event: the answer as it was when
   * added), so an edited answer's old words and a deleted answer stop shaping its author's profile.
   * Counts never go below zero: a question edited since only leaves words that were never there.
   */
  remove(e: AnswerEvent): void {
    const p = this.people.get(e.authorId);
    if (!p) return;
    const terms = termsOf(`${e.questionText.slice(0, PROFILE_CHARS)} ${e.tags.join(" ")} ${e.answerText.slice(0, PROFILE_CHARS)}`);
    let removed = 0;
    for (const t of terms) {
      const list = this.postings.get(t);
      const c = list?.get(p.slot);
      if (!list || !c) continue;
      removed++;
      if (c > 1) list.set(p.slot, c - 1);
      else {
        list.delete(p.slot);
        if (!list.size) this.postings.delete(t);
      }
    }
    p.length -= removed;
    this.lengths[p.slot] = p.length;
    this.totalLength -= removed;
    p.answers--;
    const g = this.grow(e.at.getTime());
    p.activity = Math.max(0, p.activity - g);
    if (e.accepted) p.accepted = Math.max(0, p.accepted - g);
    if (e.responseMs <= DAY) p.quick = Math.max(0, p.quick - 1);
    for (const tag of e.tags) {
      const c = (p.tags.get(tag) ?? 0) - 1;
      if (c > 0) p.tags.set(tag, c);
      else p.tags.delete(tag);
    }
    if (p.answers <= 0) {
      // Nothing left of this person's history: their last words go with them.
      for (const [t, list] of this.postings) {
        const c = list.get(p.slot);
        if (c === undefined) continue;
        this.totalLength -= c;
        list.delete(p.slot);
        if (!list.size) this.postings.delete(t);
      }
      this.people.delete(e.authorId);
      this.bySlot[p.slot] = undefined;
      this.lengths[p.slot] = 0;
    }
  }

  /**
   * People most likely to answer, best first: those whose history shares two words or a tag with
   * the question (activity alone reaches no one), ordered by the blend of all signals.
   */
  rank(q: RouteQuery): RoutedPerson[] {
    if (q.limit <= 0) return [];
    const best = new BestOf<RoutedPerson>(q.limit, before);
    this.each(q, (userId, score, text, tagAnswers) => best.offer({ userId, score, text, tagAnswers }));
    return best.list();
  }

  /**
   * Everyone `rank` would consider, in no particular order and without building a list: `visit`
   * gets each person's blended score, text match (0–1, relative to the best match) and answers on
   * the question's tags. For a caller that adds its own scores before choosing the best.
   */
  each(q: Omit<RouteQuery, "limit">, visit: (userId: string, score: number, text: number, tagAnswers: number) => void): void {
    const w = this.weights;
    const n = this.people.size;
    if (!n) return;
    const avg = this.totalLength / n || 1;
    const slots = this.bySlot.length;
    if (this.text.length < slots) {
      this.text = new Float64Array(slots + 1_024);
      this.matched = new Uint16Array(slots + 1_024);
      this.touched = new Int32Array(slots + 1_024);
      this.norm = new Float64Array(slots + 1_024);
    }
    const { text, matched, touched, lengths, norm } = this;
    let found = 0;
    const qtf = new Map<string, number>();
    for (const t of termsOf(q.text)) qtf.set(t, (qtf.get(t) ?? 0) + 1);
    const qterms = [...qtf].filter(([t]) => this.postings.has(t));
    // The rarest words say most about the subject; very long questions are cut to their best terms.
    qterms.sort((a, b) => this.postings.get(a[0])!.size - this.postings.get(b[0])!.size);
    const k1 = 1.2;
    const b = 0.75;
    for (const [t, c] of qterms.slice(0, QUERY_TERMS)) {
      const { packed } = this.postings.get(t)!;
      const size = packed.length;
      const idf = Math.log(1 + (n - size + 0.5) / (size + 0.5));
      const qw = idf * Math.min(3, c);
      for (let i = 0; i < size; i++) {
        const x = packed[i]!;
        const slot = PostingList.idOf(x);
        const tf = PostingList.occurrencesOf(x);
        if (!matched[slot]) {
          touched[found++] = slot;
          text[slot] = 0;
          norm[slot] = k1 * (1 - b + (b * lengths[slot]!) / avg);
        }
        text[slot] += (qw * (tf * (k1 + 1))) / (tf + norm[slot]!);
        matched[slot]++;
      }
    }
    let top = 0;
    for (let i = 0; i < found; i++) top = Math.max(top, text[touched[i]!]!);
    const decay = 1 / this.grow(q.at.getTime());
    const minWords = Math.min(2, qtf.size);
    try {
      for (const p of this.bySlot) {
        if (!p) continue;
        let tagAnswers = 0;
        for (const t of q.tags) tagAnswers += p.tags.get(t) ?? 0;
        // One shared word is chance; two, or a shared tag, is a reason.
        if (matched[p.slot]! < minWords && tagAnswers === 0) continue;
        if (q.exclude?.has(p.id)) continue;
        const tx = top > 0 && matched[p.slot] ? text[p.slot]! / top : 0;
        const score =
          w.text * tx +
          w.tags * Math.log1p(tagAnswers) +
          w.answers * Math.log1p(p.answers) +
          w.activity * Math.log1p(p.activity * decay) +
          w.accepted * Math.log1p(p.accepted * decay) +
          w.quick * (p.quick / (p.answers + 2));
        visit(p.id, score, tx, tagAnswers);
      }
    } finally {
      // The scratch is left clean for the next ranking.
      for (let i = 0; i < found; i++) matched[touched[i]!] = 0;
    }
  }
}

/** Best first; equal scores in id order, so a ranking is the same every time. */
const before = (a: RoutedPerson, b: RoutedPerson) => a.score > b.score || (a.score === b.score && a.userId < b.userId);
