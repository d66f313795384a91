/**
 * Cluster benchmark: the same load through HAProxy in front of 1 instance and in front of 3
 * (started by server/cli/cluster.ts, the `npm run start:cluster` code path), on a fresh PostgreSQL
 * database when one answers on 127.0.0.1:5432 (else one SQLite file) and a private redis-server.
 *
 *   npm run bench:cluster            (BENCH_SECONDS per run, default 10; BENCH_CONNECTIONS, default 20)
 *   BENCH_PARTS=coedit npm run bench:cluster      (only some parts: pages, fanout, coedit)
 *
 * Figures: `/login` page throughput (req/s, p50, p97.5) and Socket.io fan-out (sockets spread over
 * the instances, one broadcast reaching all of them: time until the last socket has it). The ratio
 * 3 instances / 1 instance is the number to read. On a machine whose cores are shared with other
 * work, three processes also win a larger share of the contended CPU than one, so read it with the
 * load average printed beside each figure.
 *
 * Co-edit latency (on the 3 instances): BENCH_PAIRS pairs (default 10) of headless Yjs editors,
 * each pair in a company-wide document of its own that the demo admin creates (the docs form); in each pair one editor is
 * signed in as the demo admin, the other as the demo member, each a Socket.io client speaking the
 * app's document protocol (app/realtime/doc-provider.ts, as the browser does). Both type in
 * bursts (5 keystrokes ≈200 ms apart, then a pause: ≈2.5 keystrokes/s each) for
 * BENCH_COEDIT_SECONDS (default 10). Latency per keystroke, from the moment one editor applies it
 * until the other has applied it: p50, p95, p99, (a) with both editors of a pair on the SAME
 * instance, (b) on DIFFERENT instances (pair i: instance i mod 3, and i+1 mod 3 for the other
 * editor in (b); sockets connect to the instances' own ports, as the balancer's cookie would pin
 * them). Every pair is spread the same way in both, so the instances carry the same load. The
 * ratio different / same is the figure; the instances' CPU time (user + system, from /proc) over
 * the measurement is printed beside it. After an uncounted warm-up round, BENCH_RUNS runs
 * (default 3), alternating which case goes first; medians of the runs. Ends with one JSON line.
 */
import { randomBytes } from "node:crypto";
import { spawnSync } from "node:child_process";
import os from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import { io, type Socket } from "socket.io-client";
import * as Y from "yjs";
import { startCluster, type Cluster } from "../server/cli/cluster.js";
import { startPrivateRedis } from "../server/cli/processes.js";
import { atriumClient, pct, Tracker, type Client } from "./coedit-common.js";
import { cpuMsOf } from "./proc.js";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 20);
const SOCKETS = Number(process.env.BENCH_SOCKETS ?? 150);
const PARTS_ALL = ["pages", "fanout", "coedit"] as const;
type Part = (typeof PARTS_ALL)[number];
const PARTS = new Set((process.env.BENCH_PARTS ?? PARTS_ALL.join(",")).split(",").map((p) => p.trim()).filter(Boolean));
for (const p of PARTS) if (!PARTS_ALL.includes(p as Part)) throw new Error(`BENCH_PARTS: unknown part "${p}" (choose from ${PARTS_ALL.join(", ")})`);
const PAIRS = Number(process.env.BENCH_PAIRS ?? 10);
const COEDIT_SECONDS = Number(process.env.BENCH_COEDIT_SECONDS ?? 10);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const load = () => os.loadavg().map((l) => l.toFixed(2)).join(" ");

const pg = spawnSync("pg_isready", ["-h", "127.0.0.1", "-p", "5432", "-t", "3"]).status === 0;
const dbName = `atrium_bench_${process.pid}_${randomBytes(3).toString("hex")}`;
const DATABASE_URL = pg ? `postgresql://postgres@127.0.0.1:5432/${dbName}` : `file:${path.join(os.tmpdir(), `${dbName}.db`)}`;
const redis = await startPrivateRedis();
const env = { NODE_ENV: "production", COOKIE_SECURE: "false", DATABASE_URL, REDIS_URL: redis.url, NODE_OPTIONS: "" };

async function signInCookie(url: string): Promise<string> {
  const page = await fetch(`${url}/login`);
  const form = new URLSearchParams({ email: "member@atrium.test", password: "atrium-demo-member" });
  const res = await fetch(`${url}/login`, {
    method: "POST",
    body: form,
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", origin: url, cookie: page.headers.get("set-cookie") ?? "" },
  });
  const cookie = (res.headers.getSetCookie?.() ?? []).map((c) => c.split(";")[0]).find((c) => c!.startsWith("atrium_session="));
  if (!cookie) throw new Error(`sign-in failed: ${res.status}`);
  return cookie;
}

async function pages(cluster: Cluster) {
  const r = await autocannon({ url: `${cluster.url}/login`, connections: CONNECTIONS, duration: SECONDS });
  return { reqPerSec: Math.round(r.requests.average), p50: r.latency.p50, p97_5: r.latency.p97_5, errors: r.errors + r.non2xx, load: load() };
}

async function fanout(cluster: Cluster) {
  const cookie = await signInCookie(cluster.url);
  // Sockets straight to each instance in turn, so all instances hold some.
  const sockets: Socket[] = [];
  for (let i = 0; i < SOCKETS; i++) {
    const inst = cluster.instances[i % cluster.instances.length]!;
    sockets.push(io(inst.url, { transports: ["websocket"], extraHeaders: { cookie }, forceNew: true, reconnection: false }));
  }
  await Promise.all(sockets.map((s) => new Promise<void>((r, j) => (s.connected ? r() : (s.once("connect", () => r()), s.once("connect_error", j))))));
  // A presence change of another person is broadcast to every socket: sign someone in on instance 1.
  const times: number[] = [];
  for (let round = 0; round < 5; round++) {
    const got = sockets.map((s) => new Promise<number>((r) => s.once("presence.changed", () => r(performance.now()))));
    const other = io(cluster.instances[0]!.url, { transports: ["websocket"], extraHeaders: { cookie: await signInAs(cluster.url, "coo@atrium.test", "atrium-demo-coo") }, forceNew: true, reconnection: false });
    const t0 = performance.now();
    const last = Math.max(...(await Promise.all(got)));
    times.push(last - t0);
    other.close();
    await Promise.all(sockets.map((s) => new Promise((r) => s.once("presence.changed", r))));
  }
  for (const s of sockets) s.close();
  times.sort((a, b) => a - b);
  return { sockets: SOCKETS, medianMsToLastSocket: Math.round(times[2]!), load: load() };
}

async function signInAs(url: string, email: string, password: string) {
  const form = new URLSearchParams({ email, password });
  const res = await fetch(`${url}/login`, { method: "POST", body: form, redirect: "manual", headers: { "content-type": "application/x-www-form-urlencoded", origin: url } });
  return (res.headers.getSetCookie?.() ?? []).map((c) => c.split(";")[0]).find((c) => c!.startsWith("atrium_session=")) ?? "";
}

// ───────────────────────────────────────────── co-edit latency, same instance vs different ones

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until(cond: () => boolean, ms: number) {
  const end = performance.now() + ms;
  while (!cond() && performance.now() < end) await sleep(10);
  return cond();
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** A space the signed-in person may create documents in: the first choice of the docs page's "New document" form. */
async function creatableSpaceId(url: string, cookie: string): Promise<string> {
  const res = await fetch(`${url}/docs`, { headers: { cookie } });
  const html = await res.text();
  const select = /<select[^>]*name="spaceId"[^>]*>([\s\S]*?)<\/select>/.exec(html)?.[1] ?? "";
  const id = /<option[^>]*value="([^"]+)"/.exec(select)?.[1];
  if (!id) throw new Error(`no space to create a document in on /docs (${res.status})`);
  return id;
}

/** A new document visible to the whole company (everyone may edit it), created through the docs page's form. */
async function createDocument(url: string, cookie: string, spaceId: string, title: string): Promise<string> {
  const res = await fetch(`${url}/docs?index`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", origin: url, cookie },
    body: new URLSearchParams({ title, spaceId, visibility: "company" }),
  });
  const id = /\/docs\/([^/?#]+)$/.exec(res.headers.get("location") ?? "")?.[1];
  if (!id) throw new Error(`creating a document answered ${res.status}: ${(await res.text()).slice(0, 200)}`);
  return id;
}

type Placement = "same" | "different";
interface CoeditRun {
  placement: Placement;
  p50: number;
  p95: number;
  p99: number;
  samples: number;
  /** CPU time of all instances over the measurement, as % of one core. */
  instancesCpu: number;
  lost: number;
  load: string;
}

const BURST = 5;
const KEY_MS = 200;
const PAUSE_MS = 1000;

async function coedit(cluster: Cluster, placement: Placement, who: { admin: string; member: string; spaceId: string }, run: number | string, seconds = COEDIT_SECONDS): Promise<CoeditRun> {
  const n = cluster.instances.length;
  const pairs: { a: Client; b: Client; tracker: Tracker }[] = [];
  for (let i = 0; i < PAIRS; i++) {
    const docId = await createDocument(cluster.url, who.admin, who.spaceId, `Co-edit ${placement} ${run}.${i}`);
    const onA = cluster.instances[i % n]!;
    const onB = placement === "same" ? onA : cluster.instances[(i + 1) % n]!;
    const [a, b] = await Promise.all([atriumClient(onA.url, who.admin, docId), atriumClient(onB.url, who.member, docId)]);
    const tracker = new Tracker(1);
    // Updates from the other side (origin set by the provider); local typing has origin null.
    a.doc.on("update", (u: Uint8Array, origin: unknown) => origin !== null && tracker.received(0, u));
    b.doc.on("update", (u: Uint8Array, origin: unknown) => origin !== null && tracker.received(1, u));
    pairs.push({ a, b, tracker });
  }
  const clients = pairs.flatMap((p) => [p.a, p.b]);
  if (!(await until(() => clients.every((c) => c.synced()), 30_000))) throw new Error(`co-edit (${placement}): editors did not sync`);

  let typing = true;
  const loops = pairs.flatMap(({ a, b, tracker }) =>
    [a, b].map(async (c) => {
      // Start at a random point of the cycle so bursts do not line up.
      await sleep(Math.random() * (BURST * KEY_MS + PAUSE_MS));
      while (typing) {
        for (let k = 0; k < BURST && typing; k++) {
          c.text.insert(Math.floor(Math.random() * (c.text.length + 1)), String.fromCharCode(97 + Math.floor(Math.random() * 26)));
          tracker.typed(c.doc.clientID, Y.getState(c.doc.store, c.doc.clientID));
          await sleep(KEY_MS * (0.75 + Math.random() * 0.5));
        }
        await sleep(PAUSE_MS * (0.5 + Math.random()));
      }
    }),
  );
  await sleep(1000); // warm-up: rooms loaded, first updates through
  const pids = cluster.instances.map((inst) => inst.child.process.pid!);
  const cpu0 = pids.reduce((t, pid) => t + cpuMsOf(pid), 0);
  const t0 = performance.now();
  for (const p of pairs) p.tracker.measuring = true;
  await sleep(seconds * 1000);
  for (const p of pairs) p.tracker.measuring = false;
  const cpu = pids.reduce((t, pid) => t + cpuMsOf(pid), 0) - cpu0;
  const elapsed = performance.now() - t0;
  typing = false;
  await Promise.all(loops);
  await until(() => pairs.every((p) => p.tracker.pending() === 0 && p.a.text.toString() === p.b.text.toString()), 20_000);
  const lost = pairs.reduce((t, p) => t + p.tracker.pending(), 0);
  for (const c of clients) c.close();
  const l = pairs.flatMap((p) => p.tracker.latencies);
  return { placement, p50: pct(l, 50), p95: pct(l, 95), p99: pct(l, 99), samples: l.length, instancesCpu: (cpu / elapsed) * 100, lost, load: load() };
}

const fmt = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : "–");

async function coeditParts(cluster: Cluster) {
  const [admin, member] = await Promise.all([signInAs(cluster.url, "admin@atrium.test", "atrium-demo-admin"), signInAs(cluster.url, "member@atrium.test", "atrium-demo-member")]);
  if (!admin || !member) throw new Error("co-edit: the demo admin or member could not sign in");
  const who = { admin, member, spaceId: await creatableSpaceId(cluster.url, admin) };
  // Not counted: the instances' first documents (code paths compiled, connections warm) would
  // otherwise land on whichever placement runs first.
  await coedit(cluster, "different", who, "warm-up", Math.min(3, COEDIT_SECONDS));
  const runs: CoeditRun[] = [];
  for (let run = 0; run < RUNS; run++) {
    // Alternating which goes first, so a noisy moment on a shared machine hits both.
    for (const placement of (run % 2 === 0 ? ["same", "different"] : ["different", "same"]) as Placement[]) {
      const r = await coedit(cluster, placement, who, run);
      runs.push(r);
      console.log(
        `co-edit run ${run + 1}, ${PAIRS} pairs, ${placement === "same" ? "both editors on the same instance" : "editors on different instances"}: ` +
          `p50 ${fmt(r.p50)} ms, p95 ${fmt(r.p95)} ms, p99 ${fmt(r.p99)} ms (${r.samples} keystrokes${r.lost ? `, ${r.lost} NEVER ARRIVED` : ""}); instances' CPU ${r.instancesCpu.toFixed(0)} % of a core (load ${r.load})`,
      );
    }
  }
  const of = (p: Placement) => {
    const rs = runs.filter((r) => r.placement === p);
    return { p50: median(rs.map((r) => r.p50)), p95: median(rs.map((r) => r.p95)), p99: median(rs.map((r) => r.p99)), instancesCpu: Math.round(median(rs.map((r) => r.instancesCpu))), samples: rs.reduce((t, r) => t + r.samples, 0), lost: rs.reduce((t, r) => t + r.lost, 0) };
  };
  const same = of("same");
  const different = of("different");
  const ratio = { p50: different.p50 / same.p50, p95: different.p95 / same.p95, p99: different.p99 / same.p99 };
  console.log(`co-edit, median of ${RUNS}: same instance p50 ${fmt(same.p50)} / p95 ${fmt(same.p95)} / p99 ${fmt(same.p99)} ms, instances' CPU ${same.instancesCpu} %; different instances p50 ${fmt(different.p50)} / p95 ${fmt(different.p95)} / p99 ${fmt(different.p99)} ms, instances' CPU ${different.instancesCpu} % (load ${load()})`);
  console.log(`co-edit latency, different instances / same instance: p50 ×${ratio.p50.toFixed(2)}, p95 ×${ratio.p95.toFixed(2)}, p99 ×${ratio.p99.toFixed(2)} (load ${load()})`);
  const round = (o: Record<string, number>) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, Number(v.toFixed(2))]));
  return { pairs: PAIRS, seconds: COEDIT_SECONDS, runs: RUNS, same: round(same), different: round(different), ratioDifferentToSame: round(ratio), each: runs.map((r) => ({ ...r, p50: Number(r.p50.toFixed(1)), p95: Number(r.p95.toFixed(1)), p99: Number(r.p99.toFixed(1)), instancesCpu: Math.round(r.instancesCpu) })) };
}

// ───────────────────────────────────────────── main

const results: Record<string, { pages?: Awaited<ReturnType<typeof pages>>; fanout?: Awaited<ReturnType<typeof fanout>> }> = {};
let coeditResult: Awaited<ReturnType<typeof coeditParts>> | null = null;
// Pages and fan-out compare 1 instance with 3; co-edit needs several instances only.
const sizes = PARTS.has("pages") || PARTS.has("fanout") ? [1, 3] : [3];
try {
  for (const size of sizes) {
    const cluster = await startCluster({ size, env, host: "127.0.0.1", prepareDatabase: size === sizes[0], log: (l) => console.log(l) });
    try {
      results[size] = {};
      if (PARTS.has("pages")) {
        const p = await pages(cluster);
        console.log(`${size} instance(s): /login ${p.reqPerSec} req/s, p50 ${p.p50} ms, p97.5 ${p.p97_5} ms, errors ${p.errors} (load ${p.load})`);
        results[size]!.pages = p;
      }
      if (PARTS.has("fanout")) {
        const f = await fanout(cluster);
        console.log(`${size} instance(s): presence broadcast to ${f.sockets} sockets: median ${f.medianMsToLastSocket} ms to the last one (load ${f.load})`);
        results[size]!.fanout = f;
      }
      if (PARTS.has("coedit") && size > 1) coeditResult = await coeditParts(cluster);
    } finally {
      await cluster.stop();
    }
  }
} finally {
  await redis.close();
  if (pg) spawnSync("psql", ["-h", "127.0.0.1", "-U", "postgres", "-c", `DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`]);
}
let ratio: number | null = null;
if (results[1]?.pages && results[3]?.pages) {
  ratio = results[3].pages.reqPerSec / results[1].pages.reqPerSec;
  console.log(`page throughput, 3 instances / 1: ${ratio.toFixed(2)} (cores: ${os.cpus().length}, load ${load()})`);
}
console.log(
  JSON.stringify({
    bench: "cluster",
    database: pg ? "postgresql" : "sqlite",
    parts: [...PARTS],
    seconds: SECONDS,
    connections: CONNECTIONS,
    results,
    pageRatio3to1: ratio === null ? null : Number(ratio.toFixed(2)),
    coedit: coeditResult,
    cores: os.cpus().length,
    load: load(),
  }),
);
process.exit(0);
