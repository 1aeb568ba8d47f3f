import { describe, expect, it } from 'vitest';
import { fold, foldedIncludes } from './fold';

describe('fold (same keys as the backend core.text.fold)', () => {
  it.each([
    ['Cái Bè', 'cai be'],
    ['Đồng', 'dong'],
    ['đồng tháp', 'dong thap'],
    ['  Liên   đoàn  Lao động ', 'lien doan lao dong'],
    ['Mỹ Tho', 'my tho'],
    ['Gò Công Đông', 'go cong dong'],
    ['TG-CB-001', 'tg-cb-001'],
  ])('%s -> %s', (input, expected) => {
    expect(fold(input)).toBe(expected);
  });

  it('treats composed and decomposed input alike', () => {
    expect(fold('Cái Bè'.normalize('NFD'))).toBe(fold('Cái Bè'.normalize('NFC')));
  });

  it('matches every word regardless of accents', () => {
    expect(foldedIncludes('Liên đoàn Lao động huyện Cái Bè', 'cai be lien')).toBe(true);
    expect(foldedIncludes('Liên đoàn Lao động huyện Cái Bè', 'my tho')).toBe(false);
  });
});
