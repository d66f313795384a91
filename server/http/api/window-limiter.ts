/**
 * Fixed-window request counter per key (an API token, or a client address for failed
 * authentications), reporting what the RateLimit headers need. In memory: one process. With several
 * instances this moves to Redis behind the same `take`.
 */
export interface Take {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Seconds until the window resets. */
  resetSeconds: number;
}

export class WindowLimiter {
  private windows = new Map<string, { count: number; start: number }>();
  constructor(
    readonly limit: number,
    readonly windowMs: number,
  ) {}

  take(key: string, now: number): Take {
    let w = this.windows.get(key);
    if (!w || now - w.start >= this.windowMs) {
      w = { count: 0, start: now };
      this.windows.set(key, w);
      if (this.windows.size > 100_000) this.prune(now);
    }
    const resetSeconds = Math.max(1, Math.ceil((w.start + this.windowMs - now) / 1000));
    if (w.count >= this.limit) return { allowed: false, limit: this.limit, remaining: 0, resetSeconds };
    w.count++;
    return { allowed: true, limit: this.limit, remaining: this.limit - w.count, resetSeconds };
  }

  private prune(now: number) {
    for (const [k, w] of this.windows) if (now - w.start >= this.windowMs) this.windows.delete(k);
  }
}
