/**
 * Dashboard periods: presets and custom dates, resolved to a half-open UTC interval [from, to)
 * whose ends are midnights in the viewer's time zone (decision 070).
 */
import { dateTimeFormat } from "../../app/utils/dates.js";

export const PERIOD_PRESETS = ["this-week", "this-month", "last-30-days", "this-quarter", "last-12-months"] as const;
export type PeriodPreset = (typeof PERIOD_PRESETS)[number];
export const PRESET_LABELS: Record<PeriodPreset | "custom", string> = {
  "this-week": "This week",
  "this-month": "This month",
  "last-30-days": "Last 30 days",
  "this-quarter": "This quarter",
  "last-12-months": "Last 12 months",
  custom: "Custom dates",
};
export const MAX_RANGE_DAYS = 366;
const DAY = 86_400_000;

export interface Period {
  preset: PeriodPreset | "custom";
  from: Date;
  to: Date;
  /** The calendar dates shown in the form (to is inclusive there). */
  fromDate: string;
  toDate: string;
  label: string;
}

export type PeriodResult = { ok: true; period: Period } | { ok: false; fieldErrors: Record<string, string[]>; preset: string; fromDate: string; toDate: string };

type Ymd = { y: number; m: number; d: number };

/** The offset (ms) of a time zone from UTC at an instant. */
function offsetAt(instant: number, tz: string): number {
  const parts = dateTimeFormat("en-US", tz, "parts").formatToParts(new Date(instant));
  const get = (t: string) => Number(parts.find((p) => p.type === t)!.value);
  const asUtc = Date.UTC(get("year"), get("month") - 1, get("day"), get("hour") % 24, get("minute"), get("second"));
  return asUtc - Math.floor(instant / 1000) * 1000;
}

/** The instant of local midnight starting a calendar day in a time zone. */
export function zonedMidnight(day: Ymd, tz: string): Date {
  const guess = Date.UTC(day.y, day.m - 1, day.d);
  let t = guess - offsetAt(guess, tz);
  t = guess - offsetAt(t, tz); // a second pass settles days where the offset changes
  return new Date(t);
}

/** The calendar date of an instant in a time zone. */
export function zonedDate(instant: Date, tz: string): Ymd {
  const parts = dateTimeFormat("en-US", tz, "parts").formatToParts(instant);
  const get = (t: string) => Number(parts.find((p) => p.type === t)!.value);
  return { y: get("year"), m: get("month"), d: get("day") };
}

const fmt = (x: Ymd) => `${String(x.y).padStart(4, "0")}-${String(x.m).padStart(2, "0")}-${String(x.d).padStart(2, "0")}`;
const addDays = (x: Ymd, n: number): Ymd => {
  const t = new Date(Date.UTC(x.y, x.m - 1, x.d) + n * DAY);
  return { y: t.getUTCFullYear(), m: t.getUTCMonth() + 1, d: t.getUTCDate() };
};

/** Parses YYYY-MM-DD strictly (a real calendar date), or null. */
export function parseYmd(s: string): Ymd | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s.trim());
  if (!m) return null;
  const x = { y: Number(m[1]), m: Number(m[2]), d: Number(m[3]) };
  const t = new Date(Date.UTC(x.y, x.m - 1, x.d));
  if (x.y < 2000 || x.y > 2100 || t.getUTCMonth() !== x.m - 1 || t.getUTCDate() !== x.d) return null;
  return x;
}

function validZone(tz: string | null | undefined): string {
  if (!tz) return "UTC";
  try {
    // Made once per valid zone and kept (app/utils/dates.ts): offsetAt and zonedDate use it next.
    dateTimeFormat("en-US", tz, "parts");
    return tz;
  } catch {
    return "UTC";
  }
}

/** Resolves `?period=…&from=…&to=…` for a viewer in `timeZone` at `now`. Custom `to` is inclusive. */
export function resolvePeriod(input: { period?: string; from?: string; to?: string }, now: Date, timeZone?: string | null): PeriodResult {
  const tz = validZone(timeZone);
  const today = zonedDate(now, tz);
  const rawFrom = (input.from ?? "").slice(0, 40);
  const rawTo = (input.to ?? "").slice(0, 40);
  const preset = input.period || (rawFrom || rawTo ? "custom" : "this-month");
  let start: Ymd;
  let endInclusive: Ymd = today;
  if (preset === "custom") {
    const errs: Record<string, string[]> = {};
    const f = parseYmd(rawFrom);
    const t = parseYmd(rawTo);
    if (!rawFrom) errs.from = ["Enter a start date."];
    else if (!f) errs.from = [`"${rawFrom}" is not a date: use YYYY-MM-DD, e.g. ${fmt(today)}.`];
    if (!rawTo) errs.to = ["Enter an end date."];
    else if (!t) errs.to = [`"${rawTo}" is not a date: use YYYY-MM-DD, e.g. ${fmt(today)}.`];
    if (f && t) {
      const days = (Date.UTC(t.y, t.m - 1, t.d) - Date.UTC(f.y, f.m - 1, f.d)) / DAY + 1;
      if (days < 1) errs.to = [`The end date (${fmt(t)}) is before the start date (${fmt(f)}).`];
      else if (days > MAX_RANGE_DAYS) errs.to = [`That range is ${days} days; choose at most ${MAX_RANGE_DAYS} days.`];
    }
    if (Object.keys(errs).length) return { ok: false, fieldErrors: errs, preset, fromDate: rawFrom, toDate: rawTo };
    start = f!;
    endInclusive = t!;
  } else if (preset === "this-week") {
    const dow = (new Date(Date.UTC(today.y, today.m - 1, today.d)).getUTCDay() + 6) % 7; // Monday = 0
    start = addDays(today, -dow);
  } else if (preset === "this-month") {
    start = { ...today, d: 1 };
  } else if (preset === "last-30-days") {
    start = addDays(today, -29);
  } else if (preset === "this-quarter") {
    start = { y: today.y, m: Math.floor((today.m - 1) / 3) * 3 + 1, d: 1 };
  } else if (preset === "last-12-months") {
    start = addDays({ y: today.y - 1, m: today.m, d: today.d }, 1); // 365 or 366 days ending today
  } else {
    return { ok: false, fieldErrors: { period: [`Unknown period "${preset.slice(0, 40)}": choose one from the list.`] }, preset: "this-month", fromDate: rawFrom, toDate: rawTo };
  }
  const from = zonedMidnight(start, tz);
  const to = zonedMidnight(addDays(endInclusive, 1), tz);
  const p = preset as PeriodPreset | "custom";
  const label = p === "custom" ? `${fmt(start)} – ${fmt(endInclusive)}` : `${PRESET_LABELS[p]} (${fmt(start)} – ${fmt(endInclusive)})`;
  return { ok: true, period: { preset: p, from, to, fromDate: fmt(start), toDate: fmt(endInclusive), label } };
}
