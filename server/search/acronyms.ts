import { termOf } from "./text-terms.js";

/**
 * The acronyms a site spells out, learned from its own questions: "artificial intelligence (AI)",
 * "Monte Carlo tree search (MCTS)" or "NLP (natural language processing)". Similar questions then
 * match "AI" with "artificial intelligence" both ways. Nothing is built in, so each site learns the
 * acronyms its writers use, in any field.
 */

/** Words that may sit inside an expansion without giving it a letter ("Department of Defense (DoD)"). */
const CONNECTORS = new Set(["of", "and", "the", "for", "to", "in", "on", "a", "an", "with", "by", "&"]);
const MAX_LETTERS = 6;
/** How far before "(AI)" the spelled-out words are looked for. */
const LOOK_BACK = 80;
/** Acronyms and expansions remembered at most (a site's own vocabulary, not every bracket). */
const MAX_ACRONYMS = 5_000;

const ACRONYM_AFTER = /\(([A-Z][A-Za-z]{1,5}?)s?\)/g;
const ACRONYM_BEFORE = /\b([A-Z][A-Z]{1,5})s?\s+\(([^()]{3,80})\)/g;
const WORDS = /[^\p{L}\p{N}&]+/u;

export class Acronyms {
  /** Acronym term → expansion (its terms joined by spaces) → times seen. */
  private seen = new Map<string, Map<string, number>>();
  /** Acronym term → its likeliest expansion's terms. */
  private best = new Map<string, string[]>();
  /** First term of an expansion → the acronyms whose expansion starts with it. */
  private byFirst = new Map<string, Set<string>>();

  /** Reads a question's text for spelled-out acronyms. */
  learn(text: string): void {
    if (!text.includes("(")) return;
    for (const m of text.matchAll(ACRONYM_AFTER)) {
      const letters = m[1]!.replace(/[a-z]/g, "");
      if (letters.length < 2 || letters.length > MAX_LETTERS) continue;
      const before = text.slice(Math.max(0, m.index! - LOOK_BACK), m.index!).split(WORDS).filter(Boolean);
      const words = alignBackwards(letters, before);
      if (words) this.note(m[1]!, words);
    }
    for (const m of text.matchAll(ACRONYM_BEFORE)) {
      const letters = m[1]!;
      const inside = m[2]!.split(WORDS).filter(Boolean);
      const words = alignForwards(letters, inside);
      if (words) this.note(letters, words);
    }
  }

  /** The terms an acronym term stands for on this site, or null when it was never spelled out. */
  expansionOf(term: string): string[] | null {
    return this.best.get(term) ?? null;
  }

  /** The acronym terms whose expansion appears, word for word, in these terms. */
  acronymsIn(terms: string[]): string[] {
    const out: string[] = [];
    for (let i = 0; i < terms.length; i++) {
      const starting = this.byFirst.get(terms[i]!);
      if (!starting) continue;
      for (const acronym of starting) {
        const e = this.best.get(acronym)!;
        if (e.every((x, k) => terms[i + k] === x) && !out.includes(acronym)) out.push(acronym);
      }
    }
    return out;
  }

  get size(): number {
    return this.best.size;
  }

  private note(written: string, words: string[]) {
    const acronym = termOf(written.toLowerCase());
    const terms = words.map((w) => termOf(w.toLowerCase())).filter((x): x is string => !!x);
    // An expansion of fewer than two words is no expansion ("(AI)" after "the AI").
    if (!acronym || terms.length < 2 || terms.includes(acronym)) return;
    let counts = this.seen.get(acronym);
    if (!counts) {
      if (this.seen.size >= MAX_ACRONYMS) return;
      counts = new Map();
      this.seen.set(acronym, counts);
    }
    const key = terms.join(" ");
    counts.set(key, (counts.get(key) ?? 0) + 1);
    let top = key;
    for (const [k, c] of counts) if (c > counts.get(top)! || (c === counts.get(top)! && k < top)) top = k;
    const previous = this.best.get(acronym);
    if (previous?.join(" ") === top) return;
    if (previous) this.byFirst.get(previous[0]!)?.delete(acronym);
    const chosen = top.split(" ");
    this.best.set(acronym, chosen);
    let set = this.byFirst.get(chosen[0]!);
    if (!set) this.byFirst.set(chosen[0]!, (set = new Set()));
    set.add(acronym);
  }
}

const initial = (w: string) => w[0]!.toLowerCase();

/**
 * The words just before "(ABC)" whose initials spell A, B, C, read from the end; connector words
 * in between are skipped. Null unless every letter is matched by a word.
 */
function alignBackwards(letters: string, words: string[]): string[] | null {
  const out: string[] = [];
  let w = words.length - 1;
  for (let l = letters.length - 1; l >= 0; l--) {
    const want = letters[l]!.toLowerCase();
    while (w >= 0 && initial(words[w]!) !== want && CONNECTORS.has(words[w]!.toLowerCase()) && out.length) w--;
    if (w < 0 || initial(words[w]!) !== want) return null;
    out.unshift(words[w]!);
    w--;
  }
  return out;
}

/** The words inside "ABC (…)" whose initials spell A, B, C from the start, connectors skipped. */
function alignForwards(letters: string, words: string[]): string[] | null {
  const out: string[] = [];
  let w = 0;
  for (let l = 0; l < letters.length; l++) {
    const want = letters[l]!.toLowerCase();
    while (w < words.length && initial(words[w]!) !== want && CONNECTORS.has(words[w]!.toLowerCase()) && out.length) w++;
    if (w >= words.length || initial(words[w]!) !== want) return null;
    out.push(words[w]!);
    w++;
  }
  return out;
}
