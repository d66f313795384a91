/**
 * Fixed-window attempt counters. In one process they are kept in memory (MemoryRateLimiter, on
 * the injected clock); with REDIS_URL every instance counts in Redis (server/infra/scale.ts,
 * decision 127), so the interface is asynchronous.
 */
import type { Ctx } from "./context.js";

export interface Take {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Seconds until the window resets. */
  resetSeconds: number;
}

export interface RateLimiter {
  /** Seconds to wait if the key is over its limit, else 0. */
  retryAfter(key: string, now: number): Promise<number>;
  hit(key: string, now: number): Promise<void>;
  reset(key: string): Promise<void>;
  /** Counts one request if the key is under its limit (API requests: what the RateLimit headers need). */
  take(key: string, now: number): Promise<Take>;
}

/** Makes the limiter named `name` (one per name: "login", "sso-start", …). */
export type LimiterFactory = (name: string, max: number, windowMs: number) => RateLimiter;

export const memoryLimiters: LimiterFactory = (_name, max, windowMs) => new MemoryRateLimiter(max, windowMs);

const made = new WeakMap<object, Map<string, RateLimiter>>();

/** The context's limiter of that name (memory unless the context counts elsewhere). */
export function limiterOf(ctx: Pick<Ctx, "limiters">, name: string, max: number, windowMs: number): RateLimiter {
  let byName = made.get(ctx);
  if (!byName) made.set(ctx, (byName = new Map()));
  let l = byName.get(name);
  if (!l) byName.set(name, (l = (ctx.limiters ?? memoryLimiters)(name, max, windowMs)));
  return l;
}

export class MemoryRateLimiter implements RateLimiter {
  private windows = new Map<string, { count: number; start: number }>();
  constructor(
    private readonly max: number,
    private readonly windowMs: number,
  ) {}

  async retryAfter(key: string, now: number): Promise<number> {
    const w = this.windows.get(key);
    if (!w || now - w.start >= this.windowMs) return 0;
    return w.count >= this.max ? Math.ceil((w.start + this.windowMs - now) / 1000) : 0;
  }

  async hit(key: string, now: number): Promise<void> {
    this.current(key, now).count++;
  }

  async take(key: string, now: number): Promise<Take> {
    const w = this.current(key, now);
    const resetSeconds = Math.max(1, Math.ceil((w.start + this.windowMs - now) / 1000));
    if (w.count >= this.max) return { allowed: false, limit: this.max, remaining: 0, resetSeconds };
    w.count++;
    return { allowed: true, limit: this.max, remaining: this.max - w.count, resetSeconds };
  }

  async reset(key: string): Promise<void> {
    this.windows.delete(key);
  }

  private current(key: string, now: number) {
    let w = this.windows.get(key);
    if (!w || now - w.start >= this.windowMs) {
      this.windows.set(key, (w = { count: 0, start: now }));
      if (this.windows.size > 50_000) this.prune(now);
    }
    return w;
  }

  private prune(now: number) {
    for (const [k, w] of this.windows) if (now - w.start >= this.windowMs) this.windows.delete(k);
  }
}
