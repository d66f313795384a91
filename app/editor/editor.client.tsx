/**
 * The Lexical rich-text editor for question and answer bodies (not collaborative). A `.client`
 * module: the server build leaves it out, and RichTextField mounts it only after hydration,
 * showing a plain textarea until then (and without JavaScript).
 *
 * The editor posts Lexical's serialized state; the server sanitises it (app/editor/rich-text.ts).
 */
import { Bold, Code, Heading, Italic, Link2, List, ListChecks, ListOrdered, Pilcrow, SquareCode, TextQuote } from "lucide-react";
import { $createCodeNode, CodeHighlightNode, CodeNode } from "@lexical/code";
import { $isLinkNode, AutoLinkNode, LinkNode, TOGGLE_LINK_COMMAND } from "@lexical/link";
import { INSERT_CHECK_LIST_COMMAND, INSERT_ORDERED_LIST_COMMAND, INSERT_UNORDERED_LIST_COMMAND, ListItemNode, ListNode } from "@lexical/list";
import { CheckListPlugin } from "@lexical/react/LexicalCheckListPlugin";
import { LexicalComposer } from "@lexical/react/LexicalComposer";
import { useLexicalComposerContext } from "@lexical/react/LexicalComposerContext";
import { ContentEditable } from "@lexical/react/LexicalContentEditable";
import { LexicalErrorBoundary } from "@lexical/react/LexicalErrorBoundary";
import { HistoryPlugin } from "@lexical/react/LexicalHistoryPlugin";
import { LinkPlugin } from "@lexical/react/LexicalLinkPlugin";
import { ListPlugin } from "@lexical/react/LexicalListPlugin";
import { OnChangePlugin } from "@lexical/react/LexicalOnChangePlugin";
import { RichTextPlugin } from "@lexical/react/LexicalRichTextPlugin";
import { $createHeadingNode, $createQuoteNode, HeadingNode, QuoteNode } from "@lexical/rich-text";
import { $setBlocksType } from "@lexical/selection";
import { $createParagraphNode, $getSelection, $isRangeSelection, FORMAT_TEXT_COMMAND, type EditorState, type LexicalEditor, type TextFormatType } from "lexical";
import { richTextToPlain, safeUrl, sanitizeRichText } from "./rich-text";

export const EDITOR_NODES = [HeadingNode, QuoteNode, ListNode, ListItemNode, LinkNode, AutoLinkNode, CodeNode, CodeHighlightNode];

const theme = {
  paragraph: "rt-p",
  quote: "rt-quote",
  heading: { h2: "rt-h2", h3: "rt-h3", h4: "rt-h4" },
  list: { ul: "rt-ul", ol: "rt-ol", listitem: "rt-li", listitemChecked: "rt-li-checked", listitemUnchecked: "rt-li-unchecked", nested: { listitem: "rt-li-nested" } },
  link: "rt-link",
  code: "rt-code",
  text: { bold: "rt-bold", italic: "rt-italic", underline: "rt-underline", strikethrough: "rt-strike", code: "rt-inline-code" },
};

export interface EditorProps {
  id: string;
  /** Sanitised serialized state to start from (a JSON string), or null for an empty body. */
  initialJson: string | null;
  label: string;
  placeholder?: string;
  /** Called on every change with the serialized state and its plain-text rendering. */
  onChange: (json: string, text: string) => void;
  /** Called on each edit made by the person (not by loading the initial state). */
  onUserInput?: () => void;
  autoFocus?: boolean;
  testId?: string;
}

function ToolbarButton({ label, onClick, children }: { label: string; onClick: () => void; children: React.ReactNode }) {
  return (
    <button type="button" className="rt-tool" aria-label={label} title={label} onMouseDown={(e) => e.preventDefault()} onClick={onClick}>
      {children}
    </button>
  );
}

function Toolbar() {
  const [editor] = useLexicalComposerContext();
  const format = (f: TextFormatType) => editor.dispatchCommand(FORMAT_TEXT_COMMAND, f);
  const block = (make: () => import("lexical").ElementNode) =>
    editor.update(() => {
      const sel = $getSelection();
      if ($isRangeSelection(sel)) $setBlocksType(sel, make);
    });
  const link = () => {
    let current: string | null = null;
    editor.getEditorState().read(() => {
      const sel = $getSelection();
      if ($isRangeSelection(sel)) {
        const parent = sel.anchor.getNode().getParent();
        if ($isLinkNode(parent)) current = parent.getURL();
      }
    });
    if (current) return editor.dispatchCommand(TOGGLE_LINK_COMMAND, null);
    const url = window.prompt("Link address (https://… or mailto:…)", "https://");
    if (url && safeUrl(url)) editor.dispatchCommand(TOGGLE_LINK_COMMAND, url);
    else if (url) window.alert("Only http, https and mailto links are allowed.");
  };
  return (
    <div className="rt-toolbar" role="toolbar" aria-label="Formatting">
      <ToolbarButton label="Bold" onClick={() => format("bold")}><Bold aria-hidden="true" size={16} /></ToolbarButton>
      <ToolbarButton label="Italic" onClick={() => format("italic")}><Italic aria-hidden="true" size={16} /></ToolbarButton>
      <ToolbarButton label="Inline code" onClick={() => format("code")}><Code aria-hidden="true" size={16} /></ToolbarButton>
      <ToolbarButton label="Link" onClick={link}><Link2 aria-hidden="true" size={16} /></ToolbarButton>
      <span className="rt-sep" aria-hidden="true" />
      <ToolbarButton label="Paragraph" onClick={() => block(() => $createParagraphNode())}><Pilcrow aria-hidden="true" size={16} /></ToolbarButton>
      <ToolbarButton label="Heading" onClick={() => block(() => $createHeadingNode("h3"))}><Heading aria-hidden="true" size={16} /></ToolbarButton>
      <ToolbarButton label="Bulleted list" onClick={() => editor.dispatchCommand(INSERT_UNORDERED_LIST_COMMAND, undefined)}><List aria-hidden="true" size={16} /></ToolbarButton>
      <ToolbarButton label="Numbered list" onClick={() => editor.dispatchCommand(INSERT_ORDERED_LIST_COMMAND, undefined)}><ListOrdered aria-hidden="true" size={16} /></ToolbarButton>
      <ToolbarButton label="Checklist" onClick={() => editor.dispatchCommand(INSERT_CHECK_LIST_COMMAND, undefined)}><ListChecks aria-hidden="true" size={16} /></ToolbarButton>
      <ToolbarButton label="Quote" onClick={() => block(() => $createQuoteNode())}><TextQuote aria-hidden="true" size={16} /></ToolbarButton>
      <ToolbarButton label="Code block" onClick={() => block(() => $createCodeNode())}><SquareCode aria-hidden="true" size={16} /></ToolbarButton>
    </div>
  );
}

export function RichTextEditor({ id, initialJson, label, placeholder, onChange, onUserInput, autoFocus, testId }: EditorProps) {
  const config = {
    namespace: "atrium-body",
    nodes: EDITOR_NODES,
    theme,
    onError: (e: Error) => console.error(e),
    editorState: initialJson ? (editor: LexicalEditor) => editor.setEditorState(editor.parseEditorState(initialJson)) : undefined,
  };
  const handle = (state: EditorState, _editor: LexicalEditor, tags: Set<string>) => {
    const json = state.toJSON();
    let text = "";
    try {
      text = richTextToPlain(sanitizeRichText(json));
    } catch {
      text = "";
    }
    onChange(JSON.stringify(json), text);
    if (onUserInput && !tags.has("history-merge")) onUserInput();
  };
  return (
    <LexicalComposer initialConfig={config}>
      <div className="rt-editor" data-testid={testId}>
        <Toolbar />
        <div className="rt-surface">
          <RichTextPlugin
            contentEditable={
              <ContentEditable
                id={id}
                className="rt-content"
                aria-label={label}
                aria-placeholder={placeholder ?? ""}
                placeholder={<div className="rt-placeholder">{placeholder}</div>}
                autoFocus={autoFocus}
              />
            }
            ErrorBoundary={LexicalErrorBoundary}
          />
        </div>
        <HistoryPlugin />
        <ListPlugin />
        <CheckListPlugin />
        <LinkPlugin validateUrl={(u) => !!safeUrl(u)} />
        <OnChangePlugin onChange={handle} ignoreSelectionChange />
      </div>
    </LexicalComposer>
  );
}
