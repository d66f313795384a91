/**
 * Sends due digests (server/domain/digest.ts) once at start and then every DIGEST_SWEEP_MS.
 * Time comes from ctx.clock, so tests move a fake clock and call sweepNow().
 */
import type { Ctx } from "../domain/context.js";
import { sendDueDigests } from "../domain/digest.js";

export class DigestSweeper {
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
    if (this.stopped) return { sent: 0, empty: 0, failed: 0 };
    while (this.running) await this.running.catch(() => {});
    const run = sendDueDigests(this.ctx).catch((err) => {
      if (!this.stopped) console.error("[digest] sweep failed", err);
      return { sent: 0, empty: 0, failed: 0 };
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
