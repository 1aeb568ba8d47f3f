// @vitest-environment jsdom
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { setAccessToken } from '../../api/session';
import { renderRoute } from '../../test/render';
import SignInPage from './SignInPage';

const problem = (status: number, body: object) =>
  new Response(JSON.stringify({ status, ...body }), { status, headers: { 'Content-Type': 'application/problem+json' } });
const ok = (body: object) => new Response(JSON.stringify(body), { status: 200, headers: { 'Content-Type': 'application/json' } });

function route(input: RequestInfo | URL): string {
  return new URL(input instanceof Request ? input.url : String(input), 'http://localhost').pathname;
}

describe('SignInPage', () => {
  let fetchMock: ReturnType<typeof vi.fn>;
  beforeEach(() => {
    setAccessToken(null);
    fetchMock = vi.fn();
    vi.stubGlobal('fetch', fetchMock);
  });
  afterEach(() => vi.unstubAllGlobals());

  it('shows a wrong password in Vietnamese and clears the password', async () => {
    fetchMock.mockImplementation(async (input: RequestInfo) => {
      if (route(input) === '/api/v1/auth/refresh') return problem(401, { code: 'token_missing' });
      return problem(401, { code: 'invalid_credentials', detail: 'Wrong username or password.' });
    });
    renderRoute(<SignInPage />, { path: '/signin' });
    const user = userEvent.setup();
    await user.type(await screen.findByLabelText('Tên đăng nhập'), 'mytho');
    await user.type(screen.getByLabelText('Mật khẩu'), 'wrong-password-1');
    await user.click(screen.getByRole('button', { name: 'Đăng nhập' }));
    expect(await screen.findByText('Tên đăng nhập hoặc mật khẩu không đúng.')).toBeInTheDocument();
    await waitFor(() => expect(screen.getByLabelText('Mật khẩu')).toHaveValue(''));
  });

  it('puts a field error from the server beside the field', async () => {
    fetchMock.mockImplementation(async (input: RequestInfo) => {
      if (route(input) === '/api/v1/auth/refresh') return problem(401, { code: 'token_missing' });
      return problem(422, {
        code: 'validation_error',
        errors: [{ field: 'username', in: 'body', code: 'too_long', message: 'Too long.' }],
      });
    });
    renderRoute(<SignInPage />, { path: '/signin' });
    const user = userEvent.setup();
    await user.type(await screen.findByLabelText('Tên đăng nhập'), 'someone');
    await user.type(screen.getByLabelText('Mật khẩu'), 'whatever-123');
    await user.click(screen.getByRole('button', { name: 'Đăng nhập' }));
    const message = await screen.findByText('Nội dung quá dài.');
    expect(message.closest('.ant-form-item')).toContainElement(screen.getByLabelText('Tên đăng nhập'));
  });

  it('signs in and goes back to where the user was', async () => {
    fetchMock.mockImplementation(async (input: RequestInfo) => {
      const p = route(input);
      if (p === '/api/v1/auth/refresh') return problem(401, { code: 'token_missing' });
      if (p === '/api/v1/auth/token') return ok({ access_token: 'a.b.c', refresh_token: 'r', expires_in: 900, refresh_expires_in: 1 });
      if (p === '/api/v1/auth/me') {
        return ok({ id: '1', username: 'mytho', full_name: 'Trần Văn Phước', email: null, roles: [], permissions: ['unions:read'] });
      }
      return problem(404, { code: 'not_found' });
    });
    const { router } = renderRoute(<SignInPage />, {
      path: '/signin',
      at: '/signin?next=%2Funions%3Fas_of%3D2023-12-31',
      extra: [{ path: '/unions', element: <p>tree page</p> }],
    });
    const user = userEvent.setup();
    await user.type(await screen.findByLabelText('Tên đăng nhập'), 'mytho');
    await user.type(screen.getByLabelText('Mật khẩu'), 'UnionHub@2026');
    await user.click(screen.getByRole('button', { name: 'Đăng nhập' }));
    expect(await screen.findByText('tree page')).toBeInTheDocument();
    expect(router.state.location.search).toBe('?as_of=2023-12-31');
    const tokenCall = fetchMock.mock.calls.find((c) => route(c[0]) === '/api/v1/auth/token')![0] as Request;
    expect(await tokenCall.text()).toContain('username=mytho');
    expect(localStorage.length).toBe(0);
  });
});
