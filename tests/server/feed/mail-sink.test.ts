/**
 * The development mail sink saves each message as an .eml file and announces them on the console —
 * one line for a single message, one line for a burst (the first start mails every seeded person's
 * digest at once).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, expect, test } from "vitest";
import { smtpMailer } from "../../../server/mail/mailer.js";
import { startMailSink } from "../../../server/mail/sink.js";

const dir = mkdtempSync(path.join(os.tmpdir(), "atrium-sink-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test("a burst of messages is saved one file each and announced in one line", async () => {
  const lines: string[] = [];
  const sink = await startMailSink({ dir, log: (l) => lines.push(l) });
  const mailer = smtpMailer(sink.url, "Atrium <atrium@localhost>");
  try {
    for (const to of ["a@x.test", "b@x.test", "c@x.test"]) await mailer.send({ to, subject: `Hi ${to}`, text: "t", html: "<p>t</p>" });
  } finally {
    mailer.close();
    await sink.close();
  }
  const files = readdirSync(dir).filter((f) => f.endsWith(".eml"));
  expect(files).toHaveLength(3);
  expect(files.map((f) => readFileSync(path.join(dir, f), "utf8")).some((raw) => raw.includes("Subject: Hi b@x.test"))).toBe(true);
  expect(lines).toEqual([`[mail] 3 messages (to a@x.test and 2 more) → ${dir}/`]);
});

test("a single message names its file", async () => {
  const lines: string[] = [];
  const one = mkdtempSync(path.join(dir, "one-"));
  const sink = await startMailSink({ dir: one, log: (l) => lines.push(l) });
  const mailer = smtpMailer(sink.url, "Atrium <atrium@localhost>");
  try {
    await mailer.send({ to: "solo@x.test", subject: "Solo", text: "t", html: "<p>t</p>" });
  } finally {
    mailer.close();
    await sink.close();
  }
  const [file] = readdirSync(one);
  expect(lines).toEqual([`[mail] to solo@x.test → ${path.join(one, file!)}`]);
});
