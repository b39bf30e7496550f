import { lazy, Suspense } from 'react';
import { Link } from 'react-router-dom';
import { useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api';
import { formatBytes, formatDate, formatNumber, formatUsd } from '@/lib/format';
import type { Overview } from '@/lib/metrics';
import type { DocumentPage } from '@/lib/types';
import { Badge, Card, EmptyState, ErrorState, Loading, PageHeader, Table } from '@/components/ui';

/** Recharts is large: the chart loads after the first paint, in its own chunk. */
const OverviewUsageChart = lazy(async () => ({
  default: (await import('@/components/charts/OverviewUsageChart')).OverviewUsageChart,
}));

function Metric({ label, value, hint }: { label: string; value: string; hint?: string }) {
  return (
    <Card>
      <p className="text-sm text-slate-600">{label}</p>
      <p className="mt-1 text-2xl font-semibold" data-testid={`metric-${label.toLowerCase().replace(/\s+/g, '-')}`}>{value}</p>
      {hint && <p className="mt-1 text-xs text-slate-600">{hint}</p>}
    </Card>
  );
}

export function OverviewPage() {
  const overview = useQuery({ queryKey: ['metrics', 'overview'], queryFn: () => api<Overview>('/api/metrics/overview') });
  const recent = useQuery({ queryKey: ['documents', 'recent'], queryFn: () => api<DocumentPage>('/api/documents?page=1&size=5') });
  const documents = overview.data?.documents;
  const costs = overview.data?.costs;

  return (
    <div className="space-y-6">
      <PageHeader title="Overview" description="Your documents, usage and spending at a glance."
                  actions={<Link to="/metrics" className="text-sm font-medium text-brand-700 underline">All metrics</Link>} />
      {overview.error && <ErrorState error={overview.error} onRetry={() => overview.refetch()} />}
      {overview.isPending && <Loading label="Loading figures…" />}
      <div className="grid grid-cols-2 gap-3 sm:gap-4 lg:grid-cols-3">
        <Metric label="Documents" value={formatNumber(documents?.total_documents)}
                hint={documents ? `${formatNumber(documents.completed)} completed · ${formatNumber(documents.processing)} processing · ${formatNumber(documents.failed)} failed` : undefined} />
        <Metric label="Chunks" value={formatNumber(documents?.total_chunks)}
                hint={documents ? `${formatNumber(documents.total_characters)} characters indexed` : undefined} />
        <Metric label="Tokens" value={formatNumber(documents?.total_tokens)}
                hint={documents ? `Embedding cost ${formatUsd(documents.total_embedding_cost)}` : undefined} />
        <Metric label="Cost" value={formatUsd(costs?.total_cost)}
                hint={costs ? `This month: embeddings ${formatUsd(costs.embedding_cost)} · searches ${formatUsd(costs.search_cost)}` : undefined} />
        <Metric label="API calls" value={formatNumber(overview.data?.api_calls)} hint="Last 24 hours" />
        <Metric label="Storage" value={formatBytes(documents?.total_size)} hint="Raw size of your current documents" />
      </div>

      <Card title="Usage over time" actions={<Link to="/metrics" className="text-sm font-medium text-brand-700 underline">Details</Link>}>
        <Suspense fallback={<Loading label="Loading chart…" />}>
          <OverviewUsageChart />
        </Suspense>
      </Card>

      <Card title="Recent documents" actions={<Link to="/documents" className="text-sm font-medium text-brand-700 underline">All documents</Link>}>
        {recent.isPending && <Loading label="Loading documents…" />}
        {recent.error && <ErrorState error={recent.error} onRetry={() => recent.refetch()} />}
        {recent.data && recent.data.documents.length === 0 && (
          <EmptyState title="No documents yet"
                      action={<Link to="/documents" className="font-medium text-brand-700 underline">Add your first document</Link>}>
            Upload a file or send one with <code>POST /api/ingest/document</code> and your API key.
          </EmptyState>
        )}
        {recent.data && recent.data.documents.length > 0 && (
          <Table label="Recent documents">
            <thead className="text-slate-600">
              <tr><th scope="col" className="py-2 pr-3">Title</th><th scope="col" className="pr-3">Type</th><th scope="col" className="pr-3">Status</th><th scope="col">Created</th></tr>
            </thead>
            <tbody>
              {recent.data.documents.map((document) => (
                <tr key={document.id} className="border-t border-slate-100">
                  <td className="py-2 pr-3">
                    <Link to={`/documents/${document.id}`} className="font-medium text-brand-700 underline">{document.title || 'Untitled'}</Link>
                  </td>
                  <td className="pr-3">{document.doc_type}</td>
                  <td className="pr-3"><Badge>{document.status}</Badge></td>
                  <td className="whitespace-nowrap">{formatDate(document.created_at)}</td>
                </tr>
              ))}
            </tbody>
          </Table>
        )}
      </Card>
    </div>
  );
}
