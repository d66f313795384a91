/**
 * The node types every Atrium rich-text editor knows. The browser editor, the server's headless
 * editor (text for search, Markdown, revisions) and any other Lexical editor in the app register
 * this same list, so a document means the same thing everywhere.
 */
import { CodeHighlightNode, CodeNode } from "@lexical/code";
import { AutoLinkNode, LinkNode } from "@lexical/link";
import { ListItemNode, ListNode } from "@lexical/list";
import { MarkNode } from "@lexical/mark";
import { HeadingNode, QuoteNode } from "@lexical/rich-text";
import { TableCellNode, TableNode, TableRowNode } from "@lexical/table";
import type { Klass, LexicalNode } from "lexical";
import { ImageNode } from "./nodes/ImageNode";
import { MentionNode } from "./nodes/MentionNode";

export const RICH_TEXT_NODES: Klass<LexicalNode>[] = [
  HeadingNode,
  QuoteNode,
  ListNode,
  ListItemNode,
  CodeNode,
  CodeHighlightNode,
  LinkNode,
  AutoLinkNode,
  TableNode,
  TableRowNode,
  TableCellNode,
  MarkNode,
  MentionNode,
  ImageNode,
];
