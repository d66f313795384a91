/**
 * Directory import from the HR export (CSV). `previewImport` reports, row by row, what is wrong
 * and what would change, writing nothing; `commitImport` re-reads the file, refuses if anything is
 * wrong, and applies the changes in one transaction. Importing the same file twice changes nothing.
 *
 * Rules: the file is authoritative for the columns it has (a missing column leaves that field
 * alone; an empty cell clears it, an empty time zone means UTC); teams listed replace the person's
 * teams; skills are merged (added or re-levelled, never removed — people add their own); departments
 * and teams named in the file are created when missing; people deactivated in Atrium stay so.
 */
import { randomBytes } from "node:crypto";
import { mkdir, readdir, rm, stat, utimes, writeFile } from "node:fs/promises";
import { createReadStream } from "node:fs";
import path from "node:path";
import { slugify } from "../../app/schemas/org.js";
import type { SkillLevel } from "../../app/schemas/people.js";
import { prepareAudit } from "../platform/audit-record.js";
import { bulkInsert } from "../platform/bulk-insert.js";
import {
  ImportTooLargeError,
  parseDirectoryCsv,
  type ImportColumn,
  type ImportRow,
  type ImportSource,
  type RowError,
} from "../platform/directory-csv.js";
import type { Actor } from "../policy.js";
import { authorize } from "../policy.js";
import type { Ctx } from "./context.js";
import { NotFoundError, ValidationError } from "./errors.js";
import { reindexPeopleWhere } from "./people.js";
import { resolveSkills } from "./skills.js";

export interface ImportOptions {
  deactivateMissing?: boolean;
  /** Progress for the command line: phase and how far (bytes while reading, rows while writing). */
  onProgress?: (p: { phase: "reading" | "checking" | "writing" | "indexing"; done: number; total: number }) => void;
  /** Overrides IMPORT_MAX_BYTES (the command line may allow more than the web form). */
  maxBytes?: number;
  /** Size of the source when known, for progress. */
  totalBytes?: number;
}

type FieldChange = "name" | "title" | "department" | "teams" | "manager" | "location" | "timeZone" | "skills";

export interface PlannedPerson {
  line: number;
  email: string;
  name: string;
  action: "create" | "update" | "unchanged" | "skipped";
  changes: FieldChange[];
  note?: string;
}

export interface ImportReport {
  ok: boolean;
  fileErrors: string[];
  rowErrors: RowError[];
  /** Rows with errors (each may have several messages). */
  errorCount: number;
  totals: { rows: number; create: number; update: number; unchanged: number; skipped: number; deactivate: number };
  newDepartments: string[];
  newTeams: string[];
  deactivate: { id: string; name: string; email: string }[];
  /** First rows that create or change someone (the preview shows these). */
  sample: PlannedPerson[];
  columns: ImportColumn[];
  bytes: number;
}

interface Existing {
  id: string;
  email: string;
  name: string;
  title: string;
  location: string;
  timeZone: string;
  active: boolean;
  departmentId: string | null;
  managerId: string | null;
  teamIds: Set<string>;
  skills: Map<string, string>; // skillId → level
}

interface Plan {
  report: ImportReport;
  rows: ImportRow[];
  existing: Map<string, Existing>;
  departments: Map<string, string>; // lower-case name → id
  teams: Map<string, { id: string; name: string }>;
  skillIds: Map<string, string | null>; // typed name → skill id (null: new skill)
  planned: Map<string, PlannedPerson>;
}

const lower = (s: string) => s.trim().toLowerCase();

/**
 * Reads a big table in keyset pages: one 150,000-row result costs Prisma several copies of itself
 * at once (adapter rows, compiler input, objects), while 10,000-row pages keep the peak low.
 */
async function inPages<T>(fetchPage: (after: T | null, take: number) => Promise<T[]>, take = 10_000): Promise<T[]> {
  const out: T[] = [];
  let after: T | null = null;
  for (;;) {
    const page = await fetchPage(after, take);
    for (const row of page) out.push(row);
    if (page.length < take) return out;
    after = page[page.length - 1];
  }
}

async function loadState(ctx: Ctx) {
  const db = ctx.db;
  const [users, memberships, userSkills, departments, teams, skills, synonyms] = await Promise.all([
    inPages<{ id: string; email: string; name: string; title: string; location: string; timeZone: string; active: boolean; departmentId: string | null; managerId: string | null }>((after, take) =>
      db.user.findMany({
        where: after ? { id: { gt: after.id } } : {},
        orderBy: { id: "asc" },
        take,
        select: { id: true, email: true, name: true, title: true, location: true, timeZone: true, active: true, departmentId: true, managerId: true },
      }),
    ),
    inPages<{ userId: string; teamId: string }>((after, take) =>
      db.teamMembership.findMany({
        where: after ? { OR: [{ userId: { gt: after.userId } }, { userId: after.userId, teamId: { gt: after.teamId } }] } : {},
        orderBy: [{ userId: "asc" }, { teamId: "asc" }],
        take,
        select: { userId: true, teamId: true },
      }),
    ),
    inPages<{ userId: string; skillId: string; level: string }>((after, take) =>
      db.userSkill.findMany({
        where: after ? { OR: [{ userId: { gt: after.userId } }, { userId: after.userId, skillId: { gt: after.skillId } }] } : {},
        orderBy: [{ userId: "asc" }, { skillId: "asc" }],
        take,
        select: { userId: true, skillId: true, level: true },
      }),
    ),
    db.department.findMany({ select: { id: true, name: true } }),
    db.team.findMany({ select: { id: true, name: true } }),
    db.skill.findMany({ select: { id: true, name: true } }),
    db.skillSynonym.findMany({ select: { name: true, skillId: true } }),
  ]);
  const byId = new Map<string, Existing>();
  const existing = new Map<string, Existing>();
  for (const u of users) {
    const e: Existing = { ...u, teamIds: new Set(), skills: new Map() };
    byId.set(u.id, e);
    existing.set(u.email, e);
  }
  for (const m of memberships) byId.get(m.userId)?.teamIds.add(m.teamId);
  for (const s of userSkills) byId.get(s.userId)?.skills.set(s.skillId, s.level);
  return {
    existing,
    byId,
    departments: new Map(departments.map((d) => [lower(d.name), d.id])),
    teams: new Map(teams.map((t) => [lower(t.name), t])),
    vocabulary: new Map([...skills.map((s) => [s.name, s.id] as const), ...synonyms.map((s) => [s.name, s.skillId] as const)]),
  };
}

function sameSet(a: Set<string>, b: string[]) {
  return a.size === b.length && b.every((x) => a.has(x));
}

/** Reads, validates and compares the file with the directory. Writes nothing. */
async function plan(ctx: Ctx, actor: Actor, source: ImportSource, opts: ImportOptions): Promise<Plan> {
  const maxBytes = opts.maxBytes ?? ctx.env.IMPORT_MAX_BYTES;
  let parsed;
  try {
    parsed = await parseDirectoryCsv(source, { maxBytes, onBytes: (b) => opts.onProgress?.({ phase: "reading", done: b, total: opts.totalBytes ?? 0 }) });
  } catch (e) {
    if (e instanceof ImportTooLargeError) throw new ValidationError({ file: [e.message] }, e.message);
    throw e;
  }
  const state = await loadState(ctx);
  const errors = new Map<number, RowError>(parsed.errors.map((e) => [e.line, e]));
  const addError = (row: { line: number; email: string }, message: string) => {
    const e = errors.get(row.line) ?? { line: row.line, email: row.email, messages: [] };
    e.messages.push(message);
    errors.set(row.line, e);
  };

  // Duplicates: the second and later rows for one email are errors pointing at the first.
  const firstLine = new Map<string, number>();
  for (const e of parsed.errors) if (e.email && !firstLine.has(e.email)) firstLine.set(e.email, e.line);
  const rows: ImportRow[] = [];
  for (const r of parsed.rows) {
    const first = firstLine.get(r.email);
    if (first !== undefined && first < r.line) addError(r, `Duplicate row: ${r.email} already appears on line ${first}.`);
    else {
      firstLine.set(r.email, r.line);
      rows.push(r);
    }
  }
  const inFile = new Map(rows.map((r) => [r.email, r]));
  const allEmails = new Set([...firstLine.keys()]);

  // Managers must exist (in the file or in Atrium), and the reporting lines must not loop.
  const managerOf = (email: string): string | null => {
    const r = inFile.get(email);
    if (r && r.managerEmail !== undefined) return r.managerEmail;
    const e = state.existing.get(email);
    return e?.managerId ? state.byId.get(e.managerId)?.email ?? null : null;
  };
  for (const r of rows) {
    if (r.managerEmail && !allEmails.has(r.managerEmail) && !state.existing.get(r.managerEmail)?.active) {
      addError(r, `Manager ${r.managerEmail} is neither in the file nor an active person in Atrium.`);
    }
  }
  const cycleChecked = new Set<string>();
  for (const r of rows) {
    if (cycleChecked.has(r.email)) continue;
    const chain: string[] = [];
    const pos = new Map<string, number>();
    let cur: string | null = r.email;
    while (cur && !cycleChecked.has(cur) && !pos.has(cur) && chain.length < 100_000) {
      pos.set(cur, chain.length);
      chain.push(cur);
      cur = managerOf(cur);
    }
    if (cur && pos.has(cur)) {
      const loop = chain.slice(pos.get(cur)!);
      const text = [...loop, cur].join(" → ");
      for (const email of loop) {
        const row = inFile.get(email);
        if (row) addError(row, `Manager cycle: ${text}.`);
      }
    }
    for (const e of chain) cycleChecked.add(e);
  }
  opts.onProgress?.({ phase: "checking", done: rows.length, total: rows.length });

  // What would change.
  const newDepartments = new Map<string, string>();
  const newTeams = new Map<string, string>();
  const skillIds = new Map<string, string | null>();
  const planned = new Map<string, PlannedPerson>();
  const totals = { rows: parsed.rows.length + parsed.errors.length, create: 0, update: 0, unchanged: 0, skipped: 0, deactivate: 0 };
  for (const r of rows) {
    if (errors.has(r.line)) continue;
    if (r.department && !state.departments.has(lower(r.department))) newDepartments.set(lower(r.department), r.department);
    for (const t of r.teams ?? []) if (!state.teams.has(lower(t))) newTeams.set(lower(t), t);
    for (const s of r.skills ?? []) if (!skillIds.has(s.name)) skillIds.set(s.name, state.vocabulary.get(s.name) ?? null);
    const e = state.existing.get(r.email);
    const p: PlannedPerson = { line: r.line, email: r.email, name: r.name, action: "create", changes: [] };
    if (e && !e.active) {
      p.action = "skipped";
      p.note = "Deactivated in Atrium: reactivate the account in Users to include it.";
    } else if (e) {
      const ch = p.changes;
      if (e.name !== r.name) ch.push("name");
      if (r.title !== undefined && e.title !== r.title) ch.push("title");
      if (r.location !== undefined && e.location !== r.location) ch.push("location");
      if (r.timeZone !== undefined && e.timeZone !== r.timeZone) ch.push("timeZone");
      if (r.department !== undefined) {
        const want = r.department ? state.departments.get(lower(r.department)) ?? "new" : null;
        if (want !== e.departmentId) ch.push("department");
      }
      if (r.managerEmail !== undefined) {
        const want = r.managerEmail ? state.existing.get(r.managerEmail)?.id ?? "new" : null;
        if (want !== e.managerId) ch.push("manager");
      }
      if (r.teams !== undefined) {
        const ids = r.teams.map((t) => state.teams.get(lower(t))?.id ?? `new:${lower(t)}`);
        if (!sameSet(e.teamIds, ids)) ch.push("teams");
      }
      if (r.skills?.some((s) => {
        const id = skillIds.get(s.name);
        return !id || e.skills.get(id) !== s.level;
      })) ch.push("skills");
      p.action = ch.length ? "update" : "unchanged";
    }
    totals[p.action === "create" ? "create" : p.action === "update" ? "update" : p.action === "unchanged" ? "unchanged" : "skipped"]++;
    planned.set(r.email, p);
  }

  const deactivate = opts.deactivateMissing
    ? [...state.existing.values()].filter((u) => u.active && !allEmails.has(u.email) && u.id !== actor.id).map((u) => ({ id: u.id, name: u.name, email: u.email }))
    : [];
  totals.deactivate = deactivate.length;
  const rowErrors = [...errors.values()].sort((a, b) => a.line - b.line);
  const report: ImportReport = {
    ok: parsed.fileErrors.length === 0 && rowErrors.length === 0 && totals.rows > 0,
    fileErrors: totals.rows === 0 && !parsed.fileErrors.length ? ["The file has a header but no people."] : parsed.fileErrors,
    rowErrors,
    errorCount: rowErrors.length,
    totals,
    newDepartments: [...newDepartments.values()].sort(),
    newTeams: [...newTeams.values()].sort(),
    deactivate,
    sample: [...planned.values()].filter((p) => p.action === "create" || p.action === "update" || p.action === "skipped").slice(0, 100),
    columns: parsed.columns,
    bytes: parsed.bytes,
  };
  return { report, rows, existing: state.existing, departments: state.departments, teams: state.teams, skillIds, planned };
}

/** What importing the file would do, row by row. Nothing is written. */
export async function previewImport(ctx: Ctx, actor: Actor, source: ImportSource, opts: ImportOptions = {}): Promise<ImportReport> {
  authorize(actor, "directory.import", null);
  return (await plan(ctx, actor, source, opts)).report;
}

export interface ImportResult {
  created: number;
  updated: number;
  unchanged: number;
  skipped: number;
  deactivated: number;
  departmentsCreated: number;
  teamsCreated: number;
}

const BATCH = 500;

// Ids shaped like Prisma's cuid() (c + time + counter + randomness), made here so managers can be
// linked while their reports are created in the same batch insert.
let idSeq = 0;
function newId() {
  return `c${Date.now().toString(36)}${(idSeq++ % 1296).toString(36).padStart(2, "0")}${randomBytes(8).toString("hex").slice(0, 13)}`;
}

/**
 * Applies the file. Refuses (ValidationError) when the preview would show any error; otherwise
 * every change — people, departments, teams, skills, deactivations and the audit record — commits
 * in one transaction, so a failure leaves nothing half-written.
 */
export async function commitImport(ctx: Ctx, actor: Actor, source: ImportSource, opts: ImportOptions = {}): Promise<{ report: ImportReport; result: ImportResult }> {
  authorize(actor, "directory.import", null);
  const p = await plan(ctx, actor, source, opts);
  if (!p.report.ok) {
    const msg = p.report.fileErrors[0] ?? `${p.report.errorCount} row${p.report.errorCount === 1 ? " has" : "s have"} errors; nothing was imported.`;
    throw Object.assign(new ValidationError({ file: [msg] }, msg), { report: p.report });
  }
  const now = ctx.clock.now();
  const result: ImportResult = {
    created: p.report.totals.create,
    updated: p.report.totals.update,
    unchanged: p.report.totals.unchanged,
    skipped: p.report.totals.skipped,
    deactivated: p.report.deactivate.length,
    departmentsCreated: p.report.newDepartments.length,
    teamsCreated: p.report.newTeams.length,
  };
  const audit = await prepareAudit(ctx, {
    actorId: actor.id,
    action: "directory.imported",
    target: { type: "directory", id: "" },
    summary: `Imported the directory: ${result.created} created, ${result.updated} updated, ${result.unchanged} unchanged, ${result.deactivated} deactivated`,
    details: { ...result, rows: p.report.totals.rows, deactivateMissing: !!opts.deactivateMissing, bytes: p.report.bytes },
  });
  const touched = p.rows.filter((r) => {
    const a = p.planned.get(r.email)?.action;
    return a === "create" || a === "update";
  });
  const total = touched.length + p.report.deactivate.length;
  let done = 0;
  const progress = (n: number) => {
    done += n;
    opts.onProgress?.({ phase: "writing", done, total });
  };

  const changedIds: string[] = [];
  await ctx.db.$transaction(
    async (tx) => {
      // Departments and teams named in the file.
      const deptId = new Map(p.departments);
      for (const name of p.report.newDepartments) {
        const d = await tx.department.create({ data: { name, slug: await freeSlug(tx, "department", name) }, select: { id: true } });
        deptId.set(lower(name), d.id);
      }
      const teamId = new Map([...p.teams].map(([k, t]) => [k, t.id]));
      for (const name of p.report.newTeams) {
        const firstRow = p.rows.find((r) => r.teams?.some((t) => lower(t) === lower(name)));
        const t = await tx.team.create({
          data: { name, slug: await freeSlug(tx, "team", name), departmentId: firstRow?.department ? deptId.get(lower(firstRow.department)) ?? null : null },
          select: { id: true },
        });
        teamId.set(lower(name), t.id);
      }
      // Skills: the shared vocabulary resolves names and synonyms, adding unknown ones.
      const skillNames = [...p.skillIds.keys()];
      const skillId = skillNames.length ? await resolveSkills(tx, skillNames) : new Map<string, string>();

      // People: ids first, so managers and reports can be linked in one pass.
      const idOf = new Map<string, string>();
      for (const [email, e] of p.existing) idOf.set(email, e.id);
      for (const r of touched) if (!idOf.has(r.email)) idOf.set(r.email, newId());
      const fields = (r: ImportRow) => ({
        ...(r.title !== undefined ? { title: r.title } : {}),
        ...(r.location !== undefined ? { location: r.location } : {}),
        ...(r.timeZone !== undefined ? { timeZone: r.timeZone } : {}),
        ...(r.department !== undefined ? { departmentId: r.department ? deptId.get(lower(r.department))! : null } : {}),
        ...(r.managerEmail !== undefined ? { managerId: r.managerEmail ? idOf.get(r.managerEmail)! : null } : {}),
      });

      // New people, managers before their reports (the lines are acyclic: checked above).
      const creates = touched.filter((r) => !p.existing.has(r.email));
      const createSet = new Set(creates.map((r) => r.email));
      const byEmail = new Map(creates.map((r) => [r.email, r]));
      const ordered: ImportRow[] = [];
      const placed = new Set<string>();
      for (const r of creates) {
        const stack: ImportRow[] = [];
        for (let cur: ImportRow | undefined = r; cur && !placed.has(cur.email); cur = cur.managerEmail ? byEmail.get(cur.managerEmail) : undefined) {
          stack.push(cur);
          placed.add(cur.email);
        }
        for (let i = stack.length - 1; i >= 0; i--) ordered.push(stack[i]);
      }
      const userColumns = ["id", "email", "name", "title", "location", "timeZone", "departmentId", "managerId", "createdAt", "updatedAt"] as const;
      await bulkInsert(
        tx,
        "User",
        [...userColumns],
        ordered.map((r) => {
          const f = { title: "", location: "", timeZone: "UTC", departmentId: null, managerId: null, ...fields(r) };
          return [idOf.get(r.email)!, r.email, r.name, f.title, f.location, f.timeZone, f.departmentId, f.managerId, now, now];
        }),
        { onBatch: progress },
      );
      // Changed people: only the fields that differ are written.
      for (const r of touched) {
        if (!p.existing.has(r.email)) continue;
        await tx.user.update({ where: { id: idOf.get(r.email)! }, data: { name: r.name, ...fields(r) } });
        progress(1);
      }
      // Teams (replace) and skills (merge) for everyone created or changed.
      const memberships: { userId: string; teamId: string }[] = [];
      const newSkills: { userId: string; skillId: string; level: SkillLevel }[] = [];
      for (const r of touched) {
        const userId = idOf.get(r.email)!;
        const e = p.existing.get(r.email);
        changedIds.push(userId);
        if (r.teams !== undefined) {
          const want = r.teams.map((t) => teamId.get(lower(t))!);
          if (e) {
            const drop = [...e.teamIds].filter((t) => !want.includes(t));
            if (drop.length) await tx.teamMembership.deleteMany({ where: { userId, teamId: { in: drop } } });
          }
          for (const t of want) if (!e?.teamIds.has(t)) memberships.push({ userId, teamId: t });
        }
        const seen = new Set<string>();
        for (const s of r.skills ?? []) {
          const id = skillId.get(s.name)!;
          if (seen.has(id)) continue; // "k8s" and "kubernetes" on one row: the first level wins
          seen.add(id);
          const had = e?.skills.get(id);
          if (had === s.level) continue;
          if (had) await tx.userSkill.update({ where: { userId_skillId: { userId, skillId: id } }, data: { level: s.level } });
          else newSkills.push({ userId, skillId: id, level: s.level });
        }
      }
      await bulkInsert(tx, "TeamMembership", ["userId", "teamId", "joinedAt"], memberships.map((m) => [m.userId, m.teamId, now]));
      await bulkInsert(tx, "UserSkill", ["userId", "skillId", "level"], newSkills.map((k) => [k.userId, k.skillId, k.level]));

      // People missing from the file, when asked.
      const gone = p.report.deactivate.map((d) => d.id);
      for (let i = 0; i < gone.length; i += BATCH) {
        const ids = gone.slice(i, i + BATCH);
        await tx.user.updateMany({ where: { id: { in: ids } }, data: { active: false, deactivatedAt: now } });
        await tx.session.deleteMany({ where: { userId: { in: ids } } });
        // Revoked for good: reactivating the person later does not bring the tokens back.
        await tx.apiToken.updateMany({ where: { ownerId: { in: ids }, revokedAt: null }, data: { revokedAt: now } });
        progress(ids.length);
      }
      await tx.auditEvent.create({ data: audit });
    },
    { timeout: 15 * 60_000, maxWait: 30_000 },
  );

  // The directory index follows the database, reloaded in pages (one 50,000-person query with its
  // includes would hold several hundred MB at once).
  const gone = p.report.deactivate.map((d) => d.id);
  opts.onProgress?.({ phase: "indexing", done: 0, total: changedIds.length });
  const PAGE = 900; // under Prisma's bound-parameter limit for SQLite
  for (let i = 0; i < changedIds.length; i += PAGE) {
    await reindexPeopleWhere(ctx, { id: { in: changedIds.slice(i, i + PAGE) } });
    opts.onProgress?.({ phase: "indexing", done: Math.min(changedIds.length, i + PAGE), total: changedIds.length });
  }
  for (const id of gone) ctx.peopleIndex.remove(id);

  await ctx.bus.publish("directory.imported", { created: result.created, updated: result.updated, deactivated: result.deactivated });
  // Per-person events for a small import; a large one is announced by directory.imported alone, so
  // 50,000 profile events do not flood every open tab and webhook.
  if (changedIds.length <= PER_PERSON_EVENT_LIMIT) for (const userId of changedIds) await ctx.bus.publish("person.updated", { userId });
  for (const userId of gone) {
    await ctx.bus.publish("person.deactivated", { userId });
    await ctx.bus.publish("session.revoked", { userId, sessionIds: "all" });
  }
  return { report: p.report, result };
}

const PER_PERSON_EVENT_LIMIT = 500;

async function freeSlug(tx: Pick<Ctx["db"], "department" | "team">, kind: "department" | "team", name: string) {
  const base = slugify(name) || kind;
  const model = (kind === "department" ? tx.department : tx.team) as Ctx["db"]["department"];
  for (let i = 1; ; i++) {
    const slug = i === 1 ? base : `${base}-${i}`;
    if (!(await model.findUnique({ where: { slug }, select: { id: true } }))) return slug;
  }
}

// ---- Web uploads: the previewed file is kept, by id, until it is committed or an hour passes. ----

const STAGE_TTL_MS = 60 * 60_000;

/**
 * Keeps an uploaded file for preview and commit; returns its id. Its age is measured on the
 * injected clock: the file's modification time is set from it.
 */
export async function stageImportFile(ctx: Ctx, actor: Actor, bytes: Uint8Array): Promise<string> {
  authorize(actor, "directory.import", null);
  if (bytes.length > ctx.env.IMPORT_MAX_BYTES) throw new ValidationError({ file: [new ImportTooLargeError(ctx.env.IMPORT_MAX_BYTES).message] });
  const dir = ctx.env.IMPORT_STAGE_DIR;
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const now = ctx.clock.now();
  for (const f of await readdir(dir).catch(() => [] as string[])) {
    const s = await stat(path.join(dir, f)).catch(() => null);
    if (s && now.getTime() - s.mtimeMs > STAGE_TTL_MS) await rm(path.join(dir, f), { force: true });
  }
  const id = randomBytes(16).toString("hex");
  const file = path.join(dir, `${id}.csv`);
  await writeFile(file, bytes, { mode: 0o600 });
  await utimes(file, now, now);
  return id;
}

async function stagedFile(ctx: Ctx, id: string) {
  if (!/^[0-9a-f]{32}$/.test(id)) throw new NotFoundError("That uploaded file");
  const file = path.join(ctx.env.IMPORT_STAGE_DIR, `${id}.csv`);
  const s = await stat(file).catch(() => null);
  // Expired even when no later upload has swept it away yet.
  if (!s || ctx.clock.now().getTime() - s.mtimeMs > STAGE_TTL_MS) throw new ValidationError({ file: ["The uploaded file has expired. Choose it again."] });
  return { file, size: s.size };
}

export async function previewStagedImport(ctx: Ctx, actor: Actor, id: string, opts: ImportOptions = {}) {
  authorize(actor, "directory.import", null);
  const { file, size } = await stagedFile(ctx, id);
  return previewImport(ctx, actor, createReadStream(file), { ...opts, totalBytes: size });
}

export async function commitStagedImport(ctx: Ctx, actor: Actor, id: string, opts: ImportOptions = {}) {
  authorize(actor, "directory.import", null);
  const { file, size } = await stagedFile(ctx, id);
  const out = await commitImport(ctx, actor, createReadStream(file), { ...opts, totalBytes: size });
  await rm(file, { force: true });
  return out;
}
