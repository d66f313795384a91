import { randomBytes } from "node:crypto";
import type { RequestHandler } from "express";
import type { Env } from "../env.js";

/**
 * The Content-Security-Policy the app runs under (decision 055). Scripts: only our own files and
 * inline scripts carrying this request's nonce (Remix's hydration scripts get it through
 * getLoadContext → entry.server → <Scripts nonce>). Style attributes stay allowed (React style
 * props, editors); style elements and sheets must be our own.
 */
export function contentSecurityPolicy(nonce: string, appUrl: string): string {
  // Socket.io's WebSocket to this app. The configured origin (APP_URL), never the request's Host
  // header: a forged Host must not widen where the page may connect.
  const { host } = new URL(appUrl);
  const sockets = ` ws://${host} wss://${host}`;
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}'`,
    "style-src 'self'",
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    `connect-src 'self'${sockets}`,
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

const SAFE_METHODS = ["GET", "HEAD", "OPTIONS"];

/**
 * Baseline headers, the CSP with a fresh nonce per request, HSTS behind HTTPS, and cross-site
 * request forgery protection for every mutating request (decision 055): the session cookie is
 * SameSite=Lax, a POST whose Origin names another host is refused, and so is one that the browser
 * labels cross-site or same-site (another subdomain) through Fetch Metadata.
 */
export function securityMiddleware(env: Env): RequestHandler {
  return (req, res, next) => {
    const nonce = randomBytes(16).toString("base64");
    res.locals.cspNonce = nonce;
    res.setHeader("Content-Security-Policy", contentSecurityPolicy(nonce, env.APP_URL));
    res.setHeader("X-Content-Type-Options", "nosniff");
    res.setHeader("Referrer-Policy", "same-origin");
    res.setHeader("X-Frame-Options", "DENY");
    res.setHeader("Cross-Origin-Opener-Policy", "same-origin");
    res.setHeader("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()");
    // req.secure is true for HTTPS, or behind a TRUST_PROXY hop that says X-Forwarded-Proto: https.
    if (env.NODE_ENV === "production" && req.secure) {
      res.setHeader("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
    }
    if (!SAFE_METHODS.includes(req.method)) {
      const site = req.get("sec-fetch-site");
      if (site === "cross-site" || site === "same-site") {
        res.status(403).type("text/plain").send("Cross-site request refused.");
        return;
      }
      const origin = req.get("origin");
      if (origin) {
        // "null" (a sandboxed frame, a cross-site redirect chain) and malformed values are foreign.
        let host = "";
        try {
          host = origin === "null" ? "" : new URL(origin).host;
        } catch {
          /* foreign */
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
