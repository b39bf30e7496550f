import { useState } from 'react';
import { Alert, Button, Card, TextAreaField } from '@/components/ui';
import { useFormSubmit } from '@/hooks/useFormSubmit';
import { api } from '@/lib/api';
import { keyValueLines } from '@/lib/search';
import { parseSample, type Webhook, type WebhookPreview } from '@/lib/webhooks';

/** A dry run: what the webhook would store for a posted sample. Nothing is stored and it does not count as a trigger. */
export function WebhookTestPanel({ webhook, onClose }: { webhook: Webhook; onClose: () => void }) {
  const [local, setLocal] = useState<string | undefined>();
  const [preview, setPreview] = useState<WebhookPreview | null>(null);
  const submit = useFormSubmit(async (form) => {
    setPreview(null);
    const sample = parseSample(String(form.get('sample') ?? ''));
    setLocal(sample.error);
    if (sample.error) return;
    setPreview(await api<WebhookPreview>(`/api/webhooks/${webhook.id}/test`, { method: 'POST', body: sample.body }));
  });
  const serverMessage = [...Object.entries(submit.fields).map(([field, message]) => `${field}: ${message}`), ...submit.general].join('; ');
  const error = local ?? (serverMessage || undefined);

  return (
    <Card title={`Test “${webhook.name}”`}>
      <form className="space-y-4" onSubmit={submit.onSubmit} noValidate>
        <TextAreaField id="webhook-test-sample" name="sample" label="Sample JSON" autoFocus rows={6}
                       hint="What your workflow would post. Empty: the service builds a sample from the field mapping."
                       error={error} />
        <div className="flex flex-wrap gap-2">
          <Button type="submit" disabled={submit.busy}>{submit.busy ? 'Testing…' : 'Run test'}</Button>
          <Button variant="secondary" onClick={onClose}>Close</Button>
        </div>
      </form>
      {preview && (
        <div className="mt-4 space-y-3">
          <Alert tone="success">Nothing was stored. This is the document the webhook would ingest:</Alert>
          <dl className="grid gap-x-4 gap-y-2 text-sm sm:grid-cols-[10rem_1fr]">
            <dt className="font-medium text-slate-700">Title</dt><dd className="break-words">{preview.title ?? '–'}</dd>
            <dt className="font-medium text-slate-700">Document type</dt><dd>{preview.doc_type ?? '–'}</dd>
            <dt className="font-medium text-slate-700">External ID</dt><dd className="break-words">{preview.external_id ?? '–'}</dd>
            <dt className="font-medium text-slate-700">Source URL</dt><dd className="break-all">{preview.source_url ?? '–'}</dd>
            <dt className="font-medium text-slate-700">Metadata</dt>
            <dd><pre className="whitespace-pre-wrap break-all font-mono text-xs">{keyValueLines(preview.metadata) || '–'}</pre></dd>
            <dt className="font-medium text-slate-700">Content</dt>
            <dd><pre tabIndex={0} aria-label="Content that would be stored" className="max-h-60 overflow-auto whitespace-pre-wrap break-words rounded bg-slate-50 p-2 text-xs">{preview.content_preview ?? '–'}</pre></dd>
          </dl>
        </div>
      )}
    </Card>
  );
}
