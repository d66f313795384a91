/**
 * Charts for the involvement dashboard, drawn with recharts after hydration: the server renders
 * the tables (they work without JavaScript), the browser adds the chart and a table toggle.
 */
import { useEffect, useState, type ReactNode } from "react";
import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

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
      <div id={`${props.id}-table`} hidden={!tableVisible}>{props.table}</div>
    </section>
  );
}

type Row = Record<string, string | number | null>;

export function TeamTimesChart({ data, baselineHours }: { data: Row[]; baselineHours: number }) {
  return (
    <ResponsiveContainer width="100%" height="100%">
      <BarChart data={data} margin={{ top: 20, right: 20, bottom: 40, left: 10 }}>
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis dataKey="team" interval={0} angle={-20} textAnchor="end" height={60} />
        <YAxis label={{ value: "hours", angle: -90, position: "insideLeft" }} />
        <Tooltip />
        <Legend verticalAlign="top" />
        <Bar dataKey="ackHours" name="Median time to acknowledge (h)" fill="#2b5cab" />
        <Bar dataKey="resolveHours" name="Median time to resolve (h)" fill="#8aa9d6" />
        {/* extendDomain: the axis always reaches the baseline, so a good month shows short bars under
            the line instead of dropping the line (recharts hides a reference line off its axis). */}
        <ReferenceLine y={baselineHours} ifOverflow="extendDomain" stroke="#b42318" strokeDasharray="6 3" label={{ value: `14-day baseline (${Math.round(baselineHours)} h)`, position: "insideTopRight", fill: "#b42318" }} />
      </BarChart>
    </ResponsiveContainer>
  );
}

export function WeeklyChart({ data }: { data: Row[] }) {
  return (
    <ResponsiveContainer width="100%" height="100%">
      <LineChart data={data} margin={{ top: 20, right: 20, bottom: 20, left: 10 }}>
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis dataKey="week" />
        <YAxis yAxisId="h" label={{ value: "hours", angle: -90, position: "insideLeft" }} />
        <YAxis yAxisId="p" orientation="right" domain={[0, 100]} unit="%" />
        <Tooltip />
        <Legend verticalAlign="top" />
        <Line yAxisId="h" dataKey="medianHours" name="Median time to first answer (h)" stroke="#2b5cab" />
        <Line yAxisId="h" dataKey="ackHours" name="Median insight time to acknowledge (h)" stroke="#d69e2e" />
        <Line yAxisId="p" dataKey="withinDayPct" name="Answered within a day (%)" stroke="#1f9d55" />
      </LineChart>
    </ResponsiveContainer>
  );
}

export function SimpleBars({ data, x, bars }: { data: Row[]; x: string; bars: { key: string; name: string; color: string; stack?: string }[] }) {
  return (
    <ResponsiveContainer width="100%" height="100%">
      <BarChart data={data} margin={{ top: 20, right: 20, bottom: 40, left: 10 }}>
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis dataKey={x} interval={0} angle={-20} textAnchor="end" height={60} />
        <YAxis allowDecimals={false} />
        <Tooltip />
        <Legend verticalAlign="top" />
        {bars.map((b) => (
          <Bar key={b.key} dataKey={b.key} name={b.name} fill={b.color} stackId={b.stack} />
        ))}
      </BarChart>
    </ResponsiveContainer>
  );
}
