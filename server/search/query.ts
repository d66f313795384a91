/**
 * What a search box may receive, made safe for the index: bounded length, bounded number of
 * words, operator-looking input (AND OR NOT * " : - ( ) …) read as plain words, and words that
 * carry no meaning dropped. Shared by the index (same tokenizer and term processing on both sides)
 * and the snippet highlighter.
 */

export const MAX_QUERY_CHARS = 200;
export const MAX_QUERY_TERMS = 8;

/** Words too common to search for (and to index): they would match nearly everything. */
export const STOP_WORDS = new Set(
  (
    "a an and are as at be but by for from has have in into is it its of on or not that the their this to was were will with " +
    "i you he she we they me my our your his her them us do does did so if than then there these those what which who how"
  ).split(" "),
);

/** Splits on anything that is not a letter, a digit, or a '#'/'+' inside a word (c#, c++). */
export function tokenize(text: string): string[] {
  return text.split(/[^\p{L}\p{N}#+]+/u).filter(Boolean);
}

const NON_ASCII = /[^\x00-\x7f]/;

/** Lower case, accents folded, stop words and one-letter words dropped. Index and queries alike. */
export function processTerm(term: string): string | null {
  let t = term.toLowerCase();
  // Accents folded (é → e); skipped for plain ASCII, which is most words and the costly part.
  if (NON_ASCII.test(t)) t = t.normalize("NFKD").replace(/\p{M}+/gu, "");
  if (t.charCodeAt(0) === 35 || t.charCodeAt(0) === 43) t = t.replace(/^[#+]+/, "");
  if (t.length < 2 || t.length > 40 || STOP_WORDS.has(t)) return null;
  return t;
}

export interface ParsedQuery {
  /** The query as shown back to the reader (trimmed, cut to MAX_QUERY_CHARS). */
  text: string;
  /** Terms as the index stores them, deduplicated, at most MAX_QUERY_TERMS. */
  terms: string[];
  /** True when the input was longer than MAX_QUERY_CHARS or had more than MAX_QUERY_TERMS words. */
  truncated: boolean;
}

export function parseQuery(raw: string | null | undefined): ParsedQuery {
  const input = String(raw ?? "").replace(/\s+/g, " ").trim();
  const cut = input.length > MAX_QUERY_CHARS;
  // Cut at a word boundary when there is one, so the last word is not a fragment.
  const text = cut ? input.slice(0, MAX_QUERY_CHARS + 1).replace(/\s+\S*$/, "").slice(0, MAX_QUERY_CHARS) || input.slice(0, MAX_QUERY_CHARS) : input;
  const all: string[] = [];
  for (const token of tokenize(text)) {
    const t = processTerm(token);
    if (t && !all.includes(t)) all.push(t);
  }
  return { text, terms: all.slice(0, MAX_QUERY_TERMS), truncated: cut || all.length > MAX_QUERY_TERMS };
}
