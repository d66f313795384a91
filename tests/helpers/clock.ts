/**
 * A clock a test moves by hand, for the app's injected clock: `now()` reads `t` (ms since the
 * epoch, which a test may also set), `tick(ms)` moves it forward and returns the new time.
 *
 * With `stepMs`, each reading also moves it on by that much afterwards, so things done one after
 * another get distinct times in the order they were done (as on a wall clock, but the same on
 * every run and never two in the same millisecond).
 */
export function manualClock(iso: string, opts: { stepMs?: number } = {}) {
  const step = opts.stepMs ?? 0;
  return {
    t: Date.parse(iso),
    now() {
      const at = new Date(this.t);
      this.t += step;
      return at;
    },
    tick(ms = 60_000) {
      this.t += ms;
      return new Date(this.t);
    },
  };
}
