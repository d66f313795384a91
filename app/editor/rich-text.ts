/**
 * The rich-text format of question and answer bodies: Lexical's serialized editor state, limited to
 * the nodes Atrium supports. `sanitizeRichText` is the gate every body passes through — typed in
 * the editor, posted by a form, or converted from imported HTML — so what is stored (and later
 * rendered) is a canonical tree with whitelisted fields only. Raw HTML is never stored or rendered.
 *
 * Pure TypeScript with no Lexical import, so the server, the browser and the importer share it.
 */

export const RICH_TEXT_LIMITS = {
  /** Characters of text in one body. */
  maxChars: 30_000,
  /** Serialized JSON accepted from a form before sanitising. */
  maxJsonBytes: 400_000,
  maxNodes: 6_000,
  maxDepth: 12,
} as const;

/** Text format bits, as Lexical numbers them. */
export const FORMAT = {
  bold: 1,
  italic: 2,
  strikethrough: 4,
  underline: 8,
  code: 16,
  subscript: 32,
  superscript: 64,
  highlight: 128,
} as const;
const FORMAT_MASK = 255;

export type HeadingTag = "h2" | "h3" | "h4";
export type ListType = "bullet" | "number" | "check";

export interface TextNode {
  type: "text";
  version: 1;
  text: string;
  format: number;
  detail: 0;
  mode: "normal";
  style: "";
}
export interface LineBreakNode {
  type: "linebreak";
  version: 1;
}
export interface TabNode {
  type: "tab";
  version: 1;
  text: "\t";
  format: number;
  detail: 0;
  mode: "normal";
  style: "";
}
interface ElementBase {
  version: 1;
  direction: "ltr" | "rtl" | null;
  format: "";
  indent: number;
}
export interface LinkNode extends ElementBase {
  type: "link";
  url: string;
  rel: "noopener noreferrer nofollow";
  target: null;
  title: null;
  children: TextLike[];
}
export type TextLike = TextNode | LineBreakNode | TabNode;
export type InlineNode = TextLike | LinkNode;

export interface ParagraphNode extends ElementBase {
  type: "paragraph";
  textFormat: 0;
  textStyle: "";
  children: InlineNode[];
}
export interface HeadingNode extends ElementBase {
  type: "heading";
  tag: HeadingTag;
  children: InlineNode[];
}
export interface QuoteNode extends ElementBase {
  type: "quote";
  children: InlineNode[];
}
export interface CodeNode extends ElementBase {
  type: "code";
  language: string | null;
  children: TextLike[];
}
export interface ListItemNode extends ElementBase {
  type: "listitem";
  value: number;
  checked?: boolean;
  children: (InlineNode | ListNode)[];
}
export interface ListNode extends ElementBase {
  type: "list";
  listType: ListType;
  start: number;
  tag: "ul" | "ol";
  children: ListItemNode[];
}
export type BlockNode = ParagraphNode | HeadingNode | QuoteNode | CodeNode | ListNode;

export interface RichDoc {
  root: ElementBase & { type: "root"; children: BlockNode[] };
}

export class RichTextError extends Error {}

const SAFE_URL = /^(https?:\/\/|mailto:)/i;
/** Links may only go to web pages or email addresses: no javascript:, data:, file: … */
export function safeUrl(raw: unknown): string | null {
  if (typeof raw !== "string") return null;
  const url = raw.trim();
  if (!url || url.length > 2000 || !SAFE_URL.test(url)) return null;
  // Control characters and whitespace inside a URL are how filters get bypassed; refuse them.
  if (/[\u0000-\u001f\u007f\s]/.test(url)) return null;
  try {
    const u = new URL(url);
    if (!["http:", "https:", "mailto:"].includes(u.protocol)) return null;
    return u.protocol === "mailto:" ? url : u.href;
  } catch {
    return null;
  }
}

const el = (indent = 0, direction: ElementBase["direction"] = null): ElementBase => ({
  version: 1,
  direction,
  format: "",
  indent: Math.max(0, Math.min(10, Math.floor(indent) || 0)),
});

export const textNode = (text: string, format = 0): TextNode => ({
  type: "text",
  version: 1,
  text,
  format: format & FORMAT_MASK,
  detail: 0,
  mode: "normal",
  style: "",
});
export const paragraph = (children: InlineNode[] = []): ParagraphNode => ({
  ...el(),
  type: "paragraph",
  textFormat: 0,
  textStyle: "",
  children,
});

export const emptyDoc = (): RichDoc => ({ root: { ...el(), type: "root", children: [paragraph()] } });

/** A plain-text body (the no-JavaScript textarea) as paragraphs, one per line. */
export function plainTextToDoc(text: string): RichDoc {
  const lines = text.replace(/\r\n?/g, "\n").split("\n");
  const blocks: BlockNode[] = [];
  for (const line of lines) blocks.push(paragraph(line ? [textNode(line)] : []));
  // Trailing empty paragraphs carry nothing.
  while (blocks.length > 1 && (blocks[blocks.length - 1] as ParagraphNode).children.length === 0) blocks.pop();
  return { root: { ...el(), type: "root", children: blocks.length ? blocks : [paragraph()] } };
}

type Loose = { [k: string]: unknown };
const isObj = (v: unknown): v is Loose => !!v && typeof v === "object" && !Array.isArray(v);
const kids = (n: Loose): unknown[] => (Array.isArray(n.children) ? n.children : []);
const dir = (v: unknown): ElementBase["direction"] => (v === "ltr" || v === "rtl" ? v : null);

const BLOCK_TYPES = new Set(["paragraph", "heading", "quote", "code", "list", "root"]);
const INLINE_HOLDERS = new Set(["paragraph", "heading", "quote", "code", "list", "listitem", "root"]);
const clampIndent = (indent: unknown): number => Math.max(0, Math.min(10, Math.floor(indent as number) || 0));

// The walk appends to the list it is given instead of returning arrays to flatten, and builds
// each node as one literal (the key order of el() followed by the node's own keys): a body's
// walk then allocates its nodes and little else. The output is the same, key order included.
class Walker {
  nodes = 0;
  chars = 0;

  private count(depth: number) {
    if (++this.nodes > RICH_TEXT_LIMITS.maxNodes) throw new RichTextError("The text has too many parts; split it up.");
    if (depth > RICH_TEXT_LIMITS.maxDepth) throw new RichTextError("The text is nested too deeply (lists within lists).");
  }

  private text(s: string): string {
    // Strip NULs and other C0 controls except tab/newline; they have no business in a body.
    const clean = s.replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, "");
    this.chars += clean.length;
    if (this.chars > RICH_TEXT_LIMITS.maxChars) {
      throw new RichTextError(`The text must be at most ${RICH_TEXT_LIMITS.maxChars.toLocaleString("en")} characters.`);
    }
    return clean;
  }

  /** Text-like nodes only (inside links and code blocks), appended to `out`. */
  textLike(input: unknown, depth: number, out: TextLike[], inheritFormat = 0): void {
    if (!isObj(input)) return;
    this.count(depth);
    switch (input.type) {
      case "text":
      case "code-highlight": {
        if (typeof input.text !== "string") return;
        const fmt = (typeof input.format === "number" ? input.format : 0) | inheritFormat;
        // A "\n" inside a text node is how code blocks are often serialised; keep it as line breaks.
        const clean = this.text(input.text);
        let from = 0;
        for (let nl = clean.indexOf("\n"); ; nl = clean.indexOf("\n", from)) {
          const part = nl < 0 ? clean.slice(from) : clean.slice(from, nl);
          if (part) out.push(textNode(part, fmt));
          if (nl < 0) return;
          out.push({ type: "linebreak", version: 1 });
          from = nl + 1;
        }
      }
      case "linebreak":
        out.push({ type: "linebreak", version: 1 });
        return;
      case "tab":
        this.text("\t");
        out.push({ type: "tab", version: 1, text: "\t", format: 0, detail: 0, mode: "normal", style: "" });
        return;
      default: {
        // Unknown inline wrapper: keep its text, drop the wrapper.
        const children = kids(input);
        for (let i = 0; i < children.length; i++) this.textLike(children[i], depth + 1, out, inheritFormat);
      }
    }
  }

  /** Inline nodes, appended to `out`. */
  inline(input: unknown, depth: number, out: InlineNode[]): void {
    if (!isObj(input)) return;
    if (input.type === "link" || input.type === "autolink") {
      this.count(depth);
      const children: TextLike[] = [];
      const from = kids(input);
      for (let i = 0; i < from.length; i++) this.textLike(from[i], depth + 1, children);
      const url = safeUrl(input.url);
      if (!url) {
        // unsafe or missing address: keep the words, drop the link
        for (let i = 0; i < children.length; i++) out.push(children[i]!);
        return;
      }
      if (!children.length) return;
      out.push({ version: 1, direction: dir(input.direction), format: "", indent: 0, type: "link", url, rel: "noopener noreferrer nofollow", target: null, title: null, children });
      return;
    }
    if (INLINE_HOLDERS.has(input.type as string)) {
      // A block where inline content is expected: keep its inline content.
      this.count(depth);
      const from = kids(input);
      for (let i = 0; i < from.length; i++) this.inline(from[i], depth + 1, out);
      return;
    }
    this.textLike(input, depth, out as TextLike[]);
  }

  /** The inline nodes of each of `input`'s children, in one list. */
  private inlineKids(input: Loose, depth: number): InlineNode[] {
    const out: InlineNode[] = [];
    const from = kids(input);
    for (let i = 0; i < from.length; i++) this.inline(from[i], depth, out);
    return out;
  }

  listItem(input: unknown, depth: number, index: number, listType: ListType, out: ListItemNode[]): void {
    if (!isObj(input)) return;
    if (input.type !== "listitem") {
      const inl: InlineNode[] = [];
      this.inline(input, depth, inl);
      if (inl.length) out.push({ version: 1, direction: null, format: "", indent: 0, type: "listitem", value: index, children: inl });
      return;
    }
    this.count(depth);
    const children: (InlineNode | ListNode)[] = [];
    const from = kids(input);
    for (let i = 0; i < from.length; i++) {
      const c = from[i];
      if (isObj(c) && c.type === "list") this.list(c, depth + 1, children);
      else this.inline(c, depth + 1, children as InlineNode[]);
    }
    const item: ListItemNode = { version: 1, direction: dir(input.direction), format: "", indent: clampIndent(input.indent), type: "listitem", value: index, children };
    if (listType === "check") item.checked = input.checked === true;
    out.push(item);
  }

  list(input: Loose, depth: number, out: (BlockNode | InlineNode | ListNode)[]): void {
    this.count(depth);
    const listType: ListType = input.listType === "number" || input.listType === "check" ? input.listType : "bullet";
    const start = typeof input.start === "number" && Number.isFinite(input.start) ? Math.max(0, Math.min(1_000_000, Math.floor(input.start))) : 1;
    const items: ListItemNode[] = [];
    const from = kids(input);
    for (let i = 0; i < from.length; i++) this.listItem(from[i], depth + 1, start + items.length, listType, items);
    if (!items.length) return;
    out.push({ version: 1, direction: dir(input.direction), format: "", indent: clampIndent(input.indent), type: "list", listType, start, tag: listType === "number" ? "ol" : "ul", children: items });
  }

  /** Block nodes, appended to `out`. */
  block(input: unknown, depth: number, out: BlockNode[]): void {
    if (!isObj(input)) return;
    switch (input.type) {
      case "paragraph": {
        this.count(depth);
        const children = this.inlineKids(input, depth + 1);
        out.push({ version: 1, direction: dir(input.direction), format: "", indent: clampIndent(input.indent), type: "paragraph", textFormat: 0, textStyle: "", children });
        return;
      }
      case "heading": {
        this.count(depth);
        const n = Number(String(input.tag ?? "h2").replace(/^h/, ""));
        const tag: HeadingTag = n <= 2 ? "h2" : n === 3 ? "h3" : "h4";
        const direction = dir(input.direction);
        const indent = clampIndent(input.indent);
        out.push({ version: 1, direction, format: "", indent, type: "heading", tag, children: this.inlineKids(input, depth + 1) });
        return;
      }
      case "quote": {
        this.count(depth);
        const direction = dir(input.direction);
        const indent = clampIndent(input.indent);
        out.push({ version: 1, direction, format: "", indent, type: "quote", children: this.inlineKids(input, depth + 1) });
        return;
      }
      case "code": {
        this.count(depth);
        const lang = typeof input.language === "string" && /^[a-z0-9+#._-]{1,24}$/i.test(input.language) ? input.language.toLowerCase() : null;
        const direction = dir(input.direction);
        const indent = clampIndent(input.indent);
        const children: TextLike[] = [];
        const from = kids(input);
        for (let i = 0; i < from.length; i++) this.textLike(from[i], depth + 1, children);
        out.push({ version: 1, direction, format: "", indent, type: "code", language: lang, children });
        return;
      }
      case "list":
        this.list(input, depth, out);
        return;
      case "root": {
        this.count(depth);
        const from = kids(input);
        for (let i = 0; i < from.length; i++) this.block(from[i], depth + 1, out);
        return;
      }
      default: {
        // Inline content (or an unknown node) at block level goes into a paragraph.
        const inl: InlineNode[] = [];
        this.inline(input, depth, inl);
        if (inl.length) out.push(paragraph(inl));
      }
    }
  }
}

/** Merges consecutive loose inline runs produced at block level into one paragraph each. */
function mergeLooseParagraphs(blocks: BlockNode[], looseFlags: boolean[]): BlockNode[] {
  const out: BlockNode[] = [];
  for (let i = 0; i < blocks.length; i++) {
    const b = blocks[i]!;
    const prev = out[out.length - 1];
    if (looseFlags[i] && prev && looseFlags[i - 1] && prev.type === "paragraph" && b.type === "paragraph") {
      for (const c of b.children) prev.children.push(c);
    } else out.push(b);
  }
  return out;
}

/**
 * Turns anything claiming to be a serialized Lexical state into a canonical, safe RichDoc.
 * Throws RichTextError with a human message when the input is unusable or over the limits.
 */
export function sanitizeRichText(input: unknown): RichDoc {
  let value = input;
  if (typeof value === "string") {
    if (value.length > RICH_TEXT_LIMITS.maxJsonBytes) throw new RichTextError("The text is too long.");
    try {
      value = JSON.parse(value);
    } catch {
      throw new RichTextError("The text could not be read; please try again.");
    }
  }
  const root = isObj(value) && isObj(value.root) ? value.root : isObj(value) && value.type === "root" ? value : null;
  if (!root) throw new RichTextError("The text could not be read; please try again.");
  const w = new Walker();
  const blocks: BlockNode[] = [];
  const loose: boolean[] = [];
  for (const c of kids(root)) {
    const isBlockType = isObj(c) && BLOCK_TYPES.has(c.type as string);
    const before = blocks.length;
    w.block(c, 1, blocks);
    for (let i = before; i < blocks.length; i++) loose.push(!isBlockType);
  }
  const children = mergeLooseParagraphs(blocks, loose);
  return { root: { ...el(), type: "root", children: children.length ? children : [paragraph()] } };
}

function inlineText(nodes: (InlineNode | ListNode)[]): string {
  return nodes
    .map((n) => {
      if (n.type === "linebreak") return "\n";
      if (n.type === "text" || n.type === "tab") return n.text;
      if (n.type === "link") return inlineText(n.children);
      return "";
    })
    .join("");
}

function listText(list: ListNode, depth: number): string[] {
  const lines: string[] = [];
  list.children.forEach((item, i) => {
    const nested = item.children.filter((c): c is ListNode => c.type === "list");
    const own = inlineText(item.children.filter((c) => c.type !== "list"));
    const marker = list.listType === "number" ? `${list.start + i}.` : list.listType === "check" ? (item.checked ? "[x]" : "[ ]") : "-";
    if (own || !nested.length) lines.push(`${"  ".repeat(depth)}${marker} ${own}`);
    for (const n of nested) lines.push(...listText(n, depth + 1));
  });
  return lines;
}

/** The plain-text rendering stored beside the JSON, for search, previews and notifications. */
export function richTextToPlain(doc: RichDoc): string {
  const parts: string[] = [];
  for (const b of doc.root.children) {
    if (b.type === "list") parts.push(listText(b, 0).join("\n"));
    else parts.push(inlineText(b.children));
  }
  return parts
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

/** A short single-line excerpt. */
export function excerpt(text: string, max = 200): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1).trimEnd()}…`;
}
