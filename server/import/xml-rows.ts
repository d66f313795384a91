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
const ENTITY = /&(?:#[xX]([0-9a-fA-F]{1,6})|#(\d{1,7})|(amp|lt|gt|quot|apos));/g;
const NAMED: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };
/** A row left unfinished longer than this is not a dump row: the file is not a dump. */
const MAX_ROW_CHARS = 64 * 1024 * 1024;

export function decodeXml(value: string): string {
  if (!value.includes("&")) return value;
  return value.replace(ENTITY, (whole, hex: string | undefined, dec: string | undefined, name: string | undefined) => {
    if (name) return NAMED[name]!;
    const code = Number.parseInt((hex ?? dec)!, hex ? 16 : 10);
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}

export function parseRowAttributes(attributes: string): Row {
  const row: Row = {};
  for (const m of attributes.matchAll(ATTRIBUTE)) row[m[1]!] = decodeXml(m[2] ?? m[3] ?? "");
  return row;
}

/**
 * Calls `onRow` for each row of the file, in order; `onChunk` after each chunk of the file was read
 * (its rows delivered). Stops early when `onRow` returns false.
 */
export async function readRows(
  file: string,
  onRow: (row: Row) => boolean | void,
  onChunk?: (bytesRead: number, bytesTotal: number) => Promise<void> | void,
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
        if (onRow(parseRowAttributes(m[1]!)) === false) return;
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
