import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useLoaderData, useRouteError } from "@remix-run/react";
import { ChartSection, SimpleBars, TeamTimesChart, WeeklyChart } from "~/components/dashboard-charts";
import { useFormatDate } from "~/components/when";
import { ErrorMessage } from "~/root";
import dashStyles from "~/styles/dashboard.css";
import { load, requireAuth } from "~/utils/http.server";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: dashStyles }];
export const meta: MetaFunction = () => [{ title: "Return on Involvement · Atrium" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const auth = await requireAuth(request, context);
  const params = Object.fromEntries(new URL(request.url).searchParams);
  return load(() => context.domain.dashboard.getDashboard(auth.actor, params));
}

const PRESETS = [
  ["this-week", "This week"],
  ["this-month", "This month"],
  ["last-30-days", "Last 30 days"],
  ["this-quarter", "This quarter"],
  ["last-12-months", "Last 12 months"],
  ["custom", "Custom dates"],
] as const;

/** Seconds as minutes, hours or days; "≥" when the figure is an open item's age so far. */
export function duration(s: number | null, atLeast = false): string {
  if (s == null) return "—";
  const pre = atLeast ? "≥ " : "";
  if (s < 3600) return `${pre}${Math.max(1, Math.round(s / 60))} min`;
  if (s < 48 * 3600) return `${pre}${(s / 3600).toFixed(1)} h`;
  return `${pre}${(s / 86400).toFixed(1)} days`;
}
const pct = (n: number, d: number) => (d ? `${Math.round((100 * n) / d)}%` : "—");
const hours = (s: number | null) => (s == null ? null : Math.round((s / 3600) * 10) / 10);

/** Typing a date means custom dates: switch the period selector (without JavaScript the hint says so). */
function chooseCustom(e: { currentTarget: HTMLInputElement }) {
  const select = e.currentTarget.form?.elements.namedItem("period");
  if (select instanceof HTMLSelectElement) select.value = "custom";
}

function FieldErrors({ id, errors }: { id: string; errors?: string[] }) {
  if (!errors?.length) return null;
  return <p id={id} className="field-error" role="alert">{errors.join(" ")}</p>;
}

export default function Dashboard() {
  const d = useLoaderData<typeof loader>();
  const fe = d.fieldErrors as Record<string, string[] | undefined>;
  const qs = new URLSearchParams({ scope: d.form.scope, period: d.form.period, from: d.form.from, to: d.form.to });
  const csv = (metric: string) => `/dashboard/export.csv?metric=${metric}&${qs}`;
  const f = d.figures;
  return (
    <>
      <h1>Return on Involvement</h1>
      <Form method="get" className="card dash-controls" aria-label="Dashboard scope and period">
        <div className="field">
          <label htmlFor="dash-scope">Scope</label>
          <select id="dash-scope" name="scope" defaultValue={d.form.scope} aria-invalid={fe.scope ? true : undefined} aria-describedby={fe.scope ? "dash-scope-error" : undefined}>
            {d.scopeOptions.map((o) => (
              <option key={o.value} value={o.value}>{o.label}</option>
            ))}
            {fe.scope && !d.scopeOptions.some((o) => o.value === d.form.scope) && <option value={d.form.scope}>{d.form.scope.slice(0, 40)} (unknown)</option>}
          </select>
          <FieldErrors id="dash-scope-error" errors={fe.scope} />
        </div>
        <div className="field">
          <label htmlFor="dash-period">Period</label>
          <select id="dash-period" name="period" defaultValue={d.form.period} aria-invalid={fe.period ? true : undefined}>
            {PRESETS.map(([v, l]) => (
              <option key={v} value={v}>{l}</option>
            ))}
          </select>
          <FieldErrors id="dash-period-error" errors={fe.period} />
        </div>
        <div className="field">
          <label htmlFor="dash-from">From <span className="muted small">(custom)</span></label>
          <input id="dash-from" name="from" type="date" defaultValue={d.form.from} onChange={chooseCustom} aria-invalid={fe.from ? true : undefined} aria-describedby={fe.from ? "dash-from-error" : undefined} />
          <FieldErrors id="dash-from-error" errors={fe.from} />
        </div>
        <div className="field">
          <label htmlFor="dash-to">To <span className="muted small">(custom, inclusive)</span></label>
          <input id="dash-to" name="to" type="date" defaultValue={d.form.to} onChange={chooseCustom} aria-invalid={fe.to ? true : undefined} aria-describedby={fe.to ? "dash-to-error" : undefined} />
          <FieldErrors id="dash-to-error" errors={fe.to} />
        </div>
        <button type="submit">Show</button>
        <p className="muted small" style={{ flexBasis: "100%", margin: 0 }}>Dates only apply with "Custom dates"; a preset fills them in.</p>
      </Form>
      {!f ? (
        <p className="card" data-testid="dashboard-no-figures">Correct the highlighted field to see the figures.</p>
      ) : (
        <Figures f={f} csv={csv} baselineSeconds={d.baselineSeconds} />
      )}
      <details className="card dash-note" style={{ marginTop: "1rem" }} open>
        <summary>How this is measured</summary>
        <ul>
          <li><strong>Time to first answer</strong>: from a question being asked to the first answer by someone other than the asker. Deleted questions and deleted answers are left out; self-answers do not count as answers.</li>
          <li>Questions and insights still <strong>open</strong> count at their age so far, so a backlog raises the median instead of hiding; a figure marked "≥" is such an age.</li>
          <li>Medians and p90 are <strong>nearest-rank</strong> percentiles. <strong>Answered within a day</strong> leaves out open questions younger than a day. <strong>Acceptance</strong> is the share of answered questions with an accepted answer from someone else.</li>
          <li><strong>Insights</strong>: created in the period, per team they were routed to; acknowledging means acknowledged (or closed) by the team. The <strong>14-day baseline</strong> is how late the old fortnightly report reached the front line.</li>
          <li><strong>Active contributors</strong>: active staff who asked, answered, commented, edited a document or handled an insight in the period. The <strong>help matrix</strong> counts answers given in the period, by the asker's and the answerer's department.</li>
          <li>Periods run from midnight to midnight in your time zone; departments are the people's current ones.</li>
        </ul>
      </details>
    </>
  );
}

type Figures = NonNullable<ReturnType<typeof useLoaderData<typeof loader>>["figures"]>;

function Figures({ f, csv, baselineSeconds }: { f: Figures; csv: (m: string) => string; baselineSeconds: number }) {
  const m = f.metrics;
  const q = m.questions;
  const total = m.insights.total;
  const teamRows = m.insights.teams.filter((t) => t.insights > 0);
  const matrixMax = Math.max(1, ...f.matrix.cells.map((c) => c.answers));
  const cell = (a: string | null, b: string | null) => f.matrix.cells.find((c) => c.askerDepartmentId === a && c.answererDepartmentId === b)?.answers ?? 0;
  const baselineHours = baselineSeconds / 3600;
  const dates = useFormatDate();
  return (
    <>
      <p className="muted" data-testid="dashboard-scope">
        <strong>{f.scopeLabel}</strong> · {f.period.label}
        {f.restricted && " · per-team and per-department breakdowns outside your department are visible to leaders and admins"}
      </p>
      <div className="dash-headlines" data-testid="headlines">
        <div className="dash-headline" data-testid="headline-ttfa"><span className="muted">Median time to first answer</span><span className="value">{duration(q.ttfa.p50, q.ttfa.p50Open)}</span><span className="muted small">p90 {duration(q.ttfa.p90, q.ttfa.p90Open)} · {q.asked} asked</span></div>
        <div className="dash-headline" data-testid="headline-within-day"><span className="muted">Answered within a day</span><span className="value">{pct(q.withinDay, q.eligible)}</span><span className="muted small">{q.withinDay} of {q.eligible}</span></div>
        <div className="dash-headline" data-testid="headline-acceptance"><span className="muted">Acceptance rate</span><span className="value">{pct(q.accepted, q.answered)}</span><span className="muted small">{q.accepted} of {q.answered} answered</span></div>
        <div className="dash-headline" data-testid="headline-insight-ack"><span className="muted">Median insight time to acknowledge</span><span className="value">{duration(total.ack.p50, total.ack.p50Open)}</span><span className="muted small">vs 14 days before · {total.insights} insights</span></div>
        <div className="dash-headline" data-testid="headline-contributors"><span className="muted">Active contributors</span><span className="value">{pct(m.contributors.active, m.contributors.staff)}</span><span className="muted small">{m.contributors.active} of {m.contributors.staff} staff</span></div>
        <div className="dash-headline" data-testid="headline-coauthored"><span className="muted">Docs co-authored across departments</span><span className="value">{m.coauthored.documents}</span></div>
      </div>

      <ChartSection
        id="insights"
        title="Insight response per team, against the 14-day baseline"
        csvHref={csv("insights")}
        chart={<TeamTimesChart baselineHours={baselineHours} data={teamRows.map((t) => ({ team: t.teamName, ackHours: hours(t.ack.p50), resolveHours: hours(t.resolve.p50) }))} />}
        table={
          <table className="dash-table" data-testid="insights-table">
            <caption className="sr-only">Insight response per team</caption>
            <thead><tr><th scope="col">Team</th><th scope="col" className="num">Insights</th><th scope="col" className="num">Acknowledge, median</th><th scope="col" className="num">Acknowledge, p90</th><th scope="col" className="num">Resolve, median</th><th scope="col" className="num">Resolve, p90</th><th scope="col" className="num">SLA breaches (ack / resolve)</th><th scope="col" className="num">Baseline</th></tr></thead>
            <tbody>
              {[total, ...teamRows].map((t) => (
                <tr key={t.teamId}>
                  <th scope="row">{t.teamName}</th>
                  <td className="num">{t.insights}</td>
                  <td className={`num${(t.ack.p50 ?? 0) > baselineSeconds ? " over-baseline" : ""}`}>{duration(t.ack.p50, t.ack.p50Open)}</td>
                  <td className="num">{duration(t.ack.p90, t.ack.p90Open)}</td>
                  <td className={`num${(t.resolve.p50 ?? 0) > baselineSeconds ? " over-baseline" : ""}`}>{duration(t.resolve.p50, t.resolve.p50Open)}</td>
                  <td className="num">{duration(t.resolve.p90, t.resolve.p90Open)}</td>
                  <td className="num">{t.ackBreaches} / {t.resolveBreaches}</td>
                  <td className="num">14 days</td>
                </tr>
              ))}
            </tbody>
          </table>
        }
      />

      <ChartSection
        id="weekly"
        title="Week by week"
        csvHref={csv("weekly")}
        chart={<WeeklyChart data={f.weeks.map((w) => ({ week: dates.day(w.start, true), medianHours: hours(w.ttfaP50), ackHours: hours(w.ackP50), withinDayPct: w.eligible ? Math.round((100 * w.withinDay) / w.eligible) : null }))} />}
        table={
          <SimpleTable
            testId="weekly-table"
            head={["Week from", "Questions asked", "Median time to first answer", "Answered within a day", "Insights", "Median insight time to acknowledge"]}
            rows={f.weeks.map((w) => ({ key: String(w.week), cells: [dates.day(w.start), w.asked, duration(w.ttfaP50), pct(w.withinDay, w.eligible), w.insights, duration(w.ackP50)] }))}
          />
        }
      />

      <ChartSection
        id="help-matrix"
        title="Who answers whom (help across departments)"
        csvHref={csv("help-matrix")}
        note={<p className="muted small">Rows: the asker's department. Columns: the answerer's. Darker cells: more answers.</p>}
        chart={
          <SimpleBars
            x="department"
            data={f.matrix.departments.map((dep) => ({
              department: dep.name,
              given: f.matrix.cells.filter((c) => c.answererDepartmentId === dep.id && c.askerDepartmentId !== dep.id).reduce((s, c) => s + c.answers, 0),
              received: f.matrix.cells.filter((c) => c.askerDepartmentId === dep.id && c.answererDepartmentId !== dep.id).reduce((s, c) => s + c.answers, 0),
            }))}
            bars={[{ key: "given", name: "Answers given to other departments", color: "#2b5cab" }, { key: "received", name: "Answers received from other departments", color: "#d69e2e" }]}
          />
        }
        tableAlwaysShown
        table={
      <div className="dash-table-scroll">
        <table className="dash-table heat" data-testid="help-matrix">
          <caption className="sr-only">Answers by asker's department (rows) and answerer's department (columns)</caption>
          <thead><tr><th scope="col">Asker ↓ · Answerer →</th>{f.matrix.departments.map((c) => <th key={c.id ?? "none"} scope="col" className="num">{c.name}</th>)}</tr></thead>
          <tbody>
            {f.matrix.departments.map((r) => (
              <tr key={r.id ?? "none"}>
                <th scope="row">{r.name}</th>
                {f.matrix.departments.map((c) => {
                  const n = cell(r.id, c.id);
                  return <td key={c.id ?? "none"} className="num" style={{ background: n ? `rgba(43, 92, 171, ${0.1 + (0.8 * n) / matrixMax})` : undefined, color: n / matrixMax > 0.5 ? "#fff" : undefined }}>{n}</td>;
                })}
              </tr>
            ))}
            {!f.matrix.departments.length && <tr><td>No answers in this period.</td></tr>}
          </tbody>
        </table>
      </div>
        }
      />

      <ChartSection
        id="contributors"
        title="Active contributors by department"
        csvHref={csv("contributors")}
        chart={<SimpleBars x="department" data={m.contributors.byDepartment.map((c) => ({ department: c.name, active: c.active, inactive: c.staff - c.active }))} bars={[{ key: "active", name: "Active contributors", color: "#1f9d55", stack: "s" }, { key: "inactive", name: "Other staff", color: "#dde1e8", stack: "s" }]} />}
        table={
          <SimpleTable
            testId="contributors-table"
            head={["Department", "Active contributors", "Staff", "Share"]}
            rows={m.contributors.byDepartment.map((c) => ({ key: c.departmentId ?? "none", cells: [c.name, c.active, c.staff, pct(c.active, c.staff)] }))}
          />
        }
      />

      <ChartSection
        id="coauthored"
        title="Documents co-authored across departments"
        csvHref={csv("coauthored")}
        chart={<SimpleBars x="department" data={m.coauthored.byDepartment.map((c) => ({ department: c.name, documents: c.documents }))} bars={[{ key: "documents", name: "Cross-department documents they edited", color: "#2b5cab" }]} />}
        table={
          <SimpleTable
            testId="coauthored-table"
            head={["Department", "Cross-department documents"]}
            rows={[{ key: "scope", cells: [f.scopeLabel, m.coauthored.documents] }, ...m.coauthored.byDepartment.map((c) => ({ key: c.departmentId, cells: [c.name, c.documents] }))]}
          />
        }
      />
    </>
  );
}

/** A table whose first column names the row and whose other columns are figures. */
function SimpleTable({ testId, head, rows }: { testId: string; head: string[]; rows: { key: string; cells: (string | number)[] }[] }) {
  return (
    <table className="dash-table" data-testid={testId}>
      <thead>
        <tr>{head.map((h, i) => <th key={h} scope="col" className={i ? "num" : undefined}>{h}</th>)}</tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.key}>
            <th scope="row">{r.cells[0]}</th>
            {r.cells.slice(1).map((c, i) => <td key={i} className="num">{c}</td>)}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function ErrorBoundary() {
  return <ErrorMessage error={useRouteError()} />;
}
