/**
 * Benchmark child: the reference y-websocket server (@y/websocket-server's setupWSConnection, the
 * same code as its bundled server, in memory — no persistence), controlled over IPC like atrium.ts.
 */
import { createServer } from "node:http";
import { createRequire } from "node:module";
import { getYDoc, setupWSConnection } from "@y/websocket-server/utils";
import * as Y from "yjs";

const require = createRequire(import.meta.url);
// `ws` is the WebSocket server @y/websocket-server itself is built on.
const WebSocket = require("ws") as { Server: new (o: object) => { on(e: string, f: (...a: unknown[]) => void): void; handleUpgrade(...a: unknown[]): void; emit(...a: unknown[]): void } };
const wss = new WebSocket.Server({ noServer: true });
wss.on("connection", setupWSConnection as never);
const http = createServer((_q, r) => r.end("ok"));
http.on("upgrade", (req, socket, head) => wss.handleUpgrade(req, socket, head, (ws: unknown) => wss.emit("connection", ws, req)));
http.listen(0, "127.0.0.1", () => {
  const port = (http.address() as { port: number }).port;
  process.send!({ ready: true, url: `ws://127.0.0.1:${port}` });
});
process.on("message", (m: { seed?: { state?: number[] }; cpu?: boolean; stop?: boolean }) => {
  if (m.cpu) {
    const u = process.cpuUsage();
    return process.send!({ cpu: u.user + u.system });
  }
  if (m.stop) process.exit(0);
  if (m.seed) {
    const docId = `bench-${Date.now()}`;
    if (m.seed.state) Y.applyUpdate(getYDoc(docId) as unknown as Y.Doc, new Uint8Array(m.seed.state));
    process.send!({ docId, cookies: [] });
  }
});
