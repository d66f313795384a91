/**
 * One word's postings in one field — short document id → occurrences — in the shape MiniSearch
 * 7.2.0 keeps them (a `Map<number, number>`: get, set, delete, has, size, forEach, iteration), held
 * as one array of numbers (`id × OCCURRENCES + occurrences`, ascending by id): 8 bytes a posting
 * instead of a Map entry's ~40 (decision 195). MiniSearch adds documents with ever larger short
 * ids, so a write appends; a vacuum deletes while it iterates, which the iterator allows.
 */
const OCCURRENCES = 1 << 20;

export class PostingList {
  /** `id × OCCURRENCES + occurrences`, ascending by id. Read directly by the scoring loop. */
  packed: number[];

  private constructor(packed: number[]) {
    this.packed = packed;
  }

  static from(map: Iterable<[number, number]>): PostingList {
    const packed: number[] = [];
    let sorted = true;
    let last = -1;
    for (const [id, n] of map) {
      if (id <= last) sorted = false;
      last = id;
      packed.push(id * OCCURRENCES + n);
    }
    if (!sorted) packed.sort((a, b) => a - b);
    return new PostingList(packed);
  }

  static idOf(x: number): number {
    return Math.floor(x / OCCURRENCES);
  }

  static occurrencesOf(x: number): number {
    return x % OCCURRENCES;
  }

  /** Drops the spare room an array keeps for appends (once the start-up build is done). */
  trim(): void {
    this.packed = this.packed.slice();
  }

  get size(): number {
    return this.packed.length;
  }

  /** Position of `id`, or −(insertion point) − 1. */
  private find(id: number): number {
    const p = this.packed;
    let lo = 0;
    let hi = p.length - 1;
    if (hi >= 0) {
      // MiniSearch asks for the newest document (the last id, or one past it) while adding.
      const last = Math.floor(p[hi]! / OCCURRENCES);
      if (last === id) return hi;
      if (last < id) return -p.length - 1;
    }
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const at = Math.floor(p[mid]! / OCCURRENCES);
      if (at < id) lo = mid + 1;
      else if (at > id) hi = mid - 1;
      else return mid;
    }
    return -lo - 1;
  }

  get(id: number): number | undefined {
    const i = this.find(id);
    return i >= 0 ? this.packed[i]! % OCCURRENCES : undefined;
  }

  has(id: number): boolean {
    return this.find(id) >= 0;
  }

  set(id: number, occurrences: number): this {
    if (!Number.isInteger(occurrences) || occurrences < 0 || occurrences >= OCCURRENCES) throw new RangeError(`posting count out of range: ${occurrences}`);
    const p = this.packed;
    const x = id * OCCURRENCES + occurrences;
    const lastId = p.length ? Math.floor(p[p.length - 1]! / OCCURRENCES) : -1;
    if (id > lastId) p.push(x);
    else {
      const i = this.find(id);
      if (i >= 0) p[i] = x;
      else p.splice(-i - 1, 0, x);
    }
    return this;
  }

  delete(id: number): boolean {
    const i = this.find(id);
    if (i < 0) return false;
    this.packed.splice(i, 1);
    return true;
  }

  clear(): void {
    this.packed.length = 0;
  }

  forEach(fn: (occurrences: number, id: number, list: this) => void): void {
    for (const [id, n] of this.entries()) fn(n, id, this);
  }

  /** In id order; deleting the entry just yielded (as MiniSearch's vacuum does) skips nothing. */
  *entries(): IterableIterator<[number, number]> {
    const p = this.packed;
    let i = 0;
    while (i < p.length) {
      const x = p[i]!;
      const id = Math.floor(x / OCCURRENCES);
      yield [id, x % OCCURRENCES];
      if (i < p.length && Math.floor(p[i]! / OCCURRENCES) === id) i++;
    }
  }

  *keys(): IterableIterator<number> {
    for (const [id] of this.entries()) yield id;
  }

  *values(): IterableIterator<number> {
    for (const [, n] of this.entries()) yield n;
  }

  [Symbol.iterator](): IterableIterator<[number, number]> {
    return this.entries();
  }
}

/**
 * MiniSearch's postings of one word: field id → (short document id → occurrences), as a
 * PostingList once compacted (a Map only between MiniSearch adding a new word and the compaction).
 */
export type FieldTermData = Map<number, PostingList | Map<number, number>>;

/** MiniSearch's word index (its radix tree, `_index`) as far as compaction reads it. */
interface WordIndex extends Iterable<[string, unknown]> {
  get(term: string): unknown;
}

/**
 * Turns MiniSearch's posting Maps into PostingLists: all of them (after a page of a build, or a
 * load), or those of the given words (after one entry was added).
 */
export function compactPostings(index: WordIndex, terms?: Iterable<string>): void {
  const compact = (data: FieldTermData | undefined) => {
    if (!data) return;
    for (const [fieldId, postings] of data) if (!(postings instanceof PostingList)) data.set(fieldId, PostingList.from(postings));
  };
  if (terms) for (const t of terms) compact(index.get(t) as FieldTermData | undefined);
  else for (const [, data] of index) compact(data as FieldTermData);
}

/** Gives back the room posting lists kept for appends (a build is done: few appends follow). */
export function trimPostings(index: WordIndex): void {
  for (const [, data] of index) {
    for (const postings of (data as FieldTermData).values()) if (postings instanceof PostingList) postings.trim();
  }
}
