import type { I18n } from '../../i18n/context';
import type { MessageKey } from '../../i18n/messages';
import type { EvaluationStatus } from './api';

type T = I18n['t'];

export const STATUSES: EvaluationStatus[] = ['draft', 'submitted', 'returned', 'approved', 'published', 'ineligible'];

export const STATUS_COLOR: Record<EvaluationStatus, string> = {
  draft: 'default',
  submitted: 'processing',
  returned: 'warning',
  approved: 'success',
  published: 'green',
  ineligible: 'default',
};

export function statusLabel(t: T, status: string): string {
  return t(`evalStatus.${status}` as MessageKey);
}

export function actionLabel(t: T, action: string): string {
  return t(`evalAction.${action}` as MessageKey);
}

export function ineligibleLabel(t: T, reason: string | null | undefined): string {
  if (!reason) return '';
  return t(`ineligible.${reason}` as MessageKey);
}

export function variantLabel(t: T, variant: string | null | undefined): string {
  if (!variant) return '';
  return t(`variant.${variant}` as MessageKey);
}

/** 0.9412 -> "94,12%" */
export function formatShare(share: number | string | null | undefined): string {
  if (share === null || share === undefined) return '—';
  return `${(Number(share) * 100).toLocaleString('vi-VN', { maximumFractionDigits: 2 })}%`;
}

export function formatPoints(points: number | string | null | undefined): string {
  if (points === null || points === undefined) return '—';
  return Number(points).toLocaleString('vi-VN', { maximumFractionDigits: 2 });
}

interface SchemeLike {
  effective_from: string;
  effective_to?: string | null;
  version: number;
  definition: Record<string, unknown>;
}

/**
 * A level's name from the scheme in force in `year` (list rows carry the code only; a code such
 * as "good" means "Khá" under the 2006 scheme and "Hoàn thành tốt" under the 2019 one).
 */
export function levelNameIn(schemes: readonly SchemeLike[] | undefined, year: number, code: string | null | undefined): string {
  if (!code) return '';
  const inForce = (schemes ?? [])
    .filter((s) => s.effective_from <= `${year}-12-31` && (!s.effective_to || s.effective_to >= `${year}-01-01`))
    .sort((a, b) => b.effective_from.localeCompare(a.effective_from) || b.version - a.version);
  for (const s of inForce) {
    const levels = (s.definition.levels ?? []) as { code: string; name: string }[];
    const found = levels.find((l) => l.code === code);
    if (found) return found.name;
  }
  return code;
}
