import { useMemo, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { useInfiniteQuery } from '@tanstack/react-query';
import { AuditEventsTable } from '@/components/audit/AuditEventsTable';
import { Alert, Button, Card, EmptyState, ErrorState, Field, Loading, PageHeader, SelectField } from '@/components/ui';
import { api } from '@/lib/api';
import {
  auditEventsPath, auditFileContent, auditFileName, auditKeys, auditViewSearch, documentTitles, eventTypeOptions,
  filterAuditEvents, isFiltered, mergeAuditPages, nextAuditCursor, NO_FILTER, parseAuditView,
  sortAuditEvents, type AuditEventPage, type AuditView,
} from '@/lib/audit';
import { saveTextFile } from '@/lib/download';
import { formatNumber } from '@/lib/format';

const ORDER_OPTIONS = [
  { value: 'oldest', label: 'Oldest first' },
  { value: 'newest', label: 'Newest first' },
];

function count(n: number, noun: string): string {
  return `${formatNumber(n)} ${noun}${n === 1 ? '' : 's'}`;
}

/**
 * The tenant's whole event history (account, documents, webhooks, usage) as the auditors' endpoint serves it:
 * pages forward from the oldest event with "Load more"; filters work over what is loaded.
 */
export function AuditPage() {
  const [searchParams, setSearchParams] = useSearchParams();
  const view = useMemo(() => parseAuditView(searchParams), [searchParams]);
  const [saved, setSaved] = useState<string | null>(null);

  const history = useInfiniteQuery({
    queryKey: auditKeys.events,
    queryFn: ({ pageParam, signal }) => api<AuditEventPage>(auditEventsPath(pageParam), { signal }),
    initialPageParam: 0,
    getNextPageParam: nextAuditCursor,
  });

  const loaded = useMemo(() => mergeAuditPages(history.data?.pages ?? []), [history.data]);
  const titles = useMemo(() => documentTitles(loaded), [loaded]);
  const shown = useMemo(() => sortAuditEvents(filterAuditEvents(loaded, view.filter), view.order), [loaded, view]);
  const filtered = isFiltered(view.filter);

  function setView(next: AuditView) {
    setSaved(null);
    setSearchParams(auditViewSearch(next), { replace: true });
  }

  function download() {
    const name = auditFileName();
    saveTextFile(auditFileContent(shown, view.filter, view.order), name);
    setSaved(`Saved ${count(shown.length, 'event')} as ${name}.`);
  }

  const loadMore = history.hasNextPage && (
    <Button variant="secondary" disabled={history.isFetchingNextPage} onClick={() => void history.fetchNextPage()}>
      {history.isFetchingNextPage ? 'Loading more…' : 'Load more'}
    </Button>
  );

  return (
    <div className="space-y-6">
      <PageHeader title="Audit"
                  description="Every event of your account, its documents and webhooks, with who caused it and which request it belongs to."
                  actions={<Button variant="secondary" disabled={shown.length === 0} onClick={download}>Download JSON</Button>} />
      {saved && <Alert tone="success">{saved}</Alert>}

      <Card title="Filters">
        <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-[1fr_1fr_12rem_auto]">
          <SelectField id="audit-type" label="Event type" value={view.filter.type}
                       options={eventTypeOptions(loaded, view.filter.type)}
                       onChange={(e) => setView({ ...view, filter: { ...view.filter, type: e.target.value } })} />
          <Field id="audit-correlation" label="Correlation id" value={view.filter.correlation} spellCheck={false}
                 autoComplete="off" className="font-mono"
                 hint="Every event of one request: type it, or choose a correlation id in the list."
                 onChange={(e) => setView({ ...view, filter: { ...view.filter, correlation: e.target.value } })} />
          <SelectField id="audit-order" label="Order" value={view.order} options={ORDER_OPTIONS}
                       onChange={(e) => setView({ ...view, order: e.target.value === 'newest' ? 'newest' : 'oldest' })} />
          <div className="lg:pt-6">
            <Button variant="ghost" disabled={!filtered} onClick={() => setView({ ...view, filter: NO_FILTER })}>Clear filters</Button>
          </div>
        </div>
      </Card>

      <Card title="Events">
        {history.isPending && <Loading label="Loading events…" />}
        {history.isError && !history.data && <ErrorState error={history.error} onRetry={() => void history.refetch()} />}
        {history.data && (
          <div className="space-y-3">
            <p role="status" className="text-sm text-slate-600">
              {filtered
                ? `${count(shown.length, 'event')} of ${count(loaded.length, 'loaded event')} match the filters.`
                : `${count(loaded.length, 'event')} loaded, ${view.order === 'oldest' ? 'oldest first' : 'newest first'}.`}
              {' '}{history.hasNextPage ? 'Later events follow: load more to see and filter them too.' : 'This is the whole history.'}
            </p>
            {loaded.length === 0 && (
              <EmptyState title="No events yet">
                Events appear here as you use the service: signing up, changing settings, adding documents and webhooks.
              </EmptyState>
            )}
            {loaded.length > 0 && shown.length === 0 && (
              <EmptyState title="No loaded event matches these filters"
                          action={<Button variant="secondary" onClick={() => setView({ ...view, filter: NO_FILTER })}>Clear filters</Button>}>
                {history.hasNextPage ? 'Load more events, or clear the filters.' : 'Choose another event type or correlation id.'}
              </EmptyState>
            )}
            {shown.length > 0 && (
              <AuditEventsTable events={shown} titles={titles}
                                onCorrelation={(id) => setView({ ...view, filter: { ...view.filter, correlation: id } })} />
            )}
            {history.isError && (
              <ErrorState error={history.error}
                          onRetry={() => void (history.isFetchNextPageError ? history.fetchNextPage() : history.refetch())} />
            )}
            {loadMore && <div>{loadMore}</div>}
          </div>
        )}
      </Card>
    </div>
  );
}
