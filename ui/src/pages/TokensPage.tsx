import { useState } from 'react';
import { Link } from 'react-router-dom';
import { useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api';
import { formatDay, formatNumber, formatUsd } from '@/lib/format';
import {
  defaultExportRange, earliestDay, fillUsageSeries, latestModelPerDocument, MAX_TOKEN_ROWS,
  periodAxisLabel, totalOf, usagePerModel, type TokenMetrics, type UsageSeries,
} from '@/lib/metrics';
import { Card, EmptyState, ErrorState, Loading, PageHeader, Pagination, Table } from '@/components/ui';
import { DataChart } from '@/components/charts/DataChart';
import { ModelUsageTable } from '@/components/metrics/ModelUsageTable';
import { StatCard } from '@/components/metrics/StatCard';
import { useTokenMetrics, useUsageExport } from '@/components/metrics/metricsQueries';

const PAGE_SIZE = 20;
const linkClass = 'font-medium text-brand-700 underline';

/** The metered embedding runs since the earliest listed document (or the last 30 days): the only place models show. */
function useEmbeddingRuns(tokens: TokenMetrics | undefined) {
  const since = tokens ? earliestDay(tokens.documents.map((document) => document.created_at)) : null;
  const monthAgo = defaultExportRange().from;
  const from = since && since < monthAgo ? since : monthAgo;
  return useUsageExport(from, tokens !== undefined);
}

export function TokensPage() {
  const [page, setPage] = useState(1);
  const tokens = useTokenMetrics();
  const usage = useQuery({ queryKey: ['metrics', 'usage', 'day'], queryFn: () => api<UsageSeries>('/api/metrics/usage?period=day') });
  const runs = useEmbeddingRuns(tokens.data);
  const models = runs.data ? usagePerModel(runs.data.rows) : [];
  const modelOf = runs.data ? latestModelPerDocument(runs.data.rows) : {};
  const documents = tokens.data?.documents ?? [];
  const pageRows = documents.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE);

  return (
    <div className="space-y-6">
      <PageHeader title="Token usage" description="Embedding tokens per day, per model and per document (counted as OpenAI bills them, cl100k)."
                  actions={<Link to="/metrics" className={linkClass}>Back to metrics</Link>} />

      {tokens.error && <ErrorState error={tokens.error} onRetry={() => tokens.refetch()} />}
      {tokens.isPending && <Loading label="Loading token usage…" />}
      {tokens.data && (
        <div className="grid grid-cols-2 gap-3 sm:gap-4 lg:grid-cols-4">
          <StatCard label="Total tokens" value={formatNumber(tokens.data.total_tokens)} testId="total-tokens"
                    hint="Current versions of your completed documents" />
          <StatCard label="Embedding cost" value={formatUsd(tokens.data.total_cost, 6)} />
          <StatCard label="Documents" value={formatNumber(documents.length)}
                    hint={documents.length >= MAX_TOKEN_ROWS ? `The ${formatNumber(MAX_TOKEN_ROWS)} with the most tokens` : 'Completed'} />
          <StatCard label="Tokens per document" value={formatNumber(documents.length ? Math.round(tokens.data.total_tokens / documents.length) : 0)}
                    hint="Average" />
        </div>
      )}

      <Card title="Tokens per day">
        {usage.isPending && <Loading label="Loading tokens per day…" />}
        {usage.error && <ErrorState error={usage.error} onRetry={() => usage.refetch()} />}
        {usage.data && (
          <>
            <p className="mb-3 text-sm text-slate-600">
              {formatNumber(totalOf(usage.data.totals, 'embedding_tokens').quantity)} tokens embedded in the last 30 days,
              including reprocessing and documents deleted since.
            </p>
            <DataChart title="Embedding tokens per day, last 30 days" kind="bar"
                       data={fillUsageSeries(usage.data.series, usage.data.from, usage.data.to, 'day')}
                       xKey="label" xLabel={periodAxisLabel('day')} yLabel="Tokens"
                       series={[{ key: 'embedding_tokens', label: 'Embedding tokens' }]}
                       emptyNote="No tokens embedded in the last 30 days." />
          </>
        )}
      </Card>

      <Card title="Tokens per model">
        {(runs.isPending && runs.fetchStatus !== 'idle') && <Loading label="Loading models…" />}
        {runs.error && <ErrorState error={runs.error} onRetry={() => runs.refetch()} />}
        {runs.data && models.length === 0 && (
          <EmptyState title={`No embedding runs recorded since ${formatDay(runs.data.from)}`}>
            Tokens are metered when a document is embedded.
          </EmptyState>
        )}
        {runs.data && models.length > 0 && (
          <div className="space-y-4">
            <p className="text-sm text-slate-600">Metered embedding runs since {formatDay(runs.data.from)}.</p>
            <ModelUsageTable label="Tokens per model" models={models} />
            <DataChart title="Tokens per model" horizontal data={models} xKey="model" xLabel="Model" yLabel="Tokens"
                       series={[{ key: 'tokens', label: 'Tokens' }]} height={120} />
          </div>
        )}
      </Card>

      <Card title="Tokens per document">
        {tokens.data && documents.length === 0 && (
          <EmptyState title="No completed documents yet"
                      action={<Link to="/documents" className={linkClass}>Add a document</Link>}>
            Each document shows its tokens and cost here once it is processed.
          </EmptyState>
        )}
        {documents.length > 0 && (
          <>
            {documents.length >= MAX_TOKEN_ROWS && (
              <p className="mb-3 text-sm text-slate-600">
                Showing the {formatNumber(MAX_TOKEN_ROWS)} documents with the most tokens; the total above counts all of them.
              </p>
            )}
            <Table label="Tokens per document, most first">
              <thead className="text-slate-600">
                <tr>
                  <th scope="col" className="py-2 pr-3">Title</th>
                  <th scope="col" className="pr-3">Type</th>
                  <th scope="col" className="pr-3 text-right">Chunks</th>
                  <th scope="col" className="pr-3 text-right" aria-sort="descending">Tokens</th>
                  <th scope="col" className="pr-3 text-right">Cost</th>
                  <th scope="col">Model</th>
                </tr>
              </thead>
              <tbody>
                {pageRows.map((document) => (
                  <tr key={document.document_id} className="border-t border-slate-100">
                    <td className="py-2 pr-3"><Link to={`/documents/${document.document_id}`} className={linkClass}>{document.title || 'Untitled'}</Link></td>
                    <td className="pr-3">{document.doc_type}</td>
                    <td className="pr-3 text-right tabular-nums">{formatNumber(document.chunk_count)}</td>
                    <td className="pr-3 text-right tabular-nums">{formatNumber(document.embedding_tokens_used)}</td>
                    <td className="pr-3 text-right tabular-nums">{formatUsd(document.embedding_cost_usd, 6)}</td>
                    <td className="font-mono text-xs">{modelOf[document.document_id] ?? '–'}</td>
                  </tr>
                ))}
              </tbody>
            </Table>
            {documents.length > PAGE_SIZE && <Pagination page={page} size={PAGE_SIZE} total={documents.length} onPage={setPage} />}
          </>
        )}
      </Card>
    </div>
  );
}
