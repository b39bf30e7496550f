import { useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api';
import { formatBytes, formatDate, formatNumber, formatUsd } from '@/lib/format';
import type { DocumentPage } from '@/lib/types';
import { Alert, Card } from '@/components/ui';

interface Overview {
  api_calls: number;
  documents: { total_documents: number; total_size: number; total_tokens: number; processing: number; completed: number; failed: number; total_chunks?: number };
  costs: { total_cost: number; embedding_cost: number; search_cost: number };
}

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

  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-bold">Overview</h1>
      {overview.error && <Alert>{(overview.error as Error).message}</Alert>}
      <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
        <Metric label="Documents" value={formatNumber(overview.data?.documents.total_documents)}
                hint={overview.data ? `${overview.data.documents.completed} completed · ${overview.data.documents.processing} processing · ${overview.data.documents.failed} failed` : undefined} />
        <Metric label="Tokens" value={formatNumber(overview.data?.documents.total_tokens)} hint={formatUsd(overview.data?.costs.embedding_cost)} />
        <Metric label="Cost" value={formatUsd(overview.data?.costs.total_cost)} />
        <Metric label="API calls" value={formatNumber(overview.data?.api_calls)} hint={`Storage ${formatBytes(overview.data?.documents.total_size)}`} />
      </div>
      <Card title="Recent documents">
        {recent.error && <Alert>{(recent.error as Error).message}</Alert>}
        {recent.data && recent.data.documents.length === 0 && (
          <p className="text-sm text-slate-600">No documents yet. Send one with <code>POST /api/ingest/document</code> and your API key.</p>
        )}
        {recent.data && recent.data.documents.length > 0 && (
          <table className="w-full text-left text-sm">
            <thead className="text-slate-600"><tr><th className="py-2">Title</th><th>Type</th><th>Status</th><th>Created</th></tr></thead>
            <tbody>
              {recent.data.documents.map((document) => (
                <tr key={document.id} className="border-t border-slate-100">
                  <td className="py-2">{document.title}</td><td>{document.doc_type}</td><td>{document.status}</td><td>{formatDate(document.created_at)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Card>
    </div>
  );
}
