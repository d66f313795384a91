/**
 * Writes a brotli copy (quality 11) beside each JavaScript and CSS file of public/build, which the
 * server sends to browsers that accept brotli (server/http/precompressed.ts). Run by `npm run build`
 * after `remix build`; a copy is rewritten only when its file is newer.
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { brotliCompressSync, constants } from "node:zlib";

const root = path.resolve(process.argv[2] ?? "public/build");
const started = Date.now();
let written = 0;
let before = 0;
let after = 0;
for (const relative of readdirSync(root, { recursive: true, encoding: "utf8" })) {
  if (!/\.(js|css)$/.test(relative)) continue;
  const full = path.join(root, relative);
  const copy = `${full}.br`;
  const stale = (() => {
    try {
      return statSync(copy).mtimeMs < statSync(full).mtimeMs;
    } catch {
      return true;
    }
  })();
  if (!stale) continue;
  const body = readFileSync(full);
  const br = brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT, [constants.BROTLI_PARAM_SIZE_HINT]: body.length } });
  writeFileSync(copy, br);
  written++;
  before += body.length;
  after += br.length;
}
console.log(`[build] ${written} assets compressed with brotli (${Math.round(before / 1024)} KB → ${Math.round(after / 1024)} KB) in ${Date.now() - started} ms`);
