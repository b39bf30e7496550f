import { describe, expect, it } from 'vitest';
import { fieldErrors } from './problem';
import { claimFieldMessages } from './problem';
import { CONFIG_FIELDS, configChanges, configPollInterval, embeddingSummary, profileChanges, type Profile,
  type TenantConfig } from './settings';

const config: TenantConfig = {
  rate_limit_requests_per_minute: 60, rate_limit_requests_per_day: 10000, max_documents: 10000, max_file_size_mb: 50,
  allowed_document_types: ['pdf', 'txt', 'html', 'md'], chunking_size: 1000, chunking_overlap: 200,
  chunking_strategy: 'fixed', embedding_model: 'all-minilm-l6-v2', active_embedding_model: 'all-minilm-l6-v2',
  embedding_status: 'ready', embedding_error: null, openai_api_key: null, updated_at: '2026-12-03T06:35:19Z',
};

const unchanged = {
  chunking_size: '1000', chunking_overlap: '200', chunking_strategy: 'fixed', embedding_model: 'all-minilm-l6-v2',
  allowed_document_types: ['md', 'html', 'txt', 'pdf'], max_file_size_mb: '50', max_documents: '10000',
};

describe('configChanges', () => {
  it('sends nothing when nothing changed (the order of the types does not matter)', () => {
    expect(configChanges(config, unchanged)).toEqual({ change: {}, errors: {} });
  });

  it('sends only the changed fields, numbers as numbers', () => {
    expect(configChanges(config, {
      ...unchanged, chunking_size: ' 800 ', chunking_strategy: 'semantic', allowed_document_types: ['docx', 'md', 'pdf'],
    })).toEqual({
      change: { chunking_size: 800, chunking_strategy: 'semantic', allowed_document_types: ['pdf', 'md', 'docx'] },
      errors: {},
    });
  });

  it('covers only the fields the form has (the rate-limit form sends rate limits alone)', () => {
    expect(configChanges(config, { rate_limit_requests_per_minute: '120', rate_limit_requests_per_day: '10000' }))
      .toEqual({ change: { rate_limit_requests_per_minute: 120 }, errors: {} });
  });

  it('reports what is not a whole number and an empty type list, and leaves ranges to the server', () => {
    const { change, errors } = configChanges(config, {
      ...unchanged, chunking_size: '', chunking_overlap: '1.5', max_documents: '-3', allowed_document_types: [],
    });
    expect(errors).toEqual({
      chunking_size: 'must be a whole number', chunking_overlap: 'must be a whole number',
      allowed_document_types: 'choose at least one document type',
    });
    expect(change).toEqual({ max_documents: -3 });
  });
});

describe('profileChanges', () => {
  const profile: Profile = {
    customer_id: 'c', email: 'alice@example.com', company_name: null, status: 'active', role: 'tenant',
    created_at: '', updated_at: '',
  };

  it('sends only what differs', () => {
    expect(profileChanges(profile, 'Alice@Example.com ', '')).toEqual({});
    expect(profileChanges(profile, 'bob@example.com', ' Acme ')).toEqual({ email: 'bob@example.com', company_name: 'Acme' });
  });
});

describe('embedding status', () => {
  it('polls every 3 s only while re-embedding', () => {
    expect(configPollInterval({ embedding_status: 'reembedding' })).toBe(3000);
    expect(configPollInterval({ embedding_status: 'ready' })).toBe(false);
    expect(configPollInterval({ embedding_status: 'failed' })).toBe(false);
    expect(configPollInterval(undefined)).toBe(false);
  });

  it('says which model search uses', () => {
    expect(embeddingSummary(config)).toBe('Search uses all-minilm-l6-v2.');
    expect(embeddingSummary({ ...config, embedding_model: 'text-embedding-3-small', embedding_status: 'failed',
      embedding_error: 'the key was rejected' })).toMatch(/failed: the key was rejected\. Search stays on all-minilm-l6-v2/);
  });
});

describe('configuration 400s', () => {
  it('puts each "field must ..." message next to its field', () => {
    const parsed = fieldErrors('Invalid configuration: rate_limit_requests_per_day must be between 1 and 100000000; '
      + 'chunking_overlap must be at least 0 and smaller than chunking_size (10); embedding_model: needs the key');
    expect(claimFieldMessages(parsed.fields, parsed.general, CONFIG_FIELDS)).toEqual({
      fields: {
        embedding_model: 'needs the key',
        rate_limit_requests_per_day: 'rate_limit_requests_per_day must be between 1 and 100000000',
        chunking_overlap: 'chunking_overlap must be at least 0 and smaller than chunking_size (10)',
      },
      general: [],
    });
  });
});
