/** The dashboard's recharts drawings; loaded after hydration (see dashboard-charts.tsx). */
import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

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
