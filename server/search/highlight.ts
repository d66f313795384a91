/**
 * Snippets as data, never as HTML: a list of segments, some marked. The page renders each segment
 * as text (React escapes it) and wraps marked ones in <mark>, so a document containing
 * "<script>" shows those characters and nothing runs.
 */
import { processTerm, tokenize } from "./query.js";

export interface Segment {
  text: string;
  mark?: true;
}

const WORD = /[\p{L}\p{N}#+]+/gu;

/**
 * The part of `text` around the first word matching one of `terms` (index terms, i.e. already
 * processed), about `width` characters long, with every matching word marked. A word matches when
 * its processed form equals a term or starts with it (prefix queries).
 */
export function highlight(text: string, terms: readonly string[], width = 180): Segment[] {
  const flat = text.replace(/\s+/g, " ").trim();
  if (!flat) return [];
  const wanted = [...new Set(terms)].filter(Boolean);
  const isHit = (word: string) => {
    const t = processTerm(word);
    return !!t && wanted.some((w) => t === w || t.startsWith(w));
  };
  let first = -1;
  WORD.lastIndex = 0;
  for (let m = WORD.exec(flat); m; m = WORD.exec(flat)) {
    if (isHit(m[0])) {
      first = m.index;
      break;
    }
  }
  const start = first <= 40 ? 0 : Math.max(0, flat.lastIndexOf(" ", first - 40) + 1);
  const end = Math.min(flat.length, start + width);
  const windowText = flat.slice(start, end);
  const out: Segment[] = [];
  if (start > 0) out.push({ text: "…" });
  let at = 0;
  WORD.lastIndex = 0;
  for (let m = WORD.exec(windowText); m; m = WORD.exec(windowText)) {
    if (!isHit(m[0])) continue;
    if (m.index > at) push(out, { text: windowText.slice(at, m.index) });
    out.push({ text: m[0], mark: true });
    at = m.index + m[0].length;
  }
  if (at < windowText.length) push(out, { text: windowText.slice(at) });
  if (end < flat.length) push(out, { text: "…" });
  return out;
}

function push(out: Segment[], s: Segment) {
  const last = out[out.length - 1];
  if (last && !last.mark && !s.mark) last.text += s.text;
  else out.push(s);
}

/** Segments for a short label (a title or a name): the whole label, matching words marked. */
export function markLabel(label: string, terms: readonly string[]): Segment[] {
  return highlight(label, terms, Math.max(label.length, 1));
}

export { tokenize };
