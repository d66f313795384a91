#!/usr/bin/env node
/**
 * npm run test:mutation [area…] — runs StrykerJS (vitest runner, TypeScript checker, one test
 * process) for each area in tests/mutation/areas.mjs and prints one mutation score per area.
 * Reports: reports/mutation/<area>.html and .json.
 * MUTATE="file[:from-to],…" narrows the mutated code (the area's tests stay); its reports, config
 * and incremental file are named <area>-<MUTATE_NAME>, or after the files when MUTATE_NAME is unset.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { areas } from "./areas.mjs";

const wanted = process.argv.slice(2).length ? process.argv.slice(2) : Object.keys(areas);
const unknown = wanted.filter((a) => !(a in areas));
if (unknown.length) {
  console.error(`Unknown area: ${unknown.join(", ")}. Choose from: ${Object.keys(areas).join(", ")}.`);
  process.exit(2);
}

/** Stryker's mutation score: detected (killed, timed out) over valid (detected + survived + no coverage). */
function score(report) {
  const counts = {};
  for (const file of Object.values(report.files)) for (const m of file.mutants) counts[m.status] = (counts[m.status] ?? 0) + 1;
  const detected = (counts.Killed ?? 0) + (counts.Timeout ?? 0);
  const valid = detected + (counts.Survived ?? 0) + (counts.NoCoverage ?? 0);
  return { score: valid ? (100 * detected) / valid : 0, counts };
}

// MUTATE narrows an area to some of its files or lines (one part at a time when the whole area is hours).
const only = process.env.MUTATE?.split(",").map((m) => m.trim()).filter(Boolean);
const suffix = process.env.MUTATE_NAME ?? only?.map((m) => m.replace(/^.*\//, "").replace(/\.ts/, "").replace(/:/, "-")).join("+");

const results = [];
for (const area of wanted) {
  const { testFiles } = areas[area];
  const mutate = only ?? areas[area].mutate;
  const name = only ? `${area}-${suffix}` : area;
  const config = {
    testRunner: "vitest",
    vitest: { configFile: "tests/mutation/vitest.config.ts", related: false },
    checkers: ["typescript"],
    // The checker compiles the mutated files and what they import, not every file that imports
    // them (server/policy.ts is imported by most of the app, and re-checking all of it for each
    // mutant took hours). A mutant that only breaks a caller's types is then judged by the tests.
    tsconfigFile: writeTsconfig(name, mutate),
    typescriptChecker: { prioritizePerformanceOverAccuracy: true },
    // Mutants of values computed once at import (the rule table's keys, constants) need a fresh
    // module for every test run; they are left out of the score rather than reload the app each time.
    ignoreStatic: true,
    mutate,
    testFiles,
    concurrency: 1,
    coverageAnalysis: "perTest",
    timeoutMS: 60_000,
    // The first run of all the area's tests (perTest coverage) took over Stryker's default five
    // minutes for domain-questions at a load average of about 20; it is run once, so wait longer.
    dryRunTimeoutMinutes: 20,
    reporters: ["clear-text", "progress", "html", "json"],
    htmlReporter: { fileName: `reports/mutation/${name}.html` },
    jsonReporter: { fileName: `reports/mutation/${name}.json` },
    // Reruns test only the mutants whose code or covering tests changed since the last run; the
    // rest keep their recorded result (the file is kept beside the reports).
    incremental: true,
    incrementalFile: `reports/mutation/${name}.incremental.json`,
    tempDirName: `.stryker-tmp/${name}`,
    // Another area's sandbox (areas may run side by side) is not part of the project.
    ignorePatterns: [".stryker-tmp"],
    cleanTempDir: "always",
  };
  console.log(`\n==> mutation testing: ${name} (${mutate.join(", ")})`);
  execFileSync("npx", ["stryker", "run", writeConfig(name, config)], { stdio: "inherit" });
  results.push({ area, name, ...score(JSON.parse(readFileSync(`reports/mutation/${name}.json`, "utf8"))) });
}

// Scores do not depend on load, but run times do: the figures say what the machine was doing.
const load = loadavg().map((l) => l.toFixed(2)).join(", ");
console.log(`\nMutation scores (${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC, ${cpus().length} cores, load average ${load})`);
for (const r of results) {
  const c = r.counts;
  console.log(
    `  ${r.name.padEnd(16)} ${r.score.toFixed(1).padStart(5)}%  (goal ${areas[r.area].goal}%)  killed ${c.Killed ?? 0}, timeout ${c.Timeout ?? 0}, survived ${c.Survived ?? 0}, no coverage ${c.NoCoverage ?? 0}, compile errors ${c.CompileError ?? 0}`,
  );
}

function writeTsconfig(area, mutate) {
  mkdirSync("reports/mutation", { recursive: true });
  const file = `reports/mutation/tsconfig.${area}.json`;
  // Not remix.env.d.ts: it imports server/atrium.ts for the load context's type, which pulls the
  // whole server (190 files, ~16 s of CPU per check instead of ~3) into every area.
  const include = mutate.map((m) => `../../${m.replace(/:\d+-\d+$/, "")}`);
  writeFileSync(file, JSON.stringify({ extends: "../../tsconfig.json", include }, null, 2));
  return file;
}

function writeConfig(area, config) {
  mkdirSync("reports/mutation", { recursive: true });
  const file = `reports/mutation/stryker.${area}.json`;
  writeFileSync(file, JSON.stringify(config, null, 2));
  return file;
}
