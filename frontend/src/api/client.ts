import createClient from 'openapi-fetch';
import type { components, paths } from '../client/schema';
import { ApiError, isProblem, toApiError } from './problem';
import { getAccessToken, refreshAccessToken, setAccessToken } from './session';

export type Schemas = components['schemas'];

let onSessionLost: (() => void) | null = null;

/** The auth provider registers what happens when a sign-in cannot be renewed. */
export function setSessionLostHandler(fn: (() => void) | null): void {
  onSessionLost = fn;
}

const NO_RETRY = ['/api/v1/auth/token', '/api/v1/auth/refresh'];

function withToken(request: Request): Request {
  const token = getAccessToken();
  const headers = new Headers(request.headers);
  if (token) headers.set('Authorization', `Bearer ${token}`);
  else headers.delete('Authorization');
  return new Request(request, { headers, credentials: 'include' });
}

/**
 * fetch for the generated client: sends the in-memory access token; on a 401 it renews the token
 * once through the refresh cookie and repeats the request; when that fails the user is sent to
 * sign in (and back afterwards).
 */
export async function authFetch(request: Request): Promise<Response> {
  const retry = request.clone();
  const response = await fetch(withToken(request));
  const path = new URL(request.url, globalThis.location?.href ?? 'http://localhost').pathname;
  if (response.status !== 401 || NO_RETRY.includes(path)) return response;

  const renewed = await refreshAccessToken();
  if (renewed === 'ok') {
    const again = await fetch(withToken(retry));
    if (again.status !== 401) return again;
  }
  setAccessToken(null);
  onSessionLost?.();
  return response;
}

// Absolute same-origin URLs: the dev server proxies /api, production serves both from one origin.
export const api = createClient<paths>({ baseUrl: globalThis.location?.origin ?? '', fetch: authFetch });

interface FetchResult<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** Awaits a client call and returns its data, or throws an ApiError built from the problem. */
export async function unwrap<T>(call: Promise<FetchResult<T>>): Promise<T> {
  let result: FetchResult<T>;
  try {
    result = await call;
  } catch (error) {
    throw toApiError(error);
  }
  if (result.error !== undefined || !result.response.ok) {
    const body = result.error;
    if (isProblem(body)) throw new ApiError(body);
    throw new ApiError({
      status: result.response.status,
      code: result.response.status === 404 ? 'not_found' : 'http_error',
      detail: typeof body === 'string' ? body : result.response.statusText,
    });
  }
  return result.data as T;
}

/** If-Match value for a row version the API returned (its ETag is the quoted version). */
export function ifMatch(version: number): { 'if-match': string } {
  return { 'if-match': `"${version}"` };
}
