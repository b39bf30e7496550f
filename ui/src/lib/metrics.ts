/**
 * The tenant's usage and metrics answers (GET /api/metrics/*, snake_case as on the wire) and the pure transforms the
 * charts and tables use. Nothing here imports Recharts: the first screen can use these without the chart library.
 */
import { formatBytes, formatNumber } from './format';
import type { Problem } from './problem';

export type Period = 'day' | 'week' | 'month';

export const PERIOD_OPTIONS: { value: Period; label: string }[] = [
  { value: 'day', label: 'Day (last 30 days)' },
  { value: 'week', label: 'Week (last 12 weeks)' },
  { value: 'month', label: 'Month (last 12 months)' },
];

export type MetricType = 'api_call' | 'embedding_tokens' | 'storage_bytes' | 'search_query' | 'document_processed';

export const METRIC_TYPES: MetricType[] = ['api_call', 'search_query', 'document_processed', 'embedding_tokens', 'storage_bytes'];

export const METRIC_LABELS: Record<string, string> = {
  api_call: 'API calls',
  search_query: 'Searches',
  document_processed: 'Documents processed',
  embedding_tokens: 'Embedding tokens',
  storage_bytes: 'Storage (bytes)',
};

export function metricLabel(type: string): string {
  return METRIC_LABELS[type] ?? type.replace(/_/g, ' ');
}

/** A metric's quantity as people read it: storage in KB/MB, everything else as a count. */
export function formatQuantity(type: string, value: number): string {
  return type === 'storage_bytes' ? formatBytes(value) : formatNumber(value);
}

/** One metric's sum over a range. */
export interface MetricTotal {
  metric_type: string;
  quantity: number;
  cost: number;
  records: number;
}

export interface DocumentStats {
  total_documents: number;
  total_size: number;
  total_tokens: number;
  total_embedding_cost: number;
  processing: number;
  completed: number;
  failed: number;
  total_chunks: number;
  total_characters: number;
  avg_processing_time_ms: number | null;
}

export interface RateLimitRow {
  endpoint: string;
  window: 'minute' | 'day' | string;
  request_count: number;
  limit: number;
  remaining: number;
  window_end: string;
}

/** GET /api/metrics/overview */
export interface Overview {
  api_calls: number;
  documents: DocumentStats;
  costs: { from: string; to: string; total_cost: number; embedding_cost: number; search_cost: number };
  usage_this_month: MetricTotal[];
  rate_limits: RateLimitRow[];
}

export interface UsageBucket {
  period_start: string;
  api_call: number;
  embedding_tokens: number;
  storage_bytes: number;
  search_query: number;
  document_processed: number;
  cost: number;
}

/** GET /api/metrics/usage?period= */
export interface UsageSeries {
  period: Period;
  from: string;
  to: string;
  totals: MetricTotal[];
  series: UsageBucket[];
}

export interface CostRow {
  period: string;
  metric_type: string;
  total_usage: number;
  total_cost: number;
  count: number;
}

/** GET /api/metrics/costs?period= */
export interface CostBreakdown {
  period: Period;
  from: string;
  to: string;
  total_cost: number;
  breakdown: CostRow[];
}

export interface DocumentTokens {
  document_id: string;
  title: string;
  doc_type: string;
  chunk_count: number;
  character_count: number;
  embedding_tokens_used: number;
  embedding_cost_usd: number;
  processing_time_ms: number | null;
  created_at: string;
}

/** GET /api/metrics/tokens?limit= */
export interface TokenMetrics {
  from: string;
  to: string;
  limit: number;
  total_tokens: number;
  total_cost: number;
  documents: DocumentTokens[];
}

export interface RateLimitWindow {
  limit: number;
  used: number;
  remaining: number;
  window_start: string;
  resets_at: string;
}

/** GET /api/metrics/rate-limits */
export interface TenantRateLimits {
  per_minute: number;
  per_day: number;
  endpoints: { endpoint: string; minute: RateLimitWindow; day: RateLimitWindow }[];
}

export interface ExportRow {
  timestamp: string;
  metric_type: string;
  metric_value: number;
  cost_usd: number;
  document_id: string | null;
  document_title: string | null;
  details: Record<string, string> | null;
}

/** GET /api/metrics/export?format=json */
export interface UsageExport {
  customer_id: string;
  from: string;
  to: string;
  rows: ExportRow[];
}

/** The most rows GET /api/metrics/tokens lists (the server's cap). */
export const MAX_TOKEN_ROWS = 1000;

/** Embedding prices per 1M tokens (the service's pricing table). */
export const PRICING: { model: string; usd_per_million: number; note: string }[] = [
  { model: 'text-embedding-3-small', usd_per_million: 0.02, note: 'OpenAI, with your key' },
  { model: 'text-embedding-3-large', usd_per_million: 0.13, note: 'OpenAI, with your key' },
  { model: 'text-embedding-ada-002', usd_per_million: 0.1, note: 'OpenAI, with your key' },
  { model: 'all-minilm-l6-v2', usd_per_million: 0, note: 'built-in local model' },
];

const DAY_MS = 86_400_000;

function utcMidnight(time: number): Date {
  const date = new Date(time);
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
}

/** The start of the UTC bucket (day, ISO week from Monday, calendar month) that holds an instant. */
export function bucketStart(iso: string, period: Period): Date {
  const day = utcMidnight(new Date(iso).getTime());
  if (period === 'day') return day;
  if (period === 'week') {
    const sinceMonday = (day.getUTCDay() + 6) % 7;
    return new Date(day.getTime() - sinceMonday * DAY_MS);
  }
  return new Date(Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), 1));
}

function nextBucket(start: Date, period: Period): Date {
  if (period === 'day') return new Date(start.getTime() + DAY_MS);
  if (period === 'week') return new Date(start.getTime() + 7 * DAY_MS);
  return new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 1));
}

/** Every bucket start from the one holding `from` up to (excluding) `to`, as ISO instants; at most `max`. */
export function periodStarts(from: string, to: string, period: Period, max = 1000): string[] {
  const end = new Date(to).getTime();
  const starts: string[] = [];
  if (Number.isNaN(end) || Number.isNaN(new Date(from).getTime())) return starts;
  for (let at = bucketStart(from, period); at.getTime() < end && starts.length < max; at = nextBucket(at, period)) {
    starts.push(at.toISOString());
  }
  return starts;
}

/** A short axis label for a bucket: "03 Dec" (day and week start) or "Nov 2026" (month). */
export function bucketLabel(iso: string, period: Period): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  if (period === 'month') return date.toLocaleDateString('en-GB', { month: 'short', year: 'numeric', timeZone: 'UTC' });
  return date.toLocaleDateString('en-GB', { day: '2-digit', month: 'short', timeZone: 'UTC' });
}

export function periodAxisLabel(period: Period): string {
  return period === 'day' ? 'Day (UTC)' : period === 'week' ? 'Week starting (UTC)' : 'Month (UTC)';
}

const key = (iso: string) => new Date(iso).getTime();

const EMPTY_BUCKET = { api_call: 0, embedding_tokens: 0, storage_bytes: 0, search_query: 0, document_processed: 0, cost: 0 };

export type UsagePoint = UsageBucket & { label: string };

/**
 * The usage series with every bucket of [from, to) present (zeros where nothing happened), oldest first, each with
 * its axis label. Buckets the server sent outside the range are kept.
 */
export function fillUsageSeries(series: UsageBucket[], from: string, to: string, period: Period): UsagePoint[] {
  const byStart = new Map<number, UsageBucket>();
  for (const bucket of series) byStart.set(key(bucket.period_start), bucket);
  for (const start of periodStarts(from, to, period)) {
    if (!byStart.has(key(start))) byStart.set(key(start), { period_start: start, ...EMPTY_BUCKET });
  }
  return [...byStart.entries()]
    .sort(([a], [b]) => a - b)
    .map(([, bucket]) => ({ ...EMPTY_BUCKET, ...bucket, label: bucketLabel(bucket.period_start, period) }));
}

export function totalOf(totals: MetricTotal[] | undefined, type: string): MetricTotal {
  return totals?.find((total) => total.metric_type === type) ?? { metric_type: type, quantity: 0, cost: 0, records: 0 };
}

/** Each metric type's usage, cost and records summed over all periods of a breakdown, in the usual metric order. */
export function costsByMetric(rows: CostRow[]): MetricTotal[] {
  const sums = new Map<string, MetricTotal>();
  for (const row of rows) {
    const sum = sums.get(row.metric_type) ?? { metric_type: row.metric_type, quantity: 0, cost: 0, records: 0 };
    sum.quantity += row.total_usage;
    sum.cost += Number(row.total_cost);
    sum.records += row.count;
    sums.set(row.metric_type, sum);
  }
  const order = (type: string) => {
    const index = METRIC_TYPES.indexOf(type as MetricType);
    return index < 0 ? METRIC_TYPES.length : index;
  };
  return [...sums.values()].sort((a, b) => order(a.metric_type) - order(b.metric_type) || a.metric_type.localeCompare(b.metric_type));
}

export type CostPoint = { period_start: string; label: string; total: number } & Record<string, number | string>;

/**
 * The cost breakdown pivoted for a stacked bar chart: one point per bucket of [from, to) (empty ones included),
 * oldest first, with each metric type's cost under its own key and the bucket's total. `metrics` lists the metric
 * types that appear, in the usual order, so every point has a value for each of them.
 */
export function costsByPeriod(rows: CostRow[], from: string, to: string, period: Period):
  { metrics: string[]; points: CostPoint[] } {
  const metrics = costsByMetric(rows).map((total) => total.metric_type);
  const points = new Map<number, CostPoint>();
  const point = (start: string) => {
    let found = points.get(key(start));
    if (!found) {
      found = { period_start: new Date(start).toISOString(), label: bucketLabel(start, period), total: 0 };
      for (const metric of metrics) found[metric] = 0;
      points.set(key(start), found);
    }
    return found;
  };
  for (const start of periodStarts(from, to, period)) point(start);
  for (const row of rows) {
    const target = point(row.period);
    const cost = Number(row.total_cost);
    target[row.metric_type] = (target[row.metric_type] as number) + cost;
    target.total += cost;
  }
  return { metrics, points: [...points.entries()].sort(([a], [b]) => a - b).map(([, value]) => value) };
}

export interface ModelUsage {
  model: string;
  tokens: number;
  cost: number;
  runs: number;
}

/** Embedding tokens and cost per model, from the metered embedding runs (export rows), most tokens first. */
export function usagePerModel(rows: ExportRow[]): ModelUsage[] {
  const sums = new Map<string, ModelUsage>();
  for (const row of rows) {
    if (row.metric_type !== 'embedding_tokens') continue;
    const model = row.details?.model ?? 'unknown';
    const sum = sums.get(model) ?? { model, tokens: 0, cost: 0, runs: 0 };
    sum.tokens += row.metric_value;
    sum.cost += Number(row.cost_usd);
    sum.runs += 1;
    sums.set(model, sum);
  }
  return [...sums.values()].sort((a, b) => b.tokens - a.tokens || a.model.localeCompare(b.model));
}

/** The model of each document's latest embedding run (a re-embedding replaces the earlier model). */
export function latestModelPerDocument(rows: ExportRow[]): Record<string, string> {
  const latest: Record<string, { at: number; model: string }> = {};
  for (const row of rows) {
    if (row.metric_type !== 'embedding_tokens' || !row.document_id || !row.details?.model) continue;
    const at = key(row.timestamp);
    const seen = latest[row.document_id];
    if (!seen || at >= seen.at) latest[row.document_id] = { at, model: row.details.model };
  }
  return Object.fromEntries(Object.entries(latest).map(([id, value]) => [id, value.model]));
}

export interface TopEntry {
  /** The item's id, or null for the "others" entry. */
  id: string | null;
  label: string;
  value: number;
  /** How many items the "others" entry sums up (1 for a listed item). */
  count: number;
}

/**
 * The `n` items with the largest value, then one "Others" entry summing the rest (only when there is a rest).
 * Ties keep the input order.
 */
export function topWithOthers<T>(items: T[], n: number, id: (item: T) => string, label: (item: T) => string,
                                 value: (item: T) => number): TopEntry[] {
  const sorted = items.map((item, index) => ({ item, index, value: Number(value(item)) || 0 }))
    .sort((a, b) => b.value - a.value || a.index - b.index);
  const top: TopEntry[] = sorted.slice(0, n).map(({ item, value: v }) => ({ id: id(item), label: label(item), value: v, count: 1 }));
  const rest = sorted.slice(n);
  if (rest.length > 0) {
    top.push({ id: null, label: `Others (${rest.length})`, value: rest.reduce((sum, entry) => sum + entry.value, 0), count: rest.length });
  }
  return top;
}

/** Today as YYYY-MM-DD (UTC) and the day `days` before it: the export form's default range. */
export function defaultExportRange(now: Date = new Date(), days = 30): { from: string; to: string } {
  const today = utcMidnight(now.getTime());
  return { from: new Date(today.getTime() - days * DAY_MS).toISOString().slice(0, 10), to: today.toISOString().slice(0, 10) };
}

export function exportPath(format: 'csv' | 'json', from: string, to: string): string {
  const query = new URLSearchParams({ format });
  if (from) query.set('from', from);
  if (to) query.set('to', to);
  return `/api/metrics/export?${query.toString()}`;
}

/** usage-<from>-<to>.<format>; an empty bound says what the server assumes. */
export function exportFileName(format: 'csv' | 'json', from: string, to: string): string {
  return `usage-${from || 'last-30-days'}-${to || 'today'}.${format}`;
}

/**
 * The metrics endpoints name a bad query parameter in the problem's `parameter` ("from must be before to"); forms
 * show field messages from "name: message" details, so this rewrites such a detail into that form.
 */
export function parameterDetail(problem: Problem): string {
  const parameter = typeof problem.parameter === 'string' ? problem.parameter : null;
  if (!parameter || !problem.detail) return problem.detail;
  const rest = problem.detail.startsWith(`${parameter} `) ? problem.detail.slice(parameter.length + 1) : problem.detail;
  return `${parameter}: ${rest}`;
}

/** The earliest date (YYYY-MM-DD, UTC) among some instants, or null. */
export function earliestDay(instants: string[]): string | null {
  const times = instants.map(key).filter((time) => !Number.isNaN(time));
  return times.length === 0 ? null : new Date(Math.min(...times)).toISOString().slice(0, 10);
}

const compact = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 });

/** Axis ticks: 1.2K, 3.4M. */
export function formatCompact(value: number): string {
  return compact.format(value);
}
