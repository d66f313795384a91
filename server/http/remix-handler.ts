/**
 * Express → Remix, as @remix-run/express does it, with one difference: the request body reaches
 * Remix through a BodyAllowance (server/http/request-body.ts). Nothing is read until a route
 * reads it, and never more than the route allows; a body over the limit answers 413 even when
 * the route did not expect it.
 */
import type { IncomingMessage } from "node:http";
import { createRequestHandler as createRemixHandler, writeReadableStreamToWritable, type AppLoadContext, type ServerBuild } from "@remix-run/node";
import type { Request as ExpressRequest, RequestHandler, Response as ExpressResponse } from "express";
import { BodyAllowance, describeBytes, limitedBodyStream } from "./request-body.js";
import { rememberRouteMatches } from "./route-matches.js";
import { wholeBodyOf } from "./whole-body.js";

export interface RemixHandlerOptions {
  build: ServerBuild;
  mode: string;
  /** Default body limit for every request; upload routes raise it for themselves. */
  bodyLimit: number;
  getLoadContext: (req: ExpressRequest, res: ExpressResponse, body: BodyAllowance) => AppLoadContext;
}

function createRemixHeaders(requestHeaders: ExpressRequest["headers"]): Headers {
  const headers = new Headers();
  for (const [key, values] of Object.entries(requestHeaders)) {
    if (!values) continue;
    if (Array.isArray(values)) for (const v of values) headers.append(key, v);
    else headers.set(key, values);
  }
  return headers;
}

/**
 * A body of known length up to this size is read whole and written once: the compressor then
 * works on it in one pass, where a stream would be compressed and flushed chunk by chunk.
 */
const WHOLE_BODY_MAX_BYTES = 1024 * 1024;

async function sendRemixResponse(res: ExpressResponse, response: Response) {
  res.statusMessage = response.statusText;
  res.status(response.status);
  for (const [key, value] of response.headers.entries()) res.append(key, value);
  if (response.headers.get("Content-Type")?.match(/text\/event-stream/i)) res.flushHeaders();
  const whole = wholeBodyOf(response);
  if (whole) return void res.end(whole);
  const length = Number(response.headers.get("Content-Length") ?? Number.NaN);
  if (!response.body) res.end();
  else if (length <= WHOLE_BODY_MAX_BYTES) res.end(Buffer.from(await response.arrayBuffer()));
  else await writeReadableStreamToWritable(response.body, res);
}

function toFetchRequest(req: ExpressRequest, res: ExpressResponse, body: BodyAllowance): Request {
  // req.hostname has no port (and respects "trust proxy"): take it from X-Forwarded-Host or Host.
  const portOf = (h: string | undefined) => {
    const n = Number.parseInt(h?.split(":")[1] ?? "", 10);
    return Number.isSafeInteger(n) ? n : null;
  };
  const port = portOf(req.get("x-forwarded-host")) ?? portOf(req.get("host"));
  const url = new URL(`${req.protocol}://${req.hostname}${port ? `:${port}` : ""}${req.originalUrl}`);
  let controller: AbortController | null = new AbortController();
  const init: RequestInit & { duplex?: "half" } = { method: req.method, headers: createRemixHeaders(req.headers), signal: controller.signal };
  if (req.method !== "GET" && req.method !== "HEAD") {
    init.body = limitedBodyStream(req as IncomingMessage, body);
    init.duplex = "half";
  }
  // Abort loaders/actions when the response can no longer be written.
  res.on("finish", () => (controller = null));
  res.on("close", () => controller?.abort());
  return new Request(url.href, init);
}

/** The answer when a route did not handle an oversized body itself. */
export function sendTooLarge(req: ExpressRequest, res: ExpressResponse, limit: number) {
  const message = `The request is larger than ${describeBytes(limit)}, the most this page accepts.`;
  res.setHeader("Connection", "close");
  if (req.path.startsWith("/api/")) {
    res.status(413).type("application/json").send(JSON.stringify({ error: { code: "payload_too_large", message } }));
  } else {
    res.status(413).type("text/html; charset=utf-8").send(
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Too large · Atrium</title></head><body><main><h1>413 Too large</h1><p>${message}</p><p><a href="/">Go to the home page</a></p></main></body></html>`,
    );
  }
}

/**
 * The app reads route data with single fetch (`<path>.data`). Remix still answers the older
 * `?_data=<route id>` form, whose handler fails with a 500 on a loader that returns null; nothing
 * of ours asks for it, so it is refused before Remix sees it (encoded as `%5Fdata` too).
 */
export function asksForLegacyData(url: string): boolean {
  const q = url.indexOf("?");
  // Parsed only when the query could name it ("_data" or "%5Fdata" both contain "data").
  return q >= 0 && url.includes("data", q) && new URLSearchParams(url.slice(q)).has("_data");
}

export function remixHandler({ build, mode, bodyLimit, getLoadContext }: RemixHandlerOptions): RequestHandler {
  rememberRouteMatches();
  const handle = createRemixHandler(build, mode);
  return async (req, res, next) => {
    if (asksForLegacyData(req.originalUrl)) {
      res.status(400).type("text/plain").send("This address does not take a _data parameter.");
      return;
    }
    const body = new BodyAllowance(bodyLimit);
    try {
      const request = toFetchRequest(req, res, body);
      const response = await handle(request, getLoadContext(req, res, body));
      // A body left unread on the socket cannot be followed by another request on it.
      if (!req.complete) res.setHeader("Connection", "close");
      // A route that read past its limit without handling it: 413, not its 500.
      if (body.exceeded && response.status >= 500) return sendTooLarge(req, res, body.limit);
      await sendRemixResponse(res, response);
    } catch (error) {
      if (body.exceeded && !res.headersSent) return sendTooLarge(req, res, body.limit);
      next(error);
    }
  };
}
