/**
 * Masks the middle of a personal number the way the API does (082******123, 091****678):
 * enough to tell two people apart on a screen, not enough to use the number.
 */
export function maskMiddle(value: string | null | undefined, keepStart = 3, keepEnd = 3): string {
  if (!value) return '';
  if (value.includes('*')) return value; // already masked by the server
  if (value.length <= keepStart + keepEnd) return '*'.repeat(value.length);
  return value.slice(0, keepStart) + '*'.repeat(value.length - keepStart - keepEnd) + value.slice(value.length - keepEnd);
}
