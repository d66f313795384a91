/**
 * Rule evaluation throughput: how many insights per second the pure engine routes against 200
 * rules, in first-match and every-match mode. Run: npx tsx bench/insights-rules.ts
 */
import { evaluateRules, type InsightFacts, type RuleSpec } from "../server/domain/routing-rules.js";
import { CHANNELS, CUSTOMER_TOPIC_KEYS, TIERS } from "../app/schemas/insights.js";

const RULES = Number(process.env.RULES ?? 200);
const INSIGHTS = Number(process.env.INSIGHTS ?? 20_000);
const topics = Array.from({ length: 60 }, (_, i) => `topic${i}`);
const products = Array.from({ length: 30 }, (_, i) => `product${i}`);
const words = "invoice refund broken late crash slow rude great love cancel charge delivery password login app store staff price".split(" ");

let seed = 42;
const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!;
const some = <T>(xs: readonly T[], p: number, max: number) => (rnd() < p ? Array.from({ length: 1 + Math.floor(rnd() * max) }, () => pick(xs)) : []);

// Every rule has a topic condition (no catch-all rule), so first-match has to walk the list.
const rules: RuleSpec[] = Array.from({ length: RULES }, (_, i) => ({
  id: `r${i}`,
  name: `Rule ${i}`,
  position: i,
  enabled: rnd() > 0.05,
  teamIds: [`team${i % 25}`],
  priority: pick(["low", "normal", "high", "urgent"] as const),
  ackWithinMinutes: 30,
  resolveWithinMinutes: 1440,
  conditions: {
    topics: some(topics, 1, 3),
    products: some(products, 0.3, 2),
    channels: some(CHANNELS, 0.4, 3),
    tiers: some(TIERS, 0.2, 2),
    sentimentAtMost: rnd() < 0.3 ? -0.3 : null,
    sentimentAtLeast: rnd() < 0.1 ? 0.3 : null,
    keywords: some(words, 0.3, 3),
    customerTopics: some(CUSTOMER_TOPIC_KEYS, 0.3, 2),
  },
}));

const facts: InsightFacts[] = Array.from({ length: INSIGHTS }, () => ({
  text: Array.from({ length: 25 }, () => (rnd() < 0.15 ? pick(words) : "lorem")).join(" "),
  channel: pick(CHANNELS),
  tier: rnd() < 0.8 ? pick(TIERS) : null,
  sentimentScore: rnd() * 2 - 1,
  topicIds: some(topics, 0.9, 2),
  customerTopics: some(CUSTOMER_TOPIC_KEYS, 0.7, 2),
  productIds: some(products, 0.5, 1),
}));

for (const mode of ["first", "every"] as const) {
  // Warm up (JIT, keyword regex compilation), then measure.
  for (let i = 0; i < 2000; i++) evaluateRules(rules, facts[i % facts.length]!, mode);
  let routed = 0;
  const t0 = performance.now();
  for (const f of facts) if (evaluateRules(rules, f, mode)) routed++;
  const ms = performance.now() - t0;
  console.log(
    `rules=${RULES} mode=${mode}: ${INSIGHTS} insights in ${ms.toFixed(0)} ms → ${Math.round((INSIGHTS / ms) * 1000).toLocaleString("en")} insights/s ` +
      `(${((ms * 1000) / INSIGHTS).toFixed(1)} µs each; ${((routed / INSIGHTS) * 100).toFixed(0)}% matched a rule)`,
  );
}
