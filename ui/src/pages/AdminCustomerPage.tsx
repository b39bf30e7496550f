import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { useQuery } from '@tanstack/react-query';
import { useAuth } from '@/components/AuthProvider';
import { api, ApiError } from '@/lib/api';
import { formatBytes, formatDate, formatDuration, formatNumber, formatUsd } from '@/lib/format';
import type { AdminCustomerUsage } from '@/lib/admin';
import { formatQuantity, metricLabel } from '@/lib/metrics';
import { Alert, Badge, Card, EmptyState, ErrorState, Loading, PageHeader, Table } from '@/components/ui';
import { StatCard } from '@/components/metrics/StatCard';
import { CustomerStatusButton, type StatusNotice } from '@/components/admin/CustomerStatusButton';

const linkClass = 'font-medium text-brand-700 underline';

export function AdminCustomerPage() {
  const { id = '' } = useParams();
  const { me } = useAuth();
  const [notice, setNotice] = useState<StatusNotice | null>(null);
  const usage = useQuery({
    queryKey: ['admin', 'customer-usage', id],
    queryFn: () => api<AdminCustomerUsage>(`/api/admin/customers/${encodeURIComponent(id)}/usage`),
    retry: (count, error) => !(error instanceof ApiError && error.status === 404) && count < 2,
  });

  if (usage.isPending) return <Loading label="Loading customer…" />;
  if (usage.error) {
    if (usage.error instanceof ApiError && usage.error.status === 404) {
      return (
        <div className="space-y-6">
          <PageHeader title="Customer not found" />
          <EmptyState title="There is no customer with this id"
                      action={<Link to="/admin" className={linkClass}>Back to all customers</Link>}>
            The link may be mistyped, or the id belongs to nobody on this service.
          </EmptyState>
        </div>
      );
    }
    return (
      <div className="space-y-6">
        <PageHeader title="Customer" />
        <ErrorState error={usage.error} onRetry={() => usage.refetch()} />
      </div>
    );
  }

  const { customer, usage: figures } = usage.data;
  const documents = figures.documents;
  return (
    <div className="space-y-6">
      {/* PageHeader's layout, with an h1 that wraps anywhere: an email has no spaces to break a phone's line at */}
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div className="min-w-0">
          <h1 className="text-2xl font-bold [overflow-wrap:anywhere]">{customer.email}</h1>
          <p className="mt-1 text-sm text-slate-600">
            {customer.company_name || 'No company name'} · customer since {formatDate(customer.created_at)} · <Link to="/admin" className={linkClass}>All customers</Link>
          </p>
        </div>
        {customer.customer_id !== me?.customer_id && <CustomerStatusButton customer={customer} onResult={setNotice} size="md" />}
      </div>
      {notice && <Alert tone={notice.tone}>{notice.message}</Alert>}

      <div className="grid grid-cols-2 gap-3 sm:gap-4 lg:grid-cols-4">
        <Card>
          <p className="text-sm text-slate-600">Status</p>
          <p className="mt-2"><span data-testid="customer-status"><Badge>{customer.status}</Badge></span></p>
          <p className="mt-2 text-xs text-slate-600">{customer.status === 'suspended' ? 'Every request is refused (403); data is kept.' : 'Requests are served.'}</p>
        </Card>
        <StatCard label="Cost this month" value={formatUsd(figures.total_cost, 6)} testId="customer-cost"
                  hint={`${formatDate(figures.from)} to ${formatDate(figures.to)}`} />
        <StatCard label="Documents" value={formatNumber(documents.total_documents)} testId="customer-documents"
                  hint={`${formatNumber(documents.completed)} completed · ${formatNumber(documents.processing)} processing · ${formatNumber(documents.failed)} failed`} />
        <StatCard label="Tokens" value={formatNumber(documents.total_tokens)}
                  hint={`${formatNumber(documents.total_chunks)} chunks · ${formatBytes(documents.total_size)}`} />
      </div>

      <Card title="Usage this month">
        {figures.metrics.length === 0 ? (
          <EmptyState title="No usage this month">This customer has not called the API since the month began.</EmptyState>
        ) : (
          <Table label="Usage this month per metric">
            <thead className="text-slate-600">
              <tr>
                <th scope="col" className="py-2 pr-3">Metric</th>
                <th scope="col" className="pr-3 text-right">Quantity</th>
                <th scope="col" className="pr-3 text-right">Records</th>
                <th scope="col" className="text-right">Cost</th>
              </tr>
            </thead>
            <tbody>
              {figures.metrics.map((metric) => (
                <tr key={metric.metric_type} className="border-t border-slate-100">
                  <td className="py-2 pr-3">{metricLabel(metric.metric_type)}</td>
                  <td className="pr-3 text-right tabular-nums">{formatQuantity(metric.metric_type, metric.quantity)}</td>
                  <td className="pr-3 text-right tabular-nums">{formatNumber(metric.records)}</td>
                  <td className="text-right tabular-nums">{formatUsd(metric.cost, 6)}</td>
                </tr>
              ))}
            </tbody>
          </Table>
        )}
      </Card>

      <Card title="Documents">
        <dl className="grid gap-x-6 gap-y-3 text-sm sm:grid-cols-2 lg:grid-cols-3">
          {[
            ['Current documents', formatNumber(documents.total_documents)],
            ['Chunks', formatNumber(documents.total_chunks)],
            ['Characters', formatNumber(documents.total_characters)],
            ['Stored size', formatBytes(documents.total_size)],
            ['Embedding cost', formatUsd(documents.total_embedding_cost, 6)],
            ['Average processing time', formatDuration(documents.avg_processing_time_ms)],
          ].map(([label, value]) => (
            <div key={label}>
              <dt className="text-slate-600">{label}</dt>
              <dd className="font-medium tabular-nums">{value}</dd>
            </div>
          ))}
        </dl>
      </Card>
    </div>
  );
}
