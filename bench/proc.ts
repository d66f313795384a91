/** A process's CPU time and memory from /proc (Linux), for benchmarks that start servers as child processes. */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";

const TICK_MS = 1000 / Number(spawnSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).stdout.trim() || 100);

/** CPU time (user + system) the process (or one of its threads) has used so far, in ms: what its work costs whatever else the machine runs. */
export const cpuMsOf = (pid: number, thread?: number) => {
  const fields = readFileSync(thread === undefined ? `/proc/${pid}/stat` : `/proc/${pid}/task/${thread}/stat`, "utf8").split(") ")[1]!.split(" ");
  return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
};

/** Resident set size, in bytes. */
export const rssOf = (pid: number) => {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? Number(m[1]) * 1024 : NaN;
};

/**
 * The resident part of the C heap (the `[heap]` mapping: glibc's main malloc arena), in bytes —
 * native memory such as SQLite's, and what freed allocations leave behind; V8's own heap is mapped
 * elsewhere.
 */
export const mallocHeapOf = (pid: number) => {
  const smaps = readFileSync(`/proc/${pid}/smaps`, "utf8");
  const at = smaps.indexOf("[heap]");
  if (at < 0) return 0;
  const m = /Rss:\s+(\d+) kB/.exec(smaps.slice(at));
  return m ? Number(m[1]) * 1024 : 0;
};
