/**
 * Duplicate-finding lab: imports each dump once (cached as JSON under the OS temp folder), then
 * scores similar-questions variants against FTS5 bm25 per site and pooled over all pairs.
 *   npx tsx bench/qa-dup-lab.ts <dump folder>... [--variants '<json array of partial tunings>'] [--misses]
 * The cache is keyed by folder name: delete it (os.tmpdir()/atrium-qa-lab) after changing the importer.
 */
import { existsSync, readFileSync, writeFileSync, mkdirSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { createDb, tuneSqlite } from "../server/db.js";
import { questionDocInclude, toQuestionDoc, type QuestionDocRow } from "../server/domain/qa-indexes.js";
import { importStackExchange, streamRows } from "../server/import/stackexchange.js";
import { QuestionsIndex, type SimilarTuning } from "../server/search/questions-index.js";
import { freshBenchDb } from "./qa-common.js";

const args = process.argv.slice(2);
const opt = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const folders = args.filter((a, i) => !a.startsWith("--") && args[i - 1] !== "--variants");
const variants: Partial<SimilarTuning>[] = JSON.parse(opt("--variants") ?? "[{}]");
const cacheDir = path.join(os.tmpdir(), "atrium-qa-lab");
mkdirSync(cacheDir, { recursive: true });

type Row = QuestionDocRow & { importId: string | null };
async function load(folder: string): Promise<{ name: string; questions: Row[]; related: [string, string][] }> {
  const name = path.basename(path.resolve(folder));
  const file = path.join(cacheDir, `${name}.json`);
  if (existsSync(file)) return await withRelated(folder, { name, questions: JSON.parse(readFileSync(file, "utf8")) });
  const scratch = freshBenchDb("dup-lab");
  const db = await createDb(scratch.url);
  await tuneSqlite(db);
  await importStackExchange({ db, env: { DATABASE_URL: scratch.url } }, path.resolve(folder));
  const questions = await db.question.findMany({ where: { deletedAt: null }, include: questionDocInclude, orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
  await db.$disconnect();
  scratch.dispose();
  writeFileSync(file, JSON.stringify(questions));
  return await withRelated(folder, { name, questions: questions as Row[] });
}
/** "Related" links (LinkTypeId 1): a larger, noisier set of pairs, as a second opinion. */
async function withRelated(folder: string, s: { name: string; questions: Row[] }) {
  const bySe = new Map(s.questions.map((q) => [q.importId!, q.id]));
  const related: [string, string][] = [];
  await streamRows(path.join(folder, "PostLinks.xml"), 5000, async (rows) => {
    for (const r of rows) {
      if (r.LinkTypeId !== "1") continue;
      const a = bySe.get(r.PostId!);
      const b = bySe.get(r.RelatedPostId!);
      if (a && b && a !== b) related.push([a, b]);
    }
  });
  return { ...s, related };
}
const sites = [];
for (const f of folders) sites.push(await load(f));

const ftsQuery = (text: string) =>
  [...new Set(text.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter((w) => w.length > 1))]
    .slice(0, 200)
    .map((w) => `"${w}"`)
    .join(" OR ");
type Ranks = Map<string, number>; // duplicate id → rank (−1 missing)
function bm25(questions: Row[]): Ranks {
  const fts = new Database(":memory:");
  fts.exec(`CREATE VIRTUAL TABLE plain USING fts5(id UNINDEXED, title, body)`);
  const ins = fts.prepare(`INSERT INTO plain(id, title, body) VALUES (?, ?, ?)`);
  fts.transaction(() => questions.forEach((q) => ins.run(q.id, q.title, q.bodyText)))();
  const stmt = fts.prepare(`SELECT id FROM plain WHERE plain MATCH ? AND id != ? ORDER BY bm25(plain) LIMIT 10`);
  const out: Ranks = new Map();
  for (const q of questions) {
    if (!q.duplicateOfId) continue;
    const ids = (stmt.all(ftsQuery(`${q.title} ${q.bodyText.slice(0, 2000)}`), q.id) as { id: string }[]).map((r) => r.id);
    out.set(q.id, ids.indexOf(q.duplicateOfId));
  }
  fts.close();
  return out;
}
function relatedMrr(questions: Row[], related: [string, string][], tuning: Partial<SimilarTuning>) {
  const index = new QuestionsIndex(tuning);
  index.build(questions.map(toQuestionDoc));
  const byId = new Map(questions.map((q) => [q.id, q]));
  let mrr = 0;
  for (const [a, b] of related) {
    const q = byId.get(a)!;
    const ids = index.similar({ title: q.title, body: q.bodyText.slice(0, 2000), tags: q.tags.map((t) => t.skill.name) }, { limit: 10, exclude: q.id }).map((h) => h.id);
    const at = ids.indexOf(b);
    if (at >= 0) mrr += 1 / (at + 1);
  }
  return [mrr, related.length] as const;
}
const titleOnly = args.includes("--title-only");
function atrium(questions: Row[], tuning: Partial<SimilarTuning>): { ranks: Ranks; lists: Map<string, string[]> } {
  const index = new QuestionsIndex(tuning);
  index.build(questions.map(toQuestionDoc));
  const ranks: Ranks = new Map();
  const lists = new Map<string, string[]>();
  for (const q of questions) {
    if (!q.duplicateOfId) continue;
    const input = titleOnly ? { title: `${q.title} ` } : { title: q.title, body: q.bodyText.slice(0, 2000), tags: q.tags.map((t) => t.skill.name) };
    const ids = index.similar(input, { limit: 10, exclude: q.id }).map((h) => h.id);
    ranks.set(q.id, ids.indexOf(q.duplicateOfId));
    lists.set(q.id, ids);
  }
  return { ranks, lists };
}
const stats = (ranks: Ranks[]) => {
  let n = 0, r5 = 0, mrr = 0;
  for (const m of ranks) for (const at of m.values()) {
    n++;
    if (at >= 0 && at < 5) r5++;
    if (at >= 0) mrr += 1 / (at + 1);
  }
  return `R@5 ${((100 * r5) / n).toFixed(1)} MRR ${(mrr / n).toFixed(3)} (${n})`;
};

const base = sites.map((s) => bm25(s.questions.filter((q) => !q.duplicateOfId || s.questions.some((o) => o.id === q.duplicateOfId))));
console.log(`bm25     | ${sites.map((s, i) => `${s.name.split(".")[0]} ${stats([base[i]!])}`).join(" | ")} | pooled ${stats(base)}`);
for (const v of variants) {
  const res = sites.map((s) => atrium(s.questions.filter((q) => !q.duplicateOfId || s.questions.some((o) => o.id === q.duplicateOfId)), v));
  const rel = sites.map((s) => relatedMrr(s.questions, s.related, v));
  const relText = `related MRR ${(rel.reduce((a, r) => a + r[0], 0) / rel.reduce((a, r) => a + r[1], 0)).toFixed(3)}`;
  console.log(`${JSON.stringify(v)}\n  ${relText} atrium | ${sites.map((s, i) => `${s.name.split(".")[0]} ${stats([res[i]!.ranks])}`).join(" | ")} | pooled ${stats(res.map((r) => r.ranks))}`);
  if (args.includes("--misses")) {
    sites.forEach((s, i) => {
      const byId = new Map(s.questions.map((q) => [q.id, q]));
      for (const [id, at] of res[i]!.ranks) {
        const q = byId.get(id)!;
        const b = base[i]!.get(id)!;
        if (at === 0 && b === 0) continue;
        console.log(`  [${s.name.split(".")[0]}] atrium ${at} bm25 ${b}: "${q.title}" → "${byId.get(q.duplicateOfId!)!.title}"`);
        console.log(`      ranked: ${res[i]!.lists.get(id)!.slice(0, 3).map((x) => `"${byId.get(x)!.title}"`).join(" ; ")}`);
      }
    });
  }
}
console.log(`load ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}`);

// Title-only queries (the Ask form before a body is typed) that return nothing, and whether some
// other question shares two of their words.
if (args.includes("--empty")) {
  const { termsOf } = await import("../server/search/text-terms.js");
  for (const s of sites) {
    const index = new QuestionsIndex(variants[0]);
    index.build(s.questions.map(toQuestionDoc));
    const words = s.questions.map((q) => new Set(termsOf(`${q.title} ${q.bodyText.slice(0, 1500)} ${toQuestionDoc(q).tags}`)));
    for (const [i, q] of s.questions.entries()) {
      for (const [label, input] of [["title", { title: `${q.title} ` }], ["title+body", { title: q.title, body: q.bodyText.slice(0, 2000) }]] as const) {
        if (index.similar(input, { limit: 10, exclude: q.id }).length) continue;
        const mine = new Set(termsOf(`${input.title} ${"body" in input ? input.body : ""}`));
        const sharing = s.questions.findIndex((o, j) => j !== i && [...mine].filter((w) => words[j]!.has(w)).length >= 2);
        console.log(`[${s.name.split(".")[0]}] empty ${label}: "${q.title}" terms ${[...mine].slice(0, 12).join(",")}; shares two with: ${sharing >= 0 ? `"${s.questions[sharing]!.title}"` : "none"}`);
      }
    }
  }
}
