/**
 * Request building for the Dynamic RAG API: plain values in, `IHttpRequestOptions` out. Nothing here talks to n8n
 * or the network, so every request the node sends can be unit tested (see test/requests.test.ts).
 *
 * The HTTP contract is the service's README: JSON fields are snake_case, ingestion answers
 * `202 {document_id, version, status, status_url}`, errors are `application/problem+json` with a `detail`.
 */
import { createHash, randomBytes } from 'crypto';
import type { IDataObject, IHttpRequestMethods, IHttpRequestOptions } from 'n8n-workflow';

/** The service refuses a batch of more than 100 documents (`rag.ingest.batch-max-items`). */
export const MAX_BATCH_SIZE = 100;
/** `GET /api/documents` pages hold at most 100 documents. */
export const MAX_PAGE_SIZE = 100;
/** The service accepts an `Idempotency-Key` of 1 to 255 printable ASCII characters. */
export const MAX_IDEMPOTENCY_KEY_LENGTH = 255;
export const IDEMPOTENCY_HEADER = 'Idempotency-Key';

export const DOC_TYPES = ['txt', 'md', 'html'] as const;
export const SEARCH_MODES = ['hybrid', 'vector', 'keyword'] as const;
export const DOCUMENT_STATUSES = ['processing', 'completed', 'failed'] as const;

/** A parameter the user gave cannot be sent (invalid JSON, missing value, ...). The node reports it as a
 * NodeOperationError on the item. */
export class InvalidParameterError extends Error {
	constructor(
		message: string,
		readonly parameter?: string,
	) {
		super(message);
		this.name = 'InvalidParameterError';
	}
}

// ---------------------------------------------------------------------------------------------------------------
// Values

/** The credential's base URL without trailing slashes: `http://host:8080/` -> `http://host:8080`. */
export function normalizeBaseUrl(value: unknown): string {
	const url = typeof value === 'string' ? value.trim() : '';
	if (url === '') {
		throw new InvalidParameterError('The Dynamic RAG credential has no Base URL', 'baseUrl');
	}
	if (!/^https?:\/\//i.test(url)) {
		throw new InvalidParameterError(
			`The credential's Base URL must start with http:// or https:// (got "${url}")`,
			'baseUrl',
		);
	}
	return url.replace(/\/+$/, '');
}

/** `base` + `path` (which starts with `/`). */
export function joinUrl(baseUrl: string, path: string): string {
	return normalizeBaseUrl(baseUrl) + (path.startsWith('/') ? path : `/${path}`);
}

/** A trimmed string, or undefined for empty / missing values. */
export function optionalString(value: unknown): string | undefined {
	if (value === undefined || value === null) return undefined;
	const text = String(value).trim();
	return text === '' ? undefined : text;
}

function requiredString(value: unknown, label: string, parameter: string): string {
	const text = optionalString(value);
	if (text === undefined) {
		throw new InvalidParameterError(`${label} is required`, parameter);
	}
	return text;
}

/** An id placed in a path: required, URL-encoded. */
function pathId(value: unknown, label: string, parameter: string): string {
	return encodeURIComponent(requiredString(value, label, parameter));
}

function isPlainObject(value: unknown): value is IDataObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Any JSON value from a JSON parameter: n8n hands over a string (typed in the editor) or, from an expression, the
 * value itself. Empty -> undefined.
 */
export function parseJson(value: unknown, label: string, parameter: string): unknown {
	if (value === undefined || value === null) return undefined;
	if (typeof value !== 'string') return value;
	if (value.trim() === '') return undefined;
	let parsed: unknown;
	let failure: string | undefined;
	try {
		parsed = JSON.parse(value) as unknown;
	} catch (error) {
		failure = (error as Error).message;
	}
	if (failure !== undefined) {
		throw new InvalidParameterError(`${label} is not valid JSON: ${failure}`, parameter);
	}
	return parsed;
}

/** A JSON object parameter (metadata, field mapping, ...). Empty string or `{}` -> undefined. */
export function parseJsonObject(
	value: unknown,
	label: string,
	parameter: string,
): IDataObject | undefined {
	const parsed = parseJson(value, label, parameter);
	if (parsed === undefined || parsed === null) return undefined;
	if (!isPlainObject(parsed)) {
		throw new InvalidParameterError(
			`${label} must be a JSON object such as {"team": "finance"}`,
			parameter,
		);
	}
	return Object.keys(parsed).length === 0 ? undefined : parsed;
}

/** Document ids from a comma/whitespace separated string or an array. */
export function parseIdList(value: unknown): string[] | undefined {
	if (value === undefined || value === null) return undefined;
	const raw = Array.isArray(value) ? value.map((v) => String(v)) : String(value).split(/[\s,]+/);
	const ids = raw.map((id) => id.trim()).filter((id) => id !== '');
	return ids.length === 0 ? undefined : ids;
}

function oneOf<T extends string>(
	value: unknown,
	allowed: readonly T[],
	label: string,
	parameter: string,
): T {
	const text = String(value ?? '').trim();
	if (!(allowed as readonly string[]).includes(text)) {
		throw new InvalidParameterError(
			`${label} must be one of: ${allowed.join(', ')} (got "${text}")`,
			parameter,
		);
	}
	return text as T;
}

function integerIn(
	value: unknown,
	min: number,
	max: number,
	label: string,
	parameter: string,
): number {
	const number = typeof value === 'number' ? value : Number(value);
	if (!Number.isInteger(number) || number < min || number > max) {
		throw new InvalidParameterError(
			`${label} must be a whole number from ${min} to ${max} (got ${String(value)})`,
			parameter,
		);
	}
	return number;
}

// ---------------------------------------------------------------------------------------------------------------
// Idempotency keys

/** Checks a key the user typed: 1 to 255 printable ASCII characters, not only spaces (the service's rule). */
export function validateIdempotencyKey(key: string): string {
	if (
		key.length === 0 ||
		key.length > MAX_IDEMPOTENCY_KEY_LENGTH ||
		key.trim() === '' ||
		!/^[\x20-\x7e]+$/.test(key)
	) {
		throw new InvalidParameterError(
			`Idempotency Key must be 1 to ${MAX_IDEMPOTENCY_KEY_LENGTH} printable ASCII characters`,
			'options.idempotencyKey',
		);
	}
	return key;
}

export interface IdempotencyScope {
	/** n8n's execution id: the same for every try of "Retry On Fail", new for every execution. */
	executionId: string | undefined;
	nodeName: string;
	/** How many times this node already ran in this execution (loops): the same for every retry of one run. */
	runIndex: number;
	operation: string;
	/** The item index, or for a batch request the index of its first item. */
	itemIndex: number;
}

/**
 * The automatic key: a hash of where the request comes from, so a retry of the same item in the same execution
 * sends the same key (and the service answers it from its store instead of making a second version), while
 * another item, run or execution sends another. Undefined when n8n gives no execution id (no stable key exists).
 */
export function automaticIdempotencyKey(scope: IdempotencyScope): string | undefined {
	if (!scope.executionId) return undefined;
	const source = [
		'n8n-nodes-dynamic-rag',
		scope.executionId,
		scope.nodeName,
		String(scope.runIndex),
		scope.operation,
		String(scope.itemIndex),
	].join('\u0000');
	return `n8n-${createHash('sha256').update(source, 'utf8').digest('hex')}`;
}

/** The user's key when given (validated), else the automatic one. */
export function resolveIdempotencyKey(
	userKey: unknown,
	scope: IdempotencyScope,
): string | undefined {
	const given = typeof userKey === 'string' ? userKey : userKey == null ? '' : String(userKey);
	if (given !== '') return validateIdempotencyKey(given);
	return automaticIdempotencyKey(scope);
}

/**
 * The key of batch request `chunkIndex` of `chunkCount`: a user key is used as is for a single request and gets
 * `-1`, `-2`, ... when the input is split (one key per distinct request, or the service would answer the second
 * request with the first one's result).
 */
export function batchIdempotencyKey(
	userKey: unknown,
	scope: IdempotencyScope,
	chunkIndex: number,
	chunkCount: number,
): string | undefined {
	const given = typeof userKey === 'string' ? userKey : userKey == null ? '' : String(userKey);
	if (given === '') return automaticIdempotencyKey(scope);
	if (chunkCount <= 1) return validateIdempotencyKey(given);
	return validateIdempotencyKey(`${given}-${chunkIndex + 1}`);
}

// ---------------------------------------------------------------------------------------------------------------
// Request options

function jsonRequest(
	method: IHttpRequestMethods,
	url: string,
	body?: IDataObject | IDataObject[],
	idempotencyKey?: string,
): IHttpRequestOptions {
	const headers: IDataObject = { Accept: 'application/json' };
	if (idempotencyKey !== undefined) headers[IDEMPOTENCY_HEADER] = idempotencyKey;
	const options: IHttpRequestOptions = { method, url, headers, json: true };
	if (body !== undefined) {
		headers['Content-Type'] = 'application/json';
		options.body = body;
	}
	return options;
}

export interface TextDocumentInput {
	title: unknown;
	content: unknown;
	docType: unknown;
	externalId?: unknown;
	sourceUrl?: unknown;
	metadata?: unknown;
}

/** `{title, content, doc_type, external_id?, source_url?, metadata?}`: one document of `/document` or `/batch`. */
export function textDocumentBody(input: TextDocumentInput): IDataObject {
	const body: IDataObject = {
		title: requiredString(input.title, 'Title', 'title'),
		content: requiredString(input.content, 'Content', 'content'),
		doc_type: oneOf(input.docType, DOC_TYPES, 'Document Type', 'docType'),
	};
	const externalId = optionalString(input.externalId);
	if (externalId !== undefined) body.external_id = externalId;
	const sourceUrl = optionalString(input.sourceUrl);
	if (sourceUrl !== undefined) body.source_url = sourceUrl;
	const metadata = parseJsonObject(input.metadata, 'Metadata', 'metadata');
	if (metadata !== undefined) body.metadata = metadata;
	return body;
}

/** POST /api/ingest/document */
export function ingestTextRequest(
	baseUrl: string,
	input: TextDocumentInput,
	idempotencyKey?: string,
): IHttpRequestOptions {
	return jsonRequest(
		'POST',
		joinUrl(baseUrl, '/api/ingest/document'),
		textDocumentBody(input),
		idempotencyKey,
	);
}

/** POST /api/ingest/batch with a JSON array (at most MAX_BATCH_SIZE documents; see splitIntoBatches). */
export function ingestBatchRequest(
	baseUrl: string,
	documents: IDataObject[],
	idempotencyKey?: string,
): IHttpRequestOptions {
	if (documents.length === 0 || documents.length > MAX_BATCH_SIZE) {
		throw new InvalidParameterError(
			`A batch request holds 1 to ${MAX_BATCH_SIZE} documents (got ${documents.length})`,
		);
	}
	return jsonRequest('POST', joinUrl(baseUrl, '/api/ingest/batch'), documents, idempotencyKey);
}

/** Consecutive slices of at most `size` elements, in order. */
export function splitIntoBatches<T>(items: T[], size = MAX_BATCH_SIZE): T[][] {
	if (!Number.isInteger(size) || size < 1) throw new RangeError('size must be 1 or more');
	const batches: T[][] = [];
	for (let start = 0; start < items.length; start += size) {
		batches.push(items.slice(start, start + size));
	}
	return batches;
}

export interface UrlInput {
	url: unknown;
	title?: unknown;
	externalId?: unknown;
	metadata?: unknown;
}

/** POST /api/ingest/url `{url, title?, external_id?, metadata?}` */
export function ingestUrlRequest(
	baseUrl: string,
	input: UrlInput,
	idempotencyKey?: string,
): IHttpRequestOptions {
	const body: IDataObject = { url: requiredString(input.url, 'URL', 'url') };
	const title = optionalString(input.title);
	if (title !== undefined) body.title = title;
	const externalId = optionalString(input.externalId);
	if (externalId !== undefined) body.external_id = externalId;
	const metadata = parseJsonObject(input.metadata, 'Metadata', 'metadata');
	if (metadata !== undefined) body.metadata = metadata;
	return jsonRequest('POST', joinUrl(baseUrl, '/api/ingest/url'), body, idempotencyKey);
}

export interface FileInput {
	data: Buffer;
	fileName?: string;
	mimeType?: string;
}

export interface FileFields {
	title?: unknown;
	externalId?: unknown;
	sourceUrl?: unknown;
	metadata?: unknown;
}

export type MultipartPart =
	| { name: string; value: string }
	| { name: string; data: Buffer; fileName: string; contentType: string };

/** A fresh multipart boundary (the service ignores it when it compares retried uploads). */
export function newBoundary(): string {
	return `----n8nDynamicRag${randomBytes(12).toString('hex')}`;
}

/** Quotes a name or file name for Content-Disposition the way browsers do (", CR and LF percent-encoded). */
function quoteHeaderValue(value: string): string {
	return value.replace(/"/g, '%22').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** multipart/form-data body (RFC 7578), UTF-8 field values and file names. */
export function encodeMultipart(parts: MultipartPart[], boundary: string): Buffer {
	const chunks: Buffer[] = [];
	for (const part of parts) {
		let head = `--${boundary}\r\nContent-Disposition: form-data; name="${quoteHeaderValue(part.name)}"`;
		if ('data' in part) {
			head += `; filename="${quoteHeaderValue(part.fileName)}"\r\nContent-Type: ${part.contentType}`;
		}
		chunks.push(Buffer.from(`${head}\r\n\r\n`, 'utf8'));
		chunks.push('data' in part ? part.data : Buffer.from(part.value, 'utf8'));
		chunks.push(Buffer.from('\r\n', 'utf8'));
	}
	chunks.push(Buffer.from(`--${boundary}--\r\n`, 'utf8'));
	return Buffer.concat(chunks);
}

/**
 * POST /api/ingest/file, multipart: `file` plus the optional fields `title`, `external_id`, `source_url` and
 * `metadata` (a JSON string). The body is encoded here (a Buffer with its Content-Type and boundary), so it needs
 * no form-data package at run time.
 */
export function ingestFileRequest(
	baseUrl: string,
	file: FileInput,
	fields: FileFields,
	idempotencyKey?: string,
	boundary: string = newBoundary(),
): IHttpRequestOptions {
	const parts: MultipartPart[] = [
		{
			name: 'file',
			data: file.data,
			fileName: optionalString(file.fileName) ?? 'file',
			contentType: optionalString(file.mimeType) ?? 'application/octet-stream',
		},
	];
	const title = optionalString(fields.title);
	if (title !== undefined) parts.push({ name: 'title', value: title });
	const externalId = optionalString(fields.externalId);
	if (externalId !== undefined) parts.push({ name: 'external_id', value: externalId });
	const sourceUrl = optionalString(fields.sourceUrl);
	if (sourceUrl !== undefined) parts.push({ name: 'source_url', value: sourceUrl });
	const metadata = parseJsonObject(fields.metadata, 'Metadata', 'metadata');
	if (metadata !== undefined) parts.push({ name: 'metadata', value: JSON.stringify(metadata) });

	const headers: IDataObject = {
		Accept: 'application/json',
		'Content-Type': `multipart/form-data; boundary=${boundary}`,
	};
	if (idempotencyKey !== undefined) headers[IDEMPOTENCY_HEADER] = idempotencyKey;
	return {
		method: 'POST',
		url: joinUrl(baseUrl, '/api/ingest/file'),
		headers,
		body: encodeMultipart(parts, boundary),
		json: true,
	};
}

/** GET /api/documents/{id} */
export function getDocumentRequest(baseUrl: string, documentId: unknown): IHttpRequestOptions {
	return jsonRequest(
		'GET',
		joinUrl(baseUrl, `/api/documents/${pathId(documentId, 'Document ID', 'documentId')}`),
	);
}

/** GET /api/documents/{id}/status */
export function documentStatusRequest(baseUrl: string, documentId: unknown): IHttpRequestOptions {
	return jsonRequest(
		'GET',
		joinUrl(baseUrl, `/api/documents/${pathId(documentId, 'Document ID', 'documentId')}/status`),
	);
}

/**
 * The status URL of an ingestion answer (`status_url`, a path such as `/api/documents/<id>/status`), else the
 * document's status path.
 */
export function statusUrlRequest(
	baseUrl: string,
	statusUrl: unknown,
	documentId: unknown,
): IHttpRequestOptions {
	const path = optionalString(statusUrl);
	if (path !== undefined && path.startsWith('/api/documents/')) {
		return jsonRequest('GET', joinUrl(baseUrl, path));
	}
	return documentStatusRequest(baseUrl, documentId);
}

/** GET /api/documents/{id}/versions */
export function documentVersionsRequest(baseUrl: string, documentId: unknown): IHttpRequestOptions {
	return jsonRequest(
		'GET',
		joinUrl(baseUrl, `/api/documents/${pathId(documentId, 'Document ID', 'documentId')}/versions`),
	);
}

export interface ListDocumentsInput {
	page: number;
	size: number;
	status?: unknown;
}

/** GET /api/documents?page=&size=&status= (page from 1, size 1..100, status optional) */
export function listDocumentsRequest(
	baseUrl: string,
	input: ListDocumentsInput,
): IHttpRequestOptions {
	const qs: IDataObject = {
		page: integerIn(input.page, 1, Number.MAX_SAFE_INTEGER, 'Page', 'page'),
		size: integerIn(input.size, 1, MAX_PAGE_SIZE, 'Page size', 'limit'),
	};
	const status = optionalString(input.status);
	if (status !== undefined)
		qs.status = oneOf(status, DOCUMENT_STATUSES, 'Status', 'filters.status');
	const options = jsonRequest('GET', joinUrl(baseUrl, '/api/documents'));
	options.qs = qs;
	return options;
}

/** DELETE /api/documents/{id} */
export function deleteDocumentRequest(baseUrl: string, documentId: unknown): IHttpRequestOptions {
	return jsonRequest(
		'DELETE',
		joinUrl(baseUrl, `/api/documents/${pathId(documentId, 'Document ID', 'documentId')}`),
	);
}

/** PUT /api/documents/{id} `{"reprocess": true}` */
export function reprocessDocumentRequest(
	baseUrl: string,
	documentId: unknown,
	idempotencyKey?: string,
): IHttpRequestOptions {
	return jsonRequest(
		'PUT',
		joinUrl(baseUrl, `/api/documents/${pathId(documentId, 'Document ID', 'documentId')}`),
		{ reprocess: true },
		idempotencyKey,
	);
}

export interface SearchFiltersInput {
	docType?: unknown;
	metadata?: unknown;
	documentIds?: unknown;
	createdAfter?: unknown;
	createdBefore?: unknown;
}

/** `filters` of /search and /search/catalog; undefined when no filter is set. */
export function searchFiltersBody(input: SearchFiltersInput | undefined): IDataObject | undefined {
	if (input === undefined) return undefined;
	const filters: IDataObject = {};
	const docType = optionalString(input.docType);
	if (docType !== undefined) filters.doc_type = docType;
	const metadata = parseJsonObject(input.metadata, 'Metadata filter', 'filters.metadata');
	if (metadata !== undefined) filters.metadata = metadata;
	const documentIds = parseIdList(input.documentIds);
	if (documentIds !== undefined) filters.document_ids = documentIds;
	const createdAfter = optionalString(input.createdAfter);
	if (createdAfter !== undefined) filters.created_after = createdAfter;
	const createdBefore = optionalString(input.createdBefore);
	if (createdBefore !== undefined) filters.created_before = createdBefore;
	return Object.keys(filters).length === 0 ? undefined : filters;
}

export interface SearchInput {
	query: unknown;
	topK: unknown;
	mode?: unknown;
	filters?: SearchFiltersInput;
	asOfVersion?: unknown;
}

/** POST /search `{query, top_k, mode, filters?, as_of_version?}` */
export function searchRequest(baseUrl: string, input: SearchInput): IHttpRequestOptions {
	const body: IDataObject = {
		query: requiredString(input.query, 'Query', 'query'),
		top_k: integerIn(input.topK, 1, 100, 'Top K', 'topK'),
		mode: oneOf(optionalString(input.mode) ?? 'hybrid', SEARCH_MODES, 'Mode', 'mode'),
	};
	const filters = searchFiltersBody(input.filters);
	if (filters !== undefined) body.filters = filters;
	const asOf = input.asOfVersion;
	if (asOf !== undefined && asOf !== null && asOf !== '' && Number(asOf) !== 0) {
		body.as_of_version = integerIn(
			asOf,
			1,
			Number.MAX_SAFE_INTEGER,
			'As of Version',
			'options.asOfVersion',
		);
	}
	return jsonRequest('POST', joinUrl(baseUrl, '/search'), body);
}

/** POST /search/catalog `{query, top_k, filters?}`: documents, not chunks. */
export function catalogRequest(baseUrl: string, input: SearchInput): IHttpRequestOptions {
	const body: IDataObject = {
		query: requiredString(input.query, 'Query', 'query'),
		top_k: integerIn(input.topK, 1, 100, 'Top K', 'topK'),
	};
	const filters = searchFiltersBody(input.filters);
	if (filters !== undefined) body.filters = filters;
	return jsonRequest('POST', joinUrl(baseUrl, '/search/catalog'), body);
}

export interface CreateWebhookInput {
	name: unknown;
	fieldMapping?: unknown;
	defaultMetadata?: unknown;
	callbackUrl?: unknown;
}

/** POST /api/webhooks `{name, config: {field_mapping, default_metadata, callback_url?}}` */
export function createWebhookRequest(
	baseUrl: string,
	input: CreateWebhookInput,
): IHttpRequestOptions {
	const config: IDataObject = {};
	const fieldMapping = parseJsonObject(input.fieldMapping, 'Field Mapping', 'fieldMapping');
	if (fieldMapping !== undefined) config.field_mapping = fieldMapping;
	const defaultMetadata = parseJsonObject(
		input.defaultMetadata,
		'Default Metadata',
		'defaultMetadata',
	);
	if (defaultMetadata !== undefined) config.default_metadata = defaultMetadata;
	const callbackUrl = optionalString(input.callbackUrl);
	if (callbackUrl !== undefined) config.callback_url = callbackUrl;
	return jsonRequest('POST', joinUrl(baseUrl, '/api/webhooks'), {
		name: requiredString(input.name, 'Name', 'name'),
		config,
	});
}

/** GET /api/webhooks */
export function listWebhooksRequest(baseUrl: string): IHttpRequestOptions {
	return jsonRequest('GET', joinUrl(baseUrl, '/api/webhooks'));
}

/**
 * POST /api/webhooks/{id}/test with the sample payload (any JSON). An empty sample sends no body: the service then
 * builds a sample from the webhook's field mapping.
 */
export function testWebhookRequest(
	baseUrl: string,
	webhookId: unknown,
	samplePayload: unknown,
): IHttpRequestOptions {
	const url = joinUrl(
		baseUrl,
		`/api/webhooks/${pathId(webhookId, 'Webhook ID', 'webhookId')}/test`,
	);
	const sample = parseJson(samplePayload, 'Sample Payload', 'samplePayload');
	const empty =
		sample === undefined ||
		sample === null ||
		(isPlainObject(sample) && Object.keys(sample).length === 0);
	if (empty) return jsonRequest('POST', url);
	if (typeof sample !== 'object') {
		throw new InvalidParameterError(
			'Sample Payload must be a JSON object or array',
			'samplePayload',
		);
	}
	return jsonRequest('POST', url, sample as IDataObject | IDataObject[]);
}
