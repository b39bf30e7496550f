import { useEffect, useReducer, useRef } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { fetchEventSource } from '@microsoft/fetch-event-source';
import { api, ApiError } from '@/lib/api';
import { currentToken, refreshSession, tokenExpiring } from '@/lib/auth';
import { documentKeys, isFinalStatus, type DocumentStatusAnswer } from '@/lib/documents';

export const POLL_INTERVAL_MS = 2_000;

/**
 * idle: not following (the document is not processing); connecting: opening the stream; streaming: events arrive;
 * polling: the stream could not be opened or broke off, GET .../status every 2 s; done: a final status was seen.
 */
export type LiveMode = 'idle' | 'connecting' | 'streaming' | 'polling' | 'done';

export interface LiveState {
  mode: LiveMode;
  status: DocumentStatusAnswer | null;
}

export type LiveAction =
  | { type: 'start' }
  | { type: 'stop' }
  | { type: 'opened' }
  | { type: 'status'; status: DocumentStatusAnswer }
  | { type: 'ended' }
  | { type: 'failed' };

export const IDLE: LiveState = { mode: 'idle', status: null };

/** The state machine of one document's live status, whichever way (stream or polling) the news arrives. */
export function liveReducer(state: LiveState, action: LiveAction): LiveState {
  switch (action.type) {
    case 'start':
      return { mode: 'connecting', status: null };
    case 'stop':
      return IDLE;
    case 'opened':
      return state.mode === 'connecting' ? { ...state, mode: 'streaming' } : state;
    case 'status': {
      if (state.mode === 'idle' || state.mode === 'done') return state;
      if (isFinalStatus(action.status.status)) return { mode: 'done', status: action.status };
      return { mode: state.mode === 'polling' ? 'polling' : 'streaming', status: action.status };
    }
    case 'ended':
    case 'failed':
      if (state.mode === 'idle' || state.mode === 'done') return state;
      return { ...state, mode: 'polling' };
    default:
      return state;
  }
}

/** The stream answered, but not with a stream (401 after the token expired, 404, a proxy's HTML page). */
class StreamRefused extends Error {}

/**
 * Follows a document's status live while `enabled` (the page passes "the document is processing"): the SSE stream
 * GET /api/documents/{id}/events first, polling GET /api/documents/{id}/status every 2 s when the stream cannot be
 * opened or breaks off. When the stream ends or fails the document is refetched once; when the status becomes final
 * everything shown about the document (row, versions, audit, chunks) and the lists are invalidated.
 */
export function useDocumentStatus(id: string, enabled: boolean): LiveState {
  const [state, dispatch] = useReducer(liveReducer, IDLE);
  const queryClient = useQueryClient();
  const clientRef = useRef(queryClient);
  clientRef.current = queryClient;

  useEffect(() => {
    if (!enabled) {
      dispatch({ type: 'stop' });
      return undefined;
    }
    const controller = new AbortController();
    const { signal } = controller;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let final = false;
    let polling = false;

    const refetchDocument = () => {
      void clientRef.current.invalidateQueries({ queryKey: documentKeys.document(id), exact: true });
    };
    const onStatus = (status: DocumentStatusAnswer) => {
      if (signal.aborted || final) return;
      dispatch({ type: 'status', status });
      if (isFinalStatus(status.status)) {
        final = true;
        void clientRef.current.invalidateQueries({ queryKey: documentKeys.document(id) });
        void clientRef.current.invalidateQueries({ queryKey: documentKeys.lists });
      }
    };
    const poll = async () => {
      try {
        onStatus(await api<DocumentStatusAnswer>(`/api/documents/${encodeURIComponent(id)}/status`, { signal }));
      } catch (error) {
        if (signal.aborted) return;
        if (error instanceof ApiError && error.status === 404) {
          // gone (deleted elsewhere): the document query shows it, nothing more to follow
          refetchDocument();
          return;
        }
      }
      if (!signal.aborted && !final) timer = setTimeout(poll, POLL_INTERVAL_MS);
    };
    const fallBack = (action: 'ended' | 'failed') => {
      if (signal.aborted) return;
      dispatch({ type: action });
      if (!final) refetchDocument();
      if (!final && !polling) {
        polling = true;
        void poll();
      }
    };

    dispatch({ type: 'start' });
    (async () => {
      if (tokenExpiring()) await refreshSession();
      const token = currentToken();
      await fetchEventSource(`/api/documents/${encodeURIComponent(id)}/events`, {
        headers: { Accept: 'text/event-stream', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
        signal,
        openWhenHidden: true,
        async onopen(response) {
          const type = response.headers.get('content-type') ?? '';
          if (!response.ok || !type.startsWith('text/event-stream')) throw new StreamRefused(`stream answered ${response.status}`);
          dispatch({ type: 'opened' });
        },
        onmessage(message) {
          if (message.event !== 'status' || !message.data) return;
          try {
            onStatus(JSON.parse(message.data) as DocumentStatusAnswer);
          } catch {
            // a malformed event is skipped; the next one or the final refetch brings the truth
          }
        },
        onerror(error) {
          // no automatic reconnect: polling takes over
          throw error;
        },
      });
    })().then(() => fallBack('ended'), () => fallBack('failed'));

    return () => {
      controller.abort();
      if (timer) clearTimeout(timer);
    };
  }, [id, enabled]);

  return state;
}
