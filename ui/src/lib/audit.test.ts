import { describe, expect, it } from 'vitest';
import {
  actorWords, aggregateHref, auditEventsPath, auditFileContent, auditFileName, auditViewSearch, documentTitles,
  eventTypeOptions, filterAuditEvents, isFiltered, mergeAuditPages, nextAuditCursor, NO_FILTER, parseAuditView,
  sortAuditEvents, type AuditEventPage, type TenantAuditEvent,
} from './audit';

function event(index: number, overrides: Partial<TenantAuditEvent> = {}): TenantAuditEvent {
  return {
    global_index: index,
    event_id: `e-${index}`,
    type: 'DocumentParsedEvent',
    payload_type: 'io.dynamicrag.kernel.ingestion.api.event.DocumentParsedEvent',
    revision: null,
    aggregate_type: 'Document',
    aggregate_id: 'doc-1',
    sequence_number: index,
    version: 1,
    occurred_at: '2026-11-25T14:40:01.123Z',
    actor: 'system',
    correlation_id: 'req-1',
    payload: {},
    ...overrides,
  };
}

function page(events: TenantAuditEvent[], hasMore: boolean): AuditEventPage {
  const last = events.length > 0 ? events[events.length - 1].global_index : null;
  return { events, count: events.length, has_more: hasMore, next_cursor: hasMore ? last : null, resume_after: last ?? 0 };
}

describe('paging forward from a cursor', () => {
  it('asks for the page after a cursor with the page size', () => {
    expect(auditEventsPath(0)).toBe('/api/audit/events?after=0&limit=100');
    expect(auditEventsPath(2345, 50)).toBe('/api/audit/events?after=2345&limit=50');
  });

  it('follows next_cursor while has_more, and stops after the last page', () => {
    expect(nextAuditCursor(page([event(1), event(7)], true))).toBe(7);
    expect(nextAuditCursor(page([event(9)], false))).toBeUndefined();
    expect(nextAuditCursor({ events: [], count: 0, has_more: true, next_cursor: null, resume_after: 3 })).toBeUndefined();
  });

  it('merges the pages into one list with every event once', () => {
    const merged = mergeAuditPages([page([event(1), event(2)], true), page([event(2), event(3)], false)]);
    expect(merged.map((e) => e.global_index)).toEqual([1, 2, 3]);
    expect(mergeAuditPages([])).toEqual([]);
  });

  it('orders by global index either way without changing its input', () => {
    const events = [event(5), event(1), event(3)];
    expect(sortAuditEvents(events, 'oldest').map((e) => e.global_index)).toEqual([1, 3, 5]);
    expect(sortAuditEvents(events, 'newest').map((e) => e.global_index)).toEqual([5, 3, 1]);
    expect(events.map((e) => e.global_index)).toEqual([5, 1, 3]);
  });
});

describe('filters over the loaded events', () => {
  const events = [
    event(1, { type: 'TenantRegisteredEvent', aggregate_type: 'Tenant', correlation_id: 'signup-AB', actor: 'anonymous' }),
    event(2, { type: 'DocumentSubmittedEvent', correlation_id: 'my-request-1' }),
    event(3, { type: 'DocumentParsedEvent', correlation_id: 'my-request-1' }),
    event(4, { type: 'DocumentSubmittedEvent', correlation_id: null }),
  ];

  it('keeps everything without a filter', () => {
    expect(filterAuditEvents(events, NO_FILTER)).toHaveLength(4);
    expect(isFiltered(NO_FILTER)).toBe(false);
  });

  it('filters by exact event type', () => {
    expect(filterAuditEvents(events, { type: 'DocumentSubmittedEvent', correlation: '' }).map((e) => e.global_index)).toEqual([2, 4]);
  });

  it('filters by part of a correlation id, ignoring case and spaces around it', () => {
    expect(filterAuditEvents(events, { type: '', correlation: '  MY-REQUEST-1 ' }).map((e) => e.global_index)).toEqual([2, 3]);
    expect(filterAuditEvents(events, { type: '', correlation: 'signup' }).map((e) => e.global_index)).toEqual([1]);
    expect(isFiltered({ type: '', correlation: '   ' })).toBe(false);
  });

  it('combines both filters', () => {
    expect(filterAuditEvents(events, { type: 'DocumentParsedEvent', correlation: 'my-request' }).map((e) => e.global_index)).toEqual([3]);
    expect(filterAuditEvents(events, { type: 'TenantRegisteredEvent', correlation: 'my-request' })).toEqual([]);
  });

  it('offers the loaded types in plain words with counts, and keeps a chosen type that is gone', () => {
    expect(eventTypeOptions(events)).toEqual([
      { value: '', label: 'All event types' },
      { value: 'DocumentParsedEvent', label: 'Document: Parsed (1)' },
      { value: 'DocumentSubmittedEvent', label: 'Document: Submitted (2)' },
      { value: 'TenantRegisteredEvent', label: 'Tenant registered (1)' },
    ]);
    expect(eventTypeOptions([], 'WebhookCreatedEvent')).toEqual([
      { value: '', label: 'All event types' },
      { value: 'WebhookCreatedEvent', label: 'Webhook created (0)' },
    ]);
  });
});

describe('the view in the query string', () => {
  it('reads filters and order, with oldest first by default', () => {
    expect(parseAuditView(new URLSearchParams(''))).toEqual({ filter: NO_FILTER, order: 'oldest' });
    expect(parseAuditView(new URLSearchParams('type=DocumentSubmittedEvent&correlation=req-1&order=newest')))
      .toEqual({ filter: { type: 'DocumentSubmittedEvent', correlation: 'req-1' }, order: 'newest' });
    expect(parseAuditView(new URLSearchParams('order=sideways')).order).toBe('oldest');
  });

  it('writes only what differs from the default, so a round trip is stable', () => {
    expect(auditViewSearch({ filter: NO_FILTER, order: 'oldest' }).toString()).toBe('');
    const view = { filter: { type: 'WebhookCreatedEvent', correlation: 'abc' }, order: 'newest' as const };
    expect(parseAuditView(auditViewSearch(view))).toEqual(view);
  });
});

describe('actors in words', () => {
  it('names each kind of actor and keeps its id', () => {
    expect(actorWords('tenant:c-1')).toEqual({ kind: 'tenant', label: 'Tenant (your API key or dashboard)', id: 'c-1' });
    expect(actorWords('admin:c-9')).toMatchObject({ kind: 'admin', label: 'Admin (an operator)', id: 'c-9' });
    expect(actorWords('webhook:w-2')).toMatchObject({ kind: 'webhook', label: 'Webhook (an inbound delivery)', id: 'w-2' });
    expect(actorWords('system')).toMatchObject({ kind: 'system', label: 'System (the service itself)', id: null });
    expect(actorWords('anonymous')).toMatchObject({ kind: 'anonymous', label: 'Anonymous (sign-up)', id: null });
  });

  it('shows an unknown actor as it is, and a missing one as unknown', () => {
    expect(actorWords('robot:7')).toEqual({ kind: 'unknown', label: 'robot:7', id: null });
    expect(actorWords(null)).toEqual({ kind: 'unknown', label: 'Unknown', id: null });
    expect(actorWords('tenant:')).toMatchObject({ kind: 'tenant', id: null });
  });
});

describe('aggregates', () => {
  it('links documents to their page and nothing else', () => {
    expect(aggregateHref({ aggregate_type: 'Document', aggregate_id: 'd 1' })).toBe('/documents/d%201');
    expect(aggregateHref({ aggregate_type: 'Tenant', aggregate_id: 't-1' })).toBeNull();
    expect(aggregateHref({ aggregate_type: 'Document', aggregate_id: null })).toBeNull();
  });

  it('takes document titles from the submitted events, the latest version winning', () => {
    const titles = documentTitles([
      event(9, { type: 'DocumentSubmittedEvent', aggregate_id: 'doc-1', payload: { documentId: 'doc-1', title: 'Second title' } }),
      event(2, { type: 'DocumentSubmittedEvent', aggregate_id: 'doc-1', payload: { documentId: 'doc-1', title: 'First title' } }),
      event(3, { type: 'DocumentSubmittedEvent', aggregate_id: 'doc-2', payload: { title: 'From the aggregate id' } }),
      event(4, { type: 'DocumentSubmittedEvent', aggregate_id: 'doc-3', payload: { documentId: 'doc-3', title: '  ' } }),
      event(5, { type: 'DocumentParsedEvent', aggregate_id: 'doc-4', payload: { title: 'not a submission' } }),
    ]);
    expect(Object.fromEntries(titles)).toEqual({ 'doc-1': 'Second title', 'doc-2': 'From the aggregate id' });
  });
});

describe('the download', () => {
  it('names the file after the time, safely', () => {
    expect(auditFileName(new Date('2026-12-03T08:05:09.123Z'))).toBe('audit-events-2026-12-03T08-05-09.json');
  });

  it('holds the events as sent, with the filter and order', () => {
    const text = auditFileContent([event(1)], { type: '', correlation: ' req-1 ' }, 'newest', new Date('2026-12-03T08:00:00Z'));
    const parsed = JSON.parse(text);
    expect(parsed).toMatchObject({
      exported_at: '2026-12-03T08:00:00.000Z', order: 'newest', filter: { type: null, correlation_id: 'req-1' }, count: 1,
    });
    expect(parsed.events[0]).toEqual(event(1));
  });
});
