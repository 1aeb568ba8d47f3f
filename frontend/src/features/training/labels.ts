import type { MessageKey } from '../../i18n/messages';

type T = (key: MessageKey, vars?: Record<string, string | number>) => string;

export const COURSE_STATUSES = ['planned', 'open_for_nominations', 'running', 'finished', 'cancelled'] as const;
export const COURSE_STATUS_COLOR: Record<string, string> = {
  planned: 'default',
  open_for_nominations: 'blue',
  running: 'gold',
  finished: 'green',
  cancelled: 'red',
};
// Where a course may go from each status (the server's rule, for the buttons shown).
export const NEXT_STATUS: Record<string, string[]> = {
  planned: ['open_for_nominations', 'running', 'cancelled'],
  open_for_nominations: ['running', 'cancelled'],
  running: ['finished'],
  finished: [],
  cancelled: ['planned'],
};
export const QUALIFICATION_KINDS = [
  'general_education',
  'professional',
  'political_theory',
  'union_work',
  'state_management',
  'foreign_language',
  'it',
] as const;
export const LEVELS: Record<string, string[]> = {
  general_education: ['primary', 'lower_secondary', 'upper_secondary'],
  professional: ['intermediate', 'college', 'university', 'master', 'doctorate'],
  political_theory: ['so_cap', 'trung_cap', 'cao_cap', 'cu_nhan'],
  union_work: ['basic', 'advanced', 'university'],
  state_management: ['officer', 'principal_officer', 'senior_officer'],
  foreign_language: ['a1', 'a2', 'b1', 'b2', 'c1', 'c2'],
  it: ['basic', 'advanced'],
};
const LEVEL_VI: Record<string, string> = {
  primary: 'Tiểu học',
  lower_secondary: 'THCS (9/12)',
  upper_secondary: 'THPT (12/12)',
  intermediate: 'Trung cấp',
  college: 'Cao đẳng',
  university: 'Đại học',
  master: 'Thạc sĩ',
  doctorate: 'Tiến sĩ',
  so_cap: 'Sơ cấp',
  trung_cap: 'Trung cấp',
  cao_cap: 'Cao cấp',
  cu_nhan: 'Cử nhân',
  basic: 'Cơ bản',
  advanced: 'Nâng cao',
  officer: 'Chuyên viên',
  principal_officer: 'Chuyên viên chính',
  senior_officer: 'Chuyên viên cao cấp',
};

export function courseStatusLabel(t: T, status: string): string {
  return t(`courseStatus.${status}` as MessageKey);
}
export function participantStatusLabel(t: T, status: string): string {
  return t(`participantStatus.${status}` as MessageKey);
}
export function resultLabel(t: T, result: string): string {
  return t(`result.${result}` as MessageKey);
}
export function kindLabel(t: T, kind: string): string {
  return t(`qualKind.${kind}` as MessageKey);
}
/** Level names are the Vietnamese terms of the field (also in English, as proper names). */
export function levelLabel(level: string | null | undefined, kind?: string | null): string {
  if (!level) return '—';
  if (kind === 'union_work' && level === 'university') return 'Đại học (công đoàn)';
  return LEVEL_VI[level] ?? level.toUpperCase();
}
