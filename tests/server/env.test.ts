import { describe, expect, test } from "vitest";
import { EnvError, parseEnv } from "../../server/env.js";

const fails = (source: Record<string, string>) => {
  try {
    parseEnv(source);
  } catch (err) {
    expect(err).toBeInstanceOf(EnvError);
    return (err as Error).message;
  }
  throw new Error("parseEnv accepted a bad environment");
};

describe("parseEnv", () => {
  test("an empty environment gets working defaults", () => {
    const env = parseEnv({});
    expect(env).toMatchObject({
      NODE_ENV: "development",
      PORT: 3000,
      DATABASE_URL: "file:./data/atrium.db",
      SESSION_DAYS: 30,
      LOGIN_MAX_ATTEMPTS: 5,
      PRESENCE_GRACE_MS: 5000,
      SHUTDOWN_DRAIN_MS: 10_000,
      COOKIE_SECURE: "auto",
    });
  });

  test("numbers arrive as strings and are coerced", () => {
    const env = parseEnv({ PORT: "8080", LOGIN_MAX_ATTEMPTS: "3", PRESENCE_GRACE_MS: "0" });
    expect(env.PORT).toBe(8080);
    expect(env.LOGIN_MAX_ATTEMPTS).toBe(3);
    expect(env.PRESENCE_GRACE_MS).toBe(0);
  });

  test("a non-numeric PORT names the variable and says what is expected", () => {
    const msg = fails({ PORT: "eighty" });
    expect(msg).toMatch(/^Atrium cannot start: invalid environment/);
    expect(msg).toMatch(/PORT: must be a port number/);
  });

  test("the shutdown's drain time is a number of milliseconds up to ten minutes", () => {
    expect(parseEnv({ SHUTDOWN_DRAIN_MS: "60000" }).SHUTDOWN_DRAIN_MS).toBe(60_000);
    expect(fails({ SHUTDOWN_DRAIN_MS: "soon" })).toMatch(/SHUTDOWN_DRAIN_MS: must be a number of milliseconds, e\.g\. 10000/);
    expect(fails({ SHUTDOWN_DRAIN_MS: "600001" })).toMatch(/SHUTDOWN_DRAIN_MS:/);
    expect(fails({ SHUTDOWN_DRAIN_MS: "-1" })).toMatch(/SHUTDOWN_DRAIN_MS:/);
  });

  test("the shutdown's quiet time for idle connections is half a second unless set, up to a minute", () => {
    expect(parseEnv({}).SHUTDOWN_QUIET_MS).toBe(500);
    expect(parseEnv({ SHUTDOWN_QUIET_MS: "5000" }).SHUTDOWN_QUIET_MS).toBe(5_000);
    expect(fails({ SHUTDOWN_QUIET_MS: "later" })).toMatch(/SHUTDOWN_QUIET_MS: must be a number of milliseconds, e\.g\. 500/);
    expect(fails({ SHUTDOWN_QUIET_MS: "60001" })).toMatch(/SHUTDOWN_QUIET_MS:/);
    expect(fails({ SHUTDOWN_QUIET_MS: "-1" })).toMatch(/SHUTDOWN_QUIET_MS:/);
  });

  test("an out-of-range PORT is refused", () => {
    expect(fails({ PORT: "70000" })).toMatch(/PORT:/);
  });

  test("a DATABASE_URL that is neither a SQLite file nor a PostgreSQL database is refused with examples", () => {
    expect(fails({ DATABASE_URL: "mysql://localhost/atrium" })).toMatch(/DATABASE_URL: must be a SQLite URL such as file:.* or a PostgreSQL URL such as postgresql:/);
    // A PostgreSQL URL must name its database.
    expect(fails({ DATABASE_URL: "postgresql://localhost:5432" })).toMatch(/DATABASE_URL:/);
    expect(parseEnv({ DATABASE_URL: "postgresql://postgres@127.0.0.1:5432/atrium" }).DATABASE_URL).toBe("postgresql://postgres@127.0.0.1:5432/atrium");
  });

  test("an unknown NODE_ENV and a bad COOKIE_SECURE are refused", () => {
    expect(fails({ NODE_ENV: "staging" })).toMatch(/NODE_ENV:/);
    expect(fails({ COOKIE_SECURE: "yes" })).toMatch(/COOKIE_SECURE:/);
  });

  test("every bad variable is listed, one per line", () => {
    const msg = fails({ PORT: "x", SESSION_DAYS: "0", LOGIN_MAX_ATTEMPTS: "-1", PRESENCE_GRACE_MS: "lots" });
    const lines = msg.split("\n").slice(1);
    expect(lines.map((l) => l.trim().split(":")[0]).sort()).toEqual(["LOGIN_MAX_ATTEMPTS", "PORT", "PRESENCE_GRACE_MS", "SESSION_DAYS"]);
  });
});
