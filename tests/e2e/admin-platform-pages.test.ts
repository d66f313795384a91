/**
 * Admin platform pages in Chromium: the audit log's CSV export (a real download, filtered, and
 * itself audited) and one webhook's page (rotate the secret, edit, delete). A member gets the
 * forbidden page for each, and nothing changes.
 */
import { readFile } from "node:fs/promises";
import { afterAll, beforeAll, expect, test } from "vitest";
import { makeUser } from "../helpers/app.js";
import { signInWithPassword, startPlatformE2E, type PlatformE2E } from "./helpers/platform-browser.js";

let e2e: PlatformE2E;
type U = Awaited<ReturnType<typeof makeUser>>;
let admin: U, member: U;

beforeAll(async () => {
  // The receivers are on this machine: an on-premise target the allow-list opens.
  e2e = await startPlatformE2E({ WEBHOOK_ALLOW_HOSTS: "127.0.0.1" });
  admin = await makeUser(e2e.app.atrium, { name: "Wanda Webmaster", role: "admin", email: "wanda@corp.test" });
  member = await makeUser(e2e.app.atrium, { name: "Mick Member", email: "mick@corp.test" });
});
afterAll(() => e2e?.close());

const manifestNoise = (errors: string[]) => errors.filter((e) => !e.includes("Failed to fetch manifest patches"));

test("/admin/audit.csv: the export button downloads the filtered log as CSV, and the export is recorded", async () => {
  const hook = await e2e.app.atrium.domain.webhooks.createWebhook(admin.actor, { url: "http://127.0.0.1:9/audit-hook", events: ["person.updated"] });
  const { page, errors } = await e2e.page();
  await signInWithPassword(page, e2e.app.url, admin.user.email, admin.password);
  await page.goto(`${e2e.app.url}/admin/audit?action=webhook.created`);
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("audit-export").click()]);
  expect(download.suggestedFilename()).toMatch(/\.csv$/);
  const lines = (await readFile((await download.path())!, "utf8")).trim().split(/\r?\n/);
  expect(lines[0]).toBe("time,actor_id,actor,action,target_type,target_id,summary,details,ip,user_agent");
  expect(lines).toHaveLength(2);
  expect(lines[1]).toContain(",webhook.created,");
  expect(lines[1]).toContain(hook.id);
  const exported = await e2e.app.atrium.db.auditEvent.findFirstOrThrow({ where: { action: "audit.exported" } });
  expect(exported.actorId).toBe(admin.user.id);
  expect(JSON.parse(exported.details)).toEqual({ filters: { action: "webhook.created" }, rows: 1 });
  expect(manifestNoise(errors)).toEqual([]);
  await page.context().close();

  // A member gets the forbidden page, not a file, and no export is recorded.
  const other = await e2e.page();
  await signInWithPassword(other.page, e2e.app.url, member.user.email, member.password);
  const before = await e2e.app.atrium.db.auditEvent.count({ where: { action: "audit.exported" } });
  const res = await other.page.goto(`${e2e.app.url}/admin/audit.csv`);
  expect(res?.status()).toBe(403);
  expect(await other.page.content()).not.toContain("actor_id");
  expect(await e2e.app.atrium.db.auditEvent.count({ where: { action: "audit.exported" } })).toBe(before);
  await other.page.context().close();
});

test("/admin/webhooks/:id: an admin rotates the secret, edits and deletes; a member gets the forbidden page and nothing changes", async () => {
  const hook = await e2e.app.atrium.domain.webhooks.createWebhook(admin.actor, { url: "http://127.0.0.1:9/page-hook", events: ["person.updated"], description: "First receiver" });
  const path = `/admin/webhooks/${hook.id}`;
  const db = e2e.app.atrium.db;

  const other = await e2e.page();
  await signInWithPassword(other.page, e2e.app.url, member.user.email, member.password);
  const before = await db.webhook.findUniqueOrThrow({ where: { id: hook.id } });
  const refused = await other.page.goto(`${e2e.app.url}${path}`);
  expect(refused?.status()).toBe(403);
  expect(await other.page.content()).not.toContain(before.secret);
  expect(await other.page.getByRole("button", { name: "Delete webhook" }).count()).toBe(0);
  expect(await db.webhook.findUniqueOrThrow({ where: { id: hook.id } })).toEqual(before);
  await other.page.context().close();

  const { page, errors } = await e2e.page();
  await signInWithPassword(page, e2e.app.url, admin.user.email, admin.password);
  await page.goto(`${e2e.app.url}${path}`);
  await page.locator('[data-testid="connection"][data-state="connected"]').waitFor({ state: "attached" });
  expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Webhook to http://127.0.0.1:9/page-hook");
  expect(await page.getByTestId("webhook-secret").inputValue()).toBe(before.secret);

  await page.getByRole("button", { name: "Rotate secret" }).click();
  await expect.poll(() => page.getByTestId("flash").textContent()).toBe("A new signing secret is in use. Update your receiver.");
  const rotated = (await db.webhook.findUniqueOrThrow({ where: { id: hook.id } })).secret;
  expect(rotated).not.toBe(before.secret);
  await expect.poll(() => page.getByTestId("webhook-secret").inputValue()).toBe(rotated);

  await page.getByLabel("Description").fill("Second receiver");
  await page.getByRole("button", { name: "Save webhook" }).click();
  await expect.poll(() => page.getByTestId("flash").textContent()).toBe("Webhook saved.");
  expect((await db.webhook.findUniqueOrThrow({ where: { id: hook.id } })).description).toBe("Second receiver");

  await page.getByRole("button", { name: "Delete webhook" }).click();
  await page.waitForURL(`${e2e.app.url}/admin/webhooks`);
  expect(await db.webhook.findUnique({ where: { id: hook.id } })).toBeNull();
  expect(manifestNoise(errors)).toEqual([]);
  await page.context().close();
});
