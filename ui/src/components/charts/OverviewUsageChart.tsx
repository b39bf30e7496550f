import { useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api';
import { fillUsageSeries, periodAxisLabel, type UsageSeries } from '@/lib/metrics';
import { ErrorState, Loading } from '@/components/ui';
import { DataChart } from './DataChart';

/** The overview's usage over the last 30 days. Loaded lazily by the overview so Recharts stays out of its bundle. */
export function OverviewUsageChart() {
  const usage = useQuery({
    queryKey: ['metrics', 'usage', 'day'],
    queryFn: () => api<UsageSeries>('/api/metrics/usage?period=day'),
  });
  if (usage.isPending) return <Loading label="Loading usage…" />;
  if (usage.error) return <ErrorState error={usage.error} onRetry={() => usage.refetch()} />;
  const points = fillUsageSeries(usage.data.series, usage.data.from, usage.data.to, 'day');
  return (
    <DataChart
      title="Usage per day, last 30 days"
      description="Documents processed, searches and API calls on the left axis; embedding tokens on the right."
      data={points}
      xKey="label"
      xLabel={periodAxisLabel('day')}
      yLabel="Count"
      rightLabel="Tokens"
      kind="line"
      series={[
        { key: 'document_processed', label: 'Documents processed' },
        { key: 'search_query', label: 'Searches' },
        { key: 'api_call', label: 'API calls' },
        { key: 'embedding_tokens', label: 'Embedding tokens', axis: 'right' },
      ]}
      emptyNote="Nothing recorded in the last 30 days: ingest a document or run a search to see it here."
    />
  );
}
