// Issue 14, the web app in daily use: work waiting for the officer (item 5), imports' totals
// (item 6, in flows-imports.mjs), accessibility (item 8: the axe-core check itself is a11y.mjs,
// run on every flow's screens).
import { watchA11y } from './a11y.mjs';
import { assert, test } from './harness.mjs';
import { TIMEOUT, apiAs, pickUnion, rows, shot, signIn, tableSettled, waitOverviewDrawn } from './helpers.mjs';

test('work waiting: the transfer badge, the to-do on the overview, the old request flagged', async (ctx) => {
  const { page } = ctx;
  // The demo's pending transfers go to units across the province: its officer decides them all.
  await signIn(page, 'tinh');
  await waitOverviewDrawn(page);
  const todo = page.getByTestId('todo-transfers');
  await todo.waitFor({ timeout: TIMEOUT });
  const line = await todo.innerText();
  assert(/Yêu cầu tiếp nhận chờ bạn quyết định/.test(line), `the to-do names the work: ${line}`);
  // The demo's oldest pending request was filed 45 days ago.
  const flag = await page.getByTestId('todo-transfers-flag').innerText();
  assert(/1 yêu cầu chờ quá 30 ngày/.test(flag), `the old request is flagged: ${flag}`);
  const count = Number(line.match(/(\d+)\s*$/)?.[1]);
  assert(count >= 3, `the to-do counts the incoming requests: ${line}`);
  const badge = await page.getByTestId('transfers-badge').innerText();
  assert(Number(badge) === count, `the menu badge shows the same count: ${badge} vs ${count}`);
  await shot(ctx, 'web14b-01-todo-overview');

  await todo.getByRole('link').click();
  await page.getByRole('heading', { name: 'Chuyển sinh hoạt công đoàn' }).waitFor({ timeout: TIMEOUT });
  await rows(page).first().waitFor({ timeout: TIMEOUT });
  await tableSettled(page);
  assert((await page.getByTestId('transfer-overdue').count()) === 1, 'the list flags the one old request');
  await shot(ctx, 'web14b-02-transfers-overdue');
});

test('work waiting: the federation officer sets automatic escalation; the old request goes up', async (ctx) => {
  const { page } = ctx;
  const officer = await apiAs(ctx, 'tinh');
  const pending = await officer.get('/api/v1/members/transfers?direction=incoming&status=pending&size=200');
  await officer.close();
  const old = pending.items.find((r) => r.overdue && !r.escalated);
  assert(old, 'the demo has an old request, not escalated yet');
  await signIn(page, 'tinh');
  await waitOverviewDrawn(page);
  await page.goto('/transfers');
  await page.getByRole('link', { name: 'Cài đặt chuyển lên cấp trên' }).click();
  await page.getByRole('heading', { name: 'Tự động chuyển yêu cầu chờ lâu lên cấp trên' }).waitFor({ timeout: TIMEOUT });
  await pickUnion(page, 'Đơn vị nhận yêu cầu', old.to_union_name, old.to_union_name);
  const current = page.getByTestId('escalation-current');
  await current.getByText('Hiện tại: không tự động chuyển lên cấp trên.').waitFor({ timeout: TIMEOUT });
  await page.getByLabel('Chuyển lên cấp trên sau số ngày chờ').check();
  await page.getByLabel('Số ngày chờ (1–365)').fill('30');
  const saved = page.waitForResponse((r) => r.url().includes(`/transfer-escalation/${old.to_union_id}`) && r.request().method() === 'PUT');
  await page.getByTestId('escalation-form').getByRole('button', { name: 'Lưu' }).click();
  assert((await saved).status() === 200, 'the setting is saved');
  await page.getByText('Đã lưu: chuyển lên cấp trên sau 30 ngày chờ.').waitFor({ timeout: TIMEOUT });
  await current.getByText('Hiện tại: chuyển lên cấp trên sau 30 ngày chờ.').waitFor({ timeout: TIMEOUT });
  await shot(ctx, 'web14b-03-transfer-escalation');

  // The 45-day-old request into that union is now flagged as escalated in the inbox.
  await page.goto('/transfers');
  await rows(page).first().waitFor({ timeout: TIMEOUT });
  await tableSettled(page);
  const row = rows(page).filter({ hasText: old.member_name }).first();
  await row.getByTestId('transfer-escalated').waitFor({ timeout: TIMEOUT });
}, { mutates: true });

test('accessibility: filters carry visible labels, not placeholders alone', async (ctx) => {
  const { page } = ctx;
  await signIn(page, 'mytho');
  await waitOverviewDrawn(page);
  await page.goto('/members');
  await rows(page).first().waitFor({ timeout: TIMEOUT });
  const labels = await page.locator('[role="search"] .filter-field__label').allInnerTexts();
  for (const name of ['Tìm họ tên', 'Trạng thái', 'Giới tính']) {
    assert(labels.some((l) => l.startsWith(name)), `"${name}" is written above its filter: ${labels.join(' | ')}`);
  }
  // The placeholder's text is dark enough to read (it was #bfbfbf, 1.8:1).
  const color = await page.locator('.ant-select-placeholder').first().evaluate((el) => getComputedStyle(el).color);
  const [r, g, b] = color.match(/\d+(\.\d+)?/g).map(Number);
  assert(r < 120 && g < 120 && b < 120, `the placeholder is dark grey: ${color}`);
  await shot(ctx, 'web14b-03-member-filters');
});

test('accessibility: the axe-core check fails a screen with a low-contrast text', async (ctx) => {
  // The hook itself, on a page of its own: a light grey text on white is a serious violation.
  const context = await ctx.browser.newContext({ baseURL: ctx.base, locale: 'vi-VN' });
  try {
    const watcher = watchA11y(context);
    const page = await context.newPage();
    await page.goto('/signin');
    await page.getByLabel('Tên đăng nhập').waitFor({ timeout: TIMEOUT });
    await watcher.check(page, 'the sign-in page as shipped');
    await page.evaluate(() => {
      const p = document.createElement('p');
      p.textContent = 'Chữ xám nhạt khó đọc';
      p.style.color = '#bfbfbf';
      p.style.background = '#ffffff';
      document.querySelector('.signin-card')?.append(p);
    });
    await watcher.check(page, 'with a light grey text');
    const failure = await watcher.finish().then(() => null, (e) => String(e));
    assert(failure && /color-contrast/.test(failure), `the check names the contrast failure: ${failure}`);
    assert(!/target-size|label/.test(failure), `the sign-in page as shipped has nothing else: ${failure}`);
  } finally {
    await context.close();
  }
});

/** Visible buttons and inputs in the screen narrower or shorter than 44 px (tap targets). */
async function smallTargets(page) {
  return page.evaluate(() =>
    [...document.querySelectorAll('#main button, #main .ant-select, #main input:not([type="checkbox"]):not([type="radio"]), #main .ant-pagination-item, .app-header button')]
      .filter((el) => {
        const r = el.getBoundingClientRect();
        return r.width > 0 && r.height > 0 && el.closest('[aria-hidden="true"], .ant-select-input, .ant-select-content, .ant-input-affix-wrapper, .ant-input-group-addon') === null && !(el.tagName === 'INPUT' && el.closest('.ant-select')) && r.height < 44;
      })
      .map((el) => `${el.tagName.toLowerCase()}.${[...el.classList].slice(0, 2).join('.')} ${Math.round(el.getBoundingClientRect().height)}px`),
  );
}

test('phone (390x844): a menu drawer, members and enterprises as cards, one column, 44 px targets', async (ctx) => {
  const context = await ctx.browser.newContext({ baseURL: ctx.base, locale: 'vi-VN', viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const a11y = watchA11y(context);
  try {
    const page = await context.newPage();
    await signIn(page, 'mytho');
    await page.getByRole('heading', { name: 'Tổng quan' }).waitFor({ timeout: TIMEOUT });
    assert((await page.locator('.ant-layout-sider').count()) === 0, 'no icon rail on a phone');
    const toggle = page.getByRole('button', { name: 'Mở danh mục chức năng' });
    await toggle.click();
    const drawer = page.locator('.nav-drawer');
    await drawer.getByRole('link', { name: 'Đoàn viên', exact: true }).waitFor({ timeout: TIMEOUT });
    await shot({ ...ctx, a11y }, 'web14b-04-phone-menu', page);
    await drawer.getByRole('link', { name: 'Đoàn viên', exact: true }).click();
    await page.getByRole('heading', { name: 'Đoàn viên' }).waitFor({ timeout: TIMEOUT });
    await rows(page).first().waitFor({ timeout: TIMEOUT });
    await tableSettled(page);
    const card = await rows(page).first().evaluate((tr) => ({ display: getComputedStyle(tr).display, width: tr.getBoundingClientRect().width }));
    assert(card.display === 'block' && card.width <= 390, `members are cards that fit the phone: ${JSON.stringify(card)}`);
    const overflow = await page.evaluate(() => document.scrollingElement.scrollWidth);
    assert(overflow <= 390, `nothing is wider than the phone: ${overflow} px`);
    // A date is never broken in the middle of its number.
    const date = rows(page).first().locator('.nowrap').first();
    const box = await date.boundingBox();
    assert(box && box.height < 30, `a date stays on one line: ${JSON.stringify(box)}`);
    const small = await smallTargets(page);
    assert(small.length === 0, `tap targets of 44 px: ${small.slice(0, 6).join(', ')}`);
    await shot({ ...ctx, a11y }, 'web14b-05-phone-members', page);

    await rows(page).first().locator('td').first().getByRole('link').click();
    await page.getByRole('tab', { name: 'Thông tin' }).waitFor({ timeout: TIMEOUT });
    const cells = await page.locator('.ant-descriptions-item-content').evaluateAll((els) => els.slice(0, 4).map((e) => Math.round(e.getBoundingClientRect().width)));
    assert(cells.length > 0 && cells.every((w) => w >= 300), `the detail is one column: ${cells.join(', ')}`);
    await shot({ ...ctx, a11y }, 'web14b-06-phone-member-detail', page);

    await toggle.click();
    await drawer.getByRole('link', { name: 'Doanh nghiệp', exact: true }).click();
    await page.getByRole('heading', { name: 'Doanh nghiệp' }).waitFor({ timeout: TIMEOUT });
    await rows(page).first().waitFor({ timeout: TIMEOUT });
    await tableSettled(page);
    const ecard = await rows(page).first().evaluate((tr) => getComputedStyle(tr).display);
    assert(ecard === 'block', 'enterprises are cards');
    await shot({ ...ctx, a11y }, 'web14b-07-phone-enterprises', page);
    await a11y.finish(page);
  } finally {
    await context.close();
  }
});
