import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, EmptyState, ErrorState, Field, FormErrors, Loading, Table } from '@/components/ui';
import { api } from '@/lib/api';
import { formatDate, formatNumber } from '@/lib/format';
import type { RateLimitWindow, TenantRateLimits } from '@/lib/metrics';
import { messageFor } from '@/lib/problem';
import type { TenantConfig } from '@/lib/settings';
import { useConfigSave } from './useConfigSave';

const RATE_LIMITS_KEY = ['metrics', 'rate-limits'];

function time(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

function Usage({ window }: { window: RateLimitWindow }) {
  return <>{formatNumber(window.used)} / {formatNumber(window.limit)}</>;
}

/** The per-minute and per-day budgets (saved with the configuration) and the windows the limiter counts now. */
export function RateLimitsCard({ config }: { config: TenantConfig }) {
  const windows = useQuery({ queryKey: RATE_LIMITS_KEY, queryFn: () => api<TenantRateLimits>('/api/metrics/rate-limits') });
  const { submit, result, server, fields } = useConfigSave(config, (form) => ({
    rate_limit_requests_per_minute: String(form.get('rate_limit_requests_per_minute') ?? ''),
    rate_limit_requests_per_day: String(form.get('rate_limit_requests_per_day') ?? ''),
  }), [RATE_LIMITS_KEY]);
  const others = Object.entries(server.fields)
    .filter(([field]) => !field.startsWith('rate_limit_requests_per_')).map(([, message]) => message);

  return (
    <Card title="Rate limits">
      <div className="space-y-6">
        <form className="space-y-4" onSubmit={submit.onSubmit} noValidate>
          <FormErrors messages={[...server.general, ...others]} />
          {result === 'saved' && <Alert tone="success">Rate limits saved. They apply within 5 seconds.</Alert>}
          {result === 'unchanged' && <Alert tone="info">Nothing to save: the limits are as shown.</Alert>}
          <p className="text-sm text-slate-700">Each endpoint has its own budget per minute and per UTC day; over it, the API answers 429 with Retry-After.</p>
          <div className="grid gap-4 md:grid-cols-2">
            <Field id="rate-per-minute" name="rate_limit_requests_per_minute" type="number" label="Requests per minute"
                   min={1} max={100000} inputMode="numeric" defaultValue={config.rate_limit_requests_per_minute}
                   hint="1 to 100,000" error={messageFor(fields, 'rate_limit_requests_per_minute')} />
            <Field id="rate-per-day" name="rate_limit_requests_per_day" type="number" label="Requests per day"
                   min={1} max={100000000} inputMode="numeric" defaultValue={config.rate_limit_requests_per_day}
                   hint="Not below the per-minute limit" error={messageFor(fields, 'rate_limit_requests_per_day')} />
          </div>
          <Button type="submit" disabled={submit.busy}>{submit.busy ? 'Saving…' : 'Save rate limits'}</Button>
        </form>

        <div className="space-y-2">
          <div className="flex flex-wrap items-center justify-between gap-2">
            <h3 className="text-sm font-semibold text-slate-800">Current windows</h3>
            <Button size="sm" variant="secondary" disabled={windows.isFetching} onClick={() => windows.refetch()}>
              {windows.isFetching ? 'Refreshing…' : 'Refresh windows'}
            </Button>
          </div>
          {windows.isPending && <Loading label="Loading the rate-limit windows…" />}
          {windows.error && <ErrorState error={windows.error} onRetry={() => windows.refetch()} />}
          {windows.data && windows.data.endpoints.length === 0 && (
            <EmptyState title="No calls counted today">Each endpoint appears here once it is called.</EmptyState>
          )}
          {windows.data && windows.data.endpoints.length > 0 && (
            <Table label="Rate-limit windows">
              <thead className="text-slate-600">
                <tr>
                  <th scope="col" className="py-2 pr-3">Endpoint</th>
                  <th scope="col" className="pr-3">This minute (used / limit)</th>
                  <th scope="col" className="pr-3">Remaining</th>
                  <th scope="col" className="pr-3">Resets at</th>
                  <th scope="col" className="pr-3">Today (used / limit)</th>
                  <th scope="col" className="pr-3">Remaining</th>
                  <th scope="col">Resets at</th>
                </tr>
              </thead>
              <tbody>
                {windows.data.endpoints.map((row) => (
                  <tr key={row.endpoint} className="border-t border-slate-100">
                    <td className="py-2 pr-3"><code className="text-xs">{row.endpoint}</code></td>
                    <td className="pr-3"><Usage window={row.minute} /></td>
                    <td className="pr-3">{formatNumber(row.minute.remaining)}</td>
                    <td className="whitespace-nowrap pr-3">{time(row.minute.resets_at)}</td>
                    <td className="pr-3"><Usage window={row.day} /></td>
                    <td className="pr-3">{formatNumber(row.day.remaining)}</td>
                    <td className="whitespace-nowrap">{formatDate(row.day.resets_at)}</td>
                  </tr>
                ))}
              </tbody>
            </Table>
          )}
        </div>
      </div>
    </Card>
  );
}
