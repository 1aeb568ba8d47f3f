/** English for strings/unions.ts (loaded only when the English switch is on). */
import type { vi } from './unions';

export const en: Record<keyof typeof vi, string> = {
  'unionList.title': 'Unions',
  'unionList.under': 'Under {name} (every level)',
  'unionList.allScope': 'Your whole scope',

  'unionSearch.hint': 'Type a name, code or abbreviation: "LĐLĐ Mỹ Tho", "cdcs cty tnhh", "lien doan my tho"',
  'unionSearch.none': 'No union found',

  'unionAsOf.title': 'Showing this union in the structure of {date}',
  'unionAsOf.state': 'On that day: {name} — {status}, {n} units under it.',
  'unionAsOf.notThen': 'On that day the union was not in your structure.',
  'unionAsOf.backToTree': 'Back to the tree of {date}',
  'unionAsOf.today': 'Show as of today',

  'whereabouts.merged': 'Merged on {date} into',
  'whereabouts.dissolved': 'Dissolved on {date}.',
  'whereabouts.units': 'Where its units went',
  'whereabouts.noUnits': 'No units were moved away.',
  'whereabouts.nowUnder': 'moved on {date}, now under',
  'whereabouts.leftOn': 'moved away on {date}',
  'whereabouts.members': 'Where its members went',
  'whereabouts.noMembers': 'No members were moved away.',
  'whereabouts.memberCount': '{n} members',
  'whereabouts.to': 'moved on {date} to',
  'whereabouts.outside': '{n} members moved to unions outside your scope',
};
