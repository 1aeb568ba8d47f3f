import { describe, expect, it } from 'vitest';
import { maskMiddle } from './mask';

describe('maskMiddle (the same shape as the API masking)', () => {
  it('keeps the province and the last digits of a personal ID', () => {
    expect(maskMiddle('082190001234')).toBe('082******234');
  });
  it('masks a phone number like the server', () => {
    expect(maskMiddle('0912345678')).toBe('091****678');
  });
  it('hides short values entirely and leaves masked ones alone', () => {
    expect(maskMiddle('12345')).toBe('*****');
    expect(maskMiddle('082******234')).toBe('082******234');
    expect(maskMiddle(null)).toBe('');
  });
});
