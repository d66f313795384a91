/**
 * Health endpoints for a load balancer and an orchestrator (decision 131).
 *
 * `/healthz` — liveness: the process runs its event loop. 200, no database or network work, so a
 *   slow database never makes a balancer think every instance died at once.
 * `/readyz`  — readiness: 200 only when every dependency answered within `timeoutMs` (the database;
 *   Redis when REDIS_URL is set) and the instance is not draining after SIGTERM. Anything else —
 *   an error, a timeout, a draining instance — is 503 (fails closed).
 *
 * Neither needs a session. The body is a short JSON status (`{ ok, status, checks }`, each check
 * "ok" or "failing"); error messages, addresses and versions stay in the server log.
 */
import type { RequestHandler } from "express";

export interface ReadinessCheck {
  name: string;
  run(): Promise<unknown>;
}

export class Readiness {
  draining = false;
  /** The last failure per check, logged once when it changes (a probe every 2 s must not flood the log). */
  private lastFailure = new Map<string, string>();

  constructor(
    private checks: ReadinessCheck[],
    private timeoutMs: number,
    private log: (line: string) => void = (line) => console.warn(line),
  ) {}

  async probe(): Promise<{ ready: boolean; checks: Record<string, "ok" | "failing"> }> {
    const results = await Promise.all(
      this.checks.map(async (c) => {
        const outcome = await withTimeout(c.run(), this.timeoutMs).then(
          () => null,
          (err: unknown) => (err instanceof Error ? err.message : String(err)),
        );
        this.note(c.name, outcome);
        return [c.name, outcome === null ? "ok" : "failing"] as const;
      }),
    );
    const checks = Object.fromEntries(results);
    return { ready: !this.draining && results.every(([, s]) => s === "ok"), checks };
  }

  private note(name: string, failure: string | null) {
    const before = this.lastFailure.get(name) ?? null;
    if (failure === before) return;
    if (failure === null) {
      this.lastFailure.delete(name);
      this.log(`[readyz] ${name} answers again`);
    } else {
      this.lastFailure.set(name, failure);
      this.log(`[readyz] ${name} is failing: ${failure}`);
    }
  }
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

const noStore = (res: Parameters<RequestHandler>[1]) => res.setHeader("Cache-Control", "no-store");

export const liveness: RequestHandler = (_req, res) => {
  noStore(res);
  res.json({ ok: true });
};

export function readinessHandler(readiness: Readiness): RequestHandler {
  return (_req, res, next) => {
    readiness.probe().then(({ ready, checks }) => {
      noStore(res);
      const status = readiness.draining ? "draining" : ready ? "ready" : "unavailable";
      res.status(ready ? 200 : 503).json({ ok: ready, status, checks });
    }, next);
  };
}
