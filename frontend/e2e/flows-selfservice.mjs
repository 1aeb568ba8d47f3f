// Flows of a member's own account (the member area at /me), member accounts as officers see
// them (activation codes, identity change requests) and card printing.
import { assert, test } from './harness.mjs';
import { TIMEOUT, apiAs, rows, shot, signIn } from './helpers.mjs';

async function memberSignsIn(page, username = 'doanvien') {
  await signIn(page, username);
  await page.waitForURL(/\/me$/, { timeout: TIMEOUT });
  await page.getByText('Thông tin liên hệ', { exact: true }).waitFor({ timeout: TIMEOUT });
}

test('self-service: a member signs in to their own area and sees their card with its QR code', async (ctx) => {
  const { page } = ctx;
  await memberSignsIn(page);
  // Their own record only: the officers' screens send them back to their area.
  await page.getByText('Quá trình sinh hoạt công đoàn').waitFor({ timeout: TIMEOUT });
  await shot(ctx, '80-member-profile');
  await page.goto('/members');
  await page.waitForURL(/\/me$/, { timeout: TIMEOUT });
  await page.getByRole('menuitem', { name: 'Thẻ đoàn viên' }).click();
  await page.getByTestId('card-front').waitFor({ timeout: TIMEOUT });
  const qr = page.getByTestId('card-back').locator('img');
  await qr.waitFor({ timeout: TIMEOUT });
  const drawn = await qr.evaluate((img) => img.complete && img.naturalWidth > 0);
  assert(drawn, 'the QR code of the signed card is drawn');
  await shot(ctx, '81-member-card');
});

test('self-service: a member asks to move to another union; it waits in the transfer inbox', async (ctx) => {
  const { page } = ctx;
  await memberSignsIn(page);
  await page.getByRole('menuitem', { name: 'Chuyển sinh hoạt' }).click();
  await page.getByRole('heading', { name: 'Chuyển sinh hoạt công đoàn' }).waitFor({ timeout: TIMEOUT });
  const input = page.getByLabel('Công đoàn nơi chuyển đến', { exact: true });
  await input.click();
  await input.fill('cong ty');
  const option = page.locator('.ant-select-dropdown:visible .ant-select-item-option').first();
  await option.waitFor({ timeout: TIMEOUT });
  const destination = (await option.getAttribute('title')) ?? '';
  await option.click();
  await page.getByLabel('Lý do (ví dụ: chuyển nơi làm việc)').fill('Chuyển sang nơi làm việc mới');
  const sent = page.waitForResponse((r) => r.url().endsWith('/api/v1/me/transfer-requests') && r.request().method() === 'POST');
  await page.getByRole('button', { name: 'Gửi đề nghị chuyển' }).click();
  const answer = await sent;
  assert(answer.status() === 201, `the request is filed: ${answer.status()}`);
  const request = await answer.json();
  await rows(page).filter({ hasText: 'Chờ duyệt' }).first().waitFor({ timeout: TIMEOUT });
  await shot(ctx, '82-member-transfer');
  // The member's union sees it in its transfer inbox (outgoing).
  const officer = await apiAs(ctx, 'cdcs');
  const out = await officer.get('/api/v1/members/transfers?direction=outgoing&status=pending&size=200');
  assert(out.items.some((t) => t.id === request.id), `the request is in the union's inbox (to ${destination})`);
  await officer.close();
}, { mutates: true });

test('self-service: an identity change waits for the union, whose officer approves it', async (ctx) => {
  const { page } = ctx;
  await memberSignsIn(page);
  const name = page.getByLabel('Họ và tên', { exact: true });
  const before = await name.inputValue();
  await name.fill(`${before} Thử`);
  await page.getByLabel('Lý do, ghi chú cho công đoàn').fill('Sửa tên theo CCCD');
  await page.getByRole('button', { name: 'Gửi đề nghị sửa' }).click();
  await page.getByText('Đề nghị sửa thông tin của tôi').waitFor({ timeout: TIMEOUT });
  await rows(page).filter({ hasText: 'Chờ duyệt' }).first().waitFor({ timeout: TIMEOUT });

  const officer = await ctx.browser.newContext({ baseURL: ctx.base });
  const op = await officer.newPage();
  await signIn(op, 'cdcs');
  await op.getByRole('link', { name: 'Đề nghị sửa thông tin' }).click();
  await op.getByRole('heading', { name: 'Đề nghị sửa thông tin nhân thân' }).waitFor({ timeout: TIMEOUT });
  const row = rows(op).filter({ hasText: `${before} Thử` }).first();
  await row.waitFor({ timeout: TIMEOUT });
  await shot(ctx, '83-change-requests', op);
  await row.getByRole('button', { name: 'Duyệt' }).click();
  await op.getByText('Đã duyệt và cập nhật hồ sơ.').waitFor({ timeout: TIMEOUT });
  await officer.close();

  await page.reload();
  await page.getByRole('heading', { name: `${before} Thử` }).waitFor({ timeout: TIMEOUT });
}, { mutates: true });

test('self-service: an officer issues a one-time code and the member activates with it', async (ctx) => {
  const { page } = ctx;
  await signIn(page, 'cdcs');
  await page.getByRole('link', { name: 'Đoàn viên', exact: true }).click();
  await rows(page).first().waitFor({ timeout: TIMEOUT });
  let code = null;
  for (let i = 0; i < 3 && code === null; i += 1) {
    await page.goto('/members');
    await rows(page).nth(i).getByRole('link').first().click();
    const account = page.getByTestId('member-account');
    await account.waitFor({ timeout: TIMEOUT });
    const issue = account.getByRole('button', { name: 'Cấp mã kích hoạt' });
    await account.getByText(/chưa kích hoạt|Đã kích hoạt/).waitFor({ timeout: TIMEOUT });
    if (!(await issue.isVisible())) continue;
    await issue.click();
    code = (await page.getByTestId('activation-code').innerText()).trim();
  }
  assert(code && /^[0-9A-Z]{5}-[0-9A-Z]{5}$/.test(code), `a code is shown once: ${code}`);
  await shot(ctx, '84-activation-code');

  const fresh = await ctx.browser.newContext({ baseURL: ctx.base });
  const mp = await fresh.newPage();
  await mp.goto('/signin');
  await mp.getByRole('link', { name: /Kích hoạt tài khoản/ }).click();
  await mp.getByRole('heading', { name: 'Kích hoạt tài khoản đoàn viên' }).waitFor({ timeout: TIMEOUT });
  await mp.getByText('Bằng mã kích hoạt').click();
  await mp.getByLabel('Mã kích hoạt do công đoàn cấp').fill(code);
  const username = `dv${Date.now() % 1_000_000}`;
  await mp.getByLabel('Tên đăng nhập').fill(username);
  await mp.getByLabel(/^Mật khẩu/).fill('Doanvien-2026');
  await mp.getByRole('button', { name: 'Kích hoạt' }).click();
  await mp.getByText(`Đã kích hoạt tài khoản ${username}`).waitFor({ timeout: TIMEOUT });
  await fresh.close();
}, { mutates: true });

test('cards: an officer prints a member card (front and back) and a union sheet of cards', async (ctx) => {
  const { page } = ctx;
  const officer = await apiAs(ctx, 'cdcs');
  const me = await officer.get('/api/v1/auth/me');
  const unionId = me.roles[0].union_id;
  const members = await officer.get(`/api/v1/members?union_id=${unionId}&status=active&size=5`);
  await officer.close();
  const member = members.items.find((m) => m.card_number);
  assert(member, 'the union has a member with a card');
  await signIn(page, 'cdcs');
  await page.getByRole('heading', { name: 'Tổng quan' }).waitFor({ timeout: TIMEOUT });
  await page.goto(`/members/${member.id}`);
  await page.getByRole('button', { name: 'In thẻ' }).click();
  await page.getByTestId('card-front').waitFor({ timeout: TIMEOUT });
  await page.getByTestId('card-back').locator('img').waitFor({ timeout: TIMEOUT });
  await shot(ctx, '85-card-print');
  await page.goto(`/unions/${unionId}`);
  await page.getByRole('button', { name: 'In thẻ của đơn vị' }).click();
  await page.getByTestId('sheet-fronts').waitFor({ timeout: TIMEOUT });
  const n = await page.getByTestId('sheet-fronts').getByTestId('card-front').count();
  assert(n >= 1 && n <= 10, `an A4 sheet holds up to ten cards: ${n}`);
  await page.getByTestId('sheet-backs').locator('img').first().waitFor({ timeout: TIMEOUT });
  await shot(ctx, '86-card-sheet');
});
