import type { AuditEvent } from './documents';
import { eventLabel } from './documents';

/**
 * The tenant's whole event history (README, "For auditors: the event history"): GET /api/audit/events pages forward
 * from a cursor, oldest first. Fields are snake_case as on the wire; `payload` is the stored event (camelCase).
 */
export interface TenantAuditEvent extends AuditEvent {
  event_id: string;
  payload_type: string;
  revision: string | null;
  aggregate_type: string | null;
  aggregate_id: string | null;
  sequence_number: number;
}

export interface AuditEventPage {
  events: TenantAuditEvent[];
  count: number;
  has_more: boolean;
  next_cursor: number | null;
  resume_after: number;
}

/** Events per request; the API allows 1–500. */
export const AUDIT_PAGE_SIZE = 100;

export const auditKeys = {
  events: ['audit', 'events'] as const,
};

/** The API call for the page after `after` (0: the first). */
export function auditEventsPath(after: number, limit = AUDIT_PAGE_SIZE): string {
  return `/api/audit/events?${new URLSearchParams({ after: String(after), limit: String(limit) }).toString()}`;
}

/** useInfiniteQuery's next page: the cursor while the API says more follow, otherwise none. */
export function nextAuditCursor(page: AuditEventPage): number | undefined {
  return page.has_more && page.next_cursor !== null ? page.next_cursor : undefined;
}

/** The loaded pages as one list, each event once (a page refetched after new events must not repeat any). */
export function mergeAuditPages(pages: AuditEventPage[]): TenantAuditEvent[] {
  const seen = new Set<number>();
  const events: TenantAuditEvent[] = [];
  for (const page of pages) {
    for (const event of page.events) {
      if (seen.has(event.global_index)) continue;
      seen.add(event.global_index);
      events.push(event);
    }
  }
  return events;
}

export type AuditOrder = 'newest' | 'oldest';

/** By the store's global index, which is the order events were written in. */
export function sortAuditEvents<T extends { global_index: number }>(events: T[], order: AuditOrder): T[] {
  const direction = order === 'newest' ? -1 : 1;
  return [...events].sort((a, b) => direction * (a.global_index - b.global_index));
}

export interface AuditFilter {
  /** An exact event type (DocumentSubmittedEvent), or '' for all. */
  type: string;
  /** Part of a correlation id, case-insensitive; '' for all. */
  correlation: string;
}

export const NO_FILTER: AuditFilter = { type: '', correlation: '' };

/** The loaded events that match the filter (the API has none: filtering happens over what is loaded). */
export function filterAuditEvents<T extends AuditEvent>(events: T[], filter: AuditFilter): T[] {
  const needle = filter.correlation.trim().toLowerCase();
  return events.filter((event) => (!filter.type || event.type === filter.type)
    && (!needle || (event.correlation_id ?? '').toLowerCase().includes(needle)));
}

export function isFiltered(filter: AuditFilter): boolean {
  return filter.type !== '' || filter.correlation.trim() !== '';
}

/**
 * The event-type choices: every type among the loaded events, in plain words with how many there are, sorted by
 * those words; a type chosen earlier stays offered even when no loaded event has it any more.
 */
export function eventTypeOptions(events: AuditEvent[], selected = ''): { value: string; label: string }[] {
  const counts = new Map<string, number>();
  for (const event of events) counts.set(event.type, (counts.get(event.type) ?? 0) + 1);
  if (selected && !counts.has(selected)) counts.set(selected, 0);
  const options = [...counts.entries()]
    .map(([type, count]) => ({ value: type, label: `${aggregateWordFor(type)}${eventLabel(type)} (${count})` }))
    .sort((a, b) => a.label.localeCompare(b.label));
  return [{ value: '', label: 'All event types' }, ...options];
}

/** eventLabel drops the "Document" of document events; in a list of every kind the option says it again. */
function aggregateWordFor(type: string): string {
  return /^Document[A-Z]/.test(type) ? 'Document: ' : '';
}

export interface ActorWords {
  /** tenant, admin, webhook, system, anonymous, or unknown */
  kind: string;
  /** Plain words for who caused the event. */
  label: string;
  /** The customer or webhook id behind the actor, when there is one. */
  id: string | null;
}

/** README: tenant:<customer id>, admin:<customer id>, webhook:<webhook id>, anonymous, system. */
export function actorWords(actor: string | null | undefined): ActorWords {
  if (!actor) return { kind: 'unknown', label: 'Unknown', id: null };
  const colon = actor.indexOf(':');
  const kind = colon < 0 ? actor : actor.slice(0, colon);
  const id = colon < 0 ? null : actor.slice(colon + 1) || null;
  switch (kind) {
    case 'tenant': return { kind, label: 'Tenant (your API key or dashboard)', id };
    case 'admin': return { kind, label: 'Admin (an operator)', id };
    case 'webhook': return { kind, label: 'Webhook (an inbound delivery)', id };
    case 'system': return { kind, label: 'System (the service itself)', id };
    case 'anonymous': return { kind, label: 'Anonymous (sign-up)', id };
    default: return { kind: 'unknown', label: actor, id: null };
  }
}

/** Document titles by id, from the loaded DocumentSubmittedEvents (the latest version's title wins). */
export function documentTitles(events: AuditEvent[]): Map<string, string> {
  const titles = new Map<string, string>();
  for (const event of sortAuditEvents(events, 'oldest')) {
    if (event.type !== 'DocumentSubmittedEvent') continue;
    const payload = event.payload as { documentId?: unknown; title?: unknown } | null;
    const id = typeof payload?.documentId === 'string' ? payload.documentId
      : (event as Partial<TenantAuditEvent>).aggregate_id ?? null;
    if (id && typeof payload?.title === 'string' && payload.title.trim()) titles.set(id, payload.title);
  }
  return titles;
}

/** Where an event's aggregate has a page of its own: documents only. */
export function aggregateHref(event: Pick<TenantAuditEvent, 'aggregate_type' | 'aggregate_id'>): string | null {
  return event.aggregate_type === 'Document' && event.aggregate_id
    ? `/documents/${encodeURIComponent(event.aggregate_id)}` : null;
}

/** The download's name: audit-events-<tenant-less timestamp>.json, safe on every file system. */
export function auditFileName(now: Date = new Date()): string {
  return `audit-events-${now.toISOString().slice(0, 19).replace(/:/g, '-')}.json`;
}

/** The file's content: the events as the API sent them, in the order shown, with what was filtered. */
export function auditFileContent(events: TenantAuditEvent[], filter: AuditFilter, order: AuditOrder, exportedAt: Date = new Date()): string {
  return `${JSON.stringify({
    exported_at: exportedAt.toISOString(),
    order,
    filter: { type: filter.type || null, correlation_id: filter.correlation.trim() || null },
    count: events.length,
    events,
  }, null, 2)}\n`;
}

export interface AuditView {
  filter: AuditFilter;
  order: AuditOrder;
}

/** The page's view from its query string (?type=…&correlation=…&order=newest), so a filtered view can be shared. */
export function parseAuditView(search: URLSearchParams): AuditView {
  return {
    filter: { type: search.get('type') ?? '', correlation: search.get('correlation') ?? '' },
    order: search.get('order') === 'newest' ? 'newest' : 'oldest',
  };
}

/** The query string of a view; defaults are left out so /audit stays /audit. */
export function auditViewSearch(view: AuditView): URLSearchParams {
  const search = new URLSearchParams();
  if (view.filter.type) search.set('type', view.filter.type);
  if (view.filter.correlation) search.set('correlation', view.filter.correlation);
  if (view.order === 'newest') search.set('order', 'newest');
  return search;
}
