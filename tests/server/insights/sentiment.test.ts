import { expect, test } from "vitest";
import { labelFor, normaliseSentiment, scoreSentiment, SENTIMENT_THRESHOLD } from "../../../server/domain/sentiment.js";

test("the library's sum maps into (-1, 1), monotonic and symmetric", () => {
  expect(normaliseSentiment(0)).toBe(0);
  expect(normaliseSentiment(1)).toBeCloseTo(0.25, 3);
  expect(normaliseSentiment(-2)).toBeCloseTo(-0.459, 3);
  expect(normaliseSentiment(100)).toBeLessThan(1);
  expect(normaliseSentiment(-100)).toBeGreaterThan(-1);
  for (let i = -20; i < 20; i++) expect(normaliseSentiment(i + 1)).toBeGreaterThan(normaliseSentiment(i));
  expect(normaliseSentiment(-7)).toBe(-normaliseSentiment(7));
});

test("labels: |score| below the threshold is neutral; one mild word stays neutral", () => {
  expect(labelFor(-SENTIMENT_THRESHOLD)).toBe("negative");
  expect(labelFor(SENTIMENT_THRESHOLD)).toBe("positive");
  expect(labelFor(normaliseSentiment(1))).toBe("neutral");
  expect(labelFor(normaliseSentiment(-1))).toBe("neutral");
  expect(labelFor(normaliseSentiment(-2))).toBe("negative");
});

test("real sentences", () => {
  const wrong = scoreSentiment("@acme your invoices are wrong AGAIN. Third month in a row. Terrible billing, I'm furious.");
  expect(wrong.label).toBe("negative");
  expect(wrong.score).toBeLessThan(-0.8);
  expect(scoreSentiment("Love the new dashboard, great work team!").label).toBe("positive");
  expect(scoreSentiment("Order 1234 was delivered on Tuesday.").label).toBe("neutral");
  // Negation is the library's: "not good" counts against.
  expect(scoreSentiment("The support was not good").score).toBeLessThan(0);
});
