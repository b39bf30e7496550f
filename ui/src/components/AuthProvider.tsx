import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import { api, setUnauthorizedHandler } from '@/lib/api';
import { onSessionChange, refreshSession, setSession, currentToken, type TokenAnswer } from '@/lib/auth';
import type { Me } from '@/lib/types';

interface AuthState {
  me: Me | null;
  ready: boolean;
  login(email: string, password: string): Promise<void>;
  signup(email: string, password: string, companyName: string): Promise<{ api_key: string }>;
  logout(): Promise<void>;
  /** Reads the account again (after the profile changed its email or company). */
  reloadMe(): Promise<void>;
}

const AuthContext = createContext<AuthState | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const [me, setMe] = useState<Me | null>(null);
  const [ready, setReady] = useState(false);

  const loadMe = useCallback(async () => {
    setMe(currentToken() ? await api<Me>('/api/auth/me') : null);
  }, []);

  useEffect(() => {
    setUnauthorizedHandler(() => { setSession(null); });
    const stop = onSessionChange((token) => { if (!token) setMe(null); });
    // a reload keeps no token: the refresh cookie, if any, brings the session back
    refreshSession().then((token) => (token ? loadMe() : undefined)).catch(() => setMe(null)).finally(() => setReady(true));
    return () => { stop(); };
  }, [loadMe]);

  const login = useCallback(async (email: string, password: string) => {
    setSession(await api<TokenAnswer>('/api/auth/login', { method: 'POST', body: { email, password }, refreshCookie: true }));
    await loadMe();
  }, [loadMe]);

  const signup = useCallback(async (email: string, password: string, companyName: string) => {
    const answer = await api<TokenAnswer & { api_key: string }>('/api/auth/signup',
      { method: 'POST', body: { email, password, company_name: companyName || null }, refreshCookie: true });
    setSession(answer);
    await loadMe();
    return { api_key: answer.api_key };
  }, [loadMe]);

  const logout = useCallback(async () => {
    try { await api('/api/auth/logout', { method: 'POST' }); } catch { /* the session ends here either way */ }
    setSession(null);
  }, []);

  return <AuthContext.Provider value={{ me, ready, login, signup, logout, reloadMe: loadMe }}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthState {
  const state = useContext(AuthContext);
  if (!state) throw new Error('useAuth outside AuthProvider');
  return state;
}
