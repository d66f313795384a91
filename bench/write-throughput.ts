/**
 * Steady writes: 50 writers ask questions and answer them through the REST API for 60 s, against
 * a real server in its own process (its index upkeep — re-indexing threads, vacuuming — runs on
 * that process's thread, so it shows up as lost throughput). Prints, per 10 s window, requests/s
 * and the server process's CPU time per request (user + system, from /proc/<pid>/stat: on a shared,
 * loaded machine wall-clock requests/s move with other processes' work, CPU per request does not),
 * the ratios last window / first window (flat upkeep keeps both near 1), what the server's search
 * index did per window, the load average, and one JSON line of every figure.
 *
 *   npm run bench:writes
 *   BENCH_ROOT=/path/to/other/atrium/checkout npm run bench:writes   (the load against that checkout only)
 *   BENCH_PEER=/path/to/other/atrium/checkout npm run bench:writes   (the same load against that
 *     checkout's server too — e.g. a worktree of main with this node_modules — side by side)
 *
 * Env: BENCH_SECONDS (60), BENCH_WINDOW_SECONDS (10), BENCH_WARMUP_SECONDS (5: writers already
 * write, uncounted, before the first window, so JIT warm-up does not pass for a slower start), BENCH_WRITERS (50), BENCH_PEOPLE (200
 * colleagues to route questions to), BENCH_PROFILE=<dir> (writes a V8 CPU profile of the server's
 * first and of its last window there: `first.cpuprofile`, `last.cpuprofile`; summarise them with
 * `npx tsx bench/cpuprofile-top.ts <dir>/first.cpuprofile <dir>/last.cpuprofile`). The load
 * average is printed: on a shared machine other processes' work shows in wall-clock figures.
 */
import { spawn, type ChildProcess } from "node:child_process";
import http from "node:http";
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 60);
const WINDOW = Number(process.env.BENCH_WINDOW_SECONDS ?? 10);
/** Writers run this long before the first window opens: the server's JIT warm-up is not upkeep growth. */
const WARMUP = Number(process.env.BENCH_WARMUP_SECONDS ?? 5);
const WRITERS = Number(process.env.BENCH_WRITERS ?? 50);
const PEOPLE = Number(process.env.BENCH_PEOPLE ?? 200);
const HERE = path.resolve(import.meta.dirname, "..");

// ---------------------------------------------------------------- child: an Atrium from `root`
async function serve(root: string) {
  const { default: Database } = await import("better-sqlite3");
  const { createAtrium } = (await import(pathToFileURL(path.join(root, "server/atrium.ts")).href)) as typeof import("../server/atrium.js");
  const { parseEnv } = (await import(pathToFileURL(path.join(root, "server/env.ts")).href)) as typeof import("../server/env.js");
  const dir = path.join(os.tmpdir(), `atrium-bench-writes-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, "writes.db");
  const db = new Database(file);
  const migrations = path.join(root, "prisma/migrations");
  for (const m of readdirSync(migrations).filter((d) => !d.endsWith(".toml")).sort()) db.exec(readFileSync(path.join(migrations, m, "migration.sql"), "utf8"));
  const now = new Date().toISOString();
  const ins = db.prepare(`INSERT INTO "User" ("id","email","name","role","title","createdAt","updatedAt") VALUES (?,?,?,?,?,?,?)`);
  ins.run("bench-admin", "bench-admin@corp.test", "Bench Admin", "admin", "", now, now);
  for (let i = 0; i < PEOPLE; i++) ins.run(`p${i}`, `p${i}@corp.test`, `Person ${i}`, "member", ["Engineer", "Analyst", "Designer", "Manager"][i % 4], now, now);
  db.close();
  const env = parseEnv({ NODE_ENV: "production", DATABASE_URL: `file:${file}`, UPLOAD_DIR: path.join(dir, "uploads"), API_RATE_LIMIT: "1000000", API_RATE_WINDOW_SECONDS: "1", ATRIUM_DEMO_BANNER: "0" });
  const atrium = await createAtrium({ env, withPages: false });
  const actor = { id: "bench-admin", role: "admin" as const, departmentId: null, active: true };
  const { secret } = await atrium.domain.apiTokens.createApiToken(actor, { name: "bench", kind: "integration", scope: "write" });
  const port = await atrium.listen(0, "127.0.0.1");
  // The parent asks, at each window's end, what the index did and how big things grew.
  const index = atrium.ctx.searchIndex;
  let profiler: Session | null = null;
  process.on("message", async (m: { type: string; file?: string }) => {
    if (m.type === "stats") {
      const wal = (() => {
        try {
          return statSync(`${file}-wal`).size;
        } catch {
          return 0;
        }
      })();
      process.send!({ type: "stats", upkeep: { ...index.upkeep }, entries: index.size, dirt: index.dirt, heapMB: process.memoryUsage().heapUsed / 2 ** 20, walMB: wal / 2 ** 20 });
    } else if (m.type === "profile-start") {
      profiler = new Session();
      profiler.connect();
      await profiler.post("Profiler.enable");
      await profiler.post("Profiler.start");
      process.send!({ type: "profile-started" });
    } else if (m.type === "profile-stop" && profiler) {
      const { profile } = await profiler.post("Profiler.stop");
      writeFileSync(m.file!, JSON.stringify(profile));
      profiler.disconnect();
      profiler = null;
      process.send!({ type: "profile-stopped" });
    }
  });
  process.stdout.write(JSON.stringify({ port, token: secret }) + "\n");
  process.on("SIGTERM", async () => {
    await atrium.close();
    rmSync(dir, { recursive: true, force: true });
    process.exit(0);
  });
}

// ---------------------------------------------------------------- parent: the writers
const WORDS = "deploy budget pricing onboarding kubernetes invoice roadmap hiring security laptop vpn expenses travel contract release database backup retention survey churn forecast quota campaign launch policy".split(" ");
const pick = <T>(a: readonly T[]) => a[Math.floor(Math.random() * a.length)]!;
const sentence = (n: number) => Array.from({ length: n }, () => pick(WORDS)).join(" ");

function startServer(root: string): Promise<{ child: ChildProcess; port: number; token: string }> {
  const child = spawn(process.execPath, ["--import", "tsx", path.join(HERE, "bench/write-throughput.ts"), "serve", root], { cwd: root, stdio: ["ignore", "pipe", "inherit", "ipc"] });
  process.once("exit", () => child.kill("SIGKILL"));
  return new Promise((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (d) => {
      out += d;
      const line = out.split("\n").find((l) => l.startsWith("{"));
      if (line) resolve({ child, ...(JSON.parse(line) as { port: number; token: string }) });
    });
    child.once("exit", (code) => reject(new Error(`server exited (${code})`)));
  });
}

function post(agent: http.Agent, port: number, token: string, pathname: string, body: unknown): Promise<{ status: number; json: { data?: { id: string } } }> {
  const data = Buffer.from(JSON.stringify(body));
  return new Promise((resolve) => {
    const req = http.request(
      { host: "127.0.0.1", port, path: pathname, method: "POST", agent, headers: { authorization: `Bearer ${token}`, "content-type": "application/json", "content-length": data.length } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(Buffer.concat(chunks).toString() || "{}") }));
      },
    );
    // A keep-alive socket the server closed while idle (its keepAliveTimeout): counted as an error.
    req.once("error", () => resolve({ status: 0, json: {} }));
    req.end(data);
  });
}

/** CPU time (user + system) the process has used so far, in ms, from /proc (Linux). */
function cpuMs(pid: number): number {
  // Fields after the command name (which may hold spaces, hence the last ")"): utime is 14th, stime 15th.
  const rest = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ").at(-1)!.split(" ");
  return ((Number(rest[11]) + Number(rest[12])) * 1000) / 100; // USER_HZ is 100 on Linux
}

type Stats = { upkeep: { jobs: number; coalesced: number; vacuums: number; added: number; discarded: number }; entries: number; dirt: number; heapMB: number; walMB: number };

function ask<T>(child: ChildProcess, msg: object, reply: string): Promise<T> {
  return new Promise((resolve) => {
    const on = (m: { type: string }) => {
      if (m.type !== reply) return;
      child.off("message", on);
      resolve(m as T);
    };
    child.on("message", on);
    child.send(msg);
  });
}

type Window = { reqPerSec: number; cpuMsPerReq: number; requests: number; cpuMs: number; index: Stats };

async function run(label: string, root: string): Promise<Window[]> {
  const { child, port, token } = await startServer(root);
  const pid = child.pid!;
  const profileDir = process.env.BENCH_PROFILE ? path.resolve(process.env.BENCH_PROFILE) : null;
  if (profileDir) mkdirSync(profileDir, { recursive: true });
  const nWindows = Math.ceil(SECONDS / WINDOW);
  // fifo: every pooled socket keeps being used, so none idles past the server's keep-alive timeout.
  const agent = new http.Agent({ keepAlive: true, maxSockets: WRITERS, scheduling: "fifo" });
  const questions: string[] = [];
  const counts = Array.from({ length: nWindows }, () => 0);
  const cpuAt: number[] = [];
  const stats: Stats[] = [];
  let errors = 0;
  const errorKinds = new Map<number, number>();
  const start = performance.now();
  const t0 = start + WARMUP * 1000;
  const end = t0 + SECONDS * 1000;
  let n = 0;
  let last: Stats;
  // At each window's end: the server's CPU so far and what its index did (and profiles of the first and last windows).
  const sampled = (async () => {
    await new Promise((r) => setTimeout(r, Math.max(0, t0 - performance.now())));
    cpuAt.push(cpuMs(pid));
    last = await ask<Stats>(child, { type: "stats" }, "stats");
    if (profileDir) await ask(child, { type: "profile-start" }, "profile-started");
    for (let w = 1; w <= nWindows; w++) {
      const due = t0 + w * WINDOW * 1000;
      await new Promise((r) => setTimeout(r, Math.max(0, due - performance.now())));
      cpuAt.push(cpuMs(pid));
      const s = await ask<Stats>(child, { type: "stats" }, "stats");
      const d = (k: keyof Stats["upkeep"]) => s.upkeep[k] - last.upkeep[k];
      stats.push({ ...s, upkeep: { jobs: d("jobs"), coalesced: d("coalesced"), vacuums: d("vacuums"), added: d("added"), discarded: d("discarded") } });
      last = s;
      // Profiles: the first window, and the last (started as the one before it ends).
      if (profileDir && w === 1) await ask(child, { type: "profile-stop", file: path.join(profileDir, "first.cpuprofile") }, "profile-stopped");
      if (profileDir && w === nWindows - 1) await ask(child, { type: "profile-start" }, "profile-started");
      if (profileDir && w === nWindows && nWindows > 1) await ask(child, { type: "profile-stop", file: path.join(profileDir, "last.cpuprofile") }, "profile-stopped");
    }
  })();
  await Promise.all(
    Array.from({ length: WRITERS }, async () => {
      while (performance.now() < end) {
        const asking = questions.length < WRITERS || Math.random() < 0.3;
        const r = asking
          ? await post(agent, port, token, "/api/v1/questions", { title: `How do we handle ${sentence(4)} (${++n})?`, body: sentence(40), tags: [pick(WORDS), pick(WORDS)] })
          : await post(agent, port, token, `/api/v1/questions/${pick(questions)}/answers`, { body: sentence(60) });
        const at = performance.now();
        if (r.status === 0 || r.status >= 400) {
          errors++;
          errorKinds.set(r.status, (errorKinds.get(r.status) ?? 0) + 1);
        }
        else if (at >= t0 && at < end) counts[Math.floor((at - t0) / (WINDOW * 1000))]!++;
        if (asking && r.json.data?.id) questions.push(r.json.data.id);
      }
    }),
  );
  await sampled;
  agent.destroy();
  child.kill("SIGTERM");
  await new Promise((r) => child.once("exit", r));
  const windows: Window[] = counts.map((c, i) => {
    const cpu = cpuAt[i + 1]! - cpuAt[i]!;
    return { requests: c, reqPerSec: c / WINDOW, cpuMs: cpu, cpuMsPerReq: c ? cpu / c : NaN, index: stats[i]! };
  });
  const f = (xs: number[], d = 1) => xs.map((x) => x.toFixed(d).padStart(7)).join(" ");
  const first = windows[0]!;
  const lastW = windows.at(-1)!;
  const kinds = [...errorKinds].map(([status, c]) => `${c} × ${status || "connection closed"}`).join(", ");
  console.log(`${label}: ${errors} errors${kinds ? ` (${kinds})` : ""}, ${questions.length} questions`);
  console.log(`  req/s per ${WINDOW} s window:   ${f(windows.map((w) => w.reqPerSec))}   last/first ${(lastW.reqPerSec / first.reqPerSec).toFixed(2)}`);
  console.log(`  server CPU ms per request:  ${f(windows.map((w) => w.cpuMsPerReq), 2)}   last/first ${(lastW.cpuMsPerReq / first.cpuMsPerReq).toFixed(2)}`);
  console.log(`  server CPU busy (share):    ${f(windows.map((w) => w.cpuMs / (WINDOW * 1000)), 2)}`);
  console.log(`  index: entries (re)tokenised per request: ${f(windows.map((w) => w.index.upkeep.added / Math.max(1, w.requests)), 2)}`);
  console.log(`  index: entries discarded per request:     ${f(windows.map((w) => w.index.upkeep.discarded / Math.max(1, w.requests)), 2)}   (vacuums per window ${windows.map((w) => w.index.upkeep.vacuums).join(" ")})`);
  console.log(`  index entries at end:       ${f(windows.map((w) => w.index.entries), 0)}   (jobs/coalesced per window ${windows.map((w) => `${w.index.upkeep.jobs}/${w.index.upkeep.coalesced}`).join(" ")})`);
  console.log(`  heap MB / WAL MB at end:    ${windows.map((w) => `${w.index.heapMB.toFixed(0)}/${w.index.walMB.toFixed(1)}`).join(" ")}`);
  return windows;
}

if (process.argv[2] === "serve") {
  await serve(path.resolve(process.argv[3]!));
} else {
  const loadBefore = os.loadavg();
  console.log(`write throughput: ${WRITERS} writers, ${SECONDS} s after ${WARMUP} s warm-up, load average ${loadBefore.map((l) => l.toFixed(2)).join(" ")} (${os.cpus().length} CPUs)`);
  const mine = process.env.BENCH_ROOT ? await run(path.resolve(process.env.BENCH_ROOT), path.resolve(process.env.BENCH_ROOT)) : await run("this tree", HERE);
  const ratios = (w: Window[]) => ({ reqPerSec: w.at(-1)!.reqPerSec / w[0]!.reqPerSec, cpuMsPerReq: w.at(-1)!.cpuMsPerReq / w[0]!.cpuMsPerReq });
  const result: Record<string, unknown> = { bench: "write-throughput", writers: WRITERS, seconds: SECONDS, warmupSeconds: WARMUP, windowSeconds: WINDOW, loadBefore, mine: { windows: mine, lastOverFirst: ratios(mine) } };
  const peerDir = process.env.BENCH_PEER;
  if (peerDir) {
    const peer = await run("peer", path.resolve(peerDir));
    const sum = (a: Window[], k: "requests" | "cpuMs") => a.reduce((x, y) => x + y[k], 0);
    const cpuPerReq = (a: Window[]) => sum(a, "cpuMs") / sum(a, "requests");
    console.log(`this tree / peer: requests whole run ${(sum(mine, "requests") / sum(peer, "requests")).toFixed(2)}, last window ${(mine.at(-1)!.requests / peer.at(-1)!.requests).toFixed(2)}; CPU per request whole run ${(cpuPerReq(mine) / cpuPerReq(peer)).toFixed(2)}, last window ${(mine.at(-1)!.cpuMsPerReq / peer.at(-1)!.cpuMsPerReq).toFixed(2)}`);
    result.peer = { windows: peer, lastOverFirst: ratios(peer) };
  }
  const loadAfter = os.loadavg();
  result.loadAfter = loadAfter;
  console.log(`load average after: ${loadAfter.map((l) => l.toFixed(2)).join(" ")}`);
  console.log(JSON.stringify(result));
}
