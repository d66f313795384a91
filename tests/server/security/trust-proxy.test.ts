/**
 * X-Forwarded-For is believed only from hops TRUST_PROXY names. By default the TCP peer is the
 * client, so rotating the header does not open a fresh rate-limit window for sign-ins or API
 * token guessing; with TRUST_PROXY=loopback (a proxy on this machine) the header is the client.
 */
import { afterEach, describe, expect, test } from "vitest";
import { parseEnv } from "../../../server/env.js";
import { startTestApp, type TestApp } from "../../helpers/app.js";
import { makePerson } from "../../factories.js";

let app: TestApp | null = null;
afterEach(async () => {
  await app?.close();
  app = null;
});

const MAX = 3;

async function attemptLogin(url: string, email: string, forwardedFor: string) {
  const res = await fetch(`${url}/login`, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded", "X-Forwarded-For": forwardedFor },
    body: new URLSearchParams({ email, password: "not-the-password-at-all" }).toString(),
  });
  await res.arrayBuffer();
  return res.status;
}

describe("sign-in rate limit and X-Forwarded-For", () => {
  test("by default, rotating X-Forwarded-For does not dodge the limit, and the audit log records the peer", async () => {
    app = await startTestApp({ withPages: true, env: { LOGIN_MAX_ATTEMPTS: String(MAX) } });
    const { user } = await makePerson(app.atrium, { email: "xff-default@example.test" });
    const statuses: number[] = [];
    for (let i = 0; i < MAX + 2; i++) statuses.push(await attemptLogin(app.url, user.email, `203.0.113.${i + 1}`));
    expect(statuses.slice(0, MAX)).toEqual(Array(MAX).fill(422));
    expect(statuses.slice(MAX)).toEqual([429, 429]);
    const audit = await app.atrium.db.auditEvent.findMany({ where: { action: "auth.signin_failed" }, select: { ip: true } });
    expect(audit.length).toBe(MAX + 2);
    expect(new Set(audit.map((a) => a.ip))).toEqual(new Set(["127.0.0.1"]));
  });

  test("with TRUST_PROXY=loopback, each forwarded address has its own window", async () => {
    app = await startTestApp({ withPages: true, env: { LOGIN_MAX_ATTEMPTS: String(MAX), TRUST_PROXY: "loopback" } });
    const { user } = await makePerson(app.atrium, { email: "xff-trusted@example.test" });
    const statuses: number[] = [];
    for (let i = 0; i < MAX + 2; i++) statuses.push(await attemptLogin(app.url, user.email, `203.0.113.${i + 1}`));
    expect(statuses).toEqual(Array(MAX + 2).fill(422));
    // …and one forwarded address alone is still limited.
    for (let i = 0; i < MAX; i++) await attemptLogin(app.url, user.email, "198.51.100.7");
    expect(await attemptLogin(app.url, user.email, "198.51.100.7")).toBe(429);
    const audit = await app.atrium.db.auditEvent.findMany({ where: { action: "auth.signin_failed" }, select: { ip: true } });
    expect(audit.map((a) => a.ip)).toContain("203.0.113.1");
  });

  test("a hop TRUST_PROXY does not name is not believed (trusting 10.0.0.0/8 does not cover loopback)", async () => {
    app = await startTestApp({ withPages: true, env: { LOGIN_MAX_ATTEMPTS: String(MAX), TRUST_PROXY: "10.0.0.0/8" } });
    const { user } = await makePerson(app.atrium, { email: "xff-other@example.test" });
    const statuses: number[] = [];
    for (let i = 0; i < MAX + 1; i++) statuses.push(await attemptLogin(app.url, user.email, `203.0.113.${i + 1}`));
    expect(statuses.at(-1)).toBe(429);
  });
});

describe("API failed-authentication limit and X-Forwarded-For", () => {
  test("by default, rotating X-Forwarded-For does not dodge it", async () => {
    app = await startTestApp();
    const codes: number[] = [];
    for (let i = 0; i < 32; i++) {
      const res = await fetch(`${app.url}/api/v1/me`, { headers: { Authorization: "Bearer atr_guess", "X-Forwarded-For": `203.0.113.${i + 1}` } });
      await res.arrayBuffer();
      codes.push(res.status);
    }
    expect(codes.slice(0, 30).every((c) => c === 401)).toBe(true);
    expect(codes.slice(30)).toEqual([429, 429]);
  });

  test("with TRUST_PROXY=loopback the forwarded address is the key", async () => {
    app = await startTestApp({ env: { TRUST_PROXY: "loopback" } });
    const codes: number[] = [];
    for (let i = 0; i < 32; i++) {
      const res = await fetch(`${app.url}/api/v1/me`, { headers: { Authorization: "Bearer atr_guess", "X-Forwarded-For": `203.0.113.${i + 1}` } });
      await res.arrayBuffer();
      codes.push(res.status);
    }
    expect(codes.every((c) => c === 401)).toBe(true);
  });
});

describe("TRUST_PROXY validation", () => {
  test("accepts names, addresses and CIDRs; refuses anything else by name", () => {
    expect(parseEnv({ TRUST_PROXY: "loopback, 10.0.0.0/8,fd00::/8, 192.0.2.1" }).TRUST_PROXY).toEqual(["loopback", "10.0.0.0/8", "fd00::/8", "192.0.2.1"]);
    expect(parseEnv({}).TRUST_PROXY).toEqual([]);
    for (const bad of ["true", "everyone", "10.0.0.0/33", "300.1.1.1", "10.0.0.0/8/1"]) {
      expect(() => parseEnv({ TRUST_PROXY: bad })).toThrow(/TRUST_PROXY/);
    }
  });
});
