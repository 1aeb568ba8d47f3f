// Issue 14, item 4: names where codes were - residence by province and commune/ward from the
// official list, nationality by its Vietnamese name, VSIC codes with their division's name -
// and the union field filled in for an officer of one union.
import { assert, test } from './harness.mjs';
import { TIMEOUT, apiAs, chooseOption, clickOption, pickDate, shot, signIn, waitOverviewDrawn } from './helpers.mjs';

/** Opens a searching select by its label, types, and picks the option. */
async function searchPick(page, label, typed, option) {
  const input = page.getByLabel(label, { exact: true });
  await clickOption(input, page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: option }).first(), {
    open: async () => {
      await input.click();
      await input.fill(typed);
    },
  });
}

test('14 names not codes: union prefilled, residence and nationality picked and shown by name', async (ctx) => {
  const { page } = ctx;
  await signIn(page, 'cdcs');
  await waitOverviewDrawn(page);
  await page.goto('/members/new');
  await page.getByRole('heading', { name: 'Kết nạp đoàn viên mới' }).waitFor({ timeout: TIMEOUT });
  // cdcs holds one grassroots union: the union field starts on it.
  const field = (label) => page.locator('.ant-form-item', { has: page.getByText(label, { exact: true }) });
  await field('Đơn vị sinh hoạt').getByText(/Công đoàn cơ sở .*\(TG-/).waitFor({ timeout: TIMEOUT });
  // Nationality by name, Việt Nam to start with.
  await field('Quốc tịch').getByText('Việt Nam', { exact: true }).waitFor({ timeout: TIMEOUT });

  const serial = String(Math.floor(Math.random() * 1e6)).padStart(6, '0');
  const name = `Đặng Thị Nơi Ở ${serial}`;
  await page.getByLabel('Họ và tên', { exact: true }).fill(name);
  await pickDate(page, 'Ngày sinh', '12/05/1990');
  await chooseOption(page, 'Giới tính', 'Nữ');
  await page.getByLabel('Số định danh cá nhân', { exact: true }).fill(`082190${serial}`);
  // Residence: province, then commune/ward, by name.
  await searchPick(page, 'Tỉnh, thành phố', 'dong thap', 'Đồng Tháp');
  await searchPick(page, 'Xã, phường, đặc khu', 'my tho', 'Phường Mỹ Tho');
  await shot(ctx, 'web14c-01-residence-picker');
  const created = page.waitForResponse((r) => r.url().endsWith('/api/v1/members') && r.request().method() === 'POST');
  await page.getByRole('button', { name: 'Kết nạp', exact: true }).click();
  const answer = await created;
  assert(answer.status() === 201, `the member is created: ${answer.status()} ${await answer.text()}`);
  const body = await answer.json();
  assert(body.commune_code === '28261' && body.nationality === 'VN', `codes are stored: ${body.commune_code} ${body.nationality}`);
  await page.getByRole('heading', { name }).waitFor({ timeout: TIMEOUT });
  const residence = await page.getByTestId('commune-name').innerText();
  assert(residence.includes('Phường Mỹ Tho, Đồng Tháp'), `the residence shows by name: ${residence}`);
  const info = await page.locator('.ant-descriptions').first().innerText();
  assert(info.includes('Việt Nam') && !/\bVN\b/.test(info), 'the nationality shows by name');
  await shot(ctx, 'web14c-02-member-names');
}, { mutates: true });

test('14 names not codes: an enterprise shows its VSIC division and its commune by name', async (ctx) => {
  const { page } = ctx;
  const api = await apiAs(ctx, 'mytho');
  const items = (await api.get('/api/v1/enterprises?size=50')).items;
  await api.close();
  const firm = items.find((e) => e.vsic_code && e.commune_code);
  assert(firm, 'a demo enterprise with a VSIC code and a commune');
  await signIn(page, 'mytho');
  await waitOverviewDrawn(page);
  await page.goto(`/enterprises/${firm.id}`);
  await page.getByRole('heading', { name: firm.name }).waitFor({ timeout: TIMEOUT });
  const industry = await page.getByTestId('industry-name').innerText();
  assert(industry.startsWith(firm.vsic_code) && /·\s*\S/.test(industry), `the code with its division's name: ${industry}`);
  const commune = await page.getByTestId('commune-name').innerText();
  assert(!/^\d{5}$/.test(commune.trim()) && commune.includes(','), `the commune by name: ${commune}`);
  await shot(ctx, 'web14c-03-enterprise-names');
});
