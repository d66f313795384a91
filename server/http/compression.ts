import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import { constants } from "node:zlib";
import type { CompressionOptions } from "compression";
import type { RequestHandler } from "express";

/**
 * Pages and API answers differ per request, so they are compressed as they are sent: brotli at
 * quality 2 (gzip level 3 for browsers without brotli). On a 70 KB page that is about half the CPU of
 * the middleware's defaults (brotli 4, gzip 6) for a body about 3 % larger (decision 590).
 */
export const DYNAMIC_COMPRESSION: CompressionOptions = { level: 3, brotli: { params: { [constants.BROTLI_PARAM_QUALITY]: 2 } } };

/**
 * Serves the brotli copy that the build wrote beside a static file (`x.js.br`, see
 * scripts/compress-assets.mjs) to a browser that accepts brotli, so the built JavaScript and CSS
 * are sent at the highest quality with no compression work per request. Only files listed when the
 * server starts are served this way, each only while its copy is at least as new as the file;
 * anything else (and a browser without brotli) goes on to the next handler.
 */
export function precompressed(root: string, setHeaders?: (res: Parameters<RequestHandler>[1]) => void): RequestHandler {
  const copies = new Map<string, string>();
  let files: string[] = [];
  try {
    files = readdirSync(root, { recursive: true, encoding: "utf8" });
  } catch {
    // No build folder yet: nothing is precompressed.
  }
  for (const relative of files) {
    if (!relative.endsWith(".br")) continue;
    const copy = path.join(root, relative);
    try {
      if (statSync(copy).mtimeMs >= statSync(copy.slice(0, -3)).mtimeMs) copies.set("/" + relative.slice(0, -3).split(path.sep).join("/"), copy);
    } catch {
      // A copy without its original is not served.
    }
  }
  return (req, res, next) => {
    if (req.method !== "GET" && req.method !== "HEAD") return next();
    const copy = copies.get(req.path);
    if (!copy) return next();
    res.vary("Accept-Encoding");
    if (req.acceptsEncodings("br", "identity") !== "br") return next();
    res.setHeader("Content-Encoding", "br");
    res.type(path.extname(req.path));
    setHeaders?.(res);
    res.sendFile(copy, { dotfiles: "deny" }, (err) => {
      if (err && !res.headersSent) {
        res.removeHeader("Content-Encoding");
        next();
      }
    });
  };
}
