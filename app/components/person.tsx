import { ClockIcon } from "~/components/reaction-icons";
import { useNow, useWallClock, When } from "~/components/when";
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
  // An "until" that has passed hides the status without waiting for a reload (shared ticker).
  const now = useNow(status?.until ? 1000 : 3600_000);
  if (!status) return null;
  if (status.until && new Date(status.until).getTime() <= now) return null;
  return (
    <span className="status" data-testid={`status-${userId}`}>
      {status.emoji && <span aria-hidden="true">{status.emoji} </span>}
      {status.text}
      {status.until && <span className="muted"> · until <When date={status.until} format="datetime" /></span>}
    </span>
  );
}

/** The person's local time (their zone, the reader's locale), kept current by the shared ticker. */
export function LocalTime({ timeZone }: { timeZone: string }) {
  const clock = useWallClock(timeZone);
  return (
    <span className="local-time" title={timeZone}>
      <ClockIcon />{" "}
      <span className="sr-only">Local time </span>
      {`${clock} `}
      <span className="muted">{`(${timeZone})`}</span>
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
