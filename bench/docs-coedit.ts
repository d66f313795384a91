/**
 * Co-edit propagation benchmark: N headless Yjs clients in one document, each typing in
 * human-speed bursts; latency from one client's keystroke to *every* other client having it, p50
 * and p99, and the server's CPU. The same clients and typing schedule run against Atrium (Yjs sync
 * over Socket.io, every update durably logged in SQLite before it is relayed) and against the
 * reference y-websocket server (@y/websocket-server, in memory, no persistence), one after the
 * other in the same run; the ratio Atrium / y-websocket is printed.
 *
 *   npx tsx bench/docs-coedit.ts                 BENCH_N=2,20,100,200 BENCH_SECONDS=15 BENCH_REPEAT=3
 *
 * Each server runs in its own child process (its CPU is measured there); all clients run in this
 * process, sharing one clock. Typing: bursts of 5 keystrokes 200 ms apart (≈ 5 chars/s), each
 * inserting one character at a random place, separated by pauses. Every keystroke is applied by
 * N−1 other clients, so the total client work grows as N²; on a 2-core machine the pauses are
 * lengthened at large N to keep the whole document at ≤ ~8,000 applied keystrokes/s (the mean
 * per-client rate is printed). Latency is measured per keystroke until the last of the N−1 has it.
 */
import { fork, type ChildProcess } from "node:child_process";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { WebsocketProvider } from "y-websocket";
import * as Y from "yjs";
import { atriumClient, pct, Tracker, type Client } from "./coedit-common.js";

const require = createRequire(import.meta.url);
const WS = require("ws") as unknown as typeof WebSocket;

const NS = (process.env.BENCH_N ?? "2,20,100,200").split(",").map(Number);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
const BURST = 5;
const KEY_MS = 200;
const BUDGET = 8000; // applied keystrokes per second across all clients

type Kind = "atrium" | "y-websocket";

interface Server {
  child: ChildProcess;
  url: string;
  ask<T>(m: object): Promise<T>;
}

async function startServer(kind: Kind): Promise<Server> {
  const script = path.resolve(import.meta.dirname, `docs-servers/${kind === "atrium" ? "atrium" : "ywebsocket"}.ts`);
  const execArgv = ["--import", "tsx", ...(process.env.BENCH_PROF ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_PROF}`] : [])];
  const child = fork(script, [], { execArgv, stdio: ["ignore", "ignore", "inherit", "ipc"] });
  const url = await new Promise<string>((resolve, reject) => {
    child.once("message", (m: { url: string }) => resolve(m.url));
    child.once("exit", (c) => reject(new Error(`${kind} server exited ${c}`)));
  });
  const ask = <T>(m: object) =>
    new Promise<T>((resolve) => {
      child.once("message", (r) => resolve(r as T));
      child.send(m);
    });
  return { child, url, ask };
}

async function ywsClient(url: string, docId: string): Promise<Client> {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(url, docId, doc, { WebSocketPolyfill: WS, disableBc: true });
  // Same as Atrium's clients: no awareness traffic during the measurement.
  provider.awareness.setLocalState(null);
  return { doc, text: doc.get("root", Y.XmlText), synced: () => provider.synced, close: () => provider.destroy() };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(cond: () => boolean, ms: number) {
  const end = performance.now() + ms;
  while (!cond() && performance.now() < end) await sleep(10);
  return cond();
}

interface Result {
  kind: Kind;
  n: number;
  p50: number;
  p99: number;
  max: number;
  samples: number;
  cpu: number;
  /** This process (all N clients). */
  clientCpu: number;
  converged: boolean;
  rate: number;
  lost: number;
}

async function run(kind: Kind, n: number): Promise<Result> {
  const server = await startServer(kind);
  const { docId, cookies } = await server.ask<{ docId: string; cookies: string[] }>({ seed: { users: Math.min(n, 25) } });
  const clients: Client[] = [];
  for (let i = 0; i < n; i += 20) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(20, n - i) }, (_, j) => (kind === "atrium" ? atriumClient(server.url, cookies[(i + j) % cookies.length]!, docId) : ywsClient(server.url, docId))),
    );
    clients.push(...batch);
  }
  if (!(await until(() => clients.every((c) => c.synced()), 30_000))) throw new Error(`${kind} N=${n}: clients did not sync`);

  const tracker = new Tracker(n - 1);
  clients.forEach((c, i) =>
    c.doc.on("update", (u: Uint8Array, origin: unknown) => {
      if (origin !== null) tracker.received(i, u);
    }),
  );

  const rate = Math.min(BURST / ((BURST * KEY_MS) / 1000), BUDGET / (n * Math.max(1, n - 1)));
  const burstSeconds = (BURST * KEY_MS) / 1000;
  const meanPause = Math.max(0, BURST / rate - burstSeconds);
  let typing = true;
  const loops = clients.map(async (c) => {
    // Start at a random point of the cycle so bursts do not line up.
    await sleep(Math.random() * (meanPause + burstSeconds) * 1000);
    while (typing) {
      for (let k = 0; k < BURST && typing; k++) {
        c.text.insert(Math.floor(Math.random() * (c.text.length + 1)), String.fromCharCode(97 + Math.floor(Math.random() * 26)));
        tracker.typed(c.doc.clientID, Y.getState(c.doc.store, c.doc.clientID));
        await sleep(KEY_MS * (0.75 + Math.random() * 0.5));
      }
      if (meanPause > 0) await sleep(meanPause * 1000 * (0.5 + Math.random()));
    }
  });

  await sleep(1000); // warm-up
  tracker.measuring = true;
  const cpu0 = (await server.ask<{ cpu: number }>({ cpu: true })).cpu;
  const own0 = process.cpuUsage();
  const t0 = performance.now();
  await sleep(SECONDS * 1000);
  const cpu1 = (await server.ask<{ cpu: number }>({ cpu: true })).cpu;
  const own = process.cpuUsage(own0);
  const elapsed = performance.now() - t0;
  tracker.measuring = false;
  typing = false;
  await Promise.all(loops);
  const converged = await until(() => clients.every((c) => c.text.toString() === clients[0]!.text.toString()) && tracker.pending() === 0, 20_000);
  const lost = tracker.pending();
  for (const c of clients) c.close();
  server.child.send({ stop: true });
  await new Promise((r) => server.child.once("exit", r));
  const l = tracker.latencies;
  return { kind, n, p50: pct(l, 50), p99: pct(l, 99), max: Math.max(...l), samples: l.length, cpu: (cpu1 - cpu0) / 1000 / elapsed, clientCpu: (own.user + own.system) / 1000 / elapsed, converged, rate, lost };
}

// y-websocket's provider adds a process "exit" listener per client.
process.setMaxListeners(1000);
const fmt = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : "–");

console.log(`Co-edit propagation — ${os.cpus().length} CPU(s) (${os.cpus()[0]?.model}), Node ${process.version}, ${SECONDS}s per run`);
console.log("N     server        keys/s/client   samples   p50 ms   p99 ms   max ms   server CPU   clients CPU   converged");
const REPEAT = Number(process.env.BENCH_REPEAT ?? 3);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const summary: string[] = [];
for (const n of NS) {
  const rows: Result[] = [];
  // Interleaved (Atrium, y-websocket, Atrium, …) so a noisy moment on a shared machine hits both.
  for (let rep = 0; rep < REPEAT; rep++) {
    for (const kind of ["atrium", "y-websocket"] as Kind[]) {
      const r = await run(kind, n);
      rows.push(r);
      console.log(
        `${String(n).padEnd(5)} ${kind.padEnd(13)} ${r.rate.toFixed(2).padStart(13)}   ${String(r.samples).padStart(7)}   ${fmt(r.p50).padStart(6)}   ${fmt(r.p99).padStart(6)}   ${fmt(r.max).padStart(6)}   ${(r.cpu * 100).toFixed(0).padStart(8)} %   ${(r.clientCpu * 100).toFixed(0).padStart(9)} %   ${r.converged ? "yes" : `NO (${r.lost} keystrokes missing)`}`,
      );
    }
  }
  const of = (k: Kind, f: (r: Result) => number) => median(rows.filter((r) => r.kind === k).map(f));
  const line =
    `N=${String(n).padEnd(4)} median of ${REPEAT}: Atrium p50 ${fmt(of("atrium", (r) => r.p50))} / p99 ${fmt(of("atrium", (r) => r.p99))} ms, CPU ${(of("atrium", (r) => r.cpu) * 100).toFixed(0)} %;` +
    ` y-websocket p50 ${fmt(of("y-websocket", (r) => r.p50))} / p99 ${fmt(of("y-websocket", (r) => r.p99))} ms, CPU ${(of("y-websocket", (r) => r.cpu) * 100).toFixed(0)} %;` +
    ` ratio p50 ×${(of("atrium", (r) => r.p50) / of("y-websocket", (r) => r.p50)).toFixed(2)}, p99 ×${(of("atrium", (r) => r.p99) / of("y-websocket", (r) => r.p99)).toFixed(2)}, CPU ×${(of("atrium", (r) => r.cpu) / of("y-websocket", (r) => r.cpu)).toFixed(2)}`;
  summary.push(line);
  console.log(`      ${line}`);
}
console.log("\nSummary (Atrium / y-websocket):");
for (const l of summary) console.log(`  ${l}`);
process.exit(0);
