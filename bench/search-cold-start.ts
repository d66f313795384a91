/**
 * Cold start of the whole server with 100,000 searchable entities (decision 061): a
 * migrated SQLite file filled by raw inserts (10k people, 50k documents, 20k questions, 12k
 * answers, 8k insights), then the real createAtrium + listen, timed; then how long until the
 * unified index is complete, with a search answered meanwhile.
 *
 *   npx tsx bench/search-cold-start.ts        (part of npm run bench:search)
 */
import { randomBytes } from "node:crypto";
import os from "node:os";
import { performance } from "node:perf_hooks";
import Database from "better-sqlite3";
import { createAtrium } from "../server/atrium.js";
import { parseEnv } from "../server/env.js";
import { freshDatabase } from "../tests/helpers/db.js";
import { rng, sentence, vocabulary } from "./qa-common.js";

const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const N = { people: 10_000 * SCALE, docs: 50_000 * SCALE, questions: 20_000 * SCALE, answers: 12_000 * SCALE, insights: 8_000 * SCALE };
const r = rng(61);
const vocab = vocabulary(r, 20_000);
const id = (p: string, i: number) => `${p}${i.toString(36).padStart(8, "0")}`;

const file = freshDatabase();
const raw = new Database(file.file);
raw.pragma("journal_mode = WAL");
const t0 = performance.now();
raw.transaction(() => {
  const now = Date.now();
  raw.prepare("INSERT INTO Space (id, name, slug, kind) VALUES ('space0', 'Company', 'company', 'company')").run();
  const u = raw.prepare("INSERT INTO User (id, email, name, title, bio, updatedAt) VALUES (?, ?, ?, ?, ?, ?)");
  for (let i = 0; i < N.people; i++) u.run(id("u", i), `p${i}@example.test`, `${sentence(r, vocab, 1, 1)} ${sentence(r, vocab, 1, 1)}`, "Engineer", sentence(r, vocab, 5, 20), now);
  const d = raw.prepare("INSERT INTO Document (id, title, spaceId, visibility, ownerId, plainText, updatedAt) VALUES (?, ?, 'space0', ?, ?, ?, ?)");
  for (let i = 0; i < N.docs; i++) d.run(id("d", i), sentence(r, vocab, 2, 6), r() < 0.7 ? "company" : "private", id("u", i % N.people), sentence(r, vocab, 80, 300), now);
  const q = raw.prepare("INSERT INTO Question (id, authorId, title, bodyJson, bodyText) VALUES (?, ?, ?, '{}', ?)");
  for (let i = 0; i < N.questions; i++) q.run(id("q", i), id("u", i % N.people), sentence(r, vocab, 4, 10), sentence(r, vocab, 20, 100));
  const a = raw.prepare("INSERT INTO Answer (id, questionId, authorId, bodyJson, bodyText) VALUES (?, ?, ?, '{}', ?)");
  for (let i = 0; i < N.answers; i++) a.run(id("a", i), id("q", i % N.questions), id("u", (i * 7) % N.people), sentence(r, vocab, 20, 120));
  const ins = raw.prepare("INSERT INTO Insight (id, text, channel, sentimentScore, sentimentLabel, sentimentAuto, updatedAt) VALUES (?, ?, 'email', 0, 'neutral', 'neutral', ?)");
  for (let i = 0; i < N.insights; i++) ins.run(id("i", i), sentence(r, vocab, 10, 60), now);
})();
raw.close();
const filled = performance.now() - t0;

const env = parseEnv({
  NODE_ENV: "test",
  DATABASE_URL: file.url,
  UPLOAD_DIR: `${os.tmpdir()}/atrium-cold-${randomBytes(3).toString("hex")}`,
  DOC_FILES_DIR: `${os.tmpdir()}/atrium-cold-files-${randomBytes(3).toString("hex")}`,
});
console.log(`Search cold start — ${os.cpus().length} CPUs, load average ${os.loadavg().map((x) => x.toFixed(2)).join(" ")}`);
console.log(`Database: ${Object.values(N).reduce((x, y) => x + y, 0).toLocaleString()} entities written in ${(filled / 1000).toFixed(1)} s`);
const start = performance.now();
const atrium = await createAtrium({ env, withPages: false });
const port = await atrium.listen(0, "127.0.0.1");
const serving = performance.now() - start;
const health = await fetch(`http://127.0.0.1:${port}/healthz`);
console.log(`Serving (createAtrium + listen, /healthz ${health.status}): ${(serving / 1000).toFixed(2)} s   aim ≤ 3 s: ${serving <= 3000 ? "met" : "missed"}`);
const actor = { id: id("u", 1), role: "member" as const, departmentId: null, active: true };
let firstPeople = 0;
while (!atrium.ctx.searchIndex.ready) {
  if (!firstPeople && atrium.ctx.searchIndex.countOf("person") >= N.people) firstPeople = performance.now() - start;
  await new Promise((res) => setTimeout(res, 100));
}
const ready = performance.now() - start;
const page = await atrium.domain.search.search(actor, { q: vocab[500] });
console.log(`People searchable after ${(firstPeople / 1000).toFixed(1)} s; index complete after ${(ready / 1000).toFixed(1)} s (${atrium.ctx.searchIndex.size.toLocaleString()} entries; a query then: ${page.total} results)`);
console.log(`RSS ${(process.memoryUsage().rss / 1024 / 1024).toFixed(0)} MB; load average after ${os.loadavg().map((x) => x.toFixed(2)).join(" ")}`);
await atrium.close();
file.dispose();
