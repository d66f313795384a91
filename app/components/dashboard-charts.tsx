/**
 * Charts for the involvement dashboard, drawn with recharts after hydration: the server renders
 * the tables (they work without JavaScript), the browser adds the chart and a table toggle.
 * recharts itself (dashboard-recharts.client.tsx) is fetched only then, not with the page.
 */
import { lazy, Suspense, useEffect, useState, type ComponentProps, type ReactNode } from "react";
import type * as Charts from "./dashboard-recharts.client";

export function useHydrated() {
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  return hydrated;
}

/** A titled chart with its table view and CSV link. Without JavaScript only the table shows. */
export function ChartSection(props: { id: string; title: string; csvHref: string; chart: ReactNode; table: ReactNode; note?: ReactNode; tableAlwaysShown?: boolean }) {
  const hydrated = useHydrated();
  const [showTable, setShowTable] = useState(false);
  const tableVisible = !hydrated || showTable || !!props.tableAlwaysShown;
  return (
    <section className="dash-section card" aria-labelledby={`${props.id}-h`} data-testid={`section-${props.id}`}>
      <div className="dash-section-head">
        <h2 id={`${props.id}-h`}>{props.title}</h2>
        <div className="row">
          {hydrated && !props.tableAlwaysShown && (
            <button type="button" className="secondary small" aria-pressed={showTable} aria-controls={`${props.id}-table`} onClick={() => setShowTable((v) => !v)}>
              {showTable ? "Chart view" : "Table view"}<span className="sr-only"> for {props.title}</span>
            </button>
          )}
          <a href={props.csvHref} download>Download CSV<span className="sr-only"> of {props.title}</span></a>
        </div>
      </div>
      {props.note}
      {hydrated && (!showTable || props.tableAlwaysShown) && <div className="dash-chart" role="img" aria-label={`${props.title} chart; use the table view for the figures`}>{props.chart}</div>}
      {/* A wide table scrolls inside its own region (phones), reachable by keyboard. */}
      <div id={`${props.id}-table`} hidden={!tableVisible} className="dash-table-scroll" role="region" aria-label={`${props.title}, table`} tabIndex={0}>
        {props.table}
      </div>
    </section>
  );
}

type Row = Record<string, string | number | null>;

const charts = () => import("./dashboard-recharts.client");
const LazyTeamTimes = lazy(() => charts().then((m) => ({ default: m.TeamTimesChart })));
const LazyWeekly = lazy(() => charts().then((m) => ({ default: m.WeeklyChart })));
const LazyBars = lazy(() => charts().then((m) => ({ default: m.SimpleBars })));
const drawing = <p className="muted">Drawing the chart…</p>;

export function TeamTimesChart(props: ComponentProps<typeof Charts.TeamTimesChart>) {
  return <Suspense fallback={drawing}><LazyTeamTimes {...props} /></Suspense>;
}

export function WeeklyChart(props: ComponentProps<typeof Charts.WeeklyChart>) {
  return <Suspense fallback={drawing}><LazyWeekly {...props} /></Suspense>;
}

export function SimpleBars(props: ComponentProps<typeof Charts.SimpleBars>) {
  return <Suspense fallback={drawing}><LazyBars {...props} /></Suspense>;
}
