/**
 * The `<row … />` elements of a Stack Exchange dump file, read with two regular expressions instead
 * of a general XML tokenizer: a dump is a flat list of empty `row` elements whose attributes carry
 * everything, and a tokenizer walking every character of every HTML body was most of an import's
 * parsing time. Attribute values are decoded as XML decodes them (the five named entities and
 * numeric references); anything else between rows is skipped.
 */
import { createReadStream, statSync } from "node:fs";

export type Row = Record<string, string>;

// `>` may appear unescaped inside a quoted value, so values are matched whole, never scanned for `>`.
const ROW = /<row((?:\s+[\w:.-]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*\/>/g;
const ATTRIBUTE = /([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;
/** A row left unfinished longer than this is not a dump row: the file is not a dump. */
const MAX_ROW_CHARS = 64 * 1024 * 1024;

const isDigit = (c: number) => c >= 48 && c <= 57;
const isHex = (c: number) => isDigit(c) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);

/** Where the reference `referenceAt` last decoded ends (the index after its ";"). */
let referenceEnd = 0;

/**
 * The reference at `at` (just after its "&") decoded, its end left in `referenceEnd`; null when it
 * is not one of the five named entities or a numeric reference in range (it is then left as is).
 */
function referenceAt(value: string, at: number): string | null {
  const c = value.charCodeAt(at);
  if (c === 35 /* # */) {
    const hex = value.charCodeAt(at + 1) === 120 || value.charCodeAt(at + 1) === 88; // x X
    const from = hex ? at + 2 : at + 1;
    const max = hex ? 6 : 7;
    let end = from;
    while (end - from < max && (hex ? isHex(value.charCodeAt(end)) : isDigit(value.charCodeAt(end)))) end++;
    if (end === from || value.charCodeAt(end) !== 59 /* ; */) return null;
    const code = Number.parseInt(value.slice(from, end), hex ? 16 : 10);
    if (!(code > 0 && code <= 0x10ffff)) return null;
    referenceEnd = end + 1;
    return String.fromCodePoint(code);
  }
  // The five named entities, told apart by their first letter (no closure here: this runs for
  // every reference of every body, and a closure per call made decoding three times slower).
  let named: string | null = null;
  if (c === 108 /* l */) named = value.startsWith("t;", at + 1) ? "<" : null;
  else if (c === 103 /* g */) named = value.startsWith("t;", at + 1) ? ">" : null;
  else if (c === 97 /* a */) named = value.startsWith("mp;", at + 1) ? "&" : value.startsWith("pos;", at + 1) ? "'" : null;
  else if (c === 113 /* q */) named = value.startsWith("uot;", at + 1) ? '"' : null;
  if (named === null) return null;
  referenceEnd = at + (named === "<" || named === ">" ? 3 : named === "&" ? 4 : 5);
  return named;
}

/** An attribute value as XML reads it: the five named entities and numeric references decoded, any other "&" kept. */
export function decodeXml(value: string): string {
  let amp = value.indexOf("&");
  if (amp < 0) return value;
  let out = "";
  let from = 0;
  while (amp >= 0) {
    const ref = referenceAt(value, amp + 1);
    if (ref !== null) {
      out += value.slice(from, amp) + ref;
      from = referenceEnd;
      amp = value.indexOf("&", from);
    } else amp = value.indexOf("&", amp + 1);
  }
  return out + value.slice(from);
}

/** A row's attributes; with `only`, the others are neither decoded nor kept (a user's AboutMe, say). */
export function parseRowAttributes(attributes: string, only?: ReadonlySet<string>): Row {
  const row: Row = {};
  // exec on the one expression, not matchAll, which copies the expression for every row.
  ATTRIBUTE.lastIndex = 0;
  for (let m = ATTRIBUTE.exec(attributes); m; m = ATTRIBUTE.exec(attributes)) if (!only || only.has(m[1]!)) row[m[1]!] = decodeXml(m[2] ?? m[3] ?? "");
  return row;
}

/**
 * Calls `onRow` for each row of the file, in order; `onChunk` after each chunk of the file was read
 * (its rows delivered). Stops early when `onRow` returns false. With `only`, rows carry just those attributes.
 */
export async function readRows(
  file: string,
  onRow: (row: Row) => boolean | void,
  onChunk?: (bytesRead: number, bytesTotal: number) => Promise<void> | void,
  only?: ReadonlySet<string>,
): Promise<void> {
  const total = statSync(file).size;
  // A utf8 stream decodes characters split across chunk boundaries correctly.
  const stream = createReadStream(file, { encoding: "utf8", highWaterMark: 1 << 20 });
  let rest = "";
  let read = 0;
  try {
    for await (const chunk of stream as AsyncIterable<string>) {
      read += Buffer.byteLength(chunk);
      const text = rest + chunk;
      ROW.lastIndex = 0;
      let end = 0;
      for (let m = ROW.exec(text); m; m = ROW.exec(text)) {
        end = ROW.lastIndex;
        if (onRow(parseRowAttributes(m[1]!, only)) === false) return;
      }
      // Keep only what may be the start of a row cut by the chunk's end.
      const open = text.lastIndexOf("<row", text.length);
      rest = open >= end ? text.slice(open) : "";
      if (rest.length > MAX_ROW_CHARS) throw new Error(`${file}: a row longer than ${MAX_ROW_CHARS / 1024 / 1024} MB — not a Stack Exchange dump`);
      await onChunk?.(Math.min(read, total), total);
    }
  } finally {
    stream.destroy();
  }
}
