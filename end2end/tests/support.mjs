// Starts hoego on a free port with a fresh data dir, and Chromium (Debian's) through
// playwright-core. Everything started here is stopped in `stop()`.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';

const root = resolve(import.meta.dirname, '..', '..');
const bin = process.env.HOEGO_BIN ?? join(root, 'target', 'debug', 'hoego');
const siteRoot = process.env.HOEGO_SITE_ROOT ?? join(root, 'target', 'site');

function freePort() {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.on('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => ok(port));
    });
  });
}

async function waitFor(url, server, tries = 200) {
  for (let i = 0; i < tries; i++) {
    if (server.exitCode !== null) throw new Error(`hoego exited with ${server.exitCode}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${url} did not answer`);
}

/** Runs `hoego ARGS…` to completion; resolves with what it printed. */
function hoego(args) {
  return new Promise((ok, fail) => {
    const p = spawn(bin, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    p.stdout.on('data', (d) => (out += d));
    p.on('exit', (code) => (code === 0 ? ok(out) : fail(new Error(`hoego ${args[0]} exited ${code}`))));
  });
}

/** Starts hoego and Chromium; `seed` loads the sample postmortems first. The person `tester`
 * (an engineer) exists; `signedIn()` gives a browser context signed in as them. */
export async function start({ seed = false } = {}) {
  const dataDir = mkdtempSync(join(tmpdir(), 'hoego-e2e-'));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  if (seed) {
    await hoego(['seed', '--data-dir', dataDir]);
  }
  const added = await hoego(['user', '--data-dir', dataDir, 'add', 'tester', '--role', 'engineer']);
  const password = added.match(/password \(shown once\): (\S+)/)[1];
  const server = spawn(bin, ['serve', '--addr', `127.0.0.1:${port}`, '--data-dir', dataDir, '--site-root', siteRoot], {
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, RUST_LOG: 'warn' },
  });
  await waitFor(`${base}/healthz`, server);
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  return {
    base,
    browser,
    /** A browser context signed in as `tester` through the sign-in form. */
    async signedIn(options = {}) {
      const context = await browser.newContext(options);
      const page = await context.newPage();
      await page.goto(`${base}/incidents`);
      // Not signed in: the page sends the browser to sign in, and back after.
      await page.waitForURL(/\/sign-in\?next=/);
      await page.fill('#sign-in-name', 'tester');
      await page.fill('#sign-in-password', password);
      await Promise.all([page.waitForURL(`${base}/incidents`), page.click('button[type=submit]')]);
      await page.close();
      return context;
    },
    async stop() {
      await browser.close();
      server.kill('SIGTERM');
      await new Promise((r) => (server.exitCode !== null ? r() : server.on('exit', r)));
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Waits until the WASM bundle has hydrated the page. */
export async function hydrated(page) {
  await page.waitForSelector('html[data-hydrated="true"]', { timeout: 30_000 });
}
