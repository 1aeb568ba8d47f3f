// Flows of the strength evaluations: the yearly cycle of one grassroots union (self-assessment,
// return, resubmission, approval, publication) and the results a province reads.
// The demo data gives the `cdcs` account's union a 2026 round opened by its superior (the ward
// union the `mytho` account runs), with every other unit of that round already approved.
import { assert, test } from './harness.mjs';
import { TIMEOUT, apiAs, clickOption, rows, shot, signIn, tableSettled, waitOverviewDrawn } from './helpers.mjs';

const YEAR = '2026';
const EVIDENCE_FILE = 'bien-ban-hoi-nghi-2026.pdf';
const EVIDENCE_PDF = '%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n';

async function signOut(page) {
  await page.getByRole('button', { name: 'Đăng xuất' }).click();
  await page.waitForURL(/\/signin/, { timeout: TIMEOUT });
}

async function signInAndOpen(page, username, url) {
  await signIn(page, username);
  await waitOverviewDrawn(page);
  await page.goto(url);
  await page.getByTestId('score-sheet').waitFor({ timeout: TIMEOUT });
}

async function confirmDialog(page, button) {
  const dialog = page.locator('.ant-modal-confirm');
  await dialog.getByRole('button', { name: button }).click();
  await dialog.waitFor({ state: 'detached', timeout: TIMEOUT });
}

async function expectStatus(page, text) {
  await page.getByTestId('evaluation-status').filter({ hasText: text }).waitFor({ timeout: TIMEOUT });
}

/** Types `points` into every indicator of one side of the sheet. */
async function fillAll(page, side, points) {
  const inputs = page.getByLabel(new RegExp(`^${side} \\d`));
  const n = await inputs.count();
  assert(n >= 5, `the sheet lists its indicators (${n})`);
  for (let i = 0; i < n; i += 1) await inputs.nth(i).fill(String(points));
  return n;
}

test('evaluations: a grassroots officer submits, the superior returns it, it is resubmitted, approved and the round published', async (ctx) => {
  const { page } = ctx;
  // --- the grassroots officer fills in the self-assessment
  await signIn(page, 'cdcs');
  await waitOverviewDrawn(page);
  const badge = page.getByTestId('evaluations-badge');
  await badge.waitFor({ timeout: TIMEOUT });
  await page.getByRole('link', { name: /Đánh giá, xếp loại/ }).click();
  await page.getByRole('heading', { name: 'Đánh giá, xếp loại công đoàn cơ sở' }).waitFor({ timeout: TIMEOUT });
  const mine = page.getByTestId('mine');
  const row = mine.locator('.ant-table-row', { hasText: YEAR }).first();
  await row.waitFor({ timeout: TIMEOUT });
  const unit = (await row.locator('td:first-child a').innerText()).trim();
  await row.locator('td:first-child a').click();
  await page.getByTestId('score-sheet').waitFor({ timeout: TIMEOUT });
  const url = new URL(page.url()).pathname;
  await expectStatus(page, 'Chưa gửi');

  // The records suggest the membership-coverage points (2.1): members of the workers surveyed,
  // in words on hover.
  const suggested = page.getByTestId('suggested-2.1');
  await suggested.waitFor({ timeout: TIMEOUT });
  await suggested.hover();
  await page.locator('.ant-tooltip').filter({ hasText: /đoàn viên/ }).first().waitFor({ timeout: TIMEOUT });
  await ctx.a11y?.check(page, 'suggested points, tooltip open');

  // A half-filled sheet is saved as a draft; the running total follows the points typed.
  const first = page.getByLabel(/^Điểm tự chấm \d/).first();
  await first.fill('9');
  await page.getByTestId('self-total').filter({ hasText: 'Tổng điểm: 9/100' }).waitFor({ timeout: TIMEOUT });
  const evidence = 'Nghị quyết hội nghị cán bộ, viên chức năm 2026';
  await page.getByLabel(/^Ghi chú, minh chứng \d/).first().fill(evidence);
  await page.getByRole('button', { name: 'Lưu nháp' }).click();
  await page.getByText('Đã lưu bản nháp.').waitFor({ timeout: TIMEOUT });
  await page.getByTestId('self-total').filter({ hasText: 'Còn' }).waitFor({ timeout: TIMEOUT });

  // Evidence: a small pdf attached to the first indicator is listed under it.
  const firstCode = (await first.getAttribute('aria-label')).replace('Điểm tự chấm ', '');
  const evidenceCell = page.getByTestId(`evidence-${firstCode}`);
  await evidenceCell.locator('input[type=file]').setInputFiles({ name: EVIDENCE_FILE, mimeType: 'application/pdf', buffer: Buffer.from(EVIDENCE_PDF) });
  await page.getByText('Đã đính kèm tệp minh chứng.').waitFor({ timeout: TIMEOUT });
  await evidenceCell.getByText(EVIDENCE_FILE).waitFor({ timeout: TIMEOUT });

  const n = await fillAll(page, 'Điểm tự chấm', 9);
  const total = 9 * n;
  const selfTotal = page.getByTestId('self-total');
  await selfTotal.filter({ hasText: `Tổng điểm: ${total}/100` }).waitFor({ timeout: TIMEOUT });
  const expected = total >= 90 ? 'Hoàn thành xuất sắc' : total >= 70 ? 'Hoàn thành tốt nhiệm vụ' : total >= 50 ? 'Hoàn thành nhiệm vụ' : 'Không hoàn thành';
  await selfTotal.filter({ hasText: `Xếp loại dự kiến: ${expected}` }).waitFor({ timeout: TIMEOUT });
  await page.getByLabel('Ghi chú, giải trình của đơn vị').fill('Đơn vị đã hoàn thành các chỉ tiêu năm.');
  await shot(ctx, '30-self-assessment');
  await page.getByRole('button', { name: 'Gửi thẩm định' }).click();
  await confirmDialog(page, 'Gửi thẩm định');
  await page.getByText('Đã gửi bản tự đánh giá.').waitFor({ timeout: TIMEOUT });
  await expectStatus(page, 'Chờ thẩm định');
  assert(!(await page.getByRole('button', { name: 'Lưu nháp' }).count()), 'a submitted sheet is read-only for the unit');
  assert(!(await evidenceCell.locator('input[type=file]').count()), 'a submitted sheet takes no more evidence');
  await signOut(page);

  // --- the direct superior finds it in its queue and returns it
  await signIn(page, 'mytho');
  await waitOverviewDrawn(page);
  await page.getByRole('link', { name: /Đánh giá, xếp loại/ }).click();
  const queue = page.getByTestId('queue');
  const queued = queue.locator('.ant-table-row', { hasText: unit }).first();
  await queued.waitFor({ timeout: TIMEOUT });
  await shot(ctx, '31-appraisal-queue');
  await queued.locator('td:first-child a').click();
  await page.getByTestId('score-sheet').waitFor({ timeout: TIMEOUT });
  // The unit's note per indicator is shown to the appraiser.
  await page.getByTestId('score-sheet').getByText(evidence).waitFor({ timeout: TIMEOUT });
  // So is its evidence file, which the appraiser downloads.
  const appraiserEvidence = page.getByTestId(`evidence-${firstCode}`);
  const evidenceDownload = page.waitForEvent('download');
  await appraiserEvidence.getByRole('button', { name: EVIDENCE_FILE }).click();
  assert((await evidenceDownload).suggestedFilename() === EVIDENCE_FILE, 'the appraiser downloads the evidence file');
  await page.getByRole('button', { name: 'Trả lại để sửa' }).click();
  const returnDialog = page.locator('.ant-modal').filter({ hasText: 'Trả lại bản tự đánh giá' });
  // The browser asks for reduced motion (run.mjs): the dialog is there at once, without its zoom.
  assert(!/zoom/.test(await returnDialog.getAttribute('class')), 'with reduced motion asked for, a dialog opens without animation');
  await returnDialog.getByRole('button', { name: 'Trả lại để sửa' }).click();
  await returnDialog.getByText('Vui lòng nêu lý do.').waitFor({ timeout: TIMEOUT });
  const reason = 'Bổ sung minh chứng cho tiêu chí 1.1.';
  await returnDialog.getByLabel('Lý do').fill(reason);
  await returnDialog.getByRole('button', { name: 'Trả lại để sửa' }).click();
  await page.getByText('Đã trả lại cho đơn vị.').waitFor({ timeout: TIMEOUT });
  await expectStatus(page, 'Bị trả lại');
  await signOut(page);

  // --- the unit sees why, corrects one indicator and resubmits
  await signInAndOpen(page, 'cdcs', url);
  await page.getByText(`Cấp trên đã trả lại: ${reason}`).waitFor({ timeout: TIMEOUT });
  await page.getByLabel(/^Điểm tự chấm \d/).first().fill('10');
  await selfTotal.filter({ hasText: `Tổng điểm: ${total + 1}/100` }).waitFor({ timeout: TIMEOUT });
  await page.getByRole('button', { name: 'Gửi thẩm định' }).click();
  await confirmDialog(page, 'Gửi thẩm định');
  await expectStatus(page, 'Chờ thẩm định');
  await signOut(page);

  // --- the superior scores its own points (kept apart from the unit's) and approves
  await signInAndOpen(page, 'mytho', url);
  await page.getByRole('button', { name: 'Chép điểm tự chấm' }).click();
  await page.getByLabel(/^Điểm thẩm định \d/).first().fill('8');
  const appraisal = page.getByTestId('appraisal-total');
  await appraisal.filter({ hasText: `Tổng điểm: ${total - 1}/100` }).waitFor({ timeout: TIMEOUT });
  await selfTotal.filter({ hasText: `Tổng điểm: ${total + 1}/100` }).waitFor({ timeout: TIMEOUT });
  await page.getByLabel('Nhận xét của công đoàn cấp trên').fill('Thống nhất kết quả, trừ 2 điểm tiêu chí đầu.');
  await shot(ctx, '32-appraisal');
  await page.getByRole('button', { name: 'Phê duyệt' }).click();
  await confirmDialog(page, 'Phê duyệt');
  await page.getByText('Đã phê duyệt.').waitFor({ timeout: TIMEOUT });
  await expectStatus(page, 'Đã phê duyệt');
  await page.getByText('Phê duyệt', { exact: true }).first().waitFor({ timeout: TIMEOUT });

  // --- the superior publishes the round; reopening it needs a reason
  await page.locator('.ant-breadcrumb a', { hasText: YEAR }).click();
  await page.getByTestId('round-status').waitFor({ timeout: TIMEOUT });
  await page.getByRole('button', { name: 'Công bố kết quả' }).click();
  await confirmDialog(page, 'Công bố kết quả');
  await page.getByText('Đã công bố kết quả đợt đánh giá.').waitFor({ timeout: TIMEOUT });
  await page.getByTestId('round-status').filter({ hasText: 'Đã công bố' }).waitFor({ timeout: TIMEOUT });
  await tableSettled(page);
  const published = await rows(page).filter({ hasText: 'Đã công bố' }).count();
  assert(published === (await rows(page).count()) - (await rows(page).filter({ hasText: 'Không đánh giá' }).count()), 'every rated unit is published');
  await shot(ctx, '33-round-published');
  await page.getByRole('button', { name: 'Mở lại đợt' }).click();
  const reopenDialog = page.locator('.ant-modal').filter({ hasText: 'Mở lại đợt đánh giá đã công bố' });
  await reopenDialog.getByRole('button', { name: 'Mở lại đợt' }).click();
  await reopenDialog.getByText('Vui lòng nêu lý do.').waitFor({ timeout: TIMEOUT });
  await reopenDialog.getByLabel('Lý do').fill('Đính chính điểm của một đơn vị theo đơn đề nghị.');
  await reopenDialog.getByRole('button', { name: 'Mở lại đợt' }).click();
  await page.getByText('Đã mở lại đợt đánh giá.').waitFor({ timeout: TIMEOUT });
  await page.getByTestId('round-status').filter({ hasText: 'Đang thực hiện' }).waitFor({ timeout: TIMEOUT });
  await page.getByRole('button', { name: 'Công bố kết quả' }).click();
  await confirmDialog(page, 'Công bố kết quả');
  await page.getByTestId('round-status').filter({ hasText: 'Đã công bố' }).waitFor({ timeout: TIMEOUT });
}, { mutates: true });

test('evaluations: the province reads the results, the chart of the years, drills down to a unit and its rating history', async (ctx) => {
  const { page } = ctx;
  await signIn(page, 'tinh');
  await waitOverviewDrawn(page);
  await page.goto('/evaluations');
  await page.getByRole('button', { name: 'Kết quả, thống kê' }).click();
  await page.getByRole('heading', { name: 'Kết quả đánh giá, xếp loại' }).waitFor({ timeout: TIMEOUT });
  await clickOption(page.getByLabel('Năm đánh giá'), page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: '2023' }));
  await page.waitForURL(/year=2023/, { timeout: TIMEOUT });
  await page.locator('[data-chart="evaluation-years"][data-drawn="true"]').waitFor({ timeout: TIMEOUT });
  const figures = await page.getByTestId('results-figures').innerText();
  // The figures say whose decision of "strong" they follow: the programme in force, or the schemes'.
  const basis = (await page.getByTestId('results-basis').innerText()).trim();
  assert(/chương trình|theo từng bộ tiêu chí/.test(basis), `the basis of "strong" is named (${basis})`);
  assert(/Chỉ tiêu: 95%/.test(figures) && /Chỉ tiêu: 65%/.test(figures), `the targets are shown: ${figures}`);
  const children = page.getByTestId('results-children').locator('.ant-table-row');
  await children.first().waitFor({ timeout: TIMEOUT });
  await shot(ctx, '34-evaluation-results');
  // Down one level: the first union below the province with rated units.
  const before = await children.count();
  let drilled = '';
  for (let i = 0; i < before; i += 1) {
    const cells = await children.nth(i).locator('td').allInnerTexts();
    if (Number(cells[1].replace(/\D/g, '')) > 0) {
      drilled = cells[0].trim();
      await children.nth(i).getByRole('button').click();
      break;
    }
  }
  assert(drilled, 'a union below the province has rated units');
  await page.getByRole('heading', { name: new RegExp(drilled) }).waitFor({ timeout: TIMEOUT });
  await page.getByRole('button', { name: 'Lên cấp trên' }).waitFor();
  const units = page.getByTestId('results-units').locator('.ant-table-row');
  await units.first().waitFor({ timeout: TIMEOUT });
  await units.first().locator('td:first-child a').click();
  await page.getByTestId('score-sheet').waitFor({ timeout: TIMEOUT });
  await page.locator('.ant-descriptions a').first().click();
  await page.getByRole('tab', { name: 'Kết quả đánh giá, xếp loại qua các năm' }).click();
  const history = page.getByTestId('rating-history').locator('.ant-table-row');
  await history.first().waitFor({ timeout: TIMEOUT });
  assert((await history.count()) >= 3, 'a unit founded long ago has ratings for several years');
  await shot(ctx, '35-rating-history');
});

test("evaluations: the superior exports its round's results and checks the spreadsheet back in (dry run report)", async (ctx) => {
  const { page } = ctx;
  await signIn(page, 'mytho');
  await waitOverviewDrawn(page);
  await page.goto('/evaluations?tab=rounds');
  const row = page.locator('.ant-table-row', { hasText: YEAR }).first();
  await row.waitFor({ timeout: TIMEOUT });
  await row.locator('a').first().click();
  await page.getByTestId('round-status').waitFor({ timeout: TIMEOUT });
  // The export, in the layout the import reads.
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Xuất Excel' }).click();
  const file = await download;
  assert(file.suggestedFilename().endsWith('.xlsx'), 'the round is exported as .xlsx');
  const path = await file.path();
  await page.getByRole('button', { name: 'Nhập kết quả từ Excel' }).click();
  const dialog = page.locator('.ant-modal').filter({ hasText: 'Nhập kết quả' });
  await dialog.locator('input[type=file]').setInputFiles(path);
  await dialog.getByRole('button', { name: 'Kiểm tra tệp' }).click();
  const report = dialog.getByTestId('round-import-report');
  await report.waitFor({ timeout: TIMEOUT });
  const text = await report.innerText();
  assert(/\d+ dòng: \d+ hợp lệ, \d+ lỗi\./.test(text), `the dry run reports rows and problems: ${text}`);
  await shot(ctx, '36-round-import-check');
  // A file with a problem in every row is never written: the write stays disabled.
  if (!/ 0 lỗi/.test(text)) assert(await dialog.getByRole('button', { name: 'Ghi kết quả' }).isDisabled(), 'a file with problems cannot be written');
});

test('evaluations: under the province\'s 2025 variant a low membership coverage caps the level, and the sheet says why', async (ctx) => {
  const { page } = ctx;
  // Set-up through the API: a 2025 self-assessment the records' coverage condition caps.
  const api = await apiAs(ctx, 'tinh');
  const rounds = await api.get('/api/v1/evaluation-rounds?year=2025');
  const round = rounds.items[0];
  const sent = await api.get(`/api/v1/evaluations?round_id=${round.id}&status=submitted&status=approved&size=200`);
  const capped = sent.items.find((e) => e.self_flags.coverage_below_70);
  await api.close();
  assert(capped, 'a 2025 unit has fewer than 70% of its workers as members');
  await signIn(page, 'tinh');
  await waitOverviewDrawn(page);
  await page.goto(`/evaluations/${capped.id}`);
  await page.getByTestId('score-sheet').waitFor({ timeout: TIMEOUT });
  const condition = page.getByTestId('condition-coverage_below_70');
  await condition.getByText('Theo dữ liệu: có').waitFor({ timeout: TIMEOUT });
  await page
    .getByTestId('self-total')
    .filter({ hasText: 'Bị giới hạn bởi điều kiện: Dưới 70% người lao động của doanh nghiệp là đoàn viên' })
    .waitFor({ timeout: TIMEOUT });
  await shot(ctx, '37-evaluation-capped-by-data');
});

test("evaluations: a ward union sets earlier deadlines for its units in the province's 2025 round and cannot publish its part before all are approved", async (ctx) => {
  const { page } = ctx;
  await signIn(page, 'caibe');
  await waitOverviewDrawn(page);
  await page.goto('/evaluations?tab=rounds');
  const row = page.locator('.ant-table-row', { hasText: 'năm 2025' }).first();
  await row.waitFor({ timeout: TIMEOUT });
  await row.locator('a').first().click();
  await page.getByTestId('round-status').waitFor({ timeout: TIMEOUT });
  const parts = page.getByTestId('round-parts');
  await parts.waitFor({ timeout: TIMEOUT });
  // A part of the account's with units not yet approved (2025 is in progress).
  const drafting = parts.locator('tr.ant-table-row', { hasText: /Chưa gửi|Chờ thẩm định|Bị trả lại/ }).first();
  await drafting.waitFor({ timeout: TIMEOUT });
  const unionId = await drafting.getAttribute('data-row-key');
  const controls = parts.getByTestId(`part-controls-${unionId}`);
  await controls.waitFor({ timeout: TIMEOUT });
  // Later than the round's own appraisal deadline (30/11/2025): refused, in Vietnamese. (Typed
  // in the appraisal field: a rerun on the same database finds the earlier self-assessment
  // deadline set below, which a later one would also contradict.)
  const selfInput = controls.getByLabel('Hạn tự đánh giá', { exact: true });
  const appraisalInput = controls.getByLabel('Hạn thẩm định', { exact: true });
  await appraisalInput.click();
  await appraisalInput.fill('15/12/2025');
  await appraisalInput.press('Enter');
  await controls.getByRole('button', { name: 'Lưu hạn của đơn vị' }).click();
  await page.getByText('Hạn của đơn vị phải sớm hơn hoặc bằng hạn chung của đợt đánh giá (30/11/2025).').waitFor({ timeout: TIMEOUT });
  await selfInput.click();
  await selfInput.fill('15/10/2025');
  await selfInput.press('Enter');
  await appraisalInput.click();
  await appraisalInput.fill('20/10/2025');
  await appraisalInput.press('Enter');
  await controls.getByRole('button', { name: 'Lưu hạn của đơn vị' }).click();
  await page.getByText('Đã lưu hạn đánh giá cho các đơn vị trực thuộc.').waitFor({ timeout: TIMEOUT });
  await parts.locator('.ant-table-row').filter({ hasText: '15/10/2025' }).first().waitFor({ timeout: TIMEOUT });
  await shot(ctx, '38-round-part-deadlines');
  // The part's deadlines are the ones in force for its units: in the round's table a unit
  // waiting for appraisal shows the part's, late; its sheet says they are earlier than the round's.
  const table = page.getByTestId('round-evaluations');
  const late = table.locator('.ant-table-row', { hasText: '20/10/2025' }).filter({ hasText: 'Quá hạn' }).first();
  await late.waitFor({ timeout: TIMEOUT });
  const lateUnit = (await late.locator('td:first-child a').innerText()).trim();
  const roundUrl = page.url();
  await late.locator('td:first-child a').click();
  await page.getByTestId('self-deadline').filter({ hasText: '15/10/2025' }).filter({ hasText: 'sớm hơn hạn của đợt (31/10/2025)' }).waitFor({ timeout: TIMEOUT });
  await page.getByTestId('appraisal-deadline').filter({ hasText: '20/10/2025' }).filter({ hasText: 'Quá hạn' }).waitFor({ timeout: TIMEOUT });
  await page.getByTestId('score-sheet').waitFor({ timeout: TIMEOUT });
  await shot(ctx, '38b-evaluation-part-deadline');
  // The late list holds it too.
  await page.goto('/evaluations?tab=late');
  await page.getByTestId('late').locator('.ant-table-row', { hasText: lateUnit }).first().waitFor({ timeout: TIMEOUT });
  await page.goto(roundUrl);
  await controls.waitFor({ timeout: TIMEOUT });
  // Its units are not all approved yet: publishing its part is refused with the count.
  await controls.getByRole('button', { name: 'Công bố kết quả các đơn vị trực thuộc' }).click();
  await page.locator('.ant-modal-confirm').getByRole('button', { name: 'Công bố kết quả các đơn vị trực thuộc' }).click();
  await page.getByText(/Đợt đánh giá còn \d+ phiếu chưa được duyệt\./).waitFor({ timeout: TIMEOUT });
}, { mutates: true });
