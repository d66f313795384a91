/**
 * The in-process event bus. Domain verbs publish *after* their transaction commits; the realtime
 * layer (and later search, webhooks, digests) subscribe. The interface is deliberately
 * async-shaped and payloads are plain JSON so that a Redis pub/sub implementation can replace
 * InProcessEventBus when Atrium runs as several instances.
 */
import type { InsightSummary } from "../app/realtime/events.js";
import type { DocCommentPayload } from "../app/realtime/events.js";
import type { ReactionChangedPayload } from "../app/schemas/feed.js";

export type PresenceState = "online" | "away" | "offline";

export interface DomainEvents {
  "person.updated": { userId: string };
  "person.deactivated": { userId: string };
  /** Someone came online, went away or offline (merged over their tabs, after the grace period). */
  "person.presence": { userId: string; state: PresenceState };
  "person.status": {
    userId: string;
    statusText: string;
    statusEmoji: string;
    statusUntil: string | null;
  };
  "session.revoked": { userId: string; sessionIds: string[] | "all" };
  /** The same browser continues under a new session id (password change): its sockets move along. */
  "session.rotated": { userId: string; from: string; to: string };
  "notification.created": {
    userId: string;
    notification: { id: string; type: string; title: string; body: string; link: string; createdAt: string };
  };
  "notification.read": { userId: string; unread: number };
  "org.changed": { kind: "department" | "team" | "skill" };
  // Customer insights: published after the write commits.
  "insight.routed": { insight: InsightSummary; teamIds: string[] };
  "insight.updated": { insight: InsightSummary; teamIds: string[]; change: string };
  // ── Q&A ──
  "question.asked": { questionId: string; title: string; authorId: string; tagNames: string[]; departmentId: string | null; createdAt: string };
  "question.answered": { questionId: string; answerId: string; authorId: string };
  "question.commented": { questionId: string; commentId: string; answerId: string | null; authorId: string };
  "question.voted": { questionId: string; target: "question" | "answer"; targetId: string; score: number };
  "question.accepted": { questionId: string; answerId: string | null };
  "question.updated": { questionId: string; change: QuestionChange };
  // platform
  "directory.imported": { created: number; updated: number; deactivated: number };
  "webhook.redelivery": { deliveryId: string };
  // ── Documents ──
  /** Visibility, shares or trash changed: open sockets must be re-checked at once. */
  "doc.access.changed": { docIds: string[] };
  "doc.updated": { docId: string; title: string };
  "doc.comment": { docId: string; kind: "added" | "resolved" | "reopened" | "edited" | "deleted"; comment: DocCommentPayload };
  // ── feed ── (what the home feed records; reactions fan out to open pages)
  "doc.created": { docId: string; actorId: string; at: string };
  "doc.edited": { docId: string; editorIds: string[]; at: string };
  "doc.mentioned": { docId: string; userIds: string[]; byId: string | null; at: string };
  "question.routed": { questionId: string; userIds: string[]; at: string };
  "feed.recorded": { activityId: string };
  "reaction.changed": ReactionChangedPayload;
  // ── search ── (doc.created above: its title is searchable at once)
  /**
   * A document's text settled after edits (search re-reads it). Not "doc.updated": that one tells
   * open pages a new title, and would overwrite a title someone is typing.
   */
  "doc.text.settled": { docId: string };
}

export type QuestionChange =
  | "edited"
  | "closed"
  | "reopened"
  | "deleted"
  | "duplicate-linked"
  | "answer-edited"
  | "answer-deleted"
  | "comment-deleted"
  | "routed";

export type EventName = keyof DomainEvents;
export type Handler<E extends EventName> = (payload: DomainEvents[E]) => void | Promise<void>;

export interface EventBus {
  publish<E extends EventName>(event: E, payload: DomainEvents[E]): Promise<void>;
  subscribe<E extends EventName>(event: E, handler: Handler<E>): () => void;
  /** Every event, by name (outgoing webhooks forward events of features that may not exist yet). */
  subscribeAll(handler: AnyHandler): () => void;
}

export type AnyHandler = (event: string, payload: unknown) => void | Promise<void>;

export class InProcessEventBus implements EventBus {
  private handlers = new Map<EventName, Set<Handler<any>>>();
  private anyHandlers = new Set<AnyHandler>();

  async publish<E extends EventName>(event: E, payload: DomainEvents[E]): Promise<void> {
    const set = this.handlers.get(event);
    if (!set && !this.anyHandlers.size) return;
    // A failing subscriber must not undo a committed change or starve the others.
    await Promise.all(
      [...(set ?? []), ...[...this.anyHandlers].map((h) => (p: unknown) => h(event, p))].map(async (h) => {
        try {
          await h(payload);
        } catch (err) {
          console.error(`[events] handler for ${event} failed`, err);
        }
      }),
    );
  }

  subscribeAll(handler: AnyHandler): () => void {
    this.anyHandlers.add(handler);
    return () => this.anyHandlers.delete(handler);
  }

  subscribe<E extends EventName>(event: E, handler: Handler<E>): () => void {
    let set = this.handlers.get(event);
    if (!set) this.handlers.set(event, (set = new Set()));
    set.add(handler);
    return () => set!.delete(handler);
  }
}
