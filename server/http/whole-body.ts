/**
 * A page rendered whole travels from app/entry.server.tsx to server/http/remix-handler.ts beside its
 * Response rather than inside it: a fetch Response wraps any body in a web ReadableStream, which the
 * handler then reads back into a new buffer — per page, a stream, a reader and a copy of the
 * document for nothing. The two sides are separate bundles, so the key is a registered symbol.
 */
const WHOLE_BODY = Symbol.for("atrium.wholeBody");

type WithWholeBody = Response & { [WHOLE_BODY]?: Uint8Array };

/** A Response without a stream body, carrying `body` for the server to write as it is. */
export function responseWithWholeBody(body: Uint8Array, init: { headers: Headers; status: number }): Response {
  init.headers.set("Content-Length", String(body.byteLength));
  const response: WithWholeBody = new Response(null, init);
  response[WHOLE_BODY] = body;
  return response;
}

/** The body handed over by responseWithWholeBody, if this response carries one. */
export function wholeBodyOf(response: Response): Uint8Array | undefined {
  return (response as WithWholeBody)[WHOLE_BODY];
}
