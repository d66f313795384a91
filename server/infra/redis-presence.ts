/**
 * Presence across instances (decision 126). Each instance tracks its own sockets with the usual
 * PresenceTracker (per tab, grace period on disconnect) and writes its per-person result to Redis:
 * `presence:u:<userId>` is a hash instance → "online" | "away". Every change is announced on a
 * channel; each instance merges the hash (online if any instance says online, away if any says
 * away) and tells its own sockets when the merged state changes.
 *
 * Instances keep an `alive:<instance>` key with a short expiry. An instance whose key is gone (it
 * died, or stopped) no longer counts; its people are re-merged after the grace period, so a browser
 * that reconnects to another instance in time never flickers offline.
 */
import type { Redis } from "ioredis";
import type { PresenceState } from "../events.js";
import { PresenceTracker, type Presence } from "../realtime/presence.js";

export interface ClusterPresenceOptions {
  redis: Redis;
  /** A connection of its own for SUBSCRIBE. */
  sub: Redis;
  prefix: string;
  instanceId: string;
  graceMs: number;
  /** How often this instance says it is alive (its key lives three times as long). */
  heartbeatMs?: number;
  onChange: (userId: string, state: PresenceState) => void;
}

const GONE = "!gone:";

export class ClusterPresence implements Presence {
  private local: PresenceTracker;
  private merged = new Map<string, PresenceState>();
  private queue = new Map<string, Promise<void>>();
  private timers = new Set<ReturnType<typeof setTimeout>>();
  private heartbeat: ReturnType<typeof setInterval> | null = null;
  private known = new Set<string>();
  private stopped = false;
  private readonly k: { user: (u: string) => string; inst: (i: string) => string; alive: (i: string) => string; instances: string; channel: string };

  constructor(private readonly o: ClusterPresenceOptions) {
    const p = o.prefix;
    this.k = {
      user: (u) => `${p}presence:u:${u}`,
      inst: (i) => `${p}presence:i:${i}`,
      alive: (i) => `${p}alive:${i}`,
      instances: `${p}presence:instances`,
      channel: `${p}presence`,
    };
    this.local = new PresenceTracker(o.graceMs, (userId, state) => void this.write(userId, state));
  }

  private get hb() {
    return this.o.heartbeatMs ?? 2000;
  }

  async start(): Promise<void> {
    const { redis, sub, instanceId } = this.o;
    // Entries left by an earlier life of this instance: its sockets are gone.
    const stale = await redis.smembers(this.k.inst(instanceId));
    const m = redis.multi();
    for (const u of stale) m.hdel(this.k.user(u), instanceId);
    m.del(this.k.inst(instanceId));
    m.sadd(this.k.instances, instanceId);
    m.set(this.k.alive(instanceId), "1", "PX", this.hb * 3);
    for (const u of stale) m.publish(this.k.channel, u);
    await m.exec();
    await sub.subscribe(this.k.channel);
    sub.on("message", (_ch: string, msg: string) => {
      if (msg.startsWith(GONE)) this.instanceGone(msg.slice(GONE.length));
      else this.remerge(msg);
    });
    // Who is online elsewhere already.
    const instances = await redis.smembers(this.k.instances);
    for (const i of instances) {
      this.known.add(i);
      for (const u of await redis.smembers(this.k.inst(i))) this.remerge(u);
    }
    this.heartbeat = setInterval(() => void this.beat(), this.hb);
    this.heartbeat.unref();
    await Promise.all(this.queue.values());
  }

  /** Says we are alive; notices instances that are not. */
  async beat(): Promise<void> {
    const { redis, instanceId } = this.o;
    try {
      await redis.set(this.k.alive(instanceId), "1", "PX", this.hb * 3);
      const instances = await redis.smembers(this.k.instances);
      const alive = instances.length ? await redis.mget(instances.map(this.k.alive)) : [];
      instances.forEach((i, n) => {
        if (i === instanceId) return;
        if (alive[n]) this.known.add(i);
        else if (this.known.delete(i)) this.instanceGone(i);
      });
    } catch (err) {
      if (!this.stopped) console.error("[presence] heartbeat failed", (err as Error).message);
    }
  }

  /** A dead or stopped instance: after the grace period, its people are re-merged and its entries removed. */
  private instanceGone(instanceId: string) {
    if (this.stopped || instanceId === this.o.instanceId) return;
    this.known.delete(instanceId);
    const t = setTimeout(async () => {
      this.timers.delete(t);
      if (this.stopped) return;
      const { redis } = this.o;
      try {
        if (await redis.exists(this.k.alive(instanceId))) return; // back already
        const users = await redis.smembers(this.k.inst(instanceId));
        const m = redis.multi();
        for (const u of users) m.hdel(this.k.user(u), instanceId);
        m.del(this.k.inst(instanceId));
        m.srem(this.k.instances, instanceId);
        // Announced, not only re-merged here: every survivor notices the dead instance, but the
        // first to clear its entries leaves the others nothing to read them from.
        for (const u of users) m.publish(this.k.channel, u);
        await m.exec();
      } catch (err) {
        if (!this.stopped) console.error("[presence] clearing a stopped instance failed", (err as Error).message);
      }
    }, this.o.graceMs);
    t.unref();
    this.timers.add(t);
  }

  /** This instance's own view of a person changed (after its grace period): record and announce it. */
  private async write(userId: string, state: PresenceState) {
    const { redis, instanceId } = this.o;
    const m = redis.multi();
    if (state === "offline") {
      m.hdel(this.k.user(userId), instanceId);
      m.srem(this.k.inst(instanceId), userId);
    } else {
      m.hset(this.k.user(userId), instanceId, state);
      m.sadd(this.k.inst(instanceId), userId);
    }
    m.publish(this.k.channel, userId);
    try {
      await m.exec();
    } catch (err) {
      console.error("[presence] Redis did not take a change", (err as Error).message);
      this.remerge(userId);
    }
  }

  /** Re-reads a person's entries and merges them, one read at a time per person (in order). */
  private remerge(userId: string) {
    const prev = this.queue.get(userId) ?? Promise.resolve();
    const next = prev.then(() => this.merge(userId)).catch((err) => {
      if (!this.stopped) console.error("[presence] merge failed", (err as Error).message);
    });
    this.queue.set(userId, next);
    void next.then(() => {
      if (this.queue.get(userId) === next) this.queue.delete(userId);
    });
  }

  private async merge(userId: string) {
    if (this.stopped) return;
    const { redis, instanceId } = this.o;
    const entries = Object.entries(await redis.hgetall(this.k.user(userId)));
    const others = entries.filter(([i]) => i !== instanceId);
    const alive = others.length ? await redis.mget(others.map(([i]) => this.k.alive(i))) : [];
    const states = [this.local.stateOf(userId), ...others.filter((_, n) => alive[n]).map(([, s]) => s as PresenceState)];
    const state: PresenceState = states.includes("online") ? "online" : states.includes("away") ? "away" : "offline";
    if (this.stopped || (this.merged.get(userId) ?? "offline") === state) return;
    if (state === "offline") this.merged.delete(userId);
    else this.merged.set(userId, state);
    this.o.onChange(userId, state);
  }

  socketsOf(userId: string): { socketId: string; idle: boolean }[] {
    return this.local.socketsOf(userId);
  }

  offlinePending(userId: string): boolean {
    return this.local.offlinePending(userId);
  }

  stateOf(userId: string): PresenceState {
    return this.merged.get(userId) ?? "offline";
  }

  snapshot(): { userId: string; state: PresenceState }[] {
    return [...this.merged].map(([userId, state]) => ({ userId, state }));
  }

  connect(userId: string, socketId: string): void {
    this.local.connect(userId, socketId);
  }

  setIdle(socketId: string, idle: boolean): void {
    this.local.setIdle(socketId, idle);
  }

  disconnect(socketId: string): void {
    this.local.disconnect(socketId);
  }

  forget(userId: string): void {
    this.local.forget(userId);
  }

  /** Waits until every announced change has been merged here (tests). */
  async settled(): Promise<void> {
    while (this.queue.size) await Promise.all(this.queue.values());
  }

  /**
   * Stops counting this instance: its key goes at once and the others are told, so its people are
   * re-merged after the grace period (their browsers reconnect elsewhere meanwhile).
   */
  async stopAndAnnounce(): Promise<void> {
    this.stop();
    const { redis, instanceId } = this.o;
    await redis.del(this.k.alive(instanceId)).catch(() => {});
    await redis.publish(this.k.channel, GONE + instanceId).catch(() => {});
    await this.o.sub.unsubscribe().catch(() => {});
  }

  stop(): void {
    this.stopped = true;
    this.local.stop();
    if (this.heartbeat) clearInterval(this.heartbeat);
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }
}
