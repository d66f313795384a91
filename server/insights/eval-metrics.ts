/**
 * Metrics for the sentiment and recurring-issue evaluations (training script, eval:insights):
 * accuracy, macro-F1 over the classes present in the gold labels, complaint recall, the share of
 * non-complaints called complaints, and the adjusted Rand index and purity of a clustering.
 */
export type Label = "negative" | "neutral" | "positive";

export interface SentimentMetrics {
  n: number;
  acc: number;
  macroF1: number;
  negRecall: number;
  nonNegAsNeg: number;
  /** Complaints called positive. */
  negAsPos: number;
}

export function sentimentMetrics(gold: readonly Label[], pred: readonly Label[]): SentimentMetrics {
  const classes = (["negative", "neutral", "positive"] as const).filter((c) => gold.includes(c));
  let correct = 0;
  for (let i = 0; i < gold.length; i++) if (gold[i] === pred[i]) correct++;
  const f1s = classes.map((c) => {
    let tp = 0, fp = 0, fn = 0;
    for (let i = 0; i < gold.length; i++) {
      if (pred[i] === c && gold[i] === c) tp++;
      else if (pred[i] === c) fp++;
      else if (gold[i] === c) fn++;
    }
    return tp ? (2 * tp) / (2 * tp + fp + fn) : 0;
  });
  let neg = 0, negHit = 0, negPos = 0, non = 0, nonHit = 0;
  for (let i = 0; i < gold.length; i++) {
    if (gold[i] === "negative") {
      neg++;
      if (pred[i] === "negative") negHit++;
      if (pred[i] === "positive") negPos++;
    } else {
      non++;
      if (pred[i] === "negative") nonHit++;
    }
  }
  const r = (x: number) => Math.round(x * 10000) / 10000;
  return {
    n: gold.length,
    acc: r(correct / Math.max(gold.length, 1)),
    macroF1: r(f1s.reduce((a, b) => a + b, 0) / Math.max(f1s.length, 1)),
    negRecall: r(negHit / Math.max(neg, 1)),
    nonNegAsNeg: r(nonHit / Math.max(non, 1)),
    negAsPos: r(negPos / Math.max(neg, 1)),
  };
}

const choose2 = (n: number) => (n * (n - 1)) / 2;

/**
 * Adjusted Rand index of a clustering against reference classes. `null` in `pred` means
 * unclustered: each such item is its own singleton cluster (the usual convention).
 */
export function adjustedRandIndex(gold: readonly string[], pred: readonly (string | null)[]): number {
  const n = gold.length;
  if (n < 2) return 0;
  const p = pred.map((c, i) => c ?? `\u0000single:${i}`);
  const table = new Map<string, number>();
  const a = new Map<string, number>();
  const b = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const k = `${gold[i]}\u0001${p[i]}`;
    table.set(k, (table.get(k) ?? 0) + 1);
    a.set(gold[i]!, (a.get(gold[i]!) ?? 0) + 1);
    b.set(p[i]!, (b.get(p[i]!) ?? 0) + 1);
  }
  let index = 0;
  for (const v of table.values()) index += choose2(v);
  let sa = 0, sb = 0;
  for (const v of a.values()) sa += choose2(v);
  for (const v of b.values()) sb += choose2(v);
  const expected = (sa * sb) / choose2(n);
  const max = (sa + sb) / 2;
  if (max === expected) return index === expected ? 1 : 0;
  return (index - expected) / (max - expected);
}

/** Share of clustered items whose cluster's majority reason is their own. */
export function purity(gold: readonly string[], pred: readonly (string | null)[]): number {
  const byCluster = new Map<string, Map<string, number>>();
  let clustered = 0;
  for (let i = 0; i < gold.length; i++) {
    const c = pred[i];
    if (c === null || c === undefined) continue;
    clustered++;
    let m = byCluster.get(c);
    if (!m) byCluster.set(c, (m = new Map()));
    m.set(gold[i]!, (m.get(gold[i]!) ?? 0) + 1);
  }
  let majority = 0;
  for (const m of byCluster.values()) majority += Math.max(...m.values());
  return clustered ? majority / clustered : 0;
}
