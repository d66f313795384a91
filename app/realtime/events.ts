/** Typed Socket.io events, shared by the server and the browser. Names follow `resource.verb`. */
export type PresenceState = "online" | "away" | "offline";

export interface PresenceEntry {
  userId: string;
  state: PresenceState;
}

export interface StatusPayload {
  userId: string;
  statusText: string;
  statusEmoji: string;
  statusUntil: string | null;
}

export interface NotificationPayload {
  id: string;
  type: string;
  title: string;
  body: string;
  link: string;
  createdAt: string;
}

export interface ServerToClientEvents {
  "presence.snapshot": (entries: PresenceEntry[]) => void;
  "presence.changed": (entry: PresenceEntry) => void;
  "person.status": (status: StatusPayload) => void;
  "person.updated": (p: { userId: string }) => void;
  "notification.created": (p: { notification: NotificationPayload; unread: number }) => void;
  "notification.read": (p: { unread: number }) => void;
  "session.ended": (p: { reason: "signed-out" | "deactivated" }) => void;
  // ── Documents (issue 3) ──
  /** A y-protocols sync message (step 1, step 2 or update) for a joined document. */
  "doc.sync": (docId: string, message: WireBytes) => void;
  /** A y-protocols awareness update (cursors, names) for a joined document. */
  "doc.awareness": (docId: string, update: WireBytes) => void;
  /** Your role on a joined document changed (e.g. editor → viewer). */
  "doc.role": (docId: string, role: DocRoleName) => void;
  /** You no longer have access: you have been removed from the document's room. */
  "doc.revoked": (docId: string) => void;
  /** A message you sent was refused; the reason is also logged on the server. */
  "doc.refused": (docId: string, reason: string) => void;
  "doc.updated": (p: { docId: string; title: string }) => void;
  "doc.comment": (p: { docId: string; kind: "added" | "resolved" | "reopened"; comment: DocCommentPayload }) => void;
}

export interface ClientToServerEvents {
  /** The tab has been idle (no input, or hidden) — or is active again. */
  "presence.idle": (idle: boolean) => void;
  // ── Documents (issue 3) ──
  /** Join a document's room; the policy is checked on every join. */
  "doc.join": (docId: string, ack: (r: DocJoinResult) => void) => void;
  "doc.leave": (docId: string) => void;
  /** The ack says whether an update was accepted (durably logged) or refused, and why. */
  "doc.sync": (docId: string, message: WireBytes, ack?: (r: DocAck) => void) => void;
  "doc.awareness": (docId: string, update: WireBytes) => void;
}

// ── Documents (issue 3) ──
/** A Yjs message: base64 text when small, binary when large (app/realtime/doc-wire.ts). */
export type WireBytes = Uint8Array | string;
export type DocRoleName = "owner" | "editor" | "viewer";
export type DocJoinResult = { ok: true; role: DocRoleName } | { ok: false; error: "forbidden" | "not_found" | "invalid" };
export type DocAck = { ok: true } | { ok: false; reason: string };

export interface DocCommentPayload {
  id: string;
  threadId: string | null;
  body: string;
  anchorId: string | null;
  quote: string;
  resolvedAt: string | null;
  createdAt: string;
  author: { id: string; name: string; initials: string; photoUrl: string | null };
}

export interface SocketData {
  userId: string;
  sessionId: string;
}
