import { describe, expect, it } from 'vitest';
import { LEVELS } from '../unions/labels';
import { levelRows, monthLabel } from './figures';

describe('overview figures', () => {
  it('folds level x sector counts into one row per level, in tree order', () => {
    const rows = levelRows(
      [
        { level: 'union_group', sector: 'state', count: 3 },
        { level: 'grassroots', sector: 'non_state', count: 5 },
        { level: 'grassroots', sector: 'state', count: 2 },
        { level: 'direct_superior', sector: 'state', count: 4 },
      ],
      LEVELS,
    );
    expect(rows).toEqual([
      { level: 'direct_superior', state: 4, non_state: 0, total: 4 },
      { level: 'grassroots', state: 2, non_state: 5, total: 7 },
      { level: 'union_group', state: 3, non_state: 0, total: 3 },
    ]);
  });

  it('labels months as mm/yyyy', () => {
    expect(monthLabel('2025-07')).toBe('07/2025');
  });
});
