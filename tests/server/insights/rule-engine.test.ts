import { describe, expect, test } from "vitest";
import { evaluateRules, ruleMatches, type InsightFacts, type RuleSpec } from "../../../server/domain/routing-rules.js";

let n = 0;
const rule = (over: Partial<Omit<RuleSpec, "conditions">> & { conditions?: Partial<RuleSpec["conditions"]> } = {}): RuleSpec => ({
  id: `r${++n}`,
  name: over.name ?? `Rule ${n}`,
  position: over.position ?? n,
  enabled: over.enabled ?? true,
  teamIds: over.teamIds ?? ["finance"],
  priority: over.priority ?? "normal",
  ackWithinMinutes: over.ackWithinMinutes ?? 60,
  resolveWithinMinutes: over.resolveWithinMinutes ?? 1440,
  conditions: {
    products: [],
    topics: [],
    channels: [],
    tiers: [],
    sentimentAtMost: null,
    sentimentAtLeast: null,
    keywords: [],
    customerTopics: [],
    ...over.conditions,
  },
});

const facts = (over: Partial<InsightFacts> = {}): InsightFacts => ({
  text: "My invoices are wrong again",
  channel: "twitter",
  tier: "gold",
  sentimentScore: -0.6,
  productIds: [],
  topicIds: ["billing"],
  customerTopics: ["refund-billing"],
  ...over,
});

describe("ruleMatches", () => {
  test("a customer-topic condition matches when the insight is about any of the rule's topics", () => {
    const r = rule({ conditions: { customerTopics: ["late-delayed", "refund-billing"] } });
    expect(ruleMatches(r, facts({ customerTopics: ["refund-billing", "waiting-no-reply"] }))).toBe(true);
    expect(ruleMatches(r, facts({ customerTopics: ["waiting-no-reply"] }))).toBe(false);
    expect(ruleMatches(r, facts({ customerTopics: [] }))).toBe(false);
    // AND with the other conditions.
    expect(ruleMatches(rule({ conditions: { customerTopics: ["refund-billing"], channels: ["email"] } }), facts())).toBe(false);
    expect(evaluateRules([rule({ conditions: { customerTopics: ["late-delayed"] } }), r], facts(), "first")?.matched.map((m) => m.id)).toEqual([r.id]);
  });
  test("a rule without conditions matches everything; a disabled rule nothing", () => {
    expect(ruleMatches(rule(), facts())).toBe(true);
    expect(ruleMatches(rule({ enabled: false }), facts())).toBe(false);
  });

  test("topic and product tags: any listed tag of the same kind", () => {
    expect(ruleMatches(rule({ conditions: { topics: ["shipping", "billing"] } }), facts())).toBe(true);
    expect(ruleMatches(rule({ conditions: { topics: ["shipping"] } }), facts())).toBe(false);
    // "billing" is a topic of the insight, not a product: a product condition does not see it.
    expect(ruleMatches(rule({ conditions: { products: ["billing"] } }), facts())).toBe(false);
    expect(ruleMatches(rule({ conditions: { products: ["app"] } }), facts({ productIds: ["app"] }))).toBe(true);
  });

  test("channel and tier lists", () => {
    expect(ruleMatches(rule({ conditions: { channels: ["twitter", "facebook"] } }), facts())).toBe(true);
    expect(ruleMatches(rule({ conditions: { channels: ["email"] } }), facts())).toBe(false);
    expect(ruleMatches(rule({ conditions: { tiers: ["strategic"] } }), facts())).toBe(false);
    expect(ruleMatches(rule({ conditions: { tiers: ["gold"] } }), facts())).toBe(true);
    expect(ruleMatches(rule({ conditions: { tiers: ["gold"] } }), facts({ tier: null }))).toBe(false);
  });

  test("sentiment thresholds are inclusive", () => {
    expect(ruleMatches(rule({ conditions: { sentimentAtMost: -0.6 } }), facts())).toBe(true);
    expect(ruleMatches(rule({ conditions: { sentimentAtMost: -0.7 } }), facts())).toBe(false);
    expect(ruleMatches(rule({ conditions: { sentimentAtLeast: 0.3 } }), facts())).toBe(false);
    expect(ruleMatches(rule({ conditions: { sentimentAtLeast: 0.3 } }), facts({ sentimentScore: 0.3 }))).toBe(true);
  });

  test("keywords match whole words or phrases, case-insensitively", () => {
    expect(ruleMatches(rule({ conditions: { keywords: ["invoices are wrong"] } }), facts())).toBe(true);
    expect(ruleMatches(rule({ conditions: { keywords: ["INVOICES"] } }), facts())).toBe(true);
    expect(ruleMatches(rule({ conditions: { keywords: ["invoice"] } }), facts())).toBe(false);
    expect(ruleMatches(rule({ conditions: { keywords: ["refund", "wrong"] } }), facts())).toBe(true);
    expect(ruleMatches(rule({ conditions: { keywords: ["a+b (c)"] } }), facts({ text: "about a+b (c) today" }))).toBe(true);
  });

  test("all non-empty conditions must hold", () => {
    const r = rule({ conditions: { topics: ["billing"], channels: ["twitter"], sentimentAtMost: -0.3 } });
    expect(ruleMatches(r, facts())).toBe(true);
    expect(ruleMatches(r, facts({ channel: "email" }))).toBe(false);
    expect(ruleMatches(r, facts({ sentimentScore: 0 }))).toBe(false);
  });
});

describe("evaluateRules", () => {
  const billing = rule({ name: "Billing", teamIds: ["finance"], priority: "high", ackWithinMinutes: 30, resolveWithinMinutes: 480, conditions: { topics: ["billing"] } });
  const negative = rule({ name: "Negative", teamIds: ["care", "finance"], priority: "urgent", ackWithinMinutes: 15, resolveWithinMinutes: 2880, conditions: { sentimentAtMost: -0.3 } });
  const praise = rule({ name: "Praise", teamIds: ["marketing"], conditions: { sentimentAtLeast: 0.3 } });
  const rules = [billing, negative, praise];

  test("first match: only the first matching rule routes", () => {
    const d = evaluateRules(rules, facts(), "first")!;
    expect(d.matched.map((r) => r.name)).toEqual(["Billing"]);
    expect(d.teamIds).toEqual(["finance"]);
    expect(d.priority).toBe("high");
    expect([d.ackWithinMinutes, d.resolveWithinMinutes]).toEqual([30, 480]);
  });

  test("every match: union of teams, highest priority, strictest SLA", () => {
    const d = evaluateRules(rules, facts(), "every")!;
    expect(d.matched.map((r) => r.name)).toEqual(["Billing", "Negative"]);
    expect(d.teamIds).toEqual(["finance", "care"]);
    expect(d.ruleByTeam.get("finance")).toBe(billing.id);
    expect(d.ruleByTeam.get("care")).toBe(negative.id);
    expect(d.priority).toBe("urgent");
    expect([d.ackWithinMinutes, d.resolveWithinMinutes]).toEqual([15, 480]);
  });

  test("order decides in first-match mode", () => {
    expect(evaluateRules([negative, billing], facts(), "first")!.matched[0]!.name).toBe("Negative");
  });

  test("no match → null (the caller routes to triage)", () => {
    expect(evaluateRules(rules, facts({ topicIds: [], sentimentScore: 0 }), "every")).toBeNull();
    expect(evaluateRules([], facts(), "first")).toBeNull();
  });
});

describe("rule conditions, each list on its own", () => {
  test("products: any listed product of the insight", () => {
    expect(ruleMatches(rule({ conditions: { products: ["web", "app"] } }), facts({ productIds: ["app"] }))).toBe(true);
    expect(ruleMatches(rule({ conditions: { products: ["web"] } }), facts({ productIds: ["app"] }))).toBe(false);
    expect(ruleMatches(rule({ conditions: { products: ["web"] } }), facts({ productIds: [] }))).toBe(false);
  });

  test("keywords: every special character is taken literally", () => {
    const literal = ["a.c", "a*", "why?", "^up", "$5", "{x}", "a|b", "[y]", "back\\slash", "(z)", "c++"];
    for (const k of literal) {
      expect(ruleMatches(rule({ conditions: { keywords: [k] } }), facts({ text: `before ${k} after` })), k).toBe(true);
    }
    // Not as patterns: "a.c" is not "abc", "a|b" is not "a", "c++" is not "cc".
    expect(ruleMatches(rule({ conditions: { keywords: ["a.c"] } }), facts({ text: "abc" }))).toBe(false);
    expect(ruleMatches(rule({ conditions: { keywords: ["a|b"] } }), facts({ text: "a" }))).toBe(false);
    expect(ruleMatches(rule({ conditions: { keywords: ["c++"] } }), facts({ text: "cc" }))).toBe(false);
    expect(ruleMatches(rule({ conditions: { keywords: ["[y]"] } }), facts({ text: "y" }))).toBe(false);
    expect(ruleMatches(rule({ conditions: { keywords: ["{x}"] } }), facts({ text: "x" }))).toBe(false);
  });

  test("keywords: letters of any script are word characters; the same rule answers the same twice", () => {
    const r = rule({ conditions: { keywords: ["café"] } });
    expect(ruleMatches(r, facts({ text: "the café was closed" }))).toBe(true);
    expect(ruleMatches(r, facts({ text: "the cafés were closed" }))).toBe(false);
    expect(ruleMatches(r, facts({ text: "the café was closed" }))).toBe(true);
    expect(ruleMatches(rule({ conditions: { keywords: ["naïve"] } }), facts({ text: "NAÏVE question" }))).toBe(true);
  });

  test("a disabled rule does not match even when its conditions hold, and does not route", () => {
    const off = rule({ enabled: false, conditions: { topics: ["billing"] } });
    expect(ruleMatches(off, facts())).toBe(false);
    expect(evaluateRules([off], facts(), "every")).toBeNull();
  });
});

describe("evaluateRules: priorities and SLAs", () => {
  test("the highest priority wins whatever the order; equal priorities keep it", () => {
    const low = rule({ priority: "low", teamIds: ["a"] });
    const normal = rule({ priority: "normal", teamIds: ["b"] });
    const urgent = rule({ priority: "urgent", teamIds: ["c"] });
    expect(evaluateRules([urgent, low, normal], facts(), "every")!.priority).toBe("urgent");
    expect(evaluateRules([low, normal], facts(), "every")!.priority).toBe("normal");
    expect(evaluateRules([low], facts(), "every")!.priority).toBe("low");
    expect(evaluateRules([normal, rule({ priority: "normal" })], facts(), "every")!.priority).toBe("normal");
  });

  test("the strictest acknowledgement and resolution times, whichever rule has them", () => {
    const a = rule({ ackWithinMinutes: 60, resolveWithinMinutes: 100 });
    const b = rule({ ackWithinMinutes: 10, resolveWithinMinutes: 500 });
    const d = evaluateRules([a, b], facts(), "every")!;
    expect([d.ackWithinMinutes, d.resolveWithinMinutes]).toEqual([10, 100]);
    expect(d.matched).toEqual([a, b]);
  });

  test("a rule that sends to no team still decides priority; a team named twice keeps its first rule", () => {
    const none = rule({ teamIds: [], priority: "high" });
    const twice = rule({ teamIds: ["x", "x"] });
    const d = evaluateRules([none, twice], facts(), "every")!;
    expect(d.teamIds).toEqual(["x"]);
    expect([...d.ruleByTeam]).toEqual([["x", twice.id]]);
    expect(d.priority).toBe("high");
  });
});
