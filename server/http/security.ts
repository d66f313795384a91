import type { RequestHandler } from "express";
import type { Env } from "../env.js";

/**
 * Baseline headers, plus a same-origin check on every mutating request: the session cookie is
 * SameSite=Lax, and a POST whose Origin names another site is refused outright.
 */
export function securityMiddleware(env: Env): RequestHandler {
  return (req, res, next) => {
    res.setHeader("X-Content-Type-Options", "nosniff");
    res.setHeader("Referrer-Policy", "same-origin");
    res.setHeader("X-Frame-Options", "DENY");
    if (env.NODE_ENV === "production" && req.secure) {
      res.setHeader("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
    }
    if (!["GET", "HEAD", "OPTIONS"].includes(req.method)) {
      const origin = req.get("origin");
      if (origin && origin !== "null") {
        let host = "";
        try {
          host = new URL(origin).host;
        } catch {
          /* malformed Origin is treated as foreign */
        }
        if (host !== req.get("host")) {
          res.status(403).type("text/plain").send("Cross-site request refused.");
          return;
        }
      }
    }
    next();
  };
}
