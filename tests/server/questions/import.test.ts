import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { htmlToRichText } from "../../../server/import/html-to-rich-text.js";
import { importStackExchange, parseTags } from "../../../server/import/stackexchange.js";
import { startTestApp, type TestApp } from "../../helpers/app.js";
import { qaSnapshot } from "./helpers.js";

const DUMP = path.resolve(import.meta.dirname, "../../fixtures/stackexchange");
let app: TestApp;

beforeAll(async () => {
  app = await startTestApp();
  await app.atrium.db.skill.create({ data: { name: "kubernetes", label: "Kubernetes", synonyms: { create: { name: "k8s" } } } });
});
afterAll(() => app.close());

describe("HTML → editor format", () => {
  test("supported blocks survive; scripts, frames, styles and handlers do not", () => {
    const { doc, text } = htmlToRichText(
      `<p>Hi <b>there</b> &amp; <a href="https://ok.test/x">ok</a> <a href="javascript:bad()">bad</a></p><script>alert(1)</script>` +
        `<pre><code>line 1\nline 2\n</code></pre><ol start="3"><li>three<ul><li>nested</li></ul></li></ol><img src="x" onerror="alert(1)"><h5>deep</h5>`,
    );
    const json = JSON.stringify(doc);
    expect(json).not.toMatch(/script|alert|onerror|javascript/);
    expect(doc.root.children.map((b) => b.type)).toEqual(["paragraph", "code", "list", "paragraph", "heading"]);
    expect(text).toBe("Hi there & ok bad\nline 1\nline 2\n3. three\n  - nested\n[image]\ndeep");
  });

  test("tags in both dump formats, invalid ones dropped", () => {
    expect(parseTags("<saml><single-sign-on>")).toEqual(["saml", "single-sign-on"]);
    expect(parseTags("|saml|sso|")).toEqual(["saml", "sso"]);
    expect(parseTags("<ok><bad tag!>")).toEqual(["ok"]);
  });
});

describe("Stack Exchange import", () => {
  test("imports questions, answers, acceptance, duplicates and placeholder people; HTML sanitised", async () => {
    const progress: number[] = [];
    const s = await importStackExchange(app.atrium.ctx, DUMP, { source: "se-test", batchSize: 2, onProgress: (p) => progress.push(p.bytesRead / p.bytesTotal) });
    expect(s.questions).toEqual({ created: 3, existing: 0 });
    expect(s.answers).toEqual({ created: 2, existing: 0, orphaned: 1 });
    expect(s.accepted).toBe(1);
    expect(s.duplicates).toEqual({ linked: 1, unresolved: 1 });
    expect(s.comments).toEqual({ created: 2, existing: 0, orphaned: 1 });
    expect(s.skippedPosts).toBe(1);
    expect(s.users.placeholders).toBe(4); // Ada (10) and Sam (11) named by Users.xml, user 12 (not in it), "Gone User" (no id)
    expect(progress[progress.length - 1]).toBe(1);

    const db = app.atrium.db;
    const q1 = await db.question.findFirstOrThrow({ where: { importSource: "se-test", importId: "1" }, include: { tags: { include: { skill: true } }, author: true } });
    expect(q1.title).toBe("SAML response rejected: InvalidSignature");
    expect(q1.tags.map((t) => t.skill.name).sort()).toEqual(["saml", "single-sign-on"]);
    expect(q1.bodyJson).not.toMatch(/alert|owned|javascript|onerror/);
    expect(q1.bodyText).toContain("Our IdP rejects the SAML response & logs InvalidSignature.");
    expect(q1.bodyText).toContain('<saml:Assertion ID="a1">');
    expect(q1.score).toBe(5);
    expect(q1.answerCount).toBe(2);
    expect(q1.author).toMatchObject({ name: "Ada Asker", active: false, passwordHash: null, location: "London" });
    const accepted = await db.answer.findUniqueOrThrow({ where: { id: q1.acceptedAnswerId! }, include: { author: true } });
    expect(accepted.importId).toBe("3");
    expect(accepted.author.name).toBe("Sam Solver");
    expect(accepted.acceptedAt).not.toBeNull();

    const q2 = await db.question.findFirstOrThrow({ where: { importSource: "se-test", importId: "2" }, include: { author: true } });
    expect(q2.duplicateOfId).toBe(q1.id);
    expect(q2.closedAt?.toISOString()).toBe("2023-04-02T08:00:00.000Z");
    expect(q2.author.name).toBe("Gone User");
    const q7 = await db.question.findFirstOrThrow({ where: { importSource: "se-test", importId: "7" }, include: { tags: { include: { skill: true } } } });
    expect(q7.tags.map((t) => t.skill.name)).toEqual(["kubernetes"]); // the synonym resolved
    expect(q7.bodyText).toBe("Pods\nOur pods restart — why?");
    // The question page shows the duplicate link both ways.
    const member = await db.user.create({ data: { email: "reader@example.test", name: "Reader" } });
    const page = await app.atrium.domain.questions.getQuestion({ id: member.id, role: "member", departmentId: null, active: true }, q1.id);
    expect(page.duplicates.map((d) => d.id)).toEqual([q2.id]);
    expect(page.answers[0]!.accepted).toBe(true);
    // Comments land on the question and on the answer, as plain text (rendered as text, never markup).
    expect(page.comments.map((c) => [c.body, c.author.name])).toEqual([["Which IdP is it? <script>alert(1)</script>", "Sam Solver"]]);
    expect(page.answers[0]!.comments.map((c) => c.body)).toEqual(["That fixed it, thanks!"]);
  });

  test("running it twice changes nothing", async () => {
    const before = await qaSnapshot(app.atrium);
    const users = await app.atrium.db.user.count();
    const s = await importStackExchange(app.atrium.ctx, DUMP, { source: "se-test", batchSize: 3 });
    expect(s.questions).toEqual({ created: 0, existing: 3 });
    expect(s.answers).toMatchObject({ created: 0, existing: 2 });
    expect(s.duplicates.linked).toBe(0);
    expect(s.comments).toMatchObject({ created: 0, existing: 2 });
    expect(s.users.placeholders).toBe(0);
    expect(await qaSnapshot(app.atrium)).toEqual(before);
    expect(await app.atrium.db.user.count()).toBe(users);
  });
});
