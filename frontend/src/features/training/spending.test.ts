import { describe, expect, it } from 'vitest';
import { formatMoney, moneyFormatter, moneyParser, offerSuggestion, sharePercent, spendingActions } from './spending';

describe('spending figures', () => {
  it('gives the training share with one decimal, vi-VN, and none without a total', () => {
    expect(sharePercent(12_500_000, 100_000_000)).toBe('12,5%');
    expect(sharePercent(15_000_000, 100_000_000)).toBe('15%');
    expect(sharePercent(1, 3)).toBe('33,3%');
    expect(sharePercent(0, 0)).toBe('—');
  });

  it('writes money in đồng with dots between thousands and reads it back', () => {
    expect(formatMoney(150_000_000)).toBe('150.000.000 đ');
    expect(formatMoney(null)).toBe('—');
    expect(moneyFormatter(1500000)).toBe('1.500.000');
    expect(moneyFormatter('')).toBe('');
    expect(moneyParser('1.500.000')).toBe('1500000');
    expect(moneyParser('1 500 000 đ')).toBe('1500000');
  });

  it('shows the buttons the principal may use for the status', () => {
    expect(spendingActions({ status: 'draft', may_edit: true, may_approve: false })).toMatchObject({ edit: true, submit: true, approve: false, readOnly: false });
    expect(spendingActions({ status: 'submitted', may_edit: false, may_approve: true })).toMatchObject({ edit: false, approve: true, giveBack: true, readOnly: true });
    expect(spendingActions({ status: 'approved', may_edit: false, may_approve: false })).toMatchObject({ edit: false, submit: false, approve: false, giveBack: false, readOnly: true });
    expect(spendingActions({ status: 'approved', may_edit: false, may_approve: true }).approve).toBe(false);
    expect(spendingActions({ status: 'returned', may_edit: true, may_approve: false }).submit).toBe(true);
  });

  it('offers the course budgets only when they differ from the figure entered', () => {
    expect(offerSuggestion(12_500_000, 10_000_000)).toBe(true);
    expect(offerSuggestion(12_500_000, 12_500_000)).toBe(false);
    expect(offerSuggestion(0, 10)).toBe(false);
  });
});
