/**
 * The mailer that opens its transport with the first message (server/mail/lazy-mailer.ts): nothing
 * is opened before a message, messages sent while it opens share one transport, a failed opening is
 * tried again by the next message, and closing closes what was opened.
 */
import { describe, expect, test } from "vitest";
import { mailerOnFirstUse } from "../../../server/mail/lazy-mailer.js";
import type { Mailer, OutgoingMail } from "../../../server/mail/mailer.js";

const mail = (to: string): OutgoingMail => ({ to, subject: "Hello", text: "Hi", html: "<p>Hi</p>" });

function recordingTransport() {
  const sent: string[] = [];
  let closed = 0;
  const mailer: Mailer = {
    send: async (m) => (sent.push(m.to), { messageId: `<${sent.length}@test>` }),
    close: () => void closed++,
  };
  return { mailer, sent, closed: () => closed };
}

describe("mailerOnFirstUse", () => {
  test("opens nothing until the first message, then one transport for messages sent while it opens", async () => {
    const t = recordingTransport();
    let opens = 0;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const lazy = mailerOnFirstUse(async () => (opens++, await gate, t.mailer));
    expect(opens).toBe(0);
    expect(lazy.opened).toBe(false);
    const first = lazy.send(mail("a@atrium.test"));
    const second = lazy.send(mail("b@atrium.test"));
    release();
    expect(await first).toEqual({ messageId: "<1@test>" });
    expect(await second).toEqual({ messageId: "<2@test>" });
    await lazy.send(mail("c@atrium.test"));
    expect(opens).toBe(1);
    expect(lazy.opened).toBe(true);
    expect(t.sent).toEqual(["a@atrium.test", "b@atrium.test", "c@atrium.test"]);
  });

  test("an opening that fails fails its message and is tried again by the next one", async () => {
    const t = recordingTransport();
    let opens = 0;
    const lazy = mailerOnFirstUse(async () => {
      opens++;
      if (opens === 1) throw new Error("connection refused");
      return t.mailer;
    });
    await expect(lazy.send(mail("a@atrium.test"))).rejects.toThrow("connection refused");
    expect(lazy.opened).toBe(false);
    await lazy.send(mail("b@atrium.test"));
    expect(opens).toBe(2);
    expect(t.sent).toEqual(["b@atrium.test"]);
  });

  test("closeAll closes the opened transport and what opened it; a mailer never used closes nothing", async () => {
    const t = recordingTransport();
    let sinkClosed = 0;
    const used = mailerOnFirstUse(async () => t.mailer, async () => void sinkClosed++);
    await used.send(mail("a@atrium.test"));
    await used.closeAll();
    expect(t.closed()).toBe(1);
    expect(sinkClosed).toBe(1);

    let opens = 0;
    const unused = mailerOnFirstUse(async () => (opens++, t.mailer));
    await unused.closeAll();
    expect(opens).toBe(0);
    expect(t.closed()).toBe(1);
  });
});
