/**
 * The Host header every absolute URL starts from: a malformed one is refused with 400 before any
 * page or API code runs; X-Forwarded-Host counts only from a hop TRUST_PROXY names, and then it
 * must be well formed too.
 */
import { request } from "node:http";
import { afterEach, describe, expect, test } from "vitest";
import { startTestApp, type TestApp } from "../../helpers/app.js";

let app: TestApp | null = null;
afterEach(async () => {
  await app?.close();
  app = null;
});

/** A raw request, so the Host header is sent exactly as written. */
function get(path: string, headers: Record<string, string>): Promise<{ status: number; body: string; type: string }> {
  const { port } = new URL(app!.url);
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, path, method: "GET", headers, setHost: false }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c) => (body += c));
      res.on("end", () => resolve({ status: res.statusCode!, body, type: String(res.headers["content-type"] ?? "") }));
    });
    req.on("error", reject);
    req.end();
  });
}

describe("the Host header", () => {
  test("a malformed Host is a 400 with a plain message on pages and a JSON error on the API; a good one is served", async () => {
    app = await startTestApp({ withPages: true });
    const host = new URL(app.url).host;
    expect((await get("/login", { Host: host })).status).toBe(200);
    for (const bad of ["evil.example/path", "a b", "x".repeat(300), "evil.example:99999999", "@evil.example"]) {
      const page = await get("/login", { Host: bad });
      expect(page.status).toBe(400);
      expect(page.body).toBe("The Host header is missing or malformed.");
      const api = await get("/api/v1/people", { Host: bad });
      expect(api.status).toBe(400);
      expect(JSON.parse(api.body)).toEqual({ error: { code: "bad_host", message: "The Host header is missing or malformed." } });
    }
  });

  test("X-Forwarded-Host from a hop TRUST_PROXY does not name is ignored, even malformed", async () => {
    app = await startTestApp({ withPages: true });
    const host = new URL(app.url).host;
    expect((await get("/login", { Host: host, "X-Forwarded-Host": "evil.example/path" })).status).toBe(200);
  });

  test("X-Forwarded-Host from a trusted hop must be well formed", async () => {
    app = await startTestApp({ withPages: true, env: { TRUST_PROXY: "loopback" } });
    const host = new URL(app.url).host;
    expect((await get("/login", { Host: host, "X-Forwarded-Host": host })).status).toBe(200);
    const bad = await get("/login", { Host: host, "X-Forwarded-Host": "evil.example/path, other" });
    expect(bad.status).toBe(400);
    expect(bad.body).toBe("The Host header is missing or malformed.");
  });
});
