/**
 * Bundles the server (server/index.ts and everything it imports from server/ and app/) into one
 * ES module, build/server/index.js, so the production start runs plain `node` with nothing to
 * compile (the entry plus lazily loaded chunks). Packages stay external: node loads them from node_modules as it would anyway.
 * Run by `npm run build` after `remix build` (decision 102). `--outdir DIR` writes it elsewhere
 * (a test that starts its own copy, so it never reads a bundle another test is rewriting).
 */
import { copyFileSync } from "node:fs";
import path from "node:path";
import { build } from "esbuild";

const flag = process.argv.indexOf("--outdir");
const outdir = flag > 0 ? process.argv[flag + 1] : "build/server";
if (!outdir) throw new Error("--outdir needs a folder");

const started = Date.now();
await build({
  entryPoints: ["server/index.ts"],
  outdir,
  // Modules the server imports only when used (the development mail sink, the SMTP client) stay
  // in chunks of their own, so their packages are not loaded at start.
  splitting: true,
  chunkNames: "chunks/[name]-[hash]",
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  packages: "external",
  sourcemap: "linked",
  legalComments: "none",
  logLevel: "warning",
});
// Files a module reads beside itself (new URL("./x", import.meta.url)) travel with it.
copyFileSync("server/insights/sentiment-model.json", path.join(outdir, "sentiment-model.json"));
console.log(`[build] server bundled into ${path.join(outdir, "index.js")} in ${Date.now() - started} ms`);
