/**
 * Routing on customer topics over HTTP: an admin saves a rule that names a topic through the rule
 * form, an insight posted through the insight form is routed by it, the 30-day preview counts it;
 * an unknown topic is a 422 with a clear message and a member's attempt is a 403, neither writing.
 */
import { afterAll, beforeAll, expect, test } from "vitest";
import { makeUser, sessionCookieFor, startTestApp, type TestApp } from "../../helpers/app.js";
import { makeAdmin, makeTeam } from "./factories.js";

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ withPages: true });
});
afterAll(() => app?.close());

type U = Awaited<ReturnType<typeof makeUser>>;
const cookies = new Map<string, string>();
const signIn = async (u: U) => cookies.set(u.user.id, await sessionCookieFor(app.atrium, u.user.email, u.password));
const post = (u: U, path: string, fields: Record<string, string | string[]>) => {
  const form = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) for (const x of [v].flat()) form.append(k, x);
  return fetch(`${app.url}${path}`, {
    method: "POST",
    headers: { cookie: cookies.get(u.user.id)!, "content-type": "application/x-www-form-urlencoded" },
    body: form,
    redirect: "manual",
  });
};
const rulesState = async () => ({
  rules: await app.atrium.db.routingRule.findMany({ include: { teams: true }, orderBy: { id: "asc" } }),
  audit: await app.atrium.db.ruleAudit.count(),
});

test("a rule on the 'late or delayed' topic routes a delay complaint that names no keyword; unknown topics and members are refused", async () => {
  const admin = await makeAdmin(app.atrium);
  const member = await makeUser(app.atrium);
  await Promise.all([signIn(admin), signIn(member)]);
  const { team } = await makeTeam(app.atrium, admin.actor, "Operations Desk");
  // Posted before the rule exists: the preview replays it.
  await app.atrium.domain.insights.createInsight(member.actor, { text: "Our flight was delayed again, four hours at the gate", channel: "twitter" });
  await app.atrium.domain.insights.createInsight(member.actor, { text: "What time does the store open on Sunday?", channel: "twitter" });

  const form = { name: "Delays", enabled: "on", teamIds: [team.id], priority: "high", ackWithin: "30m", resolveWithin: "1d", customerTopics: ["late-delayed"] };
  const preview = await post(admin, "/admin/insight-rules/new", { ...form, intent: "preview" });
  expect(preview.status).toBe(200);
  expect(await preview.text()).toContain(`data-caught="1" data-total="2"`);

  // Unknown topic: 422, a message naming it, nothing written. A member: 403, nothing written.
  const before = await rulesState();
  const bad = await post(admin, "/admin/insight-rules/new", { ...form, intent: "save", customerTopics: ["late-delayed", "delays"] });
  expect(bad.status).toBe(422);
  expect(await bad.text()).toContain("Unknown customer topic &quot;delays&quot;");
  expect((await post(member, "/admin/insight-rules/new", { ...form, intent: "save" })).status).toBe(403);
  expect(await rulesState()).toEqual(before);

  const saved = await post(admin, "/admin/insight-rules/new", { ...form, intent: "save" });
  expect(saved.status).toBe(302);
  const rule = await app.atrium.db.routingRule.findFirstOrThrow({ where: { name: "Delays" } });
  expect(JSON.parse(rule.conditions)).toMatchObject({ customerTopics: ["late-delayed"] });

  // Posting through the insight form: the delay goes to the team, the question to triage.
  const late = await post(member, "/insights/new", { text: "Running 3 hours behind schedule and nobody tells us anything", channel: "twitter" });
  expect(late.status).toBe(302);
  const lateId = late.headers.get("location")!.match(/\/insights\/([^?]+)/)![1]!;
  const routes = await app.atrium.db.insightRoute.findMany({ where: { insightId: lateId } });
  expect(routes).toEqual([expect.objectContaining({ teamId: team.id, ruleId: rule.id })]);
  const other = await post(member, "/insights/new", { text: "Do you sell gift cards?", channel: "twitter" });
  const otherId = other.headers.get("location")!.match(/\/insights\/([^?]+)/)![1]!;
  expect((await app.atrium.db.insightRoute.findMany({ where: { insightId: otherId } })).map((r) => r.ruleId)).toEqual([null]);

  // The insight page says what it is about and which words drove it.
  const page = await fetch(`${app.url}/insights/${lateId}`, { headers: { cookie: cookies.get(member.user.id)! } });
  const html = await page.text();
  expect(html).toContain('data-topic="late-delayed"');
  expect(html).toContain("“behind schedule”");

  // The "test the rules" box says what an example is about and where the topic rule sends it.
  const tested = await app.atrium.domain.routingRules.testRules(admin.actor, { text: "the 7:15 is late again", channel: "twitter" });
  expect(tested.customerTopics.map((t) => t.key)).toEqual(["late-delayed"]);
  expect(tested.routingRuleIds).toEqual([rule.id]);
});
