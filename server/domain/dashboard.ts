/**
 * The involvement dashboard ("Return on Involvement"): who may see which scope, the
 * period, and the figures shaped for the page and the CSV export. Metric definitions live in
 * server/dashboard/metrics.ts and decision 071.
 */
import { csvLine } from "../platform/csv.js";
import { computeMetrics, type Metrics, type Percentiles } from "../dashboard/metrics.js";
import { resolvePeriod, type Period } from "../dashboard/period.js";
import { can, type Actor } from "../policy.js";
import { notAVerb, type Ctx } from "./context.js";
import { ForbiddenError, ValidationError } from "./errors.js";

/** The baseline the essays describe: a fortnightly report reached the front line 14 days late. */
export const BASELINE_SECONDS = 14 * 86_400;

export const CSV_METRICS = ["questions", "weekly", "insights", "contributors", "help-matrix", "coauthored"] as const;
export type CsvMetric = (typeof CSV_METRICS)[number];

export interface DashboardInput {
  scope?: string;
  period?: string;
  from?: string;
  to?: string;
}

type Dept = { id: string; name: string; slug: string };
const OTHER = { id: "__other", name: "Other departments" };
const NONE = { id: "__none", name: "No department" };

function str(v: unknown): string | undefined {
  return typeof v === "string" ? v : undefined;
}

/** Scope and period for a request, with field-level messages for what cannot be understood. */
async function resolveRequest(ctx: Ctx, actor: Actor, raw: unknown) {
  const input = (raw && typeof raw === "object" ? raw : {}) as Record<string, unknown>;
  const req: DashboardInput = { scope: str(input.scope), period: str(input.period), from: str(input.from), to: str(input.to) };
  const [departments, me] = ctx.reads
    ? await Promise.all([
        ctx.reads.all<{ id: string; name: string; slug: string }>(`SELECT d."id", d."name", d."slug" FROM "Department" d ORDER BY d."name", d."id"`),
        ctx.reads.one<{ timeZone: string }>(`SELECT u."timeZone" FROM "User" u WHERE u."id" = ?`, actor.id),
      ])
    : await Promise.all([
        ctx.db.department.findMany({ select: { id: true, name: true, slug: true }, orderBy: [{ name: "asc" }, { id: "asc" }] }),
        ctx.db.user.findUnique({ where: { id: actor.id }, select: { timeZone: true } }),
      ]);
  const fieldErrors: Record<string, string[]> = {};
  const scopeKey = (req.scope ?? "company").trim() || "company";
  let department: Dept | null = null;
  if (scopeKey !== "company") {
    department = departments.find((d) => d.slug === scopeKey || d.id === scopeKey) ?? null;
    if (!department) fieldErrors.scope = [`There is no department "${scopeKey.slice(0, 60)}": choose the company or a department from the list.`];
    else if (!can(actor, "dashboard.viewScope", { departmentId: department.id })) {
      throw new ForbiddenError(`You can see the company-wide figures and your own department's; ${department.name} is visible to leaders and admins.`);
    }
  }
  const resolved = resolvePeriod(req, ctx.clock.now(), me?.timeZone);
  if (!resolved.ok) Object.assign(fieldErrors, resolved.fieldErrors);
  const visibleDepartments = departments.filter((d) => can(actor, "dashboard.viewScope", { departmentId: d.id }));
  return {
    req,
    departments,
    visibleDepartments,
    department,
    period: resolved.ok ? resolved.period : null,
    // An unknown department stays in the form as typed, so the page can show it as "(unknown)".
    form: resolved.ok
      ? { scope: department?.slug ?? scopeKey, period: resolved.period.preset, from: resolved.period.fromDate, to: resolved.period.toDate }
      : { scope: department?.slug ?? scopeKey, period: resolved.preset, from: resolved.fromDate, to: resolved.toDate },
    fieldErrors,
  };
}

/** What a reader may see of the figures: breakdowns by other departments and their teams are for leaders and admins. */
function restrict(actor: Actor, m: Metrics, department: Dept | null): { metrics: Metrics; restricted: boolean } {
  if (department || can(actor, "dashboard.viewBreakdown", null)) return { metrics: m, restricted: false };
  const mine = actor.departmentId;
  const lump = (d: string | null) => (d !== null && d === mine ? d : OTHER.id);
  const cells = new Map<string, { askerDepartmentId: string | null; answererDepartmentId: string | null; answers: number }>();
  for (const c of m.helpMatrix) {
    const a = lump(c.askerDepartmentId);
    const b = lump(c.answererDepartmentId);
    const key = `${a}|${b}`;
    const cur = cells.get(key) ?? { askerDepartmentId: a, answererDepartmentId: b, answers: 0 };
    cur.answers += c.answers;
    cells.set(key, cur);
  }
  return {
    restricted: true,
    metrics: {
      ...m,
      insights: { ...m.insights, teams: m.insights.teams.filter((t) => t.departmentId !== null && t.departmentId === mine) },
      contributors: { ...m.contributors, byDepartment: m.contributors.byDepartment.filter((d) => d.departmentId === mine) },
      helpMatrix: [...cells.values()],
      coauthored: { ...m.coauthored, byDepartment: m.coauthored.byDepartment.filter((d) => d.departmentId === mine) },
    },
  };
}

function departmentNames(departments: Dept[]) {
  const names = new Map<string | null, string>(departments.map((d) => [d.id, d.name]));
  names.set(null, NONE.name);
  names.set(OTHER.id, OTHER.name);
  return (id: string | null) => names.get(id) ?? "Unknown department";
}

/** The dashboard page's data. Bad scope or dates come back as field messages (figures: null). */
export async function getDashboard(ctx: Ctx, actor: Actor, input: unknown) {
  const r = await resolveRequest(ctx, actor, input);
  const base = {
    form: r.form,
    fieldErrors: r.fieldErrors,
    scopeOptions: [{ value: "company", label: "Whole company" }, ...r.visibleDepartments.map((d) => ({ value: d.slug, label: d.name }))],
    canSeeBreakdown: can(actor, "dashboard.viewBreakdown", null),
    baselineSeconds: BASELINE_SECONDS,
  };
  if (Object.keys(r.fieldErrors).length || !r.period) return { ...base, figures: null };
  const raw = await computeMetrics(ctx.db, { from: r.period.from, to: r.period.to, asOf: ctx.clock.now(), departmentId: r.department?.id ?? null }, ctx.reads);
  const { metrics, restricted } = restrict(actor, raw, r.department);
  const name = departmentNames(r.departments);
  const matrixDepts = [...new Set(metrics.helpMatrix.flatMap((c) => [c.askerDepartmentId, c.answererDepartmentId]))]
    .map((id) => ({ id, name: name(id) }))
    .sort((a, b) => (a.id === OTHER.id ? 1 : b.id === OTHER.id ? -1 : a.name.localeCompare(b.name)));
  return {
    ...base,
    figures: {
      scopeLabel: r.department?.name ?? "Whole company",
      period: { label: r.period.label, from: r.period.from.toISOString(), to: r.period.to.toISOString() },
      restricted,
      weeks: weeklyRows(metrics),
      metrics: {
        ...metrics,
        contributors: { ...metrics.contributors, byDepartment: metrics.contributors.byDepartment.map((d) => ({ ...d, name: name(d.departmentId) })) },
        coauthored: { ...metrics.coauthored, byDepartment: metrics.coauthored.byDepartment.map((d) => ({ ...d, name: name(d.departmentId) })) },
      },
      matrix: {
        departments: matrixDepts,
        cells: metrics.helpMatrix.map((c) => ({ ...c, asker: name(c.askerDepartmentId), answerer: name(c.answererDepartmentId) })),
      },
    },
  };
}
export type DashboardData = Awaited<ReturnType<typeof getDashboard>>;

/** Question and insight weeks side by side (a week with only one kind still gets a row). */
export const weeklyRows = notAVerb((m: Pick<Metrics, "questions" | "insights">) => {
  const weeks = new Map<number, { week: number; start: string; asked: number; withinDay: number; eligible: number; ttfaP50: number | null; insights: number; ackP50: number | null }>();
  const row = (week: number, start: string) => weeks.get(week) ?? weeks.set(week, { week, start, asked: 0, withinDay: 0, eligible: 0, ttfaP50: null, insights: 0, ackP50: null }).get(week)!;
  for (const w of m.questions.weeks) Object.assign(row(w.week, w.start), { asked: w.asked, withinDay: w.withinDay, eligible: w.eligible, ttfaP50: w.ttfaP50 });
  for (const w of m.insights.weeks) Object.assign(row(w.week, w.start), { insights: w.insights, ackP50: w.ackP50 });
  return [...weeks.values()].sort((a, b) => a.week - b.week);
});

const hours = (s: number | null) => (s == null ? "" : (s / 3600).toFixed(2));
const pctCells = (p: Percentiles) => [p.n, p.open, hours(p.p50), p.p50Open ? "at least" : "", hours(p.p90), p.p90Open ? "at least" : ""];

/** One metric as CSV, for the same scope and period as the page (and the same permissions). */
export async function exportDashboardCsv(ctx: Ctx, actor: Actor, input: unknown) {
  const metric = str((input as Record<string, unknown> | null)?.metric) ?? "";
  if (!(CSV_METRICS as readonly string[]).includes(metric)) {
    throw new ValidationError({ metric: [`Unknown metric "${metric.slice(0, 40)}": choose one of ${CSV_METRICS.join(", ")}.`] });
  }
  const d = await getDashboard(ctx, actor, input);
  if (!d.figures) throw new ValidationError(d.fieldErrors, Object.values(d.fieldErrors).flat().join(" "));
  const f = d.figures;
  const m = f.metrics;
  const lines: unknown[][] = [];
  switch (metric as CsvMetric) {
    case "questions": {
      const q = m.questions;
      lines.push(["asked", "answered", "open", "accepted", "answered_within_day", "within_day_eligible", "ttfa_measured", "ttfa_open", "ttfa_median_hours", "median_is_lower_bound", "ttfa_p90_hours", "p90_is_lower_bound"]);
      lines.push([q.asked, q.answered, q.open, q.accepted, q.withinDay, q.eligible, ...pctCells(q.ttfa)]);
      break;
    }
    case "weekly":
      lines.push(["week_start", "asked", "answered_within_day", "within_day_eligible", "ttfa_median_hours", "insights", "insight_ack_median_hours"]);
      for (const w of weeklyRows(m)) lines.push([w.start, w.asked, w.withinDay, w.eligible, hours(w.ttfaP50), w.insights, hours(w.ackP50)]);
      break;
    case "insights":
      lines.push(["team", "insights", "ack_measured", "ack_open", "ack_median_hours", "ack_median_lower_bound", "ack_p90_hours", "ack_p90_lower_bound", "resolve_measured", "resolve_open", "resolve_median_hours", "resolve_median_lower_bound", "resolve_p90_hours", "resolve_p90_lower_bound", "ack_sla_breaches", "resolve_sla_breaches", "baseline_hours"]);
      for (const t of [m.insights.total, ...m.insights.teams]) {
        lines.push([t.teamName, t.insights, ...pctCells(t.ack), ...pctCells(t.resolve), t.ackBreaches, t.resolveBreaches, hours(BASELINE_SECONDS)]);
      }
      break;
    case "contributors":
      lines.push(["department", "active_contributors", "staff"]);
      lines.push([f.scopeLabel, m.contributors.active, m.contributors.staff]);
      for (const c of m.contributors.byDepartment) lines.push([c.name, c.active, c.staff]);
      break;
    case "help-matrix":
      lines.push(["asker_department", "answerer_department", "answers"]);
      for (const c of f.matrix.cells) lines.push([c.asker, c.answerer, c.answers]);
      break;
    case "coauthored":
      lines.push(["department", "cross_department_documents"]);
      lines.push([f.scopeLabel, m.coauthored.documents]);
      for (const c of m.coauthored.byDepartment) lines.push([c.name, c.documents]);
      break;
  }
  const slug = (d.form.scope || "company").replace(/[^a-z0-9-]/gi, "");
  return {
    filename: `atrium-${metric}-${slug}-${d.form.from}-to-${d.form.to}.csv`,
    body: lines.map(csvLine).join(""),
  };
}
