/**
 * Import speed on real Stack Exchange dumps: imports each folder into a fresh SQLite file, prints
 * posts per second of wall time and per CPU-second (the figure to compare on a loaded machine)
 * with the load average, then imports it again (nothing new may be created).
 *   npx tsx bench/qa-import-real.ts [--profile <dir>] <dump folder>...
 * With --profile, a V8 CPU profile of each first import alone (not the scratch database's set-up)
 * is written to <dir>/<site>.cpuprofile (summarise with bench/cpuprofile-top.ts).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";
import path from "node:path";
import os from "node:os";
import { createDb, tuneSqlite } from "../server/db.js";
import { importStackExchange } from "../server/import/stackexchange.js";
import { freshBenchDb } from "./qa-common.js";
const args = process.argv.slice(2);
const at = args.indexOf("--profile");
const profileDir = at >= 0 ? args.splice(at, 2)[1]! : null;
const session = profileDir ? new Session() : null;
if (session) {
  mkdirSync(profileDir!, { recursive: true });
  session.connect();
  await session.post("Profiler.enable");
}
for (const site of args) {
  const scratch = freshBenchDb("imp");
  const db = await createDb(scratch.url);
  await tuneSqlite(db);
  if (session) await session.post("Profiler.start");
  const c0 = process.cpuUsage();
  const s = await importStackExchange({ db, env: { DATABASE_URL: scratch.url } }, path.resolve(site));
  const c = process.cpuUsage(c0);
  if (session) writeFileSync(path.join(profileDir!, `${path.basename(site)}.cpuprofile`), JSON.stringify((await session.post("Profiler.stop")).profile));
  const cpu = (c.user + c.system) / 1e6;
  const posts = s.questions.created + s.answers.created + s.skippedPosts;
  console.log(`${path.basename(site)}: ${posts} posts ${s.seconds.toFixed(2)} s wall (${Math.round(s.postsPerSecond)} posts/s), ${cpu.toFixed(2)} s CPU (${(c.system / 1e6).toFixed(2)} s system; ${Math.round(posts / cpu)} posts/CPU-s) load ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}`);
  const c1 = process.cpuUsage();
  const t = await importStackExchange({ db, env: { DATABASE_URL: scratch.url } }, path.resolve(site));
  const cc = process.cpuUsage(c1);
  console.log(`  again: created q ${t.questions.created} a ${t.answers.created} c ${t.comments.created} dup ${t.duplicates.linked}; ${((cc.user + cc.system) / 1e6).toFixed(2)} s CPU`);
  await db.$disconnect();
  scratch.dispose();
}
