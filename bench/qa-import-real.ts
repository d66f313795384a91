/**
 * Import speed on real Stack Exchange dumps: imports each folder into a fresh SQLite file, prints
 * posts per second of wall time and per CPU-second (the figure to compare on a loaded machine)
 * with the load average, then imports it again (nothing new may be created).
 *   npx tsx bench/qa-import-real.ts <dump folder>...
 */
import path from "node:path";
import os from "node:os";
import { createDb, tuneSqlite } from "../server/db.js";
import { importStackExchange } from "../server/import/stackexchange.js";
import { freshBenchDb } from "./qa-common.js";
for (const site of process.argv.slice(2)) {
  const scratch = freshBenchDb("imp");
  const db = await createDb(scratch.url);
  await tuneSqlite(db);
  const c0 = process.cpuUsage();
  const s = await importStackExchange({ db, env: { DATABASE_URL: scratch.url } }, path.resolve(site));
  const c = process.cpuUsage(c0);
  const cpu = (c.user + c.system) / 1e6;
  const posts = s.questions.created + s.answers.created + s.skippedPosts;
  console.log(`${path.basename(site)}: ${posts} posts ${s.seconds.toFixed(2)} s wall (${Math.round(s.postsPerSecond)} posts/s), ${cpu.toFixed(2)} s CPU (${Math.round(posts / cpu)} posts/CPU-s) load ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}`);
  const c1 = process.cpuUsage();
  const t = await importStackExchange({ db, env: { DATABASE_URL: scratch.url } }, path.resolve(site));
  const cc = process.cpuUsage(c1);
  console.log(`  again: created q ${t.questions.created} a ${t.answers.created} c ${t.comments.created} dup ${t.duplicates.linked}; ${((cc.user + cc.system) / 1e6).toFixed(2)} s CPU`);
  await db.$disconnect();
  scratch.dispose();
}
