/**
 * When a digest is due (decision 067), as pure functions of the time, the person's time zone,
 * their choice and DIGEST_HOUR: a daily digest's period starts each local day at that hour, a
 * weekly one's each Monday at that hour. The period key names it, so it is sent at most once.
 */
import type { DigestFrequency } from "../../app/schemas/feed.js";

const WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

/** The local calendar date, hour and weekday (Monday = 0) of an instant in a time zone; an unknown zone counts as UTC. */
export function localParts(at: Date, timeZone: string): { y: number; m: number; d: number; hour: number; weekday: number } {
  let fmt: Intl.DateTimeFormat;
  try {
    fmt = new Intl.DateTimeFormat("en-GB", { timeZone, year: "numeric", month: "numeric", day: "numeric", hour: "numeric", weekday: "short", hourCycle: "h23" });
  } catch {
    fmt = new Intl.DateTimeFormat("en-GB", { timeZone: "UTC", year: "numeric", month: "numeric", day: "numeric", hour: "numeric", weekday: "short", hourCycle: "h23" });
  }
  const p = Object.fromEntries(fmt.formatToParts(at).map((x) => [x.type, x.value]));
  return { y: Number(p.year), m: Number(p.month), d: Number(p.day), hour: Number(p.hour), weekday: WEEKDAYS.indexOf(p.weekday ?? "Mon") };
}

const isoDate = (y: number, m: number, d: number, minusDays: number) => new Date(Date.UTC(y, m - 1, d - minusDays)).toISOString().slice(0, 10);

/**
 * The key of the period `at` falls in ("daily:2026-11-23", "weekly:2026-11-23" — that week's
 * Monday), or null when the person chose no digest.
 */
export function digestPeriodKey(at: Date, timeZone: string, frequency: DigestFrequency, hour: number): string | null {
  if (frequency === "off") return null;
  const l = localParts(at, timeZone);
  const beforeHour = l.hour < hour;
  if (frequency === "daily") return `daily:${isoDate(l.y, l.m, l.d, beforeHour ? 1 : 0)}`;
  const back = l.weekday === 0 && beforeHour ? 7 : l.weekday;
  return `weekly:${isoDate(l.y, l.m, l.d, back)}`;
}

/** How far back a first digest looks for mentions, when there was no digest before. */
export const PERIOD_MS: Record<Exclude<DigestFrequency, "off">, number> = { daily: 86_400_000, weekly: 7 * 86_400_000 };
