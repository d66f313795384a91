#!/usr/bin/env node
/**
 * npm run test:plant -- <set>… — hand-written mutants for code StrykerJS cannot score in
 * reasonable time (the realtime layer: every mutant needs real sockets and an app per file).
 * Each set (tests/mutation/plants/<set>.json) lists `tests` and mutants {name, file, from, to,
 * why}: `from` must occur exactly once in `file`. The tests first run once unmutated and must
 * pass. Then, one at a time, the mutant is written, the set's
 * tests run (stopping at the first failure), and the file is restored, whatever happened.
 * Prints KILLED or SURVIVED per mutant and a score; exits 1 if any survived that is not marked
 * `equivalent` (with the reason in `why`). Never run two at once in one checkout. A stop (Ctrl-C,
 * SIGTERM, SIGHUP) ends the tests under way, restores the file and exits 130.
 * PLANT_SETS_DIR and PLANT_RUNNER (default "npx vitest run") replace the sets' folder and the
 * command that runs a set's tests (its own tests use both).
 */
import { spawn } from "node:child_process";
import { readFileSync, writeFileSync, readdirSync } from "node:fs";
import { loadavg } from "node:os";
import path from "node:path";

const dir = process.env.PLANT_SETS_DIR ?? path.join(path.dirname(new URL(import.meta.url).pathname), "plants");
const runner = (process.env.PLANT_RUNNER ?? "npx vitest run").split(" ");
const sets = readdirSync(dir).filter((f) => f.endsWith(".json")).map((f) => f.slice(0, -5));
const wanted = process.argv.slice(2).length ? process.argv.slice(2) : sets;
const unknown = wanted.filter((s) => !sets.includes(s));
if (unknown.length) {
  console.error(`Unknown set: ${unknown.join(", ")}. Choose from: ${sets.join(", ")}.`);
  process.exit(2);
}

// The tests run in a process group of their own: a stop ends that whole group (npx, vitest and
// its workers), and the loop below then restores the file and exits.
let stopping = false;
let running = null;
const stopRunning = () => {
  if (running?.exitCode === null && running.signalCode === null) {
    try {
      process.kill(-running.pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
};
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) {
  process.on(signal, () => {
    stopping = true;
    stopRunning();
  });
}

/** Runs the tests with extra arguments; resolves with their output and exit status. */
function runTests(args) {
  return new Promise((resolve) => {
    const child = spawn(runner[0], [...runner.slice(1), ...args], { detached: true, stdio: ["ignore", "pipe", "pipe"] });
    running = child;
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    child.on("error", (e) => resolve({ status: 1, output: output + String(e) }));
    child.on("close", (status) => {
      running = null;
      resolve({ status: status ?? 1, output });
    });
  });
}

let unexplained = 0;
for (const set of wanted) {
  const { tests, mutants } = JSON.parse(readFileSync(path.join(dir, `${set}.json`), "utf8"));
  // Without a mutant the tests must pass, or every failure below would count as a kill.
  const baseline = await runTests(tests);
  if (stopping) {
    console.log(`Stopped before ${set}'s first mutant; no file was changed.`);
    process.exit(130);
  }
  if (baseline.status !== 0) {
    console.log(`${set}: the tests fail without any mutant; fix them first.\n${baseline.output.slice(-3000)}`);
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
      r = await runTests(["--bail=1", ...tests]);
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
