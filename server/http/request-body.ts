import type { IncomingMessage } from "node:http";

/** Bytes as a person reads them: "2 MB", "512 KB". */
export function describeBytes(n: number): string {
  if (n >= 1024 * 1024) return `${Math.round((n / 1024 / 1024) * 10) / 10} MB`;
  if (n >= 1024) return `${Math.round(n / 1024)} KB`;
  return `${n} bytes`;
}

/** A request body went over what its route accepts; nothing past the limit was read. */
export class PayloadTooLargeError extends Error {
  readonly status = 413;
  readonly code = "payload_too_large";
  constructor(readonly limit: number, message = `The request is larger than ${describeBytes(limit)}.`) {
    super(message);
    this.name = "PayloadTooLargeError";
  }
}

export function isPayloadTooLarge(e: unknown): e is PayloadTooLargeError {
  return !!e && typeof e === "object" && (e as { code?: unknown }).code === "payload_too_large" && (e as { status?: unknown }).status === 413;
}

/**
 * How many bytes of one request's body may be read. Every request starts with the server-wide
 * limit; a route that takes uploads raises it for itself, after it has checked who is asking,
 * and before it reads.
 */
export class BodyAllowance {
  /** Bytes received so far. */
  received = 0;
  /** The body went over the limit (by its declared length or while streaming). */
  exceeded = false;
  constructor(public limit: number) {}
  /** Sets this request's limit (an upload route's own, larger or smaller than the default). */
  allow(limit: number) {
    this.limit = limit;
  }
}

const declaredLength = (req: IncomingMessage) => {
  const v = req.headers["content-length"];
  const n = v === undefined ? NaN : Number(v);
  return Number.isSafeInteger(n) && n >= 0 ? n : null;
};

/**
 * The request body as a web stream that reads from the socket only when pulled, and fails with
 * PayloadTooLargeError as soon as the allowance is passed — by the declared Content-Length before
 * a byte is read, or mid-stream for chunked bodies. It never destroys the request: the client
 * must still receive the 413.
 */
export function limitedBodyStream(req: IncomingMessage, allowance: BodyAllowance): ReadableStream<Uint8Array> {
  let attached = false;
  let done = false;
  let onData: (chunk: Buffer) => void = () => {};
  let onEnd: () => void = () => {};
  let onError: (e: Error) => void = () => {};
  const detach = () => {
    req.off("data", onData);
    req.off("end", onEnd);
    req.off("error", onError);
    req.off("aborted", onAborted);
    req.pause();
  };
  const onAborted = () => onError(new Error("The client aborted the request."));
  return new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (done) return;
        if (!attached) {
          attached = true;
          const declared = declaredLength(req);
          if (declared !== null && declared > allowance.limit) {
            done = true;
            allowance.exceeded = true;
            controller.error(new PayloadTooLargeError(allowance.limit));
            return;
          }
          onData = (chunk) => {
            if (done) return;
            allowance.received += chunk.byteLength;
            if (allowance.received > allowance.limit) {
              done = true;
              allowance.exceeded = true;
              detach();
              controller.error(new PayloadTooLargeError(allowance.limit));
              return;
            }
            controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
            if ((controller.desiredSize ?? 0) <= 0) req.pause();
          };
          onEnd = () => {
            if (done) return;
            done = true;
            detach();
            controller.close();
          };
          onError = (e) => {
            if (done) return;
            done = true;
            detach();
            controller.error(e);
          };
          req.on("data", onData);
          req.once("end", onEnd);
          req.once("error", onError);
          req.once("aborted", onAborted);
        }
        req.resume();
      },
      cancel() {
        done = true;
        detach();
      },
    },
    { highWaterMark: 64 * 1024, size: (chunk) => chunk.byteLength },
  );
}
