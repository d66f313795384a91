import { expect, test } from "vitest";
import { CLUSTER_THRESHOLD, jaccard, similarity, tokenize, trendText } from "../../../server/domain/insight-clusters.js";

const facts = (text: string, tags: string[] = []) => ({ tokens: tokenize(text), tags: new Set(tags) });

test("tokens drop function words and fold plurals", () => {
  expect([...tokenize("The invoices are WRONG again!")].sort()).toEqual(["invoice", "wrong"]);
});

test("jaccard", () => {
  expect(jaccard(new Set([1, 2]), new Set([2, 3]))).toBeCloseTo(1 / 3);
  expect(jaccard(new Set(), new Set())).toBe(0);
});

test("similar complaints about the same topic cluster; unrelated ones do not", () => {
  const a = facts("My invoice is wrong again, charged twice", ["billing"]);
  const b = facts("Invoice wrong: I was charged twice this month", ["billing"]);
  const c = facts("The mobile app crashes when I open settings", ["mobile-app"]);
  const d = facts("Wrong invoice amount", ["billing"]);
  expect(similarity(a, b)).toBeGreaterThanOrEqual(CLUSTER_THRESHOLD);
  expect(similarity(a, d)).toBeGreaterThanOrEqual(CLUSTER_THRESHOLD);
  expect(similarity(a, c)).toBeLessThan(CLUSTER_THRESHOLD);
  // Same tag, different subject: the tag alone is not enough.
  expect(similarity(facts("Love the new pricing page", ["billing"]), a)).toBeLessThan(CLUSTER_THRESHOLD);
});

test("trend text", () => {
  expect(trendText({ recent: 14, previous: 3, days: 7 })).toBe("14 similar in 7 days, up from 3");
  expect(trendText({ recent: 2, previous: 5, days: 7 })).toBe("2 similar in 7 days, down from 5");
  expect(trendText({ recent: 4, previous: 4, days: 7 })).toBe("4 similar in 7 days, same as the 7 days before");
});
