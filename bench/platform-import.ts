/**
 * Directory import benchmark: 50,000 people from a CSV file into a fresh SQLite
 * database through the real domain verb (`directoryImport.commitImport`: streaming csv-parse,
 * validation, one transaction, people index rebuild), then the same file again (idempotent run).
 *
 *   npx tsx bench/platform-import.ts        (part of `npm run bench:platform`)
 *
 * Prints wall time per phase, rows/s, and peak memory (max RSS of the process, and peak V8 heap
 * sampled every 20 ms). Env: BENCH_IMPORT_ROWS (default 50000).
 */
import { createReadStream, mkdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { createAtrium } from "../server/atrium.js";
import { parseEnv } from "../server/env.js";
import type { Actor } from "../server/policy.js";
import { peopleCsvLines } from "./platform-csv-data.js";
import { readdirSync, readFileSync } from "node:fs";

const ROWS = Number(process.env.BENCH_IMPORT_ROWS ?? 50_000);
const dir = path.join(os.tmpdir(), `atrium-bench-import-${process.pid}`);
mkdirSync(dir, { recursive: true });
const csvFile = path.join(dir, "people.csv");
const dbFile = path.join(dir, "bench.db");

function freshDb() {
  const db = new Database(dbFile);
  const migrations = path.resolve(import.meta.dirname, "../prisma/migrations");
  for (const m of readdirSync(migrations).filter((d) => !d.endsWith(".toml")).sort()) db.exec(readFileSync(path.join(migrations, m, "migration.sql"), "utf8"));
  const now = new Date().toISOString();
  db.prepare(`INSERT INTO "User" ("id","email","name","role","createdAt","updatedAt") VALUES ('bench-admin','bench-admin@corp.test','Bench Admin','admin',?,?)`).run(now, now);
  db.close();
}

const mb = (b: number) => `${(b / 1024 / 1024).toFixed(0)} MB`;

async function main() {
  writeFileSync(csvFile, [...peopleCsvLines(ROWS)].join(""));
  const size = statSync(csvFile).size;
  freshDb();
  const env = parseEnv({ NODE_ENV: "production", DATABASE_URL: `file:${dbFile}`, UPLOAD_DIR: path.join(dir, "uploads") });
  const atrium = await createAtrium({ env, withPages: false });
  const actor: Actor = { id: "bench-admin", role: "admin", departmentId: null, active: true };

  // Timers starve while Prisma maps a large result, so heap is read at phase boundaries; the true
  // peak of the process is getrusage's max RSS.
  let peakHeap = 0;
  const heapNow = () => (peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed));
  const baseRss = process.memoryUsage().rss;

  const run = async (label: string) => {
    const marks: [string, number][] = [];
    let phase = "";
    const t0 = performance.now();
    const { result } = await atrium.domain.directoryImport.commitImport(actor, createReadStream(csvFile), {
      totalBytes: size,
      onProgress: (p) => {
        if (p.phase !== phase) {
          marks.push([(phase = p.phase), performance.now() - t0]);
          heapNow();
          if (process.env.BENCH_DEBUG) console.log(`  [${phase}] rss ${mb(process.memoryUsage().rss)} heap ${mb(process.memoryUsage().heapUsed)} ext ${mb(process.memoryUsage().external)} ab ${mb(process.memoryUsage().arrayBuffers)}`);
        }
      },
    });
    const total = performance.now() - t0;
    heapNow();
    marks.push(["end", total]);
    const phases = marks.slice(0, -1).map(([name, at], i) => `${name} ${((marks[i + 1][1] - at) / 1000).toFixed(1)} s`).join(", ");
    console.log(`${label}: ${(total / 1000).toFixed(1)} s (${Math.round(ROWS / (total / 1000)).toLocaleString("en-GB")} rows/s) — ${phases}`);
    console.log(`  ${result.created} created, ${result.updated} updated, ${result.unchanged} unchanged`);
    return total;
  };

  console.log(`Directory import: ${ROWS.toLocaleString("en-GB")} people, ${mb(size)} CSV, Node ${process.version}, ${os.cpus().length} cores (${os.cpus()[0]?.model ?? "?"})`);
  await run("first import (all new)");
  const first = { maxRss: process.resourceUsage().maxRSS * 1024, heap: peakHeap };
  await run("same file again (idempotent, nothing written)");
  const maxRss = process.resourceUsage().maxRSS * 1024;
  console.log(`memory: RSS before ${mb(baseRss)}; peak RSS ${mb(first.maxRss)} after the first import, ${mb(maxRss)} after both (process max, getrusage); V8 heap up to ${mb(first.heap)} at phase boundaries of the first`);
  console.log(`load average: ${os.loadavg().map((l) => l.toFixed(1)).join(" / ")} (1/5/15 min; the machine is shared)`);
  const count = await atrium.db.user.count();
  console.log(`people in the database: ${count.toLocaleString("en-GB")}; in the search index: ${atrium.ctx.peopleIndex.search("Role", {}, 1_000_000).length.toLocaleString("en-GB")}`);
  await atrium.close();
  rmSync(dir, { recursive: true, force: true });
}

main().catch((e) => {
  console.error(e);
  rmSync(dir, { recursive: true, force: true });
  process.exit(1);
});
