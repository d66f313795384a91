/**
 * Everything that differs between one Atrium process and several behind a balancer, in one place.
 * Without REDIS_URL: the in-process bus, memory rate limits, local presence, and this process
 * leads every sweep. With REDIS_URL (decisions 125–129): the bus is a Redis stream, Socket.io
 * broadcasts through Redis, presence is merged across instances, rate limits are counted in
 * Redis, one instance (holding a lock) runs the sweeps, and live documents relay their updates
 * through Redis.
 */
import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import { createAdapter } from "@socket.io/redis-streams-adapter";
import { Redis } from "ioredis";
import type { Env } from "../env.js";
import { InProcessEventBus, type EventBus } from "../events.js";
import { memoryLimiters, type LimiterFactory } from "../domain/rate-limit.js";
import { PresenceTracker, type Presence } from "../realtime/presence.js";
import type { AtriumIo } from "../realtime/socket-server.js";
import type { PresenceState } from "../events.js";
import { alwaysLeader, RedisLeader, type Leadership } from "./leader.js";
import { RedisStreamBus } from "./redis-bus.js";
import { redisLimiters } from "./redis-limits.js";
import { ClusterPresence } from "./redis-presence.js";

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
  /** The readiness probe: can this instance reach Redis? */
  ready(): Promise<boolean>;
  close(): Promise<void>;
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
      ready: async () => true,
      close: async () => {},
      onLeadership: () => {},
    };
  }

  const prefix = env.REDIS_PREFIX;
  const redisUrl = env.REDIS_URL;
  const connections: Redis[] = [];
  const connect = (name: string) => {
    const r = new Redis(redisUrl, { connectionName: `atrium:${instanceId}:${name}`, maxRetriesPerRequest: 3 });
    r.on("error", (err) => console.error(`[redis] ${name}: ${err.message}`));
    connections.push(r);
    return r;
  };
  const redis = connect("commands");
  await redis.ping(); // fail at start, with the error, when Redis is unreachable

  const bus = new RedisStreamBus({ redis, reader: connect("events"), stream: `${prefix}events`, cursorKey: `${prefix}events:cursor:${instanceId}`, instanceId });
  await bus.prepare();

  const leader = new RedisLeader(redis, `${prefix}leader`, `${instanceId}:${randomUUID()}`, opts.leaderTtlMs ?? 10_000);
  const leadershipListeners: (() => void)[] = [];
  leader.onChange = (now) => {
    if (now) for (const fn of leadershipListeners) fn();
  };

  let presence: ClusterPresence | null = null;
  let io: AtriumIo | null = null;

  return {
    mode: "redis",
    instanceId,
    bus,
    limiters: redisLimiters(redis, prefix),
    leadership: leader,
    redis,
    connection: () => connect("extra"),
    prefix,
    presence(graceMs, onChange) {
      presence = new ClusterPresence({ redis, sub: connect("presence"), prefix, instanceId, graceMs, heartbeatMs: opts.heartbeatMs, onChange });
      return presence;
    },
    attachIo(server) {
      io = server;
      server.adapter(
        createAdapter(redis, {
          streamName: `${prefix}socket.io`,
          channelPrefix: `${prefix}socket.io`,
          sessionKeyPrefix: `${prefix}sio:session:`,
          blockTimeInMs: 1000,
        }),
      );
    },
    async start() {
      await presence?.start();
      await leader.start();
      bus.startReading();
    },
    async ready() {
      try {
        return (await redis.ping()) === "PONG";
      } catch {
        return false;
      }
    },
    async close() {
      await leader.stop();
      await presence?.stopAndAnnounce();
      await bus.close();
      // The adapter's own connections end when its namespaces close.
      if (io) for (const nsp of io._nsps.values()) nsp.adapter.close();
      await Promise.all(connections.map((c) => c.quit().catch(() => c.disconnect())));
    },
    onLeadership(fn) {
      leadershipListeners.push(fn);
    },
  };
}
