/**
 * `/healthz` (alive) and `/readyz` (dependencies answer, not draining) as a load balancer and an
 * orchestrator see them: no session, a short JSON status, and 503 whenever a dependency fails or
 * does not answer in time, or the instance drains.
 */
import http from "node:http";
import { closeSync, openSync, readSync, writeSync } from "node:fs";
import Database from "better-sqlite3";
import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { startTestApp, type TestApp } from "../helpers/app.js";
import { TEST_DB } from "../helpers/db.js";
import { startPrivateRedis, type PrivateRedis } from "../../server/cli/processes.js";

async function get(url: string) {
  const res = await fetch(url);
  return { status: res.status, cacheControl: res.headers.get("cache-control"), body: (await res.json()) as unknown };
}

describe("with the database alone", () => {
  let app: TestApp;
  // An app of its own per test: one damages the database file, another shuts the app down.
  beforeEach(async () => {
    app = await startTestApp({ env: { READYZ_TIMEOUT_MS: "1000" } });
  });
  afterEach(() => app.close());

  test("both answer without a session, uncached, with a short status", async () => {
    expect(await get(`${app.url}/healthz`)).toEqual({ status: 200, cacheControl: "no-store", body: { ok: true } });
    expect(await get(`${app.url}/readyz`)).toEqual({
      status: 200,
      cacheControl: "no-store",
      body: { ok: true, status: "ready", checks: { database: "ok" } },
    });
  });

  test.skipIf(TEST_DB === "postgresql")("a damaged database file: /readyz is 503 naming the database (no error text), /healthz stays 200; repaired, ready again (SQLite only: it overwrites the SQLite file's header)", async () => {
    const file = app.atrium.ctx.env.DATABASE_URL.slice("file:".length);
    // Another connection commits and checkpoints, so the app's connection re-reads page 1 on its next read.
    const other = new Database(file);
    const touch = () => other.exec(`CREATE TABLE IF NOT EXISTS readyz_probe (n); INSERT INTO readyz_probe VALUES (1)`);
    touch();
    other.pragma("wal_checkpoint(TRUNCATE)");
    const fd = openSync(file, "r+");
    const header = Buffer.alloc(100);
    readSync(fd, header, 0, 100, 0);
    try {
      writeSync(fd, Buffer.alloc(100, 0x41), 0, 100, 0);
      const damaged = await get(`${app.url}/readyz`);
      expect(damaged).toEqual({
        status: 503,
        cacheControl: "no-store",
        body: { ok: false, status: "unavailable", checks: { database: "failing" } },
      });
      expect((await get(`${app.url}/healthz`)).status).toBe(200);
    } finally {
      writeSync(fd, header, 0, 100, 0);
      closeSync(fd);
    }
    touch();
    other.close();
    expect((await get(`${app.url}/readyz`)).status).toBe(200);
  });

  test("while draining after SIGTERM, /readyz on a still-open connection is 503 'draining'", async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const ask = (path: string) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        http
          .get({ host: "127.0.0.1", port: app.port, path, agent }, (res) => {
            let body = "";
            res.on("data", (d) => (body += d));
            res.on("end", () => resolve({ status: res.statusCode!, body }));
          })
          .on("error", reject);
      });
    expect((await ask("/readyz")).status).toBe(200);
    const closing = app.atrium.close();
    const during = await ask("/readyz");
    expect(during.status).toBe(503);
    expect(JSON.parse(during.body)).toMatchObject({ ok: false, status: "draining", checks: { database: "ok" } });
    agent.destroy();
    await closing;
  });
});

describe("with REDIS_URL", () => {
  let redis: PrivateRedis;
  beforeAll(async () => {
    redis = await startPrivateRedis({ password: "s3cret pass" });
  });
  afterAll(() => redis.close());

  test("ready while the private Redis answers; 503 'redis failing' while it is stopped; ready again once back", async () => {
    const app = await startTestApp({ env: { REDIS_URL: redis.url, READYZ_TIMEOUT_MS: "1000" } });
    try {
      expect(await get(`${app.url}/readyz`)).toMatchObject({ status: 200, body: { ok: true, checks: { database: "ok", redis: "ok" } } });
      await redis.stop();
      expect(await get(`${app.url}/readyz`)).toMatchObject({
        status: 503,
        body: { ok: false, status: "unavailable", checks: { database: "ok", redis: "failing" } },
      });
      expect((await get(`${app.url}/healthz`)).status).toBe(200);
      await redis.start();
      expect((await get(`${app.url}/readyz`)).status).toBe(200);
    } finally {
      await app.close();
    }
  });

  test("a Redis that stops answering (all clients paused): 503 within the timeout, ready again after", async () => {
    const app = await startTestApp({ env: { REDIS_URL: redis.url, READYZ_TIMEOUT_MS: "300" } });
    const admin = new Redis(redis.url);
    try {
      expect((await get(`${app.url}/readyz`)).status).toBe(200);
      await admin.call("CLIENT", "PAUSE", "3000", "ALL");
      const started = performance.now();
      expect(await get(`${app.url}/readyz`)).toMatchObject({ status: 503, body: { checks: { database: "ok", redis: "failing" } } });
      expect(performance.now() - started).toBeLessThan(2_500);
      await admin.call("CLIENT", "UNPAUSE");
      expect((await get(`${app.url}/readyz`)).status).toBe(200);
    } finally {
      admin.disconnect();
      await app.close();
    }
  });

  test("a Redis whose password changed (credentials rotated) is not ready", async () => {
    const app = await startTestApp({ env: { REDIS_URL: redis.url, READYZ_TIMEOUT_MS: "1000" } });
    const admin = new Redis(redis.url);
    try {
      await admin.config("SET", "requirepass", "rotated");
      expect(await get(`${app.url}/readyz`)).toMatchObject({ status: 503, body: { checks: { redis: "failing" } } });
    } finally {
      await admin.config("SET", "requirepass", "s3cret pass");
      admin.disconnect();
      await app.close();
    }
  });
});
