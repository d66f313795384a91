/**
 * The malformed inputs that used to reach the database and fail as 500s: a lone UTF-16 surrogate
 * in JSON and a status ending in the year 275760. Each is a 422 naming the field, nothing written.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../../helpers/app.js";
import { makePerson } from "../../factories.js";

let app: TestApp;
let write: string;
let ingest: string;
let questionId: string;
let userId: string;

const api = (path: string, token: string, method: string, body: string) =>
  fetch(`${app.url}/api/v1${path}`, { method, headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" }, body });

async function snapshot() {
  const db = app.atrium.db;
  const [questions, answers, insights, user] = await Promise.all([
    db.question.count(),
    db.answer.count(),
    db.insight.count(),
    db.user.findUniqueOrThrow({ where: { id: userId }, select: { statusText: true, statusEmoji: true, statusUntil: true } }),
  ]);
  return { questions, answers, insights, user };
}

beforeAll(async () => {
  app = await startTestApp();
  const member = await makePerson(app.atrium, { skills: { kubernetes: "expert" } });
  const admin = await makePerson(app.atrium, { role: "admin" });
  userId = member.user.id;
  write = (await app.atrium.domain.apiTokens.createApiToken(member.actor, { name: "w", scope: "write" })).secret;
  ingest = (await app.atrium.domain.apiTokens.createApiToken(admin.actor, { name: "i", kind: "integration", scope: "insights" })).secret;
  questionId = (await app.atrium.domain.questions.askQuestion(member.actor, { title: "How do we roll back a deploy?", body: { plain: "Asking for the on-call runbook." }, tags: "kubernetes" })).id;
});
afterAll(() => app?.close());

describe("a lone UTF-16 surrogate in JSON", () => {
  const cases: [string, () => Promise<Response>, string][] = [
    ["POST /api/v1/questions", () => api("/questions", write, "POST", '{"title":"Why does \\ud800 break things?","body":"It does \\udfff here.","tags":"kubernetes"}'), "title"],
    ["POST /api/v1/questions/:id/answers", () => api(`/questions/${questionId}/answers`, write, "POST", '{"body":"Use \\ud83d alone"}'), "body"],
    ["PUT /api/v1/people/me/status", () => api("/people/me/status", write, "PUT", '{"text":"Away \\udc00","emoji":""}'), "text"],
    ["POST /api/v1/insights", () => api("/insights", ingest, "POST", '{"text":"The customer said \\ud800","channel":"email","account":"Acme"}'), "text"],
  ];
  for (const [name, send, field] of cases) {
    it(`${name}: 422 naming the field, nothing written`, async () => {
      const before = await snapshot();
      const res = await send();
      expect(res.status).toBe(422);
      const body = await res.json();
      expect(Object.keys(body.error.details.fieldErrors).join(" ")).toContain(field);
      expect(JSON.stringify(body)).toMatch(/lone UTF-16 surrogate/);
      expect(await snapshot()).toEqual(before);
    });
  }
});

describe("dates out of range", () => {
  for (const until of ["+275760-09-13T00:00:00.000Z", "275760-01-01", "-000001-01-01T00:00:00Z", "1800-01-01T00:00:00Z"]) {
    it(`a status until ${until}: 422 on until, nothing written`, async () => {
      const before = await snapshot();
      const res = await api("/people/me/status", write, "PUT", JSON.stringify({ text: "On leave", emoji: "", until }));
      expect(res.status).toBe(422);
      expect((await res.json()).error.details.fieldErrors.until[0]).toMatch(/between the years 1900 and 9999|valid date/);
      expect(await snapshot()).toEqual(before);
    });
  }

  it("a status until next week is still accepted", async () => {
    const until = new Date(app.atrium.ctx.clock.now().getTime() + 7 * 86_400_000).toISOString();
    const res = await api("/people/me/status", write, "PUT", JSON.stringify({ text: "On leave", emoji: "", until }));
    expect(res.status).toBe(204);
    expect((await snapshot()).user.statusUntil?.toISOString()).toBe(until);
  });
});
