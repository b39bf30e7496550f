/** Shapes the API answers with (snake_case, as on the wire). Feature-specific ones live next to their pages. */
export interface Me {
  customer_id: string;
  email: string;
  company_name: string | null;
  status: 'active' | 'suspended' | string;
  role: 'customer' | 'admin' | string;
  authenticated_with: string;
  created_at: string;
}

export type DocumentStatus = 'processing' | 'completed' | 'failed' | 'duplicate' | 'deleted' | string;

export interface DocumentRow {
  id: string;
  title: string;
  doc_type: string;
  source_url: string | null;
  external_id: string | null;
  metadata: Record<string, unknown> | null;
  content_hash: string | null;
  file_size_bytes: number | null;
  page_count: number | null;
  chunk_count: number;
  character_count: number;
  embedding_tokens_used: number | null;
  embedding_cost_usd: number | null;
  processing_time_ms: number | null;
  status: DocumentStatus;
  error_message: string | null;
  version: number;
  active_version: number | null;
  created_at: string;
  updated_at: string;
}

export interface DocumentPage {
  documents: DocumentRow[];
  page: number;
  size: number;
  total: number;
}

export interface IngestAccepted {
  document_id: string;
  version: number;
  status: DocumentStatus;
  status_url: string;
}
