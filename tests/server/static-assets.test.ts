/**
 * Built JavaScript and CSS leave the server as the build's brotli copy (quality 11) when the
 * browser takes brotli, and compressed per request otherwise; copies that are stale, orphaned or
 * outside the build folder are never served.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { brotliCompressSync, brotliDecompressSync, gunzipSync } from "node:zlib";
import compression from "compression";
import express from "express";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { DYNAMIC_COMPRESSION, precompressed } from "../../server/http/compression.js";
import { startTestApp, type TestApp } from "../helpers/app.js";

function request(url: string, headers: Record<string, string>, method = "GET") {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
    http
      .request(url, { method, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      })
      .on("error", reject)
      .end();
  });
}

/** Writes a brotli copy the way the build does, atomically (other test files read this folder). */
function writeCopy(file: string) {
  const tmp = `${file}.br.${process.pid}.tmp`;
  writeFileSync(tmp, brotliCompressSync(readFileSync(file)));
  renameSync(tmp, `${file}.br`);
}

describe("the app's /build", () => {
  let app: TestApp;
  let asset = "";
  let bytes: Buffer;
  let copy: Buffer;
  beforeAll(async () => {
    const shared = path.resolve("public/build/_shared");
    const name = readdirSync(shared).find((f) => f.endsWith(".js"))!;
    const file = path.join(shared, name);
    const existing = (() => {
      try {
        return statSync(`${file}.br`).mtimeMs >= statSync(file).mtimeMs;
      } catch {
        return false;
      }
    })();
    if (!existing) writeCopy(file);
    asset = `/build/_shared/${name}`;
    bytes = readFileSync(file);
    copy = readFileSync(`${file}.br`);
    app = await startTestApp({ withPages: true });
  });
  afterAll(() => app?.close());

  test("a browser that takes brotli gets the build's copy, byte for byte, cached for a year", async () => {
    const res = await request(`${app.url}${asset}`, { "accept-encoding": "gzip, deflate, br" });
    expect(res.status).toBe(200);
    expect(res.headers["content-encoding"]).toBe("br");
    expect(res.headers["content-type"]).toMatch(/^(application|text)\/javascript/);
    expect(res.headers.vary).toMatch(/accept-encoding/i);
    expect(res.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
    expect(res.body.equals(copy)).toBe(true);
    expect(brotliDecompressSync(res.body).equals(bytes)).toBe(true);
  });

  test("HEAD answers the same headers without a body", async () => {
    const res = await request(`${app.url}${asset}`, { "accept-encoding": "br" }, "HEAD");
    expect(res.status).toBe(200);
    expect(res.headers["content-encoding"]).toBe("br");
    expect(Number(res.headers["content-length"])).toBe(copy.length);
    expect(res.body.length).toBe(0);
  });

  test("without brotli (or with br;q=0) the file is compressed as it is sent", async () => {
    for (const accept of ["gzip", "gzip, br;q=0"]) {
      const res = await request(`${app.url}${asset}`, { "accept-encoding": accept });
      expect(res.status).toBe(200);
      expect(res.headers["content-encoding"]).toBe("gzip");
      expect(gunzipSync(res.body).equals(bytes)).toBe(true);
    }
    const plain = await request(`${app.url}${asset}`, { "accept-encoding": "identity" });
    expect(plain.headers["content-encoding"]).toBeUndefined();
    expect(plain.body.equals(bytes)).toBe(true);
  });

  test("a file that is not there, or a path climbing out of the folder, is a 404", async () => {
    for (const p of ["/build/_shared/no-such-chunk.js", "/build/..%2f..%2fpackage.json", "/build/_shared/..%2F..%2F..%2Fpackage.json"]) {
      const res = await request(`${app.url}${p}`, { "accept-encoding": "br" });
      expect(res.status, p).toBe(404);
      const body = res.headers["content-encoding"] === "br" ? brotliDecompressSync(res.body) : res.body;
      expect(body.toString(), p).not.toContain('"devDependencies"');
    }
  });
});

describe("precompressed() over a folder of its own", () => {
  let dir: string;
  let server: http.Server;
  let url = "";
  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), "atrium-assets-"));
    writeFileSync(path.join(dir, "fresh.js"), "console.log('fresh');".repeat(100));
    writeFileSync(path.join(dir, "stale.js"), "console.log('stale');".repeat(100));
    writeFileSync(path.join(dir, "orphan.js.br"), brotliCompressSync(Buffer.from("orphan")));
    // The build script's own output: it must decompress to the file, and leave fresh copies alone.
    execFileSync(process.execPath, ["scripts/compress-assets.mjs", dir]);
    // A minute before its file's own time (the file system's clock, whatever the process's says).
    const past = new Date(statSync(path.join(dir, "stale.js")).mtimeMs - 60_000);
    utimesSync(path.join(dir, "stale.js.br"), past, past);
    const app = express();
    app.use(compression(DYNAMIC_COMPRESSION));
    app.use("/a", precompressed(dir));
    app.use("/a", express.static(dir));
    server = app.listen(0, "127.0.0.1");
    await new Promise((r) => server.once("listening", r));
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}/a`;
  });
  afterAll(() => {
    server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test("the build script's copy decompresses to its file; a second run rewrites nothing", () => {
    const first = readFileSync(path.join(dir, "fresh.js.br"));
    expect(brotliDecompressSync(first).toString()).toBe("console.log('fresh');".repeat(100));
    const out = execFileSync(process.execPath, ["scripts/compress-assets.mjs", dir]).toString();
    expect(out).toMatch(/\[build\] 1 assets compressed/); // only stale.js, made older above
  });

  test("a copy older than its file is not served: the file is compressed as sent instead", async () => {
    const res = await request(`${url}/stale.js`, { "accept-encoding": "br" });
    expect(res.status).toBe(200);
    expect(res.headers["content-encoding"]).toBe("br");
    expect(brotliDecompressSync(res.body).toString()).toBe("console.log('stale');".repeat(100));
    expect(res.body.equals(readFileSync(path.join(dir, "stale.js.br")))).toBe(false);
  });

  test("a copy without its file is never served", async () => {
    const res = await request(`${url}/orphan.js`, { "accept-encoding": "br" });
    expect(res.status).toBe(404);
  });

  test("POST does not get the copy", async () => {
    const res = await request(`${url}/fresh.js`, { "accept-encoding": "br" }, "POST");
    expect(res.status).toBe(404);
  });
});
