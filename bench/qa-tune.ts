/**
 * Tunes the similar-questions and routing weights on dumps (train part only for routing):
 *   npx tsx bench/qa-tune.ts <dump folder>...
 * Similar questions are scored on duplicate links plus "related" links (LinkTypeId 1, a larger,
 * noisier set of pairs); routing on the questions before the 80% split, replayed in time order.
 */
import path from "node:path";
import { createDb, tuneSqlite } from "../server/db.js";
import { questionDocInclude, toQuestionDoc } from "../server/domain/qa-indexes.js";
import { importStackExchange, streamRows } from "../server/import/stackexchange.js";
import { AnswererIndex, type RouteWeights } from "../server/search/answerer-index.js";
import { QuestionsIndex, type SimilarTuning } from "../server/search/questions-index.js";
import { freshBenchDb } from "./qa-common.js";

async function load(folder: string) {
  const scratch = freshBenchDb("tune");
  const db = await createDb(scratch.url);
  await tuneSqlite(db);
  const imp = await importStackExchange({ db, env: { DATABASE_URL: scratch.url } }, path.resolve(folder));
  const questions = await db.question.findMany({ where: { deletedAt: null, importSource: imp.source }, include: questionDocInclude, orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
  const answers = await db.answer.findMany({ where: { deletedAt: null }, select: { questionId: true, authorId: true, createdAt: true, acceptedAt: true, bodyText: true }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
  const bySe = new Map(questions.map((q) => [q.importId!, q]));
  const pairs: { q: (typeof questions)[number]; target: string; kind: "dup" | "rel" }[] = [];
  for (const q of questions) if (q.duplicateOfId) pairs.push({ q, target: q.duplicateOfId, kind: "dup" });
  await streamRows(path.join(folder, "PostLinks.xml"), 5000, async (rows) => {
    for (const r of rows) {
      if (r.LinkTypeId !== "1") continue;
      const a = bySe.get(r.PostId!);
      const b = bySe.get(r.RelatedPostId!);
      if (a && b && a.id !== b.id) pairs.push({ q: a, target: b.id, kind: "rel" });
    }
  });
  await db.$disconnect();
  scratch.dispose();
  return { folder, questions, answers, pairs };
}
const sites: Awaited<ReturnType<typeof load>>[] = [];
for (const folder of process.argv.slice(2)) sites.push(await load(folder));

function similarScore(tuning: Partial<SimilarTuning>) {
  const out = { dup: 0, rel: 0, nd: 0, nr: 0, dr5: 0 };
  for (const s of sites) {
    const index = new QuestionsIndex(tuning);
    index.build(s.questions.map(toQuestionDoc));
    for (const p of s.pairs) {
      const hits = index.similar({ title: p.q.title, body: p.q.bodyText.slice(0, 2000), tags: p.q.tags.map((t) => t.skill.name) }, { limit: 10, exclude: p.q.id });
      const at = hits.findIndex((h) => h.id === p.target);
      const rr = at >= 0 ? 1 / (at + 1) : 0;
      if (p.kind === "dup") {
        out.dup += rr;
        out.nd++;
        if (at >= 0 && at < 5) out.dr5++;
      } else {
        out.rel += rr;
        out.nr++;
      }
    }
  }
  return { dupMrr: out.dup / out.nd, dupR5: out.dr5 / out.nd, relMrr: out.rel / out.nr, n: [out.nd, out.nr] };
}

function routeScore(w: Partial<RouteWeights>, split = 0.8) {
  let h3 = 0;
  let h5 = 0;
  let n = 0;
  for (const s of sites) {
    const byId = new Map(s.questions.map((q) => [q.id, q]));
    const acceptedBy = new Map<string, string>();
    for (const a of s.answers) if (a.acceptedAt) acceptedBy.set(a.questionId, a.authorId);
    const cut = s.questions[Math.floor(s.questions.length * split)]!.createdAt;
    const idx = new AnswererIndex(w);
    let next = 0;
    for (const q of s.questions) {
      if (q.createdAt >= cut) break;
      while (next < s.answers.length && s.answers[next]!.createdAt < q.createdAt) {
        const a = s.answers[next++]!;
        const aq = byId.get(a.questionId);
        if (!aq) continue;
        idx.add({ authorId: a.authorId, at: a.createdAt, questionText: `${aq.title} ${aq.bodyText}`, answerText: a.bodyText, tags: aq.tags.map((t) => t.skill.name), accepted: !!a.acceptedAt, responseMs: a.createdAt.getTime() - aq.createdAt.getTime() });
      }
      const truth = acceptedBy.get(q.id);
      if (!truth || truth === q.authorId) continue;
      const r = idx.rank({ text: `${q.title} ${q.title} ${q.bodyText}`, tags: q.tags.map((t) => t.skill.name), at: q.createdAt, exclude: new Set([q.authorId]), limit: 5 }).map((p) => p.userId);
      const at = r.indexOf(truth);
      n++;
      if (at >= 0 && at < 3) h3++;
      if (at >= 0) h5++;
    }
  }
  return { hit3: h3 / n, hit5: h5 / n, n };
}

const mode = process.env.TUNE ?? "both";
if (mode !== "similar") routing();
if (mode !== "routing") {
  console.log("default", similarScore({}));
  const grid: Partial<SimilarTuning>[] = [];
  for (const title of [3, 5]) for (const bodyTerms of [30, 60]) for (const b of [0.5, 0.75, 0.9]) for (const tagLift of [0, 0.15]) grid.push({ title, tags: 1, bodyTerms, bodyQuery: 0.5, tagLift, bm25: { k: 1.2, b, d: 0.5 } });
  const res = grid.map((g) => ({ g, s: similarScore(g) }));
  res.sort((a, b) => b.s.dupMrr + b.s.relMrr - (a.s.dupMrr + a.s.relMrr));
  for (const r of res.slice(0, 12)) console.log(JSON.stringify(r.g), JSON.stringify(r.s));
}
function routing() {
  console.log("default", routeScore({}));
  const res = [];
  for (const text of [0.5, 1, 1.5]) for (const tags of [0, 0.5]) for (const activity of [0.5, 1]) for (const halfLifeDays of [21, 30, 90]) for (const quick of [0, 0.5]) for (const answers of [0, 0.1, 0.3]) {
    const g = { text, tags, activity, halfLifeDays, quick, answers };
    res.push({ g, s: routeScore(g) });
  }
  res.sort((a, b) => b.s.hit3 + b.s.hit5 - (a.s.hit3 + a.s.hit5));
  for (const r of res.slice(0, 12)) console.log(JSON.stringify(r.g), JSON.stringify(r.s));
}
