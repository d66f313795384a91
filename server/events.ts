/**
 * The in-process event bus. Domain verbs publish *after* their transaction commits; the realtime
 * layer (and later search, webhooks, digests) subscribe. The interface is deliberately
 * async-shaped and payloads are plain JSON so that a Redis pub/sub implementation can replace
 * InProcessEventBus when Atrium runs as several instances.
 */
import type { DocCommentPayload } from "../app/realtime/events.js";

export type PresenceState = "online" | "away" | "offline";

export interface DomainEvents {
  "person.updated": { userId: string };
  "person.deactivated": { userId: string };
  "person.status": {
    userId: string;
    statusText: string;
    statusEmoji: string;
    statusUntil: string | null;
  };
  "session.revoked": { userId: string; sessionIds: string[] | "all" };
  "notification.created": {
    userId: string;
    notification: { id: string; type: string; title: string; body: string; link: string; createdAt: string };
  };
  "notification.read": { userId: string; unread: number };
  "org.changed": { kind: "department" | "team" | "skill" };
  // ── Documents (issue 3) ──
  /** Visibility, shares or trash changed: open sockets must be re-checked at once. */
  "doc.access.changed": { docIds: string[] };
  "doc.updated": { docId: string; title: string };
  "doc.comment": { docId: string; kind: "added" | "resolved" | "reopened"; comment: DocCommentPayload };
}

export type EventName = keyof DomainEvents;
export type Handler<E extends EventName> = (payload: DomainEvents[E]) => void | Promise<void>;

export interface EventBus {
  publish<E extends EventName>(event: E, payload: DomainEvents[E]): Promise<void>;
  subscribe<E extends EventName>(event: E, handler: Handler<E>): () => void;
}

export class InProcessEventBus implements EventBus {
  private handlers = new Map<EventName, Set<Handler<any>>>();

  async publish<E extends EventName>(event: E, payload: DomainEvents[E]): Promise<void> {
    const set = this.handlers.get(event);
    if (!set) return;
    // A failing subscriber must not undo a committed change or starve the others.
    await Promise.all(
      [...set].map(async (h) => {
        try {
          await h(payload);
        } catch (err) {
          console.error(`[events] handler for ${event} failed`, err);
        }
      }),
    );
  }

  subscribe<E extends EventName>(event: E, handler: Handler<E>): () => void {
    let set = this.handlers.get(event);
    if (!set) this.handlers.set(event, (set = new Set()));
    set.add(handler);
    return () => set!.delete(handler);
  }
}
