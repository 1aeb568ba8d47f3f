// @vitest-environment jsdom
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { setAccessToken } from '../../api/session';
import { renderRoute } from '../../test/render';
import MemberFormPage from './MemberFormPage';

const json = (body: object, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': status >= 400 ? 'application/problem+json' : 'application/json' } });

const UNION = { id: '01a22936-3fea-711b-8b42-1f8c37791420', code: 'TG-MT-0005', name: 'Công đoàn cơ sở Công ty TNHH MTV Lương thực Cửu Long', level: 'grassroots' };

describe('MemberFormPage (admission)', () => {
  let sent: Record<string, unknown> | null;
  beforeEach(() => {
    setAccessToken(null);
    sent = null;
    vi.stubGlobal(
      'fetch',
      vi.fn(async (input: RequestInfo) => {
        // The refresh call passes a path string; the generated client passes Requests.
        const request = typeof input === 'string' ? new Request(new URL(input, 'http://localhost')) : input;
        const path = new URL(request.url, 'http://localhost').pathname;
        if (path === '/api/v1/auth/refresh') return json({ access_token: 't' });
        if (path === '/api/v1/auth/me') return json({ id: 'u', username: 'mytho', full_name: 'X', roles: [], permissions: ['members:read', 'members:write'] });
        if (path === '/api/v1/unions') return json({ items: [UNION], total: 1, page: 1, size: 20, pages: 1 });
        if (path === '/api/v1/members' && request.method === 'POST') {
          sent = (await request.json()) as Record<string, unknown>;
          return json(
            {
              status: 422,
              code: 'validation_error',
              errors: [
                {
                  field: 'personal_id',
                  in: 'body',
                  code: 'personal_id_year_mismatch',
                  message: 'The personal ID number gives birth year 1995, but the date of birth is in 1990.',
                  params: { value: '082095001234', id_year: 1995, birth_year: 1990 },
                },
              ],
            },
            422,
          );
        }
        return json({ status: 404, code: 'not_found' }, 404);
      }),
    );
  });
  afterEach(() => vi.unstubAllGlobals());

  it("puts the server's personal ID error beside \"Số định danh cá nhân\", in Vietnamese", async () => {
    renderRoute(<MemberFormPage />, { path: '/members/new' });
    // No pause between keystrokes: the test types some 40 characters into antd inputs.
    const user = userEvent.setup({ delay: null });
    await user.type(await screen.findByLabelText('Họ và tên'), 'Phạm Văn Kiểm Thử');
    await user.type(screen.getByLabelText('Ngày sinh'), '12/05/1990{Tab}');
    await user.click(screen.getByLabelText('Giới tính'));
    await user.click(await screen.findByTitle('Nam'));
    await user.type(screen.getByLabelText('Số định danh cá nhân'), '082095001234');
    await user.click(screen.getByLabelText('Đơn vị sinh hoạt'));
    await user.click(await screen.findByText(`${UNION.name} (${UNION.code})`));
    await user.click(screen.getByRole('button', { name: 'Kết nạp' }));

    const message = await screen.findByText('Số định danh "082095001234" ứng với năm sinh 1995, nhưng ngày sinh đã khai năm 1990.');
    expect(message.closest('.ant-form-item')).toContainElement(screen.getByLabelText('Số định danh cá nhân'));
    await waitFor(() => expect(sent).not.toBeNull());
    expect(sent).toMatchObject({
      full_name: 'Phạm Văn Kiểm Thử',
      date_of_birth: '1990-05-12',
      gender: 'male',
      personal_id: '082095001234',
      nationality: 'VN',
      union_id: UNION.id,
      card_number: null,
    });
    // Typing into a dozen antd fields in jsdom takes 10-30 s on a busy machine.
  }, 60_000);
});
