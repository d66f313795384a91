import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from "react";
import type { Socket } from "socket.io-client";
import { forgetAllLocalDocs } from "~/editor/local-copies";
import { clearAllDrafts } from "~/drafts/use-draft";
import type { ClientToServerEvents, PresenceState, ServerToClientEvents, StatusPayload } from "./events";

type AtriumSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
export type ConnectionState = "connecting" | "connected" | "offline";

interface RealtimeValue {
  socket: AtriumSocket | null;
  connection: ConnectionState;
  presence: Map<string, PresenceState>;
  statuses: Map<string, StatusPayload>;
  unread: number;
  setUnread: (n: number) => void;
}

const RealtimeContext = createContext<RealtimeValue>({
  socket: null,
  connection: "offline",
  presence: new Map(),
  statuses: new Map(),
  unread: 0,
  setUnread: () => {},
});

const IDLE_AFTER_MS = 5 * 60_000;

/**
 * One Socket.io connection per tab, opened after hydration for a signed-in person. The server
 * merges tabs into one presence per person; this only reports whether *this* tab is idle.
 */
export function RealtimeProvider({ userId, initialUnread, children }: { userId: string | null; initialUnread: number; children: ReactNode }) {
  const [socket, setSocket] = useState<AtriumSocket | null>(null);
  const [connection, setConnection] = useState<ConnectionState>("connecting");
  const [presence, setPresence] = useState<Map<string, PresenceState>>(new Map());
  const [statuses, setStatuses] = useState<Map<string, StatusPayload>>(new Map());
  const [unread, setUnread] = useState(initialUnread);

  useEffect(() => setUnread(initialUnread), [initialUnread]);

  useEffect(() => {
    if (!userId) return;
    // The Socket.io client is fetched after the page has painted, not with it (nor on the server).
    let stop: (() => void) | null = null;
    let cancelled = false;
    void import("socket.io-client").then(({ io }) => {
      if (!cancelled) stop = connect(io({ transports: ["websocket", "polling"], withCredentials: true }));
    });
    return () => {
      cancelled = true;
      stop?.();
    };
  }, [userId]);

  function connect(s: AtriumSocket) {
    setSocket(s);
    s.on("connect", () => setConnection("connected"));
    s.on("disconnect", () => setConnection("offline"));
    s.on("connect_error", (err) => {
      setConnection("offline");
      if (err.message === "unauthenticated") s.disconnect();
    });
    s.on("presence.snapshot", (entries) => setPresence(new Map(entries.map((e) => [e.userId, e.state]))));
    s.on("presence.changed", ({ userId: id, state }) =>
      setPresence((prev) => {
        const next = new Map(prev);
        if (state === "offline") next.delete(id);
        else next.set(id, state);
        return next;
      }),
    );
    s.on("person.status", (p) => setStatuses((prev) => new Map(prev).set(p.userId, p)));
    s.on("notification.created", ({ unread: n }) => setUnread(n));
    s.on("notification.read", ({ unread: n }) => setUnread(n));
    s.on("session.ended", ({ reason }) => {
      // Local copies of documents (app/editor/local-copies.ts) do not outlive the session. Drafts
      // (app/drafts/) outlive an expired one, to be there when the person signs back in here, and
      // so does the page they were on; signed out or deactivated, the drafts go too.
      if (reason !== "expired") clearAllDrafts();
      const back = reason === "expired" ? `&redirectTo=${encodeURIComponent(window.location.pathname + window.location.search)}` : "";
      void forgetAllLocalDocs().finally(() => window.location.assign(`/login?ended=1${back}`));
    });

    // Idle: hidden tab, or no input for a while.
    let idle = false;
    let timer: ReturnType<typeof setTimeout>;
    const report = (v: boolean) => {
      if (v !== idle) {
        idle = v;
        s.emit("presence.idle", v);
      }
    };
    const activity = () => {
      clearTimeout(timer);
      if (document.visibilityState === "hidden") return report(true);
      report(false);
      timer = setTimeout(() => report(true), IDLE_AFTER_MS);
    };
    const events = ["pointerdown", "keydown", "mousemove", "visibilitychange", "focus"] as const;
    for (const e of events) window.addEventListener(e, activity, { passive: true });
    document.addEventListener("visibilitychange", activity);
    activity();

    return () => {
      clearTimeout(timer);
      for (const e of events) window.removeEventListener(e, activity);
      document.removeEventListener("visibilitychange", activity);
      s.disconnect();
      setSocket(null);
    };
  }

  const value = useMemo(() => ({ socket, connection, presence, statuses, unread, setUnread }), [socket, connection, presence, statuses, unread]);
  return <RealtimeContext.Provider value={value}>{children}</RealtimeContext.Provider>;
}

export const useRealtime = () => useContext(RealtimeContext);

/** Live presence of a person; before the first snapshot arrives, the server-rendered value stands. */
export function usePresence(userId: string, initial: PresenceState): PresenceState {
  const { presence, socket, connection } = useRealtime();
  if (!socket || connection !== "connected") return initial;
  return presence.get(userId) ?? "offline";
}

/** Live status of a person, overriding the server-rendered one once a change arrives. */
export function useStatus<T extends { text: string; emoji: string; until: string | null } | null>(userId: string, initial: T) {
  const { statuses } = useRealtime();
  const live = statuses.get(userId);
  if (!live) return initial;
  if (!live.statusText && !live.statusEmoji) return null;
  return { text: live.statusText, emoji: live.statusEmoji, until: live.statusUntil };
}

/** Subscribe to a server event for the lifetime of a component. */
export function useSocketEvent<E extends keyof ServerToClientEvents>(event: E, handler: ServerToClientEvents[E]) {
  const { socket } = useRealtime();
  const ref = useRef(handler);
  ref.current = handler;
  const stable = useCallback((...args: unknown[]) => (ref.current as (...a: unknown[]) => void)(...args), []);
  useEffect(() => {
    if (!socket) return;
    socket.on(event, stable as never);
    return () => void socket.off(event, stable as never);
  }, [socket, event, stable]);
}
