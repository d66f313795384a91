/**
 * The admin's two dry runs, field by field: the test box (testRules: which rules an example
 * matches on each of its facts, where it would go and with which priority and times, triage when
 * none) and the 30-day preview of a draft rule (previewRule: its window's edges, the facts each
 * stored insight is matched on, the examples it shows). Neither writes anything.
 */
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import type { Prisma } from "../../../server/generated/prisma/client.js";
import { scoreSentiment } from "../../../server/domain/sentiment.js";
import { recogniseTopics } from "../../../server/insights/topics.js";
import { startTestApp, type TestApp } from "../../helpers/app.js";
import { fakeClock, makeAdmin, makeTeam } from "./factories.js";

const DAY = 86_400_000;
let clock: ReturnType<typeof fakeClock>;
let app: TestApp;
// An app of its own per test: the preview reads every insight there is.
beforeEach(async () => {
  clock = fakeClock();
  app = await startTestApp({ clock, env: { INSIGHT_SLA_SWEEP_MS: "3600000" } });
});
afterEach(() => app.close());

const rr = () => app.atrium.domain.routingRules;
/** "gadget" in the vocabulary, also known as "gizmo". */
async function gadget() {
  const skill = await app.atrium.db.skill.create({ data: { name: "gadget", label: "Gadget" } });
  await app.atrium.db.skillSynonym.create({ data: { name: "gizmo", skillId: skill.id } });
  return skill;
}
const writable = async () => ({
  rules: await app.atrium.db.routingRule.count(),
  skills: await app.atrium.db.skill.count(),
  synonyms: await app.atrium.db.skillSynonym.count(),
  audit: await app.atrium.db.ruleAudit.count(),
  insights: await app.atrium.db.insight.count(),
});

describe("the test box", () => {
  const REFUND = "I want a refund, I was charged twice and nobody helps. Terrible.";

  test("reports the sentiment, the recognised topics, every matching rule, the routing rules, teams, priority and times", async () => {
    const { actor } = await makeAdmin(app.atrium);
    const a = await makeTeam(app.atrium, actor, "Gadget Desk");
    const b = await makeTeam(app.atrium, actor, "Refund Desk");
    await gadget();
    const gadgets = await rr().createRule(actor, { name: "Gadgets on chat", enabled: true, teamIds: [a.team.id], priority: "high", ackWithin: "20m", resolveWithin: "5h", conditions: { products: "gadget", channels: ["chat"] } });
    const refunds = await rr().createRule(actor, { name: "Refund complaints", enabled: true, teamIds: [b.team.id], priority: "urgent", ackWithin: "10m", resolveWithin: "2h", conditions: { customerTopics: ["refund-billing"], sentimentAtMost: "-0.3" } });
    await rr().getSettings(actor);
    const before = await writable();
    const sentiment = scoreSentiment(REFUND);
    expect(sentiment.score).toBeLessThanOrEqual(-0.3);
    const topics = recogniseTopics(REFUND, sentiment.label);
    expect(topics.map((t) => t.key)).toContain("refund-billing");

    // Named by its synonym, the product is the vocabulary's "gadget".
    expect(await rr().testRules(actor, { text: REFUND, channel: "chat", products: "gizmo" })).toEqual({
      sentiment,
      customerTopics: topics,
      matchMode: "first",
      matchingRuleIds: [gadgets.id, refunds.id],
      routingRuleIds: [gadgets.id],
      triage: false,
      teams: [{ id: a.team.id, name: "Gadget Desk" }],
      priority: "high",
      ackWithinMinutes: 20,
      resolveWithinMinutes: 300,
    });
    // Each fact counts: another channel, an unknown product, a product given as a topic.
    expect((await rr().testRules(actor, { text: REFUND, channel: "email", products: "gadget" })).matchingRuleIds).toEqual([refunds.id]);
    expect((await rr().testRules(actor, { text: REFUND, channel: "chat", products: "no-such-thing" })).matchingRuleIds).toEqual([refunds.id]);
    expect((await rr().testRules(actor, { text: REFUND, channel: "chat", topics: "gadget" })).matchingRuleIds).toEqual([refunds.id]);
    // The sentiment is the example's own: praise for a refund is no complaint.
    expect((await rr().testRules(actor, { text: "The refund came quickly, thank you so much, wonderful service!", channel: "chat", products: "gadget" })).matchingRuleIds).toEqual([gadgets.id]);
    // The customer topics are recognised from the words.
    expect((await rr().testRules(actor, { text: "The gadget is awful and broken, terrible.", channel: "email" })).matchingRuleIds).toEqual([]);
    expect(await writable()).toEqual(before);
  });

  test("an example no rule matches goes to triage with normal priority and the triage times", async () => {
    const { actor } = await makeAdmin(app.atrium);
    const { team } = await makeTeam(app.atrium, actor, "Desk");
    await rr().createRule(actor, { name: "Chat", enabled: true, teamIds: [team.id], priority: "high", ackWithin: "20m", resolveWithin: "5h", conditions: { channels: ["chat"] } });
    const settings = await rr().getSettings(actor);
    await rr().updateSettings(actor, { matchMode: "every", triageTeamId: settings.triageTeamId, triageAckWithin: "90m", triageResolveWithin: "2d" });
    const text = "hello there";
    const sentiment = scoreSentiment(text);
    expect(await rr().testRules(actor, { text, channel: "email" })).toEqual({
      sentiment,
      customerTopics: recogniseTopics(text, sentiment.label),
      matchMode: "every",
      matchingRuleIds: [],
      routingRuleIds: [],
      triage: true,
      teams: [{ id: settings.triageTeamId, name: "Triage" }],
      priority: "normal",
      ackWithinMinutes: 90,
      resolveWithinMinutes: 2880,
    });
  });
  test("a routing team deleted on another instance (the config still names it) is shown as unknown", async () => {
    const { actor } = await makeAdmin(app.atrium);
    const { team } = await makeTeam(app.atrium, actor, "Gone Desk");
    await rr().createRule(actor, { name: "Chat", enabled: true, teamIds: [team.id], ackWithin: "20m", resolveWithin: "5h", conditions: { channels: ["chat"] } });
    await rr().getSettings(actor); // the Triage team exists: making it invalidates the config
    expect((await rr().testRules(actor, { text: "hi", channel: "chat" })).teams).toEqual([{ id: team.id, name: "Gone Desk" }]);
    await app.atrium.db.team.delete({ where: { id: team.id } });
    expect((await rr().testRules(actor, { text: "hi", channel: "chat" })).teams).toEqual([{ id: team.id, name: "?" }]);
  });
});

describe("the preview of a draft rule", () => {
  /** An insight stored as routing left it, posted `ago` milliseconds before now. */
  const store = (ago: number, over: Partial<Prisma.InsightUncheckedCreateInput> = {}, tags: { skillId: string; kind: string }[] = []) =>
    app.atrium.db.insight.create({
      data: { text: "Where is my refund?", channel: "email", sentimentScore: -0.5, sentimentLabel: "negative", sentimentAuto: "negative", createdAt: new Date(clock.now().getTime() - ago), ...over, tags: { create: tags } },
    });

  test("replays the last 30 days, both ends included, and nothing newer than now", async () => {
    const { actor } = await makeAdmin(app.atrium);
    const oldest = await store(30 * DAY);
    await store(30 * DAY + 1);
    const newest = await store(0);
    await store(-1);
    expect(await rr().previewRule(actor, { conditions: {} })).toEqual({
      days: 30,
      total: 2,
      caught: 2,
      examples: [
        { id: newest.id, text: "Where is my refund?", createdAt: clock.now().toISOString() },
        { id: oldest.id, text: "Where is my refund?", createdAt: new Date(clock.now().getTime() - 30 * DAY).toISOString() },
      ],
    });
  });

  test("shows the five newest caught, each text cut after 120 characters", async () => {
    const { actor } = await makeAdmin(app.atrium);
    const long = "x".repeat(119);
    const stored = [];
    for (let k = 0; k < 7; k++) stored.push(await store(k * 1000, { text: `refund ${k} ${long}`.slice(0, 120 + (k % 2)) }));
    await store(500, { text: "nothing to see" });
    const preview = await rr().previewRule(actor, { conditions: { keywords: "refund" } });
    expect(preview).toMatchObject({ total: 8, caught: 7 });
    expect(preview.examples.map((e) => e.id)).toEqual(stored.slice(0, 5).map((s) => s.id));
    expect(preview.examples[0]!.text).toBe(stored[0]!.text);
    expect(stored[0]!.text).toHaveLength(120);
    expect(preview.examples[1]!.text).toBe(`${stored[1]!.text.slice(0, 120)}…`);
  });

  test("matches each stored fact: product and topic tags by kind, synonyms, channel, the account's tier, and customer topics with the label routing gave", async () => {
    const { actor } = await makeAdmin(app.atrium);
    const skill = await gadget();
    const gold = await app.atrium.db.customerAccount.create({ data: { name: "Globex", tier: "gold" } });
    const asProduct = await store(1000, { channel: "chat", accountId: gold.id }, [{ skillId: skill.id, kind: "product" }]);
    const asTopic = await store(2000, {}, [{ skillId: skill.id, kind: "topic" }]);
    const praise = "Thank you so much, wonderful service!";
    const praised = await store(3000, { text: praise, sentimentScore: 0.8, sentimentLabel: "positive", sentimentAuto: "positive" });
    // The same words that routing read as not positive (then overridden): no praise.
    await store(4000, { text: praise, sentimentScore: 0.8, sentimentLabel: "positive", sentimentAuto: "neutral" });
    const before = await writable();
    const caught = async (conditions: Record<string, unknown>) => (await rr().previewRule(actor, { conditions })).examples.map((e) => e.id);

    expect(await caught({ products: "gadget" })).toEqual([asProduct.id]);
    expect(await caught({ products: "gizmo, no-such-tag" })).toEqual([asProduct.id]);
    expect(await caught({ topics: "gizmo" })).toEqual([asTopic.id]);
    expect(await caught({ products: "no-such-tag" })).toEqual([]);
    expect(await caught({ channels: ["chat", "chat"] })).toEqual([asProduct.id]);
    expect(await caught({ tiers: ["gold"] })).toEqual([asProduct.id]);
    expect(await caught({ customerTopics: ["praise"] })).toEqual([praised.id]);
    expect(await caught({ keywords: ["wonderful", "wonderful"], sentimentAtLeast: "0.5", sentimentAtMost: "0.9" })).toHaveLength(2);
    expect(await writable()).toEqual(before);
  });

  test("a sentiment range is refused only when it can never match; one bound alone or equal bounds are fine", async () => {
    const { actor } = await makeAdmin(app.atrium);
    const praised = await store(1000, { text: "Wonderful", sentimentScore: 0.6, sentimentLabel: "positive", sentimentAuto: "positive" });
    const neutral = await store(2000, { text: "Okay", sentimentScore: 0, sentimentLabel: "neutral", sentimentAuto: "neutral" });
    const caught = async (conditions: Record<string, unknown>) => (await rr().previewRule(actor, { conditions })).examples.map((e) => e.id);
    expect(await caught({ sentimentAtLeast: "0.5" })).toEqual([praised.id]);
    expect(await caught({ sentimentAtMost: "0.1" })).toEqual([neutral.id]);
    expect(await caught({ sentimentAtLeast: "0.6", sentimentAtMost: "0.6" })).toEqual([praised.id]);
    const before = await writable();
    await expect(() => rr().previewRule(actor, { conditions: { topics: "a-new-tag", sentimentAtLeast: "0.61", sentimentAtMost: "0.6" } })).rejects.toMatchObject({
      status: 422,
      fieldErrors: { "conditions.sentimentAtLeast": ["'At least' is above 'at most': the rule could never match."] },
    });
    expect(await writable()).toEqual(before);
  });
});
