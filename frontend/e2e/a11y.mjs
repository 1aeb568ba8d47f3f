// Accessibility check of every screen the flows visit: axe-core (the `axe-core` package) is put
// into the page and run against WCAG 2.x A and AA; a serious or critical violation fails the flow.
//
// When it runs, without a flow asking:
//   - after each navigation of any page of the flow's browser context, once the screen has
//     settled (no spinner, no screen code loading, no finite animation running);
//   - before every screenshot (`shot()` in helpers.mjs);
//   - on the last screen of each flow (harness.mjs).
// A flow may call `ctx.a11y.check(page, 'what is on screen')` for a state that is neither
// (an open dialog, say), and `pause()`/`resume()` around timed steps (then check in between).
//
// A check started while the flow goes on may catch a screen mid-change (a dialog fading in is
// low-contrast for a moment): a navigation check that finds something looks again once the
// screen has settled and keeps only what it finds both times. The checks before a screenshot
// and at the end of a flow run while the flow waits, so they count at once.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

const FAILING = new Set(['serious', 'critical']);
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/**
 * Violations we cannot fix in our code, each one rule on one selector, with the reason.
 * Never a whole rule, never a whole page. Keep this list short and explained.
 */
export const EXCLUDED = [
  // Ant Design's Tabs put their overflow "more" button (button[aria-controls]) inside the
  // role=tablist when the tabs do not fit (a phone); the tabs themselves are right.
  { rule: 'aria-required-children', selector: '.ant-tabs-nav', why: 'antd Tabs overflow button inside the tablist' },
];

function excluded(rule, target) {
  return EXCLUDED.some((e) => e.rule === rule && target.includes(e.selector));
}

/** Waits (up to `ms`) for a settled screen: nothing loading, no finite animation running. */
async function settle(page, ms = 5_000) {
  await page
    .waitForFunction(
      () => {
        if (document.readyState !== 'complete') return false;
        if (document.querySelector('.top-progress, .ant-spin-spinning, .ant-skeleton-active')) return false;
        return document.getAnimations().every((a) => {
          if (a.playState !== 'running') return true;
          const timing = a.effect?.getComputedTiming();
          return timing?.iterations === Infinity;
        });
      },
      undefined,
      { timeout: ms, polling: 100 },
    )
    .catch(() => {});
}

/**
 * What axe's result depends on, in a few bytes: the whole document's markup (every element,
 * attribute, class and inline style, and the <style> elements antd writes its CSS into), the
 * viewport, the focused element and the scroll position. Two screens with the same key get the
 * same verdict.
 */
async function screenKey(page) {
  return page.evaluate(() => {
    const focused = document.activeElement;
    const text = [
      document.documentElement.outerHTML,
      `${innerWidth}x${innerHeight}@${scrollX},${scrollY}`,
      focused ? `${focused.tagName}#${focused.id}.${focused.className}` : '',
    ].join('|');
    // Two independent 32-bit hashes (FNV-1a and a multiplicative one) and the length.
    let a = 0x811c9dc5;
    let b = 7;
    for (let i = 0; i < text.length; i += 1) {
      const c = text.charCodeAt(i);
      a = Math.imul(a ^ c, 16777619);
      b = (Math.imul(b, 31) + c) | 0;
    }
    return `${text.length}:${a >>> 0}:${b >>> 0}`;
  });
}

/** One axe run on the page as it is: the failing violations, as `rule|target` keyed records. */
async function axeRun(page) {
  const has = await page.evaluate(() => typeof window.axe !== 'undefined');
  // page.evaluate is not subject to the app's CSP (which forbids inline scripts).
  if (!has) await page.evaluate(AXE_SOURCE);
  const result = await page.evaluate(
    async (tags) => {
      const r = await window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
      return r.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        nodes: v.nodes.map((n) => ({ target: n.target.map(String).join(' '), impact: n.impact, summary: n.failureSummary, html: n.html.slice(0, 160) })),
      }));
    },
    TAGS,
  );
  const found = new Map();
  for (const v of result) {
    for (const n of v.nodes) {
      const impact = n.impact ?? v.impact;
      if (!FAILING.has(impact) || excluded(v.id, n.target)) continue;
      found.set(`${v.id}|${n.target}`, { rule: v.id, impact, help: v.help, target: n.target, html: n.html, summary: n.summary });
    }
  }
  return found;
}

/** Watches the pages of a browser context; `finish()` throws when anything failing was found. */
export function watchA11y(context) {
  const violations = new Map(); // "rule|target" -> record with the screens it was seen on
  // axe runs of this context, their time, and the checks answered by an earlier run of the
  // same screen (the harness prints them).
  const spent = { runs: 0, ms: 0, same: 0 };
  // Per page, the screens (`screenKey`) axe found clean. A screen is checked after a
  // navigation, before a screenshot and at the end of a flow: often the same screen, unchanged.
  // Only clean screens are remembered: a finding is always looked at again (onNavigated).
  const clean = new WeakMap();
  const timedRun = async (page) => {
    const started = Date.now();
    const key = await screenKey(page);
    if (clean.get(page)?.has(key)) {
      spent.same += 1;
      return new Map();
    }
    try {
      const found = await axeRun(page);
      if (found.size === 0) {
        if (!clean.has(page)) clean.set(page, new Set());
        clean.get(page).add(key);
      }
      return found;
    } finally {
      spent.runs += 1;
      spent.ms += Date.now() - started;
    }
  };
  let queue = Promise.resolve();
  let closed = false;
  let paused = false;

  const note = (found, where) => {
    for (const [key, v] of found) {
      const seen = violations.get(key);
      if (seen) seen.where.add(where);
      else violations.set(key, { ...v, where: new Set([where]) });
    }
  };
  const serially = (fn) => {
    queue = queue.then(fn).catch(() => {
      // the page navigated or closed under the check: the next check sees the new screen
    });
    return queue;
  };
  const where = (page, label) => {
    const url = new URL(page.url());
    return label ? `${url.pathname}${url.search} (${label})` : `${url.pathname}${url.search}`;
  };

  const onNavigated = (page) => (frame) => {
    if (closed || paused || frame !== page.mainFrame() || page.url().startsWith('about:')) return;
    const url = page.url();
    void serially(async () => {
      if (closed || page.isClosed()) return;
      await settle(page);
      if (page.url() !== url) return; // already elsewhere: that navigation has its own check
      const first = await timedRun(page);
      if (first.size === 0) return;
      await page.waitForTimeout(300);
      await settle(page);
      if (page.url() !== url) return;
      const again = await timedRun(page);
      note(new Map([...first].filter(([key]) => again.has(key))), where(page));
    });
  };
  const watch = (page) => page.on('framenavigated', onNavigated(page));
  context.pages().forEach(watch);
  context.on('page', watch);

  return {
    /** Checks the page now (after it settles); what it finds counts. */
    async check(page, label) {
      if (page.isClosed() || page.url().startsWith('about:')) return; // nothing of ours on screen
      let error;
      await serially(async () => {
        await settle(page);
        try {
          note(await timedRun(page), where(page, label));
        } catch (e) {
          error = e;
        }
      });
      if (error && !page.isClosed()) throw error;
    },
    /** The end of a flow: checks the last screen, then fails if anything was found. */
    async finish(page) {
      if (page && !page.isClosed()) await this.check(page, 'end of flow');
      closed = true;
      await queue;
      if (violations.size === 0) return;
      const lines = [...violations.values()].map(
        (v) => `[${v.impact}] ${v.rule} on ${v.target} at ${[...v.where].join(', ')}\n          ${v.help}; ${v.html}\n          ${(v.summary ?? '').split('\n').slice(0, 3).join(' / ')}`,
      );
      throw new A11yError(`accessibility (axe-core, WCAG A/AA): ${violations.size} serious or critical\n        ${lines.join('\n        ')}`);
    },
    /**
     * No checks on navigation until `resume()`: for a flow that times screens (axe would take
     * the CPU from the screen being timed). Such a flow calls `check()` between its timings.
     */
    async pause() {
      paused = true;
      await queue;
    },
    resume() {
      paused = false;
    },
    stop() {
      closed = true;
    },
    /** How many axe runs this flow made, and how long they took in all. */
    spent() {
      return { ...spent };
    },
  };
}

export class A11yError extends Error {}
