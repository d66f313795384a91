/**
 * How Yjs messages travel inside Socket.io events. Socket.io sends a binary payload as two
 * WebSocket frames (a JSON header, then the bytes); the small messages of live typing go as one
 * base64 text frame instead, which halves the frames the server writes per recipient (measured
 * in bench/docs-coedit.ts). Large messages (first sync of a big document) stay binary.
 */
import { fromBase64, toBase64 } from "lib0/buffer";

export type WireBytes = Uint8Array | string;

export const INLINE_MAX_BYTES = 32 * 1024;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

export function toWire(bytes: Uint8Array): WireBytes {
  return bytes.byteLength <= INLINE_MAX_BYTES ? toBase64(bytes) : bytes;
}

/** The bytes of a wire value, or null if it is neither valid base64 nor binary. */
export function fromWire(x: unknown): Uint8Array | null {
  if (typeof x === "string") return BASE64.test(x) && x.length % 4 === 0 ? fromBase64(x) : null;
  if (x instanceof Uint8Array) return x;
  if (x instanceof ArrayBuffer) return new Uint8Array(x);
  return null;
}

/** Size in bytes a wire value decodes to, without decoding it. */
export function wireSize(x: unknown): number {
  if (typeof x === "string") return Math.floor((x.length * 3) / 4);
  if (x instanceof Uint8Array || x instanceof ArrayBuffer) return x.byteLength;
  return 0;
}
