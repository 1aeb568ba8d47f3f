import type { Overview } from './api';

export interface LevelRow {
  level: string;
  state: number;
  non_state: number;
  total: number;
}

/** unions_by_level (one row per level and sector) -> one row per level, in `order`. */
export function levelRows(counts: Overview['unions_by_level'], order: readonly string[]): LevelRow[] {
  const rows = new Map<string, LevelRow>();
  for (const c of counts) {
    const row = rows.get(c.level) ?? { level: c.level, state: 0, non_state: 0, total: 0 };
    if (c.sector === 'state') row.state += c.count;
    else row.non_state += c.count;
    row.total += c.count;
    rows.set(c.level, row);
  }
  const rank = (level: string) => {
    const i = order.indexOf(level);
    return i < 0 ? order.length : i;
  };
  return [...rows.values()].sort((a, b) => rank(a.level) - rank(b.level));
}

/** "2025-07" -> "07/2025", the way the charts label months. */
export function monthLabel(month: string): string {
  const [y, m] = month.split('-');
  return y && m ? `${m}/${y}` : month;
}

/**
 * Where each figure of the overview leads: the list behind it, narrowed to the union chosen
 * (all the caller's units when none is).
 */
export function figureLinks(unionId: string | undefined, year: number) {
  const members = (extra: string) => `/members?${unionId ? `union_id=${unionId}&` : ''}${extra}`;
  return {
    unions: (levels?: string[], sector?: string) => {
      const q = new URLSearchParams();
      if (unionId) q.set('under_id', unionId);
      q.append('status', 'active');
      for (const l of levels ?? []) q.append('level', l);
      if (sector) q.set('sector', sector);
      return `/unions/list?${q.toString()}`;
    },
    members: (status: string, gender?: string) => members(`status=${status}${gender ? `&gender=${gender}` : ''}`),
    newThisYear: () => members(`admitted_from=${year}-01-01`),
    /** "2025-07" -> the members admitted that month. */
    month: (month: string) => {
      const [y, m] = month.split('-').map(Number);
      const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
      return members(`admitted_from=${month}-01&admitted_to=${month}-${String(last).padStart(2, '0')}`);
    },
    enterprises: (extra?: string) =>
      `/enterprises${unionId || extra ? '?' : ''}${[unionId ? `union_id=${unionId}` : '', extra ?? ''].filter(Boolean).join('&')}`,
    gap: () => '/enterprises/gap',
  };
}
