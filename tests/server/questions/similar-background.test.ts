import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { ForbiddenError } from "../../../server/domain/errors.js";
import { buildQuestionsIndex } from "../../../server/domain/qa-indexes.js";
import { QuestionsIndex, type QuestionDoc } from "../../../server/search/questions-index.js";
import { makeUser, startTestApp, type TestApp } from "../../helpers/app.js";
import { ask } from "./helpers.js";

/** search cold start (decision 061): the similar-questions index fills after listening. */
const q = (id: string, title: string, over: Partial<QuestionDoc> = {}): QuestionDoc => ({
  id, title, body: "", tags: "", score: 0, accepted: false, answerCount: 0, duplicate: false, ...over,
});

describe("similar-questions index filled in pages", () => {
  test("answers while filling; events during the build win over the pages read before them", () => {
    const idx = new QuestionsIndex();
    idx.beginBuild(5);
    expect(idx.ready).toBe(false);
    idx.addBatch([q("q1", "Rotate the walrus certificate")]);
    expect(idx.similar({ title: "walrus certificate " }).map((h) => h.id)).toEqual(["q1"]); // searchable while filling
    // Meanwhile: q2 deleted, q3 retitled, q4 gets an accepted answer — all before their page arrives.
    void idx.remove("q2");
    void idx.upsert(q("q3", "Narwhal gateway timeout"));
    idx.updateSignals("q4", { accepted: true });
    idx.addBatch([
      q("q2", "Walrus certificate expired"),
      q("q3", "Walrus gateway timeout"),
      q("q4", "Walrus certificate renewal steps"),
      q("q5", "Walrus certificate renewal steps"),
    ]);
    idx.endBuild();
    expect(idx.ready).toBe(true);
    expect(idx.progress).toEqual({ done: 5, total: 5 });
    const ids = idx.similar({ title: "walrus certificate renewal " }).map((h) => h.id);
    expect(ids).not.toContain("q2");
    expect(ids).not.toContain("q3");
    expect(ids.indexOf("q4")).toBeLessThan(ids.indexOf("q5")); // the accepted one, signalled mid-build
    expect(idx.similar({ title: "narwhal gateway " }).map((h) => h.id)).toEqual(["q3"]);
  });
});

describe("similarIndexing (verb)", () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app.close());

  test("null when complete; progress while a build runs; the index is complete afterwards", async () => {
    const { actor } = await makeUser(app.atrium);
    const asked = await ask(app.atrium, actor, { title: "How do I rotate the zeppelin signing key?" });
    expect(app.atrium.domain.questions.similarIndexing(actor)).toBeNull();
    const build = buildQuestionsIndex(app.atrium.ctx, 1); // as at start, not awaited yet
    expect(app.atrium.domain.questions.similarIndexing(actor)).toEqual({ done: 0, total: 1 });
    expect(await build).toBe(1);
    expect(app.atrium.domain.questions.similarIndexing(actor)).toBeNull();
    const similar = await app.atrium.domain.questions.similarQuestions(actor, { title: "zeppelin signing key", body: "", tags: "" });
    expect(similar.map((s) => s.id)).toEqual([asked.id]);
  });

  test("refused for a deactivated account", async () => {
    const { actor } = await makeUser(app.atrium);
    expect(() => app.atrium.domain.questions.similarIndexing({ ...actor, active: false })).toThrow(ForbiddenError);
  });
});
