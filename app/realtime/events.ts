/** Typed Socket.io events, shared by the server and the browser. Names follow `resource.verb`. */
import type { EntityRef } from "../schemas/entities";
import type { FeedItem, ReactionChangedPayload } from "../schemas/feed";
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

/** An insight as it travels over the socket: enough to render a row in a feed or inbox. */
export interface InsightSummary {
  id: string;
  text: string;
  channel: string;
  sourceUrl: string | null;
  account: { id: string; name: string; tier: string } | null;
  postedBy: { id: string; name: string } | null;
  integration: { id: string; name: string } | null;
  sentiment: { score: number; label: "negative" | "neutral" | "positive"; auto: string; overridden: boolean };
  status: "new" | "acknowledged" | "in_progress" | "resolved" | "declined";
  priority: "low" | "normal" | "high" | "urgent";
  teams: { id: string; name: string }[];
  tags: { name: string; label: string; kind: "product" | "topic" }[];
  ackDueAt: string | null;
  resolveDueAt: string | null;
  acknowledgedAt: string | null;
  resolvedAt: string | null;
  breached: { ack: boolean; resolve: boolean };
  clusterId: string | null;
  createdAt: string;
}

export interface ServerToClientEvents {
  "presence.snapshot": (entries: PresenceEntry[]) => void;
  "presence.changed": (entry: PresenceEntry) => void;
  "person.status": (status: StatusPayload) => void;
  "person.updated": (p: { userId: string }) => void;
  "notification.created": (p: { notification: NotificationPayload; unread: number }) => void;
  "notification.read": (p: { unread: number }) => void;
  "session.ended": (p: { reason: "signed-out" | "deactivated" | "expired" }) => void;
  /** A new insight was routed to one of the receiver's teams (or arrived on the watched feed). */
  "insight.routed": (p: { insight: InsightSummary; teamIds: string[] }) => void;
  /** An insight changed state (acknowledged, resolved, breached, sentiment overridden…). */
  "insight.updated": (p: { insight: InsightSummary; teamIds: string[]; change: string }) => void;
  // ── Q&A ── to everyone signed in:
  "question.asked": (p: QuestionAskedPayload) => void;
  // …and to the room question:<id> (joined with "question.join"):
  "question.answered": (p: { questionId: string; answerId: string; authorId: string }) => void;
  "question.commented": (p: { questionId: string; commentId: string; answerId: string | null; authorId: string }) => void;
  "question.voted": (p: { questionId: string; target: "question" | "answer"; targetId: string; score: number }) => void;
  "question.accepted": (p: { questionId: string; answerId: string | null }) => void;
  "question.updated": (p: { questionId: string; change: string }) => void;
  /** Volatile: a colleague is drafting an answer. Expires on the client after ANSWERING_TTL_MS. */
  "question.answering": (p: { questionId: string; userId: string; name: string }) => void;
  // ── Documents ──
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
  "doc.comment": (p: { docId: string; kind: "added" | "resolved" | "reopened" | "edited" | "deleted"; comment: DocCommentPayload }) => void;
  // ── Live pages (server/realtime/entities.ts) ──
  /** Something a watched entity shows changed: revalidate the page. Only while the reader may still see it. */
  "entity.changed": (ref: EntityRef) => void;
  /** The reader may no longer see a watched entity; the socket has left its room. */
  "entity.revoked": (ref: EntityRef) => void;
  // ── feed ──
  /** Something new for the receiver's home feed (already filtered by the policy for them). */
  "feed.item": (p: { item: FeedItem }) => void;
  /** Reaction counts on a question, answer or insight changed. */
  "reaction.changed": (p: ReactionChangedPayload) => void;
}

export interface QuestionAskedPayload {
  questionId: string;
  title: string;
  authorId: string;
  tagNames: string[];
  departmentId: string | null;
  createdAt: string;
}

/** How long a "… is answering" indicator lasts without a fresh typing signal. */
export const ANSWERING_TTL_MS = 5_000;
/** Clients send a typing signal at most this often. */
export const ANSWERING_THROTTLE_MS = 2_000;

export interface ClientToServerEvents {
  /** The tab has been idle (no input, or hidden) — or is active again. */
  "presence.idle": (idle: boolean) => void;
  /** Follow (or stop following) every insight, not only those routed to one's teams: the /insights feed. */
  "insights.watch": (on: boolean) => void;
  // ── Q&A ──
  /** Join the live room of a question; the server checks that the person may see it. */
  "question.join": (questionId: string, ack?: (r: { ok: boolean }) => void) => void;
  "question.leave": (questionId: string) => void;
  /** "I am drafting an answer" — throttled by the client and the server. */
  "question.typing": (questionId: string) => void;
  /** Watch an entity a page shows; the policy decides, and the ack says whether the join was accepted. */
  "entity.watch": (ref: EntityRef, ack?: (r: { ok: boolean }) => void) => void;
  "entity.unwatch": (ref: EntityRef) => void;
  // ── Documents ──
  /** Join a document's room; the policy is checked on every join. */
  "doc.join": (docId: string, ack: (r: DocJoinResult) => void) => void;
  "doc.leave": (docId: string) => void;
  /** The ack says whether an update was accepted (durably logged) or refused, and why. */
  "doc.sync": (docId: string, message: WireBytes, ack?: (r: DocAck) => void) => void;
  "doc.awareness": (docId: string, update: WireBytes) => void;
}

// ── Documents ──
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
  editedAt?: string | null;
  /** Deleted comments keep their place in the thread, without a body. */
  deleted?: boolean;
  anchorStart?: string | null;
  anchorEnd?: string | null;
}

export interface SocketData {
  userId: string;
  sessionId: string;
  /** Epoch ms when the session expires; the socket is closed then. */
  expiresAt: number;
  /** Teams whose insight inbox this socket receives (room team:<id>), loaded at the handshake. */
  teamIds?: string[];
}
