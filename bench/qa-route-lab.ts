/**
 * Routing variants on real dumps, replayed in time order, scored on the part before the split:
 *   npx tsx bench/qa-route-lab.ts <dump folder>... [--variants '<json array of weights>'] [--valid | --test]
 * Each site is imported once and cached as JSON in /tmp/atrium-bench. Prints hit@3/hit@5 per site
 * and pooled for every variant, best first by the mean over sites of hit@3 + hit@5 before the
 * split. --valid scores the first 60 % and shows 60–80 % beside it (choose on one, check on the
 * other, never reading the part after the 80 % split); --test shows the part after the split (to
 * report, not to tune).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { createDb, tuneSqlite } from "../server/db.js";
import { questionDocInclude } from "../server/domain/qa-indexes.js";
import { importStackExchange } from "../server/import/stackexchange.js";
import { AnswererIndex, type RouteWeights } from "../server/search/answerer-index.js";
import { freshBenchDb } from "./qa-common.js";

interface Q {
  id: string;
  at: number;
  authorId: string;
  title: string;
  bodyText: string;
  tags: string[];
}
interface A {
  questionId: string;
  authorId: string;
  at: number;
  accepted: boolean;
  bodyText: string;
}

async function load(folder: string): Promise<{ name: string; questions: Q[]; answers: A[] }> {
  const name = path.basename(path.resolve(folder));
  const cache = path.join("/tmp/atrium-bench", `route-lab-${name}.json`);
  if (existsSync(cache)) return JSON.parse(readFileSync(cache, "utf8"));
  const scratch = freshBenchDb("route-lab");
  const db = await createDb(scratch.url);
  await tuneSqlite(db);
  await importStackExchange({ db, env: { DATABASE_URL: scratch.url } }, path.resolve(folder));
  const qs = await db.question.findMany({ where: { deletedAt: null }, include: questionDocInclude, orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
  const as = await db.answer.findMany({
    where: { deletedAt: null },
    select: { questionId: true, authorId: true, createdAt: true, acceptedAt: true, bodyText: true },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
  });
  await db.$disconnect();
  scratch.dispose();
  const out = {
    name,
    questions: qs.map((q) => ({ id: q.id, at: q.createdAt.getTime(), authorId: q.authorId, title: q.title, bodyText: q.bodyText, tags: q.tags.map((t) => t.skill.name) })),
    answers: as.map((a) => ({ questionId: a.questionId, authorId: a.authorId, at: a.createdAt.getTime(), accepted: !!a.acceptedAt, bodyText: a.bodyText })),
  };
  mkdirSync(path.dirname(cache), { recursive: true });
  writeFileSync(cache, JSON.stringify(out));
  return out;
}

type Site = Awaited<ReturnType<typeof load>>;

/** hit counts [h3, h5, n] for the train part (before the split) and the test part. */
export function replay(s: Site, w: Partial<RouteWeights>, split = 0.8, stop = 1) {
  const byId = new Map(s.questions.map((q) => [q.id, q]));
  const acceptedBy = new Map<string, string>();
  for (const a of s.answers) if (a.accepted) acceptedBy.set(a.questionId, a.authorId);
  const cut = s.questions[Math.min(s.questions.length - 1, Math.floor(s.questions.length * split))]!.at;
  const end = stop < 1 ? s.questions[Math.floor(s.questions.length * stop)]!.at : Infinity;
  const idx = new AnswererIndex(w);
  const train = [0, 0, 0];
  const test = [0, 0, 0];
  let next = 0;
  for (const q of s.questions) {
    const truth = acceptedBy.get(q.id);
    if (!truth || truth === q.authorId) continue;
    if (q.at >= end) break;
    while (next < s.answers.length && s.answers[next]!.at < q.at) {
      const a = s.answers[next++]!;
      const aq = byId.get(a.questionId);
      if (!aq) continue;
      idx.add({ authorId: a.authorId, at: new Date(a.at), questionText: `${aq.title} ${aq.bodyText}`, answerText: a.bodyText, tags: aq.tags, accepted: a.accepted, responseMs: a.at - aq.at });
    }
    const r = idx.rank({ text: `${q.title} ${q.title} ${q.bodyText}`, tags: q.tags, at: new Date(q.at), exclude: new Set([q.authorId]), limit: 5 }).map((p) => p.userId);
    const at = r.indexOf(truth);
    const h = q.at < cut ? train : test;
    h[2]!++;
    if (at >= 0 && at < 3) h[0]!++;
    if (at >= 0) h[1]!++;
  }
  return { train, test };
}

const args = process.argv.slice(2);
const vi = args.indexOf("--variants");
const showTest = args.includes("--test") || args.includes("--valid");
// --valid: choose on the first 60% and check on 60–80%, never reading the part after the 80% split.
const [split, stop] = args.includes("--valid") ? [0.6, 0.8] : [0.8, 1];
const folders = args.filter((a, i) => !a.startsWith("--") && args[i - 1] !== "--variants");
const sites: Site[] = [];
for (const f of folders) sites.push(await load(f));
const variants: Partial<RouteWeights>[] = vi >= 0 ? JSON.parse(args[vi + 1]!) : [{}];
const pct = (h: number[]) => `${((100 * h[0]!) / Math.max(1, h[2]!)).toFixed(1)}/${((100 * h[1]!) / Math.max(1, h[2]!)).toFixed(1)}`;
const rows = variants.map((v) => {
  const per = sites.map((s) => replay(s, v, split, stop));
  const pool = [0, 1, 2].map((k) => per.reduce((a, p) => a + p.train[k]!, 0));
  // Mean over sites of hit@3 + hit@5 (each site counts the same), and the pooled figure.
  const mean = per.reduce((a, p) => a + (p.train[0]! + p.train[1]!) / Math.max(1, p.train[2]!), 0) / per.length;
  return { v, per, pool, mean };
});
rows.sort((a, b) => b.mean - a.mean);
for (const r of rows.slice(0, Number(process.env.TOP ?? 15))) {
  console.log(
    `${r.mean.toFixed(3)} pooled ${pct(r.pool)} | ${r.per.map((p, i) => `${sites[i]!.name.split(".")[0]} ${pct(p.train)}${showTest ? ` ${stop < 1 ? "valid" : "test"} ${pct(p.test)}` : ""}`).join(" | ")} ${JSON.stringify(r.v)}`,
  );
}
