/**
 * A graceful stop that hangs names the step it waits on, every ten seconds, and stops saying so
 * once it is done (server/http/shutdown-steps.ts; server/atrium.ts's close runs each step through it).
 */
import { afterEach, beforeEach, expect, test, vi } from "vitest";
import { shutdownSteps } from "../../server/http/shutdown-steps.js";

beforeEach(() => void vi.useFakeTimers());
afterEach(() => void vi.useRealTimers());

test("a step that does not finish is named every interval, with the time since stopping began; after done, nothing more", async () => {
  const lines: string[] = [];
  const steps = shutdownSteps({ everyMs: 10_000, log: (l) => lines.push(l) });
  await steps.step("the image sweep", () => undefined);
  let finish!: () => void;
  const stuck = steps.step("closing Redis", () => new Promise<void>((r) => (finish = r)));
  await vi.advanceTimersByTimeAsync(9_999);
  expect(lines).toEqual([]);
  await vi.advanceTimersByTimeAsync(10_001);
  expect(lines).toEqual(["[shutdown] still waiting for closing Redis (10 s since stopping began)", "[shutdown] still waiting for closing Redis (20 s since stopping began)"]);
  finish();
  await stuck;
  await steps.step("closing the database", () => Promise.resolve());
  steps.done();
  await vi.advanceTimersByTimeAsync(60_000);
  expect(lines).toHaveLength(2);
});

test("a step hands back its work's value and its failure", async () => {
  const steps = shutdownSteps({ log: () => {} });
  await expect(steps.step("a value", () => Promise.resolve(42))).resolves.toBe(42);
  await expect(steps.step("a failure", () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
  steps.done();
});

test("the timer does not keep the process alive", () => {
  const unref = vi.spyOn(globalThis, "setInterval");
  const steps = shutdownSteps({ log: () => {} });
  const timer = unref.mock.results[0]!.value as { hasRef?: () => boolean };
  if (typeof timer.hasRef === "function") expect(timer.hasRef()).toBe(false);
  else expect.fail("a Node timer was expected");
  steps.done();
  unref.mockRestore();
});
