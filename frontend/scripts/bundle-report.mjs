#!/usr/bin/env node
// Gzipped JavaScript each first screen downloads, from dist/.vite/manifest.json:
// the entry with its static imports, plus the lazy chunks of the screen's route.
//   node scripts/bundle-report.mjs            prints the table
//   node scripts/bundle-report.mjs --check    also fails when a first screen exceeds the budget
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const BUDGET_KB = 400;
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const manifest = JSON.parse(readFileSync(join(dist, '.vite/manifest.json'), 'utf8'));

const gz = new Map();
function size(file) {
  if (!gz.has(file)) gz.set(file, gzipSync(readFileSync(join(dist, file)), { level: 9 }).length);
  return gz.get(file);
}

/** The chunk and everything it imports statically (what the browser must fetch before it runs). */
function closure(keys, seen = new Set()) {
  for (const key of keys) {
    if (seen.has(key)) continue;
    seen.add(key);
    closure(manifest[key].imports ?? [], seen);
  }
  return seen;
}

const entry = Object.keys(manifest).find((k) => manifest[k].isEntry);
const byName = (name) => {
  const key = Object.keys(manifest).find((k) => k.endsWith(`/${name}.tsx`));
  if (!key) throw new Error(`no chunk for ${name}`);
  return key;
};

const screens = {
  'sign-in': ['SignInPage'],
  'overview (before the chart)': ['AppShell', 'OverviewPage'],
  'overview with chart': ['AppShell', 'OverviewPage', 'EChart'],
  'union tree': ['AppShell', 'UnionTreePage'],
  'union detail': ['AppShell', 'UnionDetailPage'],
  members: ['AppShell', 'MembersPage'],
  'member detail': ['AppShell', 'MemberDetailPage'],
  'member form': ['AppShell', 'MemberFormPage'],
  transfers: ['AppShell', 'TransfersPage'],
  enterprises: ['AppShell', 'EnterprisesPage'],
  'enterprise detail': ['AppShell', 'EnterpriseDetailPage'],
  'unionization gap': ['AppShell', 'GapPage'],
  'import wizard': ['AppShell', 'ImportPage'],
  users: ['AppShell', 'UsersPage'],
  audit: ['AppShell', 'AuditPage'],
};

let failed = false;
const kb = (n) => (n / 1024).toFixed(1);
console.log('chunk sizes (gzip -9, KB):');
for (const [key, chunk] of Object.entries(manifest).sort((a, b) => size(b[1].file) - size(a[1].file))) {
  if (chunk.file.endsWith('.js')) console.log(`  ${kb(size(chunk.file)).padStart(7)}  ${chunk.file}  (${key})`);
}
console.log(`\nJavaScript per screen on a cold cache (budget ${BUDGET_KB} KB for the first screen):`);
for (const [screen, names] of Object.entries(screens)) {
  const files = [...closure([entry, ...names.map(byName)])].map((k) => manifest[k].file).filter((f) => f.endsWith('.js'));
  const total = files.reduce((sum, f) => sum + size(f), 0);
  const first = screen === 'sign-in' || screen.startsWith('overview (before');
  const over = first && total / 1024 > BUDGET_KB;
  failed ||= over;
  console.log(`  ${screen.padEnd(28)} ${kb(total).padStart(7)} KB${over ? '  OVER BUDGET' : ''}`);
}
if (process.argv.includes('--check') && failed) process.exit(1);
