/**
 * Cluster benchmark: the same load through HAProxy in front of 1 instance and in front of 3
 * (started by server/cli/cluster.ts, the `npm run start:cluster` code path), on a fresh PostgreSQL
 * database when one answers on 127.0.0.1:5432 (else one SQLite file) and a private redis-server.
 *
 *   npm run bench:cluster            (BENCH_SECONDS per run, default 10; BENCH_CONNECTIONS, default 20)
 *
 * Figures: `/login` page throughput (req/s, p50, p97.5) and Socket.io fan-out (sockets spread over
 * the instances, one broadcast reaching all of them: time until the last socket has it). The ratio
 * 3 instances / 1 instance is the number to read. On a machine whose cores are shared with other
 * work, three processes also win a larger share of the contended CPU than one, so read it with the
 * load average printed beside each figure. Ends with one JSON line.
 */
import { randomBytes } from "node:crypto";
import { spawnSync } from "node:child_process";
import os from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import { io, type Socket } from "socket.io-client";
import { startCluster, type Cluster } from "../server/cli/cluster.js";
import { startPrivateRedis } from "../server/cli/processes.js";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 20);
const SOCKETS = Number(process.env.BENCH_SOCKETS ?? 150);
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

const results: Record<string, { pages: Awaited<ReturnType<typeof pages>>; fanout: Awaited<ReturnType<typeof fanout>> }> = {};
try {
  for (const size of [1, 3]) {
    const cluster = await startCluster({ size, env, host: "127.0.0.1", prepareDatabase: size === 1, log: (l) => console.log(l) });
    try {
      const p = await pages(cluster);
      console.log(`${size} instance(s): /login ${p.reqPerSec} req/s, p50 ${p.p50} ms, p97.5 ${p.p97_5} ms, errors ${p.errors} (load ${p.load})`);
      const f = await fanout(cluster);
      console.log(`${size} instance(s): presence broadcast to ${f.sockets} sockets: median ${f.medianMsToLastSocket} ms to the last one (load ${f.load})`);
      results[size] = { pages: p, fanout: f };
    } finally {
      await cluster.stop();
    }
  }
} finally {
  await redis.close();
  if (pg) spawnSync("psql", ["-h", "127.0.0.1", "-U", "postgres", "-c", `DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`]);
}
const ratio = results[3]!.pages.reqPerSec / results[1]!.pages.reqPerSec;
console.log(`page throughput, 3 instances / 1: ${ratio.toFixed(2)} (cores: ${os.cpus().length}, load ${load()})`);
console.log(JSON.stringify({ bench: "cluster", database: pg ? "postgresql" : "sqlite", seconds: SECONDS, connections: CONNECTIONS, results, pageRatio3to1: Number(ratio.toFixed(2)), load: load() }));
process.exit(0);
