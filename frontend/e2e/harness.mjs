// A small test harness for the end-to-end flows: named steps, plain assertions, a closing
// "N passed, N failed" line, screenshots on failure. Every flow is also an accessibility check:
// when the context gives `a11y` (run.mjs: a11y.mjs's watcher on the flow's browser context),
// a flow whose screens show a serious or critical axe-core violation fails.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

const tests = [];

/**
 * Registers a flow. `mutates: true` marks a flow that changes the database: those run after
 * every other flow, so the screenshots the others take never show test data.
 */
export function test(name, fn, { mutates = false } = {}) {
  tests.push({ name, fn, mutates });
}

export class AssertionError extends Error {}

export function assert(condition, message) {
  if (!condition) throw new AssertionError(message);
}

export async function run(makeContext, { failureDir }) {
  let passed = 0;
  let failed = 0;
  const only = process.env.E2E_ONLY;
  const ordered = [...tests.filter((t) => !t.mutates), ...tests.filter((t) => t.mutates)];
  for (const t of ordered) {
    if (only && !only.split('|').some((part) => t.name.includes(part))) continue;
    const started = Date.now();
    const ctx = await makeContext();
    try {
      await t.fn(ctx);
      await ctx.a11y?.finish(ctx.page);
      passed += 1;
      console.log(`  ok    ${t.name} (${Date.now() - started} ms)`);
    } catch (error) {
      failed += 1;
      console.log(`  FAIL  ${t.name} (${Date.now() - started} ms)\n        ${String(error?.stack ?? error).split('\n').slice(0, 6).join('\n        ')}`);
      try {
        mkdirSync(failureDir, { recursive: true });
        const file = join(failureDir, `${t.name.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}.png`);
        await ctx.page?.screenshot({ path: file, fullPage: true });
        console.log(`        screenshot: ${file}`);
        if (ctx.consoleErrors?.length) console.log(`        console errors: ${ctx.consoleErrors.slice(0, 5).join(' | ')}`);
        if (ctx.apiAnswers?.length) console.log(`        API answers >= 400 (last 8): ${ctx.apiAnswers.slice(-8).join(' | ')}`);
      } catch {
        // the page may be gone
      }
    } finally {
      ctx.a11y?.stop();
      await ctx.close();
    }
  }
  console.log(`\n${passed} passed, ${failed} failed`);
  return failed === 0 && passed > 0;
}
