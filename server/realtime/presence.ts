import type { PresenceState } from "../events.js";

/** What the socket layer tells presence, and what pages read from it (one process or several). */
export interface Presence {
  stateOf(userId: string): PresenceState;
  snapshot(): { userId: string; state: PresenceState }[];
  connect(userId: string, socketId: string): void;
  setIdle(socketId: string, idle: boolean): void;
  disconnect(socketId: string): void;
  forget(userId: string): void;
  stop(): void;
  /** This instance's sockets of a person and whether each is idle (what presence is computed from). */
  socketsOf(userId: string): { socketId: string; idle: boolean }[];
  /** Whether this instance is counting down a person's grace period before "offline". */
  offlinePending(userId: string): boolean;
}

/**
 * Presence per person, not per tab: a person is online if any of their sockets is active, away if
 * every socket is idle, offline when the last socket has been gone for the grace period (so a
 * reload or a flaky network does not flicker them offline).
 */
export class PresenceTracker implements Presence {
  private sockets = new Map<string, Map<string, boolean>>(); // userId → socketId → idle
  private owner = new Map<string, string>(); // socketId → userId
  private pendingOffline = new Map<string, NodeJS.Timeout>();
  private lastState = new Map<string, PresenceState>();

  constructor(
    private readonly graceMs: number,
    private readonly onChange: (userId: string, state: PresenceState) => void,
  ) {}

  stateOf(userId: string): PresenceState {
    return this.lastState.get(userId) ?? "offline";
  }

  /** A person's open sockets and whether each is idle (what presence is computed from). */
  socketsOf(userId: string): { socketId: string; idle: boolean }[] {
    return [...(this.sockets.get(userId) ?? [])].map(([socketId, idle]) => ({ socketId, idle }));
  }

  /** Whether a person's last socket closed and the grace period before "offline" is running. */
  offlinePending(userId: string): boolean {
    return this.pendingOffline.has(userId);
  }

  snapshot(): { userId: string; state: PresenceState }[] {
    return [...this.lastState].filter(([, s]) => s !== "offline").map(([userId, state]) => ({ userId, state }));
  }

  connect(userId: string, socketId: string): void {
    const pending = this.pendingOffline.get(userId);
    if (pending) {
      clearTimeout(pending);
      this.pendingOffline.delete(userId);
    }
    let set = this.sockets.get(userId);
    if (!set) this.sockets.set(userId, (set = new Map()));
    set.set(socketId, false);
    this.owner.set(socketId, userId);
    this.recompute(userId);
  }

  setIdle(socketId: string, idle: boolean): void {
    const userId = this.owner.get(socketId);
    if (!userId) return;
    this.sockets.get(userId)?.set(socketId, idle);
    this.recompute(userId);
  }

  disconnect(socketId: string): void {
    const userId = this.owner.get(socketId);
    if (!userId) return;
    this.owner.delete(socketId);
    const set = this.sockets.get(userId);
    set?.delete(socketId);
    if (set && set.size > 0) return this.recompute(userId);
    this.sockets.delete(userId);
    if (this.graceMs === 0) return this.recompute(userId);
    this.pendingOffline.set(
      userId,
      setTimeout(() => {
        this.pendingOffline.delete(userId);
        this.recompute(userId);
      }, this.graceMs),
    );
  }

  /** Immediately offline, skipping the grace period (deactivation, sign-out everywhere). */
  forget(userId: string): void {
    const pending = this.pendingOffline.get(userId);
    if (pending) clearTimeout(pending);
    this.pendingOffline.delete(userId);
    for (const sid of this.sockets.get(userId)?.keys() ?? []) this.owner.delete(sid);
    this.sockets.delete(userId);
    this.recompute(userId);
  }

  stop(): void {
    for (const t of this.pendingOffline.values()) clearTimeout(t);
    this.pendingOffline.clear();
  }

  private recompute(userId: string): void {
    const set = this.sockets.get(userId);
    const state: PresenceState = !set || set.size === 0 ? "offline" : [...set.values()].every(Boolean) ? "away" : "online";
    if (this.stateOf(userId) === state) return;
    if (state === "offline") this.lastState.delete(userId);
    else this.lastState.set(userId, state);
    this.onChange(userId, state);
  }
}
