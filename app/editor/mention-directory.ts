/**
 * The names an open editor shows for @mentions, by person id (app/editor/mention-names.ts): filled
 * from the page's loader, then asked of the server for ids it has not seen (a collaborator's new
 * mention) and refreshed when someone is renamed. MentionNode reads it while drawing; the label
 * stored in the document is never drawn.
 */
import type { LexicalEditor } from "lexical";
import { FORMER_MEMBER } from "./mention-names";

export type FetchNames = (ids: string[]) => Promise<Record<string, string>>;

export class MentionDirectory {
  private readonly names = new Map<string, string>();
  private readonly asked = new Set<string>();
  private queued = new Set<string>();
  private readonly listeners = new Set<(ids: string[]) => void>();

  constructor(initial: Record<string, string>, private readonly fetchNames: FetchNames) {
    for (const [id, name] of Object.entries(initial)) this.names.set(id, name);
  }

  /** The name to show, or null while it is being looked up (asked for once per id). */
  nameOf(userId: string): string | null {
    const name = this.names.get(userId);
    if (name !== undefined) return name;
    this.lookUp([userId]);
    return null;
  }

  /** A name the page already knows to be current (the person just picked from the mention menu). */
  remember(userId: string, name: string) {
    if (this.names.get(userId) === name) return;
    this.names.set(userId, name);
    this.emit([userId]);
  }

  /** Looks these ids up again (someone was renamed); known or not. */
  refresh(userIds: string[]) {
    for (const id of userIds) this.asked.delete(id);
    this.lookUp(userIds);
  }

  has(userId: string) {
    return this.names.has(userId);
  }

  onChange(fn: (ids: string[]) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  private lookUp(ids: string[]) {
    const fresh = ids.filter((id) => !this.asked.has(id));
    if (!fresh.length) return;
    for (const id of fresh) {
      this.asked.add(id);
      this.queued.add(id);
    }
    // One request for every id met while drawing the same update.
    if (this.queued.size === fresh.length) queueMicrotask(() => void this.flush());
  }

  private async flush() {
    const ids = [...this.queued];
    this.queued = new Set();
    if (!ids.length) return;
    try {
      const got = await this.fetchNames(ids);
      // An id the server does not answer for (not a person's id at all) names nobody.
      const nameOf = (id: string) => (typeof got[id] === "string" ? got[id] : FORMER_MEMBER);
      const changed = ids.filter((id) => this.names.get(id) !== nameOf(id));
      for (const id of changed) this.names.set(id, nameOf(id));
      if (changed.length) this.emit(changed);
    } catch {
      for (const id of ids) this.asked.delete(id); // asked again the next time one is drawn
    }
  }

  private emit(ids: string[]) {
    for (const fn of this.listeners) fn(ids);
  }
}

const directories = new WeakMap<LexicalEditor, MentionDirectory>();

export function setMentionDirectory(editor: LexicalEditor, directory: MentionDirectory | null) {
  if (directory) directories.set(editor, directory);
  else directories.delete(editor);
}

export function mentionDirectoryOf(editor: LexicalEditor): MentionDirectory | undefined {
  return directories.get(editor);
}
