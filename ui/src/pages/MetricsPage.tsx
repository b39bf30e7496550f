import { useState } from 'react';
import { Link } from 'react-router-dom';
import { useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api';
import { formatBytes, formatDate, formatNumber, formatUsd } from '@/lib/format';
import { fillUsageSeries, PERIOD_OPTIONS, periodAxisLabel, totalOf, type Period, type UsageSeries } from '@/lib/metrics';
import { Card, ErrorState, Loading, PageHeader, SelectField } from '@/components/ui';
import { CHART_COLORS, DataChart } from '@/components/charts/DataChart';
import { StatCard } from '@/components/metrics/StatCard';
import { RateLimitsCard } from '@/components/metrics/RateLimitsCard';
import { ExportCard } from '@/components/metrics/ExportCard';

const PER: Record<Period, string> = { day: 'per day', week: 'per week', month: 'per month' };

const CHARTS: { key: string; title: string; axis: string; bytes?: boolean }[] = [
  { key: 'api_call', title: 'API calls', axis: 'Calls' },
  { key: 'search_query', title: 'Searches', axis: 'Searches' },
  { key: 'document_processed', title: 'Documents processed', axis: 'Documents' },
  { key: 'embedding_tokens', title: 'Embedding tokens', axis: 'Tokens' },
  { key: 'storage_bytes', title: 'Storage added', axis: 'Bytes', bytes: true },
];

const linkClass = 'inline-flex items-center rounded-md border border-slate-300 bg-white px-4 py-2 text-sm font-medium text-slate-800 hover:bg-slate-100';

export function MetricsPage() {
  const [period, setPeriod] = useState<Period>('day');
  const usage = useQuery({
    queryKey: ['metrics', 'usage', period],
    queryFn: () => api<UsageSeries>(`/api/metrics/usage?period=${period}`),
    placeholderData: (previous) => previous,
  });
  const data = usage.data;
  const shown = data?.period === period ? data : undefined;
  const points = shown ? fillUsageSeries(shown.series, shown.from, shown.to, period) : [];
  const totals = shown?.totals;

  return (
    <div className="space-y-6">
      <PageHeader title="Metrics" description="What your account used, per period, and the rate limits in force."
                  actions={<><Link to="/metrics/tokens" className={linkClass}>Tokens</Link><Link to="/metrics/costs" className={linkClass}>Costs</Link></>} />

      <div className="max-w-xs">
        <SelectField id="metrics-period" label="Period" value={period} options={PERIOD_OPTIONS}
                     onChange={(event) => setPeriod(event.target.value as Period)} />
      </div>

      {usage.error && <ErrorState error={usage.error} onRetry={() => usage.refetch()} />}
      {!shown && !usage.error && <Loading label="Loading usage…" />}
      {shown && (
        <>
          <p className="text-sm text-slate-600" role="status">
            {formatDate(shown.from)} to {formatDate(shown.to)} (UTC buckets {PER[period]}).
          </p>
          <div className="grid grid-cols-2 gap-3 sm:gap-4 lg:grid-cols-3">
            <StatCard label="API calls" value={formatNumber(totalOf(totals, 'api_call').quantity)} testId="total-api-calls" />
            <StatCard label="Searches" value={formatNumber(totalOf(totals, 'search_query').quantity)} testId="total-searches" />
            <StatCard label="Documents processed" value={formatNumber(totalOf(totals, 'document_processed').quantity)} testId="total-documents-processed" />
            <StatCard label="Embedding tokens" value={formatNumber(totalOf(totals, 'embedding_tokens').quantity)} testId="total-embedding-tokens" />
            <StatCard label="Storage added" value={formatBytes(totalOf(totals, 'storage_bytes').quantity)} hint="Raw size of the document versions stored" testId="total-storage" />
            <StatCard label="Cost" value={formatUsd((totals ?? []).reduce((sum, total) => sum + Number(total.cost), 0), 6)}
                      hint="All metered usage of the range" testId="total-usage-cost" />
          </div>
          <div className="grid gap-4 xl:grid-cols-2">
            {CHARTS.map((chart, index) => (
              <Card key={chart.key} title={chart.title}>
                <DataChart title={`${chart.title} ${PER[period]}`} data={points} xKey="label" xLabel={periodAxisLabel(period)}
                           yLabel={chart.axis} series={[{ key: chart.key, label: chart.title, color: CHART_COLORS[index] }]}
                           format={chart.bytes ? (value) => formatBytes(value) : formatNumber}
                           emptyNote={`No ${chart.title.toLowerCase()} in this range.`} />
              </Card>
            ))}
          </div>
        </>
      )}

      <RateLimitsCard />
      <ExportCard />
    </div>
  );
}
