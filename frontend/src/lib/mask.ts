/**
 * Masks a personal number the way the API does (*********123, *******678): only the last
 * digits stay visible, enough to tell two people apart on a screen. The leading digits of a
 * personal ID (province, century and gender, year of birth) follow from what the screen shows
 * beside it, so they are hidden too.
 */
export function maskNumber(value: string | null | undefined, keepEnd = 3): string {
  if (!value) return '';
  if (value.includes('*')) return value; // already masked by the server
  if (value.length <= keepEnd * 2) return '*'.repeat(value.length);
  return '*'.repeat(value.length - keepEnd) + value.slice(value.length - keepEnd);
}
