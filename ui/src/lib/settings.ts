/**
 * The account settings on the client: the shapes of /api/customers/{profile,config} and the API key rotation, and
 * the change set of a configuration form (only changed fields are sent). Pure functions, tested in settings.test.ts.
 * The rate-limit windows (/api/metrics/rate-limits) are typed in metrics.ts with the other metrics answers.
 */

/** TanStack Query keys of the settings reads. */
export const PROFILE_KEY = ['customers', 'profile'];
export const CONFIG_KEY = ['customers', 'config'];

export interface Profile {
  customer_id: string;
  email: string;
  company_name: string | null;
  status: string;
  role: string;
  created_at: string;
  updated_at: string;
}

export type EmbeddingStatus = 'ready' | 'reembedding' | 'failed';

export interface TenantConfig {
  rate_limit_requests_per_minute: number;
  rate_limit_requests_per_day: number;
  max_documents: number;
  max_file_size_mb: number;
  allowed_document_types: string[];
  chunking_size: number;
  chunking_overlap: number;
  chunking_strategy: string;
  embedding_model: string;
  active_embedding_model: string;
  embedding_status: EmbeddingStatus | string;
  embedding_error: string | null;
  /** Only ever the masked form (sk-…abcd), or null. */
  openai_api_key: string | null;
  updated_at: string;
}

/** The fields PUT /api/customers/config accepts; omitted ones keep their value. */
export interface ConfigChange {
  rate_limit_requests_per_minute?: number;
  rate_limit_requests_per_day?: number;
  max_documents?: number;
  max_file_size_mb?: number;
  allowed_document_types?: string[];
  chunking_size?: number;
  chunking_overlap?: number;
  chunking_strategy?: string;
  embedding_model?: string;
  openai_api_key?: string;
}

export interface ApiKeyAnswer {
  api_key: string;
  api_key_prefix: string;
}

export const DOCUMENT_TYPES = ['pdf', 'txt', 'html', 'md', 'docx'];
export const CHUNKING_STRATEGIES = [
  { value: 'fixed', label: 'fixed (a set number of characters)' },
  { value: 'paragraph', label: 'paragraph (keeps paragraphs together)' },
  { value: 'semantic', label: 'semantic (sentence-aware, never cuts a word)' },
];
export const EMBEDDING_MODELS = [
  { value: 'all-minilm-l6-v2', label: 'all-minilm-l6-v2 (local, free)', openai: false },
  { value: 'text-embedding-3-small', label: 'text-embedding-3-small (OpenAI, $0.02 per 1M tokens)', openai: true },
  { value: 'text-embedding-3-large', label: 'text-embedding-3-large (OpenAI, $0.13 per 1M tokens)', openai: true },
  { value: 'text-embedding-ada-002', label: 'text-embedding-ada-002 (OpenAI, $0.10 per 1M tokens)', openai: true },
];

type NumberField = 'chunking_size' | 'chunking_overlap' | 'max_file_size_mb' | 'max_documents'
  | 'rate_limit_requests_per_minute' | 'rate_limit_requests_per_day';
type TextField = 'chunking_strategy' | 'embedding_model';

/** What a configuration form holds: numbers as typed (text), the type checkboxes as a list. */
export type ConfigInput = Partial<Record<NumberField | TextField, string>> & { allowed_document_types?: string[] };

const NUMBER_FIELDS: NumberField[] = ['chunking_size', 'chunking_overlap', 'max_file_size_mb', 'max_documents',
  'rate_limit_requests_per_minute', 'rate_limit_requests_per_day'];
const TEXT_FIELDS: TextField[] = ['chunking_strategy', 'embedding_model'];

function sameSet(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((value) => b.includes(value));
}

/**
 * The change set of a configuration form against the configuration in force: only fields whose value differs are
 * included (the server keeps the rest). Numbers that are not whole numbers are reported under their field; range
 * checks are the server's (it lists every problem at once).
 */
export function configChanges(current: TenantConfig, input: ConfigInput):
  { change: ConfigChange; errors: Record<string, string> } {
  const change: ConfigChange = {};
  const errors: Record<string, string> = {};
  for (const field of NUMBER_FIELDS) {
    const text = input[field];
    if (text === undefined) continue;
    const trimmed = text.trim();
    const value = Number(trimmed);
    if (!trimmed || !Number.isInteger(value)) {
      errors[field] = 'must be a whole number';
    } else if (value !== current[field]) {
      change[field] = value;
    }
  }
  for (const field of TEXT_FIELDS) {
    const value = input[field];
    if (value !== undefined && value !== current[field]) change[field] = value;
  }
  const types = input.allowed_document_types;
  if (types !== undefined) {
    if (types.length === 0) errors.allowed_document_types = 'choose at least one document type';
    else if (!sameSet(types, current.allowed_document_types)) {
      change.allowed_document_types = DOCUMENT_TYPES.filter((type) => types.includes(type))
        .concat(types.filter((type) => !DOCUMENT_TYPES.includes(type)));
    }
  }
  return { change, errors };
}

/** The profile's change set: only what differs (email compared as the server stores it, lower case). */
export function profileChanges(current: Profile, email: string, companyName: string):
  { email?: string; company_name?: string } {
  const change: { email?: string; company_name?: string } = {};
  const nextEmail = email.trim();
  if (nextEmail.toLowerCase() !== current.email.toLowerCase()) change.email = nextEmail;
  const nextCompany = companyName.trim();
  if (nextCompany !== (current.company_name ?? '')) change.company_name = nextCompany;
  return change;
}

/** The sentence that says which model search uses and what the re-embedding is doing. */
export function embeddingSummary(config: Pick<TenantConfig, 'embedding_model' | 'active_embedding_model'
  | 'embedding_status' | 'embedding_error'>): string {
  if (config.embedding_status === 'reembedding') {
    return `Embedding your documents again with ${config.embedding_model}. Search keeps using `
      + `${config.active_embedding_model} until every document is done, then switches at once.`;
  }
  if (config.embedding_status === 'failed') {
    return `Re-embedding with ${config.embedding_model} failed${config.embedding_error ? `: ${config.embedding_error}` : ''}. `
      + `Search stays on ${config.active_embedding_model}; fix the key or the model and it runs again.`;
  }
  return `Search uses ${config.active_embedding_model}.`;
}

/** The configuration is polled every 3 s while documents are being embedded again, and not otherwise. */
export function configPollInterval(config: Pick<TenantConfig, 'embedding_status'> | undefined): number | false {
  return config?.embedding_status === 'reembedding' ? 3000 : false;
}

/** The fields of the settings forms, as the API names them in its 400s. */
export const CONFIG_FIELDS = [...NUMBER_FIELDS, ...TEXT_FIELDS, 'allowed_document_types', 'openai_api_key'];
