import { Link } from 'react-router-dom';
import { EmptyState } from '@/components/ui';
import { highlightParts, relativeScore, type CatalogResult, type ChunkResult, type SearchTarget } from '@/lib/search';

/** The text with the query's words in <mark>. */
export function Highlighted({ text, query }: { text: string; query: string }) {
  return (
    <>
      {highlightParts(text, query).map((part, index) => (part.match
        ? <mark key={index} className="rounded-sm bg-amber-200 px-0.5 text-slate-900">{part.text}</mark>
        : <span key={index}>{part.text}</span>))}
    </>
  );
}

function Score({ score, best }: { score: number; best: number }) {
  const width = Math.round(relativeScore(score, best) * 100);
  return (
    <div className="flex items-center gap-2 text-xs text-slate-700">
      <span>Score <span className="font-mono font-medium text-slate-900">{score.toFixed(3)}</span></span>
      <span aria-hidden="true" className="h-1.5 w-24 overflow-hidden rounded bg-slate-200">
        <span className="block h-full rounded bg-brand-600" style={{ width: `${width}%` }} />
      </span>
    </div>
  );
}

function SourceLink({ url }: { url: string | null }) {
  if (!url) return null;
  const safe = /^https?:\/\//i.test(url);
  return (
    <p className="mt-2 truncate text-xs text-slate-600">
      Source: {safe
        ? <a className="text-brand-700 underline" href={url} target="_blank" rel="noreferrer noopener">{url}</a>
        : <span>{url}</span>}
    </p>
  );
}

/**
 * One ranked hit. A passage and a catalog document are laid out alike; they differ only in what follows the version
 * (`detail`: the chunk, or the document type) and in the text shown (the passage, or the document's summary).
 */
function ResultItem({ rank, result, best, query, detail, text }: {
  rank: number;
  result: Pick<ChunkResult | CatalogResult, 'document_id' | 'title' | 'score' | 'version' | 'source_url'>;
  best: number;
  query: string;
  detail: string;
  text: string;
}) {
  return (
    <li data-testid="search-result" className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h3 className="min-w-0 font-medium">
          <span className="mr-2 text-slate-600">{rank}.</span>
          <Link className="text-brand-700 underline" to={`/documents/${result.document_id}`}>{result.title || 'Untitled'}</Link>
        </h3>
        <Score score={result.score} best={best} />
      </div>
      <p className="mt-1 text-xs text-slate-600">Version {result.version} · {detail}</p>
      <p className="mt-2 whitespace-pre-wrap break-words text-sm text-slate-800"><Highlighted text={text} query={query} /></p>
      <SourceLink url={result.source_url} />
    </li>
  );
}

export interface ShownResults {
  target: SearchTarget;
  query: string;
  chunks?: ChunkResult[];
  documents?: CatalogResult[];
}

/** The ranked results of the last search, or a designed empty state. */
export function SearchResults({ shown }: { shown: ShownResults | null }) {
  if (!shown) {
    return (
      <EmptyState title="Search your documents">
        Type a question or keywords above and press Search. Hybrid mode finds both paraphrases and exact terms such
        as order numbers; choose &quot;Search catalog&quot; to find which documents are about a topic.
      </EmptyState>
    );
  }
  const count = shown.chunks?.length ?? shown.documents?.length ?? 0;
  if (count === 0) {
    return (
      <EmptyState title={`No results for “${shown.query}”`}>
        Try other words, another mode, or fewer filters. Only completed documents are searched: check their status on
        the <Link className="font-medium text-brand-700 underline" to="/documents">Documents</Link> page.
      </EmptyState>
    );
  }
  const scores = (shown.chunks ?? shown.documents ?? []).map((result) => result.score);
  const best = Math.max(...scores);
  return (
    <section aria-labelledby="results-heading" className="space-y-3">
      <h2 id="results-heading" className="text-base font-semibold text-slate-800">
        {count} {shown.target === 'catalog' ? (count === 1 ? 'document' : 'documents') : (count === 1 ? 'passage' : 'passages')} for “{shown.query}”
      </h2>
      <ol className="space-y-3">
        {shown.chunks?.map((result, index) => (
          <ResultItem key={`${result.document_id}-${result.version}-${result.chunk_index}`} rank={index + 1} result={result}
                      best={best} query={shown.query} detail={`Chunk ${result.chunk_index}`} text={result.text} />
        ))}
        {shown.documents?.map((result, index) => (
          <ResultItem key={result.document_id} rank={index + 1} result={result}
                      best={best} query={shown.query} detail={result.doc_type} text={result.summary} />
        ))}
      </ol>
    </section>
  );
}
