import { createHash } from "node:crypto";
import MiniSearch from "minisearch";
import { can, type Actor, type DocSubject } from "../policy.js";
import { compactPostings, PostingList, trimPostings, type FieldTermData } from "./posting-list.js";
import { processTerm, tokenize, type ParsedQuery } from "./query.js";

/**
 * One MiniSearch engine over everything a person can find: people, documents, questions, answers
 * and insights (decision 060). The index holds words and a small record per entry (title, link,
 * filters, ranking signals and — for documents — the access facts the policy needs). Document
 * text is indexed, not kept: snippets are cut from the database rows of the page being shown.
 *
 * Every result, count, facet and suggestion passes `mayOpen`, which asks server/policy.ts `can`
 * with the same rule the read path uses, so nothing the reader may not open is ever counted.
 */
export const SEARCH_TYPES = ["person", "doc", "question", "answer", "insight"] as const;
export type SearchType = (typeof SEARCH_TYPES)[number];

export type DocAccess = Omit<DocSubject, "deleted" | "actorTeamIds">;

export interface SearchEntry {
  type: SearchType;
  /** The entity's own id (user, document, question, answer or insight id). */
  id: string;
  /** Name of a person, title of a document or question, the question's title for an answer. */
  title: string;
  /** Indexed text; not kept in memory. */
  body: string;
  /** Tag / skill names (shown and filtered by, lower-cased for filtering). */
  tags: string[];
  departmentIds: string[];
  /** When it last meaningfully changed (epoch ms): recency ranking and the date filter. */
  date: number;
  url: string;
  /** A second line: a person's job title, a document's space, an insight's account… */
  subtitle: string;
  signals?: { score?: number; accepted?: boolean; answerCount?: number };
  /** Documents: who may read it (decision 042). */
  access?: DocAccess;
  /** Questions and answers: the author (policy "question.view"). */
  authorId?: string;
  /** Answers: their question. */
  parentId?: string;
  /** People: the level at which they hold each skill (label → level), as in the directory. */
  skillLevels?: Record<string, SkillLevel>;
}

export type SkillLevel = "expert" | "mentor" | "learning";
/**
 * The directory's rule (decision 007): for a matched word that is one of a person's skills, an
 * "ask me about" holder counts fully, a mentor ×0.6, a learner ×0.12.
 */
const LEVEL_WEIGHT: Record<SkillLevel, number> = { expert: 1, mentor: 0.6, learning: 0.12 };

export type EntryMeta = Omit<SearchEntry, "body"> & {
  /** Documents: the policy's subject, built once; the reader's teams are set per query. */
  subject?: DocSubject;
  key: string;
  /** qualityOf × recencyOf, computed when the entry is written: one lookup per match at query time. */
  boost: number;
  tagKeys: string[];
  /** People: index term → weight of the level at which they hold a skill containing it. */
  skillTerms?: Record<string, number>;
};

export interface SearchFilters {
  type?: SearchType;
  departmentId?: string;
  tag?: string;
  from?: number;
  to?: number;
}

/** Who is searching: the actor plus their team ids, looked up once per query. */
export interface Reader {
  actor: Actor;
  teamIds: readonly string[];
}

export interface Hit {
  meta: EntryMeta;
  score: number;
  /** Index terms this entry matched (for highlighting). */
  terms: string[];
}

export interface SearchOutcome {
  hits: Hit[];
  /** Everything the reader may open that matches the query and the non-type filters. */
  total: number;
  byType: Record<SearchType, number>;
  tags: { name: string; count: number }[];
  /** True when every word could not be matched together and any word was accepted instead. */
  relaxed: boolean;
  /**
   * True when more than COUNT_CAP readable entries matched: `total`, `byType` and `tags` then
   * count the best COUNT_CAP of them (and `total` what the page needed past that) — lower bounds, shown as "1,000+".
   */
  capped: boolean;
}

/** Readable matches counted exactly per query; past this the counts are lower bounds ("1,000+"). */
export const COUNT_CAP = 1_000;

export const keyOf = (type: SearchType, id: string) => `${type}:${id}`;

const TYPE_WEIGHT: Record<SearchType, number> = { person: 1.15, doc: 1, question: 1, answer: 0.8, insight: 0.9 };
const RECENCY_HALF_LIFE_DAYS = 180;
const DAY = 86_400_000;

/** Well-regarded items rise: votes (log-scaled), acceptance, having answers. */
export function qualityOf(e: Pick<SearchEntry, "type" | "signals">): number {
  const s = e.signals ?? {};
  let q = TYPE_WEIGHT[e.type];
  if (e.type === "question" || e.type === "answer") {
    q *= 1 + 0.2 * Math.log2(1 + Math.max(0, s.score ?? 0));
    if (s.accepted) q *= e.type === "answer" ? 1.4 : 1.3;
    else if ((s.answerCount ?? 0) > 0) q *= 1.1;
    if ((s.score ?? 0) < 0) q *= 0.8;
  }
  return q;
}

/** 1.5 for something changed today, 1.25 half a year ago, towards 1 for old things. */
export function recencyOf(date: number, now: number): number {
  const age = Math.max(0, now - date) / DAY;
  return 1 + 0.5 * Math.pow(0.5, age / RECENCY_HALF_LIFE_DAYS);
}

function skillTermsOf(levels: Record<string, SkillLevel>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [label, level] of Object.entries(levels)) {
    for (const token of tokenize(label)) {
      const t = processTerm(token);
      if (t) out[t] = Math.max(out[t] ?? 0, LEVEL_WEIGHT[level]);
    }
  }
  return out;
}

/** Shared by every record that has none (records are read, never changed in place). */
const NO_STRINGS: string[] = [];
const NO_SHARES: DocAccess["shares"] = [];

/** The one permission question, asked of server/policy.ts for every candidate. */
export function mayOpen(reader: Reader, m: EntryMeta): boolean {
  const { actor } = reader;
  switch (m.type) {
    case "person":
      // Deactivated people are removed from the index; everyone signed in sees the directory.
      return !!actor.active;
    case "doc":
      if (!m.subject) return false;
      // One object per document, not one per candidate per query: the loop is synchronous.
      m.subject.actorTeamIds = reader.teamIds;
      return can(actor, "doc.read", m.subject);
    case "question":
    case "answer":
      // Deleted posts are removed from the index; the rule still has the last word.
      return can(actor, "question.view", { authorId: m.authorId ?? "", deleted: false });
    case "insight":
      // Every employee reads insights (the same check getInsight makes).
      return can(actor, "insight.create", null);
  }
}

/**
 * `mayOpen` for many entries of one query: the types whose rule does not depend on the entry
 * (people, insights) are asked of the policy once, so their records are not even read; questions
 * and answers once per author; documents per entry, as `mayOpen` does.
 */
export function openerFor(reader: Reader): (type: SearchType, m: EntryMeta) => boolean {
  const person = mayOpen(reader, { type: "person" } as EntryMeta);
  const insight = mayOpen(reader, { type: "insight" } as EntryMeta);
  // A question's or an answer's subject for the policy is its author (and "not deleted"): the
  // answer for one author holds for every post of theirs in this query, so it is asked once.
  const byAuthor = new Map<string, boolean>();
  return (type, m) => {
    switch (type) {
      case "person":
        return person;
      case "insight":
        return insight;
      case "question":
      case "answer": {
        const author = m.authorId ?? "";
        let ok = byAuthor.get(author);
        if (ok === undefined) byAuthor.set(author, (ok = mayOpen(reader, m)));
        return ok;
      }
      default:
        return mayOpen(reader, m);
    }
  };
}

interface Indexed {
  key: string;
  title: string;
  body: string;
  tags: string;
}

/** Longest body text indexed per entry: the opening of a long document says what it is about. */
export const MAX_BODY_CHARS = 1_000;

/** MiniSearch plus what it does not expose: in how many entries' body text a word occurs. */
class Mini extends MiniSearch<Indexed> {
  bodyFrequency(term: string): number {
    return this._index.get(term)?.get(this._fieldIds.body!)?.size ?? 0;
  }

  /** Whether some indexed word is this term or starts with it. */
  knows(term: string): boolean {
    return this._index.atPrefix(term).size > 0;
  }

  // What the lean query executor (UnifiedIndex.score) reads of MiniSearch's own index. These are
  // MiniSearch's protected members (minisearch 7.2.0, pinned): the index stays MiniSearch's.
  termData(term: string): FieldTermData | undefined {
    return this._index.get(term) as FieldTermData | undefined;
  }
  prefixed(term: string): Iterable<[string, FieldTermData]> {
    return this._index.atPrefix(term) as Iterable<[string, FieldTermData]>;
  }
  near(term: string, distance: number): [string, FieldTermData, number][] {
    return [...this._index.fuzzyGet(term, distance)].filter(([, [, d]]) => d > 0).map(([t, [data, d]]) => [t, data as FieldTermData, d]);
  }
  fieldId(name: string): number {
    return this._fieldIds[name]!;
  }
  avgLength(name: string): number {
    return this._avgFieldLength[this._fieldIds[name]!] ?? 1;
  }
  fieldLengthOf(shortId: number, fieldId: number): number {
    return this._fieldLength.get(shortId)?.[fieldId] ?? 0;
  }
  shortIdOf(key: string): number | undefined {
    return this._idToShortId.get(key);
  }
  get documentCount(): number {
    return this._documentCount;
  }

  /**
   * Turns MiniSearch's posting Maps into PostingLists (decision 195): all of them (after a page of
   * the build, or a load), or those of the given words (after one entry was added).
   */
  compactPostings(terms?: Iterable<string>): void {
    compactPostings(this._index, terms);
  }

  /** Gives back the room posting lists kept for appends (the build is done: few appends follow). */
  trimPostings(): void {
    trimPostings(this._index);
  }
  get nextId(): number {
    return this._nextId;
  }
}

/** A word the query word stands for, with its weight (1 as typed, less for a prefix or typo). */
interface Derived {
  term: string;
  weight: number;
  data: FieldTermData;
  /** Whether to score its body postings (the word as typed, and not too common). */
  body: boolean;
}
export interface Ranked {
  sid: number;
  meta: EntryMeta;
  score: number;
}
const FIELDS = [
  { name: "title", boost: 3 },
  { name: "tags", boost: 2 },
  { name: "body", boost: 1 },
] as const;
/** MiniSearch's defaults, so scores are what `mini.search` gave. */
const BM25 = { k: 1.2, b: 0.7, d: 0.5 };
const PREFIX_WEIGHT = 0.6;
const FUZZY_WEIGHT = 0.4;
const byScore = (a: Ranked, b: Ranked) => b.score - a.score;

/** Moves the `k` best-scored items to the front (in no particular order): Hoare's quickselect. */
function selectBest(a: Ranked[], k: number): void {
  let lo = 0;
  let hi = a.length - 1;
  while (lo < hi) {
    const pivot = a[(lo + hi) >> 1]!.score;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i]!.score > pivot) i++;
      while (a[j]!.score < pivot) j--;
      if (i <= j) {
        const t = a[i]!;
        a[i++] = a[j]!;
        a[j--] = t;
      }
    }
    if (k - 1 <= j) hi = j;
    else if (k - 1 >= i) lo = i;
    else break;
  }
}

/**
 * The items best first, sorting only as far as the caller reads: the best `head` are selected and
 * sorted; the rest is sorted only when the caller goes past them (filters or the policy refused
 * many). A page and the capped counts rarely need more than the head.
 */
export function* inScoreOrder(items: Ranked[], head: number): Generator<Ranked> {
  if (items.length <= head * 2) {
    yield* items.sort(byScore);
    return;
  }
  selectBest(items, head);
  yield* items.slice(0, head).sort(byScore);
  yield* items.slice(head).sort(byScore);
}
function popcount(x: number): number {
  let n = 0;
  for (; x; x &= x - 1) n++;
  return n;
}

/**
 * A word found in the body text of more than this share of entries is matched in titles, names
 * and tags only: it says little about any one entry, and its postings are the costliest to score.
 */
export const COMMON_BODY_SHARE = 0.02;
const MIN_INDEX_FOR_CUTOFF = 5_000;

const miniOptions = {
  idField: "key",
  fields: ["title", "tags", "body"],
  storeFields: [] as string[],
  tokenize,
  processTerm: (t: string) => processTerm(t) ?? null,
  // Vacuuming is driven by the index itself (tidy/vacuumNow): once per quiet moment, not per change.
  autoVacuum: false,
};

/** What MiniSearch tokenises for an entry, as a short digest: equal digests, equal words. */
function wordsDigest(d: Indexed): string {
  return createHash("sha1").update(d.title).update("\u0000").update(d.tags).update("\u0000").update(d.body).digest("base64");
}

/** The index words of an entry, as MiniSearch derives them (the words whose postings it wrote). */
function wordsOf(d: Indexed): Set<string> {
  const out = new Set<string>();
  for (const field of [d.title, d.tags, d.body]) for (const token of tokenize(field)) {
    const t = processTerm(token);
    if (t) out.add(t);
  }
  return out;
}

/** Re-indexing queued by events waits this long, so changes to one entity coalesce. */
export const REINDEX_AFTER_MS = 20;
/** A vacuum runs this long after the first change that left discarded entries behind. */
export const VACUUM_AFTER_MS = 250;
const SMALL_INDEX = 5_000;

export class UnifiedIndex {
  private mini: Mini = new Mini(miniOptions);
  private meta = new Map<string, EntryMeta>();
  /** The same records by MiniSearch's short document id: the query loop's O(1) lookup. */
  private byShort: (EntryMeta | undefined)[] = [];
  /** By short id as well, flat for the scoring loop: the entry's boost (0 = gone), whether it is a person with skills, field lengths. */
  private boosts = new Float64Array(0);
  private skilled = new Uint8Array(0);
  /** Index in SEARCH_TYPES of each entry's type. */
  private types = new Uint8Array(0);
  private lens: Float32Array[] = FIELDS.map(() => new Float32Array(0));

  /** Records (or forgets, with `m` undefined) an entry under its short id, after MiniSearch added it. */
  private place(key: string, m: EntryMeta | undefined) {
    const sid = this.mini.shortIdOf(key);
    if (sid === undefined) return;
    if (this.boosts.length <= sid) {
      const size = Math.ceil((sid + 1) * 1.5) + 64;
      const grow = <A extends Float64Array | Float32Array | Uint8Array>(a: A, make: (n: number) => A): A => {
        const b = make(size);
        b.set(a);
        return b;
      };
      this.boosts = grow(this.boosts, (n) => new Float64Array(n));
      this.skilled = grow(this.skilled, (n) => new Uint8Array(n));
      this.types = grow(this.types, (n) => new Uint8Array(n));
      this.lens = this.lens.map((a) => grow(a, (n) => new Float32Array(n)));
    }
    this.byShort[sid] = m;
    this.boosts[sid] = m ? m.boost : 0;
    this.skilled[sid] = m?.skillTerms ? 1 : 0;
    this.types[sid] = m ? SEARCH_TYPES.indexOf(m.type) : 0;
    FIELDS.forEach((f, i) => (this.lens[i]![sid] = this.mini.fieldLengthOf(sid, this.mini.fieldId(f.name))));
  }
  /** Clock for recency; tests pass a fixed one (and a small count cap to test it). */
  constructor(
    private now: () => number = Date.now,
    private countCap = COUNT_CAP,
  ) {}

  private toIndexed(e: SearchEntry, key: string): Indexed {
    return { key, title: e.title, body: e.body.slice(0, MAX_BODY_CHARS), tags: e.tags.join(" ") };
  }

  /**
   * Repeated strings (tags, department ids, owners, authors, subtitles) and lists (tags, tag keys,
   * department ids) are kept once and shared by the records that hold them (decision 196).
   */
  private strings = new Map<string, string>();
  private lists = new Map<string, string[]>();
  private str(s: string): string {
    const had = this.strings.get(s);
    if (had !== undefined) return had;
    this.strings.set(s, s);
    return s;
  }
  private list(xs: readonly string[]): string[] {
    if (!xs.length) return NO_STRINGS;
    const k = xs.join("\u0000");
    let l = this.lists.get(k);
    if (!l) this.lists.set(k, (l = xs.map((x) => this.str(x))));
    return l;
  }

  /** The policy's subject for a document, which is also the record's access facts (one object). */
  private subjectOf(a: DocAccess): DocSubject {
    return {
      ownerId: this.str(a.ownerId),
      visibility: a.visibility,
      departmentId: a.departmentId === null ? null : this.str(a.departmentId),
      audienceRole: a.audienceRole,
      deleted: false,
      shares: a.shares.length ? a.shares : NO_SHARES,
      actorTeamIds: NO_STRINGS,
    };
  }

  /** Every record has the same fields in the same order (one shape: compact, and fast to read in the query loop). */
  private toMeta(e: SearchEntry, key: string): EntryMeta {
    const subject = e.access && this.subjectOf(e.access);
    return {
      type: e.type,
      id: e.id,
      key,
      title: e.title,
      subtitle: this.str(e.subtitle),
      url: e.url,
      tags: this.list(e.tags),
      tagKeys: this.list(e.tags.map((t) => t.toLowerCase())),
      departmentIds: this.list(e.departmentIds),
      date: e.date,
      boost: qualityOf(e) * recencyOf(e.date, this.now()),
      signals: e.signals,
      access: subject,
      subject,
      authorId: e.authorId === undefined ? undefined : this.str(e.authorId),
      parentId: e.parentId,
      skillLevels: e.skillLevels,
      skillTerms: e.skillLevels && skillTermsOf(e.skillLevels),
    };
  }

  /** Answers by their question's id: a thread's answers are found without scanning the index. */
  private children = new Map<string, Set<string>>();
  /**
   * Digest of the words each entry was indexed with, for entries written by `upsert` (not by the
   * start-up build, which would pay for a digest per entry): an upsert with the same words skips MiniSearch.
   */
  private words = new Map<string, string>();
  private vacuumTimer: NodeJS.Timeout | null = null;
  /** Re-indexing jobs by entity key, waiting for the next flush (the newest job per key wins). */
  private work = new Map<string, () => Promise<void>>();
  private workTimer: NodeJS.Timeout | null = null;
  private working: Promise<void> | null = null;
  /** Counters for the write benchmark and tests: jobs run and coalesced, vacuums, entries (re)tokenised and discarded. */
  readonly upkeep = { jobs: 0, coalesced: 0, vacuums: 0, added: 0, discarded: 0 };

  /** Set while the index is being filled at start: `progress` says how far. */
  private building = false;
  /** Entries removed while building: a page read before the removal must not bring them back. */
  private tombstones = new Set<string>();
  private cancelled = false;
  progress = { done: 0, total: 0 };

  /** Replaces everything at once (tests, benchmarks, small databases). */
  build(entries: Iterable<SearchEntry>): void {
    this.beginBuild(0);
    let batch: SearchEntry[] = [];
    for (const e of entries) {
      batch.push(e);
      if (batch.length >= 5_000) {
        this.addBatch(batch);
        batch = [];
      }
    }
    this.addBatch(batch);
    this.endBuild();
  }

  /**
   * Starts an incremental build into an empty index: pages are added with `addBatch` while the
   * server already answers (and while events keep upserting: an entry already present is newer
   * than the page, so the page skips it).
   */
  beginBuild(total: number): void {
    this.mini = new Mini(miniOptions);
    this.meta.clear();
    this.children.clear();
    this.words.clear();
    this.strings.clear();
    this.lists.clear();
    this.byShort = [];
    this.boosts = new Float64Array(0);
    this.skilled = new Uint8Array(0);
    this.types = new Uint8Array(0);
    this.lens = FIELDS.map(() => new Float32Array(0));
    this.tombstones.clear();
    this.building = true;
    this.cancelled = false;
    this.progress = { done: 0, total };
  }

  addBatch(entries: SearchEntry[]): void {
    const fresh: Indexed[] = [];
    for (const e of entries) {
      const key = keyOf(e.type, e.id);
      if (this.meta.has(key) || this.tombstones.has(key)) continue;
      const m = this.toMeta(e, key);
      this.meta.set(key, m);
      this.adopt(m);
      fresh.push(this.toIndexed(e, key));
    }
    this.mini.addAll(fresh);
    this.mini.compactPostings();
    for (const d of fresh) this.place(d.key, this.meta.get(d.key));
    this.progress.done += entries.length;
  }

  endBuild(): void {
    this.mini.trimPostings();
    this.building = false;
    this.tombstones.clear();
    this.progress.total = this.progress.done;
  }

  /** Stops a build in progress at its next page (the server is closing). */
  cancelBuild(): void {
    this.cancelled = true;
  }

  get isCancelled(): boolean {
    return this.cancelled;
  }

  /** False while the start-up build is still adding pages: results may be incomplete. */
  get ready(): boolean {
    return !this.building;
  }

  /**
   * Adds or replaces an entry. When an entry written by an earlier `upsert` comes back with the same
   * words (an answer posted or a vote changes a question's count, score or date, not its text), only
   * its record is swapped: nothing is re-tokenised, nothing discarded, nothing left to vacuum.
   */
  upsert(e: SearchEntry): void {
    const key = keyOf(e.type, e.id);
    this.tombstones.delete(key);
    const doc = this.toIndexed(e, key);
    const words = wordsDigest(doc);
    const old = this.meta.get(key);
    const m = this.toMeta(e, key);
    if (old && this.words.get(key) === words) {
      if (old.parentId !== m.parentId && old.parentId) this.children.get(old.parentId)?.delete(key);
      this.meta.set(key, m);
      this.adopt(m);
      this.place(key, m);
      return;
    }
    if (old) this.discard(key);
    this.meta.set(key, m);
    this.adopt(m);
    this.mini.add(doc);
    this.mini.compactPostings(wordsOf(doc));
    this.words.set(key, words);
    this.upkeep.added++;
    this.place(key, m);
    this.tidy();
  }

  /** Ranking signals or access facts changed, the words did not: no re-indexing. */
  patch(type: SearchType, id: string, change: Partial<Pick<SearchEntry, "signals" | "access" | "date" | "departmentIds">>): void {
    const m = this.meta.get(keyOf(type, id));
    if (!m) return;
    Object.assign(m, change);
    m.departmentIds = this.list(m.departmentIds);
    m.subject = m.access && this.subjectOf(m.access);
    m.access = m.subject;
    m.boost = qualityOf(m) * recencyOf(m.date, this.now());
    this.place(m.key, m);
  }

  remove(type: SearchType, id: string): void {
    const key = keyOf(type, id);
    if (this.building) this.tombstones.add(key);
    const m = this.meta.get(key);
    if (!m) return;
    this.discard(key);
    this.meta.delete(key);
    this.words.delete(key);
    if (m.parentId) this.children.get(m.parentId)?.delete(key);
    this.tidy();
  }

  private adopt(m: EntryMeta) {
    if (!m.parentId) return;
    let set = this.children.get(m.parentId);
    if (!set) this.children.set(m.parentId, (set = new Set()));
    set.add(m.key);
  }

  /** Removes the entries of one type under a parent (a question's answers), or those of them `which` picks. */
  removeChildren(type: SearchType, parentId: string, which: (id: string) => boolean = () => true): void {
    const set = this.children.get(parentId);
    if (!set) return;
    for (const key of [...set]) {
      const m = this.meta.get(key);
      if (m?.type === type && which(m.id)) this.remove(type, m.id);
    }
    if (!set.size) this.children.delete(parentId);
  }

  private discard(key: string) {
    this.upkeep.discarded++;
    this.place(key, undefined);
    this.mini.discard(key);
  }

  /** Removes every entry matching `pred` (e.g. the answers of a deleted question). */
  removeWhere(pred: (m: EntryMeta) => boolean): void {
    for (const m of [...this.meta.values()]) if (pred(m)) this.remove(m.type, m.id);
  }

  /**
   * A discarded entry still weighs in MiniSearch's document-length statistics until a vacuum; on
   * a small index that skews scores visibly (even below zero). A vacuum walks the whole index, so
   * it is not run per change: one is scheduled a moment after the first change, and a search on a
   * small index that finds dirt vacuums first. Large indexes vacuum in the background, once the
   * dirt is worth it (decision 093).
   */
  private tidy() {
    if (this.mini.dirtCount === 0 || this.vacuumTimer) return;
    this.vacuumTimer = setTimeout(() => {
      this.vacuumTimer = null;
      this.vacuumNow();
    }, VACUUM_AFTER_MS);
    this.vacuumTimer.unref?.();
  }

  /** Small index: one synchronous pass now. Large: batches in the background, if dirty enough. */
  private vacuumNow(): void {
    if (this.mini.dirtCount === 0 || this.mini.isVacuuming) return;
    this.upkeep.vacuums++;
    if (this.meta.size < SMALL_INDEX) {
      // A batch size above the term count: MiniSearch never yields, the pass completes in this call.
      void this.mini.vacuum({ batchSize: Number.MAX_SAFE_INTEGER, batchWait: 0 });
    } else if (this.mini.dirtCount >= 200 && this.mini.dirtFactor >= 0.05) {
      void this.mini.vacuum({ batchSize: 5_000, batchWait: 5 });
    }
  }

  private readyToRead() {
    if (this.meta.size < SMALL_INDEX && this.mini.dirtCount > 0) this.vacuumNow();
  }

  /**
   * Queues re-indexing work for one entity (`key`), run a moment later off the request path;
   * queued work for the same key is replaced, so a burst of changes costs one re-index.
   */
  enqueue(key: string, job: () => Promise<void>): void {
    if (this.work.has(key)) this.upkeep.coalesced++;
    this.work.set(key, job);
    if (this.workTimer) return;
    this.workTimer = setTimeout(() => {
      this.workTimer = null;
      void this.runWork();
    }, REINDEX_AFTER_MS);
    this.workTimer.unref?.();
  }

  /** Resolves once the work queued before this call has been applied (searches wait for it). */
  async settle(): Promise<void> {
    if (this.working) await this.working;
    if (this.work.size) await this.runWork();
  }

  get queued(): number {
    return this.work.size;
  }

  private runWork(): Promise<void> {
    if (this.working) return this.working.then(() => (this.work.size ? this.runWork() : undefined));
    if (this.workTimer) clearTimeout(this.workTimer);
    this.workTimer = null;
    const jobs = [...this.work.values()];
    this.work.clear();
    this.working = (async () => {
      for (const job of jobs) {
        this.upkeep.jobs++;
        try {
          await job();
        } catch (err) {
          if (!this.cancelled) console.error("[search] re-indexing failed", err);
        }
      }
    })().finally(() => (this.working = null));
    return this.working;
  }

  get(type: SearchType, id: string): EntryMeta | undefined {
    return this.meta.get(keyOf(type, id));
  }

  /** Discarded entries still in MiniSearch's postings (until the next vacuum). */
  get dirt(): number {
    return this.mini.dirtCount;
  }

  get size(): number {
    return this.meta.size;
  }

  countOf(type: SearchType): number {
    let n = 0;
    for (const m of this.meta.values()) if (m.type === type) n++;
    return n;
  }

  /** Per-query scratch, indexed by MiniSearch's short document id (reused: the query is synchronous). */
  private scores = new Float64Array(0);
  private masks = new Uint16Array(0);
  /** Postings read since construction (benchmarks report it per query). */
  visited = 0;

  /**
   * What a query word stands for in the index: the word itself, words it begins (for the last
   * word, or a word that is not in the index as typed, from three letters), and — only when no
   * indexed word is or begins with it — words one edit away (from five letters), two (from nine)
   * if one edit found nothing. Body text is searched for the word as typed only, and not at all
   * for a word in more than COMMON_BODY_SHARE of the bodies.
   */
  private expand(t: string, isLast: boolean, titlesOnly: boolean): Derived[] {
    const out: Derived[] = [];
    const cutoff = this.meta.size >= MIN_INDEX_FOR_CUTOFF ? this.meta.size * COMMON_BODY_SHARE : Infinity;
    const data = this.mini.termData(t);
    if (data) out.push({ term: t, weight: 1, data, body: !titlesOnly && (data.get(this.mini.fieldId("body"))?.size ?? 0) <= cutoff });
    if (t.length >= 3 && (isLast || !data)) {
      for (const [term, d] of this.mini.prefixed(t)) {
        if (term === t) continue;
        const distance = term.length - t.length;
        out.push({ term, weight: (PREFIX_WEIGHT * term.length) / (term.length + 0.3 * distance), data: d, body: false });
      }
    }
    if (!out.length && t.length >= 5) {
      let near = this.mini.near(t, 1);
      if (!near.length && t.length >= 9) near = this.mini.near(t, 2);
      for (const [term, d, distance] of near) out.push({ term, weight: (FUZZY_WEIGHT * term.length) / (term.length + distance), data: d, body: false });
    }
    return out;
  }

  /**
   * Scores every entry matching any word, straight from MiniSearch's postings (the same BM25 as
   * MiniSearch's own search, × the entry's precomputed boost) into reused typed arrays: no result
   * object, match map or closure per match. Returns the entries with every word (AND), or — when
   * `any` — with at least one, each with its final score, unsorted.
   */
  private score(derived: Derived[][], titlesOnly: boolean): { sids: number[]; all: number } {
    const mini = this.mini;
    const n = mini.nextId;
    if (this.scores.length < n) {
      this.scores = new Float64Array(Math.ceil(n * 1.5) + 64);
      this.masks = new Uint16Array(this.scores.length);
    }
    const { scores, masks } = this;
    const touched: number[] = [];
    const N = mini.documentCount;
    const { boosts, skilled, byShort } = this;
    const fields = FIELDS.map((f, i) => ({ id: mini.fieldId(f.name), boost: f.boost, avg: mini.avgLength(f.name), body: f.name === "body", lens: this.lens[i]! }));
    const { k, b, d: bd } = BM25;
    derived.forEach((ds, i) => {
      const bit = 1 << i;
      for (const d of ds) {
        for (const f of fields) {
          if (f.body && (titlesOnly || !d.body)) continue;
          const postings = d.data.get(f.id);
          if (!postings) continue;
          const df = postings.size;
          this.visited += df;
          const w = d.weight * f.boost * Math.log(1 + (N - df + 0.5) / (df + 0.5));
          const { lens, avg } = f;
          const term = d.term;
          const { packed } = postings instanceof PostingList ? postings : PostingList.from(postings);
          for (let i = 0; i < packed.length; i++) {
            const x = packed[i]!;
            const sid = PostingList.idOf(x);
            let docBoost = boosts[sid]!;
            if (!docBoost) continue; // discarded (not yet vacuumed), or boosted to nothing
            if (skilled[sid] === 1) {
              const lw = byShort[sid]!.skillTerms![term];
              if (lw !== undefined) docBoost *= lw;
            }
            const tf = PostingList.occurrencesOf(x);
            const raw = bd + (tf * (k + 1)) / (tf + k * (1 - b + (b * lens[sid]!) / avg));
            if (masks[sid] === 0) touched.push(sid);
            masks[sid] |= bit;
            scores[sid] += w * docBoost * raw;
          }
        }
      }
    });
    return { sids: touched, all: (1 << derived.length) - 1 };
  }

  /** Clears the scratch entries a query touched. */
  private reset(sids: number[]) {
    for (const sid of sids) {
      this.scores[sid] = 0;
      this.masks[sid] = 0;
    }
  }

  /**
   * Candidates in score order: every word (AND) when some entry that `accept`s has them all,
   * otherwise any word (`relaxed`). MiniSearch's rule: the summed score × the number of words matched.
   */
  private rank(terms: string[], accept: (m: EntryMeta) => boolean, titlesOnly: boolean, orAny = true): { ranked: Ranked[]; derived: Derived[][]; relaxed: boolean } {
    const derived = terms.map((t, i) => this.expand(t, i === terms.length - 1, titlesOnly));
    const { sids, all } = this.score(derived, titlesOnly);
    try {
      const collect = (every: boolean): Ranked[] => {
        const out: Ranked[] = [];
        for (const sid of sids) {
          const mask = this.masks[sid]!;
          if (every && mask !== all) continue;
          out.push({ sid, meta: this.byShort[sid]!, score: this.scores[sid]! * popcount(mask) });
        }
        return out;
      };
      let ranked = collect(true);
      let relaxed = false;
      if (orAny && terms.length > 1 && !ranked.some((r) => accept(r.meta))) {
        ranked = collect(false);
        relaxed = true;
      }
      return { ranked, derived, relaxed };
    } finally {
      this.reset(sids);
    }
  }

  /** The index words an entry matched (for highlighting): asked only for the entries shown. */
  private matchedTerms(sid: number, derived: Derived[][]): string[] {
    const out: string[] = [];
    for (const ds of derived) for (const d of ds) {
      if (out.includes(d.term)) continue;
      for (const postings of d.data.values()) if (postings.has(sid)) {
        out.push(d.term);
        break;
      }
    }
    return out;
  }

  /**
   * Ranked, permission-filtered results. Every word must match (a word may match as a prefix or
   * with a typo); when that finds nothing, any word will do and `relaxed` says so.
   */
  search(reader: Reader, q: ParsedQuery, f: SearchFilters = {}, page: { offset?: number; limit?: number } = {}): SearchOutcome {
    const byType = Object.fromEntries(SEARCH_TYPES.map((t) => [t, 0])) as Record<SearchType, number>;
    const empty: SearchOutcome = { hits: [], total: 0, byType, tags: [], relaxed: false, capped: false };
    if (!q.terms.length) return empty;
    this.readyToRead();
    const tag = f.tag?.trim().toLowerCase();
    const filtered = !!(f.departmentId || tag || f.from !== undefined || f.to !== undefined);
    const passes = (m: EntryMeta) =>
      (!f.departmentId || m.departmentIds.includes(f.departmentId)) &&
      (!tag || m.tagKeys.includes(tag)) &&
      (f.from === undefined || m.date >= f.from) &&
      (f.to === undefined || m.date <= f.to);
    const open = openerFor(reader);
    const acceptAt = (sid: number, m: EntryMeta) => (!filtered || passes(m)) && open(SEARCH_TYPES[this.types[sid]!]!, m);
    const accept = (m: EntryMeta) => passes(m) && mayOpen(reader, m);
    const { ranked, derived, relaxed: triedAny } = this.rank(q.terms, accept, false);
    const offset = Math.max(0, page.offset ?? 0);
    const limit = Math.max(1, Math.min(page.limit ?? 20, 100));
    const tagCounts = new Map<string, number>();
    const hits: Hit[] = [];
    let total = 0;
    let counted = 0;
    let capped = false;
    // In score order, each candidate passes the filters and the policy before it is counted or
    // shown. Counting stops at COUNT_CAP readable matches ("1,000+"): past it, only as far as the
    // page needs (and one more, so the page knows a next one exists).
    for (const r of inScoreOrder(ranked, this.countCap + offset + limit + 100)) {
      const m = r.meta;
      if (!acceptAt(r.sid, m)) continue;
      const type = SEARCH_TYPES[this.types[r.sid]!]!;
      // Only a readable match past the cap makes the counts "at least": nothing unreadable shows.
      if (counted >= this.countCap) {
        capped = true;
        // The page is full and a next page is known to exist: the rest is not read.
        if (hits.length >= limit && total > offset + limit) break;
      } else {
        counted++;
        byType[type]++;
        for (const t of m.tags) tagCounts.set(t, (tagCounts.get(t) ?? 0) + 1);
      }
      if (f.type && type !== f.type) continue;
      if (total >= offset && hits.length < limit) hits.push({ meta: m, score: r.score, terms: this.matchedTerms(r.sid, derived) });
      total++;
    }
    return {
      hits,
      total,
      capped,
      byType,
      tags: [...tagCounts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, 12).map(([name, count]) => ({ name, count })),
      relaxed: triedAny && Object.values(byType).some((n) => n > 0),
    };
  }

  /** Quick matches for the palette: titles and names only, a few per type, best first. */
  suggest(reader: Reader, q: ParsedQuery, perType = 4, only?: SearchType): Hit[] {
    if (!q.terms.length) return [];
    this.readyToRead();
    const accept = (m: EntryMeta) => (!only || m.type === only) && mayOpen(reader, m);
    let { ranked, derived } = this.rank(q.terms, accept, true, false);
    if (!ranked.some((r) => accept(r.meta))) ({ ranked, derived } = this.rank(q.terms, accept, false, false));
    const taken = new Map<SearchType, number>();
    const out: Hit[] = [];
    for (const r of inScoreOrder(ranked, 200)) {
      const m = r.meta;
      const n = taken.get(m.type) ?? 0;
      if (n >= perType || !accept(m)) continue;
      taken.set(m.type, n + 1);
      out.push({ meta: m, score: r.score, terms: this.matchedTerms(r.sid, derived) });
      if (out.length >= perType * SEARCH_TYPES.length) break;
    }
    return out;
  }

  /** A snapshot: MiniSearch's own JSON plus the per-entry records (decision 061 measures it). */
  toJSON(): { mini: ReturnType<MiniSearch["toJSON"]>; meta: EntryMeta[] } {
    return { mini: this.mini.toJSON(), meta: [...this.meta.values()] };
  }

  static async fromJSON(json: string, now: () => number = Date.now): Promise<UnifiedIndex> {
    const parsed = JSON.parse(json) as { mini: Parameters<typeof MiniSearch.loadJS>[0]; meta: EntryMeta[] };
    const idx = new UnifiedIndex(now);
    // loadJSAsync builds a plain MiniSearch; give it Mini's methods (no own state of its own).
    idx.mini = Object.setPrototypeOf(await Mini.loadJSAsync<Indexed>(parsed.mini, miniOptions), Mini.prototype) as Mini;
    idx.mini.compactPostings();
    idx.mini.trimPostings();
    idx.meta = new Map(parsed.meta.map((m) => [m.key, m]));
    for (const m of idx.meta.values()) idx.place(m.key, m);
    return idx;
  }
}
