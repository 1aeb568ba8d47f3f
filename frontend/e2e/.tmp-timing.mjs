import { chromium } from 'playwright-core';
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox'] });
for (let i = 0; i < 3; i++) {
  const ctx = await browser.newContext({ baseURL: 'http://127.0.0.1:8765', locale: 'vi-VN', viewport: { width: 1366, height: 860 } });
  const page = await ctx.newPage();
  await page.goto('/signin');
  await page.waitForFunction(() => performance.getEntriesByType('resource').some((e) => e.name.includes('/echarts-')));
  await page.waitForLoadState('networkidle');
  await page.getByLabel('Tên đăng nhập').fill('mytho');
  await page.getByLabel('Mật khẩu').fill('UnionHub@2026');
  const t0 = performance.now();
  const marks = {};
  page.on('request', (r) => { const u = new URL(r.url()).pathname; if (u.startsWith('/api') || u.endsWith('.js')) marks[`req ${u}`] = Math.round(performance.now() - t0); });
  page.on('response', (r) => { const u = new URL(r.url()).pathname; if (u.startsWith('/api')) marks[`res ${u}`] = Math.round(performance.now() - t0); });
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await page.getByRole('heading', { name: 'Tổng quan' }).waitFor();
  marks.heading = Math.round(performance.now() - t0);
  await page.locator('[data-testid="stat-members"] .ant-statistic-content').waitFor();
  marks.stats = Math.round(performance.now() - t0);
  await page.locator('[data-chart="admissions"][data-drawn="true"]').waitFor();
  marks.drawn = Math.round(performance.now() - t0);
  console.log(JSON.stringify(marks));
  await ctx.close();
}
await browser.close();
