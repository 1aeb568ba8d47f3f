// Flows of the enterprise register: list, detail with surveys, founding a union, the gap list.
// Read-only flows take the screenshots; flows that change data carry { mutates: true }.
import { assert, test } from './harness.mjs';
import { TIMEOUT, rows, shot, signIn, tableSettled, waitOverviewDrawn } from './helpers.mjs';

test('enterprises: list, filters, detail with the worker surveys chart', async (ctx) => {
  const { page } = ctx;
  await signIn(page, 'mytho');
  await waitOverviewDrawn(page);
  await page.getByRole('link', { name: 'Doanh nghiệp' }).click();
  await page.getByRole('heading', { name: 'Doanh nghiệp' }).waitFor({ timeout: TIMEOUT });
  await rows(page).first().waitFor({ timeout: TIMEOUT });
  await shot(ctx, '15-enterprises');
  const all = await rows(page).count();
  const narrowed = page.waitForResponse((r) => r.url().includes('/api/v1/enterprises?') && r.url().includes('min_workers=100'));
  await page.getByLabel('Lao động từ').fill('100');
  await page.getByLabel('Lao động từ').press('Enter');
  await page.waitForURL(/min_workers=100/, { timeout: TIMEOUT });
  await narrowed;
  await tableSettled(page);
  const big = await rows(page).count();
  assert(big > 0 && big < all, `min workers 100 narrows the list (${all} -> ${big})`);
  await rows(page).first().locator('td:first-child a').click();
  await page.locator('[data-chart="surveys"][data-drawn="true"]').waitFor({ timeout: TIMEOUT });
  await page.getByText('Khảo sát lao động').waitFor();
  await page.getByRole('button', { name: 'Thêm khảo sát' }).waitFor();
  await shot(ctx, '16-enterprise-detail');
});

test('the unionization gap, grouped by responsible union', async (ctx) => {
  const { page } = ctx;
  await signIn(page, 'tinh');
  await waitOverviewDrawn(page);
  await page.goto('/enterprises');
  await page.getByRole('button', { name: 'Doanh nghiệp chưa có công đoàn' }).click();
  await page.getByRole('heading', { name: 'Doanh nghiệp chưa có công đoàn' }).waitFor({ timeout: TIMEOUT });
  await page.getByTestId('gap-enterprises').waitFor({ timeout: TIMEOUT });
  // At the founding threshold (20) the demo province has no gap left; smaller ones show.
  await page.getByLabel('Số lao động từ').fill('10');
  await page.getByLabel('Số lao động từ').press('Enter');
  await page.waitForURL(/min_workers=10/, { timeout: TIMEOUT });
  const groups = page.getByTestId('gap-group');
  await groups.first().waitFor({ timeout: TIMEOUT });
  const header = await groups.first().innerText();
  assert(/\d+ doanh nghiệp · \d+ lao động/.test(header), `a group shows its totals: ${header}`);
  const count = Number((await page.getByTestId('gap-enterprises').innerText()).replace(/\D/g, ''));
  assert(count > 0, 'enterprises below the threshold are listed');
  await shot(ctx, '17-unionization-gap');
  // Groups collapse and open.
  await page.getByRole('button', { name: 'Thu gọn tất cả' }).click();
  await page.locator('.ant-collapse-item-active').first().waitFor({ state: 'detached', timeout: TIMEOUT });
  await groups.first().click();
  await page.locator('.ant-collapse-item-active .ant-table-row').first().waitFor({ timeout: TIMEOUT });
});

test('an enterprise gets a worker survey, becomes a founding target, and founds its union', async (ctx) => {
  const { page } = ctx;
  const code = `E2E-${Date.now().toString(36).toUpperCase()}`;
  await signIn(page, 'tinh');
  await waitOverviewDrawn(page);
  await page.goto('/enterprises?has_union=0&sort=total_workers');
  await rows(page).first().waitFor({ timeout: TIMEOUT });
  const name = (await rows(page).first().locator('td:first-child a').innerText()).trim();
  await rows(page).first().locator('td:first-child a').click();
  await page.getByRole('heading', { name }).waitFor({ timeout: TIMEOUT });

  await page.getByRole('button', { name: 'Thêm khảo sát' }).click();
  const survey = page.locator('.ant-modal').filter({ hasText: 'Tổng số lao động' });
  await survey.getByLabel('Tổng số lao động').fill('25');
  await survey.getByLabel('Lao động nữ').fill('30');
  await survey.getByRole('button', { name: 'Lưu' }).click();
  await survey.getByText('Số lao động nữ không được lớn hơn tổng số lao động.').waitFor({ timeout: TIMEOUT });
  await survey.getByLabel('Lao động nữ').fill('10');
  await survey.getByRole('button', { name: 'Lưu' }).click();
  await page.getByText('Đã lưu đợt khảo sát; số lao động của doanh nghiệp được cập nhật.').waitFor({ timeout: TIMEOUT });
  await page.locator('.ant-tag', { hasText: 'Đủ điều kiện, chưa có CĐCS' }).first().waitFor({ timeout: TIMEOUT });

  await page.getByRole('button', { name: 'Thành lập CĐCS' }).click();
  const found = page.locator('.ant-modal').filter({ hasText: 'Thành lập công đoàn cơ sở' });
  await found.getByLabel('Mã đơn vị').fill(code);
  await found.getByLabel('Số quyết định').fill('12/QĐ-E2E');
  await found.getByRole('button', { name: 'Thành lập', exact: true }).click();
  await page.getByText(`Đã thành lập Công đoàn cơ sở ${name}.`).waitFor({ timeout: TIMEOUT });
  await page.locator('.ant-modal-footer').getByRole('button', { name: 'Đóng' }).click();
  await page.getByRole('link', { name: `Công đoàn cơ sở ${name}` }).first().waitFor({ timeout: TIMEOUT });
  assert((await page.getByRole('button', { name: 'Thành lập CĐCS' }).count()) === 0, 'no second founding offered');
}, { mutates: true });
