import type { AppLoadContext } from "@remix-run/node";
import { MaxPartSizeExceededError, unstable_createMemoryUploadHandler, unstable_parseMultipartFormData } from "@remix-run/node";
import { describeBytes, isPayloadTooLarge, PayloadTooLargeError } from "../../server/http/request-body.js";

/**
 * The one way an action reads its request body. Call it after the route has checked that the
 * person may do what the form asks (an upload route before raising its limit): the body is
 * streamed from the socket with a hard byte limit and reading stops at the limit. Problems come
 * back as thrown Responses the error page explains — 413 too large, 415 not a form, 400 a
 * form that cannot be read — never as a 500.
 */
export interface ReadFormOptions {
  /** Largest body accepted; by default the server-wide BODY_MAX_BYTES. */
  maxBytes?: number;
  /** Largest single file in a multipart form; by default maxBytes. */
  maxFileBytes?: number;
  /** What the 413 says, e.g. "Photos must be 2 MB or smaller." */
  tooLargeMessage?: string;
}

const MULTIPART_OVERHEAD = 64 * 1024;

export const bodyError = (status: number, message: string) =>
  new Response(message, { status, statusText: status === 413 ? "Too large" : status === 415 ? "Unsupported form" : "Bad request", headers: { "Content-Type": "text/plain; charset=utf-8" } });

/** A thrown readForm refusal for a body over the limit (routes that explain it on the page catch it). */
export function isTooLargeResponse(e: unknown): e is Response {
  return e instanceof Response && e.status === 413;
}

/** Bytes of the body stream, failing with PayloadTooLargeError past `limit`. */
function capped(body: ReadableStream<Uint8Array>, limit: number): ReadableStream<Uint8Array> {
  let seen = 0;
  return body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        seen += chunk.byteLength;
        if (seen > limit) controller.error(new PayloadTooLargeError(limit));
        else controller.enqueue(chunk);
      },
    }),
  );
}

export async function readForm(request: Request, context: AppLoadContext, opts: ReadFormOptions = {}): Promise<FormData> {
  const serverMax = context.env.BODY_MAX_BYTES;
  const fileMax = opts.maxFileBytes;
  const limit = opts.maxBytes ?? (fileMax !== undefined ? fileMax + MULTIPART_OVERHEAD : serverMax);
  const tooLarge = opts.tooLargeMessage ?? `The form is larger than ${describeBytes(limit)}.`;
  // The server reads no more than this route allows (server/http/remix-handler.ts).
  context.body?.allow(limit);
  const type = (request.headers.get("content-type") ?? "").toLowerCase();
  const declared = Number(request.headers.get("content-length") ?? NaN);
  if (Number.isFinite(declared) && declared > limit) throw bodyError(413, tooLarge);
  if (!request.body) return new FormData();
  try {
    if (type.startsWith("multipart/form-data")) {
      const limited = new Request(request.url, { method: request.method, headers: request.headers, body: capped(request.body, limit), duplex: "half" } as RequestInit);
      return await unstable_parseMultipartFormData(limited, unstable_createMemoryUploadHandler({ maxPartSize: fileMax ?? limit }));
    }
    if (type.startsWith("application/x-www-form-urlencoded")) {
      const text = await new Response(capped(request.body, limit)).text();
      const form = new FormData();
      for (const [k, v] of new URLSearchParams(text)) form.append(k, v);
      return form;
    }
  } catch (e) {
    if (isPayloadTooLarge(e) || e instanceof MaxPartSizeExceededError) throw bodyError(413, tooLarge);
    if (e instanceof Response) throw e;
    throw bodyError(400, "The form could not be read: it is not well-formed.");
  }
  // Nothing read yet: an empty body of no stated type is an empty form.
  if (!type) {
    const rest = await new Response(capped(request.body, 0)).arrayBuffer().catch(() => null);
    if (rest && rest.byteLength === 0) return new FormData();
  }
  throw bodyError(415, "Send the form as application/x-www-form-urlencoded or multipart/form-data.");
}
