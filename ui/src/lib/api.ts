import { currentToken, refreshSession, tokenExpiring, REFRESH_COOKIE_HEADER } from './auth';
import type { Problem } from './problem';

/** A failed call: the server's problem+json, or a made-up one when the network or the body failed. */
export class ApiError extends Error {
  readonly status: number;
  readonly problem: Problem;

  constructor(problem: Problem) {
    super(problem.detail);
    this.name = 'ApiError';
    this.status = problem.status;
    this.problem = problem;
  }
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  body?: unknown;
  headers?: Record<string, string>;
  /** Sends the body as is (FormData, Blob) instead of as JSON. */
  raw?: boolean;
  signal?: AbortSignal;
  /** Login and sign-up: the refresh token comes back as an HttpOnly cookie. */
  refreshCookie?: boolean;
  /** Called with the text, not JSON (CSV export). */
  text?: boolean;
}

type UnauthorizedHandler = () => void;
let onUnauthorized: UnauthorizedHandler = () => {};

/** Who hears that the session is gone for good (the router sends the user to /login). */
export function setUnauthorizedHandler(handler: UnauthorizedHandler): void {
  onUnauthorized = handler;
}

/** The server's problem+json, or a sentence of our own when the body is not one. */
function problemOf(status: number, statusText: string, contentType: string, body: string): Problem {
  if (contentType.includes('json')) {
    try {
      const parsed = JSON.parse(body) as Partial<Problem>;
      return { ...parsed, status, detail: parsed.detail ?? parsed.title ?? statusText };
    } catch {
      // fall through to the generic message
    }
  }
  return { status, detail: `The server answered ${status} ${statusText}`.trim() };
}

function buildInit(options: RequestOptions, token: string | null): RequestInit {
  const headers: Record<string, string> = { Accept: 'application/json', ...options.headers };
  if (token) headers.Authorization = `Bearer ${token}`;
  if (options.refreshCookie) headers[REFRESH_COOKIE_HEADER] = '1';
  let body: BodyInit | undefined;
  if (options.body !== undefined) {
    if (options.raw) {
      body = options.body as BodyInit;
    } else {
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(options.body);
    }
  }
  return { method: options.method ?? 'GET', headers, body, signal: options.signal, credentials: 'same-origin' };
}

/**
 * Calls the API with the session's JWT. A 401 gets one refresh and one retry; a second 401 ends the session.
 * Errors always reject with an ApiError that carries the server's detail.
 */
export async function api<T>(path: string, options: RequestOptions = {}): Promise<T> {
  if (tokenExpiring()) await refreshSession();
  let response: Response;
  try {
    response = await fetch(path, buildInit(options, currentToken()));
    if (response.status === 401 && currentToken() !== null && !path.startsWith('/api/auth/')) {
      const renewed = await refreshSession();
      if (renewed) response = await fetch(path, buildInit(options, renewed));
    }
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    throw new ApiError({ status: 0, detail: 'The service cannot be reached. Check your connection and try again.' });
  }
  if (response.status === 401 && !path.startsWith('/api/auth/login') && !path.startsWith('/api/auth/signup')) {
    onUnauthorized();
  }
  if (!response.ok) {
    throw new ApiError(problemOf(response.status, response.statusText,
      response.headers.get('content-type') ?? '', await response.text()));
  }
  if (response.status === 204) return undefined as T;
  if (options.text) return (await response.text()) as T;
  const type = response.headers.get('content-type') ?? '';
  return (type.includes('json') ? await response.json() : await response.text()) as T;
}

/** Upload with progress (fetch has no upload progress): XMLHttpRequest with the same auth and error handling. */
export function uploadWithProgress<T>(path: string, form: FormData, onProgress: (fraction: number) => void,
                                      headers: Record<string, string> = {}): Promise<T> {
  const send = (token: string | null) => new Promise<{ status: number; statusText: string; body: string; type: string }>((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open('POST', path);
    request.setRequestHeader('Accept', 'application/json');
    if (token) request.setRequestHeader('Authorization', `Bearer ${token}`);
    Object.entries(headers).forEach(([name, value]) => request.setRequestHeader(name, value));
    request.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    };
    request.onload = () => resolve({
      status: request.status, statusText: request.statusText, body: request.responseText,
      type: request.getResponseHeader('content-type') ?? '',
    });
    request.onerror = () => reject(new ApiError({
      status: 0, detail: 'The upload was interrupted: the service cannot be reached.',
    }));
    request.send(form);
  });
  return (async () => {
    if (tokenExpiring()) await refreshSession();
    let answer = await send(currentToken());
    if (answer.status === 401) {
      const renewed = await refreshSession();
      if (renewed) answer = await send(renewed);
      else onUnauthorized();
    }
    if (answer.status < 200 || answer.status >= 300) {
      throw new ApiError(problemOf(answer.status, answer.statusText, answer.type, answer.body));
    }
    onProgress(1);
    return JSON.parse(answer.body) as T;
  })();
}
