/**
 * Runs the SLA sweep (server/domain/sla.ts) once at start — catching every deadline that passed
 * while the server was down — and then every `intervalMs`. Time comes from ctx.clock, so tests
 * move a fake clock and call sweepNow() (or let the interval fire).
 */
import type { Ctx } from "../domain/context.js";
import { sweepSlaBreaches } from "../domain/sla.js";
import { PeriodicSweep } from "../jobs/periodic-sweep.js";

export class SlaScheduler extends PeriodicSweep<Awaited<ReturnType<typeof sweepSlaBreaches>>> {
  constructor(ctx: Ctx, intervalMs: number) {
    super({ name: "sla", intervalMs, run: () => sweepSlaBreaches(ctx), onError: [] });
  }
}
