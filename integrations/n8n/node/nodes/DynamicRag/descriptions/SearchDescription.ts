import type { INodeProperties } from 'n8n-workflow';

const showFor = (operation: string[]) => ({ show: { resource: ['search'], operation } });

/** Shared by both operations' options: one item per result, or the whole answer as one item. */
const splitResultsOption: INodeProperties = {
	displayName: 'Split Results',
	name: 'splitResults',
	type: 'boolean',
	default: true,
	description: 'Whether to output one item per result, or one item with the whole answer ({results: [...]})',
};

export const searchOperations: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['search'] } },
		options: [
			{
				name: 'Catalog',
				value: 'catalog',
				description: 'Find the documents about a query: one hit per document, with a summary',
				action: 'Find documents about a query',
			},
			{
				name: 'Search',
				value: 'search',
				description: 'Find the passages (chunks) of your documents that answer a query',
				action: 'Search document chunks',
			},
		],
		default: 'search',
	},
];

export const searchFields: INodeProperties[] = [
	{
		displayName: 'Query',
		name: 'query',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'When was the iron tower in the French capital built?',
		description: 'What to look for (1 to 2000 characters)',
		displayOptions: showFor(['search', 'catalog']),
	},
	{
		displayName: 'Top K',
		name: 'topK',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: 100 },
		default: 10,
		description: 'How many results to return at most (1 to 100)',
		displayOptions: showFor(['search', 'catalog']),
	},
	{
		displayName: 'Mode',
		name: 'mode',
		type: 'options',
		options: [
			{
				name: 'Hybrid',
				value: 'hybrid',
				description: 'Full text (BM25) and vector search fused by reciprocal rank',
			},
			{
				name: 'Keyword',
				value: 'keyword',
				description: 'Full text (BM25) only: exact words, codes, names',
			},
			{
				name: 'Vector',
				value: 'vector',
				description: 'Semantic similarity only: paraphrases',
			},
		],
		default: 'hybrid',
		displayOptions: showFor(['search']),
	},
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		displayOptions: showFor(['search', 'catalog']),
		options: [
			{
				displayName: 'Created After',
				name: 'createdAfter',
				type: 'string',
				default: '',
				placeholder: '2026-01-01',
				description:
					'Only documents created at or after this ISO-8601 date (midnight UTC) or date-time with offset, e.g. 2026-07-01T00:00:00Z',
			},
			{
				displayName: 'Created Before',
				name: 'createdBefore',
				type: 'string',
				default: '',
				placeholder: '2026-07-01T00:00:00Z',
				description:
					'Only documents created before this ISO-8601 date (midnight UTC) or date-time with offset',
			},
			{
				displayName: 'Document IDs',
				name: 'documentIds',
				type: 'string',
				default: '',
				description: 'Only these documents: IDs separated by commas (up to 1000)',
			},
			{
				displayName: 'Document Type',
				name: 'docType',
				type: 'options',
				options: [
					{ name: 'DOCX', value: 'docx' },
					{ name: 'HTML', value: 'html' },
					{ name: 'Markdown', value: 'md' },
					{ name: 'PDF', value: 'pdf' },
					{ name: 'Plain Text', value: 'txt' },
					{ name: 'Web Page', value: 'webpage' },
				],
				default: 'txt',
				description: 'Only documents of this type',
			},
			{
				displayName: 'Metadata',
				name: 'metadata',
				type: 'json',
				default: '{}',
				description:
					'A JSON object: only documents whose metadata holds every pair (values compared as text), e.g. {"team": "finance"}',
			},
		],
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: showFor(['search']),
		options: [
			{
				displayName: 'As of Version',
				name: 'asOfVersion',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: 0,
				description:
					"Search each document's version N instead of its active version (documents without a completed version N are left out); 0 searches the active versions",
			},
			splitResultsOption,
		],
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: showFor(['catalog']),
		options: [
			splitResultsOption,
		],
	},
];
