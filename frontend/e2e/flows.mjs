// The user-visible flows. Each test gets a fresh browser context (no cookies) and page.
// Flows that change data are registered with { mutates: true } and run last (see harness.mjs).
import { assert, test } from './harness.mjs';
import { PASSWORD, TIMEOUT, chooseOption, clickOption, pickDate, pickUnion, shot, signIn, treeNode, waitOverviewDrawn } from './helpers.mjs';

test('sign-in as mytho draws the overview', async (ctx) => {
  const { page } = ctx;
  await page.goto('/');
  await page.waitForURL(/\/signin/, { timeout: TIMEOUT });
  await page.getByRole('button', { name: 'Đăng nhập' }).waitFor();
  await shot(ctx, '01-sign-in');
  // A person takes seconds to type; the page fetches the next screens' code meanwhile. The
  // measurement starts once that prefetch is in, as it would be for a person.
  await page.getByLabel('Tên đăng nhập').fill('mytho');
  await page.waitForFunction(
    () => {
      const loaded = performance.getEntriesByType('resource').map((e) => e.name);
      return ['/OverviewPage-', '/AppShell-'].every((part) => loaded.some((url) => url.includes(part)));
    },
    null,
    { timeout: TIMEOUT },
  );
  await page.waitForLoadState('networkidle');
  await page.getByLabel('Mật khẩu').fill(PASSWORD);
  const clicked = performance.now();
  const tokenAnswered = page
    .waitForResponse((r) => r.url().endsWith('/api/v1/auth/token'))
    .then(() => Math.round(performance.now() - clicked));
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await waitOverviewDrawn(page);
  const ms = Math.round(performance.now() - clicked);
  console.log(`        sign-in to drawn overview: ${ms} ms (the token answer took ${await tokenAnswered} ms of it)`);
  assert(new URL(page.url()).pathname === '/', `expected the overview at /, got ${page.url()}`);
  const header = await page.getByTestId('current-user').innerText();
  assert(header.includes('Trần Văn Phước'), `the header shows the user's name: ${header}`);
  assert(header.includes('Cán bộ công đoàn cấp trên'), `the header shows the role: ${header}`);
  const total = await page.getByTestId('stat-total-unions').innerText();
  assert(/\d/.test(total), `the union total is a number: ${total}`);
  const members = await page.getByTestId('stat-members').innerText();
  assert(/\d/.test(members), `the overview counts the members: ${members}`);
  await page.locator('[data-chart="members-by-child"][data-drawn="true"]').waitFor({ timeout: TIMEOUT });
  const levels = await page.getByTestId('level-table').innerText();
  assert(levels.includes('Công đoàn cơ sở') && levels.includes('Ngoài nhà nước'), `unions by level and sector: ${levels}`);
  const calls = await page.evaluate(() => performance.getEntriesByType('resource').filter((e) => e.name.includes('/api/v1/unions')).length);
  assert(calls === 0, `the overview needs no union list calls (made ${calls})`);
  await shot(ctx, '02-overview');
});

test('the access token stays out of storage; a reload renews it from the cookie', async (ctx) => {
  const { page } = ctx;
  await signIn(page, 'mytho');
  await waitOverviewDrawn(page);
  const stored = await page.evaluate(() => JSON.stringify({ ...localStorage, ...sessionStorage }));
  assert(!/eyJ[\w-]+\.[\w-]+/.test(stored), `no JWT in web storage: ${stored}`);
  const cookies = await page.evaluate(() => document.cookie);
  assert(!cookies.includes('uh_refresh'), 'the refresh cookie is HttpOnly');
  await page.goto('/unions');
  await page.reload();
  await page.getByRole('heading', { name: 'Cơ cấu tổ chức' }).waitFor({ timeout: TIMEOUT });
  assert(new URL(page.url()).pathname === '/unions', 'still signed in on the same page after a reload');
});

test('a deep link before sign-in comes back after it', async (ctx) => {
  const { page } = ctx;
  await page.goto('/unions?as_of=2023-12-31');
  await page.waitForURL(/\/signin\?next=/, { timeout: TIMEOUT });
  await page.getByLabel('Tên đăng nhập').fill('mytho');
  await page.getByLabel('Mật khẩu').fill(PASSWORD);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await page.waitForURL(/\/unions\?as_of=2023-12-31/, { timeout: TIMEOUT });
  await treeNode(page, 'Liên đoàn Lao động thành phố Mỹ Tho').waitFor({ timeout: TIMEOUT });
});

test('wrong password shows the translated error', async (ctx) => {
  const { page } = ctx;
  await page.goto('/signin');
  await page.getByLabel('Tên đăng nhập').fill('mytho');
  await page.getByLabel('Mật khẩu').fill('not-the-password-1');
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await page.getByRole('alert').filter({ hasText: 'Tên đăng nhập hoặc mật khẩu không đúng.' }).waitFor({ timeout: TIMEOUT });
});

test('union tree of mytho, today and on 31/12/2023', async (ctx) => {
  const { page } = ctx;
  await signIn(page, 'mytho');
  await waitOverviewDrawn(page);
  await page.getByRole('link', { name: 'Cơ cấu tổ chức' }).click();
  await treeNode(page, 'Công đoàn phường Mỹ Tho').waitFor({ timeout: TIMEOUT });
  await shot(ctx, '03-union-tree-today');
  await pickDate(page, 'Xem cơ cấu tại ngày', '31/12/2023', 'Enter');
  await page.waitForURL(/as_of=2023-12-31/, { timeout: TIMEOUT });
  await treeNode(page, 'Liên đoàn Lao động thành phố Mỹ Tho').waitFor({ timeout: TIMEOUT });
  assert((await treeNode(page, 'Công đoàn phường Mỹ Tho').count()) === 0, 'the 2025 ward unions did not exist in 2023');
});

test('tinh sees the district federations on 31/12/2023 and expands one lazily', async (ctx) => {
  const { page } = ctx;
  await signIn(page, 'tinh');
  await waitOverviewDrawn(page);
  await page.goto('/unions');
  await treeNode(page, 'Liên đoàn Lao động tỉnh Đồng Tháp').waitFor({ timeout: TIMEOUT });
  await pickDate(page, 'Xem cơ cấu tại ngày', '31/12/2023', 'Enter');
  await treeNode(page, 'Liên đoàn Lao động tỉnh Tiền Giang').waitFor({ timeout: TIMEOUT });
  for (const name of ['Liên đoàn Lao động huyện Cái Bè', 'Liên đoàn Lao động thành phố Mỹ Tho', 'Liên đoàn Lao động huyện Chợ Gạo']) {
    await treeNode(page, name).waitFor({ timeout: TIMEOUT });
  }
  // Expanding a district federation loads its children on demand (GET /unions/tree?root_id=...).
  const caiBe = page.locator('.ant-tree-treenode', { has: treeNode(page, 'Liên đoàn Lao động huyện Cái Bè') });
  await caiBe.locator('.ant-tree-switcher').click();
  await treeNode(page, 'Trường THCS Nguyễn Du').waitFor({ timeout: TIMEOUT });
  await shot(ctx, '04-union-tree-2023');
});

test('union detail shows data, children and history', async (ctx) => {
  const { page } = ctx;
  await signIn(page, 'mytho');
  await waitOverviewDrawn(page);
  await page.goto('/unions');
  await treeNode(page, 'Công đoàn phường Mỹ Tho').click();
  await page.getByRole('heading', { name: 'Công đoàn phường Mỹ Tho' }).waitFor({ timeout: TIMEOUT });
  await page.getByRole('tab', { name: 'Thông tin' }).waitFor();
  await shot(ctx, '05-union-detail');
  await page.getByRole('tab', { name: /Đơn vị trực thuộc/ }).click();
  await page.getByRole('link', { name: /Công đoàn cơ sở/ }).first().waitFor({ timeout: TIMEOUT });
  await page.getByRole('tab', { name: 'Lịch sử' }).click();
  await page.locator('.ant-timeline-item', { hasText: 'Thành lập' }).first().waitFor({ timeout: TIMEOUT });
  await shot(ctx, '06-union-history');
  await page.getByRole('tab', { name: 'Cán bộ' }).click();
  const cadres = page.getByRole('tabpanel', { name: 'Cán bộ' }).locator('.ant-table-tbody .ant-table-row');
  await cadres.first().locator('a[href^="/members/"]').waitFor({ timeout: TIMEOUT });
  assert((await cadres.count()) > 0, 'the ward union has cadres today');
});

test('server errors appear beside their field, in Vietnamese; leaving asks first', async (ctx) => {
  const { page } = ctx;
  await signIn(page, 'mytho');
  await waitOverviewDrawn(page);
  await page.goto('/unions');
  await treeNode(page, 'Công đoàn phường Mỹ Tho').click();
  await page.getByRole('heading', { name: 'Công đoàn phường Mỹ Tho' }).waitFor({ timeout: TIMEOUT });
  const code = (await page.locator('.ant-descriptions-item-content').first().innerText()).trim();
  await page.getByRole('button', { name: 'Thành lập đơn vị trực thuộc' }).click();
  await page.getByRole('heading', { name: 'Thành lập công đoàn' }).waitFor({ timeout: TIMEOUT });
  await page.getByLabel('Mã đơn vị').fill(code); // already taken: the server must say so
  await page.getByLabel('Tên đơn vị', { exact: true }).fill('Công đoàn cơ sở Công ty Thử nghiệm E2E');
  for (const [label, option] of [
    ['Cấp', 'Công đoàn cơ sở'],
    ['Loại hình', 'CĐCS doanh nghiệp'],
  ]) {
    await clickOption(page.getByLabel(label, { exact: true }), page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: option }).first());
  }
  await page.getByLabel('Số quyết định').fill('99/QĐ-E2E');
  // After the ward union's own founding (1 July 2025), so the code is what the server rejects.
  await pickDate(page, 'Ngày thành lập', '01/08/2025');
  await page.getByRole('button', { name: 'Thành lập', exact: true }).click();
  const codeItem = page.locator('.ant-form-item', { has: page.getByLabel('Mã đơn vị') });
  // In Vietnamese, quoting the code from the error's params.
  await codeItem.getByText(`Mã "${code}" đã được sử dụng.`).waitFor({ timeout: TIMEOUT });
  await shot(ctx, '07-found-form-error');
  await page.getByRole('link', { name: 'Tổng quan' }).click();
  await page.locator('.ant-modal-confirm-title', { hasText: 'Rời trang khi chưa lưu?' }).waitFor({ timeout: TIMEOUT });
  assert((await page.locator('.ant-modal-confirm').count()) === 1, 'one leave-warning dialog');
  await page.getByRole('button', { name: 'Ở lại' }).click();
  await page.locator('.ant-modal-confirm').waitFor({ state: 'detached', timeout: TIMEOUT });
  assert(new URL(page.url()).pathname === '/unions/new', 'stayed on the form');
});

test('found, move and dissolve a union, each with its decision and a confirm dialog', async (ctx) => {
  const { page } = ctx;
  const code = `E2E-${Date.now().toString(36).toUpperCase()}`;
  const name = `Công đoàn cơ sở Công ty E2E ${code}`;
  await signIn(page, 'mytho');
  await waitOverviewDrawn(page);
  await page.goto('/unions');
  await treeNode(page, 'Công đoàn phường Mỹ Tho').click();
  await page.getByRole('button', { name: 'Thành lập đơn vị trực thuộc' }).click();
  await page.getByLabel('Mã đơn vị').fill(code);
  await page.getByLabel('Tên đơn vị', { exact: true }).fill(name);
  await chooseOption(page, 'Cấp', 'Công đoàn cơ sở');
  await chooseOption(page, 'Loại hình', 'CĐCS doanh nghiệp');
  await page.getByLabel('Số quyết định').fill('101/QĐ-E2E');
  await pickDate(page, 'Ngày thành lập', '01/08/2025');
  await page.getByRole('button', { name: 'Thành lập', exact: true }).click();
  await page.getByRole('heading', { name }).waitFor({ timeout: TIMEOUT });

  await page.getByRole('button', { name: 'Chuyển cấp trên' }).click();
  await pickUnion(page, 'Công đoàn cấp trên mới', 'dao thanh', 'Công đoàn phường Đạo Thạnh', { a11y: ctx.a11y });
  await page.getByLabel('Số quyết định').fill('102/QĐ-E2E');
  await pickDate(page, 'Ngày hiệu lực', '01/09/2025');
  await page.getByRole('button', { name: 'Chuyển cấp trên' }).click();
  const dialog = page.locator('.ant-modal-confirm');
  await dialog.waitFor({ timeout: TIMEOUT });
  const text = await dialog.innerText();
  assert(
    text.includes(`${name} cùng 0 đơn vị trực thuộc sẽ chuyển về Công đoàn phường Đạo Thạnh kể từ ngày 01/09/2025`),
    `the move dialog says what will happen: ${text}`,
  );
  await dialog.getByRole('button', { name: 'Chuyển cấp trên' }).click();
  await page.getByRole('heading', { name }).waitFor({ timeout: TIMEOUT });
  await page.getByRole('link', { name: 'Công đoàn phường Đạo Thạnh' }).first().waitFor({ timeout: TIMEOUT });

  await page.getByRole('button', { name: 'Giải thể' }).click();
  await page.getByLabel('Số quyết định').fill('103/QĐ-E2E');
  await pickDate(page, 'Ngày hiệu lực', '01/10/2025');
  await page.getByRole('button', { name: 'Giải thể' }).click();
  await dialog.waitFor({ timeout: TIMEOUT });
  assert((await dialog.innerText()).includes('chấm dứt hoạt động kể từ ngày 01/10/2025'), 'the dissolve dialog names the date');
  await dialog.getByRole('button', { name: 'Giải thể' }).click();
  await page.locator('.ant-tag', { hasText: 'Đã giải thể' }).first().waitFor({ timeout: TIMEOUT });
  // The notice of the dissolution (what moved where) comes with its own request and pushes the
  // tabs down: a click before it lands where the tab was (failed once on a loaded machine).
  await page.getByText('Đơn vị đã giải thể từ ngày 01/10/2025.').waitFor({ timeout: TIMEOUT });
  await page.getByText('Không có đoàn viên nào được chuyển đi.').waitFor({ timeout: TIMEOUT });
  await page.getByRole('tab', { name: 'Lịch sử' }).click();
  for (const event of ['Thành lập', 'Chuyển đơn vị cấp trên', 'Giải thể']) {
    await page.locator('.ant-timeline-item', { hasText: event }).first().waitFor({ timeout: TIMEOUT });
  }
}, { mutates: true });

test('keyboard only: sign in, walk the tree, open a union', async (ctx) => {
  const { page } = ctx;
  await page.goto('/signin');
  await page.getByLabel('Tên đăng nhập').waitFor();
  await page.keyboard.type('mytho'); // the username field has focus on arrival
  await page.keyboard.press('Tab');
  await page.keyboard.type(PASSWORD);
  await page.keyboard.press('Enter');
  await waitOverviewDrawn(page);
  await page.goto('/unions');
  await treeNode(page, 'Công đoàn phường Mỹ Tho').waitFor({ timeout: TIMEOUT });
  // Tab from the last control before the tree (the reload button) into the tree.
  await page.getByRole('button', { name: 'Tải lại' }).focus();
  await page.keyboard.press('Tab');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press(' ');
  await page.waitForURL(/\/unions\/[0-9a-f-]{36}$/, { timeout: TIMEOUT });
  await page.getByRole('tab', { name: 'Thông tin' }).waitFor({ timeout: TIMEOUT });
});

test('caibe cannot see the grassroots unions of Mỹ Tho', async (ctx) => {
  const { page, base } = ctx;
  // Find a Mỹ Tho grassroots union's id through mytho's own session (API, separate context).
  const other = await ctx.browser.newContext({ baseURL: base });
  const token = await (await other.request.post('/api/v1/auth/token', { form: { username: 'mytho', password: PASSWORD } })).json();
  const list = await (
    await other.request.get('/api/v1/unions?level=grassroots&q=my%20tho&size=5', { headers: { Authorization: `Bearer ${token.access_token}` } })
  ).json();
  await other.close();
  assert(list.items.length > 0, 'mytho sees grassroots unions named after Mỹ Tho');
  const foreign = list.items[0];

  await signIn(page, 'caibe');
  await waitOverviewDrawn(page);
  await page.goto('/unions');
  await treeNode(page, 'Công đoàn xã Cái Bè').waitFor({ timeout: TIMEOUT });
  assert((await page.getByText(foreign.name).count()) === 0, 'no Mỹ Tho union in the tree');
  const search = page.getByLabel('Tìm đơn vị (gõ không dấu cũng được)');
  await search.click();
  await search.fill(foreign.name.replace('Công đoàn cơ sở ', ''));
  // The answer to the whole name typed (not one of the fragments the debounce let through):
  // the open list says "none" and loads nothing more; the screen is checked with it open.
  const dropdown = page.locator('.ant-select-dropdown:visible');
  await dropdown.getByText('Không tìm thấy đơn vị nào').waitFor({ timeout: TIMEOUT });
  await dropdown.getByText('Đang tải…').waitFor({ state: 'detached', timeout: TIMEOUT });
  await ctx.a11y?.check(page, 'union search open, none found');
  await page.goto(`/unions/${foreign.id}`);
  await page.getByText('Không tìm thấy đơn vị (hoặc đơn vị ngoài phạm vi của bạn).').waitFor({ timeout: TIMEOUT });
});

test('users and audit screens for the provincial officer', async (ctx) => {
  const { page } = ctx;
  await signIn(page, 'tinh');
  await waitOverviewDrawn(page);
  await page.getByRole('link', { name: 'Người dùng và vai trò' }).click();
  await page.getByRole('cell', { name: 'caibe', exact: true }).waitFor({ timeout: TIMEOUT });
  await shot(ctx, '08-users');
  await page.getByRole('link', { name: 'Nhật ký hệ thống' }).click();
  await page.getByRole('heading', { name: 'Nhật ký hệ thống' }).waitFor({ timeout: TIMEOUT });
  await page.locator('.ant-table-row').first().waitFor({ timeout: TIMEOUT });
  // Actions, records and people by their Vietnamese names, not codes or ids.
  const actions = await page.getByTestId('audit-action').allInnerTexts();
  assert(actions.length > 0, 'the log has entries');
  const coded = actions.filter((a) => /\b[a-z_]+\.[a-z_]+\b/.test(a));
  assert(coded.length === 0, `no action codes on screen: ${coded.slice(0, 3).join(' | ')}`);
  // By action type, chosen by its Vietnamese name (on a fresh screen: no person chosen).
  await page.reload();
  await page.locator('.ant-table-row').first().waitFor({ timeout: TIMEOUT });
  const kind = page.getByLabel('Loại thao tác', { exact: true });
  await kind.click();
  await kind.fill('Mở đợt đánh giá');
  // Listen before choosing: the answer can arrive before the click's promise settles.
  const filtered = page.waitForResponse((r) => r.url().includes('/api/v1/audit?') && r.url().includes('action_exact=evaluation_round.open'));
  await clickOption(kind, page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: /^Mở đợt đánh giá$/ }).first(), {
    open: async () => {
      await kind.click();
      await kind.fill('Mở đợt đánh giá');
    },
  });
  await filtered;
  await page.locator('.ant-table-row').first().waitFor({ timeout: TIMEOUT });
  const kinds = await page.getByTestId('audit-action').allInnerTexts();
  assert(kinds.every((k) => k.startsWith('Mở đợt đánh giá')), `only rounds opened: ${kinds.slice(0, 3).join(' | ')}`);
  await shot(ctx, '09-audit');
});

test('the viewer gets no users or audit screens', async (ctx) => {
  const { page } = ctx;
  await signIn(page, 'viewer');
  await waitOverviewDrawn(page);
  assert((await page.getByRole('link', { name: 'Người dùng và vai trò' }).count()) === 0, 'no users menu');
  assert((await page.getByRole('link', { name: 'Nhập/Xuất dữ liệu' }).count()) === 0, 'no import menu for a viewer');
  await page.getByRole('link', { name: 'Đoàn viên', exact: true }).click();
  await page.locator('.ant-table-row').first().waitFor({ timeout: TIMEOUT });
  assert((await page.getByRole('button', { name: 'Thêm đoàn viên' }).count()) === 0, 'a viewer cannot add members');
  assert((await page.getByRole('button', { name: 'Hiện' }).count()) === 0, 'a viewer cannot reveal personal data');
  const pid = await page.locator('.ant-table-row').first().locator('.mono').first().innerText();
  assert(pid.includes('*'), `a viewer sees masked personal IDs: ${pid}`);
  await page.goto('/imports');
  await page.getByText('Không có quyền truy cập').waitFor({ timeout: TIMEOUT });
  await page.goto('/users');
  await page.getByText('Không có quyền truy cập').waitFor({ timeout: TIMEOUT });
});

test('English switch, tablet width, sign-out', async (ctx) => {
  const { page } = ctx;
  await page.setViewportSize({ width: 768, height: 1024 });
  await signIn(page, 'mytho');
  await waitOverviewDrawn(page);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert(overflow <= 0, `no horizontal scrolling at 768 px (overflow ${overflow} px)`);
  await shot(ctx, '10-overview-tablet');
  await page.goto('/members?q=nguyen');
  await page.locator('.ant-table-row').first().waitFor({ timeout: TIMEOUT });
  const listOverflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert(listOverflow <= 0, `the member list scrolls inside its table at 768 px (overflow ${listOverflow} px)`);
  await page.goto('/');
  await waitOverviewDrawn(page);
  await page.getByText('EN', { exact: true }).click();
  await page.getByRole('heading', { name: 'Overview' }).waitFor({ timeout: TIMEOUT });
  await page.getByRole('button', { name: /Sign out/ }).click();
  await page.waitForURL(/\/signin/, { timeout: TIMEOUT });
  await page.getByRole('button', { name: 'Sign in' }).waitFor();
  // Signed out for real: a reload does not bring the session back.
  await page.reload();
  await page.getByRole('button', { name: 'Sign in' }).waitFor({ timeout: TIMEOUT });
});
