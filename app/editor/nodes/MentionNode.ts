/**
 * "@Ada Lovelace": a token (deleted and selected as a whole) that remembers whom it names. The
 * server reads `userId` from the document to notify people it may notify (server/domain/docs.ts).
 *
 * The node's text is the label its writer's client stored, which anyone with edit access (or a
 * crafted Yjs update) can set to anything: it is kept for Lexical and Yjs, hidden, and the node
 * draws the person's current name from the editor's MentionDirectory beside it (decision 170).
 * An editor without a directory (the revision view, whose content the server relabelled) draws
 * the text.
 */
import {
  $applyNodeReplacement,
  $getEditor,
  TextNode,
  type DOMConversionMap,
  type DOMExportOutput,
  type EditorConfig,
  type LexicalEditor,
  type LexicalNode,
  type NodeKey,
  type SerializedTextNode,
  type Spread,
} from "lexical";
import { mentionDirectoryOf } from "../mention-directory";
import { FORMER_MEMBER } from "../mention-names";

export type SerializedMentionNode = Spread<{ userId: string }, SerializedTextNode>;

const LABEL = "doc-mention-label";
const NAME = "doc-mention-name";

export class MentionNode extends TextNode {
  __userId: string;

  static getType(): string {
    return "mention";
  }

  static clone(node: MentionNode): MentionNode {
    return new MentionNode(node.__text, node.__userId, node.__key);
  }

  constructor(text = "", userId = "", key?: NodeKey) {
    super(text, key);
    this.__userId = userId;
  }

  static importJSON(s: SerializedMentionNode): MentionNode {
    return $createMentionNode(s.userId, s.text.replace(/^@/, "")).updateFromJSON(s);
  }

  static importDOM(): DOMConversionMap | null {
    return null;
  }

  exportJSON(): SerializedMentionNode {
    return { ...super.exportJSON(), type: "mention", userId: this.__userId };
  }

  getUserId(): string {
    return this.getLatest().__userId;
  }

  /** What the node shows: "@" and the person's current name (never the stored label). */
  shownName(editor: LexicalEditor): string {
    const directory = mentionDirectoryOf(editor);
    if (!directory) return this.__text;
    if (!this.__userId) return `@${FORMER_MEMBER}`;
    const name = directory.nameOf(this.__userId);
    return name === null ? "@…" : `@${name}`;
  }

  /** Lexical keeps the stored text in a hidden span of its own; the shown name sits after it. */
  getDOMSlot(dom: HTMLElement) {
    let label = dom.firstElementChild as HTMLElement | null;
    if (!label?.classList.contains(LABEL)) {
      label = dom.ownerDocument.createElement("span");
      label.className = LABEL;
      label.setAttribute("aria-hidden", "true");
      dom.prepend(label);
    }
    return super.getDOMSlot(dom).withElement(label);
  }

  createDOM(config: EditorConfig, editor: LexicalEditor): HTMLElement {
    const el = super.createDOM(config, editor);
    el.classList.add("doc-mention");
    el.dataset.userId = this.__userId;
    el.dataset.testid = "mention";
    const slot = el.querySelector(`.${LABEL}`)!;
    const name = el.ownerDocument.createElement("span");
    name.className = NAME;
    name.contentEditable = "false";
    name.textContent = this.shownName(editor);
    slot.after(name);
    return el;
  }

  updateDOM(prevNode: this, dom: HTMLElement, config: EditorConfig): boolean {
    if (super.updateDOM(prevNode, dom, config)) return true;
    dom.dataset.userId = this.__userId;
    const name = dom.querySelector<HTMLElement>(`.${NAME}`);
    if (!name) return true;
    const shown = this.shownName($getEditor());
    if (name.textContent !== shown) name.textContent = shown;
    return false;
  }

  /** Copied out of the editor as the name shown, not the stored label. */
  exportDOM(editor: LexicalEditor): DOMExportOutput {
    const el = document.createElement("span");
    el.className = "doc-mention";
    el.dataset.userId = this.__userId;
    el.textContent = this.shownName(editor);
    return { element: el };
  }

  canInsertTextBefore(): boolean {
    return false;
  }

  canInsertTextAfter(): boolean {
    return false;
  }

  isTextEntity(): true {
    return true;
  }
}

export function $createMentionNode(userId: string, name: string): MentionNode {
  const node = new MentionNode(`@${name}`, userId);
  node.setMode("token").toggleDirectionless();
  return $applyNodeReplacement(node);
}

export function $isMentionNode(node: LexicalNode | null | undefined): node is MentionNode {
  return node instanceof MentionNode;
}
