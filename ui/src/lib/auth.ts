/**
 * The session lives in this module's memory only: the access JWT in a variable, the refresh token in an HttpOnly
 * SameSite=Strict cookie (drag_refresh, path /api/auth) that no script can read. A reload costs one
 * POST /api/auth/refresh, which the cookie authorises together with the X-Refresh-Cookie header.
 * The server side of the cookie is the next increment of issue 11: until it lands the server ignores the header,
 * the refresh token in the login answer is dropped unread, and a reload asks to log in again.
 */
export interface TokenAnswer {
  token: string;
  expires_in: number;
}

type Listener = (token: string | null) => void;

let accessToken: string | null = null;
let expiresAt = 0;
const listeners = new Set<Listener>();
let refreshing: Promise<string | null> | null = null;

export const REFRESH_COOKIE_HEADER = 'X-Refresh-Cookie';

export function currentToken(): string | null {
  return accessToken;
}

export function setSession(answer: TokenAnswer | null): void {
  accessToken = answer?.token ?? null;
  expiresAt = answer ? Date.now() + answer.expires_in * 1000 : 0;
  listeners.forEach((listener) => listener(accessToken));
}

export function onSessionChange(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** True when the token has less than a minute left: refresh before sending rather than after a 401. */
export function tokenExpiring(now = Date.now()): boolean {
  return accessToken !== null && expiresAt - now < 60_000;
}

/**
 * Exchanges the refresh cookie for a new access token. Concurrent callers share one request: the refresh token is
 * single-use, and a second parallel use would revoke the whole session.
 */
export function refreshSession(fetcher: typeof fetch = fetch): Promise<string | null> {
  if (!refreshing) {
    refreshing = (async () => {
      try {
        const response = await fetcher('/api/auth/refresh', {
          method: 'POST',
          headers: { [REFRESH_COOKIE_HEADER]: '1', Accept: 'application/json' },
          credentials: 'same-origin',
        });
        if (!response.ok) {
          setSession(null);
          return null;
        }
        const answer = (await response.json()) as TokenAnswer;
        setSession(answer);
        return answer.token;
      } catch {
        // the network failed, not the session: keep what we have and let the caller report the outage
        return null;
      } finally {
        refreshing = null;
      }
    })();
  }
  return refreshing;
}
