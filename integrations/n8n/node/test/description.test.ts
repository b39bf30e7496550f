/* eslint-disable @n8n/community-nodes/no-restricted-imports -- tests run in plain Node, never inside n8n, and are not part of the package */
/**
 * The parts of the node and credential descriptions that workflows and n8n rely on.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type { INodeProperties } from 'n8n-workflow';

import { DynamicRagApi } from '../credentials/DynamicRagApi.credentials';
import { DynamicRag } from '../nodes/DynamicRag/DynamicRag.node';

const description = new DynamicRag().description;

/** Parameter names shown for a resource and operation. */
export function parametersOf(resource: string, operation: string): string[] {
	return description.properties
		.filter((p: INodeProperties) => {
			const show = p.displayOptions?.show;
			if (!show) return true;
			return (
				(!show.resource || show.resource.includes(resource)) &&
				(!show.operation || show.operation.includes(operation))
			);
		})
		.map((p: INodeProperties) =>
			p.type === 'collection'
				? `${p.name}{${(p.options as INodeProperties[]).map((o) => o.name).join(',')}}`
				: p.name,
		);
}

describe('node description', () => {
	it('has the type name, credential and tool flag workflows refer to', () => {
		assert.equal(description.name, 'dynamicRag');
		assert.equal(description.displayName, 'Dynamic RAG');
		assert.deepEqual(description.credentials, [{ name: 'dynamicRagApi', required: true }]);
		assert.equal(description.usableAsTool, true);
	});

	it('offers every operation of every resource', () => {
		const operations = (resource: string) =>
			(
				description.properties.find(
					(p) => p.name === 'operation' && p.displayOptions?.show?.resource?.includes(resource),
				)?.options as Array<{ value: string }>
			).map((o) => o.value);
		assert.deepEqual(operations('document').sort(), [
			'delete',
			'get',
			'getMany',
			'getStatus',
			'getVersions',
			'ingestBatch',
			'ingestFile',
			'ingestText',
			'ingestUrl',
			'reprocess',
		]);
		assert.deepEqual(operations('search').sort(), ['catalog', 'search']);
		assert.deepEqual(operations('webhook').sort(), ['create', 'getMany', 'test']);
	});

	it('shows the documented parameters per operation', () => {
		const submit = 'options{idempotencyKey,pollInterval,timeout,waitForCompletion}';
		assert.deepEqual(parametersOf('document', 'ingestText'), [
			'resource',
			'operation',
			'title',
			'content',
			'docType',
			'additionalFields{externalId,metadata,sourceUrl}',
			submit,
		]);
		assert.deepEqual(parametersOf('document', 'ingestFile'), [
			'resource',
			'operation',
			'binaryPropertyName',
			'additionalFields{externalId,metadata,sourceUrl,title}',
			submit,
		]);
		assert.deepEqual(parametersOf('document', 'reprocess'), [
			'resource',
			'operation',
			submit,
			'documentId',
		]);
		assert.deepEqual(parametersOf('search', 'search'), [
			'resource',
			'operation',
			'query',
			'topK',
			'mode',
			'filters{createdAfter,createdBefore,documentIds,docType,metadata}',
			'options{asOfVersion,splitResults}',
		]);
	});

	it('has the binary field default "data"', () => {
		const field = description.properties.find((p) => p.name === 'binaryPropertyName');
		assert.equal(field?.default, 'data');
		assert.equal(field?.displayName, 'Input Binary Field');
	});
});

describe('credential', () => {
	const credential = new DynamicRagApi();

	it('sends the key as X-API-Key and tests it with GET /api/auth/me', () => {
		assert.equal(credential.name, 'dynamicRagApi');
		assert.equal(credential.displayName, 'Dynamic RAG API');
		assert.deepEqual(credential.authenticate, {
			type: 'generic',
			properties: { headers: { 'X-API-Key': '={{$credentials.apiKey}}' } },
		});
		assert.deepEqual(credential.test.request, {
			baseURL: '={{$credentials.baseUrl}}',
			url: '/api/auth/me',
			method: 'GET',
		});
	});

	it('has a base URL defaulting to localhost:8080 and a password-typed key', () => {
		const baseUrl = credential.properties.find((p) => p.name === 'baseUrl');
		const apiKey = credential.properties.find((p) => p.name === 'apiKey');
		assert.equal(baseUrl?.default, 'http://localhost:8080');
		assert.equal(apiKey?.typeOptions?.password, true);
	});
});
