/**
 * Co-edit latency, per keystroke: from the moment a client applies it locally until every other
 * client in the document has applied it. bench/docs-coedit.ts (N clients in one document) and the
 * co-edit part of bench/cluster.ts (pairs across instances) both count with it, and open their
 * Atrium editors the same way.
 */
import { performance } from "node:perf_hooks";
import { io } from "socket.io-client";
import * as Y from "yjs";
import { SocketDocProvider, type DocSocket } from "../app/realtime/doc-provider.js";

export interface Client {
  doc: Y.Doc;
  text: Y.XmlText;
  synced: () => boolean;
  close: () => void;
}

/** An editor of `docId` on Atrium: a Socket.io client with the session cookie, syncing through the app's own provider. */
export async function atriumClient(url: string, cookie: string, docId: string): Promise<Client> {
  const socket = io(url, { transports: ["websocket"], extraHeaders: { cookie }, forceNew: true, reconnection: false }) as DocSocket;
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", () => resolve());
    socket.once("connect_error", reject);
  });
  const doc = new Y.Doc();
  const provider = new SocketDocProvider(socket, docId, doc);
  provider.connect();
  return { doc, text: doc.get("root", Y.XmlText), synced: () => provider.synced, close: () => (provider.destroy(), socket.disconnect()) };
}

/** Per keystroke: until every other client has applied it. */
export class Tracker {
  private bySender = new Map<number, { clock: number; t0: number; remaining: number }[]>();
  private seen = new Map<string, number>(); // receiver:sender → index of the first not-yet-seen entry
  latencies: number[] = [];
  measuring = false;
  constructor(private receivers: number) {}

  typed(sender: number, clockAfter: number) {
    if (!this.measuring) return;
    let list = this.bySender.get(sender);
    if (!list) this.bySender.set(sender, (list = []));
    list.push({ clock: clockAfter, t0: performance.now(), remaining: this.receivers });
  }

  received(receiver: number, update: Uint8Array) {
    const now = performance.now();
    for (const [sender, clockEnd] of Y.parseUpdateMeta(update).to) {
      const list = this.bySender.get(sender);
      if (!list) continue;
      const key = `${receiver}:${sender}`;
      let i = this.seen.get(key) ?? 0;
      while (i < list.length && list[i]!.clock <= clockEnd) {
        const e = list[i]!;
        if (--e.remaining === 0) this.latencies.push(now - e.t0);
        i++;
      }
      this.seen.set(key, i);
    }
  }

  pending() {
    let n = 0;
    for (const l of this.bySender.values()) for (const e of l) if (e.remaining > 0) n++;
    return n;
  }
}

export const pct = (xs: number[], p: number) => {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};
