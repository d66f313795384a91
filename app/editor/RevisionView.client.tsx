/** A revision, rendered read-only with the same nodes and theme as the live editor. */
import { LexicalComposer } from "@lexical/react/LexicalComposer";
import { ContentEditable } from "@lexical/react/LexicalContentEditable";
import { LexicalErrorBoundary } from "@lexical/react/LexicalErrorBoundary";
import { ListPlugin } from "@lexical/react/LexicalListPlugin";
import { RichTextPlugin } from "@lexical/react/LexicalRichTextPlugin";
import { TablePlugin } from "@lexical/react/LexicalTablePlugin";
import { RICH_TEXT_NODES } from "./nodes";
import { EDITOR_THEME } from "./theme";

export default function RevisionView({ editorState, revisionId }: { editorState: string; revisionId: string }) {
  return (
    <LexicalComposer
      key={revisionId}
      initialConfig={{ namespace: "atrium-revision", nodes: RICH_TEXT_NODES, theme: EDITOR_THEME, editable: false, editorState, onError: (e: Error) => console.error(e) }}
    >
      <RichTextPlugin contentEditable={<ContentEditable className="editor-input" aria-label="Revision content" data-testid="revision-content" />} ErrorBoundary={LexicalErrorBoundary} />
      <ListPlugin />
      <TablePlugin />
    </LexicalComposer>
  );
}
