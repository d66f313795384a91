/**
 * Smaller exposures: profile photos are for signed-in colleagues only; a notification quoting a
 * document's title withholds it once the reader may no longer open the document; the page's
 * Content-Security-Policy names the configured origin (APP_URL) for sockets, never the Host header.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startTestApp, sessionCookieFor, type TestApp } from "../../helpers/app.js";
import { DEFAULT_PASSWORD, makePerson } from "../../factories.js";
import { docsWorld, type World } from "../docs/world.js";

let app: TestApp;
let w: World;
beforeAll(async () => {
  app = await startTestApp({ withPages: true, env: { APP_URL: "https://atrium.example.com" } });
  w = await docsWorld(app.atrium);
});
afterAll(() => app?.close());

describe("profile photos", () => {
  test("anonymous visitors get 401 and no bytes; a signed-in colleague and an API token get the photo", async () => {
    const dir = app.atrium.ctx.env.UPLOAD_DIR;
    await mkdir(dir, { recursive: true });
    const bytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]);
    await writeFile(`${dir}/face.png`, bytes);
    const anon = await fetch(`${app.url}/uploads/face.png`);
    expect(anon.status).toBe(401);
    expect(Buffer.from(await anon.arrayBuffer()).includes(bytes)).toBe(false);
    expect((await fetch(`${app.url}/uploads/face.png`, { headers: { Cookie: "atrium_session=forged" } })).status).toBe(401);
    expect((await fetch(`${app.url}/uploads/face.png`, { headers: { Authorization: "Bearer atr_forged" } })).status).toBe(401);

    const cookie = await sessionCookieFor(app.atrium, w.people.max.user.email, DEFAULT_PASSWORD);
    const signedIn = await fetch(`${app.url}/uploads/face.png`, { headers: { Cookie: cookie } });
    expect(signedIn.status).toBe(200);
    expect(Buffer.from(await signedIn.arrayBuffer())).toEqual(bytes);
    expect(signedIn.headers.get("cache-control")).toContain("private");

    const token = await app.atrium.domain.apiTokens.createApiToken(w.people.max.actor, { name: "photos", scope: "read" });
    expect((await fetch(`${app.url}/uploads/face.png`, { headers: { Authorization: `Bearer ${token.secret}` } })).status).toBe(200);
  });
});

describe("notifications about a document", () => {
  test("'shared “TITLE” with you' stops naming the title once the share is removed, and names it again if re-shared", async () => {
    const docs = app.atrium.domain.docs;
    const { id } = await docs.createDocument(w.people.mia.actor, { title: "Layoff plan zebra", spaceId: w.space.marketing.id, visibility: "private" });
    await docs.shareDocument(w.people.mia.actor, id, { principalType: "user", principalId: w.people.pia.user.id, role: "viewer" });
    const list = () => app.atrium.domain.notifications.listNotifications(w.people.pia.actor);
    const shared = (await list()).find((n) => n.link === `/docs/${id}`)!;
    expect(shared.title).toBe("Mia Marketing shared “Layoff plan zebra” with you");

    const shares = await docs.listShares(w.people.mia.actor, id);
    await docs.unshareDocument(w.people.mia.actor, id, shares.find((s: { principalId: string }) => s.principalId === w.people.pia.user.id)!.id);
    const after = (await list()).find((n) => n.id === shared.id)!;
    expect(after.title).toBe("A document you can no longer open");
    expect(after.body).toBe("");
    expect(JSON.stringify(await list())).not.toContain("Layoff plan zebra");

    // Over HTTP, on the notifications page and the home page's list.
    const cookie = await sessionCookieFor(app.atrium, w.people.pia.user.email, DEFAULT_PASSWORD);
    for (const path of ["/notifications", "/"]) {
      const html = await (await fetch(`${app.url}${path}`, { headers: { Cookie: cookie } })).text();
      expect(html, path).not.toContain("Layoff plan zebra");
    }
    // The stored row is unchanged: access restored, the title is shown again.
    await docs.shareDocument(w.people.mia.actor, id, { principalType: "user", principalId: w.people.pia.user.id, role: "viewer" });
    expect((await list()).find((n) => n.id === shared.id)!.title).toBe("Mia Marketing shared “Layoff plan zebra” with you");
  });

  test("the title is withheld when the document goes to the trash", async () => {
    const docs = app.atrium.domain.docs;
    const { id } = await docs.createDocument(w.people.mia.actor, { title: "Trashed zebra memo", spaceId: w.space.marketing.id, visibility: "private" });
    await docs.shareDocument(w.people.mia.actor, id, { principalType: "user", principalId: w.people.pat.user.id, role: "editor" });
    await docs.trashDocument(w.people.mia.actor, id);
    const n = (await app.atrium.domain.notifications.listNotifications(w.people.pat.actor)).find((x) => x.link === `/docs/${id}`)!;
    expect(n.title).toBe("A document you can no longer open");
  });
});

describe("CSP connect-src", () => {
  /** A raw request with any Host header (fetch will not send a forged one). */
  function getWithHost(path: string, host: string) {
    return new Promise<{ status: number; csp: string }>((resolve, reject) => {
      const req = request({ host: "127.0.0.1", port: app.port, path, headers: { Host: host } }, (res) => {
        res.resume();
        resolve({ status: res.statusCode ?? 0, csp: String(res.headers["content-security-policy"] ?? "") });
      });
      req.on("error", reject);
      req.end();
    });
  }

  test("names the configured origin, whatever Host the request carries", async () => {
    for (const host of ["evil.example", "evil.example:443", `127.0.0.1:${app.port}`]) {
      const { csp } = await getWithHost("/login", host);
      const connect = /connect-src ([^;]*)/.exec(csp)![1]!;
      expect(connect).toBe("'self' ws://atrium.example.com wss://atrium.example.com");
      expect(csp).not.toContain("evil.example");
    }
  });
});
