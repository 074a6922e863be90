// Searching past postmortems from the header, and suggestions while filing a new one.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { hydrated, start } from './support.mjs';

let app;
before(async () => {
  app = await start({ seed: true });
});
after(async () => {
  await app?.stop();
});

test('a search from the header finds a past root cause and opens it', async () => {
  const context = await app.signedIn({ locale: 'ko-KR' });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));

  await page.goto(`${app.base}/action-items`);
  await hydrated(page);
  await page.fill('header input[name=q]', '커넥션 고갈');
  await page.press('header input[name=q]', 'Enter');
  await page.waitForURL(/\/search\?q=/);
  // Ranked: the one postmortem with both words first, then those with either (or a glossary
  // term for it, 연결 for 커넥션).
  await page.locator('.ranked', { hasText: '1건에 모든 단어가 있습니다' }).waitFor();
  const hit = page.locator('.hit').first();
  assert.match(await hit.locator('.snippet').innerHTML(), /<mark>고갈<\/mark>/);
  assert.match(await hit.locator('.matched-in').innerText(), /5-Why/);

  await hit.locator('a.hit-title').click();
  await page.waitForURL(/\/incidents\/\d+$/);
  await page.getByRole('heading', { level: 1, name: 'Redis 장애 후 MySQL 커넥션 풀 고갈로 전체 서비스 응답 불가' }).waitFor();
  // The incident page lists its nearest neighbour among past incidents.
  await page.locator('.similar li', { hasText: '선착순 쿠폰 이벤트 중 Redis 연결 풀 고갈' }).waitFor();
  assert.deepEqual(errors, []);
  await context.close();
});

test('the search page works without JavaScript', async () => {
  const context = await app.signedIn({ locale: 'en-US', javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(`${app.base}/incidents`);
  await page.fill('header input[name=q]', 'kafka');
  await page.press('header input[name=q]', 'Enter');
  await page.waitForURL(/\/search\?q=kafka/);
  await page.locator('.hit a.hit-title', { hasText: 'Kafka 프로듀서 지연으로 쿠폰 발급 상태 불일치' }).waitFor();
  await context.close();
});

test('filing a new incident suggests past incidents with similar titles', async () => {
  const context = await app.signedIn({ locale: 'en-US' });
  const page = await context.newPage();
  await page.goto(`${app.base}/incidents/new`);
  await hydrated(page);
  await page.locator('#incident-title').pressSequentially('Redis 연결 풀');
  await page.locator('.suggestions li', { hasText: '선착순 쿠폰 이벤트 중 Redis 연결 풀 고갈' }).waitFor();
  await context.close();
});
