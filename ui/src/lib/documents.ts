import { ApiError } from './api';
import { fieldErrors } from './problem';
import type { DocumentStatus } from './types';

/** Answers of the document endpoints the dashboard reads (snake_case, as on the wire). */
export interface DocumentStatusAnswer {
  document_id: string;
  status: DocumentStatus;
  version: number;
  chunk_count: number;
  character_count: number;
  error_message: string | null;
}

export interface DocumentVersion {
  version: number;
  content_hash: string | null;
  is_active: boolean;
  status: DocumentStatus;
  file_size_bytes?: number | null;
  error_message?: string | null;
  chunk_count?: number | null;
  created_at: string;
}

export interface VersionsAnswer {
  document_id: string;
  versions: DocumentVersion[];
}

export interface AuditEvent {
  global_index: number;
  event_id?: string;
  type: string;
  occurred_at: string;
  version: number | null;
  actor: string | null;
  correlation_id: string | null;
  sequence_number?: number;
  payload: unknown;
}

export interface AuditAnswer {
  document_id: string;
  count: number;
  events: AuditEvent[];
}

export interface DocumentChunk {
  chunk_index: number;
  text: string;
  character_count: number;
  start_offset?: number;
  end_offset?: number;
}

/** The active version's chunks; `version` is null and `total` 0 before a version completes. */
export interface ChunksAnswer {
  document_id: string;
  version: number | null;
  page: number;
  size: number;
  total: number;
  chunks: DocumentChunk[];
}

export const PAGE_SIZE = 20;

/** The list filters a user can choose; anything else in the URL means "all". */
export const STATUS_FILTERS = ['processing', 'completed', 'failed'] as const;
export type StatusFilter = (typeof STATUS_FILTERS)[number] | '';

export interface ListParams {
  status: StatusFilter;
  page: number;
}

/** Reads the list view from the page's query string (?status=failed&page=2), tolerating hand-edited values. */
export function parseListParams(search: URLSearchParams): ListParams {
  const raw = search.get('status') ?? '';
  const status = (STATUS_FILTERS as readonly string[]).includes(raw) ? (raw as StatusFilter) : '';
  const page = Number.parseInt(search.get('page') ?? '', 10);
  return { status, page: Number.isFinite(page) && page >= 1 ? page : 1 };
}

/** The page's query string for a view: defaults are left out so /documents stays /documents. */
export function listSearch(params: ListParams): URLSearchParams {
  const search = new URLSearchParams();
  if (params.status) search.set('status', params.status);
  if (params.page > 1) search.set('page', String(params.page));
  return search;
}

/** The API call behind a list view. */
export function listPath(params: ListParams, size = PAGE_SIZE): string {
  const search = new URLSearchParams({ page: String(params.page), size: String(size) });
  if (params.status) search.set('status', params.status);
  return `/api/documents?${search.toString()}`;
}

export function chunksPath(id: string, page: number, size = PAGE_SIZE): string {
  return `/api/documents/${encodeURIComponent(id)}/chunks?page=${page}&size=${size}`;
}

export function documentPath(id: string): string {
  return `/api/documents/${encodeURIComponent(id)}`;
}

/** The last page that exists for a total, so deleting the last row of the last page does not strand the view. */
export function lastPage(total: number, size = PAGE_SIZE): number {
  return Math.max(1, Math.ceil(total / size));
}

const FINAL = new Set(['completed', 'failed', 'deleted', 'duplicate']);

/** A status after which nothing more happens without a new command (retry, reprocess, new version). */
export function isFinalStatus(status: string | null | undefined): boolean {
  return status !== null && status !== undefined && FINAL.has(status);
}

/** Query keys: everything about one document sits under ['document', id] so one invalidation refreshes the page. */
export const documentKeys = {
  lists: ['documents'] as const,
  list: (params: ListParams) => ['documents', 'list', params.status, params.page] as const,
  document: (id: string) => ['document', id] as const,
  versions: (id: string) => ['document', id, 'versions'] as const,
  audit: (id: string) => ['document', id, 'audit'] as const,
  chunks: (id: string, page: number) => ['document', id, 'chunks', page] as const,
};

const EVENT_WORDS: Record<string, string> = {
  DocumentSubmittedEvent: 'Submitted',
  DocumentParsedEvent: 'Parsed',
  DocumentChunkedEvent: 'Chunked',
  DocumentEmbeddedEvent: 'Embedded',
  DocumentIndexedEvent: 'Indexed',
  DocumentProcessingFailedEvent: 'Processing failed',
  DocumentReprocessingStartedEvent: 'Reprocessing started',
  DocumentDeletedEvent: 'Deleted',
};

/**
 * An event type in plain words: the known ones by name, others by splitting the class name
 * (DocumentRetryRequestedEvent -> "Retry requested").
 */
export function eventLabel(type: string): string {
  if (EVENT_WORDS[type]) return EVENT_WORDS[type];
  const bare = type.replace(/Event$/, '').replace(/^Document(?=[A-Z])/, '');
  const words = bare.split(/(?<=[a-z0-9])(?=[A-Z])/).filter(Boolean);
  if (words.length === 0) return type;
  return [words[0], ...words.slice(1).map((word) => word.toLowerCase())].join(' ');
}

/** A hash shown short (the full value stays in a title attribute). */
export function shortHash(hash: string | null | undefined, length = 12): string {
  if (!hash) return '–';
  return hash.length > length ? `${hash.slice(0, length)}…` : hash;
}

/**
 * Some answers name no field although the form has one culprit: "refused: 127.0.0.1 is a loopback address" for the
 * URL, "'x.bin' is not a supported document type" for the file. Such an error is re-addressed to that field, so
 * useFormSubmit shows it next to the field; an answer that names the form's own fields is kept as it is.
 */
export function toFieldError(error: unknown, field: string, formFields: string[], statuses?: number[]): unknown {
  if (!(error instanceof ApiError)) return error;
  if (statuses && !statuses.includes(error.status)) return error;
  const parsed = fieldErrors(error.problem.detail);
  const named = Object.keys(parsed.fields);
  if (parsed.general.length === 0 && named.length > 0 && named.every((name) => formFields.includes(name))) return error;
  return new ApiError({ ...error.problem, detail: `Invalid value for ${field}: ${error.problem.detail}` });
}

/** The file types the service reads (README, Ingestion): the file input offers these. */
export const ACCEPTED_FILES = '.pdf,.docx,.html,.htm,.md,.txt';
