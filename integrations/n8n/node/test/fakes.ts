/**
 * A small stand-in for n8n's IExecuteFunctions: parameters per item, input items (with binary data), the
 * credential, and an HTTP handler in place of the service. Failures are thrown the way n8n 2.41 throws them from
 * httpRequestWithAuthentication: a NodeApiError wrapping an axios error with `response.{status,data,headers}`.
 */
import type {
	IDataObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	INode,
	INodeExecutionData,
} from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

/** Looks like the error axios throws for a 4xx/5xx (NodeApiError recognises it by its class name). */
export class AxiosError extends Error {
	readonly isAxiosError = true;
	readonly response: { status: number; data: unknown; headers: Record<string, string> };

	constructor(status: number, data: unknown, headers: Record<string, string> = {}) {
		super(`Request failed with status code ${status}`);
		this.name = 'AxiosError';
		this.response = { status, data, headers };
	}
}

/** A problem+json answer, thrown from a handler. */
export function problem(status: number, detail: string, headers: Record<string, string> = {}) {
	return new AxiosError(
		status,
		{ type: 'about:blank', title: titles[status] ?? 'Error', status, detail, instance: '/x' },
		{ 'content-type': 'application/problem+json', ...headers },
	);
}

const titles: Record<number, string> = {
	400: 'Bad Request',
	401: 'Unauthorized',
	404: 'Not Found',
	409: 'Conflict',
	413: 'Payload Too Large',
	429: 'Too Many Requests',
	500: 'Internal Server Error',
};

export type Handler = (options: IHttpRequestOptions) => unknown;

export interface FakeOptions {
	items?: INodeExecutionData[];
	/** Parameter values: a value for every item, or a function of the item index. */
	params: Record<string, unknown>;
	handler: Handler;
	continueOnFail?: boolean;
	executionId?: string;
	nodeName?: string;
	runIndex?: number;
	credentials?: IDataObject;
}

export interface Fake {
	fn: IExecuteFunctions;
	calls: IHttpRequestOptions[];
	credentialTypes: string[];
}

export const NODE: INode = {
	id: 'node-1',
	name: 'Dynamic RAG',
	type: 'n8n-nodes-dynamic-rag.dynamicRag',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

export function fakeExecuteFunctions(options: FakeOptions): Fake {
	const items: INodeExecutionData[] = options.items ?? [{ json: {} }];
	const node: INode = { ...NODE, name: options.nodeName ?? NODE.name };
	const calls: IHttpRequestOptions[] = [];
	const credentialTypes: string[] = [];
	const fake = {
		getInputData: () => items,
		getNode: () => node,
		getExecutionId: () => options.executionId ?? 'exec-1',
		getWorkflowDataProxy: () => ({ $runIndex: options.runIndex ?? 0 }),
		getExecutionCancelSignal: () => undefined,
		continueOnFail: () => options.continueOnFail === true,
		getCredentials: async () =>
			options.credentials ?? { baseUrl: 'http://rag.test:8080/', apiKey: 'drag_test' },
		getNodeParameter: (name: string, itemIndex: number, fallback?: unknown) => {
			const raw = options.params[name];
			const value = typeof raw === 'function' ? (raw as (i: number) => unknown)(itemIndex) : raw;
			if (value !== undefined) return value;
			if (fallback !== undefined) return fallback;
			throw new Error(`Could not get parameter "${name}"`);
		},
		helpers: {
			httpRequestWithAuthentication: async function (
				this: unknown,
				credentialType: string,
				request: IHttpRequestOptions,
			) {
				credentialTypes.push(credentialType);
				calls.push(request);
				try {
					return await options.handler(request);
				} catch (error) {
					// what n8n-core does with a failed request
					throw new NodeApiError(node, error as never);
				}
			},
			getBinaryDataBuffer: async (itemIndex: number, field: string) => {
				const binary = items[itemIndex]?.binary?.[field];
				if (!binary) throw new Error(`no binary ${field}`);
				return Buffer.from(binary.data, 'base64');
			},
		},
	};
	return { fn: fake as unknown as IExecuteFunctions, calls, credentialTypes };
}

/** The path and query of a request URL: `/api/documents?page=1`. */
export function pathOf(request: IHttpRequestOptions): string {
	return new URL(request.url).pathname;
}

/** Parses a multipart/form-data body into its parts (enough for the bodies requests.ts builds). */
export function parseMultipart(
	body: Buffer,
	contentType: string,
): Array<{ headers: Record<string, string>; name: string; fileName?: string; data: Buffer }> {
	const boundary = /boundary=(.+)$/.exec(contentType)?.[1];
	if (!boundary) throw new Error(`no boundary in ${contentType}`);
	const delimiter = Buffer.from(`--${boundary}`);
	const parts: Array<{
		headers: Record<string, string>;
		name: string;
		fileName?: string;
		data: Buffer;
	}> = [];
	let position = body.indexOf(delimiter);
	while (position >= 0) {
		const start = position + delimiter.length;
		if (body.subarray(start, start + 2).toString() === '--') break;
		const next = body.indexOf(delimiter, start);
		const part = body.subarray(start + 2, next - 2); // skip CRLF after the delimiter and before the next
		const split = part.indexOf('\r\n\r\n');
		const headerText = part.subarray(0, split).toString('utf8');
		const headers: Record<string, string> = {};
		for (const line of headerText.split('\r\n')) {
			const colon = line.indexOf(':');
			headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
		}
		const disposition = headers['content-disposition'] ?? '';
		parts.push({
			headers,
			name: /name="([^"]*)"/.exec(disposition)?.[1] ?? '',
			fileName: /filename="([^"]*)"/.exec(disposition)?.[1],
			data: part.subarray(split + 4),
		});
		position = next;
	}
	return parts;
}
