/**
 * Idle keep-alive connections outlive a balancer's reuse of them. HAProxy (and nginx, Caddy, cloud
 * balancers) keep idle connections to an instance open and send the next request on one: had the
 * instance closed it at Node's 5 s default just then, that request would fail with a 502.
 */
import net from "node:net";
import { afterEach, expect, test } from "vitest";
import { startTestApp, type TestApp } from "../helpers/app.js";

let app: TestApp | null = null;
afterEach(async () => {
  await app?.close();
  app = null;
});

/** One raw connection: send a request, read its whole response; `closed` settles when the server ends it. */
function connect(port: number) {
  const socket = net.connect(port, "127.0.0.1");
  let buffered = "";
  let waiting: (() => void) | null = null;
  socket.setEncoding("utf8");
  socket.on("data", (d: string) => {
    buffered += d;
    waiting?.();
  });
  const closed = new Promise<number>((resolve) => socket.once("close", () => resolve(performance.now())));
  return {
    socket,
    closed,
    async get(path: string): Promise<string> {
      buffered = "";
      socket.write(`GET ${path} HTTP/1.1\r\nHost: localhost\r\nConnection: keep-alive\r\n\r\n`);
      // /healthz answers a short JSON body with a Content-Length: the response is whole once it arrives.
      while (!/\r\n\r\n\{[^}]*\}$/.test(buffered)) {
        await Promise.race([new Promise<void>((r) => (waiting = r)), closed.then(() => Promise.reject(new Error(`connection closed; had: ${JSON.stringify(buffered)}`)))]);
      }
      return buffered;
    },
  };
}

test("an idle connection is still open after Node's default 5 s: a request sent on it after 6 s is answered on it", async () => {
  app = await startTestApp();
  expect(app.atrium.http.keepAliveTimeout).toBe(75_000);
  const conn = connect(app.port);
  expect(await conn.get("/healthz")).toMatch(/^HTTP\/1\.1 200 .*keep-alive/is);
  let closedEarly = false;
  void conn.closed.then(() => (closedEarly = true));
  // The idle time is what is being tested, so it is waited out.
  await new Promise((r) => setTimeout(r, 6_000));
  expect(closedEarly).toBe(false);
  expect(await conn.get("/healthz")).toMatch(/^HTTP\/1\.1 200 /);
  conn.socket.destroy();
});

test("HTTP_KEEP_ALIVE_MS sets it: at 1 s the server itself ends an idle connection, well before Node's 5 s", async () => {
  app = await startTestApp({ env: { HTTP_KEEP_ALIVE_MS: "1000" } });
  const conn = connect(app.port);
  expect(await conn.get("/healthz")).toMatch(/^HTTP\/1\.1 200 /);
  const answered = performance.now();
  const closedAt = await conn.closed;
  expect(closedAt - answered).toBeGreaterThan(900);
  expect(closedAt - answered).toBeLessThan(4_500);
});
