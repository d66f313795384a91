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
}

/** Tuned by replaying the sample sites chronologically (npm run eval:qa). */
export const DEFAULT_ROUTE_WEIGHTS: RouteWeights = { text: 0.5, tags: 0, activity: 0.5, accepted: 0.3, quick: 0.5, halfLifeDays: 30 };

export interface RoutedPerson {
  userId: string;
  score: number;
  text: number;
  tagAnswers: number;
}

interface Profile {
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
  private postings = new Map<string, Map<string, number>>();
  private totalLength = 0;
  readonly weights: RouteWeights;

  constructor(weights: Partial<RouteWeights> = {}) {
    this.weights = { ...DEFAULT_ROUTE_WEIGHTS, ...weights };
  }

  get size(): number {
    return this.people.size;
  }

  clear(): void {
    this.people.clear();
    this.postings.clear();
    this.totalLength = 0;
  }

  private grow(t: number): number {
    return 2 ** ((t - T0) / (this.weights.halfLifeDays * DAY));
  }

  add(e: AnswerEvent): void {
    let p = this.people.get(e.authorId);
    if (!p) this.people.set(e.authorId, (p = { length: 0, answers: 0, activity: 0, accepted: 0, quick: 0, tags: new Map() }));
    const terms = termsOf(`${e.questionText.slice(0, PROFILE_CHARS)} ${e.tags.join(" ")} ${e.answerText.slice(0, PROFILE_CHARS)}`);
    for (const t of terms) {
      let m = this.postings.get(t);
      if (!m) this.postings.set(t, (m = new Map()));
      m.set(e.authorId, (m.get(e.authorId) ?? 0) + 1);
    }
    p.length += terms.length;
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
      const m = this.postings.get(t);
      const c = m?.get(e.authorId);
      if (!m || !c) continue;
      removed++;
      if (c > 1) m.set(e.authorId, c - 1);
      else {
        m.delete(e.authorId);
        if (!m.size) this.postings.delete(t);
      }
    }
    p.length -= removed;
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
      for (const [t, m] of this.postings) {
        const c = m.get(e.authorId);
        if (c === undefined) continue;
        this.totalLength -= c;
        m.delete(e.authorId);
        if (!m.size) this.postings.delete(t);
      }
      this.people.delete(e.authorId);
    }
  }

  /**
   * People most likely to answer, best first: those whose history shares two words or a tag with
   * the question (activity alone reaches no one), ordered by the blend of all signals.
   */
  rank(q: RouteQuery): RoutedPerson[] {
    const w = this.weights;
    const n = this.people.size;
    if (!n || q.limit <= 0) return [];
    const avg = this.totalLength / n || 1;
    const text = new Map<string, number>();
    const matched = new Map<string, number>();
    const qtf = new Map<string, number>();
    for (const t of termsOf(q.text)) qtf.set(t, (qtf.get(t) ?? 0) + 1);
    const qterms = [...qtf].filter(([t]) => this.postings.has(t));
    // The rarest words say most about the subject; very long questions are cut to their best terms.
    qterms.sort((a, b) => this.postings.get(a[0])!.size - this.postings.get(b[0])!.size);
    const k1 = 1.2;
    const b = 0.75;
    for (const [t, c] of qterms.slice(0, QUERY_TERMS)) {
      const posting = this.postings.get(t)!;
      const idf = Math.log(1 + (n - posting.size + 0.5) / (posting.size + 0.5));
      const qw = idf * Math.min(3, c);
      for (const [id, tf] of posting) {
        const len = this.people.get(id)!.length;
        text.set(id, (text.get(id) ?? 0) + (qw * (tf * (k1 + 1))) / (tf + k1 * (1 - b + (b * len) / avg)));
        matched.set(id, (matched.get(id) ?? 0) + 1);
      }
    }
    let top = 0;
    for (const v of text.values()) top = Math.max(top, v);
    const decay = 1 / this.grow(q.at.getTime());
    const out: RoutedPerson[] = [];
    for (const [id, p] of this.people) {
      if (q.exclude?.has(id)) continue;
      let tagAnswers = 0;
      for (const t of q.tags) tagAnswers += p.tags.get(t) ?? 0;
      // One shared word is chance; two, or a shared tag, is a reason.
      if ((matched.get(id) ?? 0) < Math.min(2, qtf.size) && tagAnswers === 0) continue;
      const tx = top > 0 ? (text.get(id) ?? 0) / top : 0;
      const score =
        w.text * tx +
        w.tags * Math.log1p(tagAnswers) +
        w.activity * Math.log1p(p.activity * decay) +
        w.accepted * Math.log1p(p.accepted * decay) +
        w.quick * (p.quick / (p.answers + 2));
      out.push({ userId: id, score, text: tx, tagAnswers });
    }
    out.sort((a, b) => b.score - a.score || (a.userId < b.userId ? -1 : 1));
    return out.slice(0, q.limit);
  }
}
