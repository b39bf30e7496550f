/**
 * What each operation does with the n8n context: read its parameters, send the request(s) built in requests.ts
 * through `httpRequestWithAuthentication`, wait when asked, and shape the output. The item loop, pairing and
 * Continue On Fail are in DynamicRag.node.ts.
 */
import type { IDataObject, IExecuteFunctions, IHttpRequestOptions } from 'n8n-workflow';
import { NodeOperationError, sleep } from 'n8n-workflow';

import { describeHttpError, toNodeError } from './errors';
import type { DocumentStatus, StatusProbe, WaitResult, WaitTarget } from './polling';
import { waitForDocuments } from './polling';
import {
	MAX_PAGE_SIZE,
	batchIdempotencyKey,
	catalogRequest,
	createWebhookRequest,
	deleteDocumentRequest,
	documentVersionsRequest,
	getDocumentRequest,
	ingestBatchRequest,
	ingestFileRequest,
	ingestTextRequest,
	ingestUrlRequest,
	listDocumentsRequest,
	listWebhooksRequest,
	reprocessDocumentRequest,
	resolveIdempotencyKey,
	searchRequest,
	splitIntoBatches,
	statusUrlRequest,
	testWebhookRequest,
	textDocumentBody,
} from './requests';
import type { IdempotencyScope, TextDocumentInput } from './requests';

export const CREDENTIAL_TYPE = 'dynamicRagApi';

/** Sends one request with the credential; a failure becomes a NodeApiError carrying the service's `detail`. */
export async function send(
	fn: IExecuteFunctions,
	options: IHttpRequestOptions,
	itemIndex: number,
): Promise<IDataObject> {
	try {
		return (await fn.helpers.httpRequestWithAuthentication.call(
			fn,
			CREDENTIAL_TYPE,
			options,
		)) as IDataObject;
	} catch (error) {
		throw toNodeError(fn.getNode(), error, itemIndex, options);
	}
}

// ---------------------------------------------------------------------------------------------------------------
// Submitting work and waiting for it

export interface SubmitOptions {
	waitForCompletion: boolean;
	intervalMs: number;
	timeoutMs: number;
	idempotencyKey: unknown;
}

export function submitOptions(fn: IExecuteFunctions, itemIndex: number): SubmitOptions {
	const options = fn.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const seconds = (value: unknown, fallback: number) => {
		const number = Number(value ?? fallback);
		return Number.isFinite(number) && number >= 0 ? number : fallback;
	};
	return {
		waitForCompletion: options.waitForCompletion === true,
		intervalMs: Math.round(seconds(options.pollInterval, 2) * 1000),
		timeoutMs: Math.round(seconds(options.timeout, 300) * 1000),
		idempotencyKey: options.idempotencyKey,
	};
}

/** The run index of this node in the execution (loops run a node several times; retries keep the index). */
function runIndex(fn: IExecuteFunctions): number {
	const proxy = fn.getWorkflowDataProxy(0);
	const value = proxy.$runIndex ?? proxy.$thisRunIndex;
	return typeof value === 'number' ? value : 0;
}

export function idempotencyScope(
	fn: IExecuteFunctions,
	operation: string,
	itemIndex: number,
): IdempotencyScope {
	return {
		executionId: fn.getExecutionId(),
		nodeName: fn.getNode().name,
		runIndex: runIndex(fn),
		operation,
		itemIndex,
	};
}

/** Asks for one document's status; 404 and 429 are answers for the poller, anything else fails the item. */
function statusFetcher(
	fn: IExecuteFunctions,
	baseUrl: string,
	itemIndex: (t: WaitTarget) => number,
) {
	return async (target: WaitTarget): Promise<StatusProbe> => {
		const options = statusUrlRequest(baseUrl, target.statusUrl, target.documentId);
		try {
			const status = (await fn.helpers.httpRequestWithAuthentication.call(
				fn,
				CREDENTIAL_TYPE,
				options,
			)) as DocumentStatus;
			return { kind: 'status', status };
		} catch (error) {
			const info = describeHttpError(error);
			if (info.status === 404) return { kind: 'notFound' };
			if (info.status === 429) {
				return {
					kind: 'rateLimited',
					retryAfterMs:
						info.retryAfterSeconds === undefined ? undefined : info.retryAfterSeconds * 1000,
				};
			}
			throw toNodeError(fn.getNode(), error, itemIndex(target), options);
		}
	};
}

export async function waitFor(
	fn: IExecuteFunctions,
	baseUrl: string,
	targets: WaitTarget[],
	options: SubmitOptions,
	itemIndex: (t: WaitTarget) => number,
): Promise<WaitResult[]> {
	const signal = fn.getExecutionCancelSignal?.();
	return await waitForDocuments(targets, statusFetcher(fn, baseUrl, itemIndex), {
		intervalMs: options.intervalMs,
		timeoutMs: options.timeoutMs,
		sleep: async (ms) => await sleep(ms, signal),
		now: () => Date.now(),
	});
}

/** The wait target of an ingestion answer, or undefined when it names no document (a rejected batch item). */
export function targetOf(answer: IDataObject): WaitTarget | undefined {
	const documentId = answer.document_id;
	if (typeof documentId !== 'string' || documentId === '') return undefined;
	if (answer.status !== 'processing' && answer.status !== 'duplicate') return undefined;
	return {
		documentId,
		version: typeof answer.version === 'number' ? answer.version : 0,
		statusUrl: typeof answer.status_url === 'string' ? answer.status_url : undefined,
		checkNow: answer.status === 'duplicate',
	};
}

/** The answer of a submission merged with the final status it waited for. */
export function withFinalStatus(
	answer: IDataObject,
	status: DocumentStatus | undefined,
): IDataObject {
	if (!status) return answer;
	return { ...answer, ...status, submission_status: answer.status };
}

export function timeoutError(
	fn: IExecuteFunctions,
	result: WaitResult,
	options: SubmitOptions,
	itemIndex: number,
): NodeOperationError {
	const last = result.status ? `last status: ${result.status.status}` : 'no status seen yet';
	return new NodeOperationError(
		fn.getNode(),
		`Document ${result.target.documentId} was not processed within ${options.timeoutMs / 1000} seconds (${last})`,
		{
			itemIndex,
			description:
				'The document keeps processing on the service. Raise "Timeout (Seconds)" or look its status up later with Get Status.',
		},
	);
}

/** Sends one submission and, with Wait for Completion, waits for its document. */
async function submit(
	fn: IExecuteFunctions,
	baseUrl: string,
	request: IHttpRequestOptions,
	options: SubmitOptions,
	itemIndex: number,
): Promise<IDataObject> {
	const answer = await send(fn, request, itemIndex);
	if (!options.waitForCompletion) return answer;
	const target = targetOf(answer);
	if (!target) return answer;
	const [result] = await waitFor(fn, baseUrl, [target], options, () => itemIndex);
	if (result.timedOut) throw timeoutError(fn, result, options, itemIndex);
	return withFinalStatus(answer, result.status);
}

// ---------------------------------------------------------------------------------------------------------------
// One item -> zero or more output objects

function additionalFields(fn: IExecuteFunctions, itemIndex: number): IDataObject {
	return fn.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
}

/** The text document parameters of item `itemIndex` (Ingest Text and Ingest Batch). */
function textInputOf(fn: IExecuteFunctions, itemIndex: number): TextDocumentInput {
	const extra = additionalFields(fn, itemIndex);
	return {
		title: fn.getNodeParameter('title', itemIndex),
		content: fn.getNodeParameter('content', itemIndex),
		docType: fn.getNodeParameter('docType', itemIndex),
		externalId: extra.externalId,
		sourceUrl: extra.sourceUrl,
		metadata: extra.metadata,
	};
}

async function documentOperation(
	fn: IExecuteFunctions,
	baseUrl: string,
	operation: string,
	i: number,
): Promise<IDataObject[]> {
	switch (operation) {
		case 'ingestText': {
			const options = submitOptions(fn, i);
			const key = resolveIdempotencyKey(options.idempotencyKey, idempotencyScope(fn, operation, i));
			const request = ingestTextRequest(baseUrl, textInputOf(fn, i), key);
			return [await submit(fn, baseUrl, request, options, i)];
		}
		case 'ingestFile': {
			const options = submitOptions(fn, i);
			const extra = additionalFields(fn, i);
			const field = String(fn.getNodeParameter('binaryPropertyName', i, 'data')).trim();
			const binary = fn.getInputData()[i]?.binary?.[field];
			if (!binary) {
				const available = Object.keys(fn.getInputData()[i]?.binary ?? {});
				throw new NodeOperationError(
					fn.getNode(),
					`Item ${i} has no binary field "${field}" to upload`,
					{
						itemIndex: i,
						description: available.length
							? `Its binary fields: ${available.join(', ')}. Set "Input Binary Field" to one of them.`
							: 'The item has no binary data. Put a node that reads or downloads the file (e.g. Read/Write Files from Disk, HTTP Request with response format File) before this one.',
					},
				);
			}
			const data = await fn.helpers.getBinaryDataBuffer(i, field);
			const key = resolveIdempotencyKey(options.idempotencyKey, idempotencyScope(fn, operation, i));
			const request = ingestFileRequest(
				baseUrl,
				{ data, fileName: binary.fileName, mimeType: binary.mimeType },
				{
					title: extra.title,
					externalId: extra.externalId,
					sourceUrl: extra.sourceUrl,
					metadata: extra.metadata,
				},
				key,
			);
			return [await submit(fn, baseUrl, request, options, i)];
		}
		case 'ingestUrl': {
			const options = submitOptions(fn, i);
			const extra = additionalFields(fn, i);
			const key = resolveIdempotencyKey(options.idempotencyKey, idempotencyScope(fn, operation, i));
			const request = ingestUrlRequest(
				baseUrl,
				{
					url: fn.getNodeParameter('url', i),
					title: extra.title,
					externalId: extra.externalId,
					metadata: extra.metadata,
				},
				key,
			);
			return [await submit(fn, baseUrl, request, options, i)];
		}
		case 'get':
			return [await send(fn, getDocumentRequest(baseUrl, fn.getNodeParameter('documentId', i)), i)];
		case 'getStatus': {
			const documentId = fn.getNodeParameter('documentId', i);
			return [await send(fn, statusUrlRequest(baseUrl, undefined, documentId), i)];
		}
		case 'getVersions': {
			const answer = await send(
				fn,
				documentVersionsRequest(baseUrl, fn.getNodeParameter('documentId', i)),
				i,
			);
			const versions = Array.isArray(answer.versions) ? (answer.versions as IDataObject[]) : [];
			return versions.map((version) => ({ document_id: answer.document_id, ...version }));
		}
		case 'getMany':
			return await listDocuments(fn, baseUrl, i);
		case 'delete':
			return [
				await send(fn, deleteDocumentRequest(baseUrl, fn.getNodeParameter('documentId', i)), i),
			];
		case 'reprocess': {
			const options = submitOptions(fn, i);
			const key = resolveIdempotencyKey(options.idempotencyKey, idempotencyScope(fn, operation, i));
			const request = reprocessDocumentRequest(baseUrl, fn.getNodeParameter('documentId', i), key);
			return [await submit(fn, baseUrl, request, options, i)];
		}
		default:
			throw new NodeOperationError(fn.getNode(), `Unknown document operation "${operation}"`, {
				itemIndex: i,
			});
	}
}

/** Get Many documents: pages of up to 100 until the limit (or, with Return All, the total) is reached. */
async function listDocuments(
	fn: IExecuteFunctions,
	baseUrl: string,
	i: number,
): Promise<IDataObject[]> {
	const returnAll = fn.getNodeParameter('returnAll', i, false) as boolean;
	const limit = returnAll ? Infinity : Math.max(1, Number(fn.getNodeParameter('limit', i, 50)));
	const filters = fn.getNodeParameter('filters', i, {}) as IDataObject;
	// one page size throughout: page N is the documents (N-1)*size .. N*size-1
	const size = returnAll ? MAX_PAGE_SIZE : Math.min(MAX_PAGE_SIZE, limit);
	const documents: IDataObject[] = [];
	for (let page = 1; documents.length < limit; page++) {
		const answer = await send(
			fn,
			listDocumentsRequest(baseUrl, { page, size, status: filters.status }),
			i,
		);
		const pageItems = Array.isArray(answer.documents) ? (answer.documents as IDataObject[]) : [];
		documents.push(...pageItems);
		const total = typeof answer.total === 'number' ? answer.total : undefined;
		if (pageItems.length < size || (total !== undefined && page * size >= total)) break;
	}
	return documents.slice(0, limit);
}

async function searchOperation(
	fn: IExecuteFunctions,
	baseUrl: string,
	operation: string,
	i: number,
): Promise<IDataObject[]> {
	const filters = fn.getNodeParameter('filters', i, {}) as IDataObject;
	const options = fn.getNodeParameter('options', i, {}) as IDataObject;
	let request: IHttpRequestOptions;
	if (operation === 'search') {
		request = searchRequest(baseUrl, {
			query: fn.getNodeParameter('query', i),
			topK: fn.getNodeParameter('topK', i, 10),
			mode: fn.getNodeParameter('mode', i, 'hybrid'),
			filters,
			asOfVersion: options.asOfVersion,
		});
	} else if (operation === 'catalog') {
		request = catalogRequest(baseUrl, {
			query: fn.getNodeParameter('query', i),
			topK: fn.getNodeParameter('topK', i, 10),
			filters,
		});
	} else {
		throw new NodeOperationError(fn.getNode(), `Unknown search operation "${operation}"`, {
			itemIndex: i,
		});
	}
	const answer = await send(fn, request, i);
	if (options.splitResults === false) return [answer];
	return Array.isArray(answer.results) ? (answer.results as IDataObject[]) : [];
}

async function webhookOperation(
	fn: IExecuteFunctions,
	baseUrl: string,
	operation: string,
	i: number,
): Promise<IDataObject[]> {
	switch (operation) {
		case 'create':
			return [
				await send(
					fn,
					createWebhookRequest(baseUrl, {
						name: fn.getNodeParameter('name', i),
						fieldMapping: fn.getNodeParameter('fieldMapping', i, '{}'),
						defaultMetadata: fn.getNodeParameter('defaultMetadata', i, '{}'),
						callbackUrl: fn.getNodeParameter('callbackUrl', i, ''),
					}),
					i,
				),
			];
		case 'getMany': {
			const answer = await send(fn, listWebhooksRequest(baseUrl), i);
			const webhooks = Array.isArray(answer.webhooks) ? (answer.webhooks as IDataObject[]) : [];
			const returnAll = fn.getNodeParameter('returnAll', i, false) as boolean;
			if (returnAll) return webhooks;
			return webhooks.slice(0, Math.max(1, Number(fn.getNodeParameter('limit', i, 50))));
		}
		case 'test':
			return [
				await send(
					fn,
					testWebhookRequest(
						baseUrl,
						fn.getNodeParameter('webhookId', i),
						fn.getNodeParameter('samplePayload', i, '{}'),
					),
					i,
				),
			];
		default:
			throw new NodeOperationError(fn.getNode(), `Unknown webhook operation "${operation}"`, {
				itemIndex: i,
			});
	}
}

/** Runs a per-item operation (everything but Ingest Batch) for item `i`. */
export async function runItemOperation(
	fn: IExecuteFunctions,
	baseUrl: string,
	resource: string,
	operation: string,
	i: number,
): Promise<IDataObject[]> {
	switch (resource) {
		case 'document':
			return await documentOperation(fn, baseUrl, operation, i);
		case 'search':
			return await searchOperation(fn, baseUrl, operation, i);
		case 'webhook':
			return await webhookOperation(fn, baseUrl, operation, i);
		default:
			throw new NodeOperationError(fn.getNode(), `Unknown resource "${resource}"`, {
				itemIndex: i,
			});
	}
}

// ---------------------------------------------------------------------------------------------------------------
// Ingest Batch: all items in as few requests as possible

/** The outcome for one input item of a batch: a result object, or the error of that item. */
export type BatchOutcome =
	| { itemIndex: number; json: IDataObject }
	| { itemIndex: number; error: NodeOperationError | ReturnType<typeof toNodeError> };

/**
 * Ingest Batch: every input item becomes one document of `POST /api/ingest/batch`, 100 per request; each result
 * goes back to its item (`results[].index` within its request). Options (wait, timeout, key) are item 0's.
 * An item whose parameters are invalid, or all items of a request that failed, get an error outcome; the caller
 * decides (Continue On Fail) whether that stops the node. With `stopOnError`, the first error is thrown instead.
 */
export async function runBatch(
	fn: IExecuteFunctions,
	baseUrl: string,
	itemCount: number,
	stopOnError: boolean,
): Promise<BatchOutcome[]> {
	const outcomes = new Map<number, BatchOutcome>();
	const documents: Array<{ itemIndex: number; body: IDataObject }> = [];
	for (let i = 0; i < itemCount; i++) {
		try {
			documents.push({ itemIndex: i, body: textDocumentBody(textInputOf(fn, i)) });
		} catch (error) {
			const nodeError = toNodeError(fn.getNode(), error, i);
			if (stopOnError) throw nodeError;
			outcomes.set(i, { itemIndex: i, error: nodeError });
		}
	}
	if (itemCount === 0) return [];
	const options = submitOptions(fn, 0);
	const chunks = splitIntoBatches(documents);
	const waiting: Array<{ itemIndex: number; target: WaitTarget }> = [];

	for (let c = 0; c < chunks.length; c++) {
		const chunk = chunks[c];
		const first = chunk[0].itemIndex;
		let answer: IDataObject;
		try {
			const key = batchIdempotencyKey(
				options.idempotencyKey,
				idempotencyScope(fn, 'ingestBatch', first),
				c,
				chunks.length,
			);
			const request = ingestBatchRequest(
				baseUrl,
				chunk.map((d) => d.body),
				key,
			);
			answer = await send(fn, request, first);
		} catch (error) {
			if (stopOnError) throw toNodeError(fn.getNode(), error, first);
			for (const document of chunk) {
				outcomes.set(document.itemIndex, {
					itemIndex: document.itemIndex,
					error: toNodeError(fn.getNode(), error, document.itemIndex),
				});
			}
			continue;
		}
		const results = Array.isArray(answer.results) ? (answer.results as IDataObject[]) : [];
		results.forEach((result, position) => {
			const index = typeof result.index === 'number' ? result.index : position;
			const document = chunk[index];
			if (!document) return;
			outcomes.set(document.itemIndex, { itemIndex: document.itemIndex, json: result });
			const target = options.waitForCompletion ? targetOf(result) : undefined;
			if (target) waiting.push({ itemIndex: document.itemIndex, target });
		});
	}

	if (waiting.length > 0) {
		const itemOf = new Map(waiting.map((w) => [w.target, w.itemIndex]));
		const results = await waitFor(
			fn,
			baseUrl,
			waiting.map((w) => w.target),
			options,
			(t) => itemOf.get(t) ?? 0,
		);
		for (const result of results) {
			const itemIndex = itemOf.get(result.target) ?? 0;
			const outcome = outcomes.get(itemIndex);
			if (!outcome || !('json' in outcome)) continue;
			if (result.timedOut) {
				const error = timeoutError(fn, result, options, itemIndex);
				if (stopOnError) throw error;
				outcomes.set(itemIndex, { itemIndex, error });
			} else {
				outcomes.set(itemIndex, { itemIndex, json: withFinalStatus(outcome.json, result.status) });
			}
		}
	}
	return [...outcomes.values()].sort((a, b) => a.itemIndex - b.itemIndex);
}
