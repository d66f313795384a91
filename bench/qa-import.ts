/**
 * Import throughput: generates a Stack Exchange–format dump of about 100 MB in /tmp (Posts.xml
 * with HTML bodies, Users.xml, PostLinks.xml), imports it into a fresh SQLite file, and reports
 * posts per second (of wall time and of CPU time) and peak memory (RSS). Then imports it again (idempotent: nothing new).
 * Run: npx tsx bench/qa-import.ts [targetMB]
 */
import { createWriteStream, mkdirSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { createDb, tuneSqlite } from "../server/db.js";
import { importStackExchange } from "../server/import/stackexchange.js";
import { freshBenchDb, mb, rng, sentence, vocabulary, zipf } from "./qa-common.js";

const TARGET = Number(process.argv[2] ?? 100) * 1024 * 1024;
const dir = "/tmp/atrium-bench/se-dump";
rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });
const r = rng(99);
const vocab = vocabulary(r);
const tags = vocab.slice(0, 400);
const attr = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/\n/g, "&#xA;");
const d = (days: number) => new Date(Date.UTC(2015, 0, 1) + days * 86_400_000).toISOString().replace("Z", "");

function body(): string {
  const parts = [`<p>${sentence(r, vocab, 20, 60)} <code>${vocab[zipf(r, 500)]}</code> ${sentence(r, vocab, 10, 40)}.</p>`];
  if (r() < 0.5) parts.push(`<pre class="lang-js"><code>const ${vocab[zipf(r, 300)]} = require("${vocab[zipf(r, 300)]}");\nfunction f(a, b) {\n  return a &lt; b &amp;&amp; ${vocab[zipf(r, 300)]}(a);\n}\n</code></pre>`);
  if (r() < 0.4) parts.push(`<ul><li>${sentence(r, vocab, 4, 12)}</li><li><a href="https://example.com/${vocab[zipf(r, 300)]}">${sentence(r, vocab, 2, 5)}</a></li><li>${sentence(r, vocab, 4, 12)}</li></ul>`);
  if (r() < 0.2) parts.push(`<blockquote><p>${sentence(r, vocab, 8, 20)}</p></blockquote>`);
  parts.push(`<p>${sentence(r, vocab, 15, 50)} <strong>${sentence(r, vocab, 1, 3)}</strong> <em>${sentence(r, vocab, 1, 3)}</em>.</p>`);
  if (r() < 0.05) parts.push(`<script>alert("x")</script>`);
  return parts.join("\n");
}

const USERS = 20_000;
let t = performance.now();
const posts = createWriteStream(path.join(dir, "Posts.xml"));
const write = (s: string) => (posts.write(s) ? Promise.resolve() : new Promise<void>((res) => posts.once("drain", () => res())));
await write(`<?xml version="1.0" encoding="utf-8"?>\n<posts>\n`);
let id = 0;
let bytes = 0;
const questionIds: number[] = [];
// A question with an accepted answer is followed at once by that answer (so its id is known).
let acceptFor = 0;
while (bytes < TARGET) {
  id++;
  const isQuestion = !acceptFor && (questionIds.length < 10 || r() < 0.35);
  const owner = 1 + zipf(r, USERS);
  let row: string;
  if (isQuestion) {
    questionIds.push(id);
    const t1 = [...new Set(Array.from({ length: 1 + Math.floor(r() * 3) }, () => tags[zipf(r, tags.length)]))];
    row = `  <row Id="${id}" PostTypeId="1" CreationDate="${d(id / 40)}" Score="${Math.floor(r() * 20) - 2}" Body="${attr(body())}" OwnerUserId="${owner}" LastActivityDate="${d(id / 40 + 3)}" Title="${attr(sentence(r, vocab, 5, 11))}" Tags="${attr(t1.map((x) => `<${x}>`).join(""))}" AnswerCount="2" ${(acceptFor = r() < 0.6 ? id : 0) ? `AcceptedAnswerId="${id + 1}" ` : ""}/>\n`;
  } else {
    const parent = acceptFor || questionIds[Math.max(0, questionIds.length - 1 - Math.floor(r() * 50))]!;
    acceptFor = 0;
    row = `  <row Id="${id}" PostTypeId="2" ParentId="${parent}" CreationDate="${d(id / 40 + 1)}" Score="${Math.floor(r() * 15) - 1}" Body="${attr(body())}" OwnerUserId="${owner}" LastActivityDate="${d(id / 40 + 1)}" />\n`;
  }
  bytes += Buffer.byteLength(row);
  await write(row);
}
await write(`</posts>\n`);
await new Promise<void>((res) => posts.end(() => res()));

const users = createWriteStream(path.join(dir, "Users.xml"));
users.write(`<?xml version="1.0" encoding="utf-8"?>\n<users>\n`);
for (let u = 1; u <= USERS; u++) users.write(`  <row Id="${u}" DisplayName="${attr(`User ${vocab[u % vocab.length]} ${u}`)}" Location="City ${u % 97}" CreationDate="${d(0)}" />\n`);
users.write(`</users>\n`);
await new Promise<void>((res) => users.end(() => res()));
const links = createWriteStream(path.join(dir, "PostLinks.xml"));
links.write(`<?xml version="1.0" encoding="utf-8"?>\n<postlinks>\n`);
for (let i = 0; i < questionIds.length / 50; i++) {
  const a = questionIds[Math.floor(r() * questionIds.length)]!;
  const b = questionIds[Math.floor(r() * questionIds.length)]!;
  if (a !== b) links.write(`  <row Id="${i}" CreationDate="${d(5)}" PostId="${Math.max(a, b)}" RelatedPostId="${Math.min(a, b)}" LinkTypeId="3" />\n`);
}
links.write(`</postlinks>\n`);
await new Promise<void>((res) => links.end(() => res()));
const size = statSync(path.join(dir, "Posts.xml")).size;
console.log(`Generated Posts.xml ${mb(size)} (${id.toLocaleString("en")} posts, ${questionIds.length.toLocaleString("en")} questions) in ${((performance.now() - t) / 1000).toFixed(1)} s`);

const file = freshBenchDb("import");
const db = await createDb(file.url);
await tuneSqlite(db);
global.gc?.();
const rss0 = process.memoryUsage().rss;
t = performance.now();
const c0 = process.cpuUsage();
const s = await importStackExchange({ db, env: { DATABASE_URL: file.url } }, dir, { source: "bench" });
const secs = (performance.now() - t) / 1000;
const cu = process.cpuUsage(c0);
const cpu = (cu.user + cu.system) / 1e6;
const imported = s.questions.created + s.answers.created + s.skippedPosts;
console.log(
  `Import: ${s.questions.created.toLocaleString("en")} questions + ${s.answers.created.toLocaleString("en")} answers (${s.accepted.toLocaleString("en")} accepted, ${s.duplicates.linked} duplicate links, ${s.users.placeholders.toLocaleString("en")} placeholder people) in ${secs.toFixed(1)} s`,
);
console.log(`  throughput ${Math.round(s.postsPerSecond).toLocaleString("en")} posts/s, ${(size / 1024 / 1024 / secs).toFixed(1)} MB/s; peak RSS ${mb(s.peakRssBytes)} (process at start ${mb(rss0)})`);
console.log(`  CPU ${cpu.toFixed(1)} s: ${Math.round(imported / cpu).toLocaleString("en")} posts per CPU-second; load ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}`);
t = performance.now();
const again = await importStackExchange({ db, env: { DATABASE_URL: file.url } }, dir, { source: "bench" });
console.log(`Second run (idempotent): ${again.questions.created + again.answers.created} new rows, ${((performance.now() - t) / 1000).toFixed(1)} s`);
await db.$disconnect();
file.dispose();
rmSync(dir, { recursive: true, force: true });
