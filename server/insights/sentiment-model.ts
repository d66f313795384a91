/**
 * The sentiment model at run time: a multinomial logistic regression over hashed word, word-pair,
 * word-triple, character n-gram and lexicon-valence features (sentiment-features.ts), trained offline by
 * `npm run train:sentiment` into sentiment-model.json. Pure and synchronous: no network, no I/O
 * after the file is read once. See docs/decisions/110-trained-sentiment-model.md; text in the customer
 * register has its own complaint threshold (customer-register.ts, decision 570).
 */
import { readFileSync } from "node:fs";
import { customerRegister } from "./customer-register.js";
import { extractFeatures, type Feature, type Lexicon } from "./sentiment-features.js";

export const CLASSES = ["negative", "neutral", "positive"] as const;
export type SentimentClass = (typeof CLASSES)[number];

export interface ModelFile {
  format: "atrium-sentiment/1";
  buckets: number;
  /**
   * Weights are int8, bucket-major (buckets × 3 classes). "linear" (or absent): weight = q × scale;
   * "sqrt": weight = sign(q) × (q / 127)² × scale × 127, finer steps for the many small weights.
   */
  scale: number;
  quantisation?: "linear" | "sqrt";
  weights: string; // base64
  bias: number[];
  /** Divides the logits before the softmax, fitted on the validation split (calibration). */
  temperature: number;
  /** Routing thresholds on the calibrated probabilities; see decisions 110 and 570. */
  thresholds: Thresholds;
  /** Word → valence of the VADER lexicon, lower-cased (feeds the lexicon features); absent in older files. */
  lexicon?: Record<string, number>;
  /** Where the lexicon comes from and under which licence. */
  lexiconSource?: string;
  trainedOn: string;
  seed: number;
}

/**
 * P(negative) at or above `negative` is a complaint, P(positive) at or above `positive` (and above
 * P(neutral)) praise. `customerNegative`, when present, replaces `negative` for text in the customer
 * register (an @handle, or naming a company or service matter; customer-register.ts), where
 * complaints are the common case: it is chosen on validation text of that register (decision 570).
 */
export interface Thresholds {
  negative: number;
  positive: number;
  customerNegative?: number;
}

export interface Model {
  buckets: number;
  weights: Float32Array;
  bias: Float32Array;
  temperature: number;
  thresholds: Thresholds;
  lexicon?: Lexicon;
}

export function modelFromFile(f: ModelFile): Model {
  const q = new Int8Array(Buffer.from(f.weights, "base64").buffer.slice(0));
  if (q.length !== f.buckets * 3) throw new Error(`Sentiment model: expected ${f.buckets * 3} weights, found ${q.length}.`);
  const weights = new Float32Array(q.length);
  if (f.quantisation === "sqrt") {
    const max = f.scale * 127;
    for (let i = 0; i < q.length; i++) weights[i] = Math.sign(q[i]!) * (q[i]! / 127) ** 2 * max;
  } else for (let i = 0; i < q.length; i++) weights[i] = q[i]! * f.scale;
  const lexicon = f.lexicon ? new Map(Object.entries(f.lexicon)) : undefined;
  return { buckets: f.buckets, weights, bias: Float32Array.from(f.bias), temperature: f.temperature, thresholds: f.thresholds, lexicon };
}

let loaded: Model | null = null;
/** The committed model, read once per process. */
export function defaultModel(): Model {
  if (!loaded) {
    const file = JSON.parse(readFileSync(new URL("./sentiment-model.json", import.meta.url), "utf8")) as ModelFile;
    loaded = modelFromFile(file);
  }
  return loaded;
}

/** Features are weighted 1/√n so that a long rant and a short reply land on the same scale. */
export function featureWeight(n: number) {
  return 1 / Math.sqrt(Math.max(n, 1));
}

export function logits(model: Model, feats: Feature[]): [number, number, number] {
  const z: [number, number, number] = [model.bias[0]!, model.bias[1]!, model.bias[2]!];
  const v = featureWeight(feats.length);
  for (const f of feats) {
    const o = (f.hash % model.buckets) * 3;
    z[0] += model.weights[o]! * v;
    z[1] += model.weights[o + 1]! * v;
    z[2] += model.weights[o + 2]! * v;
  }
  return z;
}

export function softmax(z: readonly number[], temperature = 1): number[] {
  const m = Math.max(...z);
  const e = z.map((x) => Math.exp((x - m) / temperature));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((x) => x / s);
}

export interface Driver {
  /** A word or phrase of the message. */
  phrase: string;
  /** Its pull towards negative (< 0) or positive (> 0), in logit units. */
  weight: number;
}

export interface Prediction {
  probabilities: Record<SentimentClass, number>;
  label: SentimentClass;
  /**
   * −1…1. Negative label ⇔ score ≤ −0.3, positive ⇔ score ≥ 0.3, neutral in between; beyond ±0.3
   * the magnitude grows with the model's probability for that label.
   */
  score: number;
  drivers: Driver[];
}

export const LABEL_BAND = 0.3;

/** The thresholds that apply to this text: the customer register's complaint threshold, or the general one. */
export function thresholdsFor(text: string, model: Model): { negative: number; positive: number } {
  const { negative, positive, customerNegative } = model.thresholds;
  return { negative: customerNegative !== undefined && customerRegister(text) ? customerNegative : negative, positive };
}

/** The label and score from calibrated probabilities and the routing thresholds. */
export function decide(p: readonly number[], thresholds: { negative: number; positive: number }): { label: SentimentClass; score: number } {
  const [neg, neu, pos] = p as [number, number, number];
  const round = (x: number) => Math.round(x * 1000) / 1000;
  if (neg >= thresholds.negative) {
    return { label: "negative", score: round(-(LABEL_BAND + (1 - LABEL_BAND) * ((neg - thresholds.negative) / (1 - thresholds.negative)))) };
  }
  if (pos >= thresholds.positive && pos >= neu) {
    return { label: "positive", score: round(LABEL_BAND + (1 - LABEL_BAND) * ((pos - thresholds.positive) / (1 - thresholds.positive))) };
  }
  // Strictly inside the band: the lean between positive and negative, scaled.
  return { label: "neutral", score: round(Math.max(-0.299, Math.min(0.299, (pos - neg) * 0.299))) };
}

/** Scores one message: probabilities, label, score and the words that drove it. */
export function predict(text: string, model: Model = defaultModel(), opts: { drivers?: number } = {}): Prediction {
  const feats = extractFeatures(text, model.lexicon);
  const z = logits(model, feats);
  const p = softmax(z, model.temperature);
  const { label, score } = decide(p, thresholdsFor(text, model));
  const drivers = opts.drivers === 0 ? [] : explain(model, feats, opts.drivers ?? 5);
  return { probabilities: { negative: p[0]!, neutral: p[1]!, positive: p[2]! }, label, score, drivers };
}

/**
 * Which words or phrases pulled the score: each feature's (positive − negative) logit share,
 * summed per phrase (character n-grams count for their word). Strongest first.
 */
export function explain(model: Model, feats: Feature[], limit: number): Driver[] {
  const v = featureWeight(feats.length) / model.temperature;
  const byPhrase = new Map<string, number>();
  for (const f of feats) {
    if (!f.phrase) continue;
    const o = (f.hash % model.buckets) * 3;
    const pull = (model.weights[o + 2]! - model.weights[o]!) * v;
    byPhrase.set(f.phrase, (byPhrase.get(f.phrase) ?? 0) + pull);
  }
  return [...byPhrase]
    .filter(([, w]) => Math.abs(w) >= 0.05)
    .sort((a, b) => Math.abs(b[1]) - Math.abs(a[1]))
    .slice(0, limit)
    .map(([phrase, weight]) => ({ phrase, weight: Math.round(weight * 100) / 100 }));
}
