// Filing a complete postmortem through the browser, with and without JavaScript.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { hydrated, start } from './support.mjs';

let app;
before(async () => {
  app = await start();
});
after(async () => {
  await app?.stop();
});

test('an engineer files a complete postmortem and sees TTD and TTR', async () => {
  const context = await app.signedIn({ locale: 'en-US' });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));

  await page.goto(`${app.base}/incidents/new`);
  await hydrated(page);
  await page.fill('#incident-title', '쿠폰 발급 API Redis 연결 풀 고갈');
  await page.selectOption('#incident-severity', 'P1');
  await page.fill('#incident-services', 'coupon-api, redis');
  await page.fill('#incident-started_at', '2025-06-13T20:00');
  await page.fill('#incident-narrative', '## 경과\n\n트래픽이 **3배** 급증했습니다.');
  await page.click('button:has-text("Create incident")');
  await page.waitForURL(/\/incidents\/\d+$/);
  await page.getByRole('heading', { level: 1, name: '쿠폰 발급 API Redis 연결 풀 고갈' }).waitFor();
  assert.match(await page.locator('.prose').innerHTML(), /<strong>3배<\/strong>/);

  // Opens a collapsed "add" section (it may already be open after a previous submit).
  const open = (summary) => page.locator(`details:has(summary:has-text("${summary}"))`).evaluate((d) => (d.open = true));
  const addEvent = async (at, kind, text) => {
    await open('Add event');
    await page.fill('#event-at', at);
    await page.selectOption('#event-kind', kind);
    await page.fill('#event-text', text);
    await page.click('#timeline form.form button[type=submit]');
    await page.locator('.event .text', { hasText: text }).waitFor();
  };
  await addEvent('2025-06-13T20:01', 'detected', '[P1] Redis 연결 수 사용률 90% 초과');
  await addEvent('2025-06-13T20:24', 'recovered', '에러율 0.4%, 복구 선언');

  const metric = (name) => page.locator('.metric-card', { has: page.locator(`h2:text-is("${name}")`) }).locator('.value');
  assert.equal((await metric('TTD').innerText()).trim(), '1m 00s');
  assert.equal((await metric('TTR').innerText()).trim(), '24m 00s');

  await open('Add 5-Why chain');
  await page.fill('#chain-problem', '왜 Redis 연결 풀이 고갈되었는가?');
  await page.fill('#chain-steps-0--why', '왜 연결 풀이 고갈되었나?');
  await page.fill('#chain-steps-0--because', '동시 연결 수가 50개를 초과했습니다.');
  await page.fill('#chain-steps-1--why', '왜 한계를 초과했나?');
  await page.fill('#chain-steps-1--because', '용량 계획이 부족했습니다.');
  await page.fill('#chain-root_cause', '운영 중심 설계 사고 부족');
  await page.selectOption('#chain-category', 'capacity_planning');
  await page.click('#five-whys form.form button[type=submit]');
  await page.locator('.chain h3', { hasText: '왜 Redis 연결 풀이 고갈되었는가?' }).waitFor();
  assert.equal(await page.locator('.chain .steps > li').count(), 2);

  await open('Add action item');
  await page.fill('#action-title', 'Circuit Breaker 적용');
  await page.fill('#action-owner', '홍석호');
  await page.fill('#action-due', '2025-06-20');
  await page.selectOption('#action-horizon', 'long_term');
  await page.selectOption('#action-kind', 'technical');
  await page.selectOption('#action-five_why_step_id', { label: 'Why 2 — 왜 한계를 초과했나?' });
  await page.click('#action-items form.form button[type=submit]');
  const row = page.locator('table.action-items tbody tr', { hasText: 'Circuit Breaker 적용' });
  await row.waitFor();
  assert.match(await row.innerText(), /홍석호[\s\S]*2025-06-20[\s\S]*Long term[\s\S]*Why 2/);

  // Each form posted and the page came back; the reader is still at the section they edited.
  await hydrated(page);
  assert.ok(await page.evaluate(() => window.scrollY) > 0, 'the page did not open at the top');
  const shown = await page.locator('#action-items').evaluate((el) => {
    const r = el.getBoundingClientRect();
    return r.top < window.innerHeight && r.bottom > 0;
  });
  assert.equal(shown, true, 'the action items are in view after adding one');
  assert.deepEqual(errors, []);
  await context.close();
});

test('a refused form keeps what was typed and says what is wrong', async () => {
  const context = await app.signedIn({ locale: 'ko-KR' });
  const page = await context.newPage();
  await page.goto(`${app.base}/incidents/new`);
  await hydrated(page);
  await page.fill('#incident-title', '   ');
  await page.fill('#incident-narrative', '이 경위는 사라지면 안 됩니다');
  await page.click('button:has-text("장애 등록")');
  const error = page.locator('.field.invalid .field-error');
  await error.waitFor();
  assert.equal(await error.innerText(), '비워 둘 수 없습니다.');
  assert.equal(await page.inputValue('#incident-narrative'), '이 경위는 사라지면 안 됩니다');
  // Back on the form it came from, not on a new incident.
  assert.equal(new URL(page.url()).pathname, '/incidents/new');
  await context.close();
});

test('without JavaScript an incident can still be filed', async () => {
  const context = await app.signedIn({ javaScriptEnabled: false, locale: 'en-US' });
  const page = await context.newPage();
  await page.goto(`${app.base}/incidents/new`);
  await page.fill('#incident-title', 'Kafka producer lag (no JS)');
  await page.selectOption('#incident-severity', 'P2');
  await page.fill('#incident-started_at', '2025-06-20T12:00');
  await page.fill('#incident-detected_at', '2025-06-20T12:04');
  await page.click('button:has-text("Create incident")');
  await page.waitForURL(/\/incidents\/\d+$/);
  await page.getByRole('heading', { level: 1, name: 'Kafka producer lag (no JS)' }).waitFor();
  assert.equal(await page.locator('html[data-hydrated]').count(), 0, 'the page was never hydrated');
  const ttd = page.locator('.metric-card', { has: page.locator('h2:text-is("TTD")') }).locator('.value');
  assert.match(await ttd.innerText(), /4m 00s/);
  await context.close();
});
