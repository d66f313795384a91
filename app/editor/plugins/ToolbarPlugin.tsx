/**
 * The formatting toolbar and the keyboard shortcuts that match it. Lexical's rich-text plugin
 * already binds Ctrl/⌘+B, I, U and undo/redo; this adds Ctrl/⌘+K (link), Ctrl/⌘+Alt+1…3
 * (headings), Ctrl/⌘+Alt+0 (paragraph), Ctrl/⌘+Shift+7/8/9 (numbered, bulleted, check list)
 * and Ctrl/⌘+Alt+C (code block).
 */
import { Bold, Code, ImagePlus, Italic, Link2, Redo2, Strikethrough, Table, Underline, Undo2 } from "lucide-react";
import { $createCodeNode, $isCodeNode } from "@lexical/code";
import { $isLinkNode, TOGGLE_LINK_COMMAND } from "@lexical/link";
import { $isListNode, INSERT_CHECK_LIST_COMMAND, INSERT_ORDERED_LIST_COMMAND, INSERT_UNORDERED_LIST_COMMAND, ListNode } from "@lexical/list";
import { useLexicalComposerContext } from "@lexical/react/LexicalComposerContext";
import { $createHeadingNode, $createQuoteNode, $isHeadingNode, $isQuoteNode, type HeadingTagType } from "@lexical/rich-text";
import { $setBlocksType } from "@lexical/selection";
import {
  $deleteTableColumnAtSelection,
  $deleteTableRowAtSelection,
  $getTableCellNodeFromLexicalNode,
  $insertTableColumnAtSelection,
  $insertTableRowAtSelection,
  INSERT_TABLE_COMMAND,
} from "@lexical/table";
import { $getNearestNodeOfType, mergeRegister } from "@lexical/utils";
import {
  $createParagraphNode,
  $getSelection,
  $isRangeSelection,
  $isRootOrShadowRoot,
  CAN_REDO_COMMAND,
  CAN_UNDO_COMMAND,
  COMMAND_PRIORITY_LOW,
  FORMAT_TEXT_COMMAND,
  KEY_DOWN_COMMAND,
  REDO_COMMAND,
  SELECTION_CHANGE_COMMAND,
  UNDO_COMMAND,
  type LexicalEditor,
  type TextFormatType,
} from "lexical";
import { useCallback, useEffect, useRef, useState, type ReactNode } from "react";
import { useLexicalEditable } from "@lexical/react/useLexicalEditable";

export type BlockType = "paragraph" | "h1" | "h2" | "h3" | "bullet" | "number" | "check" | "quote" | "code";

const BLOCK_LABELS: Record<BlockType, string> = {
  paragraph: "Normal text",
  h1: "Heading 1",
  h2: "Heading 2",
  h3: "Heading 3",
  bullet: "Bulleted list",
  number: "Numbered list",
  check: "Check list",
  quote: "Quote",
  code: "Code block",
};

export function setBlockType(editor: LexicalEditor, type: BlockType, current: BlockType) {
  if (type === "bullet") return editor.dispatchCommand(INSERT_UNORDERED_LIST_COMMAND, undefined);
  if (type === "number") return editor.dispatchCommand(INSERT_ORDERED_LIST_COMMAND, undefined);
  if (type === "check") return editor.dispatchCommand(INSERT_CHECK_LIST_COMMAND, undefined);
  editor.update(() => {
    const selection = $getSelection();
    if (!$isRangeSelection(selection)) return;
    const target = type === current && type !== "paragraph" ? "paragraph" : type;
    if (target === "paragraph") $setBlocksType(selection, () => $createParagraphNode());
    else if (target === "quote") $setBlocksType(selection, () => $createQuoteNode());
    else if (target === "code") $setBlocksType(selection, () => $createCodeNode());
    else $setBlocksType(selection, () => $createHeadingNode(target as HeadingTagType));
  });
}

function promptLink(editor: LexicalEditor, isLink: boolean) {
  if (isLink) return editor.dispatchCommand(TOGGLE_LINK_COMMAND, null);
  const url = window.prompt("Link address (https://…)", "https://");
  if (!url || url === "https://") return;
  if (!/^(https?:\/\/|mailto:|\/)/i.test(url)) return window.alert("Links must start with https://, http://, mailto: or /");
  editor.dispatchCommand(TOGGLE_LINK_COMMAND, url);
}

interface ToolbarProps {
  onInsertImage?: () => void;
  /** Extra buttons (e.g. "Comment on selection") provided by the page. */
  children?: ReactNode;
}

export function ToolbarPlugin({ onInsertImage, children }: ToolbarProps) {
  const [editor] = useLexicalComposerContext();
  const editable = useLexicalEditable();
  const [block, setBlock] = useState<BlockType>("paragraph");
  const [formats, setFormats] = useState<Record<string, boolean>>({});
  const [isLink, setIsLink] = useState(false);
  const [inTable, setInTable] = useState(false);
  const [canUndo, setCanUndo] = useState(false);
  const [canRedo, setCanRedo] = useState(false);
  const blockRef = useRef(block);
  blockRef.current = block;

  const refresh = useCallback(() => {
    const selection = $getSelection();
    if (!$isRangeSelection(selection)) return;
    const anchor = selection.anchor.getNode();
    let element = anchor.getKey() === "root" ? anchor : anchor.getTopLevelElement();
    if (!element) element = anchor.getTopLevelElementOrThrow();
    let type: BlockType = "paragraph";
    if ($isListNode(element) || $getNearestNodeOfType(anchor, ListNode)) {
      const list = $getNearestNodeOfType(anchor, ListNode) ?? (element as ListNode);
      const t = list.getListType();
      type = t === "bullet" ? "bullet" : t === "number" ? "number" : "check";
    } else if ($isHeadingNode(element)) {
      const tag = element.getTag();
      type = tag === "h1" || tag === "h2" || tag === "h3" ? tag : "h3";
    } else if ($isQuoteNode(element)) type = "quote";
    else if ($isCodeNode(element)) type = "code";
    else if ($isRootOrShadowRoot(element)) type = "paragraph";
    setBlock(type);
    setFormats({
      bold: selection.hasFormat("bold"),
      italic: selection.hasFormat("italic"),
      underline: selection.hasFormat("underline"),
      strikethrough: selection.hasFormat("strikethrough"),
      code: selection.hasFormat("code"),
    });
    const parent = anchor.getParent();
    setIsLink($isLinkNode(parent) || $isLinkNode(anchor));
    setInTable($getTableCellNodeFromLexicalNode(anchor) !== null);
  }, []);

  useEffect(
    () =>
      mergeRegister(
        editor.registerUpdateListener(({ editorState }) => editorState.read(refresh)),
        editor.registerCommand(
          SELECTION_CHANGE_COMMAND,
          () => {
            refresh();
            return false;
          },
          COMMAND_PRIORITY_LOW,
        ),
        editor.registerCommand(CAN_UNDO_COMMAND, (v) => (setCanUndo(v), false), COMMAND_PRIORITY_LOW),
        editor.registerCommand(CAN_REDO_COMMAND, (v) => (setCanRedo(v), false), COMMAND_PRIORITY_LOW),
        editor.registerCommand(
          KEY_DOWN_COMMAND,
          (e: KeyboardEvent) => {
            const mod = e.ctrlKey || e.metaKey;
            if (!mod || !editor.isEditable()) return false;
            const key = e.key.toLowerCase();
            let handled = true;
            if (key === "k" && !e.altKey && !e.shiftKey) promptLink(editor, isLinkRef.current);
            else if (e.altKey && ["0", "1", "2", "3"].includes(e.code.replace("Digit", ""))) {
              const d = e.code.replace("Digit", "");
              setBlockType(editor, d === "0" ? "paragraph" : (`h${d}` as BlockType), blockRef.current);
            } else if (e.altKey && e.code === "KeyC") setBlockType(editor, "code", blockRef.current);
            else if (e.shiftKey && e.code === "Digit7") setBlockType(editor, "number", blockRef.current);
            else if (e.shiftKey && e.code === "Digit8") setBlockType(editor, "bullet", blockRef.current);
            else if (e.shiftKey && e.code === "Digit9") setBlockType(editor, "check", blockRef.current);
            else if (e.shiftKey && e.code === "KeyX") editor.dispatchCommand(FORMAT_TEXT_COMMAND, "strikethrough");
            else handled = false;
            if (handled) e.preventDefault();
            return handled;
          },
          COMMAND_PRIORITY_LOW,
        ),
      ),
    [editor, refresh],
  );
  const isLinkRef = useRef(isLink);
  isLinkRef.current = isLink;

  const fmt = (f: TextFormatType, label: string, shortcut: string, glyph: ReactNode) => (
    <button
      type="button"
      aria-label={label}
      title={`${label} (${shortcut})`}
      aria-pressed={!!formats[f]}
      disabled={!editable}
      onMouseDown={(e) => e.preventDefault()}
      onClick={() => editor.dispatchCommand(FORMAT_TEXT_COMMAND, f)}
    >
      {glyph}
    </button>
  );

  return (
    <div className="toolbar" role="toolbar" aria-label="Formatting">
      <button type="button" aria-label="Undo" title="Undo your last change (Ctrl+Z)" disabled={!editable || !canUndo} onClick={() => editor.dispatchCommand(UNDO_COMMAND, undefined)}>
        <Undo2 aria-hidden="true" size={16} />
      </button>
      <button type="button" aria-label="Redo" title="Redo (Ctrl+Shift+Z)" disabled={!editable || !canRedo} onClick={() => editor.dispatchCommand(REDO_COMMAND, undefined)}>
        <Redo2 aria-hidden="true" size={16} />
      </button>
      <span className="sep" aria-hidden="true" />
      <label className="sr-only" htmlFor="block-type">
        Block type
      </label>
      <select id="block-type" value={block} disabled={!editable} onChange={(e) => setBlockType(editor, e.target.value as BlockType, block)}>
        {(Object.keys(BLOCK_LABELS) as BlockType[]).map((t) => (
          <option key={t} value={t}>
            {BLOCK_LABELS[t]}
          </option>
        ))}
      </select>
      <span className="sep" aria-hidden="true" />
      {fmt("bold", "Bold", "Ctrl+B", <Bold aria-hidden="true" size={16} />)}
      {fmt("italic", "Italic", "Ctrl+I", <Italic aria-hidden="true" size={16} />)}
      {fmt("underline", "Underline", "Ctrl+U", <Underline aria-hidden="true" size={16} />)}
      {fmt("strikethrough", "Strikethrough", "Ctrl+Shift+X", <Strikethrough aria-hidden="true" size={16} />)}
      {fmt("code", "Inline code", "Ctrl+E", <Code aria-hidden="true" size={16} />)}
      <span className="sep" aria-hidden="true" />
      <button type="button" aria-label={isLink ? "Remove link" : "Link"} title="Link (Ctrl+K)" aria-pressed={isLink} disabled={!editable} onClick={() => promptLink(editor, isLink)}>
        <Link2 aria-hidden="true" size={16} />
      </button>
      <button type="button" aria-label="Insert table" title="Insert a 3×3 table" disabled={!editable} onClick={() => editor.dispatchCommand(INSERT_TABLE_COMMAND, { rows: "3", columns: "3", includeHeaders: { rows: true, columns: false } })}>
        <Table aria-hidden="true" size={16} />
      </button>
      {inTable && editable && (
        <>
          <button type="button" aria-label="Add a row below" title="Add a row below" onClick={() => editor.update(() => void $insertTableRowAtSelection(true))}>+Row</button>
          <button type="button" aria-label="Add a column to the right" title="Add a column to the right" onClick={() => editor.update(() => void $insertTableColumnAtSelection(true))}>+Col</button>
          <button type="button" aria-label="Delete this row" title="Delete this row" onClick={() => editor.update(() => $deleteTableRowAtSelection())}>−Row</button>
          <button type="button" aria-label="Delete this column" title="Delete this column" onClick={() => editor.update(() => $deleteTableColumnAtSelection())}>−Col</button>
        </>
      )}
      {onInsertImage && (
        <button type="button" aria-label="Insert image" title="Upload an image (PNG, JPEG, GIF, WebP; up to 5 MB)" disabled={!editable} onClick={onInsertImage}>
          <ImagePlus aria-hidden="true" size={16} />
        </button>
      )}
      {children}
    </div>
  );
}
