// Flows of training: a course from creation to results, whose completion gives the person the
// qualification and takes them off the due-for-training list; the compliance dashboard.
import { assert, test } from './harness.mjs';
import { TIMEOUT, apiAs, chooseOption, pickDate, rows, shot, signIn, today, waitOverviewDrawn } from './helpers.mjs';

// The cadre is picked by their card number: the demo has namesakes (four "Trần Thị An"), and
// picking by name alone once enrolled someone else while the due person's page showed a
// union-work level from a record dated ahead of today (which now does not count).
test('training: create a course, enrol a cadre due for training, record the result', async (ctx) => {
  const { page } = ctx;
  const api = await apiAs(ctx, 'tinh');
  const due = await api.get('/api/v1/training/due?size=200');
  const row = due.items.find((r) => r.kind === 'union_work');
  assert(row, 'the demo data has a cadre due for union-work training');
  const stillDue = async () => {
    const now = await api.get(`/api/v1/training/due?size=200`);
    return now.items.some((r) => r.member_id === row.member_id && r.kind === 'union_work');
  };

  await signIn(page, 'tinh');
  await waitOverviewDrawn(page);
  await page.getByRole('link', { name: 'Cần đào tạo' }).click();
  await page.getByRole('heading', { name: 'Cán bộ cần đào tạo, bồi dưỡng' }).waitFor({ timeout: TIMEOUT });
  await rows(page).first().waitFor({ timeout: TIMEOUT });
  await shot(ctx, '30-training-due');

  await page.getByRole('link', { name: 'Đào tạo, bồi dưỡng' }).click();
  await page.getByRole('heading', { name: 'Lớp đào tạo, bồi dưỡng' }).waitFor({ timeout: TIMEOUT });
  await rows(page).first().waitFor({ timeout: TIMEOUT });
  await shot(ctx, '31-training-courses');
  await page.getByRole('button', { name: 'Mở lớp mới' }).click();
  const title = `Bồi dưỡng nghiệp vụ kiểm thử ${Date.now()}`;
  await page.getByLabel('Tên lớp', { exact: true }).fill(title);
  await chooseOption(page, 'Loại lớp', 'Bồi dưỡng nghiệp vụ công đoàn cơ bản');
  await pickDate(page, 'Ngày bắt đầu', today());
  await pickDate(page, 'Ngày kết thúc', today());
  await page.getByLabel('Số chỗ', { exact: true }).fill('30');
  await page.getByRole('button', { name: 'Lưu' }).click();
  await page.getByRole('heading', { name: title }).waitFor({ timeout: TIMEOUT });

  // Enrol the cadre, start the course, record the completion.
  const picker = page.getByLabel('Thêm học viên', { exact: true });
  await picker.click();
  const who = row.member_card_number || row.member_name;
  await picker.fill(who);
  const option = page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: row.member_name });
  await option.filter({ hasText: row.member_card_number || row.union_name }).first().click();
  await page.keyboard.press('Escape');
  await page.getByRole('button', { name: 'Thêm học viên' }).click();
  await rows(page).filter({ hasText: row.member_name }).first().waitFor({ timeout: TIMEOUT });
  await page.getByRole('button', { name: 'Chuyển sang: Đang học' }).click();
  await page.getByTestId('course-status').filter({ hasText: 'Đang học' }).waitFor({ timeout: TIMEOUT });
  await chooseOption(page, `Kết quả: ${row.member_name}`, 'Hoàn thành');
  await page.getByLabel(`Số chứng chỉ: ${row.member_name}`, { exact: true }).fill('E2E-001');
  const saved = page.waitForResponse((r) => r.url().includes('/results') && r.request().method() === 'PUT');
  await page.getByRole('button', { name: 'Lưu kết quả' }).click();
  assert((await saved).ok(), 'the results are saved');
  await shot(ctx, '32-training-course');

  // The qualification appears on the person's page, and they leave the due list.
  await page.goto(`/members/${row.member_id}?tab=qualifications`);
  assert(!row.current_level, 'the due cadre holds no union-work level yet');
  await page.getByTestId('current-levels').filter({ hasText: 'Nghiệp vụ công đoàn: Cơ bản' }).waitFor({ timeout: TIMEOUT });
  await page.getByText('E2E-001').waitFor({ timeout: TIMEOUT });
  assert(!(await stillDue()), 'the cadre is no longer due for union-work training');
  await api.close();
}, { mutates: true });

test('training: the compliance dashboard shows the five cadre indicators', async (ctx) => {
  const { page } = ctx;
  await signIn(page, 'tinh');
  await waitOverviewDrawn(page);
  await page.getByRole('link', { name: 'Chỉ tiêu cán bộ' }).click();
  await page.getByRole('heading', { name: 'Chỉ tiêu đội ngũ cán bộ công đoàn' }).waitFor({ timeout: TIMEOUT });
  await page.getByText('Cán bộ chuyên trách có trình độ đại học trở lên').first().waitFor({ timeout: TIMEOUT });
  await page.locator('[data-chart="compliance-chart"][data-drawn="true"]').waitFor({ timeout: TIMEOUT });
  await shot(ctx, '33-training-compliance');
});
