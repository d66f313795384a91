import { expect, test } from "vitest";
import { generateCustomerSentences } from "../../../scripts/customer-service-sentences.js";

test("the generator gives the same lines for the same seed, and other lines for another", () => {
  const a = generateCustomerSentences(7, 200);
  expect(generateCustomerSentences(7, 200)).toEqual(a);
  const b = generateCustomerSentences(8, 200);
  expect(b.map((r) => r.text)).not.toEqual(a.map((r) => r.text));
});

test("it writes as many distinct lines of each class as asked", () => {
  const rows = generateCustomerSentences(20261206, 400);
  for (const label of ["negative", "neutral", "positive"] as const) expect(rows.filter((r) => r.label === label)).toHaveLength(400);
  expect(new Set(rows.map((r) => r.text.toLowerCase())).size).toBe(rows.length);
});

test("the nouns complaints use also appear in neutral and positive lines, so a noun alone is no label", () => {
  const rows = generateCustomerSentences(20261206, 1500);
  for (const noun of ["bag", "flight", "refund", "parcel", "booking", "delay"]) {
    for (const label of ["negative", "neutral", "positive"] as const) {
      const n = rows.filter((r) => r.label === label && new RegExp(`\\b${noun}`, "iu").test(r.text)).length;
      expect(n, `${noun} in ${label}`).toBeGreaterThanOrEqual(5);
    }
  }
});

test("complaints include sarcastic praise and problems stated without an emotional word", () => {
  const complaints = generateCustomerSentences(20261206, 1500).filter((r) => r.label === "negative").map((r) => r.text.toLowerCase());
  expect(complaints.filter((t) => /^(?:@\w+ )?(?:thanks for|great job|love|really appreciate|way to go)\b/u.test(t)).length).toBeGreaterThan(50);
  expect(complaints.filter((t) => /\bstill (?:no|waiting)\b/u.test(t)).length).toBeGreaterThan(20);
  expect(complaints.filter((t) => /\bon hold\b/u.test(t)).length).toBeGreaterThan(20);
  // Praise is not always sarcasm: thanks for a problem put right is positive.
  const praise = generateCustomerSentences(20261206, 1500).filter((r) => r.label === "positive").map((r) => r.text.toLowerCase());
  expect(praise.some((t) => /thank.*(?:cancel|delay)/u.test(t))).toBe(true);
});

test("complaints also name features that do not work, service that fell short, money asked back and sarcasm with no trouble word", () => {
  const rows = generateCustomerSentences(20261206, 1500);
  const complaints = rows.filter((r) => r.label === "negative").map((r) => r.text.toLowerCase());
  const count = (re: RegExp) => complaints.filter((t) => re.test(t)).length;
  expect(count(/\b(?:isn'?t working|won't load|keeps crashing|keeps freezing|doesn't work)\b/u)).toBeGreaterThan(15);
  expect(count(/\b(?:paid for|paid extra for|was promised) [^,]+, (?:got|ended up with|received)\b/u)).toBeGreaterThanOrEqual(8);
  expect(count(/\b(?:my money back|compensation|a refund|the fee back)\b/u)).toBeGreaterThan(20);
  expect(count(/\b(?:really fun|living the dream|10\/10 would recommend|just what i needed)\b/u)).toBeGreaterThanOrEqual(5);
  // The tasks those complaints name are asked about plainly too.
  const neutral = rows.filter((r) => r.label === "neutral").map((r) => r.text.toLowerCase());
  expect(neutral.filter((t) => /\bhow (?:do|can) i (?:check in|log in|reset my password|pay my bill)\b/u.test(t)).length).toBeGreaterThanOrEqual(5);
});
