import net from "node:net";
import { Redis } from "ioredis";
import { afterAll, beforeAll, expect, test } from "vitest";
import { realClockEnv, startPrivateRedis, type PrivateRedis } from "../../../server/cli/processes.js";

let redis: PrivateRedis;
beforeAll(async () => {
  redis = await startPrivateRedis({ password: "pw" });
});
afterAll(() => redis.close());

const listenOn = (port: number) =>
  new Promise<string>((resolve) => {
    const srv = net.createServer();
    srv.once("error", (err: NodeJS.ErrnoException) => resolve(err.code ?? "error"));
    srv.listen(port, "127.0.0.1", () => srv.close(() => resolve("bound")));
  });

const ping = async (url: string) => {
  const c = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  c.on("error", () => {});
  try {
    await c.connect();
    return await c.ping();
  } catch (err) {
    return `failed: ${(err as Error).message}`;
  } finally {
    c.disconnect();
  }
};

test("a private Redis's port stays its own while it is stopped: refused there, taken by nobody else; started again, a fresh Redis (nothing kept) answers at the same URL", async () => {
  const client = new Redis(redis.url);
  client.on("error", () => {}); // it loses its connection on purpose below
  await client.set("k", "before");
  expect(await ping(redis.url)).toBe("PONG");
  await redis.stop();
  expect(await ping(redis.url)).toMatch(/^failed/);
  expect(await listenOn(redis.port)).toBe("EADDRINUSE");
  await redis.start();
  expect(await ping(redis.url)).toBe("PONG");
  // The client that was connected before finds the new Redis through the same URL (nothing kept).
  await expect.poll(() => client.get("k").catch(() => "not yet"), { timeout: 10_000 }).toBe(null);
  client.disconnect();
});

test("closed, the port is freed", async () => {
  const other = await startPrivateRedis();
  expect(await ping(other.url)).toBe("PONG");
  await other.close();
  expect(await listenOn(other.port)).toBe("bound");
});

test("Redis is started on the real clock: libfaketime and its settings are left out of its environment, nothing else", () => {
  const env = realClockEnv({
    PATH: "/usr/bin",
    LD_PRELOAD: "/opt/lib/libtrace.so /usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1:/opt/lib/other.so",
    FAKETIME: "+33688098s",
    FAKETIME_SKIP_CMDS: "x",
    FAKE: "kept",
  });
  expect(env).toEqual({ PATH: "/usr/bin", LD_PRELOAD: "/opt/lib/libtrace.so:/opt/lib/other.so", FAKE: "kept" });
  expect(realClockEnv({ LD_PRELOAD: "/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1", TZ: "UTC" })).toEqual({ TZ: "UTC" });
});
