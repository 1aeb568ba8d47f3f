// Flows of the registers: members, transfers, enterprises, the unionization gap, imports.
// Read-only flows take the screenshots; flows that change data carry { mutates: true }.
import { assert, test } from './harness.mjs';
import { TIMEOUT, apiAs, chooseOption, pickDate, pickUnion, shot, signIn, today, waitOverviewDrawn } from './helpers.mjs';

const rows = (page) => page.locator('.ant-table-tbody .ant-table-row');

/**
 * The list shows the answer it waited for: no table is loading any more. (A "networkidle" load
 * state says nothing here: it is reached once per page load, not after each request.)
 */
async function tableSettled(page) {
  await page.locator('.ant-table-wrapper .ant-spin-spinning').first().waitFor({ state: 'detached', timeout: TIMEOUT });
}

/** The first column (the member's name) of each row on the current page of the list. */
async function memberNames(page) {
  return rows(page).locator('td:first-child a').allInnerTexts();
}

async function searchMembers(page, text) {
  const box = page.getByLabel(/Tìm họ tên/);
  await box.fill(text);
  const answered = page.waitForResponse((r) => r.url().includes('/api/v1/members?') && r.url().includes(`q=${encodeURIComponent(text)}`));
  await box.press('Enter');
  await answered;
  await tableSettled(page);
}

test('members: an accent-free search finds accented names; open a member', async (ctx) => {
  const { page } = ctx;
  await signIn(page, 'mytho');
  await waitOverviewDrawn(page);
  await page.getByRole('link', { name: 'Đoàn viên' }).click();
  await page.getByRole('heading', { name: 'Đoàn viên' }).waitFor({ timeout: TIMEOUT });
  await rows(page).first().waitFor({ timeout: TIMEOUT });
  await searchMembers(page, 'nguyen');
  await page.waitForURL(/[?&]q=nguyen/, { timeout: TIMEOUT });
  const names = await memberNames(page);
  assert(names.length > 0, 'the search finds members');
  assert(names.every((n) => n.startsWith('Nguyễn')), `"nguyen" finds "Nguyễn ..." names: ${names.slice(0, 5).join(', ')}`);
  const total = await page.getByTestId('member-total').innerText();
  assert(/Tổng \d/.test(total), `the total is shown: ${total}`);
  const masked = await rows(page).first().locator('.mono').first().innerText();
  assert(/^\d{3}\*+\d{3}$/.test(masked), `personal IDs are masked in the list: ${masked}`);
  await shot(ctx, '11-members');

  // "Hiện" asks the API again with reveal_pii (the read is audited).
  const revealed = page.waitForResponse((r) => r.url().includes('reveal_pii=true') && r.ok());
  await page.getByRole('button', { name: 'Hiện' }).click();
  await revealed;
  await page.getByRole('button', { name: 'Ẩn' }).waitFor({ timeout: TIMEOUT });
  await rows(page).first().locator('.mono', { hasText: /^\d{12}$/ }).first().waitFor({ timeout: TIMEOUT });

  const first = names[0];
  await rows(page).first().getByRole('link', { name: first }).click();
  await page.getByRole('heading', { name: first }).waitFor({ timeout: TIMEOUT });
  await page.getByRole('tab', { name: 'Thông tin' }).waitFor();
  const pid = await page.getByTestId('pii').first().innerText();
  assert(pid.includes('*'), `the detail hides the personal ID until asked: ${pid}`);
  await shot(ctx, '12-member-detail');
  await page.getByRole('tab', { name: 'Quá trình sinh hoạt' }).click();
  await page.getByTestId('member-event').filter({ hasText: 'Kết nạp' }).first().waitFor({ timeout: TIMEOUT });
  await page.getByRole('columnheader', { name: 'Đơn vị sinh hoạt' }).waitFor();
  await shot(ctx, '13-member-history');
  await page.getByRole('tab', { name: 'Chức vụ công đoàn' }).click();
  await page.getByRole('columnheader', { name: 'Chức vụ' }).waitFor({ timeout: TIMEOUT });
});

test('members: filters live in the URL, columns are remembered, exports pass the filters', async (ctx) => {
  const { page } = ctx;
  await signIn(page, 'mytho');
  await waitOverviewDrawn(page);
  await page.goto('/members');
  await rows(page).first().waitFor({ timeout: TIMEOUT });
  await searchMembers(page, 'tran');
  const activeOnly = page.waitForResponse((r) => r.url().includes('/api/v1/members?') && r.url().includes('status=active'));
  await chooseOption(page, 'Trạng thái', 'Đang sinh hoạt');
  await page.keyboard.press('Escape');
  await page.waitForURL(/status=active/, { timeout: TIMEOUT });
  await activeOnly;
  await tableSettled(page);
  const filtered = await page.getByTestId('member-total').innerText();

  // The same address in a new tab shows the same list.
  const shared = page.url();
  const other = await ctx.context.newPage();
  await other.goto(shared);
  await rows(other).first().waitFor({ timeout: TIMEOUT });
  await tableSettled(other);
  const again = await other.getByTestId('member-total').innerText();
  assert(again === filtered, `a shared link shows the same filtered list: ${again} vs ${filtered}`);
  assert((await other.getByLabel(/Tìm họ tên/).inputValue()) === 'tran', 'the search box is filled from the link');
  await other.locator('.ant-select-selection-item', { hasText: 'Đang sinh hoạt' }).first().waitFor();
  await other.close();

  // Column chooser: the phone column, kept after a reload.
  assert((await page.getByRole('columnheader', { name: 'Số điện thoại' }).count()) === 0, 'the phone column is hidden by default');
  await page.getByRole('button', { name: 'Cột' }).click();
  await page.getByRole('checkbox', { name: 'Số điện thoại' }).check();
  await page.getByRole('columnheader', { name: 'Số điện thoại' }).waitFor({ timeout: TIMEOUT });
  await page.keyboard.press('Escape');
  await page.reload();
  await page.getByRole('columnheader', { name: 'Số điện thoại' }).waitFor({ timeout: TIMEOUT });

  // The export sends the list's filters and comes back as a file.
  const request = page.waitForRequest((r) => r.url().includes('/api/v1/members/export'));
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Xuất Excel' }).click();
  const url = new URL((await request).url());
  assert(url.searchParams.get('q') === 'tran' && url.searchParams.get('status') === 'active', `the export passes the filters: ${url.search}`);
  assert(url.searchParams.get('format') === 'xlsx', 'the export asks for xlsx');
  const file = await download;
  assert(file.suggestedFilename().endsWith('.xlsx'), `an .xlsx file: ${file.suggestedFilename()}`);
});

test('keyboard only: search the members and open one', async (ctx) => {
  const { page } = ctx;
  await signIn(page, 'mytho');
  await waitOverviewDrawn(page);
  await page.goto('/members');
  await rows(page).first().waitFor({ timeout: TIMEOUT });
  // From the top of the page: the skip link, then Tab until the search box has focus.
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  const reach = async (test, what) => {
    for (let i = 0; i < 40; i += 1) {
      if (await page.evaluate(test)) return;
      await page.keyboard.press('Tab');
    }
    throw new Error(`${what} cannot be reached with Tab`);
  };
  await reach(() => document.activeElement?.getAttribute('aria-label')?.startsWith('Tìm họ tên') ?? false, 'the search box');
  await page.keyboard.type('nguyen');
  const answered = page.waitForResponse((r) => r.url().includes('/api/v1/members?') && r.url().includes('q=nguyen'));
  await page.keyboard.press('Enter');
  await answered;
  await tableSettled(page);
  await reach(() => /^\/members\/[0-9a-f-]{36}$/.test(new URL(document.activeElement?.href ?? 'x:/', location.href).pathname), 'a member link');
  const name = await page.evaluate(() => document.activeElement?.textContent ?? '');
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name }).waitFor({ timeout: TIMEOUT });
});

test('transfer inbox of the receiving union', async (ctx) => {
  const { page } = ctx;
  await signIn(page, 'mytho');
  await waitOverviewDrawn(page);
  await page.getByRole('link', { name: 'Chuyển sinh hoạt' }).click();
  await page.getByRole('heading', { name: 'Chuyển sinh hoạt công đoàn' }).waitFor({ timeout: TIMEOUT });
  await page.getByRole('tab', { name: 'Chờ đơn vị tôi tiếp nhận' }).waitFor();
  // The demo data holds a pending transfer into one of Mỹ Tho's unions.
  await rows(page).first().getByRole('button', { name: 'Tiếp nhận' }).waitFor({ timeout: TIMEOUT });
  await shot(ctx, '14-transfers');
});

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

test('import a CSV with a bad row: the report, then the valid rows only', async (ctx) => {
  const { page } = ctx;
  const api = await apiAs(ctx, 'mytho');
  const unions = await api.get('/api/v1/unions?level=grassroots&q=luong%20thuc&size=1');
  await api.close();
  const code = unions.items[0].code;
  const serial = String(Math.floor(Math.random() * 1e6)).padStart(6, '0');
  const header =
    'STT,Họ và tên,Ngày sinh,Giới tính,Dân tộc,Quốc tịch,Số định danh cá nhân,Số hộ chiếu,Số điện thoại,Email,Mã xã/phường,' +
    'Trình độ học vấn,Trình độ chuyên môn,Lý luận chính trị,Nghề nghiệp,Mã số thuế doanh nghiệp,Đảng viên,Ngày vào công đoàn,Số thẻ đoàn viên,Đơn vị (mã công đoàn)';
  const csv = [
    header,
    `1,Trần Thị Nhập Thử,12/05/1990,Nữ,Kinh,Việt Nam,082190${serial},,,,,,,,Công nhân,,Không,01/03/2024,,${code}`,
    `2,Lê Văn Sai Số,01/01/1985,Nam,Kinh,Việt Nam,12345,,,,,,,,Công nhân,,Không,01/03/2024,,${code}`,
  ].join('\r\n');

  await signIn(page, 'mytho');
  await waitOverviewDrawn(page);
  await page.getByRole('link', { name: 'Nhập/Xuất dữ liệu' }).click();
  await page.getByRole('heading', { name: 'Nhập dữ liệu từ tệp' }).waitFor({ timeout: TIMEOUT });
  await page.getByRole('button', { name: 'Tiếp tục' }).click();
  await page.locator('input[type=file]').setInputFiles({ name: 'doan-vien-e2e.csv', mimeType: 'text/csv', buffer: Buffer.from(`\ufeff${csv}`, 'utf8') });
  await page.getByText('doan-vien-e2e.csv').waitFor({ timeout: TIMEOUT });
  await page.getByRole('button', { name: 'Tải lên và kiểm tra' }).click();
  const report = page.getByTestId('import-report');
  await report.waitFor({ timeout: TIMEOUT });
  await page.waitForURL(/\/imports\?job=/, { timeout: TIMEOUT });
  const line = report.locator('.ant-table-row').filter({ hasText: 'Số định danh cá nhân' }).first();
  await line.getByText('Số định danh cá nhân phải gồm đúng 12 chữ số.').waitFor({ timeout: TIMEOUT });
  assert((await line.locator('td').first().innerText()).trim() === '3', 'the error points at row 3 of the sheet (the header is row 1)');
  assert((await page.getByTestId('import-bad').innerText()).includes('1'), 'one bad row');
  await page.getByRole('button', { name: 'Tải các dòng lỗi (.xlsx)' }).waitFor();
  await shot(ctx, '18-import-report');

  // All-or-nothing is refused while a row is bad; the valid row alone goes in.
  assert(await page.getByRole('radio', { name: /Ghi tất cả hoặc không ghi gì/ }).isDisabled(), 'all-or-nothing is not offered with bad rows');
  assert(await page.getByRole('radio', { name: /Chỉ ghi 1 dòng hợp lệ/ }).isChecked(), 'valid rows only is chosen');
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Tải các dòng lỗi (.xlsx)' }).click();
  assert((await download).suggestedFilename().endsWith('.xlsx'), 'the bad rows come as .xlsx');
  await page.getByRole('button', { name: 'Ghi vào sổ' }).click();
  const dialog = page.locator('.ant-modal-confirm');
  await dialog.waitFor({ timeout: TIMEOUT });
  assert((await dialog.innerText()).includes('Ghi 1 dòng hợp lệ vào sổ; 1 dòng lỗi bị bỏ qua'), 'the dialog says what will be written');
  await dialog.getByRole('button', { name: 'Ghi vào sổ' }).click();
  await page.getByText('Đã ghi dữ liệu vào sổ').waitFor({ timeout: TIMEOUT });
  assert((await page.getByTestId('import-committed').innerText()).includes('Thêm mới 1'), 'one member created');
}, { mutates: true });

test('the create form shows a wrong personal ID beside its field', async (ctx) => {
  const { page } = ctx;
  await signIn(page, 'mytho');
  await waitOverviewDrawn(page);
  await page.goto('/members');
  await page.getByRole('button', { name: 'Thêm đoàn viên' }).click();
  await page.getByRole('heading', { name: 'Kết nạp đoàn viên mới' }).waitFor({ timeout: TIMEOUT });
  await page.getByLabel('Họ và tên', { exact: true }).fill('Phạm Văn Kiểm Thử');
  await pickDate(page, 'Ngày sinh', '12/05/1990');
  await chooseOption(page, 'Giới tính', 'Nam');
  // 12 digits from Tiền Giang (082), a man of the 1900s (0), but born in '95: not 1990.
  await page.getByLabel('Số định danh cá nhân', { exact: true }).fill('082095001234');
  await pickUnion(page, 'Đơn vị sinh hoạt', 'luong thuc', 'Lương thực Cửu Long');
  const answered = page.waitForResponse((r) => r.url().endsWith('/api/v1/members') && r.request().method() === 'POST');
  await page.getByRole('button', { name: 'Kết nạp', exact: true }).click();
  assert((await answered).status() === 422, 'the server refuses the number');
  const field = page.locator('.ant-form-item', { has: page.getByLabel('Số định danh cá nhân', { exact: true }) });
  await field.getByText('Số định danh không khớp với năm sinh đã khai.').waitFor({ timeout: TIMEOUT });
  await shot(ctx, '19-member-form-error');
  // Leaving with unsaved input asks first.
  await page.getByRole('link', { name: 'Tổng quan' }).click();
  await page.locator('.ant-modal-confirm-title', { hasText: 'Rời trang khi chưa lưu?' }).waitFor({ timeout: TIMEOUT });
  await page.getByRole('button', { name: 'Ở lại' }).click();
  assert(new URL(page.url()).pathname === '/members/new', 'stayed on the form');
}, { mutates: true });

test('transfer to a union outside the scope; the receiving officer accepts; caibe sees no Mỹ Tho member', async (ctx) => {
  const { page } = ctx;
  const api = await apiAs(ctx, 'mytho');
  const [union] = (await api.get('/api/v1/unions?level=grassroots&q=luong%20thuc&size=1')).items;
  const candidates = (await api.get(`/api/v1/members?union_id=${union.id}&status=active&is_cadre=false&size=10&sort=-card_number`)).items;
  const pending = (await api.get('/api/v1/members/transfers?status=pending&size=100')).items.map((r) => r.member_id);
  const [member, stayer] = candidates.filter((m) => !pending.includes(m.id));
  await api.close();
  assert(member && stayer, 'two active members of a Mỹ Tho union to work with');

  await signIn(page, 'mytho');
  await waitOverviewDrawn(page);
  await page.goto(`/members/${member.id}`);
  await page.getByRole('heading', { name: member.full_name }).waitFor({ timeout: TIMEOUT });
  await page.getByRole('button', { name: 'Chuyển sinh hoạt' }).click();
  const modal = page.locator('.ant-modal').filter({ hasText: 'Đơn vị nhận' });
  await modal.waitFor({ timeout: TIMEOUT });
  await pickUnion(page, 'Đơn vị nhận', 'minh phat', 'Nông sản Minh Phát');
  assert((await page.getByLabel('Ngày hiệu lực', { exact: true }).inputValue()) === today(), 'the date defaults to today');
  await modal.getByRole('button', { name: 'Chuyển sinh hoạt' }).click();
  const result = page.getByTestId('transfer-result');
  await result.waitFor({ timeout: TIMEOUT });
  const said = await result.innerText();
  assert(said.includes('Đã gửi yêu cầu chuyển sinh hoạt đến Công đoàn cơ sở Công ty TNHH MTV Nông sản Minh Phát'), `a request, not a move: ${said}`);
  await page.locator('.ant-modal-footer').getByRole('button', { name: 'Đóng' }).click();
  await page.getByTestId('pending-transfer').waitFor({ timeout: TIMEOUT });
  await page.getByRole('link', { name: 'Chuyển sinh hoạt' }).click();
  await page.getByRole('tab', { name: 'Đã gửi đi, chờ duyệt' }).click();
  await rows(page).filter({ hasText: member.full_name }).first().waitFor({ timeout: TIMEOUT });

  // The receiving officer, in another browser.
  const theirs = await ctx.browser.newContext({ baseURL: ctx.base, locale: 'vi-VN', viewport: { width: 1366, height: 860 } });
  try {
    const caibe = await theirs.newPage();
    await signIn(caibe, 'caibe');
    await waitOverviewDrawn(caibe);
    await caibe.getByRole('link', { name: 'Chuyển sinh hoạt' }).click();
    const row = rows(caibe).filter({ hasText: member.full_name }).first();
    await row.waitFor({ timeout: TIMEOUT });
    await row.getByRole('button', { name: 'Tiếp nhận' }).click();
    const text = await caibe.getByTestId('decision-text').innerText();
    assert(text.includes(`${member.full_name} sẽ chuyển từ`) && text.includes('Minh Phát'), `the dialog says what happens: ${text}`);
    await caibe.locator('.ant-modal').getByRole('button', { name: 'Tiếp nhận' }).click();
    await caibe.getByText(`Đã tiếp nhận ${member.full_name}.`).waitFor({ timeout: TIMEOUT });
    await row.waitFor({ state: 'detached', timeout: TIMEOUT });

    // The member is now Cái Bè's; nobody else of Mỹ Tho is visible to caibe.
    await caibe.getByRole('link', { name: 'Đoàn viên' }).click();
    await rows(caibe).first().waitFor({ timeout: TIMEOUT });
    const unions = await rows(caibe).allInnerTexts();
    assert(unions.every((r) => !r.includes('Mỹ Tho')), 'no Mỹ Tho union in caibe\'s member list');
    await searchMembers(caibe, member.card_number);
    await rows(caibe).filter({ hasText: 'Nông sản Minh Phát' }).first().waitFor({ timeout: TIMEOUT });
    await searchMembers(caibe, stayer.card_number);
    await caibe.getByText('Không có đoàn viên nào phù hợp với bộ lọc.').waitFor({ timeout: TIMEOUT });
    await caibe.goto(`/members/${stayer.id}`);
    await caibe.getByText('Không tìm thấy đoàn viên (hoặc đoàn viên ngoài phạm vi của bạn).').waitFor({ timeout: TIMEOUT });
  } finally {
    await theirs.close();
  }

  // Back at Mỹ Tho, the member has left for Cái Bè: out of mytho's scope now.
  await page.goto(`/members/${member.id}`);
  await page.getByText('Không tìm thấy đoàn viên (hoặc đoàn viên ngoài phạm vi của bạn).').waitFor({ timeout: TIMEOUT });
}, { mutates: true });

test('leaving, then rejoining too soon names the first possible date', async (ctx) => {
  const { page } = ctx;
  const api = await apiAs(ctx, 'mytho');
  const [union] = (await api.get('/api/v1/unions?level=grassroots&q=thien%20phuc&size=1')).items;
  const pending = (await api.get('/api/v1/members/transfers?status=pending&size=100')).items.map((r) => r.member_id);
  const member = (await api.get(`/api/v1/members?union_id=${union.id}&status=active&is_cadre=false&size=10`)).items.find((m) => !pending.includes(m.id));
  await api.close();
  assert(member, 'an active member to work with');

  await signIn(page, 'mytho');
  await waitOverviewDrawn(page);
  await page.goto(`/members/${member.id}`);
  await page.getByRole('heading', { name: member.full_name }).waitFor({ timeout: TIMEOUT });
  await page.getByRole('button', { name: 'Ra khỏi tổ chức' }).click();
  const leave = page.locator('.ant-modal').filter({ hasText: 'Lý do' });
  await leave.getByLabel('Lý do').fill('Nghỉ việc');
  await leave.getByRole('button', { name: 'Ra khỏi tổ chức' }).click();
  await page.getByText('Đã ghi nhận ra khỏi tổ chức.').waitFor({ timeout: TIMEOUT });
  await page.locator('.ant-tag', { hasText: 'Đã ra khỏi tổ chức' }).first().waitFor({ timeout: TIMEOUT });

  await page.getByRole('button', { name: 'Gia nhập lại' }).click();
  const rejoin = page.locator('.ant-modal').filter({ hasText: 'Đơn vị sinh hoạt khi gia nhập lại' });
  await rejoin.getByRole('button', { name: 'Gia nhập lại' }).click();
  const field = rejoin.locator('.ant-form-item', { has: page.getByLabel('Ngày hiệu lực', { exact: true }) });
  const error = field.locator('.ant-form-item-explain-error');
  await error.waitFor({ timeout: TIMEOUT });
  const text = await error.innerText();
  assert(
    new RegExp(`ra khỏi tổ chức ngày ${today().replaceAll('/', '\\/')} .*có thể gia nhập lại từ ngày \\d{2}/\\d{2}/\\d{4}`).test(text),
    `the possible date is named: ${text}`,
  );
}, { mutates: true });
