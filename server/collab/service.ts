/**
 * Yjs rooms: one in-memory Y.Doc per open document, loaded from snapshot + log, and the single
 * path by which content changes — from a socket or from the server itself (first paragraph,
 * import, restore). An update is accepted only after it is checked, applied and durably
 * appended to the log; only then is it relayed and acknowledged (decision 040).
 *
 * The service knows nothing about sockets or permissions: the socket layer (server/realtime/
 * docs-socket.ts) checks the policy and calls in; the docs domain receives settled text and
 * revisions through `hooks`.
 */
import { Awareness, applyAwarenessUpdate, encodeAwarenessUpdate, removeAwarenessStates } from "y-protocols/awareness";
import * as Y from "yjs";
import type { ReadOut } from "./headless.js";
import { headless } from "./headless-lazy.js";
import { LogWriter, type DocLog, type StoredDoc } from "./update-log.js";
import { ALLOWED_ROOTS, checkUpdate, decodeAwareness, encodeAwareness, Refusal, type AwarenessEntry } from "./validate.js";

export interface CollabOptions {
  maxUpdateBytes: number;
  maxAwarenessBytes: number;
  /** Compact a document's log into its snapshot after this many entries. */
  compactEvery: number;
  /** Derive text (search, previews, mentions) this long after the first unsettled change. */
  settleMs: number;
  /** A revision is captured after this much quiet following edits… */
  revisionIdleMs: number;
  /** …or after this much continuous editing. */
  revisionMaxMs: number;
  /** A room with nobody in it is unloaded after this long. */
  roomIdleMs: number;
  now: () => Date;
}

export type RevisionReason = "burst" | "left";

export interface CollabHooks {
  /**
   * Text derived from the content (`state`), with who edited since the last time. Resolves to the
   * text as readers see it (@mentions with current names), kept as the next revision's preview.
   */
  contentSettled(docId: string, s: { read: ReadOut; state?: Uint8Array; editors: string[]; seq: number; at: Date }): Promise<string | void>;
  /** `preview`: the document's text, when already known (saves deriving it again). */
  revisionDue(docId: string, r: { state: Uint8Array; seq: number; contributors: string[]; reason: RevisionReason; preview?: string }): Promise<void>;
}

export interface Origin {
  userId: string | null;
  /** The socket it came from; the relay skips it. */
  socketId?: string;
}

export interface Member {
  key: string;
  userId: string;
  name: string;
  /** Awareness client ids this member has spoken for. */
  clientIds: Set<number>;
}

export class DocRoom {
  readonly doc = new Y.Doc({ gc: true });
  readonly awareness: Awareness;
  readonly members = new Map<string, Member>();
  /** awareness clientID → member key: a member may only speak for its own client ids. */
  readonly clientOwners = new Map<number, string>();
  /**
   * One more than the last seq this room holds every update up to. With a shared log (several
   * instances) seqs come from the commit, and from other instances' relays, possibly out of order:
   * `seenAbove` holds those applied beyond a gap until it fills.
   */
  nextSeq: number;
  readonly seenAbove = new Set<number>();
  gapTimer: NodeJS.Timeout | undefined;
  sinceCompaction: number;
  contributors = new Set<string>();
  editorsSinceSettle = new Set<string>();
  /** Content changed since text was last derived. */
  unsettled = false;
  /** How long deriving text took last time: big documents settle less often. */
  lastSettleMs = 0;
  /** Text derived at `settledSeq` (reused as a revision's preview when nothing changed since). */
  settledText: string | null = null;
  settledSeq = -1;
  lastActivity = 0;
  burstStart = 0;
  timers: { settle?: NodeJS.Timeout; revision?: NodeJS.Timeout; idle?: NodeJS.Timeout; compact?: NodeJS.Immediate } = {};
  broken = false;

  constructor(
    readonly docId: string,
    lastSeq: number,
    logLength: number,
  ) {
    this.nextSeq = lastSeq + 1;
    this.sinceCompaction = logLength;
    this.awareness = new Awareness(this.doc);
    // The server is not a participant: it must not appear as an empty cursor.
    this.awareness.setLocalState(null);
  }
}

type RelayFn = (docId: string, update: Uint8Array, origin: Origin) => void;

/**
 * Several instances (decision 129): every update an instance logs is sent, with the seq its commit
 * took, to the others (`publish`), which apply it to their open room and relay it to their sockets.
 */
export interface DocRelay {
  publish(docId: string, seq: number, update: Uint8Array): void;
}
type AwarenessRelayFn = (docId: string, update: Uint8Array, exceptSocketId: string | null) => void;

export class CollabService {
  private rooms = new Map<string, DocRoom>();
  /** Rooms being loaded from an asynchronous log, so concurrent openers share one load. */
  private loading = new Map<string, Promise<DocRoom>>();
  readonly writer: LogWriter;
  /** Set by the socket layer: send an accepted update to the room. */
  onRelay: RelayFn = () => {};
  onAwareness: AwarenessRelayFn = () => {};
  hooks: CollabHooks | null = null;
  /** Set when the log is shared by several instances. */
  relay: DocRelay | null = null;
  /** How long a gap in relayed seqs may last before the room reads the log. */
  gapMs = 300;
  /** Updates applied from other instances, and rooms re-read from the log (tests). */
  readonly relayStats = { applied: 0, caughtUp: 0 };
  /** Refusals by reason, for tests and diagnostics. */
  readonly refusals: { docId: string; reason: string; detail: string; userId: string | null }[] = [];
  private closed = false;
  /** Hooks still running (text, revisions), awaited by close() before the database goes. */
  private inFlight = new Set<Promise<unknown>>();

  private track<T>(p: Promise<T>): Promise<T> {
    this.inFlight.add(p);
    // then(done, done), not finally(): finally's promise rejects with p, and nobody awaits it, so
    // a failing hook would be an unhandled rejection (which ends the process).
    const done = () => void this.inFlight.delete(p);
    void p.then(done, done);
    return p;
  }

  constructor(
    readonly log: DocLog,
    readonly opts: CollabOptions,
    private logger: Pick<Console, "warn" | "error"> = console,
  ) {
    this.writer = new LogWriter(log, (err) => logger.error("[collab] update log write failed", err));
  }

  isOpen(docId: string) {
    return this.rooms.has(docId);
  }

  openRooms() {
    return [...this.rooms.keys()];
  }

  /**
   * The room for a document, loading snapshot + log on first use. With an asynchronous log
   * (PostgreSQL) the room must have been opened first (`open`); every entry point does.
   */
  room(docId: string): DocRoom {
    const room = this.rooms.get(docId);
    if (room) return room;
    if (!this.log.sync) throw new Error(`document ${docId} is not loaded: await collab.open() first`);
    return this.install(docId, this.log.load(docId) as StoredDoc, this.log.lastSeq(docId) as number);
  }

  /** The room for a document, loaded if needed (whatever the log). */
  async open(docId: string): Promise<DocRoom> {
    const room = this.rooms.get(docId);
    if (room) return room;
    if (this.log.sync) return this.room(docId);
    let pending = this.loading.get(docId);
    if (!pending) {
      pending = Promise.all([this.log.load(docId), this.log.lastSeq(docId)])
        .then(([stored, lastSeq]) => this.rooms.get(docId) ?? this.install(docId, stored, lastSeq))
        .finally(() => this.loading.delete(docId));
      this.loading.set(docId, pending);
    }
    return pending;
  }

  private install(docId: string, stored: StoredDoc, loggedSeq: number): DocRoom {
    const loaded = Math.max(stored.stateSeq, stored.updates.at(-1)?.seq ?? 0);
    // Alone on its log, the room numbers the next update after the last one logged; sharing it,
    // it claims only what it holds (compaction folds up to that seq) and fetches the rest.
    const room = new DocRoom(docId, this.log.shared ? loaded : Math.max(loaded, loggedSeq), stored.updates.length);
    const { doc } = room;
    Y.transact(doc, () => {
      if (stored.state) Y.applyUpdate(doc, stored.state);
      for (const u of stored.updates) Y.applyUpdate(doc, u.update);
    });
    this.rooms.set(docId, room);
    // The log's last seq, read apart from the load, may be further on (another instance committed
    // in between): the room reads the log again for what it lacks.
    if (this.log.shared && loggedSeq > loaded) this.catchUp(docId);
    // An open room will settle its text soon: fetch the headless editor now, off the request.
    void headless();
    if (room.sinceCompaction >= this.opts.compactEvery) this.scheduleCompaction(room);
    this.scheduleIdle(room);
    return room;
  }

  /** Writes a new document's first state (no room needed); resolves once durable. */
  async create(docId: string, state: Uint8Array, userId: string | null): Promise<void> {
    await this.writer.submit({ docId, seq: 1, update: state, userId, at: this.opts.now() });
    // An asynchronous log cannot load a room on demand: the new document's room is what was just
    // written, so it is ready at once (as a synchronous log would load it).
    if (!this.log.sync && !this.rooms.has(docId) && !this.closed) this.install(docId, { state: null, stateSeq: 0, updates: [{ seq: 1, update: state }] }, 1);
  }

  stateVector(docId: string): Uint8Array {
    return Y.encodeStateVector(this.room(docId).doc);
  }

  /** What a client with state vector `sv` is missing (everything, without one). */
  diff(docId: string, sv?: Uint8Array): Uint8Array {
    return Y.encodeStateAsUpdate(this.room(docId).doc, sv);
  }

  state(docId: string): Uint8Array {
    return Y.encodeStateAsUpdate(this.room(docId).doc);
  }

  /** Editor JSON per document, valid while the log position is unchanged (document pages' first paint). */
  private contentCache = new Map<string, { seq: number; json: NonNullable<ReadOut["json"]> }>();
  private static readonly CONTENT_CACHE_SIZE = 100;

  /**
   * The current content as Lexical editor JSON, converted once per log position: every view of an
   * unchanged document after the first costs two indexed lookups, not a headless editor.
   */
  async contentJson(docId: string): Promise<NonNullable<ReadOut["json"]>> {
    const room = this.rooms.get(docId);
    const seq = room ? room.nextSeq - 1 : await this.log.lastSeq(docId);
    const hit = this.contentCache.get(docId);
    if (hit && hit.seq === seq) {
      this.contentCache.delete(docId);
      this.contentCache.set(docId, hit);
      return hit.json;
    }
    const { readState } = await headless();
    const json = readState(await this.peekState(docId), { json: true }).json!;
    this.contentCache.delete(docId);
    this.contentCache.set(docId, { seq, json });
    if (this.contentCache.size > CollabService.CONTENT_CACHE_SIZE) this.contentCache.delete(this.contentCache.keys().next().value!);
    return json;
  }

  /** Current content without keeping the room open if it was not. */
  async peekState(docId: string): Promise<Uint8Array> {
    if (this.rooms.has(docId)) return this.state(docId);
    const stored = await this.log.load(docId);
    const updates = [stored.state, ...stored.updates.map((u) => u.update)].filter((u): u is Uint8Array => !!u);
    return updates.length ? Y.mergeUpdates(updates) : new Uint8Array([0, 0]);
  }

  /**
   * Checks, applies, durably logs, relays. Resolves when the update is accepted (or was empty);
   * rejects with a Refusal otherwise, leaving the document as it was.
   */
  async submit(docId: string, update: Uint8Array, origin: Origin): Promise<void> {
    if (this.closed) throw new Refusal("unavailable", "server shutting down");
    let hasContent: boolean;
    try {
      hasContent = checkUpdate(update, this.opts.maxUpdateBytes);
    } catch (err) {
      throw this.refuse(docId, err, origin);
    }
    if (!hasContent) return;
    const room = this.rooms.get(docId) ?? (await this.open(docId));
    if (this.closed) throw new Refusal("unavailable", "server shutting down");
    // What the update actually changes. A client's sync reply always carries its whole delete
    // set, mostly deletions the server has already; only the new part is logged and relayed.
    let effective: Uint8Array | null = null;
    const capture = (u: Uint8Array) => void (effective = effective ? Y.mergeUpdates([effective, u]) : u);
    const pendingBefore = pendingRefs(room.doc);
    room.doc.on("update", capture);
    try {
      Y.applyUpdate(room.doc, update, origin);
    } catch (err) {
      // Yjs may have applied part of it: the in-memory doc is no longer trustworthy, the log is.
      room.doc.off("update", capture);
      this.reload(room);
      throw this.refuse(docId, new Refusal("apply-failed", (err as Error).message), origin);
    }
    room.doc.off("update", capture);
    // Parts whose dependencies the server has not seen yet are parked by Yjs (pending structs or
    // deletions) and change nothing now. They are still logged, whole, before the ack: a restart
    // replays them into the same parked state, and they apply once the dependency arrives
    // (decision 090). Only what actually changed the document is relayed.
    const parked = parkedBy(room.doc, pendingBefore);
    if (!effective && !parked) return;
    const logged = parked ? update : effective!;
    const entry = { docId, seq: this.log.shared ? 0 : room.nextSeq++, update: logged, userId: origin.userId, at: this.opts.now() };
    try {
      await this.writer.submit(entry);
    } catch (err) {
      // Not stored (the database is unreachable): the room already holds it, so read the room
      // back from the log; the client keeps it as unsaved and sends it again (decision 133).
      if (this.rooms.get(docId) === room) this.reload(room);
      throw new Refusal("unavailable", `update not stored: ${(err as Error).message}`);
    }
    if (this.log.shared) {
      // Durable first; then the other instances, then this one's sockets, then the ack.
      this.relay?.publish(docId, entry.seq, logged);
      this.noteSeq(room, entry.seq);
    }
    if (effective) this.onRelay(docId, effective, origin);
    this.afterAccepted(room, origin.userId);
  }

  private noteSeq(room: DocRoom, seq: number) {
    if (seq < room.nextSeq) return;
    if (seq === room.nextSeq) {
      room.nextSeq++;
      while (room.seenAbove.delete(room.nextSeq)) room.nextSeq++;
    } else room.seenAbove.add(seq);
    if (!room.seenAbove.size) {
      clearTimeout(room.gapTimer);
      room.gapTimer = undefined;
    } else if (!room.gapTimer) {
      // A relay was missed or is late: if the gap is still there shortly, read the log.
      room.gapTimer = setTimeout(() => {
        room.gapTimer = undefined;
        if (room.seenAbove.size && this.rooms.get(room.docId) === room) this.catchUp(room.docId);
      }, this.gapMs);
      room.gapTimer.unref?.();
    }
  }

  /** Applies an update another instance logged as `seq` (if this instance has the room open). */
  applyRemote(docId: string, seq: number, update: Uint8Array): void {
    const room = this.rooms.get(docId);
    // The room is being read from the log: this relay may be newer than what the read returns, so
    // it is applied (or skipped as already there) once the room is installed.
    const loading = room ? undefined : this.loading.get(docId);
    if (loading) return void loading.then(() => this.applyRemote(docId, seq, update), () => {});
    if (!room || this.closed || seq < room.nextSeq || room.seenAbove.has(seq)) return;
    this.applyLogged(room, [update]);
    this.relayStats.applied++;
    this.noteSeq(room, seq);
  }

  /** Applies logged updates to a room and relays what they changed to this instance's sockets. */
  private applyLogged(room: DocRoom, updates: Uint8Array[]) {
    let effective: Uint8Array | null = null;
    const capture = (u: Uint8Array) => void (effective = effective ? Y.mergeUpdates([effective, u]) : u);
    room.doc.on("update", capture);
    try {
      Y.transact(room.doc, () => {
        for (const u of updates) Y.applyUpdate(room.doc, u);
      });
    } catch (err) {
      room.doc.off("update", capture);
      this.logger.error(`[collab] a logged update of doc ${room.docId} did not apply; reloading it`, err);
      this.reload(room);
      return;
    } finally {
      room.doc.off("update", capture);
    }
    room.unsettled = true;
    if (effective) this.onRelay(room.docId, effective, { userId: null });
  }

  /** Reads what this room lacks from the shared log (a missed relay, a Redis hiccup). */
  catchUp(docId: string): void {
    const room = this.rooms.get(docId);
    if (!room || this.closed) return;
    if (this.log.sync) return this.fillFrom(room, this.log.load(docId) as StoredDoc);
    void this.track(
      Promise.resolve(this.log.load(docId)).then(
        (stored) => void (this.rooms.get(docId) === room && !this.closed && this.fillFrom(room, stored)),
        (err) => this.logger.error(`[collab] catching up doc ${docId} failed`, err),
      ),
    );
  }

  private fillFrom(room: DocRoom, stored: StoredDoc): void {
    const have = room.nextSeq - 1;
    const updates: Uint8Array[] = [];
    if (stored.state && stored.stateSeq > have) updates.push(stored.state);
    for (const u of stored.updates) if (u.seq > have && !room.seenAbove.has(u.seq)) updates.push(u.update);
    if (updates.length) this.applyLogged(room, updates);
    const last = Math.max(stored.stateSeq, stored.updates.at(-1)?.seq ?? 0);
    if (last > have) {
      room.nextSeq = last + 1;
      for (const s of [...room.seenAbove]) if (s <= last) room.seenAbove.delete(s);
      this.noteSeq(room, room.nextSeq - 1); // re-arms the gap check if anything is still beyond
    }
    this.relayStats.caughtUp++;
  }

  /** After the relay was interrupted: every open room reads what it missed. */
  catchUpAll(): void {
    for (const id of [...this.rooms.keys()]) this.catchUp(id);
  }

  /** does an encoded Y.RelativePosition point into this document now? */
  anchorResolves(docId: string, encoded: Uint8Array): boolean {
    const room = this.room(docId);
    const abs = Y.createAbsolutePositionFromRelativePosition(Y.decodeRelativePosition(encoded), room.doc);
    if (!abs) return false;
    // Inside Lexical's root (not a stray type): walk up to a top-level type.
    let t: Y.AbstractType<unknown> | null = abs.type;
    while (t?._item) t = t._item.parent as Y.AbstractType<unknown>;
    return t === room.doc.share.get("root");
  }

  /**
   * For a viewer's sync reply: does it carry content the server lacks? Deletions are never taken
   * from a viewer (a reply always repeats the known ones), so only new structs count.
   */
  addsContent(docId: string, update: Uint8Array): boolean {
    const room = this.room(docId);
    let decoded: { structs: { id: { client: number; clock: number }; length: number }[] };
    try {
      decoded = Y.decodeUpdate(update) as never;
    } catch {
      return true;
    }
    return decoded.structs.some((s) => s.id.clock + s.length > Y.getState(room.doc.store, s.id.client));
  }

  private refuse(docId: string, err: unknown, origin: Origin): Refusal {
    const r = err instanceof Refusal ? err : new Refusal("malformed", String(err));
    this.refusals.push({ docId, reason: r.reason, detail: r.detail, userId: origin.userId });
    if (this.refusals.length > 1000) this.refusals.splice(0, 500);
    this.logger.warn(`[collab] refused an update for doc ${docId} from ${origin.userId ?? "server"} (socket ${origin.socketId ?? "-"}): ${r.message}`);
    return r;
  }

  /** Records a refusal decided elsewhere (e.g. the socket layer: read-only, not joined). */
  noteRefusal(docId: string, reason: Refusal["reason"], detail: string, origin: Origin): Refusal {
    return this.refuse(docId, new Refusal(reason, detail), origin);
  }

  private reload(room: DocRoom) {
    this.rooms.delete(room.docId);
    this.dispose(room);
    const keep = (fresh: DocRoom) => {
      for (const [k, m] of room.members) fresh.members.set(k, m);
      for (const [c, k] of room.clientOwners) fresh.clientOwners.set(c, k);
    };
    if (this.log.sync) keep(this.room(room.docId));
    else void this.track(this.open(room.docId).then(keep, (err) => this.logger.error(`[collab] reloading doc ${room.docId} failed`, err)));
  }

  private afterAccepted(room: DocRoom, userId: string | null) {
    room.sinceCompaction++;
    if (room.sinceCompaction >= this.opts.compactEvery) this.scheduleCompaction(room);
    room.unsettled = true;
    if (!userId) return;
    const now = Date.now();
    room.contributors.add(userId);
    room.editorsSinceSettle.add(userId);
    if (!room.burstStart) room.burstStart = now;
    room.lastActivity = now;
    if (!room.timers.settle) {
      // Deriving text blocks the thread for a moment (≈0.3 s for a 1 MB document), so it never
      // takes more than ~5 % of the time.
      room.timers.settle = setTimeout(() => {
        room.timers.settle = undefined;
        void this.settle(room);
      }, Math.max(this.opts.settleMs, 20 * room.lastSettleMs));
    }
    if (now - room.burstStart >= this.opts.revisionMaxMs) {
      void this.revision(room, "burst");
    } else if (!room.timers.revision) {
      this.armRevision(room);
    }
  }

  private armRevision(room: DocRoom) {
    const wait = Math.max(1, room.lastActivity + this.opts.revisionIdleMs - Date.now());
    room.timers.revision = setTimeout(() => {
      room.timers.revision = undefined;
      if (!room.contributors.size) return;
      if (Date.now() - room.lastActivity >= this.opts.revisionIdleMs) void this.revision(room, "burst");
      else this.armRevision(room);
    }, wait);
  }

  /** Derives text now (tests and shutdown call it directly). */
  async settle(room: DocRoom | string): Promise<void> {
    const r = typeof room === "string" ? this.rooms.get(room) : room;
    if (!r || !this.hooks) return;
    clearTimeout(r.timers.settle);
    r.timers.settle = undefined;
    if (!r.unsettled) return;
    r.unsettled = false;
    const editors = [...r.editorsSinceSettle];
    r.editorsSinceSettle.clear();
    try {
      const t0 = performance.now();
      const { readState } = await headless();
      const state = Y.encodeStateAsUpdate(r.doc);
      const read = readState(state);
      r.lastSettleMs = performance.now() - t0;
      const seq = r.nextSeq - 1;
      const shown = await this.track(this.hooks.contentSettled(r.docId, { read, state, editors, seq, at: this.opts.now() }));
      r.settledText = typeof shown === "string" ? shown : null;
      r.settledSeq = seq;
    } catch (err) {
      this.logger.error(`[collab] deriving text of doc ${r.docId} failed`, err);
    }
  }

  async revision(room: DocRoom | string, reason: RevisionReason): Promise<void> {
    const r = typeof room === "string" ? this.rooms.get(room) : room;
    if (!r || !this.hooks || !r.contributors.size) return;
    clearTimeout(r.timers.revision);
    r.timers.revision = undefined;
    const contributors = [...r.contributors];
    r.contributors.clear();
    r.burstStart = 0;
    try {
      const seq = r.nextSeq - 1;
      const preview = r.settledSeq === seq && r.settledText !== null ? r.settledText : undefined;
      await this.track(this.hooks.revisionDue(r.docId, { state: Y.encodeStateAsUpdate(r.doc), seq, contributors, reason, preview }));
    } catch (err) {
      this.logger.error(`[collab] revision of doc ${r.docId} failed`, err);
    }
  }

  private scheduleCompaction(room: DocRoom) {
    if (room.timers.compact) return;
    room.timers.compact = setImmediate(() => {
      room.timers.compact = undefined;
      this.compact(room);
    });
  }

  /** Folds the log into the snapshot. The doc holds every applied update up to nextSeq-1. */
  compact(room: DocRoom | string): void {
    const r = typeof room === "string" ? this.rooms.get(room) : room;
    if (!r || r.sinceCompaction === 0) return;
    // Entries still queued are in the doc already; commit them first so the log is never ahead
    // of what we are about to fold (a failed flush just leaves compaction for later).
    this.writer.flush();
    if (this.writer.pending) return this.scheduleCompaction(r);
    const seq = r.nextSeq - 1;
    const postponed = (err: unknown) => this.logger.warn(`[collab] compaction of doc ${r.docId} postponed: ${(err as Error).message}`);
    try {
      // Yjs's encodeStateAsUpdate includes what is parked (pending structs and deletions), so the
      // snapshot keeps the parked updates whose log entries it trims.
      const done = this.log.compact(r.docId, Y.encodeStateAsUpdate(r.doc), seq, this.opts.now());
      const before = r.sinceCompaction;
      r.sinceCompaction = 0;
      if (done instanceof Promise) void this.track(done.catch((err) => ((r.sinceCompaction += before), postponed(err))));
    } catch (err) {
      postponed(err);
    }
  }

  // ── Membership and awareness ──

  join(docId: string, m: Omit<Member, "clientIds">): DocRoom {
    const room = this.room(docId);
    room.members.set(m.key, { ...m, clientIds: new Set() });
    clearTimeout(room.timers.idle);
    return room;
  }

  /** Removes a member and its cursors; the last one out triggers a revision. */
  leave(docId: string, key: string): void {
    const room = this.rooms.get(docId);
    const m = room?.members.get(key);
    if (!room || !m) return;
    room.members.delete(key);
    const gone = [...m.clientIds].filter((c) => room.awareness.states.has(c) || room.awareness.meta.has(c));
    for (const c of m.clientIds) room.clientOwners.delete(c);
    if (gone.length) {
      removeAwarenessStates(room.awareness, gone, "server");
      this.onAwareness(docId, encodeAwarenessUpdate(room.awareness, gone), null);
    }
    if (room.members.size === 0) {
      void this.track(this.settle(room).then(() => this.revision(room, "left")));
      this.scheduleIdle(room);
    }
  }

  memberCount(docId: string) {
    return this.rooms.get(docId)?.members.size ?? 0;
  }

  /**
   * Applies a member's awareness update after checking that it only speaks for client ids of its
   * own, and stamping the member's real name and id (no one can wear someone else's cursor).
   * Returns the update to relay.
   */
  awarenessFrom(docId: string, key: string, raw: Uint8Array): Uint8Array {
    const room = this.rooms.get(docId);
    const m = room?.members.get(key);
    if (!room || !m) throw new Refusal("not-joined");
    const entries = decodeAwareness(raw, this.opts.maxAwarenessBytes);
    const out: AwarenessEntry[] = [];
    for (const e of entries) {
      const owner = room.clientOwners.get(e.clientID);
      if (owner && owner !== key) {
        // The same person reconnecting on a new socket before the old one timed out takes over.
        const previous = room.members.get(owner);
        if (previous && previous.userId !== m.userId) throw new Refusal("not-yours", `client id ${e.clientID}`);
        previous?.clientIds.delete(e.clientID);
      }
      if (e.clientID === room.doc.clientID) throw new Refusal("not-yours", "server client id");
      room.clientOwners.set(e.clientID, key);
      m.clientIds.add(e.clientID);
      const state = e.state === null ? null : { ...e.state, name: m.name, awarenessData: { ...(asRecord(e.state.awarenessData) ?? {}), userId: m.userId } };
      out.push({ ...e, state });
    }
    const update = encodeAwareness(out);
    applyAwarenessUpdate(room.awareness, update, key);
    return update;
  }

  /** Everyone's current awareness, for a member who just joined. */
  awarenessSnapshot(docId: string): Uint8Array | null {
    const room = this.rooms.get(docId);
    if (!room) return null;
    const ids = [...room.awareness.states.keys()];
    return ids.length ? encodeAwarenessUpdate(room.awareness, ids) : null;
  }

  private scheduleIdle(room: DocRoom) {
    clearTimeout(room.timers.idle);
    room.timers.idle = setTimeout(() => {
      if (room.members.size === 0 && this.rooms.get(room.docId) === room) this.unload(room.docId);
    }, this.opts.roomIdleMs);
    room.timers.idle.unref?.();
  }

  /** Writes what is pending, compacts, and drops the room from memory. */
  unload(docId: string): void {
    const room = this.rooms.get(docId);
    if (!room) return;
    this.compact(room);
    this.rooms.delete(docId);
    this.dispose(room);
  }

  private dispose(room: DocRoom) {
    clearTimeout(room.gapTimer);
    clearTimeout(room.timers.settle);
    clearTimeout(room.timers.revision);
    clearTimeout(room.timers.idle);
    if (room.timers.compact) clearImmediate(room.timers.compact);
    room.awareness.destroy();
    room.doc.destroy();
  }

  /** Graceful stop: settle text, capture revisions, commit the queue, compact, close the log. */
  async close(): Promise<void> {
    if (this.closed) return;
    for (const room of this.rooms.values()) {
      await this.settle(room);
      await this.revision(room, "left");
    }
    await Promise.allSettled([...this.inFlight]);
    this.closed = true;
    await Promise.allSettled([...this.loading.values()]);
    await this.writer.drain();
    for (const id of [...this.rooms.keys()]) this.unload(id);
    await Promise.allSettled([...this.inFlight]);
    await this.log.close();
  }
}

/** Yjs keeps what it could not apply yet in `store.pendingStructs` / `store.pendingDs`. */
interface PendingStore {
  pendingStructs: { update: Uint8Array } | null;
  pendingDs: Uint8Array | null;
}
const storeOf = (doc: Y.Doc) => doc.store as unknown as PendingStore;

function pendingRefs(doc: Y.Doc): [Uint8Array | null, Uint8Array | null] {
  const s = storeOf(doc);
  return [s.pendingStructs?.update ?? null, s.pendingDs];
}

/** Did the last apply leave something new parked (anything pending that was not there before)? */
function parkedBy(doc: Y.Doc, before: [Uint8Array | null, Uint8Array | null]): boolean {
  // Yjs re-encodes what stays pending on every transaction: compare contents, not references.
  const [structs, ds] = pendingRefs(doc);
  return (structs !== null && !sameBytes(structs, before[0])) || (ds !== null && !sameBytes(ds, before[1]));
}

const sameBytes = (a: Uint8Array, b: Uint8Array | null) => b !== null && a.byteLength === b.byteLength && Buffer.compare(a, b) === 0;

const asRecord = (x: unknown) => (x && typeof x === "object" && !Array.isArray(x) ? (x as Record<string, unknown>) : null);

export { ALLOWED_ROOTS };
