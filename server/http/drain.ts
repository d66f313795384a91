/**
 * Graceful HTTP shutdown without resetting keep-alive clients (decision 091).
 *
 * `http.Server.close()` (Node ≥ 19) and `io.close()` both call `closeIdleConnections()`, which
 * destroys every keep-alive socket without a request *being handled* — including sockets whose
 * next request has already been sent but not yet read because the event loop is busy. Those
 * clients see a reset. Instead, a drain:
 * 1. stops accepting connections (the listening socket closes; open ones stay);
 * 2. answers every request that arrives on an open connection, with `Connection: close`, so the
 *    client's next request goes to a fresh connection (another instance behind the balancer);
 * 3. closes a connection with nothing in flight only after it has been quiet for `quietMs`, and
 *    only from a setImmediate, i.e. after the loop has read whatever had already arrived;
 * 4. after `timeoutMs`, closes whatever is left.
 */
import type { Server as HttpServer } from "node:http";
import { Server as NetServer, type Socket } from "node:net";

interface ConnState {
  active: number;
  quietSince: number;
  /** Handed to an `upgrade` listener: a WebSocket now, closed by Socket.io, not here. */
  upgraded: boolean;
}

export interface DrainOptions {
  quietMs: number;
  timeoutMs: number;
}

export class HttpDrain {
  private conns = new Map<Socket, ConnState>();
  draining = false;
  /** Requests answered while draining (tests and the shutdown log). */
  answeredWhileDraining = 0;

  constructor(private http: HttpServer) {
    http.on("connection", (socket: Socket) => {
      this.conns.set(socket, { active: 0, quietSince: performance.now(), upgraded: false });
      socket.once("close", () => this.conns.delete(socket));
    });
    http.on("upgrade", (req) => {
      const st = this.conns.get(req.socket);
      if (st) st.upgraded = true;
    });
    // First among the request listeners (Express, Socket.io's engine), so the header is set
    // before anyone answers.
    http.prependListener("request", (req, res) => {
      const st = this.conns.get(req.socket);
      if (st) st.active++;
      if (this.draining) {
        res.setHeader("Connection", "close");
        this.answeredWhileDraining++;
      }
      res.once("close", () => {
        if (!st) return;
        st.active--;
        st.quietSince = performance.now();
      });
    });
  }

  get openConnections() {
    return this.conns.size;
  }

  /** Stops accepting; resolves once every connection is closed (or was closed at the deadline). */
  async drain({ quietMs, timeoutMs }: DrainOptions): Promise<void> {
    this.draining = true;
    // net.Server's close, not http.Server's: it stops listening without closeIdleConnections().
    const listenerClosed = new Promise<void>((resolve) => {
      if (!this.http.listening) return resolve();
      NetServer.prototype.close.call(this.http, () => resolve());
    });
    const deadline = performance.now() + timeoutMs;
    while (this.conns.size > 0 && performance.now() < deadline) {
      await new Promise((r) => setTimeout(r, Math.min(50, quietMs)));
      // setImmediate runs after the poll phase: requests that had arrived have been read by now.
      await new Promise<void>((r) =>
        setImmediate(() => {
          const now = performance.now();
          for (const [socket, st] of this.conns) {
            if (st.active === 0 && !st.upgraded && now - st.quietSince >= quietMs) socket.end();
          }
          r();
        }),
      );
    }
    this.http.closeAllConnections();
    for (const socket of this.conns.keys()) socket.destroy();
    await listenerClosed;
  }
}
