import { useState } from 'react';
import { Link } from 'react-router-dom';
import { useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api';
import { formatDate, formatNumber, formatUsd } from '@/lib/format';
import {
  bucketLabel, costsByMetric, formatQuantity, costsByPeriod, metricLabel, PERIOD_OPTIONS, periodAxisLabel,
  PRICING, topWithOthers, usagePerModel, type CostBreakdown, type MetricTotal, type Period,
} from '@/lib/metrics';
import { Card, EmptyState, ErrorState, Loading, PageHeader, SelectField, Table } from '@/components/ui';
import { DataChart } from '@/components/charts/DataChart';
import { ModelUsageTable } from '@/components/metrics/ModelUsageTable';
import { StatCard } from '@/components/metrics/StatCard';
import { useTokenMetrics, useUsageExport } from '@/components/metrics/metricsQueries';

const TOP_DOCUMENTS = 10;
const linkClass = 'font-medium text-brand-700 underline';
const usd = (value: number) => formatUsd(value, 6);

function PricingNote() {
  return (
    <Card title="Pricing">
      <p className="mb-3 text-sm text-slate-600">
        Embedding prices per 1M tokens. Tokens are counted exactly (cl100k); the built-in local model is free. Choose the
        model in <Link to="/settings" className={linkClass}>Settings</Link>.
      </p>
      <Table label="Embedding prices per 1M tokens">
        <thead className="text-slate-600">
          <tr><th scope="col" className="py-2 pr-3">Model</th><th scope="col" className="pr-3 text-right">Per 1M tokens</th><th scope="col">Runs on</th></tr>
        </thead>
        <tbody>
          {PRICING.map((price) => (
            <tr key={price.model} className="border-t border-slate-100">
              <td className="py-2 pr-3 font-mono text-xs">{price.model}</td>
              <td className="pr-3 text-right tabular-nums">{formatUsd(price.usd_per_million, 2)}</td>
              <td>{price.note}</td>
            </tr>
          ))}
        </tbody>
      </Table>
    </Card>
  );
}

type MetricCostRow = MetricTotal & { key: string; bucket?: string };

/**
 * Usage, records and cost per metric type, as the per-metric sums or as the raw breakdown with its period in front
 * (`bucketHeader` names that column). The first cell of a row carries the row's padding.
 */
function MetricCostTable({ label, rows, bucketHeader }: { label: string; rows: MetricCostRow[]; bucketHeader?: string }) {
  const metricCell = bucketHeader === undefined ? 'py-2 pr-3' : 'pr-3';
  return (
    <Table label={label}>
      <thead className="text-slate-600">
        <tr>
          {bucketHeader !== undefined && <th scope="col" className="py-2 pr-3">{bucketHeader}</th>}
          <th scope="col" className={metricCell}>Metric</th>
          <th scope="col" className="pr-3 text-right">Usage</th>
          <th scope="col" className="pr-3 text-right">Records</th>
          <th scope="col" className="text-right">Cost</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.key} className="border-t border-slate-100">
            {bucketHeader !== undefined && <td className="py-2 pr-3 whitespace-nowrap">{row.bucket}</td>}
            <td className={metricCell}>{metricLabel(row.metric_type)}</td>
            <td className="pr-3 text-right tabular-nums">{formatQuantity(row.metric_type, row.quantity)}</td>
            <td className="pr-3 text-right tabular-nums">{formatNumber(row.records)}</td>
            <td className="text-right tabular-nums">{usd(row.cost)}</td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}

function PerModel({ from }: { from: string }) {
  const runs = useUsageExport(from);
  const models = runs.data ? usagePerModel(runs.data.rows) : [];
  return (
    <Card title="Cost per model">
      {runs.isPending && <Loading label="Loading models…" />}
      {runs.error && <ErrorState error={runs.error} onRetry={() => runs.refetch()} />}
      {runs.data && models.length === 0 && (
        <EmptyState title="No embedding runs in this range">Embedding costs appear once a document is processed.</EmptyState>
      )}
      {models.length > 0 && <ModelUsageTable label="Cost per model" models={models} withPrice />}
    </Card>
  );
}

function TopDocuments() {
  const tokens = useTokenMetrics();
  const top = tokens.data ? topWithOthers(tokens.data.documents, TOP_DOCUMENTS, (d) => d.document_id,
    (d) => d.title || 'Untitled', (d) => Number(d.embedding_cost_usd)) : [];
  return (
    <Card title="Cost per document">
      {tokens.isPending && <Loading label="Loading documents…" />}
      {tokens.error && <ErrorState error={tokens.error} onRetry={() => tokens.refetch()} />}
      {tokens.data && top.length === 0 && (
        <EmptyState title="No completed documents yet" action={<Link to="/documents" className={linkClass}>Add a document</Link>}>
          Each processed document shows its embedding cost here.
        </EmptyState>
      )}
      {top.length > 0 && (
        <>
          <p className="mb-3 text-sm text-slate-600">
            Embedding cost of each document&apos;s current version, most expensive first
            {(tokens.data?.documents.length ?? 0) > TOP_DOCUMENTS ? `: the top ${TOP_DOCUMENTS}, then the rest together. ` : '. '}
            <Link to="/metrics/tokens" className={linkClass}>Tokens per document</Link>
          </p>
          <Table label="Cost per document, most expensive first">
            <thead className="text-slate-600">
              <tr><th scope="col" className="py-2 pr-3">Document</th><th scope="col" className="text-right">Embedding cost</th></tr>
            </thead>
            <tbody>
              {top.map((entry) => (
                <tr key={entry.id ?? 'others'} className="border-t border-slate-100">
                  <td className="py-2 pr-3">
                    {entry.id ? <Link to={`/documents/${entry.id}`} className={linkClass}>{entry.label}</Link> : entry.label}
                  </td>
                  <td className="text-right tabular-nums">{usd(entry.value)}</td>
                </tr>
              ))}
            </tbody>
          </Table>
        </>
      )}
    </Card>
  );
}

export function CostsPage() {
  const [period, setPeriod] = useState<Period>('day');
  const costs = useQuery({
    queryKey: ['metrics', 'costs', period],
    queryFn: () => api<CostBreakdown>(`/api/metrics/costs?period=${period}`),
    placeholderData: (previous) => previous,
  });
  const shown = costs.data?.period === period ? costs.data : undefined;
  const perMetric = shown ? costsByMetric(shown.breakdown) : [];
  const perPeriod = shown ? costsByPeriod(shown.breakdown, shown.from, shown.to, period) : { metrics: [], points: [] };

  return (
    <div className="space-y-6">
      <PageHeader title="Costs" description="What your usage cost, per metric, per period and per model."
                  actions={<Link to="/metrics" className={linkClass}>Back to metrics</Link>} />
      <div className="max-w-xs">
        <SelectField id="costs-period" label="Period" value={period} options={PERIOD_OPTIONS}
                     onChange={(event) => setPeriod(event.target.value as Period)} />
      </div>

      {costs.error && <ErrorState error={costs.error} onRetry={() => costs.refetch()} />}
      {!shown && !costs.error && <Loading label="Loading costs…" />}
      {shown && (
        <>
          <div className="grid grid-cols-2 gap-3 sm:gap-4 lg:grid-cols-3">
            <StatCard label="Total cost" value={usd(shown.total_cost)} testId="total-cost"
                      hint={`${formatDate(shown.from)} to ${formatDate(shown.to)}`} />
            <StatCard label="Embeddings" value={usd(perMetric.find((m) => m.metric_type === 'embedding_tokens')?.cost ?? 0)} />
            <StatCard label="Searches" value={usd(perMetric.find((m) => m.metric_type === 'search_query')?.cost ?? 0)} />
          </div>

          <Card title="Cost per metric">
            {perMetric.length === 0 ? (
              <EmptyState title="Nothing metered in this range">Usage appears here once you call the API.</EmptyState>
            ) : (
              <MetricCostTable label="Cost per metric type"
                               rows={perMetric.map((metric) => ({ ...metric, key: metric.metric_type }))} />
            )}
          </Card>

          <Card title="Cost per period">
            <div className="space-y-4">
              <DataChart title={`Cost per ${period} and metric`} data={perPeriod.points} xKey="label"
                         xLabel={periodAxisLabel(period)} yLabel="USD" stacked format={usd}
                         series={perPeriod.metrics.map((metric) => ({ key: metric, label: metricLabel(metric) }))}
                         emptyNote="Everything in this range was free (the local embedding model and the API calls cost nothing)." />
              {shown.breakdown.length > 0 && (
                <MetricCostTable label="Usage and cost per period and metric, newest first" bucketHeader={periodAxisLabel(period)}
                                 rows={shown.breakdown.map((row) => ({
                                   key: `${row.period}-${row.metric_type}`, bucket: bucketLabel(row.period, period),
                                   metric_type: row.metric_type, quantity: row.total_usage, records: row.count, cost: row.total_cost,
                                 }))} />
              )}
            </div>
          </Card>

          <PerModel from={shown.from} />
        </>
      )}

      <TopDocuments />
      <PricingNote />
    </div>
  );
}
