import { afterAll, beforeAll, expect, test } from "vitest";
import { makeUser, startTestApp, type TestApp } from "../../helpers/app.js";
import { fakeClock, makeAdmin } from "./factories.js";

const clock = fakeClock();
let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ clock });
});
afterAll(() => app.close());

const DAY = 86_400_000;

test("a draft rule's preview counts what it would have caught in the last 30 days, and writes nothing", async () => {
  const { actor: admin } = await makeAdmin(app.atrium);
  const agent = await makeUser(app.atrium);
  const post = (text: string, topics = "") => app.atrium.domain.insights.createInsight(agent.actor, { text, channel: "email", topics });
  // 40 days ago: outside the window.
  await post("Refund not received, furious", "billing");
  clock.advance(15 * DAY);
  await post("Still no refund, this is terrible", "billing");
  await post("Refund arrived, thank you so much!", "billing");
  clock.advance(10 * DAY);
  await post("The app crashes on start, useless", "mobile");
  clock.advance(15 * DAY);
  await post("Where is my refund? Nobody answers", "billing");

  const rr = app.atrium.domain.routingRules;
  const before = { rules: await app.atrium.db.routingRule.count(), skills: await app.atrium.db.skill.count(), audit: await app.atrium.db.ruleAudit.count() };

  expect(await rr.previewRule(admin, { conditions: { keywords: "refund" } })).toMatchObject({ days: 30, total: 4, caught: 3 });
  // Complaints only: the model's negative label is a score ≤ −0.3.
  const complaints = await rr.previewRule(admin, { conditions: { topics: "billing", sentimentAtMost: "-0.3" } });
  expect(complaints).toMatchObject({ total: 4, caught: 2 });
  expect(complaints.examples.map((e) => e.text)).toEqual(["Where is my refund? Nobody answers", "Still no refund, this is terrible"]);
  expect(await rr.previewRule(admin, { conditions: {} })).toMatchObject({ caught: 4 });
  // A topic nobody uses matches nothing (and is not added to the vocabulary).
  expect(await rr.previewRule(admin, { conditions: { topics: "no-such-topic" } })).toMatchObject({ caught: 0 });

  // Members may not; malformed drafts get a field message.
  await expect(rr.previewRule(agent.actor, { conditions: {} })).rejects.toMatchObject({ status: 403 });
  await expect(rr.previewRule(admin, { conditions: { sentimentAtMost: "minus a lot" } })).rejects.toMatchObject({ status: 422, fieldErrors: { "conditions.sentimentAtMost": expect.any(Array) } });
  await expect(rr.previewRule(admin, { conditions: { sentimentAtMost: "-0.5", sentimentAtLeast: "0.5" } })).rejects.toMatchObject({ status: 422 });
  expect({ rules: await app.atrium.db.routingRule.count(), skills: await app.atrium.db.skill.count(), audit: await app.atrium.db.ruleAudit.count() }).toEqual(before);
});
