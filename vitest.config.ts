import path from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  // The app's own import alias, for unit tests of app/ modules that use it.
  resolve: { alias: { "~": path.resolve(import.meta.dirname, "app") } },
  test: {
    environment: "node",
    pool: "forks",
    // Limits, not speed checks: a test or wait ends as soon as it is done, so a generous limit only
    // lengthens a failing run. At a load average of 24 on 2 cores (four other jobs beside the
    // suite), seeding a dashboard took over 30 s and starting an app in a hook over 60 s.
    testTimeout: 120_000,
    // expect.poll defaults to 1 s, too short for a live update on a loaded 2-core machine.
    expect: { poll: { timeout: 45_000, interval: 50 } },
    hookTimeout: 300_000,
    globalSetup: ["tests/helpers/global-setup.ts"],
    // Two cores. Server and unit files run two at a time; then the browser files run one at a
    // time (each drives Chromium with several pages), so Chromium is never starved by a second
    // browser file. Projects with different worker counts must be in different groups.
    projects: [
      {
        extends: true,
        test: { name: "server", include: ["tests/server/**/*.test.ts", "tests/app/**/*.test.ts"], maxWorkers: 2, sequence: { groupOrder: 0 } },
      },
      {
        extends: true,
        // A browser test waits up to 45 s for each thing it expects (tests/e2e/helpers/browser.ts).
        test: { name: "browser", include: ["tests/e2e/**/*.test.ts"], maxWorkers: 1, testTimeout: 300_000, sequence: { groupOrder: 1 } },
      },
    ],
  },
});
