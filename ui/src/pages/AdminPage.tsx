import { useState } from 'react';
import { Link } from 'react-router-dom';
import { useQuery } from '@tanstack/react-query';
import { useAuth } from '@/components/AuthProvider';
import { api } from '@/lib/api';
import { formatDate, formatDuration, formatNumber, formatUsd } from '@/lib/format';
import {
  ariaSort, customersPath, CUSTOMERS_PAGE_SIZE, DEFAULT_CUSTOMER_LIST, nextSort,
  type CustomerListState, type CustomerPage, type CustomerSort, type GlobalMetrics,
} from '@/lib/admin';
import { formatQuantity, metricLabel } from '@/lib/metrics';
import { Alert, Badge, Card, EmptyState, ErrorState, Loading, PageHeader, Pagination, Table } from '@/components/ui';
import { StatCard } from '@/components/metrics/StatCard';
import { CustomerStatusButton, type StatusNotice } from '@/components/admin/CustomerStatusButton';

const linkClass = 'font-medium text-brand-700 underline';

function GlobalFigures() {
  const global = useQuery({ queryKey: ['admin', 'global'], queryFn: () => api<GlobalMetrics>('/api/admin/metrics/global') });
  if (global.isPending) return <Loading label="Loading global metrics…" />;
  if (global.error) return <ErrorState error={global.error} onRetry={() => global.refetch()} />;
  const stats = global.data.system_stats;
  const month = global.data.usage_this_month;
  const monthCost = month.reduce((sum, metric) => sum + Number(metric.cost), 0);
  return (
    <div className="space-y-4">
      <div className="grid grid-cols-2 gap-3 sm:gap-4 lg:grid-cols-3">
        <StatCard label="Customers" value={formatNumber(stats.total_customers)} testId="global-customers" />
        <StatCard label="Documents" value={formatNumber(stats.total_documents)} testId="global-documents" hint="Current documents of all customers" />
        <StatCard label="Tokens" value={formatNumber(stats.total_tokens)} testId="global-tokens"
                  hint={`${formatNumber(stats.avg_tokens_per_doc)} per document on average`} />
        <StatCard label="Cost" value={formatUsd(stats.total_cost, 6)} testId="global-cost" hint={`This month ${formatUsd(monthCost, 6)}`} />
        <StatCard label="Processing time" value={formatDuration(stats.avg_processing_time)} hint="Average per document" />
        <StatCard label="API calls this month" value={formatNumber(month.find((m) => m.metric_type === 'api_call')?.quantity ?? 0)}
                  hint={`${formatNumber(month.find((m) => m.metric_type === 'search_query')?.quantity ?? 0)} searches`} />
      </div>
      {month.length > 0 && (
        <Card title="Usage this month, all customers">
          <Table label="Usage this month per metric, all customers">
            <thead className="text-slate-600">
              <tr><th scope="col" className="py-2 pr-3">Metric</th><th scope="col" className="pr-3 text-right">Quantity</th><th scope="col" className="text-right">Cost</th></tr>
            </thead>
            <tbody>
              {month.map((metric) => (
                <tr key={metric.metric_type} className="border-t border-slate-100">
                  <td className="py-2 pr-3">{metricLabel(metric.metric_type)}</td>
                  <td className="pr-3 text-right tabular-nums">{formatQuantity(metric.metric_type, metric.quantity)}</td>
                  <td className="text-right tabular-nums">{formatUsd(metric.cost, 6)}</td>
                </tr>
              ))}
            </tbody>
          </Table>
        </Card>
      )}
    </div>
  );
}

function SortHeader({ label, column, state, onSort, numeric = true }:
  { label: string; column: CustomerSort; state: CustomerListState; onSort: (column: CustomerSort) => void; numeric?: boolean }) {
  const sort = ariaSort(state, column);
  const arrow = sort === 'ascending' ? '↑' : sort === 'descending' ? '↓' : '↕';
  return (
    <th scope="col" aria-sort={sort} className={numeric ? 'pr-3 text-right' : 'pr-3'}>
      <button type="button" onClick={() => onSort(column)}
              className="inline-flex items-center gap-1 rounded font-medium text-slate-700 hover:text-slate-900 focus-visible:outline-2 focus-visible:outline-brand-600">
        {label}<span aria-hidden="true">{arrow}</span>
      </button>
    </th>
  );
}

function Customers({ onNotice }: { onNotice: (notice: StatusNotice) => void }) {
  const { me } = useAuth();
  const [state, setState] = useState<CustomerListState>(DEFAULT_CUSTOMER_LIST);
  const customers = useQuery({
    queryKey: ['admin', 'customers', state],
    queryFn: () => api<CustomerPage>(customersPath(state)),
    placeholderData: (previous) => previous,
  });
  const onSort = (column: CustomerSort) => setState((current) => nextSort(current, column));

  if (customers.isPending) return <Loading label="Loading customers…" />;
  if (customers.error && !customers.data) return <ErrorState error={customers.error} onRetry={() => customers.refetch()} />;
  const data = customers.data!;
  if (data.total === 0) {
    return (
      <EmptyState title="No customers have signed up yet">
        Accounts appear here as soon as someone signs up (POST /api/auth/signup or the dashboard&apos;s sign-up page).
      </EmptyState>
    );
  }
  return (
    <>
      {customers.error && <ErrorState error={customers.error} onRetry={() => customers.refetch()} />}
      <Table label="Customers">
        <thead className="text-slate-600">
          <tr>
            <th scope="col" className="py-2 pr-3">Email</th>
            <th scope="col" className="pr-3">Company</th>
            <th scope="col" className="pr-3">Status</th>
            <SortHeader label="Documents" column="documents" state={state} onSort={onSort} />
            <SortHeader label="Tokens" column="tokens" state={state} onSort={onSort} />
            <SortHeader label="Cost" column="cost" state={state} onSort={onSort} />
            <SortHeader label="Created" column="created" state={state} onSort={onSort} numeric={false} />
            <th scope="col" className="relative"><span className="sr-only">Actions</span></th>
          </tr>
        </thead>
        <tbody aria-busy={customers.isFetching}>
          {data.customers.map((customer) => (
            <tr key={customer.customer_id} className="border-t border-slate-100">
              <td className="py-2 pr-3"><Link to={`/admin/customers/${customer.customer_id}`} className={linkClass}>{customer.email}</Link></td>
              <td className="pr-3">{customer.company_name || '–'}</td>
              <td className="pr-3"><span data-testid="customer-status"><Badge>{customer.status}</Badge></span></td>
              <td className="pr-3 text-right tabular-nums">{formatNumber(customer.total_documents)}</td>
              <td className="pr-3 text-right tabular-nums">{formatNumber(customer.total_tokens)}</td>
              <td className="pr-3 text-right tabular-nums">{formatUsd(customer.total_cost, 6)}</td>
              <td className="whitespace-nowrap pr-3">{formatDate(customer.created_at)}</td>
              <td className="py-1 text-right">
                {customer.customer_id === me?.customer_id
                  ? <span className="text-xs text-slate-600">You</span>
                  : <CustomerStatusButton customer={customer} onResult={onNotice} />}
              </td>
            </tr>
          ))}
        </tbody>
      </Table>
      <Pagination page={data.page} size={CUSTOMERS_PAGE_SIZE} total={data.total}
                  onPage={(page) => setState((current) => ({ ...current, page }))} />
    </>
  );
}

export function AdminPage() {
  const [notice, setNotice] = useState<StatusNotice | null>(null);
  return (
    <div className="space-y-6">
      <PageHeader title="Admin" description="Every customer's usage and account status. Only operators see this page." />
      <section aria-labelledby="global-heading" className="space-y-3">
        <h2 id="global-heading" className="text-base font-semibold text-slate-800">Global metrics</h2>
        <GlobalFigures />
      </section>
      <Card title="Customers">
        <div className="space-y-3">
          {notice && <Alert tone={notice.tone}>{notice.message}</Alert>}
          <Customers onNotice={setNotice} />
        </div>
      </Card>
    </div>
  );
}
