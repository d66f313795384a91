/**
 * Reading what scripts/module-trace.mjs recorded (one resolved path or URL per line): the
 * start-up test (tests/server/start-modules.test.ts) and bench/start-rss.ts use it.
 */

/** Packages only several instances need: PostgreSQL's and Redis's side (decision 160). */
export const MULTI_INSTANCE_PACKAGES = ["pg", "@prisma/adapter-pg", "ioredis", "redis", "@socket.io/redis-adapter", "rate-limiter-flexible"];

/** Package names (`@scope/name` or `name`) of the files in a module trace: the innermost node_modules folder of each. */
export function packagesIn(trace: string): Set<string> {
  const names = new Set<string>();
  for (const line of trace.split("\n")) {
    const m = /node_modules\/((?:@[^/]+\/)?[^/]+)\/(?!.*node_modules\/)/.exec(line);
    if (m) names.add(m[1]!);
  }
  return names;
}
