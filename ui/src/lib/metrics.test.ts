import { describe, expect, it } from 'vitest';
import {
  bucketLabel, bucketStart, costsByMetric, costsByPeriod, defaultExportRange, earliestDay, exportFileName, exportPath,
  fillUsageSeries, formatQuantity, latestModelPerDocument, parameterDetail, periodStarts, topWithOthers, usagePerModel,
  type CostRow, type ExportRow, type UsageBucket,
} from './metrics';
import { fieldErrors } from './problem';

const bucket = (period_start: string, values: Partial<UsageBucket> = {}): UsageBucket => ({
  period_start, api_call: 0, embedding_tokens: 0, storage_bytes: 0, search_query: 0, document_processed: 0, cost: 0, ...values,
});

describe('bucketStart and periodStarts', () => {
  it('starts weeks on Monday and months on the first, in UTC', () => {
    expect(bucketStart('2026-12-03T06:35:00Z', 'week').toISOString()).toBe('2026-11-30T00:00:00.000Z');
    expect(bucketStart('2026-11-30T23:59:59Z', 'week').toISOString()).toBe('2026-11-30T00:00:00.000Z');
    expect(bucketStart('2026-11-29T12:00:00Z', 'week').toISOString()).toBe('2026-11-23T00:00:00.000Z');
    expect(bucketStart('2026-12-03T06:35:00Z', 'month').toISOString()).toBe('2026-12-01T00:00:00.000Z');
  });

  it('lists every bucket of a range, the last one partial', () => {
    expect(periodStarts('2026-12-01T00:00:00Z', '2026-12-03T06:35:40.1Z', 'day')).toEqual([
      '2026-12-01T00:00:00.000Z', '2026-12-02T00:00:00.000Z', '2026-12-03T00:00:00.000Z',
    ]);
    expect(periodStarts('2026-11-01T00:00:00Z', '2027-01-15T00:00:00Z', 'month')).toEqual([
      '2026-11-01T00:00:00.000Z', '2026-12-01T00:00:00.000Z', '2027-01-01T00:00:00.000Z',
    ]);
    expect(periodStarts('2026-11-04T00:00:00Z', '2026-12-03T06:00:00Z', 'day')).toHaveLength(30);
  });

  it('gives nothing for a bad or empty range', () => {
    expect(periodStarts('nonsense', '2026-12-03T00:00:00Z', 'day')).toEqual([]);
    expect(periodStarts('2026-12-03T00:00:00Z', '2026-12-03T00:00:00Z', 'day')).toEqual([]);
  });

  it('labels days and months', () => {
    expect(bucketLabel('2026-12-03T00:00:00Z', 'day')).toBe('03 Dec');
    expect(bucketLabel('2026-11-01T00:00:00Z', 'month')).toBe('Nov 2026');
  });
});

describe('fillUsageSeries', () => {
  it('fills the empty days with zeros and keeps the sent figures, oldest first', () => {
    const points = fillUsageSeries(
      [bucket('2026-12-03T00:00:00Z', { api_call: 4, embedding_tokens: 2894 }), bucket('2026-12-01T00:00:00Z', { search_query: 1 })],
      '2026-12-01T00:00:00Z', '2026-12-03T10:00:00Z', 'day');
    expect(points.map((point) => point.label)).toEqual(['01 Dec', '02 Dec', '03 Dec']);
    expect(points[0].search_query).toBe(1);
    expect(points[1]).toMatchObject({ api_call: 0, embedding_tokens: 0, search_query: 0, document_processed: 0, storage_bytes: 0 });
    expect(points[2]).toMatchObject({ api_call: 4, embedding_tokens: 2894 });
  });

  it('matches buckets whatever the instant notation', () => {
    const points = fillUsageSeries([bucket('2026-11-30T00:00:00.000000Z', { api_call: 2 })],
      '2026-11-30T00:00:00Z', '2026-12-01T00:00:00Z', 'week');
    expect(points).toHaveLength(1);
    expect(points[0].api_call).toBe(2);
  });
});

describe('costs', () => {
  const rows: CostRow[] = [
    { period: '2026-12-03T00:00:00Z', metric_type: 'search_query', total_usage: 3, total_cost: 0.0003, count: 3 },
    { period: '2026-12-03T00:00:00Z', metric_type: 'embedding_tokens', total_usage: 1000, total_cost: 0.00002, count: 1 },
    { period: '2026-12-01T00:00:00Z', metric_type: 'embedding_tokens', total_usage: 500, total_cost: 0.00001, count: 2 },
  ];

  it('sums each metric type over the periods, in the usual metric order', () => {
    const totals = costsByMetric(rows);
    expect(totals.map((total) => total.metric_type)).toEqual(['search_query', 'embedding_tokens']);
    expect(totals[1]).toMatchObject({ quantity: 1500, records: 3 });
    expect(totals[1].cost).toBeCloseTo(0.00003, 10);
  });

  it('pivots per period with empty periods and a value for every metric', () => {
    const { metrics, points } = costsByPeriod(rows, '2026-12-01T00:00:00Z', '2026-12-03T12:00:00Z', 'day');
    expect(metrics).toEqual(['search_query', 'embedding_tokens']);
    expect(points.map((point) => point.label)).toEqual(['01 Dec', '02 Dec', '03 Dec']);
    expect(points[1]).toMatchObject({ search_query: 0, embedding_tokens: 0, total: 0 });
    expect(points[2].search_query).toBeCloseTo(0.0003, 10);
    expect(points[2].total).toBeCloseTo(0.00032, 10);
  });
});

describe('per model and per document', () => {
  const row = (timestamp: string, document_id: string, model: string | null, tokens: number, cost = 0, type = 'embedding_tokens'): ExportRow => ({
    timestamp, metric_type: type, metric_value: tokens, cost_usd: cost, document_id, document_title: null,
    details: model ? { model, version: '1' } : { version: '1' },
  });
  const rows = [
    row('2026-12-01T10:00:00Z', 'a', 'all-minilm-l6-v2', 400),
    row('2026-12-02T10:00:00Z', 'a', 'text-embedding-3-small', 400, 0.000008),
    row('2026-12-02T11:00:00Z', 'b', 'text-embedding-3-small', 1000, 0.00002),
    row('2026-12-02T11:00:00Z', 'b', null, 5000, 0, 'storage_bytes'),
    row('2026-12-02T12:00:00Z', 'c', null, 10),
  ];

  it('groups embedding runs per model, most tokens first', () => {
    const models = usagePerModel(rows);
    expect(models.map((model) => [model.model, model.tokens, model.runs])).toEqual([
      ['text-embedding-3-small', 1400, 2], ['all-minilm-l6-v2', 400, 1], ['unknown', 10, 1],
    ]);
    expect(models[0].cost).toBeCloseTo(0.000028, 10);
  });

  it('takes the model of each document\u2019s latest run', () => {
    expect(latestModelPerDocument(rows)).toEqual({ a: 'text-embedding-3-small', b: 'text-embedding-3-small' });
  });
});

describe('topWithOthers', () => {
  const items = [{ id: 'a', v: 5 }, { id: 'b', v: 50 }, { id: 'c', v: 7 }, { id: 'd', v: 7 }, { id: 'e', v: 1 }];
  const top = (n: number) => topWithOthers(items, n, (item) => item.id, (item) => item.id.toUpperCase(), (item) => item.v);

  it('keeps the n largest and sums the rest as others', () => {
    expect(top(2)).toEqual([
      { id: 'b', label: 'B', value: 50, count: 1 },
      { id: 'c', label: 'C', value: 7, count: 1 },
      { id: null, label: 'Others (3)', value: 13, count: 3 },
    ]);
  });

  it('adds no others entry when everything fits', () => {
    expect(top(5).map((entry) => entry.id)).toEqual(['b', 'c', 'd', 'a', 'e']);
    expect(topWithOthers([], 3, String, String, Number)).toEqual([]);
  });
});

describe('export', () => {
  it('builds the download path and file name', () => {
    expect(exportPath('csv', '2026-11-01', '2026-11-30')).toBe('/api/metrics/export?format=csv&from=2026-11-01&to=2026-11-30');
    expect(exportPath('json', '', '')).toBe('/api/metrics/export?format=json');
    expect(exportFileName('csv', '2026-11-01', '2026-11-30')).toBe('usage-2026-11-01-2026-11-30.csv');
  });

  it('defaults to the last 30 days up to today', () => {
    expect(defaultExportRange(new Date('2026-12-03T06:00:00Z'))).toEqual({ from: '2026-11-03', to: '2026-12-03' });
  });

  it('turns a bad parameter into a message for its field', () => {
    const detail = parameterDetail({ status: 400, detail: 'from must be before to', parameter: 'from' });
    expect(detail).toBe('from: must be before to');
    expect(fieldErrors(detail).fields).toEqual({ from: 'must be before to' });
    expect(parameterDetail({ status: 503, detail: 'Try later' })).toBe('Try later');
  });

  it('finds the earliest day', () => {
    expect(earliestDay(['2026-12-03T06:35:31Z', '2026-11-20T23:59:00Z', 'bad'])).toBe('2026-11-20');
    expect(earliestDay([])).toBeNull();
  });
});

describe('formatQuantity', () => {
  it('reads storage as bytes and the rest as counts', () => {
    expect(formatQuantity('storage_bytes', 8_223_971)).toBe('7.8 MB');
    expect(formatQuantity('api_call', 1208)).toBe('1,208');
  });
});
