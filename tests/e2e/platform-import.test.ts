/**
 * Directory import in Chromium: a file with mistakes shows each bad line and offers no import; a
 * good file previews and imports, and importing the same file a second time changes nothing in the
 * database. The tests share one signed-in admin page; each opens the import page itself and imports
 * only people no other test writes.
 */
import { afterAll, beforeAll, expect, test } from "vitest";
import { peopleCsv } from "../../bench/platform-csv-data.js";
import { makeUser } from "../helpers/app.js";
import { signInWithPassword, startPlatformE2E, type PlatformE2E } from "./helpers/platform-browser.js";

let e2e: PlatformE2E;
let page: Awaited<ReturnType<PlatformE2E["page"]>>["page"];
let errors: string[];

const upload = async (name: string, content: string, deactivate = false, on = page) => {
  await on.getByLabel("CSV file").setInputFiles({ name, mimeType: "text/csv", buffer: Buffer.from(content) });
  if (deactivate) await on.getByLabel(/Deactivate people who are not in the file/).check();
  await on.getByRole("button", { name: "Preview" }).click();
};

beforeAll(async () => {
  e2e = await startPlatformE2E({ IMPORT_MAX_BYTES: String(1024 * 1024) });
  const admin = await makeUser(e2e.app.atrium, { name: "Imogen Admin", role: "admin", email: "imogen@corp.test" });
  ({ page, errors } = await e2e.page());
  await signInWithPassword(page, e2e.app.url, admin.user.email, admin.password);
});
afterAll(() => e2e?.close());

test("a file with mistakes lists each bad line and cannot be imported", async () => {
  await page.goto(`${e2e.app.url}/admin/import`);
  const bad = [
    "email,name,manager_email,time_zone",
    "ok@corp.test,Okay Person,,UTC",
    "nope,Bad Email,,UTC",
    "tz@corp.test,Bad Zone,,Moon/Base",
    "ok@corp.test,Okay Again,,UTC",
    "a@corp.test,Loop A,b@corp.test,UTC",
    "b@corp.test,Loop B,a@corp.test,UTC",
  ].join("\n");
  await upload("mistakes.csv", bad);
  const rows = page.getByTestId("row-error");
  await expect.poll(() => rows.count()).toBe(5);
  await expect.poll(() => page.locator('[data-testid="row-error"][data-line="3"]').textContent()).toContain("“nope” is not a valid email address");
  expect(await page.locator('[data-line="4"]').textContent()).toContain("Unknown time zone “Moon/Base”");
  expect(await page.locator('[data-line="5"]').textContent()).toContain("Duplicate row: ok@corp.test already appears on line 2");
  expect(await page.locator('[data-line="6"]').textContent()).toContain("Manager cycle: a@corp.test → b@corp.test → a@corp.test");
  expect(await page.getByRole("button", { name: "Import these changes" }).count()).toBe(0);
  expect(await e2e.app.atrium.db.user.count({ where: { email: "ok@corp.test" } })).toBe(0);
});

test("wrong columns are reported for the whole file", async () => {
  await page.goto(`${e2e.app.url}/admin/import`);
  await upload("columns.csv", "mail,full name\nx@corp.test,X\n");
  await expect.poll(() => page.getByTestId("file-errors").textContent()).toMatch(/Unknown column “mail”.*Missing required column: email/s);
});

test("a good file previews and imports; importing the same file again changes nothing in the database", async () => {
  const errorsBefore = errors.length; // what the page logged in the tests before this one is theirs
  await page.goto(`${e2e.app.url}/admin/import`);
  const csv = peopleCsv(40);
  await upload("hr-export.csv", csv);
  await expect.poll(() => page.getByTestId("count-create").textContent()).toBe("40");
  expect(await page.getByTestId("count-errors").textContent()).toBe("0");
  expect(await page.getByTestId("import-change").count()).toBe(40);
  // A second tab previews the very same file before the first imports it, so it can import it again.
  const second = await page.context().newPage();
  await second.goto(`${e2e.app.url}/admin/import`);
  await upload("hr-export.csv", csv, false, second);
  await expect.poll(() => second.getByTestId("count-create").textContent()).toBe("40");

  await page.getByRole("button", { name: "Import these changes" }).click();
  await expect.poll(() => page.getByTestId("import-done").textContent()).toMatch(/Imported: 40 created, 0 updated/);
  expect(await e2e.app.atrium.db.user.count({ where: { email: { endsWith: "@corp.test" } } })).toBe(41);

  const db = e2e.app.atrium.db;
  const snapshot = async () => ({
    users: await db.user.findMany({ orderBy: { email: "asc" } }),
    departments: await db.department.findMany({ orderBy: { id: "asc" } }),
    teams: await db.team.findMany({ orderBy: { id: "asc" } }),
  });
  const before = await snapshot();
  expect(before.users.filter((u) => u.managerId).length).toBeGreaterThan(0);
  await second.getByRole("button", { name: "Import these changes" }).click();
  await expect.poll(() => second.getByTestId("import-done").textContent()).toMatch(/Imported: 0 created, 0 updated/);
  expect(await snapshot()).toEqual(before);
  await second.close();

  await upload("hr-export.csv", csv);
  await expect.poll(() => page.getByTestId("count-unchanged").textContent()).toBe("40");
  expect(await page.getByTestId("nothing-to-do").textContent()).toContain("would change nothing");

  // The imported people are in the directory.
  await page.goto(`${e2e.app.url}/people?q=Role`);
  expect(await page.locator("main").textContent()).toMatch(/Role \d+/);
  // Remix's lazy route discovery fetch is aborted when page.goto navigates away mid-flight; that
  // browser message is not an app error.
  expect(errors.slice(errorsBefore).filter((e) => !e.includes("Failed to fetch manifest patches"))).toEqual([]);
});

test("a file over the size limit gets a clear message", async () => {
  await page.goto(`${e2e.app.url}/admin/import`);
  const limit = e2e.app.atrium.ctx.env.IMPORT_MAX_BYTES;
  await upload("huge.csv", "email,name\n" + "x".repeat(limit + 10));
  await expect.poll(() => page.getByTestId("import-refused").textContent()).toMatch(/larger than 1 MB/);
});
