/**
 * Open redirects: every redirect target a request supplies is resolved against the app's own
 * origin. The corpus holds the tricks browsers fall for (a tab or newline they silently drop, a
 * backslash they read as a slash, scheme shorthands, percent-encoded slashes, Unicode spaces);
 * each must end on "/" — checked on the function and on real sign-ins over HTTP, where none may
 * leave the origin or answer 500.
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { safeRedirectPath } from "../../../server/platform/safe-redirect.js";
import { startTestApp, type TestApp } from "../../helpers/app.js";
import { DEFAULT_PASSWORD, makePerson } from "../../factories.js";

const APP = "https://atrium.example.com";

/** Targets that must never be followed (each lands on "/"). */
const HOSTILE = [
  "/\t/evil.example/",
  "/%2F%09%2Fevil.example%2F",
  "%2F%09%2Fevil.example%2F",
  "/\r\n/evil.example",
  "/\r\nSet-Cookie: x=1",
  "/\n/evil.example",
  "/\\evil.example",
  "\\\\evil.example",
  "/%5Cevil.example",
  "/%5C%5Cevil.example",
  "%5C%5Cevil.example",
  "/%2F%2Fevil.example",
  "/\u3000/evil.example",
  "\u3000//evil.example",
  "/\u00a0/evil.example",
  "///evil.example",
  "////evil.example",
  "//evil.example",
  "//evil.example/path",
  "/.//evil.example",
  "/..//evil.example",
  "https:evil.example",
  "https://evil.example/",
  "http:evil.example",
  "http:host",
  "http://atrium.example.com.evil.example/",
  "javascript:alert(1)",
  "JaVaScRiPt:alert(1)",
  "data:text/html,<script>alert(1)</script>",
  " /evil",
  "",
  "/\u0000/evil.example",
  "%E3%80%80//evil.example",
  "/%E3%80%80/evil.example",
  "/%zz",
];

/** Same-origin paths that keep working, normalised by the URL parser. */
const KEPT: [string, string][] = [
  ["/", "/"],
  ["/questions/abc?sort=votes#answers", "/questions/abc?sort=votes#answers"],
  ["/search?q=a%20b&type=people", "/search?q=a%20b&type=people"],
  ["/docs/x/../y", "/docs/y"],
  ["/people?q=caf%C3%A9", "/people?q=caf%C3%A9"],
];

describe("safeRedirectPath", () => {
  test.each(HOSTILE.map((t) => [JSON.stringify(t), t]))("%s falls back to /", (_label, target) => {
    expect(safeRedirectPath(target, APP)).toBe("/");
  });

  test.each(KEPT)("%s stays %s", (target, expected) => {
    expect(safeRedirectPath(target, APP)).toBe(expected);
  });

  test("an absolute URL on the app's own origin is not needed and not followed as such", () => {
    // Only paths are accepted; the app never builds absolute redirect targets for itself.
    expect(safeRedirectPath(`${APP}/people`, APP)).toBe("/");
  });

  test("non-strings and very long targets fall back", () => {
    expect(safeRedirectPath(null, APP)).toBe("/");
    expect(safeRedirectPath(undefined, APP)).toBe("/");
    expect(safeRedirectPath(42, APP)).toBe("/");
    expect(safeRedirectPath("/" + "a".repeat(5000), APP)).toBe("/");
  });

  test("whatever comes in, what goes out resolves to the app's origin in a browser", () => {
    for (const t of [...HOSTILE, ...KEPT.map(([t]) => t)]) {
      const out = safeRedirectPath(t, APP);
      // A browser strips tab/CR/LF and reads backslashes as slashes before resolving.
      const asBrowser = out.replace(/[\t\r\n]/g, "").replace(/\\/g, "/");
      expect(new URL(asBrowser, "https://atrium.example.com/login").origin).toBe(APP);
      expect(out).toMatch(/^\/(?!\/)[\x21-\x7e]*$/);
    }
  });
});

describe("signing in over HTTP with a hostile redirectTo", () => {
  let app: TestApp;
  let email = "";
  beforeAll(async () => {
    app = await startTestApp({ withPages: true });
    email = (await makePerson(app.atrium, { email: "redirect-victim@example.test" })).user.email;
  });
  afterAll(() => app?.close());

  test.each(HOSTILE.map((t) => [JSON.stringify(t), t]))("redirectTo=%s: signed in, sent to /, never off-origin, never 500", async (_label, target) => {
    const sessionsBefore = await app.atrium.db.session.count();
    const res = await fetch(`${app.url}/login?redirectTo=${encodeURIComponent(target)}`, {
      method: "POST",
      redirect: "manual",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ email, password: DEFAULT_PASSWORD, redirectTo: target }).toString(),
    });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/");
    expect(res.headers.get("set-cookie")).toMatch(/^atrium_session=/);
    expect(await app.atrium.db.session.count()).toBe(sessionsBefore + 1);
  });

  test("a same-origin path is still honoured", async () => {
    const res = await fetch(`${app.url}/login`, {
      method: "POST",
      redirect: "manual",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ email, password: DEFAULT_PASSWORD, redirectTo: "/people?q=saml" }).toString(),
    });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/people?q=saml");
  });

  test("the follow form's redirectTo goes through the same check", async () => {
    const login = await fetch(`${app.url}/login`, {
      method: "POST",
      redirect: "manual",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ email, password: DEFAULT_PASSWORD }).toString(),
    });
    const cookie = login.headers.get("set-cookie")!.split(";")[0]!;
    const other = await makePerson(app.atrium, { name: "Followed Person" });
    for (const target of ["/\t/evil.example/", "/%5Cevil.example", "https:evil.example"]) {
      const res = await fetch(`${app.url}/social/follow`, {
        method: "POST",
        redirect: "manual",
        headers: { "Content-Type": "application/x-www-form-urlencoded", Cookie: cookie },
        body: new URLSearchParams({ kind: "person", id: other.user.id, follow: "true", redirectTo: target }).toString(),
      });
      expect(res.status).toBe(302);
      expect(res.headers.get("location")).toBe("/");
    }
  });
});
