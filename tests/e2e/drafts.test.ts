/**
 * Nothing typed is lost: in Chromium, what someone types into the Ask form or an answer box is kept
 * as a draft in the browser. It comes back after a reload, after a post refused because the
 * session had ended (through the sign-in page and back), and after the server ends an expired
 * session under an open page. Posted, discarded or signed out, it is gone.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, expect, test } from "vitest";
import { makeUser } from "../helpers/app.js";
import { body } from "../server/questions/helpers.js";
import { userRoom } from "../../server/realtime/socket-server.js";
import { signIn, startQaE2E, waitLive } from "./helpers/qa-browser.js";

let e2e: Awaited<ReturnType<typeof startQaE2E>>;
beforeAll(async () => {
  e2e = await startQaE2E();
});
afterAll(async () => {
  await e2e?.close();
});

const stored = (page: Page, key: string) => page.evaluate((k) => window.localStorage.getItem(k), key);

/** The sign-in form of the page the browser was sent to. */
async function signInHere(page: Page, email: string, password: string) {
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((u) => u.pathname !== "/login");
  await waitLive(page);
}

test("Ask: the draft survives a reload and a post refused after the session ended; posted, it is gone", async () => {
  const a = e2e.app.atrium;
  const me = await makeUser(a, { name: "Dora Drafter" });
  const key = `atrium-draft:${me.user.id}:ask`;
  const { page } = await e2e.person();
  await signIn(page, e2e.url, me.user.email, me.password);
  await page.goto(`${e2e.url}/questions/ask`);
  await waitLive(page);
  expect(await page.getByTestId("draft-restored").count()).toBe(0);

  let title = "Which printer on floor 3 takes A3 paper?";
  await page.getByLabel("Title").fill(title);
  const editor = page.locator('[data-testid="ask-body"] [contenteditable="true"]');
  await editor.click();
  await page.keyboard.type("The one by the kitchen jams on A3.");
  await page.getByLabel("Tags").fill("printing");
  await expect.poll(() => stored(page, key)).toContain("jams on A3");

  // A reload (or a closed tab) loses nothing.
  await page.reload();
  await waitLive(page);
  await page.getByTestId("draft-restored").waitFor();
  expect(await page.getByLabel("Title").inputValue()).toBe(title);
  expect(await page.getByLabel("Tags").inputValue()).toBe("printing");
  await expect.poll(() => editor.textContent()).toContain("The one by the kitchen jams on A3.");

  // The session ends on the server while the person types: the similar questions say so, and the
  // page stays where it is (a redirected fetcher would take it to the sign-in page).
  const before = await a.db.question.count();
  await a.db.session.deleteMany({ where: { userId: me.user.id } });
  title = "Which printer on floor 3 takes A3 paper, please?";
  await page.getByLabel("Title").fill(title);
  await page.getByTestId("similar-signed-out").waitFor();
  expect(new URL(page.url()).pathname).toBe("/questions/ask");
  await expect.poll(() => stored(page, key)).toContain("paper, please?");
  // The post is refused and nothing is created.
  await page.getByTestId("post-question").click();
  await page.waitForURL((u) => u.pathname === "/login" && u.searchParams.get("redirectTo") === "/questions/ask");
  expect(await a.db.question.count()).toBe(before);

  // Signed in again, the form is back as it was.
  await signInHere(page, me.user.email, me.password);
  expect(new URL(page.url()).pathname).toBe("/questions/ask");
  await page.getByTestId("draft-restored").waitFor();
  expect(await page.getByLabel("Title").inputValue()).toBe(title);
  await expect.poll(() => editor.textContent()).toContain("The one by the kitchen jams on A3.");

  await page.getByTestId("post-question").click();
  await page.waitForURL(/\/questions\/[^/]+\?asked=1$/);
  const posted = await a.db.question.findFirstOrThrow({ where: { authorId: me.user.id } });
  expect(posted.title).toBe(title);
  expect(posted.bodyText).toContain("The one by the kitchen jams on A3.");
  await expect.poll(() => stored(page, key)).toBeNull();

  const postedPage = page.url();

  await page.goto(`${e2e.url}/questions/ask`);
  await waitLive(page);
  expect(await page.getByLabel("Title").inputValue()).toBe("");
  expect(await page.getByTestId("draft-restored").count()).toBe(0);

  // A new draft begun after that post stays when the posted question's page is opened again.
  await page.getByLabel("Title").fill("A second question, still being written");
  await expect.poll(() => stored(page, key)).toContain("still being written");
  await page.goto(postedPage);
  await waitLive(page);
  await page.getByTestId("asked-banner").waitFor();
  expect(await stored(page, key)).toContain("still being written");
});

test("Answer: the draft survives the server ending an expired session under the open page, and comes back on the question; discarded, posted or signed out, it is gone", async () => {
  const a = e2e.app.atrium;
  const asker = await makeUser(a, { name: "Quentin Questioner" });
  const me = await makeUser(a, { name: "Anna Answerer" });
  const q = await a.domain.questions.askQuestion(asker.actor, { title: "How do I book the large meeting room?", body: body("For twelve people, next week."), tags: ["facilities"] });
  const key = `atrium-draft:${me.user.id}:answer:${q.id}`;
  const { page } = await e2e.person();
  await signIn(page, e2e.url, me.user.email, me.password);
  await page.goto(`${e2e.url}/questions/${q.id}`);
  await waitLive(page);
  const editor = page.locator('[data-testid="answer-body-editor"] [contenteditable="true"]');
  await editor.click();
  await page.keyboard.type("Use the Rooms calendar; the large room is called Agora.");
  await expect.poll(() => stored(page, key)).toContain("called Agora");

  // The session expires while the page is open: the server says so over the socket.
  await a.db.session.deleteMany({ where: { userId: me.user.id } });
  a.io.to(userRoom(me.user.id)).emit("session.ended", { reason: "expired" });
  await page.waitForURL((u) => u.pathname === "/login" && u.searchParams.get("ended") === "1");
  expect(new URL(page.url()).searchParams.get("redirectTo")).toBe(`/questions/${q.id}`);
  await signInHere(page, me.user.email, me.password);
  expect(new URL(page.url()).pathname).toBe(`/questions/${q.id}`);
  await page.getByTestId("draft-restored").waitFor();
  await expect.poll(() => editor.textContent()).toContain("Use the Rooms calendar; the large room is called Agora.");

  // Discarded: the box is empty and stays so after a reload.
  await page.getByRole("button", { name: "Discard the draft" }).click();
  await expect.poll(() => editor.textContent()).toBe("");
  await expect.poll(() => stored(page, key)).toBeNull();
  await page.reload();
  await waitLive(page);
  expect(await page.getByTestId("draft-restored").count()).toBe(0);

  // Typed again and posted: the answer is there, the box empty, no draft kept.
  await editor.click();
  await page.keyboard.type("Book Agora in the Rooms calendar.");
  await expect.poll(() => stored(page, key)).toContain("Book Agora");
  await page.getByTestId("post-answer").click();
  await expect.poll(() => a.db.answer.count({ where: { questionId: q.id, authorId: me.user.id } })).toBe(1);
  await expect.poll(() => editor.textContent()).toBe("");
  await expect.poll(() => stored(page, key)).toBeNull();

  // Signing out forgets every draft kept in this browser.
  await editor.click();
  await page.keyboard.type("A second thought");
  await expect.poll(() => stored(page, key)).toContain("A second thought");
  await page.getByRole("button", { name: "Sign out" }).click();
  await page.waitForURL((u) => u.pathname === "/login");
  expect(await stored(page, key)).toBeNull();
  await signInHere(page, me.user.email, me.password);
  await page.goto(`${e2e.url}/questions/${q.id}`);
  await waitLive(page);
  expect(await page.getByTestId("draft-restored").count()).toBe(0);
  expect(await editor.textContent()).toBe("");
});

test("Post an insight: the customer's words, channel and topics come back after a reload; posted, the form starts empty", async () => {
  const a = e2e.app.atrium;
  const me = await makeUser(a, { name: "Ivo Insightful" });
  const key = `atrium-draft:${me.user.id}:insight`;
  const { page } = await e2e.person();
  await signIn(page, e2e.url, me.user.email, me.password);
  await page.goto(`${e2e.url}/insights/new`);
  await waitLive(page);
  const words = "Third time my parcel went to the wrong depot. Nobody answers the phone.";
  await page.getByLabel("What the customer said (verbatim)").fill(words);
  await page.getByLabel("Channel").selectOption("email");
  await page.getByLabel("Topics (comma-separated)").fill("delivery");
  await expect.poll(() => stored(page, key)).toContain("wrong depot");

  await page.reload();
  await waitLive(page);
  await page.getByTestId("draft-restored").waitFor();
  expect(await page.getByLabel("What the customer said (verbatim)").inputValue()).toBe(words);
  expect(await page.getByLabel("Channel").inputValue()).toBe("email");
  expect(await page.getByLabel("Topics (comma-separated)").inputValue()).toBe("delivery");

  await page.getByRole("button", { name: "Post insight" }).click();
  await page.waitForURL(/\/insights\/[^/?]+\?posted=1$/);
  const insight = await a.db.insight.findFirstOrThrow({ where: { postedById: me.user.id } });
  expect(insight.text).toBe(words);
  expect(insight.channel).toBe("email");
  await expect.poll(() => stored(page, key)).toBeNull();
  await page.goto(`${e2e.url}/insights/new`);
  await waitLive(page);
  expect(await page.getByLabel("What the customer said (verbatim)").inputValue()).toBe("");
  expect(await page.getByLabel("Channel").inputValue()).toBe("twitter");
  expect(await page.getByTestId("draft-restored").count()).toBe(0);
});

test("Comment and edit: a comment typed on a question comes back after a reload in its opened box; posted, it is gone; an edit of the question survives a reload and goes once saved", async () => {
  const a = e2e.app.atrium;
  const me = await makeUser(a, { name: "Cora Commenter" });
  const q = await a.domain.questions.askQuestion(me.actor, { title: "Where are the spare monitor cables kept?", body: body("HDMI and DisplayPort."), tags: ["facilities"] });
  const commentKey = `atrium-draft:${me.user.id}:comment:${q.id}:question`;
  const { page } = await e2e.person();
  await signIn(page, e2e.url, me.user.email, me.password);
  await page.goto(`${e2e.url}/questions/${q.id}`);
  await waitLive(page);
  await page.getByTestId("add-comment").first().click();
  await page.getByTestId("comment-input").fill("Ask at the front desk first.");
  await expect.poll(() => stored(page, commentKey)).toContain("front desk");

  await page.reload();
  await waitLive(page);
  await page.getByTestId("comment-draft-restored").waitFor();
  expect(await page.getByTestId("comment-input").inputValue()).toBe("Ask at the front desk first.");
  const before = await a.db.qaComment.count({ where: { questionId: q.id } });
  await page.getByRole("button", { name: "Add comment" }).click();
  await expect.poll(() => a.db.qaComment.count({ where: { questionId: q.id } })).toBe(before + 1);
  await expect.poll(() => stored(page, commentKey)).toBeNull();
  await page.reload();
  await waitLive(page);
  expect(await page.getByTestId("comment-form").count()).toBe(0);

  const editKey = `atrium-draft:${me.user.id}:edit-question:${q.id}`;
  await page.goto(`${e2e.url}/questions/${q.id}/edit`);
  await waitLive(page);
  await page.getByLabel("Title").fill("Where are the spare monitor cables kept now?");
  await expect.poll(() => stored(page, editKey)).toContain("kept now?");
  await page.reload();
  await waitLive(page);
  await page.getByTestId("draft-restored").waitFor();
  expect(await page.getByLabel("Title").inputValue()).toBe("Where are the spare monitor cables kept now?");
  await page.getByRole("button", { name: "Save edit" }).click();
  await page.waitForURL((u) => u.pathname === `/questions/${q.id}` && u.searchParams.get("edited") === "question");
  await expect.poll(() => stored(page, editKey)).toBeNull();
  expect((await a.db.question.findUniqueOrThrow({ where: { id: q.id } })).title).toBe("Where are the spare monitor cables kept now?");
});
