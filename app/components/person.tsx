import { useEffect, useState } from "react";
import { Clock } from "lucide-react";
import type { PresenceState } from "~/realtime/events";
import { usePresence, useStatus } from "~/realtime/client";

export function Avatar({ name, initials, photoUrl, size = 40 }: { name: string; initials: string; photoUrl: string | null; size?: number }) {
  const style = { width: size, height: size, fontSize: size * 0.4 };
  return photoUrl ? (
    <img className="avatar" src={photoUrl} alt="" width={size} height={size} style={style} />
  ) : (
    <span className="avatar avatar-initials" style={style} aria-hidden="true" data-name={name}>
      {initials}
    </span>
  );
}

const PRESENCE_LABEL: Record<PresenceState, string> = { online: "Online", away: "Away", offline: "Offline" };

/** A presence dot that stays live: server-rendered first, then updated over the socket. */
export function Presence({ userId, initial, showLabel = false }: { userId: string; initial: PresenceState; showLabel?: boolean }) {
  const state = usePresence(userId, initial);
  return (
    <span className={`presence presence-${state}`} data-testid={`presence-${userId}`} data-state={state}>
      <span className="presence-dot" aria-hidden="true" />
      <span className={showLabel ? "" : "sr-only"}>{PRESENCE_LABEL[state]}</span>
    </span>
  );
}

export function Status({ userId, initial }: { userId: string; initial: { text: string; emoji: string; until: string | null } | null }) {
  const status = useStatus(userId, initial);
  // An "until" that has passed hides the status without waiting for a reload.
  const [, tick] = useState(0);
  useEffect(() => {
    if (!status?.until) return;
    const ms = new Date(status.until).getTime() - Date.now();
    if (ms <= 0 || ms > 2 ** 31 - 1) return;
    const t = setTimeout(() => tick((n) => n + 1), ms + 50);
    return () => clearTimeout(t);
  }, [status?.until]);
  if (!status) return null;
  if (status.until && new Date(status.until).getTime() <= Date.now()) return null;
  return (
    <span className="status" data-testid={`status-${userId}`}>
      {status.emoji && <span aria-hidden="true">{status.emoji} </span>}
      {status.text}
      {status.until && <span className="muted"> · until {new Date(status.until).toLocaleString()}</span>}
    </span>
  );
}

function formatLocal(timeZone: string, now: Date) {
  try {
    return new Intl.DateTimeFormat("en-GB", { timeZone, hour: "2-digit", minute: "2-digit", weekday: "short" }).format(now);
  } catch {
    return "";
  }
}

/** The person's local time, ticking each minute in the browser (server renders it once). */
export function LocalTime({ timeZone }: { timeZone: string }) {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const t = setInterval(() => setNow(new Date()), 30_000);
    return () => clearInterval(t);
  }, []);
  return (
    <span className="local-time" title={timeZone}>
      <Clock aria-hidden="true" size={14} />{" "}
      <span className="sr-only">Local time </span>
      {formatLocal(timeZone, now)} <span className="muted">({timeZone})</span>
    </span>
  );
}

export function FieldError({ errors, id }: { errors?: string[]; id?: string }) {
  if (!errors?.length) return null;
  return (
    <p className="field-error" id={id} role="alert">
      {errors.join(" ")}
    </p>
  );
}

/** Field errors from an action result, whatever else the action may return. */
export function fieldErrorsOf(
  result: unknown,
): { message?: string; fieldErrors: Record<string, string[] | undefined>; values?: unknown } | null {
  if (result && typeof result === "object" && "fieldErrors" in result) {
    return result as { message?: string; fieldErrors: Record<string, string[] | undefined>; values?: unknown };
  }
  return null;
}
