/**
 * Names the step a graceful stop is waiting on. Stopping is a chain of awaits (drain HTTP, stop the
 * sweeps, commit the last edits, close Redis and the database); when one of them does not finish,
 * an operator sees which, every `everyMs`, instead of a process that silently never exits.
 */
export function shutdownSteps(opts: { everyMs?: number; log?: (line: string) => void } = {}) {
  const everyMs = opts.everyMs ?? 10_000;
  const log = opts.log ?? ((line: string) => console.error(line));
  let current = "the first step";
  let waited = 0;
  const timer = setInterval(() => {
    waited += everyMs;
    log(`[shutdown] still waiting for ${current} (${Math.round(waited / 1000)} s since stopping began)`);
  }, everyMs);
  timer.unref();
  return {
    /** Runs one step, remembered by name while it runs. */
    async step<T>(name: string, work: () => T | Promise<T>): Promise<T> {
      current = name;
      return await work();
    },
    done() {
      clearInterval(timer);
    },
  };
}
