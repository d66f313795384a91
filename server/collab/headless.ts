/**
 * A headless Lexical editor bound to a Yjs document through @lexical/yjs, exactly as the browser's
 * CollaborationPlugin binds one: the server reads a document's text, Markdown and editor state
 * from its Yjs state, and writes content (the first paragraph, an import, a restore) as ordinary
 * Yjs updates that every open editor receives.
 */
import { $convertFromMarkdownString, $convertToMarkdownString } from "@lexical/markdown";
import { createBinding, syncLexicalUpdateToYjs, syncYjsChangesToLexical, type Binding, type Provider } from "@lexical/yjs";
import {
  $createParagraphNode,
  $getRoot,
  $parseSerializedNode,
  createEditor,
  SKIP_COLLAB_TAG,
  type LexicalEditor,
  type LexicalNode,
  type SerializedEditorState,
  type SerializedLexicalNode,
} from "lexical";
import * as Y from "yjs";
import { lcs, planSectionRestore, toBlocks, type Block, type RestorePlan } from "./sections.js";
import { MARKDOWN_FILE_TRANSFORMERS, markdownFileTransformers } from "../../app/editor/markdown.js";
import { RICH_TEXT_NODES } from "../../app/editor/nodes.js";
import { $isMentionNode } from "../../app/editor/nodes/MentionNode.js";
import { mentionLabel, type MentionNames } from "../../app/editor/mention-names.js";
import { $dfs } from "@lexical/utils";

/** The binding only reads awareness to place cursors; the server has none. */
function silentProvider(): Provider {
  const noop = () => {};
  return {
    awareness: { getLocalState: () => null, getStates: () => new Map(), on: noop, off: noop, setLocalState: noop, setLocalStateField: noop },
    connect: noop,
    disconnect: noop,
    on: noop,
    off: noop,
  } as unknown as Provider;
}

interface Headless {
  editor: LexicalEditor;
  doc: Y.Doc;
  binding: Binding;
}

/** A fresh doc with an editor bound to it; apply state *after* binding so the editor follows. */
function bound(): Headless {
  const doc = new Y.Doc();
  const editor = createEditor({
    namespace: "atrium-headless",
    nodes: RICH_TEXT_NODES,
    onError: (e) => {
      throw e;
    },
  });
  const provider = silentProvider();
  const binding = createBinding(editor, provider, "headless", doc, new Map([["headless", doc]]));
  editor.registerUpdateListener(({ prevEditorState, editorState, dirtyElements, dirtyLeaves, normalizedNodes, tags }) => {
    if (tags.has("skip-collab")) return;
    syncLexicalUpdateToYjs(binding, provider, prevEditorState, editorState, dirtyElements, dirtyLeaves, normalizedNodes, tags);
  });
  binding.root.getSharedType().observeDeep((events, tr) => {
    if (tr.origin !== binding) syncYjsChangesToLexical(binding, provider, events as never, false, () => {});
  });
  return { editor, doc, binding };
}

function loaded(state: Uint8Array | null): Headless {
  const h = bound();
  if (state && state.byteLength) Y.applyUpdate(h.doc, state);
  // Remote changes are applied in a deferred update; a discrete no-op flushes it.
  h.editor.update(() => {}, { discrete: true });
  return h;
}

function dispose(h: Headless) {
  h.doc.destroy();
}

/** The state of a new document: one empty paragraph, so no client ever needs to bootstrap. */
export function initialState(): Uint8Array {
  const h = bound();
  h.editor.update(() => void $getRoot().append($createParagraphNode()), { discrete: true });
  const out = Y.encodeStateAsUpdate(h.doc);
  dispose(h);
  return out;
}

/** The state after running a Lexical update `fn` on `state` (fixtures, scripted edits). */
export function editState(state: Uint8Array | null, fn: () => void): Uint8Array {
  const h = loaded(state);
  h.editor.update(fn, { discrete: true });
  const out = Y.encodeStateAsUpdate(h.doc);
  dispose(h);
  return out;
}

export function markdownToState(markdown: string): Uint8Array {
  const h = bound();
  h.editor.update(
    () => {
      $convertFromMarkdownString(markdown, MARKDOWN_FILE_TRANSFORMERS);
      if ($getRoot().getChildrenSize() === 0) $getRoot().append($createParagraphNode());
    },
    { discrete: true },
  );
  const out = Y.encodeStateAsUpdate(h.doc);
  dispose(h);
  return out;
}

export interface ReadOut {
  text: string;
  markdown?: string;
  json?: SerializedEditorState;
  mentions: string[];
}

/**
 * Text (and optionally Markdown / editor JSON) of a Yjs state, plus the people it mentions. With
 * `mentionNames` every @mention reads as the person's current name (app/editor/mention-names.ts)
 * in all three; without, the text holds the labels as stored, which only their writer chose.
 */
export function readState(
  state: Uint8Array | null,
  want: { markdown?: boolean; json?: boolean; /** current names by user id: @mentions are shown with these */ mentionNames?: MentionNames } = {},
): ReadOut {
  const h = loaded(state);
  const names = want.mentionNames;
  // Relabelled in this throwaway editor only: nothing reaches its Yjs doc.
  if (names) h.editor.update(() => $relabelMentions(names), { discrete: true, tag: SKIP_COLLAB_TAG });
  const es = h.editor.getEditorState();
  const json = es.toJSON();
  const out: ReadOut = {
    text: es.read(() => $getRoot().getTextContent()),
    mentions: [...collectMentions(json.root)],
  };
  if (want.markdown) out.markdown = es.read(() => $convertToMarkdownString(names ? markdownFileTransformers(names) : MARKDOWN_FILE_TRANSFORMERS));
  if (want.json) out.json = json;
  dispose(h);
  return out;
}

function $relabelMentions(names: MentionNames) {
  for (const { node } of $dfs()) {
    if (!$isMentionNode(node)) continue;
    const label = mentionLabel(names, node.getUserId());
    if (node.getTextContent() !== label) node.setTextContent(label);
  }
}

function collectMentions(node: SerializedLexicalNode, into = new Set<string>()): Set<string> {
  const n = node as SerializedLexicalNode & { userId?: unknown; children?: SerializedLexicalNode[] };
  if (n.type === "mention" && typeof n.userId === "string") into.add(n.userId);
  for (const c of n.children ?? []) collectMentions(c, into);
  return into;
}

/**
 * The Yjs update that turns `current` into the content of `target` — a new change on top of the
 * history (nothing is rewritten), so every open editor sees the restore live and it can itself
 * be undone by restoring again.
 */
export function replaceContentUpdate(current: Uint8Array, target: Uint8Array): Uint8Array {
  const wanted = readState(target, { json: true }).json!;
  const h = loaded(current);
  const before = Y.encodeStateVector(h.doc);
  h.editor.update(
    () => {
      const root = $getRoot();
      root.clear();
      for (const child of wanted.root.children) root.append($parseSerializedNode(child));
      if (root.getChildrenSize() === 0) root.append($createParagraphNode());
    },
    { discrete: true },
  );
  const out = Y.encodeStateAsUpdate(h.doc, before);
  dispose(h);
  return out;
}

/**
 * The Yjs update that edits `current` into the content of `markdown` the way a person would:
 * top-level blocks equal in both are kept (same Yjs identity), the others are removed or
 * inserted. Used to write a document's history as a sequence of real states (the demo seed).
 */
export function editToMarkdownUpdate(current: Uint8Array, markdown: string): Uint8Array {
  const h = loaded(current);
  const cur = toBlocks(h.editor.getEditorState().toJSON().root.children, topLevelIds(h));
  return replaceBlocksUpdate(h, 0, cur, readBlocks(markdownToState(markdown)));
}

type Blocks = ReturnType<typeof readBlocks>;

/**
 * Edits the top-level blocks `there` (starting at index `from`) into `wanted`: blocks equal in both
 * are kept (same Yjs identity), the others removed or inserted. Returns the Yjs update; disposes `h`.
 */
function replaceBlocksUpdate(h: ReturnType<typeof loaded>, from: number, there: Blocks, wanted: Blocks): Uint8Array {
  const keep = new Map(lcs(wanted, there, (b) => b.sig));
  const keptCur = new Set(keep.values());
  const before = Y.encodeStateVector(h.doc);
  h.editor.update(
    () => {
      const root = $getRoot();
      const nodes = root.getChildren();
      let prev: LexicalNode | null = nodes[from - 1] ?? null;
      there.forEach((_, k) => {
        if (!keptCur.has(k)) nodes[from + k]!.remove();
      });
      wanted.forEach((b, k) => {
        const kept = keep.get(k);
        if (kept !== undefined) {
          prev = nodes[from + kept]!;
          return;
        }
        const node = $parseSerializedNode(b.node);
        if (prev) prev.insertAfter(node);
        else {
          const first = root.getFirstChild();
          if (first) first.insertBefore(node);
          else root.append(node);
        }
        prev = node;
      });
      if (root.getChildrenSize() === 0) root.append($createParagraphNode());
    },
    { discrete: true },
  );
  const out = Y.encodeStateAsUpdate(h.doc, before);
  dispose(h);
  return out;
}

// ── section diff and restore (decision 043) ──

/** Yjs identity ("client:clock") of each top-level node's shared type. */
function topLevelIds(h: Headless): (string | null)[] {
  const kids = (h.binding.root as unknown as { _children: { _xmlText?: Y.XmlText; _xmlElem?: Y.XmlElement; _map?: Y.Map<unknown> }[] })._children;
  return kids.map((c) => {
    const item = (c._xmlText ?? c._xmlElem ?? c._map)?._item;
    return item ? `${item.id.client}:${item.id.clock}` : null;
  });
}

/** The top-level blocks of a Yjs state, with their Yjs identities. */
export function readBlocks(state: Uint8Array | null, mentionNames?: MentionNames): Block[] {
  const h = loaded(state);
  if (mentionNames) h.editor.update(() => $relabelMentions(mentionNames), { discrete: true, tag: SKIP_COLLAB_TAG });
  const json = h.editor.getEditorState().toJSON();
  const blocks = toBlocks(json.root.children, topLevelIds(h));
  dispose(h);
  return blocks;
}

/**
 * The Yjs update that puts one section of `revision` back into `current` (see sections.ts),
 * touching only that section's top-level nodes: blocks equal in both are kept as they are,
 * so edits elsewhere — and an editor's caret in an unchanged paragraph — are left alone.
 * Returns null when `start` is not a section of the revision.
 */
export function restoreSectionUpdate(current: Uint8Array, revision: Uint8Array, start: number | "preamble"): { update: Uint8Array; plan: RestorePlan } | null {
  const rev = readBlocks(revision);
  const h = loaded(current);
  const cur = toBlocks(h.editor.getEditorState().toJSON().root.children, topLevelIds(h));
  const plan = planSectionRestore(rev, cur, start);
  if (!plan) {
    dispose(h);
    return null;
  }
  const wanted = rev.slice(plan.source.start, plan.source.end);
  return { update: replaceBlocksUpdate(h, plan.from, cur.slice(plan.from, plan.to), wanted), plan };
}

/**
 * Whether two encoded states hold the same document: the same operations applied and the same
 * ones deleted. The bytes may differ (a merged log and a live room encode differently), so the
 * comparison is on Yjs snapshots (state vector + delete set).
 */
export function sameState(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length === b.length && a.every((v, i) => v === b[i])) return true;
  const snap = (u: Uint8Array) => {
    const d = new Y.Doc();
    Y.applyUpdate(d, u);
    const s = Y.snapshot(d);
    d.destroy();
    return s;
  };
  return Y.equalSnapshots(snap(a), snap(b));
}
