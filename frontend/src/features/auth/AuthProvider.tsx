import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { api, setSessionLostHandler, unwrap } from '../../api/client';
import { mayHaveSession, refreshAccessToken, setAccessToken } from '../../api/session';
import type { AnyErrorCode } from '../../i18n/errorParams';
import { AuthContext, type Auth, type Me, type Permission } from './context';

async function loadMe(): Promise<Me> {
  return unwrap(api.GET('/api/v1/auth/me'));
}

export function AuthProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<Auth['status']>('loading');
  const [me, setMe] = useState<Me | null>(null);
  const [reason, setReason] = useState<AnyErrorCode | null>(null);
  const started = useRef(false);

  const dropSession = useCallback(
    (why: AnyErrorCode | null) => {
      setAccessToken(null);
      setMe(null);
      setReason(why);
      setStatus('signedOut');
      queryClient.clear();
    },
    [queryClient],
  );

  useEffect(() => {
    setSessionLostHandler(() => dropSession('session_ended'));
    return () => setSessionLostHandler(null);
  }, [dropSession]);

  // After a reload the access token is gone (memory only): the refresh cookie brings a new one.
  useEffect(() => {
    if (started.current) return; // StrictMode runs effects twice; a second refresh would be reuse
    started.current = true;
    (async () => {
      // No session hint: no refresh cookie either, so nothing to ask the server.
      if (!mayHaveSession() || (await refreshAccessToken()) !== 'ok') {
        setStatus('signedOut');
        return;
      }
      try {
        setMe(await loadMe());
        setStatus('signedIn');
      } catch {
        dropSession(null);
      }
    })();
  }, [dropSession]);

  const signIn = useCallback(async (username: string, password: string, warm?: () => void) => {
    const pair = await unwrap(
      api.POST('/api/v1/auth/token', {
        body: { username, password, grant_type: 'password', scope: '' },
        bodySerializer: (body) => new URLSearchParams(body as Record<string, string>),
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        credentials: 'include',
      }),
    );
    // The refresh token in the body is ignored on purpose: the HttpOnly cookie carries it.
    setAccessToken(pair.access_token);
    warm?.();
    const who = await loadMe();
    setMe(who);
    setReason(null);
    setStatus('signedIn');
  }, []);

  const signOut = useCallback(async () => {
    try {
      await unwrap(api.POST('/api/v1/auth/logout', { credentials: 'include' }));
    } catch {
      // Signed out locally either way; the server session expires on its own.
    }
    dropSession(null);
  }, [dropSession]);

  const value = useMemo<Auth>(() => {
    const perms = new Set<Permission>(me?.permissions ?? []);
    return { status, me, reason, signIn, signOut, can: (p) => perms.has(p) };
  }, [status, me, reason, signIn, signOut]);

  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}
