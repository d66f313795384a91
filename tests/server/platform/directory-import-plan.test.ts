/**
 * Directory import, what the plan decides: which rows are refused and why, what counts as a
 * change, who is deactivated, and what the report says. Each test has an app of its own and an
 * importing admin; the database is read back to show that a refused file wrote nothing.
 */
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { ValidationError } from "../../../server/domain/errors.js";
import { startTestApp, type TestApp } from "../../helpers/app.js";
import { makePerson } from "../../factories.js";

let app: TestApp;
let admin: Awaited<ReturnType<typeof makePerson>>;
let imp: TestApp["atrium"]["domain"]["directoryImport"];

beforeEach(async () => {
  app = await startTestApp();
  imp = app.atrium.domain.directoryImport;
  admin = await makePerson(app.atrium, { role: "admin", name: "Ira Importer", email: "ira@acme.test" });
});
afterEach(() => app?.close());

describe("refusals", () => {
  test("a manager deactivated in Atrium and not in the file is refused", async () => {
    await makePerson(app.atrium, { name: "Gone Boss", email: "gone@acme.test", active: false });
    const r = await imp.previewImport(admin.actor, "email,name,manager_email\nnew@acme.test,New,gone@acme.test\n");
    expect(r.ok).toBe(false);
    expect(r.rowErrors).toEqual([{ line: 2, email: "new@acme.test", messages: ["Manager gone@acme.test is neither in the file nor an active person in Atrium."] }]);
  });
});
