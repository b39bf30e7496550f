import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { AuditCard, ChunksCard, MetadataCard, VersionsCard } from '@/components/documents/DocumentSections';
import { useDocumentStatus } from '@/components/documents/useDocumentStatus';
import { Alert, Badge, Button, EmptyState, ErrorState, Loading, PageHeader } from '@/components/ui';
import { api, ApiError } from '@/lib/api';
import { documentKeys, documentPath } from '@/lib/documents';
import type { DocumentRow, IngestAccepted } from '@/lib/types';

const backLink = <Link className="text-sm font-medium text-brand-700 underline" to="/documents">All documents</Link>;

function isNotFound(error: unknown): boolean {
  return error instanceof ApiError && error.status === 404;
}

export function DocumentPage() {
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [notice, setNotice] = useState<{ tone: 'success' | 'error'; text: string } | null>(null);

  const document = useQuery({
    queryKey: documentKeys.document(id),
    queryFn: ({ signal }) => api<DocumentRow>(documentPath(id), { signal }),
    retry: (count, error) => !isNotFound(error) && count < 1,
  });
  const row = document.data;
  const live = useDocumentStatus(id, row?.status === 'processing');
  const status = live.mode !== 'idle' && live.status ? live.status.status : row?.status;
  const errorMessage = live.mode !== 'idle' && live.status ? live.status.error_message : row?.error_message;

  /** A 202 from retry or reprocess: the row is processing again, which (re)opens the live stream. */
  function started(answer: IngestAccepted | undefined, text: string) {
    queryClient.setQueryData<DocumentRow>(documentKeys.document(id), (current) => current && {
      ...current, status: answer?.status ?? 'processing', version: answer?.version ?? current.version, error_message: null,
    });
    void queryClient.invalidateQueries({ queryKey: documentKeys.document(id) });
    void queryClient.invalidateQueries({ queryKey: documentKeys.lists });
    setNotice({ tone: 'success', text });
  }

  const retry = useMutation({
    mutationFn: () => api<IngestAccepted>(`${documentPath(id)}/retry`, { method: 'POST' }),
    onSuccess: (answer) => started(answer, 'Retry started: the latest version is processing again.'),
    onError: (error) => setNotice({ tone: 'error', text: `Retry failed: ${(error as Error).message}` }),
  });
  const reprocess = useMutation({
    mutationFn: () => api<IngestAccepted>(documentPath(id), { method: 'PUT', body: { reprocess: true } }),
    onSuccess: (answer) => started(answer, 'Reprocessing started: the document runs through the pipeline again.'),
    onError: (error) => setNotice({ tone: 'error', text: `Reprocess failed: ${(error as Error).message}` }),
  });
  const remove = useMutation({
    mutationFn: () => api(documentPath(id), { method: 'DELETE' }),
    onSuccess: () => {
      queryClient.removeQueries({ queryKey: documentKeys.document(id) });
      void queryClient.invalidateQueries({ queryKey: documentKeys.lists });
      navigate('/documents', { state: { deleted: row?.title } });
    },
    onError: (error) => setNotice({ tone: 'error', text: `The document was not deleted: ${(error as Error).message}` }),
  });

  function onDelete() {
    if (!row) return;
    if (!window.confirm(`Delete "${row.title}"? Every version, its chunks and stored files are removed; this cannot be undone.`)) return;
    setNotice(null);
    remove.mutate();
  }

  if (document.isPending) return <Loading label="Loading document…" />;
  if (isNotFound(document.error)) {
    return (
      <div className="space-y-6">
        <PageHeader title="Document" />
        <EmptyState title="Document not found" action={backLink}>
          There is no document with this id in your account. It may have been deleted, or the link belongs to another account.
        </EmptyState>
      </div>
    );
  }
  if (!row) {
    return (
      <div className="space-y-6">
        <PageHeader title="Document" description={backLink} />
        <ErrorState error={document.error} onRetry={() => void document.refetch()} />
      </div>
    );
  }

  const busy = retry.isPending || reprocess.isPending || remove.isPending;
  return (
    <div className="space-y-6">
      <div className="[overflow-wrap:anywhere]">
        <PageHeader
          title={row.title}
          description={(
            <span className="flex flex-wrap items-center gap-2">
              {backLink}
              <span aria-hidden="true">·</span>
              <span role="status" className="inline-flex items-center gap-2">
                <span>Status</span>
                <span data-testid="document-status"><Badge>{status}</Badge></span>
              </span>
              <span aria-hidden="true">·</span>
              <span>version {live.status?.version ?? row.version}{row.active_version !== null && row.active_version !== row.version
                ? ` (searching version ${row.active_version})` : ''}</span>
            </span>
          )}
          actions={(
            <>
              <Button variant="secondary" disabled={busy} onClick={() => { setNotice(null); reprocess.mutate(); }}>
                {reprocess.isPending ? 'Starting…' : 'Reprocess'}
              </Button>
              <Button variant="danger" disabled={busy} onClick={onDelete}>{remove.isPending ? 'Deleting…' : 'Delete'}</Button>
            </>
          )}
        />
      </div>

      {notice && <Alert tone={notice.tone}>{notice.text}</Alert>}
      {status === 'processing' && live.mode === 'polling' && (
        <Alert tone="info">Live updates are unavailable: checking the status every 2 seconds instead.</Alert>
      )}
      {status === 'failed' && (
        <Alert>
          <div className="flex flex-wrap items-center justify-between gap-3">
            <span><span className="font-medium">Processing failed:</span> {errorMessage ?? 'no reason was recorded.'}</span>
            <Button variant="secondary" size="sm" disabled={busy} onClick={() => { setNotice(null); retry.mutate(); }}>
              {retry.isPending ? 'Retrying…' : 'Retry'}
            </Button>
          </div>
        </Alert>
      )}

      <div className="grid gap-6 xl:grid-cols-2">
        <MetadataCard document={row} />
        <div className="min-w-0 space-y-6">
          <VersionsCard id={id} />
          <AuditCard id={id} />
        </div>
      </div>
      <ChunksCard id={id} status={status ?? row.status} />
    </div>
  );
}
