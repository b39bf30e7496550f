import { useMutation } from '@tanstack/react-query';
import { Alert, Button, Card, CopyButton, ErrorState } from '@/components/ui';
import { api } from '@/lib/api';
import type { ApiKeyAnswer } from '@/lib/settings';

/** A new API key for automation (n8n, scripts, MCP clients); the old one stops working at once. */
export function ApiKeyCard() {
  const rotate = useMutation({
    mutationFn: () => api<ApiKeyAnswer>('/api/customers/api-key', { method: 'POST' }),
  });

  function confirmRotate() {
    if (window.confirm('Rotate your API key? The current key stops working at once: every workflow, script and MCP client using it must get the new one.')) {
      rotate.mutate();
    }
  }

  return (
    <Card title="API key">
      <div className="space-y-4">
        <p className="text-sm text-slate-700">
          Automation (n8n, scripts, MCP clients) sends the key as <code>X-API-Key</code>. It is stored only as a hash,
          so a lost key cannot be shown again: rotate it to get a new one.
        </p>
        {rotate.error && <ErrorState error={rotate.error} />}
        {rotate.data && (
          <div className="space-y-3">
            <Alert tone="success">New API key created; the old key no longer works. Copy it now: it is shown only once.</Alert>
            <div className="flex flex-wrap items-center gap-2">
              <code data-testid="api-key" className="min-w-0 flex-1 break-all rounded bg-slate-100 p-2 text-sm">{rotate.data.api_key}</code>
              <CopyButton value={rotate.data.api_key} label="Copy key" />
            </div>
            <p className="text-sm text-slate-700">Prefix (how it is listed later): <code>{rotate.data.api_key_prefix}</code></p>
          </div>
        )}
        <Button variant="danger" disabled={rotate.isPending} onClick={confirmRotate}>
          {rotate.isPending ? 'Rotating…' : 'Rotate API key'}
        </Button>
      </div>
    </Card>
  );
}
