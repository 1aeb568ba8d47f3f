import { describe, expect, it } from 'vitest';
import { safeNext } from './nav';

describe('safeNext', () => {
  it('keeps same-site paths', () => {
    expect(safeNext('/unions?as_of=2023-12-31')).toBe('/unions?as_of=2023-12-31');
  });
  it.each([null, '', 'https://evil.example/', '//evil.example/x', '/signin?next=/'])('refuses %s', (value) => {
    expect(safeNext(value)).toBe('/');
  });
});
