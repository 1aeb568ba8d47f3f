/**
 * Every value of an API enum, in the order given. The record form makes tsc fail when the
 * backend adds a value the app does not list (and so has no label for).
 */
export function allOf<V extends string>(values: Record<V, true>): V[] {
  return Object.keys(values) as V[];
}
