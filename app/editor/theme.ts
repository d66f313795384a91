import type { EditorThemeClasses } from "lexical";

/** Class names Lexical puts on what it renders; styled in app/editor/editor.css. */
export const EDITOR_THEME: EditorThemeClasses = {
  paragraph: "ed-p",
  quote: "ed-quote",
  heading: { h1: "ed-h1", h2: "ed-h2", h3: "ed-h3", h4: "ed-h4", h5: "ed-h5", h6: "ed-h6" },
  list: {
    ul: "ed-ul",
    ol: "ed-ol",
    listitem: "ed-li",
    listitemChecked: "ed-li-checked",
    listitemUnchecked: "ed-li-unchecked",
    nested: { listitem: "ed-li-nested" },
    checklist: "ed-checklist",
  },
  link: "ed-link",
  code: "ed-code",
  codeHighlight: {},
  text: {
    bold: "ed-bold",
    italic: "ed-italic",
    underline: "ed-underline",
    strikethrough: "ed-strike",
    underlineStrikethrough: "ed-underline-strike",
    code: "ed-inline-code",
  },
  table: "ed-table",
  tableCell: "ed-td",
  tableCellHeader: "ed-th",
  tableRow: "ed-tr",
  // Remote cursors and selections (@lexical/yjs reads theme.collaboration).
  collaboration: { cursor: "collab-cursor", cursorName: "collab-cursor-name", selection: "collab-selection", selectionBg: "collab-selection-bg" },
  mark: "ed-mark",
  markOverlap: "ed-mark-overlap",
};

/** A stable colour per person for cursors and avatars (readable on white). */
const PALETTE = ["#d1495b", "#00798c", "#edae49", "#66a182", "#2e4057", "#8d5a97", "#c3423f", "#3d5a80", "#e07a5f", "#4f772d"];
export function colorFor(userId: string): string {
  let h = 0;
  for (const ch of userId) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return PALETTE[h % PALETTE.length]!;
}
