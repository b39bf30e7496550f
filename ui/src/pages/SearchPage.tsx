import { useEffect, useState } from 'react';
import { Button, Card, Field, FormErrors, PageHeader, SelectField, TextAreaField } from '@/components/ui';
import { SearchResults, type ShownResults } from '@/components/search/SearchResults';
import { useFormSubmit } from '@/hooks/useFormSubmit';
import { api } from '@/lib/api';
import { claimFieldMessages, messageFor } from '@/lib/problem';
import { buildSearchRequest, DEFAULT_TOP_K, SEARCH_FIELDS, type CatalogResult, type ChunkResult,
  type SearchAnswer, type SearchTarget } from '@/lib/search';

const MODE_OPTIONS = [
  { value: 'hybrid', label: 'Hybrid (keywords and meaning)' },
  { value: 'vector', label: 'Vector (meaning only)' },
  { value: 'keyword', label: 'Keyword (BM25 full text)' },
];

const TYPE_OPTIONS = [
  { value: '', label: 'Any type' },
  ...['pdf', 'txt', 'md', 'html', 'docx', 'webpage'].map((type) => ({ value: type, label: type })),
];

const FILTER_FIELDS = ['filters', 'filters.doc_type', 'filters.metadata', 'filters.created_after', 'filters.created_before'];

function text(form: FormData, name: string): string {
  return String(form.get(name) ?? '');
}

/** What a screen reader hears when a search finishes (the list itself is not read out). */
function announcement(shown: ShownResults | null): string {
  if (!shown) return '';
  const count = shown.chunks?.length ?? shown.documents?.length ?? 0;
  return count === 0 ? `No results for ${shown.query}` : `${count} ${count === 1 ? 'result' : 'results'} for ${shown.query}`;
}

export function SearchPage() {
  const [target, setTarget] = useState<SearchTarget>('documents');
  const [filtersOpen, setFiltersOpen] = useState(false);
  const [local, setLocal] = useState<Record<string, string>>({});
  const [shown, setShown] = useState<ShownResults | null>(null);

  const submit = useFormSubmit(async (form) => {
    const built = buildSearchRequest({
      target, query: text(form, 'query'), mode: text(form, 'mode'), top_k: text(form, 'top_k'),
      doc_type: text(form, 'doc_type'), metadata: text(form, 'metadata'),
      created_after: text(form, 'created_after'), created_before: text(form, 'created_before'),
    });
    setLocal(built.errors);
    if (Object.keys(built.errors).length) {
      if (FILTER_FIELDS.some((name) => built.errors[name])) setFiltersOpen(true);
      return;
    }
    if (target === 'catalog') {
      const answer = await api<SearchAnswer<CatalogResult>>(built.path, { method: 'POST', body: built.body });
      setShown({ target, query: built.body.query, documents: answer.results });
    } else {
      const answer = await api<SearchAnswer<ChunkResult>>(built.path, { method: 'POST', body: built.body });
      setShown({ target, query: built.body.query, chunks: answer.results });
    }
  });

  const server = claimFieldMessages(submit.fields, submit.general, SEARCH_FIELDS);
  const fields = { ...server.fields, ...local };
  const filterProblem = fields.filters;
  const filterErrorKey = FILTER_FIELDS.filter((name) => messageFor(server.fields, name)).join(',');
  useEffect(() => {
    if (filterErrorKey) setFiltersOpen(true);
  }, [filterErrorKey]);

  return (
    <div className="space-y-6">
      <PageHeader title="Search"
                  description="Try queries against your own documents, with the same engine the API and MCP tools use." />
      <Card>
        <form className="space-y-4" onSubmit={submit.onSubmit} noValidate aria-label="Search">
          <FormErrors messages={server.general} />
          <fieldset>
            <legend className="text-sm font-medium text-slate-700">Search in</legend>
            <div className="mt-1 flex flex-wrap gap-x-6 gap-y-2 text-sm">
              <label className="flex items-center gap-2">
                <input type="radio" name="target" value="documents" checked={target === 'documents'}
                       onChange={() => setTarget('documents')} />
                Search documents <span className="text-slate-600">(passages)</span>
              </label>
              <label className="flex items-center gap-2">
                <input type="radio" name="target" value="catalog" checked={target === 'catalog'}
                       onChange={() => setTarget('catalog')} />
                Search catalog <span className="text-slate-600">(one hit per document)</span>
              </label>
            </div>
          </fieldset>
          <Field id="search-query" name="query" label="Query" required maxLength={2000} autoComplete="off"
                 error={messageFor(fields, 'query')} />
          <div className="grid gap-4 sm:grid-cols-2">
            <SelectField id="search-mode" name="mode" label="Mode" options={MODE_OPTIONS} defaultValue="hybrid"
                         disabled={target === 'catalog'} error={messageFor(fields, 'mode')}
                         hint={target === 'catalog' ? 'The catalog always ranks documents with hybrid search.' : undefined} />
            <Field id="search-top-k" name="top_k" label="Results" type="number" min={1} max={100} step={1}
                   defaultValue={DEFAULT_TOP_K} inputMode="numeric" hint="1 to 100" error={messageFor(fields, 'top_k')} />
          </div>
          <details open={filtersOpen} onToggle={(event) => setFiltersOpen(event.currentTarget.open)}
                   className="rounded-md border border-slate-200 p-3">
            <summary className="cursor-pointer text-sm font-medium text-slate-800">Filters</summary>
            <div className="mt-3 space-y-4">
              {filterProblem && <p className="text-sm text-red-700">{filterProblem}</p>}
              <div className="grid gap-4 sm:grid-cols-3">
                <SelectField id="search-doc-type" name="doc_type" label="Document type" options={TYPE_OPTIONS}
                             defaultValue="" error={messageFor(fields, 'filters.doc_type')} />
                <Field id="search-created-after" name="created_after" type="date" label="Created after"
                       hint="From this day on (UTC)" error={messageFor(fields, 'filters.created_after')} />
                <Field id="search-created-before" name="created_before" type="date" label="Created before"
                       hint="Before this day (UTC)" error={messageFor(fields, 'filters.created_before')} />
              </div>
              <TextAreaField id="search-metadata" name="metadata" label="Metadata" rows={3} className="min-h-20"
                             hint="One key=value per line; a document must hold every pair."
                             error={messageFor(fields, 'filters.metadata')} />
            </div>
          </details>
          <Button type="submit" disabled={submit.busy}>{submit.busy ? 'Searching…' : 'Search'}</Button>
        </form>
      </Card>
      <p role="status" className="sr-only">{submit.busy ? 'Searching…' : announcement(shown)}</p>
      <div aria-busy={submit.busy}>
        <SearchResults shown={shown} />
      </div>
    </div>
  );
}
