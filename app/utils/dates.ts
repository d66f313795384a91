/**
 * Every date the app shows is formatted here, from three inputs that the server and the browser
 * share (root loader data): the reader's locale, the reader's time zone and "now". Same inputs,
 * same text on both sides, so hydration never disagrees. Pure: no React, no clock of its own.
 */

export const DEFAULT_LOCALE = "en-GB";
export const DEFAULT_TIME_ZONE = "UTC";

export interface DateSettings {
  locale: string;
  timeZone: string;
}

export type DateInput = string | number | Date;

const MAX_HEADER = 256;
const MAX_TAGS = 12;
const TAG = /^[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*$/;

/**
 * The best locale from an Accept-Language header that Intl can format dates and relative times in.
 * Anything malformed, oversized or unknown is skipped; nothing here throws.
 */
export function negotiateLocale(header: unknown): string {
  if (typeof header !== "string" || !header) return DEFAULT_LOCALE;
  // Every page asks with the browser's same few headers: negotiating builds Intl objects, so remember.
  const known = negotiated.get(header);
  if (known) return known;
  const locale = negotiate(header);
  if (negotiated.size >= MAX_REMEMBERED) negotiated.clear();
  negotiated.set(header, locale);
  return locale;
}

const MAX_REMEMBERED = 500;
const negotiated = new Map<string, string>();
const zones = new Map<string, string>();

function negotiate(header: string): string {
  const wanted: { tag: string; q: number; at: number }[] = [];
  header
    .slice(0, MAX_HEADER)
    .split(",")
    .slice(0, MAX_TAGS)
    .forEach((part, at) => {
      const [rawTag, ...params] = part.trim().split(";");
      const tag = rawTag.trim();
      if (!TAG.test(tag)) return;
      let q = 1;
      for (const p of params) {
        const m = /^\s*q\s*=\s*([01](?:\.\d{0,3})?)\s*$/.exec(p);
        if (m) q = Number(m[1]);
        else if (/^\s*q\s*=/.test(p)) q = 0; // a q we cannot read: do not guess a preference
      }
      if (q > 0 && q <= 1) wanted.push({ tag, q, at });
    });
  wanted.sort((a, b) => b.q - a.q || a.at - b.at);
  for (const { tag } of wanted) {
    try {
      const [canonical] = Intl.getCanonicalLocales(tag);
      if (!canonical) continue;
      // Extensions and private-use parts are dropped, and the answer is the locale ICU resolved
      // to, so a header cannot mint unbounded distinct locales (each one would cache formatters).
      const base = new Intl.Locale(canonical).baseName;
      const dt = Intl.DateTimeFormat.supportedLocalesOf([base], { localeMatcher: "lookup" });
      const rt = Intl.RelativeTimeFormat.supportedLocalesOf([base], { localeMatcher: "lookup" });
      if (dt.length && rt.length) return new Intl.DateTimeFormat(base).resolvedOptions().locale;
    } catch {
      // an invalid tag (e.g. a bad extension) is skipped like an unknown one
    }
  }
  return DEFAULT_LOCALE;
}

/** A time zone Intl knows, else UTC (profiles are validated on save; this guards older rows). */
export function safeTimeZone(tz: unknown): string {
  if (typeof tz !== "string" || !tz || tz.length > 64) return DEFAULT_TIME_ZONE;
  const known = zones.get(tz);
  if (known) return known;
  let zone: string;
  try {
    zone = new Intl.DateTimeFormat("en", { timeZone: tz }).resolvedOptions().timeZone;
  } catch {
    zone = DEFAULT_TIME_ZONE;
  }
  if (zones.size >= MAX_REMEMBERED) zones.clear();
  zones.set(tz, zone);
  return zone;
}

/** A locale Intl accepts, else the default. */
export function safeLocale(locale: unknown): string {
  if (typeof locale !== "string" || !locale || locale.length > 64) return DEFAULT_LOCALE;
  try {
    return Intl.getCanonicalLocales(locale)[0] ?? DEFAULT_LOCALE;
  } catch {
    return DEFAULT_LOCALE;
  }
}

// ── cached formatters: building an Intl formatter costs far more than using one ──

const STYLES = {
  /** 3 Dec 2026 */
  date: { day: "numeric", month: "short", year: "numeric" },
  /** 3 Dec */
  dayMonth: { day: "numeric", month: "short" },
  /** 14:05 */
  time: { hour: "2-digit", minute: "2-digit" },
  /** Thursday, 3 December 2026 */
  longDate: { weekday: "long", day: "numeric", month: "long", year: "numeric" },
  /** Thu 14:05 (a person's local clock) */
  weekdayTime: { weekday: "short", hour: "2-digit", minute: "2-digit" },
  /** Mon 23 Nov, 08:30 CET (a time written into an email, zone named) */
  mail: { weekday: "short", day: "numeric", month: "short", hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZoneName: "short" },
  /** the zone's wall clock, for offsets and calendar days */
  parts: { year: "numeric", month: "numeric", day: "numeric", hour: "numeric", minute: "numeric", second: "numeric", hourCycle: "h23" },
} satisfies Record<string, Intl.DateTimeFormatOptions>;

export type DateStyle = keyof typeof STYLES;

const dtfCache = new Map<string, Intl.DateTimeFormat>();
const rtfCache = new Map<string, Intl.RelativeTimeFormat>();

/** A safety bound: the keys come from negotiated locales and valid zones, but never grow without limit. */
const MAX_CACHED = 2000;

export function dateTimeFormat(locale: string, timeZone: string, style: DateStyle): Intl.DateTimeFormat {
  const key = `${locale}\u0000${timeZone}\u0000${style}`;
  let f = dtfCache.get(key);
  if (!f) {
    if (dtfCache.size >= MAX_CACHED) dtfCache.clear();
    f = new Intl.DateTimeFormat(style === "parts" ? "en-US" : locale, { ...STYLES[style], timeZone });
    dtfCache.set(key, f);
  }
  return f;
}

export function relativeTimeFormat(locale: string): Intl.RelativeTimeFormat {
  let f = rtfCache.get(locale);
  if (!f) {
    if (rtfCache.size >= MAX_CACHED) rtfCache.clear();
    f = new Intl.RelativeTimeFormat(locale, { numeric: "auto", style: "short" });
    rtfCache.set(locale, f);
  }
  return f;
}

/**
 * "5 min ago", "in 3 hr": a pure function of (locale, number, unit), and a list page asks for the
 * same few dozen again and again, each a call into ICU; remembered like the formatted texts below.
 */
export function relativeWords(locale: string, n: number, unit: "second" | "minute" | "hour" | "day"): string {
  const key = `${locale}\u0000${unit}\u0000${n}`;
  let words = relativeTexts.get(key);
  if (words === undefined) {
    words = relativeTimeFormat(locale).format(n, unit);
    if (relativeTexts.size >= MAX_CACHED) relativeTexts.clear();
    relativeTexts.set(key, words);
  }
  return words;
}
const relativeTexts = new Map<string, string>();

/** How many formatters are cached (tests check that formatting reuses them). */
export const formatterCacheSize = () => dtfCache.size + rtfCache.size;

const toMs = (d: DateInput) => (d instanceof Date ? d.getTime() : typeof d === "number" ? d : Date.parse(d));

/**
 * Formats with locale words but our own spacing: ICU versions differ in the spaces they put
 * between parts (U+202F before AM/PM since ICU 72), and server and browser may ship different ones.
 */
function format(ms: number, s: DateSettings, style: DateStyle): string {
  // The same items are formatted on page after page: remember the text (a pure function of the key).
  const key = `${s.locale}\u0000${s.timeZone}\u0000${style}\u0000${ms}`;
  let text = formatted.get(key);
  if (text === undefined) {
    text = dateTimeFormat(s.locale, s.timeZone, style)
      .formatToParts(ms)
      .map((p) => (p.type === "literal" ? p.value.replace(/\s+/gu, " ") : p.value))
      .join("");
    if (formatted.size >= MAX_FORMATTED) formatted.clear();
    formatted.set(key, text);
  }
  return text;
}

/** Formatted texts and wall clocks, remembered up to a bound (cleared whole when full). */
const MAX_FORMATTED = 5000;
const formatted = new Map<string, string>();
const wallClocks = new Map<string, WallClock>();

interface WallClock {
  y: number;
  m: number;
  d: number;
  offsetMinutes: number;
}

function wallClock(ms: number, timeZone: string): WallClock {
  const key = `${timeZone}\u0000${ms}`;
  const known = wallClocks.get(key);
  if (known) return known;
  const clock = readWallClock(ms, timeZone);
  if (wallClocks.size >= MAX_FORMATTED) wallClocks.clear();
  wallClocks.set(key, clock);
  return clock;
}

function readWallClock(ms: number, timeZone: string): WallClock {
  const get: Record<string, number> = {};
  for (const p of dateTimeFormat("en-US", timeZone, "parts").formatToParts(ms)) if (p.type !== "literal") get[p.type] = Number(p.value);
  const asUtc = Date.UTC(get.year, get.month - 1, get.day, get.hour % 24, get.minute, get.second);
  const wholeSeconds = Math.floor(ms / 1000) * 1000;
  return { y: get.year, m: get.month, d: get.day, offsetMinutes: Math.round((asUtc - wholeSeconds) / 60_000) };
}

/** "UTC", "UTC+11", "UTC+5:30", "UTC−8": computed, so it reads the same in every browser. */
export function zoneOffsetLabel(ms: number, timeZone: string): string {
  const off = wallClock(ms, timeZone).offsetMinutes;
  if (off === 0) return "UTC";
  const abs = Math.abs(off);
  const mm = abs % 60;
  return `UTC${off < 0 ? "\u2212" : "+"}${Math.floor(abs / 60)}${mm ? `:${String(mm).padStart(2, "0")}` : ""}`;
}

const WALL_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;

/**
 * The instant a zone-less wall time ("2026-12-03T17:00", what `<input type="datetime-local">`
 * sends) names in a time zone; null when the text is not such a wall time. In a DST gap the
 * clock time is read with the offset before the change; in an overlap, the first of the two.
 */
export function zonedWallTimeToInstant(wall: string, timeZone: string): Date | null {
  const m = WALL_TIME.exec(wall);
  if (!m) return null;
  const guess = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6] ?? 0));
  if (!Number.isFinite(guess)) return null;
  const offset = (t: number) => wallClock(t, timeZone).offsetMinutes * 60_000;
  let t = guess - offset(guess);
  t = guess - offset(t); // a second pass settles instants near an offset change
  return new Date(t);
}

/** Calendar days from `now` to `ms` in the zone (−1 = yesterday), whatever the DST shifts. */
export function calendarDayDiff(ms: number, now: number, timeZone: string): number {
  const a = wallClock(ms, timeZone);
  const b = wallClock(now, timeZone);
  return Math.round((Date.UTC(a.y, a.m - 1, a.d) - Date.UTC(b.y, b.m - 1, b.d)) / 86_400_000);
}

/**
 * A calendar day with no time ("2026-12-01", e.g. a dashboard week already cut in the reader's
 * zone): "1 Dec 2026", or "1 Dec" with `short`. Anything else is returned as given.
 */
export function formatCalendarDay(ymd: string, locale: string, short = false): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(ymd);
  if (!m) return ymd;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return format(ms, { locale, timeZone: "UTC" }, short ? "dayMonth" : "date");
}

/** "3 Dec 2026" */
export function formatDate(d: DateInput, s: DateSettings): string {
  const ms = toMs(d);
  return Number.isFinite(ms) ? format(ms, s, "date") : "";
}

/** "3 Dec 2026, 14:05": an absolute moment where precision matters (history, logs, sessions). */
export function formatDateTime(d: DateInput, s: DateSettings): string {
  const ms = toMs(d);
  return Number.isFinite(ms) ? `${format(ms, s, "date")}, ${format(ms, s, "time")}` : "";
}

/** "Friday, 4 December 2026, 01:05 UTC+11 (Australia/Sydney)": the exact form for hover and screen readers. */
export function formatExact(d: DateInput, s: DateSettings): string {
  const ms = toMs(d);
  if (!Number.isFinite(ms)) return "";
  const zone = zoneOffsetLabel(ms, s.timeZone);
  return `${format(ms, s, "longDate")}, ${format(ms, s, "time")} ${zone}${s.timeZone === "UTC" ? "" : ` (${s.timeZone})`}`;
}

/** "Thu 09:30": a wall clock in some zone (a colleague's local time). */
export function formatWeekdayTime(d: DateInput, s: DateSettings): string {
  const ms = toMs(d);
  return Number.isFinite(ms) ? format(ms, s, "weekdayTime") : "";
}

/** "14:05" */
export function formatTime(d: DateInput, s: DateSettings): string {
  const ms = toMs(d);
  return Number.isFinite(ms) ? format(ms, s, "time") : "";
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const SKEW_MS = 5_000;

/**
 * "now", "5 min ago", "in 3 hr", "yesterday", "in 2 days", then a short date ("3 Dec", or
 * "3 Dec 2025" in another year). Thresholds: under 45 s is now; under 45 min counts minutes; under
 * 22 h (or the same calendar day) counts hours; within 6 calendar days counts days; older is a date.
 */
export function formatRelative(d: DateInput, now: number, s: DateSettings): string {
  const ms = toMs(d);
  if (!Number.isFinite(ms)) return "";
  const diff = ms - now;
  const abs = Math.abs(diff);
  const sign = diff < 0 ? -1 : 1;
  // A few seconds ahead is "now": data written during this request is stamped after the loader's now.
  if (abs < 45_000) return diff <= SKEW_MS ? relativeWords(s.locale, 0, "second") : relativeWords(s.locale, 1, "minute");
  if (abs < 45 * MINUTE) return relativeWords(s.locale, sign * Math.max(1, Math.round(abs / MINUTE)), "minute");
  const days = calendarDayDiff(ms, now, s.timeZone);
  if (abs < 22 * HOUR || days === 0) return relativeWords(s.locale, sign * Math.max(1, Math.round(abs / HOUR)), "hour");
  if (Math.abs(days) <= 6) return relativeWords(s.locale, days, "day");
  const sameYear = wallClock(ms, s.timeZone).y === wallClock(now, s.timeZone).y;
  return sameYear ? format(ms, s, "dayMonth") : format(ms, s, "date");
}
