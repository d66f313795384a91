import { execFile } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { expect, test } from "vitest";
import { parseLines, tfidfKmeans } from "../../../bench/eval-insights.js";
import { adjustedRandIndex } from "../../../server/insights/eval-metrics.js";
import { sentimentMetrics } from "../../../server/insights/eval-metrics.js";

const run = promisify(execFile);

test("malformed lines are refused with the line number and what is wrong", () => {
  expect(() => parseLines('{"text":"ok"}\nnot json')).toThrow("line 2: not JSON");
  expect(() => parseLines('{"label":"negative"}')).toThrow('line 1: "text" must be a string');
  expect(() => parseLines('{"text":"a","label":"angry"}')).toThrow('"label" must be negative, neutral or positive');
  expect(() => parseLines('{"text":"a","createdAt":"yesterday"}')).toThrow('"createdAt" is not a date');
  expect(() => parseLines('{"text":"a","tags":"billing"}')).toThrow('"tags" must be an array of strings');
  expect(parseLines('{"text":"a"}\n\n{"text":"b","label":"positive"}\n')).toHaveLength(2);
});

test("sentiment metrics: macro-F1 over the gold classes, complaint recall and false alarms", () => {
  const m = sentimentMetrics(["negative", "negative", "neutral", "positive"], ["negative", "positive", "negative", "positive"]);
  expect(m).toMatchObject({ n: 4, acc: 0.5, negRecall: 0.5, nonNegAsNeg: 0.5, negAsPos: 0.5 });
  expect(m.macroF1).toBeCloseTo((0.5 + 0 + 2 / 3) / 3, 3);
});

test("TF-IDF + k-means separates two obvious topics", () => {
  const texts = ["refund missing money", "refund money late", "money refund please", "app crash screen", "screen crash app", "crash app again"];
  const km = tfidfKmeans(texts, 2);
  expect(adjustedRandIndex(["r", "r", "r", "a", "a", "a"], km.map(String))).toBe(1);
});

// Two runs of a TypeScript command (compiled at start): minutes on a loaded machine.
test("one command prints every system's figures and ends with one JSON line", { timeout: 300_000 }, async () => {
  const { stdout } = await run("npx", ["tsx", "bench/eval-insights.ts", "tests/fixtures/insights-check.jsonl"], { timeout: 240_000 });
  for (const name of ["Atrium", "VADER", "wink-sentiment", "TF-IDF + k-means"]) expect(stdout).toContain(name);
  const last = JSON.parse(stdout.trim().split("\n").pop()!);
  expect(Object.keys(last)).toEqual(["sentiment", "clusters", "n"]);
  expect(last.n).toBe(55);
  expect(Object.keys(last.sentiment)).toEqual(expect.arrayContaining(["acc", "macroF1", "negRecall", "nonNegAsNeg", "vader", "wink"]));
  expect(Object.keys(last.clusters)).toEqual(expect.arrayContaining(["ari", "purity", "unclustered", "kmeans"]));
  const dir = mkdtempSync(join(tmpdir(), "eval-"));
  writeFileSync(join(dir, "bad.jsonl"), '{"text":"fine"}\n{"text":1}\n');
  const bad = await run("npx", ["tsx", "bench/eval-insights.ts", join(dir, "bad.jsonl")]).catch((e: { code: number; stderr: string }) => e);
  expect(bad).toMatchObject({ code: 2 });
  expect((bad as { stderr: string }).stderr).toContain('line 2: "text" must be a string');
});
