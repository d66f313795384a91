/** The composition root: one server for pages and sockets, and a graceful close. */
import net from "node:net";
import { expect, test } from "vitest";
import { startTestApp } from "../helpers/app.js";
import { connect, waitForDisconnect } from "../helpers/server-socket.js";
import { makePerson } from "../factories.js";

test("close() ends open sockets, stops listening and is idempotent", async () => {
  const app = await startTestApp({ env: { PRESENCE_GRACE_MS: "60000" } });
  const p = await makePerson(app.atrium);
  const { token } = await app.atrium.domain.accounts.startSession(p.user.id, { ip: "127.0.0.1", userAgent: "t" });
  const { socket } = await connect(app.url, `atrium_session=${token}`);
  expect((await fetch(`${app.url}/healthz`)).status).toBe(200);

  const gone = waitForDisconnect(socket);
  const first = app.atrium.close();
  expect(app.atrium.close()).toBe(first);
  await first;
  await gone;
  expect(socket.connected).toBe(false);
  await expect(fetch(`${app.url}/healthz`)).rejects.toThrow();
  await app.close();
});

test("the HTTP server and Socket.io share one port; unknown paths without pages are 404", async () => {
  const app = await startTestApp();
  try {
    // Engine.io answers its transport handshake on the same port; Socket.io's own connect, which
    // needs the cookie, comes after it.
    const res = await fetch(`${app.url}/socket.io/?EIO=4&transport=polling`);
    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(/^0\{"sid":/);
    expect((await fetch(`${app.url}/no-such-page`)).status).toBe(404);
    const health = await fetch(`${app.url}/healthz`);
    expect(health.headers.get("x-content-type-options")).toBe("nosniff");
    expect(health.headers.get("x-frame-options")).toBe("DENY");
  } finally {
    await app.close();
  }
});

/**
 * A raw connection that sends a sign-in's headers and only part of its form, so the request stays
 * in flight: the page's action waits for the whole body.
 */
async function requestLeftOpen(url: string) {
  const raw = await rawConnection(url);
  raw.socket.write(`POST /login HTTP/1.1\r\nHost: 127.0.0.1:${raw.port}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 40\r\n\r\nemail=a%40b.test`);
  return { ...raw, isOpen: () => !raw.socket.destroyed && raw.socket.readyState === "open" };
}

/** A plain TCP connection to the app at `url`, collecting whatever it is sent back. */
async function rawConnection(url: string) {
  const { port } = new URL(url);
  const socket = net.connect(Number(port), "127.0.0.1");
  await new Promise<void>((resolve, reject) => socket.once("connect", resolve).once("error", reject));
  let received = "";
  socket.on("data", (d) => (received += d));
  socket.on("error", () => {});
  const closed = new Promise<void>((resolve) => socket.once("close", () => resolve()));
  return { socket, port, closed, received: () => received };
}

test("a stop waits SHUTDOWN_DRAIN_MS for a request still in flight, then closes its connection", { timeout: 60_000 }, async () => {
  // Long drain: the request is still in flight a second after the stop began, and once its body
  // arrives it is answered.
  const patient = await startTestApp({ withPages: true, env: { SHUTDOWN_DRAIN_MS: "60000" } });
  const slow = await requestLeftOpen(patient.url);
  await new Promise((r) => setTimeout(r, 200)); // the server has read the headers
  const stopped = patient.atrium.close();
  await new Promise((r) => setTimeout(r, 1_000));
  expect(slow.isOpen()).toBe(true);
  slow.socket.write("&password=wrong-passwd-x"); // the 24 bytes left of 40
  await slow.closed;
  // Answered in full (the action ran: wrong password), then the quiet connection was closed.
  expect(slow.received()).toMatch(/^HTTP\/1\.1 422 /);
  expect(slow.received()).toContain("Email or password is incorrect.");
  await stopped;
  await patient.close();

  // Short drain: the same request left unfinished is cut when the drain's time is up, and the stop completes.
  const hasty = await startTestApp({ withPages: true, env: { SHUTDOWN_DRAIN_MS: "300" } });
  const stuck = await requestLeftOpen(hasty.url);
  await new Promise((r) => setTimeout(r, 200));
  const began = performance.now();
  await hasty.atrium.close();
  await stuck.closed;
  expect(stuck.received()).toBe("");
  // Far below the 10 s default: the variable set the deadline.
  expect(performance.now() - began).toBeLessThan(8_000);
  await hasty.close();
});

test("a stop keeps an idle keep-alive connection open for SHUTDOWN_QUIET_MS: a request sent on it meanwhile is answered, with Connection: close", { timeout: 60_000 }, async () => {
  const app = await startTestApp({ env: { SHUTDOWN_QUIET_MS: "20000" } });
  const { socket, port, closed, received } = await rawConnection(app.url);
  const get = () => socket.write(`GET /healthz HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: keep-alive\r\n\r\n`);
  const answers = () => received().match(/HTTP\/1\.1 \d+ [A-Z ]+(?=\r\n)/g) ?? [];
  get();
  await expect.poll(answers).toHaveLength(1);
  expect(received()).toMatch(/Connection: keep-alive/i);

  const stopped = app.atrium.close();
  // Well past the default half second, far below the twenty set here.
  await new Promise((r) => setTimeout(r, 1_500));
  get();
  await closed;
  expect(answers()).toEqual(["HTTP/1.1 200 OK", "HTTP/1.1 200 OK"]);
  expect(received().slice(received().lastIndexOf("HTTP/1.1"))).toMatch(/Connection: close/i);
  await stopped;
  await app.close();
});
