/**
 * The several-instances side of server/infra/scale.ts (REDIS_URL set; decisions 125–129): the
 * event stream, the Socket.io Redis adapter, merged presence, Redis rate limits, sweep leadership
 * and the live-documents relay. createScale imports this module only then (decision 160).
 */
import { randomUUID } from "node:crypto";
import { createAdapter } from "@socket.io/redis-adapter";
import { Redis } from "ioredis";
import type { Env } from "../env.js";
import type { AtriumIo } from "../realtime/socket-server.js";
import { RedisLeader } from "./leader.js";
import { RedisStreamBus } from "./redis-bus.js";
import { redisLimiters } from "./redis-limits.js";
import { ClusterPresence } from "./redis-presence.js";
import type { Scale, ScaleOptions } from "./scale.js";

export async function createRedisScale(env: Env, redisUrl: string, instanceId: string, opts: ScaleOptions): Promise<Scale> {
  const prefix = env.REDIS_PREFIX;
  const connections: Redis[] = [];
  const connect = (name: string) => {
    const r = new Redis(redisUrl, { connectionName: `atrium:${instanceId}:${name}`, maxRetriesPerRequest: 3 });
    r.on("error", (err) => console.error(`[redis] ${name}: ${err.message}`));
    connections.push(r);
    return r;
  };
  const redis = connect("commands");
  try {
    await redis.ping();
  } catch (err) {
    for (const c of connections) c.disconnect();
    throw new Error(`Atrium cannot reach Redis at REDIS_URL ${redisUrl.replace(/\/\/[^@/]*@/, "//…@")}: ${(err as Error).message}`);
  }

  const bus = new RedisStreamBus({ redis, reader: connect("events"), stream: `${prefix}events`, cursorKey: `${prefix}events:cursor:${instanceId}`, instanceId });
  await bus.prepare();

  const leader = new RedisLeader(redis, `${prefix}leader`, `${instanceId}:${randomUUID()}`, opts.leaderTtlMs ?? 10_000);
  const leadershipListeners: (() => void)[] = [];
  leader.onChange = (now) => {
    if (now) for (const fn of leadershipListeners) fn();
  };

  let presence: ClusterPresence | null = null;
  let io: AtriumIo | null = null;
  let quiesced: Promise<void> | null = null;
  // Each step waits for Redis at most quiesceStepMs: a Redis that stopped answering must not hold
  // the shutdown, and what a step did not finish lapses on its own (see each `otherwise`).
  const stepMs = opts.quiesceStepMs ?? 3000;
  const quiesce = () =>
    (quiesced ??= (async () => {
      await withinStep(stepMs, "releasing the sweeps' leadership", "it lapses after its time to live", () => leader.stop());
      await withinStep(stepMs, "announcing this instance gone", "the others drop it after their grace period", async () => presence?.stopAndAnnounce());
      await withinStep(stepMs, "closing the event stream", "entries not yet handled are read at the next start", () => bus.close());
    })());

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
      // Pub/sub: broadcasts made here directly (cursors, "is typing") are ephemeral; domain events
      // reach other instances through the stream and each tells its own sockets (decision 125).
      server.adapter(createAdapter(redis, connect("socket.io"), { key: `${prefix}socket.io` }));
    },
    async start() {
      await presence?.start();
      await leader.start();
      bus.startReading();
    },
    /** True when Redis answers a PING within a second. */
    async ready() {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const late = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), 1000)));
      try {
        return await Promise.race([redis.ping().then((r) => r === "PONG"), late]);
      } catch {
        return false;
      } finally {
        clearTimeout(timer);
      }
    },
    quiesce,
    async close() {
      await quiesce();
      if (io) for (const nsp of io._nsps.values()) void nsp.adapter.close();
      await Promise.all(
        connections.map((c) => withinStep(stepMs, `closing the Redis connection ${c.options.connectionName}`, "it is dropped", () => c.quit().then(() => {})).catch(() => {}).finally(() => c.disconnect())),
      );
    },
    onLeadership(fn) {
      leadershipListeners.push(fn);
    },
    relayDocs(collab) {
      const channel = `${prefix}doc`;
      const me = Buffer.from(instanceId);
      collab.relay = {
        // docId \n seq \n instance \n update bytes
        publish(docId, seq, update) {
          const head = Buffer.from(`${docId}\n${seq}\n${instanceId}\n`);
          redis.publish(channel, Buffer.concat([head, update])).catch((err) => console.error("[collab] relaying an update failed (the others read the log)", err.message));
        },
      };
      const sub = connect("docs");
      let subscribed = false;
      sub.on("ready", () => {
        // Re-subscribing after a lost connection: relays may have been missed, read the log.
        if (subscribed) collab.catchUpAll();
      });
      void sub.subscribe(channel).then(() => (subscribed = true));
      sub.on("messageBuffer", (_ch: Buffer, msg: Buffer) => {
        const a = msg.indexOf(10);
        const b = msg.indexOf(10, a + 1);
        const c = msg.indexOf(10, b + 1);
        if (a < 0 || b < 0 || c < 0) return;
        if (msg.subarray(b + 1, c).equals(me)) return; // our own
        const docId = msg.subarray(0, a).toString();
        const seq = Number(msg.subarray(a + 1, b).toString());
        if (!Number.isSafeInteger(seq)) return;
        collab.applyRemote(docId, seq, new Uint8Array(msg.subarray(c + 1)));
      });
    },
  };
}

/**
 * Runs one shutdown step against Redis for at most `ms`; past that it logs what was left
 * (`otherwise`: why that is safe) and resolves, the work going on in the background.
 */
export async function withinStep(ms: number, name: string, otherwise: string, work: () => Promise<unknown>): Promise<"done" | "late"> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<"late">((resolve) => (timer = setTimeout(() => resolve("late"), ms)));
  try {
    const outcome = await Promise.race([work().then(() => "done" as const), late]);
    if (outcome === "late") console.error(`[scale] ${name}: Redis did not answer within ${ms} ms; going on (${otherwise})`);
    return outcome;
  } finally {
    clearTimeout(timer);
  }
}
