// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { mayHaveSession, refreshAccessToken, setAccessToken } from './session';

const problem = (status: number) =>
  new Response(JSON.stringify({ status, code: 'token_missing' }), {
    status,
    headers: { 'Content-Type': 'application/problem+json' },
  });

describe('the session hint cookie', () => {
  beforeEach(() => {
    setAccessToken(null);
    document.cookie = 'uh_session=; Max-Age=0; Path=/';
    vi.stubGlobal('fetch', vi.fn(async () => problem(401)));
  });
  afterEach(() => vi.unstubAllGlobals());

  it('says no session can exist when the server never set the hint', () => {
    document.cookie = 'other=1; Path=/';
    expect(mayHaveSession()).toBe(false);
  });

  it('says a session may exist when the hint is there', () => {
    document.cookie = 'uh_session=1; Path=/';
    expect(mayHaveSession()).toBe(true);
  });

  it('forgets the hint when the refresh cookie turns out to be gone', async () => {
    document.cookie = 'uh_session=1; Path=/';
    expect(await refreshAccessToken()).toBe('failed');
    expect(mayHaveSession()).toBe(false);
  });
});
