/**
 * Upload bodies: a 50 MB chunked upload with no Content-Length to every upload route is refused
 * — 403 before a byte is read when the sender may not do it, 413 at the route's limit otherwise —
 * while the server's memory stays flat and nothing is written.
 */
import { existsSync, readdirSync } from "node:fs";
import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sessionCookieFor, startTestApp, type TestApp } from "../../helpers/app.js";
import { makePerson } from "../../factories.js";
import { docsWorld, type World } from "../docs/world.js";
import { SIGNED_OUT_MESSAGE } from "../../../app/utils/http.server";

const MB = 1024 * 1024;
const TOTAL = 50 * MB;

let app: TestApp;
let w: World;
let docId: string;
const cookies: Record<string, string> = {};

interface UploadResult {
  status: number;
  body: string;
  /** Bytes the client had handed to the socket when the answer came. */
  sent: number;
  /** Largest growth of this process's RSS (server and client share it) while uploading. */
  rssGrowth: number;
}

/**
 * Streams a multipart body of `TOTAL` bytes (one file part of zeros) with chunked encoding and no
 * Content-Length, stopping as soon as the server answers or closes the connection.
 */
function chunkedUpload(path: string, cookie: string, field: string, extraFields: Record<string, string> = {}, accept = "text/html", stall = false): Promise<UploadResult> {
  return new Promise((resolve, reject) => {
    const boundary = "----atrium-limit-test";
    const base = process.memoryUsage().rss;
    let peak = base;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
    let sent = 0;
    let answered = false;
    const req = http.request(`${app.url}${path}`, {
      method: "POST",
      headers: { Cookie: cookie, "Content-Type": `multipart/form-data; boundary=${boundary}`, Accept: accept, "Transfer-Encoding": "chunked" },
    });
    const finish = (status: number, body: string) => {
      clearInterval(sampler);
      peak = Math.max(peak, process.memoryUsage().rss);
      resolve({ status, body, sent, rssGrowth: peak - base });
    };
    req.on("response", (res) => {
      answered = true;
      const parts: Buffer[] = [];
      res.on("data", (c: Buffer) => parts.push(c));
      res.on("end", () => finish(res.statusCode ?? 0, Buffer.concat(parts).toString("utf8")));
      res.on("error", () => finish(res.statusCode ?? 0, Buffer.concat(parts).toString("utf8")));
    });
    req.on("error", (e) => {
      if (!answered) {
        clearInterval(sampler);
        reject(e);
      }
    });
    let head = "";
    for (const [k, v] of Object.entries(extraFields)) head += `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`;
    head += `--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="big.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`;
    req.write(head);
    const chunk = Buffer.alloc(64 * 1024);
    const pump = () => {
      if (stall) return; // only the part headers: the answer may not wait for the file
      while (!answered && !req.destroyed && sent < TOTAL) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once("drain", pump);
      }
      if (!answered && !req.destroyed) req.end(`\r\n--${boundary}--\r\n`);
    };
    pump();
  });
}

async function stored() {
  return {
    images: await app.atrium.db.docImage.count(),
    docs: await app.atrium.db.document.count(),
    questions: await app.atrium.db.question.count(),
    photos: (await app.atrium.db.user.findMany({ where: { photoPath: { not: null } }, select: { id: true } })).length,
    uploadFiles: existsSync(app.atrium.ctx.env.UPLOAD_DIR) ? readdirSync(app.atrium.ctx.env.UPLOAD_DIR).length : 0,
    docFiles: existsSync(app.atrium.ctx.env.DOC_FILES_DIR) ? readdirSync(app.atrium.ctx.env.DOC_FILES_DIR).length : 0,
  };
}

beforeAll(async () => {
  // The CSV import's own limit is lowered so that reading up to it stays under the memory bound.
  app = await startTestApp({ withPages: true, env: { IMPORT_MAX_BYTES: String(4 * MB) } });
  w = await docsWorld(app.atrium);
  const outsider = await makePerson(app.atrium, { name: "Olly Outsider" });
  ({ id: docId } = await app.atrium.domain.docs.createDocument(w.people.mia.actor, { title: "Limits", spaceId: w.space.marketing.id, visibility: "private" }));
  for (const [k, p] of Object.entries({ mia: w.people.mia, pia: w.people.pia, admin: w.people.admin, outsider })) {
    cookies[k] = await sessionCookieFor(app.atrium, p.user.email, p.password);
  }
  // Warm the routes so that loading their modules is not counted as upload memory.
  for (const path of ["/docs", "/questions/ask", `/people/${w.people.mia.user.id}/edit`, "/admin/import"]) {
    await fetch(`${app.url}${path}`, { headers: { Cookie: cookies.admin! } }).then((r) => r.text());
  }
}, 120_000);

afterAll(async () => {
  await app?.close();
});

describe("a 50 MB chunked upload without Content-Length", () => {
  const cases: { name: string; who: string; path: () => string; field: string; extra?: () => Record<string, string>; accept?: string; status: number; message: RegExp }[] = [
    { name: "document image from someone who may not edit the document", who: "pia", path: () => `/docs/${docId}/images`, field: "image", accept: "application/json", status: 403, message: /cannot/i },
    { name: "document image from its editor", who: "mia", path: () => `/docs/${docId}/images`, field: "image", accept: "application/json", status: 413, message: /at most 5 MB/ },
    { name: "profile photo for someone else", who: "pia", path: () => `/people/${w.people.mia.user.id}/edit`, field: "photo", status: 403, message: /Not allowed/ },
    { name: "own profile photo", who: "mia", path: () => `/people/${w.people.mia.user.id}/edit`, field: "photo", status: 413, message: /2 MB or smaller/ },
    { name: "CSV import from a member", who: "outsider", path: () => "/admin/import", field: "file", status: 403, message: /Not allowed/ },
    { name: "CSV import from an admin", who: "admin", path: () => "/admin/import", field: "file", status: 413, message: /larger than 4 MB/ },
    { name: "Markdown import", who: "mia", path: () => "/docs", field: "file", extra: () => ({ intent: "import", spaceId: w.space.marketing.id }), status: 413, message: /at most 1 MB/ },
    { name: "question with an attached file", who: "mia", path: () => "/questions/ask", field: "body", extra: () => ({ title: "A big one" }), status: 413, message: /larger than 4 MB/ },
  ];

  for (const c of cases) {
    it(`${c.name}: ${c.status}, memory flat, nothing written`, async () => {
      const before = await stored();
      const r = await chunkedUpload(c.path(), cookies[c.who]!, c.field, c.extra?.() ?? {}, c.accept);
      console.log(`[upload] ${c.name}: ${r.status}, client sent ${(r.sent / MB).toFixed(1)} MB, RSS +${(r.rssGrowth / MB).toFixed(1)} MB`);
      expect(r.status).toBe(c.status);
      expect(r.body).toMatch(c.message);
      // The server stopped reading: the client never got to send the whole 50 MB.
      expect(r.sent).toBeLessThan(TOTAL);
      // Reading the whole body grew RSS by 30–190 MB; stopping at a ≤ 5 MB limit stays well under
      // 30 MB, which leaves room for the sending client and the allocator in this same process.
      expect(r.rssGrowth).toBeLessThan(30 * MB);
      expect(await stored()).toEqual(before);
    }, 120_000);

    if (c.status === 403) {
      it(`${c.name}: 403 before any of the file is sent`, async () => {
        const r = await chunkedUpload(c.path(), cookies[c.who]!, c.field, c.extra?.() ?? {}, c.accept, true);
        expect(r.status).toBe(403);
        expect(r.sent).toBe(0);
      }, 120_000);
    }
  }
});

describe("declared lengths and JSON bodies", () => {
  it("a Content-Length over the limit is refused before the body is read", async () => {
    const r = await new Promise<number>((resolve, reject) => {
      const req = http.request(`${app.url}/people/${w.people.mia.user.id}/edit`, {
        method: "POST",
        headers: { Cookie: cookies.mia!, "Content-Type": "multipart/form-data; boundary=x", "Content-Length": String(TOTAL) },
      });
      req.on("response", (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on("error", reject);
      req.write("--x\r\n"); // the rest is never sent: the answer must not wait for it
    });
    expect(r).toBe(413);
  });

  it("a form page without uploads stops at the server-wide limit with 413", async () => {
    const big = "x".repeat(5 * MB);
    const res = await fetch(`${app.url}/questions/ask`, {
      method: "POST",
      headers: { Cookie: cookies.mia!, "Content-Type": "application/x-www-form-urlencoded" },
      body: `title=Hello+there+world&bodyPlain=${big}`,
    });
    expect(res.status).toBe(413);
    expect(await res.text()).toMatch(/larger than 4 MB/);
  });

  it("the API answers 413 in JSON for a body over 100 kB, after checking the token", async () => {
    const { user } = w.people.mia;
    const { secret } = await app.atrium.domain.apiTokens.createApiToken(w.people.mia.actor, { name: "t", scope: "write" });
    const body = JSON.stringify({ title: "Big", body: "x".repeat(200_000) });
    const res = await fetch(`${app.url}/api/v1/questions`, { method: "POST", headers: { Authorization: `Bearer ${secret}`, "Content-Type": "application/json" }, body });
    expect(res.status).toBe(413);
    expect((await res.json()).error.code).toBe("payload_too_large");
    const stranger = await fetch(`${app.url}/api/v1/questions`, { method: "POST", headers: { Authorization: "Bearer nope", "Content-Type": "application/json" }, body });
    expect(stranger.status).toBe(401);
    expect(await app.atrium.db.question.count({ where: { authorId: user.id } })).toBe(0);
  });
});

describe("within the limits the same routes still accept, also chunked", () => {
  const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...new Array(1000).fill(7)]);
  /** A multipart body sent as a stream: chunked, no Content-Length. */
  async function post(path: string, cookie: string, form: FormData) {
    const encoded = new Response(form);
    return fetch(`${app.url}${path}`, {
      method: "POST",
      headers: { Cookie: cookie, "Content-Type": encoded.headers.get("content-type")! },
      body: encoded.body,
      duplex: "half",
      redirect: "manual",
    } as RequestInit);
  }

  it("a document image from its editor is stored", async () => {
    const form = new FormData();
    form.append("image", new File([png], "small.png", { type: "image/png" }));
    const res = await post(`/docs/${docId}/images`, cookies.mia!, form);
    expect(res.status).toBe(200);
    expect((await res.json()).url).toMatch(new RegExp(`^/docs/${docId}/images/`));
    expect(await app.atrium.db.docImage.count({ where: { docId } })).toBe(1);
  });

  it("signed out, the editor's image upload and @mention look-up answer 401 'signed out' in JSON (no redirect to the sign-in page) and store nothing", async () => {
    const before = await stored();
    const form = new FormData();
    form.append("image", new File([png], "small.png", { type: "image/png" }));
    const res = await post(`/docs/${docId}/images`, "", form);
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ signedOut: true, error: SIGNED_OUT_MESSAGE });
    expect(await stored()).toEqual(before);
    const mentions = await fetch(`${app.url}/docs/${docId}/mentions?q=m`, { redirect: "manual" });
    expect(mentions.status).toBe(401);
    expect((await mentions.json()).signedOut).toBe(true);
    // Signed in, the same look-up answers.
    const signedIn = await fetch(`${app.url}/docs/${docId}/mentions?q=m`, { headers: { Cookie: cookies.mia! }, redirect: "manual" });
    expect(signedIn.status).toBe(200);
    expect(Array.isArray((await signedIn.json()).people)).toBe(true);
  });

  it("an own profile photo is stored", async () => {
    const form = new FormData();
    form.append("photo", new File([png], "me.png", { type: "image/png" }));
    const res = await post(`/people/${w.people.mia.user.id}/edit`, cookies.mia!, form);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("Photo updated.");
    expect((await app.atrium.db.user.findUniqueOrThrow({ where: { id: w.people.mia.user.id } })).photoPath).toMatch(/\.png$/);
  });

  it("a Markdown file is imported as a document", async () => {
    const form = new FormData();
    form.append("intent", "import");
    form.append("spaceId", w.space.marketing.id);
    form.append("file", new File(["# Imported runbook\n\nStep one."], "runbook.md", { type: "text/markdown" }));
    const before = await app.atrium.db.document.count();
    const res = await post("/docs", cookies.mia!, form);
    expect(res.status).toBe(302);
    expect(await app.atrium.db.document.count()).toBe(before + 1);
    expect(await app.atrium.db.document.findFirst({ where: { title: "Imported runbook" } })).not.toBeNull();
  });

  it("an admin's CSV is staged for preview", async () => {
    const form = new FormData();
    form.append("file", new File(["email,name\nnew.person@example.test,New Person\n"], "people.csv", { type: "text/csv" }));
    const res = await post("/admin/import", cookies.admin!, form);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("import-preview");
  });
});

