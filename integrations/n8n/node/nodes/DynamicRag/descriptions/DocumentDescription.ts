import type { INodeProperties } from 'n8n-workflow';

import { getManyPagination } from './pagination';

const showFor = (operation: string[]) => ({ show: { resource: ['document'], operation } });

/** Ingestion operations: they submit work and can wait for it. */
export const INGEST_OPERATIONS = ['ingestText', 'ingestFile', 'ingestUrl', 'ingestBatch'];

export const documentOperations: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['document'] } },
		options: [
			{
				name: 'Delete',
				value: 'delete',
				description: 'Delete a document with all its versions, chunks and files',
				action: 'Delete a document',
			},
			{
				name: 'Get',
				value: 'get',
				description: 'Get a document: status, counts, metadata, timings',
				action: 'Get a document',
			},
			{
				name: 'Get Many',
				value: 'getMany',
				description: 'Get many documents',
				action: 'Get many documents',
			},
			{
				name: 'Get Status',
				value: 'getStatus',
				description: 'Get the processing status of a document',
				action: 'Get the status of a document',
			},
			{
				name: 'Get Versions',
				value: 'getVersions',
				description: 'Get the version history of a document, one item per version',
				action: 'Get the versions of a document',
			},
			{
				name: 'Ingest Batch',
				value: 'ingestBatch',
				description:
					'Ingest every input item as a text document, up to 100 per request, one result per item',
				action: 'Ingest items as a batch of documents',
			},
			{
				name: 'Ingest File',
				value: 'ingestFile',
				description: 'Upload a file (PDF, DOCX, HTML, Markdown, text) from binary data',
				action: 'Ingest a file',
			},
			{
				name: 'Ingest Text',
				value: 'ingestText',
				description: 'Ingest a text, Markdown or HTML document',
				action: 'Ingest a text document',
			},
			{
				name: 'Ingest URL',
				value: 'ingestUrl',
				description: 'Let the service fetch a web page and ingest its main content',
				action: 'Ingest a web page',
			},
			{
				name: 'Reprocess',
				value: 'reprocess',
				description:
					'Run the latest version through the pipeline again (e.g. after a chunking change)',
				action: 'Reprocess a document',
			},
		],
		default: 'ingestText',
	},
];

const metadataField: INodeProperties = {
	displayName: 'Metadata',
	name: 'metadata',
	type: 'json',
	default: '{}',
	description:
		'A JSON object of key/value pairs stored with the document, usable as a search filter, e.g. {"team": "finance"}',
};

const externalIdField: INodeProperties = {
	displayName: 'External ID',
	name: 'externalId',
	type: 'string',
	default: '',
	description:
		'Your identifier of the document: sending the same External ID again with changed content makes a new version instead of a new document',
};

const sourceUrlField: INodeProperties = {
	displayName: 'Source URL',
	name: 'sourceUrl',
	type: 'string',
	default: '',
	placeholder: 'https://example.com/page',
	description:
		'Where the document comes from; without an External ID it identifies the document (same URL, new content: a new version)',
};

const titleField: INodeProperties = {
	displayName: 'Title',
	name: 'title',
	type: 'string',
	default: '',
	description: 'The title of the document',
};

/** Options of every operation that submits work (the ingest operations and Reprocess). */
const submitOptions: INodeProperties = {
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	displayOptions: showFor([...INGEST_OPERATIONS, 'reprocess']),
	options: [
		{
			displayName: 'Idempotency Key',
			name: 'idempotencyKey',
			type: 'string',
			default: '',
			description:
				'Sent as the Idempotency-Key header: a retried request with the same key returns the first answer instead of doing the work twice. Empty: a key derived from the execution, the node and the item, so that "Retry On Fail" never makes a second version. For Ingest Batch split into several requests, "-1", "-2", ... is appended.',
		},
		{
			displayName: 'Poll Interval (Seconds)',
			name: 'pollInterval',
			type: 'number',
			typeOptions: { minValue: 0.1, numberPrecision: 1 },
			default: 2,
			description: 'How often to ask for the status while waiting for completion',
		},
		{
			displayName: 'Timeout (Seconds)',
			name: 'timeout',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 300,
			description:
				'How long to wait for completion before the node fails (the document keeps processing on the service)',
		},
		{
			displayName: 'Wait for Completion',
			name: 'waitForCompletion',
			type: 'boolean',
			default: false,
			description:
				'Whether to wait until the document is processed (status completed or failed) and output its final status, instead of returning as soon as it is accepted',
		},
	],
};

export const documentFields: INodeProperties[] = [
	// ----------------------------------------------------------------------------------- ingestText, ingestBatch
	{
		displayName: 'Title',
		name: 'title',
		type: 'string',
		required: true,
		default: '',
		description: 'The title of the document',
		displayOptions: showFor(['ingestText', 'ingestBatch']),
	},
	{
		displayName: 'Content',
		name: 'content',
		type: 'string',
		required: true,
		typeOptions: { rows: 5 },
		default: '',
		description: 'The text of the document',
		displayOptions: showFor(['ingestText', 'ingestBatch']),
	},
	{
		displayName: 'Document Type',
		name: 'docType',
		type: 'options',
		options: [
			{ name: 'HTML', value: 'html' },
			{ name: 'Markdown', value: 'md' },
			{ name: 'Plain Text', value: 'txt' },
		],
		default: 'txt',
		description: 'How the content is parsed',
		displayOptions: showFor(['ingestText', 'ingestBatch']),
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: showFor(['ingestText', 'ingestBatch']),
		options: [externalIdField, metadataField, sourceUrlField],
	},

	// ----------------------------------------------------------------------------------- ingestFile
	{
		displayName: 'Input Binary Field',
		name: 'binaryPropertyName',
		type: 'string',
		required: true,
		default: 'data',
		hint: 'The name of the input binary field containing the file to be uploaded',
		displayOptions: showFor(['ingestFile']),
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: showFor(['ingestFile']),
		options: [
			externalIdField,
			metadataField,
			sourceUrlField,
			{ ...titleField, description: 'The title of the document (default: the file name)' },
		],
	},

	// ----------------------------------------------------------------------------------- ingestUrl
	{
		displayName: 'URL',
		name: 'url',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'https://example.com/docs/getting-started',
		description: 'The public web page to fetch (http or https)',
		displayOptions: showFor(['ingestUrl']),
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: showFor(['ingestUrl']),
		options: [
			externalIdField,
			metadataField,
			{ ...titleField, description: 'The title of the document (default: the page title)' },
		],
	},

	submitOptions,

	// ----------------------------------------------------------------------------------- by id
	{
		displayName: 'Document ID',
		name: 'documentId',
		type: 'string',
		required: true,
		default: '',
		description: 'The document_id the ingestion answered',
		displayOptions: showFor(['get', 'getStatus', 'getVersions', 'delete', 'reprocess']),
	},

	// ----------------------------------------------------------------------------------- getMany
	...getManyPagination('document'),
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		displayOptions: showFor(['getMany']),
		options: [
			{
				displayName: 'Status',
				name: 'status',
				type: 'options',
				options: [
					{ name: 'Completed', value: 'completed' },
					{ name: 'Failed', value: 'failed' },
					{ name: 'Processing', value: 'processing' },
				],
				default: 'completed',
				description: 'Only documents with this status',
			},
		],
	},
];
