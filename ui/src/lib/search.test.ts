import { describe, expect, it } from 'vitest';
import { claimFieldMessages, fieldErrors } from './problem';
import { buildSearchRequest, highlightParts, keyValueLines, parseKeyValueLines, queryTerms,
  relativeScore, SEARCH_FIELDS, type SearchInput } from './search';

const blank: SearchInput = {
  target: 'documents', query: 'coffee budget', mode: 'hybrid', top_k: '10', doc_type: '', metadata: '',
  created_after: '', created_before: '',
};

describe('buildSearchRequest', () => {
  it('sends only the query, top_k and mode when no filter is set', () => {
    expect(buildSearchRequest(blank)).toEqual({
      path: '/search', body: { query: 'coffee budget', top_k: 10, mode: 'hybrid' }, errors: {},
    });
  });

  it('sends every filter that is set, dates as ISO dates and metadata as an object', () => {
    const built = buildSearchRequest({
      ...blank, query: '  boiler  ', mode: 'keyword', top_k: '5', doc_type: 'md',
      metadata: 'team = finance\n\nregion=eu=west\n', created_after: '2026-01-01', created_before: '2026-07-01',
    });
    expect(built.errors).toEqual({});
    expect(built.body).toEqual({
      query: 'boiler', top_k: 5, mode: 'keyword',
      filters: { doc_type: 'md', metadata: { team: 'finance', region: 'eu=west' }, created_after: '2026-01-01',
        created_before: '2026-07-01' },
    });
  });

  it('posts to the catalog without a mode', () => {
    const built = buildSearchRequest({ ...blank, target: 'catalog', mode: 'vector' });
    expect(built.path).toBe('/search/catalog');
    expect(built.body).toEqual({ query: 'coffee budget', top_k: 10 });
  });

  it('uses the default top_k when the field is empty and leaves range checks to the server', () => {
    expect(buildSearchRequest({ ...blank, top_k: '' }).body.top_k).toBe(10);
    expect(buildSearchRequest({ ...blank, top_k: '500' })).toMatchObject({ body: { top_k: 500 }, errors: {} });
    expect(buildSearchRequest({ ...blank, top_k: '2.5' }).errors.top_k).toMatch(/whole number/);
  });

  it('reports a blank query, bad metadata lines and bad dates under the API field names', () => {
    const built = buildSearchRequest({
      ...blank, query: '   ', metadata: 'team=finance\nnonsense\n=x\nteam=ops', created_after: '2026-02-30',
    });
    expect(built.errors.query).toBeDefined();
    expect(built.errors['filters.metadata']).toBe(
      'line 2 ("nonsense") is not key=value; line 3 has no key before "="; line 4 repeats the key "team"');
    expect(built.errors['filters.created_after']).toMatch(/YYYY-MM-DD/);
  });

  it('refuses a date range that ends before it starts', () => {
    const built = buildSearchRequest({ ...blank, created_after: '2026-05-01', created_before: '2026-05-01' });
    expect(built.errors['filters.created_before']).toBeDefined();
  });

  it('falls back to hybrid for an unknown mode', () => {
    expect(buildSearchRequest({ ...blank, mode: 'fuzzy' }).body.mode).toBe('hybrid');
  });
});

describe('key=value lines', () => {
  it('round-trips metadata', () => {
    const values = { source: 'helpdesk', team: 'it' };
    expect(parseKeyValueLines(keyValueLines(values))).toEqual({ values, errors: [] });
  });
});

describe('highlighting', () => {
  it('finds each query word once, longest first, ignoring one-letter words and punctuation', () => {
    expect(queryTerms('Coffee, a budget? coffee!')).toEqual(['coffee', 'budget']);
  });

  it('marks the query words in the text, case-insensitively', () => {
    expect(highlightParts('The Coffee budget is tight', 'coffee budget')).toEqual([
      { text: 'The ', match: false }, { text: 'Coffee', match: true }, { text: ' ', match: false },
      { text: 'budget', match: true }, { text: ' is tight', match: false },
    ]);
  });

  it('treats regular-expression characters in the query as text', () => {
    expect(highlightParts('call parse_config_v2 (v2.1)', 'parse_config_v2 (v2.1')).toEqual([
      { text: 'call ', match: false }, { text: 'parse_config_v2', match: true }, { text: ' (', match: false },
      { text: 'v2', match: true }, { text: '.1)', match: false },
    ]);
  });

  it('marks words from their start only and leaves stop words alone', () => {
    expect(highlightParts('Mooring lines in the wings', 'the wing in mooring')).toEqual([
      { text: 'Mooring', match: true }, { text: ' lines in the ', match: false }, { text: 'wing', match: true },
      { text: 's', match: false },
    ]);
    expect(queryTerms('what is the lift of a wing')).toEqual(['lift', 'wing']);
  });

  it('leaves the text whole when nothing matches', () => {
    expect(highlightParts('nothing here', 'zzz')).toEqual([{ text: 'nothing here', match: false }]);
  });
});

describe('relativeScore', () => {
  it('is the fraction of the best score, clamped', () => {
    expect(relativeScore(0.0164, 0.0328)).toBeCloseTo(0.5);
    expect(relativeScore(1, 0)).toBe(0);
    expect(relativeScore(-1, 2)).toBe(0);
  });
});

describe('claimFieldMessages', () => {
  it('moves messages that start with a field name to that field', () => {
    const parsed = fieldErrors('filters.created_after must be an ISO-8601 date (2024-05-01), was "x"');
    expect(claimFieldMessages(parsed.fields, parsed.general, SEARCH_FIELDS)).toEqual({
      fields: { 'filters.created_after': 'filters.created_after must be an ISO-8601 date (2024-05-01), was "x"' },
      general: [],
    });
  });

  it('keeps "field: message" parts and leaves unnamed messages general', () => {
    const parsed = fieldErrors('Invalid request: query: must not be blank; top_k: must be greater than or equal to 1');
    expect(claimFieldMessages(parsed.fields, ['The service is busy'], SEARCH_FIELDS)).toEqual({
      fields: { query: 'must not be blank', top_k: 'must be greater than or equal to 1' },
      general: ['The service is busy'],
    });
  });

  it('does not take a longer word that merely starts with a field name', () => {
    expect(claimFieldMessages({}, ['queryx is odd', 'filters.author is not a known filter'], SEARCH_FIELDS)).toEqual({
      fields: { filters: 'filters.author is not a known filter' }, general: ['queryx is odd'],
    });
  });
});
