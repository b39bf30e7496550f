import { useState } from 'react';
import { useQueryClient, type QueryKey } from '@tanstack/react-query';
import { useFormSubmit } from '@/hooks/useFormSubmit';
import { api } from '@/lib/api';
import { claimFieldMessages } from '@/lib/problem';
import { CONFIG_FIELDS, CONFIG_KEY, configChanges, type ConfigInput, type TenantConfig } from '@/lib/settings';

/**
 * The save flow of the forms that edit parts of the one tenant configuration (the configuration and the rate limits):
 * each sends only its changed fields, so saving one never overwrites what the other holds; a form without changes
 * says so instead of saving. `fields` holds the messages per field, the client's checks over the server's.
 * `alsoRefresh` names the reads that depend on the saved values besides the configuration.
 */
export function useConfigSave(config: TenantConfig, inputOf: (form: FormData) => ConfigInput, alsoRefresh: QueryKey[] = []) {
  const client = useQueryClient();
  const [local, setLocal] = useState<Record<string, string>>({});
  const [result, setResult] = useState<'saved' | 'unchanged' | null>(null);
  const submit = useFormSubmit(async (form) => {
    setResult(null);
    const { change, errors } = configChanges(config, inputOf(form));
    setLocal(errors);
    if (Object.keys(errors).length) return;
    if (Object.keys(change).length === 0) {
      setResult('unchanged');
      return;
    }
    await api('/api/customers/config', { method: 'PUT', body: change });
    for (const queryKey of [CONFIG_KEY, ...alsoRefresh]) await client.invalidateQueries({ queryKey });
    setResult('saved');
  });
  const server = claimFieldMessages(submit.fields, submit.general, CONFIG_FIELDS);
  return { submit, result, server, fields: { ...server.fields, ...local } };
}
