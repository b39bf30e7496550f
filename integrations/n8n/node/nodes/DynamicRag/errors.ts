/**
 * What an HTTP failure says, whatever shape it reaches the node in: n8n's `httpRequestWithAuthentication` throws
 * a `NodeApiError` wrapping the axios error (`httpCode`, `context.data` = the parsed body, `cause.response`), a
 * raw axios error has `response.{status,data,headers}`. The service answers `application/problem+json`
 * (`{type, title, status, detail, instance}`); its `detail` names the problem and is what the user should read.
 */
import type { IDataObject, INode, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { InvalidParameterError } from './requests';

export interface HttpErrorInfo {
	/** The HTTP status, when the service answered. */
	status?: number;
	/** The problem's `detail` (else its `title`, `message` or `error`). */
	detail?: string;
	/** The parsed problem body. */
	problem?: IDataObject;
	/** Seconds from a `Retry-After` header (429, 409 of an idempotency key still in progress). */
	retryAfterSeconds?: number;
	/** The error's own message (e.g. "Request failed with status code 400", "connect ECONNREFUSED"). */
	message: string;
}

interface ResponseLike {
	status?: unknown;
	data?: unknown;
	headers?: unknown;
}

function asObject(value: unknown): Record<string, unknown> | undefined {
	return typeof value === 'object' && value !== null
		? (value as Record<string, unknown>)
		: undefined;
}

function parseBody(data: unknown): IDataObject | undefined {
	if (typeof data === 'string') {
		try {
			return asObject(JSON.parse(data)) as IDataObject | undefined;
		} catch {
			return undefined;
		}
	}
	if (Buffer.isBuffer(data)) return parseBody(data.toString('utf8'));
	const object = asObject(data);
	return object && !Array.isArray(object) ? (object as IDataObject) : undefined;
}

function header(headers: unknown, name: string): string | undefined {
	const object = asObject(headers);
	if (!object) return undefined;
	const getter = object.get;
	if (typeof getter === 'function') {
		const value = (getter as (n: string) => unknown).call(object, name);
		if (value !== undefined && value !== null) return String(value);
	}
	for (const key of Object.keys(object)) {
		if (key.toLowerCase() === name) {
			const value = object[key];
			return Array.isArray(value) ? String(value[0]) : value == null ? undefined : String(value);
		}
	}
	return undefined;
}

/** `Retry-After`: delay-seconds or an HTTP date. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
	if (value === undefined) return undefined;
	const trimmed = value.trim();
	if (/^\d+$/.test(trimmed)) return Number(trimmed);
	const date = Date.parse(trimmed);
	if (Number.isNaN(date)) return undefined;
	return Math.max(0, Math.ceil((date - now) / 1000));
}

function problemText(problem: IDataObject | undefined): string | undefined {
	if (!problem) return undefined;
	for (const key of ['detail', 'title', 'message', 'error']) {
		const value = problem[key];
		if (typeof value === 'string' && value.trim() !== '') return value.trim();
	}
	return undefined;
}

export function describeHttpError(error: unknown): HttpErrorInfo {
	const root = asObject(error) ?? {};
	const message =
		error instanceof Error ? error.message : typeof error === 'string' ? error : 'Unknown error';
	const info: HttpErrorInfo = { message };

	// the error itself, what it wraps (NodeApiError.cause = the axios error), and one level further
	const layers: Array<Record<string, unknown>> = [];
	let layer: Record<string, unknown> | undefined = root;
	for (let depth = 0; layer && depth < 3; depth++) {
		layers.push(layer);
		layer = asObject(layer.cause);
	}

	for (const candidate of layers) {
		const response = asObject(candidate.response) as ResponseLike | undefined;
		if (response && typeof response.status === 'number') {
			info.status ??= response.status;
			info.problem ??= parseBody(response.data);
			if (info.retryAfterSeconds === undefined) {
				info.retryAfterSeconds = parseRetryAfter(header(response.headers, 'retry-after'));
			}
		}
	}
	// NodeApiError: httpCode and the body it kept in context.data
	if (info.status === undefined && root.httpCode !== undefined && root.httpCode !== null) {
		const code = Number(root.httpCode);
		if (Number.isInteger(code) && code >= 100 && code <= 599) info.status = code;
	}
	if (info.problem === undefined) {
		info.problem = parseBody(asObject(root.context)?.data);
	}
	if (info.status === undefined && typeof info.problem?.status === 'number') {
		info.status = info.problem.status;
	}
	info.detail = problemText(info.problem);
	return info;
}

/** What the request was, for the error's description: `POST /api/ingest/document`. */
export interface RequestSummary {
	method?: string;
	url?: string;
}

function requestLabel(request: RequestSummary | undefined): string | undefined {
	if (!request?.url) return undefined;
	let path = request.url;
	try {
		const url = new URL(request.url);
		path = url.pathname;
	} catch {
		// not absolute: keep as is
	}
	return `${request.method ?? 'GET'} ${path}`;
}

/**
 * The error to throw (or, with Continue On Fail, to report) for an item:
 * - the service answered 4xx/5xx: a NodeApiError whose message is the problem's `detail`, with the status as
 *   `httpCode` and the whole problem in `context.data`;
 * - a parameter could not be used: NodeOperationError with its message;
 * - already an n8n error (e.g. connection refused wrapped by n8n): itself, tagged with the item index.
 */
export function toNodeError(
	node: INode,
	error: unknown,
	itemIndex: number,
	request?: RequestSummary,
): NodeApiError | NodeOperationError {
	if (typeof error === 'object' && error !== null && converted.has(error)) {
		return error as NodeApiError | NodeOperationError;
	}
	const nodeError = convert(node, error, itemIndex, request);
	converted.add(nodeError);
	return nodeError;
}

/** Errors toNodeError made or passed on: converting them again returns them unchanged. */
const converted = new WeakSet<object>();

function convert(
	node: INode,
	error: unknown,
	itemIndex: number,
	request?: RequestSummary,
): NodeApiError | NodeOperationError {
	if (error instanceof NodeOperationError) {
		error.context.itemIndex ??= itemIndex;
		return error;
	}
	if (error instanceof InvalidParameterError) {
		return new NodeOperationError(node, error.message, {
			itemIndex,
			description: error.parameter ? `Check the parameter "${error.parameter}".` : undefined,
		});
	}
	const info = describeHttpError(error);
	if (info.status !== undefined && info.status >= 400) {
		const label = requestLabel(request);
		const title = typeof info.problem?.title === 'string' ? ` ${info.problem.title}` : '';
		const apiError = new NodeApiError(
			node,
			(info.problem ?? { message: info.message }) as JsonObject,
			{
				message: info.detail ?? `The Dynamic RAG service answered HTTP ${info.status}`,
				description: `HTTP ${info.status}${title}${label ? ` from ${label}` : ''}`,
				httpCode: String(info.status),
				itemIndex,
			},
		);
		if (info.problem) apiError.context.data = info.problem;
		return apiError;
	}
	if (error instanceof NodeApiError) {
		error.context.itemIndex ??= itemIndex;
		return error;
	}
	return new NodeApiError(node, (asObject(error) ?? { message: info.message }) as JsonObject, {
		itemIndex,
	});
}
