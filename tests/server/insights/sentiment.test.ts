import { readFileSync } from "node:fs";
import { expect, test } from "vitest";
import { explainSentiment, labelFor, scoreSentiment, SENTIMENT_THRESHOLD } from "../../../server/domain/sentiment.js";
import { extractFeatures, tokenizeForSentiment } from "../../../server/insights/sentiment-features.js";
import { decide, defaultModel, logits, predict, thresholdsFor } from "../../../server/insights/sentiment-model.js";
import { customerRegister } from "../../../server/insights/customer-register.js";
import { fnv1a } from "../../../server/insights/sentiment-features.js";

test("labels: the ±0.3 band is the label boundary", () => {
  expect(labelFor(-SENTIMENT_THRESHOLD)).toBe("negative");
  expect(labelFor(SENTIMENT_THRESHOLD)).toBe("positive");
  expect(labelFor(-0.299)).toBe("neutral");
  expect(labelFor(0.299)).toBe("neutral");
});

test("score and label agree with the calibrated probabilities and thresholds", () => {
  const t = { negative: 0.4, positive: 0.45 };
  // At the threshold a message is negative, with the band's edge as its score; more sure, lower.
  expect(decide([0.4, 0.3, 0.3], t)).toEqual({ label: "negative", score: -0.3 });
  expect(decide([1, 0, 0], t)).toEqual({ label: "negative", score: -1 });
  expect(decide([0.7, 0.2, 0.1], t).score).toBeLessThan(decide([0.5, 0.3, 0.2], t).score);
  // Below the negative threshold, even a leaning-negative message stays neutral, inside the band.
  const lean = decide([0.39, 0.4, 0.21], t);
  expect(lean.label).toBe("neutral");
  expect(lean.score).toBeLessThan(0);
  expect(lean.score).toBeGreaterThan(-0.3);
  expect(decide([0.1, 0.3, 0.6], t)).toMatchObject({ label: "positive" });
  // Positive needs to beat neutral too.
  expect(decide([0.05, 0.48, 0.47], t).label).toBe("neutral");
  for (const p of [[0.2, 0.5, 0.3], [0.5, 0.2, 0.3], [0.1, 0.1, 0.8], [0.33, 0.34, 0.33]]) {
    const d = decide(p, t);
    expect(labelFor(d.score), JSON.stringify(p)).toBe(d.label);
  }
});

test("negation marks the words in its scope, up to the punctuation", () => {
  expect(tokenizeForSentiment("The support was not good, but fast").tokens).toEqual(["the", "support", "was", "not", "¬good", "but", "fast"]);
  expect(tokenizeForSentiment("I can't log in!! Help").tokens).toEqual(["i", "can't", "¬log", "¬in", "!!", "help"]);
  expect(tokenizeForSentiment("@acme see https://x.io/a soooo slow").tokens).toEqual(["<user>", "see", "<url>", "soo", "slow"]);
});

test("praise next to trouble becomes its own feature, sincere praise does not", () => {
  const keys = (s: string) => extractFeatures(s).map((f) => f.phrase);
  expect(keys("thanks for nothing")).toContain("thanks … nothing");
  expect(keys("thanks for the quick fix")).not.toContain("thanks … nothing");
  const sincere = new Set(extractFeatures("thanks").map((f) => f.hash));
  const sarcastic = extractFeatures("thanks, still waiting").filter((f) => f.phrase === "thanks").map((f) => f.hash);
  expect(sarcastic.some((h) => sincere.has(h))).toBe(false);
});

test("ironic praise of a wasted evening, an outage or a fee is the praise-next-to-trouble cue", () => {
  const keys = (s: string) => extractFeatures(s).map((f) => f.phrase);
  expect(keys("5 hours at the airport. really fun")).toContain("fun … hours");
  expect(keys("thanks a bunch for the 3 day outage")).toContain("thanks … outage");
  expect(keys("best airport lounge I have been to")).toContain("best … airport");
  expect(keys("really fun evening with the team")).not.toContain("fun … hours");
});

test("features that do not work, service that fell short and sarcasm about a wait are complaints; asking how is not", () => {
  for (const text of ["5 hours at the airport. really fun", "@shop the checkout page won't load", "@air paid for extra legroom, got a middle seat", "@telco on hold for an hour... thanks a lot", "@bank I want my money back for the fee"]) {
    expect(scoreSentiment(text).label, text).toBe("negative");
  }
  for (const text of ["@shop how do I check in online?", "@bank how do I reset my password?"]) {
    expect(scoreSentiment(text).label, text).toBe("neutral");
  }
});

test("real complaints, including the ones a lexicon calls positive or neutral", () => {
  const wrong = scoreSentiment("@acme your invoices are wrong AGAIN. Third month in a row. Terrible billing, I'm furious.");
  expect(wrong.label).toBe("negative");
  expect(wrong.score).toBeLessThan(-0.8);
  // No lexicon word at all.
  expect(scoreSentiment("I can't check in… your website isn't working").label).toBe("negative");
  expect(scoreSentiment("My bag was lost and nobody answers the phone").label).toBe("negative");
  // Sarcasm of the "thanks for nothing" kind.
  expect(scoreSentiment("@AcmeAir well thanks for nothing").label).toBe("negative");
  expect(scoreSentiment("Great job @acme, on hold for 2 hours now").label).toBe("negative");
  expect(scoreSentiment("on hold for 40 minutes, thanks a lot").label).toBe("negative");
  expect(scoreSentiment("The support was not good").label).toBe("negative");
  // Sincere thanks and plain facts are not complaints.
  expect(scoreSentiment("Thank you so much for the quick refund!").label).toBe("positive");
  expect(scoreSentiment("Love the new dashboard, great work team!").label).toBe("positive");
  expect(scoreSentiment("Order 1234 was delivered on Tuesday.").label).toBe("neutral");
  expect(scoreSentiment("can you help me change my flight to tomorrow?").label).toBe("neutral");
});

test("the explanation names the words that drove the score, with their direction", () => {
  const d = explainSentiment("My bag was lost and nobody answers the phone");
  expect(d.slice(0, 2).map((x) => x.phrase).sort()).toEqual(["lost", "nobody"]);
  expect(d[0]!.weight).toBeLessThan(0);
  expect(d[1]!.weight).toBeLessThan(0);
  const love = explainSentiment("Love the new dashboard, great work team!");
  expect(love.map((x) => x.phrase).slice(0, 2).sort()).toEqual(["great", "love"]);
  expect(love.every((x, i) => i === 0 || Math.abs(x.weight) <= Math.abs(love[i - 1]!.weight))).toBe(true);
  expect(scoreSentiment("The support was not good").drivers.map((x) => x.phrase)).toContain("not… good");
});

test("the committed model is small, runs under 1 ms per message and is deterministic", () => {
  const size = readFileSync(new URL("../../../server/insights/sentiment-model.json", import.meta.url)).length;
  expect(size).toBeLessThan(3 * 1024 * 1024);
  defaultModel();
  const texts = Array.from({ length: 500 }, (_, i) => `@acme order ${i} still not here, on hold for ${i} minutes, thanks for nothing`);
  // CPU time, not wall time: the machine may be shared.
  const c0 = process.cpuUsage();
  for (const t of texts) predict(t);
  const cpu = process.cpuUsage(c0);
  expect((cpu.user + cpu.system) / 1000 / texts.length).toBeLessThan(1);
  expect(predict(texts[7]!)).toEqual(predict(texts[7]!));
});

test("lexicon words yield their valence class, marked when negated or ironic; none without a lexicon", () => {
  const lexicon = new Map([["filthy", -2.4], ["thanks", 1.9]]);
  const has = (text: string, key: string, phrase: string) => extractFeatures(text, lexicon).some((f) => f.hash === fnv1a(key) && f.phrase === phrase);
  expect(has("the cabin was filthy", "l:-2", "filthy")).toBe(true);
  expect(has("the cabin was not filthy", "l:¬-2", "not… filthy")).toBe(true);
  expect(has("the cabin was not filthy", "l:-2", "filthy")).toBe(false);
  expect(has("thanks, still waiting", "l:~2", "thanks")).toBe(true);
  expect(has("the cabin was filthy", "x:lexnet:-2", "")).toBe(true);
  expect(extractFeatures("the cabin was filthy").some((f) => f.hash === fnv1a("l:-2"))).toBe(false);
});

test("the committed model carries its lexicon and scores with it", () => {
  const model = defaultModel();
  expect(model.lexicon?.get("rude")).toBeLessThan(0);
  expect(model.lexicon?.get("great")).toBeGreaterThan(0);
  const text = "@acme the crew was rude and the cabin filthy";
  const p = predict(text);
  const withLexicon = logits(model, extractFeatures(text, model.lexicon));
  const without = logits(model, extractFeatures(text));
  expect(withLexicon).not.toEqual(without);
  const expected = predict(text, { ...model, lexicon: undefined });
  expect(p.probabilities).not.toEqual(expected.probabilities);
  expect(p.label).toBe("negative");
});

test("plain factual customer messages stay neutral", () => {
  for (const text of ["My parcel arrived today", "Invoice number 42 arrived today", "Order 1234 was delivered on Tuesday.", "please help me change my booking", "I ordered a new phone last week"]) {
    expect(scoreSentiment(text).label, text).toBe("neutral");
  }
});

test("a service problem's shape is a feature of its own: still + not, a duration, where/why … my", () => {
  const cues = (text: string) => extractFeatures(text).filter((f) => f.hash === fnv1a("x:still-not") || f.hash === fnv1a("x:duration") || f.hash === fnv1a("x:wh-trouble")).map((f) => f.phrase);
  expect(cues("still no refund after 3 weeks")).toEqual(["still no", "3 weeks"]);
  expect(cues("my bag still hasn't arrived")).toEqual(["still hasn't"]);
  expect(cues("Still waiting for a call back")).toEqual(["still waiting"]);
  expect(cues("on hold for two hours")).toEqual(["two hours"]);
  expect(cues("where is my bag?")).toEqual(["where is my"]);
  expect(cues("why is nobody answering")).toEqual(["why is nobody"]);
  // Not every "still", number or question is a problem.
  expect(cues("is the lounge still open?")).toEqual([]);
  expect(cues("flight 211 leaves at 7")).toEqual([]);
  expect(cues("how do I change my seat?")).toEqual([]);
});

test("customer-service complaints without an emotional word are complaints; the same nouns in questions and thanks are not", () => {
  for (const text of ["my luggage didn't arrive in Denver", "where is my bag?", "still no refund after three weeks", "sat on the runway for 90 minutes with no information", "thanks for losing my suitcase", "great job, 3 hours on hold"]) {
    expect(scoreSentiment(text).label, text).toBe("negative");
  }
  for (const text of ["what is the baggage fee for a second bag?", "is my flight to Boston on time?", "how long does a refund take?", "I'm on flight 211 tomorrow morning"]) {
    expect(scoreSentiment(text).label, text).toBe("neutral");
  }
  expect(scoreSentiment("thanks for the quick rebooking after the delay").label).toBe("positive");
});

test("the customer register: an @handle, or a company or service matter named; not an e-mail address or other text", () => {
  for (const text of ["@acme my order is late", "thanks @AcmeAir", "my flight was cancelled", "still no refund", "Comcast is down again", "who do I call in customer service?"]) {
    expect(customerRegister(text), text).toBe(true);
  }
  for (const text of ["write to me@acme.com", "the film was dull", "My parcel arrived today", "lovely weather"]) {
    expect(customerRegister(text), text).toBe(false);
  }
});

test("text in the customer register is a complaint from the register's own threshold; other text keeps the general one", () => {
  const model = defaultModel();
  const text = "@acme my order is late";
  const pNeg = predict(text, { ...model, thresholds: { negative: 0.5, positive: 0.5 } }).probabilities.negative;
  const between = { ...model, thresholds: { negative: pNeg + 0.01, positive: 0.99, customerNegative: pNeg - 0.01 } };
  const customer = predict(text, between);
  expect(customer.label).toBe("negative");
  expect(customer.score).toBeLessThanOrEqual(-0.3);
  expect(labelFor(customer.score)).toBe("negative");
  // Without a register threshold, the general one decides.
  expect(predict(text, { ...between, thresholds: { negative: pNeg + 0.01, positive: 0.99 } }).label).not.toBe("negative");
  expect(thresholdsFor(text, between)).toEqual({ negative: pNeg - 0.01, positive: 0.99 });
  expect(thresholdsFor("the film was dull", between)).toEqual({ negative: pNeg + 0.01, positive: 0.99 });
  // The committed model has one, never above the general threshold.
  expect(model.thresholds.customerNegative).toBeDefined();
  expect(model.thresholds.customerNegative!).toBeLessThanOrEqual(model.thresholds.negative);
});
