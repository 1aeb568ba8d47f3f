/**
 * Accent- and case-free key, the same as the backend's core.text.fold:
 * 'Cái Bè' -> 'cai be', 'Đồng' -> 'dong'. Used to filter lists locally the way the API's `q` does.
 */
export function fold(value: string): string {
  return value
    .replaceAll('đ', 'd')
    .replaceAll('Đ', 'D')
    .normalize('NFD')
    .replace(/\p{Mn}/gu, '')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

/** True when every word of `query` occurs in `text`, ignoring accents and case. */
export function foldedIncludes(text: string, query: string): boolean {
  const haystack = fold(text);
  return fold(query)
    .split(' ')
    .filter(Boolean)
    .every((word) => haystack.includes(word));
}
