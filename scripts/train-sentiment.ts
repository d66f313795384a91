/**
 * Trains the sentiment model and writes server/insights/sentiment-model.json.
 *
 *   npm run train:sentiment            (data from ../shared/data/sentiment, or SENTIMENT_DATA=dir;
 *                                       SENTIMENT_OUT=file writes elsewhere, for experiments)
 *
 * Training data: semeval2017_task4a/train.jsonl (tweets, 3 classes), uci_sentiment_labelled_sentences/train.jsonl
 * (review sentences, negative/positive: complaints about products and service in another register
 * than tweets), plus scripts/data/sentiment-cues.jsonl:
 * sentences of our own, written for the cues the tweets barely teach (sarcastic thanks next to
 * trouble, complaints with no emotional word, customer-service complaints such as "still waiting
 * for my refund" or "on hold for 2 hours", neutral questions to a company, and neutral or positive
 * sentences about the same nouns the complaints use, so a noun alone is no complaint), each counted
 * CUE_REPEAT times, plus the customer-service messages of scripts/customer-service-sentences.ts
 * (GEN_PER_CLASS complaints, neutral lines and praise, each counting GEN_WEIGHT, complaints ×GEN_NEG_WEIGHT; generated at each
 * run, never committed). Lexicon features use the VADER lexicon (node_modules/vader-sentiment/vader_lexicon.txt),
 * which the model file carries. Calibration (temperature) and the routing thresholds: the validation
 * splits of both corpora (semeval2017_task4a/ and uci_sentiment_labelled_sentences/validation.jsonl); the customer
 * register's complaint threshold (decision 570) from out-of-fold predictions (four more models, each
 * trained without one group of SemEval source files) and the validation splits' register rows.
 * Reported, never trained on: semeval2017_task4a/test.jsonl,
 * uci_sentiment_labelled_sentences/test.jsonl, tests/fixtures/sentiment-customer-check.jsonl and
 * sentiment-customer-check-2.jsonl (hand-written customer-service messages, optimistic). The corpus texts stay outside the
 * repository; only weights and the lexicon are written.
 * Deterministic: fixed seed, fixed order, no parallelism.
 */
import { createHash } from "node:crypto";
import { createRequire } from "node:module";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { sentimentMetrics, type Label } from "../server/insights/eval-metrics.js";
import { extractFeatures, type Feature, type Lexicon } from "../server/insights/sentiment-features.js";
import { CLASSES, decide, featureWeight, logits, modelFromFile, softmax, thresholdsFor, type Model, type ModelFile } from "../server/insights/sentiment-model.js";
import { customerRegister } from "../server/insights/customer-register.js";
import { rng } from "../bench/qa-common.js";
import { generateCustomerSentences } from "./customer-service-sentences.js";
import { namesCompanyOrService } from "./company-tweets.js";

const here = dirname(fileURLToPath(import.meta.url));
// The shared folder sits beside the repository (or beside the folder of a git worktree).
const DATA = resolve(
  process.env.SENTIMENT_DATA ??
    [resolve(here, "../../shared/data/sentiment"), resolve(here, "../../../shared/data/sentiment")].find((d) => existsSync(d)) ??
    resolve(here, "../../shared/data/sentiment"),
);
const OUT = resolve(process.env.SENTIMENT_OUT ?? resolve(here, "../server/insights/sentiment-model.json"));
const SEED = 20261203;
const BUCKETS = 1 << 18;
const EPOCHS = Number(process.env.EPOCHS ?? 3);
const LR = Number(process.env.LR ?? 0.1);
const L2 = Number(process.env.L2 ?? 1e-4);
/** Routing wants complaints caught: the negative threshold is the lowest probability that keeps
 * non-complaints called negative at or below this share on the validation splits. The goal is 15 %;
 * the budget is one point under it because held-out tweets ran about 3 points above validation
 * (decision 210). */
const MAX_NON_NEG_AS_NEG = 0.14;
/** The pooled budget is mostly tweets; review sentences, the register nearest customer feedback
 * among the corpora, must also stay within the 15 % goal on their own (decision 300). */
const MAX_REVIEW_NON_NEG_AS_NEG = 0.15;

interface Row {
  text: string;
  label: Label;
  /** How much the row counts in training (1 unless said otherwise). */
  weight?: number;
}

function load(rel: string): Row[] {
  const path = resolve(DATA, rel);
  if (!existsSync(path)) {
    console.error(`Missing ${path}. Set SENTIMENT_DATA to the folder holding semeval2017_task4a/ and uci_sentiment_labelled_sentences/.`);
    process.exit(2);
  }
  return readFileSync(path, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Row);
}


const sha = (rel: string) => createHash("sha256").update(readFileSync(resolve(DATA, rel))).digest("hex").slice(0, 12);

const CUE_REPEAT = 10;
const cues = readFileSync(resolve(here, "data/sentiment-cues.jsonl"), "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l) as Row);
const tweets = load("semeval2017_task4a/train.jsonl");
const reviews = load("uci_sentiment_labelled_sentences/train.jsonl");
// Generated customer-service lines: 5,000 a class; the complaints count three times (decision 300):
// customer feedback is mostly complaints, and the shift towards "negative" is learnt on the words of
// customer-service messages instead of lowering the threshold for every text.
const GEN_PER_CLASS = Number(process.env.GEN_PER_CLASS ?? 5000);
const GEN_WEIGHT = Number(process.env.GEN_WEIGHT ?? 1);
const GEN_NEG_WEIGHT = Number(process.env.GEN_NEG_WEIGHT ?? 3);
const generated: Row[] = GEN_PER_CLASS > 0 ? generateCustomerSentences(SEED, GEN_PER_CLASS).map((r) => ({ ...r, weight: GEN_WEIGHT * (r.label === "negative" ? GEN_NEG_WEIGHT : 1) })) : [];
const train = [...tweets, ...reviews, ...Array.from({ length: CUE_REPEAT }, () => cues).flat(), ...generated];
const validation = load("semeval2017_task4a/validation.jsonl");
const test = load("semeval2017_task4a/test.jsonl");
const uciValidation = load("uci_sentiment_labelled_sentences/validation.jsonl");
const uciTest = load("uci_sentiment_labelled_sentences/test.jsonl");
const readCheck = (name: string) => readFileSync(resolve(here, `../tests/fixtures/${name}`), "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l) as Row);
const checkSet = readCheck("sentiment-customer-check.jsonl");
const checkSet2 = readCheck("sentiment-customer-check-2.jsonl");

// The VADER lexicon (MIT, C.J. Hutto; file from the vader-sentiment package, Apache-2.0), lower-cased
// as the tokens are; the first spelling of a word wins.
const require = createRequire(import.meta.url);
const lexiconPath = resolve(dirname(require.resolve("vader-sentiment/package.json")), "vader_lexicon.txt");
const lexiconEntries: Record<string, number> = {};
for (const line of readFileSync(lexiconPath, "utf8").split("\n")) {
  const [word, valence] = line.split("\t");
  if (!word || valence === undefined || Number.isNaN(Number(valence))) continue;
  const w = word.toLowerCase();
  if (!(w in lexiconEntries)) lexiconEntries[w] = Number(valence);
}
const lexicon: Lexicon = new Map(Object.entries(lexiconEntries));

const t0 = Date.now();
const pct = (x: number) => `${(x * 100).toFixed(1)}%`.padStart(6);
const classIndex = (l: Label) => CLASSES.indexOf(l);
const featurise = (rows: Row[]) => rows.map((r) => ({ feats: extractFeatures(r.text, lexicon), y: classIndex(r.label), w: r.weight ?? 1 }));
const trainX = featurise(train);
console.log(`features: ${trainX.length} training texts in ${Date.now() - t0} ms`);

type Example = { feats: Feature[]; y: number; w: number };
const validationX = featurise(validation);

/**
 * Multinomial logistic regression, AdaGrad, L2 on the touched weights, fixed-order shuffles from a
 * fresh generator: the same rows give the same weights. Class weights: each class counts as much in
 * total, so the rare complaints are not drowned out.
 */
function fit(rows: readonly Example[], log = false) {
  const counts = [0, 0, 0];
  let total = 0;
  for (const r of rows) {
    counts[r.y]! += r.w;
    total += r.w;
  }
  const classWeight = counts.map((c) => total / (3 * c));
  const W = new Float32Array(BUCKETS * 3);
  const G = new Float32Array(BUCKETS * 3).fill(1e-8);
  const bias = [0, 0, 0];
  const biasG = [1e-8, 1e-8, 1e-8];
  const rand = rng(SEED);
  const order = rows.map((_, i) => i);
  const dense = { buckets: BUCKETS, weights: W, bias: new Float32Array(3), temperature: 1, thresholds: { negative: 0.5, positive: 0.5 } } satisfies Model;
  for (let epoch = 0; epoch < EPOCHS; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    let loss = 0;
    for (const idx of order) {
      const { feats, y, w } = rows[idx]!;
      dense.bias.set(bias);
      const p = softmax(logits(dense, feats));
      loss -= Math.log(Math.max(p[y]!, 1e-12)) * classWeight[y]! * w;
      const v = featureWeight(feats.length);
      const cw = classWeight[y]! * w;
      for (let c = 0; c < 3; c++) {
        const g = (p[c]! - (c === y ? 1 : 0)) * cw;
        biasG[c]! += g * g;
        bias[c]! -= (LR * g) / Math.sqrt(biasG[c]!);
        for (const f of feats) {
          const o = (f.hash % BUCKETS) * 3 + c;
          const gw = g * v + L2 * W[o]!;
          G[o]! += gw * gw;
          W[o]! -= (LR * gw) / Math.sqrt(G[o]!);
        }
      }
    }
    dense.bias.set(bias);
    if (log) console.log(`epoch ${epoch + 1}: loss ${(loss / order.length).toFixed(4)}; validation argmax macro-F1 ${evaluate(dense, validationX, validation).macroF1}`);
  }
  return { W, bias };
}

const { W, bias } = fit(trainX, true);

function evaluate(model: Model, X: { feats: Feature[] }[], rows: Row[]) {
  const pred = X.map((x) => CLASSES[argmax(logits(model, x.feats))]!);
  return sentimentMetrics(rows.map((r) => r.label), pred);
}
function argmax(z: readonly number[]) {
  let b = 0;
  for (let i = 1; i < z.length; i++) if (z[i]! > z[b]!) b = i;
  return b;
}

// Quantise to int8 on a square-root scale: most weights are small, and a linear step (the largest
// weight / 127) rounded them by ~10 %; the square root spends the steps where the weights are.
// The file stays small; the figures below are those of the quantised model.
function quantise(W: Float32Array) {
  let maxAbs = 0;
  for (const w of W) maxAbs = Math.max(maxAbs, Math.abs(w));
  const q = new Int8Array(W.length);
  for (let i = 0; i < W.length; i++) q[i] = Math.sign(W[i]!) * Math.min(127, Math.round(Math.sqrt(Math.abs(W[i]!) / maxAbs) * 127));
  return { scale: maxAbs / 127, weights: Buffer.from(q.buffer).toString("base64") };
}
const { scale, weights } = quantise(W);

const file: ModelFile = {
  format: "atrium-sentiment/1",
  buckets: BUCKETS,
  scale,
  quantisation: "sqrt",
  weights,
  bias,
  temperature: 1,
  thresholds: { negative: 0.5, positive: 0.5 },
  lexicon: lexiconEntries,
  lexiconSource: "VADER lexicon (C.J. Hutto and E. Gilbert, ICWSM 2014; MIT licence), vader_lexicon.txt of the vader-sentiment 1.1.3 package (Apache-2.0, Comcast)",
  trainedOn: `semeval2017_task4a/train.jsonl sha256:${sha("semeval2017_task4a/train.jsonl")}… (${tweets.length} tweets) + uci_sentiment_labelled_sentences/train.jsonl sha256:${sha("uci_sentiment_labelled_sentences/train.jsonl")}… (${reviews.length} sentences) + scripts/data/sentiment-cues.jsonl ×${CUE_REPEAT} + scripts/customer-service-sentences.ts (seed ${SEED}, ${generated.length} lines ×${GEN_WEIGHT}, complaints ×${GEN_NEG_WEIGHT}), calibrated on semeval2017_task4a/validation.jsonl sha256:${sha("semeval2017_task4a/validation.jsonl")}… + uci_sentiment_labelled_sentences/validation.jsonl sha256:${sha("uci_sentiment_labelled_sentences/validation.jsonl")}…`,
  seed: SEED,
};

// Calibration: one temperature for the softmax, the one with the lowest validation log-loss, on the
// validation splits of both corpora the model learns from.
const calibration = [...validation, ...uciValidation];
const valX = featurise(calibration);
const quantised = modelFromFile(file);
const valZ = valX.map((x) => logits(quantised, x.feats));
let best = { t: 1, nll: Infinity };
for (let t = 0.3; t <= 3.001; t += 0.05) {
  let nll = 0;
  valZ.forEach((z, i) => (nll -= Math.log(Math.max(softmax(z, t)[valX[i]!.y]!, 1e-12))));
  if (nll < best.nll) best = { t, nll };
}
file.temperature = Math.round(best.t * 100) / 100;
const valP = valZ.map((z) => softmax(z, file.temperature));

// Thresholds: negative at the lowest probability whose false-alarm share stays within both budgets;
// positive at the one that maximises validation macro-F1 given that negative threshold.
const gold = calibration.map((r) => r.label);
const uciGold = uciValidation.map((r) => r.label);
const uciP = valP.slice(validation.length);
let negT = 0.5;
for (let t = 0.1; t <= 0.9001; t += 0.01) {
  const m = sentimentMetrics(gold, valP.map((p) => (p[0]! >= t ? "negative" : "neutral")));
  const reviews = sentimentMetrics(uciGold, uciP.map((p) => (p[0]! >= t ? "negative" : "neutral")));
  if (m.nonNegAsNeg <= MAX_NON_NEG_AS_NEG && reviews.nonNegAsNeg <= MAX_REVIEW_NON_NEG_AS_NEG) {
    negT = Math.round(t * 100) / 100;
    break;
  }
}
let posT = { t: 0.5, f1: -1 };
for (let t = 0.2; t <= 0.8001; t += 0.01) {
  const m = sentimentMetrics(gold, valP.map((p) => decide(p, { negative: negT, positive: t }).label));
  if (m.macroF1 > posT.f1) posT = { t: Math.round(t * 100) / 100, f1: m.macroF1 };
}
file.thresholds = { negative: negT, positive: posT.t };

// The customer register (decision 570): text addressed to an @handle or naming a company or service
// matter gets its own complaint threshold, the lowest P(negative) keeping non-complaints called
// negative ≤ MAX_CUSTOMER_NON_NEG_AS_NEG on validation text of that register: the register's rows of
// both validation splits, and out-of-fold predictions for the register's rows of both training
// corpora. The folds are groups of SemEval source files (collected at different times on different
// topics, as held-out tweets are), so a fold's model has seen no tweet of the files it predicts;
// review sentences go round the folds by line. Never above the general threshold.
const MAX_CUSTOMER_NON_NEG_AS_NEG = Number(process.env.MAX_CUSTOMER_FA ?? 0.13);
const TWEET_FOLDS: readonly (readonly string[])[] = [
  ["twitter-2016test-A.tsv"],
  ["twitter-2013train-A.tsv"],
  ["twitter-2013dev-A.tsv", "twitter-2013test-A.tsv", "twitter-2014test-A.tsv", "twitter-2015train-A.tsv"],
  ["twitter-2015test-A.tsv", "twitter-2016train-A.tsv", "twitter-2016devtest-A.tsv"],
];
const tweetSource = readFileSync(resolve(DATA, "semeval2017_task4a/train.meta.tsv"), "utf8").split("\n").slice(1).filter(Boolean).map((l) => l.split("\t")[1]!);
if (tweetSource.length !== tweets.length) throw new Error("semeval2017_task4a/train.meta.tsv does not match train.jsonl line for line");
const corpusTrain = [...tweets, ...reviews]; // the first rows of `train`, in this order
const foldOf = corpusTrain.map((_, i) => (i < tweets.length ? TWEET_FOLDS.findIndex((files) => files.includes(tweetSource[i]!)) : (i - tweets.length) % TWEET_FOLDS.length));
if (foldOf.includes(-1)) throw new Error("a SemEval source file in no fold");
const registerPool: { label: Label; p: number[]; source: string }[] = [];
for (let fold = 0; fold < TWEET_FOLDS.length; fold++) {
  const tf = Date.now();
  const part = fit(trainX.filter((_, i) => i >= corpusTrain.length || foldOf[i] !== fold));
  const foldModel = modelFromFile({ ...file, ...quantise(part.W), bias: part.bias });
  let n = 0;
  corpusTrain.forEach((r, i) => {
    if (foldOf[i] !== fold || !customerRegister(r.text)) return;
    n++;
    registerPool.push({ label: r.label, p: softmax(logits(foldModel, trainX[i]!.feats), file.temperature), source: i < tweets.length ? tweetSource[i]! : "reviews" });
  });
  console.log(`register fold ${fold + 1}/${TWEET_FOLDS.length}: ${n} held-out training texts of the register, ${((Date.now() - tf) / 1000).toFixed(1)} s`);
}
calibration.forEach((r, i) => {
  if (customerRegister(r.text)) registerPool.push({ label: r.label, p: valP[i]!, source: i < validation.length ? "tweets-validation" : "reviews-validation" });
});
// The budget holds on the whole pool and on the register's rows of the SemEval validation split
// alone: the pool is mostly 2013–2014 tweets, whose non-complaints the model rarely calls negative;
// the validation split (2016), which no model here trained on, is nearer held-out tweets.
const registerValidation = registerPool.filter((r) => r.source === "tweets-validation");
const falseAlarms = (rows: typeof registerPool, t: number) => sentimentMetrics(rows.map((r) => r.label), rows.map((r) => (r.p[0]! >= t ? "negative" : "neutral"))).nonNegAsNeg;
let customerNegT = negT;
for (let t = 0.1; t <= negT + 0.0001; t += 0.01) {
  if (falseAlarms(registerPool, t) <= MAX_CUSTOMER_NON_NEG_AS_NEG && falseAlarms(registerValidation, t) <= MAX_CUSTOMER_NON_NEG_AS_NEG) {
    customerNegT = Math.round(t * 100) / 100;
    break;
  }
}
file.thresholds.customerNegative = customerNegT;
{
  const at = (t: number) => sentimentMetrics(registerPool.map((r) => r.label), registerPool.map((r) => decide(r.p, { negative: t, positive: posT.t }).label));
  const m = at(customerNegT);
  const g = at(negT);
  console.log(`customer register validation (${registerPool.length} texts, out-of-fold): threshold ${customerNegT}: macro-F1 ${pct(m.macroF1)}  neg recall ${pct(m.negRecall)}  non-neg as neg ${pct(m.nonNegAsNeg)}; at the general ${negT}: ${pct(g.macroF1)} / ${pct(g.negRecall)} / ${pct(g.nonNegAsNeg)}`);
  for (const t of [0.3, 0.33, 0.36, 0.39, 0.42]) {
    const a = at(t);
    const v = sentimentMetrics(registerValidation.map((r) => r.label), registerValidation.map((r) => decide(r.p, { negative: t, positive: posT.t }).label));
    console.log(`  at ${t.toFixed(2)}: pool ${pct(a.negRecall)} caught, ${pct(a.nonNegAsNeg)} false alarms; SemEval validation's register (${registerValidation.length}) ${pct(v.negRecall)} / ${pct(v.nonNegAsNeg)}`);
  }
}

writeFileSync(OUT, JSON.stringify(file));
console.log(`wrote ${OUT} (${(readFileSync(OUT).length / 1024).toFixed(0)} KiB); temperature ${file.temperature}; thresholds ${JSON.stringify(file.thresholds)}`);

const final = modelFromFile(file);
const report = (name: string, rows: Row[]) => {
  const pred = rows.map((r) => decide(softmax(logits(final, extractFeatures(r.text, final.lexicon)), final.temperature), thresholdsFor(r.text, final)).label);
  const m = sentimentMetrics(rows.map((r) => r.label), pred);
  console.log(`${name.padEnd(34)} n=${String(m.n).padStart(5)}  acc ${pct(m.acc)}  macro-F1 ${pct(m.macroF1)}  neg recall ${pct(m.negRecall)}  non-neg as neg ${pct(m.nonNegAsNeg)}  neg as pos ${pct(m.negAsPos)}`);
};
report("semeval validation (calibration)", validation);
report("uci validation (calibration)", uciValidation);
report("semeval test (held out)", test);
report("semeval test naming a company", test.filter((r) => namesCompanyOrService(r.text)));
report("uci test (held out)", uciTest);
report("customer check set (ours, optimistic)", checkSet);
report("customer check set 2 (ours)", checkSet2);
console.log(`total ${((Date.now() - t0) / 1000).toFixed(1)} s`);
