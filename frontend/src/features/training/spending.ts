import { formatNumber } from '../../lib/format';
import type { Schemas } from '../../api/client';

export type SpendingRead = Schemas['SpendingRead'];
export type SpendingStatus = SpendingRead['status'];

export const SPENDING_STATUSES = ['draft', 'submitted', 'approved', 'returned'] as const satisfies readonly SpendingStatus[];
export const SPENDING_STATUS_COLOR: Record<SpendingStatus, string> = {
  draft: 'default',
  submitted: 'blue',
  approved: 'green',
  returned: 'orange',
};

/** The share of training in the total, "12,5%" (one decimal, vi-VN); "—" without a total. */
export function sharePercent(training: number, total: number): string {
  if (!total) return '—';
  return `${formatNumber(Math.round((training / total) * 1000) / 10)}%`;
}

/** An amount in đồng with vi-VN thousands separators: "150.000.000 đ". */
export function formatMoney(value: number | null | undefined): string {
  return value == null ? '—' : `${formatNumber(value)} đ`;
}

/** InputNumber's display of a typed amount: digits grouped by "." as vi-VN writes them. */
export function moneyFormatter(value: string | number | undefined): string {
  const digits = String(value ?? '').replace(/\D/g, '');
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, '.');
}

/** Back from the display to the number's digits ("1.500.000" or "1 500 000 đ" -> "1500000"). */
export function moneyParser(text: string | undefined): string {
  return (text ?? '').replace(/\D/g, '');
}

/** What the caller may do with a row now (the server decides again; this only picks the buttons). */
export function spendingActions(row: Pick<SpendingRead, 'status' | 'may_edit' | 'may_approve'>) {
  const editable = row.status === 'draft' || row.status === 'returned';
  return {
    edit: row.may_edit && editable,
    submit: row.may_edit && editable,
    approve: row.may_approve && row.status === 'submitted',
    giveBack: row.may_approve && (row.status === 'submitted' || row.status === 'approved'),
    readOnly: !(row.may_edit && editable),
  };
}

/** The suggested training spend (the union's course budgets of the year) worth offering: one
 * that is there and differs from what is entered. */
export function offerSuggestion(suggested: number | null | undefined, entered: number | null | undefined): boolean {
  return !!suggested && suggested !== entered;
}
