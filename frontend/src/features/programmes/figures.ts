import type { TargetProgress } from './api';

export type Status = TargetProgress['status'];

/** A share or a count as people read it: 0.8512 -> "85,12%" (vi) for shares, 16000 -> "16.000". */
export function formatValue(value: string | null | undefined, unit: string, locale = 'vi-VN'): string {
  if (value === null || value === undefined) return '—';
  const n = Number(value);
  if (Number.isNaN(n)) return '—';
  if (unit === 'share') {
    return new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 2 }).format(n);
  }
  return new Intl.NumberFormat(locale, { maximumFractionDigits: 2 }).format(n);
}

/** A target or allocation as typed (a share in percent: 95 -> "0.95") to the API's decimal. */
export function toApiAmount(input: number, unit: string): string {
  if (unit === 'share') return String(Math.round(input * 100) / 10000);
  return String(input);
}

/** The API's decimal as the user types it (a share in percent: "0.9500" -> 95). */
export function fromApiAmount(value: string, unit: string): number {
  const n = Number(value);
  return unit === 'share' ? Math.round(n * 1000000) / 10000 : n;
}

/** The progress bar's percent (0-100, capped) of a share achieved. */
export function percentOf(share: string | null | undefined): number {
  if (share === null || share === undefined) return 0;
  const n = Number(share);
  if (Number.isNaN(n)) return 0;
  return Math.max(0, Math.min(100, Math.round(n * 1000) / 10));
}

export const STATUS_COLOR: Record<Status, string> = {
  met: 'success',
  on_track: 'processing',
  at_risk: 'warning',
  behind: 'error',
  no_target: 'default',
  unavailable: 'default',
};
