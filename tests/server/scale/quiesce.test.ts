import { Redis } from "ioredis";
import { afterAll, beforeAll, expect, test, vi } from "vitest";
import { startPrivateRedis, type PrivateRedis } from "../../../server/cli/processes.js";
import { parseEnv } from "../../../server/env.js";
import { createScale } from "../../../server/infra/scale.js";

// A private Redis: pausing every client must not stall the other test files' shared Redis.
let redis: PrivateRedis;
let admin: Redis;
beforeAll(async () => {
  redis = await startPrivateRedis();
  admin = new Redis(redis.url);
});
afterAll(async () => {
  admin.disconnect();
  await redis.close();
});

async function leadingInstance(instanceId: string) {
  const prefix = `quiesce-${instanceId}:`;
  const env = parseEnv({ NODE_ENV: "test", REDIS_URL: redis.url, REDIS_PREFIX: prefix });
  const scale = await createScale(env, { instanceId, leaderTtlMs: 60_000, heartbeatMs: 20_000, quiesceStepMs: 300 });
  scale.presence(1_000, () => {});
  await scale.start();
  await expect.poll(() => scale.leadership.isLeader()).toBe(true);
  return { scale, leaderKey: `${prefix}leader`, aliveKey: `${prefix}alive:${instanceId}` };
}

test("handing over while Redis answers: the leadership and this instance's alive key are released at once", async () => {
  const { scale, leaderKey, aliveKey } = await leadingInstance("answering");
  try {
    expect(await admin.exists(leaderKey, aliveKey)).toBe(2);
    await scale.quiesce();
    // Both would otherwise live on for a minute (time to live 60 s; alive key 3 heartbeats).
    expect(await admin.exists(leaderKey, aliveKey)).toBe(0);
    expect(scale.leadership.isLeader()).toBe(false);
  } finally {
    await scale.close();
  }
});

test("handing over while Redis answers nothing (every client paused): each step gives up after its bound and says so", async () => {
  const { scale, leaderKey } = await leadingInstance("paused");
  const logged = vi.spyOn(console, "error").mockImplementation(() => {});
  try {
    await admin.call("CLIENT", "PAUSE", "8000", "ALL");
    const started = performance.now();
    await scale.quiesce();
    // Without the bound this waits for the 8 s pause to end (an UNPAUSE waits for it too).
    expect(performance.now() - started).toBeLessThan(5_000);
    const lines = logged.mock.calls.map((c) => String(c[0]));
    expect(lines.filter((l) => /Redis did not answer within 300 ms/.test(l)).length).toBeGreaterThanOrEqual(2);
    expect(lines.some((l) => l.includes("releasing the sweeps' leadership"))).toBe(true);
  } finally {
    await admin.call("CLIENT", "UNPAUSE");
    logged.mockRestore();
    await scale.close();
  }
  // Once Redis answers again, the release that was waiting goes through.
  await expect.poll(() => admin.exists(leaderKey)).toBe(0);
});
