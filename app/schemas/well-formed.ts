import { z } from "zod";

/**
 * Text that cannot be stored: a lone UTF-16 surrogate (JSON can carry one as "\ud800"; UTF-8,
 * and so SQLite, cannot). Every verb's input passes through this check (server/domain/context.ts
 * parse), so such text is a field-level 422 instead of a database failure.
 */
export const MALFORMED_TEXT_MESSAGE = "Contains a character that cannot be stored (a lone UTF-16 surrogate).";

const isWellFormed = (s: string) => (s as string & { isWellFormed(): boolean }).isWellFormed();

/** Paths (as Zod would name them) of the strings in `value` that cannot be stored; [] when none. */
export function malformedTextPaths(value: unknown, path: (string | number)[] = [], out: (string | number)[][] = [], depth = 0): (string | number)[][] {
  if (out.length >= 20 || depth > 32) return out;
  if (typeof value === "string") {
    if (!isWellFormed(value)) out.push(path);
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => malformedTextPaths(v, [...path, i], out, depth + 1));
  } else if (value && typeof value === "object" && !(value instanceof Date) && !(value instanceof Uint8Array)) {
    for (const [k, v] of Object.entries(value)) {
      if (!isWellFormed(k)) out.push([...path, k]);
      else malformedTextPaths(v, [...path, k], out, depth + 1);
    }
  }
  return out;
}

/** Dates people may enter: from 1900 to 9999 (JavaScript accepts years up to ±275760, SQLite and the pages do not). */
export const MIN_DATE_MS = Date.UTC(1900, 0, 1);
export const MAX_DATE_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);
export const isStorableDate = (d: Date) => Number.isFinite(d.getTime()) && d.getTime() >= MIN_DATE_MS && d.getTime() <= MAX_DATE_MS;

/** A date and time typed or sent as text; "" and absent are null. */
export const dateTimeInput = (message = "Enter a valid date and time.") =>
  z
    .string()
    .trim()
    .optional()
    .nullable()
    .transform((v, ctx) => {
      if (!v) return null;
      const d = new Date(v);
      if (!isStorableDate(d)) {
        ctx.addIssue({ code: "custom", message: Number.isNaN(d.getTime()) ? message : "Enter a date between the years 1900 and 9999." });
        return z.NEVER;
      }
      return d;
    });
