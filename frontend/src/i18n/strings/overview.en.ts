/** English for strings/overview.ts (loaded only when the English switch is on). */
import type { vi } from './overview';

export const en: Record<keyof typeof vi, string> = {
  'overview.scopeAll': 'Scope: all {n} units you look after · figures of {date}',
  'overview.heldUnits': 'Units you look after',
  'overview.allUnits': 'All ({n})',
  'overview.membersByHeld': 'Members by unit you look after',
  'overview.female': 'Women: {n}',
  'overview.suspended': 'suspended: {n}',
  'overview.operating': 'Operating: {n}',
  'overview.withUnion': 'with a union: {n}',
};
