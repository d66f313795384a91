/**
 * Ingest throughput: POST /api/v1/insights through the real app (Remix resource route,
 * token check, Zod, sentiment, routing over the rules, storage, clustering, notifications to the
 * routed teams, spike check, Socket.io fan-out), against a bare Node http server that parses the
 * same JSON and answers the same shape (the peer: what HTTP + JSON alone cost here).
 *
 *   npx tsx bench/insights-ingest.ts
 *
 * The load generator runs in a worker thread, so the server (main thread) and the clients each get
 * one of the two cores. 5% of requests repeat an earlier externalId; afterwards the database is
 * checked for lost or duplicated insights. Env: BENCH_REQUESTS (default 2000), BENCH_CONCURRENCY
 * (default 16). Aim: ≥ 300 insights/s, i.e. ≤ 3.3 ms of server CPU per insight. Prints figures; never fails.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import { performance } from "node:perf_hooks";
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";
import { Agent, request } from "node:http";
import { cpuMsOf } from "./proc.js";

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 2000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const DUP_SHARE = 0.05;

interface Job {
  url: string;
  token: string;
  requests: number;
  concurrency: number;
  accounts: string[];
  label: string;
}
interface Result {
  label: string;
  ms: number;
  latencies: number[];
  statuses: Record<number, number>;
  created: string[]; // externalIds answered 201
  duplicatesAnswered: number;
}

const TEXTS = [
  "Your invoices are wrong again, I was charged twice this month. Terrible.",
  "Parcel arrived two days late and the box was damaged",
  "Love the new mobile app, checkout is so much faster now!",
  "Cannot log in since the update, password reset email never arrives",
  "Prices went up again without any notice, very disappointed",
  "The staff in the Leeds store were wonderful and helpful",
  "App crashes every time I open my order history",
  "Refund still not processed after three weeks, awful service",
];
const TOPICS = [["billing"], ["shipping"], ["app"], ["login"], ["pricing"], ["stores"], ["app"], ["billing", "refunds"]];
const CHANNELS = ["twitter", "facebook", "email", "chat", "review_site", "store"];

// ---------------------------------------------------------------------------------------------
// Worker: the load generator
// ---------------------------------------------------------------------------------------------
async function runLoad(job: Job): Promise<Result> {
  const agent = new Agent({ keepAlive: true, maxSockets: job.concurrency });
  const url = new URL(job.url);
  const latencies: number[] = [];
  const statuses: Record<number, number> = {};
  const created: string[] = [];
  let duplicatesAnswered = 0;
  let next = 0;
  const sent: string[] = [];
  const post = (body: string) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(
        { agent, hostname: url.hostname, port: url.port, path: url.pathname, method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${job.token}`, "content-length": Buffer.byteLength(body) } },
        (res) => {
          let data = "";
          res.setEncoding("utf8");
          res.on("data", (c) => (data += c));
          res.on("end", () => resolve({ status: res.statusCode ?? 0, body: data }));
        },
      );
      req.on("error", reject);
      req.end(body);
    });
  const one = async () => {
    while (next < job.requests) {
      const i = next++;
      const dup = sent.length > 20 && (i * 7919) % 100 < DUP_SHARE * 100;
      const externalId = dup ? sent[(i * 31) % sent.length]! : `${job.label}-${i}`;
      if (!dup) sent.push(externalId);
      const k = i % TEXTS.length;
      const body = JSON.stringify({
        externalId,
        text: `${TEXTS[k]} (#${i})`,
        channel: CHANNELS[i % CHANNELS.length],
        account: job.accounts[i % job.accounts.length],
        topics: TOPICS[k],
        sourceUrl: `https://example.com/post/${i}`,
      });
      const t0 = performance.now();
      const r = await post(body);
      latencies.push(performance.now() - t0);
      statuses[r.status] = (statuses[r.status] ?? 0) + 1;
      if (r.status === 201) created.push(externalId);
      if (r.status === 200 && JSON.parse(r.body).duplicate) duplicatesAnswered++;
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: job.concurrency }, one));
  const ms = performance.now() - t0;
  agent.destroy();
  return { label: job.label, ms, latencies, statuses, created, duplicatesAnswered };
}


function inWorker(job: Job): Promise<Result> {
  return new Promise((resolve, reject) => {
    // tsx is registered inside the worker so it can load this TypeScript file.
    const tsxApi = import.meta.resolve("tsx/esm/api");
    const w = new Worker(`import(${JSON.stringify(tsxApi)}).then((m) => { m.register(); return import(${JSON.stringify(import.meta.url)}); });`, {
      eval: true,
      workerData: job,
    });
    w.once("message", (r) => {
      resolve(r as Result);
      void w.terminate();
    });
    w.once("error", reject);
  });
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};
const line = (r: Result) =>
  `${r.label.padEnd(6)} ${REQUESTS} requests, concurrency ${CONCURRENCY}: ${((REQUESTS / r.ms) * 1000).toFixed(0)} req/s · latency p50 ${pct(r.latencies, 50).toFixed(1)} ms, p95 ${pct(r.latencies, 95).toFixed(1)} ms, p99 ${pct(r.latencies, 99).toFixed(1)} ms · statuses ${JSON.stringify(r.statuses)}`;

async function main() {
  const { makeUser, startTestApp } = await import("../tests/helpers/app.js");
  console.log(`insights ingest benchmark · ${os.cpus().length} cores · node ${process.version}`);

  // The real app, with routing rules, teams with members, accounts and a token.
  const app = await startTestApp({ withPages: true, env: { API_RATE_LIMIT: "1000000" } }); // one token sends everything
  const a = app.atrium;
  const admin = await makeUser(a, { role: "admin" });
  const teamNames = ["Finance Operations", "Logistics", "Mobile", "Identity", "Stores"];
  const teams = [];
  for (const name of teamNames) {
    const lead = await makeUser(a, { name: `${name} lead` });
    const t = await a.domain.org.createTeam(admin.actor, { name, leadId: lead.user.id });
    for (let m = 0; m < 4; m++) {
      const u = await makeUser(a, { name: `${name} member ${m}` });
      await a.domain.org.setTeamMembership(admin.actor, t.id, u.user.id, true);
    }
    teams.push(t);
  }
  const topicsByTeam = [["billing", "refunds", "pricing"], ["shipping"], ["app"], ["login"], ["stores"]];
  for (let r = 0; r < 20; r++) {
    const k = r % teams.length;
    await a.domain.routingRules.createRule(admin.actor, {
      name: `Rule ${r}`,
      enabled: true,
      teamIds: [teams[k]!.id],
      priority: r % 3 ? "normal" : "high",
      ackWithin: "30m",
      resolveWithin: "1d",
      conditions: { topics: topicsByTeam[k], ...(r >= 10 ? { sentimentAtMost: "-0.3", channels: ["twitter", "email"] } : {}) },
    });
  }
  const accounts: string[] = [];
  for (let i = 0; i < 20; i++) accounts.push((await a.domain.insights.createAccount(admin.actor, { name: `Customer ${i}`, tier: i % 4 ? "standard" : "gold" })).name);
  const { secret: token } = await a.domain.apiTokens.createApiToken(admin.actor, { name: "bench", kind: "integration", scope: "insights" });

  // The peer: bare Node http, same JSON in and out.
  let seq = 0;
  const bare = createServer((req, res) => {
    let raw = "";
    req.setEncoding("utf8");
    req.on("data", (c) => (raw += c));
    req.on("end", () => {
      const body = JSON.parse(raw);
      const id = `bare${++seq}`;
      res.writeHead(201, { "content-type": "application/json" });
      res.end(JSON.stringify({ id, duplicate: false, url: `/insights/${id}`, status: "new", sentiment: { score: 0, label: "neutral" }, teams: [], externalId: body.externalId }));
    });
  });
  await new Promise<void>((r) => bare.listen(0, "127.0.0.1", r));
  const bareUrl = `http://127.0.0.1:${(bare.address() as AddressInfo).port}/api/v1/insights`;

  // Warm up both (JIT, Prisma, Remix), then measure.
  await inWorker({ url: `${app.url}/api/v1/insights`, token, requests: 100, concurrency: 4, accounts, label: "warm" });
  await inWorker({ url: bareUrl, token, requests: 100, concurrency: 4, accounts, label: "warmb" });
  const elu0 = performance.eventLoopUtilization();
  const cpu0 = cpuMsOf(process.pid, process.pid); // the main thread: the server, not the load generator's worker
  const atrium = await inWorker({ url: `${app.url}/api/v1/insights`, token, requests: REQUESTS, concurrency: CONCURRENCY, accounts, label: "atrium" });
  const cpuPerRequest = (cpuMsOf(process.pid, process.pid) - cpu0) / REQUESTS;
  const elu = performance.eventLoopUtilization(elu0);
  const peer = await inWorker({ url: bareUrl, token, requests: REQUESTS, concurrency: CONCURRENCY, accounts, label: "bare" });

  console.log(line(atrium));
  console.log(line(peer));
  const ratio = (REQUESTS / atrium.ms) / (REQUESTS / peer.ms);
  // The server's event loop is one thread: its busy time per request bounds throughput on one core.
  const busyPerRequest = elu.active / REQUESTS;
  console.log(
    `atrium server thread: ${(elu.utilization * 100).toFixed(0)}% busy during the run, ${busyPerRequest.toFixed(2)} ms busy per insight ` +
      `→ ${(1000 / busyPerRequest).toFixed(0)} insights/s if that thread had a core to itself (load average now ${os.loadavg()[0]!.toFixed(1)} on ${os.cpus().length} cores)`,
  );
  // CPU time is what other processes on a shared machine do not move (busy time above includes waiting for a core).
  console.log(`atrium server thread CPU: ${cpuPerRequest.toFixed(2)} ms per insight → ${(1000 / cpuPerRequest).toFixed(0)} insights/s on a core of its own`);
  console.log(`atrium/bare throughput ratio: ${ratio.toFixed(3)} (1 = as fast as bare http + JSON)`);

  // Integrity: every 201 is exactly one row; no externalId stored twice; duplicates wrote nothing.
  const rows = await a.db.insight.findMany({ where: { externalId: { startsWith: "atrium-" } }, select: { externalId: true } });
  const unique = new Set(rows.map((r) => r.externalId));
  const createdSet = new Set(atrium.created);
  const lost = [...createdSet].filter((x) => !unique.has(x)).length;
  console.log(
    `integrity: ${atrium.created.length} created (201), ${atrium.duplicatesAnswered} repeats answered 200, ${rows.length} rows stored, ` +
      `${rows.length - unique.size} duplicated rows, ${lost} lost, ${rows.length - createdSet.size} stored without a 201`,
  );
  const routed = await a.db.insightRoute.count();
  const notes = await a.db.notification.count({ where: { type: { in: ["insight.routed", "insight.routed.group"] } } });
  const clustered = await a.db.insight.count({ where: { clusterId: { not: null } } });
  console.log(`side effects: ${routed} routes, ${notes} team notifications (bursts fold into one per person), ${clustered} insights grouped into recurring issues`);

  await new Promise<void>((r) => bare.close(() => r()));
  await app.close();
}

if (!isMainThread) {
  runLoad(workerData as Job).then((r) => parentPort!.postMessage(r));
} else {
  await main();
}
