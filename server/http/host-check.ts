import type { RequestHandler } from "express";

/** A DNS name (letters, digits, '-', '_', '.') or a bracketed IPv6 literal, with an optional port. */
const HOST = /^(?:[A-Za-z0-9_](?:[A-Za-z0-9_.-]{0,252})|\[[0-9A-Fa-f:.]{2,45}\])(?::\d{1,5})?$/;

export function isWellFormedHost(value: string | undefined): boolean {
  return value !== undefined && value.length <= 260 && HOST.test(value);
}

/**
 * Refuses a request whose Host (or, from a trusted proxy, X-Forwarded-Host) is not a host name:
 * every absolute URL the app builds starts from it, so a malformed one answers 400 here instead
 * of failing somewhere later.
 */
export function hostCheck(): RequestHandler {
  return (req, res, next) => {
    const host = req.headers.host;
    // Express takes the host from X-Forwarded-Host only when the proxy is trusted (req.hostname).
    const trust = req.app.get("trust proxy fn") as (addr: string | undefined, i: number) => boolean;
    const xfh = req.get("x-forwarded-host");
    const forwarded = xfh && trust(req.socket.remoteAddress, 0) ? xfh.split(",")[0]!.trim() : null;
    if (isWellFormedHost(host) && (forwarded === null || isWellFormedHost(forwarded))) return next();
    const message = "The Host header is missing or malformed.";
    res.setHeader("Connection", "close");
    if (req.originalUrl.startsWith("/api/")) res.status(400).type("application/json").send(JSON.stringify({ error: { code: "bad_host", message } }));
    else res.status(400).type("text/plain; charset=utf-8").send(message);
  };
}
