// Flows of integration clients: the province's officer registers a client (its secret shown
// once, with a copy button and a warning), sees its usage, rotates the secret, subscribes it to
// webhooks and reads the delivery log (the receiver is a closed port: the delivery fails and is
// retried), sends one again, then revokes the client, after which its secret no longer works.
import { assert, test } from './harness.mjs';
import { PASSWORD, TIMEOUT, chooseOption, pickUnion, rows, shot, signIn, waitOverviewDrawn } from './helpers.mjs';

const NAME = `LGSP tỉnh Đồng Tháp (e2e ${Date.now() % 100000})`;

/** The secret in the one-time dialog, then the dialog closed. */
async function takeSecret(page, prefix) {
  const dialog = page.locator('.ant-modal:visible').filter({ hasText: 'chỉ hiển thị MỘT LẦN' });
  await dialog.waitFor({ timeout: TIMEOUT });
  await dialog.getByRole('button', { name: 'Sao chép khóa' }).waitFor({ timeout: TIMEOUT });
  const secret = await dialog.getByTestId('one-time-secret').inputValue();
  assert(secret.startsWith(prefix), `the secret is shown (${secret.slice(0, 6)}…)`);
  return { dialog, secret };
}

async function tokenStatus(ctx, clientId, secret) {
  const other = await ctx.browser.newContext({ baseURL: ctx.base });
  try {
    const basic = Buffer.from(`${clientId}:${secret}`).toString('base64');
    const r = await other.request.post('/api/v1/auth/token', {
      form: { grant_type: 'client_credentials' },
      headers: { Authorization: `Basic ${basic}` },
    });
    const token = r.ok() ? (await r.json()).access_token : null;
    if (token) {
      // one call of the client, so its usage shows on its page
      await other.request.get('/api/v1/changes?limit=1', { headers: { Authorization: `Bearer ${token}` } });
    }
    return r.status();
  } finally {
    await other.close();
  }
}

/** A change the client may see (an edit of a member in its subtree), made as the officer. */
async function editAMember(ctx) {
  const other = await ctx.browser.newContext({ baseURL: ctx.base });
  try {
    const res = await other.request.post('/api/v1/auth/token', { form: { username: 'tinh', password: PASSWORD } });
    const headers = { Authorization: `Bearer ${(await res.json()).access_token}` };
    const list = await (await other.request.get('/api/v1/members?size=1&status=active', { headers })).json();
    const member = list.items[0];
    const r = await other.request.patch(`/api/v1/members/${member.id}`, {
      headers,
      data: { occupation: `Công nhân (e2e ${Date.now() % 1000})` },
    });
    assert(r.ok(), `the member edit went through (${r.status()})`);
  } finally {
    await other.close();
  }
}

test(
  'integration: register a client (secret once), rotate, webhook with its deliveries, revoke',
  async (ctx) => {
    const { page } = ctx;
    await signIn(page, 'tinh');
    await waitOverviewDrawn(page);
    await page.getByRole('link', { name: 'Ứng dụng tích hợp' }).click();
    await page.getByRole('heading', { name: 'Ứng dụng tích hợp' }).waitFor({ timeout: TIMEOUT });

    // Register: the form, then the secret in a dialog of its own.
    await page.getByRole('button', { name: 'Đăng ký ứng dụng' }).first().click();
    const drawer = page.locator('.ant-drawer');
    await drawer.getByLabel('Tên ứng dụng').fill(NAME);
    await drawer.getByLabel('Cơ quan, tổ chức').fill('Sở Khoa học và Công nghệ tỉnh Đồng Tháp');
    await drawer.getByLabel('Người liên hệ').fill('Trần Văn Bình, 0277 3851 234');
    await drawer.getByLabel('Mục đích, căn cứ pháp lý').fill('Chia sẻ dữ liệu theo Nghị định 47/2020/NĐ-CP');
    await pickUnion(page, 'Phạm vi dữ liệu', 'dong thap', 'Liên đoàn Lao động tỉnh Đồng Tháp', { a11y: ctx.a11y });
    await chooseOption(page, 'Quyền được cấp', 'Xem đoàn viên (dữ liệu cá nhân được che)', { a11y: ctx.a11y });
    await page.keyboard.press('Escape');
    await drawer.getByRole('button', { name: 'Đăng ký ứng dụng' }).click();
    const first = await takeSecret(page, 'uhs_');
    await shot(ctx, '60-client-secret-once');
    await first.dialog.getByRole('button', { name: 'Tôi đã lưu khóa' }).click();

    // The client's page: its details, and the secret nowhere any more.
    await page.getByRole('heading', { name: NAME }).waitFor({ timeout: TIMEOUT });
    const clientId = page.url().split('/clients/')[1];
    assert(/^[0-9a-f-]{36}$/.test(clientId), `the client's page (${clientId})`);
    await page.getByText('Chia sẻ dữ liệu theo Nghị định 47/2020/NĐ-CP').waitFor({ timeout: TIMEOUT });
    await page.getByText('Xem đoàn viên (dữ liệu cá nhân được che)').first().waitFor({ timeout: TIMEOUT });
    assert(!(await page.content()).includes(first.secret), 'the secret is not on the page once the dialog is closed');

    // The secret works, and the call shows in the usage.
    assert((await tokenStatus(ctx, clientId, first.secret)) === 200, 'the client gets a token with its secret');
    await page.reload();
    await page.getByRole('heading', { name: NAME }).waitFor({ timeout: TIMEOUT });
    const usage = page.locator('.ant-card').filter({ hasText: 'Tình hình sử dụng' });
    await usage.getByText('Lần gọi gần nhất').waitFor({ timeout: TIMEOUT });
    assert(!(await usage.innerText()).includes('Chưa gọi lần nào'), 'the last call is shown');

    // Rotate with the default overlap: a new secret, the old one still valid for a while.
    await page.getByRole('button', { name: 'Đổi khóa bí mật' }).click();
    const rotate = page.locator('.ant-modal:visible').filter({ hasText: 'Thời gian chuyển tiếp' });
    await rotate.getByRole('button', { name: 'Đổi khóa bí mật' }).click();
    const second = await takeSecret(page, 'uhs_');
    assert(second.secret !== first.secret, 'rotation gives a new secret');
    await second.dialog.getByRole('button', { name: 'Tôi đã lưu khóa' }).click();
    await page.getByText('Khóa cũ còn dùng được đến').waitFor({ timeout: TIMEOUT });
    assert((await tokenStatus(ctx, clientId, first.secret)) === 200, 'the old secret works during the overlap');
    assert((await tokenStatus(ctx, clientId, second.secret)) === 200, 'the new secret works');

    // A webhook on a closed local port: its signing secret once, then failing deliveries.
    await page.getByRole('button', { name: 'Thêm webhook' }).click();
    const add = page.locator('.ant-modal:visible').filter({ hasText: 'Địa chỉ nhận (https)' });
    await add.getByLabel('Địa chỉ nhận (https)').fill('http://127.0.0.1:9/unionhub');
    await add.getByRole('button', { name: 'Thêm webhook' }).click();
    const hook = await takeSecret(page, 'whsec_');
    await hook.dialog.getByRole('button', { name: 'Tôi đã lưu khóa' }).click();
    await page.getByText('http://127.0.0.1:9/unionhub').first().waitFor({ timeout: TIMEOUT });
    await page.getByText('Đang gửi').first().waitFor({ timeout: TIMEOUT });

    await editAMember(ctx);
    // The worker turns the event into a delivery within seconds; the log refreshes itself.
    const log = page.locator('.ant-table').filter({ has: page.locator('th', { hasText: 'Lần thử tiếp' }) });
    await rows(log).first().waitFor({ timeout: 90_000 });
    await log.getByText('member.update').first().waitFor({ timeout: TIMEOUT });
    await log.getByText(/Đang chờ gửi|Thất bại/).first().waitFor({ timeout: 60_000 });
    // the first attempt has been made and its error is shown
    await log.getByText(/ConnectError|HTTP|refused/i).first().waitFor({ timeout: 60_000 });
    await shot(ctx, '61-client-webhook-deliveries');
    await log.getByRole('button', { name: 'Gửi lại' }).first().click();
    await page.getByText('Đã xếp lịch gửi lại ngay.').waitFor({ timeout: TIMEOUT });

    // Revoke, after a confirmation: at once, the secrets stop working.
    await page.getByRole('button', { name: 'Thu hồi' }).click();
    const confirm = page.locator('.ant-modal-confirm:visible');
    await confirm.getByText('Không thể hoàn tác').waitFor({ timeout: TIMEOUT });
    await confirm.getByRole('button', { name: 'Thu hồi' }).click();
    await page.getByText(/Ứng dụng đã bị thu hồi lúc/).waitFor({ timeout: TIMEOUT });
    await page.locator('.ant-tag', { hasText: 'Đã thu hồi' }).first().waitFor({ timeout: TIMEOUT });
    assert((await tokenStatus(ctx, clientId, second.secret)) === 401, 'a revoked client gets no token');
    await shot(ctx, '62-client-revoked');

    // The list shows it revoked.
    await page.getByRole('link', { name: 'Danh sách ứng dụng' }).click();
    const row = rows(page).filter({ hasText: NAME });
    await row.getByText('Đã thu hồi').waitFor({ timeout: TIMEOUT });
  },
  { mutates: true },
);
