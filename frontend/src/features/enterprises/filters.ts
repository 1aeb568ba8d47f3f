import type { ParamValues } from '../../lib/urlState';
import type { EnterpriseListQuery } from './api';
import { OPERATING_STATUSES, OWNERSHIPS, type OperatingStatus, type Ownership } from './labels';

/** The enterprise list's filters in the address bar. */
export const ENTERPRISE_FILTERS = {
  q: 'string',
  ownership: 'list',
  status: 'list',
  has_union: 'bool',
  eligible: 'bool',
  min_workers: 'int',
  union_id: 'string',
  sort: 'string',
  page: 'int',
  size: 'int',
} as const;

export type EnterpriseFilterValues = ParamValues<typeof ENTERPRISE_FILTERS>;

export const ENTERPRISE_SORTS = ['name', 'total_workers', 'surveyed_on'] as const;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function enterpriseFilterQuery(f: EnterpriseFilterValues): EnterpriseListQuery {
  const ownership = (f.ownership ?? []).filter((o): o is Ownership => (OWNERSHIPS as string[]).includes(o));
  const status = (f.status ?? []).filter((s): s is OperatingStatus => (OPERATING_STATUSES as string[]).includes(s));
  const min = f.min_workers;
  return {
    q: f.q?.trim() || undefined,
    ownership: ownership.length ? ownership : undefined,
    operating_status: status.length ? status : undefined,
    has_union: f.has_union,
    eligible: f.eligible || undefined,
    min_workers: min !== undefined && min >= 0 && min <= 1_000_000 ? min : undefined,
    responsible_union_id: f.union_id && UUID.test(f.union_id) ? f.union_id : undefined,
  };
}

export function enterpriseListQuery(f: EnterpriseFilterValues): EnterpriseListQuery {
  const bare = (f.sort ?? '').replace(/^-/, '');
  const sort = (ENTERPRISE_SORTS as readonly string[]).includes(bare) ? (f.sort as EnterpriseListQuery['sort']) : 'name';
  const size = [10, 20, 50, 100].includes(f.size ?? 0) ? f.size : 20;
  return { ...enterpriseFilterQuery(f), sort, page: f.page && f.page > 0 ? f.page : 1, size };
}

export function enterpriseFilterCount(f: EnterpriseFilterValues): number {
  return Object.values(enterpriseFilterQuery(f)).filter((v) => v !== undefined).length;
}
