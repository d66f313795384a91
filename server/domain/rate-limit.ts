/**
 * Fixed-window attempt counter kept in memory. One instance is enough on one process; when
 * Atrium runs several instances this moves to Redis behind the same interface.
 */
export interface RateLimiter {
  /** Seconds to wait if the key is over its limit, else 0. */
  retryAfter(key: string, now: number): number;
  hit(key: string, now: number): void;
  reset(key: string): void;
}

export class MemoryRateLimiter implements RateLimiter {
  private windows = new Map<string, { count: number; start: number }>();
  constructor(
    private readonly max: number,
    private readonly windowMs: number,
  ) {}

  retryAfter(key: string, now: number): number {
    const w = this.windows.get(key);
    if (!w || now - w.start >= this.windowMs) return 0;
    return w.count >= this.max ? Math.ceil((w.start + this.windowMs - now) / 1000) : 0;
  }

  hit(key: string, now: number): void {
    const w = this.windows.get(key);
    if (!w || now - w.start >= this.windowMs) this.windows.set(key, { count: 1, start: now });
    else w.count++;
    if (this.windows.size > 50_000) this.prune(now);
  }

  reset(key: string): void {
    this.windows.delete(key);
  }

  private prune(now: number) {
    for (const [k, w] of this.windows) if (now - w.start >= this.windowMs) this.windows.delete(k);
  }
}
