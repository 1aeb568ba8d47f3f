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
