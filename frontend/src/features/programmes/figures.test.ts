import { describe, expect, it } from 'vitest';
import { formatValue, fromApiAmount, percentOf, toApiAmount } from './figures';

describe('programme figures', () => {
  it('shows shares as percentages and counts with Vietnamese grouping', () => {
    expect(formatValue('0.8512', 'share')).toBe('85,12%');
    expect(formatValue('16000', 'count')).toBe('16.000');
    expect(formatValue(null, 'count')).toBe('—');
    expect(formatValue('0.5', 'share', 'en-US')).toBe('50%');
  });

  it('caps the progress bar between 0 and 100', () => {
    expect(percentOf('1.5385')).toBe(100);
    expect(percentOf('0.3333')).toBe(33.3);
    expect(percentOf('-0.2')).toBe(0);
    expect(percentOf(null)).toBe(0);
  });

  it('takes shares in percent and gives the API a fraction, and back', () => {
    expect(toApiAmount(95, 'share')).toBe('0.95');
    expect(toApiAmount(12.5, 'share')).toBe('0.125');
    expect(toApiAmount(16000, 'count')).toBe('16000');
    expect(fromApiAmount('0.9500', 'share')).toBe(95);
    expect(fromApiAmount('0.1250', 'share')).toBe(12.5);
    expect(fromApiAmount('16000.0000', 'count')).toBe(16000);
  });
});
