import { describe, expect, it } from 'vitest';
import { ApiError } from './api';
import { fieldErrors } from './problem';
import { eventLabel, isFinalStatus, lastPage, listPath, listSearch, parseListParams, shortHash, toFieldError } from './documents';

describe('list view in the query string', () => {
  it('reads status and page', () => {
    expect(parseListParams(new URLSearchParams('status=failed&page=2'))).toEqual({ status: 'failed', page: 2 });
  });

  it('falls back to all documents, page 1, for missing or hand-edited values', () => {
    expect(parseListParams(new URLSearchParams(''))).toEqual({ status: '', page: 1 });
    expect(parseListParams(new URLSearchParams('status=bogus&page=-3'))).toEqual({ status: '', page: 1 });
    expect(parseListParams(new URLSearchParams('page=abc'))).toEqual({ status: '', page: 1 });
  });

  it('writes only what differs from the default, so a round trip is stable', () => {
    expect(listSearch({ status: '', page: 1 }).toString()).toBe('');
    expect(listSearch({ status: 'failed', page: 2 }).toString()).toBe('status=failed&page=2');
    const params = { status: 'processing' as const, page: 3 };
    expect(parseListParams(listSearch(params))).toEqual(params);
  });

  it('builds the API path with the page size and the optional status', () => {
    expect(listPath({ status: '', page: 1 })).toBe('/api/documents?page=1&size=20');
    expect(listPath({ status: 'completed', page: 4 })).toBe('/api/documents?page=4&size=20&status=completed');
  });

  it('knows the last page of a total', () => {
    expect(lastPage(0)).toBe(1);
    expect(lastPage(20)).toBe(1);
    expect(lastPage(21)).toBe(2);
  });
});

describe('statuses and events', () => {
  it('tells final statuses from work in progress', () => {
    expect(isFinalStatus('processing')).toBe(false);
    expect(isFinalStatus(undefined)).toBe(false);
    for (const status of ['completed', 'failed', 'deleted']) expect(isFinalStatus(status)).toBe(true);
  });

  it('names event types in plain words', () => {
    expect(eventLabel('DocumentSubmittedEvent')).toBe('Submitted');
    expect(eventLabel('DocumentParsedEvent')).toBe('Parsed');
    expect(eventLabel('DocumentProcessingFailedEvent')).toBe('Processing failed');
    expect(eventLabel('DocumentRetryRequestedEvent')).toBe('Retry requested');
    expect(eventLabel('TenantConfigChangedEvent')).toBe('Tenant config changed');
  });

  it('shortens hashes', () => {
    expect(shortHash('1d36d8aff9d27ba0a60cc9d7d0fa63db')).toBe('1d36d8aff9d2…');
    expect(shortHash(null)).toBe('–');
  });
});

describe('errors re-addressed to a field', () => {
  const refused = new ApiError({ status: 400, detail: 'refused: 127.0.0.1 is a loopback address' });

  it('puts an answer that names no form field next to the given field', () => {
    const parsed = fieldErrors((toFieldError(refused, 'url', ['url', 'title']) as ApiError).problem.detail);
    expect(parsed).toEqual({ fields: { url: 'refused: 127.0.0.1 is a loopback address' }, general: [] });
  });

  it('keeps answers that already name the form fields', () => {
    const blank = new ApiError({ status: 400, detail: 'Invalid request: url: must not be blank' });
    expect(toFieldError(blank, 'url', ['url', 'title'])).toBe(blank);
  });

  it('re-addresses only the chosen statuses and leaves other errors alone', () => {
    const conflict = new ApiError({ status: 409, detail: 'The account has reached max_documents' });
    expect(toFieldError(conflict, 'file', ['file', 'title'], [400, 413, 415])).toBe(conflict);
    const tooLarge = new ApiError({ status: 413, detail: 'The file is larger than 10 MB; the limit is 5 MB' });
    const moved = toFieldError(tooLarge, 'file', ['file', 'title'], [400, 413, 415]) as ApiError;
    expect(fieldErrors(moved.problem.detail).fields.file).toBe('The file is larger than 10 MB; the limit is 5 MB');
    const plain = new Error('boom');
    expect(toFieldError(plain, 'file', ['file'])).toBe(plain);
  });
});
