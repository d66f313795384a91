/**
 * A single instance's start on SQLite, as `npm start` runs it: the bundled server
 * (build/server/index.js) with plain node, on the demo data (migrated and seeded as `npm start`
 * does), a file: DATABASE_URL and no REDIS_URL.
 *
 *   npm run build && npx tsx bench/start-rss.ts          (BENCH_RUNS starts, default 3)
 *
 * BENCH_BUNDLE: the bundle(s) to start, comma-separated (default build/server/index.js). Two, e.g. a
 * copy of an earlier build kept under build/ (so its packages still resolve from node_modules) and
 * the current one, are started alternately and the ratio second / first is printed.
 *
 * Per start: time until it prints that it is serving, RSS then and after the first `/login`
 * page. One more start, traced (scripts/module-trace.mjs: its loader thread costs memory, so it is
 * not one of the measured starts), lists the packages loaded by then — naming those only several
 * instances need (PostgreSQL, Redis). Prints each start, the medians, the load average and one
 * JSON line.
 */
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { freePort } from "../server/cli/processes.js";
import { MULTI_INSTANCE_PACKAGES, packagesIn } from "../tests/helpers/module-trace.js";
import { rssOf } from "./proc.js";
import { SERVER_NODE_FLAGS } from "../server/infra/heap.js";

const ROOT = path.resolve(import.meta.dirname, "..");
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const BUNDLES = (process.env.BENCH_BUNDLE ?? "build/server/index.js").split(",");
const load = () => os.loadavg().map((l) => l.toFixed(2)).join(" ");
const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function sh(cmd: string, args: string[], env: NodeJS.ProcessEnv) {
  const r = spawnSync(cmd, args, { cwd: ROOT, env, stdio: ["ignore", "ignore", "inherit"] });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed (${r.status})`);
}

async function start(dir: string, databaseUrl: string, bundle: string, traced: boolean) {
  const trace = path.join(dir, `modules-${randomBytes(4).toString("hex")}.txt`);
  const port = await freePort();
  const t0 = performance.now();
  const child = spawn(process.execPath, [...SERVER_NODE_FLAGS, ...(traced ? ["--import", "./scripts/module-trace.mjs"] : []), bundle], {
    cwd: ROOT,
    // As `npm start` runs it: no NODE_ENV (the server's default, development, with the production Remix build).
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_OPTIONS: "",
      PORT: String(port),
      HOST: "127.0.0.1",
      DATABASE_URL: databaseUrl,
      UPLOAD_DIR: path.join(dir, "uploads"),
      DOC_FILES_DIR: path.join(dir, "doc-files"),
      MAIL_DIR: path.join(dir, "mail"),
      ...(traced ? { MODULE_TRACE_FILE: trace } : {}),
    } as Record<string, string | undefined> as NodeJS.ProcessEnv,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout!.on("data", (c) => (out += c));
  child.stderr!.on("data", (c) => (out += c));
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  try {
    await new Promise<void>((resolve, reject) => {
      const check = () => {
        if (/serving on http:\/\/localhost:\d+/.test(out)) resolve();
        else if (child.exitCode !== null) reject(new Error(`the server exited:\n${out}`));
      };
      child.stdout!.on("data", check);
      child.once("exit", check);
    });
    const startMs = performance.now() - t0;
    const rssServing = rssOf(child.pid!);
    const page = await fetch(`http://127.0.0.1:${port}/login`);
    if (page.status !== 200) throw new Error(`/login answered ${page.status}`);
    await page.text();
    const rssFirstPage = rssOf(child.pid!);
    const packages = traced ? packagesIn(readFileSync(trace, "utf8")) : new Set<string>();
    return { startMs, rssServing, rssFirstPage, packages };
  } finally {
    child.kill("SIGTERM");
    await exited;
  }
}

const dir = mkdtempSync(path.join(os.tmpdir(), "atrium-start-rss-"));
const databaseUrl = `file:${path.join(dir, "atrium.db")}`;
try {
  const env = { ...process.env, DATABASE_URL: databaseUrl, NODE_OPTIONS: "" };
  sh("npm", ["run", "--silent", "db:migrate"], env);
  sh(process.execPath, ["--import", "tsx", "prisma/seed.ts"], env);
  console.log(`SQLite start on the demo data, no REDIS_URL — ${os.cpus().length} CPU(s), Node ${process.version}, ${RUNS} start(s) of ${BUNDLES.join(" and ")}${BUNDLES.length > 1 ? ", alternating" : ""}`);
  const runs = new Map<string, Awaited<ReturnType<typeof start>>[]>(BUNDLES.map((b) => [b, []]));
  for (let i = 0; i < RUNS; i++) {
    for (const bundle of BUNDLES) {
      const r = await start(dir, databaseUrl, bundle, false);
      runs.get(bundle)!.push(r);
      console.log(`${bundle} start ${i + 1}: serving after ${Math.round(r.startMs)} ms, RSS ${mb(r.rssServing)} MB, after the first /login ${mb(r.rssFirstPage)} MB (load ${load()})`);
    }
  }
  const results: Record<string, object> = {};
  for (const bundle of BUNDLES) {
    const { packages } = await start(dir, databaseUrl, bundle, true);
    const multi = MULTI_INSTANCE_PACKAGES.filter((p) => packages.has(p));
    const rs = runs.get(bundle)!;
    const summary = {
      startMs: Math.round(median(rs.map((r) => r.startMs))),
      rssServingMb: mb(median(rs.map((r) => r.rssServing))),
      rssFirstPageMb: mb(median(rs.map((r) => r.rssFirstPage))),
      rssServingMbEach: rs.map((r) => mb(r.rssServing)),
      packages: packages.size,
      multiInstancePackagesLoaded: multi,
    };
    results[bundle] = summary;
    console.log(
      `${bundle}, median of ${RUNS}: serving after ${summary.startMs} ms, RSS ${summary.rssServingMb} MB, after the first /login ${summary.rssFirstPageMb} MB; ` +
        `traced start: ${packages.size} packages loaded by the first /login, multi-instance ones: ${multi.length ? multi.join(", ") : "none"} (load ${load()})`,
    );
  }
  let ratio: number | null = null;
  if (BUNDLES.length === 2) {
    const [a, b] = BUNDLES.map((x) => results[x] as { rssServingMb: number });
    ratio = Number((b!.rssServingMb / a!.rssServingMb).toFixed(2));
    console.log(`RSS when serving, ${BUNDLES[1]} / ${BUNDLES[0]}: ${ratio.toFixed(2)} (load ${load()})`);
  }
  console.log(JSON.stringify({ bench: "start-rss", database: "sqlite", runs: RUNS, results, ratio, load: load() }));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
