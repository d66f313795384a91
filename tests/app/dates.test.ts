import { describe, expect, test } from "vitest";
import {
  calendarDayDiff,
  dateTimeFormat,
  formatCalendarDay,
  formatDate,
  formatDateTime,
  formatExact,
  formatRelative,
  formatterCacheSize,
  formatWeekdayTime,
  zonedWallTimeToInstant,
  negotiateLocale,
  relativeWords,
  safeLocale,
  safeTimeZone,
  zoneOffsetLabel,
} from "../../app/utils/dates";

const GB_UTC = { locale: "en-GB", timeZone: "UTC" };
const at = (iso: string) => Date.parse(iso);
const MIN = 60_000;
const HOUR = 60 * MIN;

describe("formatRelative thresholds", () => {
  const now = at("2026-12-03T14:00:00Z");
  const rel = (ms: number, s = GB_UTC) => formatRelative(now + ms, now, s);

  test("under 45 seconds either way is now", () => {
    expect(rel(0)).toBe("now");
    expect(rel(-44_999)).toBe("now");
    expect(rel(44_000)).toBe("in 1 min");
  });
  test("a timestamp a few seconds after the server's now (written during the request) reads now", () => {
    expect(rel(2_000)).toBe("now");
    expect(rel(6_000)).toBe("in 1 min");
  });
  test("minutes from 45 s up to 45 min, rounded", () => {
    expect(rel(-45_000)).toBe("1 min ago");
    expect(rel(-5 * MIN)).toBe("5 min ago");
    expect(rel(-44 * MIN)).toBe("44 min ago");
    expect(rel(10 * MIN)).toBe("in 10 min");
  });
  test("hours from 45 min up to 22 h, past and future (deadlines)", () => {
    expect(rel(-45 * MIN)).toBe("1 hr ago");
    expect(rel(3 * HOUR)).toBe("in 3 hr");
    expect(rel(-21 * HOUR)).toBe("21 hr ago");
  });
  test("calendar days in the reader's zone: yesterday, tomorrow, N days", () => {
    expect(rel(-23 * HOUR)).toBe("yesterday");
    expect(rel(23 * HOUR)).toBe("tomorrow");
    expect(rel(-3 * 24 * HOUR)).toBe("3 days ago");
    expect(rel(6 * 24 * HOUR)).toBe("in 6 days");
  });
  test("a week or more becomes a short date, with the year only when it differs", () => {
    expect(rel(-7 * 24 * HOUR)).toBe("26 Nov");
    expect(formatRelative(at("2025-06-01T12:00:00Z"), now, GB_UTC)).toBe("1 Jun 2025");
  });
  test("the same instant is 'yesterday' in one zone and hours ago in another", () => {
    const nowUtc = at("2026-12-03T08:00:00Z"); // Sydney 19:00 on 3 Dec
    const t = at("2026-12-02T13:30:00Z"); // 18.5 h earlier; Sydney 00:30 on 3 Dec (same day), UTC 2 Dec
    expect(formatRelative(t, nowUtc, { locale: "en-GB", timeZone: "Australia/Sydney" })).toBe("19 hr ago");
    const t2 = at("2026-12-02T09:00:00Z"); // 23 h earlier: Sydney 20:00 on 2 Dec → yesterday; UTC 09:00 on 2 Dec → yesterday
    expect(formatRelative(t2, nowUtc, { locale: "en-GB", timeZone: "Australia/Sydney" })).toBe("yesterday");
    // Same calendar day but more than 22 h apart stays in hours (00:10 → 23:50 in UTC).
    expect(formatRelative(at("2026-12-03T00:10:00Z"), at("2026-12-03T23:50:00Z"), GB_UTC)).toBe("24 hr ago");
  });
  test("follows the locale", () => {
    expect(rel(-5 * MIN, { locale: "de-DE", timeZone: "UTC" })).toBe("vor 5 Min.");
    expect(rel(-23 * HOUR, { locale: "fr", timeZone: "UTC" })).toBe("hier");
  });
  test("an unparseable date renders nothing instead of throwing", () => {
    expect(formatRelative("not a date", now, GB_UTC)).toBe("");
    expect(formatExact("not a date", GB_UTC)).toBe("");
  });
});

describe("time zones, across DST", () => {
  test("the exact form names the date, time, offset and zone", () => {
    const t = at("2026-12-03T14:05:00Z");
    expect(formatExact(t, GB_UTC)).toBe("Thursday, 3 December 2026, 14:05 UTC");
    expect(formatExact(t, { locale: "en-GB", timeZone: "Australia/Sydney" })).toBe("Friday, 4 December 2026, 01:05 UTC+11 (Australia/Sydney)");
    expect(formatExact(t, { locale: "en-GB", timeZone: "Asia/Kolkata" })).toBe("Thursday, 3 December 2026, 19:35 UTC+5:30 (Asia/Kolkata)");
    expect(formatExact(t, { locale: "en-GB", timeZone: "America/Los_Angeles" })).toBe("Thursday, 3 December 2026, 06:05 UTC\u22128 (America/Los_Angeles)");
  });
  test("Los Angeles: 01:59 PST then 03:00 PDT on 8 March 2026", () => {
    const la = { locale: "en-GB", timeZone: "America/Los_Angeles" };
    expect(formatDateTime(at("2026-03-08T09:59:00Z"), la)).toBe("8 Mar 2026, 01:59");
    expect(formatDateTime(at("2026-03-08T10:00:00Z"), la)).toBe("8 Mar 2026, 03:00");
    expect(zoneOffsetLabel(at("2026-03-08T09:59:00Z"), "America/Los_Angeles")).toBe("UTC\u22128");
    expect(zoneOffsetLabel(at("2026-03-08T10:00:00Z"), "America/Los_Angeles")).toBe("UTC\u22127");
  });
  test("Sydney leaves daylight time on 5 April 2026 (03:00 AEDT → 02:00 AEST)", () => {
    const syd = { locale: "en-GB", timeZone: "Australia/Sydney" };
    expect(formatDateTime(at("2026-04-04T15:59:00Z"), syd)).toBe("5 Apr 2026, 02:59");
    expect(formatDateTime(at("2026-04-04T16:00:00Z"), syd)).toBe("5 Apr 2026, 02:00");
    expect(zoneOffsetLabel(at("2026-04-04T15:59:00Z"), "Australia/Sydney")).toBe("UTC+11");
    expect(zoneOffsetLabel(at("2026-04-04T16:00:00Z"), "Australia/Sydney")).toBe("UTC+10");
  });
  test("a 23-hour DST day still counts as one calendar day", () => {
    // In LA, 8 March 2026 is 23 hours long: 00:30 on the 8th to 00:30 on the 9th is 23 h.
    expect(calendarDayDiff(at("2026-03-08T08:30:00Z"), at("2026-03-09T07:30:00Z"), "America/Los_Angeles")).toBe(-1);
    expect(formatRelative(at("2026-03-08T08:30:00Z"), at("2026-03-09T07:30:00Z"), { locale: "en-GB", timeZone: "America/Los_Angeles" })).toBe("yesterday");
  });
  test("a zone-less wall time names an instant in the zone, across DST", () => {
    const la = "America/Los_Angeles";
    expect(zonedWallTimeToInstant("2026-03-08T01:30", la)?.toISOString()).toBe("2026-03-08T09:30:00.000Z"); // PST
    expect(zonedWallTimeToInstant("2026-03-08T03:30", la)?.toISOString()).toBe("2026-03-08T10:30:00.000Z"); // PDT
    expect(zonedWallTimeToInstant("2026-04-05T12:00", "Australia/Sydney")?.toISOString()).toBe("2026-04-05T02:00:00.000Z"); // AEST after the change
    expect(zonedWallTimeToInstant("2026-12-03T17:00:30", "Asia/Kolkata")?.toISOString()).toBe("2026-12-03T11:30:30.000Z");
    expect(zonedWallTimeToInstant("2026-12-03T17:00Z", "UTC")).toBeNull();
    expect(zonedWallTimeToInstant("next tuesday", "UTC")).toBeNull();
  });
  test("the date itself changes with the zone", () => {
    const t = at("2026-12-31T20:00:00Z");
    expect(formatDate(t, GB_UTC)).toBe("31 Dec 2026");
    expect(formatDate(t, { locale: "en-GB", timeZone: "Asia/Kolkata" })).toBe("1 Jan 2027");
    expect(formatWeekdayTime(t, { locale: "en-GB", timeZone: "Australia/Sydney" })).toBe("Fri 07:00");
  });
  test("locale spacing is normalised (no U+202F before AM/PM)", () => {
    const s = formatDateTime(at("2026-12-03T14:05:00Z"), { locale: "en-US", timeZone: "UTC" });
    expect(s).toMatch(/^Dec 3, 2026, 02:05 PM$/);
  });
});

describe("calendar days (no instant)", () => {
  test("a YYYY-MM-DD day is the same day in every zone; other text is left alone", () => {
    expect(formatCalendarDay("2026-03-08", "en-GB")).toBe("8 Mar 2026");
    expect(formatCalendarDay("2026-03-08", "en-GB", true)).toBe("8 Mar");
    expect(formatCalendarDay("2026-03-08", "en-US")).toBe("Mar 8, 2026");
    expect(formatCalendarDay("week 12", "en-GB")).toBe("week 12");
  });
});

describe("locale negotiation (Accept-Language)", () => {
  test("picks the highest q that Intl supports, in canonical form", () => {
    expect(negotiateLocale("de-DE,de;q=0.9,en;q=0.8")).toBe("de-DE");
    expect(negotiateLocale("en;q=0.5, fr-ca;q=0.9")).toBe("fr-CA");
    expect(negotiateLocale("en-us")).toBe("en-US");
  });
  test("equal q keeps header order; q=0 excludes", () => {
    expect(negotiateLocale("fr;q=0.8, de;q=0.8")).toBe("fr");
    expect(negotiateLocale("fr;q=0, de")).toBe("de");
  });
  test("falls back to en-GB on missing, wildcard, unknown or malformed headers", () => {
    for (const h of [undefined, null, "", "*", "xx-invalid-tag-that-is-long", "en-GB;q=abc;", ";;;,,,", "12-34", "en-\u0000", "de;q=2", "zz", "<script>", "i-klingon"]) {
      expect(negotiateLocale(h), String(h)).toBe("en-GB");
    }
  });
  test("extensions and private-use parts are dropped: the result is a locale ICU resolved to", () => {
    expect(negotiateLocale("en-GB-x-abc123")).toBe("en-GB");
    expect(negotiateLocale("en-GB-u-nu-thai-ca-buddhist")).toBe("en-GB");
    const distinct = new Set(Array.from({ length: 200 }, (_, i) => negotiateLocale(`en-GB-x-a${i}`)));
    expect([...distinct]).toEqual(["en-GB"]);
  });
  test("skips a malformed entry and uses the next good one", () => {
    expect(negotiateLocale("@@@, de;q=0.5")).toBe("de");
    expect(negotiateLocale("en-u-ca-, de;q=0.5")).toBe("de");
  });
  test("a huge header is bounded: only its start is read, and it does not throw", () => {
    const huge = `${"x".repeat(100_000)},de`;
    expect(negotiateLocale(huge)).toBe("en-GB");
    const many = `${Array.from({ length: 5000 }, () => "qq").join(",")},de`;
    const started = performance.now();
    expect(negotiateLocale(many)).toBe("en-GB");
    expect(performance.now() - started).toBeLessThan(200);
  });
  test("safeTimeZone and safeLocale fall back instead of throwing", () => {
    expect(safeTimeZone("Mars/Olympus")).toBe("UTC");
    expect(safeTimeZone(42)).toBe("UTC");
    expect(safeTimeZone("Asia/Calcutta")).toBe("Asia/Calcutta");
    expect(safeTimeZone("Europe/Paris")).toBe("Europe/Paris");
    expect(safeLocale("en_GB!")).toBe("en-GB");
    expect(safeLocale("fr-ch")).toBe("fr-CH");
  });
});

describe("formatter cache", () => {
  test("one Intl formatter per (locale, zone, style), reused across calls", () => {
    const s = { locale: "pt-PT", timeZone: "Europe/Lisbon" };
    formatExact(0, s);
    const before = formatterCacheSize();
    for (let i = 0; i < 1000; i++) formatExact(i * 3_600_000, s);
    expect(formatterCacheSize()).toBe(before);
    expect(dateTimeFormat("pt-PT", "Europe/Lisbon", "date")).toBe(dateTimeFormat("pt-PT", "Europe/Lisbon", "date"));
    expect(dateTimeFormat("pt-PT", "Europe/Lisbon", "date")).not.toBe(dateTimeFormat("pt-PT", "UTC", "date"));
  });
});

describe("remembered texts", () => {
  test("a text formatted once is reused only for the same instant, locale, zone and style", () => {
    const ms = Date.UTC(2026, 11, 3, 23, 30);
    const berlin = { locale: "en-GB", timeZone: "Europe/Berlin" };
    // Each asked twice: the second answer comes from what was remembered and must still differ by key.
    for (let i = 0; i < 2; i++) {
      expect(formatExact(ms, berlin)).toBe("Friday, 4 December 2026, 00:30 UTC+1 (Europe/Berlin)");
      expect(formatExact(ms, { locale: "en-GB", timeZone: "UTC" })).toBe("Thursday, 3 December 2026, 23:30 UTC");
      expect(formatExact(ms, { locale: "de-DE", timeZone: "Europe/Berlin" })).toBe("Freitag, 4. Dezember 2026, 00:30 UTC+1 (Europe/Berlin)");
      expect(formatDate(ms, berlin)).toBe("4 Dec 2026");
      expect(formatDate(ms + 86_400_000, berlin)).toBe("5 Dec 2026");
      expect(calendarDayDiff(ms, ms + 3_600_000, "Europe/Berlin")).toBe(0);
      expect(calendarDayDiff(ms, ms + 3_600_000, "UTC")).toBe(-1);
    }
  });
});

describe("remembered relative words", () => {
  test("each (locale, number, unit) gives ICU's own words, asked once or again", () => {
    const units = ["second", "minute", "hour", "day"] as const;
    for (const locale of ["en-GB", "de-DE", "fr-FR"]) {
      const icu = new Intl.RelativeTimeFormat(locale, { numeric: "auto", style: "short" });
      // Twice round: the second answers come from what was remembered and must still differ by key.
      for (let round = 0; round < 2; round++) {
        for (const unit of units) for (let n = -50; n <= 50; n++) expect(relativeWords(locale, n, unit)).toBe(icu.format(n, unit));
      }
    }
  });

  test("formatRelative says the remembered words", () => {
    const now = Date.UTC(2026, 11, 3, 12, 0);
    expect(formatRelative(now - 5 * MIN, now, GB_UTC)).toBe("5 min ago");
    expect(formatRelative(now + 3 * HOUR, now, GB_UTC)).toBe("in 3 hr");
    expect(formatRelative(now - 5 * MIN, now, { locale: "de-DE", timeZone: "UTC" })).toBe(new Intl.RelativeTimeFormat("de-DE", { numeric: "auto", style: "short" }).format(-5, "minute"));
  });
});
