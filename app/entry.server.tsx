/**
 * Remix's default Node entry, plus the Content-Security-Policy nonce: every inline script Remix
 * streams (hydration context, route modules, single-fetch data, scroll restoration) carries the
 * per-request nonce that the CSP header allows (decision 055).
 */
import { PassThrough, Writable } from "node:stream";
import type { AppLoadContext, EntryContext, HandleErrorFunction } from "@remix-run/node";
import { createReadableStreamFromReadable } from "@remix-run/node";
import { RemixServer, isRouteErrorResponse } from "@remix-run/react";
import { isbot } from "isbot";
import { renderToPipeableStream } from "react-dom/server";
import { NonceContext } from "~/utils/nonce";
import { readSessionToken } from "../server/http/cookies.js";
import { responseWithWholeBody } from "../server/http/whole-body.js";

const ABORT_DELAY = 5_000;

/**
 * Log real server errors only: a request the browser aborted, and a 404 for a URL no route
 * matches, are expected flows (the 404 page already tells the person), not errors.
 */
export const handleError: HandleErrorFunction = (error, { request }) => {
  if (request.signal.aborted) return;
  // A refused request (an unknown address, a method the route has no action for, an id that is not
  // valid percent-encoding) is the client's error: a stack for each would let anyone flood the log.
  if (isRouteErrorResponse(error) && error.status < 500) return;
  console.error(error);
};

/**
 * Pages and data for a signed-in browser are that person's alone: no shared cache may keep them,
 * and the browser must not keep them either (the back button after signing out on a shared computer).
 */
function markPrivate(request: Request, headers: Headers) {
  if (readSessionToken(request.headers.get("cookie"))) headers.set("Cache-Control", "private, no-store");
}

export function handleDataRequest(response: Response, { request }: { request: Request }) {
  markPrivate(request, response.headers);
  return response;
}

/**
 * Whether a route streams part of its data after the first paint: a loader or action that returned
 * a promise among its fields (rendered through <Await>). Only then is the shell worth sending early.
 */
export function streamsDeferredData(context: EntryContext): boolean {
  const { loaderData, actionData } = context.staticHandlerContext;
  for (const data of [loaderData, actionData]) {
    for (const value of Object.values(data ?? {})) {
      if (!value || typeof value !== "object") continue;
      for (const field of Object.values(value)) if (isThenable(field)) return true;
    }
  }
  return false;
}

const isThenable = (value: unknown) => !!value && typeof (value as { then?: unknown }).then === "function";

export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  const nonce = loadContext.cspNonce ?? "";
  // Bots and SPA mode get the whole document at once; so does a page without deferred data, in one
  // piece: React writes it in 2 KB slices and the compressor would flush and pay per slice. Only a
  // page that defers streams, shell first.
  const bot = isbot(request.headers.get("user-agent") ?? "") || remixContext.isSpaMode;
  const stream = !bot && streamsDeferredData(remixContext);
  return new Promise<Response>((resolve, reject) => {
    let shellRendered = false;
    let finished = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const respond = (body: ReadableStream<Uint8Array> | Uint8Array<ArrayBuffer>) => {
      responseHeaders.set("Content-Type", "text/html");
      markPrivate(request, responseHeaders);
      const init = { headers: responseHeaders, status: responseStatusCode };
      // A whole document goes beside the Response with its length, and the server sends it in one
      // write (server/http/remix-handler.ts); a stream goes in it.
      resolve(body instanceof Uint8Array ? responseWithWholeBody(body, init) : new Response(body, init));
    };
    const { pipe, abort } = renderToPipeableStream(
      <NonceContext.Provider value={nonce}>
        <RemixServer context={remixContext} url={request.url} abortDelay={ABORT_DELAY} nonce={nonce} />
      </NonceContext.Provider>,
      {
        nonce,
        onShellReady() {
          shellRendered = true;
          if (!stream) return;
          const body = new PassThrough();
          respond(createReadableStreamFromReadable(body));
          pipe(body);
        },
        onAllReady() {
          if (stream) return;
          pipe(
            collect((html) => {
              // Complete: nothing left to abort (a pending timer per page would fire later for nothing).
              finished = true;
              clearTimeout(timer);
              respond(html);
            }, reject),
          );
        },
        onShellError(error: unknown) {
          reject(error);
        },
        onError(error: unknown) {
          responseStatusCode = 500;
          if (shellRendered) console.error(error);
        },
      },
    );
    if (!finished) timer = setTimeout(abort, ABORT_DELAY);
  });
}

/** A writable that hands over everything written to it as one buffer once it ends. */
function collect(done: (all: Uint8Array<ArrayBuffer>) => void, fail: (error: Error) => void): Writable {
  const chunks: Buffer[] = [];
  return new Writable({
    // No "close" after it finishes: React takes "close" for a client gone and aborts the finished
    // render, which ends the stream a second time and builds an error no one reads, on every page.
    emitClose: false,
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk);
      callback();
    },
    final(callback) {
      done(Buffer.concat(chunks) as Uint8Array<ArrayBuffer>);
      callback();
    },
    destroy(error, callback) {
      if (error) fail(error);
      callback(error);
    },
  });
}
