/**
 * A clock a test moves by hand, for the app's injected clock: `now()` reads `t` (ms since the
 * epoch, which a test may also set), `tick(ms)` moves it forward and returns the new time.
 */
export function manualClock(iso: string) {
  return {
    t: Date.parse(iso),
    now() {
      return new Date(this.t);
    },
    tick(ms = 60_000) {
      this.t += ms;
      return this.now();
    },
  };
}
