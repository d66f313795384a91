/**
 * Everything that differs between one Atrium process and several behind a balancer, in one place.
 * Without REDIS_URL: the in-process bus, memory rate limits, local presence, and this process
 * leads every sweep. With REDIS_URL (decisions 125–129): the bus is a Redis stream, Socket.io
 * broadcasts through Redis, presence is merged across instances, rate limits are counted in
 * Redis, one instance (holding a lock) runs the sweeps, and live documents relay their updates
 * through Redis. That side lives in server/infra/scale-redis.ts, imported only when REDIS_URL is
 * set, so one process without Redis never loads ioredis, the Socket.io Redis adapter or the Redis
 * rate limiter (decision 160).
 */
import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import type { Redis } from "ioredis";
import type { Env } from "../env.js";
import { InProcessEventBus, type EventBus } from "../events.js";
import { memoryLimiters, type LimiterFactory } from "../domain/rate-limit.js";
import { PresenceTracker, type Presence } from "../realtime/presence.js";
import type { AtriumIo } from "../realtime/socket-server.js";
import type { PresenceState } from "../events.js";
import type { CollabService } from "../collab/service.js";
import { alwaysLeader, type Leadership } from "./leader.js";

export interface Scale {
  /** "single" (one process) or "redis" (several instances). */
  mode: "single" | "redis";
  instanceId: string;
  bus: EventBus;
  limiters: LimiterFactory;
  leadership: Leadership;
  /** Redis connection for commands (null in one process); the documents relay uses it. */
  redis: Redis | null;
  /** Duplicates the command connection (for a blocking read or a subscription). */
  connection(): Redis | null;
  prefix: string;
  presence(graceMs: number, onChange: (userId: string, state: PresenceState) => void): Presence;
  /** Broadcasts of this Socket.io server reach sockets on every instance. */
  attachIo(io: AtriumIo): void;
  /** After every subscriber is attached: read the event stream (catching up first). */
  start(): Promise<void>;
  /**
   * Stopping, first step: stop reading events, leading sweeps and counting in presence (another
   * instance takes over at once); publishing still works while requests drain.
   */
  quiesce(): Promise<void>;
  /** The readiness probe: can this instance reach Redis? */
  ready(): Promise<boolean>;
  close(): Promise<void>;
  /** Live documents: updates logged here reach the other instances' rooms (decision 129). */
  relayDocs(collab: CollabService): void;
  /** Runs `fn` when this instance becomes the leader (e.g. kick pending webhook deliveries). */
  onLeadership(fn: () => void): void;
}

export interface ScaleOptions {
  /** Overrides INSTANCE_ID (tests run two instances in one process). */
  instanceId?: string;
  /** How long the leader's lock lives without renewal (default 10 s). */
  leaderTtlMs?: number;
  /** Presence heartbeat (default 2 s). */
  heartbeatMs?: number;
  /** How long each step of handing over (leadership, presence, event stream) waits for Redis (default 3 s). */
  quiesceStepMs?: number;
}

export function defaultInstanceId(env: Env): string {
  return env.INSTANCE_ID ?? `${hostname()}-${env.PORT || randomUUID().slice(0, 8)}`;
}

export async function createScale(env: Env, opts: ScaleOptions = {}): Promise<Scale> {
  const instanceId = opts.instanceId ?? defaultInstanceId(env);
  if (!env.REDIS_URL) {
    return {
      mode: "single",
      instanceId,
      bus: new InProcessEventBus(),
      limiters: memoryLimiters,
      leadership: alwaysLeader,
      redis: null,
      connection: () => null,
      prefix: env.REDIS_PREFIX,
      presence: (graceMs, onChange) => new PresenceTracker(graceMs, onChange),
      attachIo: () => {},
      start: async () => {},
      quiesce: async () => {},
      ready: async () => true,
      close: async () => {},
      relayDocs: () => {},
      onLeadership: () => {},
    };
  }

  // Several instances: Redis, its Socket.io adapter and the Redis rate limits load only now (decision 160).
  return (await import("./scale-redis.js")).createRedisScale(env, env.REDIS_URL, instanceId, opts);
}
