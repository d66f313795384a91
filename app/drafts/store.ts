/**
 * Drafts of what a person is typing into a form (a question, an answer, an insight), kept in this
 * browser's localStorage until it is posted. A draft outlives a reload, a closed tab and a session
 * that expired while they typed; it is kept per person and per form, is dropped two weeks after its
 * last change, and every draft of a person is deleted when they sign out.
 *
 * Pure functions over the Web Storage interface and a time given by the caller, so they are tested
 * without a browser; app/drafts/use-draft.ts binds them to a form.
 */
export const DRAFT_PREFIX = "atrium-draft:";
/** A draft untouched for this long is dropped when next read. */
export const DRAFT_MAX_AGE_MS = 14 * 24 * 60 * 60 * 1000;
/** Larger drafts are not kept (a pasted novel should not push out everything else). */
export const DRAFT_MAX_CHARS = 500_000;

export type DraftFields = Record<string, string>;
export type DraftStorage = Pick<Storage, "getItem" | "setItem" | "removeItem" | "key" | "length">;

interface Stored {
  at: number;
  fields: DraftFields;
}

export const draftKey = (userId: string, form: string) => `${DRAFT_PREFIX}${userId}:${form}`;

/** The fields saved for this key, or null: none kept, older than DRAFT_MAX_AGE_MS, or unreadable. */
export function readDraft(storage: DraftStorage, key: string, now: number): DraftFields | null {
  return readDraftEntry(storage, key, now)?.fields ?? null;
}

/** The fields and the time of their last change, as `readDraft` finds them. */
export function readDraftEntry(storage: DraftStorage, key: string, now: number): { at: number; fields: DraftFields } | null {
  let raw: string | null;
  try {
    raw = storage.getItem(key);
  } catch {
    return null;
  }
  if (raw === null) return null;
  const stored = parse(raw);
  if (!stored || now - stored.at > DRAFT_MAX_AGE_MS) {
    removeQuietly(storage, key);
    return null;
  }
  return stored;
}

/** Saves the fields; returns false when the browser refused (storage full or disabled) or the draft is too large. */
export function writeDraft(storage: DraftStorage, key: string, fields: DraftFields, now: number): boolean {
  const value = JSON.stringify({ at: now, fields } satisfies Stored);
  if (value.length > DRAFT_MAX_CHARS) {
    removeQuietly(storage, key);
    return false;
  }
  try {
    storage.setItem(key, value);
    return true;
  } catch {
    return false;
  }
}

export function removeDraft(storage: DraftStorage, key: string): void {
  removeQuietly(storage, key);
}

/** Removes every draft whose key starts with the prefix (a person's: `draftKey(userId, "")`). */
export function removeDrafts(storage: DraftStorage, prefix: string): number {
  const keys: string[] = [];
  try {
    for (let i = 0; i < storage.length; i++) {
      const k = storage.key(i);
      if (k?.startsWith(prefix)) keys.push(k);
    }
  } catch {
    return 0;
  }
  for (const k of keys) removeQuietly(storage, k);
  return keys.length;
}

function removeQuietly(storage: DraftStorage, key: string) {
  try {
    storage.removeItem(key);
  } catch {
    // storage disabled: nothing was kept either
  }
}

/** Anything else stored under the key (another version, a hand edit) counts as no draft. */
function parse(raw: string): Stored | null {
  let v: unknown;
  try {
    v = JSON.parse(raw);
  } catch {
    return null;
  }
  if (typeof v !== "object" || v === null) return null;
  const { at, fields } = v as { at?: unknown; fields?: unknown };
  if (typeof at !== "number" || !Number.isFinite(at) || typeof fields !== "object" || fields === null || Array.isArray(fields)) return null;
  const out: DraftFields = {};
  for (const [k, value] of Object.entries(fields)) {
    if (typeof value !== "string") return null;
    out[k] = value;
  }
  return { at, fields: out };
}
