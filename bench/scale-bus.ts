/**
 * The event bus with several instances: what a domain event costs on the Redis stream compared
 * with the in-process bus, and how long it takes to reach another instance.
 *
 * Two RedisStreamBus instances (A and B) in this process, on the local Redis (TEST_REDIS_URL or
 * redis://127.0.0.1:6379) under a fresh key prefix. A publishes N events one after another (each
 * `publish` waits for A's own delivery, as a verb does); B counts arrivals. CPU time is this
 * process's (both instances' client work; Redis's own time is not included); A→B latency is wall
 * time, so it varies with the machine's load (printed).
 *
 *   npx tsx bench/scale-bus.ts [N]
 */
import { cpus, loadavg } from "node:os";
import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import { InProcessEventBus, type EventBus } from "../server/events.js";
import { RedisStreamBus } from "../server/infra/redis-bus.js";

const N = Number(process.argv[2] ?? 2000);
const url = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
const f2 = (x: number) => x.toFixed(2);
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;

async function publishAll(bus: EventBus) {
  const c0 = cpuMs();
  const t0 = performance.now();
  for (let i = 0; i < N; i++) await bus.publish("doc.updated", { docId: `d${i}`, title: String(performance.now()) });
  return { cpuPerEventUs: ((cpuMs() - c0) * 1000) / N, wallMs: performance.now() - t0 };
}

async function main() {
  console.log(`Event bus: ${N} events, ${cpus().length} cores, load average ${loadavg().map(f2).join(" ")}`);

  const local = new InProcessEventBus();
  let localSeen = 0;
  local.subscribe("doc.updated", () => void localSeen++);
  await publishAll(local); // warm-up
  localSeen = 0;
  const inProcess = await publishAll(local);

  const prefix = `atrium:bench:${randomBytes(4).toString("hex")}:`;
  const conns = [0, 1, 2, 3].map(() => new Redis(url));
  const mk = (id: string, i: number) => new RedisStreamBus({ redis: conns[i]!, reader: conns[i + 1]!, stream: `${prefix}events`, cursorKey: `${prefix}cursor:${id}`, instanceId: id });
  const a = mk("a", 0);
  const b = mk("b", 2);
  await a.prepare();
  await b.prepare();
  a.startReading();
  b.startReading();
  const latencies: number[] = [];
  let onB = 0;
  let done: () => void = () => {};
  b.subscribe("doc.updated", (p) => {
    latencies.push(performance.now() - Number(p.title));
    if (++onB === 2 * N) done();
  });
  const allOnB = new Promise<void>((r) => (done = r));
  await publishAll(a); // warm-up
  latencies.length = 0;
  const redis = await publishAll(a);
  await allOnB;

  const ratio = redis.cpuPerEventUs / inProcess.cpuPerEventUs;
  console.log(`in-process bus   : ${f2(inProcess.cpuPerEventUs)} µs CPU per event, ${f2((inProcess.wallMs * 1000) / N)} µs wall`);
  console.log(`Redis stream bus : ${f2(redis.cpuPerEventUs)} µs CPU per event (A publishing + A and B reading), ${f2((redis.wallMs * 1000) / N)} µs wall per publish`);
  console.log(`ratio (Redis / in-process CPU per event): ${f2(ratio)}×`);
  console.log(`A→B delivery: p50 ${f2(pct(latencies, 50))} ms, p99 ${f2(pct(latencies, 99))} ms (wall, load average ${loadavg().map(f2).join(" ")})`);

  await a.close();
  await b.close();
  const r = conns[0]!;
  await r.del(`${prefix}events`, `${prefix}cursor:a`, `${prefix}cursor:b`);
  for (const c of conns) c.disconnect();
  console.log(
    JSON.stringify({
      bench: "scale-bus",
      events: N,
      inProcessCpuUsPerEvent: +f2(inProcess.cpuPerEventUs),
      redisCpuUsPerEvent: +f2(redis.cpuPerEventUs),
      cpuRatio: +f2(ratio),
      deliveryP50Ms: +f2(pct(latencies, 50)),
      deliveryP99Ms: +f2(pct(latencies, 99)),
      loadavg: loadavg().map((x) => +f2(x)),
    }),
  );
}

main().catch((err) => {
  console.error("scale-bus bench failed:", err);
  process.exitCode = 1;
});
