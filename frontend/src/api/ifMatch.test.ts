import { describe, expect, it } from 'vitest';

// Every edit the web app makes to a versioned record sends If-Match (the API keeps it optional
// for people, so a forgotten header would silently turn into "last write wins").
const sources = import.meta.glob('../features/**/*.{ts,tsx}', {
  query: '?raw',
  import: 'default',
  eager: true,
}) as Record<string, string>;
const openapi = Object.values(
  import.meta.glob('../../openapi.json', { query: '?raw', import: 'default', eager: true }) as Record<string, string>,
)[0];

type Operation = { parameters?: { name: string; in: string }[] };
const doc = JSON.parse(openapi) as { paths: Record<string, Record<string, Operation>> };

const conditional = new Set<string>();
for (const [path, item] of Object.entries(doc.paths)) {
  for (const [method, op] of Object.entries(item)) {
    if (op.parameters?.some((p) => p.in === 'header' && p.name === 'if-match')) {
      conditional.add(`${method.toUpperCase()} ${path}`);
    }
  }
}

/** The text of the call starting at `start` (up to its closing parenthesis). */
function callText(source: string, start: number): string {
  let depth = 0;
  for (let i = source.indexOf('(', start); i < source.length; i++) {
    if (source[i] === '(') depth++;
    if (source[i] === ')' && --depth === 0) return source.slice(start, i + 1);
  }
  return source.slice(start);
}

describe('If-Match', () => {
  it('is declared by the API on the edits', () => {
    expect(conditional.has('PATCH /api/v1/members/{member_id}')).toBe(true);
    expect(conditional.size).toBeGreaterThan(10);
  });

  it('is sent by every call the web app makes to an operation that takes it', () => {
    const calls = /api\.(GET|POST|PUT|PATCH|DELETE)\('([^']+)'/g;
    const checked: string[] = [];
    const missing: string[] = [];
    for (const [file, source] of Object.entries(sources)) {
      if (file.endsWith('.test.ts') || file.endsWith('.test.tsx')) continue;
      for (const m of source.matchAll(calls)) {
        const key = `${m[1]} ${m[2]}`;
        if (!conditional.has(key)) continue;
        const text = callText(source, m.index);
        // either inline, or a `params` built with ifMatch just before (a switch over actions)
        const before = source.slice(Math.max(0, m.index - 1500), m.index);
        const ok =
          text.includes('ifMatch(') ||
          (/\bparams\b/.test(text) && /const params = \{[^;]*header: ifMatch\(/.test(before));
        (ok ? checked : missing).push(`${file}: ${key}`);
      }
    }
    expect(missing).toEqual([]);
    // the scan must actually find the edits, or it proves nothing
    expect(checked.some((c) => c.includes('PATCH /api/v1/members/{member_id}'))).toBe(true);
    expect(checked.length).toBeGreaterThan(10);
  });
});
