import { defineConfig } from "vitest/config";

/**
 * The configuration Stryker's vitest runner loads (npm run test:mutation): the server and unit
 * files only, without the browser project. Stryker picks the files of each area itself.
 */
export default defineConfig({
  test: {
    include: ["tests/server/**/*.test.ts", "tests/app/**/*.test.ts"],
    environment: "node",
    // As long as the main configuration allows: at a load average of about 20 the space tree test
    // of domain-docs took over 30 seconds in the initial run, and Stryker then stops before mutating.
    testTimeout: 120_000,
    expect: { poll: { timeout: 10_000, interval: 50 } },
    hookTimeout: 60_000,
    globalSetup: ["tests/helpers/global-setup.ts"],
  },
});
