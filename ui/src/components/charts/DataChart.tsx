import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { formatCompact } from '@/lib/metrics';
import { formatNumber } from '@/lib/format';

/** Series colours: distinct hues, each at least 3:1 against white (WCAG 1.4.11 for graphics). */
export const CHART_COLORS = ['#4f46e5', '#047857', '#b45309', '#0369a1', '#be123c', '#7c3aed', '#475569'];

const AXIS_TEXT = '#475569'; // slate-600, the lightest text colour of the dashboard

export interface SeriesDef {
  key: string;
  label: string;
  color?: string;
  /** Which value axis the series is drawn against (line and bar charts over time). */
  axis?: 'left' | 'right';
}

export interface DataChartProps {
  /** The figure's caption: what the chart shows. */
  title: string;
  /** A sentence under the caption (range, units, what a bucket is). */
  description?: string;
  data: object[];
  /** The category (or time bucket) of each point, shown on the category axis and as the table's first column. */
  xKey: string;
  xLabel: string;
  yLabel: string;
  rightLabel?: string;
  series: SeriesDef[];
  kind?: 'bar' | 'line';
  stacked?: boolean;
  /** Categories down the side, bars across (long names such as models or documents). */
  horizontal?: boolean;
  /** How values read in the tooltip and the data table. */
  format?: (value: number) => string;
  rightFormat?: (value: number) => string;
  height?: number;
  /** Said under the chart when every value is zero. */
  emptyNote?: string;
  /** Shows the data table unfolded. */
  openTable?: boolean;
}

function field(point: object, key: string): unknown {
  return (point as Record<string, unknown>)[key];
}

function valueOf(point: object, key: string): number {
  const value = Number(field(point, key));
  return Number.isFinite(value) ? value : 0;
}

/**
 * A chart as a figure: a caption, the Recharts drawing (responsive, labelled axes, tooltip) and the same numbers as a
 * collapsible table for screen readers and for anyone who wants the figures.
 */
export function DataChart({ title, description, data, xKey, xLabel, yLabel, rightLabel, series, kind = 'bar',
  stacked = false, horizontal = false, format = formatNumber, rightFormat, height = 260, emptyNote, openTable = false }: DataChartProps) {
  const colored = series.map((entry, index) => ({ ...entry, color: entry.color ?? CHART_COLORS[index % CHART_COLORS.length] }));
  const hasRight = colored.some((entry) => entry.axis === 'right');
  const formatFor = (key: string) => (colored.find((entry) => entry.key === key)?.axis === 'right' && rightFormat ? rightFormat : format);
  const allZero = data.every((point) => colored.every((entry) => valueOf(point, entry.key) === 0));
  const chartHeight = horizontal ? Math.max(height, data.length * 36 + 60) : height;
  const tooltip = (
    <Tooltip
      formatter={(value, _name, item) => formatFor(String(item?.dataKey ?? ''))(Number(value))}
      contentStyle={{ fontSize: 12, borderColor: '#cbd5e1' }}
      labelStyle={{ color: '#0f172a', fontWeight: 600 }}
    />
  );
  const legend = colored.length > 1 ? <Legend verticalAlign="top" wrapperStyle={{ fontSize: 12, color: AXIS_TEXT, paddingBottom: 8 }} /> : null;
  const tick = { fill: AXIS_TEXT, fontSize: 12 };
  const labelStyle = { fill: AXIS_TEXT, fontSize: 12, textAnchor: 'middle' as const };

  let chart;
  if (horizontal) {
    chart = (
      <BarChart data={data} layout="vertical" margin={{ top: 8, right: 16, bottom: 24, left: 8 }} title={title}>
        <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
        <XAxis type="number" tick={tick} tickFormatter={formatCompact}
               label={{ value: yLabel, position: 'insideBottom', offset: -12, style: labelStyle }} />
        <YAxis type="category" dataKey={xKey} tick={tick} width={150}
               tickFormatter={(value: string) => (value.length > 22 ? `${value.slice(0, 21)}…` : value)} />
        {tooltip}
        {legend}
        {colored.map((entry) => (
          <Bar key={entry.key} dataKey={entry.key} name={entry.label} fill={entry.color} stackId={stacked ? 'stack' : undefined}
               isAnimationActive={false} maxBarSize={28} />
        ))}
      </BarChart>
    );
  } else {
    const axes = (
      <>
        <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
        <XAxis dataKey={xKey} tick={tick} minTickGap={12}
               label={{ value: xLabel, position: 'insideBottom', offset: -12, style: labelStyle }} />
        <YAxis yAxisId="left" tick={tick} tickFormatter={formatCompact} width={64} allowDecimals={kind === 'bar' && format !== formatNumber}
               label={{ value: yLabel, angle: -90, position: 'insideLeft', offset: 8, style: labelStyle }} />
        {hasRight && (
          <YAxis yAxisId="right" orientation="right" tick={tick} tickFormatter={formatCompact} width={64}
                 label={{ value: rightLabel ?? '', angle: 90, position: 'insideRight', offset: 8, style: labelStyle }} />
        )}
        {tooltip}
        {legend}
      </>
    );
    const margin = { top: 8, right: hasRight ? 8 : 16, bottom: 24, left: 8 };
    chart = kind === 'line' ? (
      <LineChart data={data} margin={margin} title={title}>
        {axes}
        {colored.map((entry) => (
          <Line key={entry.key} type="monotone" dataKey={entry.key} name={entry.label} stroke={entry.color}
                strokeWidth={2} dot={data.length <= 14} yAxisId={entry.axis ?? 'left'} isAnimationActive={false} />
        ))}
      </LineChart>
    ) : (
      <BarChart data={data} margin={margin} title={title}>
        {axes}
        {colored.map((entry) => (
          <Bar key={entry.key} dataKey={entry.key} name={entry.label} fill={entry.color} yAxisId={entry.axis ?? 'left'}
               stackId={stacked ? 'stack' : undefined} isAnimationActive={false} />
        ))}
      </BarChart>
    );
  }

  return (
    <figure className="space-y-2">
      <figcaption>
        <span className="block text-sm font-medium text-slate-800">{title}</span>
        {description && <span className="block text-xs text-slate-600">{description}</span>}
      </figcaption>
      <div style={{ height: chartHeight }} className="w-full min-w-0">
        <ResponsiveContainer width="100%" height="100%">{chart}</ResponsiveContainer>
      </div>
      {allZero && emptyNote && <p className="text-sm text-slate-600">{emptyNote}</p>}
      <details className="text-sm" open={openTable}>
        <summary className="cursor-pointer text-brand-700 underline">Data table: {title}</summary>
        {/* a caption, not aria-label: the figures are named by what they show, not found as form labels */}
        <div className="relative mt-2 overflow-x-auto">
          <table className="w-full min-w-[20rem] text-left text-sm">
            <caption className="sr-only">Figures of the chart: {title}</caption>
            <thead className="text-slate-600">
              <tr>
                <th scope="col" className="py-2 pr-3">{xLabel}</th>
                {colored.map((entry) => <th key={entry.key} scope="col" className="py-2 pr-3 text-right">{entry.label}</th>)}
              </tr>
            </thead>
            <tbody>
              {data.map((point, index) => (
                <tr key={`${String(field(point, xKey))}-${index}`} className="border-t border-slate-100">
                  <th scope="row" className="py-1.5 pr-3 font-normal">{String(field(point, xKey))}</th>
                  {colored.map((entry) => (
                    <td key={entry.key} className="py-1.5 pr-3 text-right tabular-nums">{formatFor(entry.key)(valueOf(point, entry.key))}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}
