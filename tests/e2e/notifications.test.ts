/** The bell's unread count is live; the notifications page lists, marks one read, marks all read. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeUser } from "../helpers/app.js";
import { captureFailures, signIn, startE2E, waitForRealtime, type E2E, type UserPage } from "./helpers/browser.js";

type Person = Awaited<ReturnType<typeof makeUser>>;
/** The server's clock: real time, moved ahead by the test when it needs two distinct moments. */
const clock = {
  aheadMs: 0,
  now() {
    return new Date(Date.now() + this.aheadMs);
  },
};
let e2e: E2E;
captureFailures(() => e2e);
let me: Person, someoneElse: Person;
let mine: UserPage;

beforeAll(async () => {
  e2e = await startE2E({ clock });
  me = await makeUser(e2e.app.atrium, { name: "Nora Notified" });
  someoneElse = await makeUser(e2e.app.atrium, { name: "Sam Else" });
  mine = await e2e.newUser();
});
afterAll(async () => {
  await e2e?.close();
});

const notify = (userId: string, title: string, link = "/people") =>
  e2e.app.atrium.domain.notifications.notify([userId], { type: "test", title, link });
const unreadInDb = () => e2e.app.atrium.db.notification.count({ where: { userId: me.user.id, readAt: null } });

describe("notifications", () => {
  it("shows no unread count before anything arrives", async () => {
    const { page } = mine;
    await signIn(page, e2e.url, me.user.email, me.password, { expectPath: "/" });
    await waitForRealtime(page);
    expect(await page.getByTestId("unread-count").count()).toBe(0);
    expect(await page.getByTestId("bell").getAttribute("aria-label")).toBe("Notifications, 0 unread");
  });

  it("bumps the bell live when a notification is created server-side, and only for its recipient", async () => {
    const { page } = mine;
    // Someone else's notification first: events are delivered in order, so if it leaked into
    // this page the count below would read 2.
    await notify(someoneElse.user.id, "Not for Nora");
    await notify(me.user.id, "You joined the Platform team", `/people/${me.user.id}`);
    const count = page.getByTestId("unread-count");
    await count.waitFor();
    expect(await count.textContent()).toBe("1");
    expect(await page.getByTestId("bell").getAttribute("aria-label")).toBe("Notifications, 1 unread");

    await notify(me.user.id, "Your manager is now Ada");
    await count.filter({ hasText: /^2$/ }).waitFor();
    expect(new URL(page.url()).pathname).toBe("/"); // no navigation happened
  });

  it("lists them on /notifications, newest first, and new ones appear there live", async () => {
    const { page } = mine;
    await page.getByTestId("bell").click();
    await page.waitForURL((u) => u.pathname === "/notifications");
    await page.getByRole("heading", { name: "Notifications" }).waitFor();
    const items = page.getByTestId("notification");
    await expect.poll(() => items.count()).toBe(2);
    expect(await items.nth(0).textContent()).toContain("Your manager is now Ada");
    expect(await items.nth(1).textContent()).toContain("You joined the Platform team");
    expect(await page.getByText("Not for Nora").count()).toBe(0);
    expect(await items.nth(1).getByRole("link", { name: "You joined the Platform team" }).getAttribute("href")).toBe(
      `/people/${me.user.id}`,
    );

    clock.aheadMs += 1_000; // the server's clock moves on, so "newest first" is well defined
    await notify(me.user.id, "A question needs your answer");
    await expect.poll(() => items.count()).toBe(3);
    expect(await items.nth(0).textContent()).toContain("A question needs your answer");
    await page.getByTestId("unread-count").filter({ hasText: /^3$/ }).waitFor();
  });

  it("marks one as read, then all, and the count clears", async () => {
    const { page } = mine;
    await page.getByRole("button", { name: 'Mark "Your manager is now Ada" as read' }).click();
    await page.getByTestId("unread-count").filter({ hasText: /^2$/ }).waitFor();
    await page.locator('[data-testid="notification"][data-read="true"]').filter({ hasText: "Your manager is now Ada" }).waitFor();
    expect(await unreadInDb()).toBe(2);

    await page.getByRole("button", { name: "Mark all as read" }).click();
    await page.getByTestId("unread-count").waitFor({ state: "detached" });
    await expect.poll(() => page.locator('[data-testid="notification"][data-read="false"]').count()).toBe(0);
    expect(await page.getByTestId("notification").count()).toBe(3);
    expect(await page.getByTestId("bell").getAttribute("aria-label")).toBe("Notifications, 0 unread");
    expect(await page.getByRole("button", { name: "Mark all as read" }).count()).toBe(0);
    expect(await unreadInDb()).toBe(0);
    // The other person's notification is untouched.
    expect(await e2e.app.atrium.db.notification.count({ where: { userId: someoneElse.user.id, readAt: null } })).toBe(1);

    // Still cleared after a full reload (server-rendered count).
    await page.reload();
    await page.getByRole("heading", { name: "Notifications" }).waitFor();
    expect(await page.getByTestId("unread-count").count()).toBe(0);
    expect(mine.pageErrors).toEqual([]);
  });
});
