import { Alert, Badge, Button, Card, Field, FormErrors, SelectField } from '@/components/ui';
import { messageFor } from '@/lib/problem';
import { CHUNKING_STRATEGIES, DOCUMENT_TYPES, EMBEDDING_MODELS, embeddingSummary, type TenantConfig } from '@/lib/settings';
import { useConfigSave } from './useConfigSave';

/** Which model search runs on, and the progress of a change of model (the page polls while it runs). */
function EmbeddingStatus({ config }: { config: TenantConfig }) {
  return (
    <div role="status" className="rounded-md border border-slate-200 bg-slate-50 p-3 text-sm text-slate-800">
      <p className="flex flex-wrap items-center gap-2">
        <span className="font-medium">Embedding status</span>
        <Badge tone={config.embedding_status}>{config.embedding_status}</Badge>
        <span className="text-slate-700">active model: <code>{config.active_embedding_model}</code></span>
      </p>
      <p className="mt-1 text-slate-700">{embeddingSummary(config)}</p>
    </div>
  );
}

export function ConfigCard({ config }: { config: TenantConfig }) {
  const { submit, result, server, fields } = useConfigSave(config, (form) => {
    const text = (name: string) => String(form.get(name) ?? '');
    return {
      chunking_size: text('chunking_size'), chunking_overlap: text('chunking_overlap'),
      chunking_strategy: text('chunking_strategy'), embedding_model: text('embedding_model'),
      allowed_document_types: form.getAll('allowed_document_types').map(String),
      max_file_size_mb: text('max_file_size_mb'), max_documents: text('max_documents'),
    };
  });
  const typesError = messageFor(fields, 'allowed_document_types');
  const openAiWithoutKey = !config.openai_api_key;

  return (
    <Card title="Configuration">
      <div className="space-y-4">
        <EmbeddingStatus config={config} />
        <form className="space-y-4" onSubmit={submit.onSubmit} noValidate>
          <FormErrors messages={server.general} />
          {fields.openai_api_key && <Alert>{fields.openai_api_key}</Alert>}
          {result === 'saved' && <Alert tone="success">Configuration saved</Alert>}
          {result === 'unchanged' && <Alert tone="info">Nothing to save: the configuration is as shown.</Alert>}
          <div className="grid gap-4 md:grid-cols-2">
            <Field id="config-chunking-size" name="chunking_size" type="number" label="Chunk size" min={100} max={8000}
                   inputMode="numeric" defaultValue={config.chunking_size} hint="100 to 8000 characters"
                   error={messageFor(fields, 'chunking_size')} />
            <Field id="config-chunking-overlap" name="chunking_overlap" type="number" label="Chunk overlap" min={0}
                   inputMode="numeric" defaultValue={config.chunking_overlap} hint="0 up to the chunk size minus 1"
                   error={messageFor(fields, 'chunking_overlap')} />
            <SelectField id="config-chunking-strategy" name="chunking_strategy" label="Chunking strategy"
                         options={CHUNKING_STRATEGIES} defaultValue={config.chunking_strategy}
                         error={messageFor(fields, 'chunking_strategy')} />
            <SelectField id="config-embedding-model" name="embedding_model" label="Embedding model"
                         options={EMBEDDING_MODELS} defaultValue={config.embedding_model}
                         hint={openAiWithoutKey ? 'OpenAI models need your OpenAI key: save it below first. A change embeds all documents again.'
                           : 'A change embeds all your documents again; search switches when that is done.'}
                         error={messageFor(fields, 'embedding_model')} />
            <Field id="config-max-file-size" name="max_file_size_mb" type="number" label="Max file size (MB)" min={1}
                   max={1024} inputMode="numeric" defaultValue={config.max_file_size_mb} hint="1 to 1024"
                   error={messageFor(fields, 'max_file_size_mb')} />
            <Field id="config-max-documents" name="max_documents" type="number" label="Max documents" min={1}
                   inputMode="numeric" defaultValue={config.max_documents} hint="1 to 10,000,000"
                   error={messageFor(fields, 'max_documents')} />
          </div>
          <fieldset aria-describedby={typesError ? 'config-types-error' : undefined}
                    className="rounded-md border border-slate-200 p-3">
            <legend className="px-1 text-sm font-medium text-slate-700">Allowed document types</legend>
            <div className="flex flex-wrap gap-x-6 gap-y-2 text-sm">
              {DOCUMENT_TYPES.map((type) => (
                <label key={type} className="flex items-center gap-2">
                  <input type="checkbox" name="allowed_document_types" value={type}
                         defaultChecked={config.allowed_document_types.includes(type)} />
                  {type}
                </label>
              ))}
            </div>
            {typesError && <p id="config-types-error" className="mt-2 text-sm text-red-700">{typesError}</p>}
          </fieldset>
          <Button type="submit" disabled={submit.busy}>{submit.busy ? 'Saving…' : 'Save configuration'}</Button>
        </form>
      </div>
    </Card>
  );
}
