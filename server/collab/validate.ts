/**
 * Checks on bytes that claim to be a Yjs update or an awareness update, before anything is
 * applied, logged or relayed. A refusal carries a reason that is logged and sent back.
 */
import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import * as Y from "yjs";

export type RefusalReason =
  | "too-large"
  | "malformed"
  | "foreign-type"
  | "read-only"
  | "not-joined"
  | "apply-failed"
  | "unknown-message"
  | "not-yours"
  | "unavailable";

export class Refusal extends Error {
  constructor(
    readonly reason: RefusalReason,
    readonly detail = "",
  ) {
    super(detail ? `${reason}: ${detail}` : reason);
  }
}

/** The one shared type an Atrium document uses: Lexical's root XmlText. */
export const ALLOWED_ROOTS = new Set(["root"]);

/** Normalises what Socket.io hands over (Buffer in Node, ArrayBuffer in browsers). */
export function asBytes(x: unknown): Uint8Array | null {
  if (x instanceof Uint8Array) return x;
  if (x instanceof ArrayBuffer) return new Uint8Array(x);
  return null;
}

/**
 * Parses the whole update (lib0 throws on truncated or inconsistent input) and refuses one that
 * creates a top-level shared type other than the document root. Returns false for an update that
 * carries nothing (a client's empty sync reply).
 */
export function checkUpdate(update: Uint8Array, maxBytes: number): boolean {
  if (update.byteLength > maxBytes) throw new Refusal("too-large", `${update.byteLength} bytes > ${maxBytes}`);
  let decoded: { structs: unknown[]; ds: { clients: Map<number, unknown[]> } };
  try {
    decoded = Y.decodeUpdate(update) as never;
  } catch (err) {
    throw new Refusal("malformed", (err as Error).message);
  }
  for (const s of decoded.structs) {
    if (s instanceof Y.Item && typeof s.parent === "string" && !ALLOWED_ROOTS.has(s.parent)) {
      throw new Refusal("foreign-type", `top-level type "${s.parent}"`);
    }
  }
  return decoded.structs.length > 0 || decoded.ds.clients.size > 0;
}

export interface AwarenessEntry {
  clientID: number;
  clock: number;
  state: Record<string, unknown> | null;
}

/** Decodes an awareness update (y-protocols format) fully, or throws a Refusal. */
export function decodeAwareness(update: Uint8Array, maxBytes: number): AwarenessEntry[] {
  if (update.byteLength > maxBytes) throw new Refusal("too-large", `${update.byteLength} bytes > ${maxBytes}`);
  try {
    const d = decoding.createDecoder(update);
    const n = decoding.readVarUint(d);
    if (n > 1000) throw new Error(`${n} entries`);
    const out: AwarenessEntry[] = [];
    for (let i = 0; i < n; i++) {
      const clientID = decoding.readVarUint(d);
      const clock = decoding.readVarUint(d);
      const state = JSON.parse(decoding.readVarString(d)) as unknown;
      if (state !== null && (typeof state !== "object" || Array.isArray(state))) throw new Error("state is not an object");
      out.push({ clientID, clock, state: state as Record<string, unknown> | null });
    }
    if (decoding.hasContent(d)) throw new Error("trailing bytes");
    return out;
  } catch (err) {
    if (err instanceof Refusal) throw err;
    throw new Refusal("malformed", (err as Error).message);
  }
}

export function encodeAwareness(entries: AwarenessEntry[]): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, entries.length);
  for (const x of entries) {
    encoding.writeVarUint(e, x.clientID);
    encoding.writeVarUint(e, x.clock);
    encoding.writeVarString(e, JSON.stringify(x.state));
  }
  return encoding.toUint8Array(e);
}
