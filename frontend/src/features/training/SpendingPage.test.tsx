// @vitest-environment jsdom
import { fireEvent, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { setAccessToken } from '../../api/session';
import { renderRoute } from '../../test/render';
import SpendingPage from './SpendingPage';
import type { SpendingRead } from './spending';

const json = (body: object, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': status >= 400 ? 'application/problem+json' : 'application/json' } });

const row = (over: Partial<SpendingRead>): SpendingRead => ({
  id: 's1',
  union_id: 'g1',
  union_name: 'Công đoàn cơ sở Trường Mầm non Thiên Hộ Dương',
  year: 2025,
  total_spend: 150_000_000,
  training_spend: 24_000_000,
  source: 'Báo cáo quyết toán năm 2025',
  status: 'draft',
  approved_at: null,
  note: null,
  review_comment: null,
  suggested_training_spend: 0,
  may_approve: false,
  may_edit: false,
  version: 3,
  ...over,
});

function setup(items: SpendingRead[], permissions: string[]) {
  const calls: { method: string; path: string; headers: Headers; body: string | null }[] = [];
  const fetchMock = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const req = input instanceof Request ? input : new Request(new URL(String(input), 'http://localhost'), init);
    const url = new URL(req.url, 'http://localhost');
    const body = req.method === 'GET' ? null : await req.text();
    calls.push({ method: req.method, path: url.pathname, headers: req.headers, body });
    if (url.pathname === '/api/v1/auth/refresh') return json({ access_token: 't' });
    if (url.pathname === '/api/v1/auth/me') return json({ id: 'u', username: 'cdcs', full_name: 'X', roles: [], permissions });
    if (url.pathname === '/api/v1/finance/spending') return json({ items, total: items.length, page: 1, size: 20, pages: 1 });
    const transition = /^\/api\/v1\/finance\/spending\/(\w+)\/(submit|approve|return)$/.exec(url.pathname);
    if (transition) return json({ ...items[0], status: { submit: 'submitted', approve: 'approved', return: 'returned' }[transition[2]], version: 4 });
    return json({ status: 404, code: 'not_found' }, 404);
  });
  vi.stubGlobal('fetch', fetchMock);
  return calls;
}

describe('SpendingPage', () => {
  beforeEach(() => setAccessToken(null));
  afterEach(() => vi.unstubAllGlobals());

  it('lists the figures in đồng with the training share; no entering without spending:write', async () => {
    setup([row({ status: 'approved' })], ['training:read']);
    renderRoute(<SpendingPage />);
    const line = (await screen.findByText('Báo cáo quyết toán năm 2025')).closest('tr')!;
    expect(within(line).getByText('150.000.000 đ')).toBeInTheDocument();
    expect(within(line).getByText('24.000.000 đ')).toBeInTheDocument();
    expect(within(line).getByText('16%')).toBeInTheDocument();
    expect(within(line).getByText('Đã duyệt')).toBeInTheDocument();
    // A reader without spending:write has no "enter figures" button.
    expect(screen.queryByRole('button', { name: /Nhập số liệu/ })).toBeNull();
  });

  it('shows an empty state when nothing matches', async () => {
    setup([], ['training:read', 'spending:write']);
    renderRoute(<SpendingPage />);
    expect(await screen.findByText('Chưa có số liệu chi nào khớp bộ lọc.')).toBeInTheDocument();
    expect(await screen.findByRole('button', { name: /Nhập số liệu/ })).toBeInTheDocument();
  });

  it('lets the superior approve submitted figures, conditional on their version', async () => {
    const calls = setup([row({ status: 'submitted', may_approve: true })], ['training:read']);
    renderRoute(<SpendingPage />);
    fireEvent.click(await screen.findByRole('button', { name: /^Xem Công đoàn cơ sở/ }));
    const dialog = await screen.findByRole('dialog');
    expect(within(dialog).getByText('Số liệu đang chờ cấp trên duyệt.')).toBeInTheDocument();
    expect(within(dialog).queryByRole('button', { name: 'Gửi cấp trên duyệt' })).toBeNull();
    expect(within(dialog).queryByRole('button', { name: 'Lưu' })).toBeNull();
    fireEvent.click(within(dialog).getByRole('button', { name: 'Duyệt' }));
    expect(await screen.findByText('Đã duyệt số liệu chi.')).toBeInTheDocument();
    const approve = calls.find((c) => c.path === '/api/v1/finance/spending/s1/approve')!;
    expect(approve.method).toBe('POST');
    expect(approve.headers.get('if-match')).toBe('"3"');
  });

  it('returns submitted figures only with the superior\'s comment', async () => {
    const calls = setup([row({ status: 'submitted', may_approve: true })], ['training:read']);
    renderRoute(<SpendingPage />);
    fireEvent.click(await screen.findByRole('button', { name: /^Xem Công đoàn cơ sở/ }));
    fireEvent.click(within(await screen.findByRole('dialog')).getByRole('button', { name: 'Trả lại' }));
    const asking = (await screen.findByText(/^Trả lại số liệu chi của/)).closest<HTMLElement>('[role="dialog"]')!;
    const confirm = within(asking).getByRole('button', { name: 'Trả lại' });
    expect(confirm).toBeDisabled();
    fireEvent.change(within(asking).getByLabelText('Ý kiến của cấp trên'), { target: { value: 'Thiếu chứng từ chi đào tạo' } });
    fireEvent.click(confirm);
    expect(await screen.findByText('Đã trả lại số liệu chi.')).toBeInTheDocument();
    const sent = calls.find((c) => c.path === '/api/v1/finance/spending/s1/return')!;
    expect(JSON.parse(sent.body!)).toEqual({ comment: 'Thiếu chứng từ chi đào tạo' });
    expect(sent.headers.get('if-match')).toBe('"3"');
  });

  it('keeps approved figures read-only, even for the union that entered them', async () => {
    setup([row({ status: 'approved', may_edit: false, approved_at: '2026-03-02T08:00:00Z' })], ['training:read', 'spending:write']);
    renderRoute(<SpendingPage />);
    fireEvent.click(await screen.findByRole('button', { name: /^Xem Công đoàn cơ sở/ }));
    const dialog = await screen.findByRole('dialog');
    expect(within(dialog).getByText('Số liệu đã duyệt, không sửa được nữa.')).toBeInTheDocument();
    expect(within(dialog).getByText(/^Duyệt lúc 0[23]\/03\/2026 \d\d:\d\d$/)).toBeInTheDocument();
    expect(within(dialog).getByLabelText('Tổng chi hoạt động (đồng)')).toBeDisabled();
    for (const name of ['Lưu', 'Gửi cấp trên duyệt', 'Duyệt', 'Trả lại']) expect(within(dialog).queryByRole('button', { name })).toBeNull();
  });

  it('offers the course budgets as training spend on a draft the union may change', async () => {
    setup(
      [row({ status: 'returned', may_edit: true, note: 'Gồm chi tập huấn quý IV', review_comment: 'Thiếu chứng từ', suggested_training_spend: 12_500_000 })],
      ['training:read', 'spending:write'],
    );
    renderRoute(<SpendingPage />);
    fireEvent.click(await screen.findByRole('button', { name: /^Xem Công đoàn cơ sở/ }));
    const dialog = await screen.findByRole('dialog');
    // The superior's comment in the notice; the union's own note stays in its field.
    expect(within(dialog).getByRole('alert')).toHaveTextContent('Bị trả lạiThiếu chứng từ');
    expect(within(dialog).getByLabelText('Ghi chú')).toHaveValue('Gồm chi tập huấn quý IV');
    expect(within(dialog).getByTestId('spending-suggested')).toHaveTextContent('12.500.000 đ');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Dùng giá trị này' }));
    expect(within(dialog).getByLabelText('Chi đào tạo, bồi dưỡng (đồng)')).toHaveValue('12.500.000');
    expect(within(dialog).getByRole('button', { name: 'Gửi cấp trên duyệt' })).toBeInTheDocument();
  });
});
