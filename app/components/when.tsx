import { createContext, useCallback, useContext, useMemo, useSyncExternalStore } from "react";
import type { ReactNode } from "react";
import {
  DEFAULT_LOCALE,
  DEFAULT_TIME_ZONE,
  formatCalendarDay,
  formatDate,
  formatDateTime,
  formatExact,
  formatRelative,
  formatTime,
  formatWeekdayTime,
  safeTimeZone,
  type DateInput,
  type DateSettings,
} from "~/utils/dates";

/**
 * The reader's date settings and the server's "now" (root loader data). Server render and first
 * client render both use that now; afterwards one shared ticker advances it by the time elapsed in
 * the browser, so relative times stay live without ever disagreeing with the server's HTML.
 */
interface DatesValue extends DateSettings {
  serverNow: number;
}

const DatesContext = createContext<DatesValue>({ locale: DEFAULT_LOCALE, timeZone: DEFAULT_TIME_ZONE, serverNow: 0 });

export function DatesProvider({ locale, timeZone, now, children }: { locale: string; timeZone: string; now: number; children: ReactNode }) {
  const value = useMemo(() => ({ locale, timeZone, serverNow: now }), [locale, timeZone, now]);
  return <DatesContext.Provider value={value}>{children}</DatesContext.Provider>;
}

export const useDateSettings = (): DateSettings => {
  const { locale, timeZone } = useContext(DatesContext);
  return { locale, timeZone };
};

// ── the one ticker (browser only) ──
const listeners = new Set<() => void>();
let timer: ReturnType<typeof setInterval> | null = null;
/** The server's now, pinned to the browser's monotonic clock when the page first hydrated. */
let anchor: { serverNow: number; perf: number } | null = null;

function subscribe(listener: () => void) {
  listeners.add(listener);
  if (!timer) timer = setInterval(() => listeners.forEach((l) => l()), 1000);
  return () => {
    listeners.delete(listener);
    if (!listeners.size && timer) {
      clearInterval(timer);
      timer = null;
    }
  };
}

function clientNow(serverNow: number): number {
  if (!anchor) anchor = { serverNow, perf: performance.now() };
  return anchor.serverNow + (performance.now() - anchor.perf);
}

/** The server's clock as this page runs on: for times stored by the browser (a draft's age). */
export function useClock(): () => number {
  const { serverNow } = useContext(DatesContext);
  return useCallback(() => clientNow(serverNow), [serverNow]);
}

/** Now, in steps of `stepMs`: a component re-renders only when its step changes. */
export function useNow(stepMs = 30_000): number {
  const { serverNow } = useContext(DatesContext);
  const step = useCallback((t: number) => Math.floor(t / stepMs) * stepMs, [stepMs]);
  return useSyncExternalStore(
    subscribe,
    () => step(clientNow(serverNow)),
    () => step(serverNow),
  );
}

export type WhenFormat = "relative" | "date" | "datetime" | "time";

/**
 * Every date in the app: `<time datetime="ISO">` with a relative or short form, and the exact date,
 * time and zone as its title and for screen readers.
 */
export function When({ date, format = "relative", className, testId, prefix }: { date: DateInput | null | undefined; format?: WhenFormat; className?: string; testId?: string; prefix?: string }) {
  const s = useDateSettings();
  // The hook always runs; only relative forms change as time passes.
  const now = useNow(format === "relative" ? 30_000 : 24 * 3600_000);
  if (date == null) return null;
  const ms = date instanceof Date ? date.getTime() : typeof date === "number" ? date : Date.parse(date);
  if (!Number.isFinite(ms)) return null;
  const text =
    format === "relative" ? formatRelative(ms, now, s) : format === "date" ? formatDate(ms, s) : format === "time" ? formatTime(ms, s) : formatDateTime(ms, s);
  const exact = formatExact(ms, s);
  return (
    <time dateTime={new Date(ms).toISOString()} title={exact} className={className} data-testid={testId}>
      {/* One string each: one text node, not two with a marker between. */}
      <span aria-hidden="true">{prefix ? prefix + text : text}</span>
      <span className="sr-only">{prefix ? prefix + exact : exact}</span>
    </time>
  );
}

/** A text form (for attributes and sentences that cannot hold an element). */
export function useFormatDate() {
  const s = useDateSettings();
  return {
    exact: (d: DateInput) => formatExact(d, s),
    dateTime: (d: DateInput) => formatDateTime(d, s),
    date: (d: DateInput) => formatDate(d, s),
    /** a YYYY-MM-DD calendar day (no zone conversion) */
    day: (ymd: string, short = false) => formatCalendarDay(ymd, s.locale, short),
  };
}

/** A wall clock in another zone (a colleague's local time), ticking with the shared ticker. */
export function useWallClock(timeZone: string): string {
  const s = useDateSettings();
  const now = useNow(30_000);
  return formatWeekdayTime(now, { locale: s.locale, timeZone: safeTimeZone(timeZone) });
}
