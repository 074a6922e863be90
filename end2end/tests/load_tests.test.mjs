// Load-test runs filed from the browser: upload a summary, read its charts, compare two runs.
import assert from 'node:assert/strict';
import { join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { start } from './support.mjs';

const fixtures = resolve(import.meta.dirname, '..', '..', 'server', 'tests', 'fixtures', 'load_tests');

let app;
before(async () => {
  app = await start();
});
after(async () => {
  await app?.stop();
});

/** Uploads `file` through the form on /load-tests; resolves on the run's page. */
async function upload(page, file, { scenario, services }) {
  await page.goto(`${app.base}/load-tests`);
  await page.setInputFiles('#upload-file', join(fixtures, file));
  await page.fill('#upload-scenario', scenario);
  await page.fill('#upload-services', services);
  await Promise.all([page.waitForURL(/\/load-tests\/\d+$/), page.click('form[action="/load-tests/upload"] button[type=submit]')]);
  return Number(page.url().split('/').pop());
}

test('an uploaded run shows its verdict, figures and charts, and two runs compare', async () => {
  const context = await app.signedIn({ locale: 'en-US' });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));

  await page.goto(`${app.base}/load-tests`);
  await page.locator('.empty').waitFor();

  const coupon = await upload(page, 'coupon-loadtest.json', { scenario: 'issue', services: 'coupon-api' });
  await page.locator('.badge.verdict-passed').first().waitFor();
  // Figures in a table beneath the chart: p99 from the summary.
  assert.match(await page.locator('table.figures').innerText(), /p99 \(ms\)\s+2\.9\n/);
  // The per-second series from the coupon tool becomes a line chart, a point per second.
  const overTime = page.locator('section', { has: page.getByRole('heading', { name: 'Second by second' }) });
  assert.equal(await overTime.locator('svg.chart.lines').count(), 2);
  assert.equal(await overTime.locator('svg.chart.lines').first().locator('circle').count(), 3);

  // A k6 summary whose thresholds failed: the verdict says so, and it compares as a regression.
  const k6 = await upload(page, 'k6-summary-export-failed.json', { scenario: 'issue', services: 'coupon-api' });
  await page.locator('.badge.verdict-failed').first().waitFor();
  await page.goto(`${app.base}/load-tests`);
  await page.locator(`input[name=baseline][value="${coupon}"]`).check();
  await page.locator(`input[name=candidate][value="${k6}"]`).check();
  await Promise.all([page.waitForURL(/\/load-tests\/compare\?/), page.getByRole('button', { name: 'Compare' }).click()]);
  await page.locator('p.meta .badge.verdict-failed', { hasText: /regression/i }).waitFor();
  assert.ok((await page.locator('tr.regression').count()) >= 1);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a file that is not a summary is refused with a message and nothing is stored', async () => {
  const context = await app.signedIn({ locale: 'en-US', javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(`${app.base}/load-tests`);
  const before = await page.locator('table.runs tbody tr').count();
  await page.setInputFiles('#upload-file', { name: 'notes.json', mimeType: 'application/json', buffer: Buffer.from('{"hello": "world"}') });
  await page.click('form[action="/load-tests/upload"] button[type=submit]');
  await page.locator('.form-error').waitFor();
  assert.match(await page.locator('.form-error').innerText(), /metrics/);
  await page.goto(`${app.base}/load-tests`);
  assert.equal(await page.locator('table.runs tbody tr').count(), before);
  await context.close();
});
