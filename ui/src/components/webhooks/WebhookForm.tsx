import { useRef, useState } from 'react';
import { Button, Field, FormErrors, TextAreaField } from '@/components/ui';
import { useFormSubmit } from '@/hooks/useFormSubmit';
import { messageFor } from '@/lib/problem';
import { claimFieldMessages } from '@/lib/problem';
import { buildWebhookConfig, WEBHOOK_FIELDS, type WebhookConfig, type WebhookFormValues } from '@/lib/webhooks';

export interface WebhookChange {
  name: string;
  is_active: boolean;
  config: WebhookConfig;
}

const PATH_HINT = 'A field name, a dotted path (ticket.subject) or a JSON Pointer (/ticket/subject). Empty: the usual names.';

/** Create or edit a webhook: name, (active), field mapping, default metadata, callback URL. */
export function WebhookForm({ idPrefix, initial, base, withActive, submitLabel, busyLabel, onSave, onCancel }: {
  idPrefix: string;
  initial: WebhookFormValues;
  base?: WebhookConfig | null;
  withActive?: boolean;
  submitLabel: string;
  busyLabel: string;
  onSave: (change: WebhookChange) => Promise<void>;
  onCancel?: () => void;
}) {
  const formRef = useRef<HTMLFormElement>(null);
  const [local, setLocal] = useState<Record<string, string>>({});
  const submit = useFormSubmit(async (form) => {
    const values: WebhookFormValues = {
      name: String(form.get('name') ?? ''),
      is_active: form.get('is_active') === 'on',
      title_path: String(form.get('title_path') ?? ''),
      content_path: String(form.get('content_path') ?? ''),
      external_id_path: String(form.get('external_id_path') ?? ''),
      metadata: String(form.get('metadata') ?? ''),
      callback_url: String(form.get('callback_url') ?? ''),
    };
    const built = buildWebhookConfig(values, base);
    setLocal(built.errors);
    if (Object.keys(built.errors).length) return;
    await onSave({ name: values.name.trim(), is_active: withActive ? values.is_active : true, config: built.config });
    if (!withActive) formRef.current?.reset();
  });
  const server = claimFieldMessages(submit.fields, submit.general, WEBHOOK_FIELDS);
  const fields = { ...server.fields, ...local };
  const id = (name: string) => `${idPrefix}-${name}`;

  return (
    <form ref={formRef} className="space-y-4" onSubmit={submit.onSubmit} noValidate>
      <FormErrors messages={server.general} />
      {fields.config && <p className="text-sm text-red-700">{fields.config}</p>}
      <Field id={id('name')} name="name" label="Name" required maxLength={255} defaultValue={initial.name}
             autoFocus={withActive} error={messageFor(fields, 'name')} />
      {withActive && (
        <label className="flex items-center gap-2 text-sm text-slate-800">
          <input type="checkbox" name="is_active" defaultChecked={initial.is_active} />
          Active <span className="text-slate-600">(an inactive webhook&apos;s URL answers 404)</span>
        </label>
      )}
      <fieldset className="space-y-3 rounded-md border border-slate-200 p-3">
        <legend className="px-1 text-sm font-medium text-slate-700">Field mapping (optional)</legend>
        <p className="text-xs text-slate-600">{PATH_HINT}</p>
        <div className="grid gap-3 md:grid-cols-3">
          <Field id={id('title')} name="title_path" label="Title path" defaultValue={initial.title_path}
                 error={messageFor(fields, 'config.field_mapping.title')} />
          <Field id={id('content')} name="content_path" label="Content path" defaultValue={initial.content_path}
                 error={messageFor(fields, 'config.field_mapping.content')} />
          <Field id={id('external-id')} name="external_id_path" label="External ID path" defaultValue={initial.external_id_path}
                 error={messageFor(fields, 'config.field_mapping.external_id')} />
        </div>
        {fields['config.field_mapping'] && <p className="text-sm text-red-700">{fields['config.field_mapping']}</p>}
      </fieldset>
      <TextAreaField id={id('metadata')} name="metadata" label="Default metadata" rows={3} className="min-h-20"
                     defaultValue={initial.metadata} hint="One key=value per line, added to every document (the payload's own values win)."
                     error={messageFor(fields, 'config.default_metadata')} />
      <Field id={id('callback')} name="callback_url" type="url" label="Callback URL" defaultValue={initial.callback_url}
             hint="Optional: receives {document_id, version, status} signed with the signing secret when a document finishes."
             error={messageFor(fields, 'config.callback_url')} />
      <div className="flex flex-wrap gap-2">
        <Button type="submit" disabled={submit.busy}>{submit.busy ? busyLabel : submitLabel}</Button>
        {onCancel && <Button variant="secondary" onClick={onCancel}>Cancel</Button>}
      </div>
    </form>
  );
}
