/**
 * Runs the SLA sweep (server/domain/sla.ts) once at start — catching every deadline that passed
 * while the server was down — and then every `intervalMs`. Time comes from ctx.clock, so tests
 * move a fake clock and call sweepNow() (or let the interval fire).
 */
import type { Ctx } from "../domain/context.js";
import { sweepSlaBreaches } from "../domain/sla.js";

export class SlaScheduler {
  private timer: ReturnType<typeof setInterval> | null = null;
  private running: Promise<unknown> | null = null;
  private stopped = false;

  constructor(
    private readonly ctx: Ctx,
    private readonly intervalMs: number,
  ) {}

  start() {
    if (this.timer || this.stopped) return;
    void this.sweepNow();
    this.timer = setInterval(() => void this.sweepNow(), this.intervalMs);
    this.timer.unref?.();
  }

  /** One sweep at a time; a call during a sweep waits for it and then runs again. */
  async sweepNow() {
    if (this.stopped) return [];
    while (this.running) await this.running.catch(() => {});
    const run = sweepSlaBreaches(this.ctx).catch((err) => {
      if (!this.stopped) console.error("[sla] sweep failed", err);
      return [];
    });
    this.running = run;
    try {
      return await run;
    } finally {
      this.running = null;
    }
  }

  /** Stops the timer and waits for a sweep in flight, so the database can close after it. */
  async stop() {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running?.catch(() => {});
  }
}
