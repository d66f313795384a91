/**
 * Steady writes: 50 writers ask questions and answer them through the REST API for 60 s, against
 * a real server in its own process (its index upkeep — re-indexing threads, vacuuming — runs on
 * that process's thread, so it shows up as lost throughput). Prints requests/s per 10 s window and
 * the ratio last window / first window: flat upkeep keeps it near 1.
 *
 *   npm run bench:writes
 *   BENCH_PEER=/path/to/other/atrium/checkout npm run bench:writes   (the same load against that
 *     checkout's server too — e.g. a worktree of main with this node_modules — side by side)
 *
 * Env: BENCH_SECONDS (60), BENCH_WINDOW_SECONDS (10), BENCH_WRITERS (50), BENCH_PEOPLE (200
 * colleagues to route questions to). The load average is printed: on a shared machine other
 * processes' work shows in the figures.
 */
import { spawn, type ChildProcess } from "node:child_process";
import http from "node:http";
import { mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 60);
const WINDOW = Number(process.env.BENCH_WINDOW_SECONDS ?? 10);
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
  const child = spawn(process.execPath, ["--import", "tsx", path.join(HERE, "bench/write-throughput.ts"), "serve", root], { cwd: root, stdio: ["ignore", "pipe", "inherit"] });
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

async function run(label: string, root: string): Promise<number[]> {
  const { child, port, token } = await startServer(root);
  // fifo: every pooled socket keeps being used, so none idles past the server's keep-alive timeout.
  const agent = new http.Agent({ keepAlive: true, maxSockets: WRITERS, scheduling: "fifo" });
  const questions: string[] = [];
  const windows = Array.from({ length: Math.ceil(SECONDS / WINDOW) }, () => 0);
  let errors = 0;
  const t0 = performance.now();
  const end = t0 + SECONDS * 1000;
  let n = 0;
  await Promise.all(
    Array.from({ length: WRITERS }, async () => {
      while (performance.now() < end) {
        const ask = questions.length < WRITERS || Math.random() < 0.3;
        const r = ask
          ? await post(agent, port, token, "/api/v1/questions", { title: `How do we handle ${sentence(4)} (${++n})?`, body: sentence(40), tags: [pick(WORDS), pick(WORDS)] })
          : await post(agent, port, token, `/api/v1/questions/${pick(questions)}/answers`, { body: sentence(60) });
        const at = performance.now();
        if (r.status === 0 || r.status >= 400) errors++;
        else if (at < end) windows[Math.floor((at - t0) / (WINDOW * 1000))]!++;
        if (ask && r.json.data?.id) questions.push(r.json.data.id);
      }
    }),
  );
  agent.destroy();
  child.kill("SIGTERM");
  await new Promise((r) => child.once("exit", r));
  const rates = windows.map((c) => c / WINDOW);
  console.log(`${label.padEnd(10)} req/s per ${WINDOW} s: ${rates.map((r) => r.toFixed(1).padStart(6)).join(" ")}   last/first ${(rates.at(-1)! / rates[0]!).toFixed(2)}   (${errors} errors, ${questions.length} questions)`);
  return rates;
}

if (process.argv[2] === "serve") {
  await serve(path.resolve(process.argv[3]!));
} else {
  console.log(`write throughput: ${WRITERS} writers, ${SECONDS} s, load average ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}`);
  const mine = await run("this tree", HERE);
  const peerDir = process.env.BENCH_PEER;
  if (peerDir) {
    const peer = await run("peer", path.resolve(peerDir));
    const sum = (a: number[]) => a.reduce((x, y) => x + y, 0);
    console.log(`this tree / peer: whole run ${(sum(mine) / sum(peer)).toFixed(2)}, last window ${(mine.at(-1)! / peer.at(-1)!).toFixed(2)}`);
  }
  console.log(`load average after: ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}`);
}
