/**
 * Rate limits counted in Redis, so an attempt on any instance counts against the same window
 * (decision 127). rate-limiter-flexible's RateLimiterRedis keeps one counter per key with the
 * window as its expiry (a fixed window that starts at the first attempt, like MemoryRateLimiter).
 * Windows run on Redis's clock, not the injected one. If Redis cannot answer, each instance
 * counts in memory until it can again (the insurance limiter).
 */
import type { Redis } from "ioredis";
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from "rate-limiter-flexible";
import type { LimiterFactory, RateLimiter, Take } from "../domain/rate-limit.js";

export class RedisRateLimiter implements RateLimiter {
  private rl: RateLimiterRedis;

  constructor(
    redis: Redis,
    keyPrefix: string,
    private readonly max: number,
    windowMs: number,
  ) {
    const duration = Math.max(1, Math.ceil(windowMs / 1000));
    this.rl = new RateLimiterRedis({
      storeClient: redis,
      keyPrefix,
      points: max,
      duration,
      insuranceLimiter: new RateLimiterMemory({ points: max, duration }),
    });
  }

  async retryAfter(key: string): Promise<number> {
    const r = await this.rl.get(key);
    return r && r.consumedPoints >= this.max ? Math.max(1, Math.ceil(r.msBeforeNext / 1000)) : 0;
  }

  async hit(key: string): Promise<void> {
    await this.rl.penalty(key, 1);
  }

  async reset(key: string): Promise<void> {
    await this.rl.delete(key);
  }

  async take(key: string): Promise<Take> {
    try {
      const r = await this.rl.consume(key, 1);
      return { allowed: true, limit: this.max, remaining: r.remainingPoints, resetSeconds: Math.max(1, Math.ceil(r.msBeforeNext / 1000)) };
    } catch (e) {
      if (!(e instanceof RateLimiterRes)) throw e;
      return { allowed: false, limit: this.max, remaining: 0, resetSeconds: Math.max(1, Math.ceil(e.msBeforeNext / 1000)) };
    }
  }
}

export function redisLimiters(redis: Redis, prefix: string): LimiterFactory {
  return (name, max, windowMs) => new RedisRateLimiter(redis, `${prefix}rl:${name}`, max, windowMs);
}
