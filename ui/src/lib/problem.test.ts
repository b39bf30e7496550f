import { describe, expect, it } from 'vitest';
import { fieldErrors, messageFor } from './problem';

describe('fieldErrors', () => {
  it('splits a validation detail into one message per snake_case field', () => {
    const parsed = fieldErrors('Invalid request: email: must be a well-formed email address; password: must be 8 to 72 characters');
    expect(parsed.fields).toEqual({ email: 'must be a well-formed email address', password: 'must be 8 to 72 characters' });
    expect(parsed.general).toEqual([]);
  });

  it('reads configuration problems and keeps sentences that name no field as general', () => {
    const parsed = fieldErrors('Invalid configuration: chunking_overlap: must be below chunking_size; Something else went wrong');
    expect(parsed.fields).toEqual({ chunking_overlap: 'must be below chunking_size' });
    expect(parsed.general).toEqual(['Something else went wrong']);
  });

  it('keeps a lower-case clause after a semicolon with the field it continues', () => {
    const parsed = fieldErrors("Invalid configuration: embedding_model: text-embedding-3-small needs the tenant's OpenAI key; set openai_api_key in the same request or before");
    expect(parsed.fields).toEqual({ embedding_model: "text-embedding-3-small needs the tenant's OpenAI key; set openai_api_key in the same request or before" });
    expect(parsed.general).toEqual([]);
  });

  it('keeps a plain sentence whole across its semicolon', () => {
    expect(fieldErrors('This account is suspended; contact support').general).toEqual(['This account is suspended; contact support']);
  });

  it('names the field of a wrong JSON type', () => {
    expect(fieldErrors('Invalid value for top_k: Cannot deserialize value of type `int`').fields)
      .toEqual({ top_k: 'Cannot deserialize value of type `int`' });
  });

  it('keeps a plain detail whole', () => {
    expect(fieldErrors('Invalid email or password')).toEqual({ fields: {}, general: ['Invalid email or password'] });
    expect(fieldErrors(undefined)).toEqual({ fields: {}, general: [] });
  });

  it('finds a nested field under its parent', () => {
    expect(messageFor({ 'metadata.trip': 'too long' }, 'metadata')).toBe('too long');
    expect(messageFor({}, 'metadata')).toBeUndefined();
  });
});
