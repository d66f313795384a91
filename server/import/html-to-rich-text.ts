/**
 * Imported HTML (Stack Exchange post bodies, other Q&A exports) → the editor's format. HTML is
 * parsed with htmlparser2's tokenizer into a small tree (the one domhandler would build, without
 * its sibling links, which nothing here reads), mapped onto the supported nodes (paragraph, heading, list,
 * quote, code, link, text formats), and the result goes through the same sanitiser as typed bodies.
 * Scripts, styles, frames, forms and other active content are dropped with their contents; unknown
 * elements keep their text. No HTML is ever stored.
 */
import { Parser, type Handler } from "htmlparser2";
import { FORMAT, RichTextError, RICH_TEXT_LIMITS, plainTextToDoc, richTextToPlain, sanitizeRichText, type RichDoc } from "../../app/editor/rich-text.js";

interface HNode {
  type: string;
  name?: string;
  data?: string;
  attribs?: Record<string, string>;
  children?: HNode[];
}

type Loose = Record<string, unknown>;

const DROP = new Set([
  "script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "noscript", "template", "svg", "math",
  "form", "input", "button", "select", "option", "textarea", "canvas", "audio", "video", "source", "track", "link", "meta", "base", "head", "title",
]);
const INLINE_FORMAT: Record<string, number> = {
  b: FORMAT.bold, strong: FORMAT.bold,
  i: FORMAT.italic, em: FORMAT.italic, cite: FORMAT.italic, var: FORMAT.italic,
  code: FORMAT.code, kbd: FORMAT.code, samp: FORMAT.code, tt: FORMAT.code,
  s: FORMAT.strikethrough, del: FORMAT.strikethrough, strike: FORMAT.strikethrough,
  u: FORMAT.underline, ins: FORMAT.underline,
  sub: FORMAT.subscript, sup: FORMAT.superscript, mark: FORMAT.highlight,
};
const BLOCKS = new Set(["p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "blockquote", "pre", "table", "hr", "div", "section", "article", "header", "footer", "main", "aside", "nav", "figure", "figcaption", "details", "summary", "center", "dl", "dt", "dd", "li", "tr", "body", "html", "tbody", "thead", "tfoot"]);

const text = (t: string, format: number): Loose => ({ type: "text", text: t, format });

function textOf(n: HNode): string {
  if (n.type === "text") return n.data ?? "";
  if (n.type === "tag" && n.name === "br") return "\n";
  if (n.type === "root") return (n.children ?? []).map(textOf).join("");
  if (n.type !== "tag" || DROP.has(n.name ?? "")) return "";
  const inner = (n.children ?? []).map(textOf).join("");
  // A block ends its line, so paragraphs and list items keep apart when only the words are kept.
  return BLOCKS.has(n.name ?? "") && !inner.endsWith("\n") ? `${inner}\n` : inner;
}

function imageInline(n: HNode, out: Loose[]): void {
  const alt = (n.attribs?.alt ?? "").trim() || "image";
  const src = n.attribs?.src ?? "";
  const label = text(`[${alt}]`, 0);
  out.push(/^https?:\/\//i.test(src) ? { type: "link", url: src, children: [label] } : label);
}

function inline(nodes: HNode[] | undefined): Loose[] {
  const out: Loose[] = [];
  if (nodes) appendInline(nodes, 0, out);
  return out;
}

/**
 * The inline nodes of `nodes`, appended to `out` (one list for a whole run, rather than a list per
 * element spread into its parent's). A block met inside starts a new line when this call has
 * already added something.
 */
function appendInline(nodes: HNode[], format: number, out: Loose[]): void {
  const start = out.length;
  for (let i = 0; i < nodes.length; i++) {
    const n = nodes[i]!;
    if (n.type === "text") {
      const t = (n.data ?? "").replace(/\s+/g, " ");
      if (t) out.push(text(t, format));
      continue;
    }
    if (n.type !== "tag" || !n.name || DROP.has(n.name)) continue;
    if (n.name === "br") out.push({ type: "linebreak" });
    else if (n.name === "img") imageInline(n, out);
    else if (n.name === "a") {
      const children: Loose[] = [];
      if (n.children) appendInline(n.children, format, children);
      const href = n.attribs?.href;
      out.push(href ? { type: "link", url: href, children } : { type: "span", children });
    } else if (n.name in INLINE_FORMAT) {
      if (n.children) appendInline(n.children, format | INLINE_FORMAT[n.name]!, out);
    } else if (BLOCKS.has(n.name)) {
      // A block inside inline content (e.g. <p> in <li>): keep it on its own line.
      if (out.length > start) out.push({ type: "linebreak" });
      if (n.children) appendInline(n.children, format, out);
    } else if (n.children) appendInline(n.children, format, out);
  }
}

const isEmptyText = (n: Loose) => n.type === "text" && n.text === "";

/** `nodes` without its empty text nodes (in place). */
function dropEmptyTexts(nodes: Loose[]): Loose[] {
  let kept = 0;
  for (let i = 0; i < nodes.length; i++) if (!isEmptyText(nodes[i]!)) nodes[kept++] = nodes[i]!;
  nodes.length = kept;
  return nodes;
}

/** Collapses spaces at the edges of a run of inline nodes, as a browser would (in place). */
function trimRun(nodes: Loose[]): Loose[] {
  const flat = dropEmptyTexts(nodes);
  const first = flat[0];
  if (first?.type === "text" && (first.text as string).charCodeAt(0) === 32) first.text = (first.text as string).slice(1);
  const last = flat[flat.length - 1];
  if (last?.type === "text" && (last.text as string).endsWith(" ")) last.text = (last.text as string).slice(0, -1);
  while (flat.length && flat[flat.length - 1]!.type === "linebreak") flat.pop();
  return dropEmptyTexts(flat);
}

function listNode(n: HNode): Loose {
  const items: Loose[] = [];
  for (const c of n.children ?? []) {
    if (c.type !== "tag" || c.name !== "li") continue;
    const children: Loose[] = [];
    const pending: HNode[] = [];
    for (const x of c.children ?? []) {
      if (x.type === "tag" && (x.name === "ul" || x.name === "ol")) {
        for (const r of trimRun(inline(pending.splice(0)))) children.push(r);
        children.push(listNode(x));
      } else pending.push(x);
    }
    for (const r of trimRun(inline(pending.splice(0)))) children.push(r);
    items.push({ type: "listitem", children });
  }
  const start = Number(n.attribs?.start);
  return { type: "list", listType: n.name === "ol" ? "number" : "bullet", start: Number.isFinite(start) && start > 0 ? start : 1, children: items };
}

function codeLanguage(n: HNode): string | null {
  const classes = `${n.attribs?.class ?? ""} ${(n.children ?? []).find((c) => c.name === "code")?.attribs?.class ?? ""}`;
  return classes.match(/(?:lang|language)-([a-z0-9+#._-]{1,24})/i)?.[1] ?? null;
}

/** The inline nodes gathered so far, as one paragraph (none when they hold nothing); `pending` is emptied. */
function flushParagraph(out: Loose[], pending: HNode[]): void {
  const run = trimRun(inline(pending));
  pending.length = 0;
  if (run.length) out.push({ type: "paragraph", children: run });
}

// Helpers here are top-level functions, not closures made per call: tsx (esbuild with keepNames)
// names every such closure with a defineProperty call, which cost a measurable share per body.
function blocks(nodes: HNode[] | undefined, out: Loose[] = []): Loose[] {
  const pending: HNode[] = [];
  for (const n of nodes ?? []) {
    if (n.type === "text" || (n.type === "tag" && n.name && !BLOCKS.has(n.name))) {
      if (n.type === "tag" && DROP.has(n.name!)) continue;
      pending.push(n);
      continue;
    }
    if (n.type !== "tag" || !n.name) continue;
    flushParagraph(out, pending);
    switch (n.name) {
      case "p":
      case "dt":
      case "dd":
      case "figcaption":
      case "summary": {
        const run = trimRun(inline(n.children));
        if (run.length) out.push({ type: "paragraph", children: run });
        break;
      }
      case "h1":
      case "h2":
      case "h3":
      case "h4":
      case "h5":
      case "h6": {
        const run = trimRun(inline(n.children));
        if (run.length) out.push({ type: "heading", tag: n.name, children: run });
        break;
      }
      case "ul":
      case "ol":
        out.push(listNode(n));
        break;
      case "blockquote": {
        // A quote holds inline content: its paragraphs become lines.
        const inner = blocks(n.children);
        const children: Loose[] = [];
        for (const b of inner) {
          if (children.length) children.push({ type: "linebreak" });
          for (const c of (b.children as Loose[]) ?? []) children.push(c);
        }
        if (children.length) out.push({ type: "quote", children });
        break;
      }
      case "pre": {
        const code = textOf(n).replace(/\n$/, "");
        out.push({ type: "code", language: codeLanguage(n), children: [{ type: "text", text: code }] });
        break;
      }
      case "table":
      case "tbody":
      case "thead":
      case "tfoot": {
        for (const row of collect(n, "tr")) {
          const cells = (row.children ?? []).filter((c) => c.name === "td" || c.name === "th").map((c) => textOf(c).replace(/\s+/g, " ").trim());
          if (cells.some(Boolean)) out.push({ type: "paragraph", children: [text(cells.join(" | "), 0)] });
        }
        break;
      }
      case "hr":
        break;
      default:
        if (!DROP.has(n.name)) blocks(n.children, out);
    }
  }
  flushParagraph(out, pending);
  return out;
}

function collect(n: HNode, name: string): HNode[] {
  const out: HNode[] = [];
  for (const c of n.children ?? []) {
    if (c.type !== "tag") continue;
    if (c.name === name) out.push(c);
    else if (c.name !== "table") out.push(...collect(c, name));
  }
  return out;
}

const PARSE = { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true };

/**
 * The document tree as domhandler's parseDocument builds it from the same parser events: elements
 * (type "script" and "style" for those two, "tag" otherwise) and text, adjacent text joined into
 * one node unless a comment or instruction came between. Comments and instructions are not kept:
 * the mapping skips them.
 */
function parseTree(html: string): HNode {
  const root: HNode = { type: "root", children: [] };
  open = [root];
  lastText = null;
  new Parser(TREE_BUILDER, PARSE).end(html);
  open = [];
  return root;
}

// parseTree's state while it runs (it is synchronous and never re-entered), so the parser's
// handlers are made once rather than once per body.
let open: HNode[] = [];
let lastText: HNode | null = null;

function addNode(n: HNode): void {
  open[open.length - 1]!.children!.push(n);
  lastText = null;
}

const TREE_BUILDER: Partial<Handler> = {
  onopentag(name, attribs) {
    const element: HNode = { type: name === "script" ? "script" : name === "style" ? "style" : "tag", name, attribs, children: [] };
    addNode(element);
    open.push(element);
  },
  onclosetag() {
    lastText = null;
    if (open.length > 1) open.pop();
  },
  ontext(data) {
    if (lastText) lastText.data += data;
    else {
      const node: HNode = { type: "text", data };
      addNode(node);
      lastText = node;
    }
  },
  oncomment() {
    lastText = null;
  },
  oncommentend() {
    lastText = null;
  },
  onprocessinginstruction() {
    lastText = null;
  },
  oncdatastart() {
    const text: HNode = { type: "text", data: "" };
    addNode({ type: "cdata", children: [text] });
    lastText = text;
  },
  oncdataend() {
    lastText = null;
  },
};

/** HTML → sanitised RichDoc and its plain text. Over-long bodies are cut, and say so. */
export function htmlToRichText(html: string): { doc: RichDoc; text: string } {
  const dom = parseTree(html);
  const loose = { root: { type: "root", children: blocks(dom.children) } };
  try {
    const doc = sanitizeRichText(loose);
    return { doc, text: richTextToPlain(doc) };
  } catch (e) {
    if (!(e instanceof RichTextError)) throw e;
    // Too long or too deep for the editor: keep the words, as plain paragraphs, cut to the limit.
    const plain = textOf(dom).slice(0, RICH_TEXT_LIMITS.maxChars - 40) + "\n… (cut on import)";
    const doc = plainTextToDoc(plain.replace(/\n{3,}/g, "\n\n"));
    return { doc, text: richTextToPlain(doc) };
  }
}
