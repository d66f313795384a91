/**
 * A Yjs provider over the tab's existing Socket.io connection, implementing the interface
 * Lexical's CollaborationPlugin expects (connect, disconnect, awareness, on/off "sync" and
 * "status"). No React and no DOM: the browser editor, the Node integration tests and the
 * benchmark all use this same class.
 *
 * Offline: the Y.Doc keeps every local edit while the socket is down. On (re)connect the
 * provider re-joins the room and runs the y-protocols sync handshake (state vectors), so each
 * side sends exactly what the other is missing. Every update the server accepts is acknowledged
 * once it is durably logged; `pending` counts those not yet acknowledged.
 *
 * Order on (re)connect: the local copy (if any) is loaded into the Y.Doc first, then the room is
 * joined; local edits are held back until the reply to the server's step 1 has gone out, since that
 * reply carries them with everything they depend on (sent earlier, an edit typed on top of offline
 * edits would reach the server before its dependencies).
 */
import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import type { Socket } from "socket.io-client";
import { Awareness, applyAwarenessUpdate, encodeAwarenessUpdate, removeAwarenessStates } from "y-protocols/awareness";
import * as Y from "yjs";
import { fromWire, toWire } from "./doc-wire";
import type { ClientToServerEvents, DocAck, DocJoinResult, DocRoleName, ServerToClientEvents } from "./events";

export type DocSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
export type ProviderStatus = "connecting" | "connected" | "disconnected";

const SYNC_STEP1 = 0;
const SYNC_STEP2 = 1;
const SYNC_UPDATE = 2;

function syncMessage(type: number, payload: Uint8Array): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, type);
  encoding.writeVarUint8Array(e, payload);
  return encoding.toUint8Array(e);
}

type Events = {
  sync: (synced: boolean) => void;
  status: (s: { status: ProviderStatus }) => void;
  update: (u: unknown) => void;
  reload: (doc: Y.Doc) => void;
  /** Unacknowledged updates: 0 means everything typed here is durably on the server. */
  pending: (n: number) => void;
  role: (role: DocRoleName | null) => void;
  /** Joining failed (no access, or the document is gone) or access was revoked. */
  denied: (reason: string) => void;
  refused: (reason: string) => void;
};

export class SocketDocProvider {
  readonly awareness: Awareness;
  role: DocRoleName | null = null;
  status: ProviderStatus = "disconnected";
  synced = false;
  pending = 0;
  /** Acknowledged updates, counted (tests use it to prove durability). */
  acknowledged = 0;
  lastRefusal: string | null = null;
  /** Called with each update the server acknowledged as durably logged (tests, benchmarks). */
  onAcknowledged: ((message: Uint8Array) => void) | null = null;
  private wanted = false;
  private joined = false;
  private generation = 0;
  private listeners = new Map<keyof Events, Set<(...a: never[]) => void>>();
  private detach: (() => void) | null = null;
  /** The reply to the server's step 1 has been sent on this connection. */
  private handshaken = false;
  /**
   * Messages the server could not store ("unavailable": its database is unreachable). They stay
   * counted in `pending` until a later handshake reply, which carries everything the server
   * lacks, is acknowledged; a new handshake is started shortly after each such refusal.
   */
  private unsaved = 0;
  private resyncTimer: ReturnType<typeof setTimeout> | null = null;
  private loadLocal: (() => Promise<unknown> | void) | null;
  private localLoaded: boolean;

  constructor(
    readonly socket: DocSocket,
    readonly docId: string,
    readonly doc: Y.Doc,
    opts: {
      /**
       * Loads this browser's local copy into `doc`; runs once, on the first connect(), so that
       * whoever renders the doc (Lexical's binding) is already observing it, and the first join
       * waits for it.
       */
      loadLocal?: () => Promise<unknown> | void;
    } = {},
  ) {
    this.loadLocal = opts.loadLocal ?? null;
    this.localLoaded = !opts.loadLocal;
    this.awareness = new Awareness(doc);
    this.awareness.setLocalState(null);
    doc.on("update", this.onDocUpdate);
    this.awareness.on("update", this.onAwarenessUpdate);
  }

  on<E extends keyof Events>(event: E, cb: Events[E]): void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(cb as never);
  }

  off<E extends keyof Events>(event: E, cb: Events[E]): void {
    this.listeners.get(event)?.delete(cb as never);
  }

  private emit<E extends keyof Events>(event: E, ...args: Parameters<Events[E]>): void {
    for (const cb of [...(this.listeners.get(event) ?? [])]) (cb as (...a: unknown[]) => void)(...args);
  }

  private setStatus(s: ProviderStatus) {
    if (this.status === s) return;
    this.status = s;
    this.emit("status", { status: s });
  }

  private setPending(n: number) {
    this.pending = n;
    this.emit("pending", n);
  }

  connect(): void {
    if (this.wanted) return;
    this.wanted = true;
    const s = this.socket;
    const onConnect = () => this.join();
    const onDisconnect = () => this.dropped();
    const onSync = (docId: string, msg: unknown) => docId === this.docId && this.onSyncMessage(msg);
    const onAwareness = (docId: string, u: unknown) => {
      const b = fromWire(u);
      if (docId === this.docId && b) applyAwarenessUpdate(this.awareness, b, this);
    };
    const onRole = (docId: string, role: DocRoleName) => {
      if (docId !== this.docId) return;
      this.role = role;
      this.emit("role", role);
    };
    const onRevoked = (docId: string) => {
      if (docId !== this.docId) return;
      this.joined = false;
      this.role = null;
      this.setStatus("disconnected");
      this.emit("role", null);
      this.emit("denied", "revoked");
    };
    const onRefused = (docId: string, reason: string) => {
      if (docId !== this.docId) return;
      this.lastRefusal = reason;
      this.emit("refused", reason);
    };
    s.on("connect", onConnect);
    s.on("disconnect", onDisconnect);
    s.on("doc.sync", onSync);
    s.on("doc.awareness", onAwareness);
    s.on("doc.role", onRole);
    s.on("doc.revoked", onRevoked);
    s.on("doc.refused", onRefused);
    this.detach = () => {
      s.off("connect", onConnect);
      s.off("disconnect", onDisconnect);
      s.off("doc.sync", onSync);
      s.off("doc.awareness", onAwareness);
      s.off("doc.role", onRole);
      s.off("doc.revoked", onRevoked);
      s.off("doc.refused", onRefused);
    };
    if (s.connected) this.join();
    else this.setStatus("connecting");
  }

  disconnect(): void {
    if (!this.wanted) return;
    if (this.resyncTimer) clearTimeout(this.resyncTimer);
    this.resyncTimer = null;
    this.wanted = false;
    this.generation++;
    this.detach?.();
    this.detach = null;
    if (this.joined && this.socket.connected) this.socket.emit("doc.leave", this.docId);
    this.joined = false;
    this.synced = false;
    this.setStatus("disconnected");
    this.forgetPeers();
  }

  destroy(): void {
    this.disconnect();
    this.doc.off("update", this.onDocUpdate);
    this.awareness.off("update", this.onAwarenessUpdate);
    this.awareness.destroy();
  }

  /** Join the room, then start the handshake: our state vector goes first. */
  private join() {
    if (!this.wanted) return;
    if (this.loadLocal) {
      const load = this.loadLocal;
      this.loadLocal = null;
      this.setStatus("connecting");
      void Promise.resolve()
        .then(load)
        .catch((err) => console.warn("[collab] the local copy could not be loaded", err))
        .then(() => {
          this.localLoaded = true;
          this.join();
        });
      return;
    }
    if (!this.localLoaded || !this.socket.connected) return;
    const gen = ++this.generation;
    this.handshaken = false;
    this.setStatus("connecting");
    this.socket.emit("doc.join", this.docId, (r: DocJoinResult) => {
      if (gen !== this.generation || !this.wanted) return;
      if (!r.ok) {
        this.setStatus("disconnected");
        this.emit("denied", r.error);
        return;
      }
      this.joined = true;
      this.role = r.role;
      this.emit("role", r.role);
      this.socket.emit("doc.sync", this.docId, toWire(syncMessage(SYNC_STEP1, Y.encodeStateVector(this.doc))));
      if (this.awareness.getLocalState() !== null) {
        this.socket.emit("doc.awareness", this.docId, toWire(encodeAwarenessUpdate(this.awareness, [this.doc.clientID])));
      }
      this.setStatus("connected");
    });
  }

  private dropped() {
    this.generation++;
    this.joined = false;
    this.synced = false;
    this.handshaken = false;
    // Acks of in-flight updates will never come; the next handshake resends what is missing.
    this.unsaved = 0;
    this.setPending(0);
    this.setStatus(this.wanted ? "connecting" : "disconnected");
    this.emit("sync", false);
    this.forgetPeers();
  }

  private forgetPeers() {
    const others = [...this.awareness.getStates().keys()].filter((c) => c !== this.doc.clientID);
    if (others.length) removeAwarenessStates(this.awareness, others, this);
  }

  private onSyncMessage(raw: unknown) {
    const b = fromWire(raw);
    if (!b) return;
    const d = decoding.createDecoder(b);
    const type = decoding.readVarUint(d);
    const payload = decoding.readVarUint8Array(d);
    if (type === SYNC_STEP1) {
      // The server asks for what we have and it lacks: our offline edits, if any.
      this.send(syncMessage(SYNC_STEP2, Y.encodeStateAsUpdate(this.doc, payload)), true);
      this.handshaken = true;
    } else if (type === SYNC_STEP2 || type === SYNC_UPDATE) {
      Y.applyUpdate(this.doc, payload, this);
      if (type === SYNC_STEP2 && !this.synced) {
        this.synced = true;
        this.emit("sync", true);
      }
    }
  }

  private send(message: Uint8Array, isReply = false) {
    if (!this.joined || !this.socket.connected) return;
    // A viewer has nothing to send but the (empty) reply the handshake expects.
    if (this.role === "viewer" && !isReply) return;
    const gen = this.generation;
    // A handshake reply carries everything the server lacks, including what it could not store.
    const covers = isReply ? this.unsaved : 0;
    this.setPending(this.pending + 1);
    this.socket.emit("doc.sync", this.docId, toWire(message), (r: DocAck) => {
      if (gen !== this.generation) return;
      if (!r.ok && r.reason === "unavailable") {
        // Not stored: still unsaved. Ask again for what the server lacks in a moment.
        this.unsaved++;
        this.scheduleResync();
        return;
      }
      this.unsaved -= r.ok ? covers : 0;
      this.setPending(Math.max(0, this.pending - 1 - (r.ok ? covers : 0)));
      if (r.ok) {
        this.acknowledged++;
        this.onAcknowledged?.(message);
      } else {
        this.lastRefusal = r.reason;
        this.emit("refused", r.reason);
      }
    });
  }

  private scheduleResync() {
    if (this.resyncTimer) return;
    this.resyncTimer = setTimeout(() => {
      this.resyncTimer = null;
      if (!this.unsaved || !this.joined || !this.socket.connected) return;
      // The server answers with its own step 1; our reply to it resends what it lacks.
      const gen = this.generation;
      this.socket.emit("doc.sync", this.docId, toWire(syncMessage(SYNC_STEP1, Y.encodeStateVector(this.doc))), (r: DocAck) => {
        if (gen === this.generation && !r.ok) this.scheduleResync();
      });
    }, 1_000);
  }

  private onDocUpdate = (update: Uint8Array, origin: unknown) => {
    if (origin === this) return;
    this.emit("update", update);
    // Offline, or before our handshake reply, nothing is sent: that reply carries it.
    if (!this.handshaken) return;
    this.send(syncMessage(SYNC_UPDATE, update));
  };

  private onAwarenessUpdate = ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }, origin: unknown) => {
    if (origin === this || !this.joined || !this.socket.connected) return;
    const mine = [...added, ...updated, ...removed].filter((c) => c === this.doc.clientID);
    if (mine.length) this.socket.emit("doc.awareness", this.docId, toWire(encodeAwarenessUpdate(this.awareness, mine)));
  };
}
