import { useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api';
import { formatDate, formatNumber } from '@/lib/format';
import type { RateLimitWindow, TenantRateLimits } from '@/lib/metrics';
import { Card, EmptyState, ErrorState, Loading, Table } from '@/components/ui';
import { Link } from 'react-router-dom';

function Usage({ window }: { window: RateLimitWindow }) {
  const share = window.limit > 0 ? window.used / window.limit : 0;
  return (
    <span className={share >= 0.9 ? 'font-semibold text-red-700' : share >= 0.75 ? 'font-medium text-amber-800' : undefined}>
      {formatNumber(window.used)} / {formatNumber(window.limit)}
    </span>
  );
}

/** The rate limiter's current minute and UTC-day windows, per endpoint called today. */
export function RateLimitsCard() {
  const limits = useQuery({
    queryKey: ['metrics', 'rate-limits'],
    queryFn: () => api<TenantRateLimits>('/api/metrics/rate-limits'),
    refetchInterval: 30_000,
  });
  return (
    <Card title="Rate limits" actions={<Link to="/settings" className="text-sm font-medium text-brand-700 underline">Change limits</Link>}>
      {limits.isPending && <Loading label="Loading rate limits…" />}
      {limits.error && <ErrorState error={limits.error} onRetry={() => limits.refetch()} />}
      {limits.data && (
        <div className="space-y-3">
          <p className="text-sm text-slate-600">
            Each endpoint may be called {formatNumber(limits.data.per_minute)} times per minute and{' '}
            {formatNumber(limits.data.per_day)} times per UTC day. Over the limit the API answers 429 with Retry-After.
          </p>
          {limits.data.endpoints.length === 0 ? (
            <EmptyState title="No calls counted today">Windows appear here once you call the API today.</EmptyState>
          ) : (
            <Table label="Rate-limit windows per endpoint">
              <thead className="text-slate-600">
                <tr>
                  <th scope="col" className="py-2 pr-3">Endpoint</th>
                  <th scope="col" className="pr-3 text-right">This minute</th>
                  <th scope="col" className="pr-3 text-right">Today</th>
                  <th scope="col" className="pr-3 text-right">Left today</th>
                  <th scope="col">Day resets</th>
                </tr>
              </thead>
              <tbody>
                {limits.data.endpoints.map((row) => (
                  <tr key={row.endpoint} className="border-t border-slate-100">
                    <td className="py-2 pr-3 font-mono text-xs">{row.endpoint}</td>
                    <td className="pr-3 text-right tabular-nums"><Usage window={row.minute} /></td>
                    <td className="pr-3 text-right tabular-nums"><Usage window={row.day} /></td>
                    <td className="pr-3 text-right tabular-nums">{formatNumber(row.day.remaining)}</td>
                    <td className="whitespace-nowrap">{formatDate(row.day.resets_at)}</td>
                  </tr>
                ))}
              </tbody>
            </Table>
          )}
        </div>
      )}
    </Card>
  );
}
