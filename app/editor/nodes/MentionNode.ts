/**
 * "@Ada Lovelace": a token (deleted and selected as a whole) that remembers whom it names. The
 * server reads `userId` from the document to notify people it may notify (server/domain/docs.ts).
 */
import { $applyNodeReplacement, TextNode, type EditorConfig, type LexicalNode, type NodeKey, type SerializedTextNode, type Spread } from "lexical";

export type SerializedMentionNode = Spread<{ userId: string }, SerializedTextNode>;

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

  exportJSON(): SerializedMentionNode {
    return { ...super.exportJSON(), type: "mention", userId: this.__userId };
  }

  getUserId(): string {
    return this.getLatest().__userId;
  }

  createDOM(config: EditorConfig): HTMLElement {
    const el = super.createDOM(config);
    el.className = "doc-mention";
    el.dataset.userId = this.__userId;
    el.dataset.testid = "mention";
    return el;
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
