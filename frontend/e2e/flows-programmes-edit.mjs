// Flows of the programme edit screens: the province's officer adds a programme, is told in
// Vietnamese what the server refuses, adds a cumulative target, splits it among the districts in
// proportion to their members, adjusts one, removes one, and finds it all on the dashboard.
import { assert, test } from './harness.mjs';
import { PROGRESS_TIMEOUT, TIMEOUT, chooseOption, pickDate, shot, signIn, waitOverviewDrawn } from './helpers.mjs';

const NUMBER = 'E2E-12/CTr-LĐLĐ';
const number = (text) => Number(text.replace(/[^\d]/g, ''));

test(
  'programmes: create a programme with a target, allocate it to the districts, see it on the dashboard',
  async (ctx) => {
    const { page } = ctx;
    await signIn(page, 'tinh');
    await waitOverviewDrawn(page);
    await page.getByRole('link', { name: 'Chương trình, chỉ tiêu' }).click();
    await page.getByRole('button', { name: 'Thêm chương trình' }).click();
    await page.getByRole('heading', { name: 'Thêm chương trình, nghị quyết' }).waitFor({ timeout: TIMEOUT });

    await page.getByLabel('Số', { exact: true }).fill(NUMBER);
    await page.getByLabel('Tên chương trình, nghị quyết').fill('Chương trình phát triển đoàn viên thử nghiệm');
    await page.getByLabel('Căn cứ').fill('Nghị quyết Đại hội I Công đoàn tỉnh');
    await pickDate(page, 'Bắt đầu nhiệm kỳ', '01/01/2026');
    await pickDate(page, 'Kết thúc theo kế hoạch', '31/12/2030');
    await page.getByRole('button', { name: 'Tạo chương trình' }).click();
    await page.getByRole('heading', { name: `Sửa chương trình ${NUMBER}` }).waitFor({ timeout: TIMEOUT });
    await page.waitForURL(/\/programmes\/[0-9a-f-]+\/edit$/, { timeout: TIMEOUT });
    const programmeUrl = page.url().replace(/\/edit$/, '');

    // The server's refusal, in Vietnamese next to the field: the term must end after it starts.
    await pickDate(page, 'Kết thúc theo kế hoạch', '01/01/2020');
    await page.getByTestId('programme-form').getByRole('button', { name: 'Lưu' }).click();
    await page.getByText('Ngày kết thúc phải sau ngày bắt đầu nhiệm kỳ (01/01/2026).').waitFor({ timeout: TIMEOUT });
    await pickDate(page, 'Kết thúc theo kế hoạch', '31/12/2030');
    await page.getByTestId('programme-form').getByRole('button', { name: 'Lưu' }).click();
    await page.getByText('Đã lưu chương trình.').waitFor({ timeout: TIMEOUT });

    // A cumulative target: 1,000 new members over the term.
    await page.getByRole('button', { name: 'Thêm chỉ tiêu' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor({ timeout: TIMEOUT });
    await chooseOption(page, 'Chỉ số tính', 'Đoàn viên kết nạp mới');
    await dialog.getByLabel('Nội dung chỉ tiêu').fill('Kết nạp mới 1.000 đoàn viên');
    await dialog.getByLabel('Chỉ tiêu', { exact: true }).fill('1000');
    await dialog.getByRole('button', { name: 'Lưu' }).click();
    await page.getByText('Đã thêm chỉ tiêu.').waitFor({ timeout: TIMEOUT });
    const targets = page.getByTestId('targets-card');
    await targets.getByText('Kết nạp mới 1.000 đoàn viên').waitFor({ timeout: TIMEOUT });

    // Split in proportion to the districts' members, then adjust one and remove another.
    await targets.locator('.ant-table-row-expand-icon').first().click();
    await page.getByRole('button', { name: 'Chia cho tất cả đơn vị' }).click();
    await page.getByText('Đã chia chỉ tiêu theo tỷ lệ').waitFor({ timeout: TIMEOUT });
    const sum = page.getByTestId('allocated-sum');
    await sum.getByText('Đã giao 1.000 / 1.000').waitFor({ timeout: TIMEOUT });
    const panel = page.locator('.allocations-panel');
    const allocationRows = panel.locator('.ant-table-tbody .ant-table-row');
    const before = await allocationRows.count();
    assert(before >= 2, `every district has a part (${before})`);
    const first = allocationRows.first();
    const district = (await first.locator('td').first().innerText()).trim();
    const input = first.getByRole('spinbutton');
    const was = number(await input.inputValue());
    await input.fill(String(was + 50));
    await first.getByRole('button', { name: 'Lưu' }).click();
    await page.getByText(`Đã điều chỉnh chỉ tiêu của ${district}.`).waitFor({ timeout: TIMEOUT });
    await sum.getByText('Đã giao 1.050 / 1.000').waitFor({ timeout: TIMEOUT });
    const last = allocationRows.last();
    const removed = number(await last.getByRole('spinbutton').inputValue());
    await last.getByRole('button', { name: /^Bỏ chỉ tiêu giao cho/ }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Bỏ' }).click();
    await page.getByText('Đã bỏ chỉ tiêu giao.').waitFor({ timeout: TIMEOUT });
    await sum.getByText(`Đã giao ${(1050 - removed).toLocaleString('vi-VN')} / 1.000`).waitFor({ timeout: TIMEOUT });
    assert((await allocationRows.count()) === before - 1, 'the removed allocation is gone');
    await shot(ctx, '32-programme-edit');

    // Which levels count as "vững mạnh" is the province's decision: under the 2019 scheme only
    // "hoàn thành xuất sắc" (the scheme's own mapping also counts "hoàn thành tốt").
    const strong = page.getByTestId('strong-levels-HD1294-TLD-2019');
    await strong.getByText('Theo bộ tiêu chí: Hoàn thành xuất sắc nhiệm vụ, Hoàn thành tốt nhiệm vụ').waitFor({ timeout: TIMEOUT });
    await chooseOption(page, 'Mức tính là vững mạnh theo bộ tiêu chí HD1294-TLD-2019', 'Hoàn thành xuất sắc nhiệm vụ', { a11y: ctx.a11y });
    await page.keyboard.press('Escape');
    await page.getByTestId('strong-levels').getByRole('button', { name: 'Lưu' }).click();
    await page.getByText('Đã lưu cách tính «vững mạnh» của chương trình.').waitFor({ timeout: TIMEOUT });
    await page.reload();
    await strong.locator('.ant-select-selection-item', { hasText: 'Hoàn thành xuất sắc nhiệm vụ' }).waitFor({ timeout: TIMEOUT });
    assert(!(await strong.locator('.ant-select-selection-item', { hasText: 'Hoàn thành tốt nhiệm vụ' }).count()), 'only the chosen level counts as strong');

    // The dashboard: the target card with its figure, and the adjusted district's part.
    await page.getByTestId('programme-dashboard-link').click();
    await page.waitForURL(programmeUrl, { timeout: TIMEOUT });
    const card = page.getByTestId('target-new_members');
    await card.getByText('Kết nạp mới 1.000 đoàn viên').waitFor({ timeout: PROGRESS_TIMEOUT });
    await page.getByTestId('actual-new_members').waitFor({ timeout: TIMEOUT });
    const row = page.getByTestId('children-new_members').locator('.ant-table-tbody .ant-table-row', { hasText: district });
    await row.waitFor({ timeout: TIMEOUT });
    const allocation = number(await row.locator('td').nth(2).innerText());
    assert(allocation === was + 50, `the district's allocation is the adjusted one (${allocation} = ${was + 50})`);
    await shot(ctx, '33-programme-edited-dashboard');

    // And on the overview, beside the demo programmes.
    await page.goto('/');
    await waitOverviewDrawn(page);
    await page.getByTestId('programmes-list').getByRole('link', { name: new RegExp(`^${NUMBER}`) }).waitFor({ timeout: TIMEOUT });
  },
  { mutates: true },
);
