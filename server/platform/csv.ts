/** CSV writing (RFC 4180) for exports opened in spreadsheets. */

// A cell starting with = + - @ (or tab/CR) is run as a formula by Excel and friends; an attacker
// who controls a name or user agent could otherwise plant one in an export.
const FORMULA = /^[=+\-@\t\r]/;

export function csvCell(value: unknown): string {
  let s = value == null ? "" : value instanceof Date ? value.toISOString() : String(value);
  if (FORMULA.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvLine(cells: unknown[]): string {
  return cells.map(csvCell).join(",") + "\r\n";
}
