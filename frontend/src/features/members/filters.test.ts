import { describe, expect, it } from 'vitest';
import { activeFilterCount, memberFilterQuery, memberListQuery } from './filters';

const UNION = '01a22936-42e6-7340-979e-e0b822fe507c';

describe('member list query', () => {
  it('defaults: first page of 20, by name, masked', () => {
    expect(memberListQuery({})).toEqual({ sort: 'name', page: 1, size: 20, reveal_pii: undefined });
  });

  it('passes the filters the API knows', () => {
    const q = memberListQuery(
      { q: ' nguyen ', status: ['active', 'suspended'], gender: 'female', age_min: 18, age_max: 35, admitted_from: '2024-01-01', admitted_to: '2024-12-31', cadre: true, sort: '-admission_date', page: 3, size: 50 },
      true,
    );
    expect(q).toMatchObject({
      q: 'nguyen',
      status: ['active', 'suspended'],
      gender: 'female',
      age_min: 18,
      age_max: 35,
      admitted_from: '2024-01-01',
      admitted_to: '2024-12-31',
      is_cadre: true,
      sort: '-admission_date',
      page: 3,
      size: 50,
      reveal_pii: true,
    });
  });

  it('includes the subtree of a chosen union unless told not to', () => {
    expect(memberFilterQuery({ union_id: UNION })).toMatchObject({ union_id: UNION, include_subtree: true });
    expect(memberFilterQuery({ union_id: UNION, subtree: false })).toMatchObject({ include_subtree: false });
    expect(memberFilterQuery({ subtree: false }).include_subtree).toBeUndefined();
  });

  it('drops values the API would refuse', () => {
    const q = memberListQuery({ status: ['active', 'bogus'], gender: 'x', age_min: 200, admitted_from: '31/12/2024', union_id: 'not-a-uuid', sort: 'salary', size: 7 });
    expect(q).toEqual({ status: ['active'], sort: 'name', page: 1, size: 20, reveal_pii: undefined });
  });

  it('counts the filters in use (paging and sort are not filters)', () => {
    expect(activeFilterCount({ page: 2, sort: '-name' })).toBe(0);
    expect(activeFilterCount({ q: 'tran', union_id: UNION, cadre: false })).toBe(3);
  });
});
