import { useState, type ReactNode } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Badge, Button, Card, EmptyState, ErrorState, Loading, Pagination } from '@/components/ui';
import { EventActor, EventPayload, RequestLink } from '@/components/audit/AuditEventParts';
import { api } from '@/lib/api';
import { chunksPath, documentKeys, documentPath, eventLabel, PAGE_SIZE, shortHash, type AuditAnswer, type ChunksAnswer,
  type DocumentChunk, type VersionsAnswer } from '@/lib/documents';
import { formatBytes, formatDate, formatDuration, formatNumber, formatUsd } from '@/lib/format';
import type { DocumentRow } from '@/lib/types';

function Term({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="grid gap-0.5 border-t border-slate-100 py-2 first:border-t-0 sm:grid-cols-[10rem_1fr] sm:gap-3">
      <dt className="text-sm text-slate-600">{label}</dt>
      <dd className="min-w-0 text-sm text-slate-900 [overflow-wrap:anywhere]">{children}</dd>
    </div>
  );
}

function safeHref(url: string): string | undefined {
  return /^https?:\/\//i.test(url) ? url : undefined;
}

/** Everything the read model knows about the document. */
export function MetadataCard({ document }: { document: DocumentRow }) {
  const metadata = document.metadata && Object.keys(document.metadata).length > 0 ? document.metadata : null;
  const href = document.source_url ? safeHref(document.source_url) : undefined;
  return (
    <Card title="Details">
      <dl>
        <Term label="Type">{document.doc_type}</Term>
        <Term label="External id">{document.external_id ?? '–'}</Term>
        <Term label="Source URL">
          {document.source_url && href
            ? <a className="text-brand-700 underline" href={href} target="_blank" rel="noopener noreferrer">{document.source_url}</a>
            : document.source_url ?? '–'}
        </Term>
        <Term label="Content hash"><code className="text-xs">{document.content_hash ?? '–'}</code></Term>
        <Term label="Size">{formatBytes(document.file_size_bytes)}</Term>
        <Term label="Pages">{formatNumber(document.page_count)}</Term>
        <Term label="Chunks">{formatNumber(document.chunk_count)}</Term>
        <Term label="Characters">{formatNumber(document.character_count)}</Term>
        <Term label="Tokens">{formatNumber(document.embedding_tokens_used)}</Term>
        <Term label="Cost">{formatUsd(document.embedding_cost_usd)}</Term>
        <Term label="Processing time">{formatDuration(document.processing_time_ms)}</Term>
        <Term label="Created">{formatDate(document.created_at)}</Term>
        <Term label="Updated">{formatDate(document.updated_at)}</Term>
        <Term label="Metadata">
          {metadata
            ? <pre tabIndex={0} className="max-h-64 overflow-auto rounded bg-slate-50 p-2 text-xs">{JSON.stringify(metadata, null, 2)}</pre>
            : 'none'}
        </Term>
      </dl>
    </Card>
  );
}

/** Every version of the document; search reads the active one. */
export function VersionsCard({ id }: { id: string }) {
  const versions = useQuery({
    queryKey: documentKeys.versions(id),
    queryFn: ({ signal }) => api<VersionsAnswer>(`${documentPath(id)}/versions`, { signal }),
  });
  const rows = [...(versions.data?.versions ?? [])].sort((a, b) => b.version - a.version);
  const withChunks = rows.some((row) => row.chunk_count !== undefined && row.chunk_count !== null);
  return (
    <Card title="Versions">
      {versions.isPending && <Loading label="Loading versions…" />}
      {versions.isError && <ErrorState error={versions.error} onRetry={() => void versions.refetch()} />}
      {versions.data && rows.length === 0 && <EmptyState title="No versions recorded">The first version appears once the document is submitted.</EmptyState>}
      {rows.length > 0 && (
        // its own scroll box (not Table): a phone scrolls it sideways, and with no link inside it needs to be focusable
        <div className="overflow-x-auto" tabIndex={0} role="region" aria-label="Versions, scrollable">
          <table aria-label="Versions" className="w-full min-w-[28rem] text-left text-sm">
            <thead className="text-slate-600">
              <tr className="border-b border-slate-200">
                <th scope="col" className="py-2 pr-3 font-medium">Version</th>
                <th scope="col" className="py-2 pr-3 font-medium">Status</th>
                <th scope="col" className="py-2 pr-3 font-medium">Content hash</th>
                {withChunks && <th scope="col" className="py-2 pr-3 text-right font-medium">Chunks</th>}
                <th scope="col" className="py-2 font-medium">Created</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.version} className="border-t border-slate-100 align-top">
                  <td className="py-2 pr-3 whitespace-nowrap">
                    <span className="tabular-nums">{row.version}</span>
                    {row.is_active && <span className="ml-2"><Badge tone="active">active</Badge></span>}
                  </td>
                  <td className="py-2 pr-3">
                    <Badge>{row.status}</Badge>
                    {row.error_message && <p className="mt-0.5 text-xs text-red-700">{row.error_message}</p>}
                  </td>
                  <td className="py-2 pr-3"><code className="text-xs" title={row.content_hash ?? undefined}>{shortHash(row.content_hash)}</code></td>
                  {withChunks && <td className="py-2 pr-3 text-right tabular-nums">{formatNumber(row.chunk_count)}</td>}
                  <td className="py-2 whitespace-nowrap">{formatDate(row.created_at)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Card>
  );
}

/** The document's event history, oldest first, as the auditors' endpoint returns it. */
export function AuditCard({ id }: { id: string }) {
  const audit = useQuery({
    queryKey: documentKeys.audit(id),
    queryFn: ({ signal }) => api<AuditAnswer>(`/api/audit/documents/${encodeURIComponent(id)}/events`, { signal }),
  });
  const events = [...(audit.data?.events ?? [])].sort((a, b) => a.global_index - b.global_index);
  return (
    <Card title="History">
      {audit.isPending && <Loading label="Loading history…" />}
      {audit.isError && <ErrorState error={audit.error} onRetry={() => void audit.refetch()} />}
      {audit.data && events.length === 0 && <EmptyState title="No events recorded">The history starts when the document is submitted.</EmptyState>}
      {events.length > 0 && (
        <ol aria-label="Event history" className="space-y-3 border-l-2 border-slate-200 pl-4">
          {events.map((event) => (
            <li key={event.global_index} className="relative">
              <span aria-hidden="true" className="absolute top-1.5 -left-[1.3rem] h-2 w-2 rounded-full bg-brand-600" />
              <p className="text-sm">
                <span className="font-medium text-slate-900">{eventLabel(event.type)}</span>
                {' · '}<time dateTime={event.occurred_at} className="text-slate-700">{formatDate(event.occurred_at)}</time>
              </p>
              <p className="text-xs text-slate-600 [overflow-wrap:anywhere]">
                {event.version !== null && <>version {event.version} · </>}by <EventActor actor={event.actor} />
                {event.correlation_id && <> · request <RequestLink correlationId={event.correlation_id} /></>}
              </p>
              <EventPayload event={event} />
            </li>
          ))}
        </ol>
      )}
    </Card>
  );
}

const CLAMP_CHARS = 600;

function Chunk({ chunk }: { chunk: DocumentChunk }) {
  const [open, setOpen] = useState(false);
  const long = chunk.text.length > CLAMP_CHARS || chunk.text.split('\n').length > 8;
  const textId = `chunk-text-${chunk.chunk_index}`;
  return (
    <li className="rounded-md border border-slate-200 p-3">
      <div className="mb-1 flex flex-wrap items-center justify-between gap-2">
        <p className="text-sm font-medium text-slate-800">Chunk {chunk.chunk_index} <span className="font-normal text-slate-600">· {formatNumber(chunk.character_count)} characters</span></p>
        {long && (
          <Button variant="ghost" size="sm" aria-expanded={open} aria-controls={textId} onClick={() => setOpen(!open)}>
            {open ? 'Show less' : 'Show all'}
          </Button>
        )}
      </div>
      <p id={textId} className={`text-sm whitespace-pre-wrap text-slate-800 [overflow-wrap:anywhere] ${long && !open ? 'line-clamp-6' : ''}`}>{chunk.text}</p>
    </li>
  );
}

/** The chunks of the active version, as search sees them. */
export function ChunksCard({ id, status }: { id: string; status: string }) {
  const [page, setPage] = useState(1);
  const chunks = useQuery({
    queryKey: documentKeys.chunks(id, page),
    queryFn: ({ signal }) => api<ChunksAnswer>(chunksPath(id, page), { signal }),
    placeholderData: keepPreviousData,
  });
  const data = chunks.data;
  return (
    <Card title="Chunks">
      {chunks.isPending && <Loading label="Loading chunks…" />}
      {chunks.isError && (
        <ErrorState error={new Error(`The chunks could not be loaded: ${chunks.error.message}`)} onRetry={() => void chunks.refetch()} />
      )}
      {data && data.total === 0 && (
        <EmptyState title="No chunks yet">
          {status === 'processing' && 'The chunks appear here when processing completes.'}
          {status === 'failed' && 'Processing failed before chunks were indexed: retry or reprocess the document.'}
          {status !== 'processing' && status !== 'failed' && 'This version has no indexed text.'}
        </EmptyState>
      )}
      {data && data.chunks.length > 0 && (
        <>
          <p className="mb-2 text-sm text-slate-600">
            {data.version !== null ? `Version ${data.version} (the searched one): ` : ''}{data.total === 1 ? '1 chunk' : `${formatNumber(data.total)} chunks`}.
          </p>
          <ol aria-label="Chunks" className="space-y-2">
            {data.chunks.map((chunk) => <Chunk key={chunk.chunk_index} chunk={chunk} />)}
          </ol>
          <Pagination page={data.page} size={data.size || PAGE_SIZE} total={data.total} onPage={setPage} />
        </>
      )}
    </Card>
  );
}
