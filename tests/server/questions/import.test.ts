import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { htmlToRichText } from "../../../server/import/html-to-rich-text.js";
import { importTransaction } from "../../../server/import/bulk-insert.js";
import type { Db } from "../../../server/db.js";
import { detectSource, importStackExchange, parseTags } from "../../../server/import/stackexchange.js";
import { TEST_DB, TMP_DIR } from "../../helpers/db.js";
import { makeUser, startTestApp, type TestApp } from "../../helpers/app.js";
import { manualClock } from "../../helpers/clock.js";
import { buildAnswererIndex } from "../../../server/domain/qa-indexes.js";
import { ask, body, qaSnapshot } from "./helpers.js";

const DUMP = path.resolve(import.meta.dirname, "../../fixtures/stackexchange");
let app: TestApp;

// Each test has an app of its own (imports leave people, questions and sources behind), with
// kubernetes in the vocabulary under its synonym k8s.
async function startImportApp() {
  const started = await startTestApp();
  await started.atrium.db.skill.create({ data: { name: "kubernetes", label: "Kubernetes", synonyms: { create: { name: "k8s" } } } });
  return started;
}
beforeEach(async () => {
  app = await startImportApp();
});
afterEach(() => app.close());

/** The fixture dump imported as source "se-test", as the tests about its aftermath start from. */
const importFixture = () => importStackExchange(app.atrium.ctx, DUMP, { source: "se-test" });

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

  test("text on either side of a comment stays two runs; comments, CDATA and instructions leave no words", () => {
    const { doc, text } = htmlToRichText(`<p>before<!-- hidden -->after <![CDATA[gone]]>end<?pi gone?></p><p>a &amp; b</p>`);
    const runs = (i: number) => (doc.root.children[i] as { children: { text?: string }[] }).children.map((c) => c.text);
    expect(runs(0)).toEqual(["before", "after ", "end"]);
    expect(runs(1)).toEqual(["a & b"]);
    expect(text).toBe("beforeafter end\na & b");
  });

  test("a block inside inline content starts a line only after words of its own element", () => {
    // <p> inside <b> follows "a" of the list item, not words of <b>: no line break there; <p>y</p> does get one.
    const { doc, text } = htmlToRichText("<ul><li>a<b><p>x</p></b><p>y</p></li></ul>");
    const item = (doc.root.children[0] as { children: { children: { type: string; text?: string }[] }[] }).children[0]!;
    expect(item.children.map((c) => c.text ?? c.type)).toEqual(["a", "x", "linebreak", "y"]);
    expect(text).toBe("- ax\ny");
  });

  test("a run loses one space at each edge and its trailing line breaks; a run emptied by that is dropped", () => {
    const { doc, text } = htmlToRichText("<p> <br> lead <i>mid </i> trail <br><br></p><blockquote><p> q </p><p>r</p></blockquote>");
    const runs = doc.root.children.map((b) => (b as { children: { type: string; text?: string }[] }).children.map((c) => c.text ?? c.type));
    // The edge checks see the run before its line breaks go: " trail " keeps its space.
    expect(runs).toEqual([["linebreak", " lead ", "mid ", " trail "], ["q", "linebreak", "r"]]);
    expect(text).toBe("lead mid  trail \nq\nr");
  });

  test("a body too long or too deep for the editor keeps its words, cut to the limit and saying so", () => {
    const words = Array.from({ length: 4_000 }, (_, i) => `<p>word${i} and more text</p>`).join("");
    const long = htmlToRichText(words + "<script>alert(1)</script>");
    expect(long.text.length).toBeLessThanOrEqual(30_000);
    expect(long.text).toMatch(/^word0 and more text\nword1 and more text\n/);
    expect(long.text).toMatch(/… \(cut on import\)$/);
    expect(long.text).not.toContain("alert");
    const deep = htmlToRichText("<div>".repeat(40) + "<p>deep words</p><p>second paragraph</p>" + "</div>".repeat(40));
    expect(deep.text).toContain("deep words\nsecond paragraph");
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
    expect(s.duplicates).toEqual({ linked: 1, unresolved: 1, alsoOf: 0 });
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
    await importFixture();
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

describe("Stack Exchange import: a second run", () => {
  test.skipIf(TEST_DB !== "sqlite")("writes no question row: counters and acceptance are set only where they change", async () => {
    const db = app.atrium.db;
    await importStackExchange(app.atrium.ctx, DUMP, { source: "se-rewrites" });
    await db.$executeRawUnsafe(`CREATE TABLE "TestQuestionWrite" ("n" INTEGER)`);
    await db.$executeRawUnsafe(`CREATE TRIGGER "TestQuestionWrite_count" AFTER UPDATE ON "Question" BEGIN INSERT INTO "TestQuestionWrite" VALUES (1); END`);
    try {
      const again = await importStackExchange(app.atrium.ctx, DUMP, { source: "se-rewrites" });
      expect(again.questions).toEqual({ created: 0, existing: 3 });
      expect(await db.$queryRawUnsafe(`SELECT COUNT(*) AS "n" FROM "TestQuestionWrite"`)).toEqual([{ n: 0n }]);
    } finally {
      await db.$executeRawUnsafe(`DROP TRIGGER "TestQuestionWrite_count"`);
      await db.$executeRawUnsafe(`DROP TABLE "TestQuestionWrite"`);
    }
  });
});

describe("the import's transactions on PostgreSQL", () => {
  test.skipIf(TEST_DB !== "postgresql")("a transaction that waits longer than the client's transaction limit still commits", async () => {
    // A client whose default transaction limit is 300 ms stands in for Prisma's 5 s on a loaded
    // machine; the import's transaction waits 1 s for a lock another transaction holds on "User".
    const { PrismaPg } = await import("@prisma/adapter-pg");
    const { PrismaClient } = await import("../../../server/generated/prisma-pg/client.js");
    const short = new PrismaClient({ adapter: new PrismaPg({ connectionString: app.atrium.ctx.env.DATABASE_URL }), transactionOptions: { timeout: 300, maxWait: 300 } });
    try {
      let locked!: () => void;
      const lockTaken = new Promise<void>((resolve) => (locked = resolve));
      const holder = app.atrium.db.$transaction(
        async (tx) => {
          await tx.$executeRawUnsafe(`LOCK TABLE "User" IN SHARE ROW EXCLUSIVE MODE`);
          locked();
          await tx.$executeRawUnsafe(`SELECT pg_sleep(1)`);
        },
        { timeout: 10_000 },
      );
      await lockTaken;
      const now = app.atrium.ctx.clock.now();
      await importTransaction(short as unknown as Db, async (tx) => {
        await tx.user.create({ data: { id: "import-tx-user", email: "import-tx@import.invalid", name: "Waited", active: false, createdAt: now, updatedAt: now } });
        await tx.importedIdentity.create({ data: { source: "se-tx", externalId: "1", userId: "import-tx-user" } });
      });
      await holder;
      expect(await app.atrium.db.importedIdentity.findMany({ where: { source: "se-tx" }, select: { externalId: true, user: { select: { name: true } } } })).toEqual([
        { externalId: "1", user: { name: "Waited" } },
      ]);
    } finally {
      await short.$disconnect();
    }
  });
});

describe("imported history routes questions", () => {
  test("an imported placeholder who answered alike is routed a new question, through its words when its tag is new", async () => {
    await importFixture();
    await buildAnswererIndex(app.atrium.ctx);
    const asker = await makeUser(app.atrium, { name: "Nia New" });
    const sam = await app.atrium.db.user.findFirstOrThrow({ where: { name: "Sam Solver", importedIdentities: { some: { source: "se-test" } } } });
    expect(sam.active).toBe(false);
    const { routedTo } = await ask(app.atrium, asker.actor, {
      title: "IdP rejects our SAML response signature",
      body: body("The metadata certificate may have changed."),
      tags: ["federation-new-tag"],
    });
    expect(routedTo.map((r) => r.userId)).toContain(sam.id);
    expect(routedTo.find((r) => r.userId === sam.id)!.reason).toBe("answered similar questions");
    // Someone who left (inactive, not imported) is never routed, whatever their history.
    await app.atrium.db.user.update({ where: { id: sam.id }, data: { deactivatedAt: app.atrium.ctx.clock.now() } });
    const again = await ask(app.atrium, asker.actor, { title: "SAML response signature rejected by the IdP", body: body("Metadata certificate changed?"), tags: ["federation-new-tag"] });
    expect(again.routedTo.map((r) => r.userId)).not.toContain(sam.id);
  });
});

describe("merging an imported person into an account", () => {
  test("only admins; bad choices are refused with nothing changed; the merge moves the history and re-imports keep it", async () => {
    const db = app.atrium.db;
    await importFixture();
    const ada = await db.user.findFirstOrThrow({ where: { name: "Ada Asker", importedIdentities: { some: { source: "se-test" } } } });
    const account = await makeUser(app.atrium, { name: "Ada Lovelace" });
    const member = await makeUser(app.atrium, { name: "Mo Member" });
    const admin = await makeUser(app.atrium, { name: "Alex Admin", role: "admin" });
    const verbs = app.atrium.domain.importedPeople;
    const state = async () => ({
      snapshot: await qaSnapshot(app.atrium),
      identities: await db.importedIdentity.findMany({ orderBy: [{ source: "asc" }, { externalId: "asc" }] }),
      users: await db.user.findMany({ orderBy: { id: "asc" }, select: { id: true, active: true, deactivatedAt: true, bio: true } }),
    });
    const before = await state();
    await expect(verbs.mergeImportedPerson(member.actor, { placeholderId: ada.id, accountId: account.user.id })).rejects.toMatchObject({ status: 403 });
    await expect(verbs.listImportedPeople(member.actor)).rejects.toMatchObject({ status: 403 });
    await expect(verbs.mergeImportedPerson(admin.actor, { placeholderId: ada.id, accountId: ada.id })).rejects.toMatchObject({ status: 422 });
    await expect(verbs.mergeImportedPerson(admin.actor, { placeholderId: account.user.id, accountId: admin.user.id })).rejects.toMatchObject({ status: 422 });
    await expect(verbs.mergeImportedPerson(admin.actor, { placeholderId: "nope", accountId: account.user.id })).rejects.toMatchObject({ status: 404 });
    await expect(verbs.mergeImportedPerson(admin.actor, { placeholderId: ada.id })).rejects.toMatchObject({ status: 422 });
    expect(await state()).toEqual(before);

    const listed = await verbs.listImportedPeople(admin.actor);
    expect(listed.find((p) => p.id === ada.id)).toMatchObject({ name: "Ada Asker", sites: ["se-test"], questions: 2 });
    const r = await verbs.mergeImportedPerson(admin.actor, { placeholderId: ada.id, accountId: account.user.id });
    expect(r.moved).toEqual({ questions: 2, answers: 0, comments: 1 });
    expect(await db.qaComment.count({ where: { authorId: ada.id } })).toBe(0);
    const q1 = await db.question.findFirstOrThrow({ where: { importSource: "se-test", importId: "1" } });
    expect(q1.authorId).toBe(account.user.id);
    expect(await db.postRevision.count({ where: { authorId: ada.id } })).toBe(0);
    expect(await db.importedIdentity.findFirstOrThrow({ where: { source: "se-test", externalId: "10" } })).toMatchObject({ userId: account.user.id });
    expect(await db.user.findUniqueOrThrow({ where: { id: ada.id } })).toMatchObject({ active: false, deactivatedAt: expect.any(Date) });
    expect((await verbs.listImportedPeople(admin.actor)).some((p) => p.id === ada.id)).toBe(false);
    expect(await db.auditEvent.count({ where: { action: "user.imported_merged", targetId: account.user.id } })).toBe(1);
    // Importing the same dump again finds the account through the moved identity: nothing new.
    const users = await db.user.count();
    const again = await importStackExchange(app.atrium.ctx, DUMP, { source: "se-test" });
    expect(again.users.placeholders).toBe(0);
    expect(await db.user.count()).toBe(users);
    expect((await db.question.findFirstOrThrow({ where: { importSource: "se-test", importId: "7" } })).authorId).toBe(account.user.id);
  });
});

// ── Dumps written by the test: one folder per case under tests/.tmp ──
const attr = (v: string) => v.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
const rowXml = (r: Record<string, string | number>) => `  <row ${Object.entries(r).map(([k, v]) => `${k}="${attr(String(v))}"`).join(" ")} />`;
let dumpSeq = 0;
function writeDump(files: Partial<Record<"Posts" | "Users" | "PostLinks" | "Comments", Record<string, string | number>[]>>, name = "dump"): string {
  const dir = path.join(TMP_DIR, `se-${process.pid}-${++dumpSeq}`, name);
  mkdirSync(dir, { recursive: true });
  for (const [file, rows] of Object.entries(files)) {
    writeFileSync(path.join(dir, `${file}.xml`), `\uFEFF<?xml version="1.0" encoding="utf-8"?>\n<${file.toLowerCase()}>\n${rows!.map(rowXml).join("\n")}\n</${file.toLowerCase()}>\n`);
  }
  return dir;
}
const at = (day: number) => new Date(Date.UTC(2020, 0, 1) + day * 3_600_000).toISOString().replace("Z", "");
const question = (id: number, title: string, over: Record<string, string | number> = {}) => ({
  Id: id,
  PostTypeId: 1,
  CreationDate: at(id),
  Score: 1,
  Body: `<p>${title}, in more words.</p>`,
  OwnerUserId: 1,
  Title: title,
  Tags: "<topic>",
  ...over,
});

describe("Stack Exchange import: real dumps' shapes", () => {
  test("times keep the dump's milliseconds, as UTC", async () => {
    const dir = writeDump({
      Posts: [
        question(1, "Timed question", { CreationDate: "2021-05-06T07:08:09.123", LastActivityDate: "2021-05-07T23:59:59.999" }),
        { Id: 2, PostTypeId: 2, ParentId: 1, CreationDate: "2021-05-06T08:09:10.456", Score: 0, Body: "<p>An answer.</p>", OwnerUserId: 2 },
      ],
      Comments: [{ Id: 3, PostId: 2, Text: "A comment.", CreationDate: "2021-05-06T09:10:11.789", UserId: 1 }],
    }, "times");
    await importStackExchange(app.atrium.ctx, dir, { source: "se-times" });
    const db = app.atrium.db;
    const q = await db.question.findFirstOrThrow({ where: { importSource: "se-times", importId: "1" } });
    expect([q.createdAt.toISOString(), q.lastActivityAt.toISOString()]).toEqual(["2021-05-06T07:08:09.123Z", "2021-05-07T23:59:59.999Z"]);
    expect((await db.answer.findFirstOrThrow({ where: { importSource: "se-times", importId: "2" } })).createdAt.toISOString()).toBe("2021-05-06T08:09:10.456Z");
    expect((await db.qaComment.findFirstOrThrow({ where: { importSource: "se-times", importId: "3" } })).createdAt.toISOString()).toBe("2021-05-06T09:10:11.789Z");
  });

  test("rows the dump leaves undated (a question, an answer, a comment) and the placeholder people are dated by the server's clock", async () => {
    const clock = manualClock("2033-03-04T05:06:07.000Z");
    const undated = ({ CreationDate: _, ...row }: Record<string, string | number>) => row;
    const dated = await startTestApp({ clock });
    try {
      const dir = writeDump({
        Posts: [
          undated(question(1, "Undated question")),
          { Id: 2, PostTypeId: 2, ParentId: 1, Score: 0, Body: "<p>An undated answer.</p>", OwnerUserId: 2 },
          question(3, "Dated question", { CreationDate: "2021-05-06T07:08:09.123" }),
        ],
        Comments: [{ Id: 4, PostId: 1, Text: "An undated comment.", UserId: 1 }],
      }, "undated");
      await importStackExchange(dated.atrium.ctx, dir, { source: "se-undated" });
      const db = dated.atrium.db;
      const now = clock.now().toISOString();
      const q = await db.question.findFirstOrThrow({ where: { importSource: "se-undated", importId: "1" }, include: { author: true } });
      expect([q.createdAt.toISOString(), q.author.createdAt.toISOString()]).toEqual([now, now]);
      expect((await db.answer.findFirstOrThrow({ where: { importSource: "se-undated", importId: "2" } })).createdAt.toISOString()).toBe(now);
      expect((await db.qaComment.findFirstOrThrow({ where: { importSource: "se-undated", importId: "4" } })).createdAt.toISOString()).toBe(now);
      // The control: a dated row keeps the dump's date.
      expect((await db.question.findFirstOrThrow({ where: { importSource: "se-undated", importId: "3" } })).createdAt.toISOString()).toBe("2021-05-06T07:08:09.123Z");
    } finally {
      await dated.close();
    }
  });

  test("a questions-only dump of 1,200 questions with 1,500 comments imports (id lists stay under the parameter limit); a re-run adds nothing", async () => {
    const posts = Array.from({ length: 1200 }, (_, i) => question(10_000 + i, `Question number ${i}`, { OwnerUserId: 1 + (i % 40) }));
    const comments = Array.from({ length: 1500 }, (_, i) => ({ Id: 50_000 + i, PostId: 10_000 + (i % 1200), Text: `comment ${i}`, CreationDate: at(2000 + i), UserId: 1 + (i % 50) }));
    const dir = writeDump({ Posts: posts, Comments: comments }, "bulk");
    const s = await importStackExchange(app.atrium.ctx, dir, { source: "se-bulk" });
    expect(s.questions).toEqual({ created: 1200, existing: 0 });
    expect(s.comments).toEqual({ created: 1500, existing: 0, orphaned: 0 });
    expect(await app.atrium.db.qaComment.count({ where: { importSource: "se-bulk" } })).toBe(1500);
    const q = await app.atrium.db.question.findFirstOrThrow({ where: { importSource: "se-bulk", importId: "10005" }, include: { author: true } });
    expect(q.createdAt.toISOString()).toBe(`${at(10_005)}Z`);
    expect(q.author.active).toBe(false);
    const again = await importStackExchange(app.atrium.ctx, dir, { source: "se-bulk" });
    expect(again.questions).toEqual({ created: 0, existing: 1200 });
    expect(again.comments).toEqual({ created: 0, existing: 1500, orphaned: 0 });
    expect(again.users.placeholders).toBe(0);
  });

  test("two sites' dumps in folders of the same name stay apart: the source is the site's address its posts link to", async () => {
    const site = (host: string, title: string) =>
      writeDump(
        {
          Posts: [
            question(1, title, { Body: `<p>See <a href="https://${host}/questions/2/${title.toLowerCase().replace(/[^a-z0-9]+/g, "-")}-again">this</a>.</p>` }),
            question(2, `${title} again`, { Body: `<p>As in <a href="https://other.stackexchange.com/questions/1/unrelated">elsewhere</a>.</p>` }),
            { Id: 3, PostTypeId: 2, ParentId: 1, CreationDate: at(5), Score: 1, Body: "<p>An answer.</p>", OwnerUserId: 7 },
          ],
          Users: [{ Id: 7, DisplayName: `Answerer at ${host}` }, { Id: 1, DisplayName: `Asker at ${host}` }],
        },
        "site",
      );
    const a = site("alpha.stackexchange.com", "Alpha topic");
    const b = site("beta.stackexchange.com", "Beta topic");
    expect(path.basename(a)).toBe(path.basename(b));
    expect(await detectSource(a)).toBe("stackexchange:alpha.stackexchange.com");
    const sa = await importStackExchange(app.atrium.ctx, a);
    const sb = await importStackExchange(app.atrium.ctx, b);
    expect([sa.source, sb.source]).toEqual(["stackexchange:alpha.stackexchange.com", "stackexchange:beta.stackexchange.com"]);
    expect(sb.questions).toEqual({ created: 2, existing: 0 });
    expect(sb.users.placeholders).toBe(2);
    const answerB = await app.atrium.db.answer.findFirstOrThrow({ where: { importSource: sb.source, importId: "3" }, include: { question: true, author: true } });
    expect(answerB.question.title).toBe("Beta topic");
    expect(answerB.author.name).toBe("Answerer at beta.stackexchange.com");
    expect(answerB.author.bio).toBe("Imported from beta.stackexchange.com.");
  });

  test("a dump whose posts never link to themselves gets a fingerprint of its first question, the same on every run", async () => {
    const a = writeDump({ Posts: [question(1, "First on site A")] }, "x");
    const b = writeDump({ Posts: [question(1, "First on site B")] }, "x");
    expect(await detectSource(a)).toMatch(/^stackexchange:dump-[0-9a-f]{12}$/);
    expect(await detectSource(a)).toBe(await detectSource(a));
    expect(await detectSource(a)).not.toBe(await detectSource(b));
  });

  test("an import that finds its own source uses the rows read to find it: the same rows, batches and progress as a streamed import", async () => {
    // Each into an app of its own, so both start from the same empty organisation (the first
    // would otherwise have created the tags the second finds).
    const streamed = await importStackExchange(app.atrium.ctx, DUMP, { source: "se-streamed", batchSize: 2 });
    const detecting = await startImportApp();
    try {
      const progress: number[] = [];
      const kept = await importStackExchange(detecting.atrium.ctx, DUMP, { batchSize: 2, onProgress: (p) => progress.push(p.bytesRead / p.bytesTotal) });
      expect(kept.source).toBe(await detectSource(DUMP));
      const counts = (s: typeof kept) => ({ ...s, source: null, seconds: 0, postsPerSecond: 0, peakRssBytes: 0 });
      expect(counts(kept)).toEqual(counts(streamed));
      expect(progress.length).toBeGreaterThan(2);
      expect(progress).toEqual([...progress].sort((a, b) => a - b));
      expect(progress.at(-1)).toBe(1);
      const rows = async (on: TestApp, source: string) =>
        await on.atrium.db.question.findMany({ where: { importSource: source }, select: { importId: true, title: true, bodyJson: true, answerCount: true, _count: { select: { answers: true, comments: true } } }, orderBy: { importId: "asc" } });
      const keptRows = await rows(detecting, kept.source);
      expect(keptRows).toHaveLength(3);
      expect(keptRows).toEqual(await rows(app, "se-streamed"));
    } finally {
      await detecting.close();
    }
  });

  test("a duplicate of two originals keeps the earliest link's original on every re-import", async () => {
    const dir = writeDump({
      Posts: [question(1, "Original one"), question(2, "Original two"), question(3, "The duplicate")],
      // The later link is listed first: file order must not decide.
      PostLinks: [
        { Id: 2, CreationDate: at(9), PostId: 3, RelatedPostId: 1, LinkTypeId: 3 },
        { Id: 1, CreationDate: at(8), PostId: 3, RelatedPostId: 2, LinkTypeId: 3 },
      ],
    });
    const s = await importStackExchange(app.atrium.ctx, dir, { source: "se-two-originals" });
    expect(s.duplicates).toEqual({ linked: 1, unresolved: 0, alsoOf: 1 });
    const ids = async () => {
      const qs = await app.atrium.db.question.findMany({ where: { importSource: "se-two-originals" }, select: { importId: true, id: true, duplicateOfId: true, closedAt: true } });
      const byId = new Map(qs.map((q) => [q.id, q.importId]));
      const dup = qs.find((q) => q.importId === "3")!;
      return { original: byId.get(dup.duplicateOfId!), closedAt: dup.closedAt?.toISOString() };
    };
    expect(await ids()).toEqual({ original: "2", closedAt: `${at(8)}Z` });
    const before = await qaSnapshot(app.atrium);
    for (let i = 0; i < 2; i++) {
      const again = await importStackExchange(app.atrium.ctx, dir, { source: "se-two-originals" });
      expect(again.duplicates.linked).toBe(0);
    }
    expect(await ids()).toEqual({ original: "2", closedAt: `${at(8)}Z` });
    expect(await qaSnapshot(app.atrium)).toEqual(before);
  });
});
