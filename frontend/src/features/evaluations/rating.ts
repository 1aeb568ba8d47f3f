/**
 * A scheme's definition as the web app reads it (the API sends it as a JSON document), and the
 * running total of a sheet: the same rules as backend/unionhub/evaluations/definition.py, so the
 * form shows the level its points would give before anything is saved.
 */

export interface Level {
  code: string;
  name: string;
}
export interface Indicator {
  code: string;
  name: string;
  max_points: number | string;
  source?: string | null;
}
export interface Group {
  code: string;
  name: string;
  indicators: Indicator[];
}
export interface Variant {
  applies_to: string;
  name: string;
  groups: Group[];
}
export interface Condition {
  code: string;
  name: string;
  kind: 'flag' | 'group_min_share' | 'data_below';
  cap_level: string;
  share?: number | string | null;
  source?: string | null;
  threshold?: number | string | null;
}

/** Conditions answered yes/no: entered, or from the records where they can say (data_below). */
export const answerable = (c: Condition): boolean => c.kind === 'flag' || c.kind === 'data_below';
export interface Band {
  level: string;
  min: number | string;
  max: number | string;
}
export interface SchemeDefinition {
  max_points: number | string;
  levels: Level[];
  strong_levels: string[];
  bands: Band[];
  conditions?: Condition[];
  variants: Variant[];
}

export type Sheet = Record<string, number | null | undefined>;

export interface SheetRating {
  total: number;
  groups: Record<string, number>;
  bandLevel: string;
  level: string;
  caps: Record<string, string>;
  complete: boolean;
}

const num = (v: number | string | null | undefined): number => Number(v ?? 0);
const round2 = (v: number): number => Math.round(v * 100) / 100;

export function asDefinition(doc: unknown): SchemeDefinition {
  return doc as SchemeDefinition;
}

/** The variant a unit is rated by (its own, else the scheme's default). */
export function variantOf(def: SchemeDefinition, kind: string | null | undefined): Variant | undefined {
  if (!kind) return undefined;
  return def.variants.find((v) => v.applies_to === kind) ?? def.variants.find((v) => v.applies_to === 'default');
}

export function groupMax(group: Group): number {
  return round2(group.indicators.reduce((s, i) => s + num(i.max_points), 0));
}

export function bandLevel(def: SchemeDefinition, total: number): string {
  const bands = [...def.bands].sort((a, b) => num(b.min) - num(a.min));
  return (bands.find((b) => total >= num(b.min)) ?? bands[bands.length - 1]).level;
}

function rank(def: SchemeDefinition, level: string): number {
  return def.levels.findIndex((l) => l.code === level);
}

/** Total, band level, and the level after the hard conditions' caps (worst cap wins). */
export function rateSheet(def: SchemeDefinition, variant: Variant, scores: Sheet, flags: Record<string, boolean>): SheetRating {
  const groups: Record<string, number> = {};
  let complete = true;
  for (const g of variant.groups) {
    let sum = 0;
    for (const i of g.indicators) {
      const v = scores[i.code];
      if (v === null || v === undefined) complete = false;
      else sum += v;
    }
    groups[g.code] = round2(sum);
  }
  const total = round2(Object.values(groups).reduce((s, v) => s + v, 0));
  const band = bandLevel(def, total);
  const caps: Record<string, string> = {};
  for (const c of def.conditions ?? []) {
    const holds = answerable(c)
        ? Boolean(flags[c.code])
        : variant.groups.some((g) => groups[g.code] < groupMax(g) * num(c.share));
    if (holds) caps[c.code] = c.cap_level;
  }
  let level = band;
  for (const cap of Object.values(caps)) if (rank(def, cap) > rank(def, level)) level = cap;
  return { total, groups, bandLevel: band, level, caps, complete };
}

export function levelName(def: SchemeDefinition | undefined, code: string | null | undefined): string {
  if (!code) return '';
  return def?.levels.find((l) => l.code === code)?.name ?? code;
}

/** API decimals arrive as strings or numbers; the form works in numbers. */
export function toSheet(raw: Record<string, number | string> | undefined): Sheet {
  const out: Sheet = {};
  for (const [k, v] of Object.entries(raw ?? {})) out[k] = Number(v);
  return out;
}

/** Only the indicators with a value, as the API takes them. */
export function fromSheet(sheet: Sheet): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(sheet)) if (v !== null && v !== undefined) out[k] = v;
  return out;
}
