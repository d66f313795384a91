/**
 * Headless Yjs clients for integration tests and benchmarks: a socket.io-client connection with
 * a session cookie, a Y.Doc and the same SocketDocProvider the browser editor uses.
 */
import * as Y from "yjs";
import { SocketDocProvider } from "../../../app/realtime/doc-provider.js";
import { clientFor, sleep, type TestSocket } from "../../helpers/server-socket.js";

export interface YClient {
  socket: TestSocket;
  doc: Y.Doc;
  provider: SocketDocProvider;
  text(): string;
  /** Inserts at the end of the root (raw Yjs, no Lexical: the server does not care). */
  type(s: string): void;
  close(): void;
}

export async function yClient(url: string, cookie: string, docId: string, opts: { waitSynced?: boolean } = {}): Promise<YClient> {
  const socket = clientFor(url, cookie);
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", () => resolve());
    socket.once("connect_error", reject);
  });
  const doc = new Y.Doc();
  const provider = new SocketDocProvider(socket, docId, doc);
  const root = doc.get("root", Y.XmlText);
  provider.connect();
  if (opts.waitSynced !== false) await until(() => provider.synced, `client synced on ${docId}`);
  return {
    socket,
    doc,
    provider,
    text: () => root.toString(),
    type: (s) => root.insert(root.length, s),
    close: () => {
      provider.destroy();
      socket.disconnect();
    },
  };
}

export async function until(cond: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!cond()) {
    if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(5);
  }
}

/** Resolves when every client's document has the same content as the first. */
export function converged(clients: YClient[], timeoutMs = 5_000) {
  return until(() => clients.every((c) => c.text() === clients[0]!.text()), "clients to converge", timeoutMs);
}
