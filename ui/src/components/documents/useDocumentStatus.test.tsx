import { act, renderHook, waitFor } from '@testing-library/react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { FetchEventSourceInit } from '@microsoft/fetch-event-source';
import { fetchEventSource } from '@microsoft/fetch-event-source';
import { api, ApiError } from '@/lib/api';
import { IDLE, liveReducer, POLL_INTERVAL_MS, useDocumentStatus } from './useDocumentStatus';

vi.mock('@microsoft/fetch-event-source', () => ({ fetchEventSource: vi.fn() }));
vi.mock('@/lib/auth', () => ({ currentToken: () => 'jwt-1', tokenExpiring: () => false, refreshSession: vi.fn() }));
vi.mock('@/lib/api', async (original) => ({ ...(await original<typeof import('@/lib/api')>()), api: vi.fn() }));

const mockedStream = vi.mocked(fetchEventSource);
const mockedApi = vi.mocked(api);

const processing = { document_id: 'd1', status: 'processing', version: 1, chunk_count: 0, character_count: 0, error_message: null };
const completed = { ...processing, status: 'completed', chunk_count: 3, character_count: 120 };

/** A fake stream the test drives: open it, send events, end or break it. */
function fakeStream() {
  let init: FetchEventSourceInit | undefined;
  let finish: (() => void) | undefined;
  let fail: ((error: unknown) => void) | undefined;
  mockedStream.mockImplementation((_url, options) => {
    init = options;
    return new Promise<void>((resolve, reject) => {
      finish = resolve;
      fail = reject;
      options.signal?.addEventListener('abort', () => resolve());
    });
  });
  return {
    get init() { return init!; },
    async open(status = 200, type = 'text/event-stream') {
      try {
        await init!.onopen!(new Response('', { status, headers: { 'content-type': type } }));
      } catch (error) {
        fail!(error);
      }
    },
    send(data: unknown, event = 'status') {
      init!.onmessage!({ id: '', event, data: JSON.stringify(data), retry: undefined });
    },
    end() { finish!(); },
  };
}

function setup(enabled = true) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const invalidate = vi.spyOn(client, 'invalidateQueries').mockResolvedValue();
  const wrapper = ({ children }: { children: ReactNode }) => <QueryClientProvider client={client}>{children}</QueryClientProvider>;
  const hook = renderHook(({ on }) => useDocumentStatus('d1', on), { wrapper, initialProps: { on: enabled } });
  return { hook, invalidate };
}

beforeEach(() => {
  mockedStream.mockReset();
  mockedApi.mockReset();
});

afterEach(() => {
  vi.useRealTimers();
});

describe('liveReducer', () => {
  it('goes connecting -> streaming -> done', () => {
    let state = liveReducer(IDLE, { type: 'start' });
    expect(state.mode).toBe('connecting');
    state = liveReducer(state, { type: 'opened' });
    state = liveReducer(state, { type: 'status', status: processing });
    expect(state).toEqual({ mode: 'streaming', status: processing });
    state = liveReducer(state, { type: 'status', status: completed });
    expect(state).toEqual({ mode: 'done', status: completed });
    expect(liveReducer(state, { type: 'ended' })).toBe(state);
    expect(liveReducer(state, { type: 'status', status: processing })).toBe(state);
  });

  it('falls back to polling when the stream breaks before a final status', () => {
    let state = liveReducer(liveReducer(IDLE, { type: 'start' }), { type: 'failed' });
    expect(state.mode).toBe('polling');
    state = liveReducer(state, { type: 'status', status: processing });
    expect(state.mode).toBe('polling');
    expect(liveReducer(state, { type: 'status', status: { ...processing, status: 'failed' } }).mode).toBe('done');
  });

  it('ignores news while idle', () => {
    expect(liveReducer(IDLE, { type: 'status', status: processing })).toBe(IDLE);
  });
});

describe('useDocumentStatus', () => {
  it('opens the stream with the session token and follows it to the final status', async () => {
    const stream = fakeStream();
    const { hook, invalidate } = setup();
    await waitFor(() => expect(mockedStream).toHaveBeenCalled());
    expect(mockedStream.mock.calls[0][0]).toBe('/api/documents/d1/events');
    expect(stream.init.headers).toMatchObject({ Authorization: 'Bearer jwt-1' });
    expect(stream.init.openWhenHidden).toBe(true);

    await act(() => stream.open());
    act(() => stream.send(processing));
    expect(hook.result.current).toEqual({ mode: 'streaming', status: processing });

    act(() => stream.send({ ignored: true }, 'heartbeat'));
    act(() => stream.send(completed));
    expect(hook.result.current).toEqual({ mode: 'done', status: completed });
    expect(invalidate).toHaveBeenCalledWith({ queryKey: ['document', 'd1'] });
    expect(invalidate).toHaveBeenCalledWith({ queryKey: ['documents'] });

    await act(async () => stream.end());
    expect(hook.result.current.mode).toBe('done');
    expect(mockedApi).not.toHaveBeenCalled();
  });

  it('polls the status every 2 s when the stream is refused (401), until final', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const stream = fakeStream();
    mockedApi.mockResolvedValueOnce(processing).mockResolvedValueOnce(completed);
    const { hook, invalidate } = setup();
    await waitFor(() => expect(mockedStream).toHaveBeenCalled());

    await act(() => stream.open(401, 'application/problem+json'));
    await waitFor(() => expect(mockedApi).toHaveBeenCalledTimes(1));
    expect(mockedApi.mock.calls[0][0]).toBe('/api/documents/d1/status');
    // the stream failed: the document is refetched once
    expect(invalidate).toHaveBeenCalledWith({ queryKey: ['document', 'd1'], exact: true });
    await waitFor(() => expect(hook.result.current).toEqual({ mode: 'polling', status: processing }));

    await act(() => vi.advanceTimersByTimeAsync(POLL_INTERVAL_MS));
    await waitFor(() => expect(hook.result.current).toEqual({ mode: 'done', status: completed }));
    expect(invalidate).toHaveBeenCalledWith({ queryKey: ['document', 'd1'] });

    await act(() => vi.advanceTimersByTimeAsync(POLL_INTERVAL_MS * 3));
    expect(mockedApi).toHaveBeenCalledTimes(2);
  });

  it('polls when the stream ends without a final status', async () => {
    const stream = fakeStream();
    mockedApi.mockResolvedValue(completed);
    const { hook } = setup();
    await waitFor(() => expect(mockedStream).toHaveBeenCalled());
    await act(() => stream.open());
    act(() => stream.send(processing));
    await act(async () => stream.end());
    await waitFor(() => expect(hook.result.current.mode).toBe('done'));
    expect(mockedApi).toHaveBeenCalledTimes(1);
  });

  it('stops polling when the document is gone', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const stream = fakeStream();
    mockedApi.mockRejectedValue(new ApiError({ status: 404, detail: 'Document d1 not found' }));
    setup();
    await waitFor(() => expect(mockedStream).toHaveBeenCalled());
    await act(() => stream.open(404, 'application/problem+json'));
    await waitFor(() => expect(mockedApi).toHaveBeenCalledTimes(1));
    await act(() => vi.advanceTimersByTimeAsync(POLL_INTERVAL_MS * 3));
    expect(mockedApi).toHaveBeenCalledTimes(1);
  });

  it('does nothing while disabled and aborts the stream on unmount', async () => {
    const stream = fakeStream();
    const { hook } = setup(false);
    expect(hook.result.current).toEqual(IDLE);
    expect(mockedStream).not.toHaveBeenCalled();

    hook.rerender({ on: true });
    await waitFor(() => expect(mockedStream).toHaveBeenCalled());
    const signal = stream.init.signal!;
    hook.unmount();
    expect(signal.aborted).toBe(true);
    expect(mockedApi).not.toHaveBeenCalled();
  });
});
