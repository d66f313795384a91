/**
 * The event bus. Domain verbs publish *after* their transaction commits; the realtime layer,
 * search, webhooks and the feed subscribe. Payloads are plain JSON. In one process it is
 * InProcessEventBus; with REDIS_URL it is a Redis stream every instance reads
 * (server/infra/redis-bus.ts).
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

/**
 * Where a handler runs when Atrium is several instances. By default on every instance (handlers
 * that refresh this instance's memory or tell its own sockets); `once: true` = only on the
 * instance that published (handlers that write to the shared database or send something out).
 */
export interface SubscribeOptions {
  once?: boolean;
  /**
   * Only on the other instances (never in one process): memory the publishing verb already updated
   * itself, e.g. the people and similar-questions indexes.
   */
  elsewhere?: boolean;
}

export interface EventBus {
  /** Resolves once this instance's handlers have run (as in one process). */
  publish<E extends EventName>(event: E, payload: DomainEvents[E]): Promise<void>;
  /** To this instance's handlers only (each instance computes it itself, e.g. merged presence). */
  publishLocal<E extends EventName>(event: E, payload: DomainEvents[E]): Promise<void>;
  subscribe<E extends EventName>(event: E, handler: Handler<E>, options?: SubscribeOptions): () => void;
  /** Every event, by name (outgoing webhooks forward events of features that may not exist yet). */
  subscribeAll(handler: AnyHandler, options?: SubscribeOptions): () => void;
}

export type AnyHandler = (event: string, payload: unknown) => void | Promise<void>;

/** Handlers by event and scope; shared by the in-process and the Redis bus. */
export class LocalHandlers {
  private handlers = new Map<string, Set<Handler<any>>>();
  private anyHandlers = new Set<AnyHandler>();
  private onceHandlers = new Set<Handler<any>>();
  private onceAny = new Set<AnyHandler>();
  private elsewhereHandlers = new Set<Handler<any>>();

  /** Runs the handlers of `event`; those subscribed with `once` only when `origin` (published here). */
  async deliver(event: string, payload: unknown, origin: boolean): Promise<void> {
    const set = this.handlers.get(event);
    if (!set && !this.anyHandlers.size) return;
    const calls: ((p: unknown) => void | Promise<void>)[] = [];
    for (const h of set ?? []) if (origin ? !this.elsewhereHandlers.has(h) : !this.onceHandlers.has(h)) calls.push(h);
    for (const h of this.anyHandlers) if (origin || !this.onceAny.has(h)) calls.push((p) => h(event, p));
    // A failing subscriber must not undo a committed change or starve the others.
    await Promise.all(
      calls.map(async (h) => {
        try {
          await h(payload);
        } catch (err) {
          console.error(`[events] handler for ${event} failed`, err);
        }
      }),
    );
  }

  subscribeAll(handler: AnyHandler, options?: SubscribeOptions): () => void {
    // A handler function may be subscribed twice; wrap it so each subscription is its own entry.
    const h: AnyHandler = (e, p) => handler(e, p);
    this.anyHandlers.add(h);
    if (options?.once) this.onceAny.add(h);
    return () => {
      this.anyHandlers.delete(h);
      this.onceAny.delete(h);
    };
  }

  subscribe(event: string, handler: Handler<any>, options?: SubscribeOptions): () => void {
    let set = this.handlers.get(event);
    if (!set) this.handlers.set(event, (set = new Set()));
    const h: Handler<any> = (p) => handler(p);
    set.add(h);
    if (options?.once) this.onceHandlers.add(h);
    if (options?.elsewhere) this.elsewhereHandlers.add(h);
    return () => {
      set!.delete(h);
      this.onceHandlers.delete(h);
      this.elsewhereHandlers.delete(h);
    };
  }
}

export class InProcessEventBus implements EventBus {
  private local = new LocalHandlers();

  publish<E extends EventName>(event: E, payload: DomainEvents[E]): Promise<void> {
    return this.local.deliver(event, payload, true);
  }

  publishLocal<E extends EventName>(event: E, payload: DomainEvents[E]): Promise<void> {
    return this.local.deliver(event, payload, true);
  }

  subscribeAll(handler: AnyHandler, options?: SubscribeOptions): () => void {
    return this.local.subscribeAll(handler, options);
  }

  subscribe<E extends EventName>(event: E, handler: Handler<E>, options?: SubscribeOptions): () => void {
    return this.local.subscribe(event, handler, options);
  }
}
