// The admin dashboard in a real Chromium: sign in with the admin token, open the demo store's
// overview, its flows and its outbox (the double opt-in email is there by now), then a message preview.
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { DEMO, repoRoot } from './lib/local-worker.mjs';
import { assert, assertEqual } from './lib/checks.mjs';

export const CHROMIUM = '/usr/bin/chromium';
export const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const shots = join(repoRoot, 'e2e', '.screenshots');

export async function dashboardChecks({ check, worker, adminToken }) {
  await check('dashboard: a page without a session goes to the login form; a wrong token is a 401 without cookie', async () => {
    const res = await fetch(`${worker.url}/admin/stores`, { redirect: 'manual' });
    assertEqual([res.status, res.headers.get('location')], [303, '/admin/login?next=%2Fadmin%2Fstores'], 'redirect');
    const bad = await fetch(`${worker.url}/admin/login`, { method: 'POST', body: new URLSearchParams({ token: 'wrong' }), redirect: 'manual' });
    assertEqual(bad.status, 401, 'wrong token');
    assert(!bad.headers.get('set-cookie')?.includes('ns_admin='), 'no session cookie');
  });
  if (!existsSync(CHROMIUM)) return;
  mkdirSync(shots, { recursive: true });
  const userDataDir = mkdtempSync(join(tmpdir(), 'nightshift-e2e-dashboard-'));
  let context;
  try {
    context = await chromium.launchPersistentContext(userDataDir, { executablePath: CHROMIUM, headless: true, args: FLAGS, viewport: { width: 1280, height: 800 }, locale: 'fr-FR' });
    const page = context.pages()[0] ?? (await context.newPage());
    page.on('console', (m) => m.type() === 'error' && console.log(`      [dashboard] ${m.text()}`));
    await browse({ check, worker, adminToken, page });
  } finally {
    await context?.close();
    rmSync(userDataDir, { recursive: true, force: true });
  }
}

async function browse({ check, worker, adminToken, page }) {
  await check('dashboard: sign in through the form and open the store overview (French for a French browser)', async () => {
    await page.goto(`${worker.url}/admin/stores/${DEMO.storeId}`);
    assert(page.url().includes('/admin/login'), `at the login form: ${page.url()}`);
    await page.screenshot({ path: join(shots, 'dashboard-1-login.png') });
    await page.fill('input[name=token]', adminToken);
    await Promise.all([page.waitForURL(`**/admin/stores/${DEMO.storeId}`), page.click('button[type=submit]')]);
    assertEqual(await page.getAttribute('html', 'lang'), 'fr', 'page language');
    assertEqual(await page.textContent('h1'), DEMO.name, 'overview title');
    const cookie = (await page.context().cookies()).find((c) => c.name === 'ns_admin');
    assert(cookie?.httpOnly && cookie.sameSite === 'Strict', 'HttpOnly SameSite=Strict session cookie');
    await page.screenshot({ path: join(shots, 'dashboard-2-overview.png'), fullPage: true });
  });

  await check('dashboard: the flows page lists the presets with their settings', async () => {
    await Promise.all([page.waitForURL('**/flows'), page.click('nav >> text=Scénarios')]);
    assert((await page.locator('form[action*="/flows/"]').count()) >= 3, 'one form per flow');
    await page.screenshot({ path: join(shots, 'dashboard-3-flows.png') });
  });

  await check('dashboard: the outbox lists the confirmation email and previews it in a sandboxed frame', async () => {
    await Promise.all([page.waitForURL('**/messages'), page.click('nav >> text=Messages')]);
    const rows = page.locator('tbody tr');
    assert((await rows.count()) >= 1, 'at least one message');
    await page.screenshot({ path: join(shots, 'dashboard-4-outbox.png') });
    const tracked = [];
    const onRequest = (req) => /\/(o|c)\//.test(new URL(req.url()).pathname) && tracked.push(req.url());
    page.on('request', onRequest);
    await Promise.all([page.waitForURL('**/messages/**'), rows.first().locator('a').click()]);
    assertEqual(await page.getAttribute('iframe', 'sandbox'), '', 'sandbox without permissions');
    const frame = page.frameLocator('iframe');
    assert((await frame.locator('body').innerText()).trim().length > 0, 'the preview shows the email');
    await page.screenshot({ path: join(shots, 'dashboard-5-message.png'), fullPage: true });
    page.off('request', onRequest);
    assertEqual(tracked, [], 'tracking requests fired by the preview');
  });

  await check('dashboard: ?lang=en switches to English and is remembered', async () => {
    await page.goto(`${worker.url}/admin/stores/${DEMO.storeId}?lang=en`);
    assertEqual(await page.getAttribute('html', 'lang'), 'en', 'page language');
    await Promise.all([page.waitForURL('**/messages'), page.click('nav >> text=Messages')]);
    assertEqual(await page.getAttribute('html', 'lang'), 'en', 'language kept on the next page');
    await page.screenshot({ path: join(shots, 'dashboard-6-outbox-en.png') });
  });
}
