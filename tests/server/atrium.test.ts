/** The composition root: one server for pages and sockets, and a graceful close. */
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
