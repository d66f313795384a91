/**
 * `npm run test:plant` (tests/mutation/plant.mjs) against a set of its own: a target file, and a
 * stand-in for the test command that passes, fails or never ends according to what the file holds.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, expect, test } from "vitest";

const plant = path.resolve("tests/mutation/plant.mjs");
let dir: string;
let target: string;
const ORIGINAL = "export const answer = 'ok';\n";

beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), "atrium-plant-"));
  target = path.join(dir, "target.ts");
  writeFileSync(target, ORIGINAL);
  // The stand-in for vitest: fails on FAIL, never ends on HANG (after noting its pid), passes otherwise.
  writeFileSync(
    path.join(dir, "runner.mjs"),
    `import { readFileSync, writeFileSync } from "node:fs";
const text = readFileSync(${JSON.stringify(target)}, "utf8");
if (text.includes("FAIL")) process.exit(1);
if (text.includes("HANG")) { writeFileSync(${JSON.stringify(path.join(dir, "hanging.pid"))}, String(process.pid)); setInterval(() => {}, 1000); }
`,
  );
  const set = (name: string, to: string, extra: object = {}) =>
    writeFileSync(path.join(dir, `${name}.json`), JSON.stringify({ tests: ["any"], mutants: [{ name, file: target, from: "'ok'", to, why: "a stand-in", ...extra }] }));
  set("fails", "'FAIL'");
  set("passes", "'fine'");
  set("passes-equivalent", "'fine'", { equivalent: true });
  set("hangs", "'HANG'");
});
const started: ReturnType<typeof spawn>[] = [];
afterEach(() => {
  // A failed run can leave the run and its stand-in going: end both.
  for (const child of started.splice(0)) if (child.exitCode === null) child.kill("SIGKILL");
  const pidFile = path.join(dir, "hanging.pid");
  if (existsSync(pidFile)) {
    try {
      process.kill(Number(readFileSync(pidFile, "utf8")), "SIGKILL");
    } catch {
      // already ended
    }
  }
  rmSync(dir, { recursive: true, force: true });
});

function start(...sets: string[]) {
  const child = spawn(process.execPath, [plant, ...sets], {
    env: { ...process.env, PLANT_SETS_DIR: dir, PLANT_RUNNER: `${process.execPath} ${path.join(dir, "runner.mjs")}` },
    stdio: ["ignore", "pipe", "pipe"],
  });
  started.push(child);
  let output = "";
  child.stdout.on("data", (d) => (output += d));
  child.stderr.on("data", (d) => (output += d));
  const done = new Promise<{ code: number | null; output: string }>((resolve) => child.on("close", (code) => resolve({ code, output })));
  return { child, done };
}

test("a mutant the tests catch is KILLED, one they miss SURVIVES (exit 1 unless marked equivalent); the file is restored after each", async () => {
  const killed = await start("fails").done;
  expect(killed.output).toMatch(/^KILLED {4}fails/m);
  expect(killed.output).toContain("fails: 1 of 1 killed (0 marked equivalent)");
  expect(killed.code).toBe(0);

  const survived = await start("passes").done;
  expect(survived.output).toMatch(/^SURVIVED {2}passes/m);
  expect(survived.code).toBe(1);

  const equivalent = await start("passes-equivalent").done;
  expect(equivalent.output).toMatch(/^SURVIVED {2}passes-equivalent .*— equivalent: a stand-in/m);
  expect(equivalent.code).toBe(0);
  expect(readFileSync(target, "utf8")).toBe(ORIGINAL);
});

test("SIGTERM while a mutant's tests run: they are ended at once, the file is restored, and the run exits 130", async () => {
  const run = start("hangs");
  const pidFile = path.join(dir, "hanging.pid");
  // The mutant is in place and its tests are running once the stand-in has noted its pid.
  for (let i = 0; !existsSync(pidFile); i++) {
    if (i > 400) throw new Error(`the mutant's tests never started:\n${await Promise.race([run.done.then((r) => r.output), "still running"])}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  expect(readFileSync(target, "utf8")).toContain("'HANG'");
  const pid = Number(readFileSync(pidFile, "utf8"));
  run.child.kill("SIGTERM");
  const { code, output } = await run.done;
  expect(code).toBe(130);
  expect(output).toContain(`Stopped at hangs; ${target} is restored.`);
  expect(readFileSync(target, "utf8")).toBe(ORIGINAL);
  expect(() => process.kill(pid, 0)).toThrow(/ESRCH/);
}, 30_000);
