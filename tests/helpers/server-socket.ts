/**
 * socket.io-client helpers for server integration tests: connect with a session cookie the way a
 * browser tab does, and wait for (or rule out) typed events.
 */
import { io, type Socket } from "socket.io-client";
import type { ClientToServerEvents, ServerToClientEvents } from "../../app/realtime/events.js";

export type TestSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
type EventName = keyof ServerToClientEvents;
type Payload<E extends EventName> = Parameters<ServerToClientEvents[E]>[0];

const open = new Set<TestSocket>();

/** A client like a browser tab; `cookie` is a Cookie header value (or none at all). */
export function clientFor(url: string, cookie?: string): TestSocket {
  const socket: TestSocket = io(url, {
    transports: ["websocket"],
    extraHeaders: cookie ? { cookie } : {},
    reconnection: false,
    forceNew: true,
    timeout: 5_000,
  });
  open.add(socket);
  return socket;
}

/** Connects, resolving with the socket and the presence snapshot the server sends first. */
export function connect(url: string, cookie?: string): Promise<{ socket: TestSocket; snapshot: Payload<"presence.snapshot"> }> {
  const socket = clientFor(url, cookie);
  return new Promise((resolve, reject) => {
    socket.once("presence.snapshot", (snapshot) => resolve({ socket, snapshot }));
    socket.once("connect_error", (err) => reject(err));
  });
}

/** Resolves with the error message when the server refuses the handshake; fails if it accepts. */
export function refusal(url: string, cookie?: string): Promise<string> {
  const socket = clientFor(url, cookie);
  return new Promise((resolve, reject) => {
    socket.once("connect", () => reject(new Error("the server accepted a socket it should have refused")));
    socket.once("connect_error", (err) => resolve(err.message));
  });
}

export function waitFor<E extends EventName>(
  socket: TestSocket,
  event: E,
  match: (p: Payload<E>) => boolean = () => true,
  timeoutMs = 3_000,
): Promise<Payload<E>> {
  return new Promise((resolve, reject) => {
    const onEvent = ((p: Payload<E>) => {
      if (!match(p)) return;
      clearTimeout(timer);
      socket.off(event, onEvent as never);
      resolve(p);
    }) as ServerToClientEvents[E];
    const timer = setTimeout(() => {
      socket.off(event, onEvent as never);
      reject(new Error(`no "${event}" matching within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.on(event, onEvent as never);
  });
}

/** Records every `event` the socket receives, with the time it arrived. */
export function record<E extends EventName>(socket: TestSocket, event: E) {
  const seen: { at: number; payload: Payload<E> }[] = [];
  socket.on(event, ((p: Payload<E>) => void seen.push({ at: performance.now(), payload: p })) as never);
  return seen;
}

export function waitForDisconnect(socket: TestSocket, timeoutMs = 3_000): Promise<string> {
  if (socket.disconnected && !socket.active) return Promise.resolve("already disconnected");
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`socket still connected after ${timeoutMs} ms`)), timeoutMs);
    socket.once("disconnect", (reason) => {
      clearTimeout(timer);
      resolve(reason);
    });
  });
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function closeAllSockets(): void {
  for (const s of open) s.disconnect();
  open.clear();
}

/** Polls until `cond` holds (for events recorded with `record`, which may already have arrived). */
export async function until(cond: () => boolean, what: string, timeoutMs = 3_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!cond()) {
    if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(10);
  }
}
