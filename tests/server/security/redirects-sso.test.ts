/**
 * Single sign-on carries its redirect target through the identity provider; the same resolver
 * decides it (tests/server/security/redirects.test.ts holds the full corpus): a hostile target
 * ends on "/" after a real round trip through an OpenID Connect provider.
 */
import { afterAll, beforeAll, expect, test } from "vitest";
import { Browserless, loginAtIdp } from "../../helpers/oidc-provider.js";
import { startSsoTestApp, type SsoTestApp } from "../../helpers/sso-app.js";

let app: SsoTestApp;
beforeAll(async () => {
  app = await startSsoTestApp();
  app.idp.accounts.set("redir", { email: "redir@acme.test", email_verified: true, name: "Rae Redirect" });
});
afterAll(() => app?.close());

test.each(["/\t/evil.example/", "/%5Cevil.example", "https:evil.example", "//evil.example", "/\r\n/evil.example"].map((t) => [JSON.stringify(t), t]))(
  "redirectTo=%s through the provider lands on /",
  async (_label, target) => {
    const b = new Browserless();
    const start = await b.request(`${app.url}/auth/oidc?redirectTo=${encodeURIComponent(target)}`);
    expect(start.status).toBe(302);
    const callback = await loginAtIdp(b, start.headers.get("location")!, "redir", app.callback);
    const res = await b.request(callback);
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/");
  },
);
