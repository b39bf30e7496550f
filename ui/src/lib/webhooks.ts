/**
 * Webhook management on the client: the shapes of /api/webhooks, the config built from the form (and back), and the
 * curl line that shows how a workflow posts to a webhook. Pure functions, tested in webhooks.test.ts.
 */
import { keyValueLines, parseKeyValueLines } from './search';

export interface WebhookFieldMapping {
  title?: string | null;
  content?: string | null;
  external_id?: string | null;
  source_url?: string | null;
  doc_type?: string | null;
}

export interface WebhookConfig {
  field_mapping?: WebhookFieldMapping | null;
  default_metadata?: Record<string, string> | null;
  callback_url?: string | null;
  doc_type?: string | null;
}

/** A webhook as GET /api/webhooks lists it: the URL masked, never the signing secret. */
export interface Webhook {
  id: string;
  name: string;
  webhook_url: string;
  trigger_type: string;
  config: WebhookConfig | null;
  is_active: boolean;
  last_triggered_at: string | null;
  created_at: string;
}

export interface WebhookList {
  webhooks: Webhook[];
}

/** POST /api/webhooks and POST .../rotate: the full URL (and, on create, the signing secret), shown once. */
export interface WebhookCreated extends Webhook {
  signing_secret?: string;
}

/** POST .../test: what the webhook would store for a sample; nothing is stored. */
export interface WebhookPreview {
  title: string | null;
  content_preview: string | null;
  doc_type: string | null;
  external_id: string | null;
  source_url: string | null;
  metadata: Record<string, string> | null;
}

/** The editable part of a webhook, as the form holds it (text). */
export interface WebhookFormValues {
  name: string;
  is_active: boolean;
  title_path: string;
  content_path: string;
  external_id_path: string;
  metadata: string;
  callback_url: string;
}

export const EMPTY_WEBHOOK_FORM: WebhookFormValues = {
  name: '', is_active: true, title_path: '', content_path: '', external_id_path: '', metadata: '', callback_url: '',
};

/** The form's starting values for an existing webhook. */
export function webhookFormValues(webhook: Webhook): WebhookFormValues {
  const mapping = webhook.config?.field_mapping ?? {};
  return {
    name: webhook.name,
    is_active: webhook.is_active,
    title_path: mapping.title ?? '',
    content_path: mapping.content ?? '',
    external_id_path: mapping.external_id ?? '',
    metadata: keyValueLines(webhook.config?.default_metadata),
    callback_url: webhook.config?.callback_url ?? '',
  };
}

/**
 * The `config` to send. A given config replaces the stored one whole, so what the form does not edit
 * (the source_url and doc_type mappings, the default doc_type) is carried over from `base`. Empty entries are left out.
 */
export function buildWebhookConfig(values: WebhookFormValues, base?: WebhookConfig | null):
  { config: WebhookConfig; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const mapping: WebhookFieldMapping = {};
  const kept = base?.field_mapping ?? {};
  if (kept.source_url) mapping.source_url = kept.source_url;
  if (kept.doc_type) mapping.doc_type = kept.doc_type;
  const paths: [keyof WebhookFieldMapping, string][] = [
    ['title', values.title_path], ['content', values.content_path], ['external_id', values.external_id_path]];
  for (const [field, path] of paths) {
    if (path.trim()) mapping[field] = path.trim();
  }

  const config: WebhookConfig = {};
  if (Object.keys(mapping).length) config.field_mapping = mapping;
  const metadata = parseKeyValueLines(values.metadata);
  if (metadata.errors.length) errors['config.default_metadata'] = metadata.errors.join('; ');
  else if (Object.keys(metadata.values).length) config.default_metadata = metadata.values;
  if (values.callback_url.trim()) config.callback_url = values.callback_url.trim();
  if (base?.doc_type) config.doc_type = base.doc_type;
  if (!values.name.trim()) errors.name = 'Enter a name.';
  return { config, errors };
}

/** A shell-safe single-quoted string. */
function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** A JSON body for the curl example: shaped by the field mapping when there is one, else the generic names. */
export function examplePayload(mapping: WebhookFieldMapping | null | undefined): Record<string, unknown> {
  const payload: Record<string, unknown> = {};
  const put = (path: string | null | undefined, fallback: string, value: string) => {
    const segments = (path?.trim() || fallback).replace(/^\//, '').split(/[./]/).filter(Boolean);
    let node = payload;
    segments.forEach((segment, index) => {
      if (index === segments.length - 1) {
        node[segment] = value;
      } else {
        if (typeof node[segment] !== 'object' || node[segment] === null) node[segment] = {};
        node = node[segment] as Record<string, unknown>;
      }
    });
  };
  put(mapping?.title, 'title', 'Example title');
  put(mapping?.content, 'content', 'The text to make searchable.');
  if (mapping?.external_id) put(mapping.external_id, 'external_id', 'example-1');
  return payload;
}

/** How a workflow (or a person testing) posts to the webhook's URL: no credential, the URL is the secret. */
export function curlExample(url: string, mapping?: WebhookFieldMapping | null): string {
  return `curl -s -X POST ${shellQuote(url)} \\\n  -H 'Content-Type: application/json' \\\n  -d ${shellQuote(JSON.stringify(examplePayload(mapping)))}`;
}

/** The sample for POST .../test: empty means "let the service build one from the mapping" (no body). */
export function parseSample(text: string): { body?: unknown; error?: string } {
  if (!text.trim()) return {};
  try {
    const body = JSON.parse(text) as unknown;
    if (body === null || typeof body !== 'object') return { error: 'must be a JSON object (or an array of them)' };
    return { body };
  } catch (error) {
    return { error: `is not valid JSON: ${(error as Error).message}` };
  }
}

/** The fields of the webhook forms, as the API names them in its 400s. */
export const WEBHOOK_FIELDS = ['name', 'is_active', 'config.field_mapping.title', 'config.field_mapping.content',
  'config.field_mapping.external_id', 'config.field_mapping', 'config.default_metadata', 'config.callback_url', 'config'];
