/**
 * Directory import from the web form: the uploaded file is staged under a random id, previewed and
 * committed by that id, and kept an hour at most, measured on the injected clock. Each test has an
 * app of its own with a staging folder of its own.
 */
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { ForbiddenError, NotFoundError, ValidationError } from "../../../server/domain/errors.js";
import { startTestApp, type TestApp } from "../../helpers/app.js";
import { TMP_DIR } from "../../helpers/db.js";
import { makePerson } from "../../factories.js";
import { fakeClock } from "../insights/factories.js";

let app: TestApp;
let clock: ReturnType<typeof fakeClock>;
let dir: string;
let admin: Awaited<ReturnType<typeof makePerson>>;
let imp: TestApp["atrium"]["domain"]["directoryImport"];

const CSV = new TextEncoder().encode("email,name\nnew@acme.test,New Person\n");
const HOUR = 60 * 60_000;

beforeEach(async () => {
  clock = fakeClock();
  dir = path.join(TMP_DIR, `imports-${randomBytes(4).toString("hex")}`);
  app = await startTestApp({ clock, env: { IMPORT_STAGE_DIR: dir, IMPORT_MAX_BYTES: "2048" } });
  imp = app.atrium.domain.directoryImport;
  admin = await makePerson(app.atrium, { role: "admin", name: "Ira Importer", email: "ira@acme.test" });
});
afterEach(() => app?.close());

describe("staged uploads", () => {
  test("a staged file is previewed and committed by its id, readable by its owner only, and removed by the commit", async () => {
    const id = await imp.stageImportFile(admin.actor, CSV);
    expect(id).toMatch(/^[0-9a-f]{32}$/);
    expect(readdirSync(dir)).toEqual([`${id}.csv`]);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(path.join(dir, `${id}.csv`)).mode & 0o777).toBe(0o600);
    const seen: { phase: string; total: number }[] = [];
    const report = await imp.previewStagedImport(admin.actor, id, { onProgress: (p) => void seen.push(p) });
    expect(report.totals).toMatchObject({ rows: 1, create: 1 });
    expect(seen[0]).toEqual({ phase: "reading", done: CSV.length, total: CSV.length });
    expect(await app.atrium.db.user.count({ where: { email: "new@acme.test" } })).toBe(0);
    const { result } = await imp.commitStagedImport(admin.actor, id, { deactivateMissing: false });
    expect(result.created).toBe(1);
    expect(await app.atrium.db.user.findUniqueOrThrow({ where: { email: "new@acme.test" } })).toMatchObject({ name: "New Person", createdAt: clock.now() });
    expect(existsSync(path.join(dir, `${id}.csv`))).toBe(false);
    await expect(() => imp.commitStagedImport(admin.actor, id)).rejects.toMatchObject({ fieldErrors: { file: ["The uploaded file has expired. Choose it again."] } });
  });

  test.each(["../../../etc/passwd", "A".repeat(32), "a".repeat(31), "a".repeat(33), `${"a".repeat(32)}.csv`, `${"a".repeat(32)}/../x`, ""])(
    "an id that is not 32 lower-case hex digits is not found, before the disk is read (%s)",
    async (id) => {
      await expect(() => imp.previewStagedImport(admin.actor, id)).rejects.toThrow(NotFoundError);
      await expect(() => imp.commitStagedImport(admin.actor, id)).rejects.toThrow("That uploaded file was not found.");
    },
  );

  test("a well-formed id that was never staged has expired", async () => {
    const err = await imp.previewStagedImport(admin.actor, "0".repeat(32)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).fieldErrors).toEqual({ file: ["The uploaded file has expired. Choose it again."] });
  });

  test("a file over IMPORT_MAX_BYTES is refused before anything is written", async () => {
    const err = await imp.stageImportFile(admin.actor, new Uint8Array(2049)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).fieldErrors).toEqual({ file: [expect.stringMatching(/^The file is larger than 2 KB\./)] });
    expect(existsSync(dir)).toBe(false);
    expect(await imp.stageImportFile(admin.actor, new Uint8Array(2048))).toMatch(/^[0-9a-f]{32}$/);
  });

  test("only admins stage, preview or commit an upload", async () => {
    const member = await makePerson(app.atrium, { name: "Not Admin" });
    const id = await imp.stageImportFile(admin.actor, CSV);
    await expect(() => imp.stageImportFile(member.actor, CSV)).rejects.toThrow(ForbiddenError);
    await expect(() => imp.previewStagedImport(member.actor, id)).rejects.toThrow(ForbiddenError);
    await expect(() => imp.commitStagedImport(member.actor, id)).rejects.toThrow(ForbiddenError);
    expect(readdirSync(dir)).toEqual([`${id}.csv`]);
    expect(await app.atrium.db.user.count({ where: { email: "new@acme.test" } })).toBe(0);
  });

  test("a staged file lasts an hour on the injected clock: usable at the hour, expired just after", async () => {
    const id = await imp.stageImportFile(admin.actor, CSV);
    clock.advance(HOUR);
    expect((await imp.previewStagedImport(admin.actor, id)).ok).toBe(true);
    clock.advance(1000);
    await expect(() => imp.previewStagedImport(admin.actor, id)).rejects.toMatchObject({ fieldErrors: { file: ["The uploaded file has expired. Choose it again."] } });
    await expect(() => imp.commitStagedImport(admin.actor, id)).rejects.toThrow(ValidationError);
    expect(await app.atrium.db.user.count({ where: { email: "new@acme.test" } })).toBe(0);
  });

  test("staging sweeps away the files older than an hour, and keeps the others", async () => {
    const old = await imp.stageImportFile(admin.actor, CSV);
    clock.advance(30 * 60_000);
    const recent = await imp.stageImportFile(admin.actor, CSV);
    clock.advance(30 * 60_000 + 1000);
    const fresh = await imp.stageImportFile(admin.actor, CSV);
    expect(readdirSync(dir).sort()).toEqual([`${recent}.csv`, `${fresh}.csv`].sort());
    expect(old).not.toBe(recent);
  });
});
