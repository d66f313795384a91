/**
 * The password pages over HTTP: bad links are a 4xx page (never a 500), the forgot-password
 * answer does not depend on the address, a member cannot send links, and with PASSWORD_LOGIN=off
 * the pages do not exist and no link or form is shown.
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { settlePasswordResets } from "../../../server/domain/passwords.js";
import { startMailSink, type MailSink } from "../../../server/mail/sink.js";
import { makePerson } from "../../factories.js";
import { sessionCookieFor, startTestApp, type TestApp } from "../../helpers/app.js";
import { startSsoTestApp } from "../../helpers/sso-app.js";

const form = (body: Record<string, string>, cookie?: string) => ({
  method: "POST",
  headers: { "Content-Type": "application/x-www-form-urlencoded", ...(cookie ? { Cookie: cookie } : {}) },
  body: new URLSearchParams(body),
  redirect: "manual" as const,
});
/** The page without what differs on every response (CSP nonces, build hashes). */
const stable = (html: string) => html.replace(/nonce="[^"]*"/g, "").replace(/<script[\s\S]*?<\/script>/g, "");

describe("password sign-in on", () => {
  let app: TestApp;
  let sink: MailSink;
  beforeAll(async () => {
    sink = await startMailSink();
    app = await startTestApp({ withPages: true, env: { SMTP_URL: sink.url } });
  });
  afterAll(async () => {
    await settlePasswordResets();
    await app?.close();
    await sink?.close();
  });

  test("the sign-in page links to forgot password", async () => {
    expect(await (await fetch(`${app.url}/login`)).text()).toContain('href="/forgot-password"');
  });

  test("a missing, malformed or unknown token is a clear 410 page, on GET and on POST", async () => {
    for (const q of ["", "?token=", "?token=abc", `?token=${"a".repeat(43)}`, "?token=%00%ff", `?token=${"b".repeat(5000)}`]) {
      const res = await fetch(`${app.url}/reset-password${q}`);
      expect(res.status, q).toBe(410);
      expect(await res.text()).toContain("This link cannot be used");
    }
    const post = await fetch(`${app.url}/reset-password?token=x`, form({ token: "a".repeat(43), password: "tangerine window seventeen" }));
    expect(post.status).toBe(410);
    expect(post.headers.get("set-cookie")).toBeNull();
  });

  test("forgot password answers a known and an unknown address with the same page", async () => {
    const p = await makePerson(app.atrium);
    const known = await fetch(`${app.url}/forgot-password`, form({ email: p.user.email }));
    const unknown = await fetch(`${app.url}/forgot-password`, form({ email: "no-such-person@example.test" }));
    expect(known.status).toBe(200);
    expect(unknown.status).toBe(200);
    expect(stable(await unknown.text())).toBe(stable(await known.text()));
    const bad = await fetch(`${app.url}/forgot-password`, form({ email: "not an email" }));
    expect(bad.status).toBe(422);
    expect(await bad.text()).toContain("Enter a valid email address.");
  });

  test("a member cannot send a set-password link from the admin page", async () => {
    const member = await makePerson(app.atrium);
    const other = await makePerson(app.atrium);
    const cookie = await sessionCookieFor(app.atrium, member.user.email, member.password);
    const res = await fetch(`${app.url}/admin/users`, form({ intent: "send-password-link", userId: other.user.id }, cookie));
    expect(res.status).toBe(403);
    expect(await app.atrium.db.passwordToken.count({ where: { userId: other.user.id } })).toBe(0);
  });
});

describe("PASSWORD_LOGIN=off", () => {
  test("the pages are 404, and no forgot link, change form or send-link button is shown", async () => {
    const off = await startSsoTestApp({ env: { PASSWORD_LOGIN: "off" } });
    try {
      const admin = await makePerson(off.atrium, { role: "admin" });
      await makePerson(off.atrium, { name: "Someone Else" });
      expect((await fetch(`${off.url}/forgot-password`)).status).toBe(404);
      expect((await fetch(`${off.url}/forgot-password`, form({ email: admin.user.email }))).status).toBe(404);
      expect((await fetch(`${off.url}/reset-password?token=${"a".repeat(43)}`)).status).toBe(404);
      expect((await fetch(`${off.url}/reset-password`, form({ token: "a".repeat(43), password: "tangerine window seventeen" }))).status).toBe(404);
      expect(await (await fetch(`${off.url}/login`)).text()).not.toContain("forgot-password");

      const s = await off.atrium.domain.accounts.startSession(admin.user.id, { ip: "127.0.0.1", userAgent: "test" });
      const cookie = `atrium_session=${s.token}`;
      const account = await (await fetch(`${off.url}/account`, { headers: { Cookie: cookie } })).text();
      expect(account).toContain("Where you are signed in");
      expect(account).not.toContain("Change password");
      const users = await (await fetch(`${off.url}/admin/users`, { headers: { Cookie: cookie } })).text();
      expect(users).toContain("Someone Else");
      expect(users).not.toContain("Send set-password link");
      const refused = await fetch(`${off.url}/account`, form({ intent: "password", currentPassword: admin.password, newPassword: "tangerine window seventeen" }, cookie));
      expect(refused.status).toBe(422);
    } finally {
      await off.close();
    }
  });
});
