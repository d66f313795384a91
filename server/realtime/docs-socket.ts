/**
 * Yjs sync and awareness over the existing Socket.io connection (no second socket, no namespace
 * per document). Rooms are `doc:<id>`. Joining re-checks the policy; a viewer's updates are
 * dropped here; any change of access (shares, visibility, trash, team or department moves,
 * deactivation) re-checks every socket in the affected rooms at once.
 *
 * Messages are y-protocols sync messages (step 1 / step 2 / update) and awareness updates. The
 * server answers a client's step 1 with step 2 and its own step 1, so a client that was offline
 * sends back exactly what the server is missing (state vectors), and acknowledges every update
 * once it is durably logged (decision 040).
 */
import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import * as Y from "yjs";
import type { DocAck, DocRoleName } from "../../app/realtime/events.js";
import { fromWire, toWire, wireSize } from "../../app/realtime/doc-wire.js";
import { Refusal } from "../collab/validate.js";
import type { Ctx } from "../domain/context.js";
import type { Domain } from "../domain/index.js";
import type { AtriumIo } from "./socket-server.js";

export const docRoom = (docId: string) => `doc:${docId}`;

const SYNC_STEP1 = 0;
const SYNC_STEP2 = 1;
const SYNC_UPDATE = 2;

export function encodeSync(type: number, payload: Uint8Array): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, type);
  encoding.writeVarUint8Array(e, payload);
  return encoding.toUint8Array(e);
}

const DOC_ID = /^[a-z0-9]{1,40}$/i;

interface Joined {
  role: DocRoleName;
}

export function attachDocs(io: AtriumIo, ctx: Ctx, domain: Domain): void {
  const { collab } = ctx;
  /** socket id → documents it has joined, with the role decided at the last check. */
  const joinedBy = new Map<string, Map<string, Joined>>();
  /** Bumped on every access change, so a join that raced a revocation checks again. */
  const docEpoch = new Map<string, number>();
  const userEpoch = new Map<string, number>();
  const epochOf = (docId: string, userId: string) => `${docEpoch.get(docId) ?? 0}:${userEpoch.get(userId) ?? 0}`;

  collab.onRelay = (docId, update, origin) => {
    // Encoded once for the whole room. This instance's sockets only: other instances apply the
    // update to their own room and relay it to theirs (decision 129).
    const msg = toWire(encodeSync(SYNC_UPDATE, update));
    (origin.socketId ? io.local.to(docRoom(docId)).except(origin.socketId) : io.local.to(docRoom(docId))).emit("doc.sync", docId, msg);
  };
  collab.onAwareness = (docId, update, except) => {
    (except ? io.to(docRoom(docId)).except(except) : io.to(docRoom(docId))).emit("doc.awareness", docId, toWire(update));
  };

  const access = async (userId: string, docId: string) => {
    for (let attempt = 0; attempt < 5; attempt++) {
      const before = epochOf(docId, userId);
      const a = await domain.docs.accessForUser(userId, docId);
      if (epochOf(docId, userId) === before) return a;
    }
    return { role: "none" as const, name: "" };
  };

  io.on("connection", (socket) => {
    const { userId } = socket.data;
    const joined = new Map<string, Joined>();
    joinedBy.set(socket.id, joined);

    const refuse = (docId: string, reason: Refusal["reason"], detail: string, reply?: (r: DocAck) => void) => {
      const r = collab.noteRefusal(docId, reason, detail, { userId, socketId: socket.id });
      socket.emit("doc.refused", docId, r.reason);
      reply?.({ ok: false, reason: r.reason });
    };

    socket.on("doc.join", async (docId, ack) => {
      if (typeof ack !== "function") return;
      if (typeof docId !== "string" || !DOC_ID.test(docId)) return ack({ ok: false, error: "invalid" });
      try {
        const { role, name } = await access(userId, docId);
        if (role === "none" || !socket.connected) return ack({ ok: false, error: "forbidden" });
        joined.set(docId, { role });
        await socket.join(docRoom(docId));
        await collab.open(docId);
        collab.join(docId, { key: socket.id, userId, name });
        ack({ ok: true, role });
        const aw = collab.awarenessSnapshot(docId);
        if (aw) socket.emit("doc.awareness", docId, toWire(aw));
      } catch (err) {
        console.error(`[collab] join of doc ${docId} failed`, err);
        ack({ ok: false, error: "invalid" });
      }
    });

    const leave = (docId: string) => {
      if (!joined.delete(docId)) return;
      void socket.leave(docRoom(docId));
      collab.leave(docId, socket.id);
    };
    socket.on("doc.leave", (docId) => {
      if (typeof docId === "string") leave(docId);
    });

    socket.on("doc.sync", async (docId, raw, ack) => {
      const reply = typeof ack === "function" ? ack : undefined;
      if (typeof docId !== "string") return reply?.({ ok: false, reason: "not-joined" });
      const j = joined.get(docId);
      if (!j) return refuse(docId, "not-joined", "sync message for a document this socket has not joined", reply);
      if (wireSize(raw) > ctx.env.DOC_MAX_UPDATE_BYTES + 16) return refuse(docId, "too-large", `${wireSize(raw)} bytes`, reply);
      const bytes = fromWire(raw);
      if (!bytes) return refuse(docId, "malformed", "sync message is neither binary nor base64", reply);
      let type: number;
      let payload: Uint8Array;
      try {
        const d = decoding.createDecoder(bytes);
        type = decoding.readVarUint(d);
        payload = decoding.readVarUint8Array(d);
      } catch (err) {
        return refuse(docId, "malformed", (err as Error).message, reply);
      }
      if (!collab.isOpen(docId)) {
        try {
          await collab.open(docId);
        } catch (err) {
          return refuse(docId, "unavailable", `document not loaded: ${(err as Error).message}`, reply);
        }
      }
      if (type === SYNC_STEP1) {
        let diff: Uint8Array;
        try {
          // A malformed state vector makes Yjs throw here.
          Y.decodeStateVector(payload);
          diff = collab.diff(docId, payload);
        } catch (err) {
          return refuse(docId, "malformed", `state vector: ${(err as Error).message}`, reply);
        }
        socket.emit("doc.sync", docId, toWire(encodeSync(SYNC_STEP2, diff)));
        // Ask for what the client has and we lack (edits made while it was offline).
        socket.emit("doc.sync", docId, toWire(encodeSync(SYNC_STEP1, collab.stateVector(docId))));
        return reply?.({ ok: true });
      }
      if (type !== SYNC_STEP2 && type !== SYNC_UPDATE) return refuse(docId, "unknown-message", `sync type ${type}`, reply);
      if (j.role === "viewer") {
        // A viewer's reply to our step 1 repeats deletions we know and adds nothing: fine, and
        // nothing of it is applied. Any new content is an edit attempt.
        const harmless = type === SYNC_STEP2 ? !collab.addsContent(docId, payload) : isEmptyUpdate(payload);
        if (harmless) return reply?.({ ok: true });
        return refuse(docId, "read-only", "update from a viewer dropped", reply);
      }
      try {
        await collab.submit(docId, payload, { userId, socketId: socket.id });
        reply?.({ ok: true });
      } catch (err) {
        const r = err instanceof Refusal ? err : new Refusal("unavailable", (err as Error).message);
        socket.emit("doc.refused", docId, r.reason);
        reply?.({ ok: false, reason: r.reason });
      }
    });

    socket.on("doc.awareness", (docId, raw) => {
      if (typeof docId !== "string") return;
      if (!joined.has(docId)) return refuse(docId, "not-joined", "awareness for a document this socket has not joined");
      if (wireSize(raw) > 64 * 1024) return refuse(docId, "too-large", `awareness of ${wireSize(raw)} bytes`);
      const bytes = fromWire(raw);
      if (!bytes) return refuse(docId, "malformed", "awareness is neither binary nor base64");
      try {
        const update = collab.awarenessFrom(docId, socket.id, bytes);
        io.to(docRoom(docId)).except(socket.id).emit("doc.awareness", docId, update);
      } catch (err) {
        const r = err instanceof Refusal ? err : new Refusal("malformed", (err as Error).message);
        refuse(docId, r.reason, r.detail);
      }
    });

    socket.on("disconnect", () => {
      for (const docId of [...joined.keys()]) leave(docId);
      joinedBy.delete(socket.id);
    });
  });

  /** Re-decides the role of every socket in the given documents' rooms (optionally: of one user). */
  const recheck = async (docIds: string[], onlyUser?: string) => {
    for (const docId of docIds) {
      const sockets = await io.local.in(docRoom(docId)).fetchSockets();
      for (const s of sockets) {
        const uid = s.data.userId;
        if (onlyUser && uid !== onlyUser) continue;
        const joined = joinedBy.get(s.id);
        const j = joined?.get(docId);
        if (!joined || !j) continue;
        const { role } = await domain.docs.accessForUser(uid, docId);
        if (role === "none") {
          joined.delete(docId);
          s.leave(docRoom(docId));
          collab.leave(docId, s.id);
          s.emit("doc.revoked", docId);
        } else if (role !== j.role) {
          j.role = role;
          s.emit("doc.role", docId, role);
        }
      }
    }
  };

  ctx.bus.subscribe("doc.access.changed", async ({ docIds }) => {
    for (const id of docIds) docEpoch.set(id, (docEpoch.get(id) ?? 0) + 1);
    await recheck(docIds);
  });
  // Team, department or role changes, and deactivation, can change a person's access anywhere.
  const recheckUser = async ({ userId }: { userId: string }) => {
    userEpoch.set(userId, (userEpoch.get(userId) ?? 0) + 1);
    const docIds = new Set<string>();
    for (const s of await io.local.in(`user:${userId}`).fetchSockets()) for (const id of joinedBy.get(s.id)?.keys() ?? []) docIds.add(id);
    await recheck([...docIds], userId);
  };
  ctx.bus.subscribe("person.updated", recheckUser);
  ctx.bus.subscribe("person.deactivated", recheckUser);

  ctx.bus.subscribe("doc.updated", (p) => void io.local.to(docRoom(p.docId)).emit("doc.updated", p));
  ctx.bus.subscribe("doc.comment", (p) => void io.local.to(docRoom(p.docId)).emit("doc.comment", p));
}

function isEmptyUpdate(update: Uint8Array): boolean {
  try {
    const { structs, ds } = Y.decodeUpdate(update) as unknown as { structs: unknown[]; ds: { clients: Map<number, unknown> } };
    return structs.length === 0 && ds.clients.size === 0;
  } catch {
    return false;
  }
}
