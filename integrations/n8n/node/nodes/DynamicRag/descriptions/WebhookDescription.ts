import type { INodeProperties } from 'n8n-workflow';

import { getManyPagination } from './pagination';

const showFor = (operation: string[]) => ({ show: { resource: ['webhook'], operation } });

export const webhookOperations: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['webhook'] } },
		options: [
			{
				name: 'Create',
				value: 'create',
				description: 'Create an ingestion webhook: its URL and signing secret are returned once',
				action: 'Create a webhook',
			},
			{
				name: 'Get Many',
				value: 'getMany',
				description: 'Get many webhooks',
				action: 'Get many webhooks',
			},
			{
				name: 'Test',
				value: 'test',
				description:
					'Dry run: show what a webhook would ingest from a sample payload, storing nothing',
				action: 'Test a webhook',
			},
		],
		default: 'create',
	},
];

export const webhookFields: INodeProperties[] = [
	// ----------------------------------------------------------------------------------- create
	{
		displayName: 'Name',
		name: 'name',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'Helpdesk tickets',
		description: 'The name of the webhook',
		displayOptions: showFor(['create']),
	},
	{
		displayName: 'Field Mapping',
		name: 'fieldMapping',
		type: 'json',
		default: '{}',
		description:
			'A JSON object saying where each document field is in the posted JSON: a field name, a dotted path or a JSON Pointer, e.g. {"title": "ticket.subject", "content": "ticket.body", "external_id": "ticket.number"}. Unmapped fields are found by their usual names.',
		displayOptions: showFor(['create']),
	},
	{
		displayName: 'Default Metadata',
		name: 'defaultMetadata',
		type: 'json',
		default: '{}',
		description: 'A JSON object of metadata added to every document, e.g. {"source": "helpdesk"}',
		displayOptions: showFor(['create']),
	},
	{
		displayName: 'Callback URL',
		name: 'callbackUrl',
		type: 'string',
		default: '',
		placeholder: 'https://hooks.example.com/rag-done',
		description:
			'Optional: the service POSTs {document_id, version, status} here, signed, when a document from this webhook is completed or failed',
		displayOptions: showFor(['create']),
	},

	// ----------------------------------------------------------------------------------- getMany
	...getManyPagination('webhook'),

	// ----------------------------------------------------------------------------------- test
	{
		displayName: 'Webhook ID',
		name: 'webhookId',
		type: 'string',
		required: true,
		default: '',
		description: 'The ID of the webhook (from Create or Get Many)',
		displayOptions: showFor(['test']),
	},
	{
		displayName: 'Sample Payload',
		name: 'samplePayload',
		type: 'json',
		default: '{}',
		description:
			'The JSON the webhook would receive. Leave {} to let the service build a sample from the field mapping.',
		displayOptions: showFor(['test']),
	},
];
