/** Typed Socket.io events, shared by the server and the browser. Names follow `resource.verb`. */
export type PresenceState = "online" | "away" | "offline";

export interface PresenceEntry {
  userId: string;
  state: PresenceState;
}

export interface StatusPayload {
  userId: string;
  statusText: string;
  statusEmoji: string;
  statusUntil: string | null;
}

export interface NotificationPayload {
  id: string;
  type: string;
  title: string;
  body: string;
  link: string;
  createdAt: string;
}

export interface ServerToClientEvents {
  "presence.snapshot": (entries: PresenceEntry[]) => void;
  "presence.changed": (entry: PresenceEntry) => void;
  "person.status": (status: StatusPayload) => void;
  "person.updated": (p: { userId: string }) => void;
  "notification.created": (p: { notification: NotificationPayload; unread: number }) => void;
  "notification.read": (p: { unread: number }) => void;
  "session.ended": (p: { reason: "signed-out" | "deactivated" | "expired" }) => void;
}

export interface ClientToServerEvents {
  /** The tab has been idle (no input, or hidden) — or is active again. */
  "presence.idle": (idle: boolean) => void;
}

export interface SocketData {
  userId: string;
  sessionId: string;
  /** Epoch ms when the session expires; the socket is closed then. */
  expiresAt: number;
}
