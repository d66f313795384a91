/**
 * Delivery latency: an insight POSTed to the ingest API is routed to a team of 200
 * members, all connected over Socket.io; measured is the time until every one of them has the
 * `insight.routed` event — from the API call's response returning (the definition; can be
 * negative: the event may overtake the HTTP response) and from the request being sent.
 *
 *   npx tsx bench/insights-delivery.ts
 *
 * The 200 clients run in a worker thread (one core for the server, one for the clients); both
 * threads read the same clock (performance.timeOrigin + performance.now()). Env: BENCH_MEMBERS
 * (default 200), BENCH_REPS (default 30). Aim from the issue: p99 ≤ 100 ms on loopback.
 */
import { request } from "node:http";
import os from "node:os";
import { performance } from "node:perf_hooks";
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";

const MEMBERS = Number(process.env.BENCH_MEMBERS ?? 200);
const REPS = Number(process.env.BENCH_REPS ?? 30);
const WARMUP = 3;
const clock = () => performance.timeOrigin + performance.now();

type FromWorker = { kind: "ready" } | { kind: "all"; insightId: string; times: number[] } | { kind: "error"; message: string };

async function clients(job: { url: string; cookies: string[] }) {
  const { io } = await import("socket.io-client");
  const got = new Map<string, number[]>();
  const sockets = [];
  for (let i = 0; i < job.cookies.length; i += 50) {
    const batch = job.cookies.slice(i, i + 50).map(
      (cookie) =>
        new Promise<void>((resolve, reject) => {
          const s = io(job.url, { transports: ["websocket"], extraHeaders: { cookie }, reconnection: false });
          s.on("insight.routed", (p: { insight: { id: string } }) => {
            const at = clock();
            const list = got.get(p.insight.id) ?? [];
            list.push(at);
            got.set(p.insight.id, list);
            if (list.length === job.cookies.length) {
              parentPort!.postMessage({ kind: "all", insightId: p.insight.id, times: list } satisfies FromWorker);
              got.delete(p.insight.id);
            }
          });
          s.once("connect", () => resolve());
          s.once("connect_error", reject);
          sockets.push(s);
        }),
    );
    await Promise.all(batch);
  }
  parentPort!.postMessage({ kind: "ready" } satisfies FromWorker);
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};

async function main() {
  const { startTestApp } = await import("../tests/helpers/app.js");
  const { startSession } = await import("../server/domain/accounts.js");
  console.log(`insights delivery benchmark · ${MEMBERS} connected team members · ${os.cpus().length} cores · node ${process.version}`);
  const app = await startTestApp({ withPages: true, env: { API_RATE_LIMIT: "1000000" } }); // one token sends everything
  const a = app.atrium;
  const admin = await a.db.user.create({ data: { email: "admin@bench.test", name: "Admin", role: "admin" } });
  const adminActor = { id: admin.id, role: "admin" as const, departmentId: null, active: true };
  const team = await a.domain.org.createTeam(adminActor, { name: "Finance Operations" });
  await a.db.user.createMany({ data: Array.from({ length: MEMBERS }, (_, i) => ({ email: `m${i}@bench.test`, name: `Member ${i}` })) });
  const members = await a.db.user.findMany({ where: { email: { startsWith: "m" } }, select: { id: true } });
  await a.db.teamMembership.createMany({ data: members.map((m) => ({ userId: m.id, teamId: team.id })) });
  await a.domain.routingRules.createRule(adminActor, { name: "Billing", enabled: true, teamIds: [team.id], ackWithin: "30m", resolveWithin: "1d", conditions: { topics: ["billing"] } });
  const cookies = [];
  for (const m of members) cookies.push(`atrium_session=${(await startSession(a.ctx, m.id, { ip: "127.0.0.1", userAgent: "bench" })).token}`);
  const { secret: token } = await a.domain.apiTokens.createApiToken(adminActor, { name: "bench", kind: "integration", scope: "insights" });

  const tsxApi = import.meta.resolve("tsx/esm/api");
  const worker = new Worker(`import(${JSON.stringify(tsxApi)}).then((m) => { m.register(); return import(${JSON.stringify(import.meta.url)}); });`, {
    eval: true,
    workerData: { url: app.url, cookies },
  });
  const waiting = new Map<string, (times: number[]) => void>();
  const early = new Map<string, number[]>();
  await new Promise<void>((resolve, reject) => {
    worker.on("message", (m: FromWorker) => {
      if (m.kind === "ready") resolve();
      else if (m.kind === "all") {
        const w = waiting.get(m.insightId);
        if (w) w(m.times);
        else early.set(m.insightId, m.times);
      } else reject(new Error(m.message));
    });
    worker.on("error", reject);
  });

  const post = (i: number) =>
    new Promise<{ id: string; sent: number; returned: number }>((resolve, reject) => {
      const body = JSON.stringify({ externalId: `d-${i}`, text: `Invoice #${i} is wrong, charged twice. Terrible.`, channel: "twitter", topics: ["billing"] });
      const sent = clock();
      const req = request(`${app.url}/api/v1/insights`, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${token}` } }, (res) => {
        let data = "";
        res.on("data", (c) => (data += c));
        res.on("end", () => resolve({ id: JSON.parse(data).id, sent, returned: clock() }));
      });
      req.on("error", reject);
      req.end(body);
    });

  const fromResponse: number[] = [];
  const fromSend: number[] = [];
  const lastPerRep: number[] = [];
  let misses = 0;
  for (let rep = 0; rep < WARMUP + REPS; rep++) {
    const r = await post(rep);
    const times = early.get(r.id) ?? (await new Promise<number[] | null>((resolve) => {
      const t = setTimeout(() => resolve(null), 10_000);
      waiting.set(r.id, (x) => {
        clearTimeout(t);
        resolve(x);
      });
    }));
    early.delete(r.id);
    waiting.delete(r.id);
    if (rep < WARMUP) continue;
    if (!times) {
      misses++;
      continue;
    }
    for (const t of times) {
      fromResponse.push(t - r.returned);
      fromSend.push(t - r.sent);
    }
    lastPerRep.push(Math.max(...times) - r.returned);
    await new Promise((res) => setTimeout(res, 50));
  }
  const f = (x: number) => `${x.toFixed(1)} ms`;
  console.log(`${REPS} insights × ${MEMBERS} members = ${fromResponse.length} deliveries, ${misses} insights not delivered to everyone within 10 s`);
  console.log(`from the API response returning: p50 ${f(pct(fromResponse, 50))}, p99 ${f(pct(fromResponse, 99))}, max ${f(Math.max(...fromResponse))} (negative = the event arrived before the HTTP response)`);
  console.log(`from the API request being sent:  p50 ${f(pct(fromSend, 50))}, p99 ${f(pct(fromSend, 99))}, max ${f(Math.max(...fromSend))}`);
  console.log(`until the 200th member has it (per insight, from the response): p50 ${f(pct(lastPerRep, 50))}, p99 ${f(pct(lastPerRep, 99))}`);
  console.log(`load average now ${os.loadavg()[0]!.toFixed(1)} on ${os.cpus().length} cores`);
  await worker.terminate();
  await app.close();
}

if (!isMainThread) {
  clients(workerData).catch((e) => parentPort!.postMessage({ kind: "error", message: String(e) } satisfies FromWorker));
} else {
  await main();
}
