// Flows of training: a course from creation to results, whose completion gives the person the
// qualification and takes them off the due-for-training list; the compliance dashboard.
import { assert, test } from './harness.mjs';
import { TIMEOUT, apiAs, chooseOption, clickOption, pickDate, pickUnion, rows, shot, signIn, today, waitOverviewDrawn } from './helpers.mjs';

// The cadre is picked by their card number: the demo has namesakes (four "Trần Thị An"), and
// picking by name alone once enrolled someone else while the due person's page showed a
// union-work level from a record dated ahead of today (which now does not count).
/** From the course list: a union-work basics course today, with `invited` child unions; lands on its page. */
async function createCourse(page, { title, seats, invited = [] }) {
  await page.getByRole('button', { name: 'Mở lớp mới' }).click();
  await page.getByLabel('Tên lớp', { exact: true }).fill(title);
  await chooseOption(page, 'Loại lớp', 'Bồi dưỡng nghiệp vụ công đoàn cơ bản');
  await pickDate(page, 'Ngày bắt đầu', today());
  await pickDate(page, 'Ngày kết thúc', today());
  await page.getByLabel('Số chỗ', { exact: true }).fill(String(seats));
  for (const union of invited) await pickUnion(page, 'Đơn vị được mời cử người', union, union);
  if (invited.length) await page.getByRole('dialog').getByText('Mở lớp đào tạo, bồi dưỡng', { exact: true }).click(); // closes the list
  await page.getByRole('button', { name: 'Lưu' }).click();
  await page.getByRole('heading', { name: title }).waitFor({ timeout: TIMEOUT });
}

/**
 * A finished course the province manages and two accepted people on it, with card numbers,
 * whose names appear once on the roster (the page's fields are labelled by name).
 */
async function finishedCourseWithTwo(api, { fromEnd = false } = {}) {
  const finished = await api.get('/api/v1/training/courses?status=finished&size=100');
  const candidates = finished.items.filter((x) => x.may_manage && (x.counts.accepted ?? 0) >= 2);
  for (const c of fromEnd ? candidates.reverse() : candidates) {
    const roster = await api.get(`/api/v1/training/courses/${c.id}/participants`);
    const accepted = roster.filter((p) => p.status === 'accepted' && p.member_card_number);
    const single = accepted.filter((p) => roster.filter((q) => q.member_name === p.member_name).length === 1);
    if (single.length >= 2) return { course: c, people: single.slice(0, 2) };
  }
  return { course: null, people: [] };
}

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
  // The overview's to-do list reminds the officer of the cadres due for training (the overdue
  // ones flagged) and leads to the due list.
  const reminder = page.getByTestId('todo-training-due');
  await reminder.waitFor({ timeout: TIMEOUT });
  const todo = await api.get('/api/v1/training/todo');
  const shown = (await reminder.locator('strong').first().innerText()).replace(/\D/g, '');
  assert(todo.due_for_training === due.total && shown === String(due.total), 'the to-do line counts the due list');
  await reminder.getByRole('link').click();
  await page.getByRole('heading', { name: 'Cán bộ cần đào tạo, bồi dưỡng' }).waitFor({ timeout: TIMEOUT });
  await rows(page).first().waitFor({ timeout: TIMEOUT });
  await shot(ctx, '30-training-due');

  await page.getByRole('link', { name: 'Đào tạo, bồi dưỡng' }).click();
  await page.getByRole('heading', { name: 'Lớp đào tạo, bồi dưỡng' }).waitFor({ timeout: TIMEOUT });
  await rows(page).first().waitFor({ timeout: TIMEOUT });
  await shot(ctx, '31-training-courses');
  const title = `Bồi dưỡng nghiệp vụ kiểm thử ${Date.now()}`;
  await createCourse(page, { title, seats: 30 });

  // Enrol the cadre, start the course, record the completion.
  const picker = page.getByLabel('Thêm học viên', { exact: true });
  const who = row.member_card_number || row.member_name;
  const option = page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: row.member_name });
  await clickOption(picker, option.filter({ hasText: row.member_card_number || row.union_name }).first(), {
    open: async () => {
      await picker.click();
      await picker.fill(who);
    },
  });
  await ctx.a11y?.check(page, 'participants list open, one chosen');
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
  await page.getByTestId('certificates').getByText('E2E-001').waitFor({ timeout: TIMEOUT });
  // The training history lists the course with its result.
  const taken = page.getByTestId('course-history').locator('tr', { hasText: title });
  await taken.getByText('Hoàn thành').waitFor({ timeout: TIMEOUT });
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

// The roster round trip an organiser does in Excel: export, fill in results, import - a file with
// one bad row is refused with the problem in Vietnamese quoting the cell, the fixed file is
// written - then the certificate on the person's page, and the printable attendance sheet.
test('training: export a roster, import results with one bad row, fix it, print the sheet', async (ctx) => {
  const { page } = ctx;
  const api = await apiAs(ctx, 'tinh');
  const { course, people } = await finishedCourseWithTwo(api);
  assert(course, 'the demo data has a finished course with results the province organises');
  await api.close();
  const [first, second] = people;
  const certificate = `E2E-${Date.now() % 1_000_000}/GCN`;
  const sheet = (secondResult) =>
    Buffer.from(
      '\ufeff' +
        [
          'Số thẻ đoàn viên;Họ và tên;Kết quả;Điểm;Số chứng chỉ;Ngày cấp chứng chỉ',
          `${first.member_card_number};${first.member_name};Hoàn thành;8,5;${certificate};${today()}`,
          `${second.member_card_number};${second.member_name};${secondResult};6;;`,
        ].join('\r\n'),
      'utf8',
    );

  await signIn(page, 'tinh');
  await waitOverviewDrawn(page);
  await page.goto(`/training/courses/${course.id}`);
  await page.getByRole('heading', { name: course.title, exact: true }).waitFor({ timeout: TIMEOUT });
  await rows(page).first().waitFor({ timeout: TIMEOUT });
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Xuất Excel' }).click();
  assert((await download).suggestedFilename().endsWith('.xlsx'), 'the roster is exported as .xlsx');

  await page.getByRole('button', { name: 'Nhập từ Excel' }).click();
  const dialog = page.locator('.ant-modal').filter({ hasText: 'Nhập danh sách, điểm danh, kết quả' });
  const file = dialog.locator('input[type=file]');
  await file.setInputFiles({ name: 'ket-qua.csv', mimeType: 'text/csv', buffer: sheet('Xuất sắc') });
  await dialog.getByRole('button', { name: 'Kiểm tra tệp' }).click();
  const report = dialog.getByTestId('roster-import-report');
  await report.getByText('2 dòng: 1 hợp lệ, 1 lỗi.').waitFor({ timeout: TIMEOUT });
  await report.getByText('Giá trị "Xuất sắc" không nằm trong danh sách cho phép').waitFor({ timeout: TIMEOUT });
  assert(await dialog.getByRole('button', { name: 'Ghi vào danh sách lớp' }).isDisabled(), 'a file with a bad row cannot be written');
  await shot(ctx, '37-roster-import-check');
  // The check ran on a worker, as the register imports do: its rows with problems download as
  // a workbook with a "Lỗi" column.
  const errorRows = page.waitForEvent('download');
  await report.getByRole('button', { name: 'Tải các dòng lỗi (.xlsx)' }).click();
  assert(/^loi-.*\.xlsx$/.test((await errorRows).suggestedFilename()), 'the rows with problems download as .xlsx');

  await file.setInputFiles({ name: 'ket-qua-da-sua.csv', mimeType: 'text/csv', buffer: sheet('Không hoàn thành') });
  await dialog.getByRole('button', { name: 'Kiểm tra tệp' }).click();
  await report.getByText('2 dòng: 2 hợp lệ, 0 lỗi.').waitFor({ timeout: TIMEOUT });
  await dialog.getByRole('button', { name: 'Ghi vào danh sách lớp' }).click();
  await report.getByText(/Đã ghi: thêm 0 học viên, cập nhật 2/).waitFor({ timeout: TIMEOUT });
  await dialog.locator('.ant-modal-footer').getByRole('button', { name: 'Đóng' }).click();
  const written = page.getByLabel(`Số chứng chỉ: ${first.member_name}`, { exact: true });
  await page.waitForFunction(
    ([label, value]) => document.querySelector(`input[aria-label="${label}"]`)?.value === value,
    [`Số chứng chỉ: ${first.member_name}`, certificate],
    { timeout: TIMEOUT },
  );
  assert((await written.inputValue()) === certificate, 'the roster shows the imported certificate number');

  // The printable roster and attendance sheet, blank and filled in.
  await page.getByRole('button', { name: 'In danh sách, điểm danh' }).click();
  await page.getByRole('heading', { name: 'DANH SÁCH HỌC VIÊN VÀ ĐIỂM DANH', exact: true }).waitFor({ timeout: TIMEOUT });
  const printed = page.getByTestId('roster-sheet').locator('tbody tr');
  await printed.first().waitFor({ timeout: TIMEOUT });
  assert((await printed.count()) >= 2, 'the sheet lists the accepted participants');
  await page.getByTestId('roster-sheet').getByText(first.member_name).waitFor({ timeout: TIMEOUT });
  await page.getByLabel('Ghi sẵn điểm danh đã có').check();
  await shot(ctx, '38-roster-print');

  // The certificate on the person's page.
  await page.goto(`/members/${first.member_id}?tab=qualifications`);
  await page.getByTestId('certificates').getByText(certificate).waitFor({ timeout: TIMEOUT });
  await page.getByTestId('certificates').getByText(course.title).first().waitFor({ timeout: TIMEOUT });
}, { mutates: true });

test('training: the province invites a ward union to a course taking nominations; the ward nominates its member, the province accepts', async (ctx) => {
  const { page } = ctx;
  const ward = 'Công đoàn phường Mỹ Tho';
  const api = await apiAs(ctx, 'mytho');
  const wardRow = (await api.get(`/api/v1/unions?q=${encodeURIComponent('phuong my tho')}&size=20`)).items.find((u) => u.name === ward);
  assert(wardRow, `the demo has ${ward}`);
  const member = (await api.get(`/api/v1/members?union_id=${wardRow.id}&size=1`)).items[0];
  assert(member, `${ward} has members`);
  await api.close();

  // The province opens a course inviting the ward, and takes nominations.
  await signIn(page, 'tinh');
  await waitOverviewDrawn(page);
  await page.getByRole('link', { name: 'Đào tạo, bồi dưỡng', exact: true }).click();
  await page.getByRole('heading', { name: 'Lớp đào tạo, bồi dưỡng' }).waitFor({ timeout: TIMEOUT });
  const title = `Bồi dưỡng nghiệp vụ, nhận đề cử ${Date.now()}`;
  await createCourse(page, { title, seats: 5, invited: [ward] });
  const courseUrl = page.url();
  await page.getByText(ward).first().waitFor({ timeout: TIMEOUT });
  await page.getByRole('button', { name: 'Chuyển sang: Đang nhận đề cử' }).click();
  await page.getByTestId('course-status').filter({ hasText: 'Đang nhận đề cử' }).waitFor({ timeout: TIMEOUT });

  // The ward's officer sees it and nominates its member.
  const context = await ctx.browser.newContext({ baseURL: ctx.base, locale: 'vi-VN', viewport: { width: 1366, height: 860 } });
  const wardPage = await context.newPage();
  await signIn(wardPage, 'mytho');
  await waitOverviewDrawn(wardPage);
  await wardPage.goto(courseUrl);
  await wardPage.getByRole('heading', { name: title }).waitFor({ timeout: TIMEOUT });
  const picker = wardPage.getByLabel('Đề cử học viên', { exact: true });
  await clickOption(picker, wardPage.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: member.full_name }).first(), {
    open: async () => {
      await picker.click();
      await picker.fill(member.card_number || member.full_name);
    },
  });
  await ctx.a11y?.check(wardPage, 'nominees list open, one chosen');
  await wardPage.keyboard.press('Escape');
  await wardPage.getByRole('button', { name: 'Đề cử học viên' }).click();
  await wardPage.getByText('Đã đề cử 1 người.').waitFor({ timeout: TIMEOUT });
  await rows(wardPage).filter({ hasText: member.full_name }).filter({ hasText: 'Chờ duyệt' }).first().waitFor({ timeout: TIMEOUT });
  await context.close();

  // The province accepts the nomination: the person is on the roster.
  await page.reload();
  const nominated = rows(page).filter({ hasText: member.full_name }).first();
  await nominated.getByRole('button', { name: 'Nhận' }).waitFor({ timeout: TIMEOUT });
  await shot(ctx, '39-training-nomination');
  await nominated.getByRole('button', { name: 'Nhận' }).click();
  await nominated.filter({ hasText: 'Đã nhận' }).waitFor({ timeout: TIMEOUT });
}, { mutates: true });

// The calendar of courses, then one session's attendance entered for the whole roster at once:
// everyone present but one, saved in one request, still there after a reload.
test('training: the course calendar opens a course; attendance of a session entered in bulk is saved', async (ctx) => {
  const { page } = ctx;
  const api = await apiAs(ctx, 'tinh');
  // From the end of the list: the roster import flow takes one from its start.
  const { course, people } = await finishedCourseWithTwo(api, { fromEnd: true });
  assert(course, 'the demo data has a finished course of the province with two participants');
  const sheet = await api.get(`/api/v1/training/courses/${course.id}/attendance`);
  await api.close();
  const session = sheet.sessions[sheet.sessions.length - 1];
  // Whoever is not absent yet is marked absent (a rerun on the same database changes something).
  const absentBefore = (p) => sheet.rows.find((r) => r.participant_id === p.id).absent_on.includes(session);
  const [first, second] = absentBefore(people[1]) ? [people[1], people[0]] : people;
  const ddmmyyyy = (iso) => iso.split('-').reverse().join('/');
  const month = course.starts_on.slice(0, 7).split('-').reverse().join('/');

  // The course list, switched to the calendar, on the course's month.
  await signIn(page, 'tinh');
  await waitOverviewDrawn(page);
  await page.getByRole('link', { name: 'Đào tạo, bồi dưỡng', exact: true }).click();
  await page.getByRole('heading', { name: 'Lớp đào tạo, bồi dưỡng' }).waitFor({ timeout: TIMEOUT });
  await page.getByText('Lịch', { exact: true }).click();
  await page.getByTestId('courses-calendar').waitFor({ timeout: TIMEOUT });
  // The month typed as a keyboard user would, once its picker is open (typed earlier, the
  // opening picker may put the shown month back).
  const monthInput = page.getByLabel('Tháng', { exact: true });
  await monthInput.click();
  await page.locator('.ant-picker-dropdown:visible .ant-picker-month-panel').waitFor({ timeout: TIMEOUT });
  await ctx.a11y?.check(page, 'month picker open');
  await monthInput.fill(month);
  await monthInput.press('Enter');
  await page.getByRole('heading', { name: `Lịch các lớp tháng ${month}` }).waitFor({ timeout: TIMEOUT });
  const day = page.getByTestId(`calendar-day-${course.starts_on}`);
  const inCell = day.getByRole('link', { name: course.title, exact: true });
  await day.waitFor({ timeout: TIMEOUT });
  if (!(await inCell.count())) {
    // A busy day: its "+N" lists every course of the day under the calendar.
    await day.getByRole('button', { name: /lớp khác ngày/ }).click();
  }
  await shot(ctx, '31a-training-calendar');
  const target = (await inCell.count()) ? inCell : page.getByTestId('calendar-daylist').getByRole('link', { name: course.title, exact: true });
  await target.first().click();
  await page.getByRole('heading', { name: course.title, exact: true }).waitFor({ timeout: TIMEOUT });
  assert(new URL(page.url()).pathname === `/training/courses/${course.id}`, 'the calendar opens the course');

  // One session: everyone present, then the second person absent; saved in one request.
  const grid = page.getByTestId('attendance-card');
  await grid.getByRole('radiogroup', { name: `Điểm danh: ${first.member_name}` }).waitFor({ timeout: TIMEOUT });
  await chooseOption(page, 'Buổi học', ddmmyyyy(session));
  await grid.getByRole('button', { name: 'Tất cả có mặt' }).click();
  await grid.getByRole('radiogroup', { name: `Điểm danh: ${second.member_name}` }).getByText('Vắng', { exact: true }).click();
  const saved = page.waitForResponse((r) => r.url().endsWith(`/courses/${course.id}/attendance`) && r.request().method() === 'PUT');
  await grid.getByRole('button', { name: 'Lưu điểm danh' }).click();
  const answer = await saved;
  assert(answer.ok(), 'the attendance is saved');
  const marks = (await answer.json()).rows;
  const on = (p, list) => marks.find((r) => r.participant_id === p.id)[list].includes(session);
  assert(on(first, 'present_on') && on(second, 'absent_on'), 'one request carries the whole session');
  const present = marks.filter((r) => r.present_on.includes(session)).length;
  assert(present === marks.length - 1, 'everyone but one is present');
  await page.getByText(`Đã điểm danh buổi ${ddmmyyyy(session)}.`).waitFor({ timeout: TIMEOUT });
  await grid.getByTestId('attendance-summary').filter({ hasText: `Có mặt ${present}/${marks.length} · Vắng 1 ·` }).waitFor({ timeout: TIMEOUT });
  await shot(ctx, '32a-training-attendance');

  // After a reload the marks are the saved ones.
  await page.reload();
  await page.getByRole('heading', { name: course.title, exact: true }).waitFor({ timeout: TIMEOUT });
  await chooseOption(page, 'Buổi học', ddmmyyyy(session));
  const checked = (name, value) =>
    grid.getByRole('radiogroup', { name: `Điểm danh: ${name}` }).getByRole('radio', { name: value, exact: true });
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="attendance-card"] input[type=radio]:checked').length > 0, undefined, { timeout: TIMEOUT });
  assert(await checked(first.member_name, 'Có mặt').isChecked(), `${first.member_name} is present after the reload`);
  assert(await checked(second.member_name, 'Vắng').isChecked(), `${second.member_name} is absent after the reload`);
  assert((await grid.getByTestId('attendance-summary').innerText()).includes(`Có mặt ${present}/${marks.length} · Vắng 1 ·`), 'one absence on the session');

  // A reader of the province sees the same marks and nothing to change them with.
  const context = await ctx.browser.newContext({ baseURL: ctx.base, locale: 'vi-VN', viewport: { width: 1366, height: 860 } });
  const reader = await context.newPage();
  await signIn(reader, 'viewer');
  await waitOverviewDrawn(reader);
  await reader.goto(`/training/courses/${course.id}`);
  const seen = reader.getByTestId('attendance-card');
  await seen.getByText('Chỉ đơn vị tổ chức lớp được ghi điểm danh; bạn đang xem.').waitFor({ timeout: TIMEOUT });
  await chooseOption(reader, 'Buổi học', ddmmyyyy(session), { a11y: ctx.a11y });
  await seen.locator('.ant-table-row', { hasText: second.member_name }).getByText('Vắng', { exact: true }).waitFor({ timeout: TIMEOUT });
  assert((await seen.getByRole('button', { name: 'Lưu điểm danh' }).count()) === 0, 'a reader has no save button');
  assert((await seen.getByRole('radiogroup').count()) === 0, 'a reader has no attendance controls');
  await ctx.a11y?.check(reader, 'attendance, read only');
  await context.close();

  // Another officer saves the sheet while this page still shows the older one (the second
  // person now present): this page's save is refused with the "changed meanwhile" message and a
  // reload button, writes nothing, and once reloaded (their marks underneath, this page's edit
  // on top) it goes through.
  const url = `/api/v1/training/courses/${course.id}/attendance`;
  const colleague = await apiAs(ctx, 'tinh');
  const etag = (await colleague.fetch(url)).headers()['etag'];
  await colleague.put(url, { session_on: session, present: [first.id, second.id] }, { 'If-Match': etag });
  await grid.getByRole('radiogroup', { name: `Điểm danh: ${first.member_name}` }).getByText('Vắng', { exact: true }).click();
  const refused = page.waitForResponse((r) => r.url().endsWith(`/courses/${course.id}/attendance`) && r.request().method() === 'PUT');
  await grid.getByRole('button', { name: 'Lưu điểm danh' }).click();
  assert((await refused).status() === 412, 'a save over a sheet changed meanwhile is refused');
  const problem = grid.getByTestId('attendance-error');
  await problem.getByText('Dữ liệu vừa được người khác thay đổi. Hãy tải lại trang rồi thực hiện lại.').waitFor({ timeout: TIMEOUT });
  const kept = await colleague.get(url);
  assert(kept.rows.every((r) => r.present_on.includes(session)), 'the refused save wrote nothing');
  await ctx.a11y?.check(page, 'attendance, changed meanwhile');
  await problem.getByRole('button', { name: 'Tải lại' }).click();
  await problem.waitFor({ state: 'detached', timeout: TIMEOUT });
  await checked(second.member_name, 'Có mặt').and(page.locator(':checked')).waitFor({ state: 'attached', timeout: TIMEOUT });
  assert(await checked(first.member_name, 'Vắng').isChecked(), 'the unsaved edit stays after the reload');
  const resaved = page.waitForResponse((r) => r.url().endsWith(`/courses/${course.id}/attendance`) && r.request().method() === 'PUT');
  await grid.getByRole('button', { name: 'Lưu điểm danh' }).click();
  assert((await resaved).ok(), 'saved once reloaded');
  const after = await colleague.get(url);
  const row = (p) => after.rows.find((r) => r.participant_id === p.id);
  assert(row(first).absent_on.includes(session) && row(second).present_on.includes(session), 'both officers\' marks are kept');
  await colleague.close();
}, { mutates: true });
