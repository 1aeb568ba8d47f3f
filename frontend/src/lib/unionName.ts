/**
 * Union names the way officers write them when space is short: "Công đoàn cơ sở Công ty TNHH
 * May Việt Tiến" -> "CĐCS Cty TNHH May Việt Tiến". The full name stays where there is room (and
 * in a tooltip); the short one keeps the part that tells units apart visible in charts and lists.
 */
const RULES: [RegExp, string][] = [
  [/\bLiên đoàn Lao động\b/giu, 'LĐLĐ'],
  [/\bCông đoàn cơ sở\b/giu, 'CĐCS'],
  [/\bCông đoàn ngành\b/giu, 'CĐN'],
  [/\bCông ty Cổ phần\b/giu, 'Cty CP'],
  [/\bCông ty Trách nhiệm hữu hạn\b/giu, 'Cty TNHH'],
  [/\bTrách nhiệm hữu hạn\b/giu, 'TNHH'],
  [/\bMột thành viên\b/giu, 'MTV'],
  [/\bCông ty\b/gu, 'Cty'],
  [/\bDoanh nghiệp tư nhân\b/giu, 'DNTN'],
  [/\bHợp tác xã\b/gu, 'HTX'],
  [/\bKhu công nghiệp\b/giu, 'KCN'],
  [/\bỦy ban nhân dân\b/giu, 'UBND'],
  [/\bTrung học phổ thông\b/giu, 'THPT'],
  [/\bTrung học cơ sở\b/giu, 'THCS'],
  [/\bthành phố\b/gu, 'TP'],
  [/\bThành phố\b/gu, 'TP'],
  [/\bthị xã\b/gu, 'TX'],
  [/\bThị xã\b/gu, 'TX'],
];

// \b is ASCII-only in JavaScript regular expressions: "Công" ends in a letter \b does not know.
// The rules are applied between spaces (and the ends) instead.
function onWords(name: string, rule: RegExp, short: string): string {
  const source = rule.source.replaceAll('\\b', '');
  const re = new RegExp(`(^|\\s)${source}(?=\\s|$|[,.;:)])`, rule.flags);
  return name.replace(re, (_m, lead: string) => `${lead}${short}`);
}

export function shortUnionName(name: string): string {
  return RULES.reduce((text, [rule, short]) => onWords(text, rule, short), name.replace(/\s+/g, ' ').trim());
}

/** A label for a chart axis: the short name, cut at `max` characters with an ellipsis. */
export function chartLabel(name: string, max = 34): string {
  const short = shortUnionName(name);
  return short.length <= max ? short : `${short.slice(0, max - 1).trimEnd()}…`;
}
