import { useEffect, useState } from 'react';
import { Link, useLocation, useNavigate, useSearchParams } from 'react-router-dom';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { AddDocuments } from '@/components/documents/AddDocuments';
import { Alert, Badge, Button, Card, EmptyState, ErrorState, Loading, PageHeader, Pagination, SelectField, Table } from '@/components/ui';
import { api } from '@/lib/api';
import { documentKeys, documentPath, lastPage, listPath, listSearch, PAGE_SIZE, parseListParams, type ListParams,
  type StatusFilter } from '@/lib/documents';
import { formatBytes, formatDate, formatNumber } from '@/lib/format';
import type { DocumentPage, DocumentRow } from '@/lib/types';

const FILTER_OPTIONS = [
  { value: '', label: 'All' },
  { value: 'processing', label: 'processing' },
  { value: 'completed', label: 'completed' },
  { value: 'failed', label: 'failed' },
];

function RowActions({ row, onDelete, onRetry, busy }:
  { row: DocumentRow; onDelete: (row: DocumentRow) => void; onRetry: (row: DocumentRow) => void; busy: boolean }) {
  return (
    <div className="flex justify-end gap-2">
      {row.status === 'failed' && (
        <Button variant="secondary" size="sm" aria-label={`Retry ${row.title}`} disabled={busy} onClick={() => onRetry(row)}>Retry</Button>
      )}
      <Button variant="danger" size="sm" aria-label={`Delete ${row.title}`} disabled={busy} onClick={() => onDelete(row)}>Delete</Button>
    </div>
  );
}

export function DocumentsPage() {
  const queryClient = useQueryClient();
  const [searchParams, setSearchParams] = useSearchParams();
  const params = parseListParams(searchParams);
  const location = useLocation();
  // the document page sends its title here after a delete
  const deleted = (location.state as { deleted?: string } | null)?.deleted;
  const [notice, setNotice] = useState<{ tone: 'success' | 'error'; text: string } | null>(
    deleted ? { tone: 'success', text: `Deleted ${deleted}: its chunks and stored files are removed.` } : null);
  const navigate = useNavigate();
  // said once: a reload or the back button does not repeat it
  useEffect(() => {
    if (deleted) navigate({ pathname: location.pathname, search: location.search }, { replace: true, state: null });
  }, [deleted, navigate, location.pathname, location.search]);

  const list = useQuery({
    queryKey: documentKeys.list(params),
    queryFn: ({ signal }) => api<DocumentPage>(listPath(params), { signal }),
    placeholderData: keepPreviousData,
    // rows on their way to completed/failed move on their own; polling stops once none is processing
    refetchInterval: (query) => (query.state.data?.documents.some((row) => row.status === 'processing') ? 2_000 : false),
  });

  function show(next: ListParams) {
    setSearchParams(listSearch(next));
  }

  // deleting the last row of the last page, or a shared link past the end: go to the last page that exists
  const total = list.data?.total;
  useEffect(() => {
    if (total !== undefined && total > 0 && params.page > lastPage(total)) {
      setSearchParams(listSearch({ status: params.status, page: lastPage(total) }), { replace: true });
    }
  }, [total, params.page, params.status, setSearchParams]);

  const remove = useMutation({
    mutationFn: (row: DocumentRow) => api(documentPath(row.id), { method: 'DELETE' }),
    onSuccess: (_answer, row) => {
      queryClient.setQueryData<DocumentPage>(documentKeys.list(params), (page) => page && {
        ...page, total: Math.max(0, page.total - 1), documents: page.documents.filter((item) => item.id !== row.id),
      });
      queryClient.removeQueries({ queryKey: documentKeys.document(row.id) });
      void queryClient.invalidateQueries({ queryKey: documentKeys.lists });
      setNotice({ tone: 'success', text: `Deleted ${row.title}: its chunks and stored files are removed.` });
    },
    onError: (error, row) => setNotice({ tone: 'error', text: `${row.title} was not deleted: ${(error as Error).message}` }),
  });

  const retry = useMutation({
    mutationFn: (row: DocumentRow) => api(`${documentPath(row.id)}/retry`, { method: 'POST' }),
    onSuccess: (_answer, row) => {
      void queryClient.invalidateQueries({ queryKey: documentKeys.lists });
      void queryClient.invalidateQueries({ queryKey: documentKeys.document(row.id) });
      setNotice({ tone: 'success', text: `Retry started for ${row.title}: processing` });
    },
    onError: (error, row) => setNotice({ tone: 'error', text: `${row.title} could not be retried: ${(error as Error).message}` }),
  });

  function onDelete(row: DocumentRow) {
    if (!window.confirm(`Delete "${row.title}"? Every version, its chunks and stored files are removed; this cannot be undone.`)) return;
    setNotice(null);
    remove.mutate(row);
  }

  function onRetry(row: DocumentRow) {
    setNotice(null);
    retry.mutate(row);
  }

  const rows = list.data?.documents ?? [];
  const filtered = params.status !== '';

  return (
    <div className="space-y-6">
      <PageHeader title="Documents"
                  description="Everything this account has ingested: add documents here, follow their processing, retry failures." />
      <AddDocuments />
      <Card title="Your documents"
            actions={(
              <div className="w-full sm:w-48">
                <SelectField id="status-filter" label="Status" value={params.status} options={FILTER_OPTIONS}
                             onChange={(event) => show({ status: event.target.value as StatusFilter, page: 1 })} />
              </div>
            )}>
        <div className="space-y-3">
          {notice && <Alert tone={notice.tone}>{notice.text}</Alert>}
          {list.isPending && <Loading label="Loading documents…" />}
          {list.isError && !list.data && <ErrorState error={list.error} onRetry={() => void list.refetch()} />}
          {list.isError && list.data && <Alert>The list could not be refreshed: {list.error.message}</Alert>}
          {list.data && list.data.total === 0 && !filtered && (
            <EmptyState title="No documents yet">
              Add one above (a file, pasted text or a web page), or send documents from your own tools with your API key:
              {' '}<code>POST /api/ingest/document</code> with the <code>X-API-Key</code> header, e.g. from an n8n HTTP Request node.
            </EmptyState>
          )}
          {list.data && rows.length === 0 && filtered && (
            <EmptyState title={`No ${params.status} documents`}
                        action={<Button variant="secondary" onClick={() => show({ status: '', page: 1 })}>Show all documents</Button>}>
              {params.status === 'failed' ? 'Nothing has failed.' : 'No document has this status right now.'}
            </EmptyState>
          )}
          {rows.length > 0 && (
            <>
              <Table label="Documents">
                <thead className="text-slate-600">
                  <tr className="border-b border-slate-200">
                    <th scope="col" className="py-2 pr-3 font-medium">Title</th>
                    <th scope="col" className="py-2 pr-3 font-medium">Type</th>
                    <th scope="col" className="py-2 pr-3 font-medium">Status</th>
                    <th scope="col" className="py-2 pr-3 text-right font-medium">Version</th>
                    <th scope="col" className="py-2 pr-3 text-right font-medium">Chunks</th>
                    <th scope="col" className="py-2 pr-3 text-right font-medium">Tokens</th>
                    <th scope="col" className="py-2 pr-3 text-right font-medium">Size</th>
                    <th scope="col" className="py-2 pr-3 font-medium">Created</th>
                    <th scope="col" className="py-2 text-right font-medium">Actions</th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((row) => (
                    <tr key={row.id} className="border-t border-slate-100 align-top">
                      <td className="max-w-xs min-w-[9rem] py-2 pr-3">
                        <Link className="font-medium break-words text-brand-700 underline" to={`/documents/${row.id}`}>{row.title}</Link>
                        {row.status === 'failed' && row.error_message && (
                          <p className="mt-0.5 line-clamp-2 text-xs text-red-700" title={row.error_message}>{row.error_message}</p>
                        )}
                      </td>
                      <td className="py-2 pr-3">{row.doc_type}</td>
                      <td className="py-2 pr-3"><Badge>{row.status}</Badge></td>
                      <td className="py-2 pr-3 text-right tabular-nums">{row.version}</td>
                      <td className="py-2 pr-3 text-right tabular-nums">{formatNumber(row.chunk_count)}</td>
                      <td className="py-2 pr-3 text-right tabular-nums">{formatNumber(row.embedding_tokens_used)}</td>
                      <td className="py-2 pr-3 text-right whitespace-nowrap tabular-nums">{formatBytes(row.file_size_bytes)}</td>
                      <td className="py-2 pr-3 whitespace-nowrap">{formatDate(row.created_at)}</td>
                      <td className="py-2">
                        <RowActions row={row} onDelete={onDelete} onRetry={onRetry}
                                    busy={(remove.isPending && remove.variables?.id === row.id) || (retry.isPending && retry.variables?.id === row.id)} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </Table>
              <Pagination page={list.data?.page ?? params.page} size={list.data?.size ?? PAGE_SIZE} total={list.data?.total ?? 0}
                          onPage={(page) => show({ ...params, page })} />
            </>
          )}
        </div>
      </Card>
    </div>
  );
}
