/**
 * The social layer end to end in two Chromium contexts: A follows B from B's profile; B asks a question
 * through the ask page; it appears on A's home feed live (no reload); A reacts 👍 from the feed and
 * B sees the count on the question page live. Then A manages follows and the digest on /account.
 */
import { simpleParser } from "mailparser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMailSink, type MailSink } from "../../server/mail/sink.js";
import { makeUser } from "../helpers/app.js";
import { FEED_FIRST_PAGE } from "../../app/schemas/feed.js";
import { captureFailures, signIn, startE2E, waitForRealtime, type E2E, type UserPage, RESEND_ON_RESET } from "./helpers/browser.js";

let e2e: E2E;
let sink: MailSink;
let a: UserPage, b: UserPage;
type U = Awaited<ReturnType<typeof makeUser>>;
let ana: U, ben: U;
let questionId = "";
captureFailures(() => e2e);

beforeAll(async () => {
  sink = await startMailSink();
  e2e = await startE2E({ env: { SMTP_URL: sink.url, APP_URL: "https://atrium.example.com", DIGEST_SWEEP_MS: "3600000" } });
  const atrium = e2e.app.atrium;
  await atrium.db.skill.create({ data: { name: "pricing", label: "Pricing" } });
  ana = await makeUser(atrium, { name: "Ana Alvarez", title: "Engineer" });
  ben = await makeUser(atrium, { name: "Ben Brooks", title: "Sales lead" });
  [a, b] = await Promise.all([e2e.newUser(), e2e.newUser()]);
  await signIn(a.page, e2e.url, ana.user.email, ana.password);
  await signIn(b.page, e2e.url, ben.user.email, ben.password);
});
afterAll(async () => {
  await e2e?.close();
  await sink?.close();
});

describe("follow, live feed, reactions", () => {
  it("A follows B from B's profile", async () => {
    await a.page.goto(`${e2e.url}/people/${ben.user.id}`);
    await waitForRealtime(a.page);
    await a.page.getByRole("button", { name: "Follow Ben Brooks" }).click();
    await a.page.getByRole("button", { name: "Following Ben Brooks" }).waitFor();
    await expect.poll(() => e2e.app.atrium.db.personFollow.count({ where: { followerId: ana.user.id, followeeId: ben.user.id } })).toBe(1);
  });

  it("B asks a question; it appears on A's home feed without a reload", async () => {
    await a.page.goto(`${e2e.url}/`);
    await waitForRealtime(a.page);
    await a.page.getByTestId("feed-empty").waitFor();
    await a.page.evaluate(() => ((window as unknown as { __noReload: boolean }).__noReload = true));

    await b.page.goto(`${e2e.url}/questions/ask`);
    await waitForRealtime(b.page);
    await b.page.getByLabel("Title").fill("What discount can we offer a 3-year renewal?");
    await b.page.locator('[data-testid="ask-body"] [contenteditable="true"]').click();
    await b.page.keyboard.type("A customer asks for 20% off.");
    await b.page.getByLabel("Tags").fill("pricing");
    await b.page.getByTestId("post-question").click();
    await b.page.waitForURL(/\/questions\/[^/]+\?asked=1$/);
    questionId = new URL(b.page.url()).pathname.split("/").pop()!;

    const item = a.page.getByTestId("feed-item").filter({ hasText: "What discount can we offer a 3-year renewal?" });
    await item.waitFor();
    expect(await item.textContent()).toContain("Ben Brooks asked");
    expect(await item.textContent()).toContain("You follow Ben Brooks");
    expect(await a.page.evaluate(() => (window as unknown as { __noReload?: boolean }).__noReload)).toBe(true);
  });

  it("A reacts 👍 on the feed item; B sees the count on the question page live", async () => {
    await b.page.goto(`${e2e.url}/questions/${questionId}`);
    await waitForRealtime(b.page);
    await b.page.getByRole("button", { name: "thumbs up, 0" }).first().waitFor();

    const item = a.page.getByTestId("feed-item").filter({ hasText: "What discount can we offer a 3-year renewal?" });
    await item.getByRole("button", { name: "thumbs up, 0" }).click();
    await item.getByRole("button", { name: "thumbs up, 1" }).waitFor();
    expect(await item.getByRole("button", { name: "thumbs up, 1" }).getAttribute("aria-pressed")).toBe("true");
    // Every reaction icon is drawn: each button's <use> finds its symbol on the page and paints an icon (a 16 px box; the bulb is narrow).
    const drawn = await item.getByTestId(/^reactions-/).evaluate((form) =>
      [...form.querySelectorAll("button svg")].map((svg) => {
        const use = svg.querySelector("use");
        const target = use && document.querySelector(use.getAttribute("href") ?? "#none");
        const box = use?.getBoundingClientRect();
        return `${svg.getAttribute("data-reaction")}:${!!target && target.querySelectorAll("path, circle, line").length > 0 && !!box && box.width > 2 && box.height > 8}`;
      }),
    );
    expect(drawn).toEqual(["thumbsup:true", "heart:true", "tada:true", "bulb:true", "eyes:true"]);

    const onQuestion = b.page.getByTestId(`reactions-question-${questionId}`).getByRole("button", { name: "thumbs up, 1" });
    await onQuestion.waitFor();
    expect(await onQuestion.getAttribute("title")).toBe("Ana Alvarez reacted with thumbs up");
    expect(await onQuestion.getAttribute("aria-pressed")).toBe("false");
    expect(await e2e.app.atrium.db.reaction.count({ where: { targetId: questionId, key: "thumbsup" } })).toBe(1);
  });
});

describe("spaces and paging", () => {
  it("A follows a document space from its page; the feed pages with Load more", async () => {
    const atrium = e2e.app.atrium;
    await atrium.domain.docs.ensureSpaces();
    const company = (await atrium.db.space.findFirstOrThrow({ where: { kind: "company" } })).id;
    await a.page.goto(`${e2e.url}/docs/spaces/${company}`);
    await waitForRealtime(a.page);
    await a.page.getByRole("button", { name: "Follow Company" }).click();
    await a.page.getByRole("button", { name: "Following Company" }).waitFor();
    await expect.poll(() => atrium.db.spaceFollow.count({ where: { userId: ana.user.id, spaceId: company } })).toBe(1);

    for (let n = 1; n <= 24; n++) await atrium.domain.docs.createDocument(ben.actor, { title: `Renewal note ${n}`, spaceId: company, visibility: "company" });
    // The page is sent with the first FEED_FIRST_PAGE items (counted in the HTML itself: the notes'
    // live fan-out may still be arriving on top of the list in the browser).
    const html = await (await a.page.request.get(`${e2e.url}/`, RESEND_ON_RESET)).text();
    expect(html.split('data-testid="feed-item"').length - 1).toBe(FEED_FIRST_PAGE);
    await a.page.goto(`${e2e.url}/`);
    await waitForRealtime(a.page);
    const items = a.page.getByTestId("feed-item");
    await expect.poll(() => items.count()).toBeGreaterThanOrEqual(FEED_FIRST_PAGE);
    await a.page.getByRole("button", { name: "Load more" }).click();
    await expect.poll(() => items.count()).toBe(25); // 24 notes and the question, nothing twice
    expect(await a.page.getByRole("button", { name: "Load more" }).count()).toBe(0);
    expect(await items.filter({ hasText: "Renewal note 1" }).first().textContent()).toContain("You follow Ben Brooks");
  });
});

describe("account: following and digest", () => {
  it("the Following list shows B and unfollows; the digest preference saves and a bad value is refused", async () => {
    await a.page.goto(`${e2e.url}/account`);
    await waitForRealtime(a.page);
    const following = a.page.getByTestId("following");
    await following.getByRole("link", { name: "Ben Brooks" }).waitFor();
    await following.getByRole("link", { name: "Company" }).waitFor();
    await following.getByRole("button", { name: "Following Ben Brooks" }).click();
    await following.getByRole("button", { name: "Follow Ben Brooks" }).waitFor();
    // The button turns at once (optimistic); the database follows the request.
    await expect.poll(() => e2e.app.atrium.db.personFollow.count({ where: { followerId: ana.user.id } })).toBe(0);

    expect(await a.page.getByLabel("Weekly, on Monday mornings").isChecked()).toBe(true);
    await a.page.getByLabel("Daily, each morning").check();
    await a.page.getByRole("button", { name: "Save digest preference" }).click();
    await a.page.getByTestId("digest-status").filter({ hasText: "Saved: Daily, each morning." }).waitFor();
    expect((await e2e.app.atrium.db.digestSettings.findUnique({ where: { userId: ana.user.id } }))?.frequency).toBe("daily");

    // A forged value (the form only offers three), posted the way a browser without JavaScript
    // would: the page comes back with a 422 and the field message; nothing changes.
    const res = await a.page.request.post(`${e2e.url}/account`, { ...RESEND_ON_RESET, form: { intent: "digest", frequency: "hourly" }, headers: { Origin: e2e.url } });
    expect(res.status()).toBe(422);
    expect(await res.text()).toContain("Choose daily, weekly or off.");
    expect((await e2e.app.atrium.db.digestSettings.findUnique({ where: { userId: ana.user.id } }))?.frequency).toBe("daily");
  });

  it("Send me a preview now mails the digest to oneself at once", async () => {
    const before = sink.messages.length;
    await a.page.getByRole("button", { name: "Send me a preview now" }).click();
    await a.page.getByTestId("digest-status").filter({ hasText: `was sent to ${ana.user.email}` }).waitFor();
    expect(sink.messages.length).toBe(before + 1);
    const mail = await simpleParser(sink.messages.at(-1)!.raw);
    expect(mail.subject).toMatch(/^\[Preview\] Your daily Atrium digest/);
    expect(mail.text).toContain("https://atrium.example.com/account#digest");
  });

  it("no page threw along the way (hydration included)", () => {
    expect([...a.pageErrors, ...b.pageErrors].map((e) => e.message)).toEqual([]);
  });
});
