/**
 * Blocks, sections and diffs of a document's content (pure functions over Lexical's serialized
 * top-level nodes, no editor needed): the revision view compares a revision with the current
 * document block by block (words inside changed paragraphs), and "restore this section" finds
 * where a revision's section lives in today's document (decision 043).
 *
 * A *section* is a heading and the blocks after it up to the next heading of the same or a
 * higher level (so an h2 section contains its h3 subsections); the blocks before the first
 * heading form the *preamble* (which always exists, possibly empty).
 */
import type { SerializedLexicalNode } from "lexical";

export interface Block {
  /** Position among the document's top-level nodes. */
  index: number;
  type: string;
  /** 1–6 for headings, 0 otherwise. */
  level: number;
  /** Plain text, lines of lists and rows of tables separated by newlines. */
  text: string;
  /** What the block looks like (type, tag, formatting, text): equal signatures = equal blocks. */
  sig: string;
  /** Identity of the block's Yjs element ("client:clock"), when known: survives edits to its text. */
  yid: string | null;
  /** Human name of the kind of block ("Heading 2", "Paragraph", "Bulleted list"…). */
  kind: string;
  node: SerializedLexicalNode;
}

type Node = SerializedLexicalNode & { children?: Node[]; text?: string; tag?: string; listType?: string };

const BLOCKISH = new Set(["listitem", "tablerow", "tablecell", "paragraph", "heading", "quote", "code", "list", "table"]);

export function nodeText(node: Node): string {
  if (typeof node.text === "string") return node.text;
  if (node.type === "linebreak") return "\n";
  const kids = node.children ?? [];
  let out = "";
  kids.forEach((c, i) => {
    const t = nodeText(c);
    if (i > 0 && BLOCKISH.has(c.type)) out += c.type === "tablecell" ? " | " : "\n";
    out += t;
  });
  return out;
}

function kindOf(n: Node, level: number): string {
  if (level) return `Heading ${level}`;
  // Other kinds ("Paragraph", "Quote", "Table") are named after their type.
  switch (n.type) {
    case "code":
      return "Code block";
    case "list":
      return n.listType === "number" ? "Numbered list" : n.listType === "check" ? "Checklist" : "Bulleted list";
    default:
      return n.type.charAt(0).toUpperCase() + n.type.slice(1);
  }
}

/** Top-level blocks of a serialized root, with Yjs identities when the caller knows them. */
export function toBlocks(children: SerializedLexicalNode[], yids: (string | null)[] = []): Block[] {
  return children.map((raw, index) => {
    const n = raw as Node;
    const m = n.type === "heading" && typeof n.tag === "string" ? /^h([1-6])$/.exec(n.tag) : null;
    const level = m ? Number(m[1]) : 0;
    return { index, type: n.type, level, text: nodeText(n), sig: JSON.stringify(n), yid: yids[index] ?? null, kind: kindOf(n, level), node: raw };
  });
}

export interface Section {
  /** Index of the heading block; the preamble starts at 0 and has no heading. */
  start: number;
  /** Exclusive end. */
  end: number;
  heading: Block | null;
}

export function preamble(blocks: Block[]): Section {
  const first = blocks.findIndex((b) => b.level > 0);
  return { start: 0, end: first < 0 ? blocks.length : first, heading: null };
}

/** The section that starts at heading `start` (must be a heading). */
export function sectionAt(blocks: Block[], start: number): Section | null {
  const h = blocks[start];
  if (!h || !h.level) return null;
  let end = start + 1;
  while (end < blocks.length && !(blocks[end]!.level && blocks[end]!.level <= h.level)) end++;
  return { start, end, heading: h };
}

/** The preamble and every heading's section, in document order (sections nest). */
export function splitSections(blocks: Block[]): Section[] {
  const out = [preamble(blocks)];
  for (const b of blocks) if (b.level) out.push(sectionAt(blocks, b.index)!);
  return out;
}

const norm = (s: string) => s.replace(/\s+/g, " ").trim().toLowerCase();

/**
 * The heading in `blocks` that is the same as `h` from another version: the same Yjs element
 * (even if retitled) if it is still a heading, else the same level and title (the n-th such
 * heading for the n-th occurrence).
 */
export function findHeading(h: Block, from: Block[], blocks: Block[]): Block | null {
  if (h.yid) {
    const same = blocks.find((b) => b.yid === h.yid && b.level > 0);
    if (same) return same;
  }
  // The key holds the level, so only headings of h's level match. A block that is another
  // element of the revision is not a candidate (h's own element was looked for above).
  const key = (b: Block) => `${b.level}:${norm(b.text)}`;
  const ordinal = from.filter((b) => b.index < h.index && key(b) === key(h)).length;
  const candidates = blocks.filter((b) => key(b) === key(h) && !(b.yid && from.some((o) => o.yid === b.yid)));
  return candidates[ordinal] ?? candidates[0] ?? null;
}

export interface RestorePlan {
  /** The revision's section (blocks to put in). */
  source: Section;
  /** The current blocks [from, to) it replaces; from === to when the section is gone. */
  from: number;
  to: number;
  /** The section no longer exists and is put back at its old place. */
  reinserted: boolean;
}

/**
 * Where a revision's section goes in the current document. A section that no longer exists is
 * reinserted just before the first heading that followed it in the revision and still exists,
 * or at the end of the document when none does.
 */
export function planSectionRestore(rev: Block[], cur: Block[], start: number | "preamble"): RestorePlan | null {
  if (start === "preamble") {
    const source = preamble(rev);
    const target = preamble(cur);
    return { source, from: target.start, to: target.end, reinserted: false };
  }
  const source = sectionAt(rev, start);
  if (!source) return null;
  const here = findHeading(source.heading!, rev, cur);
  if (here) {
    const target = sectionAt(cur, here.index)!;
    return { source, from: target.start, to: target.end, reinserted: false };
  }
  for (const b of rev.slice(source.end)) {
    if (!b.level) continue;
    const next = findHeading(b, rev, cur);
    if (next) return { source, from: next.index, to: next.index, reinserted: true };
  }
  return { source, from: cur.length, to: cur.length, reinserted: true };
}

/** Longest common subsequence of two sequences by key: the matched index pairs, in order. */
export function lcs<T>(a: T[], b: T[], key: (x: T) => string): [number, number][] {
  const n = a.length;
  const m = b.length;
  const ka = a.map(key);
  const kb = b.map(key);
  const dp: Uint32Array[] = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) dp[i]![j] = ka[i] === kb[j] ? dp[i + 1]![j + 1]! + 1 : Math.max(dp[i + 1]![j]!, dp[i]![j + 1]!);
  }
  const out: [number, number][] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (ka[i] === kb[j]) {
      out.push([i, j]);
      i++;
      j++;
    } else if (dp[i + 1]![j]! >= dp[i]![j + 1]!) i++;
    else j++;
  }
  return out;
}

export type WordOp = { op: "same" | "added" | "removed"; text: string };

/** Word-level marks inside a changed block (whole-text replacement if the texts are huge). */
export function diffWords(before: string, after: string): WordOp[] {
  const a = before.split(/(\s+)/).filter(Boolean);
  const b = after.split(/(\s+)/).filter(Boolean);
  const ops: WordOp[] = [];
  const push = (op: WordOp["op"], text: string) => {
    const last = ops.at(-1);
    if (last && last.op === op) last.text += text;
    else ops.push({ op, text });
  };
  // Past the limit both texts have words (neither side is empty).
  if (a.length * b.length > 250_000) return [{ op: "removed", text: before }, { op: "added", text: after }];
  let i = 0;
  let j = 0;
  for (const [x, y] of [...lcs(a, b, (s) => s), [a.length, b.length] as [number, number]]) {
    while (i < x) push("removed", a[i++]!);
    while (j < y) push("added", b[j++]!);
    if (x < a.length) push("same", a[x]!);
    i = x + 1;
    j = y + 1;
  }
  return regroup(ops);
}

/**
 * Reads better: a lone space kept between two changes joins them, and each run of changes shows
 * what was removed, then what was added ("Ten euros a seat." → "Twelve euros.", not word salad).
 */
function regroup(ops: WordOp[]): WordOp[] {
  const out: WordOp[] = [];
  let removed = "";
  let added = "";
  const flush = () => {
    if (removed) out.push({ op: "removed", text: removed });
    if (added) out.push({ op: "added", text: added });
    removed = added = "";
  };
  // `push` merges neighbours of one kind, so a kept run that is neither first nor last lies
  // between two changes.
  ops.forEach((o, k) => {
    const between = o.op === "same" && /^\s+$/.test(o.text) && k > 0 && k < ops.length - 1;
    if (o.op === "removed" || between) removed += o.text;
    if (o.op === "added" || between) added += o.text;
    if (o.op === "same" && !between) {
      flush();
      out.push(o);
    }
  });
  flush();
  return out;
}

export type BlockDiff =
  | { op: "same"; before: Block; after: Block }
  | { op: "changed"; before: Block; after: Block; words: WordOp[] }
  | { op: "removed"; before: Block }
  | { op: "added"; after: Block };

/**
 * Block-level diff from `before` (a revision) to `after` (the current document): equal blocks
 * are matched in order; between them, a removed and an added block are one *changed* block
 * when they are the same Yjs element or, failing that, the same kind of block side by side.
 */
export function diffBlocks(before: Block[], after: Block[]): BlockDiff[] {
  const out: BlockDiff[] = [];
  const gap = (rem: Block[], add: Block[]) => {
    const pairedAdd = new Set<number>();
    const pairs = new Map<number, number>();
    rem.forEach((r, i) => {
      const j = r.yid ? add.findIndex((a, k) => !pairedAdd.has(k) && a.yid === r.yid) : -1;
      if (j >= 0) {
        pairs.set(i, j);
        pairedAdd.add(j);
      }
    });
    rem.forEach((r, i) => {
      if (pairs.has(i) || i >= add.length || pairedAdd.has(i) || add[i]!.kind !== r.kind) return;
      pairs.set(i, i);
      pairedAdd.add(i);
    });
    let j = 0;
    rem.forEach((r, i) => {
      const p = pairs.get(i);
      if (p === undefined) return void out.push({ op: "removed", before: r });
      for (; j < p; j++) if (!pairedAdd.has(j)) out.push({ op: "added", after: add[j]! });
      // add[p] itself is skipped where it stands: it is paired.
      out.push({ op: "changed", before: r, after: add[p]!, words: diffWords(r.text, add[p]!.text) });
    });
    for (; j < add.length; j++) if (!pairedAdd.has(j)) out.push({ op: "added", after: add[j]! });
  };
  let i = 0;
  let j = 0;
  for (const [x, y] of lcs(before, after, (b) => b.sig)) {
    gap(before.slice(i, x), after.slice(j, y));
    out.push({ op: "same", before: before[x]!, after: after[y]! });
    i = x + 1;
    j = y + 1;
  }
  gap(before.slice(i), after.slice(j));
  return out;
}
