// A small test harness for the end-to-end flows: named steps, plain assertions, a closing
// "N passed, N failed" line, screenshots on failure. Every flow is also an accessibility check:
// when the context gives `a11y` (run.mjs: a11y.mjs's watcher on the flow's browser context),
// a flow whose screens show a serious or critical axe-core violation fails.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

const tests = [];

/**
 * Registers a flow. `mutates: true` marks a flow that changes the database: those run after
 * every other flow, one at a time, so the screenshots the others take never show test data and
 * no flow counts rows another is adding. `alone: true` marks a read-only flow that times the
 * screens: it runs with nothing beside it.
 *
 * The other flows (read-only, untimed) run first, `workers` at a time (run.mjs: E2E_WORKERS),
 * each in its own browser context: on a two-core machine one flow keeps one core busy (the
 * browser and the server take turns), two keep both.
 */
export function test(name, fn, { mutates = false, alone = false } = {}) {
  tests.push({ name, fn, mutates, alone: alone || mutates });
}

export class AssertionError extends Error {}

export function assert(condition, message) {
  if (!condition) throw new AssertionError(message);
}

/** The flows in the order they run: the shared ones (any order), then each alone. */
export function phases(all = tests, only = process.env.E2E_ONLY) {
  const chosen = all.filter((t) => !only || only.split('|').some((part) => t.name.includes(part)));
  return {
    shared: chosen.filter((t) => !t.alone),
    alone: [...chosen.filter((t) => t.alone && !t.mutates), ...chosen.filter((t) => t.mutates)],
  };
}

export async function run(makeContext, { failureDir, workers = 1 }) {
  let passed = 0;
  let failed = 0;

  async function one(t) {
    const started = Date.now();
    const ctx = await makeContext();
    try {
      await t.fn(ctx);
      await ctx.a11y?.finish(ctx.page);
      passed += 1;
      const axe = ctx.a11y?.spent();
      console.log(`  ok    ${t.name} (${Date.now() - started} ms${axe ? `; axe ${axe.runs - axe.same}x, ${axe.ms} ms, ${axe.same} screens seen before` : ''})`);
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

  const { shared, alone } = phases();
  const phaseStarted = Date.now();
  const queue = [...shared];
  const lanes = Math.max(1, Math.min(workers, queue.length));
  if (queue.length) console.log(`e2e: ${queue.length} read-only flows on ${lanes} lane(s), then ${alone.length} one at a time`);
  await Promise.all(
    Array.from({ length: lanes }, async () => {
      for (let t = queue.shift(); t; t = queue.shift()) await one(t);
    }),
  );
  if (shared.length) console.log(`e2e: the read-only flows took ${Math.round((Date.now() - phaseStarted) / 1000)} s`);
  for (const t of alone) await one(t);
  console.log(`\n${passed} passed, ${failed} failed`);
  return failed === 0 && passed > 0;
}
