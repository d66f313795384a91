/**
 * Mail only when asked (decision 058): a development start without SMTP_URL on the seeded demo
 * organisation sends and saves no digest, says so once, and still saves the mail a person asks
 * for (a password link, a digest preview) under MAIL_DIR.
 */
import { randomBytes } from "node:crypto";
import { readdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { simpleParser } from "mailparser";
import { afterAll, afterEach, beforeAll, beforeEach, expect, test, vi } from "vitest";
import { seedOrganisation } from "../../../prisma/seed.js";
import { seedDashboard } from "../../../prisma/seed-dashboard.js";
import { seedInsights } from "../../../prisma/seed-insights.js";
import { seedSocial } from "../../../prisma/seed-social.js";
import { createAtrium, type Atrium } from "../../../server/atrium.js";
import { createDb } from "../../../server/db.js";
import { sendDueDigests } from "../../../server/domain/digest.js";
import { settlePasswordResets } from "../../../server/domain/passwords.js";
import { parseEnv } from "../../../server/env.js";
import { smtpMailer } from "../../../server/mail/mailer.js";
import { startMailSink } from "../../../server/mail/sink.js";
import { actorOf } from "../../factories.js";
import { copyOfDatabase, freshDatabase, TMP_DIR } from "../../helpers/db.js";

// A day far from the machine's, for the seed and the app alike.
const NOW = new Date("2031-03-17T10:30:00.000Z");
const clock = { now: () => new Date(NOW) };

// The file seeds the demo organisation once; each test starts its own app on a copy of it, with a
// mail folder and a console of its own, so no test sees the digests or mail another one made.
let seeded: ReturnType<typeof freshDatabase>;
beforeAll(async () => {
  seeded = freshDatabase();
  const seedDb = await createDb(seeded.url);
  try {
    await seedOrganisation(seedDb);
    await seedInsights(seedDb, NOW);
    await seedDashboard(seedDb, NOW);
    await seedSocial(seedDb, NOW);
  } finally {
    await seedDb.$disconnect();
  }
}, 120_000);
afterAll(() => seeded?.dispose());

let mailDir: string;
const files = () => {
  try {
    return readdirSync(mailDir).filter((f) => f.endsWith(".eml"));
  } catch {
    return [];
  }
};
let atrium: Atrium;
let database: ReturnType<typeof copyOfDatabase>;
let logged: string[];

beforeEach(async () => {
  mailDir = path.join(TMP_DIR, `mail-${randomBytes(4).toString("hex")}`);
  logged = [];
  database = copyOfDatabase(seeded);
  vi.spyOn(console, "log").mockImplementation((...a: unknown[]) => void logged.push(a.join(" ")));
  const env = parseEnv({
    NODE_ENV: "development",
    DATABASE_URL: database.url,
    MAIL_DIR: mailDir,
    APP_URL: "http://localhost:3000",
    DIGEST_SWEEP_MS: "50",
    UPLOAD_DIR: path.join(TMP_DIR, `uploads-${randomBytes(4).toString("hex")}`),
    DOC_FILES_DIR: path.join(TMP_DIR, `doc-files-${randomBytes(4).toString("hex")}`),
  });
  atrium = await createAtrium({ env, withPages: false, clock });
}, 60_000);
afterEach(async () => {
  await settlePasswordResets();
  await atrium?.close();
  vi.restoreAllMocks();
  database?.dispose();
  rmSync(mailDir, { recursive: true, force: true });
});

test("the seeded start sends and saves no digest, and says how to turn them on", async () => {
  expect(logged.filter((l) => l.includes("scheduled digests are off") && l.includes("SMTP_URL="))).toHaveLength(1);
  // Even a sweep run by hand sends nothing without a configured mail server.
  expect(await atrium.digests.sweepNow()).toEqual({ sent: 0, empty: 0, failed: 0 });
  expect(await atrium.db.digestDelivery.count()).toBe(0);
  expect(files()).toEqual([]);
});

test("mail a person asks for is saved under MAIL_DIR with its path printed", async () => {
  const leo = await atrium.db.user.findUniqueOrThrow({ where: { email: "member@atrium.test" } });
  await atrium.domain.digest.sendDigestPreview(actorOf(leo));
  await atrium.domain.passwords.requestPasswordReset({ email: "member@atrium.test" }, { ip: "127.0.0.1", userAgent: "vitest" });
  await settlePasswordResets();
  await expect.poll(() => files().length, { timeout: 5000 }).toBe(2);
  const mails = await Promise.all(files().map((f) => simpleParser(readFileSync(path.join(mailDir, f)))));
  const reset = mails.find((m) => m.subject === "Reset your Atrium password");
  expect(reset?.text).toMatch(/http:\/\/localhost:3000\/reset-password\?token=/);
  await expect.poll(() => logged.some((l) => l.includes("[mail]") && l.includes(mailDir)), { timeout: 5000 }).toBe(true);
});

test("the same seeded data does make digests: only the missing SMTP_URL stopped them", async () => {
  const other = await startMailSink();
  try {
    const ctx = { ...atrium.ctx, env: { ...atrium.ctx.env, SMTP_URL: other.url }, mailer: smtpMailer(other.url, "Atrium <a@localhost>") };
    const r = await sendDueDigests(ctx);
    expect(r.sent).toBeGreaterThan(0);
    ctx.mailer.close();
  } finally {
    await other.close();
  }
});
