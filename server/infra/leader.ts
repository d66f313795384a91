/**
 * Leadership among instances: the instance holding a Redis lock runs the periodic sweeps (SLA,
 * digests, webhook deliveries, image cleanup). The lock expires unless renewed; the holder renews
 * it every third of its lifetime, the others try to take it as often. When the leader stops (or
 * dies and its lock expires) another instance takes over within one lifetime (decision 128).
 */
import type { Redis } from "ioredis";

/** Renews only if we still hold it. */
const RENEW = `if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("pexpire", KEYS[1], ARGV[2]) else return 0 end`;
/** Gives it up only if we hold it. */
const RELEASE = `if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("del", KEYS[1]) else return 0 end`;

export interface Leadership {
  isLeader(): boolean;
}

export const alwaysLeader: Leadership = { isLeader: () => true };

export class RedisLeader implements Leadership {
  private leader = false;
  private timer: ReturnType<typeof setInterval> | null = null;
  private stopped = false;
  /** Called with true when this instance becomes leader, false when it loses leadership. */
  onChange: (leader: boolean) => void = () => {};

  constructor(
    private readonly redis: Redis,
    private readonly key: string,
    private readonly holder: string,
    private readonly ttlMs = 10_000,
  ) {}

  isLeader(): boolean {
    return this.leader && !this.stopped;
  }

  async start(): Promise<void> {
    await this.tick();
    this.timer = setInterval(() => void this.tick(), Math.max(50, Math.floor(this.ttlMs / 3)));
    this.timer.unref();
  }

  /** One round: renew if leading, else try to take the lock. */
  async tick(): Promise<boolean> {
    if (this.stopped) return false;
    let now: boolean;
    try {
      now = this.leader
        ? (await this.redis.eval(RENEW, 1, this.key, this.holder, String(this.ttlMs))) === 1
        : (await this.redis.set(this.key, this.holder, "PX", this.ttlMs, "NX")) === "OK";
    } catch (err) {
      // Cannot tell: stop leading (another may take over once our lock expires).
      console.error("[leader] Redis did not answer", (err as Error).message);
      now = false;
    }
    if (this.stopped) return false;
    if (now !== this.leader) {
      this.leader = now;
      this.onChange(now);
    }
    return now;
  }

  /** Stops leading and frees the lock at once, so another instance takes over without waiting. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    if (this.leader) await this.redis.eval(RELEASE, 1, this.key, this.holder).catch(() => {});
    this.leader = false;
  }
}
