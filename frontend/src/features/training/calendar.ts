import dayjs, { type Dayjs } from 'dayjs';
import { API_DATE } from '../../lib/format';

/** The month a calendar shows, as the address bar keeps it: "2025-03". */
export const MONTH_PARAM = 'YYYY-MM';

/** "2025-03" -> the first day of that month; undefined for anything else (a hand-edited URL). */
export function parseMonth(value: string | undefined): Dayjs | undefined {
  if (!value || !/^\d{4}-\d{2}$/.test(value)) return undefined;
  const d = dayjs(value, MONTH_PARAM, true);
  return d.isValid() && d.year() >= 1900 && d.year() <= 2100 ? d.startOf('month') : undefined;
}

/**
 * The days a month's grid may show: the calendar draws six weeks from the week holding the
 * 1st, whichever day the week starts on (Monday in Vietnamese, Sunday in English), so this
 * asks from a week before the 1st to six weeks after it: every course drawn is in the answer.
 */
export function monthRange(month: Dayjs): { starts_from: string; starts_to: string } {
  const first = month.startOf('month');
  return { starts_from: first.subtract(7, 'day').format(API_DATE), starts_to: first.add(42, 'day').format(API_DATE) };
}

interface Dated {
  starts_on: string;
  ends_on: string;
  title: string;
}

/** The courses running on `day` (first and last days included), earliest start first. */
export function coursesOn<C extends Dated>(courses: readonly C[], day: Dayjs): C[] {
  const iso = day.format(API_DATE);
  return courses
    .filter((c) => c.starts_on <= iso && iso <= c.ends_on)
    .sort((a, b) => a.starts_on.localeCompare(b.starts_on) || a.title.localeCompare(b.title, 'vi'));
}
