import { describe, expect, it } from 'vitest';
import { buildWebhookConfig, curlExample, EMPTY_WEBHOOK_FORM, examplePayload, parseSample, webhookFormValues,
  type Webhook } from './webhooks';

const stored: Webhook = {
  id: 'w1', name: 'Helpdesk', webhook_url: 'http://localhost:8080/api/webhooks/in/whk_abc…', trigger_type: 'manual',
  config: {
    field_mapping: { title: 'ticket.subject', content: 'ticket.body', external_id: null, source_url: 'ticket.link', doc_type: null },
    default_metadata: { source: 'helpdesk' }, callback_url: null, doc_type: 'md',
  },
  is_active: true, last_triggered_at: null, created_at: '2026-12-03T06:35:25Z',
};

describe('buildWebhookConfig', () => {
  it('leaves out everything empty', () => {
    expect(buildWebhookConfig({ ...EMPTY_WEBHOOK_FORM, name: 'Tickets' })).toEqual({ config: {}, errors: {} });
  });

  it('sends the mapping, metadata and callback that are filled in, trimmed', () => {
    expect(buildWebhookConfig({
      ...EMPTY_WEBHOOK_FORM, name: 'Tickets', title_path: ' ticket.subject ', content_path: '/ticket/body',
      metadata: 'source=helpdesk\nteam = it', callback_url: ' https://hooks.example.com/done ',
    })).toEqual({
      config: {
        field_mapping: { title: 'ticket.subject', content: '/ticket/body' },
        default_metadata: { source: 'helpdesk', team: 'it' },
        callback_url: 'https://hooks.example.com/done',
      },
      errors: {},
    });
  });

  it('keeps what the form does not edit when it replaces a stored config', () => {
    const values = { ...webhookFormValues(stored), content_path: '', callback_url: '' };
    expect(buildWebhookConfig(values, stored.config).config).toEqual({
      field_mapping: { source_url: 'ticket.link', title: 'ticket.subject' },
      default_metadata: { source: 'helpdesk' },
      doc_type: 'md',
    });
  });

  it('reports bad metadata lines and a blank name under the API field names', () => {
    const { errors } = buildWebhookConfig({ ...EMPTY_WEBHOOK_FORM, name: ' ', metadata: 'source helpdesk' });
    expect(errors).toEqual({
      name: 'Enter a name.',
      'config.default_metadata': 'line 1 ("source helpdesk") is not key=value',
    });
  });
});

describe('webhookFormValues', () => {
  it('shows a stored webhook in the form', () => {
    expect(webhookFormValues(stored)).toEqual({
      name: 'Helpdesk', is_active: true, title_path: 'ticket.subject', content_path: 'ticket.body',
      external_id_path: '', metadata: 'source=helpdesk', callback_url: '',
    });
  });
});

describe('curl example', () => {
  it('shapes the body after the mapping (dotted paths and JSON Pointers)', () => {
    expect(examplePayload({ title: 'ticket.subject', content: '/ticket/body', external_id: 'id' })).toEqual({
      ticket: { subject: 'Example title', body: 'The text to make searchable.' }, id: 'example-1',
    });
    expect(examplePayload(null)).toEqual({ title: 'Example title', content: 'The text to make searchable.' });
  });

  it('quotes the URL and the body for the shell', () => {
    const line = curlExample("http://h/api/webhooks/in/whk_x'y", { title: "it's" });
    expect(line).toContain(`'http://h/api/webhooks/in/whk_x'\\''y'`);
    expect(line).toContain(`-d '{"it'\\''s":"Example title","content":"The text to make searchable."}'`);
  });
});

describe('parseSample', () => {
  it('sends no body for an empty sample, the JSON otherwise', () => {
    expect(parseSample('  ')).toEqual({});
    expect(parseSample('{"a":1}')).toEqual({ body: { a: 1 } });
    expect(parseSample('[{"a":1}]')).toEqual({ body: [{ a: 1 }] });
  });

  it('refuses what is not a JSON object', () => {
    expect(parseSample('{bad').error).toMatch(/not valid JSON/);
    expect(parseSample('42').error).toMatch(/JSON object/);
  });
});
