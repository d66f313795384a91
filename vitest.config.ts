import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["tests/**/*.test.ts"],
    environment: "node",
    pool: "forks",
    // Two cores: browser tests run one file at a time so Chromium is not starved.
    maxWorkers: 2,
    testTimeout: 30_000,
    // expect.poll defaults to 1 s, too short for a live update on a loaded 2-core CI machine.
    expect: { poll: { timeout: 10_000, interval: 50 } },
    hookTimeout: 60_000,
    globalSetup: ["tests/helpers/global-setup.ts"],
  },
});
