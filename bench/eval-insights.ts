/**
 * Evaluates Atrium's reading of customer feedback on a labelled file, next to its peers:
 *
 *   npm run eval:insights -- feedback.jsonl
 *
 * One JSON object per line: `text`, optional `label` (negative | neutral | positive), `reason`
 * (the complaint reason, for clustering), `createdAt` (ISO date), `tags` (string array).
 * Sentiment: Atrium's model, VADER (vader-sentiment) and wink-sentiment on the labelled lines.
 * Recurring issues: Atrium's clustering replayed in time order (the same code the product runs) and
 * TF-IDF + k-means (k = number of reasons) on the lines with a reason.
 * Ends with one JSON line of the figures.
 */
import { readFileSync } from "node:fs";
import { loadavg } from "node:os";
import { createRequire } from "node:module";
import { adjustedRandIndex, purity, sentimentMetrics, type Label, type SentimentMetrics } from "../server/insights/eval-metrics.js";
import { clusterTopicOf, replayClusters, topicWords } from "../server/insights/cluster-index.js";
import { predict } from "../server/insights/sentiment-model.js";
import { rng } from "./qa-common.js";

const require = createRequire(import.meta.url);
const vader = require("vader-sentiment") as { SentimentIntensityAnalyzer: { polarity_scores(t: string): { compound: number } } };
const wink = require("wink-sentiment") as (t: string) => { normalizedScore: number };

interface Row {
  text: string;
  label?: Label;
  reason?: string;
  createdAt?: string;
  tags?: string[];
}

const LABELS = new Set(["negative", "neutral", "positive"]);

export function parseLines(content: string): Row[] {
  const rows: Row[] = [];
  content.split("\n").forEach((line, i) => {
    if (!line.trim()) return;
    let o: Row;
    try {
      o = JSON.parse(line) as Row;
    } catch {
      throw new Error(`line ${i + 1}: not JSON`);
    }
    if (typeof o?.text !== "string") throw new Error(`line ${i + 1}: "text" must be a string`);
    if (o.label !== undefined && !LABELS.has(o.label)) throw new Error(`line ${i + 1}: "label" must be negative, neutral or positive`);
    if (o.createdAt !== undefined && Number.isNaN(Date.parse(o.createdAt))) throw new Error(`line ${i + 1}: "createdAt" is not a date`);
    if (o.tags !== undefined && (!Array.isArray(o.tags) || o.tags.some((t) => typeof t !== "string"))) throw new Error(`line ${i + 1}: "tags" must be an array of strings`);
    rows.push(o);
  });
  return rows;
}

const vaderLabel = (t: string): Label => {
  const c = vader.SentimentIntensityAnalyzer.polarity_scores(t).compound;
  return c >= 0.05 ? "positive" : c <= -0.05 ? "negative" : "neutral";
};
const winkLabel = (t: string): Label => {
  const s = wink(t).normalizedScore;
  return s > 0 ? "positive" : s < 0 ? "negative" : "neutral";
};

// --- TF-IDF + k-means (the peer for clustering): cosine, k-means++ with a fixed seed ------------


export function tfidfKmeans(texts: readonly string[], k: number, seed = 42, iterations = 25): number[] {
  const docs = texts.map((t) => topicWords(t));
  const df = new Map<string, number>();
  for (const d of docs) for (const w of new Set(d)) df.set(w, (df.get(w) ?? 0) + 1);
  const vocab = new Map<string, number>();
  const n = docs.length;
  const idf: number[] = [];
  for (const [w, c] of df) {
    if (c < 2) continue;
    vocab.set(w, vocab.size);
    idf.push(Math.log((n + 1) / (c + 1)) + 1);
  }
  const vecs = docs.map((d) => {
    const v = new Map<number, number>();
    for (const w of d) {
      const j = vocab.get(w);
      if (j !== undefined) v.set(j, (v.get(j) ?? 0) + 1);
    }
    let norm = 0;
    for (const [j, c] of v) {
      const x = c * idf[j]!;
      v.set(j, x);
      norm += x * x;
    }
    norm = Math.sqrt(norm) || 1;
    for (const [j, x] of v) v.set(j, x / norm);
    return v;
  });
  const dim = vocab.size;
  const rand = rng(seed);
  const dot = (v: Map<number, number>, c: Float64Array) => {
    let s = 0;
    for (const [j, x] of v) s += x * c[j]!;
    return s;
  };
  const toDense = (v: Map<number, number>) => {
    const c = new Float64Array(dim);
    for (const [j, x] of v) c[j] = x;
    return c;
  };
  // k-means++ seeding on cosine distance.
  const centres: Float64Array[] = [toDense(vecs[Math.floor(rand() * n)]!)];
  while (centres.length < Math.min(k, n)) {
    const d = vecs.map((v) => Math.max(0, 1 - Math.max(...centres.map((c) => dot(v, c)))) ** 2);
    const total = d.reduce((a, b) => a + b, 0);
    let r = rand() * total;
    let pick = 0;
    for (; pick < n - 1 && r > d[pick]!; pick++) r -= d[pick]!;
    centres.push(toDense(vecs[pick]!));
  }
  let assign = new Array<number>(n).fill(0);
  for (let it = 0; it < iterations; it++) {
    const next = vecs.map((v) => {
      let best = 0;
      let bs = -Infinity;
      centres.forEach((c, i) => {
        const s = dot(v, c);
        if (s > bs) [best, bs] = [i, s];
      });
      return best;
    });
    const changed = next.some((a, i) => a !== assign[i]);
    assign = next;
    for (let c = 0; c < centres.length; c++) {
      const sum = new Float64Array(dim);
      let m = 0;
      vecs.forEach((v, i) => {
        if (assign[i] !== c) return;
        m++;
        for (const [j, x] of v) sum[j]! += x;
      });
      if (!m) continue;
      let norm = 0;
      for (const x of sum) norm += x * x;
      norm = Math.sqrt(norm) || 1;
      centres[c] = sum.map((x) => x / norm);
    }
    if (!changed && it > 0) break;
  }
  return assign;
}

// --- main ----------------------------------------------------------------------------------------

const pct = (x: number) => `${(x * 100).toFixed(1)}%`.padStart(6);
const sentimentLine = (name: string, m: SentimentMetrics) =>
  `${name.padEnd(16)} acc ${pct(m.acc)}  macro-F1 ${pct(m.macroF1)}  complaints caught ${pct(m.negRecall)}  non-complaints called negative ${pct(m.nonNegAsNeg)}  complaints called positive ${pct(m.negAsPos)}`;
const strip = ({ n: _n, ...m }: SentimentMetrics) => m;

function main() {
  const file = process.argv[2];
  if (!file) {
    console.error("Usage: npm run eval:insights -- <file.jsonl>");
    process.exit(2);
  }
  let rows: Row[];
  try {
    rows = parseLines(readFileSync(file, "utf8"));
  } catch (e) {
    console.error(`${file}: ${(e as Error).message}`);
    process.exit(2);
  }
  console.log(`${rows.length} lines from ${file}`);

  predict("warm up: the model file is read once");
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const atriumLabels = rows.map((r) => predict(r.text, undefined, { drivers: 0 }).label);
  const cpu = process.cpuUsage(c0);
  const msPerMessage = (performance.now() - t0) / Math.max(rows.length, 1);
  const cpuMsPerMessage = (cpu.user + cpu.system) / 1000 / Math.max(rows.length, 1);

  const labelled = rows.map((r, i) => ({ r, i })).filter((x) => x.r.label);
  const gold = labelled.map((x) => x.r.label!);
  let sentiment: Record<string, unknown> | null = null;
  if (labelled.length) {
    const atrium = sentimentMetrics(gold, labelled.map((x) => atriumLabels[x.i]!));
    const v = sentimentMetrics(gold, labelled.map((x) => vaderLabel(x.r.text)));
    const w = sentimentMetrics(gold, labelled.map((x) => winkLabel(x.r.text)));
    console.log(`\nSentiment, ${labelled.length} labelled lines (Atrium ${cpuMsPerMessage.toFixed(3)} ms CPU, ${msPerMessage.toFixed(3)} ms wall a message; load average ${loadavg().map((x) => x.toFixed(2)).join(" ")}):`);
    console.log(sentimentLine("Atrium", atrium));
    console.log(sentimentLine("VADER", v));
    console.log(sentimentLine("wink-sentiment", w));
    console.log(`Atrium − best peer: macro-F1 ${((atrium.macroF1 - Math.max(v.macroF1, w.macroF1)) * 100).toFixed(1)} points, complaints caught ${((atrium.negRecall - Math.max(v.negRecall, w.negRecall)) * 100).toFixed(1)} points`);
    sentiment = { ...strip(atrium), vader: strip(v), wink: strip(w) };
  } else console.log("\nSentiment: no labelled lines.");

  const withReason = rows.map((r, i) => ({ r, i })).filter((x) => x.r.reason);
  let clusters: Record<string, unknown> | null = null;
  if (withReason.length >= 2) {
    const base = Date.parse("2026-01-01T00:00:00Z");
    const replay = replayClusters(
      withReason.map(({ r, i }) => ({ id: String(i), text: r.text, at: r.createdAt ? Date.parse(r.createdAt) : base + i * 60_000, label: atriumLabels[i]!, tags: r.tags ?? [] })),
    );
    const reasons = withReason.map((x) => x.r.reason!);
    const pred = withReason.map((x) => replay.get(String(x.i)) ?? null);
    const k = new Set(reasons).size;
    const km = tfidfKmeans(withReason.map((x) => x.r.text), k).map(String);
    const unclustered = pred.filter((p) => p === null).length / pred.length;
    const r4 = (x: number) => Math.round(x * 10000) / 10000;
    const atrium = { ari: r4(adjustedRandIndex(reasons, pred)), purity: r4(purity(reasons, pred)), unclustered: r4(unclustered) };
    const kmeans = { ari: r4(adjustedRandIndex(reasons, km)), purity: r4(purity(reasons, km)), unclustered: 0 };
    const mixed = countMixed(withReason.map((x) => atriumLabels[x.i]!), pred);
    // Topics alone: the customer topic each line is filed under, as a partition of the reasons.
    const topicOf = withReason.map((x) => clusterTopicOf(x.r.text, atriumLabels[x.i]!));
    const topics = { coverage: r4(topicOf.filter(Boolean).length / topicOf.length), purity: r4(purity(reasons, topicOf)), ari: r4(adjustedRandIndex(reasons, topicOf.map((t) => t ?? "(none)"))) };
    console.log(`\nRecurring issues, ${withReason.length} lines with a reason (${k} reasons):`);
    console.log(`Atrium           ARI ${atrium.ari.toFixed(3)}  purity ${pct(atrium.purity)}  unclustered ${pct(atrium.unclustered)}  clusters ${new Set(pred.filter(Boolean)).size}  mixing complaints with praise ${mixed}`);
    console.log(`TF-IDF + k-means ARI ${kmeans.ari.toFixed(3)}  purity ${pct(kmeans.purity)}  unclustered ${pct(0)}  clusters ${k}`);
    console.log(`Topics alone     ARI ${topics.ari.toFixed(3)}  purity ${pct(topics.purity)}  a topic recognised ${pct(topics.coverage)}`);
    clusters = { ...atrium, kmeans, topics };
  } else console.log("\nRecurring issues: fewer than two lines with a reason.");

  console.log(JSON.stringify({ sentiment, clusters, n: rows.length }));
}

function countMixed(labels: string[], pred: (string | null)[]) {
  const seen = new Map<string, Set<string>>();
  pred.forEach((c, i) => {
    if (!c) return;
    let s = seen.get(c);
    if (!s) seen.set(c, (s = new Set()));
    s.add(labels[i]!);
  });
  return [...seen.values()].filter((s) => s.has("negative") && s.has("positive")).length;
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split("/").pop()!)) main();
