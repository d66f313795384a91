/**
 * Story 2 of the product brief, end to end in two Chromium contexts: a new engineer searches
 * people for "saml" and finds the Identity expert; asks a question tagged saml and sees similar
 * questions while typing; on posting, she and two other likely experts are notified; he sees that
 * she is answering, her answer appears on his screen without a reload, and he accepts it — which
 * she sees live too.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { makeUser } from "../helpers/app.js";
import { body } from "../server/questions/helpers.js";
import { markNoReload, screenshotAll, signIn, startQaE2E, stillSameDocument, waitLive, type Person } from "./helpers/qa-browser.js";

let e2e: Awaited<ReturnType<typeof startQaE2E>>;
type U = Awaited<ReturnType<typeof makeUser>>;
let eddie: U, ines: U, mia: U, sam: U, paul: U;
let asker: Person, expert: Person;
let questionId = "";

beforeAll(async () => {
  e2e = await startQaE2E();
  const a = e2e.app.atrium;
  const identity = await a.db.department.create({ data: { name: "Identity", slug: "identity" } });
  eddie = await makeUser(a, { name: "Eddie Engineer", title: "Software engineer" });
  ines = await makeUser(a, { name: "Ines Identity", title: "Identity engineer", departmentId: identity.id, timeZone: "Europe/Paris" });
  mia = await makeUser(a, { name: "Mia Mentor", title: "Security engineer" });
  sam = await makeUser(a, { name: "Sam Solver", title: "Platform engineer" });
  paul = await makeUser(a, { name: "Paul Product", title: "Product manager" });
  const profile = (u: U, tz: string, skills: { name: string; level: "expert" | "mentor" | "learning" }[]) =>
    a.domain.people.updateProfile(u.actor, u.user.id, { name: u.user.name, timeZone: tz, skills });
  await profile(eddie, "UTC", [{ name: "typescript", level: "expert" }]);
  await profile(ines, "Europe/Paris", [{ name: "saml", level: "expert" }, { name: "oidc", level: "expert" }]);
  await profile(mia, "UTC", [{ name: "saml", level: "mentor" }]);
  await profile(sam, "UTC", []);
  await profile(paul, "UTC", [{ name: "roadmaps", level: "expert" }]);
  // History: Sam has answered (and had accepted) an earlier SAML question — demonstrated expertise.
  const earlier = await a.domain.questions.askQuestion(paul.actor, {
    title: "Configure SAML single sign-on with Okta",
    body: body("Which ACS URL do we give Okta for the intranet?"),
    tags: ["saml", "okta"],
  });
  const ans = await a.domain.questions.answerQuestion(sam.actor, earlier.id, { body: body("Use https://intranet/saml/acs") });
  await a.domain.questions.acceptAnswer(paul.actor, ans.id);
  await a.db.notification.deleteMany({});
  [asker, expert] = await Promise.all([e2e.person(), e2e.person()]);
});

afterAll(async () => {
  await e2e?.close();
});

beforeEach((ctx) => {
  ctx.onTestFailed(async () => {
    if (e2e) await screenshotAll(e2e.people, ctx.task.name.replace(/\W+/g, "_").slice(0, 60));
  });
});

describe("story 2: a question reaches the colleagues who know", () => {
  it("the expert is online; the engineer finds her by searching people for saml", async () => {
    await signIn(expert.page, e2e.url, ines.user.email, ines.password);
    await expert.page.goto(`${e2e.url}/questions`);
    await waitLive(expert.page);
    await markNoReload(expert.page);

    await signIn(asker.page, e2e.url, eddie.user.email, eddie.password);
    await asker.page.goto(`${e2e.url}/people?q=saml`);
    await waitLive(asker.page);
    const first = asker.page.getByTestId("person-result").first();
    await expect.poll(() => first.getAttribute("data-person-id")).toBe(ines.user.id);
    await expect.poll(() => first.getByTestId(`presence-${ines.user.id}`).getAttribute("data-state")).toBe("online");
    expect(await first.textContent()).toContain("(Europe/Paris)");
    // Demonstrated expertise counts in the directory: Sam never declared saml, yet is found.
    const ids = await asker.page.getByTestId("person-result").evaluateAll((els) => els.map((e) => e.getAttribute("data-person-id")));
    expect(ids).toContain(sam.user.id);
    expect(ids).not.toContain(paul.user.id);
  });

  it("while he types, similar questions appear", async () => {
    const page = asker.page;
    await page.goto(`${e2e.url}/questions/ask`);
    await waitLive(page);
    await page.getByLabel("Title").pressSequentially("SAML single sign-on fails on staging", { delay: 15 });
    const similar = page.getByTestId("similar-question");
    await similar.first().waitFor();
    expect(await similar.first().textContent()).toContain("Configure SAML single sign-on with Okta");
    expect(await similar.first().textContent()).toContain("accepted");
  });

  it("he writes a rich-text body, tags it saml and posts; it is routed to three likely experts", async () => {
    const page = asker.page;
    const editor = page.locator('[data-testid="ask-body"] [contenteditable="true"]');
    await editor.click();
    await page.keyboard.type("Our IdP says the ");
    await page.keyboard.press("Control+b");
    await page.keyboard.type("signature is invalid");
    await page.keyboard.press("Control+b");
    await page.keyboard.type(" after the cert rotation.");
    await page.getByLabel("Tags").fill("saml");
    await page.getByTestId("post-question").click();
    await page.waitForURL(/\/questions\/[^/]+\?asked=1$/);
    questionId = new URL(page.url()).pathname.split("/").pop()!;
    await waitLive(page);
    await expect.poll(() => page.getByTestId("routed-person").count()).toBe(3);
    const routed = await page.getByTestId("routed-to").textContent();
    expect(routed).toContain("Ines Identity");
    expect(routed).toContain("Sam Solver");
    expect(routed).toContain("Mia Mentor");
    expect(routed).not.toContain("Paul Product");
    expect(await page.locator('[data-testid="question-body"] strong').textContent()).toBe("signature is invalid");
  });

  it("the expert is notified live — the bell counts it without a reload — and the new question arrives on her list", async () => {
    const page = expert.page;
    await expect.poll(() => page.getByTestId("unread-count").textContent().catch(() => null)).toBe("1");
    await page.getByTestId("question-item").filter({ hasText: "SAML single sign-on fails on staging" }).waitFor();
    expect(await stillSameDocument(page)).toBe(true);
    const n = await e2e.app.atrium.db.notification.findMany({ where: { type: "question.routed" }, select: { userId: true } });
    expect(n.map((x) => x.userId).sort()).toEqual([ines.user.id, mia.user.id, sam.user.id].sort());
  });

  it("she answers; he sees her drafting, then her answer appears without a reload", async () => {
    await asker.page.goto(`${e2e.url}/questions/${questionId}`);
    await waitLive(asker.page);
    await markNoReload(asker.page);

    const page = expert.page;
    await page.goto(`${e2e.url}/questions/${questionId}`);
    await waitLive(page);
    const editor = page.locator('[data-testid="answer-body-editor"] [contenteditable="true"]');
    await editor.click();
    await page.keyboard.type("Re-import the new signing certificate into the SP metadata.", { delay: 10 });
    await asker.page.getByTestId("answering-indicator").filter({ hasText: "Ines Identity is answering…" }).waitFor();

    await page.getByTestId("post-answer").click();
    const answer = asker.page.getByTestId("answer").filter({ hasText: "Re-import the new signing certificate" });
    await answer.waitFor();
    expect(await stillSameDocument(asker.page)).toBe(true);
    expect(await asker.page.getByTestId("answer-count").textContent()).toBe("1 answer");
    await expect.poll(() => asker.page.getByTestId("answering-indicator").textContent()).toBe("");
  });

  it("he accepts it; she sees the acceptance live", async () => {
    await markNoReload(expert.page);
    await asker.page.getByTestId("accept-answer").click();
    await expert.page.locator('[data-testid="answer"][data-accepted="true"]').waitFor();
    expect(await stillSameDocument(expert.page)).toBe(true);
    expect(await stillSameDocument(asker.page)).toBe(true);
    const row = await e2e.app.atrium.db.question.findUniqueOrThrow({ where: { id: questionId } });
    expect(row.acceptedAnswerId).not.toBeNull();
    // Her profile now shows the demonstrated expertise.
    await asker.page.goto(`${e2e.url}/people/${ines.user.id}`);
    expect(await asker.page.getByTestId("demonstrated-expertise").textContent()).toContain("1 accepted answer on saml");
    expect([...asker.errors, ...expert.errors].filter((e) => e.startsWith("pageerror"))).toEqual([]);
  });
});
