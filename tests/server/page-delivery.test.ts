/**
 * How a page's HTML leaves the server: a page without deferred data is rendered whole and written
 * once with its length (the compressor then works in one pass), compressed or not, and still
 * carries the CSP nonce and the private Cache-Control; only a route that defers data streams.
 */
import http from "node:http";
import { brotliDecompressSync } from "node:zlib";
import type { EntryContext } from "@remix-run/node";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { streamsDeferredData } from "../../app/entry.server.js";
import { DEFAULT_PASSWORD, makeDepartment, makePerson } from "../factories.js";
import { sessionCookieFor, startTestApp, type TestApp } from "../helpers/app.js";

let app: TestApp;
let cookie = "";

beforeAll(async () => {
  app = await startTestApp({ withPages: true });
  const person = await makePerson(app.atrium, { name: "Delivery Reader" });
  cookie = await sessionCookieFor(app.atrium, person.user.email, DEFAULT_PASSWORD);
});
afterAll(() => app?.close());

/** A raw HTTP GET, so transfer and content encodings are seen as sent. */
function get(path: string, headers: Record<string, string>) {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
    http
      .get(`${app.url}${path}`, { headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      })
      .on("error", reject);
  });
}

const nonceOf = (csp: string | string[] | undefined) => /'nonce-([A-Za-z0-9+/=]+)'/.exec(String(csp ?? ""))?.[1];

/** The document from its doctype to the end of the loader data it hydrates from. */
function expectWhole(html: string) {
  expect(html.startsWith("<!DOCTYPE html>")).toBe(true);
  expect(html).toContain("</html>");
  expect(html).toContain("window.__remixContext.streamController.enqueue(");
  expect(html).toContain("window.__remixContext.streamController.close();");
}

describe("a page without deferred data", () => {
  test.each(["/", "/people", "/login"])("%s is sent whole, with its length and not chunked", async (path) => {
    const res = await get(path, path === "/login" ? {} : { cookie });
    expect(res.status).toBe(200);
    expect(res.headers["transfer-encoding"]).toBeUndefined();
    expect(Number(res.headers["content-length"])).toBe(res.body.length);
    expectWhole(res.body.toString("utf8"));
  });

  test("compressed, it is the whole document, with the nonce on its scripts and private caching", async () => {
    const res = await get("/", { cookie, "accept-encoding": "br" });
    expect(res.status).toBe(200);
    expect(res.headers["content-encoding"]).toBe("br");
    expect(res.headers["cache-control"]).toBe("private, no-store");
    const html = brotliDecompressSync(res.body).toString("utf8");
    expectWhole(html);
    const nonce = nonceOf(res.headers["content-security-policy"])!;
    const inline = [...html.matchAll(/<script\b([^>]*)>/g)].map((m) => m[1]!).filter((attrs) => !/\bsrc=/.test(attrs));
    expect(inline.length).toBeGreaterThan(1);
    for (const attrs of inline) expect(attrs).toContain(`nonce="${nonce}"`);
  });

  test("a HEAD request answers the headers only", async () => {
    const res = await new Promise<http.IncomingMessage>((resolve, reject) =>
      http.request(`${app.url}/login`, { method: "HEAD" }, resolve).on("error", reject).end(),
    );
    res.resume();
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toMatch(/^text\/html/);
  });
});

describe("what a directory card costs to render", () => {
  // React writes a marker between two neighbouring texts ("<!-- -->") and renders each as a node of
  // its own: a card's texts are one string each, so two dozen cards do not add hundreds of nodes.
  test("the cards' texts are written without text markers, and still read as before", async () => {
    const department = await makeDepartment(app.atrium, "Card Markup");
    await makePerson(app.atrium, { name: "Card Reader", title: "Analyst", departmentId: department.id, timeZone: "Asia/Kolkata", skills: { "card-go": "expert", "card-rust": "learning" } });
    const res = await get("/people?q=card", { cookie });
    const html = res.body.toString("utf8");
    const cards = html.slice(html.indexOf('data-testid="directory-results"'), html.indexOf("</ol>", html.indexOf('data-testid="directory-results"')));
    expect(cards).toContain("Card Reader");
    expect(cards).toContain(">Analyst · Card Markup</div>");
    expect(cards).toContain('<span class="sr-only"> (Ask me about)</span>');
    expect(cards).toContain('<span class="muted">(Asia/Kolkata)</span>');
    expect(cards).not.toContain("<!-- -->");
  });
});

describe("which pages stream", () => {
  const context = (loaderData: Record<string, unknown>, actionData: Record<string, unknown> | null = null) =>
    ({ staticHandlerContext: { loaderData, actionData } }) as unknown as EntryContext;

  test("a route whose loader returned a promise among its fields streams", () => {
    expect(streamsDeferredData(context({ root: { user: null }, "routes/x": { list: [], later: new Promise(() => {}) } }))).toBe(true);
  });

  test("an action that returned a promise among its fields streams", () => {
    expect(streamsDeferredData(context({ root: { user: null } }, { "routes/x": { result: Promise.resolve(1) } }))).toBe(true);
  });

  test("plain data, nulls and primitives do not", () => {
    expect(streamsDeferredData(context({ root: { user: null, when: new Date(0) }, "routes/x": null, "routes/y": "text", "routes/z": { items: [1, 2] } }))).toBe(false);
  });
});

describe("files of public/ beside the pages", () => {
  test("the icon is served from public/ with an hour's caching; a page path and a path outside public/ are not files", async () => {
    const icon = await get("/favicon.svg", {});
    expect(icon.status).toBe(200);
    expect(icon.headers["content-type"]).toContain("image/svg+xml");
    expect(icon.headers["cache-control"]).toBe("public, max-age=3600");
    expect(icon.body.toString("utf8")).toContain("<svg");
    const page = await get("/people", { cookie });
    expect(page.headers["content-type"]).toContain("text/html");
    // An encoded climb out of public/ is never a file (express.static refuses it; here it is not even asked).
    const climb = await get("/favicon.svg/..%2f..%2fpackage.json", {});
    expect(climb.body.toString("utf8")).not.toContain('"name": "atrium"');
  });
});
