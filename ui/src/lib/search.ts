/**
 * The search playground's client logic: the request body built from the form, the query words to highlight, and
 * the server's 400 messages matched to the fields they name. Pure functions, tested in search.test.ts.
 */

export type SearchMode = 'hybrid' | 'vector' | 'keyword';
export type SearchTarget = 'documents' | 'catalog';

export const SEARCH_MODES: SearchMode[] = ['hybrid', 'vector', 'keyword'];

/** One chunk from POST /search. */
export interface ChunkResult {
  document_id: string;
  title: string;
  version: number;
  chunk_index: number;
  text: string;
  score: number;
  source_url: string | null;
}

/** One document from POST /search/catalog. */
export interface CatalogResult {
  document_id: string;
  title: string;
  version: number;
  doc_type: string;
  source_url: string | null;
  summary: string;
  score: number;
}

export interface SearchAnswer<T> {
  results: T[];
}

export interface SearchFilters {
  doc_type?: string;
  metadata?: Record<string, string>;
  created_after?: string;
  created_before?: string;
}

export interface SearchBody {
  query: string;
  top_k: number;
  mode?: SearchMode;
  filters?: SearchFilters;
}

/** What the form holds, as text (FormData values). */
export interface SearchInput {
  target: SearchTarget;
  query: string;
  mode: string;
  top_k: string;
  doc_type: string;
  metadata: string;
  created_after: string;
  created_before: string;
}

export interface BuiltSearch {
  path: '/search' | '/search/catalog';
  body: SearchBody;
  /** Problems found before sending, keyed by the API's field name (as the server would name them). */
  errors: Record<string, string>;
}

export const DEFAULT_TOP_K = 10;

/**
 * "key=value" lines (metadata): blank lines are skipped, the first "=" splits, keys and values are trimmed.
 * Each bad line is reported with its number so the user can find it.
 */
export function parseKeyValueLines(text: string): { values: Record<string, string>; errors: string[] } {
  const values: Record<string, string> = {};
  const errors: string[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (!line) return;
    const at = line.indexOf('=');
    const number = index + 1;
    if (at < 0) {
      errors.push(`line ${number} ("${line}") is not key=value`);
      return;
    }
    const key = line.slice(0, at).trim();
    const value = line.slice(at + 1).trim();
    if (!key) {
      errors.push(`line ${number} has no key before "="`);
    } else if (Object.prototype.hasOwnProperty.call(values, key)) {
      errors.push(`line ${number} repeats the key "${key}"`);
    } else {
      values[key] = value;
    }
  });
  return { values, errors };
}

/** The inverse of parseKeyValueLines, for showing stored metadata in a textarea. */
export function keyValueLines(values: Record<string, unknown> | null | undefined): string {
  return Object.entries(values ?? {}).map(([key, value]) => `${key}=${String(value ?? '')}`).join('\n');
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

function isoDate(value: string): string | null {
  if (!ISO_DATE.test(value)) return null;
  const date = new Date(`${value}T00:00:00Z`);
  return Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== value ? null : value;
}

/**
 * The body of POST /search (or /search/catalog, which has no mode). Empty filters are left out, so the server
 * applies none; dates go as ISO dates (midnight UTC on the server).
 */
export function buildSearchRequest(input: SearchInput): BuiltSearch {
  const errors: Record<string, string> = {};
  const query = input.query.trim();
  if (!query) errors.query = 'Enter what to search for.';

  let topK = DEFAULT_TOP_K;
  const topKText = input.top_k.trim();
  if (topKText) {
    const parsed = Number(topKText);
    if (!Number.isInteger(parsed)) errors.top_k = 'must be a whole number from 1 to 100';
    else topK = parsed;
  }

  const filters: SearchFilters = {};
  const docType = input.doc_type.trim();
  if (docType) filters.doc_type = docType;

  const metadata = parseKeyValueLines(input.metadata);
  if (metadata.errors.length) errors['filters.metadata'] = metadata.errors.join('; ');
  else if (Object.keys(metadata.values).length) filters.metadata = metadata.values;

  for (const name of ['created_after', 'created_before'] as const) {
    const text = input[name].trim();
    if (!text) continue;
    const date = isoDate(text);
    if (date) filters[name] = date;
    else errors[`filters.${name}`] = 'must be a date (YYYY-MM-DD)';
  }
  if (filters.created_after && filters.created_before && filters.created_after >= filters.created_before) {
    errors['filters.created_before'] = 'must be later than "Created after"';
  }

  const body: SearchBody = { query, top_k: topK };
  if (input.target === 'documents') {
    body.mode = (SEARCH_MODES as string[]).includes(input.mode) ? input.mode as SearchMode : 'hybrid';
  }
  if (Object.keys(filters).length) body.filters = filters;
  return { path: input.target === 'catalog' ? '/search/catalog' : '/search', body, errors };
}

/** The words of a query worth highlighting: letters and digits, two characters or more, each once. */
export function queryTerms(query: string): string[] {
  const words = query.toLowerCase().match(/[\p{L}\p{N}_]+/gu) ?? [];
  return [...new Set(words.filter((word) => word.length >= 2 && !STOP_WORDS.has(word)))]
    .sort((a, b) => b.length - a.length);
}

/** English words the keyword index ignores too: marking every "the" and "in" would hide the words that matched. */
const STOP_WORDS = new Set(['a', 'an', 'and', 'are', 'as', 'at', 'be', 'but', 'by', 'did', 'do', 'does', 'for',
  'from', 'had', 'has', 'have', 'how', 'if', 'in', 'into', 'is', 'it', 'its', 'no', 'not', 'of', 'on', 'or', 'so',
  'such', 'than', 'that', 'the', 'their', 'then', 'there', 'these', 'they', 'this', 'those', 'to', 'was', 'were',
  'what', 'when', 'where', 'which', 'who', 'why', 'will', 'with']);

export interface TextPart {
  text: string;
  match: boolean;
}

/** Splits a text into the parts that start with a query word (to wrap in <mark>) and the rest, case-insensitively. */
export function highlightParts(text: string, query: string): TextPart[] {
  const terms = queryTerms(query);
  if (!terms.length || !text) return text ? [{ text, match: false }] : [];
  // a term marks the start of a word ("wing" in "wings"), never the inside of one ("in" in "mooring")
  const alternatives = terms.map((term) => term.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');
  const pattern = new RegExp(`(?<![\\p{L}\\p{N}_])(${alternatives})`, 'giu');
  const parts: TextPart[] = [];
  let last = 0;
  for (const found of text.matchAll(pattern)) {
    const start = found.index ?? 0;
    if (start > last) parts.push({ text: text.slice(last, start), match: false });
    parts.push({ text: found[0], match: true });
    last = start + found[0].length;
  }
  if (last < text.length) parts.push({ text: text.slice(last), match: false });
  return parts;
}

/** A score as a fraction of the best one (0..1), for the bar next to it. */
export function relativeScore(score: number, best: number): number {
  if (!Number.isFinite(score) || !Number.isFinite(best) || best <= 0) return 0;
  return Math.max(0, Math.min(1, score / best));
}

/** The fields of the search form, as the API names them in its 400s. */
export const SEARCH_FIELDS = ['query', 'top_k', 'mode', 'filters.doc_type', 'filters.metadata', 'filters.created_after',
  'filters.created_before', 'filters.document_ids', 'filters'];
