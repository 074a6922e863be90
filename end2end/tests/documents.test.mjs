// Documents and failure scenarios from the browser: the seed report previewed and imported
// through the upload form, a scenario's plan followed on an incident, a postmortem file
// imported as an incident.
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { hydrated, start } from './support.mjs';

const root = resolve(import.meta.dirname, '..', '..');
const seed = resolve(root, 'seeds', 'load-test-incident-report.ko.md');
const postmortem = resolve(root, 'server', 'tests', 'fixtures', 'postmortems', 'freeform.ko.md');

let app;
before(async () => {
  app = await start();
});
after(async () => {
  await app?.stop();
});

test('the seed report is previewed, imported, and its plan followed on an incident', async () => {
  const context = await app.signedIn({ locale: 'ko-KR' });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));

  await page.goto(`${app.base}/import`);
  await page.setInputFiles('#import-file', seed);
  await Promise.all([page.waitForURL(/\/import\?report=/), page.getByRole('button', { name: '미리 보기' }).click()]);
  const report = page.locator('section.import-report');
  await report.waitFor();
  assert.match(await report.innerText(), /가져오면 만들어질 시나리오/);
  assert.equal(await report.locator('tbody tr').first().locator('td').first().innerText(), 'Redis 연결 풀 고갈');

  // Import what was previewed, without choosing the file again.
  await Promise.all([page.waitForURL(/\/import\?report=/), report.getByRole('button', { name: '가져오기' }).click()]);
  await page.locator('section.import-report a', { hasText: 'Redis 연결 풀 고갈' }).click();
  await page.waitForURL(/\/scenarios\/\d+$/);
  await page.getByRole('heading', { name: '단계별 대응' }).waitFor();
  assert.match(await page.locator('ol.plan').innerText(), /Redis 연결 풀 확장[\s\S]*maxActive: 50 → 100/);

  // An incident follows the scenario: link it, tick the first step.
  await page.goto(`${app.base}/incidents/new`);
  await hydrated(page);
  await page.fill('#incident-title', '쿠폰 발급 지연');
  await page.fill('#incident-started_at', '2025-06-06T14:00');
  await page.fill('#incident-detected_at', '2025-06-06T14:02');
  await Promise.all([page.waitForURL(/\/incidents\/\d+$/), page.getByRole('button', { name: '장애 등록' }).click()]);
  await hydrated(page);
  const plan = page.locator('section.plan-section');
  await plan.locator('#link-scenario').selectOption({ label: 'Redis 연결 풀 고갈' });
  await plan.getByRole('button', { name: '연결', exact: true }).click();
  const first = plan.locator('ul.checklist li').first();
  await first.waitFor();
  assert.match(await plan.locator('.stage h4').first().innerText(), /즉시 대응 기한 2025-06-06 14:07/);
  await first.locator('input[name=at]').fill('2025-06-06T14:05');
  await first.getByRole('button', { name: '완료' }).click();
  await plan.locator('ul.checklist li.done').first().waitFor();
  assert.match(await first.innerText(), /완료 2025-06-06 14:05/);
  // The tick is a timeline event.
  await page.locator('.timeline', { hasText: 'Redis 연결 풀 확장 — Redis 연결 풀 고갈 (즉시 대응)' }).first().waitFor();
  assert.deepEqual(errors, []);
  await context.close();
});

test('a postmortem file becomes an incident with its timeline and action items', async () => {
  const context = await app.signedIn({ locale: 'en-US', javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(`${app.base}/import`);
  await page.setInputFiles('#import-file', postmortem);
  await Promise.all([page.waitForURL(/\/import\?report=/), page.getByRole('button', { name: 'Import', exact: true }).click()]);
  const report = page.locator('section.import-report');
  assert.match(await report.innerText(), /Created this incident/);
  assert.match(await report.innerText(), /6 timeline events · 1 5-Why chains · 3 action items/);
  await Promise.all([page.waitForURL(/\/incidents\/\d+$/), report.locator('a', { hasText: '쿠폰 발급 API 응답 지연' }).click()]);
  assert.match(await page.locator('body').innerText(), /maxActive 확장으로 완화/);
  assert.match(await page.locator('body').innerText(), /Redis 연결 풀 확장/);
  assert.equal(await page.locator('a[href$="/export.md"]').count(), 1);
  await context.close();
});
