/**
 * Sends due digests (server/domain/digest.ts) once at start and then every DIGEST_SWEEP_MS.
 * Time comes from ctx.clock, so tests move a fake clock and call sweepNow().
 */
import type { Ctx } from "../domain/context.js";
import { sendDueDigests } from "../domain/digest.js";
import { PeriodicSweep } from "../jobs/periodic-sweep.js";

export class DigestSweeper extends PeriodicSweep<Awaited<ReturnType<typeof sendDueDigests>>> {
  constructor(ctx: Ctx, intervalMs: number) {
    super({ name: "digest", intervalMs, run: () => sendDueDigests(ctx), onError: { sent: 0, empty: 0, failed: 0 } });
  }
}
