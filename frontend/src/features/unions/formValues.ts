export const CONTACT_FIELDS = ['address', 'commune_code', 'phone', 'email'] as const;

/** Empty inputs mean "no value": the API takes null, never "". */
export function blankToNull<T extends Record<string, unknown>>(values: T): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(values)) out[k] = typeof v === 'string' && v.trim() === '' ? null : v;
  return out as T;
}
