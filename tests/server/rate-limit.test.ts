import { describe, expect, test } from "vitest";
import { MemoryRateLimiter } from "../../server/domain/rate-limit.js";

describe("MemoryRateLimiter (fixed window)", () => {
  const WINDOW = 60_000;

  test("lets attempts through until the limit, then names the seconds left in the window", async () => {
    const rl = new MemoryRateLimiter(3, WINDOW);
    const t0 = 1_000_000;
    for (let i = 0; i < 3; i++) {
      expect(await rl.retryAfter("k", t0 + i)).toBe(0);
      await rl.hit("k", t0 + i);
    }
    expect(await rl.retryAfter("k", t0 + 10)).toBe(60);
    expect(await rl.retryAfter("k", t0 + 30_000)).toBe(30);
    expect(await rl.retryAfter("k", t0 + 59_001)).toBe(1);
  });

  test("the window ends: attempts are allowed again and counting restarts", async () => {
    const rl = new MemoryRateLimiter(2, WINDOW);
    await rl.hit("k", 0);
    await rl.hit("k", 1);
    expect(await rl.retryAfter("k", 2)).toBeGreaterThan(0);
    expect(await rl.retryAfter("k", WINDOW)).toBe(0);
    await rl.hit("k", WINDOW);
    expect(await rl.retryAfter("k", WINDOW + 1)).toBe(0); // one hit in the new window, limit 2
    await rl.hit("k", WINDOW + 2);
    expect(await rl.retryAfter("k", WINDOW + 3)).toBeGreaterThan(0);
  });

  test("keys are independent", async () => {
    const rl = new MemoryRateLimiter(1, WINDOW);
    await rl.hit("a@example.test|1.1.1.1", 0);
    expect(await rl.retryAfter("a@example.test|1.1.1.1", 1)).toBeGreaterThan(0);
    expect(await rl.retryAfter("a@example.test|2.2.2.2", 1)).toBe(0);
    expect(await rl.retryAfter("b@example.test|1.1.1.1", 1)).toBe(0);
  });

  test("reset clears a key at once", async () => {
    const rl = new MemoryRateLimiter(1, WINDOW);
    await rl.hit("k", 0);
    expect(await rl.retryAfter("k", 1)).toBeGreaterThan(0);
    await rl.reset("k");
    expect(await rl.retryAfter("k", 2)).toBe(0);
  });

  test("many keys are pruned without losing a live window", async () => {
    const rl = new MemoryRateLimiter(1, WINDOW);
    for (let i = 0; i < 50_001; i++) await rl.hit(`old-${i}`, 0);
    await rl.hit("live", WINDOW * 2);
    await rl.hit(`trigger`, WINDOW * 2); // size > 50k → prune expired windows
    expect(await rl.retryAfter("live", WINDOW * 2 + 1)).toBeGreaterThan(0);
    expect((rl as unknown as { windows: Map<string, unknown> }).windows.size).toBeLessThan(10);
  });
});
