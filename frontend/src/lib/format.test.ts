import { describe, expect, it } from 'vitest';
import { dayjs, formatDate, formatDateTime, formatNumber, fromApiDate, parseDisplayDate, toApiDate } from './format';

describe('numbers in vi-VN', () => {
  it('groups thousands with dots', () => {
    expect(formatNumber(109760)).toBe('109.760');
    expect(formatNumber(1000000)).toBe('1.000.000');
    expect(formatNumber(0)).toBe('0');
  });
  it('uses a comma for decimals', () => {
    expect(formatNumber(12.5)).toBe('12,5');
  });
  it('leaves missing values empty', () => {
    expect(formatNumber(null)).toBe('');
    expect(formatNumber(undefined)).toBe('');
  });
});

describe('dates as dd/mm/yyyy', () => {
  it('formats API dates', () => {
    expect(formatDate('2023-12-31')).toBe('31/12/2023');
    expect(formatDate('2025-07-01')).toBe('01/07/2025');
  });
  it('rejects what is not a real date', () => {
    expect(formatDate('2023-02-30')).toBe('');
    expect(formatDate('')).toBe('');
    expect(formatDate(null)).toBe('');
  });
  it('parses what a user types', () => {
    expect(parseDisplayDate('31/12/2023')).toBe('2023-12-31');
    expect(parseDisplayDate(' 01/07/2025 ')).toBe('2025-07-01');
    expect(parseDisplayDate('31/02/2023')).toBeNull();
    expect(parseDisplayDate('12/31/2023')).toBeNull();
  });
  it('round-trips picker values', () => {
    expect(toApiDate(fromApiDate('2018-05-04'))).toBe('2018-05-04');
    expect(toApiDate(null)).toBeUndefined();
  });
  it('shows instants in local time with the day first', () => {
    const local = dayjs('2024-03-05T14:07:00');
    expect(formatDateTime(local.toISOString())).toBe('05/03/2024 14:07');
  });
});
