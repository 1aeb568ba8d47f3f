// Flows of a member's own account (the member area at /me), member accounts as officers see
// them (activation codes, identity change requests) and card printing.
import { deflateSync } from 'node:zlib';
import { assert, test } from './harness.mjs';
import { PASSWORD, TIMEOUT, apiAs, clickOption, rows, shot, signIn } from './helpers.mjs';

// The training screens' names of the qualification kinds (i18n/strings/training.ts).
const QUAL_KIND = {
  general_education: 'Giáo dục phổ thông',
  professional: 'Chuyên môn nghiệp vụ',
  political_theory: 'Lý luận chính trị',
  union_work: 'Nghiệp vụ công đoàn',
  state_management: 'Quản lý nhà nước',
  foreign_language: 'Ngoại ngữ',
  it: 'Tin học',
};

/** The member's training list names every record as the training screens do, never by code. */
async function checkTrainingNamed(ctx, page) {
  const training = page.locator('.ant-card').filter({ has: page.getByText('Quá trình đào tạo, bồi dưỡng', { exact: true }) });
  await training.getByRole('heading', { name: 'Văn bằng, chứng chỉ' }).waitFor({ timeout: TIMEOUT });
  const member = await apiAs(ctx, 'doanvien');
  const mine = await member.get('/api/v1/me/training');
  await member.close();
  const shown = await training.innerText();
  for (const q of mine.qualifications.records) {
    assert(shown.includes(QUAL_KIND[q.kind]), `the qualification kind is named: ${QUAL_KIND[q.kind]}`);
  }
  for (const c of mine.courses) assert(shown.includes(c.kind_name), `the course kind is named: ${c.kind_name}`);
  const code = shown.match(/\b(general_education|professional|political_theory|union_work|state_management|foreign_language|upper_secondary|basic|not_completed|completed|accepted|nominated)\b/);
  assert(!code, `no raw code in the training list: ${code?.[0]}`);
  return { shown, mine };
}

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
  await clickOption(input, option, {
    open: async () => {
      await input.click();
      await input.fill('cong ty');
    },
  });
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

test('member accounts: an officer resets doanvien’s account; the member’s sign-in ends until they activate again', async (ctx) => {
  const { page } = ctx;
  // The member is signed in on their phone.
  await memberSignsIn(page);
  const member = await apiAs(ctx, 'doanvien');
  const memberId = (await member.get('/api/v1/auth/me')).member_id;
  await member.close();

  const officer = await ctx.browser.newContext({ baseURL: ctx.base });
  const op = await officer.newPage();
  await signIn(op, 'cdcs');
  await op.getByRole('heading', { name: 'Tổng quan' }).waitFor({ timeout: TIMEOUT });
  await op.goto(`/members/${memberId}`);
  const account = op.getByTestId('member-account');
  await account.getByTestId('member-account-status').filter({ hasText: 'Đang hoạt động' }).waitFor({ timeout: TIMEOUT });
  await account.getByText(/Đăng nhập lần cuối: \d{2}\/\d{2}\/\d{4}/).waitFor({ timeout: TIMEOUT });
  await account.getByRole('button', { name: 'Đặt lại tài khoản' }).click();
  const reset = op.waitForResponse((r) => r.url().endsWith(`/api/v1/members/${memberId}/account/reset`));
  await op.locator('.ant-popconfirm').getByRole('button', { name: 'Đặt lại tài khoản' }).click();
  assert((await reset).status() === 200, 'the account is reset');
  await account.getByTestId('member-account-status').filter({ hasText: 'Chờ kích hoạt lại' }).waitFor({ timeout: TIMEOUT });

  // The member's open sign-in is over: the next screen asks them to sign in, and the old
  // password no longer opens the account.
  await page.reload();
  await page.waitForURL(/\/signin/, { timeout: TIMEOUT });
  await signIn(page, 'doanvien');
  await page.getByText('Tên đăng nhập hoặc mật khẩu không đúng.').waitFor({ timeout: TIMEOUT });

  // The union hands over a new one-time code on a printed slip ...
  await account.getByRole('button', { name: 'Cấp mã kích hoạt' }).click();
  const code = (await op.getByTestId('activation-code').innerText()).trim();
  assert(/^[0-9A-Z]{5}-[0-9A-Z]{5}$/.test(code), `a new code is shown once: ${code}`);
  await op.emulateMedia({ media: 'print' });
  await op.evaluate(() => document.body.classList.add('printing-slip'));
  const slip = op.getByTestId('activation-slip');
  await slip.getByText(code).waitFor({ timeout: TIMEOUT });
  assert(!(await op.getByTestId('member-account').isVisible()), 'only the slip is printed');
  await shot(ctx, '87-activation-slip', op);
  await op.evaluate(() => document.body.classList.remove('printing-slip'));
  await op.emulateMedia({ media: 'screen' });
  await officer.close();

  // ... and the member activates again (keeping their username), then signs in.
  await page.goto('/activate');
  await page.getByText('Bằng mã kích hoạt').click();
  await page.getByLabel('Mã kích hoạt do công đoàn cấp').fill(code);
  await page.getByLabel('Tên đăng nhập').fill('doanvien');
  await page.getByLabel(/^Mật khẩu/).fill(PASSWORD);
  await page.getByRole('button', { name: 'Kích hoạt' }).click();
  await page.getByText('Đã kích hoạt tài khoản doanvien').waitFor({ timeout: TIMEOUT });
  await memberSignsIn(page);
}, { mutates: true });

/** A plain 300 x 400 PNG (a portrait's proportions), written without an image library. */
function portraitPng(width = 300, height = 400) {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf) => {
    let c = 0xffffffff;
    for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type, data) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(body));
    return Buffer.concat([len, body, sum]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  const rows = [];
  for (let y = 0; y < height; y += 1) {
    const row = Buffer.alloc(1 + width * 3);
    for (let x = 0; x < width; x += 1) {
      // A light background with a darker head-and-shoulders shape.
      const head = (x - width / 2) ** 2 + (y - height * 0.38) ** 2 < (width * 0.22) ** 2;
      const body = y > height * 0.62 && Math.abs(x - width / 2) < width * 0.38;
      row.set(head || body ? [40, 70, 120] : [225, 232, 240], 1 + x * 3);
    }
    rows.push(row);
  }
  const png = Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
  return png;
}

test('card photo: an officer uploads the member’s photo; it is on the member page and on the card', async (ctx) => {
  const { page } = ctx;
  const member = await apiAs(ctx, 'doanvien');
  const memberId = (await member.get('/api/v1/auth/me')).member_id;
  await member.close();
  await signIn(page, 'cdcs');
  await page.getByRole('heading', { name: 'Tổng quan' }).waitFor({ timeout: TIMEOUT });
  await page.goto(`/members/${memberId}`);
  const card = page.getByTestId('member-photo');
  await card.waitFor({ timeout: TIMEOUT });
  const saved = page.waitForResponse((r) => r.url().endsWith(`/api/v1/members/${memberId}/photo`) && r.request().method() === 'PUT');
  await card.locator('input[type="file"]').setInputFiles({ name: 'anh-the.png', mimeType: 'image/png', buffer: portraitPng() });
  const answer = await saved;
  assert(answer.status() === 200, `the photo is taken: ${answer.status()}`);
  const photo = await answer.json();
  assert(photo.width === 300 && photo.height === 400, `stored at its own size: ${photo.width}x${photo.height}`);
  const img = card.getByTestId('member-photo-img');
  await img.waitFor({ timeout: TIMEOUT });
  assert(await img.evaluate((i) => i.complete && i.naturalWidth === 300), 'the photo is drawn on the member page');
  await shot(ctx, '88-member-photo');
  await page.getByRole('button', { name: 'In thẻ' }).click();
  const onCard = page.getByTestId('card-front').getByTestId('card-photo');
  await onCard.waitFor({ timeout: TIMEOUT });
  assert(await onCard.evaluate((i) => i.complete && i.naturalWidth > 0), 'the photo is on the printed card');

  // The member's own card carries it too, and its signed facts name the photo's hash.
  const fresh = await ctx.browser.newContext({ baseURL: ctx.base });
  const mp = await fresh.newPage();
  await memberSignsIn(mp);
  await mp.getByRole('menuitem', { name: 'Thẻ đoàn viên' }).click();
  await mp.getByTestId('card-front').getByTestId('card-photo').waitFor({ timeout: TIMEOUT });
  await fresh.close();
  const again = await apiAs(ctx, 'doanvien');
  const mine = await again.get('/api/v1/me/card');
  await again.close();
  assert(mine.photo_sha256 === photo.sha256, 'the card names the photo by its hash');
}, { mutates: true });

test('self-service: the member’s training list names kinds and levels as the training screens do', async (ctx) => {
  const { page } = ctx;
  const officer = await ctx.browser.newContext({ baseURL: ctx.base });
  const token = await officer.request.post('/api/v1/auth/token', { form: { username: 'cdcs', password: PASSWORD } });
  const headers = { Authorization: `Bearer ${(await token.json()).access_token}` };
  const member = await apiAs(ctx, 'doanvien');
  const memberId = (await member.get('/api/v1/auth/me')).member_id;
  await member.close();
  const added = await officer.request.post(`/api/v1/members/${memberId}/qualifications`, {
    headers,
    data: { kind: 'union_work', level: 'basic', issuer: 'LĐLĐ tỉnh Đồng Tháp', issued_on: '2024-05-10' },
  });
  assert(added.status() === 201, `the union records a qualification: ${added.status()}`);
  await officer.close();
  await memberSignsIn(page);
  const { shown, mine } = await checkTrainingNamed(ctx, page);
  assert(mine.qualifications.records.length >= 1, 'the member has a qualification record');
  assert(shown.includes('Nghiệp vụ công đoàn: Cơ bản'), `kind and level by name: ${shown}`);
}, { mutates: true });
