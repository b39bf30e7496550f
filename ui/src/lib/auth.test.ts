import { afterEach, describe, expect, it, vi } from 'vitest';
import { currentToken, refreshSession, setSession, tokenExpiring } from './auth';

afterEach(() => setSession(null));

describe('refreshSession', () => {
  it('sends one refresh for concurrent callers, since a refresh token used twice revokes the session', async () => {
    let release: (value: Response) => void = () => {};
    const fetcher = vi.fn(() => new Promise<Response>((resolve) => { release = resolve; }));
    const first = refreshSession(fetcher as unknown as typeof fetch);
    const second = refreshSession(fetcher as unknown as typeof fetch);
    release(new Response(JSON.stringify({ token: 'jwt-2', expires_in: 3600 }), { status: 200 }));
    expect(await first).toBe('jwt-2');
    expect(await second).toBe('jwt-2');
    expect(fetcher).toHaveBeenCalledTimes(1);
    const init = (fetcher.mock.calls[0] as unknown[])[1] as RequestInit;
    expect((init.headers as Record<string, string>)['X-Refresh-Cookie']).toBe('1');
    expect(currentToken()).toBe('jwt-2');
  });

  it('ends the session when the server refuses the refresh', async () => {
    setSession({ token: 'old', expires_in: 3600 });
    const fetcher = vi.fn(async () => new Response('{"detail":"No refresh cookie"}', { status: 401 }));
    expect(await refreshSession(fetcher as unknown as typeof fetch)).toBeNull();
    expect(currentToken()).toBeNull();
  });

  it('keeps the session when only the network failed', async () => {
    setSession({ token: 'still-good', expires_in: 3600 });
    const fetcher = vi.fn(async () => { throw new TypeError('Failed to fetch'); });
    expect(await refreshSession(fetcher as unknown as typeof fetch)).toBeNull();
    expect(currentToken()).toBe('still-good');
  });

  it('says a token is expiring a minute before its end', () => {
    setSession({ token: 't', expires_in: 120 });
    expect(tokenExpiring()).toBe(false);
    expect(tokenExpiring(Date.now() + 61_000)).toBe(true);
  });
});
