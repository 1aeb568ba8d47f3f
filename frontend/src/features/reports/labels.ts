import type { ReportStatus } from './api';

export const REPORT_STATUSES: ReportStatus[] = ['pending', 'draft', 'submitted', 'returned', 'approved'];

export const STATUS_COLOR: Record<ReportStatus, string> = {
  pending: 'default',
  draft: 'processing',
  submitted: 'blue',
  returned: 'warning',
  approved: 'success',
};

/** A report's figure as people read it: counts grouped, shares as percentages (vi-VN). */
export function formatFigure(value: string | null | undefined, unit: string, locale = 'vi-VN'): string {
  if (value === null || value === undefined) return '—';
  const n = Number(value);
  if (Number.isNaN(n)) return '—';
  if (unit === 'share') return new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 2 }).format(n);
  return new Intl.NumberFormat(locale, { maximumFractionDigits: 2 }).format(n);
}

/**
 * Where in a template's definition an error is, as its JSON reads: the API's field
 * "definition.sections.0.table.rows.1.indicator" (or "definition.sections[0].rows[1].indicator")
 * -> "sections[0].rows[1].indicator". The section's kind, which the API names after the index,
 * is left out.
 */
export function definitionPath(field: string): string {
  const path = field
    .replace(/^definition\.?/, '')
    .replace(/\.(\d+)(?=\.|$)/g, '[$1]')
    .replace(/^(\d+)(?=\.|$)/, '[$1]')
    .replace(/\.(table|list|text)(?=\.|$)/g, '');
  return path || 'definition';
}
