// Flow of the training-spending figures (the "15% of funds on training" target): a grassroots
// union's officer enters a year's figures and submits them; the superior union's officer approves
// them, after which they are read-only.
import { assert, test } from './harness.mjs';
import { TIMEOUT, apiAs, chooseOption, openDialog, rows, shot, signIn, waitOverviewDrawn } from './helpers.mjs';

test('spending: a grassroots union enters and submits its training spending, the superior approves it', async (ctx) => {
  const { page } = ctx;
  // The grassroots union of `cdcs`, a year it has no figures for yet, and who approves them.
  const unit = await apiAs(ctx, 'cdcs');
  const me = await unit.get('/api/v1/auth/me');
  const home = me.roles[0];
  const taken = new Set((await unit.get(`/api/v1/finance/spending?union_id=${home.union_id}&size=100`)).items.map((s) => s.year));
  const thisYear = new Date().getFullYear();
  const year = Array.from({ length: thisYear - 2017 }, (_, i) => thisYear - i).find((y) => !taken.has(y));
  assert(year, `${home.union_name} has a year without spending figures`);
  await unit.close();

  await signIn(page, 'cdcs');
  await waitOverviewDrawn(page);
  await page.getByRole('link', { name: 'Kinh phí đào tạo' }).click();
  await page.getByRole('heading', { name: 'Kinh phí đào tạo' }).waitFor({ timeout: TIMEOUT });
  await rows(page).first().waitFor({ timeout: TIMEOUT });
  await shot(ctx, '33b-training-spending');

  // The figures: training above the total is refused on the form, then corrected and submitted.
  await page.getByRole('button', { name: 'Nhập số liệu' }).click();
  const dialog = await openDialog(page);
  await chooseOption(page, 'Năm số liệu', String(year));
  await page.getByLabel('Tổng chi hoạt động (đồng)', { exact: true }).fill('150000000');
  await page.getByLabel('Chi đào tạo, bồi dưỡng (đồng)', { exact: true }).fill('200000000');
  await page.getByLabel('Nguồn số liệu', { exact: true }).fill(`Báo cáo quyết toán kinh phí công đoàn năm ${year}`);
  await dialog.getByRole('button', { name: 'Lưu' }).click();
  await dialog.getByText('Chi đào tạo không được lớn hơn tổng chi.').waitFor({ timeout: TIMEOUT });
  await page.getByLabel('Chi đào tạo, bồi dưỡng (đồng)', { exact: true }).fill('24000000');
  await dialog.getByRole('button', { name: 'Lưu' }).click();
  await dialog.getByText(`Số liệu chi năm ${year}`).waitFor({ timeout: TIMEOUT });
  assert((await page.getByLabel('Tổng chi hoạt động (đồng)', { exact: true }).inputValue()) === '150.000.000', 'the total shows with vi-VN thousands separators');
  await shot(ctx, '33c-training-spending-draft');
  await dialog.getByRole('button', { name: 'Gửi cấp trên duyệt' }).click();
  await page.getByText('Đã gửi số liệu để cấp trên duyệt.').waitFor({ timeout: TIMEOUT });
  await dialog.waitFor({ state: 'detached', timeout: TIMEOUT });
  await page.goto(`/training/spending?year=${year}`);
  const mine = rows(page).filter({ hasText: home.union_name }).first();
  await mine.filter({ hasText: 'Chờ duyệt' }).waitFor({ timeout: TIMEOUT });
  assert((await mine.textContent()).includes('16%'), 'the share is 24 of 150 million: 16%');

  // Its superior's officer (the district's, else the province's) approves the figures.
  let approver = null;
  for (const who of ['mytho', 'caibe', 'tinh']) {
    const api = await apiAs(ctx, who);
    const seen = await api.fetch(`/api/v1/finance/spending?union_id=${home.union_id}&year=${year}`);
    const item = seen.ok() ? (await seen.json()).items[0] : null;
    await api.close();
    if (item?.may_approve) {
      approver = who;
      break;
    }
  }
  assert(approver, `an officer of the union above ${home.union_name} approves its figures`);
  const context = await ctx.browser.newContext({ baseURL: ctx.base, locale: 'vi-VN', viewport: { width: 1366, height: 860 } });
  const superior = await context.newPage();
  await signIn(superior, approver);
  await waitOverviewDrawn(superior);
  await superior.goto(`/training/spending?year=${year}&status=submitted&union_id=${home.union_id}`);
  const row = rows(superior).filter({ hasText: home.union_name }).first();
  await row.getByRole('button', { name: `Xem ${home.union_name} ${year}` }).click();
  const review = await openDialog(superior);
  await review.getByText('Số liệu đang chờ cấp trên duyệt.').waitFor({ timeout: TIMEOUT });
  await ctx.a11y?.check(superior, 'spending figures submitted, the superior reviews them');
  await review.getByRole('button', { name: 'Duyệt' }).click();
  await superior.getByText('Đã duyệt số liệu chi.').waitFor({ timeout: TIMEOUT });
  await review.waitFor({ state: 'detached', timeout: TIMEOUT });
  await context.close();

  // Back at the union: approved, and read-only.
  await page.reload();
  const approved = rows(page).filter({ hasText: home.union_name }).filter({ hasText: 'Đã duyệt' }).first();
  await approved.waitFor({ timeout: TIMEOUT });
  await approved.getByRole('button', { name: `Xem ${home.union_name} ${year}` }).click();
  const done = await openDialog(page);
  await done.getByText('Số liệu đã duyệt, không sửa được nữa.').waitFor({ timeout: TIMEOUT });
  assert((await done.getByRole('button', { name: 'Gửi cấp trên duyệt' }).count()) === 0, 'approved figures cannot be submitted again');
  assert(await page.getByLabel('Tổng chi hoạt động (đồng)', { exact: true }).isDisabled(), 'approved figures are read-only');
  await shot(ctx, '33d-training-spending-approved');
}, { mutates: true });
