#!/usr/bin/env node
// End-to-end run: starts the backend itself (serving dist/ through FRONTEND_DIST) on a free
// port against a database that holds the demo data, then drives Debian's Chromium with
// playwright-core through the flows in flows.mjs.
//
//   E2E_DATABASE_URL (or DATABASE_URL)  a migrated database loaded with
//                                       `unionhub-dev demo-data --scale 0.05`
//                                       (default: postgresql+asyncpg://postgres@127.0.0.1:5432/unionhub_e2e;
//                                       `npm run e2e:db` prepares that one)
//   CHROMIUM                            browser binary (default /usr/bin/chromium)
//   E2E_ONLY                            run only the flows whose name contains this text (a|b: either)
//   E2E_READY_SECONDS                   how long the backend may take to start (default 90)
//   E2E_WORKERS                         how many read-only flows run at once (default 2; see
//                                       harness.mjs: flows that change data or time the
//                                       screens always run one at a time)
//   E2E_SCREENSHOTS                     where the screenshots go (default ../docs/screenshots)
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { watchA11y } from './a11y.mjs';
import { run } from './harness.mjs';
import './flows.mjs';
import './flows-members.mjs';
import './flows-enterprises.mjs';
import './flows-imports.mjs';
import './flows-budgets.mjs';
import './flows-programmes.mjs';
import './flows-programmes-edit.mjs';
import './flows-reports.mjs';
import './flows-totals.mjs';
import './flows-evaluations.mjs';
import './flows-training.mjs';
import './flows-web14a.mjs';
import './flows-selfservice.mjs';
import './flows-web14b.mjs';
import './flows-web14c.mjs';
import './flows-integration.mjs';
import './flows-pickers.mjs';
import './flows-spending.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..');
const backend = resolve(root, '../backend');
const dist = join(root, 'dist');
const databaseUrl =
  process.env.E2E_DATABASE_URL ||
  process.env.DATABASE_URL ||
  'postgresql+asyncpg://postgres@127.0.0.1:5432/unionhub_e2e';
const browserPath = process.env.CHROMIUM || '/usr/bin/chromium';
export const screenshotDir = resolve(process.env.E2E_SCREENSHOTS || join(root, '../docs/screenshots'));

function fail(message) {
  console.error(`e2e: ${message}`);
  process.exit(2);
}

const workers = Number(process.env.E2E_WORKERS || 2);
if (!Number.isInteger(workers) || workers < 1) fail(`E2E_WORKERS must be a whole number of at least 1 (got ${process.env.E2E_WORKERS})`);
if (!existsSync(join(dist, 'index.html'))) fail('dist/ is missing: run `npm run build` first');
if (!existsSync(browserPath)) fail(`${browserPath} not found: apt-get install -y chromium`);
const uvicorn = join(backend, '.venv/bin/uvicorn');
if (!existsSync(uvicorn)) fail(`${uvicorn} not found: create backend/.venv first (make install)`);

function freePort() {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolvePort(port));
    });
  });
}

async function waitReady(base, server, timeoutMs = Number(process.env.E2E_READY_SECONDS || 90) * 1000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) fail(`the backend exited with code ${server.exitCode}`);
    if (worker.exitCode !== null) fail(`the worker exited with code ${worker.exitCode}`);
    try {
      const res = await fetch(`${base}/readyz`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  // Do not leave the backend and the worker running (and holding the database) behind.
  server.kill('SIGTERM');
  worker.kill('SIGTERM');
  fail(`the backend did not get ready within ${timeoutMs / 1000} s`);
}

const port = await freePort();
const base = `http://127.0.0.1:${port}`;
const serverLog = [];
const server = spawn(uvicorn, ['unionhub.main:app', '--host', '127.0.0.1', '--port', String(port), '--no-access-log'], {
  cwd: backend,
  env: {
    ...process.env,
    DATABASE_URL: databaseUrl,
    FRONTEND_DIST: dist,
    ENVIRONMENT: 'development',
    LOG_JSON: 'false',
    LOG_LEVEL: 'WARNING',
    // The integration flow's webhook points at a closed port on this machine (deliveries fail
    // and are retried): loopback must be allowed, as an administrator would allow a network.
    WEBHOOK_ALLOWED_NETWORKS: '127.0.0.1/32',
  },
  stdio: ['ignore', 'pipe', 'pipe'],
});
server.stdout.on('data', (d) => serverLog.push(String(d)));
server.stderr.on('data', (d) => serverLog.push(String(d)));
// The background jobs (large imports) run on a worker, as in production.
const worker = spawn(join(backend, '.venv/bin/unionhub'), ['worker', '--name', 'e2e'], {
  cwd: backend,
  env: {
    ...process.env,
    DATABASE_URL: databaseUrl,
    ENVIRONMENT: 'development',
    LOG_JSON: 'false',
    LOG_LEVEL: 'WARNING',
    WEBHOOK_ALLOWED_NETWORKS: '127.0.0.1/32',
  },
  stdio: ['ignore', 'pipe', 'pipe'],
});
worker.stdout.on('data', (d) => serverLog.push(String(d)));
worker.stderr.on('data', (d) => serverLog.push(String(d)));

let browser;
let ok = false;
try {
  await waitReady(base, server);
  console.log(`e2e: backend on ${base} (database ${databaseUrl.replace(/\/\/[^@]*@/, '//…@')})`);
  // launch() starts Chromium on a fresh temporary --user-data-dir of its own (it refuses the
  // flag), and one context per flow keeps the flows' cookies apart.
  browser = await chromium.launch({
    executablePath: browserPath,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  // Every context asks for reduced motion, as a user may (the app then turns antd's animations
  // off): a click on a dialog's button while it zooms in could land beside it on a busy machine.
  const newContext = browser.newContext.bind(browser);
  browser.newContext = (options = {}) => newContext({ reducedMotion: 'reduce', ...options });
  ok = await run(
    async () => {
      const context = await browser.newContext({ baseURL: base, locale: 'vi-VN', viewport: { width: 1366, height: 860 } });
      const page = await context.newPage();
      const consoleErrors = [];
      page.on('console', (msg) => {
        if (msg.type() === 'error') consoleErrors.push(msg.text());
      });
      page.on('pageerror', (err) => consoleErrors.push(String(err)));
      // The API's refusals and failures seen by the flow's pages, printed when the flow fails: a
      // dialog that stayed open says more with the answer its request got (or that none was sent).
      const apiAnswers = [];
      context.on('response', (response) => {
        const url = new URL(response.url());
        if (url.pathname.startsWith('/api/') && response.status() >= 400) {
          apiAnswers.push(`${response.status()} ${response.request().method()} ${url.pathname}`);
        }
      });
      context.on('requestfailed', (request) => {
        const url = new URL(request.url());
        if (url.pathname.startsWith('/api/')) apiAnswers.push(`failed ${request.method()} ${url.pathname}: ${request.failure()?.errorText}`);
      });
      // Every page of the flow's context is checked with axe-core on each screen (a11y.mjs).
      const a11y = watchA11y(context);
      return { base, browser, context, page, consoleErrors, apiAnswers, screenshotDir, a11y, close: () => context.close() };
    },
    { failureDir: join(root, 'e2e/.tmp/failures'), workers },
  );
} finally {
  await browser?.close().catch(() => {});
  server.kill('SIGTERM');
  worker.kill('SIGTERM');
  if (!ok && serverLog.length) console.log(`\nbackend log (last lines):\n${serverLog.join('').split('\n').slice(-30).join('\n')}`);
}
process.exit(ok ? 0 : 1);
