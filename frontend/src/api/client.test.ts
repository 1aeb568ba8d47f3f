// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { api, authFetch, setSessionLostHandler, unwrap } from './client';
import { ApiError } from './problem';
import { getAccessToken, setAccessToken } from './session';

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': status >= 400 ? 'application/problem+json' : 'application/json' },
  });

function path(input: RequestInfo | URL): string {
  const url = input instanceof Request ? input.url : String(input);
  return new URL(url, 'http://localhost').pathname;
}

describe('authFetch', () => {
  let fetchMock: ReturnType<typeof vi.fn>;
  const lost = vi.fn();

  beforeEach(() => {
    fetchMock = vi.fn();
    vi.stubGlobal('fetch', fetchMock);
    setSessionLostHandler(lost);
    setAccessToken('old-token');
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    setSessionLostHandler(null);
    lost.mockReset();
  });

  it('sends the in-memory token', async () => {
    fetchMock.mockResolvedValueOnce(json(200, { ok: true }));
    await authFetch(new Request('http://localhost/api/v1/auth/me'));
    const sent = fetchMock.mock.calls[0][0] as Request;
    expect(sent.headers.get('Authorization')).toBe('Bearer old-token');
  });

  it('on 401 refreshes once through the cookie and repeats the request', async () => {
    fetchMock
      .mockResolvedValueOnce(json(401, { status: 401, code: 'token_invalid' }))
      .mockResolvedValueOnce(json(200, { access_token: 'new-token' }))
      .mockResolvedValueOnce(json(200, { items: [] }));
    const res = await authFetch(new Request('http://localhost/api/v1/unions'));
    expect(res.status).toBe(200);
    expect(fetchMock.mock.calls.map((c) => path(c[0]))).toEqual(['/api/v1/unions', '/api/v1/auth/refresh', '/api/v1/unions']);
    const refreshInit = fetchMock.mock.calls[1][1] as RequestInit;
    expect(refreshInit.credentials).toBe('include');
    expect((fetchMock.mock.calls[2][0] as Request).headers.get('Authorization')).toBe('Bearer new-token');
    expect(getAccessToken()).toBe('new-token');
    expect(lost).not.toHaveBeenCalled();
  });

  it('shares one refresh between requests that fail together', async () => {
    let refreshes = 0;
    fetchMock.mockImplementation(async (input: RequestInfo) => {
      if (path(input) === '/api/v1/auth/refresh') {
        refreshes += 1;
        return json(200, { access_token: 'fresh' });
      }
      const auth = (input as Request).headers.get('Authorization');
      return auth === 'Bearer fresh' ? json(200, {}) : json(401, { status: 401, code: 'token_invalid' });
    });
    const results = await Promise.all([1, 2, 3].map(() => authFetch(new Request('http://localhost/api/v1/unions'))));
    expect(results.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(refreshes).toBe(1);
  });

  it('gives up after a failed refresh and reports the lost session', async () => {
    fetchMock
      .mockResolvedValueOnce(json(401, { status: 401, code: 'token_invalid' }))
      .mockResolvedValueOnce(json(401, { status: 401, code: 'token_reused' }));
    const res = await authFetch(new Request('http://localhost/api/v1/unions'));
    expect(res.status).toBe(401);
    expect(fetchMock).toHaveBeenCalledTimes(2);
    expect(getAccessToken()).toBeNull();
    expect(lost).toHaveBeenCalledOnce();
  });

  it('never refreshes for the sign-in request itself', async () => {
    fetchMock.mockResolvedValueOnce(json(401, { status: 401, code: 'invalid_credentials' }));
    const res = await authFetch(new Request('http://localhost/api/v1/auth/token', { method: 'POST' }));
    expect(res.status).toBe(401);
    expect(fetchMock).toHaveBeenCalledTimes(1);
    expect(lost).not.toHaveBeenCalled();
  });
});

describe('unwrap', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('throws the problem as an ApiError', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn().mockResolvedValue(
        json(422, { status: 422, code: 'validation_error', errors: [{ field: 'code', code: 'code_taken', message: 'taken' }] }),
      ),
    );
    const error = await unwrap(api.GET('/api/v1/unions')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).problem.errors?.[0].code).toBe('code_taken');
  });
});
