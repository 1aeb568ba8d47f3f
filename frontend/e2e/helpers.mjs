// Shared steps of the browser flows.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

export const PASSWORD = 'UnionHub@2026';
export const TIMEOUT = 15_000;
// A programme's whole progress (see flows-programmes.mjs).
export const PROGRESS_TIMEOUT = 60_000;

/**
 * A full-page screenshot; CSS animations are finished first, so no sleep is needed. The screen
 * is checked for accessibility (a11y.mjs) before it is taken.
 */
export async function shot(ctx, name, page = ctx.page) {
  await ctx.a11y?.check(page, name);
  mkdirSync(ctx.screenshotDir, { recursive: true });
  await page.screenshot({ path: join(ctx.screenshotDir, `${name}.png`), fullPage: true, animations: 'disabled' });
}

export async function signIn(page, username) {
  await page.goto('/');
  await page.waitForURL(/\/signin/, { timeout: TIMEOUT });
  await page.getByLabel('Tên đăng nhập').fill(username);
  await page.getByLabel('Mật khẩu').fill(PASSWORD);
  const clicked = performance.now();
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  return clicked;
}

/** The overview is drawn: its figures are in and the monthly admissions chart has rendered. */
export async function waitOverviewDrawn(page) {
  await page.getByRole('heading', { name: 'Tổng quan' }).waitFor({ timeout: TIMEOUT });
  await page.locator('[data-chart="admissions"][data-drawn="true"]').waitFor({ timeout: TIMEOUT });
}

/** Types a date as a keyboard user would; Enter confirms it (and, inside a form, submits it). */
export async function pickDate(page, label, ddmmyyyy, key = 'Tab') {
  const input = page.getByLabel(label, { exact: true });
  await input.click();
  await input.fill(ddmmyyyy);
  await input.press(key);
}

export function treeNode(page, name) {
  return page.locator('[data-testid="tree-node"]', { hasText: name }).first();
}

/**
 * Opens the select labelled `label` and chooses the option `text`. With `a11y` (ctx.a11y) the
 * screen is checked with the list open, before the choice.
 */
export async function chooseOption(page, label, text, { a11y } = {}) {
  const input = page.getByLabel(label, { exact: true });
  const option = page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: text }).first();
  // The select (the labelled input's `.ant-select`) shows the chosen label once the choice is
  // taken. On a loaded machine the click could land while the options were still being
  // replaced (their query resolving), choosing nothing: clickOption checks, and chooses again.
  const select = input.locator('xpath=ancestor::div[contains(concat(" ", normalize-space(@class), " "), " ant-select ")][1]');
  await clickOption(input, option, {
    a11y: a11y && ((p) => checkListOpen(p, option, label, a11y)),
    chosen: () => select.getByText(text).first().waitFor({ timeout: 3_000 }),
  });
}

/**
 * Types into a searching select (unions, enterprises, destinations) and picks the option; with
 * `a11y`, checks the screen with the found options open first.
 */
export async function pickUnion(page, label, search, name, { a11y } = {}) {
  const input = page.getByLabel(label, { exact: true });
  const option = page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: name }).first();
  await clickOption(input, option, {
    open: async () => {
      await input.click();
      await input.fill(search);
    },
    a11y: a11y && ((p) => checkListOpen(p, option, label, a11y)),
  });
}

/**
 * Clicks `option` in the list of the select whose input is `input`, opening the list with
 * `open()` (default: a click on the input; a searching select types there too), and again on a
 * new attempt if it has closed. `chosen()`, if given, resolves once the choice shows; `a11y(page)` checks the open list.
 *
 * The click waits for the list to finish opening, then is bounded, and is made again (at most
 * three times). The lists are placed in the page's document, the dialogs over it are fixed:
 * when Playwright found an option still moving (the opening animation) it retried with the
 * option scrolled to the end, centre, then start of the window. That scrolls the document
 * behind a dialog (its scroll is only locked for the user), the list follows its select back
 * (antd aligns it again on scroll) and moves under the next check: on a loaded machine the
 * click could wait its full 30 s, the option never "stable" (CI, training flow, the course
 * form's kind).
 */
export async function clickOption(input, option, { open = () => input.click(), chosen, a11y } = {}) {
  const page = input.page();
  for (let attempt = 1; ; attempt++) {
    // A searching select is typed into each time (a multiple one stays open after a choice).
    if (attempt === 1 || (await input.getAttribute('aria-expanded')) !== 'true') await open();
    await option.waitFor({ timeout: TIMEOUT });
    if (a11y && attempt === 1) await a11y(page);
    try {
      await listSettled(option);
      const list = await option.evaluateHandle((el) => el.closest('.ant-select-dropdown') ?? el);
      await option.click({ timeout: 5_000 });
      if (chosen) await chosen();
      await listClosed(input, list);
      return;
    } catch (err) {
      if (attempt >= 3) throw err;
    }
  }
}

/**
 * After a choice that closes the list (a single select), until the list is hidden (at most 5 s).
 * While it slides away the select already says it is collapsed, so an accessibility check made
 * then finds a visible listbox that no expanded combobox owns, and without a name of its own
 * (antd's hidden listbox for screen readers): the next step starts once it has gone.
 */
async function listClosed(input, list) {
  if ((await input.getAttribute('aria-expanded')) === 'true') return; // a multiple select stays open
  await list.evaluate(
    (el) =>
      new Promise((resolve) => {
        const deadline = performance.now() + 5_000;
        const check = () => {
          const gone = !el.isConnected || el.classList.contains('ant-select-dropdown-hidden') || getComputedStyle(el).display === 'none';
          if (gone || performance.now() > deadline) resolve();
          else setTimeout(check, 50);
        };
        check();
      }),
  );
  await list.dispose();
}

/** Until the option's list has finished its opening (or closing) motion (at most 5 s). */
async function listSettled(option) {
  await settled(option, '.ant-select-dropdown');
}

/**
 * The page's open dialog, once its opening motion has ended: a field filled or a button clicked
 * while the dialog still zooms in is aimed at a moving target (the same retries as a list's).
 */
export async function openDialog(page) {
  const dialog = page.getByRole('dialog');
  await dialog.waitFor({ timeout: TIMEOUT });
  await settled(dialog, '.ant-modal');
  return dialog;
}

/** Until the element's `container` (the closest match) has no motion running (at most 5 s). */
async function settled(locator, container) {
  await locator.evaluate(
    (el, selector) =>
      new Promise((resolve) => {
        const list = el.closest(selector) ?? el.querySelector(selector) ?? el;
        const deadline = performance.now() + 5_000;
        const check = () => {
          const moving = /-(appear|enter|leave)(-|\b)/.test(list.className) || list.getAnimations().some((a) => a.playState === 'running');
          if (!moving || performance.now() > deadline) resolve();
          else setTimeout(check, 50);
        };
        check();
      }),
    container,
  );
}

async function checkListOpen(page, option, label, a11y) {
  await option.waitFor({ timeout: TIMEOUT });
  await a11y.check(page, `list "${label}" open`);
}

/**
 * Holds the page's requests matching `pattern` (a Playwright URL glob) until the returned
 * `release()`: the screen stays in its "loading" state for as long as a check needs it.
 */
export async function holdRequests(page, pattern) {
  let open;
  const gate = new Promise((resolve) => {
    open = resolve;
  });
  const handler = async (route) => {
    await gate;
    // The page may have moved on (or closed) while the request waited.
    await route.continue().catch(() => {});
  };
  await page.route(pattern, handler);
  return async () => {
    open();
    await page.unroute(pattern, handler);
  };
}

/** A JSON API client signed in as `username`, in its own browser context (for test set-up). */
export async function apiAs(ctx, username) {
  const other = await ctx.browser.newContext({ baseURL: ctx.base });
  const res = await other.request.post('/api/v1/auth/token', { form: { username, password: PASSWORD } });
  const { access_token: token } = await res.json();
  const headers = { Authorization: `Bearer ${token}` };
  return {
    get: async (path) => {
      const r = await other.request.get(path, { headers });
      if (!r.ok()) throw new Error(`GET ${path}: ${r.status()}`);
      return r.json();
    },
    post: async (path) => {
      const r = await other.request.post(path, { headers });
      if (!r.ok()) throw new Error(`POST ${path}: ${r.status()}`);
      return r.json();
    },
    /** A PUT of a JSON body (with extra headers, e.g. If-Match); the answer's JSON. */
    put: async (path, data, extra = {}) => {
      const r = await other.request.put(path, { headers: { ...headers, ...extra }, data });
      if (!r.ok()) throw new Error(`PUT ${path}: ${r.status()}`);
      return r.json();
    },
    /** The raw answer (status, headers, body) of a GET. */
    fetch: (path) => other.request.get(path, { headers }),
    close: () => other.close(),
  };
}

/** Today as dd/mm/yyyy in the browser's time zone (the date pickers' format). */
export function today() {
  const d = new Date();
  return `${String(d.getDate()).padStart(2, '0')}/${String(d.getMonth() + 1).padStart(2, '0')}/${d.getFullYear()}`;
}

export const rows = (page) => page.locator('.ant-table-tbody .ant-table-row');

/**
 * The list shows the answer it waited for: no table is loading any more. (A "networkidle" load
 * state says nothing here: it is reached once per page load, not after each request.)
 */
export async function tableSettled(page) {
  await page.locator('.ant-table-wrapper .ant-spin-spinning').first().waitFor({ state: 'detached', timeout: TIMEOUT });
}

/** The first column (the member's name) of each row on the current page of the list. */
export async function memberNames(page) {
  return rows(page).locator('td:first-child a').allInnerTexts();
}

export async function searchMembers(page, text) {
  const box = page.getByLabel(/Tìm họ tên/);
  await box.fill(text);
  const answered = page.waitForResponse((r) => r.url().includes('/api/v1/members?') && r.url().includes(`q=${encodeURIComponent(text)}`));
  await box.press('Enter');
  await answered;
  await tableSettled(page);
}
