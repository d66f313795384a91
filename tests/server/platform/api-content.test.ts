/**
 * REST API v1 for questions, documents and insights over real HTTP: the same verbs as the pages,
 * so a token sees exactly what its owner may see (a private document of someone else stays
 * hidden), write endpoints need the write scope, and bad input changes nothing.
 */
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { startTestApp, type TestApp } from "../../helpers/app.js";
import { makeDepartment, makePerson } from "../../factories.js";
import { body as richBody } from "../questions/helpers.js";

let app: TestApp;
let owner: Awaited<ReturnType<typeof makePerson>>;
let reader: Awaited<ReturnType<typeof makePerson>>;
let read = "";
let write = "";
let ingestOnly = "";
let companySpaceId = "";
let privateDocId = "";
let companyDocId = "";
let questionId = "";

const api = (path: string, token: string | null, init: RequestInit = {}) =>
  fetch(`${app.url}/api/v1${path}`, { ...init, headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), ...(init.headers ?? {}) } });
const post = (path: string, token: string, payload: unknown) =>
  api(path, token, { method: "POST", body: JSON.stringify(payload), headers: { "content-type": "application/json" } });

// An app of its own per test: the lists are checked whole, and tests add questions and documents.
beforeEach(async () => {
  app = await startTestApp({ withPages: true });
  const dept = await makeDepartment(app.atrium, "Identity");
  const admin = await makePerson(app.atrium, { role: "admin", name: "Ada Admin" });
  owner = await makePerson(app.atrium, { name: "Olga Owner", departmentId: dept.id, skills: { saml: "expert" } });
  reader = await makePerson(app.atrium, { name: "Rui Reader", departmentId: dept.id });
  const d = app.atrium.domain;
  read = (await d.apiTokens.createApiToken(reader.actor, { name: "read", scope: "read" })).secret;
  write = (await d.apiTokens.createApiToken(reader.actor, { name: "write", scope: "write" })).secret;
  ingestOnly = (await d.apiTokens.createApiToken(admin.actor, { name: "listener", kind: "integration", scope: "insights" })).secret;
  await d.docs.ensureSpaces();
  companySpaceId = (await d.docs.listSpaces(owner.actor)).find((s) => s.kind === "company")!.id;
  privateDocId = (await d.docs.createDocument(owner.actor, { title: "Secret reorg plan", spaceId: companySpaceId, visibility: "private" })).id;
  companyDocId = (await d.docs.createDocument(owner.actor, { title: "Holiday calendar", spaceId: companySpaceId, visibility: "company" })).id;
  questionId = (await d.questions.askQuestion(owner.actor, { title: "How do we rotate the SAML certificate?", body: richBody("The IdP cert expires soon."), tags: ["saml"] })).id;
});
afterEach(() => app?.close());

describe("questions", () => {
  test("GET /questions lists, GET /questions/:id shows one with its answers", async () => {
    const list = await api("/questions?sort=newest", read);
    expect(list.status).toBe(200);
    const page = await list.json();
    expect(page).toMatchObject({ page: 1, total: 1 });
    expect(page.data.map((q: { id: string }) => q.id)).toEqual([questionId]);
    const one = await (await api(`/questions/${questionId}`, read)).json();
    expect(one.data).toMatchObject({ id: questionId, title: "How do we rotate the SAML certificate?" });
  });

  test("POST /questions and /questions/:id/answers act as the token's owner", async () => {
    const asked = await post("/questions", write, { title: "Where is the SAML metadata URL?", body: "Need it for a vendor.", tags: ["saml"] });
    expect(asked.status).toBe(201);
    const { data } = await asked.json();
    expect(asked.headers.get("location")).toBe(`${app.url}/questions/${data.id}`);
    const row = await app.atrium.db.question.findUniqueOrThrow({ where: { id: data.id }, select: { authorId: true, bodyText: true } });
    expect(row).toEqual({ authorId: reader.user.id, bodyText: "Need it for a vendor." });

    const answered = await post(`/questions/${questionId}/answers`, write, { body: "Use the admin console, Certificates tab." });
    expect(answered.status).toBe(201);
    const a = (await answered.json()).data;
    expect(await app.atrium.db.answer.findUniqueOrThrow({ where: { id: a.id }, select: { authorId: true, questionId: true } })).toEqual({ authorId: reader.user.id, questionId });
  });

  test("bad input and missing scopes are refused and write nothing", async () => {
    const before = await Promise.all([app.atrium.db.question.count(), app.atrium.db.answer.count()]);
    const readOnly = await post("/questions", read, { title: "Read tokens cannot ask this", body: "x", tags: ["saml"] });
    expect(readOnly.status).toBe(403);
    expect((await readOnly.json()).error.code).toBe("insufficient_scope");
    const noTitle = await post("/questions", write, { body: "no title", tags: ["saml"] });
    expect(noTitle.status).toBe(422);
    expect((await noTitle.json()).error.details.fieldErrors.title).toEqual([expect.any(String)]);
    const emptyAnswer = await post(`/questions/${questionId}/answers`, write, { body: "   " });
    expect(emptyAnswer.status).toBe(422);
    const broken = await api("/questions", write, { method: "POST", body: "{not json", headers: { "content-type": "application/json" } });
    expect(broken.status).toBe(400);
    expect((await broken.json()).error.code).toBe("invalid_json");
    expect((await api("/questions/nope", read)).status).toBe(404);
    expect(await Promise.all([app.atrium.db.question.count(), app.atrium.db.answer.count()])).toEqual(before);
  });
});

describe("documents", () => {
  test("lists and reads only what the owner may read; a private document of someone else is refused", async () => {
    const recent = await (await api("/documents", read)).json();
    const ids = recent.data.map((d: { id: string }) => d.id);
    expect(ids).toContain(companyDocId);
    expect(ids).not.toContain(privateDocId);
    expect(JSON.stringify(recent)).not.toContain("Secret reorg plan");

    const spaces = await (await api("/spaces", read)).json();
    expect(spaces.data.find((s: { id: string }) => s.id === companySpaceId).documents).toBe(1);
    const tree = await (await api(`/spaces/${companySpaceId}`, read)).json();
    expect(JSON.stringify(tree)).not.toContain("Secret reorg plan");

    const doc = await api(`/documents/${companyDocId}`, read);
    expect(doc.status).toBe(200);
    expect((await doc.json()).data).toMatchObject({ id: companyDocId, title: "Holiday calendar", markdown: expect.any(String) });
    const md = await api(`/documents/${companyDocId}?format=markdown`, read);
    expect(md.headers.get("content-type")).toMatch(/^text\/markdown/);

    for (const path of [`/documents/${privateDocId}`, `/documents/${privateDocId}?format=markdown`]) {
      const refused = await api(path, read);
      expect(refused.status).toBe(403);
      expect(await refused.text()).not.toContain("Secret reorg plan");
    }
  });
});

describe("insights and scopes", () => {
  test("GET /insights lists the feed for a read token; an ingest-only token cannot read anything", async () => {
    const sent = await post("/insights", ingestOnly, { externalId: "t-1", text: "Invoices are wrong again", channel: "twitter" });
    expect(sent.status).toBe(201);
    const { id } = await sent.json();
    const list = await (await api("/insights", read)).json();
    expect(list.data.map((i: { id: string }) => i.id)).toEqual([id]);
    expect((await (await api(`/insights/${id}`, read)).json()).data).toMatchObject({ id, text: "Invoices are wrong again" });
    for (const path of ["/insights", `/insights/${id}`, "/questions", "/documents"]) {
      const r = await api(path, ingestOnly);
      expect(r.status, path).toBe(403);
      expect((await r.json()).error.code).toBe("insufficient_scope");
    }
  });

  test("every content endpoint needs a token", async () => {
    for (const path of ["/questions", `/questions/${questionId}`, "/documents", `/documents/${companyDocId}`, "/spaces", "/insights"]) {
      expect((await api(path, null)).status, path).toBe(401);
    }
  });
});
