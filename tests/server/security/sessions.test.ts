/**
 * Sessions: an idle timeout (SESSION_IDLE_MINUTES, sliding: each use moves lastSeenAt, at most
 * every few minutes) measured on the injected clock; a new session id whenever privileges change
 * (sign-in, password change, role change); and signed-in pages and data marked
 * `Cache-Control: private, no-store`.
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createHash } from "node:crypto";
import { parseEnv } from "../../../server/env.js";
import { startTestApp, type TestApp } from "../../helpers/app.js";
import { manualClock } from "../../helpers/clock.js";
import { DEFAULT_PASSWORD, makePerson } from "../../factories.js";

const MIN = 60_000;
/** The app's injected clock: stands still unless the test moves it. */
const clock = manualClock("2031-09-01T09:00:00Z");
const advance = (ms: number) => void clock.tick(ms);
const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ withPages: true, clock, env: { SESSION_IDLE_MINUTES: "30" } });
});
afterAll(() => app?.close());

async function signIn(email: string, password = DEFAULT_PASSWORD, cookie?: string) {
  const res = await fetch(`${app.url}/login`, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded", ...(cookie ? { Cookie: cookie } : {}) },
    body: new URLSearchParams({ email, password }).toString(),
  });
  expect(res.status).toBe(302);
  return res.headers.get("set-cookie")!.split(";")[0]!;
}
const tokenOf = (cookie: string) => cookie.slice("atrium_session=".length);

/** 200 when the cookie is a live session, 302 to /login when not. */
async function open(cookie: string, path = "/account") {
  const res = await fetch(`${app.url}${path}`, { redirect: "manual", headers: { Cookie: cookie } });
  await res.arrayBuffer();
  return res;
}

describe("idle timeout", () => {
  test("defaults to 8 hours and is validated", () => {
    expect(parseEnv({}).SESSION_IDLE_MINUTES).toBe(480);
    expect(() => parseEnv({ SESSION_IDLE_MINUTES: "0" })).toThrow(/SESSION_IDLE_MINUTES/);
    expect(() => parseEnv({ SESSION_IDLE_MINUTES: "soon" })).toThrow(/SESSION_IDLE_MINUTES/);
  });

  test("use keeps a session alive past the idle limit; idleness beyond it ends the session for good", async () => {
    const { user } = await makePerson(app.atrium, { email: "idle@example.test" });
    const cookie = await signIn(user.email);
    const id = sha256(tokenOf(cookie));
    for (let i = 0; i < 4; i++) {
      advance(25 * MIN); // 100 minutes in all, never 30 in a row without use
      expect((await open(cookie)).status, `after ${(i + 1) * 25} min`).toBe(200);
    }
    expect((await app.atrium.db.session.findUniqueOrThrow({ where: { id } })).lastSeenAt.getTime()).toBe(clock.now().getTime());
    advance(31 * MIN);
    const res = await open(cookie);
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toMatch(/^\/login/);
    expect(await app.atrium.db.session.findUnique({ where: { id } })).toBeNull();
    // Going back in time does not revive it.
    advance(-31 * MIN);
    expect((await open(cookie)).status).toBe(302);
    advance(31 * MIN);
  });

  test("lastSeenAt is written at most every few minutes, not on every request", async () => {
    const { user } = await makePerson(app.atrium, { email: "throttle@example.test" });
    const cookie = await signIn(user.email);
    const id = sha256(tokenOf(cookie));
    const first = (await app.atrium.db.session.findUniqueOrThrow({ where: { id } })).lastSeenAt.getTime();
    advance(MIN);
    expect((await open(cookie)).status).toBe(200);
    expect((await app.atrium.db.session.findUniqueOrThrow({ where: { id } })).lastSeenAt.getTime()).toBe(first);
    advance(3 * MIN); // past a tenth of the 30-minute limit
    expect((await open(cookie)).status).toBe(200);
    expect((await app.atrium.db.session.findUniqueOrThrow({ where: { id } })).lastSeenAt.getTime()).toBe(clock.now().getTime());
  });
});

describe("a new session id when privileges change", () => {
  test("signing in ends the session the browser presented", async () => {
    const { user } = await makePerson(app.atrium, { email: "resign@example.test" });
    const before = await signIn(user.email);
    const after = await signIn(user.email, DEFAULT_PASSWORD, before);
    expect(after).not.toBe(before);
    expect(await app.atrium.db.session.findUnique({ where: { id: sha256(tokenOf(before)) } })).toBeNull();
    expect((await open(before)).status).toBe(302);
    expect((await open(after)).status).toBe(200);
  });

  test("changing one's password rotates this session: the new cookie works, the old one does not", async () => {
    const { user } = await makePerson(app.atrium, { email: "rotate-pw@example.test" });
    const cookie = await signIn(user.email);
    const other = await signIn(user.email); // another browser
    const res = await fetch(`${app.url}/account`, {
      method: "POST",
      redirect: "manual",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Cookie: cookie },
      body: new URLSearchParams({ intent: "password", currentPassword: DEFAULT_PASSWORD, newPassword: "a quite unusual passphrase 77" }).toString(),
    });
    // Redirected (so the page loads under the new cookie), with the message in the address.
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/account?passwordChanged=1");
    const rotated = res.headers.get("set-cookie")!.split(";")[0]!;
    expect(rotated).toMatch(/^atrium_session=/);
    expect(rotated).not.toBe(cookie);
    expect((await open(cookie)).status).toBe(302);
    expect((await open(other)).status).toBe(302);
    const page = await open(rotated, "/account?passwordChanged=1");
    expect(page.status).toBe(200);
    const html = await (await fetch(`${app.url}/account?passwordChanged=1`, { headers: { Cookie: rotated } })).text();
    expect(html).toContain("Your password was changed. 1 other session was signed out.");
    const sessions = await app.atrium.db.session.findMany({ where: { userId: user.id } });
    expect(sessions.map((s) => s.id)).toEqual([sha256(tokenOf(rotated))]);
  });

  test("a role change ends the person's sessions; they sign in again under a new id with the new role", async () => {
    const admin = await makePerson(app.atrium, { role: "admin", email: "role-admin@example.test" });
    const { user } = await makePerson(app.atrium, { email: "promoted@example.test" });
    const adminCookie = await signIn(admin.user.email);
    const cookie = await signIn(user.email);
    await app.atrium.domain.accounts.changeRole(admin.actor, user.id, "admin");
    expect(await app.atrium.db.session.count({ where: { userId: user.id } })).toBe(0);
    expect((await open(cookie)).status).toBe(302);
    const again = await signIn(user.email);
    expect((await open(again, "/admin")).status).toBe(200);
    // The admin who made the change stays signed in.
    expect((await open(adminCookie)).status).toBe(200);
    const audit = await app.atrium.db.auditEvent.findFirstOrThrow({ where: { action: "user.role_changed", targetId: user.id } });
    expect(audit.summary).toContain("1 session ended");
  });

  test("saving the same role changes nothing and ends nothing", async () => {
    const admin = await makePerson(app.atrium, { role: "admin" });
    const { user } = await makePerson(app.atrium, { email: "same-role@example.test" });
    const cookie = await signIn(user.email);
    await app.atrium.domain.accounts.changeRole(admin.actor, user.id, "member");
    expect((await open(cookie)).status).toBe(200);
  });
});

describe("Cache-Control on signed-in responses", () => {
  test("signed-in pages and their data are private, no-store; the anonymous sign-in page is not marked so", async () => {
    const { user } = await makePerson(app.atrium, { email: "cache@example.test" });
    const cookie = await signIn(user.email);
    for (const path of ["/account", "/people", "/", "/notifications", "/people.data", "/account.data"]) {
      const res = await open(cookie, path);
      expect(res.status, path).toBe(200);
      expect(res.headers.get("cache-control"), path).toBe("private, no-store");
    }
    const anon = await fetch(`${app.url}/login`);
    await anon.arrayBuffer();
    expect(anon.headers.get("cache-control") ?? "").not.toContain("private");
  });
});
