import { describe, expect, it } from 'vitest';
import { maskNumber } from './mask';

describe('maskNumber (the same shape as the API masking)', () => {
  it('keeps only the last digits of a personal ID', () => {
    expect(maskNumber('082190001234')).toBe('*********234');
  });
  it('masks a phone number like the server', () => {
    expect(maskNumber('0912345678')).toBe('*******678');
  });
  it('keeps fewer digits when asked (passports)', () => {
    expect(maskNumber('B1234567', 2)).toBe('******67');
  });
  it('hides short values entirely and leaves masked ones alone', () => {
    expect(maskNumber('12345')).toBe('*****');
    expect(maskNumber('*********234')).toBe('*********234');
    expect(maskNumber(null)).toBe('');
  });
});
