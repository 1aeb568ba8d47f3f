// Issue 14, items 2, 4 and 10: finding a union as officers write it (abbreviations, any word
// order, a past date's tree kept on the page it opens, where an ended union went), names
// instead of codes (communes, nationality, industries), and the overview of an officer of
// several units.
import { assert, test } from './harness.mjs';
import { TIMEOUT, apiAs, pickDate, shot, signIn, waitOverviewDrawn } from './helpers.mjs';

const SEARCH = 'Tìm đơn vị (gõ không dấu cũng được)';

async function searchUnion(page, text) {
  const input = page.getByLabel(SEARCH, { exact: true });
  await input.click();
  await input.fill('');
  const answered = page.waitForResponse((r) => r.url().includes('/api/v1/unions/search') && r.ok());
  await input.fill(text);
  await answered;
  const hits = page.locator('.ant-select-dropdown:visible [data-testid="union-hit"]');
  await hits.first().waitFor({ timeout: TIMEOUT });
  return hits;
}

test('14a unit search: abbreviations, any word order, best first, whole names, a past date kept', async (ctx) => {
  const { page } = ctx;
  await signIn(page, 'tinh');
  await waitOverviewDrawn(page);
  await page.goto('/unions');
  await page.locator('[data-testid="tree-node"]').first().waitFor({ timeout: TIMEOUT });

  // Today the Mỹ Tho federation is dissolved (July 2025); it is still found, marked so.
  for (const q of ['lien doan my tho', 'LĐLĐ Mỹ Tho', 'my tho ldld']) {
    const hits = await searchUnion(page, q);
    const first = hits.first();
    assert((await first.getAttribute('data-code')) === 'TG-MT', `"${q}" finds the Mỹ Tho federation first`);
    assert((await first.innerText()).includes('Đã giải thể'), `"${q}": the federation is shown dissolved`);
  }

  // Grassroots names all start "Công đoàn cơ sở Công ty TNHH": the part that tells them apart
  // shows, none is cut, and the full name is on hover.
  const hits = await searchUnion(page, 'cdcs cty tnhh');
  const texts = await hits.allInnerTexts();
  assert(texts.length >= 3, `several companies match: ${texts.length}`);
  assert(texts.every((t) => t.startsWith('CĐCS Cty TNHH ')), `names abbreviated: ${texts.slice(0, 3)}`);
  assert(new Set(texts.map((t) => t.split('\n')[0])).size === texts.length, 'every hit reads differently');
  const cut = await hits.evaluateAll((els) => els.filter((e) => e.scrollWidth > e.clientWidth + 1).length);
  assert(cut === 0, `${cut} hits are cut off`);
  const title = await hits.first().getAttribute('title');
  assert(title?.startsWith('Công đoàn cơ sở Công ty'), `the full name on hover: ${title}`);
  await shot(ctx, '14a-01-union-search');
  await page.keyboard.press('Escape');

  // The tree of 30/06/2024: the federation was active then; its page keeps the date.
  await pickDate(page, 'Xem cơ cấu tại ngày', '30/06/2024', 'Enter');
  await page.waitForURL(/as_of=2024-06-30/, { timeout: TIMEOUT });
  const then = await searchUnion(page, 'LĐLĐ Mỹ Tho');
  assert((await then.first().getAttribute('data-code')) === 'TG-MT', 'found in the 2024 tree');
  assert(!(await then.first().innerText()).includes('Đã giải thể'), 'active on 30/06/2024');
  await then.first().click();
  await page.waitForURL(/\/unions\/[0-9a-f-]+\?as_of=2024-06-30/, { timeout: TIMEOUT });
  const state = page.getByTestId('as-of-state');
  await state.waitFor({ timeout: TIMEOUT });
  assert((await state.innerText()).includes('Đang hoạt động'), `its state on that day: ${await state.innerText()}`);
  await shot(ctx, '14a-02-union-as-of');

  // Today: where its units went, each a link.
  await page.getByRole('button', { name: 'Xem theo hiện tại' }).click();
  await page.waitForURL((url) => !url.search.includes('as_of'), { timeout: TIMEOUT });
  const moved = page.getByTestId('moved-unit');
  await moved.first().waitFor({ timeout: TIMEOUT });
  assert((await moved.count()) > 0, 'its units are listed');
  const target = moved.first().locator('a').last();
  const targetName = await target.innerText();
  await shot(ctx, '14a-03-union-whereabouts');
  await target.click();
  await page.getByRole('heading', { name: targetName, exact: true }).waitFor({ timeout: TIMEOUT });
});

const digits = (text) => Number(text.replace(/\D/g, ''));

test('14a overview of an officer of several units: all named, switchable, readable labels, figures open their lists', async (ctx) => {
  const { page } = ctx;
  await signIn(page, 'mytho');
  await waitOverviewDrawn(page);
  const api = await apiAs(ctx, 'mytho');
  const held = (await api.get('/api/v1/reports/overview')).held_units;
  await api.close();
  // The demo's officer of Mỹ Tho holds the dissolved city federation and the ward unions that
  // took over (five at the e2e scale, six at full scale).
  assert(held.length >= 5, `mytho holds several units: ${held.length}`);
  const units = page.getByTestId('held-unit');
  await units.first().waitFor({ timeout: TIMEOUT });
  assert((await units.count()) === held.length, `all ${held.length} units named: ${await units.count()}`);
  const scope = await page.getByTestId('overview-scope').innerText();
  assert(scope.includes(`tất cả ${held.length} đơn vị`), `the scope says all of them: ${scope}`);
  const allMembers = digits(await page.getByTestId('stat-members').innerText());

  // Narrow to the ward union of Mỹ Tho: its grassroots units, abbreviated on the axis.
  const ward = units.filter({ hasText: 'Công đoàn phường Mỹ Tho' });
  const answered = page.waitForResponse((r) => r.url().includes('/api/v1/reports/overview?union_id=') && r.ok());
  await ward.click();
  await answered;
  await page.waitForURL(/[?&]union=/, { timeout: TIMEOUT });
  await page.locator('[data-chart="members-by-child"][data-drawn="true"]').waitFor({ timeout: TIMEOUT });
  const narrowed = await page.getByTestId('overview-scope').innerText();
  assert(narrowed.includes('Công đoàn phường Mỹ Tho'), `narrowed: ${narrowed}`);
  const wardMembers = digits(await page.getByTestId('stat-members').innerText());
  assert(wardMembers > 0 && wardMembers < allMembers, `the ward's members (${wardMembers}) are part of all (${allMembers})`);
  const labels = await page.locator('[data-chart="members-by-child"] svg text').allTextContents();
  const names = labels.filter((l) => /\p{L}/u.test(l));
  assert(names.some((l) => l.startsWith('CĐCS')), `grassroots labels abbreviated: ${names.slice(0, 4)}`);
  assert(names.every((l) => !l.startsWith('Công đoàn cơ sở') && l.length <= 34), `no long labels: ${names.filter((l) => l.length > 34)}`);
  // The full name on hover: the tooltip of the first bar's row.
  const chart = page.locator('[data-chart="members-by-child"]');
  await chart.scrollIntoViewIfNeeded();
  const box = await chart.boundingBox();
  await page.mouse.move(box.x + box.width * 0.5, box.y + 20);
  await page.mouse.move(box.x + box.width * 0.6, box.y + 24, { steps: 4 });
  await page.waitForFunction(
    () => [...document.querySelectorAll('div')].some((d) => !d.querySelector('div') && /Công đoàn cơ sở \p{Lu}/u.test(d.textContent ?? '')),
    null,
    { timeout: TIMEOUT },
  );
  await shot(ctx, '14a-04-overview-several-units');

  // Every figure opens the list behind it: the members figure -> that many members.
  await page.getByTestId('stat-members-link').click();
  await page.waitForURL(/\/members\?union_id=.*status=active/, { timeout: TIMEOUT });
  const total = page.getByTestId('member-total');
  await total.waitFor({ timeout: TIMEOUT });
  await page.waitForFunction(() => /\d/.test(document.querySelector('[data-testid="member-total"]')?.textContent ?? ''));
  assert(digits(await total.innerText()) === wardMembers, `the list holds the figure: ${await total.innerText()} vs ${wardMembers}`);
  await page.goBack();
  // The level table's figures lead to the units behind them.
  const grassroots = page.getByTestId('stat-grassroots');
  await grassroots.waitFor({ timeout: TIMEOUT });
  const count = digits(await grassroots.innerText());
  await page.getByTestId('stat-grassroots-link').click();
  await page.waitForURL(/\/unions\/list\?/, { timeout: TIMEOUT });
  const listed = page.getByTestId('union-list-total');
  await listed.waitFor({ timeout: TIMEOUT });
  assert(digits(await listed.innerText()) === count, `grassroots listed ${await listed.innerText()} = ${count}`);
  await page.goBack();
  // A bar of the chart opens that unit's members.
  await page.locator('[data-chart="members-by-child"][data-drawn="true"]').waitFor({ timeout: TIMEOUT });
  await page.locator('[data-chart="members-by-child"] svg text', { hasText: /^CĐCS/ }).first().click();
  await page.waitForURL(/\/members\?union_id=/, { timeout: TIMEOUT });
});
