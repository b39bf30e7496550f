import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Badge, Button, Card, EmptyState, ErrorState, Loading, PageHeader, Table } from '@/components/ui';
import { WebhookForm, type WebhookChange } from '@/components/webhooks/WebhookForm';
import { WebhookSecretPanel } from '@/components/webhooks/WebhookSecretPanel';
import { WebhookTestPanel } from '@/components/webhooks/WebhookTestPanel';
import { api } from '@/lib/api';
import { formatDate } from '@/lib/format';
import { EMPTY_WEBHOOK_FORM, webhookFormValues, type Webhook, type WebhookCreated, type WebhookList } from '@/lib/webhooks';

const WEBHOOKS_KEY = ['webhooks'];

type Panel = { kind: 'edit' | 'test'; id: string } | null;

export function WebhooksPage() {
  const client = useQueryClient();
  const list = useQuery({ queryKey: WEBHOOKS_KEY, queryFn: () => api<WebhookList>('/api/webhooks') });
  const [shown, setShown] = useState<{ webhook: WebhookCreated; rotated: boolean } | null>(null);
  const [panel, setPanel] = useState<Panel>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const refresh = () => client.invalidateQueries({ queryKey: WEBHOOKS_KEY });

  async function create(change: WebhookChange) {
    const created = await api<WebhookCreated>('/api/webhooks', { method: 'POST', body: change });
    setNotice(null);
    setShown({ webhook: created, rotated: false });
    await refresh();
  }

  async function update(webhook: Webhook, change: WebhookChange) {
    await api<Webhook>(`/api/webhooks/${webhook.id}`, { method: 'PUT', body: change });
    setPanel(null);
    setNotice(`Webhook “${change.name}” saved.`);
    await refresh();
  }

  const rotate = useMutation({
    mutationFn: (webhook: Webhook) => api<WebhookCreated>(`/api/webhooks/${webhook.id}/rotate`, { method: 'POST' }),
    onSuccess: async (rotated) => {
      setNotice(null);
      setShown({ webhook: rotated, rotated: true });
      await refresh();
    },
  });

  const remove = useMutation({
    mutationFn: (webhook: Webhook) => api(`/api/webhooks/${webhook.id}`, { method: 'DELETE' }),
    onSuccess: async (_answer, webhook) => {
      if (panel?.id === webhook.id) setPanel(null);
      if (shown?.webhook.id === webhook.id) setShown(null);
      setNotice(`Webhook “${webhook.name}” deleted: its URL answers 404 from now on.`);
      await refresh();
    },
  });

  function confirmRotate(webhook: Webhook) {
    if (window.confirm(`Rotate the URL of “${webhook.name}”? The current URL stops working at once; workflows posting to it must be given the new one.`)) {
      remove.reset();
      rotate.mutate(webhook);
    }
  }

  function confirmDelete(webhook: Webhook) {
    if (window.confirm(`Delete the webhook “${webhook.name}”? Its URL stops working at once. Documents it ingested are kept.`)) {
      rotate.reset();
      remove.mutate(webhook);
    }
  }

  const webhooks = list.data?.webhooks ?? [];
  const current = panel ? webhooks.find((webhook) => webhook.id === panel.id) : undefined;
  const actionError = rotate.error ?? remove.error;

  return (
    <div className="space-y-6">
      <PageHeader title="Webhooks"
                  description="Each webhook gives a workflow (n8n, Zapier, your own code) a URL that ingests whatever JSON it posts. The URL is the credential: no header is needed." />

      {shown && <WebhookSecretPanel webhook={shown.webhook} rotated={shown.rotated} onDone={() => setShown(null)} />}
      {notice && <Alert tone="success">{notice}</Alert>}

      <Card title="Your webhooks">
        {actionError && <div className="mb-3"><ErrorState error={actionError} /></div>}
        {list.isPending && <Loading label="Loading webhooks…" />}
        {list.error && <ErrorState error={list.error} onRetry={() => list.refetch()} />}
        {list.data && webhooks.length === 0 && (
          <EmptyState title="No webhooks yet">
            Create one below: you get a URL to paste into your workflow&apos;s HTTP Request node, and every JSON it posts
            becomes a searchable document.
          </EmptyState>
        )}
        {webhooks.length > 0 && (
          <Table label="Webhooks">
            <thead className="text-slate-600">
              <tr>
                <th scope="col" className="py-2 pr-3">Name</th>
                <th scope="col" className="pr-3">URL</th>
                <th scope="col" className="pr-3">Status</th>
                <th scope="col" className="pr-3">Last triggered</th>
                <th scope="col" className="pr-3">Created</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {webhooks.map((webhook) => (
                <tr key={webhook.id} className="border-t border-slate-100 align-top">
                  <td className="py-2 pr-3 font-medium">{webhook.name}</td>
                  <td className="py-2 pr-3"><code className="break-all text-xs">{webhook.webhook_url}</code></td>
                  <td className="py-2 pr-3"><Badge tone={webhook.is_active ? 'active' : 'inactive'}>{webhook.is_active ? 'active' : 'inactive'}</Badge></td>
                  <td className="whitespace-nowrap py-2 pr-3">{webhook.last_triggered_at ? formatDate(webhook.last_triggered_at) : 'never'}</td>
                  <td className="whitespace-nowrap py-2 pr-3">{formatDate(webhook.created_at)}</td>
                  <td className="py-2">
                    <div className="flex flex-wrap gap-1">
                      <Button size="sm" variant="secondary" aria-label={`Edit ${webhook.name}`}
                              onClick={() => { setNotice(null); setPanel({ kind: 'edit', id: webhook.id }); }}>Edit</Button>
                      <Button size="sm" variant="secondary" aria-label={`Rotate ${webhook.name}`}
                              disabled={rotate.isPending} onClick={() => confirmRotate(webhook)}>Rotate</Button>
                      <Button size="sm" variant="secondary" aria-label={`Test ${webhook.name}`}
                              onClick={() => { setNotice(null); setPanel({ kind: 'test', id: webhook.id }); }}>Test</Button>
                      <Button size="sm" variant="danger" aria-label={`Delete ${webhook.name}`}
                              disabled={remove.isPending} onClick={() => confirmDelete(webhook)}>Delete</Button>
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </Table>
        )}
      </Card>

      {panel?.kind === 'edit' && current && (
        <Card title={`Edit “${current.name}”`}>
          <WebhookForm key={current.id} idPrefix="edit-webhook" initial={webhookFormValues(current)} base={current.config}
                       withActive submitLabel="Save changes" busyLabel="Saving…"
                       onSave={(change) => update(current, change)} onCancel={() => setPanel(null)} />
        </Card>
      )}
      {panel?.kind === 'test' && current && (
        <WebhookTestPanel key={current.id} webhook={current} onClose={() => setPanel(null)} />
      )}

      <Card title="New webhook">
        <WebhookForm idPrefix="new-webhook" initial={EMPTY_WEBHOOK_FORM} submitLabel="Create webhook"
                     busyLabel="Creating…" onSave={create} />
      </Card>
    </div>
  );
}
