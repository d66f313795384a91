/**
 * Sentiment scoring with Atrium's trained model (server/insights/sentiment-model.ts): calibrated
 * probabilities → a label and a −1…1 score whose ±0.3 band is exactly the label boundary, plus
 * the words that drove it. See docs/decisions/110-trained-sentiment-model.md.
 */
import type { SentimentLabel } from "../../app/schemas/insights.js";
import { LABEL_BAND, predict, type Driver } from "../insights/sentiment-model.js";

/** |score| below this is neutral; a rule "sentiment at most −0.3" catches exactly the negatives. */
export const SENTIMENT_THRESHOLD = LABEL_BAND;

export function labelFor(score: number): SentimentLabel {
  if (score <= -SENTIMENT_THRESHOLD) return "negative";
  if (score >= SENTIMENT_THRESHOLD) return "positive";
  return "neutral";
}

export interface SentimentResult {
  score: number;
  label: SentimentLabel;
  /** The model's calibrated probability that the message is a complaint. */
  pNegative: number;
  drivers: Driver[];
}

export function scoreSentiment(text: string): SentimentResult {
  const p = predict(text);
  return { score: p.score, label: p.label, pNegative: Math.round(p.probabilities.negative * 1000) / 1000, drivers: p.drivers };
}

/** The words or phrases that drove a message's score, strongest first. */
export function explainSentiment(text: string, limit = 5): Driver[] {
  return predict(text, undefined, { drivers: limit }).drivers;
}
