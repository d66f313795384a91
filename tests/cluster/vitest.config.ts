import { defineConfig } from "vitest/config";

/**
 * `npm run test:cluster`: the multi-instance suite (HAProxy + 3 instances + PostgreSQL + a private
 * Redis). Not part of `npm test`: it needs HAProxy, PostgreSQL and redis-server on the machine.
 * One file at a time: each starts a whole cluster and Chromium.
 */
export default defineConfig({
  test: {
    environment: "node",
    pool: "forks",
    include: ["tests/cluster/**/*.test.ts"],
    maxWorkers: 1,
    testTimeout: 120_000,
    hookTimeout: 300_000,
    expect: { poll: { timeout: 10_000, interval: 50 } },
    globalSetup: ["tests/helpers/global-setup.ts"],
  },
});
