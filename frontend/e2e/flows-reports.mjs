// Periodic reports (issue 12, "Done when"): the province sends a request down to two units;
// both generate their reports from the records, Mỹ Tho corrects a figure with a reason, the
// province returns Cái Bè's report with a comment, Cái Bè submits again, the province approves
// both, consolidates its own report, approves it and downloads the .xlsx, whose figure is the
// one on the screen (read back with openpyxl, the library the backend writes it with).
import { execFileSync } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { assert, test } from './harness.mjs';
import { TIMEOUT, chooseOption, pickDate, shot, signIn } from './helpers.mjs';

const TITLE = 'Báo cáo tổ chức, đoàn viên tháng 10-11/2026 (thử nghiệm)';
const MY_THO = 'Công đoàn phường Mỹ Tho';
const CAI_BE = 'Công đoàn xã Cái Bè';
const REASON = 'Bổ sung 2 đoàn viên kết nạp ngày 28/11 chưa nhập vào hệ thống';
const CELL = 'members/members_end/total';
const python = resolve(dirname(fileURLToPath(import.meta.url)), '../../backend/.venv/bin/python');
const number = (text) => Number(text.replace(/[^\d]/g, ''));

/** A fresh browser signed in as `username` (each officer in their own session). */
async function as(ctx, username) {
  const context = await ctx.browser.newContext({ baseURL: ctx.base, locale: 'vi-VN', viewport: { width: 1366, height: 860 } });
  const page = await context.newPage();
  await signIn(page, username);
  await page.getByRole('heading', { name: 'Tổng quan' }).waitFor({ timeout: TIMEOUT });
  return { page, close: () => context.close() };
}

async function act(page, button, done) {
  await page.getByTestId('report-actions').getByRole('button', { name: button, exact: true }).click();
  await page.getByText(done).first().waitFor({ timeout: TIMEOUT });
}

async function status(page, text) {
  await page.getByTestId('report-status').getByText(text).waitFor({ timeout: TIMEOUT });
}

test(
  'reports: a request goes down, two units report (one corrected, one returned), the province approves, consolidates and downloads the .xlsx',
  async (ctx) => {
    const { page } = ctx;
    // 1. The province sends the request to two of its units.
    await signIn(page, 'tinh');
    await page.getByRole('heading', { name: 'Tổng quan' }).waitFor({ timeout: TIMEOUT });
    await page.getByRole('link', { name: 'Báo cáo định kỳ' }).click();
    await page.getByRole('button', { name: 'Gửi yêu cầu báo cáo' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor({ timeout: TIMEOUT });
    await chooseOption(page, 'Mẫu báo cáo', 'Báo cáo thống kê quý về tổ chức công đoàn và đoàn viên');
    await dialog.getByLabel('Tên yêu cầu').fill(TITLE);
    await pickDate(page, 'Từ ngày', '01/10/2026');
    await pickDate(page, 'Đến ngày', '30/11/2026');
    await pickDate(page, 'Hạn nộp', '31/12/2026');
    for (const unit of [MY_THO, CAI_BE]) {
      const units = dialog.getByLabel('Đơn vị phải báo cáo', { exact: true });
      await units.click();
      await units.fill(unit);
      await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: unit }).first().click();
    }
    await dialog.getByText('Gửi yêu cầu báo cáo', { exact: true }).click(); // closes the unit list
    await dialog.getByRole('button', { name: 'Gửi yêu cầu' }).click();
    await page.getByText('Đã gửi yêu cầu báo cáo đến 2 đơn vị.').waitFor({ timeout: TIMEOUT });
    await page.getByRole('heading', { name: TITLE }).waitFor({ timeout: TIMEOUT });
    const requestUrl = page.url();
    const units = page.getByTestId('request-units');
    const reportUrl = async (unit) => units.getByRole('link', { name: unit, exact: true }).getAttribute('href');
    await units.getByRole('link', { name: MY_THO, exact: true }).waitFor({ timeout: TIMEOUT });
    const myThoUrl = await reportUrl(MY_THO);
    const caiBeUrl = await reportUrl(CAI_BE);
    const ownUrl = await page.getByTestId('own-report-link').getAttribute('href');

    // 2. Mỹ Tho generates its report, corrects the members at the end with a reason, submits.
    const myTho = await as(ctx, 'mytho');
    await myTho.page.goto(myThoUrl);
    await status(myTho.page, 'Chưa lập');
    await act(myTho.page, 'Lập báo cáo từ dữ liệu', 'Đã lập báo cáo từ dữ liệu.');
    await status(myTho.page, 'Đang soạn');
    const cell = myTho.page.getByTestId(`cell-${CELL}`);
    const computed = number(await cell.locator('span').first().innerText());
    await cell.getByRole('button').click();
    const correction = myTho.page.getByRole('dialog');
    await correction.getByLabel('Số liệu').fill(String(computed + 2));
    // The computed figure stays beside the corrected one, with the reason.
    await correction.getByLabel('Lý do sửa').fill(REASON);
    await correction.getByRole('button', { name: 'Lưu' }).click();
    await myTho.page.getByText('Đã sửa số liệu.').waitFor({ timeout: TIMEOUT });
    await cell.getByText(`Số tính từ dữ liệu: ${computed.toLocaleString('vi-VN')}`).waitFor({ timeout: TIMEOUT });
    assert(number(await cell.locator('span').first().innerText()) === computed + 2, 'the corrected figure is shown');
    await act(myTho.page, 'Gửi lên cấp trên', 'Đã gửi báo cáo lên cấp trên.');
    await status(myTho.page, 'Đã gửi, chờ duyệt');
    await shot(ctx, '40-report-corrected', myTho.page);
    const myThoFinal = computed + 2;
    await myTho.close();

    // 3. Cái Bè generates and submits as computed.
    const caiBe = await as(ctx, 'caibe');
    await caiBe.page.goto(caiBeUrl);
    await act(caiBe.page, 'Lập báo cáo từ dữ liệu', 'Đã lập báo cáo từ dữ liệu.');
    await act(caiBe.page, 'Gửi lên cấp trên', 'Đã gửi báo cáo lên cấp trên.');

    // 4. The province returns Cái Bè's report with a comment.
    await page.goto(caiBeUrl);
    await status(page, 'Đã gửi, chờ duyệt');
    await page.getByTestId('report-actions').getByRole('button', { name: 'Trả lại' }).click();
    const giveBack = page.getByRole('dialog');
    await giveBack.getByLabel('Ý kiến').fill('Đề nghị rà soát lại số đoàn viên nữ cuối kỳ.');
    await giveBack.getByRole('button', { name: 'Trả lại' }).click();
    await page.getByText('Đã trả lại báo cáo.').waitFor({ timeout: TIMEOUT });
    await status(page, 'Bị trả lại');

    // 5. Cái Bè sees the comment and submits again.
    await caiBe.page.reload();
    await caiBe.page.getByTestId('review-comment').getByText('Đề nghị rà soát lại số đoàn viên nữ cuối kỳ.').waitFor({ timeout: TIMEOUT });
    await act(caiBe.page, 'Gửi lên cấp trên', 'Đã gửi báo cáo lên cấp trên.');
    await status(caiBe.page, 'Đã gửi, chờ duyệt');
    const caiBeFinal = number(await caiBe.page.getByTestId(`cell-${CELL}`).locator('span').first().innerText());
    await caiBe.close();

    // 6. The province approves both and follows them on the request's page.
    for (const url of [caiBeUrl, myThoUrl]) {
      await page.goto(url);
      await act(page, 'Duyệt', 'Đã duyệt báo cáo.');
      await status(page, 'Đã duyệt');
    }
    await page.goto(requestUrl);
    const approved = page.getByTestId('request-units').locator('.ant-table-row', { hasText: 'Đã duyệt' });
    await approved.nth(1).waitFor({ timeout: TIMEOUT });
    await shot(ctx, '41-report-request-status');

    // 7. The province consolidates its own report from the approved ones, approves it, downloads it.
    await page.goto(ownUrl);
    await act(page, 'Tổng hợp từ báo cáo đã duyệt', 'Đã tổng hợp báo cáo.');
    await status(page, 'Đang soạn');
    const total = number(await page.getByTestId(`cell-${CELL}`).locator('span').first().innerText());
    assert(total >= myThoFinal + caiBeFinal, `the consolidated members hold the two units' (${total} >= ${myThoFinal} + ${caiBeFinal})`);
    await act(page, 'Duyệt', 'Đã duyệt báo cáo.');
    await status(page, 'Đã duyệt');
    await shot(ctx, '42-report-consolidated');
    const download = page.waitForEvent('download', { timeout: 60_000 });
    await page.getByTestId('report-actions').getByRole('button', { name: 'Tải tệp Excel' }).click();
    const file = await (await download).path();
    const read = [
      'import sys, openpyxl',
      "ws = openpyxl.load_workbook(open(sys.argv[1], 'rb'), data_only=True).worksheets[0]",
      'rows = [[c for c in r] for r in ws.iter_rows(values_only=True)]',
      'hit = [r for r in rows if len(r) > 2 and r[1] == "Đoàn viên cuối kỳ"]',
      'print(hit[0][2] if hit else "")',
    ].join('\n');
    const inFile = execFileSync(python, ['-c', read, file], { encoding: 'utf8' }).trim();
    assert(Number(inFile) === total, `the .xlsx holds the consolidated figure (${inFile} = ${total})`);
  },
  { mutates: true },
);
