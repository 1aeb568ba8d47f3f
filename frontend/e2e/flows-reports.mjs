// Periodic reports (issue 12, "Done when"): the province sends a request down to two units;
// both generate their reports from the records, Mỹ Tho corrects a figure with a reason, the
// province returns Cái Bè's report with a comment, Cái Bè submits again, the province approves
// both, consolidates its own report, approves it and downloads the .xlsx and the PDF, whose
// figure is the one on the screen (read back with python-calamine and pypdf, not with the
// libraries that wrote them). Mỹ Tho's assessment is written in lines and shown in lines.
import { execFileSync } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { assert, test } from './harness.mjs';
import { TIMEOUT, chooseOption, clickOption, openDialog, pickDate, shot, signIn } from './helpers.mjs';

const TITLE = 'Báo cáo tổ chức, đoàn viên tháng 10-11/2026 (thử nghiệm)';
const MY_THO = 'Công đoàn phường Mỹ Tho';
const CAI_BE = 'Công đoàn xã Cái Bè';
// The `cdcs` account's union, under Mỹ Tho.
const UNIT = 'Công đoàn cơ sở Trường Mầm non Thiên Hộ Dương';
const REASON = 'Bổ sung 2 đoàn viên kết nạp ngày 28/11 chưa nhập vào hệ thống';
const CELL = 'members/members_end/total';
const ASSESSMENT = 'Kết quả tháng 10-11:\n- kết nạp thêm đoàn viên tại 2 doanh nghiệp;\n- rà soát danh sách chuyển đi.\nKiến nghị: không.';
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

/** The province (signed in on `page`) sends a request of the quarterly template down to `units`. */
async function sendRequest(page, { title, from, to, deadline, units }) {
  await signIn(page, 'tinh');
  await page.getByRole('heading', { name: 'Tổng quan' }).waitFor({ timeout: TIMEOUT });
  await page.getByRole('link', { name: 'Báo cáo định kỳ' }).click();
  await page.getByRole('button', { name: 'Gửi yêu cầu báo cáo' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.waitFor({ timeout: TIMEOUT });
  await chooseOption(page, 'Mẫu báo cáo', 'Báo cáo thống kê quý về tổ chức công đoàn và đoàn viên');
  await dialog.getByLabel('Tên yêu cầu').fill(title);
  await pickDate(page, 'Từ ngày', from);
  await pickDate(page, 'Đến ngày', to);
  await pickDate(page, 'Hạn nộp', deadline);
  await pickUnits(page, dialog, units);
  await dialog.getByText('Gửi yêu cầu báo cáo', { exact: true }).click(); // closes the unit list
  await dialog.getByRole('button', { name: 'Gửi yêu cầu' }).click();
  await page.getByText(`Đã gửi yêu cầu báo cáo đến ${units.length} đơn vị.`).waitFor({ timeout: TIMEOUT });
}

/** Picks `units` in the "Đơn vị phải báo cáo" list of a request form in `dialog`. */
async function pickUnits(page, dialog, units) {
  for (const unit of units) {
    const field = dialog.getByLabel('Đơn vị phải báo cáo', { exact: true });
    await clickOption(field, page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: unit }).first(), {
      open: async () => {
        await field.click();
        await field.fill(unit);
      },
    });
  }
}

test(
  'reports: a request goes down, two units report (one corrected, one returned), the province approves, consolidates and downloads the .xlsx and the PDF',
  async (ctx) => {
    const { page } = ctx;
    // 1. The province sends the request to two of its units.
    await sendRequest(page, { title: TITLE, from: '01/10/2026', to: '30/11/2026', deadline: '31/12/2026', units: [MY_THO, CAI_BE] });
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
    // The assessment, written in lines, keeps them once submitted.
    const assessment = myTho.page.getByTestId('section-assessment');
    await assessment.getByRole('textbox').fill(ASSESSMENT);
    await assessment.getByRole('button', { name: 'Lưu' }).click();
    await myTho.page.getByText('Đã lưu nội dung.').waitFor({ timeout: TIMEOUT });
    await act(myTho.page, 'Gửi lên cấp trên', 'Đã gửi báo cáo lên cấp trên.');
    await status(myTho.page, 'Đã gửi, chờ duyệt');
    const shownText = await myTho.page.getByTestId('text-assessment').innerText();
    assert(shownText === ASSESSMENT, `the assessment is shown in its lines (${JSON.stringify(shownText)})`);
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
    const giveBack = await openDialog(page);
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
      'import sys',
      'from python_calamine import CalamineWorkbook',
      'rows = CalamineWorkbook.from_path(sys.argv[1]).get_sheet_by_index(0).to_python()',
      'hit = [r for r in rows if len(r) > 2 and r[1] == "Đoàn viên cuối kỳ"]',
      'print(int(hit[0][2]) if hit else "")',
    ].join('\n');
    const inFile = execFileSync(python, ['-c', read, file], { encoding: 'utf8' }).trim();
    assert(Number(inFile) === total, `the .xlsx holds the consolidated figure (${inFile} = ${total})`);
    // 8. The same report as PDF: the figure written the Vietnamese way, the diacritics intact.
    const pdfDownload = page.waitForEvent('download', { timeout: 60_000 });
    await page.getByTestId('report-actions').getByRole('button', { name: 'Tải tệp PDF' }).click();
    const pdfFile = await (await pdfDownload).path();
    const readPdf = [
      'import sys, unicodedata',
      'from pypdf import PdfReader',
      'pages = PdfReader(sys.argv[1]).pages',
      'print(unicodedata.normalize("NFC", " ".join(" ".join(p.extract_text().split()) for p in pages)))',
    ].join('\n');
    const pdfText = execFileSync(python, ['-c', readPdf, pdfFile], { encoding: 'utf8' });
    assert(pdfText.includes('CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM'), 'the PDF holds the motto with its diacritics');
    const row = `Đoàn viên cuối kỳ ${total.toLocaleString('vi-VN')}`;
    assert(pdfText.includes(row), `the PDF holds the consolidated figure ("${row}")`);
  },
  { mutates: true },
);

test(
  "reports: a ward union forwards the province's request to its unit with an earlier deadline, approves the unit's report, consolidates, and its answer to the province is the consolidated figure",
  async (ctx) => {
    const { page } = ctx;
    const title = 'Báo cáo tổ chức, đoàn viên tháng 9-11/2026 (chuyển tiếp, thử nghiệm)';
    // 1. The province asks Mỹ Tho.
    await sendRequest(page, { title, from: '01/09/2026', to: '30/11/2026', deadline: '31/12/2026', units: [MY_THO] });
    await page.getByRole('heading', { name: title }).waitFor({ timeout: TIMEOUT });
    const asked = page.getByTestId('request-units').getByRole('link', { name: MY_THO, exact: true });
    await asked.waitFor({ timeout: TIMEOUT });
    const myThoUrl = await asked.getAttribute('href');

    // 2. Mỹ Tho forwards it to its unit (the `cdcs` account's), due before its own deadline.
    const myTho = await as(ctx, 'mytho');
    await myTho.page.goto(myThoUrl);
    await status(myTho.page, 'Chưa lập');
    await myTho.page.getByTestId('report-actions').getByRole('button', { name: 'Chuyển tiếp xuống đơn vị trực thuộc' }).click();
    const dialog = myTho.page.getByRole('dialog');
    await dialog.getByText(`Chuyển tiếp yêu cầu xuống các đơn vị trực thuộc ${MY_THO}`).waitFor({ timeout: TIMEOUT });
    await dialog.getByText('hạn nộp của đơn vị trực thuộc phải trước 31/12/2026', { exact: false }).waitFor({ timeout: TIMEOUT });
    // The parent's own deadline is not offered: the unit answers before Mỹ Tho must.
    const deadline = dialog.getByLabel('Hạn nộp', { exact: true });
    await deadline.click();
    const parentDay = myTho.page.locator('.ant-picker-dropdown:visible td[title="2026-12-31"]');
    assert((await parentDay.getAttribute('class')).includes('ant-picker-cell-disabled'), "the parent's deadline cannot be picked");
    await ctx.a11y?.check(myTho.page, 'deadline calendar open');
    await deadline.fill('15/12/2026');
    await deadline.press('Tab');
    await pickUnits(myTho.page, dialog, [UNIT]);
    await dialog.getByLabel('Ghi chú', { exact: true }).fill('Đề nghị công đoàn cơ sở nộp trước ngày 15/12/2026.');
    await shot(ctx, '45-report-forward', myTho.page);
    await dialog.getByRole('button', { name: 'Gửi yêu cầu' }).click();
    await myTho.page.getByText('Đã gửi yêu cầu báo cáo đến 1 đơn vị.').waitFor({ timeout: TIMEOUT });
    // The forwarded request, under the province's title: Mỹ Tho asks, its unit reports; it
    // names the province's request.
    await myTho.page.getByRole('heading', { name: title }).waitFor({ timeout: TIMEOUT });
    await myTho.page.getByTestId('parent-request-link').waitFor({ timeout: TIMEOUT });
    const unitLink = myTho.page.getByTestId('request-units').getByRole('link', { name: UNIT, exact: true });
    await unitLink.waitFor({ timeout: TIMEOUT });
    const unitUrl = await unitLink.getAttribute('href');
    const consolidatedUrl = await myTho.page.getByTestId('own-report-link').getAttribute('href');
    await myTho.page.getByText('15/12/2026').first().waitFor({ timeout: TIMEOUT });
    await shot(ctx, '46-report-forwarded-request', myTho.page);
    // Mỹ Tho's report for the province links to it, and is forwarded only once.
    await myTho.page.goto(myThoUrl);
    await myTho.page.getByTestId('forwarded-link').waitFor({ timeout: TIMEOUT });
    assert(
      !(await myTho.page.getByTestId('report-actions').getByRole('button', { name: 'Chuyển tiếp xuống đơn vị trực thuộc' }).count()),
      'a forwarded report offers no second forward',
    );

    // 3. The unit generates its report from the records and submits it.
    const unit = await as(ctx, 'cdcs');
    await unit.page.goto(unitUrl);
    await act(unit.page, 'Lập báo cáo từ dữ liệu', 'Đã lập báo cáo từ dữ liệu.');
    const unitFigure = number(await unit.page.getByTestId(`cell-${CELL}`).locator('span').first().innerText());
    await act(unit.page, 'Gửi lên cấp trên', 'Đã gửi báo cáo lên cấp trên.');
    await unit.close();

    // 4. Mỹ Tho approves it, consolidates its own report of the forwarded request, approves that.
    await myTho.page.goto(unitUrl);
    await act(myTho.page, 'Duyệt', 'Đã duyệt báo cáo.');
    await status(myTho.page, 'Đã duyệt');
    await myTho.page.goto(consolidatedUrl);
    await act(myTho.page, 'Tổng hợp từ báo cáo đã duyệt', 'Đã tổng hợp báo cáo.');
    const consolidated = number(await myTho.page.getByTestId(`cell-${CELL}`).locator('span').first().innerText());
    assert(consolidated >= unitFigure, `the consolidation holds the unit's members (${consolidated} >= ${unitFigure})`);
    await act(myTho.page, 'Duyệt', 'Đã duyệt báo cáo.');
    await status(myTho.page, 'Đã duyệt');

    // 5. Its report for the province takes the consolidated figures; it submits it.
    await myTho.page.goto(myThoUrl);
    await act(myTho.page, 'Lập báo cáo từ dữ liệu', 'Đã lập báo cáo từ dữ liệu.');
    const answer = number(await myTho.page.getByTestId(`cell-${CELL}`).locator('span').first().innerText());
    assert(answer === consolidated, `Mỹ Tho's answer is its consolidation (${answer} = ${consolidated})`);
    await act(myTho.page, 'Gửi lên cấp trên', 'Đã gửi báo cáo lên cấp trên.');
    await myTho.close();

    // 6. The province reads that figure in Mỹ Tho's report.
    await page.goto(myThoUrl);
    await status(page, 'Đã gửi, chờ duyệt');
    const read = number(await page.getByTestId(`cell-${CELL}`).locator('span').first().innerText());
    assert(read === consolidated, `the province reads the consolidated figure (${read} = ${consolidated})`);
  },
  { mutates: true },
);

test(
  'report templates: an administrator reads a version as JSON, a new version with a wrong indicator and a repeated key is refused field by field, then saved',
  async (ctx) => {
    const { page } = ctx;
    const name = 'Báo cáo đào tạo, bồi dưỡng cán bộ năm (bản sửa)';
    await signIn(page, 'admin');
    await page.getByRole('heading', { name: 'Tổng quan' }).waitFor({ timeout: TIMEOUT });
    await page.getByRole('link', { name: 'Báo cáo định kỳ' }).click();
    await page.getByRole('link', { name: 'Mẫu báo cáo' }).click();
    await page.getByRole('heading', { name: 'Mẫu báo cáo' }).waitFor({ timeout: TIMEOUT });
    const table = page.getByTestId('templates');
    await table.getByText('org-members-quarter', { exact: true }).first().waitFor({ timeout: TIMEOUT });

    // A version's definition, as JSON.
    await page.getByRole('button', { name: 'Xem mẫu org-members-quarter phiên bản 1' }).click();
    const view = page.getByRole('dialog');
    const shown = JSON.parse(await view.getByTestId('template-definition').innerText());
    assert(
      shown.sections.some((s) => (s.rows ?? []).some((r) => r.indicator === 'members_total')),
      'the definition shows its rows and their indicators',
    );
    await shot(ctx, '43-report-template-definition');
    await view.locator('.ant-modal-footer').getByRole('button', { name: 'Đóng' }).click();
    await view.waitFor({ state: 'hidden', timeout: TIMEOUT });

    // A new version of the training report: an indicator that does not exist, a column key twice.
    await page.getByRole('button', { name: 'Tạo phiên bản mới của mẫu training-year' }).click();
    const editor = page.getByRole('dialog');
    const box = editor.getByLabel('Định nghĩa (JSON)');
    const definition = JSON.parse(await box.inputValue());
    const at = definition.sections.findIndex((s) => s.kind === 'table');
    const section = definition.sections[at];
    const indicator = section.rows[0].indicator;
    section.rows[0].indicator = 'chi_tieu_khong_co';
    section.columns.push({ key: section.columns[0].key, label: 'Cột trùng mã' });
    await box.fill(JSON.stringify(definition, null, 2));
    await editor.getByRole('button', { name: 'Lưu' }).click();
    const errors = editor.getByTestId('definition-errors');
    await errors.getByText(`sections[${at}].rows[0].indicator`, { exact: true }).waitFor({ timeout: TIMEOUT });
    await errors.getByText(`sections[${at}].columns[${section.columns.length - 1}].key`, { exact: true }).waitFor({ timeout: TIMEOUT });
    await errors.getByText('Không có chỉ tiêu "chi_tieu_khong_co" trong danh mục.', { exact: false }).waitFor({ timeout: TIMEOUT });
    await errors.scrollIntoViewIfNeeded();
    await shot(ctx, '44-report-template-errors');

    // Put right and renamed: saved as the next version, now the latest.
    section.rows[0].indicator = indicator;
    section.columns.pop();
    await box.fill(JSON.stringify(definition, null, 2));
    await editor.getByLabel('Tên mẫu').fill(name);
    await editor.getByRole('button', { name: 'Lưu' }).click();
    await page.getByText(/Đã lưu mẫu training-year, phiên bản \d+\./).waitFor({ timeout: TIMEOUT });
    await table.locator('.ant-table-row', { hasText: name }).getByText('Mới nhất').waitFor({ timeout: TIMEOUT });
  },
  { mutates: true },
);
