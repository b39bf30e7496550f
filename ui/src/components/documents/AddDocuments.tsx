import { useRef, useState, type KeyboardEvent } from 'react';
import { Link } from 'react-router-dom';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Field, FormErrors, ProgressBar, SelectField, TextAreaField } from '@/components/ui';
import { useFormSubmit } from '@/hooks/useFormSubmit';
import { api, ApiError, uploadWithProgress } from '@/lib/api';
import { ACCEPTED_FILES, documentKeys, documentPath, isFinalStatus, toFieldError } from '@/lib/documents';
import { messageFor } from '@/lib/problem';
import type { DocumentRow, IngestAccepted } from '@/lib/types';

interface Added {
  id: string;
  title: string;
  status: string;
}

type Accept = (answer: IngestAccepted, title: string) => void;

const TABS = [
  { key: 'file', label: 'Upload a file' },
  { key: 'text', label: 'Paste text' },
  { key: 'url', label: 'Add a URL' },
] as const;
type TabKey = (typeof TABS)[number]['key'];

function text(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === 'string' ? value.trim() : '';
}

function UploadForm({ onAccepted }: { onAccepted: Accept }) {
  const formRef = useRef<HTMLFormElement>(null);
  const [progress, setProgress] = useState<number | null>(null);
  const { fields, general, busy, onSubmit } = useFormSubmit(async (form) => {
    const file = form.get('file');
    if (!(file instanceof File) || file.name === '') {
      throw new ApiError({ status: 400, detail: 'Invalid value for file: choose a file to upload.' });
    }
    const title = text(form, 'title');
    const body = new FormData();
    body.append('file', file);
    if (title) body.append('title', title);
    setProgress(0);
    try {
      const answer = await uploadWithProgress<IngestAccepted>('/api/ingest/file', body, setProgress);
      formRef.current?.reset();
      onAccepted(answer, title || file.name);
    } catch (error) {
      throw toFieldError(error, 'file', ['file', 'title'], [400, 413, 415]);
    } finally {
      setProgress(null);
    }
  });
  return (
    <form ref={formRef} className="space-y-4" onSubmit={onSubmit} noValidate>
      <FormErrors messages={general} />
      <Field id="upload-file" name="file" type="file" label="File" accept={ACCEPTED_FILES}
             hint="PDF, Word (.docx), HTML, Markdown or plain text, up to your account's file size limit."
             error={messageFor(fields, 'file')} className="file:mr-3 file:rounded file:border-0 file:bg-slate-100 file:px-3 file:py-1 file:text-sm" />
      <Field id="upload-title" name="title" label="Title" hint="Optional: the file name is used otherwise."
             error={messageFor(fields, 'title')} />
      {progress !== null && <ProgressBar value={progress} label="Upload progress" />}
      <Button type="submit" disabled={busy}>{busy ? 'Uploading…' : 'Upload'}</Button>
    </form>
  );
}

function TextForm({ onAccepted }: { onAccepted: Accept }) {
  const formRef = useRef<HTMLFormElement>(null);
  const { fields, general, busy, onSubmit } = useFormSubmit(async (form) => {
    const title = text(form, 'title');
    const answer = await api<IngestAccepted>('/api/ingest/document', {
      method: 'POST',
      body: { title, content: String(form.get('content') ?? ''), doc_type: text(form, 'doc_type') },
    });
    formRef.current?.reset();
    onAccepted(answer, title);
  });
  return (
    <form ref={formRef} className="space-y-4" onSubmit={onSubmit} noValidate>
      <FormErrors messages={general} />
      <Field id="text-title" name="title" label="Title" required error={messageFor(fields, 'title')} />
      <TextAreaField id="text-content" name="content" label="Content" required rows={8}
                     error={messageFor(fields, 'content')} />
      <SelectField id="text-type" name="doc_type" label="Type" defaultValue="txt" error={messageFor(fields, 'doc_type')}
                   options={[{ value: 'txt', label: 'txt (plain text)' }, { value: 'md', label: 'md (Markdown)' },
                     { value: 'html', label: 'html' }]} />
      <Button type="submit" disabled={busy}>{busy ? 'Adding…' : 'Add text'}</Button>
    </form>
  );
}

function UrlForm({ onAccepted }: { onAccepted: Accept }) {
  const formRef = useRef<HTMLFormElement>(null);
  const { fields, general, busy, onSubmit } = useFormSubmit(async (form) => {
    const url = text(form, 'url');
    const title = text(form, 'title');
    try {
      const answer = await api<IngestAccepted>('/api/ingest/url', { method: 'POST', body: { url, title: title || null } });
      formRef.current?.reset();
      onAccepted(answer, title || url);
    } catch (error) {
      throw toFieldError(error, 'url', ['url', 'title'], [400, 422]);
    }
  });
  return (
    <form ref={formRef} className="space-y-4" onSubmit={onSubmit} noValidate>
      <FormErrors messages={general} />
      <Field id="url-url" name="url" type="url" label="URL" required inputMode="url" autoComplete="url"
             hint="A public http(s) web page: the service fetches it and keeps the main content."
             error={messageFor(fields, 'url')} />
      <Field id="url-title" name="title" label="Title" hint="Optional: the page's own title is used otherwise."
             error={messageFor(fields, 'title')} />
      <Button type="submit" disabled={busy}>{busy ? 'Adding…' : 'Add URL'}</Button>
    </form>
  );
}

/** Follows a just-added document until it is completed or failed. */
function AddedProgress({ added }: { added: Added }) {
  const row = useQuery({
    queryKey: documentKeys.document(added.id),
    queryFn: ({ signal }) => api<DocumentRow>(documentPath(added.id), { signal }),
    refetchInterval: (query) => (isFinalStatus(query.state.data?.status) ? false : 2_000),
    retry: 3,
  });
  const title = row.data?.title ?? added.title;
  const link = <Link className="font-medium text-brand-700 underline" to={`/documents/${added.id}`}>{title}</Link>;
  const status = row.data?.status;
  return (
    <p role="status" className="text-sm text-slate-700">
      {!isFinalStatus(status) && <>Processing… {link}</>}
      {status === 'completed' && <>{link} is completed: {row.data?.chunk_count === 1 ? '1 chunk' : `${row.data?.chunk_count ?? 0} chunks`}, searchable now.</>}
      {status === 'failed' && <>{link} failed: {row.data?.error_message ?? 'see its page for details'}.</>}
      {status && isFinalStatus(status) && status !== 'completed' && status !== 'failed' && <>{link} is {status}.</>}
    </p>
  );
}

/** The card with the three ways to add documents from the dashboard: a file, pasted text, a web page. */
export function AddDocuments() {
  const queryClient = useQueryClient();
  const [tab, setTab] = useState<TabKey>('file');
  const [added, setAdded] = useState<Added | null>(null);
  const tabRefs = useRef<Record<string, HTMLButtonElement | null>>({});

  const onAccepted: Accept = (answer, title) => {
    setAdded({ id: answer.document_id, title, status: answer.status });
    void queryClient.invalidateQueries({ queryKey: documentKeys.lists });
  };

  function onTabKey(event: KeyboardEvent<HTMLDivElement>) {
    const index = TABS.findIndex((item) => item.key === tab);
    const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
    if (!step) return;
    event.preventDefault();
    const next = TABS[(index + step + TABS.length) % TABS.length].key;
    setTab(next);
    tabRefs.current[next]?.focus();
  }

  return (
    <Card title="Add documents">
      <div className="space-y-4">
        {added && (
          <div className="space-y-2">
            <Alert tone="success">
              Added <Link className="font-medium underline" to={`/documents/${added.id}`}>{added.title}</Link>: {added.status}
              {added.status === 'duplicate' && ' (the content equals its latest version: nothing to do)'}
            </Alert>
            {added.status !== 'duplicate' && <AddedProgress key={added.id} added={added} />}
          </div>
        )}
        <div role="tablist" aria-label="Ways to add documents" className="flex flex-wrap gap-1 border-b border-slate-200"
             onKeyDown={onTabKey}>
          {TABS.map((item) => (
            <button key={item.key} ref={(node) => { tabRefs.current[item.key] = node; }} type="button" role="tab"
                    id={`add-tab-${item.key}`} aria-selected={tab === item.key}
                    aria-controls={tab === item.key ? `add-panel-${item.key}` : undefined}
                    tabIndex={tab === item.key ? 0 : -1} onClick={() => setTab(item.key)}
                    className={`-mb-px rounded-t-md border-b-2 px-3 py-2 text-sm font-medium focus-visible:outline-2 focus-visible:outline-brand-600 ${
                      tab === item.key ? 'border-brand-600 text-brand-700' : 'border-transparent text-slate-700 hover:text-slate-900'}`}>
              {item.label}
            </button>
          ))}
        </div>
        <div role="tabpanel" id={`add-panel-${tab}`} className="max-w-2xl">
          {tab === 'file' && <UploadForm onAccepted={onAccepted} />}
          {tab === 'text' && <TextForm onAccepted={onAccepted} />}
          {tab === 'url' && <UrlForm onAccepted={onAccepted} />}
        </div>
      </div>
    </Card>
  );
}
