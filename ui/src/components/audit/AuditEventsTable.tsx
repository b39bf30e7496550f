import { Link } from 'react-router-dom';
import { Button, CopyButton, Table } from '@/components/ui';
import { aggregateHref, type TenantAuditEvent } from '@/lib/audit';
import { eventLabel } from '@/lib/documents';
import { formatDate } from '@/lib/format';
import { EventActor, EventPayload } from './AuditEventParts';

function Aggregate({ event, titles }: { event: TenantAuditEvent; titles: Map<string, string> }) {
  const href = aggregateHref(event);
  const kind = event.aggregate_type ?? 'Other';
  if (href && event.aggregate_id) {
    const title = titles.get(event.aggregate_id);
    return (
      <>
        <span className="block">{kind}</span>
        <Link to={href} className="font-medium text-brand-700 underline [overflow-wrap:anywhere]"
              title={event.aggregate_id}>{title ?? event.aggregate_id}</Link>
      </>
    );
  }
  return (
    <>
      <span className="block">{kind}</span>
      {event.aggregate_id && <code className="block text-xs text-slate-600 [overflow-wrap:anywhere]">{event.aggregate_id}</code>}
    </>
  );
}

/**
 * The loaded events, one row each. A correlation id is a button that narrows the list to that request's events;
 * the table scrolls sideways inside its region on a phone.
 */
export function AuditEventsTable({ events, titles, onCorrelation }:
  { events: TenantAuditEvent[]; titles: Map<string, string>; onCorrelation: (id: string) => void }) {
  return (
    <Table label="Audit events">
      <thead className="text-slate-600">
        <tr className="border-b border-slate-200">
          <th scope="col" className="py-2 pr-3 font-medium">Time</th>
          <th scope="col" className="py-2 pr-3 font-medium">Event</th>
          <th scope="col" className="py-2 pr-3 font-medium">Aggregate</th>
          <th scope="col" className="py-2 pr-3 text-right font-medium">Version</th>
          <th scope="col" className="py-2 pr-3 font-medium">Actor</th>
          <th scope="col" className="py-2 pr-3 font-medium">Correlation id</th>
          <th scope="col" className="py-2 font-medium">Payload</th>
        </tr>
      </thead>
      <tbody>
        {events.map((event) => (
          <tr key={event.global_index} className="border-t border-slate-100 align-top" data-testid="audit-event">
            <td className="py-2 pr-3 whitespace-nowrap">
              <time dateTime={event.occurred_at}>{formatDate(event.occurred_at)}</time>
              <span className="block text-xs text-slate-600">#{event.global_index}</span>
            </td>
            <td className="py-2 pr-3">
              <span className="block font-medium text-slate-900">{eventLabel(event.type)}</span>
              <code className="block text-xs text-slate-600">{event.type}</code>
            </td>
            <td className="max-w-60 min-w-44 py-2 pr-3"><Aggregate event={event} titles={titles} /></td>
            <td className="py-2 pr-3 text-right tabular-nums">{event.version ?? '–'}</td>
            <td className="max-w-48 min-w-36 py-2 pr-3 text-xs"><EventActor actor={event.actor} /></td>
            <td className="min-w-64 py-2 pr-3">
              {event.correlation_id ? (
                <span className="flex items-start gap-1">
                  <Button variant="ghost" size="sm" className="max-w-48 justify-start font-mono break-all text-left text-brand-700 underline"
                          title="Show every event of this request" onClick={() => onCorrelation(event.correlation_id ?? '')}>
                    {event.correlation_id}
                  </Button>
                  <CopyButton value={event.correlation_id} />
                </span>
              ) : <span className="text-slate-600">–</span>}
            </td>
            <td className="min-w-24 py-2"><EventPayload event={event} /></td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
