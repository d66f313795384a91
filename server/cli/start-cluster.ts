/**
 * `npm run start:cluster`: several Atrium instances behind HAProxy on this machine.
 *
 *   PORT           the balancer's port (default 3000); the instances listen on PORT+1…PORT+N, 127.0.0.1
 *   CLUSTER_SIZE   how many instances (default 3)
 *   DATABASE_URL   shared by every instance (postgresql://… or one SQLite file)
 *   REDIS_URL      shared by every instance (events, presence, live documents across instances)
 *
 * Ctrl-C or SIGTERM: every instance drains (answers what is in flight, tells sockets to
 * reconnect), then HAProxy stops.
 */
import { describeDatabase, startCluster } from "./cluster.js";

function intFrom(name: string, fallback: number, min: number, max: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    console.error(`start:cluster: ${name} must be a whole number from ${min} to ${max} (got ${JSON.stringify(raw)})`);
    process.exit(1);
  }
  return n;
}

const port = intFrom("PORT", 3000, 1, 65535 - 20);
const size = intFrom("CLUSTER_SIZE", 3, 1, 16);
const databaseUrl = process.env.DATABASE_URL || "file:./data/atrium.db";

console.log(`Starting ${size} Atrium instances behind HAProxy — database: ${describeDatabase(databaseUrl)}; Redis: ${process.env.REDIS_URL ? describeDatabase(process.env.REDIS_URL) : "none (REDIS_URL not set: live events stay within one instance)"}`);
if (databaseUrl.startsWith("file:")) {
  console.log("Note: the instances share one SQLite file on this machine. Set DATABASE_URL=postgresql://… for instances on several machines.");
}

let stopping = false;
const cluster = await startCluster({
  size,
  port,
  host: process.env.HOST || "0.0.0.0",
  instancePorts: Array.from({ length: size }, (_, i) => port + 1 + i),
  env: { DATABASE_URL: databaseUrl },
  echo: (line) => console.log(line),
  log: (line) => console.log(line),
}).catch((err: Error) => {
  console.error(`start:cluster failed: ${err.message}`);
  process.exit(1);
});

for (const inst of cluster.instances) {
  void inst.child.exited.then(({ code, signal }) => {
    if (!stopping) console.log(`${inst.name} (port ${inst.port}) exited (${signal ?? code}); HAProxy sends its browsers to the other instances.`);
  });
}

console.log("");
console.log(`Atrium (${size} instances) is serving on http://localhost:${port}`);
console.log(`  instances: ${cluster.instances.map((i) => `${i.name} ${i.url}`).join(" · ")}`);
if (cluster.statsUrl) console.log(`  HAProxy statistics: ${cluster.statsUrl}`);
console.log("Demo sign-in — admin: admin@atrium.test / atrium-demo-admin · member: member@atrium.test / atrium-demo-member");
console.log("Demo sign-in — leader (COO, dashboard): coo@atrium.test / atrium-demo-coo");

const stop = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  console.log(`${signal} received: draining every instance, then stopping HAProxy…`);
  await cluster.stop();
  console.log("Cluster stopped.");
  process.exit(0);
};
process.on("SIGINT", () => void stop("SIGINT"));
process.on("SIGTERM", () => void stop("SIGTERM"));
