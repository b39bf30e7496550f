/* eslint-disable @n8n/community-nodes/no-restricted-imports -- tests run in plain Node, never inside n8n, and are not part of the package */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
	InvalidParameterError,
	MAX_BATCH_SIZE,
	automaticIdempotencyKey,
	batchIdempotencyKey,
	catalogRequest,
	createWebhookRequest,
	deleteDocumentRequest,
	documentStatusRequest,
	documentVersionsRequest,
	encodeMultipart,
	getDocumentRequest,
	ingestBatchRequest,
	ingestFileRequest,
	ingestTextRequest,
	ingestUrlRequest,
	joinUrl,
	listDocumentsRequest,
	listWebhooksRequest,
	normalizeBaseUrl,
	parseJsonObject,
	reprocessDocumentRequest,
	resolveIdempotencyKey,
	searchRequest,
	splitIntoBatches,
	statusUrlRequest,
	testWebhookRequest,
	textDocumentBody,
} from '../nodes/DynamicRag/requests';
import type { IdempotencyScope } from '../nodes/DynamicRag/requests';
import { parseMultipart } from './fakes';

const BASE = 'http://rag.test:8080/';
const KEY = 'n8n-key-1';

describe('base URL', () => {
	it('strips trailing slashes and whitespace', () => {
		assert.equal(normalizeBaseUrl(' http://rag.test:8080/// '), 'http://rag.test:8080');
		assert.equal(normalizeBaseUrl('https://rag.example.com/base/'), 'https://rag.example.com/base');
		assert.equal(joinUrl('http://h:1/', '/api/x'), 'http://h:1/api/x');
		assert.equal(joinUrl('http://h:1', 'api/x'), 'http://h:1/api/x');
	});

	it('refuses an empty or non-http base URL', () => {
		assert.throws(() => normalizeBaseUrl(''), InvalidParameterError);
		assert.throws(() => normalizeBaseUrl(undefined), /no Base URL/);
		assert.throws(() => normalizeBaseUrl('rag.test:8080'), /must start with http/);
	});
});

describe('ingest text', () => {
	it('posts the document as JSON with the idempotency key', () => {
		const request = ingestTextRequest(
			BASE,
			{
				title: ' Travel diary ',
				content: 'In Paris we visited the Eiffel Tower.',
				docType: 'md',
				externalId: 'diary-1',
				sourceUrl: 'https://example.com/diary',
				metadata: '{"trip": "france", "year": 2026}',
			},
			KEY,
		);
		assert.equal(request.method, 'POST');
		assert.equal(request.url, 'http://rag.test:8080/api/ingest/document');
		assert.equal(request.json, true);
		assert.deepEqual(request.body, {
			title: 'Travel diary',
			content: 'In Paris we visited the Eiffel Tower.',
			doc_type: 'md',
			external_id: 'diary-1',
			source_url: 'https://example.com/diary',
			metadata: { trip: 'france', year: 2026 },
		});
		assert.deepEqual(request.headers, {
			Accept: 'application/json',
			'Content-Type': 'application/json',
			'Idempotency-Key': KEY,
		});
	});

	it('leaves out empty optional fields and the key when there is none', () => {
		const request = ingestTextRequest(BASE, {
			title: 'A',
			content: 'Alpha',
			docType: 'txt',
			externalId: '',
			sourceUrl: '  ',
			metadata: '{}',
		});
		assert.deepEqual(request.body, { title: 'A', content: 'Alpha', doc_type: 'txt' });
		assert.equal((request.headers as Record<string, string>)['Idempotency-Key'], undefined);
	});

	it('takes metadata given as an object (from an expression)', () => {
		const body = textDocumentBody({
			title: 'A',
			content: 'B',
			docType: 'html',
			metadata: { team: 'finance' },
		});
		assert.deepEqual(body.metadata, { team: 'finance' });
	});

	it('refuses invalid JSON, non-object metadata, missing fields and unknown types', () => {
		const base = { title: 'A', content: 'B', docType: 'txt' };
		assert.throws(
			() => textDocumentBody({ ...base, metadata: '{"team": }' }),
			(error: unknown) =>
				error instanceof InvalidParameterError &&
				/Metadata is not valid JSON/.test(error.message) &&
				error.parameter === 'metadata',
		);
		assert.throws(() => textDocumentBody({ ...base, metadata: '[1, 2]' }), /must be a JSON object/);
		assert.throws(() => textDocumentBody({ ...base, metadata: '"text"' }), /must be a JSON object/);
		assert.throws(() => textDocumentBody({ ...base, title: ' ' }), /Title is required/);
		assert.throws(() => textDocumentBody({ ...base, content: '' }), /Content is required/);
		assert.throws(() => textDocumentBody({ ...base, docType: 'pdf' }), /one of: txt, md, html/);
	});
});

describe('ingest URL', () => {
	it('posts {url, title?, external_id?, metadata?}', () => {
		const request = ingestUrlRequest(
			BASE,
			{
				url: 'https://example.com/docs',
				title: 'Docs',
				externalId: 'docs-1',
				metadata: { source: 'web' },
			},
			KEY,
		);
		assert.equal(request.method, 'POST');
		assert.equal(request.url, 'http://rag.test:8080/api/ingest/url');
		assert.deepEqual(request.body, {
			url: 'https://example.com/docs',
			title: 'Docs',
			external_id: 'docs-1',
			metadata: { source: 'web' },
		});
		assert.equal((request.headers as Record<string, string>)['Idempotency-Key'], KEY);
		assert.deepEqual(ingestUrlRequest(BASE, { url: 'https://e.com' }).body, {
			url: 'https://e.com',
		});
		assert.throws(() => ingestUrlRequest(BASE, { url: '' }), /URL is required/);
	});
});

describe('ingest file', () => {
	const bytes = Buffer.from([0x25, 0x50, 0x44, 0x46, 0x00, 0xff, 0x0d, 0x0a, 0x2d, 0x2d]);

	it('sends a multipart form with the file and the optional fields', () => {
		const request = ingestFileRequest(
			BASE,
			{ data: bytes, fileName: 'Q3 "report".pdf', mimeType: 'application/pdf' },
			{
				title: 'Q3 report',
				externalId: 'q3-report',
				sourceUrl: 'https://drive.example.com/q3',
				metadata: '{"quarter": "Q3"}',
			},
			KEY,
			'BOUNDARY123',
		);
		assert.equal(request.method, 'POST');
		assert.equal(request.url, 'http://rag.test:8080/api/ingest/file');
		const headers = request.headers as Record<string, string>;
		assert.equal(headers['Content-Type'], 'multipart/form-data; boundary=BOUNDARY123');
		assert.equal(headers['Idempotency-Key'], KEY);
		assert.ok(Buffer.isBuffer(request.body));
		const parts = parseMultipart(request.body as Buffer, headers['Content-Type']);
		assert.deepEqual(
			parts.map((p) => p.name),
			['file', 'title', 'external_id', 'source_url', 'metadata'],
		);
		const [file, title, externalId, sourceUrl, metadata] = parts;
		assert.equal(file.fileName, 'Q3 %22report%22.pdf');
		assert.equal(file.headers['content-type'], 'application/pdf');
		assert.deepEqual(file.data, bytes);
		assert.equal(title.data.toString(), 'Q3 report');
		assert.equal(title.fileName, undefined);
		assert.equal(externalId.data.toString(), 'q3-report');
		assert.equal(sourceUrl.data.toString(), 'https://drive.example.com/q3');
		assert.deepEqual(JSON.parse(metadata.data.toString()), { quarter: 'Q3' });
	});

	it('names and types a file without metadata, and sends only the file part', () => {
		const request = ingestFileRequest(BASE, { data: bytes }, {});
		const headers = request.headers as Record<string, string>;
		assert.match(
			headers['Content-Type'],
			/^multipart\/form-data; boundary=----n8nDynamicRag[0-9a-f]{24}$/,
		);
		assert.equal(headers['Idempotency-Key'], undefined);
		const parts = parseMultipart(request.body as Buffer, headers['Content-Type']);
		assert.equal(parts.length, 1);
		assert.equal(parts[0].fileName, 'file');
		assert.equal(parts[0].headers['content-type'], 'application/octet-stream');
	});

	it('encodes UTF-8 field values and ends with the closing delimiter', () => {
		const body = encodeMultipart([{ name: 'title', value: 'Übersicht – 2026' }], 'B');
		assert.equal(
			body.toString('utf8'),
			'--B\r\nContent-Disposition: form-data; name="title"\r\n\r\nÜbersicht – 2026\r\n--B--\r\n',
		);
	});

	it('refuses invalid metadata', () => {
		assert.throws(
			() => ingestFileRequest(BASE, { data: bytes }, { metadata: 'not json' }),
			/Metadata is not valid JSON/,
		);
	});
});

describe('ingest batch', () => {
	it('posts the documents as one JSON array', () => {
		const documents = [
			{ title: 'A', content: 'Alpha', doc_type: 'txt' },
			{ title: 'B', content: '# Beta', doc_type: 'md' },
		];
		const request = ingestBatchRequest(BASE, documents, KEY);
		assert.equal(request.method, 'POST');
		assert.equal(request.url, 'http://rag.test:8080/api/ingest/batch');
		assert.deepEqual(request.body, documents);
		assert.equal((request.headers as Record<string, string>)['Idempotency-Key'], KEY);
	});

	it('splits inputs at 100 documents per request, in order', () => {
		const items = Array.from({ length: 250 }, (_, i) => i);
		const batches = splitIntoBatches(items);
		assert.equal(MAX_BATCH_SIZE, 100);
		assert.deepEqual(
			batches.map((b) => b.length),
			[100, 100, 50],
		);
		assert.deepEqual(batches.flat(), items);
		assert.deepEqual(
			splitIntoBatches(Array.from({ length: 100 }, (_, i) => i)).map((b) => b.length),
			[100],
		);
		assert.deepEqual(
			splitIntoBatches(Array.from({ length: 101 }, (_, i) => i)).map((b) => b.length),
			[100, 1],
		);
		assert.deepEqual(splitIntoBatches([]), []);
	});

	it('never builds a request of more than 100 or of no documents', () => {
		const doc = { title: 'A', content: 'a', doc_type: 'txt' };
		assert.throws(() => ingestBatchRequest(BASE, Array(101).fill(doc)), /1 to 100 documents/);
		assert.throws(() => ingestBatchRequest(BASE, []), /1 to 100 documents/);
		assert.equal((ingestBatchRequest(BASE, Array(100).fill(doc)).body as unknown[]).length, 100);
	});
});

describe('documents by id', () => {
	it('builds get, status, versions, delete and reprocess', () => {
		const id = '6f1c2d3e-0000-4000-8000-000000000001';
		const get = getDocumentRequest(BASE, id);
		assert.equal(get.method, 'GET');
		assert.equal(get.url, `http://rag.test:8080/api/documents/${id}`);
		assert.equal(get.body, undefined);

		const status = documentStatusRequest(BASE, id);
		assert.equal(status.method, 'GET');
		assert.equal(status.url, `http://rag.test:8080/api/documents/${id}/status`);

		const versions = documentVersionsRequest(BASE, id);
		assert.equal(versions.method, 'GET');
		assert.equal(versions.url, `http://rag.test:8080/api/documents/${id}/versions`);

		const remove = deleteDocumentRequest(BASE, id);
		assert.equal(remove.method, 'DELETE');
		assert.equal(remove.url, `http://rag.test:8080/api/documents/${id}`);
		assert.equal(remove.body, undefined);

		const reprocess = reprocessDocumentRequest(BASE, id, KEY);
		assert.equal(reprocess.method, 'PUT');
		assert.equal(reprocess.url, `http://rag.test:8080/api/documents/${id}`);
		assert.deepEqual(reprocess.body, { reprocess: true });
		assert.equal((reprocess.headers as Record<string, string>)['Idempotency-Key'], KEY);
	});

	it('encodes ids in the path and refuses an empty one', () => {
		assert.equal(
			getDocumentRequest(BASE, ' a/b?c ').url,
			'http://rag.test:8080/api/documents/a%2Fb%3Fc',
		);
		assert.throws(() => getDocumentRequest(BASE, ''), /Document ID is required/);
	});

	it('polls the status_url of an answer, else the status path', () => {
		assert.equal(
			statusUrlRequest(BASE, '/api/documents/abc/status', 'abc').url,
			'http://rag.test:8080/api/documents/abc/status',
		);
		assert.equal(
			statusUrlRequest(BASE, undefined, 'abc').url,
			'http://rag.test:8080/api/documents/abc/status',
		);
		// an absolute or foreign status_url is not followed: the credential's host is used
		assert.equal(
			statusUrlRequest(BASE, 'http://evil.test/x', 'abc').url,
			'http://rag.test:8080/api/documents/abc/status',
		);
	});
});

describe('list documents', () => {
	it('sends page, size and the status filter as the query string', () => {
		const request = listDocumentsRequest(BASE, { page: 2, size: 100, status: 'failed' });
		assert.equal(request.method, 'GET');
		assert.equal(request.url, 'http://rag.test:8080/api/documents');
		assert.deepEqual(request.qs, { page: 2, size: 100, status: 'failed' });
		assert.deepEqual(listDocumentsRequest(BASE, { page: 1, size: 20 }).qs, { page: 1, size: 20 });
		assert.deepEqual(listDocumentsRequest(BASE, { page: 1, size: 20, status: '' }).qs, {
			page: 1,
			size: 20,
		});
	});

	it('refuses an unknown status and sizes the service refuses', () => {
		assert.throws(
			() => listDocumentsRequest(BASE, { page: 1, size: 20, status: 'done' }),
			/Status/,
		);
		assert.throws(() => listDocumentsRequest(BASE, { page: 1, size: 101 }), /1 to 100/);
		assert.throws(() => listDocumentsRequest(BASE, { page: 0, size: 10 }), /Page/);
	});
});

describe('search', () => {
	it('posts query, top_k, mode, filters and as_of_version', () => {
		const request = searchRequest(BASE, {
			query: 'coffee budget',
			topK: 5,
			mode: 'keyword',
			filters: {
				docType: 'md',
				metadata: '{"team": "finance"}',
				documentIds: '6f1c, a2b9\n c3d4,',
				createdAfter: '2026-01-01',
				createdBefore: '2026-07-01T00:00:00Z',
			},
			asOfVersion: 2,
		});
		assert.equal(request.method, 'POST');
		assert.equal(request.url, 'http://rag.test:8080/search');
		assert.deepEqual(request.body, {
			query: 'coffee budget',
			top_k: 5,
			mode: 'keyword',
			filters: {
				doc_type: 'md',
				metadata: { team: 'finance' },
				document_ids: ['6f1c', 'a2b9', 'c3d4'],
				created_after: '2026-01-01',
				created_before: '2026-07-01T00:00:00Z',
			},
			as_of_version: 2,
		});
	});

	it('defaults to hybrid and leaves out empty filters and as_of_version 0', () => {
		const request = searchRequest(BASE, {
			query: 'q',
			topK: 10,
			filters: { metadata: '{}', documentIds: '' },
			asOfVersion: 0,
		});
		assert.deepEqual(request.body, { query: 'q', top_k: 10, mode: 'hybrid' });
	});

	it('refuses a bad mode, top_k out of range and an empty query', () => {
		assert.throws(() => searchRequest(BASE, { query: 'q', topK: 5, mode: 'fuzzy' }), /Mode/);
		assert.throws(() => searchRequest(BASE, { query: 'q', topK: 0 }), /Top K/);
		assert.throws(() => searchRequest(BASE, { query: 'q', topK: 101 }), /Top K/);
		assert.throws(() => searchRequest(BASE, { query: ' ', topK: 5 }), /Query is required/);
	});

	it('posts the catalog query without mode or version', () => {
		const request = catalogRequest(BASE, {
			query: 'boiler maintenance',
			topK: 5,
			filters: { docType: 'pdf' },
		});
		assert.equal(request.method, 'POST');
		assert.equal(request.url, 'http://rag.test:8080/search/catalog');
		assert.deepEqual(request.body, {
			query: 'boiler maintenance',
			top_k: 5,
			filters: { doc_type: 'pdf' },
		});
	});
});

describe('webhooks', () => {
	it('creates a webhook with its config', () => {
		const request = createWebhookRequest(BASE, {
			name: 'Helpdesk tickets',
			fieldMapping: '{"title": "ticket.subject", "content": "ticket.body"}',
			defaultMetadata: { source: 'helpdesk' },
			callbackUrl: 'https://hooks.example.com/rag-done',
		});
		assert.equal(request.method, 'POST');
		assert.equal(request.url, 'http://rag.test:8080/api/webhooks');
		assert.deepEqual(request.body, {
			name: 'Helpdesk tickets',
			config: {
				field_mapping: { title: 'ticket.subject', content: 'ticket.body' },
				default_metadata: { source: 'helpdesk' },
				callback_url: 'https://hooks.example.com/rag-done',
			},
		});
		assert.deepEqual(createWebhookRequest(BASE, { name: 'W', fieldMapping: '{}' }).body, {
			name: 'W',
			config: {},
		});
		assert.throws(
			() => createWebhookRequest(BASE, { name: 'W', fieldMapping: '{title}' }),
			/Field Mapping is not valid JSON/,
		);
	});

	it('lists webhooks', () => {
		const request = listWebhooksRequest(BASE);
		assert.equal(request.method, 'GET');
		assert.equal(request.url, 'http://rag.test:8080/api/webhooks');
	});

	it('tests a webhook with a JSON sample, or with no body for {}', () => {
		const request = testWebhookRequest(BASE, 'wh-1', '{"ticket": {"subject": "Hi"}}');
		assert.equal(request.method, 'POST');
		assert.equal(request.url, 'http://rag.test:8080/api/webhooks/wh-1/test');
		assert.deepEqual(request.body, { ticket: { subject: 'Hi' } });
		assert.deepEqual(testWebhookRequest(BASE, 'wh-1', [{ a: 1 }]).body, [{ a: 1 }]);
		assert.equal(testWebhookRequest(BASE, 'wh-1', '{}').body, undefined);
		assert.equal(testWebhookRequest(BASE, 'wh-1', '').body, undefined);
		assert.throws(() => testWebhookRequest(BASE, 'wh-1', '42'), /object or array/);
		assert.throws(() => testWebhookRequest(BASE, '', '{}'), /Webhook ID is required/);
	});
});

describe('JSON parameters', () => {
	it('parses strings, passes objects and treats empty as absent', () => {
		assert.deepEqual(parseJsonObject('{"a": 1}', 'X', 'x'), { a: 1 });
		assert.deepEqual(parseJsonObject({ a: 1 }, 'X', 'x'), { a: 1 });
		assert.equal(parseJsonObject('', 'X', 'x'), undefined);
		assert.equal(parseJsonObject('  {} ', 'X', 'x'), undefined);
		assert.equal(parseJsonObject(undefined, 'X', 'x'), undefined);
	});
});

describe('idempotency keys', () => {
	const scope: IdempotencyScope = {
		executionId: '4711',
		nodeName: 'Dynamic RAG',
		runIndex: 0,
		operation: 'ingestText',
		itemIndex: 3,
	};

	it('derives a stable key from execution, node, run and item', () => {
		const key = automaticIdempotencyKey(scope) as string;
		assert.match(key, /^n8n-[0-9a-f]{64}$/);
		assert.equal(automaticIdempotencyKey({ ...scope }), key, 'a retry sends the same key');
		for (const other of [
			{ executionId: '4712' },
			{ nodeName: 'Dynamic RAG1' },
			{ runIndex: 1 },
			{ itemIndex: 4 },
			{ operation: 'ingestUrl' },
		]) {
			assert.notEqual(automaticIdempotencyKey({ ...scope, ...other }), key, JSON.stringify(other));
		}
	});

	it('fits the service rule (printable ASCII, at most 255) for any node name', () => {
		const key = automaticIdempotencyKey({ ...scope, nodeName: 'Näme ✓ '.repeat(100) }) as string;
		assert.ok(key.length <= 255 && /^[\x20-\x7e]+$/.test(key));
	});

	it('has no automatic key without an execution id', () => {
		assert.equal(automaticIdempotencyKey({ ...scope, executionId: undefined }), undefined);
		assert.equal(automaticIdempotencyKey({ ...scope, executionId: '' }), undefined);
	});

	it('lets a user key override the automatic one, and validates it', () => {
		assert.equal(resolveIdempotencyKey('order-4711', scope), 'order-4711');
		assert.equal(resolveIdempotencyKey('', scope), automaticIdempotencyKey(scope));
		assert.equal(resolveIdempotencyKey(undefined, scope), automaticIdempotencyKey(scope));
		assert.throws(() => resolveIdempotencyKey('bestellung-ä', scope), /printable ASCII/);
		assert.throws(() => resolveIdempotencyKey('x'.repeat(256), scope), /255/);
		assert.throws(() => resolveIdempotencyKey('   ', scope), /printable ASCII/);
	});

	it('numbers a user key per batch request when the input is split', () => {
		assert.equal(batchIdempotencyKey('import-7', scope, 0, 1), 'import-7');
		assert.equal(batchIdempotencyKey('import-7', scope, 0, 3), 'import-7-1');
		assert.equal(batchIdempotencyKey('import-7', scope, 2, 3), 'import-7-3');
		assert.equal(batchIdempotencyKey('', scope, 1, 3), automaticIdempotencyKey(scope));
	});
});
