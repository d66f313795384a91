/**
 * Recurring issues, the pure part: an in-memory index of the insights of a time window, by token,
 * with IDF-weighted cosine similarity and one centroid per cluster.
 *
 * - Candidates come from an inverted index (token → insights), so the whole window is searched,
 *   whatever the volume; only tokens carried by more than a fifth of the window are too common to
 *   propose candidates (they still count in the similarity).
 * - An insight joins the cluster whose centroid is most similar (not the cluster of its most
 *   similar member), so clusters do not chain into blobs; two unclustered insights that are similar
 *   enough start a cluster.
 * - Tags are pseudo-words with a small weight: a shared tag alone never reaches the threshold.
 * - Praise never joins complaints: positive insights cluster only with positive ones.
 * - Topics never mix: an insight clusters only with insights filed under the same customer topic
 *   (server/insights/topics.ts: its strongest recognised topic, or none), and the topic is a
 *   pseudo-word of the insight, so wordings of one problem meet ("delayed" and "4 hours late").
 *
 * Used by the product (server/domain/insight-clusters.ts) and replayed as is by `npm run eval:insights`.
 */

import { primaryTopic, recogniseTopics, topicLabel } from "./topics.js";

export const CLUSTER_WINDOW_DAYS = 7;
/** Cosine similarity at which an insight joins a cluster (or pairs up with another insight). */
export const CLUSTER_THRESHOLD = 0.15;
/** A tag weighs this much relative to a word of the same rarity. */
export const TAG_WEIGHT = 0.35;
/** The topic pseudo-word weighs this much relative to a word of the same rarity (decision 151). */
export const TOPIC_WEIGHT = 1;
/** A token in more than this share of the window proposes no candidates. */
const COMMON_SHARE = 0.2;

export type Polarity = "praise" | "other";
export const polarityOf = (label: string): Polarity => (label === "positive" ? "praise" : "other");

/** The customer topic an insight is filed under in recurring issues (null: none recognised). */
export function clusterTopicOf(text: string, label: string): string | null {
  return primaryTopic(recogniseTopics(text, label));
}

// Function words carry no topic; negations stay ("not received" differs from "received").
const STOP = new Set(
  "the and for are but you your yours our ours with this that have has had was were been being they them their there here from what when where which who whom why how all any can could would should will just than then too very into onto over under again about after before because while out off its it's i'm im ive i've me my mine we us she her his him he it is am be do does did doing a an of to in on at by or as so if yes get got still please thanks thank amp http https www com".split(
    " ",
  ),
);

/** Words of a text, lower-cased, function words dropped, plurals folded; in order, repeated. */
export function topicWords(text: string): string[] {
  const out: string[] = [];
  const cleaned = text.replace(/https?:\/\/\S+/gu, " ").replace(/@\w+/gu, " ");
  for (let raw of cleaned.toLowerCase().normalize("NFKD").match(/[\p{L}\p{N}']+/gu) ?? []) {
    raw = raw.replace(/'s$/u, "").replace(/'/gu, "");
    if (raw === "cant" || raw === "dont" || raw === "didnt" || raw === "doesnt" || raw === "wont" || raw === "isnt") raw = "not";
    if ((raw.length < 3 && raw !== "no") || STOP.has(raw) || /^\d+$/u.test(raw)) continue;
    out.push(raw.length > 4 && raw.endsWith("s") && !raw.endsWith("ss") ? raw.slice(0, -1) : raw);
  }
  return out;
}

export interface IndexedInsight {
  id: string;
  at: number;
  polarity: Polarity;
  /** The customer topic it is filed under (clusterTopicOf), or null. */
  topic: string | null;
  /** Unique words, `#tag` and `@topic` pseudo-words. */
  terms: string[];
  clusterId: string | null;
}

export type ClusterMatch = { kind: "cluster"; clusterId: string; score: number } | { kind: "pair"; withId: string; score: number };

interface ClusterState {
  members: Set<string>;
  /** Sum of the members' term counts (the centroid before weighting). */
  counts: Map<string, number>;
  /**
   * While no member has left: the members' earliest and latest times, and their polarity and topic
   * when all share them (else null). Then `counts` holds the same terms in the same order as a
   * recount over the members would, so match() may use it as it stands (see there).
   */
  minAt: number;
  maxAt: number;
  kind: string | null;
  left: boolean;
}

const kindOf = (it: { polarity: Polarity; topic: string | null }) => `${it.polarity}\u0000${it.topic ?? ""}`;

export function termsOf(text: string, tags: readonly string[] = [], topic: string | null = null): string[] {
  return [...new Set([...topicWords(text), ...tags.map((t) => `#${t}`), ...(topic ? [`@${topic}`] : [])])];
}

export class ClusterIndex {
  readonly items = new Map<string, IndexedInsight>();
  private byTerm = new Map<string, Set<string>>();
  private clusters = new Map<string, ClusterState>();

  /**
   * `reuseSums: false` recounts every candidate cluster's centroid from its members, as match()
   * does when a cluster's running sum cannot stand for it (the tests compare the two).
   */
  constructor(
    readonly windowMs = CLUSTER_WINDOW_DAYS * 86_400_000,
    private readonly reuseSums = true,
  ) {}

  get size() {
    return this.items.size;
  }

  /** Changes whenever an insight is added or removed, i.e. whenever idf (and so nameOf) may answer differently. */
  get generation() {
    return this.changes;
  }
  private changes = 0;

  has(id: string) {
    return this.items.has(id);
  }

  add(item: IndexedInsight) {
    if (this.items.has(item.id)) this.remove(item.id);
    this.changes++;
    this.items.set(item.id, item);
    for (const t of item.terms) {
      let s = this.byTerm.get(t);
      if (!s) this.byTerm.set(t, (s = new Set()));
      s.add(item.id);
    }
    if (item.clusterId) this.joinState(item.clusterId, item);
  }

  /** Records that an insight now belongs to a cluster (after a match was stored). */
  assign(id: string, clusterId: string) {
    const item = this.items.get(id);
    if (!item || item.clusterId === clusterId) return;
    if (item.clusterId) this.leaveState(item.clusterId, item);
    item.clusterId = clusterId;
    this.joinState(clusterId, item);
  }

  remove(id: string) {
    const item = this.items.get(id);
    if (!item) return;
    this.changes++;
    this.items.delete(id);
    for (const t of item.terms) {
      const s = this.byTerm.get(t);
      s?.delete(id);
      if (s && !s.size) this.byTerm.delete(t);
    }
    if (item.clusterId) this.leaveState(item.clusterId, item);
  }

  /** Drops insights older than `before` (they can no longer be anyone's neighbour). */
  evictBefore(before: number) {
    for (const [id, it] of this.items) if (it.at < before) this.remove(id);
  }

  private joinState(clusterId: string, item: IndexedInsight) {
    let c = this.clusters.get(clusterId);
    if (!c) this.clusters.set(clusterId, (c = { members: new Set(), counts: new Map(), minAt: item.at, maxAt: item.at, kind: kindOf(item), left: false }));
    c.members.add(item.id);
    c.minAt = Math.min(c.minAt, item.at);
    c.maxAt = Math.max(c.maxAt, item.at);
    if (c.kind !== kindOf(item)) c.kind = null;
    for (const t of item.terms) c.counts.set(t, (c.counts.get(t) ?? 0) + 1);
  }

  private leaveState(clusterId: string, item: IndexedInsight) {
    const c = this.clusters.get(clusterId);
    if (!c) return;
    c.left = true;
    c.members.delete(item.id);
    for (const t of item.terms) {
      const n = (c.counts.get(t) ?? 0) - 1;
      if (n > 0) c.counts.set(t, n);
      else c.counts.delete(t);
    }
    if (!c.members.size) this.clusters.delete(clusterId);
  }

  /** Inverse document frequency over the indexed insights; tags weigh TAG_WEIGHT of a word. */
  idf(term: string) {
    const df = this.byTerm.get(term)?.size ?? 0;
    const w = Math.log((this.items.size + 1) / (df + 1)) + 1;
    return term.startsWith("#") ? w * TAG_WEIGHT : term.startsWith("@") ? w * TOPIC_WEIGHT : w;
  }

  private vector(counts: Iterable<[string, number]>) {
    const v = new Map<string, number>();
    let norm = 0;
    for (const [t, c] of counts) {
      const w = c * this.idf(t);
      v.set(t, w);
      norm += w * w;
    }
    norm = Math.sqrt(norm) || 1;
    for (const [t, w] of v) v.set(t, w / norm);
    return v;
  }

  /**
   * The best place for a new insight among the indexed insights of [at − window, at] with the same
   * polarity: a cluster (centroid similarity) or an unclustered insight to pair with, or null.
   */
  match(me: { at: number; polarity: Polarity; topic: string | null; terms: string[] }): ClusterMatch | null {
    if (!me.terms.length) return null;
    const since = me.at - this.windowMs;
    const inWindow = (it: IndexedInsight) => it.at >= since && it.at <= me.at && it.polarity === me.polarity && it.topic === me.topic;
    const v = this.vector(me.terms.map((t) => [t, 1] as [string, number]));
    const common = Math.max(20, this.items.size * COMMON_SHARE);
    const candidates = new Set<string>();
    for (const t of me.terms) {
      const ids = this.byTerm.get(t);
      if (!ids || (ids.size > common && !t.startsWith("@"))) continue;
      for (const id of ids) candidates.add(id);
    }
    let best: ClusterMatch | null = null;
    const myKind = kindOf(me);
    const seenClusters = new Set<string>();
    for (const id of candidates) {
      const it = this.items.get(id)!;
      if (!inWindow(it)) continue;
      if (it.clusterId) {
        if (seenClusters.has(it.clusterId)) continue;
        seenClusters.add(it.clusterId);
        const c = this.clusters.get(it.clusterId)!;
        // The centroid of the cluster's members that are in the window and of the same polarity.
        // When every member is (and none ever left), that is the cluster's running sum, term for
        // term and in the same order, so the vector (and its floating-point sums) come out the same.
        if (this.reuseSums && !c.left && c.kind === myKind && c.minAt >= since && c.maxAt <= me.at) {
          const score = cosine(v, this.vector(c.counts));
          if (score >= CLUSTER_THRESHOLD && (!best || score > best.score)) best = { kind: "cluster", clusterId: it.clusterId, score };
          continue;
        }
        const counts = new Map<string, number>();
        let members = 0;
        for (const m of c.members) {
          const x = this.items.get(m)!;
          if (!inWindow(x)) continue;
          members++;
          for (const t of x.terms) counts.set(t, (counts.get(t) ?? 0) + 1);
        }
        if (!members) continue;
        const score = cosine(v, this.vector(counts));
        if (score >= CLUSTER_THRESHOLD && (!best || score > best.score)) best = { kind: "cluster", clusterId: it.clusterId, score };
      } else {
        const score = cosine(v, this.vector(it.terms.map((t) => [t, 1] as [string, number])));
        if (score >= CLUSTER_THRESHOLD && (!best || score > best.score)) best = { kind: "pair", withId: id, score };
      }
    }
    return best;
  }

  /**
   * A cluster's name: its top terms by weight (count × rarity), in the order they appear in the
   * member that holds most of them, e.g. "refund not received".
   */
  nameOf(texts: readonly string[], maxTerms = 3, topic: string | null = null): string {
    const words = this.topWords(texts, maxTerms);
    return topic ? `${topicLabel(topic)}: ${words}` : words;
  }

  private topWords(texts: readonly string[], maxTerms: number): string {
    const counts = new Map<string, number>();
    const docs = texts.map((t) => topicWords(t));
    for (const d of docs) for (const t of new Set(d)) counts.set(t, (counts.get(t) ?? 0) + 1);
    const minShare = texts.length > 2 ? 0.3 : 0;
    const top = [...counts]
      .filter(([, c]) => c / texts.length >= minShare)
      .map(([t, c]) => [t, c * this.idf(t)] as const)
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .slice(0, maxTerms)
      .map(([t]) => t);
    if (!top.length) return texts[0]?.slice(0, 60) ?? "";
    const model = docs.reduce((a, b) => (top.filter((t) => b.includes(t)).length > top.filter((t) => a.includes(t)).length ? b : a), docs[0]!);
    const pos = (t: string) => (model.includes(t) ? model.indexOf(t) : 1e9);
    return top.sort((a, b) => pos(a) - pos(b)).join(" ");
  }
}

export function cosine(a: Map<string, number>, b: Map<string, number>) {
  const [small, big] = a.size < b.size ? [a, b] : [b, a];
  let s = 0;
  for (const [t, w] of small) {
    const x = big.get(t);
    if (x !== undefined) s += w * x;
  }
  return s;
}

/**
 * Replays a stream of insights through a fresh index, in time order, exactly as the product
 * clusters them one by one. Returns each insight's cluster id (null: unclustered).
 */
export function replayClusters(
  rows: readonly { id: string; text: string; at: number; label: string; tags?: readonly string[] }[],
  windowMs = CLUSTER_WINDOW_DAYS * 86_400_000,
): Map<string, string | null> {
  const index = new ClusterIndex(windowMs);
  const out = new Map<string, string | null>();
  let next = 0;
  const assign = (id: string, clusterId: string) => {
    index.assign(id, clusterId);
    out.set(id, clusterId);
  };
  for (const r of [...rows].sort((a, b) => a.at - b.at)) {
    const topic = clusterTopicOf(r.text, r.label);
    const item: IndexedInsight = { id: r.id, at: r.at, polarity: polarityOf(r.label), topic, terms: termsOf(r.text, r.tags ?? [], topic), clusterId: null };
    const m = index.match(item);
    index.add(item);
    out.set(r.id, null);
    if (m?.kind === "cluster") assign(r.id, m.clusterId);
    else if (m) {
      const id = `c${++next}`;
      assign(m.withId, id);
      assign(r.id, id);
    }
    if (index.size > 50_000) index.evictBefore(r.at - windowMs);
  }
  return out;
}
