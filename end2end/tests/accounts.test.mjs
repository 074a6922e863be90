// Signing in and out, and an API token made on its page, in the browser.
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

test('a wrong password says so and keeps the name; signing out ends the session', async () => {
  const context = await app.browser.newContext({ locale: 'en-US' });
  const page = await context.newPage();
  await page.goto(`${app.base}/sign-in`);
  await page.fill('#sign-in-name', 'tester');
  await page.fill('#sign-in-password', 'not the password');
  await page.click('button[type=submit]');
  await page.getByRole('alert').filter({ hasText: 'The name or the password is wrong.' }).waitFor();
  assert.equal(await page.inputValue('#sign-in-name'), 'tester');
  await context.close();

  const signed = await app.signedIn({ locale: 'en-US' });
  const home = await signed.newPage();
  const errors = [];
  home.on('pageerror', (e) => errors.push(String(e)));
  await home.goto(`${app.base}/incidents`);
  // The WASM bundle runs under the page's Content-Security-Policy.
  await hydrated(home);
  assert.equal(await home.locator('.account .me').innerText(), 'tester');
  await home.click('button:has-text("Sign out")');
  await home.waitForURL(`${app.base}/sign-in`);
  await home.goto(`${app.base}/incidents`);
  await home.waitForURL(/\/sign-in\?next=/);
  assert.deepEqual(errors, []);
});

test('a token is made on its page, shown once, and works at the API', async () => {
  const context = await app.signedIn({ locale: 'en-US' });
  const page = await context.newPage();
  await page.goto(`${app.base}/account/tokens`);
  await hydrated(page);
  await page.fill('#token-name', 'ci-script');
  await page.check('input[name="form[read]"]');
  await page.click('button:has-text("Create token")');
  const secret = await page.locator('code.secret').innerText();
  assert.match(secret, /^hoego_[A-Za-z0-9_-]{43}$/);
  await page.locator('td', { hasText: 'ci-script' }).waitFor();

  const answer = await fetch(`${app.base}/api/v1/incidents`, { headers: { authorization: `Bearer ${secret}` } });
  assert.equal(answer.status, 200);
  // Read only: writing is refused.
  const write = await fetch(`${app.base}/api/v1/incidents`, {
    method: 'POST',
    headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
    body: JSON.stringify({ title: 'x', severity: 'P3' }),
  });
  assert.equal(write.status, 403);

  // Shown once: the same page again does not show it.
  await page.reload();
  assert.equal(await page.locator('code.secret').count(), 0);
});
