import { describe, expect, it } from 'vitest';
import { enterpriseFilterCount, enterpriseFilterQuery, enterpriseListQuery } from './filters';

describe('enterprise list query', () => {
  it('maps the URL filters onto the API', () => {
    expect(enterpriseFilterQuery({ q: 'may', ownership: ['fdi', 'x'], status: ['operating'], has_union: false, eligible: true, min_workers: 20 })).toEqual({
      q: 'may',
      ownership: ['fdi'],
      operating_status: ['operating'],
      has_union: false,
      eligible: true,
      min_workers: 20,
      responsible_union_id: undefined,
    });
  });

  it('leaves "eligible: no" out (it is not a filter) and falls back on bad sort and size', () => {
    const q = enterpriseListQuery({ eligible: false, sort: '-total_workers', size: 13 });
    expect(q.eligible).toBeUndefined();
    expect(q.sort).toBe('-total_workers');
    expect(q.size).toBe(20);
    expect(enterpriseListQuery({ sort: 'tax' }).sort).toBe('name');
  });

  it('counts the filters in use', () => {
    expect(enterpriseFilterCount({ page: 4 })).toBe(0);
    expect(enterpriseFilterCount({ q: 'x', min_workers: 0 })).toBe(2);
  });
});
