/**
 * The server's heap upkeep (server/infra/heap.ts): after a burst of allocation, compactHeap runs a
 * full collection there and then, freeing the burst's garbage and keeping what is still referenced.
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import v8 from "node:v8";
import { expect, test } from "vitest";
import { compactHeap, SERVER_NODE_FLAGS } from "../../server/infra/heap.js";

const MB = 1024 * 1024;

test("compactHeap frees a burst's garbage at once and keeps what is still referenced", () => {
  // The burst: 200k small records, of which every other one is still referenced afterwards.
  const kept: { id: number; text: string }[] = [];
  let burst: { id: number; text: string }[] | null = [];
  for (let i = 0; i < 200_000; i++) {
    const rec = { id: i, text: `record ${i} ${"x".repeat(i % 64)}` };
    burst.push(rec);
    if (i % 2 === 0) kept.push(rec);
  }
  const grown = v8.getHeapStatistics();
  burst = null;

  expect(compactHeap()).toBe(true);
  const after = v8.getHeapStatistics();
  const freed = grown.used_heap_size - after.used_heap_size;

  // The garbage is gone: less is used than while the burst was alive. (That the emptied pages
  // go back to the system is measured, not asserted: at this size V8's own heuristics sometimes
  // release them too. On the 10,000-person company the server kept 552 MB resident after a plain
  // collection and 413 MB after this one; `npm run bench:pages`, decision 290.)
  expect(freed).toBeGreaterThan(20 * MB);
  // What is still referenced survives, unchanged.
  expect(kept).toHaveLength(100_000);
  expect(kept[99_999]).toEqual({ id: 199_998, text: `record 199998 ${"x".repeat(199_998 % 64)}` });
});

test("the production starts pass the server's Node flags, and they bound the young generation", () => {
  const root = path.resolve(import.meta.dirname, "../..");
  const scripts = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")).scripts as Record<string, string>;
  const command = `node ${SERVER_NODE_FLAGS.join(" ")} build/server/index.js`;
  expect(scripts.start).toBe(command);
  expect(scripts.serve).toBe(`NODE_ENV=production ${command}`);
  // The young generation's largest size while a loop makes garbage of growing lifetimes, in a
  // process started with and without the flags (the second is the control: V8's default grows past it).
  const youngest = (flags: readonly string[]) => {
    const probe = `const v8 = require("node:v8"); let max = 0, keep = [];
      for (let i = 0; i < 300000; i++) { keep.push({ i, s: "x".repeat(i % 100) }); if (keep.length > 20000) keep = [];
        if (i % 1000 === 0) max = Math.max(max, v8.getHeapSpaceStatistics().find((s) => s.space_name === "new_space").space_size); }
      process.stdout.write(String(max));`;
    return Number(execFileSync(process.execPath, [...flags, "-e", probe], { encoding: "utf8", env: { ...process.env, NODE_OPTIONS: "" } }));
  };
  const MB = 1024 * 1024;
  expect(youngest(SERVER_NODE_FLAGS)).toBeLessThanOrEqual(8 * MB);
  expect(youngest([])).toBeGreaterThan(8 * MB);
});
