import { useEffect, useRef, type ReactNode } from 'react';
import { Alert, Button, Card, CopyButton } from '@/components/ui';
import { curlExample, type WebhookCreated } from '@/lib/webhooks';

/** A value the server returns only now, in full and with a copy button, since it cannot be shown again. */
function OnceShownValue({ label, value, testId, copyLabel, children }:
  { label: string; value: string; testId: string; copyLabel: string; children?: ReactNode }) {
  return (
    <div className="space-y-1">
      <p className="text-sm font-medium text-slate-700">{label}</p>
      <div className="flex flex-wrap items-center gap-2">
        <code data-testid={testId} className="min-w-0 flex-1 break-all rounded bg-slate-100 p-2 text-sm">{value}</code>
        <CopyButton value={value} label={copyLabel} />
      </div>
      {children}
    </div>
  );
}

/** The full URL (and on creation the signing secret), shown once, with a curl line that posts to it. */
export function WebhookSecretPanel({ webhook, rotated, onDone }: { webhook: WebhookCreated; rotated: boolean; onDone: () => void }) {
  const heading = useRef<HTMLDivElement>(null);
  useEffect(() => { heading.current?.focus(); }, [webhook]);
  const curl = curlExample(webhook.webhook_url, webhook.config?.field_mapping);
  return (
    <Card title={rotated ? `New URL for “${webhook.name}”` : `Webhook “${webhook.name}” created`}>
      <div ref={heading} tabIndex={-1} className="space-y-4 outline-none">
        <Alert tone="success">
          {rotated
            ? 'The URL was rotated: the old one answers 404 from now on. Copy the new URL now; it is shown only once.'
            : 'Copy the URL and the signing secret now: they are shown only once. Later the list shows the URL masked.'}
        </Alert>
        <OnceShownValue label="Webhook URL" value={webhook.webhook_url} testId="webhook-url" copyLabel="Copy URL" />
        {webhook.signing_secret && (
          <OnceShownValue label="Signing secret" value={webhook.signing_secret} testId="webhook-secret" copyLabel="Copy secret">
            <p className="text-xs text-slate-600">
              Completion callbacks carry <code>X-RAG-Signature: sha256=&lt;HMAC-SHA256 of the raw body&gt;</code> keyed with it.
            </p>
          </OnceShownValue>
        )}
        <div className="space-y-1">
          <div className="flex flex-wrap items-center justify-between gap-2">
            <p className="text-sm font-medium text-slate-700">Try it: post JSON to the URL (no credential needed)</p>
            <CopyButton value={curl} label="Copy curl command" />
          </div>
          <pre tabIndex={0} aria-label="curl example" className="overflow-x-auto rounded bg-slate-900 p-3 text-xs text-slate-100"><code>{curl}</code></pre>
        </div>
        <Button variant="secondary" onClick={onDone}>Done, I have copied them</Button>
      </div>
    </Card>
  );
}
