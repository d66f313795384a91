/**
 * One command to judge Q&A on a real Stack Exchange dump:
 *   npm run eval:qa -- <dump folder> [--split 0.8] [--source <name>]
 * Imports the dump into a scratch SQLite file, then
 *  - duplicates: for each question closed as a duplicate, are its original among the top k
 *    similar questions (Atrium's index, as the Ask form and the duplicate suggestions use it) —
 *    against SQLite FTS5 bm25 over the same title + body, in the same run;
 *  - routing: replays the site in time order; for each question after the split with an accepted
 *    answer by someone else, is that answerer in the top 3/5 — ranked only from answers given
 *    before the question — against "most answers on the question's tags" and "most answers".
 * Prints tables and ends with one JSON line.
 */
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import Database from "better-sqlite3";
import { createDb, tuneSqlite } from "../server/db.js";
import { questionDocInclude, toQuestionDoc } from "../server/domain/qa-indexes.js";
import { importStackExchange } from "../server/import/stackexchange.js";
import { AnswererIndex, DEFAULT_ROUTE_WEIGHTS, type RouteWeights } from "../server/search/answerer-index.js";
import { QuestionsIndex } from "../server/search/questions-index.js";
import { freshBenchDb } from "./qa-common.js";

const args = process.argv.slice(2);
const opt = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const folder = args.find((a, i) => !a.startsWith("--") && !["--split", "--source"].includes(args[i - 1] ?? ""));
const split = Number(opt("--split") ?? 0.8);
if (!folder || !(split > 0 && split < 1)) {
  console.error("Usage: npm run eval:qa -- <dump folder with Posts.xml> [--split 0.8] [--source <name>]");
  process.exit(2);
}

const scratch = freshBenchDb("eval-qa");
const db = await createDb(scratch.url);
await tuneSqlite(db);
const t0 = performance.now();
const imp = await importStackExchange({ db, env: { DATABASE_URL: scratch.url } }, path.resolve(folder), { source: opt("--source") });
console.log(
  `Imported ${imp.source}: ${imp.questions.created} questions, ${imp.answers.created} answers, ${imp.comments.created} comments, ${imp.duplicates.linked} duplicate links in ${imp.seconds.toFixed(1)} s (${Math.round(imp.postsPerSecond).toLocaleString("en")} posts/s)`,
);

const questions = await db.question.findMany({ where: { deletedAt: null }, include: questionDocInclude, orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
const answers = await db.answer.findMany({
  where: { deletedAt: null },
  select: { id: true, questionId: true, authorId: true, createdAt: true, acceptedAt: true, bodyText: true },
  orderBy: [{ createdAt: "asc" }, { id: "asc" }],
});
const byId = new Map(questions.map((q) => [q.id, q]));
const tagNames = (q: (typeof questions)[number]) => q.tags.map((t) => t.skill.name);
const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
const r3 = (x: number) => Math.round(x * 1000) / 1000;

// ── Duplicates ──
const pairs = questions.filter((q) => q.duplicateOfId && byId.has(q.duplicateOfId));
const index = new QuestionsIndex();
index.build(questions.map(toQuestionDoc));

const fts = new Database(":memory:");
fts.exec(`CREATE VIRTUAL TABLE plain USING fts5(id UNINDEXED, title, body); CREATE VIRTUAL TABLE porter USING fts5(id UNINDEXED, title, body, tokenize='porter unicode61');`);
for (const table of ["plain", "porter"]) {
  const ins = fts.prepare(`INSERT INTO ${table}(id, title, body) VALUES (?, ?, ?)`);
  fts.transaction(() => questions.forEach((q) => ins.run(q.id, q.title, q.bodyText)))();
}
const ftsQuery = (text: string) =>
  [...new Set(text.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter((w) => w.length > 1))]
    .slice(0, 200)
    .map((w) => `"${w}"`)
    .join(" OR ");
const ftsSearch = (table: string) => {
  const stmt = fts.prepare(`SELECT id FROM ${table} WHERE ${table} MATCH ? AND id != ? ORDER BY bm25(${table}) LIMIT 10`);
  return (q: (typeof questions)[number]) => {
    const m = ftsQuery(`${q.title} ${q.bodyText.slice(0, 2000)}`);
    return m ? (stmt.all(m, q.id) as { id: string }[]).map((r) => r.id) : [];
  };
};

interface DupScores {
  r1: number;
  r5: number;
  r10: number;
  mrr: number;
}
function dupScores(rank: (q: (typeof questions)[number]) => string[]): DupScores {
  const s = { r1: 0, r5: 0, r10: 0, mrr: 0 };
  for (const q of pairs) {
    const at = rank(q).indexOf(q.duplicateOfId!);
    if (at < 0 || at >= 10) continue;
    if (at < 1) s.r1++;
    if (at < 5) s.r5++;
    s.r10++;
    s.mrr += 1 / (at + 1);
  }
  const n = Math.max(1, pairs.length);
  return { r1: s.r1 / n, r5: s.r5 / n, r10: s.r10 / n, mrr: s.mrr / n };
}
const atrium = dupScores((q) => index.similar({ title: q.title, body: q.bodyText.slice(0, 2000), tags: tagNames(q) }, { limit: 10, exclude: q.id }).map((h) => h.id));
const atriumTitle = dupScores((q) => index.similar({ title: `${q.title} ` }, { limit: 10, exclude: q.id }).map((h) => h.id));
const bm25 = dupScores(ftsSearch("plain"));
const bm25porter = dupScores(ftsSearch("porter"));
const empty = questions.filter((q) => index.similar({ title: `${q.title} ` }, { limit: 10, exclude: q.id }).length === 0).length;

console.log(`\nSimilar questions: ${pairs.length} duplicates whose original is in the dump (query: the duplicate's title + body + tags; the duplicate itself left out)`);
console.log("| system | R@1 | R@5 | R@10 | MRR@10 |\n|---|---|---|---|---|");
const row = (name: string, s: DupScores) => console.log(`| ${name} | ${pct(s.r1)} | ${pct(s.r5)} | ${pct(s.r10)} | ${s.mrr.toFixed(3)} |`);
row("Atrium, title + body", atrium);
row("Atrium, title only", atriumTitle);
row("SQLite FTS5 bm25", bm25);
row("FTS5 bm25, porter stemming", bm25porter);
console.log(`Title-only queries that return nothing: ${empty} of ${questions.length}`);

// ── Routing, replayed in time order ──
const cutAt = questions[Math.min(questions.length - 1, Math.floor(questions.length * split))]?.createdAt ?? new Date(0);
const acceptedBy = new Map<string, string>();
for (const a of answers) if (a.acceptedAt) acceptedBy.set(a.questionId, a.authorId);
const targets = questions.filter((q) => acceptedBy.has(q.id) && acceptedBy.get(q.id) !== q.authorId);

interface RouteScores {
  hit3: number;
  hit5: number;
  n: number;
}
function replay(weights: Partial<RouteWeights>, which: (q: (typeof questions)[number]) => boolean) {
  const idx = new AnswererIndex(weights);
  const overall = new Map<string, number>();
  const perTag = new Map<string, Map<string, number>>();
  // Ties in a count go to the one who answered last (imported people's ids are random, so ordering
  // by id would make the baselines change from one import to the next).
  const lastAt = new Map<string, number>();
  const hits = { atrium: [0, 0], tags: [0, 0], overall: [0, 0], n: 0 };
  let next = 0;
  const top = (m: Map<string, number>, exclude: string, k: number) =>
    [...m]
      .filter(([id]) => id !== exclude)
      .sort((a, b) => b[1] - a[1] || (overall.get(b[0]) ?? 0) - (overall.get(a[0]) ?? 0) || lastAt.get(b[0])! - lastAt.get(a[0])! || (a[0] < b[0] ? -1 : 1))
      .slice(0, k)
      .map(([id]) => id);
  for (const q of targets) {
    // Everything answered before this question, and nothing after.
    while (next < answers.length && answers[next]!.createdAt < q.createdAt) {
      const a = answers[next++]!;
      const aq = byId.get(a.questionId);
      if (!aq) continue;
      const tags = tagNames(aq);
      idx.add({
        authorId: a.authorId,
        at: a.createdAt,
        questionText: `${aq.title} ${aq.bodyText}`,
        answerText: a.bodyText,
        tags,
        accepted: !!a.acceptedAt,
        responseMs: a.createdAt.getTime() - aq.createdAt.getTime(),
      });
      overall.set(a.authorId, (overall.get(a.authorId) ?? 0) + 1);
      lastAt.set(a.authorId, a.createdAt.getTime());
      for (const t of tags) {
        let m = perTag.get(t);
        if (!m) perTag.set(t, (m = new Map()));
        m.set(a.authorId, (m.get(a.authorId) ?? 0) + 1);
      }
    }
    if (!which(q)) continue;
    const truth = acceptedBy.get(q.id)!;
    const tags = tagNames(q);
    const onTags = new Map<string, number>();
    for (const t of tags) for (const [id, c] of perTag.get(t) ?? []) onTags.set(id, (onTags.get(id) ?? 0) + c);
    const ranked = {
      atrium: idx.rank({ text: `${q.title} ${q.title} ${q.bodyText}`, tags, at: q.createdAt, exclude: new Set([q.authorId]), limit: 5 }).map((p) => p.userId),
      tags: top(onTags, q.authorId, 5),
      overall: top(overall, q.authorId, 5),
    };
    hits.n++;
    for (const k of ["atrium", "tags", "overall"] as const) {
      const at = ranked[k].indexOf(truth);
      if (at >= 0 && at < 3) hits[k][0]++;
      if (at >= 0) hits[k][1]++;
    }
  }
  const sc = (h: number[]): RouteScores => ({ hit3: h[0]! / Math.max(1, hits.n), hit5: h[1]! / Math.max(1, hits.n), n: hits.n });
  return { atrium: sc(hits.atrium), tags: sc(hits.tags), overall: sc(hits.overall) };
}
const test = replay({}, (q) => q.createdAt >= cutAt);
const train = replay({}, (q) => q.createdAt < cutAt);
console.log(
  `\nRouting: ${test.atrium.n} questions from ${cutAt.toISOString().slice(0, 10)} on (the last ${Math.round((1 - split) * 100)}%) with an accepted answer by someone else; each ranked only from answers given before it`,
);
console.log("| system | hit@3 | hit@5 |\n|---|---|---|");
const rrow = (name: string, s: RouteScores) => console.log(`| ${name} | ${pct(s.hit3)} | ${pct(s.hit5)} |`);
rrow("Atrium (text profile + tags + recency + responsiveness)", test.atrium);
rrow("most answers on the question's tags", test.tags);
rrow("most answers overall", test.overall);
console.log(
  `(Earlier ${train.atrium.n} questions, the part weights may be tuned on: Atrium ${pct(train.atrium.hit3)} / ${pct(train.atrium.hit5)}, tags ${pct(train.tags.hit3)} / ${pct(train.tags.hit5)}, overall ${pct(train.overall.hit3)} / ${pct(train.overall.hit5)}; weights ${JSON.stringify(DEFAULT_ROUTE_WEIGHTS)})`,
);
console.log(`Load average ${os.loadavg().map((l) => l.toFixed(2)).join(" ")} on ${os.cpus().length} cores; ${((performance.now() - t0) / 1000).toFixed(1)} s in all`);

const dup = (s: DupScores) => ({ r1: r3(s.r1), r5: r3(s.r5), r10: r3(s.r10), mrr: r3(s.mrr) });
const route = (s: RouteScores) => ({ hit3: r3(s.hit3), hit5: r3(s.hit5) });
console.log(
  JSON.stringify({
    dup: { ...dup(atrium), bm25: dup(bm25) },
    route: { ...route(test.atrium), tags: route(test.tags), overall: route(test.overall) },
    n: { questions: questions.length, answers: answers.length, duplicates: pairs.length, routed: test.atrium.n, posts_per_s: Math.round(imp.postsPerSecond) },
  }),
);
await db.$disconnect();
fts.close();
scratch.dispose();
