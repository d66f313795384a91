/**
 * Markdown transformers shared by the editor's shortcuts (type "## " for a heading) and the
 * server's import/export. Lexical's built-ins cover headings, quotes, lists (incl. check lists),
 * code blocks, inline formats and links; tables are added here (GitHub pipe tables).
 */
import {
  $convertFromMarkdownString,
  $convertToMarkdownString,
  CHECK_LIST,
  ELEMENT_TRANSFORMERS,
  MULTILINE_ELEMENT_TRANSFORMERS,
  TEXT_FORMAT_TRANSFORMERS,
  TEXT_MATCH_TRANSFORMERS,
  type ElementTransformer,
  type Transformer,
} from "@lexical/markdown";
import {
  $createTableCellNode,
  $createTableNode,
  $createTableRowNode,
  $isTableCellNode,
  $isTableNode,
  $isTableRowNode,
  TableCellHeaderStates,
  TableCellNode,
  TableNode,
  TableRowNode,
} from "@lexical/table";
import { $isParagraphNode, $isTextNode, type LexicalNode } from "lexical";
import type { TextMatchTransformer } from "@lexical/markdown";
import { $createImageNode, $isImageNode, ImageNode } from "./nodes/ImageNode";
import { $isMentionNode, MentionNode } from "./nodes/MentionNode";
import { mentionLabel, type MentionNames } from "./mention-names";

const TABLE_ROW = /^(?:\|)(.+)(?:\|)\s?$/;
const TABLE_DIVIDER = /^(\| ?:?-*:? ?)+\|\s?$/;

function $cell(markdown: string, cellTransformers: Transformer[]) {
  const cell = $createTableCellNode(TableCellHeaderStates.NO_STATUS);
  $convertFromMarkdownString(markdown.trim().replace(/\\n/g, "\n"), cellTransformers, cell);
  return cell;
}

function $cellsOf(line: string, cellTransformers: Transformer[]) {
  const m = line.match(TABLE_ROW);
  if (!m || !m[1]) return null;
  return m[1].split("|").map((t) => $cell(t, cellTransformers));
}

const columns = (table: LexicalNode) => ($isTableNode(table) ? (table.getFirstChild() as TableRowNode | null)?.getChildrenSize() ?? 0 : 0);

/** GitHub pipe tables, their cells read and written with `cellTransformers`. */
function tableTransformer(cellTransformers: Transformer[]): ElementTransformer {
  return {
  dependencies: [TableNode, TableRowNode, TableCellNode],
  export: (node) => {
    if (!$isTableNode(node)) return null;
    const lines: string[] = [];
    node.getChildren().forEach((row, i) => {
      if (!$isTableRowNode(row)) return;
      const cells = row.getChildren().filter($isTableCellNode);
      lines.push(`| ${cells.map((c) => $convertToMarkdownString(cellTransformers, c).replace(/\n/g, "\\n").trim()).join(" | ")} |`);
      // GitHub tables always have a header row; the first row plays it.
      if (i === 0) lines.push(`| ${cells.map(() => "---").join(" | ")} |`);
    });
    return lines.join("\n");
  },
  regExp: TABLE_ROW,
  replace: (parent, _children, match) => {
    if (TABLE_DIVIDER.test(match[0])) {
      const table = parent.getPreviousSibling();
      if ($isTableNode(table)) {
        const last = table.getLastChild();
        if ($isTableRowNode(last)) for (const c of last.getChildren()) if ($isTableCellNode(c)) c.setHeaderStyles(TableCellHeaderStates.ROW, TableCellHeaderStates.ROW);
      }
      parent.remove();
      return;
    }
    const cells = $cellsOf(match[0], cellTransformers);
    if (!cells) return;
    const rows = [cells];
    let width = cells.length;
    let sibling = parent.getPreviousSibling();
    // Lines before this one that are still paragraphs of pipe text belong to the same table.
    while (sibling && $isParagraphNode(sibling) && sibling.getChildrenSize() === 1) {
      const text = sibling.getFirstChild();
      if (!$isTextNode(text)) break;
      const more = $cellsOf(text.getTextContent(), cellTransformers);
      if (!more) break;
      width = Math.max(width, more.length);
      rows.unshift(more);
      const prev = sibling.getPreviousSibling();
      sibling.remove();
      sibling = prev;
    }
    const table = $createTableNode();
    for (const r of rows) {
      const row = $createTableRowNode();
      for (let i = 0; i < width; i++) row.append(r[i] ?? $cell("", cellTransformers));
      table.append(row);
    }
    const prev = parent.getPreviousSibling();
    if (prev && $isTableNode(prev) && columns(prev) === width) {
      prev.append(...table.getChildren());
      parent.remove();
    } else {
      parent.replace(table);
    }
  },
  type: "element",
  };
}

export const IMAGE: TextMatchTransformer = {
  dependencies: [ImageNode],
  export: (node) => ($isImageNode(node) ? `![${node.getAltText()}](${node.getSrc()})` : null),
  importRegExp: /!\[([^[\]]*)\]\(([^()\s]+)\)/,
  regExp: /!\[([^[\]]*)\]\(([^()\s]+)\)$/,
  replace: (textNode, match) => {
    textNode.replace($createImageNode(match[2] ?? "", match[1] ?? ""));
  },
  trigger: ")",
  type: "text-match",
};

// ── underline survives Markdown as <u>…</u> (Markdown has no underline) ──
export const UNDERLINE: TextMatchTransformer = {
  dependencies: [],
  export: (node, _children, exportFormat) =>
    $isTextNode(node) && node.getType() === "text" && node.hasFormat("underline") ? exportFormat(node, `<u>${node.getTextContent()}</u>`) : null,
  importRegExp: /<u>([^<>\n]+?)<\/u>/,
  regExp: /<u>([^<>\n]+?)<\/u>$/,
  replace: (textNode, match) => {
    textNode.setTextContent(match[1] ?? "");
    if (!textNode.hasFormat("underline")) textNode.toggleFormat("underline");
  },
  trigger: ">",
  type: "text-match",
};

/** Inside a table cell: everything but tables. */
const CELL_TRANSFORMERS: Transformer[] = [
  UNDERLINE,
  IMAGE,
  CHECK_LIST,
  ...ELEMENT_TRANSFORMERS,
  ...MULTILINE_ELEMENT_TRANSFORMERS,
  ...TEXT_FORMAT_TRANSFORMERS,
  ...TEXT_MATCH_TRANSFORMERS,
];

export const TABLE = tableTransformer(CELL_TRANSFORMERS);

/** The editor's shortcuts. CHECK_LIST must come before the plain list transformers, or "- [ ] x" becomes a bullet. */
export const MARKDOWN_TRANSFORMERS: Transformer[] = [TABLE, ...CELL_TRANSFORMERS];

const HTML_ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;" };
const HTML_UNESCAPES: Record<string, string> = { amp: "&", lt: "<", gt: ">" };
const escapeHtml = (s: string) => s.replace(/[&<>]/g, (c) => HTML_ESCAPES[c]!);

/**
 * Text that looks like HTML is written to a Markdown file escaped (`&lt;script&gt;`), so a Markdown
 * renderer shows it as the words typed instead of running it; reading a file turns the three
 * escapes back into characters. Code is left alone (Markdown shows code spans and blocks literally).
 */
export const HTML_TEXT: TextMatchTransformer = {
  dependencies: [],
  export: (node, _children, exportFormat) => {
    if (!$isTextNode(node) || node.getType() !== "text" || node.hasFormat("code")) return null;
    const text = node.getTextContent();
    if (!/[&<>]/.test(text)) return null;
    return exportFormat(node, node.hasFormat("underline") ? `<u>${escapeHtml(text)}</u>` : escapeHtml(text));
  },
  importRegExp: /&(amp|lt|gt);/,
  regExp: /&(amp|lt|gt);$/,
  replace: (textNode, match) => {
    textNode.setTextContent(HTML_UNESCAPES[match[1] ?? ""] ?? match[0]);
  },
  trigger: ";",
  type: "text-match",
};

/** In files, the text inside <u>…</u> is escaped like any other. */
const FILE_UNDERLINE: TextMatchTransformer = {
  ...UNDERLINE,
  replace: (textNode, match) => {
    textNode.setTextContent((match[1] ?? "").replace(/&(amp|lt|gt);/g, (_m, e: string) => HTML_UNESCAPES[e]!));
    if (!textNode.hasFormat("underline")) textNode.toggleFormat("underline");
  },
};

/**
 * An @mention is written with the person's current name (looked up by the caller), not the label
 * stored in the document, which is whatever its writer's client put there.
 */
function mentionTransformer(nameOf: MentionNames): TextMatchTransformer {
  return {
    dependencies: [MentionNode],
    export: (node) => ($isMentionNode(node) ? escapeHtml(mentionLabel(nameOf, node.getUserId())) : null),
    // Never matches on import: a mention is only created by picking a person in the editor.
    importRegExp: /(?!)/,
    regExp: /(?!)$/,
    replace: () => {},
    trigger: "",
    type: "text-match",
  };
}

/** Markdown files (import and export): the editor's set, with text that looks like HTML escaped. */
export function markdownFileTransformers(mentionName?: MentionNames): Transformer[] {
  const cells: Transformer[] = [HTML_TEXT, FILE_UNDERLINE, ...CELL_TRANSFORMERS.filter((t) => t !== UNDERLINE)];
  if (mentionName) cells.unshift(mentionTransformer(mentionName));
  return [tableTransformer(cells), ...cells];
}

export const MARKDOWN_FILE_TRANSFORMERS: Transformer[] = markdownFileTransformers();
