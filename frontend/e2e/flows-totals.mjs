// Totals officers live by: exact for the province, on the list and the overview, with every page
// reachable; a large search says "khoảng" and counts exactly when asked.
import { assert, test } from './harness.mjs';
import { TIMEOUT, apiAs, memberNames, rows, searchMembers, signIn, tableSettled, waitOverviewDrawn } from './helpers.mjs';

const digits = (text) => Number(text.replace(/\D/g, ''));

test("members: the province's total is the exact count, and its last page opens", async (ctx) => {
  const { page } = ctx;
  const api = await apiAs(ctx, 'tinh');
  // Counted row by row: an age filter is not one the maintained counts are kept by.
  const counted = await api.get('/api/v1/members?age_min=0&exact_total=true&size=1');
  const active = await api.get('/api/v1/members?age_min=0&status=active&exact_total=true&size=1');
  await api.close();
  assert(counted.total_exact && counted.total > 1000, `the register is counted: ${counted.total}`);

  await signIn(page, 'tinh');
  await waitOverviewDrawn(page);
  const overviewActive = await page.getByTestId('stat-members').innerText();
  assert(digits(overviewActive) === active.total, `the overview's members (${overviewActive}) are the exact count ${active.total}`);
  // The demo runs up to today: this year has admissions.
  const admitted = await page.getByTestId('stat-new-members').innerText();
  assert(digits(admitted) > 0, `new members this year: ${admitted}`);
  await page.goto('/members');
  await rows(page).first().waitFor({ timeout: TIMEOUT });
  await tableSettled(page);
  const total = await page.getByTestId('member-total').innerText();
  assert(total.startsWith('Tổng ') && digits(total) === counted.total, `the province's total "${total}" is the exact count ${counted.total}`);

  const pages = Math.ceil(counted.total / 20);
  const last = page.locator('.ant-pagination-item').last();
  assert(Number(await last.innerText()) === pages, `the pager ends at page ${pages}`);
  const answered = page.waitForResponse((r) => r.url().includes('/api/v1/members?') && r.url().includes(`page=${pages}`));
  await last.click();
  await answered;
  await tableSettled(page);
  const names = await memberNames(page);
  assert(names.length === counted.total - (pages - 1) * 20, `the last page holds the rest: ${names.length}`);
});

test('members: a large search shows "khoảng" and counts exactly on request', async (ctx) => {
  const { page } = ctx;
  await signIn(page, 'tinh');
  await waitOverviewDrawn(page);
  await page.goto('/members');
  await rows(page).first().waitFor({ timeout: TIMEOUT });
  // Nearly every Vietnamese name has an "n": more matches than the list counts on each page.
  await searchMembers(page, 'n');
  const about = await page.getByTestId('member-total').innerText();
  assert(about.startsWith('Khoảng '), `a large search is an estimate: ${about}`);
  const exact = page.waitForResponse((r) => r.url().includes('exact_total=true') && r.ok());
  await page.getByTestId('member-count-exactly').click();
  const body = await (await exact).json();
  await tableSettled(page);
  const counted = await page.getByTestId('member-total').innerText();
  assert(counted.startsWith('Tổng ') && digits(counted) === body.total, `counted on request: ${counted}`);
  assert((await page.getByTestId('member-count-exactly').count()) === 0, 'no button once exact');
});
