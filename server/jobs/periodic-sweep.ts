/**
 * A job that runs every `intervalMs` (and, unless told otherwise, once at start — catching up on
 * whatever fell due while the server was down). One run at a time: a call during a run waits for it
 * and then runs again. `stop()` waits for a run in flight, so the database can close after it.
 * Time-dependent jobs read ctx.clock, so tests move a fake clock and call `sweepNow()`.
 * With several instances only the leader's timer runs it (`leadership`, decision 128).
 */
import { alwaysLeader, type Leadership } from "../infra/leader.js";

export class PeriodicSweep<T> {
  private timer: ReturnType<typeof setInterval> | null = null;
  private running: Promise<T> | null = null;
  private stopped = false;
  leadership: Leadership = alwaysLeader;

  constructor(
    private readonly opts: { name: string; intervalMs: number; run: () => Promise<T>; onError: T; runAtStart?: boolean },
  ) {}

  start() {
    if (this.timer || this.stopped) return;
    if (this.opts.runAtStart !== false) void this.tick();
    this.timer = setInterval(() => void this.tick(), this.opts.intervalMs);
    this.timer.unref?.();
  }

  /** A scheduled run: only on the leader. */
  tick(): Promise<T> | undefined {
    return this.leadership.isLeader() ? this.sweepNow() : undefined;
  }

  async sweepNow(): Promise<T> {
    if (this.stopped) return this.opts.onError;
    while (this.running) await this.running.catch(() => {});
    const run = this.opts.run().catch((err) => {
      if (!this.stopped) console.error(`[${this.opts.name}] sweep failed`, err);
      return this.opts.onError;
    });
    this.running = run;
    try {
      return await run;
    } finally {
      this.running = null;
    }
  }

  async stop() {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running?.catch(() => {});
  }
}
