import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	NodeApiError,
	NodeOperationError,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { documentFields, documentOperations } from './descriptions/DocumentDescription';
import { searchFields, searchOperations } from './descriptions/SearchDescription';
import { webhookFields, webhookOperations } from './descriptions/WebhookDescription';
import { describeHttpError, toNodeError } from './errors';
import { CREDENTIAL_TYPE, runBatch, runItemOperation } from './operations';
import { normalizeBaseUrl } from './requests';

/**
 * Dynamic RAG: ingest documents, manage them and their webhooks, and search them.
 *
 * Programmatic style, not declarative, because several operations are more than one mapped request:
 * - Ingest File sends a multipart upload built from the item's n8n binary data (file name and MIME type included),
 *   which declarative routing cannot express;
 * - "Wait for Completion" polls the document's status after the ingestion answer, with an interval, a timeout and
 *   a version check: several dependent requests per item;
 * - Ingest Batch turns ALL input items into one `POST /api/ingest/batch` (split at 100) and pairs each result with
 *   its input item, whereas declarative routing sends one request per item;
 * - every submission carries an automatic Idempotency-Key derived from the execution id, node name, run and item
 *   index, computed in code so that n8n's "Retry On Fail" re-sends the same key;
 * - Get Many pages through the list until Return All / Limit is satisfied.
 */
export class DynamicRag implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Dynamic RAG',
		name: 'dynamicRag',
		icon: {
			light: 'file:../../icons/dynamicRag.svg',
			dark: 'file:../../icons/dynamicRag.dark.svg',
		},
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description:
			'Ingest documents into Dynamic RAG (text, files, web pages, batches), manage them and their webhooks, and search them',
		defaults: {
			name: 'Dynamic RAG',
		},
		// Usable as an AI agent tool: search, catalog, text/URL ingestion and the document look-ups are plain JSON in
		// and out, which is what an agent needs (above all Search). n8n advises against tool use for nodes that work
		// *heavily* with binary data; here only Ingest File reads binary data (tools cannot pass files), and in a
		// tool call it fails with a clear "no binary field" error instead of doing anything unexpected.
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{
				name: CREDENTIAL_TYPE,
				required: true,
			},
		],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Document', value: 'document' },
					{ name: 'Search', value: 'search' },
					{ name: 'Webhook', value: 'webhook' },
				],
				default: 'document',
			},
			...documentOperations,
			...documentFields,
			...searchOperations,
			...searchFields,
			...webhookOperations,
			...webhookFields,
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const resource = this.getNodeParameter('resource', 0) as string;
		const operation = this.getNodeParameter('operation', 0) as string;
		const credentials = await this.getCredentials(CREDENTIAL_TYPE);
		let baseUrl: string;
		try {
			baseUrl = normalizeBaseUrl(credentials.baseUrl);
		} catch (error) {
			throw toNodeError(this.getNode(), error, 0);
		}
		const returnData: INodeExecutionData[] = [];

		// Continue On Fail: `{error, details?}` only. n8n routes such an item to the error output (On Error: Continue
		// (using error output)) by exactly these keys, and it would replace the json of an item that carries an
		// `error` property by `{error: message}`, losing the status; so the error goes into the json instead.
		const errorJson = (error: NodeApiError | NodeOperationError): IDataObject => {
			const json: IDataObject = { error: error.message };
			const details: IDataObject = {};
			const status = describeHttpError(error).status;
			if (status !== undefined) details.status_code = status;
			if (error.description) details.description = error.description;
			if (Object.keys(details).length > 0) json.details = details;
			return json;
		};

		if (resource === 'document' && operation === 'ingestBatch') {
			const outcomes = await runBatch(this, baseUrl, items.length, !this.continueOnFail());
			for (const outcome of outcomes) {
				if ('json' in outcome) {
					returnData.push({ json: outcome.json, pairedItem: { item: outcome.itemIndex } });
				} else {
					returnData.push({
						json: errorJson(outcome.error),
						pairedItem: { item: outcome.itemIndex },
					});
				}
			}
			return [returnData];
		}

		for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
			try {
				const results = await runItemOperation(this, baseUrl, resource, operation, itemIndex);
				for (const json of results) {
					returnData.push({ json, pairedItem: { item: itemIndex } });
				}
			} catch (error) {
				const nodeError = toNodeError(this.getNode(), error, itemIndex);
				if (this.continueOnFail()) {
					returnData.push({ json: errorJson(nodeError), pairedItem: { item: itemIndex } });
					continue;
				}
				throw nodeError;
			}
		}
		return [returnData];
	}
}
