/**
 * Q&A pages in Chromium beyond story 2: bad input on the ask form (clear messages, nothing
 * written), answering without JavaScript (the textarea fallback), votes and comments through the
 * page, editing with a visible revision history, a tag page with follow, and lists.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { makeUser } from "../helpers/app.js";
import { body } from "../server/questions/helpers.js";
import { screenshotAll, signIn, startQaE2E, waitLive, type Person } from "./helpers/qa-browser.js";

let e2e: Awaited<ReturnType<typeof startQaE2E>>;
type U = Awaited<ReturnType<typeof makeUser>>;
let ann: U, bob: U;
let annPage: Person;
let questionId = "";

beforeAll(async () => {
  e2e = await startQaE2E();
  ann = await makeUser(e2e.app.atrium, { name: "Ann Asker" });
  bob = await makeUser(e2e.app.atrium, { name: "Bob Builder" });
  const q = await e2e.app.atrium.domain.questions.askQuestion(bob.actor, {
    title: "How do I rotate the VPN certificate?",
    body: body("The old one expires on Friday."),
    tags: ["vpn", "certificates"],
  });
  questionId = q.id;
  annPage = await e2e.person();
  await signIn(annPage.page, e2e.url, ann.user.email, ann.password);
});
afterAll(async () => {
  await e2e?.close();
});
beforeEach((ctx) => {
  ctx.onTestFailed(async () => {
    if (e2e) await screenshotAll(e2e.people, `pages-${ctx.task.name.replace(/\W+/g, "_").slice(0, 50)}`);
  });
});

describe("Q&A pages", () => {
  it("the ask form refuses an empty title and too many tags with clear messages, and creates nothing", async () => {
    const page = annPage.page;
    await page.goto(`${e2e.url}/questions/ask`);
    await waitLive(page);
    await page.getByLabel("Tags").fill("a, b, c, d, e, f");
    await page.getByTestId("post-question").click();
    await page.getByText("Title is required.").waitFor();
    await page.getByText("Use at most 5 tags.").waitFor();
    expect(await e2e.app.atrium.db.question.count()).toBe(1);
    // What was typed is still there.
    expect(await page.getByLabel("Tags").inputValue()).toBe("a, b, c, d, e, f");
  });

  it("votes and comments through the page; your own post cannot be voted on", async () => {
    const page = annPage.page;
    await page.goto(`${e2e.url}/questions/${questionId}`);
    await waitLive(page);
    await page.getByTestId("vote-question-up").click();
    await expect.poll(() => page.getByTestId("vote-question-score").textContent()).toBe("1");
    expect(await page.getByTestId("vote-question-up").getAttribute("aria-pressed")).toBe("true");
    await page.getByTestId("vote-question-up").click(); // pressing it again removes the vote
    await expect.poll(() => page.getByTestId("vote-question-score").textContent()).toBe("0");
    await page.getByTestId("add-comment").first().click();
    await page.getByTestId("comment-input").fill("Which VPN, the office one?");
    await page.getByRole("button", { name: "Add comment" }).click();
    await page.getByTestId("comment").filter({ hasText: "Which VPN, the office one?" }).waitFor();
  });

  it("answers without JavaScript through the plain textarea", async () => {
    const noJs = await e2e.browser.newContext({ javaScriptEnabled: false });
    try {
      const page = await noJs.newPage();
      await page.goto(`${e2e.url}/login`);
      await page.getByLabel("Email").fill(ann.user.email);
      await page.getByLabel("Password").fill(ann.password);
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.waitForURL((u) => u.pathname !== "/login");
      await page.goto(`${e2e.url}/questions/${questionId}`);
      await page.locator(`textarea[name="bodyPlain"]`).fill("Use the portal.\nThen restart the client.");
      await page.getByTestId("post-answer").click();
      await page.getByTestId("answer").filter({ hasText: "Use the portal." }).waitFor();
      const a = await e2e.app.atrium.db.answer.findFirstOrThrow({ where: { questionId } });
      expect(a.bodyText).toBe("Use the portal.\nThen restart the client.");
      // Own answer: the vote buttons are disabled.
      expect(await page.getByTestId("vote-answer-up").isDisabled()).toBe(true);
    } finally {
      await noJs.close();
    }
  });

  it("the asker edits; the revision history shows both versions", async () => {
    const bobPage = await e2e.person();
    await signIn(bobPage.page, e2e.url, bob.user.email, bob.password);
    const page = bobPage.page;
    await page.goto(`${e2e.url}/questions/${questionId}/edit`);
    await waitLive(page);
    await page.getByLabel("Title").fill("How do I rotate the office VPN certificate?");
    await page.getByLabel("Edit summary").fill("say which VPN");
    await page.getByRole("button", { name: "Save edit" }).click();
    await page.waitForURL(`${e2e.url}/questions/${questionId}?edited=question`);
    expect(await page.getByTestId("question-title").textContent()).toBe("How do I rotate the office VPN certificate?");
    await page.getByRole("link", { name: "History (2)" }).click();
    const revs = page.getByTestId("revision");
    await revs.first().waitFor();
    expect(await revs.count()).toBe(2);
    expect(await revs.first().textContent()).toContain("say which VPN");
    expect(await revs.first().textContent()).toContain("(was “How do I rotate the VPN certificate?”)");
  });

  it("a tag page lists its questions and can be followed; the unanswered list leaves answered ones out", async () => {
    const page = annPage.page;
    await page.goto(`${e2e.url}/questions/tagged/vpn`);
    await waitLive(page);
    await page.getByTestId("question-item").first().waitFor();
    await page.getByTestId("follow-tag").click();
    await expect.poll(() => page.getByTestId("tag-followers").textContent()).toContain("1 follower");
    // One question still waiting for an answer, next to the answered one above.
    const waiting = await e2e.app.atrium.domain.questions.askQuestion(bob.actor, {
      title: "Who signs off on a new VPN profile?",
      body: body("Nobody seems to know."),
      tags: ["vpn"],
    });
    expect(await e2e.app.atrium.db.answer.count({ where: { questionId } })).toBeGreaterThan(0);
    await page.goto(`${e2e.url}/questions?sort=unanswered`);
    await page.getByTestId("question-count").waitFor();
    expect(await page.getByTestId("question-count").textContent()).toBe("1 question");
    const listed = await page.getByTestId("question-item").evaluateAll((els) => els.map((e) => e.getAttribute("data-question-id")));
    expect(listed).toEqual([waiting.id]);
    // The plain list shows both, so the filter is what left the answered one out.
    await page.goto(`${e2e.url}/questions`);
    await page.getByTestId("question-count").waitFor();
    expect(await page.getByTestId("question-count").textContent()).toBe("2 questions");
    expect(annPage.errors.filter((e) => e.startsWith("pageerror"))).toEqual([]);
  });

  it("the author edits an answer through its page in the rich-text editor; someone else gets the forbidden page and nothing changes", async () => {
    const page = annPage.page;
    const answer = await e2e.app.atrium.db.answer.findFirstOrThrow({ where: { questionId, authorId: ann.user.id } });
    await page.goto(`${e2e.url}/questions/${questionId}`);
    await waitLive(page);
    await page.getByTestId("answer").filter({ hasText: "Use the portal." }).getByRole("link", { name: "Edit", exact: true }).click();
    await page.waitForURL(`${e2e.url}/questions/${questionId}/answers/${answer.id}/edit`);
    const editor = page.locator('form [contenteditable="true"]');
    await expect.poll(() => editor.textContent()).toContain("Then restart the client.");
    await editor.click();
    await page.keyboard.press("Control+End");
    await page.keyboard.type(" Or ask the service desk.");
    await page.getByLabel("Edit summary").fill("mention the service desk");
    await page.getByRole("button", { name: "Save edit" }).click();
    await page.waitForURL((u) => u.pathname === `/questions/${questionId}` && u.hash === `#answer-${answer.id}`);
    await page.getByTestId("answer").filter({ hasText: "Or ask the service desk." }).waitFor();
    const saved = await e2e.app.atrium.db.answer.findUniqueOrThrow({ where: { id: answer.id } });
    expect(saved.bodyText).toBe("Use the portal.\nThen restart the client. Or ask the service desk.");
    expect(saved.editedAt).not.toBeNull();
    await page.getByTestId("answer").filter({ hasText: "Or ask the service desk." }).getByRole("link", { name: "History (2)" }).waitFor();

    // Bob asked the question but did not write the answer: no Edit link, and the page refuses him.
    const bobPage = await e2e.person();
    await signIn(bobPage.page, e2e.url, bob.user.email, bob.password);
    await bobPage.page.goto(`${e2e.url}/questions/${questionId}`);
    await bobPage.page.getByTestId("answer").filter({ hasText: "Or ask the service desk." }).waitFor();
    expect(await bobPage.page.getByTestId("answer").filter({ hasText: "Or ask the service desk." }).getByRole("link", { name: "Edit", exact: true }).count()).toBe(0);
    const before = await e2e.app.atrium.db.answer.findUniqueOrThrow({ where: { id: answer.id } });
    const res = await bobPage.page.goto(`${e2e.url}/questions/${questionId}/answers/${answer.id}/edit`);
    expect(res?.status()).toBe(403);
    await bobPage.page.getByText("Only the author or an administrator can edit this answer.").waitFor();
    expect(await bobPage.page.locator('form [contenteditable="true"], textarea[name="bodyPlain"]').count()).toBe(0);
    expect(await e2e.app.atrium.db.answer.findUniqueOrThrow({ where: { id: answer.id } })).toEqual(before);
  });
});
