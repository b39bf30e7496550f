import { Link } from 'react-router-dom';
import type { AuditEvent } from '@/lib/documents';
import { eventLabel } from '@/lib/documents';
import { actorWords, auditViewSearch } from '@/lib/audit';

/**
 * The pieces of one audit event that the document page's history and the Audit page show alike: who caused it, in
 * words (the operator's or webhook's id after it; a tenant is always the caller's own account), and the stored
 * payload behind a disclosure.
 */
export function EventActor({ actor }: { actor: string | null }) {
  const words = actorWords(actor);
  return (
    <span title={actor ?? undefined} data-actor-kind={words.kind}>
      {words.label}
      {words.id && words.kind !== 'tenant' && <span className="text-slate-600"> · <code className="text-xs [overflow-wrap:anywhere]">{words.id}</code></span>}
    </span>
  );
}

/** The event exactly as stored, as JSON; the summary names the event so several on one page stay distinguishable. */
export function EventPayload({ event }: { event: Pick<AuditEvent, 'type' | 'global_index' | 'payload'> }) {
  return (
    // relative: the summary's screen-reader text is absolutely positioned and must stay inside a scrolling table
    <details className="relative mt-1">
      <summary className="cursor-pointer text-xs font-medium text-brand-700">
        Payload<span className="sr-only"> of {eventLabel(event.type).toLowerCase()} (#{event.global_index})</span>
      </summary>
      <pre tabIndex={0} aria-label={`Payload of event ${event.global_index}`}
           className="mt-1 max-h-64 max-w-full overflow-auto rounded bg-slate-50 p-2 text-xs">{JSON.stringify(event.payload, null, 2)}</pre>
    </details>
  );
}

/** A correlation id that opens the Audit page on every event of that request (the pipeline's and usage's too). */
export function RequestLink({ correlationId }: { correlationId: string }) {
  const search = auditViewSearch({ filter: { type: '', correlation: correlationId }, order: 'oldest' }).toString();
  return (
    <Link to={`/audit?${search}`} className="font-mono text-brand-700 underline" title="Every event of this request">
      {correlationId}
    </Link>
  );
}
