/**
 * Sentiment scoring with the `sentiment` library (AFINN-165 lexicon, negation-aware, emoji
 * aware). We only map its output to our scale; there is no word list of our own.
 * See docs/decisions/030-sentiment-scoring.md for the choice and the thresholds.
 */
import Sentiment from "sentiment";
import type { SentimentLabel } from "../../app/schemas/insights.js";

const analyzer = new Sentiment();

/** VADER's normalisation constant: maps an unbounded sum of word valences into (-1, 1). */
const ALPHA = 15;
/** |score| below this is neutral: a single mildly-valenced word (AFINN ±1 → ±0.25) stays neutral. */
export const SENTIMENT_THRESHOLD = 0.3;

export function normaliseSentiment(raw: number): number {
  if (raw === 0) return 0;
  return Math.round((raw / Math.sqrt(raw * raw + ALPHA)) * 1000) / 1000;
}

export function labelFor(score: number): SentimentLabel {
  if (score <= -SENTIMENT_THRESHOLD) return "negative";
  if (score >= SENTIMENT_THRESHOLD) return "positive";
  return "neutral";
}

export function scoreSentiment(text: string): { score: number; label: SentimentLabel; raw: number } {
  const { score: raw } = analyzer.analyze(text);
  const score = normaliseSentiment(raw);
  return { score, label: labelFor(score), raw };
}
