/* eslint-disable @n8n/community-nodes/no-restricted-imports -- tests run in plain Node, never inside n8n, and are not part of the package */
/**
 * execute() end to end against a fake n8n context and a fake service: items in, items out.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type { IDataObject, IHttpRequestOptions, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { DynamicRag } from '../nodes/DynamicRag/DynamicRag.node';
import type { FakeOptions } from './fakes';
import { fakeExecuteFunctions, parseMultipart, pathOf, problem } from './fakes';

const node = new DynamicRag();

async function run(options: FakeOptions) {
	const fake = fakeExecuteFunctions(options);
	const output = await node.execute.call(fake.fn);
	assert.equal(output.length, 1, 'one output');
	return { ...fake, items: output[0] };
}

const header = (request: IHttpRequestOptions, name: string) =>
	(request.headers as Record<string, string> | undefined)?.[name];

const accepted = (id: string, status = 'processing', version = 1) => ({
	document_id: id,
	version,
	status,
	status_url: `/api/documents/${id}/status`,
});

const textItems = (n: number): INodeExecutionData[] =>
	Array.from({ length: n }, (_, i) => ({ json: { id: i, text: `Text ${i}` } }));

const textParams = (extra: Record<string, unknown> = {}) => ({
	resource: 'document',
	operation: 'ingestText',
	title: (i: number) => `Doc ${i}`,
	content: (i: number) => `Text ${i}`,
	docType: 'txt',
	additionalFields: (i: number) => ({ externalId: `ext-${i}`, metadata: '{"source": "test"}' }),
	options: {},
	...extra,
});

describe('Document: Ingest Text', () => {
	it('sends one request per item, pairs each answer, uses the credential', async () => {
		let n = 0;
		const { items, calls, credentialTypes } = await run({
			items: textItems(2),
			params: textParams(),
			handler: () => accepted(`doc-${n++}`),
		});
		assert.equal(calls.length, 2);
		assert.deepEqual(credentialTypes, ['dynamicRagApi', 'dynamicRagApi']);
		assert.equal(calls[0].url, 'http://rag.test:8080/api/ingest/document');
		assert.deepEqual(calls[1].body, {
			title: 'Doc 1',
			content: 'Text 1',
			doc_type: 'txt',
			external_id: 'ext-1',
			metadata: { source: 'test' },
		});
		assert.deepEqual(
			items.map((item) => [item.json.document_id, item.pairedItem]),
			[
				['doc-0', { item: 0 }],
				['doc-1', { item: 1 }],
			],
		);
	});

	it('sends the same automatic Idempotency-Key when n8n retries, another for another execution', async () => {
		const keys = async (executionId: string, runIndex = 0) => {
			const { calls } = await run({
				items: textItems(2),
				params: textParams(),
				executionId,
				runIndex,
				handler: () => accepted('d'),
			});
			return calls.map((c) => header(c, 'Idempotency-Key'));
		};
		const first = await keys('101');
		const retry = await keys('101');
		assert.match(first[0] as string, /^n8n-[0-9a-f]{64}$/);
		assert.notEqual(first[0], first[1], 'one key per item');
		assert.deepEqual(retry, first, '"Retry On Fail" re-runs the node in the same execution');
		assert.notDeepEqual(await keys('102'), first, 'a new execution is new work');
		assert.notDeepEqual(await keys('101', 1), first, 'a second run of the node (loop) is new work');
	});

	it('sends the user key instead', async () => {
		const { calls } = await run({
			params: textParams({ options: { idempotencyKey: 'order-4711' } }),
			handler: () => accepted('d'),
		});
		assert.equal(header(calls[0], 'Idempotency-Key'), 'order-4711');
	});

	it('waits for completion: polls the status_url and outputs the final status', async () => {
		let polls = 0;
		const { items, calls } = await run({
			params: textParams({ options: { waitForCompletion: true, pollInterval: 0.001, timeout: 5 } }),
			handler: (request) => {
				if (request.method === 'POST') return accepted('d1');
				polls++;
				return polls < 3
					? { document_id: 'd1', status: 'processing', version: 1 }
					: {
							document_id: 'd1',
							status: 'completed',
							version: 1,
							chunk_count: 3,
							error_message: null,
						};
			},
		});
		assert.deepEqual(
			calls.map((c) => `${c.method} ${pathOf(c)}`),
			[
				'POST /api/ingest/document',
				'GET /api/documents/d1/status',
				'GET /api/documents/d1/status',
				'GET /api/documents/d1/status',
			],
		);
		assert.equal(items.length, 1);
		assert.deepEqual(items[0].json, {
			document_id: 'd1',
			version: 1,
			status: 'completed',
			status_url: '/api/documents/d1/status',
			chunk_count: 3,
			error_message: null,
			submission_status: 'processing',
		});
		assert.deepEqual(items[0].pairedItem, { item: 0 });
	});

	it('outputs a failed document as data (status failed with its error_message)', async () => {
		const { items } = await run({
			params: textParams({ options: { waitForCompletion: true, pollInterval: 0.001, timeout: 5 } }),
			handler: (request) =>
				request.method === 'POST'
					? accepted('d1')
					: { document_id: 'd1', status: 'failed', version: 1, error_message: 'Parse failed' },
		});
		assert.equal(items[0].json.status, 'failed');
		assert.equal(items[0].json.error_message, 'Parse failed');
	});

	it('fails the item when the timeout passes, or reports it with Continue On Fail', async () => {
		const params = textParams({
			options: { waitForCompletion: true, pollInterval: 0.001, timeout: 0.02 },
		});
		const handler = (request: IHttpRequestOptions) =>
			request.method === 'POST'
				? accepted('d1')
				: { document_id: 'd1', status: 'processing', version: 1 };
		await assert.rejects(run({ params, handler }), (error: unknown) => {
			assert.ok(error instanceof NodeOperationError);
			assert.match(
				error.message,
				/Document d1 was not processed within 0.02 seconds \(last status: processing\)/,
			);
			return true;
		});
		const { items } = await run({ params, handler, continueOnFail: true });
		assert.match(String(items[0].json.error), /not processed within/);
		assert.deepEqual(items[0].pairedItem, { item: 0 });
	});

	it('turns a 400 into a NodeApiError with the service detail', async () => {
		const detail = 'Invalid request: title: must not be blank';
		await assert.rejects(
			run({
				params: textParams(),
				handler: () => {
					throw problem(400, detail);
				},
			}),
			(error: unknown) => {
				assert.ok(error instanceof NodeApiError);
				assert.equal(error.message, detail);
				assert.equal(error.httpCode, '400');
				assert.equal(error.context.itemIndex, 0);
				return true;
			},
		);
	});

	it('with Continue On Fail outputs an error item per failed item and goes on', async () => {
		let n = 0;
		const { items, calls } = await run({
			items: textItems(3),
			params: textParams({
				additionalFields: (i: number) => (i === 1 ? { metadata: '{oops' } : {}),
			}),
			continueOnFail: true,
			handler: () => {
				n++;
				if (n === 2) throw problem(413, 'The document is larger than 50 MB');
				return accepted(`d${n}`);
			},
		});
		assert.equal(calls.length, 2, 'item 1 never reaches the service');
		assert.deepEqual(
			items.map((item) => [item.pairedItem, item.json.error ?? item.json.document_id]),
			[
				[{ item: 0 }, 'd1'],
				[{ item: 1 }, 'Metadata is not valid JSON: ' + metadataError()],
				[{ item: 2 }, 'The document is larger than 50 MB'],
			],
		);
		assert.deepEqual(items[2].json.details, {
			status_code: 413,
			description: 'HTTP 413 Payload Too Large from POST /api/ingest/document',
		});
		assert.deepEqual(items[1].json.details, { description: 'Check the parameter "metadata".' });
		// what n8n needs to send them to the error output (On Error: Continue (using error output)), and to keep
		// their json as it is (n8n replaces the json of an item with an `error` property by {error: message})
		for (const item of [items[1], items[2]]) {
			assert.ok(
				Object.keys(item.json).every((key) => ['error', 'message', 'details'].includes(key)),
			);
			assert.equal(item.error, undefined);
		}
	});
});

function metadataError(): string {
	try {
		JSON.parse('{oops');
	} catch (error) {
		return (error as Error).message;
	}
	return '';
}

describe('Document: Ingest File', () => {
	const pdf = Buffer.from('%PDF-1.7 fake');
	const fileItem: INodeExecutionData = {
		json: {},
		binary: {
			attachment: {
				data: pdf.toString('base64'),
				fileName: 'report.pdf',
				mimeType: 'application/pdf',
			},
		},
	};

	it('uploads the binary field as multipart with its file name and type', async () => {
		const { calls, items } = await run({
			items: [fileItem],
			params: {
				resource: 'document',
				operation: 'ingestFile',
				binaryPropertyName: 'attachment',
				additionalFields: { title: 'Q3 report', metadata: { quarter: 'Q3' } },
				options: {},
			},
			handler: () => accepted('f1'),
		});
		assert.equal(calls[0].url, 'http://rag.test:8080/api/ingest/file');
		const contentType = header(calls[0], 'Content-Type') as string;
		const parts = parseMultipart(calls[0].body as Buffer, contentType);
		assert.equal(parts[0].name, 'file');
		assert.equal(parts[0].fileName, 'report.pdf');
		assert.equal(parts[0].headers['content-type'], 'application/pdf');
		assert.deepEqual(parts[0].data, pdf);
		assert.deepEqual(
			parts.slice(1).map((p) => [p.name, p.data.toString()]),
			[
				['title', 'Q3 report'],
				['metadata', '{"quarter":"Q3"}'],
			],
		);
		assert.match(header(calls[0], 'Idempotency-Key') as string, /^n8n-/);
		assert.equal(items[0].json.document_id, 'f1');
	});

	it('fails clearly when the item has no such binary field', async () => {
		await assert.rejects(
			run({
				items: [fileItem],
				params: {
					resource: 'document',
					operation: 'ingestFile',
					binaryPropertyName: 'data',
					additionalFields: {},
					options: {},
				},
				handler: () => accepted('f1'),
			}),
			(error: unknown) => {
				assert.ok(error instanceof NodeOperationError);
				assert.equal(error.message, 'Item 0 has no binary field "data" to upload');
				assert.match(String(error.description), /attachment/);
				return true;
			},
		);
	});
});

describe('Document: Ingest Batch', () => {
	/** A batch endpoint: every document accepted, except titles starting with "bad". */
	function batchService() {
		let next = 0;
		return (request: IHttpRequestOptions) => {
			if (request.method === 'GET') {
				const id = pathOf(request).split('/')[3];
				return { document_id: id, status: 'completed', version: 1 };
			}
			const documents = request.body as IDataObject[];
			const results = documents.map((document, index) =>
				String(document.title).startsWith('bad')
					? {
							index,
							status: 'rejected',
							error: { status: 400, detail: 'Invalid request: content: must not be blank' },
						}
					: { index, ...accepted(`b${next++}`) },
			);
			const rejected = results.filter((r) => r.status === 'rejected').length;
			return { accepted: results.length - rejected, rejected, results };
		};
	}

	it('sends all items in requests of at most 100 and pairs each result with its item', async () => {
		const { calls, items } = await run({
			items: textItems(250),
			params: textParams({
				operation: 'ingestBatch',
				title: (i: number) => (i === 120 ? 'bad one' : `Doc ${i}`),
			}),
			handler: batchService(),
		});
		assert.deepEqual(
			calls.map((c) => [c.method, pathOf(c), (c.body as unknown[]).length]),
			[
				['POST', '/api/ingest/batch', 100],
				['POST', '/api/ingest/batch', 100],
				['POST', '/api/ingest/batch', 50],
			],
		);
		assert.deepEqual((calls[1].body as IDataObject[])[0], {
			title: 'Doc 100',
			content: 'Text 100',
			doc_type: 'txt',
			external_id: 'ext-100',
			metadata: { source: 'test' },
		});
		const keys = calls.map((c) => header(c, 'Idempotency-Key'));
		assert.equal(new Set(keys).size, 3, 'one key per request');
		assert.equal(items.length, 250);
		items.forEach((item, i) => assert.deepEqual(item.pairedItem, { item: i }));
		assert.equal(items[120].json.status, 'rejected');
		assert.equal(items[120].json.index, 20, 'the index within its request');
		assert.equal(items[249].json.document_id, 'b248');
	});

	it('numbers a user key per request', async () => {
		const { calls } = await run({
			items: textItems(150),
			params: textParams({ operation: 'ingestBatch', options: { idempotencyKey: 'import-7' } }),
			handler: batchService(),
		});
		assert.deepEqual(
			calls.map((c) => header(c, 'Idempotency-Key')),
			['import-7-1', 'import-7-2'],
		);
	});

	it('waits for every accepted document when asked', async () => {
		const { calls, items } = await run({
			items: textItems(3),
			params: textParams({
				operation: 'ingestBatch',
				title: (i: number) => (i === 1 ? 'bad' : `Doc ${i}`),
				options: { waitForCompletion: true, pollInterval: 0.001, timeout: 5 },
			}),
			handler: batchService(),
		});
		assert.deepEqual(
			calls.map((c) => `${c.method} ${pathOf(c)}`),
			['POST /api/ingest/batch', 'GET /api/documents/b0/status', 'GET /api/documents/b1/status'],
		);
		assert.deepEqual(
			items.map((item) => [item.json.status, item.json.submission_status]),
			[
				['completed', 'processing'],
				['rejected', undefined],
				['completed', 'processing'],
			],
		);
	});

	it('stops before sending anything when an item is invalid', async () => {
		const fake = fakeExecuteFunctions({
			items: textItems(3),
			params: textParams({
				operation: 'ingestBatch',
				docType: (i: number) => (i === 2 ? 'pdf' : 'txt'),
			}),
			handler: batchService(),
		});
		await assert.rejects(node.execute.call(fake.fn), (error: unknown) => {
			assert.ok(error instanceof NodeOperationError);
			assert.match(error.message, /Document Type must be one of: txt, md, html/);
			assert.equal(error.context.itemIndex, 2);
			return true;
		});
		assert.equal(fake.calls.length, 0);
	});

	it('with Continue On Fail reports invalid items and the items of a failed request', async () => {
		let requests = 0;
		const service = batchService();
		const { items } = await run({
			items: textItems(103),
			params: textParams({
				operation: 'ingestBatch',
				docType: (i: number) => (i === 1 ? 'pdf' : 'txt'),
			}),
			continueOnFail: true,
			handler: (request) => {
				requests++;
				if (requests === 2) throw problem(429, 'Rate limit exceeded', { 'retry-after': '3' });
				return service(request);
			},
		});
		assert.equal(items.length, 103);
		assert.match(String(items[1].json.error), /Document Type/);
		assert.equal(items[0].json.status, 'processing');
		assert.equal(
			items[100].json.status,
			'processing',
			'item 100 went in the first request (item 1 was left out)',
		);
		assert.equal(items[101].json.error, 'Rate limit exceeded');
		assert.equal((items[102].json.details as IDataObject).status_code, 429);
		items.forEach((item, i) => assert.deepEqual(item.pairedItem, { item: i }));
	});
});

describe('Document: look-ups', () => {
	it('gets many documents page by page with Return All', async () => {
		const total = 230;
		const { calls, items } = await run({
			params: {
				resource: 'document',
				operation: 'getMany',
				returnAll: true,
				filters: { status: 'completed' },
			},
			handler: (request) => {
				const { page, size } = request.qs as { page: number; size: number };
				const from = (page - 1) * size;
				const documents = Array.from(
					{ length: Math.max(0, Math.min(size, total - from)) },
					(_, i) => ({
						document_id: `d${from + i}`,
					}),
				);
				return { documents, page, size, total };
			},
		});
		assert.deepEqual(
			calls.map((c) => c.qs),
			[
				{ page: 1, size: 100, status: 'completed' },
				{ page: 2, size: 100, status: 'completed' },
				{ page: 3, size: 100, status: 'completed' },
			],
		);
		assert.equal(items.length, 230);
		assert.equal(items[229].json.document_id, 'd229');
	});

	it('gets many documents up to the limit', async () => {
		const { calls, items } = await run({
			params: {
				resource: 'document',
				operation: 'getMany',
				returnAll: false,
				limit: 30,
				filters: {},
			},
			handler: (request) => {
				const { size } = request.qs as { size: number };
				return {
					documents: Array.from({ length: size }, (_, i) => ({ document_id: `d${i}` })),
					total: 500,
				};
			},
		});
		assert.deepEqual(
			calls.map((c) => c.qs),
			[{ page: 1, size: 30 }],
		);
		assert.equal(items.length, 30);
	});

	it('outputs one item per version', async () => {
		const { calls, items } = await run({
			params: { resource: 'document', operation: 'getVersions', documentId: 'd1' },
			handler: () => ({
				document_id: 'd1',
				versions: [
					{ version: 2, is_active: true, status: 'completed' },
					{ version: 1, is_active: false, status: 'completed' },
				],
			}),
		});
		assert.equal(pathOf(calls[0]), '/api/documents/d1/versions');
		assert.deepEqual(
			items.map((item) => [item.json.document_id, item.json.version, item.pairedItem]),
			[
				['d1', 2, { item: 0 }],
				['d1', 1, { item: 0 }],
			],
		);
	});

	it('gets, gets the status of, deletes and reprocesses a document', async () => {
		const seen: string[] = [];
		const handler = (request: IHttpRequestOptions) => {
			seen.push(`${request.method} ${pathOf(request)}`);
			return request.method === 'PUT' ? accepted('d1') : { document_id: 'd1', status: 'completed' };
		};
		for (const operation of ['get', 'getStatus', 'delete', 'reprocess']) {
			const { items } = await run({
				params: { resource: 'document', operation, documentId: 'd1', options: {} },
				handler,
			});
			assert.equal(items[0].json.document_id, 'd1');
		}
		assert.deepEqual(seen, [
			'GET /api/documents/d1',
			'GET /api/documents/d1/status',
			'DELETE /api/documents/d1',
			'PUT /api/documents/d1',
		]);
	});

	it('answers an unknown document with the 404 detail', async () => {
		await assert.rejects(
			run({
				params: { resource: 'document', operation: 'get', documentId: 'nope' },
				handler: () => {
					throw problem(404, 'Document nope not found');
				},
			}),
			(error: unknown) =>
				error instanceof NodeApiError &&
				error.message === 'Document nope not found' &&
				error.httpCode === '404',
		);
	});
});

describe('Search', () => {
	const answer = {
		results: [
			{
				document_id: 'd1',
				chunk_index: 0,
				text: 'The Eiffel Tower was finished in 1889.',
				score: 0.03,
			},
			{ document_id: 'd2', chunk_index: 4, text: 'Paris is the capital of France.', score: 0.02 },
		],
	};

	it('outputs one item per result by default', async () => {
		const { calls, items } = await run({
			items: textItems(2),
			params: {
				resource: 'search',
				operation: 'search',
				query: (i: number) => `question ${i}`,
				topK: 3,
				mode: 'vector',
				filters: { docType: 'md' },
				options: {},
			},
			handler: () => answer,
		});
		assert.deepEqual(calls[1].body, {
			query: 'question 1',
			top_k: 3,
			mode: 'vector',
			filters: { doc_type: 'md' },
		});
		assert.equal(items.length, 4);
		assert.deepEqual(
			items.map((item) => [item.json.document_id, item.pairedItem]),
			[
				['d1', { item: 0 }],
				['d2', { item: 0 }],
				['d1', { item: 1 }],
				['d2', { item: 1 }],
			],
		);
	});

	it('outputs the whole answer as one item when Split Results is off (catalog)', async () => {
		const { calls, items } = await run({
			params: {
				resource: 'search',
				operation: 'catalog',
				query: 'towers',
				topK: 5,
				filters: {},
				options: { splitResults: false },
			},
			handler: () => answer,
		});
		assert.equal(calls[0].url, 'http://rag.test:8080/search/catalog');
		assert.equal(items.length, 1);
		assert.deepEqual(items[0].json, answer);
	});
});

describe('Webhook', () => {
	it('creates, lists (with a limit) and tests webhooks', async () => {
		const created = await run({
			params: {
				resource: 'webhook',
				operation: 'create',
				name: 'Tickets',
				fieldMapping: '{"title": "ticket.subject"}',
				defaultMetadata: '{}',
				callbackUrl: '',
			},
			handler: () => ({
				id: 'w1',
				webhook_url: 'http://rag.test:8080/api/webhooks/in/whk_x',
				signing_secret: 'whsec_x',
			}),
		});
		assert.deepEqual(created.calls[0].body, {
			name: 'Tickets',
			config: { field_mapping: { title: 'ticket.subject' } },
		});
		assert.equal(created.items[0].json.signing_secret, 'whsec_x');

		const listed = await run({
			params: { resource: 'webhook', operation: 'getMany', returnAll: false, limit: 2 },
			handler: () => ({ webhooks: [{ id: 'w1' }, { id: 'w2' }, { id: 'w3' }] }),
		});
		assert.deepEqual(
			listed.items.map((item) => item.json.id),
			['w1', 'w2'],
		);

		const tested = await run({
			params: {
				resource: 'webhook',
				operation: 'test',
				webhookId: 'w1',
				samplePayload: '{"ticket": {"subject": "Hi"}}',
			},
			handler: () => ({ title: 'Hi', content_preview: '', doc_type: 'txt' }),
		});
		assert.equal(pathOf(tested.calls[0]), '/api/webhooks/w1/test');
		assert.deepEqual(tested.calls[0].body, { ticket: { subject: 'Hi' } });
		assert.equal(tested.items[0].json.title, 'Hi');
	});
});

describe('credential', () => {
	it('joins the request URL with a base URL given with or without a trailing slash', async () => {
		for (const baseUrl of ['https://rag.example.com', 'https://rag.example.com/']) {
			const { calls } = await run({
				params: { resource: 'document', operation: 'getStatus', documentId: 'd1' },
				credentials: { baseUrl, apiKey: 'drag_x' },
				handler: () => ({ document_id: 'd1', status: 'completed' }),
			});
			assert.equal(calls[0].url, 'https://rag.example.com/api/documents/d1/status');
		}
	});
});
