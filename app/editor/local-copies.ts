/**
 * The browser's local copies of documents (y-indexeddb, one database per person and document).
 * They let offline edits survive a closed tab; they are deleted when the person signs out, when
 * their session ends, and when a document turns out to be no longer theirs to read.
 */
export const localDocName = (userId: string, docId: string) => `atrium-doc:${userId}:${docId}`;

export function forgetLocalDoc(userId: string, docId: string): void {
  if (typeof indexedDB !== "undefined") indexedDB.deleteDatabase(localDocName(userId, docId));
}

export async function forgetAllLocalDocs(): Promise<void> {
  if (typeof indexedDB === "undefined" || typeof indexedDB.databases !== "function") return;
  for (const db of await indexedDB.databases()) {
    if (db.name?.startsWith("atrium-doc:")) indexedDB.deleteDatabase(db.name);
  }
}
