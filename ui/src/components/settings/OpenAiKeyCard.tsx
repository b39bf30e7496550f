import { useRef, useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Field, FormErrors } from '@/components/ui';
import { useFormSubmit } from '@/hooks/useFormSubmit';
import { api, ApiError } from '@/lib/api';
import { fieldErrors, messageFor } from '@/lib/problem';
import { claimFieldMessages } from '@/lib/problem';
import { CONFIG_FIELDS, CONFIG_KEY, type TenantConfig } from '@/lib/settings';

/** The tenant's own OpenAI key: stored encrypted, only ever shown masked. Sending "" removes it. */
export function OpenAiKeyCard({ config }: { config: TenantConfig }) {
  const client = useQueryClient();
  const formRef = useRef<HTMLFormElement>(null);
  const [local, setLocal] = useState<string | undefined>();
  const [notice, setNotice] = useState<string | null>(null);

  const submit = useFormSubmit(async (form) => {
    setNotice(null);
    remove.reset();
    const key = String(form.get('openai_api_key') ?? '').trim();
    setLocal(key ? undefined : 'Paste your OpenAI API key (it starts with sk-).');
    if (!key) return;
    await api('/api/customers/config', { method: 'PUT', body: { openai_api_key: key } });
    formRef.current?.reset();
    await client.invalidateQueries({ queryKey: CONFIG_KEY });
    setNotice('OpenAI key saved. It is stored encrypted and only ever shown masked.');
  });

  const remove = useMutation({
    mutationFn: () => api('/api/customers/config', { method: 'PUT', body: { openai_api_key: '' } }),
    onSuccess: async () => {
      await client.invalidateQueries({ queryKey: CONFIG_KEY });
      setNotice('OpenAI key removed.');
    },
  });

  const removeProblem = remove.error instanceof ApiError ? fieldErrors(remove.error.problem.detail)
    : remove.error ? { fields: {}, general: [remove.error.message] } : { fields: {}, general: [] };
  const server = claimFieldMessages({ ...submit.fields, ...removeProblem.fields },
    [...submit.general, ...removeProblem.general], CONFIG_FIELDS);
  const keyError = local ?? messageFor(server.fields, 'openai_api_key') ?? messageFor(server.fields, 'embedding_model');
  const others = Object.entries(server.fields).filter(([field]) => field !== 'openai_api_key' && field !== 'embedding_model')
    .map(([, message]) => message);

  function confirmRemove() {
    if (window.confirm('Remove your OpenAI key? OpenAI embedding models stop working until you set a key again.')) {
      setNotice(null);
      submit.reset();
      setLocal(undefined);
      remove.mutate();
    }
  }

  return (
    <Card title="OpenAI key">
      <div className="space-y-4">
        <p className="text-sm text-slate-700">
          Current key: {config.openai_api_key
            ? <code data-testid="openai-key-masked" className="rounded bg-slate-100 px-1.5 py-0.5">{config.openai_api_key}</code>
            : <span className="font-medium">No key set</span>}
          <span className="block text-xs text-slate-600">Needed only for the OpenAI embedding models; you are billed by OpenAI.</span>
        </p>
        <form ref={formRef} className="space-y-4" onSubmit={submit.onSubmit} noValidate>
          <FormErrors messages={[...server.general, ...others]} />
          {notice && <Alert tone="success">{notice}</Alert>}
          <Field id="openai-api-key" name="openai_api_key" type="password" label="OpenAI API key" autoComplete="off"
                 spellCheck={false} maxLength={300} error={keyError} />
          <div className="flex flex-wrap gap-2">
            <Button type="submit" disabled={submit.busy}>{submit.busy ? 'Saving…' : 'Save key'}</Button>
            {config.openai_api_key && (
              <Button variant="danger" disabled={remove.isPending} onClick={confirmRemove}>
                {remove.isPending ? 'Removing…' : 'Remove key'}
              </Button>
            )}
          </div>
        </form>
      </div>
    </Card>
  );
}
