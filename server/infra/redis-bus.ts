/**
 * The event bus when Atrium runs as several instances: one Redis stream. `publish` appends the
 * event (XADD, capped with MAXLEN ~); every instance reads the stream in order and runs its own
 * handlers, exactly once per entry — the publishing instance included, so its handlers see events
 * in the same order as everyone else's. `publish` resolves once this instance has run its handlers
 * for the entry (read-your-writes, as in one process). Handlers subscribed with `once` run only on
 * the publishing instance (decision 125).
 *
 * Each instance stores the id of the last entry it handled under its INSTANCE_ID; restarted under
 * the same id it first catches up on what it missed; on its very first start it begins at "now".
 */
import { AsyncLocalStorage } from "node:async_hooks";
import type { Redis } from "ioredis";
import { LocalHandlers, type AnyHandler, type DomainEvents, type EventBus, type EventName, type Handler, type SubscribeOptions } from "../events.js";

export interface RedisBusOptions {
  /** Commands (XADD, SET). */
  redis: Redis;
  /** A connection of its own for the blocking XREAD. */
  reader: Redis;
  stream: string;
  /** Where this instance keeps the id of the last entry it handled. */
  cursorKey: string;
  instanceId: string;
  maxLen?: number;
  /** How long `publish` waits for this instance's own delivery before giving up waiting. */
  publishWaitMs?: number;
  blockMs?: number;
}

/** Stream ids are "<ms>-<seq>". */
export function compareIds(a: string, b: string): number {
  const [am, as] = a.split("-").map(BigInt);
  const [bm, bs] = b.split("-").map(BigInt);
  return am !== bm ? (am! < bm! ? -1 : 1) : as === bs ? 0 : as! < bs! ? -1 : 1;
}

type StreamReply = [string, [string, string[]][]][] | null;

export class RedisStreamBus implements EventBus {
  private local = new LocalHandlers();
  /** Marks code running inside a handler: its own publishes must not wait for delivery (it is next in line). */
  private inHandler = new AsyncLocalStorage<true>();
  private lastId = "0-0";
  private waiters = new Map<string, () => void>();
  private loop: Promise<void> | null = null;
  private closed = false;
  /** Number of entries handled (tests and benches). */
  delivered = 0;

  constructor(private readonly o: RedisBusOptions) {}

  /**
   * Resolves the starting point: the stored cursor, else the stream's current end. Reading starts
   * with `startReading()`, once every handler is subscribed (so catching up reaches them all).
   */
  async prepare(): Promise<void> {
    const saved = await this.o.redis.get(this.o.cursorKey);
    if (saved) this.lastId = saved;
    else {
      const last = (await this.o.redis.xrevrange(this.o.stream, "+", "-", "COUNT", 1)) as [string, string[]][];
      this.lastId = last[0]?.[0] ?? "0-0";
      await this.o.redis.set(this.o.cursorKey, this.lastId);
    }
  }

  startReading(): void {
    if (!this.closed) this.loop ??= this.run();
  }

  private async run(): Promise<void> {
    const { reader, redis, stream, cursorKey } = this.o;
    while (!this.closed) {
      let reply: StreamReply;
      try {
        reply = (await reader.xread("COUNT", 200, "BLOCK", this.o.blockMs ?? 2000, "STREAMS", stream, this.lastId)) as StreamReply;
      } catch (err) {
        if (this.closed) break;
        console.error("[events] reading the Redis stream failed; retrying", (err as Error).message);
        await new Promise((r) => setTimeout(r, 500).unref());
        continue;
      }
      if (!reply) continue;
      for (const [id, fields] of reply[0]![1]) {
        const f: Record<string, string> = {};
        for (let i = 0; i + 1 < fields.length; i += 2) f[fields[i]!] = fields[i + 1]!;
        let payload: unknown = null;
        try {
          payload = JSON.parse(f.p ?? "null");
        } catch {
          console.error(`[events] entry ${id} of ${stream} is not JSON; skipped`);
        }
        if (f.e) await this.inHandler.run(true, () => this.local.deliver(f.e!, payload, f.o === this.o.instanceId));
        this.lastId = id;
        this.delivered++;
        this.release();
      }
      await redis.set(cursorKey, this.lastId).catch((err) => console.error("[events] saving the stream position failed", (err as Error).message));
    }
  }

  private release() {
    for (const [id, resolve] of this.waiters) {
      if (compareIds(id, this.lastId) <= 0) {
        this.waiters.delete(id);
        resolve();
      }
    }
  }

  async publish<E extends EventName>(event: E, payload: DomainEvents[E]): Promise<void> {
    if (this.closed) return this.local.deliver(event, payload, true);
    let id: string;
    try {
      id = (await this.o.redis.xadd(this.o.stream, "MAXLEN", "~", String(this.o.maxLen ?? 100_000), "*", "e", event, "p", JSON.stringify(payload), "o", this.o.instanceId)) as string;
    } catch (err) {
      // The change is committed: this instance at least stays right; the others reload on restart.
      console.error(`[events] publishing ${event} to Redis failed; delivered on this instance only`, (err as Error).message);
      return this.local.deliver(event, payload, true);
    }
    // Inside a handler: it runs after the handler that published it. Before reading starts: at start.
    if (this.inHandler.getStore() || !this.loop) return;
    if (compareIds(id, this.lastId) <= 0) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.waiters.delete(id);
        resolve();
      }, this.o.publishWaitMs ?? 5000);
      timer.unref();
      this.waiters.set(id, () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  publishLocal<E extends EventName>(event: E, payload: DomainEvents[E]): Promise<void> {
    return this.local.deliver(event, payload, true);
  }

  subscribe<E extends EventName>(event: E, handler: Handler<E>, options?: SubscribeOptions): () => void {
    return this.local.subscribe(event, handler, options);
  }

  subscribeAll(handler: AnyHandler, options?: SubscribeOptions): () => void {
    return this.local.subscribeAll(handler, options);
  }

  /** Stops reading (after the entry being handled); the connections are the caller's. */
  async close(): Promise<void> {
    this.closed = true;
    this.o.reader.disconnect();
    await this.loop?.catch(() => {});
    for (const resolve of this.waiters.values()) resolve();
    this.waiters.clear();
  }
}
