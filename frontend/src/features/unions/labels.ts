import type { Schemas } from '../../api/client';
import type { I18n } from '../../i18n/context';
import type { MessageKey } from '../../i18n/messages';

export type UnionLevel = Schemas['UnionLevel'];
export type UnionKind = Schemas['UnionKind'];
export type Sector = Schemas['Sector'];
export type UnionStatus = Schemas['UnionStatus'];
export type UnionEventType = Schemas['UnionEventType'];
export type Role = Schemas['Role'];

type T = I18n['t'];

export const LEVELS: UnionLevel[] = [
  'province_federation',
  'direct_superior',
  'grassroots',
  'occupational',
  'member_union',
  'departmental',
  'union_group',
];

export const KINDS: UnionKind[] = [
  'province_federation',
  'district_federation',
  'sector_union',
  'public_servants_union',
  'industrial_zone_union',
  'commune_union',
  'enterprise_union',
  'agency_union',
  'school_union',
  'public_service_unit_union',
  'cooperative_union',
  'occupational_union',
  'internal_unit',
  'other',
];

export const SECTORS: Sector[] = ['state', 'non_state'];
export const ROLES: Role[] = ['admin', 'federation_officer', 'union_officer', 'grassroots_officer', 'viewer'];

/** Which level may sit under which: the same table as the backend's unions/rules.py. */
export const ALLOWED_PARENTS: Record<UnionLevel, (UnionLevel | null)[]> = {
  province_federation: [null],
  direct_superior: ['province_federation'],
  grassroots: ['province_federation', 'direct_superior'],
  occupational: ['province_federation', 'direct_superior'],
  member_union: ['grassroots'],
  departmental: ['grassroots', 'member_union'],
  union_group: ['grassroots', 'member_union', 'departmental'],
};

export function levelsUnder(parent: UnionLevel | null): UnionLevel[] {
  return LEVELS.filter((level) => ALLOWED_PARENTS[level].includes(parent));
}

export const levelLabel = (t: T, v: string) => t(`level.${v}` as MessageKey);
export const kindLabel = (t: T, v: string) => t(`kind.${v}` as MessageKey);
export const sectorLabel = (t: T, v: string) => t(`sector.${v}` as MessageKey);
export const statusLabel = (t: T, v: string) => t(`status.${v}` as MessageKey);
export const roleLabel = (t: T, v: string) => t(`role.${v}` as MessageKey);
export const eventLabel = (t: T, v: string) => t(`event.${v}` as MessageKey);

export const STATUS_COLOR: Record<string, string> = {
  active: 'green',
  dissolved: 'default',
  merged: 'purple',
};
