/**
 * The collaborative document editor (browser only: rendered after hydration). Lexical with the
 * shared node list and theme, bound to the document's Yjs state through CollaborationPlugin and
 * a SocketDocProvider on the tab's existing Socket.io connection. The server wrote the first
 * paragraph, so no client bootstraps (shouldBootstrap={false}). Undo/redo is Yjs's UndoManager,
 * which only undoes this person's own changes.
 */
import { $wrapSelectionInMarkNode, $isMarkNode, $unwrapMarkNode } from "@lexical/mark";
import { CheckListPlugin } from "@lexical/react/LexicalCheckListPlugin";
import { ClickableLinkPlugin } from "@lexical/react/LexicalClickableLinkPlugin";
import { LexicalCollaboration } from "@lexical/react/LexicalCollaborationContext";
import { CollaborationPlugin } from "@lexical/react/LexicalCollaborationPlugin";
import { LexicalComposer } from "@lexical/react/LexicalComposer";
import { useLexicalComposerContext } from "@lexical/react/LexicalComposerContext";
import { ContentEditable } from "@lexical/react/LexicalContentEditable";
import { LexicalErrorBoundary } from "@lexical/react/LexicalErrorBoundary";
import { LinkPlugin } from "@lexical/react/LexicalLinkPlugin";
import { ListPlugin } from "@lexical/react/LexicalListPlugin";
import { MarkdownShortcutPlugin } from "@lexical/react/LexicalMarkdownShortcutPlugin";
import { RichTextPlugin } from "@lexical/react/LexicalRichTextPlugin";
import { TabIndentationPlugin } from "@lexical/react/LexicalTabIndentationPlugin";
import { TablePlugin } from "@lexical/react/LexicalTablePlugin";
import type { Provider } from "@lexical/yjs";
import { DRAG_DROP_PASTE } from "@lexical/rich-text";
import { $dfs } from "@lexical/utils";
import { $getSelection, $insertNodes, $isRangeSelection, COMMAND_PRIORITY_LOW } from "lexical";
import { useCallback, useEffect, useMemo, useRef, type MutableRefObject } from "react";
import { IndexeddbPersistence } from "y-indexeddb";
import * as Y from "yjs";
import { SocketDocProvider, type DocSocket, type ProviderStatus } from "~/realtime/doc-provider";
import type { DocRoleName } from "~/realtime/events";
import { localDocName } from "./local-copies";
import { MARKDOWN_TRANSFORMERS } from "./markdown";
import { setMentionDirectory, type MentionDirectory } from "./mention-directory";
import { RICH_TEXT_NODES } from "./nodes";
import { $isMentionNode } from "./nodes/MentionNode";
import { $createImageNode } from "./nodes/ImageNode";
import { MentionsPlugin, type MentionPerson } from "./plugins/MentionsPlugin";
import { ToolbarPlugin } from "./plugins/ToolbarPlugin";
import { colorFor, EDITOR_THEME } from "./theme";
import { anchorRange, selectionAnchor, type SelectionAnchor } from "./yjs-anchors";

export interface Peer {
  clientId: number;
  userId: string;
  name: string;
  color: string;
}

export interface ConnectionInfo {
  status: ProviderStatus;
  synced: boolean;
  pending: number;
}

export interface EditorApi {
  /** Wraps the current selection in a comment mark; returns the quoted text, or null. */
  markSelection(anchorId: string): string | null;
  unmark(anchorId: string): void;
  focusMark(anchorId: string): void;
  // ── anchors as Yjs relative positions (decision 045) ──
  /** The selected text as a Yjs anchor (nothing is written to the document), or null. */
  selectionAnchor(): SelectionAnchor | null;
  /** Scrolls to and selects an anchored comment's text; false if the text is gone. */
  focusAnchor(a: { start: string; end: string }): boolean;
}

export interface DocEditorProps {
  docId: string;
  user: { id: string; name: string };
  canEdit: boolean;
  socket: DocSocket;
  searchPeople: (q: string) => Promise<MentionPerson[]>;
  /** Current names for @mentions, by person id (the stored labels are never shown). */
  mentionDirectory: MentionDirectory;
  uploadImage: (file: File) => Promise<{ url: string }>;
  onConnection?: (c: ConnectionInfo) => void;
  onPeers?: (peers: Peer[]) => void;
  onRole?: (role: DocRoleName | null) => void;
  onDenied?: (reason: string) => void;
  onSelection?: (hasText: boolean) => void;
  apiRef?: MutableRefObject<EditorApi | null>;
  /** Extra toolbar buttons. */
  toolbarExtra?: React.ReactNode;
  /** Comment anchors to highlight (Yjs relative positions). */
  anchors?: { start: string; end: string }[];
}

const urlOk = (url: string) => /^(https?:\/\/|mailto:|\/)/i.test(url);

export default function DocEditor(props: DocEditorProps) {
  const { docId, user, canEdit, socket } = props;
  const cursorsRef = useRef<HTMLDivElement | null>(null);
  const fileRef = useRef<HTMLInputElement | null>(null);
  const cb = useRef(props);
  cb.current = props;
  // Stable: CollaborationPlugin reconnects whenever this object changes identity.
  const awarenessData = useMemo(() => ({ userId: user.id }), [user.id]);
  const docRef = useRef<Y.Doc | null>(null);

  const providerFactory = useCallback(
    (id: string, docMap: Map<string, Y.Doc>) => {
      const doc = new Y.Doc();
      docMap.set(id, doc);
      docRef.current = doc;
      // A local copy in this browser, per person: edits made offline survive closing the tab or
      // a reload, and are sent on the next connection (state vectors). Dropped when access ends.
      // It is opened when the provider first connects, i.e. once Lexical's binding observes the
      // doc: content loaded before that would sit in the Y.Doc without ever reaching the editor.
      let local: IndexeddbPersistence | null = null;
      const loadLocal = () => {
        if (typeof indexedDB === "undefined") return;
        const copy = (local = new IndexeddbPersistence(localDocName(user.id, id), doc));
        // Without IndexedDB (refused, private mode) the document still opens from the server.
        return new Promise((resolve) => {
          void copy.whenSynced.then(resolve);
          copy._db.catch(resolve);
        });
      };
      const provider = new SocketDocProvider(socket, id, doc, { loadLocal });
      provider.on("denied", () => void local?.clearData());
      const report = () => cb.current.onConnection?.({ status: provider.status, synced: provider.synced, pending: provider.pending });
      provider.on("status", report);
      provider.on("sync", report);
      provider.on("pending", report);
      provider.on("role", (r) => cb.current.onRole?.(r));
      provider.on("denied", (r) => cb.current.onDenied?.(r));
      provider.awareness.on("change", () => {
        const peers = new Map<string, Peer>();
        for (const [clientId, s] of provider.awareness.getStates()) {
          const state = s as { name?: string; color?: string; awarenessData?: { userId?: string } };
          const userId = state.awarenessData?.userId;
          if (!userId || !state.name) continue;
          if (!peers.has(userId)) peers.set(userId, { clientId, userId, name: state.name, color: state.color ?? colorFor(userId) });
        }
        cb.current.onPeers?.([...peers.values()]);
      });
      report();
      return provider as unknown as Provider;
    },
    [socket, user.id],
  );

  const initialConfig = {
    namespace: "atrium-doc",
    nodes: RICH_TEXT_NODES,
    theme: EDITOR_THEME,
    editable: canEdit,
    // Content comes from Yjs only.
    editorState: null,
    onError: (e: Error) => console.error("[editor]", e),
  };

  return (
    <LexicalCollaboration>
      <LexicalComposer initialConfig={initialConfig}>
        <MentionNames directory={props.mentionDirectory} />
        <div className="editor-shell">
          <ToolbarPlugin onInsertImage={canEdit ? () => fileRef.current?.click() : undefined}>{props.toolbarExtra}</ToolbarPlugin>
          <div className="editor-area" ref={cursorsRef}>
            <RichTextPlugin
              contentEditable={
                <ContentEditable
                  className="editor-input"
                  aria-label="Document body"
                  data-testid="doc-editor"
                  aria-placeholder="Start writing…"
                  placeholder={(editable) => <div className="editor-placeholder">{editable ? "Start writing… (Markdown shortcuts work: # , - , 1. , [] , > , ```)" : ""}</div>}
                />
              }
              ErrorBoundary={LexicalErrorBoundary}
            />
          </div>
          <CollaborationPlugin
            id={docId}
            providerFactory={providerFactory}
            shouldBootstrap={false}
            username={user.name}
            cursorColor={colorFor(user.id)}
            cursorsContainerRef={cursorsRef}
            awarenessData={awarenessData}
          />
          <ListPlugin />
          <CheckListPlugin />
          <LinkPlugin validateUrl={urlOk} />
          <ClickableLinkPlugin newTab />
          <TablePlugin />
          <MarkdownShortcutPlugin transformers={MARKDOWN_TRANSFORMERS} />
          <TabIndentationPlugin />
          {canEdit && <MentionsPlugin searchPeople={props.searchPeople} />}
          <EditableSync canEdit={canEdit} />
          <MentionClicks />
          <SelectionWatch onSelection={props.onSelection} />
          <EditorApiPlugin apiRef={props.apiRef} docRef={docRef} />
          <AnchorHighlights docRef={docRef} anchors={props.anchors} />
          <ImageInput fileRef={fileRef} upload={props.uploadImage} />
          {canEdit && <ImageDropPaste upload={props.uploadImage} />}
        </div>
      </LexicalComposer>
    </LexicalCollaboration>
  );
}

/**
 * Gives the editor's mention nodes their directory — during the first render, before any content
 * can arrive — and redraws the mentions of people whose names it learns or relearns. The redraw
 * marks nodes dirty without changing them, so it writes nothing to Yjs. It carries no tags on
 * purpose: Lexical merges updates queued together, and a "skip-collab" tag would then keep a
 * mention being inserted in the same tick out of the shared document.
 */
function MentionNames({ directory }: { directory: MentionDirectory }) {
  const [editor] = useLexicalComposerContext();
  useMemo(() => setMentionDirectory(editor, directory), [editor, directory]);
  useEffect(() => {
    setMentionDirectory(editor, directory);
    const redraw = (ids: string[] | null) =>
      editor.update(() => {
        for (const { node } of $dfs()) if ($isMentionNode(node) && (!ids || ids.includes(node.getUserId()))) node.markDirty();
      });
    redraw(null);
    const off = directory.onChange(redraw);
    return () => {
      off();
      setMentionDirectory(editor, null);
    };
  }, [editor, directory]);
  return null;
}

/** Role changes (editor ↔ viewer) take effect without a reload. */
function EditableSync({ canEdit }: { canEdit: boolean }) {
  const [editor] = useLexicalComposerContext();
  useEffect(() => editor.setEditable(canEdit), [editor, canEdit]);
  return null;
}

/** A mention links to the person's profile: click when reading, Ctrl/⌘+click when editing. */
function MentionClicks() {
  const [editor] = useLexicalComposerContext();
  useEffect(
    () =>
      editor.registerRootListener((root, prev) => {
        const onClick = (e: MouseEvent) => {
          const el = (e.target as HTMLElement).closest<HTMLElement>(".doc-mention");
          if (!el?.dataset.userId) return;
          if (editor.isEditable() && !(e.metaKey || e.ctrlKey)) return;
          e.preventDefault();
          window.location.assign(`/people/${el.dataset.userId}`);
        };
        prev?.removeEventListener("click", onClick);
        root?.addEventListener("click", onClick);
      }),
    [editor],
  );
  return null;
}

function SelectionWatch({ onSelection }: { onSelection?: (hasText: boolean) => void }) {
  const [editor] = useLexicalComposerContext();
  useEffect(
    () =>
      editor.registerUpdateListener(({ editorState }) =>
        editorState.read(() => {
          const s = $getSelection();
          onSelection?.($isRangeSelection(s) && !s.isCollapsed() && s.getTextContent().trim().length > 0);
        }),
      ),
    [editor, onSelection],
  );
  return null;
}

/** Highlights anchored comments' text without touching the document (CSS Custom Highlight API). */
function AnchorHighlights({ docRef, anchors }: { docRef: MutableRefObject<Y.Doc | null>; anchors?: { start: string; end: string }[] }) {
  const [editor] = useLexicalComposerContext();
  useEffect(() => {
    const g = globalThis as unknown as { CSS?: { highlights?: Map<string, unknown> }; Highlight?: new (...r: Range[]) => unknown };
    if (!g.CSS?.highlights || !g.Highlight) return;
    const paint = () => {
      const doc = docRef.current;
      const ranges = doc ? (anchors ?? []).map((a) => anchorRange(editor, doc, a)).filter((r): r is Range => !!r) : [];
      g.CSS!.highlights!.set("atrium-comment", new g.Highlight!(...ranges));
    };
    // At most once per frame: a burst of remote updates repaints once.
    let frame = 0;
    const schedule = () => {
      if (!frame) frame = requestAnimationFrame(() => ((frame = 0), paint()));
    };
    paint();
    const off = editor.registerUpdateListener(schedule);
    return () => {
      off();
      cancelAnimationFrame(frame);
      g.CSS!.highlights!.delete("atrium-comment");
    };
  }, [editor, docRef, anchors]);
  return null;
}

function EditorApiPlugin({ apiRef, docRef }: { apiRef?: MutableRefObject<EditorApi | null>; docRef: MutableRefObject<Y.Doc | null> }) {
  const [editor] = useLexicalComposerContext();
  useEffect(() => {
    if (!apiRef) return;
    apiRef.current = {
      markSelection(anchorId) {
        let quote: string | null = null;
        editor.update(
          () => {
            const s = $getSelection();
            if (!$isRangeSelection(s) || s.isCollapsed()) return;
            quote = s.getTextContent().slice(0, 500);
            $wrapSelectionInMarkNode(s, s.isBackward(), anchorId);
          },
          { discrete: true },
        );
        return quote;
      },
      unmark(anchorId) {
        editor.update(() => {
          for (const { node } of $dfs()) {
            if ($isMarkNode(node) && node.hasID(anchorId)) {
              if (node.getIDs().length > 1) node.deleteID(anchorId);
              else $unwrapMarkNode(node);
            }
          }
        });
      },
      focusMark(anchorId) {
        const key = editor.getEditorState().read(() => {
          for (const { node } of $dfs()) if ($isMarkNode(node) && node.hasID(anchorId)) return node.getKey();
          return null;
        });
        if (key) editor.getElementByKey(key)?.scrollIntoView({ block: "center", behavior: "smooth" });
      },
      selectionAnchor() {
        return docRef.current ? selectionAnchor(editor, docRef.current) : null;
      },
      focusAnchor(a) {
        const r = docRef.current ? anchorRange(editor, docRef.current, a) : null;
        if (!r) return false;
        (r.startContainer.parentElement ?? editor.getRootElement())?.scrollIntoView({ block: "center", behavior: "smooth" });
        const sel = window.getSelection();
        sel?.removeAllRanges();
        sel?.addRange(r);
        return true;
      },
    };
    return () => {
      apiRef.current = null;
    };
  }, [editor, apiRef, docRef]);
  return null;
}

// ── paste or drop image files into the editor ──
const IMAGE_MIME = /^image\/(png|jpeg|gif|webp)$/;

/** Pasted or dropped image files are uploaded (same limits and checks) and inserted where the caret (or the drop) is. */
function ImageDropPaste({ upload }: { upload: (f: File) => Promise<{ url: string }> }) {
  const [editor] = useLexicalComposerContext();
  useEffect(
    () =>
      editor.registerCommand(
        DRAG_DROP_PASTE,
        (files: File[]) => {
          const images = files.filter((f) => IMAGE_MIME.test(f.type));
          if (!images.length) return false;
          void (async () => {
            for (const file of images) {
              try {
                const { url } = await upload(file);
                editor.update(() => $insertNodes([$createImageNode(url, file.name.replace(/\.[a-z]+$/i, ""))]));
              } catch (err) {
                window.alert((err as Error).message);
              }
            }
          })();
          return true;
        },
        COMMAND_PRIORITY_LOW,
      ),
    [editor, upload],
  );
  return null;
}

function ImageInput({ fileRef, upload }: { fileRef: MutableRefObject<HTMLInputElement | null>; upload: (f: File) => Promise<{ url: string }> }) {
  const [editor] = useLexicalComposerContext();
  return (
    <input
      ref={fileRef}
      type="file"
      accept="image/png,image/jpeg,image/gif,image/webp"
      hidden
      aria-label="Upload an image"
      data-testid="image-input"
      onChange={async (e) => {
        const file = e.currentTarget.files?.[0];
        e.currentTarget.value = "";
        if (!file) return;
        try {
          const { url } = await upload(file);
          editor.update(() => $insertNodes([$createImageNode(url, file.name.replace(/\.[a-z]+$/i, ""))]));
        } catch (err) {
          window.alert((err as Error).message);
        }
      }}
    />
  );
}
