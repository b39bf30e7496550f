/* eslint-disable @n8n/community-nodes/no-restricted-imports -- tests run in plain Node, never inside n8n, and are not part of the package */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { describeHttpError, parseRetryAfter, toNodeError } from '../nodes/DynamicRag/errors';
import { InvalidParameterError } from '../nodes/DynamicRag/requests';
import { AxiosError, NODE, problem } from './fakes';

const detail = 'Invalid request: doc_type: must be one of: txt, md, html';

describe('HTTP errors', () => {
	it('reads status, detail and Retry-After from the error n8n throws', () => {
		// httpRequestWithAuthentication wraps the axios error in a NodeApiError
		const wrapped = new NodeApiError(
			NODE,
			problem(429, 'Rate limit of 60 requests per minute exceeded', {
				'retry-after': '17',
			}) as never,
		);
		const info = describeHttpError(wrapped);
		assert.equal(info.status, 429);
		assert.equal(info.detail, 'Rate limit of 60 requests per minute exceeded');
		assert.equal(info.retryAfterSeconds, 17);
		assert.equal(info.problem?.title, 'Too Many Requests');
	});

	it('reads a raw axios error and a problem body that came as text', () => {
		const raw = new AxiosError(400, JSON.stringify({ status: 400, detail }));
		assert.equal(describeHttpError(raw).status, 400);
		assert.equal(describeHttpError(raw).detail, detail);
	});

	it('has no status for a network error', () => {
		const info = describeHttpError(
			Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8080'), { code: 'ECONNREFUSED' }),
		);
		assert.equal(info.status, undefined);
		assert.equal(info.detail, undefined);
	});

	it('parses Retry-After as seconds or as a date', () => {
		assert.equal(parseRetryAfter('5'), 5);
		assert.equal(
			parseRetryAfter('Thu, 01 Jan 2026 00:00:10 GMT', Date.parse('2026-01-01T00:00:00Z')),
			10,
		);
		assert.equal(parseRetryAfter('soon'), undefined);
		assert.equal(parseRetryAfter(undefined), undefined);
	});
});

describe('errors for the user', () => {
	it('turns a problem+json answer into a NodeApiError with the detail and the status', () => {
		const wrapped = new NodeApiError(NODE, problem(400, detail) as never);
		const error = toNodeError(NODE, wrapped, 2, {
			method: 'POST',
			url: 'http://rag.test:8080/api/ingest/document',
		});
		assert.ok(error instanceof NodeApiError);
		assert.equal(error.message, detail);
		assert.equal(error.httpCode, '400');
		assert.equal(error.description, 'HTTP 400 Bad Request from POST /api/ingest/document');
		assert.equal(error.context.itemIndex, 2);
		assert.equal((error.context.data as { detail: string }).detail, detail);
	});

	it('keeps the detail of every status, 5xx included', () => {
		for (const status of [401, 404, 409, 413, 500]) {
			const error = toNodeError(
				NODE,
				new NodeApiError(NODE, problem(status, `why ${status}`) as never),
				0,
			);
			assert.equal(error.message, `why ${status}`);
			assert.equal((error as NodeApiError).httpCode, String(status));
		}
	});

	it('falls back to the status when the body is not a problem', () => {
		const wrapped = new NodeApiError(
			NODE,
			new AxiosError(502, '<html>Bad Gateway</html>') as never,
		);
		const error = toNodeError(NODE, wrapped, 0) as NodeApiError;
		assert.equal(error.message, 'The Dynamic RAG service answered HTTP 502');
		assert.equal(error.httpCode, '502');
	});

	it('reports a parameter problem as NodeOperationError', () => {
		const error = toNodeError(
			NODE,
			new InvalidParameterError('Metadata is not valid JSON', 'metadata'),
			1,
		);
		assert.ok(error instanceof NodeOperationError);
		assert.equal(error.message, 'Metadata is not valid JSON');
		assert.equal(error.context.itemIndex, 1);
	});

	it('passes n8n errors without a status on, with the item index', () => {
		const network = new NodeApiError(
			NODE,
			Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) as never,
		);
		const error = toNodeError(NODE, network, 3);
		assert.equal(error, network);
		assert.equal(error.context.itemIndex, 3);
	});

	it('converts once: converting a converted error returns it unchanged', () => {
		const first = toNodeError(NODE, new NodeApiError(NODE, problem(400, detail) as never), 0, {
			method: 'POST',
			url: 'http://h/api/ingest/url',
		});
		assert.equal(toNodeError(NODE, first, 5), first);
		assert.equal(first.description, 'HTTP 400 Bad Request from POST /api/ingest/url');
	});
});
