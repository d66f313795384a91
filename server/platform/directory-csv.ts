/**
 * Reading the HR export: a streaming CSV parse (csv-parse) with a byte limit, header checks, and
 * per-row validation that needs no database. Cross-row checks (duplicates, managers, cycles) and
 * the comparison with what Atrium holds are in server/domain/directory-import.ts.
 */
import { Readable, Transform } from "node:stream";
import { EmailSchema, SkillEntrySchema, isTimeZone, type SkillLevel } from "../../app/schemas/people.js";

export const IMPORT_COLUMNS = ["email", "name", "title", "department", "team", "manager_email", "location", "time_zone", "skills"] as const;
export type ImportColumn = (typeof IMPORT_COLUMNS)[number];
export const REQUIRED_COLUMNS: ImportColumn[] = ["email", "name"];

const ALIASES: Record<string, ImportColumn> = {
  email: "email",
  e_mail: "email",
  work_email: "email",
  name: "name",
  full_name: "name",
  title: "title",
  job_title: "title",
  department: "department",
  team: "team",
  teams: "team",
  manager_email: "manager_email",
  manager: "manager_email",
  location: "location",
  office: "location",
  time_zone: "time_zone",
  timezone: "time_zone",
  tz: "time_zone",
  skills: "skills",
};

const normaliseHeader = (h: string) => h.trim().toLowerCase().replace(/[\s-]+/g, "_");

export interface ImportRow {
  /** Line in the file (the header is line 1). */
  line: number;
  email: string;
  name: string;
  title?: string;
  department?: string;
  teams?: string[];
  managerEmail?: string | null;
  location?: string;
  timeZone?: string;
  skills?: { name: string; level: SkillLevel }[];
}

export interface RowError {
  line: number;
  email: string;
  messages: string[];
}

export interface ParsedFile {
  /** Columns present, in file order (canonical names). Absent columns leave their fields untouched. */
  columns: ImportColumn[];
  rows: ImportRow[];
  errors: RowError[];
  /** Problems with the file as a whole (wrong columns, too large, not CSV). */
  fileErrors: string[];
  bytes: number;
}

export class ImportTooLargeError extends Error {
  constructor(readonly maxBytes: number) {
    super(`The file is larger than ${formatBytes(maxBytes)}. Split it, or use the command line: npm run import:people -- file.csv`);
  }
}

export const formatBytes = (n: number) => (n >= 1024 * 1024 ? `${Math.round((n / 1024 / 1024) * 10) / 10} MB` : `${Math.ceil(n / 1024)} KB`);

const LEVELS: Record<string, SkillLevel> = {
  expert: "expert",
  "ask me about": "expert",
  mentor: "mentor",
  "can mentor": "mentor",
  learning: "learning",
  learner: "learning",
};

/** "go:expert; kubernetes:mentor; rust" — a level is optional (expert, "ask me about"). */
export function parseSkillsCell(cell: string): { skills: { name: string; level: SkillLevel }[]; errors: string[] } {
  const skills: { name: string; level: SkillLevel }[] = [];
  const errors: string[] = [];
  for (const part of cell.split(/[;|]/).map((s) => s.trim()).filter(Boolean)) {
    const i = part.lastIndexOf(":");
    const rawName = i > 0 ? part.slice(0, i) : part;
    const rawLevel = i > 0 ? part.slice(i + 1).trim().toLowerCase() : "expert";
    const level = LEVELS[rawLevel];
    if (!level) {
      errors.push(`Skill “${part}”: the level must be expert, mentor or learning.`);
      continue;
    }
    const r = SkillEntrySchema.safeParse({ name: rawName, level });
    if (!r.success) errors.push(`Skill “${rawName.trim()}”: ${r.error.issues[0].message}`);
    else if (!skills.some((s) => s.name === r.data.name)) skills.push(r.data);
  }
  if (skills.length > 40) errors.push("At most 40 skills per person.");
  return { skills, errors };
}

function checkHeader(raw: string[]): { columns: (ImportColumn | null)[]; errors: string[] } {
  const errors: string[] = [];
  const columns = raw.map((h) => ALIASES[normaliseHeader(h)] ?? null);
  const unknown = raw.filter((_, i) => !columns[i]).map((h) => `“${h}”`);
  if (unknown.length) errors.push(`Unknown column${unknown.length > 1 ? "s" : ""} ${unknown.join(", ")}. Expected: ${IMPORT_COLUMNS.join(", ")}.`);
  const missing = REQUIRED_COLUMNS.filter((c) => !columns.includes(c));
  if (missing.length) errors.push(`Missing required column${missing.length > 1 ? "s" : ""}: ${missing.join(", ")}.`);
  const dup = columns.filter((c, i) => c && columns.indexOf(c) !== i);
  if (dup.length) errors.push(`Column${dup.length > 1 ? "s" : ""} given twice: ${[...new Set(dup)].join(", ")}.`);
  return { columns, errors };
}

const max = (label: string, v: string, n: number, errs: string[]) => {
  if (v.length > n) errs.push(`${label} must be at most ${n} characters.`);
  return v;
};

function validateRecord(line: number, columns: (ImportColumn | null)[], record: string[]): { row?: ImportRow; error?: RowError } {
  const cell = (c: ImportColumn) => {
    const i = columns.indexOf(c);
    return i < 0 ? undefined : (record[i] ?? "").trim();
  };
  const errs: string[] = [];
  if (record.length !== columns.length) errs.push(`Expected ${columns.length} values, found ${record.length}.`);
  // PostgreSQL text cannot hold U+0000: refused here rather than by the commit's bulk insert (a 500).
  if (record.some((v) => v.includes("\u0000"))) errs.push("The row contains a NUL (U+0000) character.");
  const rawEmail = cell("email") ?? "";
  const email = EmailSchema.safeParse(rawEmail);
  if (!email.success) errs.push(rawEmail ? `“${rawEmail}” is not a valid email address.` : "Email is required.");
  const name = cell("name") ?? "";
  if (!name) errs.push("Name is required.");
  max("Name", name, 100, errs);
  const row: ImportRow = { line, email: email.success ? email.data : rawEmail.toLowerCase(), name };
  const title = cell("title");
  if (title !== undefined) row.title = max("Title", title, 100, errs);
  const department = cell("department");
  if (department !== undefined) row.department = max("Department", department, 80, errs);
  const team = cell("team");
  if (team !== undefined) {
    row.teams = [...new Set(team.split(/[;|]/).map((t) => t.trim()).filter(Boolean))];
    for (const t of row.teams) max(`Team “${t.slice(0, 20)}…”`, t, 80, errs);
  }
  const manager = cell("manager_email");
  if (manager !== undefined) {
    if (!manager) row.managerEmail = null;
    else {
      const m = EmailSchema.safeParse(manager);
      if (!m.success) errs.push(`Manager email “${manager}” is not a valid email address.`);
      else if (m.data === row.email) errs.push("A person cannot be their own manager.");
      else row.managerEmail = m.data;
    }
  }
  const location = cell("location");
  if (location !== undefined) row.location = max("Location", location, 100, errs);
  const tz = cell("time_zone");
  if (tz !== undefined) {
    if (tz && !isTimeZone(tz)) errs.push(`Unknown time zone “${tz}” (use a name such as Europe/Paris).`);
    else row.timeZone = tz || "UTC";
  }
  const skills = cell("skills");
  if (skills !== undefined) {
    const s = parseSkillsCell(skills);
    errs.push(...s.errors);
    row.skills = s.skills;
  }
  return errs.length ? { error: { line, email: row.email, messages: errs } } : { row };
}

export type ImportSource = string | Buffer | Readable;

function toStream(source: ImportSource): Readable {
  if (typeof source === "string" || Buffer.isBuffer(source)) return Readable.from([Buffer.from(source)]);
  return source;
}

export interface ParseOptions {
  maxBytes: number;
  /** Called as bytes are read (for a progress bar). */
  onBytes?: (bytes: number) => void;
}

/**
 * Streams the file through csv-parse: memory holds the validated rows, never the raw file. Past
 * `maxBytes` the read stops with ImportTooLargeError, whatever the file's real size.
 */
export async function parseDirectoryCsv(source: ImportSource, opts: ParseOptions): Promise<ParsedFile> {
  let bytes = 0;
  let lastReport = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      bytes += chunk.length;
      if (bytes > opts.maxBytes) return cb(new ImportTooLargeError(opts.maxBytes));
      if (opts.onBytes && bytes - lastReport > 256 * 1024) {
        lastReport = bytes;
        opts.onBytes(bytes);
      }
      cb(null, chunk);
    },
  });
  // csv-parse is loaded by the first import, not with the server.
  const { parse: csvParse } = await import("csv-parse");
  const parser = csvParse({
    bom: true,
    relax_column_count: true,
    skip_empty_lines: true,
    max_record_size: 64 * 1024,
    info: true,
  });
  const input = toStream(source);
  input.on("error", (e) => counter.destroy(e));
  input.pipe(counter).on("error", (e) => parser.destroy(e)).pipe(parser);

  const out: ParsedFile = { columns: [], rows: [], errors: [], fileErrors: [], bytes: 0 };
  let columns: (ImportColumn | null)[] | null = null;
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      if (!columns) {
        const h = checkHeader(record);
        columns = h.columns;
        out.columns = h.columns.filter((c): c is ImportColumn => !!c);
        if (h.errors.length) {
          out.fileErrors.push(...h.errors);
          break; // row checks would only repeat the column problem
        }
        continue;
      }
      if (record.length === 1 && record[0].trim() === "") continue;
      const r = validateRecord(info.lines, columns, record);
      if (r.row) out.rows.push(r.row);
      else out.errors.push(r.error!);
    }
  } catch (e) {
    if (e instanceof ImportTooLargeError) throw e;
    const err = e as { code?: string; message?: string; lines?: number };
    out.fileErrors.push(`The file could not be read as CSV${err.lines ? ` (near line ${err.lines})` : ""}: ${err.message ?? String(e)}`);
  } finally {
    input.unpipe?.();
    if (!input.destroyed) input.destroy();
  }
  if (!columns && !out.fileErrors.length) out.fileErrors.push("The file is empty: expected a header line with at least email and name.");
  out.bytes = bytes;
  opts.onBytes?.(bytes);
  return out;
}
