// @vitest-environment jsdom
import { screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { setAccessToken } from '../../api/session';
import { renderRoute } from '../../test/render';
import { UnionCadres } from './UnionCadres';

const json = (body: object, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

const post = (over: object) => ({
  id: 'p1',
  member_id: 'm1',
  member_name: 'Trần Thị Bích',
  member_card_number: '820000001',
  union_id: 'u1',
  union_name: 'CĐCS Công ty May Mỹ Tho',
  post: 'chair',
  full_time: true,
  from_date: '2023-01-01',
  to_date: null,
  decision_no: null,
  current: true,
  education_level: 'university',
  political_theory: 'trung_cap',
  version: 1,
  ...over,
});

describe('UnionCadres', () => {
  beforeEach(() => {
    setAccessToken(null);
    vi.stubGlobal(
      'fetch',
      vi.fn(async (input: RequestInfo) => {
        const p = new URL(input instanceof Request ? input.url : String(input), 'http://localhost').pathname;
        if (p === '/api/v1/auth/refresh') return json({ access_token: 't' });
        if (p === '/api/v1/auth/me') return json({ id: 'u', username: 'mytho', full_name: 'X', roles: [], permissions: ['unions:read', 'members:read'] });
        if (p === '/api/v1/unions/u1/cadres')
          return json([post({}), post({ id: 'p2', member_id: 'm2', member_name: 'Lê Văn Cường', post: 'vice_chair', education_level: null, political_theory: null })]);
        return json({ status: 404, code: 'not_found' }, 404);
      }),
    );
  });
  afterEach(() => vi.unstubAllGlobals());

  it("shows each cadre's current education and political-theory levels (issue 11)", async () => {
    renderRoute(<UnionCadres unionId="u1" />);
    const chair = (await screen.findByText('Trần Thị Bích')).closest('tr') as HTMLElement;
    expect(within(chair).getByText('Đại học')).toBeInTheDocument();
    expect(within(chair).getByText('Trung cấp')).toBeInTheDocument();
    expect(screen.getByRole('columnheader', { name: 'Trình độ học vấn' })).toBeInTheDocument();
    expect(screen.getByRole('columnheader', { name: 'Lý luận chính trị' })).toBeInTheDocument();
    const vice = screen.getByText('Lê Văn Cường').closest('tr') as HTMLElement;
    expect(within(vice).getAllByText('—')).toHaveLength(2);
  });
});
