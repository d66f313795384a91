/**
 * REST API benchmark: GET /api/v1/people?limit=50 (token auth, rate limiter, SQLite
 * query, presenter, JSON) under 50 concurrent connections, against a bare Node http server that
 * answers the very same JSON bytes from memory. Each server runs in its own child process; the
 * load generator (autocannon) runs in this one, so on 2 cores server and client each get one.
 *
 *   npx tsx bench/platform-api.ts        (part of `npm run bench:platform`)
 *
 * Prints requests/s, p50/p95/p99 latency for both, and the ratios. Env: BENCH_SECONDS (default 10),
 * BENCH_CONNECTIONS (50), BENCH_PEOPLE (1000 in the directory), BENCH_CPU_PROF=<dir> writes a CPU
 * profile of the Atrium server. The load average is printed: on a shared 2-core machine other
 * processes' work shows in the figures.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:http";
import { mkdirSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import { cpuMsOf } from "./proc.js";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const PEOPLE = Number(process.env.BENCH_PEOPLE ?? 1000);
const PATH = "/api/v1/people?limit=50";

// ---------------------------------------------------------------- child: Atrium
async function serveAtrium() {
  const { default: Database } = await import("better-sqlite3");
  const { readdirSync, readFileSync } = await import("node:fs");
  const { createAtrium } = await import("../server/atrium.js");
  const { parseEnv } = await import("../server/env.js");
  const { peopleCsv } = await import("./platform-csv-data.js");
  const dir = path.join(os.tmpdir(), `atrium-bench-api-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, "api.db");
  const db = new Database(file);
  const migrations = path.resolve(import.meta.dirname, "../prisma/migrations");
  for (const m of readdirSync(migrations).filter((d) => !d.endsWith(".toml")).sort()) db.exec(readFileSync(path.join(migrations, m, "migration.sql"), "utf8"));
  const now = new Date().toISOString();
  db.prepare(`INSERT INTO "User" ("id","email","name","role","createdAt","updatedAt") VALUES ('bench-admin','bench-admin@corp.test','Bench Admin','admin',?,?)`).run(now, now);
  db.close();
  const env = parseEnv({ NODE_ENV: "production", DATABASE_URL: `file:${file}`, UPLOAD_DIR: path.join(dir, "uploads"), API_RATE_LIMIT: "1000000", API_RATE_WINDOW_SECONDS: "1", ATRIUM_DEMO_BANNER: "0" });
  const atrium = await createAtrium({ env, withPages: false });
  const actor = { id: "bench-admin", role: "admin" as const, departmentId: null, active: true };
  await atrium.domain.directoryImport.commitImport(actor, peopleCsv(PEOPLE));
  const { secret } = await atrium.domain.apiTokens.createApiToken(actor, { name: "bench", kind: "integration", scope: "read" });
  const port = await atrium.listen(0, "127.0.0.1");
  process.stdout.write(JSON.stringify({ port, token: secret }) + "\n");
  process.on("SIGTERM", async () => {
    await atrium.close();
    rmSync(dir, { recursive: true, force: true });
    process.exit(0);
  });
}

// ---------------------------------------------------------------- child: bare Node http
function serveBare() {
  let body = Buffer.alloc(0);
  process.stdin.on("data", (c) => (body = Buffer.concat([body, c])));
  process.stdin.on("end", () => {
    const server = createServer((_req, res) => {
      res.writeHead(200, { "Content-Type": "application/json; charset=utf-8", "Content-Length": body.length });
      res.end(body);
    });
    server.listen(0, "127.0.0.1", () => {
      const addr = server.address();
      process.stdout.write(JSON.stringify({ port: typeof addr === "object" && addr ? addr.port : 0 }) + "\n");
    });
  });
  process.on("SIGTERM", () => process.exit(0));
}

// ---------------------------------------------------------------- parent: load
function start(mode: string, input?: Buffer): Promise<{ child: ChildProcess; info: { port: number; token?: string } }> {
  const prof = process.env.BENCH_CPU_PROF && mode === "--serve-atrium" ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
  const child = spawn(process.execPath, [...prof, "--import", "tsx", import.meta.filename, mode], { stdio: ["pipe", "pipe", "inherit"] });
  if (input) child.stdin!.end(input);
  else child.stdin!.end();
  return new Promise((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (c) => {
      out += c;
      const line = out.split("\n").find((l) => l.startsWith("{"));
      if (line) resolve({ child, info: JSON.parse(line) });
    });
    child.on("exit", (code) => reject(new Error(`${mode} exited with ${code}`)));
  });
}

interface Figures {
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  non2xx: number;
  errors: number;
}

async function load(port: number, headers: Record<string, string>, seconds: number): Promise<Figures> {
  const latencies: number[] = [];
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon({ url: `http://127.0.0.1:${port}${PATH}`, connections: CONNECTIONS, duration: seconds, headers }, (err, r) => (err ? reject(err) : resolve(r)));
    instance.on("response", (_client, _status, _bytes, ms) => latencies.push(ms));
  });
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? NaN;
  return { rps: result.requests.average, p50: pct(50), p95: pct(95), p99: pct(99), non2xx: result.non2xx, errors: result.errors };
}

async function main() {
  if (process.argv[2] === "--serve-atrium") return serveAtrium();
  if (process.argv[2] === "--serve-bare") return serveBare();

  const atrium = await start("--serve-atrium");
  const headers = { Authorization: `Bearer ${atrium.info.token}` };
  const sample = await fetch(`http://127.0.0.1:${atrium.info.port}${PATH}`, { headers });
  const body = Buffer.from(await sample.arrayBuffer());
  if (sample.status !== 200) throw new Error(`API answered ${sample.status}: ${body}`);
  const bare = await start("--serve-bare", body);
  try {
    console.log(`API list endpoint: GET ${PATH} (${(body.length / 1024).toFixed(1)} KB JSON, ${PEOPLE} people in the directory), ${CONNECTIONS} connections, ${SECONDS} s each, Node ${process.version}, ${os.cpus().length} cores`);
    await load(atrium.info.port, headers, 2); // warm-up (JIT, SQLite page cache)
    await load(bare.info.port, {}, 2);
    const cpu0 = cpuMsOf(atrium.child.pid!);
    const a = await load(atrium.info.port, headers, SECONDS);
    const atriumCpuMs = cpuMsOf(atrium.child.pid!) - cpu0;
    const atriumRequests = a.rps * SECONDS;
    const b = await load(bare.info.port, {}, SECONDS);
    const line = (name: string, f: Figures) =>
      `${name.padEnd(22)} ${Math.round(f.rps).toLocaleString("en-GB").padStart(7)} req/s   p50 ${f.p50.toFixed(1)} ms   p95 ${f.p95.toFixed(1)} ms   p99 ${f.p99.toFixed(1)} ms   non-2xx ${f.non2xx}, errors ${f.errors}`;
    console.log(line("Atrium /api/v1/people", a));
    console.log(line("bare node:http (same JSON)", b));
    console.log(`ratio Atrium/bare: throughput ${(a.rps / b.rps).toFixed(3)}, p95 latency ×${(a.p95 / b.p95).toFixed(1)}`);
    // CPU time is what other processes on a shared machine do not move.
    console.log(`Atrium server CPU: ${(atriumCpuMs / atriumRequests).toFixed(3)} ms per request → ${Math.round(atriumRequests / (atriumCpuMs / 1000)).toLocaleString("en-GB")} req/s on a core of its own`);
    console.log(`load average during the run: ${os.loadavg().map((l) => l.toFixed(1)).join(" / ")} (1/5/15 min)`);
  } finally {
    atrium.child.kill("SIGTERM");
    bare.child.kill("SIGTERM");
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
