#!/usr/bin/env node
/**
 * npm run test:plant -- <set>… — hand-written mutants for code StrykerJS cannot score in
 * reasonable time (the realtime layer: every mutant needs real sockets and an app per file).
 * Each set (tests/mutation/plants/<set>.json) lists `tests` and mutants {name, file, from, to,
 * why}: `from` must occur exactly once in `file`. The tests first run once unmutated and must
 * pass. Then, one at a time, the mutant is written, the set's
 * tests run (stopping at the first failure), and the file is restored, whatever happened.
 * Prints KILLED or SURVIVED per mutant and a score; exits 1 if any survived that is not marked
 * `equivalent` (with the reason in `why`). Never run two at once in one checkout; a stop (Ctrl-C)
 * waits for the tests under way and restores the file before exiting.
 */
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync, readdirSync } from "node:fs";
import { loadavg } from "node:os";
import path from "node:path";

const dir = path.join(path.dirname(new URL(import.meta.url).pathname), "plants");
const sets = readdirSync(dir).filter((f) => f.endsWith(".json")).map((f) => f.slice(0, -5));
const wanted = process.argv.slice(2).length ? process.argv.slice(2) : sets;
const unknown = wanted.filter((s) => !sets.includes(s));
if (unknown.length) {
  console.error(`Unknown set: ${unknown.join(", ")}. Choose from: ${sets.join(", ")}.`);
  process.exit(2);
}

// A stop (Ctrl-C, kill) waits for the test run under way, so the mutated file is restored first.
let stopping = false;
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) process.on(signal, () => (stopping = true));

let unexplained = 0;
for (const set of wanted) {
  const { tests, mutants } = JSON.parse(readFileSync(path.join(dir, `${set}.json`), "utf8"));
  // Without a mutant the tests must pass, or every failure below would count as a kill.
  const baseline = spawnSync("npx", ["vitest", "run", ...tests], { encoding: "utf8" });
  if (baseline.status !== 0) {
    console.log(`${set}: the tests fail without any mutant; fix them first.\n${(baseline.stdout + baseline.stderr).slice(-3000)}`);
    process.exit(1);
  }
  let killed = 0;
  let counted = 0;
  for (const m of mutants) {
    const original = readFileSync(m.file, "utf8");
    const found = original.split(m.from).length - 1;
    if (found !== 1) {
      console.log(`STALE     ${m.name}: its code occurs ${found} times in ${m.file}; update the set`);
      unexplained++;
      continue;
    }
    const started = Date.now();
    let r;
    try {
      // A function, so a "$" in the replacement is taken literally (not as a replacement pattern).
      writeFileSync(m.file, original.replace(m.from, () => m.to));
      r = spawnSync("npx", ["vitest", "run", "--bail=1", ...tests], { encoding: "utf8" });
    } finally {
      writeFileSync(m.file, original);
    }
    if (stopping) {
      console.log(`Stopped at ${m.name}; ${m.file} is restored.`);
      process.exit(130);
    }
    const seconds = ((Date.now() - started) / 1000).toFixed(0);
    counted++;
    if (r.status !== 0) {
      killed++;
      console.log(`KILLED    ${m.name} (${seconds} s)`);
    } else {
      console.log(`SURVIVED  ${m.name} (${seconds} s)${m.equivalent ? ` — equivalent: ${m.why}` : ""}`);
      if (!m.equivalent) unexplained++;
    }
  }
  const equivalent = mutants.filter((m) => m.equivalent).length;
  console.log(`${set}: ${killed} of ${counted} killed (${equivalent} marked equivalent); load average ${loadavg().map((l) => l.toFixed(2)).join(" ")}`);
}
process.exit(unexplained ? 1 : 0);
