/**
 * The access token lives in this module only (memory), never in localStorage: a script injected
 * into the page cannot read a long-lived credential. The refresh token is an HttpOnly cookie
 * (uh_refresh, path /api/v1/auth) that page scripts cannot see at all; after a reload the app
 * asks /auth/refresh for a fresh access token.
 */

let accessToken: string | null = null;
const listeners = new Set<() => void>();

export function getAccessToken(): string | null {
  return accessToken;
}

export function setAccessToken(token: string | null): void {
  if (token === accessToken) return;
  accessToken = token;
  listeners.forEach((fn) => fn());
}

/** Called whenever the token changes (sign-in, refresh, sign-out). */
export function onAccessTokenChange(fn: () => void): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

/**
 * The server sets a readable `uh_session=1` cookie (no secret in it) beside the HttpOnly refresh
 * cookie. Without it no refresh cookie can exist, so a cold page load need not ask
 * /auth/refresh (which would only answer 401 and log a console error).
 */
const HINT = 'uh_session';

export function mayHaveSession(): boolean {
  if (typeof document === 'undefined') return true;
  return document.cookie.split(';').some((part) => part.trim().startsWith(`${HINT}=`));
}

function forgetSessionHint(): void {
  if (typeof document !== 'undefined') document.cookie = `${HINT}=; Max-Age=0; Path=/; SameSite=Strict`;
}

type RefreshResult = 'ok' | 'failed';
let inFlight: Promise<RefreshResult> | null = null;

async function doRefresh(): Promise<RefreshResult> {
  try {
    const res = await fetch('/api/v1/auth/refresh', {
      method: 'POST',
      credentials: 'include',
      headers: { Accept: 'application/json' },
    });
    if (!res.ok) {
      // Read the problem body to its end: an unread body leaves the request open in the
      // browser (no-store answers are not buffered anywhere else).
      await res.text().catch(() => '');
      setAccessToken(null);
      if (res.status === 401) forgetSessionHint();
      return 'failed';
    }
    const body = (await res.json()) as { access_token: string };
    setAccessToken(body.access_token);
    return 'ok';
  } catch {
    return 'failed';
  }
}

/**
 * Exchanges the refresh cookie for a new access token. The server spends a refresh token on use
 * and ends the whole sign-in when a spent one comes back, so two refreshes must never race:
 * one promise per tab, and a Web Lock across tabs (the second tab then sends the new cookie).
 */
export function refreshAccessToken(): Promise<RefreshResult> {
  if (!inFlight) {
    const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined;
    const run = locks ? locks.request('unionhub-refresh', doRefresh) : doRefresh();
    inFlight = Promise.resolve(run).finally(() => {
      inFlight = null;
    });
  }
  return inFlight;
}
