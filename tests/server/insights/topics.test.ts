import { describe, expect, test } from "vitest";
import { CUSTOMER_TOPIC_KEYS, RuleConditionsSchema } from "../../../app/schemas/insights.js";
import { primaryTopic, recogniseTopics, TOPICS } from "../../../server/insights/topics.js";
import { clusterTopicOf } from "../../../server/insights/cluster-index.js";

const keys = (text: string, label?: string) => recogniseTopics(text, label).map((t) => t.key);

describe("recogniseTopics", () => {
  test("each generic customer-service topic is recognised from varied wording, with the phrases that drove it", () => {
    const cases: [string, string, string][] = [
      ["you lost my suitcase on the way to Denver", "lost-damaged", "lost my suitcase"],
      ["my parcel arrived smashed", "lost-damaged", "parcel arrived smashed"],
      ["my flight was Cancelled Flightled for the second time", "cancelled", "cancelled"],
      ["still no refund for the cancelled order... I want my money back", "refund-billing", "money back"],
      ["you charged me twice for one ticket", "refund-billing", "charged me twice"],
      ["locked out of my account since the update", "account-login", "locked out"],
      ["your app keeps crashing at checkout", "website-app", "crashing"],
      ["the website isn't letting me pay", "website-app", "website isn't"],
      ["delayed 3 hours and no information", "late-delayed", "delayed"],
      ["on hold for 2 hours and counting", "waiting-no-reply", "on hold"],
      ["nobody responded to my email from last week", "waiting-no-reply", "nobody responded"],
      ["the gate agent was incredibly rude to my mother", "staff-attitude", "rude"],
      ["I need to change my flight but the line is endless", "booking-order", "change my flight"],
      ["the blender stopped working after a week", "product-quality", "stopped working"],
    ];
    for (const [text, key, phrase] of cases) {
      const found = recogniseTopics(text, "negative").find((t) => t.key === key);
      expect(found, text).toBeDefined();
      expect(found!.phrases, text).toContain(phrase);
    }
  });

  test("praise needs the model's positive reading: sarcastic thanks next to trouble is the trouble", () => {
    expect(keys("thanks so much, the crew was amazing", "positive")).toEqual(["praise"]);
    expect(keys("thanks for nothing, still no refund", "negative")).toEqual(["refund-billing"]);
    expect(keys("great job, on hold for 2 hours", "negative")).toEqual(["waiting-no-reply"]);
    // Without a label (a bare text), praise only when nothing else is found.
    expect(keys("thanks for nothing, still no refund")).toEqual(["refund-billing"]);
  });

  test("context words count only next to trouble: a mention is not a problem", () => {
    expect(keys("I paid with my credit card at the store", "neutral")).toEqual([]);
    expect(keys("I was wrongly charged, the fare doubled", "negative")).toContain("refund-billing");
    expect(keys("I love your app", "positive")).not.toContain("website-app");
    expect(keys("the app won't open since yesterday", "negative")).toContain("website-app");
    expect(keys("can't wait to fly with you tomorrow!", "positive")).not.toContain("waiting-no-reply");
    expect(keys("what time does the store open on Sunday?", "neutral")).toEqual([]);
  });

  test("the strongest topic comes first; on a tie the more specific one", () => {
    expect(primaryTopic(recogniseTopics("still waiting for my refund", "negative"))).toBe("refund-billing");
    expect(primaryTopic(recogniseTopics("lost my bag and my flight was delayed", "negative"))).toBe("lost-damaged");
    expect(primaryTopic(recogniseTopics("hello", "neutral"))).toBeNull();
  });

  test("the recogniser's topics are exactly the ones rules may name", () => {
    expect(TOPICS.map((t) => t.key)).toEqual(CUSTOMER_TOPIC_KEYS);
  });

  test("a rule's topics must be known ones: an unknown topic is refused with the list to choose from", () => {
    expect(RuleConditionsSchema.parse({ customerTopics: ["refund-billing", "late-delayed", "refund-billing"] }).customerTopics).toEqual(["refund-billing", "late-delayed"]);
    const r = RuleConditionsSchema.safeParse({ customerTopics: ["refunds", "late-delayed"] });
    expect(r.success).toBe(false);
    expect(r.error!.issues[0]!.message).toMatch(/^Unknown customer topic "refunds": choose from lost-damaged, cancelled/);
  });
});

describe("clusterTopicOf (remembered per text and label)", () => {
  test("the same text asked again with another label gets that label's answer", () => {
    const text = "thanks so much, the crew was amazing";
    for (let i = 0; i < 2; i++) {
      expect(clusterTopicOf(text, "positive")).toBe("praise");
      expect(clusterTopicOf(text, "negative")).toBeNull();
      expect(clusterTopicOf("my bag never arrived", "neutral")).toBe(primaryTopic(recogniseTopics("my bag never arrived", "neutral")));
    }
  });
});
