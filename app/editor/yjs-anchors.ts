/**
 * Comment anchors as Yjs relative positions (decision 045): a comment stores where its quoted
 * text starts and ends as `Y.RelativePosition`s (base64) in its own row, so commenting never
 * writes to the document — viewers can comment on a selection — and the anchor follows the text
 * as people type around it.
 *
 * The mapping mirrors @lexical/yjs's binding: every element (the root, a paragraph, a list item,
 * a link…) is a Y.XmlText; inside it a text node is one embed (its properties) followed by its
 * characters, and any other child is one embed.
 */
import {
  $getNearestNodeFromDOMNode,
  $getRoot,
  $isElementNode,
  $isTextNode,
  type ElementNode,
  type LexicalEditor,
  type LexicalNode,
  type TextNode,
} from "lexical";
import { fromBase64, toBase64 } from "lib0/buffer";
import * as Y from "yjs";

const ySize = (n: LexicalNode) => ($isTextNode(n) ? 1 + n.getTextContentSize() : 1);

function yIndexOfChild(parent: ElementNode, childIndex: number): number {
  let i = 0;
  for (const c of parent.getChildren().slice(0, childIndex)) i += ySize(c);
  return i;
}

/** The embedded shared type at `index` of an XmlText, or null. */
function embedAt(t: Y.XmlText, index: number): unknown {
  let i = 0;
  for (const d of t.toDelta() as { insert: unknown }[]) {
    const len = typeof d.insert === "string" ? d.insert.length : 1;
    if (index < i + len) return typeof d.insert === "string" ? null : d.insert;
    i += len;
  }
  return null;
}

/** The index at which `child` is embedded in `parent`. */
function indexOfEmbed(parent: Y.XmlText, child: unknown): number {
  let i = 0;
  for (const d of parent.toDelta() as { insert: unknown }[]) {
    if (d.insert === child) return i;
    i += typeof d.insert === "string" ? d.insert.length : 1;
  }
  return -1;
}

/** Inside editor.read: the Y.XmlText of a Lexical element. */
function $typeOf(doc: Y.Doc, el: ElementNode): Y.XmlText | null {
  const path: number[] = [];
  let n: LexicalNode = el;
  for (let p = n.getParent(); p; n = p, p = n.getParent()) path.unshift(n.getIndexWithinParent());
  let type = doc.get("root", Y.XmlText);
  let lex: ElementNode = $getRoot();
  for (const i of path) {
    const embed = embedAt(type, yIndexOfChild(lex, i));
    const next = lex.getChildAtIndex(i);
    if (!(embed instanceof Y.XmlText) || !$isElementNode(next)) return null;
    type = embed;
    lex = next;
  }
  return type;
}

/** Inside editor.read: a Lexical text point as a relative position (assoc: stick to the text). */
function $relativeOf(doc: Y.Doc, node: TextNode, offset: number, assoc: number): Y.RelativePosition | null {
  const parent = node.getParent();
  if (!parent) return null;
  const type = $typeOf(doc, parent);
  if (!type) return null;
  const index = yIndexOfChild(parent, node.getIndexWithinParent()) + 1 + Math.min(offset, node.getTextContentSize());
  return Y.createRelativePositionFromTypeIndex(type, index, assoc);
}

export interface SelectionAnchor {
  start: string;
  end: string;
  quote: string;
}

/** The browser's current selection inside the editor, as a Yjs anchor (works in read-only editors too). */
export function selectionAnchor(editor: LexicalEditor, doc: Y.Doc): SelectionAnchor | null {
  const sel = typeof window === "undefined" ? null : window.getSelection();
  const root = editor.getRootElement();
  if (!sel || sel.isCollapsed || sel.rangeCount === 0 || !root) return null;
  const range = sel.getRangeAt(0);
  if (!root.contains(range.startContainer) || !root.contains(range.endContainer)) return null;
  const quote = range.toString().replace(/\s+/g, " ").trim().slice(0, 500);
  if (!quote) return null;
  return editor.read(() => {
    const point = (dom: Node, offset: number, assoc: number) => {
      const node = $getNearestNodeFromDOMNode(dom);
      if (!$isTextNode(node)) return null;
      // The DOM text node of a Lexical text node holds its text as is.
      return $relativeOf(doc, node, dom.nodeType === 3 ? offset : 0, assoc);
    };
    const s = point(range.startContainer, range.startOffset, 0);
    const e = point(range.endContainer, range.endOffset, -1);
    if (!s || !e) return null;
    return { start: toBase64(Y.encodeRelativePosition(s)), end: toBase64(Y.encodeRelativePosition(e)), quote };
  });
}

/** Inside editor.read: an absolute Yjs position as a Lexical text point. */
function $pointOf(doc: Y.Doc, encoded: string): { key: string; offset: number } | null {
  let rel: Y.RelativePosition;
  try {
    rel = Y.decodeRelativePosition(fromBase64(encoded));
  } catch {
    return null;
  }
  const abs = Y.createAbsolutePositionFromRelativePosition(rel, doc);
  if (!abs || !(abs.type instanceof Y.XmlText)) return null;
  // Path of embeds from the root down to abs.type.
  const chain: Y.XmlText[] = [];
  const root = doc.get("root", Y.XmlText);
  for (let t: Y.XmlText | null = abs.type; t && t !== root; t = (t._item?.parent as Y.XmlText | undefined) ?? null) chain.unshift(t);
  let lex: ElementNode = $getRoot();
  let parentType = root;
  for (const t of chain) {
    const yi = indexOfEmbed(parentType, t);
    if (yi < 0) return null;
    let acc = 0;
    let found: LexicalNode | null = null;
    for (const c of lex.getChildren()) {
      if (acc === yi) {
        found = c;
        break;
      }
      acc += ySize(c);
      if (acc > yi) break;
    }
    if (!$isElementNode(found)) return null;
    lex = found;
    parentType = t;
  }
  let acc = 0;
  let last: TextNode | null = null;
  for (const c of lex.getChildren()) {
    const size = ySize(c);
    if ($isTextNode(c)) {
      last = c;
      if (abs.index <= acc + size) return { key: c.getKey(), offset: Math.max(0, abs.index - acc - 1) };
    }
    acc += size;
  }
  return last ? { key: last.getKey(), offset: last.getTextContentSize() } : null;
}

function domPoint(editor: LexicalEditor, p: { key: string; offset: number }): [Node, number] | null {
  const el = editor.getElementByKey(p.key);
  if (!el) return null;
  const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
  const text = walker.nextNode();
  if (!text) return [el, 0];
  return [text, Math.min(p.offset, text.textContent?.length ?? 0)];
}

/** A DOM range for a stored anchor in the editor as it is now, or null if its text is gone. */
export function anchorRange(editor: LexicalEditor, doc: Y.Doc, a: { start: string; end: string }): Range | null {
  const pts = editor.read(() => [$pointOf(doc, a.start), $pointOf(doc, a.end)] as const);
  if (!pts[0] || !pts[1]) return null;
  const s = domPoint(editor, pts[0]);
  const e = domPoint(editor, pts[1]);
  if (!s || !e) return null;
  const r = document.createRange();
  try {
    r.setStart(s[0], s[1]);
    r.setEnd(e[0], e[1]);
  } catch {
    return null;
  }
  return r.collapsed ? null : r;
}
