import { chromium } from 'playwright-core';
const base = 'http://127.0.0.1:8765';
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox'] });
const ctx = await browser.newContext({ baseURL: base, locale: 'vi-VN', viewport: { width: 1366, height: 860 } });
const page = await ctx.newPage();
const errors = [];
page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') errors.push(m.text()); });
page.on('pageerror', (e) => errors.push(String(e)));
await page.goto('/signin');
await page.getByLabel('Tên đăng nhập').fill(process.env.U || 'mytho');
await page.getByLabel('Mật khẩu').fill('UnionHub@2026');
const t0 = Date.now();
await page.getByRole('button', { name: 'Đăng nhập' }).click();
await page.locator('[data-chart="admissions"][data-drawn="true"]').waitFor({ timeout: 15000 });
console.log('overview drawn', Date.now() - t0);
await page.screenshot({ path: '/tmp/shots/overview.png', fullPage: true });
for (const [name, url, wait] of (process.env.PAGES ? JSON.parse(process.env.PAGES) : [
  ['members', '/members?q=nguyen', '.ant-table-row'],
  ['transfers', '/transfers', '.ant-table'],
  ['enterprises', '/enterprises', '.ant-table-row'],
  ['gap', '/enterprises/gap', 'h2'],
  ['imports', '/imports', 'h2'],
  ['memberNew', '/members/new', 'h2'],
])) {
  await page.goto(url);
  await page.locator(wait).first().waitFor({ timeout: 15000 });
  await page.waitForLoadState('networkidle');
  await page.screenshot({ path: `/tmp/shots/${name}.png`, fullPage: true });
}
console.log(errors.slice(0, 20).join('\n'));
await browser.close();
