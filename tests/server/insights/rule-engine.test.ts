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
