import { dayjs } from '../../lib/format';
import type { ParamValues } from '../../lib/urlState';
import type { MemberListQuery } from './api';
import { GENDERS, MEMBER_STATUSES, type Gender, type MemberStatus } from './labels';

/** The member list's filters as they appear in the address bar (/members?q=nguyen&status=active). */
export const MEMBER_FILTERS = {
  q: 'string',
  status: 'list',
  gender: 'string',
  age_min: 'int',
  age_max: 'int',
  admitted_from: 'string',
  admitted_to: 'string',
  union_id: 'string',
  subtree: 'bool',
  enterprise_id: 'string',
  cadre: 'bool',
  sort: 'string',
  page: 'int',
  size: 'int',
} as const;

export type MemberFilterValues = ParamValues<typeof MEMBER_FILTERS>;

export const MEMBER_SORTS = ['name', 'admission_date', 'date_of_birth', 'card_number'] as const;
export const PAGE_SIZES = [10, 20, 50, 100] as const;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function isoDate(value: string | undefined): string | undefined {
  return value && dayjs(value, 'YYYY-MM-DD', true).isValid() ? value : undefined;
}

function age(value: number | undefined): number | undefined {
  return value !== undefined && value >= 0 && value <= 120 ? value : undefined;
}

function uuid(value: string | undefined): string | undefined {
  return value && UUID.test(value) ? value : undefined;
}

/** Filters for the API, without paging: the list and the export send the same ones. */
export function memberFilterQuery(f: MemberFilterValues): MemberListQuery {
  const status = (f.status ?? []).filter((s): s is MemberStatus => (MEMBER_STATUSES as string[]).includes(s));
  const gender = GENDERS.includes(f.gender as Gender) ? (f.gender as Gender) : undefined;
  const unionId = uuid(f.union_id);
  return {
    q: f.q?.trim() || undefined,
    status: status.length ? status : undefined,
    gender,
    age_min: age(f.age_min),
    age_max: age(f.age_max),
    admitted_from: isoDate(f.admitted_from),
    admitted_to: isoDate(f.admitted_to),
    union_id: unionId,
    include_subtree: unionId ? f.subtree !== false : undefined,
    enterprise_id: uuid(f.enterprise_id),
    is_cadre: f.cadre,
  };
}

/** The list request: the filters plus sort and page (bad values fall back to the defaults). */
export function memberListQuery(f: MemberFilterValues, revealPii = false): MemberListQuery {
  const bare = (f.sort ?? '').replace(/^-/, '');
  const sort = (MEMBER_SORTS as readonly string[]).includes(bare) ? (f.sort as MemberListQuery['sort']) : 'name';
  const size = (PAGE_SIZES as readonly number[]).includes(f.size ?? 0) ? f.size : 20;
  return {
    ...memberFilterQuery(f),
    sort,
    page: f.page && f.page > 0 ? f.page : 1,
    size,
    reveal_pii: revealPii || undefined,
  };
}

/** How many filters are set (the "clear filters" button shows it). */
export function activeFilterCount(f: MemberFilterValues): number {
  const q = memberFilterQuery(f);
  return Object.entries(q).filter(([k, v]) => k !== 'include_subtree' && v !== undefined).length;
}
