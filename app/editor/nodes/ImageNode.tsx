/**
 * An inline image. Its `src` is one of the document's own images (/docs/:id/images/:imageId,
 * served only to readers) or an http(s) URL; anything else renders as its alt text.
 */
import { $applyNodeReplacement, DecoratorNode, type LexicalNode, type NodeKey, type SerializedLexicalNode, type Spread } from "lexical";
import type { JSX } from "react";

export type SerializedImageNode = Spread<{ src: string; altText: string }, SerializedLexicalNode>;

export const isSafeImageSrc = (src: string) => /^\/docs\/[a-z0-9]+\/images\/[a-f0-9]+$/i.test(src) || /^https?:\/\//i.test(src);

export class ImageNode extends DecoratorNode<JSX.Element> {
  __src: string;
  __altText: string;

  static getType(): string {
    return "image";
  }

  static clone(node: ImageNode): ImageNode {
    return new ImageNode(node.__src, node.__altText, node.__key);
  }

  constructor(src = "", altText = "", key?: NodeKey) {
    super(key);
    this.__src = src;
    this.__altText = altText;
  }

  static importJSON(s: SerializedImageNode): ImageNode {
    return $createImageNode(s.src, s.altText);
  }

  exportJSON(): SerializedImageNode {
    return { type: "image", version: 1, src: this.__src, altText: this.__altText };
  }

  getSrc(): string {
    return this.getLatest().__src;
  }

  getAltText(): string {
    return this.getLatest().__altText;
  }

  createDOM(): HTMLElement {
    const span = document.createElement("span");
    span.className = "doc-image";
    return span;
  }

  updateDOM(): false {
    return false;
  }

  isInline(): boolean {
    return true;
  }

  getTextContent(): string {
    return this.__altText ? `[${this.__altText}]` : "";
  }

  decorate(): JSX.Element {
    return isSafeImageSrc(this.__src) ? (
      <img src={this.__src} alt={this.__altText} loading="lazy" className="doc-image-img" data-testid="doc-image" />
    ) : (
      <span className="muted">[{this.__altText || "image"}]</span>
    );
  }
}

export function $createImageNode(src: string, altText: string): ImageNode {
  return $applyNodeReplacement(new ImageNode(src, altText));
}

export function $isImageNode(node: LexicalNode | null | undefined): node is ImageNode {
  return node instanceof ImageNode;
}
