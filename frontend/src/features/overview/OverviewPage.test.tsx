// @vitest-environment jsdom
import { fireEvent, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { setAccessToken } from '../../api/session';
import { renderRoute } from '../../test/render';
import OverviewPage from './OverviewPage';

// ECharts needs a real layout engine; the chart's input is what this test looks at.
vi.mock('../../components/EChart', () => ({
  default: ({ label, option }: { label: string; option: { series: { data: number[] }[] } }) => (
    <div data-testid="chart" aria-label={label}>
      {option.series[0].data.join(',')}
    </div>
  ),
}));

const json = (body: object, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': status >= 400 ? 'application/problem+json' : 'application/json' } });

const OVERVIEW = {
  as_of: '2026-11-29',
  root_union_id: 'r1',
  root_union_name: 'Công đoàn phường Mỹ Tho',
  held_units: [{ id: 'r1', code: 'MT', name: 'Công đoàn phường Mỹ Tho', short_name: null, level: 'direct_superior', status: 'active' }],
  unions_by_level: [
    { level: 'grassroots', sector: 'non_state', count: 5 },
    { level: 'grassroots', sector: 'state', count: 2 },
    { level: 'direct_superior', sector: 'state', count: 4 },
  ],
  unions_total: 11,
  members: { active: 5179, suspended: 95, new_this_year: 12, female: 3357 },
  enterprises: { total: 44, operating: 44, with_union: 34, eligible_without_union: 3, workers_without_union: 120 },
  members_by_child: [
    { union_id: 'c1', name: 'Công đoàn cơ sở Trường Mầm non Thiên Hộ Dương', short_name: null, members: 14 },
    { union_id: 'c2', name: 'Công đoàn cơ sở Công ty Giày da Phú Hưng', short_name: 'CĐCS Phú Hưng', members: 9 },
  ],
  admissions_by_month: [
    { month: '2025-12', admissions: 2 },
    { month: '2026-01', admissions: 0 },
  ],
};

const PROGRAMME = {
  id: 'p5',
  union_id: 'r1',
  union_name: 'LĐLĐ tỉnh Tiền Giang',
  number: '05/Ctr-LĐLĐ',
  title: 'Phát triển đoàn viên nhiệm kỳ 2018-2023',
  legal_basis: null,
  term_start: '2018-06-21',
  planned_end: '2023-12-31',
  actual_end: null,
  end_reason: null,
  version: 1,
};

function route(input: RequestInfo | URL): string {
  return new URL(input instanceof Request ? input.url : String(input), 'http://localhost').pathname;
}

describe('OverviewPage', () => {
  let fetchMock: ReturnType<typeof vi.fn>;
  beforeEach(() => {
    setAccessToken(null);
    fetchMock = vi.fn(async (input: RequestInfo) => {
      const p = route(input);
      if (p === '/api/v1/auth/refresh') return json({ access_token: 't' });
      if (p === '/api/v1/auth/me') return json({ id: 'u', username: 'mytho', full_name: 'X', roles: [], permissions: ['unions:read'] });
      if (p === '/api/v1/reports/overview') return json(OVERVIEW);
      if (p === '/api/v1/programmes') return json({ items: [PROGRAMME], total: 1, page: 1, size: 100, pages: 1 });
      return json({ status: 404, code: 'not_found' }, 404);
    });
    vi.stubGlobal('fetch', fetchMock);
  });
  afterEach(() => vi.unstubAllGlobals());

  it('draws every figure from one report request, in vi-VN numbers', async () => {
    renderRoute(<OverviewPage />);
    expect(await screen.findByText('Phạm vi: Công đoàn phường Mỹ Tho · số liệu ngày 29/11/2026')).toBeInTheDocument();
    expect(within(screen.getByTestId('stat-members')).getByText('5.179')).toBeInTheDocument();
    // Every figure leads to the list behind it.
    expect(screen.getByRole('link', { name: 'Nữ: 3.357' })).toHaveAttribute('href', '/members?status=active&gender=female');
    expect(screen.getByRole('link', { name: 'tạm dừng sinh hoạt: 95' })).toHaveAttribute('href', '/members?status=suspended');
    expect(screen.getByTestId('stat-members-link')).toHaveAttribute('href', '/members?status=active');
    expect(screen.getByTestId('stat-grassroots-link')).toHaveAttribute('href', '/unions/list?status=active&level=grassroots&level=occupational');
    // One unit held: no switcher.
    expect(screen.queryByTestId('held-units')).not.toBeInTheDocument();
    const table = screen.getByTestId('level-table');
    const grassroots = within(table).getByText('Công đoàn cơ sở').closest('tr')!;
    expect(grassroots).toHaveTextContent(/2\s*5\s*7/);
    const charts = await screen.findAllByTestId('chart');
    expect(charts.map((c) => c.textContent)).toEqual(['14,9', '2,0']);
    const reports = fetchMock.mock.calls.filter(([input]) => route(input).startsWith('/api/v1/reports'));
    expect(reports).toHaveLength(1);
    expect(fetchMock.mock.calls.some(([input]) => route(input).startsWith('/api/v1/unions'))).toBe(false);
    // The programmes come first, each a link to its progress dashboard.
    const programme = await screen.findByRole('link', { name: '05/Ctr-LĐLĐ · Phát triển đoàn viên nhiệm kỳ 2018-2023' });
    expect(programme).toHaveAttribute('href', '/programmes/p5');
    expect(screen.getByText(/21\/06\/2018 – 31\/12\/2023/)).toBeInTheDocument();
  });

  it('names every unit of an officer of several, with "all" first, and narrows to one', async () => {
    const held = [
      { id: 'w1', code: 'X1', name: 'Công đoàn phường Mỹ Tho', short_name: null, level: 'direct_superior', status: 'active' },
      { id: 'w2', code: 'X2', name: 'Công đoàn phường Đạo Thạnh', short_name: null, level: 'direct_superior', status: 'active' },
      { id: 'd1', code: 'MT', name: 'Liên đoàn Lao động thành phố Mỹ Tho', short_name: null, level: 'direct_superior', status: 'dissolved' },
    ];
    fetchMock.mockImplementation(async (input: RequestInfo) => {
      const url = new URL(input instanceof Request ? input.url : String(input), 'http://localhost');
      if (url.pathname === '/api/v1/auth/refresh') return json({ access_token: 't' });
      if (url.pathname === '/api/v1/auth/me') return json({ id: 'u', username: 'mytho', full_name: 'X', roles: [], permissions: [] });
      if (url.pathname === '/api/v1/programmes') return json({ items: [], total: 0, page: 1, size: 100, pages: 0 });
      const one = url.searchParams.get('union_id');
      return json({
        ...OVERVIEW,
        held_units: held,
        root_union_id: one,
        root_union_name: one ? held.find((h) => h.id === one)!.name : null,
      });
    });
    renderRoute(<OverviewPage />);
    expect(await screen.findByText('Phạm vi: tất cả 3 đơn vị bạn phụ trách · số liệu ngày 29/11/2026')).toBeInTheDocument();
    const units = screen.getAllByTestId('held-unit');
    expect(units.map((u) => u.textContent)).toEqual(['Công đoàn phường Mỹ Tho', 'Công đoàn phường Đạo Thạnh', 'LĐLĐ TP Mỹ Tho (Đã giải thể)']);
    expect(within(units[2]).getByTitle('Liên đoàn Lao động thành phố Mỹ Tho')).toBeInTheDocument();
    fireEvent.click(units[1]);
    expect(await screen.findByText('Phạm vi: Công đoàn phường Đạo Thạnh · số liệu ngày 29/11/2026')).toBeInTheDocument();
    expect(screen.getByTestId('stat-members-link')).toHaveAttribute('href', '/members?union_id=w2&status=active');
  });

  it('says so when no subordinate union has members', async () => {
    fetchMock.mockImplementation(async (input: RequestInfo) => {
      const p = route(input);
      if (p === '/api/v1/auth/refresh') return json({ access_token: 't' });
      if (p === '/api/v1/auth/me') return json({ id: 'u', username: 'x', full_name: 'X', roles: [], permissions: [] });
      if (p === '/api/v1/programmes') return json({ items: [], total: 0, page: 1, size: 100, pages: 0 });
      return json({ ...OVERVIEW, members_by_child: [] });
    });
    renderRoute(<OverviewPage />);
    expect(await screen.findByText('Các đơn vị trực thuộc chưa có đoàn viên.')).toBeInTheDocument();
    expect(await screen.findByText('Chưa có chương trình nào trong phạm vi của bạn.')).toBeInTheDocument();
  });
});
